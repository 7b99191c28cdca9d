//===- DotEnvFuzzer.cpp - the launcher's .env parser ----------------------===//
//
// Input: a .env file, read through a FILE as the launcher reads one.
//
//===----------------------------------------------------------------------===//
#include "DotEnv.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

using namespace pyaket;

/// What setenv() and the launcher rely on: a non-empty key with no '=', no
/// line break, and never one that steers the launcher.
static void checkVariable(const char *Key, const char *Value, void *) {
  if (!*Key || strpbrk(Key, "=\n") || strchr(Value, '\n') || steersLauncher(Key))
    __builtin_trap();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  if (Size == 0) // fmemopen() refuses an empty buffer
    return 0;
  void *Copy = malloc(Size);
  memcpy(Copy, Data, Size);
  FILE *File = fmemopen(Copy, Size, "r");
  if (!File)
    __builtin_trap();
  parseDotEnv(File, "fuzz.env", checkVariable, nullptr);
  fclose(File);
  free(Copy);
  return 0;
}
