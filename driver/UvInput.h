//===- UvInput.h - the uv that a launcher embeds ----------------*- C++ -*-===//
//
// Each launcher embeds the uv of its own target. --uv names uv binaries or
// uv's wheels from PyPI (pip download uv --only-binary=:all: --platform ...),
// told apart by the machine they are for. What a build learns of a uv file
// (its hash, machine, version) is cached under the file's identity (device,
// inode, size, times), so that a rebuild neither reads nor runs it.
//
//===----------------------------------------------------------------------===//
#ifndef PYAKET_DRIVER_UVINPUT_H
#define PYAKET_DRIVER_UVINPUT_H

#include "Target.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace pyaket {

struct UvInput {
  std::string Path;    // as given, for messages
  std::string Hash;    // hex BLAKE3 hash of the executable's bytes
  std::string Version; // `uv --version`'s answer, or "unknown"
  const LauncherTarget *Target;

  /// The executable's bytes, read again (out of the wheel for a wheel); an
  /// error when the file no longer holds the uv it held.
  llvm::Expected<std::string> readBinary() const;
};

/// Reads the uvs of \p Given (--uv values), else the uv on PATH.
llvm::Expected<std::vector<UvInput>> loadUvInputs(llvm::ArrayRef<std::string> Given);

/// The uv for \p T among \p Uvs; an error names the uvs there are and how
/// to get the one for \p T.
llvm::Expected<const UvInput &> uvForTarget(llvm::ArrayRef<UvInput> Uvs, const LauncherTarget &T);

} // namespace pyaket

#endif
