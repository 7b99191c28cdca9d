//===- CrashGuard.cpp - LLVM failures inside a job as one error line ------===//
#include "CrashGuard.h"
#include "Diagnostics.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/PrettyStackTrace.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace pyaket {

namespace {
/// What report_fatal_error said, and in which pass.
struct FatalError {
  std::string Reason;
  std::string Pass;
};

/// The pass LLVM is running, from its pretty stack trace: the innermost
/// "Running pass 'NAME' on ..." entry, of either pass manager.
std::string runningPass() {
  for (auto *Entry = static_cast<const PrettyStackTraceEntry *>(SavePrettyStackState()); Entry;
       Entry = Entry->getNextEntry()) {
    std::string Text;
    raw_string_ostream OS(Text);
    Entry->print(OS);
    StringRef Line = StringRef(Text).trim();
    if (Line.consume_front("Running pass "))
      return Line.split(" on ").first.trim("\"'").str();
  }
  return "";
}

/// report_fatal_error calls this instead of aborting; Process::Exit unwinds
/// to the guard's CrashRecoveryContext.
void recordFatalError(void *Context, const char *Reason, bool) {
  auto *Error = static_cast<FatalError *>(Context);
  Error->Reason = Reason;
  Error->Pass = runningPass();
  sys::Process::Exit(1);
}
} // namespace

bool runGuarded(function_ref<bool()> Job, function_ref<std::string()> Where) {
  CrashRecoveryContext::Enable();
  FatalError Fatal;
  ScopedFatalErrorHandler Handler(recordFatalError, &Fatal);
  CrashRecoveryContext Recovery;
  bool Ok = false;
  if (Recovery.RunSafely([&] { Ok = Job(); }))
    return Ok;

  std::string Message = Fatal.Reason.empty()
                            ? "crashed (signal " + std::to_string(Recovery.RetCode - 128) + ")"
                            : "LLVM failed: " + Fatal.Reason;
  Message += " while " + Where();
  if (!Fatal.Pass.empty())
    Message += ", in pass " + Fatal.Pass;
  reportError(Message + "; this is a pyaket-cc bug: please report it");
  outs().flush();
  sys::RunInterruptHandlers();
  sys::Process::Exit(1, /*NoCleanup=*/true);
}

} // namespace pyaket
