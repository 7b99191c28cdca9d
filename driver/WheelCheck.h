//===- WheelCheck.h - is this a wheel the launcher can install? -*- C++ -*-===//
//
// Wheels are bundled at build time and installed by uv at the app's first
// run: one that is not a wheel would fail only there, on a user's machine.
// The check is the part of PEP 427 that decides that: the file name, a zip
// archive whose central directory reads, entries that stay inside the
// install (no absolute path, no "..", no symlink, no duplicate), and a
// .dist-info/WHEEL file. pyaket-cc also reads uv's binary out of uv's wheel.
//
//===----------------------------------------------------------------------===//
#ifndef PYAKET_DRIVER_WHEELCHECK_H
#define PYAKET_DRIVER_WHEELCHECK_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace pyaket {

/// Whether \p FileName (no directory) and \p Data make a wheel; the error
/// says what is wrong.
llvm::Error checkWheel(llvm::StringRef FileName, llvm::StringRef Data);

/// The bytes of the entry \p EntryName of the wheel \p Data (stored or
/// deflated, CRC checked), at most \p MaxEntrySize of them.
llvm::Expected<std::string> readWheelEntry(llvm::StringRef FileName, llvm::StringRef Data,
                                           llvm::StringRef EntryName, uint64_t MaxEntrySize);

} // namespace pyaket

#endif
