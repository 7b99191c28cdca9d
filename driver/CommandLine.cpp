//===- CommandLine.cpp - pyaket-cc's own options --------------------------===//
#include "CommandLine.h"
#include "Diagnostics.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/StringSaver.h"

#include <functional>

using namespace llvm;

namespace pyaket {

namespace {
/// Whether a -fuse-ld= or --ld-path= value names lld: "lld", "ld.lld", a path
/// to either, or either with a version suffix ("ld.lld-19").
bool namesLLD(StringRef Linker) {
  auto [Name, Version] = sys::path::filename(Linker).split('-');
  return (Name == "lld" || Name == "ld.lld") &&
         all_of(Version, [](char C) { return isDigit(C); });
}
} // namespace

StringRef ownToolName(StringRef Program) {
  return StringSwitch<StringRef>(Program)
      .Cases("ld", "ld.lld", "lld", "ld.lld")
      .Cases("ar", "llvm-ar", "llvm-ar")
      .Cases("ranlib", "llvm-ranlib", "llvm-ranlib")
      .Default("");
}

Expected<CommandLine> parseCommandLine(ArrayRef<std::string> Args, StringRef EnvironmentProfile) {
  CommandLine CL;
  if (!EnvironmentProfile.empty())
    CL.ProfileSpec = EnvironmentProfile, CL.ProfileGiven = true;
  ConfigOverrides &O = CL.Overrides;
  // Options with a value, as --name=VALUE or --name VALUE; the last one wins,
  // but --wheel, --pypi and --uv add up.
  struct ValueOption {
    StringRef Name;
    std::function<void(std::string)> Set;
  } ValueOptions[] = {
      {"--profile", [&](std::string V) { CL.ProfileSpec = V, CL.ProfileGiven = true; }},
      {"--project", [&](std::string V) { CL.Project = V; }},
      {"--uv", [&](std::string V) { CL.Uvs.push_back(V); }},
      {"--name", [&](std::string V) { O.Name = V; }},
      {"--app-version", [&](std::string V) { O.Version = V; }},
      {"--python", [&](std::string V) { O.Python = V; }},
      {"--module", [&](std::string V) { O.Module = V; }},
      {"--command", [&](std::string V) { O.Command = V; }},
      {"--wheel", [&](std::string V) { O.Wheels.push_back(V); }},
      {"--pypi", [&](std::string V) { O.PyPI.push_back(V); }},
  };
  for (size_t I = 0; I < Args.size(); ++I) {
    StringRef Arg = Args[I];
    auto Option = find_if(ValueOptions, [&](const ValueOption &O) {
      return Arg == O.Name || (Arg.starts_with(O.Name) && Arg[O.Name.size()] == '=');
    });
    if (Option != std::end(ValueOptions)) {
      std::optional<std::string> Value;
      if (Arg.size() > Option->Name.size())
        Value = Arg.drop_front(Option->Name.size() + 1).str();
      else if (I + 1 < Args.size())
        Value = Args[++I];
      if (!Value || Value->empty())
        return makeError(Option->Name + " needs a value");
      Option->Set(*Value);
    } else if (Arg == "--print-pipeline") {
      CL.PrintPipeline = true;
    } else if (Arg == "--list-profiles") {
      CL.ListProfiles = true;
    } else if (Arg == "--list-targets") {
      CL.ListTargets = true;
    } else if (Arg == "--help") {
      CL.Help = true;
    } else if (Arg == "--version") {
      CL.Version = true;
    } else if (Arg.starts_with("-fuse-ld=") || Arg.starts_with("--ld-path=")) {
      // Links always use our own lld, so a value naming lld is already met.
      if (!namesLLD(Arg.split('=').second))
        return makeError("'" + Arg + "' is not supported: pyaket-cc always links with its own, in-process lld");
    } else if (Arg.starts_with("-print-prog-name=") &&
               !ownToolName(Arg.split('=').second).empty()) {
      CL.PrintProgName = ownToolName(Arg.split('=').second).str();
    } else {
      CL.ClangArgs.push_back(Arg.str());
    }
  }
  return CL;
}

Expected<std::vector<std::string>> expandResponseFiles(ArrayRef<const char *> Args) {
  BumpPtrAllocator Alloc;
  SmallVector<const char *, 64> Expanded(Args.begin(), Args.end());
  cl::ExpansionContext Context(Alloc, cl::TokenizeGNUCommandLine);
  if (Error Err = Context.expandResponseFiles(Expanded))
    return Err;
  return std::vector<std::string>(Expanded.begin(), Expanded.end());
}

} // namespace pyaket
