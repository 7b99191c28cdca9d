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
  const char **PyPI = nullptr; // NULL-terminated
  int PyPICount = 0;
  const char **Wheels = nullptr; // the bundled wheels' file names, NULL-terminated
  int WheelCount = 0;
};

/// Fails when the executable file is shorter than its loaded segments: a
/// truncated download would otherwise crash on the first payload access.
void checkExecutableComplete(const char *Exe);

/// Reads and verifies the configuration section; fail() when it is corrupt.
Config readConfig();

/// Writes the embedded uv to \p Target (checksum verified, atomically).
void extractUv(const char *Target);

/// Writes the embedded wheels into \p Dir, a fresh private directory, and
/// returns their paths (NULL-terminated) and count.
const char **extractWheels(const char *Dir, int &Count);

} // namespace pyaket

#endif
