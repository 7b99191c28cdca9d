//===- Driver.cpp - pyaket-cc from arguments to exit code -----------------===//
//
// This file reads top to bottom like one run of pyaket-cc: split our options
// from clang's, answer the questions that need no compile, load the profile,
// let clang's Driver plan the jobs, then run each job in this process.
//
//===----------------------------------------------------------------------===//
#include "Driver.h"
#include "Archiver.h"
#include "Diagnostics.h"
#include "CommandLine.h"
#include "CompileJob.h"
#include "JobPlan.h"
#include "LinkJob.h"
#include "Package.h"
#include "Profile.h"
#include "Target.h"

#include "clang/Basic/Version.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

using namespace llvm;

namespace pyaket {

namespace {
/// pyaket-cc's real directory, under the name it was called by: clang's
/// Driver finds `ld.lld` beside it and takes C++ mode from a `pyaket-c++` name.
std::string programPath(const char *Argv0) {
  static int Anchor;
  SmallString<256> Path(sys::path::parent_path(sys::fs::getMainExecutable(Argv0, &Anchor)));
  sys::path::append(Path, sys::path::filename(Argv0));
  return Path.str().str();
}

void printHelp() {
  outs() << R"(OVERVIEW: pyaket-cc, a C/C++ compiler with build profiles, on in-process clang and lld,
that also packages a Python project as one executable

USAGE: pyaket-cc [--profile=NAME|PATH] [clang options] <inputs>
       pyaket-c++ ...   (C++ mode, as clang++)
       pyaket-cc [--profile=NAME|PATH] --project=PATH [package options] [-o app]

OPTIONS:
  --profile=NAME|PATH  build profile: develop (the default), fast, fastest, small,
                       smallest, or the path of a profile file (.toml);
                       PYAKET_PROFILE in the environment chooses one too
  --list-profiles      list the built-in profiles
  --print-pipeline     print the optimisation pipeline that compile jobs run
  -###                 print the jobs (cc1 and lld arguments) without running them
  --version            print the version
  --help               print this help

Every other argument is clang's (see clang --help). The profile sets the
optimisation level, LTO and link flags. A profile you chose owns the level:
-O flags are then ignored (-v names them); with none chosen, -O works as in
clang.

PACKAGE MODE (--project):
  --project=PATH       the project: a directory (its pyaket.toml, else its
                       pyproject.toml [tool.pyaket]) or one of those files
  -o PATH              the executable (default: the app's name); with several
                       targets each gets its target as a suffix (app-aarch64-linux)
  --target=TARGET      build for TARGET (repeat for several; default: [build]
                       target, else this machine): )"
         << launcherTargetNames() << R"(
  --list-targets       list the targets and whether their runtime is installed
  --uv=PATH            the uv to embed: its binary or its wheel from PyPI; repeat
                       to give one per target (each is matched by its machine);
                       default: uv on PATH
  --name=, --app-version=, --python=, --module=, --command=,
  --wheel=PATH (repeatable), --pypi=REQUIREMENT (repeatable)
                       override the project's configuration
  -v, -###             show (-### only show) the launcher's compile and link jobs

The build cache (PYAKET_CC_CACHE_DIR, default ~/.cache/pyaket-cc) keeps the
compiled launchers and compressed payloads; PYAKET_CC_CACHE_SIZE caps it
(default 5G; 0: no cap), dropping what builds used longest ago.
)";
}

/// Each target, whether this pyaket-cc carries its runtime, and where.
int listTargets(StringRef ProgramPath) {
  for (const LauncherTarget &T : launcherTargets()) {
    Expected<std::string> Runtime = requireLauncherRuntime(ProgramPath, T);
    outs() << left_justify(T.Name, 16) << left_justify(T.Triple, 24)
           << (Runtime ? "installed" : "not installed")
           << (&T == &hostLauncherTarget() ? " (host, the default)" : "") << "  "
           << launcherRuntimeDir(ProgramPath, T) << "\n";
    consumeError(Runtime.takeError());
  }
  return 0;
}

void printVersion(StringRef ProgramPath) {
  outs() << "pyaket-cc " PYAKET_VERSION " (" << clang::getClangFullVersion()
         << ", lld in-process)\n"
         << "Target: " << sys::getDefaultTargetTriple() << "\n"
         << "Thread model: posix\n"
         << "InstalledDir: " << sys::path::parent_path(ProgramPath) << "\n";
}

int listProfiles() {
  for (StringRef Name : builtinProfileNames()) {
    Expected<Profile> P = loadProfile(Name);
    if (!P)
      return reportError(P.takeError());
    outs() << left_justify(Name, 10) << left_justify(optLevelName(P->Opt), 4)
           << left_justify(("lto=" + ltoKindName(P->Lto)).str(), 10) << P->Description
           << "\n";
  }
  return 0;
}

/// Prints the pipeline of a C compile with the profile and the user's flags:
/// the same cc1 arguments, hence the same pipeline, as a real compile job.
int printPipeline(StringRef ProgramPath, CommandLine CL, const Profile &P) {
  append_range(CL.ClangArgs, ArrayRef<std::string>{"-c", "-x", "c", "/dev/null"});
  std::unique_ptr<JobPlan> Plan = JobPlan::create(ProgramPath, CL, P);
  if (!Plan)
    return 1;
  auto Compile = find_if(Plan->Jobs, [](const Job &J) { return J.JobKind == Job::Kind::Compile; });
  if (Compile == Plan->Jobs.end())
    return reportError("--print-pipeline: these arguments compile nothing");
  Expected<std::string> Text = compileJobPipeline(ArrayRef(Compile->Args).drop_front(), P.Passes);
  if (!Text)
    return reportError(Text.takeError());
  outs() << *Text << "\n";
  return 0;
}

} // namespace

