//===- JobPlan.cpp - the jobs clang's Driver plans for one invocation ----===//
#include "JobPlan.h"
#include "AssembleJob.h"
#include "CompileJob.h"
#include "Diagnostics.h"
#include "LinkJob.h"

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/DiagnosticOptions.h"
#include "clang/Driver/Compilation.h"
#include "clang/Driver/Driver.h"
#include "clang/Driver/Job.h"
#include "clang/Driver/Options.h"
#include "clang/Driver/Phases.h"
#include "clang/Driver/Tool.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Frontend/Utils.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/StringSaver.h"
#include "llvm/TargetParser/Host.h"

using namespace llvm;
using namespace clang;
using namespace clang::driver;

namespace pyaket {

std::string clangResourceDir() {
  if (const char *Dir = getenv("PYAKET_CC_RESOURCE_DIR"); Dir && *Dir)
    return Dir;
  return PYAKET_CLANG_RESOURCE_DIR;
}

namespace {
/// The positions in the user's arguments of the -O flags the profile
/// overrides (clang's O_Group: -O2, -Os, -Ofast, --optimize=...).
SmallVector<unsigned> ignoredOptimisationFlagPositions(const CommandLine &CL) {
  if (!CL.ProfileGiven)
    return {};
  SmallVector<const char *, 64> Argv;
  for (const std::string &Arg : CL.ClangArgs)
    Argv.push_back(Arg.c_str());
  unsigned MissingIndex, MissingCount;
  opt::InputArgList Parsed = getDriverOptTable().ParseArgs(
      Argv, MissingIndex, MissingCount, opt::Visibility(options::ClangOption));
  SmallVector<unsigned> Positions;
  for (const opt::Arg *A : Parsed.filtered(options::OPT_O_Group))
    Positions.push_back(A->getIndex());
  return Positions;
}
} // namespace

std::vector<std::string> ignoredOptimisationFlags(const CommandLine &CL) {
  std::vector<std::string> Flags;
  for (unsigned Position : ignoredOptimisationFlagPositions(CL))
    Flags.push_back(CL.ClangArgs[Position]);
  return Flags;
}

std::vector<std::string> driverArguments(const CommandLine &CL, const Profile &P,
                                         phases::ID FinalPhase) {
  bool WritesAssembly = FinalPhase == phases::Backend && !is_contained(CL.ClangArgs, "-emit-llvm");
  // The profile's flags are not the user's: no "argument unused" warning when
  // a job does not need them (-O when only assembling a .s file).
  std::vector<std::string> Args{"--start-no-unused-arguments",
                                ("-" + optLevelName(P.Opt)).str()};
  if (P.Lto != LtoKind::None && !WritesAssembly)
    Args.push_back(("-flto=" + ltoKindName(P.Lto)).str());
  append_range(Args, P.CompileFlags);
  // Link-only flags, given only to links: clang warns that they are unused otherwise.
  if (FinalPhase == phases::Link) {
    // Makes the Driver plan an lld link, which runs in-process. The Driver
    // wants an executable to name: the `ld.lld` link beside pyaket-cc, else
    // (a lone copy of pyaket-cc) pyaket-cc itself.
    static int Anchor;
    std::string Self = sys::fs::getMainExecutable("pyaket-cc", &Anchor);
    SmallString<256> Beside(sys::path::parent_path(Self));
    sys::path::append(Beside, "ld.lld");
    Args.push_back("-fuse-ld=lld");
    if (!sys::fs::can_execute(Beside))
      Args.push_back("--ld-path=" + Self);
    if (P.Static)
      Args.push_back("-static");
  }
  Args.push_back("--end-no-unused-arguments");
  SmallVector<unsigned> Ignored = ignoredOptimisationFlagPositions(CL);
  for (unsigned I = 0; I < CL.ClangArgs.size(); ++I)
    if (!is_contained(Ignored, I))
      Args.push_back(CL.ClangArgs[I]);
  return Args;
}

std::vector<std::string> linkArguments(ArrayRef<const char *> DriverArgs, const Profile &P,
                                       const Triple &Target) {
  // GNU ld's defaults where lld's differ and build systems depend on them,
  // first, so that the user's -Wl, flags win: a version script may name
  // symbols the link does not define (zlib's configure tests shared-library
  // support with one), and a section that __start_/__stop_ symbols reach
  // survives --gc-sections (linker sets: plugin and test registries).
  std::vector<std::string> Args;
  if (Target.isOSBinFormatELF())
    Args = {"--undefined-version", "-z", "nostart-stop-gc"};
  append_range(Args, DriverArgs);
  append_range(Args, P.LinkFlags);
  if (P.Strip)
    Args.push_back("--strip-all");
  return Args;
}

namespace {
/// clang's link jobs name the GCC start files bare when no GCC installation
/// was found; LLD would then fail with a puzzling "cannot open crtbeginS.o".
bool lacksGccInstallation(const Command &Link) {
  return any_of(Link.getArguments(), [](const char *Arg) {
    StringRef Name(Arg);
    return Name.starts_with("crtbegin") && Name.ends_with(".o");
  });
}

/// Where \p Args stop: a link, or -c, -S, -E ..., asked of a scratch Driver
/// so that argument errors are reported once, later.
phases::ID finalPhase(StringRef ProgramPath, ArrayRef<const char *> Args,
                      IntrusiveRefCntPtr<vfs::FileSystem> FS) {
  DiagnosticsEngine Quiet(new DiagnosticIDs, new DiagnosticOptions, new IgnoringDiagConsumer);
  Driver Scratch(ProgramPath, sys::getDefaultTargetTriple(), Quiet, "pyaket-cc", FS);
  bool ContainsError = false;
  opt::InputArgList Parsed = Scratch.ParseArgStrings(Args, /*UseDriverMode=*/true, ContainsError);
  opt::DerivedArgList Derived(Parsed);
  for (opt::Arg *A : Parsed)
    Derived.append(A);
  return Scratch.getFinalPhase(Derived);
}
} // namespace

struct JobPlan::Impl {
  Profile TheProfile;
  IntrusiveRefCntPtr<vfs::FileSystem> FS;
  BumpPtrAllocator Alloc;
  StringSaver Saver{Alloc};
  IntrusiveRefCntPtr<DiagnosticOptions> DiagOpts;
  std::unique_ptr<DiagnosticsEngine> Diags;
  std::unique_ptr<Driver> TheDriver;
  std::unique_ptr<Compilation> TheCompilation;
};

JobPlan::JobPlan() = default;
JobPlan::~JobPlan() = default;

std::unique_ptr<JobPlan> JobPlan::create(StringRef ProgramPath, const CommandLine &CL,
                                         const Profile &P, IntrusiveRefCntPtr<vfs::FileSystem> FS) {
  auto Plan = std::make_unique<JobPlan>();
  Plan->State = std::make_unique<Impl>();
  Impl &S = *Plan->State;
  S.TheProfile = P;
  S.FS = FS ? FS : vfs::getRealFileSystem();

  SmallVector<const char *, 64> Argv{S.Saver.save(ProgramPath).data()};
  for (const std::string &Arg : CL.ClangArgs)
    Argv.push_back(S.Saver.save(Arg).data());
  phases::ID FinalPhase = finalPhase(ProgramPath, ArrayRef(Argv).drop_front(), S.FS);
  Argv.resize(1);
  for (const std::string &Arg : driverArguments(CL, P, FinalPhase))
    Argv.push_back(S.Saver.save(Arg).data());

  S.DiagOpts = CreateAndPopulateDiagOpts(Argv);
  auto *Printer = new TextDiagnosticPrinter(errs(), &*S.DiagOpts);
  Printer->setPrefix(sys::path::filename(ProgramPath).str());
  S.Diags = std::make_unique<DiagnosticsEngine>(new DiagnosticIDs, &*S.DiagOpts, Printer);
  ProcessWarningOptions(*S.Diags, *S.DiagOpts, /*ReportDiags=*/false);

  S.TheDriver = std::make_unique<Driver>(ProgramPath, sys::getDefaultTargetTriple(), *S.Diags,
                                         "pyaket-cc (in-process clang and lld)", S.FS);
  S.TheDriver->ResourceDir = clangResourceDir();
  S.TheCompilation.reset(S.TheDriver->BuildCompilation(Argv));
  Compilation *C = S.TheCompilation.get();
  if (!C || C->containsError() || S.Diags->hasErrorOccurred())
    return nullptr;
  // A compile job that crashes ends the process at once (CompileJob): the
  // Driver's temporary files must go with it.
  for (const char *TempFile : C->getTempFiles())
    sys::RemoveFileOnSignal(TempFile);

  Plan->PrintOnly = C->getArgs().hasArg(options::OPT__HASH_HASH_HASH);
  Plan->Verbose = C->getArgs().hasArg(options::OPT_v);
  if (Plan->Verbose)
    for (const std::string &Flag : ignoredOptimisationFlags(CL))
      errs() << "pyaket-cc: ignoring " << Flag << ": profile " << P.Name
             << " sets the optimisation level (-" << optLevelName(P.Opt) << ")\n";
  for (const Command &Cmd : C->getJobs()) {
    ArrayRef<const char *> Args = Cmd.getArguments();
    Job J{Job::Kind::Compile, Cmd.getExecutable(), {}};
    if (!Args.empty() && StringRef(Args[0]) == "-cc1") {
      J.Args.assign(Args.begin(), Args.end());
      // -save-temps splits a compile: the step that saves the frontend's
      // module optimises nothing (the Driver says so), the next one does.
      J.RunsPipeline = !is_contained(J.Args, "-disable-llvm-passes");
      // The frontend hands its module to the profile's pipeline, unoptimised.
      if (J.RunsPipeline)
        J.Args.push_back("-disable-llvm-passes");
    } else if (!Args.empty() && StringRef(Args[0]) == "-cc1as") {
      J.JobKind = Job::Kind::Assemble;
      J.Args.assign(Args.begin(), Args.end());
    } else if (Cmd.getCreator().isLinkJob()) {
      if (lacksGccInstallation(Cmd)) {
        reportError("no GCC installation found for " +
                    C->getDefaultToolChain().getTripleString() +
                    ": links need its crtbegin*.o and libgcc; install gcc (apt-get install gcc) "
                    "or name one with --gcc-install-dir=DIR");
        return nullptr;
      }
      J.JobKind = Job::Kind::Link;
      J.Args = linkArguments(Args, P, Cmd.getCreator().getToolChain().getTriple());
    } else if (isa<AssembleJobAction>(Cmd.getSource())) {
      // -fno-integrated-as: the Driver planned a run of the system's `as`.
      reportError(Twine("-fno-integrated-as is not supported: pyaket-cc assembles in-process "
                        "and never starts '") +
                  Cmd.getExecutable() + "'; drop the flag");
      return nullptr;
    } else {
      reportError(Twine("this invocation needs '") + Cmd.getCreator().getName() + "' (" +
                  Cmd.getExecutable() +
                  "), which pyaket-cc does not run in-process yet; offloading is not "
                  "supported");
      return nullptr;
    }
    Plan->Jobs.push_back(std::move(J));
  }
  return Plan;
}

void JobPlan::print(raw_ostream &OS) const {
  for (const Job &J : Jobs) {
    OS << ' ';
    sys::printArg(OS, J.Executable, /*Quote=*/true);
    for (const std::string &Arg : J.Args) {
      OS << ' ';
      sys::printArg(OS, Arg, /*Quote=*/PrintOnly);
    }
    OS << '\n';
  }
}

/// The file that a cc1 or cc1as job writes (its -o), empty for stdout.
static StringRef outputFile(const Job &J) {
  auto O = find(J.Args, "-o");
  if (O == J.Args.end() || std::next(O) == J.Args.end() || *std::next(O) == "-")
    return "";
  return *std::next(O);
}

int JobPlan::run() const {
  bool Failed = false;
  // What failed jobs were to write. A job that reads one of them (the
  // assembler, after the preprocessing of a .S file failed) does not run: it
  // would read the empty temporary file that the Driver made.
  StringSet<> Unwritten;
  for (const Job &J : Jobs) {
    if (J.JobKind == Job::Kind::Link) {
      if (Failed)
        continue;
      if (int Code = runLinkJob(J.Args))
        return reportError("linker command failed with exit code " + Twine(Code) +
                           " (use -v to see invocation)");
      continue;
    }
    bool InputMissing =
        any_of(J.Args, [&](const std::string &Arg) { return Unwritten.contains(Arg); });
    ArrayRef<std::string> Args = ArrayRef(J.Args).drop_front();
    bool Ok = !InputMissing && (J.JobKind == Job::Kind::Compile
                                    ? runCompileJob(Args, State->TheProfile, J.RunsPipeline, State->FS)
                                    : runAssembleJob(Args));
    if (!Ok) {
      Failed = true;
      if (StringRef Output = outputFile(J); !Output.empty())
        Unwritten.insert(Output);
    }
  }
  return Failed ? 1 : 0;
}

} // namespace pyaket
