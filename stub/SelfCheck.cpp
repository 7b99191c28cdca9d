//===- SelfCheck.cpp - `<app> self check [--repair]` ----------------------===//
#include "SelfCheck.h"

#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace pyaket {

/// Run by the venv's python in isolated mode with the distribution names.
static const char CheckScript[] =
    "import sys, os, importlib.metadata as m\n"
    "for name in sys.argv[1:]:\n"
    "    try: dist = m.distribution(name)\n"
    "    except m.PackageNotFoundError: sys.exit(f'the distribution {name} is missing')\n"
    "    for file in dist.files or ():\n"
    "        if not os.path.lexists(dist.locate_file(file)):\n"
    "            sys.exit(f'{name} lacks its file {dist.locate_file(file)}')\n";

/// A distribution's name: the start of a wheel's file name or of a
/// requirement, up to the first character a name cannot hold. Null for
/// what names no distribution (a URL or a path).
static char *distributionName(const char *Text, const char *Stops) {
  size_t Length = strcspn(Text, Stops);
  if (Length == 0 || Text[Length] == ':' || Text[Length] == '/')
    return nullptr;
  return formatString("%.*s", int(Length), Text);
}

/// What the venv's python finds missing, or null when nothing is.
static char *findMissingDistribution(const Config &C, const InstallPaths &P) {
  const char **Args =
      static_cast<const char **>(allocate(size_t(C.WheelCount + C.PyPICount + 5) * sizeof(char *)));
  int Count = 0;
  Args[Count++] = P.Python;
  Args[Count++] = "-I";
  Args[Count++] = "-c";
  Args[Count++] = CheckScript;
  for (int I = 0; I < C.WheelCount; ++I)
    if (char *Name = distributionName(C.Wheels[I], "-"))
      Args[Count++] = Name;
  for (int I = 0; I < C.PyPICount; ++I)
    if (char *Name = distributionName(C.PyPI[I], " \t<>=!~;,[(@:/"))
      Args[Count++] = Name;
  Args[Count] = nullptr;

  int Pipe[2];
  if (pipe(Pipe) != 0)
    fail("cannot check the install: %s", strerror(errno));
  posix_spawn_file_actions_t Actions;
  posix_spawn_file_actions_init(&Actions);
  posix_spawn_file_actions_adddup2(&Actions, Pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&Actions, Pipe[1], STDERR_FILENO);
  pid_t Child;
  int Error = posix_spawn(&Child, P.Python, &Actions, nullptr, const_cast<char **>(Args), environ);
  posix_spawn_file_actions_destroy(&Actions);
  close(Pipe[1]);
  if (Error) {
    close(Pipe[0]);
    return formatString("its python %s does not run: %s", P.Python, strerror(Error));
  }
  // Its output, of which the last line says what is wrong.
  char Output[4096], Last[4096] = "";
  for (ssize_t Got; (Got = read(Pipe[0], Output, sizeof(Output) - 1)) != 0;) {
    if (Got < 0 && errno == EINTR)
      continue;
    if (Got < 0)
      break;
    Output[Got] = '\0';
    for (char *Line = strtok(Output, "\n"); Line; Line = strtok(nullptr, "\n"))
      snprintf(Last, sizeof(Last), "%s", Line);
  }
  close(Pipe[0]);
  int Status;
  while (waitpid(Child, &Status, 0) < 0)
    if (errno != EINTR)
      fail("lost track of the venv's python: %s", strerror(errno));
  if (WIFEXITED(Status) && WEXITSTATUS(Status) == 0)
    return nullptr;
  return formatString("%s", *Last ? Last : "its python failed");
}

/// What is wrong with the install, or null when nothing is. The build is
/// held while it is checked, so that no clean or install removes it meanwhile.
static char *findProblem(const Config &C, const InstallPaths &P) {
  int Build = openInstalledBuild(P, C);
  if (Build < 0)
    return formatString("%s is not installed", P.Build);
  char *Problem = findMissingDistribution(C, P);
  close(Build);
  return Problem;
}

int selfCheck(const Config &C, const InstallPaths &P, int Argc, char **Argv) {
  bool Repair = Argc == 1 && strcmp(Argv[0], "--repair") == 0;
  if (Argc > 1 || (Argc == 1 && !Repair))
    fail("usage: %s self check [--repair]", C.Name);
  char *Problem = findProblem(C, P);
  bool Repaired = false;
  if (Problem && Repair) {
    fprintf(stderr, "%s: %s; reinstalling\n", C.Name, Problem);
    close(install(C, P, /*Force=*/true));
    Problem = findProblem(C, P);
    Repaired = true;
  }
  if (Problem)
    fail("%s%s", Problem,
         Repair ? "" : formatString("; run '%s self check --repair' to reinstall", C.Name));
  printf("%s %s is complete in %s%s\n", C.Name, C.Version, P.Build, Repaired ? " (repaired)" : "");
  return 0;
}

} // namespace pyaket
