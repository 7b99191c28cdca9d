//===- Payload.h - the payloads a packaged app carries ----------*- C++ -*-===//
//
// The payloads (stub/PayloadFormat.h says their layout) are written straight
// into ELF or COFF relocatable objects, one section each, that the launcher stub is
// linked with. Compressed blobs are cached by content, so that a rebuild does
// not compress uv again.
//
//===----------------------------------------------------------------------===//
#ifndef PYAKET_DRIVER_PAYLOAD_H
#define PYAKET_DRIVER_PAYLOAD_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <string>
#include <utility>
#include <vector>

namespace pyaket {

/// The largest uv binary, uv wheel or bundled wheel embedded: each is held in memory.
const uint64_t MaxPayloadInput = uint64_t(1) << 30;

/// One zstd frame with a content checksum and the content size; long-distance
/// matching from level 19 up. \p CacheDir (may be empty: no cache) keeps the
/// result under a name made of the content's hash and the level.
llvm::Expected<std::string> compressCached(llvm::StringRef Data, int Level,
                                           llvm::StringRef CacheDir);

/// The directory compressed blobs are cached in: $PYAKET_CC_CACHE_DIR, else
/// ${XDG_CACHE_HOME:-~/.cache}/pyaket-cc.
std::string payloadCacheDir();

struct WheelFile {
  std::string Name; // file name only
  std::string Data;
};

/// The uncompressed wheel archive.
std::string wheelArchive(llvm::ArrayRef<WheelFile> Wheels);

/// The configuration text: "key=value" lines, then the checksum line.
std::string configText(llvm::ArrayRef<std::pair<std::string, std::string>> Entries);

/// Writes a relocatable object for \p Triple holding \p Data in one
/// section named \p Section: ELF (allocated, retained) or, for Windows,
/// COFF (initialized read-only data).
llvm::Error writePayloadObject(llvm::StringRef Path, llvm::StringRef Triple,
                               llvm::StringRef Section, llvm::StringRef Data);

} // namespace pyaket

#endif
