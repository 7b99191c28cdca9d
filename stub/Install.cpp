//===- Install.cpp - the app's venv: where it is, making it ---------------===//
#include "Install.h"
#include "Trust.h"
#include "Uv.h"

#include "Platform.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

namespace pyaket {

/// Whether \p Text is valid UTF-8: uv refuses paths that are not.
static bool isUtf8(const char *Text) {
  for (const unsigned char *Byte = reinterpret_cast<const unsigned char *>(Text); *Byte;) {
    int Following = *Byte < 0x80                   ? 0
                    : *Byte >= 0xc2 && *Byte < 0xe0 ? 1
                    : *Byte >= 0xe0 && *Byte < 0xf0 ? 2
                    : *Byte >= 0xf0 && *Byte < 0xf5 ? 3
                                                    : -1;
    if (Following < 0)
      return false;
    for (++Byte; Following > 0; --Following, ++Byte)
      if ((*Byte & 0xc0) != 0x80)
        return false;
  }
  return true;
}

InstallPaths installPaths(const Config &C) {
  InstallPaths P;
  P.Exe = executablePath();
  char *Requested = requestedInstallRoot(C);
  // Paths go to uv and into the venv's scripts one line each.
  for (const char *Char = Requested; *Char; ++Char)
    if ((unsigned char)*Char < 0x20 || *Char == 0x7f)
      fail("the install directory %s holds a control character (a line break?): set WORKSPACE "
           "to a plain path", Requested);
  if (!isUtf8(Requested))
    fail("the install directory %s is not valid UTF-8, which uv cannot use: set WORKSPACE to a "
         "plain path", Requested);
  size_t Longest = strlen(Requested) + strlen(C.Common) + strlen(C.Versions) +
                   2 * strlen(C.Version) + strlen(C.BuildId) + 200; // + the venv's own paths
  if (Longest > MaxPathLength)
    fail("the install directory %.60s... is %zu bytes long: the venv's paths would pass the "
         "system's limit of %zu; set WORKSPACE to a shorter directory", Requested,
         strlen(Requested), MaxPathLength);
  // The venv's python and uv run from there (their paths, once the root resolves).
  size_t Program = strlen(Requested) + strlen(C.Common) + strlen(C.Versions) +
                   strlen(C.Version) + strlen(C.BuildId) + strlen(VenvWindowedPython) + 5;
  if (Program > MaxProgramPathLength)
    fail("the install directory %s is %zu characters long: the venv's python would pass the "
         "system's limit of %zu for a program's path; set WORKSPACE to a shorter directory",
         Requested, strlen(Requested), MaxProgramPathLength);
  P.Root = resolveInstallRoot(Requested);
  P.RootLength = strlen(P.Root);
  P.Common = formatString("%s/%s", P.Root, C.Common);
  P.Versions = formatString("%s/%s", P.Common, C.Versions);
  P.BuildName = formatString("%s@%s", C.Version, C.BuildId);
  P.Build = formatString("%s/%s", P.Versions, P.BuildName);
  P.Published = formatString("%s/%s", P.Versions, C.Version);
  P.Marker = formatString("%s/.pyaket-installed", P.Build);
  P.Python = formatString("%s/%s", P.Build, VenvPython);
  P.AppPython = C.Windowed ? formatString("%s/%s", P.Build, VenvWindowedPython) : P.Python;
  P.UvDir = formatString("%s/uv/%s", P.Common, C.UvHash);
  P.Uv = formatString("%s/%s", P.UvDir, UvProgram);
  P.Cache = formatString("%s/cache", P.Common);
  P.Pythons = formatString("%s/python", P.Common);
  P.Temp = formatString("%s/tmp", P.Common);
  P.Lock = formatString("%s/install.lock", P.Common);
  P.Log = formatString("%s/install.log", P.Common);
  return P;
}

/// The marker of the open build directory \p BuildFd, "<build id>\n<vendor>/
/// <name>\n", NUL-terminated in \p Text, and the time it was written in
/// \p Written; false when there is none.
static bool readMarker(int BuildFd, char (&Text)[512], uint64_t *Written = nullptr) {
  return readSmallFileAt(BuildFd, ".pyaket-installed", Text, sizeof(Text), Written);
}

/// Whether \p Text starts with the line \p Line.
static bool startsWithLine(const char *Text, const char *Line) {
  size_t Length = strlen(Line);
  return strncmp(Text, Line, Length) == 0 && Text[Length] == '\n';
}

static bool hasMarker(int BuildFd, const Config &C) {
  char Text[512];
  return readMarker(BuildFd, Text) && startsWithLine(Text, C.BuildId);
}

int openInstalledBuild(const InstallPaths &P, const Config &C) {
  int Build = openTrustedDirectory(P.Build, P.RootLength, /*Create=*/false);
  if (Build < 0)
    return -1;
  // A collector holding it exclusively is about to remove it.
  if (!tryLock(Build, /*Exclusive=*/false) || !hasMarker(Build, C)) {
    closeDirectory(Build);
    return -1;
  }
  return Build;
}

/// The pid that the lock's holder wrote into it, or "unknown".
static char *lockHolder(int Fd) {
  char Text[32];
  ssize_t Got = lseek(Fd, 0, SEEK_SET) == 0 ? read(Fd, Text, sizeof(Text) - 1) : -1;
  Text[Got > 0 ? Got : 0] = '\0';
  Text[strcspn(Text, "\n")] = '\0';
  return formatString("%s", *Text ? Text : "unknown");
}

/// How long to wait for another run's install: PYAKET_LOCK_TIMEOUT seconds,
/// else ten minutes.
static double lockTimeout() {
  const char *Text = readEnvironment("PYAKET_LOCK_TIMEOUT");
  if (!Text || !*Text)
    return 600;
  char *End;
  double Seconds = strtod(Text, &End);
  if (*End || !(Seconds >= 0 && Seconds <= 1e9))
    fail("PYAKET_LOCK_TIMEOUT=%s is not a number of seconds: set it to one (e.g. 600), or unset "
         "it", Text);
  return Seconds;
}

int lockInstall(const InstallPaths &P, const Config &C) {
  closeDirectory(openTrustedDirectory(P.Versions, P.RootLength, /*Create=*/true));
  int Common = openTrustedDirectory(P.Common, P.RootLength, /*Create=*/false);
  int Fd = openPrivateFile(Common, "install.lock", P.Lock, O_RDWR | O_CREAT);
  closeDirectory(Common);
  double Timeout = lockTimeout();
  double Start = monotonicSeconds();
  bool Told = false;
  while (!tryLock(Fd, /*Exclusive=*/true)) {
    if (errno != EWOULDBLOCK && errno != EAGAIN)
      fail("cannot lock %s: %s", P.Lock, strerror(errno));
    double Waited = monotonicSeconds() - Start;
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
    sleepMilliseconds(50);
  }
  // For the waiting message of others; without it they say "pid unknown".
  char Pid[32];
  int Length = snprintf(Pid, sizeof(Pid), "%d\n", currentProcessId());
  if (ftruncate(Fd, 0) == 0 && lseek(Fd, 0, SEEK_SET) == 0)
    (void)!write(Fd, Pid, size_t(Length));
  return Fd;
}

void unlockInstall(int LockFd) {
  (void)!ftruncate(LockFd, 0);
  close(LockFd);
}

/// Unlinks the files (and links) of \p Dir that a killed run left half-written.
static void removeTemporaryFiles(Listing *Dir) {
  while (const char *Name = nextEntry(Dir))
    if (strstr(Name, ".tmp."))
      removeFileAt(listingDirectory(Dir), Name);
  closeListing(Dir);
}

/// What killed runs left: uv extractions, wheel directories, half-written
/// links. Only an install makes them, and it holds the lock.
static void removeStaleTemporaries(const InstallPaths &P) {
  removeTree(P.Temp);
  if (Listing *Versions = openListing(WorkingDirectory, P.Versions))
    removeTemporaryFiles(Versions);
  char *UvRoot = formatString("%s/uv", P.Common);
  Listing *Hashes = openListing(WorkingDirectory, UvRoot);
  while (const char *Name = Hashes ? nextEntry(Hashes) : nullptr)
    if (Listing *Hash = openListing(listingDirectory(Hashes), Name))
      removeTemporaryFiles(Hash);
  if (Hashes)
    closeListing(Hashes);
}

/// Removes the build directory \p Dir, open as \p DirFd, its marker first:
/// a removal cut short leaves a build that the next run makes again, never
/// one that looks installed.
static bool removeBuild(int DirFd, const char *Dir) {
  if (!removeFileAt(DirFd, ".pyaket-installed") && errno != ENOENT)
    return false;
  return removeTree(Dir);
}

/// A directory of <versions> that may hold one of this app's builds of this
/// version, open (never through a link) as Fd, with its marker's time.
/// Another app of the same vendor and version has builds beside them.
struct BuildDirectory {
  int Fd = -1;
  uint64_t Installed = 0; // zero when unmarked
};

/// Opens \p Name as one of this app's builds of this version; false when it
/// is not one (another version's, another app's, a temporary file): its
/// name is <version>@<build id> exactly, its marker names this app. A link
/// or a file named like a build is opened as Fd -1: it is removed itself.
static bool openBuildOf(Listing *Versions, const char *Name, const Config &C,
                        BuildDirectory &Build) {
  size_t Length = strlen(C.Version), IdLength = strlen(C.BuildId);
  if (strncmp(Name, C.Version, Length) != 0 || Name[Length] != '@' ||
      strlen(Name + Length + 1) != IdLength ||
      strspn(Name + Length + 1, "0123456789abcdef") != IdLength)
    return false;
  Build = BuildDirectory();
  Build.Fd = openDirectoryAt(listingDirectory(Versions), Name);
  char Text[512];
  uint64_t Written;
  if (Build.Fd < 0 || !readMarker(Build.Fd, Text, &Written))
    return true;
  const char *App = strchr(Text, '\n');
  if (App && App[1] && !startsWithLine(App + 1, formatString("%s/%s", C.Vendor, C.Name))) {
    closeDirectory(Build.Fd);
    return false;
  }
  Build.Installed = Written;
  return true;
}

/// This app's build of this version, but \p Except, that was installed last:
/// kept, so that switching between two builds does not reinstall each time.
static char *lastOtherBuild(Listing *Versions, const Config &C, const char *Except) {
  char *Last = nullptr;
  uint64_t LastTime = 0;
  BuildDirectory Build;
  while (const char *Name = nextEntry(Versions))
    if (strcmp(Name, Except) != 0 && openBuildOf(Versions, Name, C, Build)) {
      if (Build.Installed > LastTime) {
        Last = formatString("%s", Name);
        LastTime = Build.Installed;
      }
      if (Build.Fd >= 0)
        closeDirectory(Build.Fd);
    }
  rewindListing(Versions);
  return Last;
}

/// Removes this app's builds of this version that no running process holds:
/// after an install, all but this one (\p Keep) and the one installed before
/// it; for `self clean` (no \p Keep), all of them, saying what it removed
/// and what it kept.
static void collectBuilds(const InstallPaths &P, const Config &C, const char *Keep) {
  Listing *Versions = openListing(WorkingDirectory, P.Versions);
  if (!Versions)
    return;
  const char *Previous = Keep ? lastOtherBuild(Versions, C, Keep) : nullptr;
  BuildDirectory Build;
  while (const char *Name = nextEntry(Versions)) {
    if ((Keep && strcmp(Name, Keep) == 0) || (Previous && strcmp(Name, Previous) == 0) ||
        !openBuildOf(Versions, Name, C, Build))
      continue;
    char *Path = formatString("%s/%s", P.Versions, Name);
    bool Free = Build.Fd >= 0 && tryLock(Build.Fd, /*Exclusive=*/true);
    if (Build.Fd < 0 || Free) {
      // Not a directory (a link?): removed itself, never followed.
      bool Removed = Build.Fd < 0 ? removeTree(Path) : removeBuild(Build.Fd, Path);
      if (!Keep)
        printf(Removed ? "removed %s\n" : "cannot remove %s\n", Path);
    } else if (!Keep) {
      printf("kept %s: a running process uses it\n", Path);
    }
    if (Build.Fd >= 0)
      closeDirectory(Build.Fd);
  }
  closeListing(Versions);
}

/// Points <versions>/<version> at this build: a convenience for people, so
/// best effort. A real directory there is an older launcher's venv.
static void publishBuild(const InstallPaths &P) {
  if (entryType(P.Published) == EntryType::Directory)
    removeTree(P.Published);
  publishLink(P.Published, P.BuildName);
}

/// The bundled wheels, extracted into a fresh private directory.
struct BundledWheels {
  char *Dir;
  const char **Paths;
  int Count = 0;
};

/// The wheel directory of the install under way, removed when it fails
/// (fail() exits; the install lock is still held then).
static const char *PendingWheelDir;

static void removePendingWheels() {
  if (PendingWheelDir)
    removeTree(PendingWheelDir);
}

static BundledWheels extractBundledWheels(const InstallPaths &P) {
  closeDirectory(openTrustedDirectory(P.Temp, P.RootLength, /*Create=*/true));
  BundledWheels Wheels;
  Wheels.Dir = makeTemporaryDirectory(P.Temp, "wheels.");
  PendingWheelDir = Wheels.Dir;
  atexit(removePendingWheels);
  Wheels.Paths = extractWheels(Wheels.Dir, Wheels.Count);
  return Wheels;
}

static void installPackages(const Config &C, const InstallPaths &P, char **Env, int Log,
                            const BundledWheels &Wheels) {
  if (*C.TorchVersion) {
    char *Torch = formatString("torch==%s", C.TorchVersion);
    char *Backend = formatString("--torch-backend=%s", *C.TorchBackend ? C.TorchBackend : "auto");
    const char *Args[] = {"pip", "install", "--python", P.Python, Torch,
                          "torchvision", "torchaudio", Backend, nullptr};
    runUv(P, Env, Args, Log, "installing PyTorch", "check the network and the torch version");
  }
  if (Wheels.Count + C.PyPICount == 0)
    return;
  int Count = 0;
  const char **Args =
      static_cast<const char **>(allocate((size_t(Wheels.Count + C.PyPICount) + 10) * sizeof(char *)));
  const char *Fixed[] = {"pip", "install", "--python", P.Python, "--find-links", Wheels.Dir};
  for (const char *Arg : Fixed)
    Args[Count++] = Arg;
  if (C.Rolling)
    Args[Count++] = "--upgrade";
  for (int I = 0; I < Wheels.Count; ++I)
    Args[Count++] = Wheels.Paths[I];
  for (int I = 0; I < C.PyPICount; ++I)
    Args[Count++] = C.PyPI[I];
  Args[Count] = nullptr;
  runUv(P, Env, Args, Log, "installing the packages",
        readEnvironment("UV_OFFLINE") ? "a requirement is neither bundled nor in uv's cache: "
                                        "bundle it, or unset UV_OFFLINE to allow the network"
                                      : "check the network, or run with UV_OFFLINE=1 when every "
                                        "package is bundled");
}

/// The install log, emptied: uv's full output, for when one line is not enough.
static int openLog(const InstallPaths &P) {
  int Common = openTrustedDirectory(P.Common, P.RootLength, /*Create=*/false);
  int Fd = openPrivateFile(Common, "install.log", P.Log, O_RDWR | O_CREAT | O_APPEND);
  closeDirectory(Common);
  if (ftruncate(Fd, 0) != 0)
    fail("cannot write the install log %s: %s; %s", P.Log, strerror(errno), hintFor(errno));
  return Fd;
}

int install(const Config &C, const InstallPaths &P, bool Force) {
  int Lock = lockInstall(P, C);
  // uv inherits the lock: if this process is killed, the next run still
  // waits until its uv has ended, instead of racing it in the same venv.
  inheritByChildren(Lock);
  removeStaleTemporaries(P);
  // Another run may have installed while this one waited for the lock.
  int Build = openInstalledBuild(P, C);
  bool Ready = Build >= 0 && isProgram(P.Python);
  if (Ready && !Force && !C.Rolling) {
    unlockInstall(Lock);
    return Build;
  }
  if (Build >= 0)
    closeDirectory(Build);
  // A build that a running app holds is never changed under it: a rolling
  // upgrade waits for a run of its own, a repair for the app to end.
  int Existing = openTrustedDirectory(P.Build, P.RootLength, /*Create=*/false);
  if (Existing >= 0 && !tryLock(Existing, /*Exclusive=*/true)) {
    if (!Ready || Force)
      fail("%s is in use by a running %s, so it cannot be %s now: let it end, then run %s again",
           P.Build, C.Name, Force ? "repaired" : "reinstalled", Force ? "the repair" : C.Name);
    closeDirectory(Existing);
    unlockInstall(Lock);
    return openInstalledBuild(P, C);
  }
  fprintf(stderr, "%s: installing %s %s into %s\n", C.Name, C.Name, C.Version, P.Build);
  closeDirectory(openTrustedDirectory(P.Cache, P.RootLength, /*Create=*/true));
  closeDirectory(openTrustedDirectory(P.Pythons, P.RootLength, /*Create=*/true));
  ensureUv(P);
  // The wheels first: a damaged executable is found before anything is made.
  BundledWheels Wheels = extractBundledWheels(P);
  char **Env = uvEnvironment(P);
  int Log = openLog(P);
  if (!Ready || Force) {
    // Always a fresh directory: whatever a killed run left there goes.
    if (Existing >= 0 && !removeBuild(Existing, P.Build))
      fail("cannot remove the unfinished install %s: %s; %s", P.Build, strerror(errno),
           hintFor(errno));
    const char *Args[] = {"venv", P.Build, "--python", C.Python, "--no-project", nullptr};
    runUv(P, Env, Args, Log, "creating the venv",
          "install that Python, or allow uv to download it (UV_PYTHON_DOWNLOADS=automatic)");
  }
  installPackages(C, P, Env, Log, Wheels);
  removeTree(Wheels.Dir);
  PendingWheelDir = nullptr;
  char *Marker = formatString("%s\n%s/%s\n", C.BuildId, C.Vendor, C.Name);
  writeFileAtomically(P.Marker, Marker, strlen(Marker), 0644);
  publishBuild(P);
  collectBuilds(P, C, P.BuildName);
  close(Log);
  if (Existing >= 0)
    closeDirectory(Existing);
  // Held before the lock goes, so that no other install collects it first.
  Build = openInstalledBuild(P, C);
  unlockInstall(Lock);
  return Build;
}

void cleanInstall(const InstallPaths &P, const Config &C) {
  int Lock = lockInstall(P, C);
  removeStaleTemporaries(P);
  collectBuilds(P, C, nullptr);
  // The link, unless it leads to a build that stays (another app's, or
  // one that runs); a directory there is an older launcher's venv.
  EntryType Published = entryType(P.Published);
  bool Dangling = Published == EntryType::Link && !pathExists(P.Published);
  if ((Published == EntryType::Directory || Dangling) && removeTree(P.Published))
    printf("removed %s\n", P.Published);
  unlockInstall(Lock);
}

} // namespace pyaket
