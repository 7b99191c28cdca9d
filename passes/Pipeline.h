//===- Pipeline.h - the per-profile optimisation pipelines ------*- C++ -*-===//
//
// Every compile job runs the pipeline built here, never clang's own: the
// frontend runs with -disable-llvm-passes and hands its module over. The
// pipeline is LLVM's default one for the level and LTO phase, with the
// profile's extra passes (textual pipeline syntax, as `opt -passes=`) at its
// optimizer-last extension point: after the optimisation passes, before the
// LTO pre-link passes that prepare the module for its summary.
//
//===----------------------------------------------------------------------===//
#ifndef PYAKET_PASSES_PIPELINE_H
#define PYAKET_PASSES_PIPELINE_H

#include "llvm/Passes/OptimizationLevel.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/Error.h"
#include <string>

namespace llvm {
class Module;
class TargetMachine;
class raw_ostream;
} // namespace llvm

namespace pyaket {

/// Which link the module is prepared for.
enum class LtoPhase { None, ThinPreLink, FullPreLink };

struct PipelineOptions {
  llvm::OptimizationLevel Level = llvm::OptimizationLevel::O1;
  LtoPhase Phase = LtoPhase::None;
  llvm::PipelineTuningOptions Tuning;
  std::string ExtraPasses;
  /// False for -ffreestanding and -fno-builtin: no library call is known.
  bool SimplifyLibCalls = true;
};

/// Appends the textual pipeline \p Text (`opt -passes=` syntax) to \p MPM.
llvm::Error addExtraPasses(llvm::PassBuilder &PB, llvm::ModulePassManager &MPM,
                           llvm::StringRef Text);

/// Whether \p Text is a pipeline LLVM can parse; the error names what is not.
llvm::Error checkExtraPasses(llvm::StringRef Text);

/// The pipeline as text that `opt -passes=` accepts: exactly what runs.
llvm::Expected<std::string> pipelineText(const PipelineOptions &Options,
                                         llvm::TargetMachine *TM);

/// Runs the pipeline over \p M, which targets \p TM.
llvm::Error runPipeline(llvm::Module &M, const PipelineOptions &Options,
                        llvm::TargetMachine *TM);

/// Writes \p M as bitcode for the link \p Phase prepares for, as clang does:
/// with a ThinLTO summary for ThinLTO, a regular LTO summary for full LTO.
/// \p SplitLTOUnit is clang's -fsplit-lto-unit.
void writeBitcode(llvm::Module &M, LtoPhase Phase, bool SplitLTOUnit,
                  llvm::raw_ostream &OS, llvm::TargetMachine *TM);

} // namespace pyaket

#endif
