//===- Uv.cpp - running the embedded uv -----------------------------------===//
#include "Uv.h"
#include "Trust.h"

#include "Platform.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

namespace pyaket {

void ensureUv(const InstallPaths &P) {
  int Dir = openTrustedDirectory(P.UvDir, P.RootLength, /*Create=*/true);
  unsigned long long Size;
  // A uv of another size was damaged after its extraction: extracted again.
  bool Present = isTrustedFile(Dir, UvProgram, P.Uv, Size) &&
                 (embeddedUvSize() == 0 || Size == embeddedUvSize());
  closeDirectory(Dir);
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
  char **Entries = environmentEntries();
  size_t Count = 0;
  while (Entries[Count])
    ++Count;
  // The strings stay valid: setenv() never frees one it did not make.
  LaunchEnvironment = static_cast<char **>(allocate((Count + 1) * sizeof(char *)));
  memcpy(LaunchEnvironment, Entries, (Count + 1) * sizeof(char *));
}

char **uvEnvironment(const InstallPaths &P) {
  char **From = LaunchEnvironment ? LaunchEnvironment : environmentEntries();
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

/// The last non-empty line that uv wrote to the log from \p Start, without
/// its decorations ("×", "╰─▶", "Caused by:"): uv's final word on what went
/// wrong.
static char *lastLogLine(int LogFd, off_t Start) {
  off_t Size = lseek(LogFd, 0, SEEK_END);
  off_t From = Size - Start > 16384 ? Size - 16384 : Start;
  char *Text = static_cast<char *>(allocate(size_t(Size - From) + 1));
  ssize_t Got = lseek(LogFd, From, SEEK_SET) == From ? read(LogFd, Text, size_t(Size - From)) : -1;
  Text[Got > 0 ? Got : 0] = '\0';
  // The last line, but uv's closing "hint:" lines, which suggest rather than say what failed.
  char *Line;
  for (;;) {
    char *End = Text + strlen(Text);
    while (End > Text && strchr(" \t\r\n", End[-1]))
      *--End = '\0';
    Line = strrchr(Text, '\n');
    Line = Line ? Line + 1 : Text;
    if (Line == Text || strncmp(Line + strspn(Line, " \t"), "hint:", 5) != 0)
      break;
    *Line = '\0';
  }
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
  if ((strstr(Line, "No interpreter found") || strstr(Line, "No download found")) &&
      readEnvironment("UV_OFFLINE"))
    return "install that Python: uv downloads none while UV_OFFLINE is set";
  if (strstr(Line, "No interpreter found") || strstr(Line, "No download found"))
    return "install that Python, or allow uv to download it (UV_PYTHON_DOWNLOADS=automatic)";
  return Hint;
}

void runUv(const InstallPaths &P, char **Env, const char *const *Args, int LogFd,
           const char *What, const char *Hint) {
  int Count = 0;
  while (Args[Count])
    ++Count;
  const char **Argv = static_cast<const char **>(allocate((size_t(Count) + 2) * sizeof(char *)));
  Argv[0] = P.Uv;
  memcpy(Argv + 1, Args, sizeof(char *) * (size_t(Count) + 1));
  double Start = monotonicSeconds();
  off_t Output = lseek(LogFd, 0, SEEK_END); // where this uv's output starts
  ChildEnd End = runChild(P.Uv, Argv, Env, LogFd);
  free(Argv);
  if (End.StartError)
    fail("cannot run uv (%s): %s", P.Uv, strerror(End.StartError));
  if (!End.Killed && End.Code == 0) {
    // For the benchmark, which tells uv's part of a first run from ours.
    char *Took = formatString("pyaket: uv %s took %.1f ms\n", Args[0], (monotonicSeconds() - Start) * 1e3);
    writeAll(LogFd, Took, strlen(Took));
    free(Took);
    return;
  }
  const char *Line = End.Killed ? formatString("uv was killed by signal %d", End.Code)
                                : lastLogLine(LogFd, Output);
  if (isDiskFull(P.Common))
    fail("%s failed: %s; %s (uv's full output: %s)", What, Line, hintFor(ENOSPC), P.Log);
  if (End.Killed)
    fail("%s: %s; run again to repair the install (uv's output: %s)", What, Line, P.Log);
  fail("%s failed: %s; %s (uv's full output: %s)", What, Line, hintForUvError(Line, Hint), P.Log);
}

} // namespace pyaket
