//===- Profile.cpp - build profiles (develop, fast, ...) ------------------===//
//
// Loading runs in two steps: read each file of the `inherits` chain (checking
// every key's name and type), then apply them from the root to the leaf.
//
//===----------------------------------------------------------------------===//
#include "Profile.h"
#include "Diagnostics.h"
#include "Payload.h"
#include "Pipeline.h"
#include "Toml.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"


using namespace llvm;

namespace pyaket {

namespace {
struct BuiltinProfile {
  StringRef File; // "develop.toml"
  StringRef Text;
  StringRef name() const { return File.drop_back(StringRef(".toml").size()); }
};
const BuiltinProfile Builtins[] = {
#include "BuiltinProfiles.inc"
};

const StringRef KnownKeys[] = {"inherits",      "description", "opt",
                               "lto",           "passes",      "compile_flags",
                               "link_flags",    "strip",       "static",
                               "zstd_level",    "uv_compression", "xz_lzma2",
                               "xz_block_mib"};

/// One file of an inheritance chain, parsed but not yet applied.
struct ProfileFile {
  std::string Id;     // the built-in's name, or the file's absolute path
  std::string Source; // how errors name the file
  std::string Dir;    // where its `inherits` paths are relative to
  bool Builtin;
  toml::table Table;
};

/// An error at \p Where: the key's own position for unknown keys, the value's otherwise.
Error keyError(const ProfileFile &File, const toml::source_region &Where, StringRef Key,
               const Twine &What) {
  return tomlKeyError(File.Source, Where, Key, What);
}

bool isPath(StringRef Spec) { return Spec.contains('/') || Spec.ends_with(".toml"); }

std::string builtinNameList() {
  return join(map_range(Builtins, [](const BuiltinProfile &B) { return B.name(); }), ", ");
}

Expected<ProfileFile> parseFile(StringRef Text, std::string Id, std::string Source,
                                std::string Dir, bool Builtin) {
  Expected<toml::table> Table = parseToml(Text, Source);
  if (!Table)
    return Table.takeError();
  ProfileFile File{std::move(Id), std::move(Source), std::move(Dir), Builtin, std::move(*Table)};
  for (auto &&[Key, Value] : File.Table)
    if (!is_contained(KnownKeys, StringRef(Key.str())))
      return keyError(File, Key.source(), Key.str(),
                      "unknown key; the known keys are " + join(ArrayRef(KnownKeys), ", "));
  return File;
}

/// Finds the profile that \p Spec names: a built-in name, or a path relative
/// to \p FromDir. Built-in profiles may inherit only from built-ins.
Expected<ProfileFile> findFile(StringRef Spec, StringRef FromDir, bool FromBuiltin) {
  if (!isPath(Spec)) {
    for (const BuiltinProfile &B : Builtins)
      if (B.name() == Spec)
        return parseFile(B.Text, B.name().str(), ("profiles/" + B.File + " (built-in)").str(), "",
                         /*Builtin=*/true);
    return makeError("unknown profile '" + Spec + "'; the built-in profiles are " +
                builtinNameList() + ", and a file is named by its path (--profile=./mine.toml)");
  }
  if (FromBuiltin)
    return makeError("built-in profiles inherit only from built-ins, not '" + Spec + "'");
  SmallString<256> Path(Spec);
  if (FromDir.empty())
    sys::fs::make_absolute(Path);
  else
    sys::fs::make_absolute(FromDir, Path);
  sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buffer = MemoryBuffer::getFile(Path);
  if (!Buffer)
    return makeError("cannot read profile file '" + Spec + "': " + Buffer.getError().message());
  return parseFile((*Buffer)->getBuffer(), Path.str().str(), Spec.str(),
                   sys::path::parent_path(Path).str(), /*Builtin=*/false);
}

/// Reads the `inherits` chain that starts at \p Leaf; the root comes first.
Expected<std::vector<ProfileFile>> readChain(ProfileFile Leaf) {
  // Not an initializer list: that copies, and toml++ copies drop source positions.
  std::vector<ProfileFile> Chain;
  Chain.push_back(std::move(Leaf));
  while (const toml::node *Parent = Chain.back().Table.get("inherits")) {
    const ProfileFile &Child = Chain.back();
    std::optional<std::string> ParentSpec = Parent->value<std::string>();
    if (!Parent->is_string())
      return keyError(Child, Parent->source(), "inherits", "must be a string naming a profile");
    Expected<ProfileFile> Next = findFile(*ParentSpec, Child.Dir, Child.Builtin);
    if (!Next)
      return keyError(Child, Parent->source(), "inherits", toString(Next.takeError()));
    auto SameFile = [&](const ProfileFile &F) { return F.Id == Next->Id; };
    if (any_of(Chain, SameFile)) {
      std::string Cycle;
      for (const ProfileFile &F : Chain)
        Cycle += F.Id + " -> ";
      return keyError(Child, Parent->source(), "inherits", "inheritance cycle: " + Cycle + Next->Id);
    }
    Chain.push_back(std::move(*Next));
  }
  std::reverse(Chain.begin(), Chain.end());
  return Chain;
}

template <typename Enum>
Error readEnum(const ProfileFile &File, const toml::node &Value, StringRef Key,
               ArrayRef<std::pair<StringRef, Enum>> Choices, Enum &Out) {
  std::string Names = join(map_range(Choices, [](auto &C) { return C.first; }), ", ");
  std::optional<std::string> Text = Value.value<std::string>();
  if (Value.is_string())
    for (auto &[Name, Choice] : Choices)
      if (Name == *Text) {
        Out = Choice;
        return Error::success();
      }
  return keyError(File, Value.source(), Key, "must be one of " + Names);
}

const std::pair<StringRef, OptLevel> OptChoices[] = {
    {"O0", OptLevel::O0}, {"O1", OptLevel::O1}, {"O2", OptLevel::O2},
    {"O3", OptLevel::O3}, {"Os", OptLevel::Os}, {"Oz", OptLevel::Oz}};
const std::pair<StringRef, LtoKind> LtoChoices[] = {
    {"none", LtoKind::None}, {"thin", LtoKind::Thin}, {"full", LtoKind::Full}};

/// Applies every key of \p File over \p P.
Error applyFile(const ProfileFile &File, Profile &P) {
  for (auto &&[KeyNode, Value] : File.Table) {
    StringRef Key(KeyNode.str());
    Error Err = Error::success();
    if (Key == "inherits") {
      // Resolved by readChain.
    } else if (Key == "description" || Key == "passes") {
      if (!Value.is_string())
        return keyError(File, Value.source(), Key, "must be a string");
      (Key == "passes" ? P.Passes : P.Description) = *Value.value<std::string>();
      if (Key == "passes")
        if (Error Bad = checkExtraPasses(P.Passes))
          return keyError(File, Value.source(), Key, toString(std::move(Bad)));
    } else if (Key == "opt") {
      Err = readEnum<OptLevel>(File, Value, Key, OptChoices, P.Opt);
    } else if (Key == "lto") {
      Err = readEnum<LtoKind>(File, Value, Key, LtoChoices, P.Lto);
    } else if (Key == "compile_flags" || Key == "link_flags") {
      Err = readStringList(File.Source, Value, Key,
                           Key == "link_flags" ? P.LinkFlags : P.CompileFlags);
    } else if (Key == "strip" || Key == "static") {
      if (!Value.is_boolean())
        return keyError(File, Value.source(), Key, "must be true or false");
      (Key == "strip" ? P.Strip : P.Static) = *Value.value<bool>();
    } else if (Key == "zstd_level") {
      std::optional<int64_t> Level = Value.value<int64_t>();
      if (!Value.is_integer() || *Level < 1 || *Level > 22)
        return keyError(File, Value.source(), Key, "must be an integer from 1 to 22");
      P.ZstdLevel = int(*Level);
    } else if (Key == "uv_compression") {
      std::optional<std::string> Method = Value.value<std::string>();
      if (!Value.is_string() || (*Method != "zstd" && *Method != "xz"))
        return keyError(File, Value.source(), Key, "must be \"zstd\" or \"xz\"");
      P.UvCompression = *Method;
    } else if (Key == "xz_lzma2") {
      if (!Value.is_string())
        return keyError(File, Value.source(), Key, "must be a string");
      P.XzLzma2 = *Value.value<std::string>();
      if (Error Bad = checkXzOptions(P.XzLzma2))
        return keyError(File, Value.source(), Key, toString(std::move(Bad)));
    } else if (Key == "xz_block_mib") {
      std::optional<int64_t> MiB = Value.value<int64_t>();
      if (!Value.is_integer() || *MiB < 0 || *MiB > 4096)
        return keyError(File, Value.source(), Key, "must be an integer from 0 (one block) to 4096");
      P.XzBlockMiB = int(*MiB);
    }
    if (Err)
      return Err;
  }
  return Error::success();
}

Expected<Profile> resolve(Expected<ProfileFile> Leaf, StringRef Name) {
  if (!Leaf)
    return Leaf.takeError();
  std::string LeafSource = Leaf->Source;
  Expected<std::vector<ProfileFile>> Chain = readChain(std::move(*Leaf));
  if (!Chain)
    return Chain.takeError();
  Profile P;
  P.Name = Name.str();
  P.Source = LeafSource;
  for (const ProfileFile &File : *Chain)
    if (Error Err = applyFile(File, P))
      return Err;
  return P;
}
} // namespace

StringRef optLevelName(OptLevel Level) {
  for (auto &[Name, Choice] : OptChoices)
    if (Choice == Level)
      return Name;
  llvm_unreachable("every OptLevel has a name");
}

StringRef ltoKindName(LtoKind Kind) {
  for (auto &[Name, Choice] : LtoChoices)
    if (Choice == Kind)
      return Name;
  llvm_unreachable("every LtoKind has a name");
}

ArrayRef<StringRef> builtinProfileNames() {
  static const std::vector<StringRef> Names = [] {
    std::vector<StringRef> Result;
    for (const BuiltinProfile &B : Builtins)
      Result.push_back(B.name());
    return Result;
  }();
  return Names;
}

Expected<Profile> loadProfile(StringRef NameOrPath) {
  StringRef Name = isPath(NameOrPath) ? sys::path::stem(NameOrPath) : NameOrPath;
  return resolve(findFile(NameOrPath, "", /*FromBuiltin=*/false), Name);
}

Expected<Profile> parseProfile(StringRef Text, StringRef Source) {
  SmallString<256> Path(Source);
  sys::fs::make_absolute(Path);
  return resolve(parseFile(Text, Path.str().str(), Source.str(),
                           sys::path::parent_path(Path).str(), /*Builtin=*/false),
                 sys::path::stem(Source));
}

} // namespace pyaket
