//===- Trust.cpp - which directories the launcher may use -----------------===//
#include "Trust.h"
#include "Support.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pyaket {

/// fail() when a component of \p Path is a symbolic link that belongs to
/// another user: in a shared directory such as /tmp, its owner would choose
/// where the app installs.
static void checkLinkOwners(const char *Path) {
  for (const char *Slash = strchr(Path + 1, '/');; Slash = strchr(Slash + 1, '/')) {
    char *Prefix = Slash ? strndup(Path, size_t(Slash - Path)) : strdup(Path);
    struct stat Status;
    if (Prefix && lstat(Prefix, &Status) == 0 && S_ISLNK(Status.st_mode) &&
        Status.st_uid != geteuid() && Status.st_uid != 0)
      fail("%s is a symbolic link that belongs to another user (uid %u), who could choose "
           "where the app installs: set WORKSPACE to a directory of your own", Prefix,
           unsigned(Status.st_uid));
    free(Prefix);
    if (!Slash)
      return;
  }
}

char *resolveInstallRoot(const char *Root) {
  checkLinkOwners(Root);
  char *Real = realpath(Root, nullptr);
  if (Real)
    return Real;
  if (errno != ENOENT)
    fail("cannot use the install directory %s: %s; %s", Root, strerror(errno), hintFor(errno));
  // The deepest part that exists, resolved; the rest is created later.
  char *Existing = strdup(Root);
  char *Slash;
  while (!Real && (Slash = strrchr(Existing, '/'))) {
    *Slash = '\0';
    Real = realpath(*Existing ? Existing : "/", nullptr);
    if (!Real && errno != ENOENT)
      fail("cannot use the install directory %s: %s; %s", Root, strerror(errno), hintFor(errno));
  }
  if (!Real)
    fail("cannot use the install directory %s; set WORKSPACE to an absolute path", Root);
  const char *Missing = Root + strlen(Existing);
  for (const char *Part = Missing; *Part;) {
    while (*Part == '/')
      ++Part;
    size_t Length = strcspn(Part, "/");
    if ((Length == 1 && Part[0] == '.') || (Length == 2 && Part[0] == '.' && Part[1] == '.'))
      fail("the install directory %s has '.' or '..' after a directory that does not exist: "
           "set WORKSPACE to a plain path", Root);
    Part += Length;
  }
  return formatString("%s%s", strcmp(Real, "/") == 0 ? "" : Real, Missing);
}

/// fail() unless the open directory \p Fd is the user's or root's and
/// writable by nobody else (or sticky, when \p StickyAllowed).
static void checkDirectory(int Fd, const char *Shown, bool StickyAllowed) {
  struct stat Status;
  if (fstat(Fd, &Status) != 0)
    fail("cannot check %s: %s", Shown, strerror(errno));
  if (Status.st_uid != geteuid() && Status.st_uid != 0)
    fail("%s belongs to another user (uid %u), who could change what the app runs: set "
         "WORKSPACE to a directory of your own", Shown, unsigned(Status.st_uid));
  if ((Status.st_mode & 022) && !(StickyAllowed && (Status.st_mode & S_ISVTX)))
    fail("%s is writable by other users, who could change what the app runs: run "
         "'chmod go-w %s', or set WORKSPACE to a private directory", Shown, Shown);
}

int openTrustedDirectory(const char *Dir, size_t RootLength, bool Create) {
  int Fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (Fd < 0)
    fail("cannot open /: %s", strerror(errno));
  checkDirectory(Fd, "/", true);
  for (size_t At = 0;;) {
    while (Dir[At] == '/')
      ++At;
    if (!Dir[At])
      return Fd;
    size_t End = At + strcspn(Dir + At, "/");
    char *Name = strndup(Dir + At, End - At);
    char *Shown = strndup(Dir, End);
    if (!Name || !Shown)
      fail("out of memory");
    if (Create && mkdirat(Fd, Name, 0700) != 0 && errno != EEXIST)
      fail("cannot create directory %s: %s; %s", Shown, strerror(errno), hintFor(errno));
    int Next = openat(Fd, Name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int Error = errno;
    close(Fd);
    if (Next < 0 && Error == ENOENT && !Create) {
      free(Name);
      free(Shown);
      errno = ENOENT;
      return -1;
    }
    if (Next < 0 && (Error == ELOOP || Error == ENOTDIR))
      fail("%s is a symbolic link or not a directory, which the install tree may not hold: "
           "remove it, or set WORKSPACE to another directory", Shown);
    if (Next < 0)
      fail("cannot open %s: %s; %s", Shown, strerror(Error), hintFor(Error));
    checkDirectory(Next, Shown, End <= RootLength);
    free(Name);
    free(Shown);
    Fd = Next;
    At = End;
  }
}

/// Whether \p Status is of a regular file that only the user (or root) can change.
static bool isPrivateFile(const struct stat &Status) {
  return S_ISREG(Status.st_mode) && (Status.st_uid == geteuid() || Status.st_uid == 0) &&
         !(Status.st_mode & 022);
}

int openPrivateFile(int DirFd, const char *Name, const char *Shown, int Flags) {
  int Fd = openat(DirFd, Name, Flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
  if (Fd < 0 && errno == ELOOP)
    fail("%s is a symbolic link: remove it", Shown);
  if (Fd < 0)
    fail("cannot open %s: %s; %s", Shown, strerror(errno), hintFor(errno));
  struct stat Status;
  if (fstat(Fd, &Status) != 0 || !isPrivateFile(Status) || Status.st_nlink != 1)
    fail("%s is not a file the launcher wrote (another kind of file, another user's, writable "
         "by others or linked elsewhere): remove it", Shown);
  return Fd;
}

bool isTrustedFile(int DirFd, const char *Name, const char *Shown) {
  struct stat Status;
  if (fstatat(DirFd, Name, &Status, AT_SYMLINK_NOFOLLOW) != 0)
    return false;
  if (!isPrivateFile(Status))
    fail("%s is not a file the launcher wrote (a link, another user's or writable by others): "
         "remove it", Shown);
  return true;
}

} // namespace pyaket
