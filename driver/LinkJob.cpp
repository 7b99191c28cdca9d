//===- LinkJob.cpp - one LLD link, in-process -----------------------------===//
#include "LinkJob.h"

#include "CrashGuard.h"

#include "lld/Common/Driver.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/raw_ostream.h"

LLD_HAS_DRIVER(elf)

namespace pyaket {

namespace {
/// The link's output, for messages: -o's value, else LLD's a.out.
std::string outputOf(llvm::ArrayRef<std::string> Args) {
  for (size_t I = 0; I + 1 < Args.size(); ++I)
    if (Args[I] == "-o")
      return Args[I + 1];
  return "a.out";
}
} // namespace

int runLinkJob(llvm::ArrayRef<std::string> Args) {
  llvm::SmallVector<const char *, 128> Argv{"ld.lld"};
  for (const std::string &Arg : Args)
    Argv.push_back(Arg.c_str());
  // LLD's own errors unwind through its CrashRecoveryContext (the guard
  // enables them); LLVM's fatal errors in LTO are the guard's.
  int Code = 0;
  runGuarded(
      [&] {
        Code = lld::lldMain(Argv, llvm::outs(), llvm::errs(), {{lld::Gnu, &lld::elf::link}})
                   .retCode;
        return Code == 0;
      },
      [&] { return "linking " + outputOf(Args); });
  llvm::outs().flush();
  return Code;
}

} // namespace pyaket
