//===- ProjectConfig.h - a Python project's pyaket configuration -*- C++ -*-===//
//
// Read from a pyaket.toml, or from the [tool.pyaket] table of a
// pyproject.toml, whose [project] table fills what pyaket's tables leave out.
// The tables follow Pyaket's: [application], [dependencies], [directories],
// [python], [torch], [entry], [build].
//
//===----------------------------------------------------------------------===//
#ifndef PYAKET_DRIVER_PROJECTCONFIG_H
#define PYAKET_DRIVER_PROJECTCONFIG_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <optional>
#include <string>
#include <vector>

namespace pyaket {

struct ProjectConfig {
  std::string Source; // the file read
  std::string Dir;    // relative paths resolve here

  // [application]
  std::string Name, Author, Vendor, Version, About;
  std::string Icon; // an .ico file, relative to Dir: the Windows executable's icon
  // [dependencies]
  std::vector<std::string> Wheels; // paths and globs, relative to Dir
  std::vector<std::string> PyPI;
  std::vector<std::string> Requirements; // files, relative to Dir
  bool Rolling = false;
  // [directories]
  std::string Common = "Pyaket", Versions = "Versions";
  // [python]
  std::string PythonVersion = "3.13";
  // [torch]
  std::string TorchVersion, TorchBackend;
  // [entry]: neither module nor command runs the interpreter
  std::string Module, Command;
  // [build]
  std::string Profile;
  std::vector<std::string> Targets; // target: one name, or a list (one executable each)
  bool Windowed = false; // Windows: a program with no console (pythonw)
  bool KeepOpen = false;
  bool DotEnv = false; // opt-in: the working directory must not steer the app

  /// vendor, else author, else name.
  std::string effectiveVendor() const;
};

/// What the command line says, which wins over the files.
struct ConfigOverrides {
  std::optional<std::string> Name, Version, Python, Module, Command;
  std::vector<std::string> Wheels, PyPI;
};

/// Reads \p Path: a directory (its pyaket.toml, else its pyproject.toml), or
/// a file. Errors name the file and the key.
llvm::Expected<ProjectConfig> loadProjectConfig(llvm::StringRef Path);

/// Parses \p Text as the file \p Source (pyproject.toml by its name).
llvm::Expected<ProjectConfig> parseProjectConfig(llvm::StringRef Text, llvm::StringRef Source);

/// Applies the command line's overrides, then checks the result as a whole
/// (a name, a version, not both module and command, values safe as paths).
llvm::Error finishProjectConfig(ProjectConfig &Config, const ConfigOverrides &Overrides);

/// The wheel files that Config.Wheels name, sorted; a glob that matches
/// nothing is an error.
llvm::Expected<std::vector<std::string>> resolveWheels(const ProjectConfig &Config);

/// The bytes of Config.Icon's file, or "" when there is none.
llvm::Expected<std::string> readIcon(const ProjectConfig &Config);

/// The requirement lines of Config.Requirements' files, in order.
llvm::Expected<std::vector<std::string>> readRequirements(const ProjectConfig &Config);

} // namespace pyaket

#endif
