//===- Archiver.h - llvm-ar and llvm-ranlib, in-process ---------*- C++ -*-===//
#ifndef PYAKET_DRIVER_ARCHIVER_H
#define PYAKET_DRIVER_ARCHIVER_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace pyaket {

/// Whether pyaket-cc called as \p ProgramName (argv[0]'s file name) is the
/// archiver: llvm-ar, llvm-ranlib, pyaket-ar, pyaket-ranlib, pyaket-llvm-ar,
/// ..., with or without a version suffix (llvm-ar-19).
bool isArchiverName(llvm::StringRef ProgramName);

/// Runs the archiver with \p Args (without the program name): llvm-ranlib's
/// command line when \p ToolName names ranlib, else llvm-ar's. Errors are one
/// line prefixed with \p ToolName. Returns the exit code.
int runArchiver(llvm::StringRef ToolName, llvm::ArrayRef<const char *> Args);

} // namespace pyaket

#endif
