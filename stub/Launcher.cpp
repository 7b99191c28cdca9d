//===- Launcher.cpp - the packaged app's main -----------------------------===//
//
// Reads top to bottom like one run: read the embedded configuration, work
// out the install directory, then either take the fast path (the install is
// marked with this build's id: exec the venv's python, nothing else) or
// install under a lock first. `<app> self ...` manages the install.
//
//===----------------------------------------------------------------------===//
#include "DotEnv.h"
#include "Install.h"
#include "Payload.h"
#include "Platform.h"
#include "SelfCheck.h"
#include "Support.h"
#include "Uv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

using namespace pyaket;

/// Whether python, given the user's arguments, runs no script: -c, -m,
/// stdin or the prompt, which put the working directory (or "") first on
/// sys.path. Python's options come first, some with an argument.
static bool runsNoScript(int Argc, char **Argv) {
  for (int I = 1; I < Argc; ++I) {
    const char *Arg = Argv[I];
    if (strcmp(Arg, "--") == 0)
      return I + 1 == Argc || strcmp(Argv[I + 1], "-") == 0;
    if (Arg[0] != '-')
      return false; // a script: its own directory goes first, as the user asked
    if (strcmp(Arg, "-") == 0)
      return true;
    if (Arg[1] == '-') {
      I += strcmp(Arg, "--check-hash-based-pycs") == 0;
      continue;
    }
    for (const char *Option = Arg + 1; *Option; ++Option) {
      if (*Option == 'c' || *Option == 'm')
        return true;
      if (*Option == 'W' || *Option == 'X') { // the rest, or the next argument, is its value
        I += !Option[1];
        break;
      }
    }
  }
  return true;
}

/// Whether the configured Python knows -P (3.11 and later): "3.13", "3.11.7".
static bool hasSafePathOption(const char *Version) {
  char *End;
  if (strtol(Version, &End, 10) != 3 || *End != '.')
    return false;
  return strtol(End + 1, nullptr, 10) >= 11;
}

/// The program to exec and its arguments: the entry, then the user's.
static char **entryArguments(const Config &C, const InstallPaths &P, int Argc, char **Argv) {
  size_t Words = 0;
  for (const char *Char = C.Entry; *Char; ++Char)
    Words += *Char == ' ' || *Char == '\t';
  char **Args = static_cast<char **>(allocate((size_t(Argc) + Words + 8) * sizeof(char *)));
  int Count = 0;
  if (strcmp(C.EntryKind, "command") == 0) {
    // The command's words; its program is found on PATH, the venv's bin first.
    char *Text = formatString("%s", C.Entry);
    for (char *Word = strtok(Text, " \t"); Word; Word = strtok(nullptr, " \t"))
      Args[Count++] = Word;
  } else {
    Args[Count++] = const_cast<char *>(P.AppPython);
    // -m, -c, stdin and the prompt put the working directory first on
    // sys.path, where any file could shadow the app's modules; -P keeps it
    // off. (A script keeps its own directory: the user named that script.)
    bool Module = strcmp(C.EntryKind, "module") == 0;
    if ((Module || runsNoScript(Argc, Argv)) && hasSafePathOption(C.Python))
      Args[Count++] = const_cast<char *>("-P");
    if (Module) {
      Args[Count++] = const_cast<char *>("-m");
      Args[Count++] = const_cast<char *>(C.Entry);
    }
  }
  for (int I = 1; I < Argc; ++I)
    Args[Count++] = Argv[I];
  Args[Count] = nullptr;
  return Args;
}

/// Becomes the app (runApp()), which holds \p BuildFd and so its shared
/// lock: while the app runs, no install removes its build. Returns only
/// when it cannot start, with the environment as it was (the install that
/// may follow must not see the venv's scripts on PATH).
static void execApp(const Config &C, const InstallPaths &P, int BuildFd, int Argc, char **Argv) {
  const char *OldPath = readEnvironment("PATH");
  char *SavedPath = OldPath ? formatString("%s", OldPath) : nullptr;
  char Separator[2] = {PathListSeparator, '\0'};
  setEnvironment("PATH", formatString("%s/%s%s%s", P.Build, VenvScripts,
                                      SavedPath && *SavedPath ? Separator : "",
                                      SavedPath ? SavedPath : ""));
  setEnvironment("VIRTUAL_ENV", P.Build);
  setEnvironment("PYAKET", P.Exe);
  unsetEnvironment("PYTHONHOME");
  char **Args = entryArguments(C, P, Argc, Argv);
  runApp(Args, nullptr, /*SearchPath=*/true, BuildFd);
  int Error = errno;
  closeDirectory(BuildFd);
  if (SavedPath)
    setEnvironment("PATH", SavedPath);
  unsetEnvironment("VIRTUAL_ENV");
  errno = Error;
}

