//===- Diagnostics.h - pyaket-cc's own error messages -----------*- C++ -*-===//
//
// Every error is one line that says what is wrong and what to do.
//
//===----------------------------------------------------------------------===//
#ifndef PYAKET_DRIVER_DIAGNOSTICS_H
#define PYAKET_DRIVER_DIAGNOSTICS_H

#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"
#include <string>
#include <system_error>

namespace pyaket {

/// An error carrying \p Message.
inline llvm::Error makeError(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

/// "cannot create temporary files in <the temporary directory>: <why>",
/// with what to do: the directory comes from TMPDIR.
std::string cannotCreateTemporary(std::error_code EC);

/// Prints "pyaket-cc: error: <message>" and returns the exit code, 1.
int reportError(const llvm::Twine &Message);
int reportError(llvm::Error Err);

} // namespace pyaket

#endif
