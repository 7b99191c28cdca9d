//===- Uv.cpp - running the embedded uv -----------------------------------===//
#include "Uv.h"
#include "Trust.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace pyaket {

void ensureUv(const InstallPaths &P) {
  int Dir = openTrustedDirectory(P.UvDir, P.RootLength, /*Create=*/true);
  struct stat Status;
  // A uv of another size was damaged after its extraction: extracted again.
  bool Present = isTrustedFile(Dir, "uv", P.Uv, Status) &&
                 (embeddedUvSize() == 0 || (unsigned long long)Status.st_size == embeddedUvSize());
  close(Dir);
  if (!Present)
    extractUv(P.Uv);
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

static char **LaunchEnvironment = nullptr;

void keepEnvironmentForUv() {
  size_t Count = 0;
  while (environ[Count])
    ++Count;
  // The strings stay valid: setenv() never frees one it did not make.
  LaunchEnvironment = static_cast<char **>(allocate((Count + 1) * sizeof(char *)));
  memcpy(LaunchEnvironment, environ, (Count + 1) * sizeof(char *));
}

char **uvEnvironment(const InstallPaths &P) {
  char **From = LaunchEnvironment ? LaunchEnvironment : environ;
  size_t Count = 0;
  while (From[Count])
    ++Count;
  char **Env = static_cast<char **>(allocate((Count + 5) * sizeof(char *)));
  size_t Used = 0;
  for (size_t I = 0; I < Count; ++I) {
    const char *Entry = From[I];
    bool Drop = (strncmp(Entry, "UV_", 3) == 0 && !keepsUvSetting(Entry)) ||
                strncmp(Entry, "VIRTUAL_ENV=", 12) == 0 || strncmp(Entry, "CONDA_PREFIX=", 13) == 0;
    if (!Drop)
      Env[Used++] = From[I];
  }
  Env[Used++] = formatString("UV_NO_CONFIG=1");
  Env[Used++] = formatString("UV_CACHE_DIR=%s", P.Cache);
  Env[Used++] = formatString("UV_PYTHON_INSTALL_DIR=%s", P.Pythons);
  Env[Used] = Env[Used + 1] = nullptr;
  return Env;
}

/// The last non-empty line of the log, without uv's decorations ("×",
/// "╰─▶", "Caused by:"): uv's final word on what went wrong.
static char *lastLogLine(int LogFd) {
  off_t Size = lseek(LogFd, 0, SEEK_END);
  off_t From = Size > 16384 ? Size - 16384 : 0;
  char *Text = static_cast<char *>(allocate(size_t(Size - From) + 1));
  ssize_t Got = pread(LogFd, Text, size_t(Size - From), From);
  Text[Got > 0 ? Got : 0] = '\0';
  char *End = Text + strlen(Text);
  while (End > Text && strchr(" \t\r\n", End[-1]))
    *--End = '\0';
  char *Line = strrchr(Text, '\n');
  Line = Line ? Line + 1 : Text;
  static const char *const Decorations[] = {" ", "\t", "×", "╰─▶", "│", "Caused by:", "error:"};
  for (bool Stripped = true; Stripped;) {
    Stripped = false;
    for (const char *Decoration : Decorations)
      if (strncmp(Line, Decoration, strlen(Decoration)) == 0) {
        Line += strlen(Decoration);
        Stripped = true;
      }
  }
  return *Line ? Line : const_cast<char *>("(uv printed nothing)");
}

/// The hint that fits what uv reported, when it names a known cause.
static const char *hintForUvError(const char *Line, const char *Hint) {
  if (strstr(Line, "No space left") || strstr(Line, "os error 28") || strstr(Line, "quota"))
    return hintFor(ENOSPC);
  if (strstr(Line, "Permission denied") || strstr(Line, "os error 13") ||
      strstr(Line, "Read-only file system"))
    return hintFor(EACCES);
  if (strstr(Line, "No interpreter found") || strstr(Line, "No download found"))
    return "install that Python, or allow uv to download it (UV_PYTHON_DOWNLOADS=automatic)";
  return Hint;
}

/// Whether the disk holding \p Dir is full: uv may die of it before it can
/// say so, its output going to the same disk.
static bool isDiskFull(const char *Dir) {
  struct statvfs Status;
  return statvfs(Dir, &Status) == 0 &&
         (uint64_t(Status.f_bavail) * Status.f_frsize < 1024 * 1024 ||
          (Status.f_files && Status.f_favail == 0));
}

void runUv(const InstallPaths &P, char **Env, const char *const *Args, int LogFd,
           const char *What, const char *Hint) {
  int Count = 0;
  while (Args[Count])
    ++Count;
  const char **Argv = static_cast<const char **>(allocate((size_t(Count) + 2) * sizeof(char *)));
  Argv[0] = P.Uv;
  memcpy(Argv + 1, Args, sizeof(char *) * (size_t(Count) + 1));
  posix_spawn_file_actions_t Actions;
  posix_spawn_file_actions_init(&Actions);
  posix_spawn_file_actions_adddup2(&Actions, LogFd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&Actions, LogFd, STDERR_FILENO);
  // What uv makes must pass the launcher's own checks (nobody else may
  // write it) whatever the user's umask (002 with user-private groups).
  mode_t UserMask = umask(022);
  umask(UserMask | 022);
  pid_t Child;
  int Error = posix_spawn(&Child, P.Uv, &Actions, nullptr, const_cast<char **>(Argv), Env);
  umask(UserMask);
  posix_spawn_file_actions_destroy(&Actions);
  free(Argv);
  if (Error)
    fail("cannot run uv (%s): %s", P.Uv, strerror(Error));
  int Status;
  while (waitpid(Child, &Status, 0) < 0)
    if (errno != EINTR)
      fail("lost track of uv: %s", strerror(errno));
  if (WIFEXITED(Status) && WEXITSTATUS(Status) == 0)
    return;
  const char *Line = WIFSIGNALED(Status) ? formatString("uv was killed by signal %d", WTERMSIG(Status))
                                         : lastLogLine(LogFd);
  if (isDiskFull(P.Common))
    fail("%s failed: %s; %s (uv's full output: %s)", What, Line, hintFor(ENOSPC), P.Log);
  if (WIFSIGNALED(Status))
    fail("%s: %s; run again to repair the install (uv's output: %s)", What, Line, P.Log);
  fail("%s failed: %s; %s (uv's full output: %s)", What, Line, hintForUvError(Line, Hint), P.Log);
}

} // namespace pyaket
