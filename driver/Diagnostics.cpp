//===- Diagnostics.cpp - pyaket-cc's own error messages -------------------===//
#include "Diagnostics.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace pyaket {

std::string cannotCreateTemporary(std::error_code EC) {
  llvm::SmallString<128> Temp;
  llvm::sys::path::system_temp_directory(/*ErasedOnReboot=*/true, Temp);
  return ("cannot create temporary files in " + Temp + ": " + EC.message() +
          "; set TMPDIR to a directory you can write to")
      .str();
}

int reportError(const llvm::Twine &Message) {
  llvm::errs() << "pyaket-cc: error: " << Message << "\n";
  return 1;
}

int reportError(llvm::Error Err) { return reportError(llvm::toString(std::move(Err))); }

} // namespace pyaket
