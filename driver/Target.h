//===- Target.h - the platforms package mode builds launchers for -*- C++ -*-===//
//
// A launcher target is an architecture and an operating system that
// pyaket-cc carries a runtime for (lib/pyaket-cc/<name>/ beside bin/): the C
// library, start files, compiler builtins and zstd decoder that the launcher
// links against, so that packaging needs nothing of the host's toolchain.
//
//===----------------------------------------------------------------------===//
#ifndef PYAKET_DRIVER_TARGET_H
#define PYAKET_DRIVER_TARGET_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace pyaket {

struct LauncherTarget {
  llvm::StringRef Name;      // what users write: "aarch64-linux"
  llvm::StringRef Triple;    // what clang compiles for: "aarch64-linux-musl"
  llvm::StringRef UvPlatform; // pip's --platform for uv's wheel of this target
  bool Windows;

  /// The executable's file name for \p Output: Windows programs end in .exe.
  std::string executableName(llvm::StringRef Output) const;
};

/// Every target pyaket-cc knows, host first.
llvm::ArrayRef<LauncherTarget> launcherTargets();

/// "x86_64-linux, aarch64-linux, ...", for messages.
std::string launcherTargetNames();

/// The target the machine running pyaket-cc is.
const LauncherTarget &hostLauncherTarget();

/// A target by its name ("aarch64-linux") or by any triple of the same
/// architecture and operating system ("aarch64-unknown-linux-gnu",
/// "x86_64-w64-mingw32").
llvm::Expected<const LauncherTarget &> findLauncherTarget(llvm::StringRef Spec);

/// Where the runtime of \p T is for the pyaket-cc at \p ProgramPath:
/// <prefix>/lib/pyaket-cc/<name>, or $PYAKET_CC_RUNTIME_DIR/<name>.
std::string launcherRuntimeDir(llvm::StringRef ProgramPath, const LauncherTarget &T);

/// What a launcher for \p T links against besides its own objects, from
/// its runtime \p Runtime: start files first, then the libraries, then the
/// files that end the link.
struct RuntimeFiles {
  std::vector<std::string> Start, Libraries, End;
};
RuntimeFiles launcherRuntimeFiles(const LauncherTarget &T, llvm::StringRef Runtime);

/// The runtime of \p T, or an error saying it is not installed (or not
/// whole: every file of launcherRuntimeFiles() and the C headers).
llvm::Expected<std::string> requireLauncherRuntime(llvm::StringRef ProgramPath,
                                                   const LauncherTarget &T);

/// The target an executable's bytes are for (ELF e_machine, PE machine), or
/// an error naming what it is instead.
llvm::Expected<const LauncherTarget &> executableTarget(llvm::StringRef Bytes);

} // namespace pyaket

#endif
