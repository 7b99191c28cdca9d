//===- Install.cpp - the app's venv: where it is, making it ---------------===//
#include "Install.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace pyaket {

InstallPaths installPaths(const Config &C) {
  InstallPaths P;
  ssize_t Length = readlink("/proc/self/exe", P.Exe.Text, sizeof(P.Exe.Text) - 1);
  if (Length <= 0)
    fail("cannot find this executable's path (/proc/self/exe): %s", strerror(errno));
  P.Exe.Text[Length] = '\0';

  Path Root;
  const char *Workspace = getenv("WORKSPACE");
  const char *Data = getenv("XDG_DATA_HOME");
  const char *Home = getenv("HOME");
  char Cwd[PATH_MAX];
  if (Workspace && *Workspace == '/')
    formatPath(Root, "%s", Workspace);
  else if (Workspace && *Workspace && getcwd(Cwd, sizeof(Cwd)))
    formatPath(Root, "%s/%s", Cwd, Workspace); // the venv's paths must not depend on the cwd
  else if (Data && *Data == '/')
    formatPath(Root, "%s/%s", Data, C.Vendor);
  else if (Home && *Home == '/')
    formatPath(Root, "%s/.local/share/%s", Home, C.Vendor);
  else if (Home && *Home)
    fail("HOME is a relative path (%s): set HOME to an absolute path, or WORKSPACE to where %s "
         "may install", Home, C.Name);
  else
    fail("neither WORKSPACE, XDG_DATA_HOME nor HOME is set: set WORKSPACE to where %s may install",
         C.Name);
  // Paths go to uv and into the venv's scripts one line each.
  for (const char *Char = Root.Text; *Char; ++Char)
    if ((unsigned char)*Char < 0x20 || *Char == 0x7f)
      fail("the install directory %s holds a control character (a line break?): set WORKSPACE "
           "to a plain path", Root.Text);
  formatPath(P.Common, "%s/%s", Root.Text, C.Common);
  formatPath(P.Install, "%s/%s/%s", P.Common.Text, C.Versions, C.Version);
  formatPath(P.Lock, "%s.lock", P.Install.Text);
  formatPath(P.Marker, "%s/.pyaket-installed", P.Install.Text);
  formatPath(P.Python, "%s/bin/python", P.Install.Text);
  formatPath(P.Uv, "%s/uv/%s/uv", P.Common.Text, C.UvHash);
  return P;
}

