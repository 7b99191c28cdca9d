//===- Toml.h - reading TOML files with positions in errors -----*- C++ -*-===//
//
// Profiles and project configurations are TOML, read with toml++. Errors
// name the file, the line and column, and the key.
//
//===----------------------------------------------------------------------===//
#ifndef PYAKET_DRIVER_TOML_H
#define PYAKET_DRIVER_TOML_H

#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"

#define TOML_HEADER_ONLY 1
#include <toml++/toml.h>

#include <string>
#include <vector>

namespace pyaket {

/// "<source>:<line>:<column>: key '<key>': <what>".
llvm::Error tomlKeyError(llvm::StringRef Source, const toml::source_region &Where,
                         const llvm::Twine &Key, const llvm::Twine &What);

/// Parses \p Text; a syntax error names \p Source, the line and the column.
/// (Move the table, never copy it: toml++ copies drop source positions.)
llvm::Expected<toml::table> parseToml(llvm::StringRef Text, llvm::StringRef Source);

/// Reads a list of strings (empty allowed) into \p Out.
llvm::Error readStringList(llvm::StringRef Source, const toml::node &Value,
                           const llvm::Twine &Key, std::vector<std::string> &Out);

} // namespace pyaket

#endif
