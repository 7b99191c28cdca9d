//===- CrashGuard.cpp - LLVM failures inside a job as one error line ------===//
#include "CrashGuard.h"
#include "Diagnostics.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/PrettyStackTrace.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

using namespace llvm;

namespace pyaket {

namespace {
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

/// Prints the one line, with \p Advice, and ends the process. Nothing
/// unwinds, so this works on any thread and inside LLD's own crash recovery.
/// Only the first failing thread speaks (ThinLTO backends run on a pool); the
/// others wait for it.
[[noreturn]] void failJob(function_ref<std::string()> Where, const std::string &What,
                          const std::string &Pass,
                          StringRef Advice = "if the input is valid, this is a pyaket-cc "
                                             "bug: please report it") {
  static std::atomic_flag Reported = ATOMIC_FLAG_INIT;
  if (Reported.test_and_set())
    for (;;)
      std::this_thread::sleep_for(std::chrono::hours(1));
  std::string Message = What + " while " + Where();
  if (!Pass.empty())
    Message += ", in pass " + Pass;
  reportError(Message + "; " + Advice);
  outs().flush();
  sys::RunInterruptHandlers();
  std::_Exit(1);
}

/// report_fatal_error calls this instead of aborting with a stack dump.
void onFatalError(void *Where, const char *Reason, bool) {
  // One line, whatever the reason's own line breaks.
  std::string Line = StringRef(Reason).trim().str();
  std::replace(Line.begin(), Line.end(), '\n', ' ');
  auto &Job = *static_cast<function_ref<std::string()> *>(Where);
  // A write that failed (a full disk, -o /dev/full) is the machine's doing.
  if (StringRef Cause = Line; Cause.consume_front("IO failure on output stream: "))
    failJob(Job, ("cannot write the output: " + Cause).str(), "",
            "free some space or write elsewhere");
  failJob(Job, "LLVM failed: " + Line, runningPass());
}

/// An allocation LLVM could not make (an assembly .file number in the
/// billions): the same.
void onOutOfMemory(void *Where, const char *, bool) {
  failJob(*static_cast<function_ref<std::string()> *>(Where), "out of memory", "");
}
} // namespace

bool runGuarded(function_ref<bool()> Job, function_ref<std::string()> Where) {
  ScopedFatalErrorHandler Handler(onFatalError, &Where);
  install_bad_alloc_error_handler(onOutOfMemory, &Where);
  auto RemoveOutOfMemoryHandler = make_scope_exit(remove_bad_alloc_error_handler);
  // A crash (a signal) unwinds to here instead of dumping the stack.
  CrashRecoveryContext::Enable();
  CrashRecoveryContext Recovery;
  bool Ok = false;
  if (Recovery.RunSafely([&] { Ok = Job(); }))
    return Ok;
  failJob(Where, "crashed (signal " + std::to_string(Recovery.RetCode - 128) + ")", "");
}

} // namespace pyaket