bool isInstalled(const InstallPaths &P, const Config &C) {
  int Fd = open(P.Marker.Text, O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return false;
  char Text[128];
  ssize_t Got = read(Fd, Text, sizeof(Text) - 1);
  close(Fd);
  size_t IdLength = strlen(C.BuildId);
  return Got == ssize_t(IdLength + 1) && memcmp(Text, C.BuildId, IdLength) == 0 &&
         Text[IdLength] == '\n';
}

int lockInstall(const InstallPaths &P) {
  Path Versions;
  parentDirectory(P.Lock.Text, Versions);
  makeDirectories(Versions.Text);
  int Fd = open(P.Lock.Text, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (Fd < 0)
    fail("cannot open the install lock %s: %s; make it writable or set WORKSPACE", P.Lock.Text,
         strerror(errno));
  while (flock(Fd, LOCK_EX) != 0)
    if (errno != EINTR)
      fail("cannot lock %s: %s", P.Lock.Text, strerror(errno));
  return Fd;
}

void ensureUv(const InstallPaths &P) {
  if (access(P.Uv.Text, X_OK) == 0)
    return;
  Path Dir;
  parentDirectory(P.Uv.Text, Dir);
  makeDirectories(Dir.Text);
  extractUv(P.Uv.Text);
}

/// Inherited uv settings that a user sets on purpose and that keep meaning
/// the same for the launcher's uv: offline use, indexes, TLS, timeouts.
static bool keepsUvSetting(const char *Entry) {
  static const char *const Kept[] = {"UV_OFFLINE=",        "UV_PYTHON_DOWNLOADS=",
                                     "UV_INDEX_URL=",      "UV_EXTRA_INDEX_URL=",
                                     "UV_DEFAULT_INDEX=",  "UV_INDEX=",
                                     "UV_NATIVE_TLS=",     "UV_HTTP_TIMEOUT=",
                                     "UV_FIND_LINKS="};
  for (const char *Prefix : Kept)
    if (strncmp(Entry, Prefix, strlen(Prefix)) == 0)
      return true;
  return false;
}

char **uvEnvironment(const InstallPaths &P) {
  size_t Count = 0;
  while (environ[Count])
    ++Count;
  char **Env = static_cast<char **>(calloc(Count + 5, sizeof(char *)));
  size_t Used = 0;
  for (size_t I = 0; I < Count; ++I) {
    const char *Entry = environ[I];
    bool Drop = (strncmp(Entry, "UV_", 3) == 0 && !keepsUvSetting(Entry)) ||
                strncmp(Entry, "VIRTUAL_ENV=", 12) == 0 || strncmp(Entry, "CONDA_PREFIX=", 13) == 0;
    if (!Drop)
      Env[Used++] = environ[I];
  }
  Path Setting;
  Env[Used++] = strdup("UV_NO_CONFIG=1");
  formatPath(Setting, "UV_CACHE_DIR=%s/cache", P.Common.Text);
  Env[Used++] = strdup(Setting.Text);
  formatPath(Setting, "UV_PYTHON_INSTALL_DIR=%s/python", P.Common.Text);
  Env[Used++] = strdup(Setting.Text);
  return Env;
}

/// Runs uv with \p Args (NULL-terminated, without the program) and fails
/// with \p What and a hint when it does not succeed.
static void runUv(const InstallPaths &P, char **Env, const char *const *Args, const char *What,
                  const char *Hint) {
  int Count = 0;
  while (Args[Count])
    ++Count;
  const char **Argv = static_cast<const char **>(calloc(size_t(Count) + 2, sizeof(char *)));
  Argv[0] = P.Uv.Text;
  memcpy(Argv + 1, Args, sizeof(char *) * size_t(Count));
  pid_t Child;
  int Error = posix_spawn(&Child, P.Uv.Text, nullptr, nullptr, const_cast<char **>(Argv), Env);
  free(Argv);
  if (Error)
    fail("cannot run uv (%s): %s", P.Uv.Text, strerror(Error));
  int Status;
  while (waitpid(Child, &Status, 0) < 0)
    if (errno != EINTR)
      fail("lost track of uv: %s", strerror(errno));
  if (WIFSIGNALED(Status))
    fail("%s: uv was killed by signal %d; run again to repair the install", What, WTERMSIG(Status));
  if (WEXITSTATUS(Status) != 0)
    fail("%s: uv exited with code %d (its message is above); %s", What, WEXITSTATUS(Status), Hint);
}

/// A private directory for the bundled wheels, under the install's common dir.
static void makeWheelDirectory(const InstallPaths &P, Path &Dir) {
  formatPath(Dir, "%s/tmp", P.Common.Text);
  makeDirectories(Dir.Text);
  formatPath(Dir, "%s/tmp/wheels.XXXXXX", P.Common.Text);
  if (!mkdtemp(Dir.Text))
    fail("cannot create a temporary directory in %s/tmp: %s", P.Common.Text, strerror(errno));
}

static void installPackages(const Config &C, const InstallPaths &P, char **Env) {
  const char *Quiet = "-q";
  if (*C.TorchVersion) {
    Path Torch, Backend;
    formatPath(Torch, "torch==%s", C.TorchVersion);
    formatPath(Backend, "--torch-backend=%s", *C.TorchBackend ? C.TorchBackend : "auto");
    const char *Args[] = {"pip", "install", Quiet, "--python", P.Python.Text, Torch.Text,
                          "torchvision", "torchaudio", Backend.Text, nullptr};
    runUv(P, Env, Args, "installing PyTorch", "check the network and the torch version");
  }

  Path WheelDir;
  makeWheelDirectory(P, WheelDir);
  int WheelCount = 0;
  const char **Wheels = extractWheels(WheelDir.Text, WheelCount);
  if (WheelCount + C.PyPICount > 0) {
    int Count = 0;
    const char **Args =
        static_cast<const char **>(calloc(size_t(WheelCount + C.PyPICount) + 10, sizeof(char *)));
    const char *Fixed[] = {"pip", "install", Quiet, "--python", P.Python.Text,
                           "--find-links", WheelDir.Text};
    for (const char *Arg : Fixed)
      Args[Count++] = Arg;
    if (C.Rolling)
      Args[Count++] = "--upgrade";
    for (int I = 0; I < WheelCount; ++I)
      Args[Count++] = Wheels[I];
    for (int I = 0; I < C.PyPICount; ++I)
      Args[Count++] = C.PyPI[I];
    runUv(P, Env, Args, "installing the packages",
          "check the network, or run with UV_OFFLINE=1 when every package is bundled");
  }
  removeTree(WheelDir.Text);
}

void install(const Config &C, const InstallPaths &P, bool Repair) {
  int Lock = lockInstall(P);
  // Another run may have installed while this one waited for the lock.
  bool Marked = isInstalled(P, C);
  if (Marked && !Repair && !C.Rolling) {
    close(Lock);
    return;
  }
  fprintf(stderr, "%s: installing %s %s into %s\n", C.Name, C.Name, C.Version, P.Install.Text);
  ensureUv(P);
  char **Env = uvEnvironment(P);
  if (!Marked || Repair) {
    if (unlink(P.Marker.Text) != 0 && errno != ENOENT)
      fail("cannot remove %s: %s", P.Marker.Text, strerror(errno));
    const char *Args[] = {"venv", P.Install.Text, "--python", C.Python, "--no-project",
                          "--clear", "-q", nullptr};
    runUv(P, Env, Args, "creating the venv",
          "install that Python, or allow uv to download it (UV_PYTHON_DOWNLOADS=automatic)");
  }
  installPackages(C, P, Env);
  char Marker[128];
  int Length = snprintf(Marker, sizeof(Marker), "%s\n", C.BuildId);
  writeFileAtomically(P.Marker.Text, Marker, size_t(Length), 0644);
  close(Lock);
}

} // namespace pyaket
