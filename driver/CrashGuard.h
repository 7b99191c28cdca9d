//===- CrashGuard.h - LLVM failures inside a job as one error line -*- C++ -*-===//
//
// pyaket-cc runs clang, the MC layer and the pass pipelines in its own
// process, so an LLVM fatal error or a crash in them would abort pyaket-cc
// with a stack dump. A job runs under this guard instead: the failure is one
// error line naming the job and the pass, and the process exits 1.
//
//===----------------------------------------------------------------------===//
#ifndef PYAKET_DRIVER_CRASHGUARD_H
#define PYAKET_DRIVER_CRASHGUARD_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include <string>

namespace pyaket {

/// Runs \p Job and returns its result. On an LLVM fatal error (on any
/// thread), a failed allocation or a crash inside it, prints "LLVM failed:
/// REASON while WHERE, in pass PASS; ..." ("out of memory while WHERE; ...",
/// "crashed (signal N) while WHERE; ...") with WHERE from \p Where, and
/// exits 1 at once, as a crashed cc1 process would: LLVM's
/// global state may point into the abandoned frames. The temporary files
/// registered with llvm::sys::RemoveFileOnSignal are removed first.
bool runGuarded(llvm::function_ref<bool()> Job, llvm::function_ref<std::string()> Where);

} // namespace pyaket

#endif
