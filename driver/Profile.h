//===- Profile.h - build profiles (develop, fast, ...) ----------*- C++ -*-===//
//
// A profile is a small TOML file saying how to optimise, link and compress.
// Profiles inherit from each other like cargo's [profile.*] tables: a file
// names its parent with `inherits`, and each key it sets replaces the
// parent's value (lists are replaced, not merged).
//
//===----------------------------------------------------------------------===//
#ifndef PYAKET_DRIVER_PROFILE_H
#define PYAKET_DRIVER_PROFILE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace pyaket {

enum class OptLevel { O0, O1, O2, O3, Os, Oz };
enum class LtoKind { None, Thin, Full };

llvm::StringRef optLevelName(OptLevel Level);
llvm::StringRef ltoKindName(LtoKind Kind);

struct Profile {
  std::string Name;   // "smallest", or the file's stem for a user profile
  std::string Source; // where it was read: "profiles/smallest.toml (built-in)" or a path
  std::string Description;
  OptLevel Opt = OptLevel::O0;
  LtoKind Lto = LtoKind::None;
  std::string Passes; // extra textual pipeline, run after the default one
  std::vector<std::string> CompileFlags; // clang driver flags
  std::vector<std::string> LinkFlags;    // LLD flags
  bool Strip = false;
  bool Static = false;
  int ZstdLevel = 3;           // the wheels, and uv unless UvCompression is "xz"
  std::string UvCompression = "zstd"; // or "xz"
  std::string XzLzma2 = "preset=6";   // xz's --lzma2= options
  int XzBlockMiB = 0;                 // MiB of uv per .xz block (compressed in parallel); 0: one
};

/// The built-in profiles' names, in the order they are documented.
llvm::ArrayRef<llvm::StringRef> builtinProfileNames();

/// Loads a profile by built-in name, or from a file when \p NameOrPath is a
/// path (contains '/' or ends in ".toml"). Errors name the file and the key.
llvm::Expected<Profile> loadProfile(llvm::StringRef NameOrPath);

/// Parses profile text as if read from \p Source; `inherits` resolves
/// relative to \p Source's directory. Used by loadProfile and the unit tests.
llvm::Expected<Profile> parseProfile(llvm::StringRef Text, llvm::StringRef Source);

} // namespace pyaket

#endif
