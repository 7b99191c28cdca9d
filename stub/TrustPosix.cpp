//===- TrustPosix.cpp - which directories the launcher may use, on Linux --===//
#include "Trust.h"
#include "Support.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pyaket {

/// Whether \p Owner is the user (the effective uid) or root: the only owners
/// whose files and directories the launcher trusts.
static bool isOwnedByUserOrRoot(uid_t Owner) { return Owner == geteuid() || Owner == 0; }

/// fail() unless the symbolic link \p Link (with \p Status) is the user's
/// or root's: in a shared directory such as /tmp, another user's link would
/// let its owner choose where the app installs.
static void checkLinkOwner(const char *Link, const struct stat &Status) {
  if (!isOwnedByUserOrRoot(Status.st_uid))
    fail("%s is a symbolic link that belongs to another user (uid %u), who could choose where "
         "the app installs: set WORKSPACE to a directory of your own", Link,
         unsigned(Status.st_uid));
}

char *resolveInstallRoot(const char *Root) {
  // As realpath(3), one component at a time, so that every link on the way,
  // those inside the targets of other links included, has its owner checked.
  char *Resolved = formatString("%s", "");
  char *Rest = formatString("%s", Root);
  for (int Links = 0; *Rest;) {
    size_t Length = strcspn(Rest, "/");
    char *Name = strndup(Rest, Length);
    Rest += Length + (Rest[Length] == '/');
    if (!Name)
      fail("out of memory");
    if (!*Name || strcmp(Name, ".") == 0)
      continue;
    if (strcmp(Name, "..") == 0) {
      char *Slash = strrchr(Resolved, '/');
      if (Slash)
        *Slash = '\0';
      continue;
    }
    char *Next = formatString("%s/%s", Resolved, Name);
    struct stat Status;
    if (lstat(Next, &Status) != 0) {
      if (errno != ENOENT)
        fail("cannot use the install directory %s: %s; %s", Root, strerror(errno),
             hintFor(errno));
      // The rest does not exist yet: it is created later, as plain names.
      for (const char *Part = Rest; *Part; Part += strcspn(Part, "/"), Part += *Part == '/')
        if (strncmp(Part, "./", 2) == 0 || strcmp(Part, ".") == 0 ||
            strncmp(Part, "../", 3) == 0 || strcmp(Part, "..") == 0)
          fail("the install directory %s has '.' or '..' after a directory that does not "
               "exist: set WORKSPACE to a plain path", Root);
      return formatString("%s%s%s", Next, *Rest ? "/" : "", Rest);
    }
    if (!S_ISLNK(Status.st_mode)) {
      Resolved = Next;
      continue;
    }
    checkLinkOwner(Next, Status);
    char Target[4096];
    ssize_t Got = readlink(Next, Target, sizeof(Target) - 1);
    if (Got <= 0 || ++Links > 40)
      fail("cannot follow the link %s on the way to the install directory: set WORKSPACE to a "
           "plain path", Next);
    Target[Got] = '\0';
    if (Target[0] == '/')
      Resolved = formatString("%s", "");
    Rest = formatString("%s/%s", Target, Rest);
  }
  return *Resolved ? Resolved : formatString("/");
}

/// fail() unless the open directory \p Fd is the user's or root's and
/// writable by nobody else (or sticky, when \p StickyAllowed).
static void checkDirectory(int Fd, const char *Shown, bool StickyAllowed) {
  struct stat Status;
  if (fstat(Fd, &Status) != 0)
    fail("cannot check %s: %s", Shown, strerror(errno));
  if (!isOwnedByUserOrRoot(Status.st_uid))
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
  return S_ISREG(Status.st_mode) && isOwnedByUserOrRoot(Status.st_uid) && !(Status.st_mode & 022);
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

bool isTrustedFile(int DirFd, const char *Name, const char *Shown, unsigned long long &Size) {
  struct stat Status;
  if (fstatat(DirFd, Name, &Status, AT_SYMLINK_NOFOLLOW) != 0)
    return false;
  if (!isPrivateFile(Status))
    fail("%s is not a file the launcher wrote (a link, another user's or writable by others): "
         "remove it", Shown);
  Size = (unsigned long long)Status.st_size;
  return true;
}

FILE *openTrustedDotEnvFile(const char *Name) {
  int Fd = open(Name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
  if (Fd < 0 && errno == ELOOP)
    fprintf(stderr, "pyaket: ignoring %s: a symbolic link\n", Name);
  struct stat Status;
  if (Fd < 0 || fstat(Fd, &Status) != 0) {
    if (Fd >= 0)
      close(Fd);
    return nullptr;
  }
  const char *Problem = !S_ISREG(Status.st_mode)               ? "not a file"
                        : !isOwnedByUserOrRoot(Status.st_uid) ? "another user's"
                        : (Status.st_mode & 022)              ? "writable by others"
                        : Status.st_size > MaxDotEnvSize      ? "larger than 1 MB"
                                                              : nullptr;
  FILE *File = Problem ? nullptr : fdopen(Fd, "r");
  if (!File) {
    close(Fd);
    if (Problem)
      fprintf(stderr, "pyaket: ignoring %s: %s\n", Name, Problem);
  }
  return File;
}

bool isWorkingDirectoryPrivate() {
  // Others may not replace files in it, unless a sticky bit stops them.
  struct stat Dir;
  return stat(".", &Dir) == 0 && isOwnedByUserOrRoot(Dir.st_uid) &&
         (!(Dir.st_mode & 022) || (Dir.st_mode & S_ISVTX));
}

} // namespace pyaket
