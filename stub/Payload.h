//===- Payload.h - reading what pyaket-cc embedded --------------*- C++ -*-===//
#ifndef PYAKET_STUB_PAYLOAD_H
#define PYAKET_STUB_PAYLOAD_H

#include "Support.h"

namespace pyaket {

/// The embedded configuration, parsed. Strings point into one heap copy.
struct Config {
  const char *Name = "";
  const char *Version = "";
  const char *Vendor = "";
  const char *Common = "";
  const char *Versions = "";
  const char *Python = "";
  const char *EntryKind = ""; // "module", "command" or "interpreter"
  const char *Entry = "";
  const char *TorchVersion = "";
  const char *TorchBackend = "";
  const char *Profile = "";
  const char *BuildId = "";
  const char *PyaketVersion = "";
  const char *UvVersion = "";
  const char *UvHash = "";
  bool Rolling = false;
  bool KeepOpen = false;
  bool DotEnv = false;
  bool Windowed = false; // Windows: no console, the app runs with pythonw
  const char **PyPI = nullptr; // NULL-terminated
  int PyPICount = 0;
  const char **Wheels = nullptr; // the bundled wheels' file names, NULL-terminated
  int WheelCount = 0;
};

/// What to do about a damaged executable.
extern const char RebuildHint[];

/// Reads and verifies the configuration section; fail() when it is corrupt.
Config readConfig();

/// Parses the configuration \p Text ("key=value" lines) into \p C, in place:
/// C's strings point into Text, C.PyPI and C.Wheels are fresh calloc()
/// arrays. Unknown keys and lines without '=' are
/// ignored; the last line may lack its '\n'.
void parseConfig(char *Text, Config &C);

/// The size of the embedded uv, from its frame header; 0 when unknown.
unsigned long long embeddedUvSize();

/// Writes the embedded uv to \p Target (checksum verified, atomically).
void extractUv(const char *Target);

/// Called for each wheel of the archive, in order: its checked name (inside
/// the archive, NUL-terminated) and data.
using WheelVisitor = void (*)(const char *Name, const unsigned char *Data, size_t Size,
                              void *Context);

/// Walks the decompressed wheel archive \p Archive (PayloadFormat.h): checks
/// the magic, the index's bounds, each name (no path, a wheel's suffix) and
/// each hash, and passes each wheel to \p Visit. Returns null, or the error
/// (a fresh heap string) at the first wheel that fails; Visit has seen the
/// wheels before it.
const char *parseWheelArchive(const unsigned char *Archive, size_t Size, WheelVisitor Visit,
                              void *Context);

/// Writes the embedded wheels into \p Dir, a fresh private directory, and
/// returns their paths (NULL-terminated) and count.
const char **extractWheels(const char *Dir, int &Count);

} // namespace pyaket

#endif
