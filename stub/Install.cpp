//===- Install.cpp - the app's venv: where it is, making it ---------------===//
#include "Install.h"
#include "Trust.h"
#include "Uv.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

namespace pyaket {

/// The install root as asked for, absolute but not yet resolved.
static char *requestedRoot(const Config &C) {
  const char *Workspace = getenv("WORKSPACE");
  const char *Data = getenv("XDG_DATA_HOME");
  const char *Home = getenv("HOME");
  if (Workspace && *Workspace == '/')
    return formatString("%s", Workspace);
  if (Workspace && *Workspace) {
    char *Cwd = getcwd(nullptr, 0); // the venv's paths must not depend on the cwd
    if (!Cwd)
      fail("cannot find the working directory for the relative WORKSPACE %s: %s", Workspace,
           strerror(errno));
    return formatString("%s/%s", Cwd, Workspace);
  }
  if (Data && *Data == '/')
    return formatString("%s/%s", Data, C.Vendor);
  if (Home && *Home == '/')
    return formatString("%s/.local/share/%s", Home, C.Vendor);
  if (Home && *Home)
    fail("HOME is a relative path (%s): set HOME to an absolute path, or WORKSPACE to where %s "
         "may install", Home, C.Name);
  fail("neither WORKSPACE, XDG_DATA_HOME nor HOME is set: set WORKSPACE to where %s may install",
       C.Name);
}

InstallPaths installPaths(const Config &C) {
  InstallPaths P;
  P.Exe = realpath("/proc/self/exe", nullptr);
  if (!P.Exe)
    fail("cannot find this executable's path (/proc/self/exe): %s", strerror(errno));
  char *Requested = requestedRoot(C);
  // Paths go to uv and into the venv's scripts one line each.
  for (const char *Char = Requested; *Char; ++Char)
    if ((unsigned char)*Char < 0x20 || *Char == 0x7f)
      fail("the install directory %s holds a control character (a line break?): set WORKSPACE "
           "to a plain path", Requested);
  size_t Longest = strlen(Requested) + strlen(C.Common) + strlen(C.Versions) +
                   2 * strlen(C.Version) + strlen(C.BuildId) + 200; // + the venv's own paths
  if (Longest > PATH_MAX)
    fail("the install directory %.60s... is %zu bytes long: the venv's paths would pass the "
         "system's limit of %d; set WORKSPACE to a shorter directory", Requested,
         strlen(Requested), PATH_MAX);
  P.Root = resolveInstallRoot(Requested);
  P.RootLength = strlen(P.Root);
  P.Common = formatString("%s/%s", P.Root, C.Common);
  P.Versions = formatString("%s/%s", P.Common, C.Versions);
  P.BuildName = formatString("%s@%s", C.Version, C.BuildId);
  P.Build = formatString("%s/%s", P.Versions, P.BuildName);
  P.Published = formatString("%s/%s", P.Versions, C.Version);
  P.Marker = formatString("%s/.pyaket-installed", P.Build);
  P.Python = formatString("%s/bin/python", P.Build);
  P.UvDir = formatString("%s/uv/%s", P.Common, C.UvHash);
  P.Uv = formatString("%s/uv", P.UvDir);
  P.Cache = formatString("%s/cache", P.Common);
  P.Pythons = formatString("%s/python", P.Common);
  P.Temp = formatString("%s/tmp", P.Common);
  P.Lock = formatString("%s/install.lock", P.Common);
  P.Log = formatString("%s/install.log", P.Common);
  return P;
}

/// Whether the open build directory's marker holds this build's id.
static bool hasMarker(int BuildFd, const Config &C) {
  // Anything but a regular file is no marker (a FIFO's read would block).
  int Fd = openat(BuildFd, ".pyaket-installed", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (Fd < 0)
    return false;
  struct stat Status;
  char Text[128];
  ssize_t Got = fstat(Fd, &Status) == 0 && S_ISREG(Status.st_mode)
                    ? read(Fd, Text, sizeof(Text) - 1)
                    : -1;
  close(Fd);
  size_t IdLength = strlen(C.BuildId);
  return Got == ssize_t(IdLength + 1) && memcmp(Text, C.BuildId, IdLength) == 0 &&
         Text[IdLength] == '\n';
}

int openInstalledBuild(const InstallPaths &P, const Config &C) {
  int Build = openTrustedDirectory(P.Build, P.RootLength, /*Create=*/false);
  if (Build < 0)
    return -1;
  // A collector holding it exclusively is about to remove it.
  if (flock(Build, LOCK_SH | LOCK_NB) != 0 || !hasMarker(Build, C)) {
    close(Build);
    return -1;
  }
  return Build;
}

static double secondsSince(const struct timespec &Start) {
  struct timespec Now;
  clock_gettime(CLOCK_MONOTONIC, &Now);
  return double(Now.tv_sec - Start.tv_sec) + double(Now.tv_nsec - Start.tv_nsec) / 1e9;
}

/// The pid that the lock's holder wrote into it, or "unknown".
static char *lockHolder(int Fd) {
  char Text[32];
  ssize_t Got = pread(Fd, Text, sizeof(Text) - 1, 0);
  Text[Got > 0 ? Got : 0] = '\0';
  Text[strcspn(Text, "\n")] = '\0';
  return formatString("%s", *Text ? Text : "unknown");
}

int lockInstall(const InstallPaths &P, const Config &C) {
  close(openTrustedDirectory(P.Versions, P.RootLength, /*Create=*/true));
  int Common = openTrustedDirectory(P.Common, P.RootLength, /*Create=*/false);
  int Fd = openPrivateFile(Common, "install.lock", P.Lock, O_RDWR | O_CREAT);
  close(Common);
  const char *TimeoutText = getenv("PYAKET_LOCK_TIMEOUT");
  double Timeout = TimeoutText && *TimeoutText ? strtod(TimeoutText, nullptr) : 600;
  struct timespec Start;
  clock_gettime(CLOCK_MONOTONIC, &Start);
  bool Told = false;
  while (flock(Fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR)
      fail("cannot lock %s: %s", P.Lock, strerror(errno));
    double Waited = secondsSince(Start);
    if (Waited >= Timeout)
      fail("gave up after %.0f s waiting for another run (pid %s) to finish installing into %s: "
           "let it finish, or set PYAKET_LOCK_TIMEOUT=SECONDS to wait longer", Waited,
           lockHolder(Fd), P.Common);
    if (Waited >= 1 && !Told) {
      fprintf(stderr, "%s: waiting for another run (pid %s) to finish installing into %s (up to "
              "%.0f s; PYAKET_LOCK_TIMEOUT changes it)\n", C.Name, lockHolder(Fd), P.Common,
              Timeout);
      Told = true;
    }
    struct timespec Pause = {0, 50 * 1000 * 1000};
    nanosleep(&Pause, nullptr);
  }
  // For the waiting message of others; without it they say "pid unknown".
  char Pid[32];
  int Length = snprintf(Pid, sizeof(Pid), "%d\n", int(getpid()));
  if (ftruncate(Fd, 0) == 0)
    (void)!pwrite(Fd, Pid, size_t(Length), 0);
  return Fd;
}

void unlockInstall(int LockFd) {
  (void)!ftruncate(LockFd, 0);
  close(LockFd);
}

/// Opens the directory \p Name in \p ParentFd unless it is a link.
static DIR *openRealDirectory(int ParentFd, const char *Name) {
  int Fd = openat(ParentFd, Name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  DIR *Stream = Fd >= 0 ? fdopendir(Fd) : nullptr;
  if (Fd >= 0 && !Stream)
    close(Fd);
  return Stream;
}

static bool isEntry(const char *Name) { return strcmp(Name, ".") && strcmp(Name, ".."); }

/// Unlinks the files (and links) of \p Dir that a killed run left half-written.
static void removeTemporaryFiles(DIR *Dir) {
  while (struct dirent *Entry = readdir(Dir))
    if (strstr(Entry->d_name, ".tmp."))
      unlinkat(dirfd(Dir), Entry->d_name, 0);
  closedir(Dir);
}

/// What killed runs left: uv extractions, wheel directories, half-written
/// links. Only an install makes them, and it holds the lock.
static void removeStaleTemporaries(const InstallPaths &P) {
  removeTree(P.Temp);
  if (DIR *Versions = openRealDirectory(AT_FDCWD, P.Versions))
    removeTemporaryFiles(Versions);
  char *UvRoot = formatString("%s/uv", P.Common);
  DIR *Hashes = openRealDirectory(AT_FDCWD, UvRoot);
  while (struct dirent *Entry = Hashes ? readdir(Hashes) : nullptr)
    if (isEntry(Entry->d_name))
      if (DIR *Hash = openRealDirectory(dirfd(Hashes), Entry->d_name))
        removeTemporaryFiles(Hash);
  if (Hashes)
    closedir(Hashes);
}

/// Removes the build directory \p Dir, open as \p DirFd, its marker first:
/// a removal cut short leaves a build that the next run makes again, never
/// one that looks installed.
static bool removeBuild(int DirFd, const char *Dir) {
  if (unlinkat(DirFd, ".pyaket-installed", 0) != 0 && errno != ENOENT)
    return false;
  return removeTree(Dir);
}

/// Whether \p Name is the directory of a build of this version.
static bool isBuildOf(const char *Name, const Config &C) {
  size_t Length = strlen(C.Version);
  return strncmp(Name, C.Version, Length) == 0 && Name[Length] == '@' && !strstr(Name, ".tmp.");
}

/// The build of this version, but \p Except, that was installed last: kept,
/// so that switching between two builds does not reinstall each time.
static char *lastOtherBuild(DIR *Versions, const Config &C, const char *Except) {
  char *Last = nullptr;
  struct timespec LastTime = {0, 0};
  while (struct dirent *Entry = readdir(Versions)) {
    struct stat Marker;
    char *Name = Entry->d_name;
    if (!isBuildOf(Name, C) || strcmp(Name, Except) == 0 ||
        fstatat(dirfd(Versions), formatString("%s/.pyaket-installed", Name), &Marker,
                AT_SYMLINK_NOFOLLOW) != 0)
      continue;
    if (!Last || Marker.st_mtim.tv_sec > LastTime.tv_sec ||
        (Marker.st_mtim.tv_sec == LastTime.tv_sec && Marker.st_mtim.tv_nsec > LastTime.tv_nsec)) {
      Last = formatString("%s", Name);
      LastTime = Marker.st_mtim;
    }
  }
  rewinddir(Versions);
  return Last;
}

/// Removes the builds of this version that no running process holds: after
/// an install, all but this one (\p Keep) and the one installed before it;
/// for `self clean` (no \p Keep), all of them, saying what it removed and
/// what it kept.
static void collectBuilds(const InstallPaths &P, const Config &C, const char *Keep) {
  DIR *Stream = openRealDirectory(AT_FDCWD, P.Versions);
  if (!Stream)
    return;
  const char *Previous = Keep ? lastOtherBuild(Stream, C, Keep) : nullptr;
  while (struct dirent *Entry = readdir(Stream)) {
    const char *Name = Entry->d_name;
    if (!isBuildOf(Name, C) || (Keep && strcmp(Name, Keep) == 0) ||
        (Previous && strcmp(Name, Previous) == 0))
      continue;
    char *Path = formatString("%s/%s", P.Versions, Name);
    int Fd = openat(dirfd(Stream), Name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    bool Free = Fd >= 0 && flock(Fd, LOCK_EX | LOCK_NB) == 0;
    if (Fd < 0 || Free) {
      // Not a directory (a link?): removed itself, never followed.
      bool Removed = Fd < 0 ? removeTree(Path) : removeBuild(Fd, Path);
      if (!Keep)
        printf(Removed ? "removed %s\n" : "cannot remove %s\n", Path);
    } else if (!Keep) {
      printf("kept %s: a running process uses it\n", Path);
    }
    if (Fd >= 0)
      close(Fd);
  }
  closedir(Stream);
}

/// Points <versions>/<version> at this build: a convenience for people, so
/// best effort. A real directory there is an older launcher's venv.
static void publishBuild(const InstallPaths &P) {
  char *Temp = formatString("%s.tmp.%d", P.Published, int(getpid()));
  unlink(Temp);
  struct stat Status;
  if (lstat(P.Published, &Status) == 0 && S_ISDIR(Status.st_mode))
    removeTree(P.Published);
  if (symlink(P.BuildName, Temp) != 0 || rename(Temp, P.Published) != 0)
    unlink(Temp);
}

/// A fresh private directory for the bundled wheels.
static char *makeWheelDirectory(const InstallPaths &P) {
  close(openTrustedDirectory(P.Temp, P.RootLength, /*Create=*/true));
  char *Dir = formatString("%s/wheels.XXXXXX", P.Temp);
  if (!mkdtemp(Dir))
    fail("cannot create a temporary directory in %s: %s; %s", P.Temp, strerror(errno),
         hintFor(errno));
  return Dir;
}

static void installPackages(const Config &C, const InstallPaths &P, char **Env, int Log) {
  if (*C.TorchVersion) {
    char *Torch = formatString("torch==%s", C.TorchVersion);
    char *Backend = formatString("--torch-backend=%s", *C.TorchBackend ? C.TorchBackend : "auto");
    const char *Args[] = {"pip", "install", "--python", P.Python, Torch,
                          "torchvision", "torchaudio", Backend, nullptr};
    runUv(P, Env, Args, Log, "installing PyTorch", "check the network and the torch version");
  }

  char *WheelDir = makeWheelDirectory(P);
  int WheelCount = 0;
  const char **Wheels = extractWheels(WheelDir, WheelCount);
  if (WheelCount + C.PyPICount > 0) {
    int Count = 0;
    const char **Args =
        static_cast<const char **>(allocate((size_t(WheelCount + C.PyPICount) + 10) * sizeof(char *)));
    const char *Fixed[] = {"pip", "install", "--python", P.Python, "--find-links", WheelDir};
    for (const char *Arg : Fixed)
      Args[Count++] = Arg;
    if (C.Rolling)
      Args[Count++] = "--upgrade";
    for (int I = 0; I < WheelCount; ++I)
      Args[Count++] = Wheels[I];
    for (int I = 0; I < C.PyPICount; ++I)
      Args[Count++] = C.PyPI[I];
    Args[Count] = nullptr;
    runUv(P, Env, Args, Log, "installing the packages",
          "check the network, or run with UV_OFFLINE=1 when every package is bundled");
  }
  removeTree(WheelDir);
}

/// The install log, emptied: uv's full output, for when one line is not enough.
static int openLog(const InstallPaths &P) {
  int Common = openTrustedDirectory(P.Common, P.RootLength, /*Create=*/false);
  int Fd = openPrivateFile(Common, "install.log", P.Log, O_RDWR | O_CREAT | O_APPEND);
  close(Common);
  if (ftruncate(Fd, 0) != 0)
    fail("cannot write the install log %s: %s; %s", P.Log, strerror(errno), hintFor(errno));
  return Fd;
}

void install(const Config &C, const InstallPaths &P, bool Force) {
  int Lock = lockInstall(P, C);
  removeStaleTemporaries(P);
  // Another run may have installed while this one waited for the lock.
  int Build = openInstalledBuild(P, C);
  bool Ready = Build >= 0 && access(P.Python, X_OK) == 0;
  if (Build >= 0)
    close(Build);
  if (Ready && !Force && !C.Rolling) {
    unlockInstall(Lock);
    return;
  }
  fprintf(stderr, "%s: installing %s %s into %s\n", C.Name, C.Name, C.Version, P.Build);
  close(openTrustedDirectory(P.Cache, P.RootLength, /*Create=*/true));
  close(openTrustedDirectory(P.Pythons, P.RootLength, /*Create=*/true));
  ensureUv(P);
  char **Env = uvEnvironment(P);
  int Log = openLog(P);
  if (!Ready || Force) {
    // Always a fresh directory: whatever a killed run left there goes.
    int Stale = openTrustedDirectory(P.Build, P.RootLength, /*Create=*/false);
    if (Stale >= 0 && !removeBuild(Stale, P.Build))
      fail("cannot remove the unfinished install %s: %s; %s", P.Build, strerror(errno),
           hintFor(errno));
    if (Stale >= 0)
      close(Stale);
    const char *Args[] = {"venv", P.Build, "--python", C.Python, "--no-project", nullptr};
    runUv(P, Env, Args, Log, "creating the venv",
          "install that Python, or allow uv to download it (UV_PYTHON_DOWNLOADS=automatic)");
  }
  installPackages(C, P, Env, Log);
  char *Marker = formatString("%s\n", C.BuildId);
  writeFileAtomically(P.Marker, Marker, strlen(Marker), 0644);
  publishBuild(P);
  collectBuilds(P, C, P.BuildName);
  close(Log);
  unlockInstall(Lock);
}

void cleanInstall(const InstallPaths &P, const Config &C) {
  int Lock = lockInstall(P, C);
  removeStaleTemporaries(P);
  struct stat Status;
  if (lstat(P.Published, &Status) == 0 && removeTree(P.Published))
    printf("removed %s\n", P.Published);
  collectBuilds(P, C, nullptr);
  unlockInstall(Lock);
}

} // namespace pyaket
