//===- Payload.h - the payloads a packaged app carries ----------*- C++ -*-===//
//
// The payloads (stub/PayloadFormat.h says their layout) are written straight
// into ELF or COFF relocatable objects, one section each, that the launcher stub is
// linked with. The objects of compressed payloads are cached by content, so
// that a rebuild neither compresses uv again nor copies it: the linker maps
// the cached object.
//
//===----------------------------------------------------------------------===//
#ifndef PYAKET_DRIVER_PAYLOAD_H
#define PYAKET_DRIVER_PAYLOAD_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <string>
#include <utility>
#include <vector>

namespace pyaket {

/// The largest uv binary, uv wheel or bundled wheel embedded: each is held in memory.
const uint64_t MaxPayloadInput = uint64_t(1) << 30;

/// One zstd frame with a content checksum and the content size; long-distance
/// matching from level 19 up. Compressed on \p Threads threads in jobs of a
/// fixed size: the bytes are the same for any number of threads.
llvm::Expected<std::string> compressPayload(llvm::StringRef Data, int Level, unsigned Threads);

/// The threads a compression uses: one per core.
unsigned compressionThreads();

/// The path of a relocatable object for \p Triple whose section \p Section
/// holds \p Content compressed at \p Level: the cache's (\p CacheDir) entry
/// for \p ContentHash and these settings when there is one, else made from
/// \p Content() and kept there, or in \p ScratchDir when there is no cache.
llvm::Expected<std::string>
compressedPayloadObject(llvm::StringRef CacheDir, llvm::StringRef ScratchDir,
                        llvm::StringRef Triple, llvm::StringRef Section, int Level,
                        llvm::StringRef ContentHash,
                        llvm::function_ref<llvm::Expected<std::string>()> Content);

struct WheelFile {
  std::string Name; // file name only
  std::string Data;
};

/// The uncompressed wheel archive.
std::string wheelArchive(llvm::ArrayRef<WheelFile> Wheels);

/// The configuration text: "key=value" lines, then the checksum line.
std::string configText(llvm::ArrayRef<std::pair<std::string, std::string>> Entries);

/// A relocatable object for \p Triple holding \p Data in one section named
/// \p Section: ELF (allocated, retained) or, for Windows, COFF (initialized
/// read-only data).
llvm::Expected<std::string> payloadObject(llvm::StringRef Triple, llvm::StringRef Section,
                                          llvm::StringRef Data);

} // namespace pyaket

#endif
