//===- PlatformPosix.cpp - the launcher on Linux (static musl) ------------===//
#include "Payload.h"
#include "Platform.h"
#include "Support.h"

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

// The payload sections: the linker defines their bounds (PayloadFormat.h).
extern "C" const unsigned char __start_pyaket_config[], __stop_pyaket_config[];
extern "C" const unsigned char __start_pyaket_uv[], __stop_pyaket_uv[];
extern "C" const unsigned char __start_pyaket_wheels[], __stop_pyaket_wheels[];

namespace pyaket {

const char VenvPython[] = "bin/python", VenvWindowedPython[] = "bin/python", VenvScripts[] = "bin",
           UvProgram[] = "uv";
const char PathListSeparator = ':';
const size_t MaxPathLength = PATH_MAX, MaxProgramPathLength = PATH_MAX;
const int WorkingDirectory = AT_FDCWD;

void startPlatform(int &, char **&) {}

void showFailure(const char *, const char *) {}

char *executablePath() {
  char *Path = realpath("/proc/self/exe", nullptr);
  if (!Path)
    fail("cannot find this executable's path (/proc/self/exe): %s", strerror(errno));
  return Path;
}

void checkExecutableComplete() {
  // open + fstat rather than stat: qemu-user answers an open of
  // /proc/self/exe with the emulated program, a stat with qemu itself.
  struct stat Status;
  int Fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (Fd < 0 || fstat(Fd, &Status) != 0)
    fail("cannot read this executable (/proc/self/exe): %s", strerror(errno));
  close(Fd);
  const Elf64_Phdr *Headers = reinterpret_cast<const Elf64_Phdr *>(getauxval(AT_PHDR));
  size_t Count = getauxval(AT_PHNUM);
  uint64_t End = 0;
  for (size_t I = 0; Headers && I < Count; ++I)
    if (Headers[I].p_type == PT_LOAD && Headers[I].p_offset + Headers[I].p_filesz > End)
      End = Headers[I].p_offset + Headers[I].p_filesz;
  if (uint64_t(Status.st_size) < End)
    fail("this executable is truncated (%lld of %llu bytes): %s", (long long)Status.st_size,
         (unsigned long long)End, RebuildHint);
}

void payloadSection(PayloadKind Kind, const unsigned char *&Data, size_t &Size) {
  const unsigned char *Bounds[][2] = {{__start_pyaket_config, __stop_pyaket_config},
                                      {__start_pyaket_uv, __stop_pyaket_uv},
                                      {__start_pyaket_wheels, __stop_pyaket_wheels}};
  Data = Bounds[int(Kind)][0];
  Size = size_t(Bounds[int(Kind)][1] - Data);
}

char *requestedInstallRoot(const Config &C) {
  const char *Workspace = readEnvironment("WORKSPACE");
  const char *Data = readEnvironment("XDG_DATA_HOME");
  const char *Home = readEnvironment("HOME");
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

double monotonicSeconds() {
  struct timespec Now;
  clock_gettime(CLOCK_MONOTONIC, &Now);
  return double(Now.tv_sec) + double(Now.tv_nsec) / 1e9;
}

void sleepMilliseconds(int Milliseconds) {
  struct timespec Pause = {Milliseconds / 1000, (Milliseconds % 1000) * 1000 * 1000};
  nanosleep(&Pause, nullptr);
}

int currentProcessId() { return int(getpid()); }

int openTempFile(const char *Target, char *&Temp) {
  Temp = formatString("%s.tmp.XXXXXX", Target);
  int Fd = mkostemp(Temp, O_CLOEXEC); // O_EXCL: never through a planted link
  if (Fd < 0)
    fail("cannot write %s: %s; %s", Target, strerror(errno), hintFor(errno));
  return Fd;
}

void syncParentDirectory(const char *File) {
  char *Dir = strdup(File);
  char *Slash = Dir ? strrchr(Dir, '/') : nullptr;
  if (!Slash)
    return;
  *Slash = '\0';
  int Fd = open(*Dir ? Dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (Fd >= 0) {
    fsync(Fd);
    close(Fd);
  }
  free(Dir);
}

void commitTempFile(int Fd, const char *Temp, const char *Target, int Mode) {
  bool Ok = fchmod(Fd, mode_t(Mode)) == 0 && fsync(Fd) == 0;
  int Error = errno;
  Ok = close(Fd) == 0 && Ok;
  if (!Ok || rename(Temp, Target) != 0) {
    Error = Ok ? errno : Error;
    unlink(Temp);
    fail("cannot write %s: %s; %s", Target, strerror(Error), hintFor(Error));
  }
  syncParentDirectory(Target);
}

static int removeEntry(const char *Name, const struct stat *, int, struct FTW *) {
  return remove(Name);
}

bool removeTree(const char *Dir) {
  // FTW_PHYS: a symbolic link is removed, never followed.
  return nftw(Dir, removeEntry, 16, FTW_DEPTH | FTW_PHYS) == 0 || errno == ENOENT;
}

int createNewFile(const char *Path) {
  return open(Path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
}

char *makeTemporaryDirectory(const char *Parent, const char *Prefix) {
  char *Dir = formatString("%s/%sXXXXXX", Parent, Prefix);
  if (!mkdtemp(Dir))
    fail("cannot create a temporary directory in %s: %s; %s", Parent, strerror(errno),
         hintFor(errno));
  return Dir;
}

bool readSmallFileAt(int DirFd, const char *Name, char *Text, size_t Capacity,
                     uint64_t *Written) {
  int Fd = openat(DirFd, Name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (Fd < 0)
    return false;
  // Anything but a regular file is none (a FIFO's read would block).
  struct stat Status;
  ssize_t Got = fstat(Fd, &Status) == 0 && S_ISREG(Status.st_mode) ? read(Fd, Text, Capacity - 1)
                                                                  : -1;
  close(Fd);
  Text[Got > 0 ? Got : 0] = '\0';
  if (Written && Got > 0)
    *Written = uint64_t(Status.st_mtim.tv_sec) * 1000000000 + uint64_t(Status.st_mtim.tv_nsec);
  return Got > 0;
}

int openDirectoryAt(int DirFd, const char *Name) {
  return openat(DirFd, Name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

void closeDirectory(int DirFd) { close(DirFd); }

bool removeFileAt(int DirFd, const char *Name) { return unlinkat(DirFd, Name, 0) == 0; }

bool tryLock(int Fd, bool Exclusive) {
  while (flock(Fd, (Exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0)
    if (errno != EINTR)
      return false;
  return true;
}

void inheritByChildren(int Fd) { fcntl(Fd, F_SETFD, 0); }

struct Listing {
  DIR *Stream;
};

Listing *openListing(int DirFd, const char *Name) {
  int Fd = openDirectoryAt(DirFd, Name);
  DIR *Stream = Fd >= 0 ? fdopendir(Fd) : nullptr;
  if (Fd >= 0 && !Stream)
    close(Fd);
  if (!Stream)
    return nullptr;
  Listing *L = static_cast<Listing *>(allocate(sizeof(Listing)));
  L->Stream = Stream;
  return L;
}

int listingDirectory(Listing *L) { return dirfd(L->Stream); }

const char *nextEntry(Listing *L) {
  while (struct dirent *Entry = readdir(L->Stream))
    if (strcmp(Entry->d_name, ".") && strcmp(Entry->d_name, ".."))
      return Entry->d_name;
  return nullptr;
}

void rewindListing(Listing *L) { rewinddir(L->Stream); }

void closeListing(Listing *L) {
  closedir(L->Stream);
  free(L);
}

EntryType entryType(const char *Path) {
  struct stat Status;
  if (lstat(Path, &Status) != 0)
    return EntryType::Missing;
  return S_ISREG(Status.st_mode)   ? EntryType::File
         : S_ISDIR(Status.st_mode) ? EntryType::Directory
         : S_ISLNK(Status.st_mode) ? EntryType::Link
                                   : EntryType::Other;
}

bool pathExists(const char *Path) {
  struct stat Status;
  return stat(Path, &Status) == 0;
}

bool isProgram(const char *Path) {
  struct stat Status;
  return stat(Path, &Status) == 0 && S_ISREG(Status.st_mode) && access(Path, X_OK) == 0;
}

bool isDiskFull(const char *Dir) {
  struct statvfs Status;
  return statvfs(Dir, &Status) == 0 &&
         (uint64_t(Status.f_bavail) * Status.f_frsize < 1024 * 1024 ||
          (Status.f_files && Status.f_favail == 0));
}

void publishLink(const char *Link, const char *Target) {
  char *Temp = formatString("%s.tmp.%d", Link, int(getpid()));
  unlink(Temp);
  if (symlink(Target, Temp) != 0 || rename(Temp, Link) != 0)
    unlink(Temp);
}

char **environmentEntries() { return environ; }

const char *readEnvironment(const char *Name) { return getenv(Name); }

void setEnvironment(const char *Name, const char *Value) { setenv(Name, Value, 1); }

void unsetEnvironment(const char *Name) { unsetenv(Name); }

/// The last non-empty line that \p Fd gives until its end.
static char *readLastLine(int Fd) {
  char Output[4096], Last[4096] = "";
  for (ssize_t Got; (Got = read(Fd, Output, sizeof(Output) - 1)) != 0;) {
    if (Got < 0 && errno == EINTR)
      continue;
    if (Got < 0)
      break;
    Output[Got] = '\0';
    for (char *Line = strtok(Output, "\n"); Line; Line = strtok(nullptr, "\n"))
      snprintf(Last, sizeof(Last), "%s", Line);
  }
  return formatString("%s", Last);
}

ChildEnd runChild(const char *Program, const char *const *Argv, char **Env, int OutputFd) {
  ChildEnd End;
  int Pipe[2] = {-1, -1};
  if (OutputFd < 0 && pipe(Pipe) != 0) {
    End.StartError = errno;
    return End;
  }
  int Output = OutputFd >= 0 ? OutputFd : Pipe[1];
  posix_spawn_file_actions_t Actions;
  posix_spawn_file_actions_init(&Actions);
  posix_spawn_file_actions_adddup2(&Actions, Output, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&Actions, Output, STDERR_FILENO);
  // What it makes must pass the launcher's own checks (nobody else may
  // write it) whatever the user's umask (002 with user-private groups).
  mode_t UserMask = umask(022);
  umask(UserMask | 022);
  pid_t Child;
  End.StartError = posix_spawn(&Child, Program, &Actions, nullptr, const_cast<char **>(Argv), Env);
  umask(UserMask);
  posix_spawn_file_actions_destroy(&Actions);
  if (Pipe[1] >= 0)
    close(Pipe[1]);
  if (!End.StartError && Pipe[0] >= 0)
    End.LastLine = readLastLine(Pipe[0]);
  if (Pipe[0] >= 0)
    close(Pipe[0]);
  if (End.StartError)
    return End;
  int Status;
  while (waitpid(Child, &Status, 0) < 0)
    if (errno != EINTR)
      fail("lost track of %s: %s", Program, strerror(errno));
  End.Killed = WIFSIGNALED(Status);
  End.Code = End.Killed ? WTERMSIG(Status) : WEXITSTATUS(Status);
  return End;
}

void runApp(char **Argv, char **Env, bool SearchPath, int HeldFd) {
  if (HeldFd >= 0)
    inheritByChildren(HeldFd);
  if (SearchPath)
    execvp(Argv[0], Argv);
  else
    execve(Argv[0], Argv, Env ? Env : environ);
}

} // namespace pyaket
