//===- Diagnostics.cpp - pyaket-cc's own error messages -------------------===//
#include "Diagnostics.h"

#include "llvm/Support/raw_ostream.h"

namespace pyaket {

int reportError(const llvm::Twine &Message) {
  llvm::errs() << "pyaket-cc: error: " << Message << "\n";
  return 1;
}

int reportError(llvm::Error Err) { return reportError(llvm::toString(std::move(Err))); }

} // namespace pyaket
