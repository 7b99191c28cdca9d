//===- WheelArchiveFuzzer.cpp - the launcher's wheel archive reader -------===//
//
// Input: a decompressed wheel archive (stub/PayloadFormat.h): "PYAKETW1",
// then per wheel: name, NUL, 8-byte size, 8-byte FNV-1a, data.
//
//===----------------------------------------------------------------------===//
#include "Payload.h"
#include "PayloadFormat.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

using namespace pyaket;

namespace {
struct Archive {
  const unsigned char *Begin, *End;
};
} // namespace

/// What extractWheels() relies on: a name that stays in its directory, data
/// inside the archive.
static void checkWheel(const char *Name, const unsigned char *Data, size_t Size, void *Context) {
  const Archive &A = *static_cast<const Archive *>(Context);
  size_t Length = strlen(Name);
  bool Inside = reinterpret_cast<const unsigned char *>(Name) > A.Begin &&
                Data > reinterpret_cast<const unsigned char *>(Name) + Length &&
                Size <= size_t(A.End - Data);
  if (!Inside || Length == 0 || Length > 255 || Name[0] == '.' || strchr(Name, '/') ||
      strstr(Name, ".."))
    __builtin_trap();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  Archive A = {Data, Data + Size};
  if (const char *Error = parseWheelArchive(Data, Size, checkWheel, &A))
    free(const_cast<char *>(Error));
  return 0;
}
