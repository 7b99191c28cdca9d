//===- CompileJob.cpp - one cc1 job, in-process ---------------------------===//
#include "CompileJob.h"
#include "CrashGuard.h"
#include "Diagnostics.h"
#include "OutputFile.h"
#include "Pipeline.h"

#include "clang/Basic/TargetOptions.h"
#include "clang/CodeGen/BackendUtil.h"
#include "clang/CodeGen/CodeGenAction.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "clang/Frontend/TextDiagnosticBuffer.h"
#include "clang/FrontendTool/Utils.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Target/TargetMachine.h"

using namespace llvm;
using namespace clang;

namespace pyaket {

namespace {
/// Parses cc1 arguments into \p Clang, with diagnostics on stderr.
bool createInvocation(CompilerInstance &Clang, ArrayRef<std::string> Cc1Args) {
  SmallVector<const char *, 128> Argv;
  for (const std::string &Arg : Cc1Args)
    Argv.push_back(Arg.c_str());
  // Argument errors are buffered until the instance's own engine exists, as cc1_main does.
  auto *Buffer = new TextDiagnosticBuffer;
  DiagnosticsEngine ArgDiags(new DiagnosticIDs, new DiagnosticOptions, Buffer);
  bool Ok = CompilerInvocation::CreateFromArgs(Clang.getInvocation(), Argv, ArgDiags, "pyaket-cc");
  Clang.createDiagnostics();
  Buffer->FlushDiagnostics(Clang.getDiagnostics());
  return Ok;
}

bool makesCode(frontend::ActionKind Action) {
  return Action == frontend::EmitObj || Action == frontend::EmitAssembly ||
         Action == frontend::EmitBC || Action == frontend::EmitLLVM;
}

/// Options that clang implements by adding passes to its own pipeline, which
/// does not run here: refuse them rather than silently drop them.
Error checkSupported(const CompilerInvocation &CI) {
  const CodeGenOptions &CG = CI.getCodeGenOpts();
  const char *Flag = nullptr;
  if (!CI.getLangOpts().Sanitize.empty() || CG.hasSanitizeCoverage())
    Flag = "-fsanitize";
  else if (CG.hasProfileInstr() || !CG.ProfileInstrumentUsePath.empty() ||
           !CG.SampleProfileFile.empty())
    Flag = "-fprofile-*";
  else if (!CG.CoverageNotesFile.empty() || !CG.CoverageDataFile.empty())
    Flag = "--coverage";
  if (!Flag)
    return Error::success();
  return makeError(Twine(Flag) + " is not supported yet: it needs clang's own pipeline, and "
                            "pyaket-cc runs its profile's; build without it");
}

OptimizationLevel optimizationLevel(const CodeGenOptions &CG) {
  switch (CG.OptimizationLevel) {
  case 0:
    return OptimizationLevel::O0;
  case 1:
    return OptimizationLevel::O1;
  case 2:
    return CG.OptimizeSize == 2 ? OptimizationLevel::Oz
           : CG.OptimizeSize == 1 ? OptimizationLevel::Os
                                  : OptimizationLevel::O2;
  default:
    return OptimizationLevel::O3;
  }
}

/// The pipeline options clang's BackendUtil would derive from these options.
PipelineOptions pipelineOptions(const CompilerInvocation &CI, StringRef ExtraPasses) {
  const CodeGenOptions &CG = CI.getCodeGenOpts();
  PipelineOptions Options;
  Options.Level = optimizationLevel(CG);
  Options.Phase = CG.PrepareForThinLTO ? LtoPhase::ThinPreLink
                  : CG.PrepareForLTO   ? LtoPhase::FullPreLink
                                       : LtoPhase::None;
  // Loop interleaving mirrors loop unrolling, as in clang.
  Options.Tuning.LoopUnrolling = CG.UnrollLoops;
  Options.Tuning.LoopInterleaving = CG.UnrollLoops;
  Options.Tuning.LoopVectorization = CG.VectorizeLoop;
  Options.Tuning.SLPVectorization = CG.VectorizeSLP;
  Options.Tuning.MergeFunctions = CG.MergeFunctions;
  Options.Tuning.CallGraphProfile = !CG.DisableIntegratedAS;
  Options.Tuning.UnifiedLTO = CG.UnifiedLTO;
  Options.SimplifyLibCalls = CG.SimplifyLibCalls;
  Options.ExtraPasses = ExtraPasses.str();
  return Options;
}

/// A target machine for the IR passes' cost models: triple, CPU and features
/// as clang sets them. Code generation itself goes through clang's backend.
Expected<std::unique_ptr<TargetMachine>> createTargetMachine(const CompilerInvocation &CI) {
  const clang::TargetOptions &Target = CI.getTargetOpts();
  std::string Error;
  const llvm::Target *T = TargetRegistry::lookupTarget(Target.Triple, Error);
  if (!T)
    return makeError("target '" + Target.Triple + "': " + Error);
  std::optional<CodeGenOptLevel> Level = CodeGenOpt::getLevel(CI.getCodeGenOpts().OptimizationLevel);
  std::unique_ptr<TargetMachine> TM(T->createTargetMachine(
      Target.Triple, Target.CPU, join(Target.Features, ","), llvm::TargetOptions(),
      CI.getCodeGenOpts().RelocationModel, std::nullopt,
      Level.value_or(CodeGenOptLevel::Default)));
  if (!TM)
    return makeError("target '" + Target.Triple + "' has no code generator");
  return TM;
}

/// Passes cc1's -mllvm options on to LLVM, as cc1 does.
void applyLLVMArgs(const FrontendOptions &Frontend) {
  if (Frontend.LLVMArgs.empty())
    return;
  SmallVector<const char *, 16> Argv{"pyaket-cc (LLVM option parsing)"};
  for (const std::string &Arg : Frontend.LLVMArgs)
    Argv.push_back(Arg.c_str());
  cl::ParseCommandLineOptions(Argv.size(), Argv.data());
}

bool reportError(CompilerInstance &Clang, Error Err) {
  unsigned ID = Clang.getDiagnostics().getCustomDiagID(DiagnosticsEngine::Error, "%0");
  Clang.getDiagnostics().Report(ID) << toString(std::move(Err));
  return false;
}

/// Writes the optimised module in the form the job asked for. The output is
/// made in memory and written whole once complete.
bool emitModule(CompilerInstance &Clang, llvm::Module &M, frontend::ActionKind Action,
                const PipelineOptions &Options, TargetMachine *TM) {
  SmallString<0> Output;
  auto OS = std::make_unique<raw_svector_ostream>(Output);
  if (Action == frontend::EmitBC) {
    writeBitcode(M, Options.Phase, Clang.getCodeGenOpts().EnableSplitLTOUnit, *OS, TM);
  } else if (Action == frontend::EmitLLVM) {
    M.print(*OS, nullptr);
  } else {
    // DisableLLVMPasses is set, so clang's backend only generates code.
    EmitBackendOutput(Clang.getDiagnostics(), Clang.getHeaderSearchOpts(),
                      Clang.getCodeGenOpts(), Clang.getTargetOpts(), Clang.getLangOpts(),
                      M.getDataLayoutStr(), &M,
                      Action == frontend::EmitObj ? Backend_EmitObj : Backend_EmitAssembly,
                      &Clang.getVirtualFileSystem(), std::move(OS));
  }
  if (Clang.getDiagnostics().hasErrorOccurred())
    return false;
  if (Error Err = writeOutputFile(Clang.getFrontendOpts().OutputFile, Output))
    return reportError(Clang, std::move(Err));
  return true;
}

/// Where a compile job is, for the line that reports an LLVM failure there.
struct JobProgress {
  std::string Input = "<no input>";
  const char *Stage = "reading the arguments of";
};

bool compile(ArrayRef<std::string> Cc1Args, StringRef ExtraPasses, bool RunPipeline,
             IntrusiveRefCntPtr<vfs::FileSystem> FS, JobProgress &Progress) {
  CompilerInstance Clang;
  if (!createInvocation(Clang, Cc1Args))
    return false;
  if (!Clang.getFrontendOpts().Inputs.empty())
    Progress.Input = Clang.getFrontendOpts().Inputs.front().getFile().str();
  Progress.Stage = "compiling";
  Clang.createFileManager(FS);
  frontend::ActionKind Action = Clang.getFrontendOpts().ProgramAction;
  if (!makesCode(Action))
    return ExecuteCompilerInvocation(&Clang);
  if (Error Err = checkSupported(Clang.getInvocation()))
    return reportError(Clang, std::move(Err));
  applyLLVMArgs(Clang.getFrontendOpts());

  LLVMContext Context;
  EmitLLVMOnlyAction Frontend(&Context);
  if (!Clang.ExecuteAction(Frontend))
    return false;
  std::unique_ptr<llvm::Module> M = Frontend.takeModule();
  if (!M)
    return false;

  Expected<std::unique_ptr<TargetMachine>> TM = createTargetMachine(Clang.getInvocation());
  if (!TM)
    return reportError(Clang, TM.takeError());
  PipelineOptions Options = pipelineOptions(Clang.getInvocation(), ExtraPasses);
  if (RunPipeline) {
    Progress.Stage = "optimising";
    if (Error Err = runPipeline(*M, Options, TM->get()))
      return reportError(Clang, std::move(Err));
  }
  Progress.Stage = "writing the output of";
  return emitModule(Clang, *M, Action, Options, TM->get());
}
} // namespace

bool runCompileJob(ArrayRef<std::string> Cc1Args, const Profile &P, bool RunPipeline,
                   IntrusiveRefCntPtr<vfs::FileSystem> FS) {
  JobProgress Progress;
  return runGuarded([&] { return compile(Cc1Args, P.Passes, RunPipeline, FS, Progress); },
                    [&] { return Progress.Stage + (" " + Progress.Input) + " with profile " + P.Name; });
}

Expected<std::string> compileJobPipeline(ArrayRef<std::string> Cc1Args, StringRef ExtraPasses) {
  CompilerInstance Clang;
  if (!createInvocation(Clang, Cc1Args))
    return makeError("the compile job's arguments are invalid");
  Expected<std::unique_ptr<TargetMachine>> TM = createTargetMachine(Clang.getInvocation());
  if (!TM)
    return TM.takeError();
  return pipelineText(pipelineOptions(Clang.getInvocation(), ExtraPasses), TM->get());
}

} // namespace pyaket
