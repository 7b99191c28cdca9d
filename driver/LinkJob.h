//===- LinkJob.h - one LLD link, in-process ---------------------*- C++ -*-===//
#ifndef PYAKET_DRIVER_LINKJOB_H
#define PYAKET_DRIVER_LINKJOB_H

#include "llvm/ADT/ArrayRef.h"
#include <string>

namespace pyaket {

/// Links with LLD's ELF driver inside this process; \p Args are ld.lld's
/// arguments without the program name, and GNU ld's --default-symver, which
/// becomes a version script. Returns LLD's exit code. LLD keeps global
/// state: one link per process.
int runLinkJob(llvm::ArrayRef<std::string> Args);

} // namespace pyaket

#endif
