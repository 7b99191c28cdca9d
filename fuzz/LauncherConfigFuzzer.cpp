//===- LauncherConfigFuzzer.cpp - the launcher's configuration parser -----===//
//
// Input: the configuration text after its checksum line was verified (what
// parseConfig() gets from readConfig()), any bytes: a NUL ends the text.
//
//===----------------------------------------------------------------------===//
#include "Payload.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

using namespace pyaket;

/// Reads every byte of a string that parseConfig set: ASan checks it lies in
/// the text (or is a literal).
static size_t touch(const char *Text) { return strlen(Text); }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  char *Text = static_cast<char *>(malloc(Size + 1));
  memcpy(Text, Data, Size);
  Text[Size] = '\0';
  Config C;
  parseConfig(Text, C);
  size_t Total = touch(C.Name) + touch(C.Version) + touch(C.Vendor) + touch(C.Common) +
                 touch(C.Versions) + touch(C.Python) + touch(C.EntryKind) + touch(C.Entry) +
                 touch(C.TorchVersion) + touch(C.TorchBackend) + touch(C.Profile) +
                 touch(C.BuildId) + touch(C.PyaketVersion) + touch(C.UvVersion) +
                 touch(C.UvHash);
  for (int I = 0; I < C.PyPICount; ++I)
    Total += touch(C.PyPI[I]);
  for (int I = 0; I < C.WheelCount; ++I)
    Total += touch(C.Wheels[I]);
  // The lists end with a null, as the launcher's argument lists rely on; no
  // value is longer than the text.
  if (C.PyPI[C.PyPICount] || C.Wheels[C.WheelCount] || Total > Size)
    __builtin_trap();
  free(C.PyPI);
  free(C.Wheels);
  free(Text);
  return 0;
}
