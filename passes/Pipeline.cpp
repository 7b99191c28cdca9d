//===- Pipeline.cpp - the per-profile optimisation pipelines -------------===//
#include "Pipeline.h"

#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/Bitcode/BitcodeWriterPass.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/IPO/ThinLTOBitcodeWriter.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Target/TargetMachine.h"

using namespace llvm;

namespace llvm {
// Defined in LLVMPasses, declared only in opt's private headers: with it set,
// PassBuilder records each pass's textual name so that printPipeline can use it.
extern cl::opt<bool> PrintPipelinePasses;
} // namespace llvm

namespace pyaket {

namespace {
/// The analysis managers and pass builder of one pipeline, wired together as
/// `opt` does.
struct PipelineContext {
  LoopAnalysisManager LAM;
  FunctionAnalysisManager FAM;
  CGSCCAnalysisManager CGAM;
  ModuleAnalysisManager MAM;
  PassInstrumentationCallbacks PIC;
  TargetLibraryInfoImpl TLII;
  PassBuilder PB;
  ModulePassManager MPM;
  ModulePassManager ExtraPasses;

  PipelineContext(const PipelineOptions &Options, TargetMachine *TM)
      : TLII(TM ? TM->getTargetTriple() : Triple()),
        PB(TM, Options.Tuning, std::nullopt, &PIC) {
    if (!Options.SimplifyLibCalls)
      TLII.disableAllFunctions();
    FAM.registerPass([&] { return TargetLibraryAnalysis(TLII); });
    PB.registerModuleAnalyses(MAM);
    PB.registerCGSCCAnalyses(CGAM);
    PB.registerFunctionAnalyses(FAM);
    PB.registerLoopAnalyses(LAM);
    PB.crossRegisterProxies(LAM, FAM, CGAM, MAM);
  }

  Error build(const PipelineOptions &Options) {
    // The extra passes run at the end of the optimisation pipeline, before the
    // LTO pre-link passes that name anonymous globals: a pass such as
    // mergefunc makes anonymous functions, which the summary writer rejects.
    if (Error Err = addExtraPasses(PB, ExtraPasses, Options.ExtraPasses))
      return Err;
    PB.registerOptimizerLastEPCallback([this](ModulePassManager &MPM, OptimizationLevel) {
      MPM.addPass(std::move(ExtraPasses));
    });
    bool PreLink = Options.Phase != LtoPhase::None;
    if (Options.Level == OptimizationLevel::O0)
      MPM = PB.buildO0DefaultPipeline(Options.Level, PreLink);
    else if (Options.Phase == LtoPhase::ThinPreLink)
      MPM = PB.buildThinLTOPreLinkDefaultPipeline(Options.Level);
    else if (Options.Phase == LtoPhase::FullPreLink)
      MPM = PB.buildLTOPreLinkDefaultPipeline(Options.Level);
    else
      MPM = PB.buildPerModuleDefaultPipeline(Options.Level);
    return Error::success();
  }
};
} // namespace

Error addExtraPasses(PassBuilder &PB, ModulePassManager &MPM, StringRef Text) {
  if (Text.empty())
    return Error::success();
  if (Error Err = PB.parsePassPipeline(MPM, Text))
    return createStringError(inconvertibleErrorCode(), "bad extra passes '" + Text +
                                                           "': " + toString(std::move(Err)));
  return Error::success();
}

Error checkExtraPasses(StringRef Text) {
  PassBuilder PB;
  ModulePassManager MPM;
  return addExtraPasses(PB, MPM, Text);
}

Expected<std::string> pipelineText(const PipelineOptions &Options, TargetMachine *TM) {
  PrintPipelinePasses = true;
  PipelineContext Context(Options, TM);
  if (Error Err = Context.build(Options))
    return Err;
  std::string Text;
  raw_string_ostream OS(Text);
  Context.MPM.printPipeline(OS, [&](StringRef ClassName) {
    StringRef PassName = Context.PIC.getPassNameForClassName(ClassName);
    return PassName.empty() ? ClassName : PassName;
  });
  return Text;
}

Error runPipeline(Module &M, const PipelineOptions &Options, TargetMachine *TM) {
  PipelineContext Context(Options, TM);
  if (Error Err = Context.build(Options))
    return Err;
  Context.MPM.run(M, Context.MAM);
  return Error::success();
}

void writeBitcode(Module &M, LtoPhase Phase, bool SplitLTOUnit, raw_ostream &OS,
                  TargetMachine *TM) {
  PipelineContext Context(PipelineOptions(), TM);
  switch (Phase) {
  case LtoPhase::ThinPreLink:
    if (!M.getModuleFlag("EnableSplitLTOUnit"))
      M.addModuleFlag(Module::Error, "EnableSplitLTOUnit", uint32_t(SplitLTOUnit));
    Context.MPM.addPass(ThinLTOBitcodeWriterPass(OS, nullptr));
    break;
  case LtoPhase::FullPreLink:
    if (!M.getModuleFlag("ThinLTO"))
      M.addModuleFlag(Module::Error, "ThinLTO", uint32_t(0));
    Context.MPM.addPass(BitcodeWriterPass(OS, false, /*EmitSummaryIndex=*/true));
    break;
  case LtoPhase::None:
    Context.MPM.addPass(BitcodeWriterPass(OS));
    break;
  }
  Context.MPM.run(M, Context.MAM);
}

} // namespace pyaket
