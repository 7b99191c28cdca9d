//===- CompileJob.h - one cc1 job, in-process -------------------*- C++ -*-===//
//
// A compile job is clang's cc1 run inside pyaket-cc: the frontend builds the
// module with -disable-llvm-passes, the profile's pipeline (passes/) optimises
// it, then clang's backend writes the object or assembly, or pyaket-cc writes
// the (LTO) bitcode itself. Jobs that make no code (-E, -fsyntax-only) run as
// plain cc1 does.
//
//===----------------------------------------------------------------------===//
#ifndef PYAKET_DRIVER_COMPILEJOB_H
#define PYAKET_DRIVER_COMPILEJOB_H

#include "Profile.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/IntrusiveRefCntPtr.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/Error.h"
#include <string>

namespace pyaket {

/// Runs the cc1 job \p Cc1Args (the arguments after "-cc1"): the frontend,
/// then, if \p RunPipeline, the pipeline with the extra passes of profile
/// \p P, then the output. Files are read from \p FS. Diagnostics go to
/// stderr; false on failure. An LLVM fatal error or a crash inside the job is
/// one error line naming the input, the profile and the pass, and exit code 1
/// (CrashGuard).
bool runCompileJob(llvm::ArrayRef<std::string> Cc1Args, const Profile &P, bool RunPipeline,
                   llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS);

/// The text of the pipeline that runCompileJob runs for these arguments.
llvm::Expected<std::string> compileJobPipeline(llvm::ArrayRef<std::string> Cc1Args,
                                               llvm::StringRef ExtraPasses);

} // namespace pyaket

#endif
