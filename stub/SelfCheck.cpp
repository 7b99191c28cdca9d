//===- SelfCheck.cpp - `<app> self check [--repair]` ----------------------===//
#include "SelfCheck.h"

#include "Platform.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

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

  ChildEnd End = runChild(P.Python, Args, environmentEntries(), /*OutputFd=*/-1);
  if (End.StartError)
    return formatString("its python %s does not run: %s", P.Python, strerror(End.StartError));
  if (!End.Killed && End.Code == 0)
    return nullptr;
  // Its last line of output says what is wrong.
  return formatString("%s", End.LastLine && *End.LastLine ? End.LastLine : "its python failed");
}

/// What is wrong with the install, or null when nothing is. The build is
/// held while it is checked, so that no clean or install removes it meanwhile.
static char *findProblem(const Config &C, const InstallPaths &P) {
  int Build = openInstalledBuild(P, C);
  if (Build < 0)
    return formatString("%s is not installed", P.Build);
  char *Problem = findMissingDistribution(C, P);
  closeDirectory(Build);
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
    closeDirectory(install(C, P, /*Force=*/true));
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
