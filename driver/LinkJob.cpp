//===- LinkJob.cpp - one LLD link, in-process -----------------------------===//
#include "LinkJob.h"

#include "lld/Common/Driver.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/raw_ostream.h"

LLD_HAS_DRIVER(elf)

namespace pyaket {

int runLinkJob(llvm::ArrayRef<std::string> Args) {
  // LLD's fatal errors unwind through a CrashRecoveryContext; without this
  // they would exit the whole process.
  llvm::CrashRecoveryContext::Enable();
  llvm::SmallVector<const char *, 128> Argv{"ld.lld"};
  for (const std::string &Arg : Args)
    Argv.push_back(Arg.c_str());
  lld::Result Result =
      lld::lldMain(Argv, llvm::outs(), llvm::errs(), {{lld::Gnu, &lld::elf::link}});
  llvm::outs().flush();
  return Result.retCode;
}

} // namespace pyaket
