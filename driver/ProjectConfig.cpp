//===- ProjectConfig.cpp - a Python project's pyaket configuration --------===//
#include "ProjectConfig.h"
#include "Diagnostics.h"
#include "InputFile.h"
#include "Toml.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/Path.h"


using namespace llvm;

namespace pyaket {

namespace {
// Project files and requirements files are text of a sane size.
const uint64_t MaxConfigSize = 1 << 20;
// An .ico holds a few images up to 256x256.
const uint64_t MaxIconSize = 16 << 20;
// The longest value the launcher takes: a directory name is at most 255
// bytes on Linux, and a version or a vendor is one.
const size_t MaxComponentLength = 100, MaxValueLength = 4096;

/// One key of pyaket's tables and where its value goes.
struct Field {
  StringRef Table, Key;
  std::string *Text = nullptr;
  bool *Flag = nullptr;
  std::vector<std::string> *List = nullptr;
  bool OneOrList = false; // a list that may be written as its one string
};

std::vector<Field> fieldsOf(ProjectConfig &C) {
  return {
      {"application", "name", &C.Name},        {"application", "author", &C.Author},
      {"application", "vendor", &C.Vendor},    {"application", "version", &C.Version},
      {"application", "about", &C.About},      {"application", "icon", &C.Icon},
      {"dependencies", "wheels", {}, {}, &C.Wheels},
      {"dependencies", "pypi", {}, {}, &C.PyPI},
      {"dependencies", "requirements", {}, {}, &C.Requirements},
      {"dependencies", "rolling", {}, &C.Rolling},
      {"directories", "common", &C.Common},    {"directories", "versions", &C.Versions},
      {"python", "version", &C.PythonVersion}, {"torch", "version", &C.TorchVersion},
      {"torch", "backend", &C.TorchBackend},   {"entry", "module", &C.Module},
      {"entry", "command", &C.Command},        {"build", "profile", &C.Profile},
      {"build", "keep_open", {}, &C.KeepOpen}, {"build", "dotenv", {}, &C.DotEnv},
      {"build", "target", {}, {}, &C.Targets, true}, {"build", "windowed", {}, &C.Windowed},
  };
}

Error readField(StringRef Source, const Field &F, const toml::node &Value) {
  std::string Key = (F.Table + "." + F.Key).str();
  if (F.Text) {
    if (!Value.is_string())
      return tomlKeyError(Source, Value.source(), Key, "must be a string");
    *F.Text = *Value.value<std::string>();
  } else if (F.Flag) {
    if (!Value.is_boolean())
      return tomlKeyError(Source, Value.source(), Key, "must be true or false");
    *F.Flag = *Value.value<bool>();
  } else if (F.OneOrList && Value.is_string()) {
    *F.List = {*Value.value<std::string>()};
  } else if (F.OneOrList && !Value.is_array()) {
    return tomlKeyError(Source, Value.source(), Key, "must be a string or a list of strings");
  } else {
    if (Error Err = readStringList(Source, Value, Key, *F.List))
      return Err;
    if (F.OneOrList && F.List->empty())
      return tomlKeyError(Source, Value.source(), Key, "must name at least one");
  }
  return Error::success();
}

/// Reads pyaket's tables from \p Root (the file, or [tool.pyaket]).
Error readPyaketTables(StringRef Source, const toml::table &Root, ProjectConfig &C) {
  std::vector<Field> Fields = fieldsOf(C);
  for (auto &&[TableKey, TableNode] : Root) {
    StringRef Table(TableKey.str());
    const toml::table *Keys = TableNode.as_table();
    bool Known = any_of(Fields, [&](const Field &F) { return F.Table == Table; });
    if (!Known || !Keys)
      return tomlKeyError(Source, TableKey.source(), Table,
                      Known ? "must be a table"
                            : "unknown table; the tables are application, dependencies, "
                              "directories, python, torch, entry, build");
    for (auto &&[Key, Value] : *Keys) {
      StringRef Name = Key.str();
      auto F = find_if(Fields, [&](const Field &F) { return F.Table == Table && F.Key == Name; });
      if (F == Fields.end())
        return tomlKeyError(Source, Key.source(), Table + "." + Key.str(), "unknown key");
      if (Error Err = readField(Source, *F, Value))
        return Err;
    }
  }
  return Error::success();
}

/// [project] fills what pyaket's tables leave out, as Pyaket does.
Error readProjectTable(StringRef Source, const toml::table &Project, ProjectConfig &C) {
  auto Text = [&](StringRef Key, std::string &Out) -> Error {
    const toml::node *Value = Project.get(std::string_view(Key.data(), Key.size()));
    if (!Value || !Out.empty())
      return Error::success();
    if (!Value->is_string())
      return tomlKeyError(Source, Value->source(), "project." + Key, "must be a string");
    Out = *Value->value<std::string>();
    return Error::success();
  };
  if (Error Err = Text("name", C.Name))
    return Err;
  if (Error Err = Text("version", C.Version))
    return Err;
  if (Error Err = Text("description", C.About))
    return Err;
  if (const toml::node *Deps = Project.get("dependencies"); Deps && C.PyPI.empty())
    if (Error Err = readField(Source, {"project", "dependencies", {}, {}, &C.PyPI}, *Deps))
      return Err;
  if (C.Module.empty() && C.Command.empty()) {
    C.Module = C.Name;
    std::replace(C.Module.begin(), C.Module.end(), '-', '_');
  }
  if (C.Wheels.empty())
    C.Wheels = {"dist/*.whl"};
  return Error::success();
}

/// Safe as one path component (of a length every file system takes).
bool isPathComponent(StringRef Value) {
  return !Value.empty() && Value != "." && Value != ".." && !Value.contains('/') &&
         Value.size() <= MaxComponentLength;
}

/// A NUL, a line break or another control character: the launcher reads
/// its configuration line by line and passes values to exec as C strings.
bool hasControlCharacter(StringRef Value) {
  return any_of(Value, [](unsigned char C) { return C < 0x20 || C == 0x7f; });
}

/// A Python module path: dotted identifiers (non-ASCII letters allowed).
bool isModulePath(StringRef Module) {
  SmallVector<StringRef> Parts;
  Module.split(Parts, '.');
  return all_of(Parts, [](StringRef Part) {
    return !Part.empty() && !isDigit(Part.front()) &&
           all_of(Part, [](unsigned char C) { return isAlnum(C) || C == '_' || C >= 0x80; });
  });
}
} // namespace

std::string ProjectConfig::effectiveVendor() const {
  return !Vendor.empty() ? Vendor : !Author.empty() ? Author : Name;
}

Expected<ProjectConfig> parseProjectConfig(StringRef Text, StringRef Source) {
  Expected<toml::table> Parsed = parseToml(Text, Source);
  if (!Parsed)
    return Parsed.takeError();
  ProjectConfig C;
  C.Source = Source.str();
  SmallString<256> Dir(sys::path::parent_path(Source));
  sys::fs::make_absolute(Dir);
  C.Dir = Dir.str().str();
  const toml::table &Root = *Parsed;
  if (sys::path::filename(Source) != "pyproject.toml") {
    if (Error Err = readPyaketTables(Source, Root, C))
      return Err;
    return C;
  }
  if (const toml::node *Tool = Root.at_path("tool.pyaket").node()) {
    if (!Tool->is_table())
      return tomlKeyError(Source, Tool->source(), "tool.pyaket", "must be a table");
    if (Error Err = readPyaketTables(Source, *Tool->as_table(), C))
      return Err;
  }
  if (const toml::table *Project = Root["project"].as_table())
    if (Error Err = readProjectTable(Source, *Project, C))
      return Err;
  return C;
}

Expected<ProjectConfig> loadProjectConfig(StringRef Path) {
  SmallString<256> File(Path);
  if (sys::fs::is_directory(Path)) {
    sys::path::append(File, "pyaket.toml");
    if (!sys::fs::exists(File)) {
      File = Path;
      sys::path::append(File, "pyproject.toml");
    }
    if (!sys::fs::exists(File))
      return makeError("no pyaket.toml or pyproject.toml in project directory '" + Path +
                  "'; write one (see the README)");
  }
  Expected<std::string> Text = readInputFile(File, MaxConfigSize);
  if (!Text)
    return makeError("project configuration: " + toString(Text.takeError()));
  return parseProjectConfig(*Text, File);
}

Error finishProjectConfig(ProjectConfig &C, const ConfigOverrides &O) {
  if (O.Name)
    C.Name = *O.Name;
  if (O.Version)
    C.Version = *O.Version;
  if (O.Python)
    C.PythonVersion = *O.Python;
  if (O.Module || O.Command) {
    C.Module = O.Module.value_or("");
    C.Command = O.Command.value_or("");
  }
  if (!O.Wheels.empty())
    C.Wheels = O.Wheels;
  if (!O.PyPI.empty())
    C.PyPI = O.PyPI;

  auto Bad = [&](StringRef Key, const Twine &What) {
    return makeError(C.Source + ": key '" + Key + "': " + What);
  };
  if (C.Name.empty())
    return Bad("application.name", "the application needs a name (or use --name)");
  if (C.Version.empty())
    return Bad("application.version", "the application needs a version (or use --app-version)");
  if (!C.Module.empty() && !C.Command.empty())
    return Bad("entry", "give a module or a command, not both");
  struct KeyValue {
    StringRef Key;
    const std::string &Value;
  };
  KeyValue Components[] = {{"application.name", C.Name},
                           {"application.version", C.Version},
                           {"application.vendor", C.effectiveVendor()},
                           {"directories.common", C.Common},
                           {"directories.versions", C.Versions}};
  KeyValue Values[] = {{"application.name", C.Name},         {"application.version", C.Version},
                       {"application.author", C.Author},     {"application.vendor", C.Vendor},
                       {"application.about", C.About},       {"directories.common", C.Common},
                       {"directories.versions", C.Versions}, {"python.version", C.PythonVersion},
                       {"torch.version", C.TorchVersion},    {"torch.backend", C.TorchBackend},
                       {"entry.module", C.Module},           {"entry.command", C.Command}};
  for (auto &Value : Values) {
    if (hasControlCharacter(Value.Value))
      return Bad(Value.Key, "a control character (NUL, line break, ...) is not allowed");
    if (Value.Value.size() > MaxValueLength)
      return Bad(Value.Key, "longer than " + Twine(MaxValueLength) + " bytes");
  }
  for (auto &Component : Components)
    if (!isPathComponent(Component.Value))
      return Bad(Component.Key, "'" + Component.Value +
                                    "' must be usable as a directory name (no '/', not '.' or "
                                    "'..', at most " + Twine(MaxComponentLength) + " bytes)");
  if (StringRef(C.Version).contains('@'))
    return Bad("application.version", "'" + C.Version +
                                          "' holds '@', which the launcher's build directories "
                                          "(<version>@<build id>) use as a separator");
  if (!C.Module.empty() && !isModulePath(C.Module))
    return Bad("entry.module", "'" + C.Module + "' is not a Python module name (dotted identifiers)");
  for (const std::string &Requirement : C.PyPI)
    if (Requirement.empty() || StringRef(Requirement).starts_with("-") ||
        hasControlCharacter(Requirement) || Requirement.size() > MaxValueLength)
      return Bad("dependencies.pypi", "'" + Requirement +
                                          "' is not a requirement (an option or a control "
                                          "character is not allowed)");
  return Error::success();
}

Expected<std::vector<std::string>> resolveWheels(const ProjectConfig &C) {
  std::vector<std::string> Files;
  for (const std::string &Pattern : C.Wheels) {
    SmallString<256> Full(Pattern);
    sys::fs::make_absolute(C.Dir, Full);
    StringRef Dir = sys::path::parent_path(Full), Name = sys::path::filename(Full);
    Expected<GlobPattern> Glob = GlobPattern::create(Name);
    if (!Glob)
      return makeError(C.Source + ": key 'dependencies.wheels': bad pattern '" + Pattern + "': " +
                  toString(Glob.takeError()));
    std::vector<std::string> Matches;
    std::error_code EC;
    for (sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC; It.increment(EC))
      if (Glob->match(sys::path::filename(It->path())))
        Matches.push_back(It->path());
    for (const std::string &Match : Matches)
      if (Error Err = requireRegularFile(Match))
        return makeError(C.Source + ": key 'dependencies.wheels': " + toString(std::move(Err)));
    if (Matches.empty())
      return makeError(C.Source + ": key 'dependencies.wheels': '" + Pattern +
                  "' matches no file; build the wheels first (e.g. uv build) or fix the path");
    llvm::sort(Matches);
    append_range(Files, Matches);
  }
  return Files;
}

Expected<std::string> readIcon(const ProjectConfig &C) {
  if (C.Icon.empty())
    return "";
  SmallString<256> Path(C.Icon);
  sys::fs::make_absolute(C.Dir, Path);
  Expected<std::string> Bytes = readInputFile(Path, MaxIconSize);
  if (!Bytes)
    return makeError(C.Source + ": key 'application.icon': " + toString(Bytes.takeError()));
  return Bytes;
}

Expected<std::vector<std::string>> readRequirements(const ProjectConfig &C) {
  std::vector<std::string> Lines;
  for (const std::string &Name : C.Requirements) {
    SmallString<256> Path(Name);
    sys::fs::make_absolute(C.Dir, Path);
    Expected<std::string> Text = readInputFile(Path, MaxConfigSize);
    if (!Text)
      return makeError(C.Source + ": key 'dependencies.requirements': " +
                       toString(Text.takeError()));
    SmallVector<StringRef> Split;
    StringRef(*Text).split(Split, '\n');
    for (StringRef Line : Split) {
      Line = Line.split('#').first.trim();
      if (Line.empty())
        continue;
      if (Line.starts_with("-"))
        return makeError(Name + ": '" + Line +
                    "': options in requirements files are not supported; list requirements only");
      if (hasControlCharacter(Line))
        return makeError(Name + ": a requirement line holds a control character");
      Lines.push_back(Line.str());
    }
  }
  return Lines;
}

} // namespace pyaket
