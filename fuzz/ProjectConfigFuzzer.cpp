//===- ProjectConfigFuzzer.cpp - pyaket-cc's project configuration reader -===//
//
// Input: a TOML file, read both as a pyaket.toml and as a pyproject.toml
// (whose [project] and [tool.pyaket] tables count), then checked as a whole
// as packaging does with no command-line overrides.
//
//===----------------------------------------------------------------------===//
#include "ProjectConfig.h"

#include <stdint.h>

using namespace llvm;
using namespace pyaket;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  StringRef Text(reinterpret_cast<const char *>(Data), Size);
  for (StringRef Source : {"/fuzz/pyaket.toml", "/fuzz/pyproject.toml"}) {
    Expected<ProjectConfig> Config = parseProjectConfig(Text, Source);
    // The messages are built as pyaket-cc builds them to print them.
    if (!Config) {
      toString(Config.takeError());
      continue;
    }
    if (Error Err = finishProjectConfig(*Config, ConfigOverrides()))
      toString(std::move(Err));
    else if (Config->Name.empty() || Config->Version.empty())
      __builtin_trap(); // finishProjectConfig promises both
  }
  return 0;
}
