//===- PayloadFormat.h - what pyaket-cc embeds and the launcher reads -----===//
//
// Shared by the writer (pyaket-cc's driver) and the reader (the launcher), so
// that both agree on names and layouts. Plain C++ on the C library only.
//
// Each payload is an ELF section whose name is a C identifier, so that the
// linker defines __start_<name> and __stop_<name>:
//   pyaket_config  the configuration: text lines "key=value", then a line
//                  "checksum=<16 hex digits>", the FNV-1a of all before it.
//                  Stored plain: the fast path reads it without decompressing.
//   pyaket_uv      the uv binary, one zstd frame with a content checksum.
//   pyaket_wheels  the wheel archive, one zstd frame with a content checksum:
//                  "PYAKETW1", then per wheel: name, NUL, 8-byte little-endian
//                  size, 8-byte little-endian FNV-1a of the data, the data.
//
//===----------------------------------------------------------------------===//
#ifndef PYAKET_STUB_PAYLOADFORMAT_H
#define PYAKET_STUB_PAYLOADFORMAT_H

#include <stddef.h>
#include <stdint.h>

namespace pyaket {

constexpr const char ConfigSection[] = "pyaket_config";
constexpr const char UvSection[] = "pyaket_uv";
constexpr const char WheelsSection[] = "pyaket_wheels";
// A PE image keeps 8 characters of a section's name: on Windows the same
// payloads are these sections, which the launcher finds in its own headers.
constexpr const char WindowsConfigSection[] = ".pyaketc";
constexpr const char WindowsUvSection[] = ".pyaketu";
constexpr const char WindowsWheelsSection[] = ".pyaketw";

constexpr const char WheelArchiveMagic[] = "PYAKETW1"; // 8 bytes, no NUL
constexpr const char ChecksumKey[] = "checksum=";

/// 64-bit FNV-1a: a cheap check that embedded data arrived intact.
inline uint64_t fnv1a64(const void *Data, size_t Size, uint64_t Hash = 14695981039346656037ull) {
  const unsigned char *Bytes = static_cast<const unsigned char *>(Data);
  for (size_t I = 0; I < Size; ++I) {
    Hash ^= Bytes[I];
    Hash *= 1099511628211ull;
  }
  return Hash;
}

} // namespace pyaket

#endif
