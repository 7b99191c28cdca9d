//===- OutputFile.h - writing build outputs whole or not at all -*- C++ -*-===//
#ifndef PYAKET_DRIVER_OUTPUTFILE_H
#define PYAKET_DRIVER_OUTPUTFILE_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <chrono>
#include <sys/types.h>

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

/// Removes \p Path whatever it is: a directory with what is in it (a link
/// inside goes, not what it points to), anything else unlinked (a link, not
/// what it points to; a pipe or a device too, which sys::fs::remove leaves).
void removeWithoutFollowing(llvm::StringRef Path);

/// Removes what builds killed over \p Age ago left in \p Dir: this user's
/// entries whose names \p IsLeftover accepts and whose own type is \p Type
/// (S_IFREG, S_IFDIR; 0 for any). Younger ones may be a running build's.
void removeLeftovers(llvm::StringRef Dir, llvm::function_ref<bool(llvm::StringRef Name)> IsLeftover,
                     mode_t Type, std::chrono::seconds Age);

} // namespace pyaket

#endif
