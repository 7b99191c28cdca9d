//===- LauncherBuild.h - compiling and linking a launcher -------*- C++ -*-===//
//
// A launcher is built in two steps. Its objects: the stub's sources (held in
// memory) compiled with the profile for the target; with LTO, the native
// object that the link-time optimisation makes of them, taken from a link
// with no payloads. They depend on neither the app nor its payloads, so they
// are cached. Then its link: those objects, the payload objects and the
// target's runtime, without LTO, so that a rebuild costs one plain link.
//
//===----------------------------------------------------------------------===//
#ifndef PYAKET_DRIVER_LAUNCHERBUILD_H
#define PYAKET_DRIVER_LAUNCHERBUILD_H

#include "Profile.h"
#include "Target.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace pyaket {

/// The launcher's sources, "name\ntext\n" each, for build ids.
std::string launcherSourcesText();

struct LauncherBuild {
  llvm::StringRef ProgramPath; // pyaket-cc, for clang's Driver
  const Profile &P;
  const LauncherTarget &T;
  llvm::StringRef Runtime;            // the target's lib/pyaket-cc/<target>
  bool Windowed;                      // Windows: the GUI subsystem
  llvm::ArrayRef<std::string> Passed; // -v, -###
};

/// Puts in \p Objects the launcher's objects: the cache's (\p CacheDir) when
/// they are there, else compiled now and kept there (in \p ScratchDir when
/// there is no cache). Returns the exit code; clang and lld report errors.
int launcherObjects(const LauncherBuild &B, llvm::StringRef CacheDir, llvm::StringRef ScratchDir,
                    std::vector<std::string> &Objects);

/// Links \p Objects and \p LinkInputs (payloads, resources, scripts) against
/// the runtime into \p Output, which it replaces whole or not at all; returns
/// the exit code.
int linkLauncher(const LauncherBuild &B, llvm::ArrayRef<std::string> Objects,
                 llvm::ArrayRef<std::string> LinkInputs, llvm::StringRef Output);

} // namespace pyaket

#endif
