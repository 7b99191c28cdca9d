//===- InputFile.h - reading build inputs safely -----------------*- C++ -*-===//
//
// Inputs named by a user or a project (uv, wheels, configuration, archive
// members) are read only when they are regular files: a FIFO or /dev/zero
// would never end, and a device is never an input.
//
//===----------------------------------------------------------------------===//
#ifndef PYAKET_DRIVER_INPUTFILE_H
#define PYAKET_DRIVER_INPUTFILE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <string>

namespace pyaket {

/// An error naming \p Path when it exists and is not a regular file (after
/// symlinks); a missing file passes, for the reader to report.
llvm::Error requireRegularFile(llvm::StringRef Path);

/// The bytes of the regular file \p Path, at most \p MaxSize of them.
llvm::Expected<std::string> readInputFile(llvm::StringRef Path, uint64_t MaxSize);

} // namespace pyaket

#endif