int driverMain(int Argc, const char **Argv) {
  // A closed stdout would be the next file opened (the cache's lock), and
  // `-o -` would write the executable into it.
  sys::Process::FixupStandardFileDescriptors();
  InitializeAllTargetInfos();
  InitializeAllTargets();
  InitializeAllTargetMCs();
  InitializeAllAsmPrinters();
  InitializeAllAsmParsers();

  // Called as ld.lld (the Driver plans links for the `ld.lld` beside us): be lld.
  std::vector<std::string> Rest(Argv + 1, Argv + Argc);
  if (sys::path::filename(Argv[0]) == "ld.lld")
    return runLinkJob(Rest);
  // Called as llvm-ar, llvm-ranlib (which CMake looks for beside the compiler)
  // or pyaket-ar: be an archiver that indexes our bitcode.
  if (isArchiverName(sys::path::filename(Argv[0])))
    return runArchiver(sys::path::filename(Argv[0]), ArrayRef(Argv + 1, Argv + Argc));

  Expected<std::vector<std::string>> Args = expandResponseFiles(ArrayRef(Argv + 1, Argv + Argc));
  if (!Args)
    return reportError(Args.takeError());
  const char *EnvironmentProfile = getenv("PYAKET_PROFILE");
  Expected<CommandLine> CL = parseCommandLine(*Args, EnvironmentProfile ? EnvironmentProfile : "");
  if (!CL)
    return reportError(CL.takeError());

  std::string ProgramPath = programPath(Argv[0]);
  if (CL->Help) {
    printHelp();
    return 0;
  }
  if (CL->Version) {
    printVersion(ProgramPath);
    return 0;
  }
  if (CL->ListProfiles)
    return listProfiles();
  if (CL->ListTargets)
    return listTargets(ProgramPath);
  if (!CL->PrintProgName.empty()) {
    outs() << sys::path::parent_path(ProgramPath) << sys::path::get_separator()
           << CL->PrintProgName << "\n";
    return 0;
  }
  if (!CL->Project.empty())
    return packageProject(ProgramPath, *CL);

  Expected<Profile> P = loadProfile(CL->ProfileSpec);
  if (!P)
    return reportError(P.takeError());
  if (CL->PrintPipeline)
    return printPipeline(ProgramPath, *CL, *P);

  std::unique_ptr<JobPlan> Plan = JobPlan::create(ProgramPath, *CL, *P);
  if (!Plan)
    return 1;
  if (Plan->PrintOnly || Plan->Verbose)
    Plan->print(errs());
  if (Plan->PrintOnly)
    return 0;
  return Plan->run();
}

} // namespace pyaket
