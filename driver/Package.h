//===- Package.h - a Python project becomes one executable ------*- C++ -*-===//
#ifndef PYAKET_DRIVER_PACKAGE_H
#define PYAKET_DRIVER_PACKAGE_H

#include "CommandLine.h"

#include "llvm/ADT/StringRef.h"

namespace pyaket {

/// `pyaket-cc --project=PATH -o app`: compiles the launcher stub with the
/// profile and links it with the payloads (uv, wheels, configuration).
/// Returns the exit code; errors are one line each.
int packageProject(llvm::StringRef ProgramPath, const CommandLine &CL);

} // namespace pyaket

#endif
