//===- CommandLine.h - pyaket-cc's own options ------------------*- C++ -*-===//
//
// pyaket-cc takes clang's arguments plus a few of its own. This splits the
// two: ours are read here, everything else goes to clang's Driver unchanged.
//
//===----------------------------------------------------------------------===//
#ifndef PYAKET_DRIVER_COMMANDLINE_H
#define PYAKET_DRIVER_COMMANDLINE_H

#include "ProjectConfig.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace pyaket {

struct CommandLine {
  std::string ProfileSpec = "develop"; // --profile=NAME|PATH, else $PYAKET_PROFILE
  bool ProfileGiven = false;           // the user chose it: it owns the -O level
  std::string PrintProgName;           // -print-prog-name= of one of our own tools
  bool PrintPipeline = false;          // --print-pipeline
  bool ListProfiles = false;           // --list-profiles
  bool ListTargets = false;            // --list-targets
  bool Help = false;                   // --help
  bool Version = false;                // --version
  std::vector<std::string> ClangArgs;  // the rest, in order

  // Package mode: --project=PATH and what overrides the project's files.
  std::string Project;
  std::vector<std::string> Uvs; // --uv=PATH, repeatable: one per target
  ConfigOverrides Overrides;
};

/// Splits \p Args (response files already expanded, program name excluded).
/// \p EnvironmentProfile is $PYAKET_PROFILE: a profile chosen as --profile
/// is, which --profile overrides.
llvm::Expected<CommandLine> parseCommandLine(llvm::ArrayRef<std::string> Args,
                                             llvm::StringRef EnvironmentProfile = "");

/// The tool pyaket-cc itself is when called by the name \p Program
/// (-print-prog-name=ld answers our ld.lld): "ld.lld", "llvm-ar",
/// "llvm-ranlib", or "" for a tool of clang's.
llvm::StringRef ownToolName(llvm::StringRef Program);

/// Expands @file arguments as GCC and clang do.
llvm::Expected<std::vector<std::string>> expandResponseFiles(llvm::ArrayRef<const char *> Args);

} // namespace pyaket

#endif
