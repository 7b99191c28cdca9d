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

/// How a payload is compressed: one zstd frame with a content checksum and
/// the content size (long-distance matching from level 19 up), or one .xz
/// stream (uv, in the profiles that want the smallest executables): the
/// target machine's branch-call filter (x86 or ARM64, so that calls
/// compress better), then LZMA2, with CRC64 checks.
struct Compression {
  enum class Method { Zstd, Xz };
  Method Kind = Method::Zstd;
  int ZstdLevel = 3;
  std::string XzLzma2 = "preset=6"; // LZMA2's options as xz's --lzma2= takes them
  uint64_t XzBlockSize = 0;         // bytes of input per .xz block; 0: one block

  /// All of the above, for cache keys.
  std::string describe() const;
};

/// Compresses \p Data for \p Triple on \p Threads threads, in jobs (zstd) or
/// blocks (xz) of a fixed size: the bytes are the same for any number of
/// threads.
llvm::Expected<std::string> compressPayload(llvm::StringRef Data, const Compression &C,
                                            llvm::StringRef Triple, unsigned Threads);

/// Whether \p Lzma2Options are options of xz's --lzma2= (preset=9e,dict=64MiB ...).
llvm::Error checkXzOptions(llvm::StringRef Lzma2Options);

/// The threads a compression uses: one per core.
unsigned compressionThreads();

/// The path of a relocatable object for \p Triple whose section \p Section
/// holds \p Content compressed as \p C says: the cache's (\p CacheDir)
/// entry for \p ContentHash and these settings when there is one, else made
/// from \p Content() and kept there, or in \p ScratchDir when there is no
/// cache.
llvm::Expected<std::string>
compressedPayloadObject(llvm::StringRef CacheDir, llvm::StringRef ScratchDir,
                        llvm::StringRef Triple, llvm::StringRef Section, const Compression &C,
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
