//===- main.cpp - pyaket-cc -----------------------------------------------===//
//
// A thin main over libpyaket, as LLVM's tools are thin mains over libraries.
//
//===----------------------------------------------------------------------===//
#include "Driver.h"

#include "llvm/Support/InitLLVM.h"

int main(int Argc, const char **Argv) {
  llvm::InitLLVM Init(Argc, Argv);
  return pyaket::driverMain(Argc, Argv);
}
