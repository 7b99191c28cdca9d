//===- OutputFile.h - writing build outputs whole or not at all -*- C++ -*-===//
#ifndef PYAKET_DRIVER_OUTPUTFILE_H
#define PYAKET_DRIVER_OUTPUTFILE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace pyaket {

/// Whether an output at \p Path is written in place rather than renamed into
/// place: "-" (stdout), a file descriptor's name (/dev/stdout), or an
/// existing device or pipe.
bool isWrittenInPlace(llvm::StringRef Path);

/// Writes \p Data to \p Path ("-" is stdout) under a temporary name, then
/// renames it into place: a failed write (a full disk) leaves no partial
/// file and is an error, never a crash. A device or pipe is written to
/// directly. \p Durable: synced to the disk before the rename, so that a
/// crash leaves the old file or the whole new one.
llvm::Error writeOutputFile(llvm::StringRef Path, llvm::StringRef Data, bool Durable = false);

} // namespace pyaket

#endif
