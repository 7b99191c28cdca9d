//===- AssembleJob.h - one cc1as job, in-process ----------------*- C++ -*-===//
//
// An assemble job is clang's integrated assembler (`clang -cc1as`) run inside
// pyaket-cc. cc1as lives in the clang executable, not in a library, so this is
// a compact version of clang/tools/driver/cc1as_main.cpp on LLVM's MC layer,
// for ELF and COFF targets. clang's Driver plans one for every `.s` input, and
// for every `.S` input after the cc1 job that preprocesses it.
//
//===----------------------------------------------------------------------===//
#ifndef PYAKET_DRIVER_ASSEMBLEJOB_H
#define PYAKET_DRIVER_ASSEMBLEJOB_H

#include "llvm/ADT/ArrayRef.h"
#include <string>

namespace pyaket {

/// Runs the cc1as job \p Cc1AsArgs (the arguments after "-cc1as"): assembles
/// its input into an object file (-filetype obj) or assembly text (-filetype
/// asm), written whole. Assembly errors print as clang prints them
/// (file:line:col: error: ...); false on failure. An LLVM fatal error or a
/// crash inside the job is one error line and exit code 1 (CrashGuard).
bool runAssembleJob(llvm::ArrayRef<std::string> Cc1AsArgs);

} // namespace pyaket

#endif