static int selfVersion(const Config &C, int Argc, char **Argv) {
  if (Argc == 0) {
    printf("%s %s\n", C.Name, C.Version);
    return 0;
  }
  struct {
    const char *Name, *Value;
  } Queries[] = {{"project", C.Version}, {"pyaket", C.PyaketVersion}, {"python", C.Python},
                 {"torch", C.TorchVersion}, {"uv", C.UvVersion}};
  if (Argc == 2 && strcmp(Argv[0], "--query") == 0)
    for (auto &Q : Queries)
      if (strcmp(Argv[1], Q.Name) == 0) {
        printf("%s\n", Q.Value);
        return 0;
      }
  fail("usage: %s self version [--query project|pyaket|python|torch|uv]", C.Name);
}

static int selfInfo(const Config &C, const InstallPaths &P) {
  int Build = openInstalledBuild(P, C);
  printf("name:        %s\nversion:     %s\nbuild id:    %s\nprofile:     %s\n"
         "python:      %s\nentry:       %s %s\nexecutable:  %s\ninstall:     %s\n"
         "installed:   %s\nuv:          %s (%s)\n",
         C.Name, C.Version, C.BuildId, C.Profile, C.Python, C.EntryKind, C.Entry, P.Exe, P.Build,
         Build >= 0 ? "yes" : "no", P.Uv, C.UvVersion);
  return 0;
}

/// `<app> self uv ...` runs the embedded uv on this app's venv.
static int selfUv(const Config &C, const InstallPaths &P, char **Argv) {
  int Lock = lockInstall(P, C);
  ensureUv(P);
  unlockInstall(Lock);
  char **Env = uvEnvironment(P);
  size_t Count = 0;
  while (Env[Count])
    ++Count;
  Env[Count] = formatString("VIRTUAL_ENV=%s", P.Build); // uvEnvironment leaves room for one more
  Argv[-1] = const_cast<char *>(P.Uv);
  runApp(Argv - 1, Env, /*SearchPath=*/false, -1);
  fail("cannot run uv (%s): %s", P.Uv, strerror(errno));
}

static int selfCommand(const Config &C, const InstallPaths &P, int Argc, char **Argv) {
  const char *Command = Argc > 0 ? Argv[0] : "";
  if (strcmp(Command, "uv") == 0)
    return selfUv(C, P, Argv + 1);
  if (strcmp(Command, "version") == 0)
    return selfVersion(C, Argc - 1, Argv + 1);
  if (strcmp(Command, "info") == 0)
    return selfInfo(C, P);
  if (strcmp(Command, "check") == 0)
    return selfCheck(C, P, Argc - 1, Argv + 1);
  if (strcmp(Command, "clean") == 0) {
    cleanInstall(P, C);
    return 0;
  }
  fail("usage: %s self uv ARGS | version [--query WHAT] | info | check [--repair] | clean", C.Name);
}

int main(int Argc, char **Argv) {
  startPlatform(Argc, Argv);
  checkExecutableComplete();
  Config C = readConfig();
  setFailureStyle(C.Name, C.KeepOpen);
  InstallPaths P = installPaths(C);

  if (Argc > 1 && strcmp(Argv[1], "self") == 0)
    return selfCommand(C, P, Argc - 2, Argv + 2);

  // .env files configure the app, never an install: uv keeps the
  // environment the launcher was started with (no GIT_*, CC, ... from them).
  if (C.DotEnv) {
    keepEnvironmentForUv();
    loadDotEnvFiles();
  }

  // The fast path: a walk down the install tree, a small read and one exec.
  // When exec fails, the venv's program is gone: install() repairs it.
  int Build = C.Rolling ? -1 : openInstalledBuild(P, C);
  if (Build >= 0)
    execApp(C, P, Build, Argc, Argv);
  Build = install(C, P, /*Force=*/false);
  if (Build < 0)
    fail("%s was installed into %s but is gone again: run it again", C.Name, P.Build);
  execApp(C, P, Build, Argc, Argv);
  fail("cannot run %s's entry (%s %s): %s; run '%s self check --repair' to reinstall it",
       C.Name, C.EntryKind, C.Entry, strerror(errno), C.Name);
}
