//===- LinkJob.cpp - one LLD link, in-process -----------------------------===//
#include "LinkJob.h"

#include "CrashGuard.h"
#include "Diagnostics.h"
#include "InputFile.h"
#include "OutputFile.h"

#include "lld/Common/Driver.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

LLD_HAS_DRIVER(elf)
LLD_HAS_DRIVER(mingw)
LLD_HAS_DRIVER(coff)

namespace pyaket {

namespace {
const uint64_t MaxVersionScriptSize = 1 << 20;

/// The value of the last of the options \p Names in \p Args, as "-name
/// VALUE" or "-name=VALUE" (with one dash or two); "" when absent. Its
/// position is put in \p Position.
std::string lastOptionValue(ArrayRef<std::string> Args, ArrayRef<StringRef> Names,
                            size_t *Position = nullptr) {
  std::string Value;
  for (size_t I = 0; I < Args.size(); ++I) {
    StringRef Arg = StringRef(Args[I]).ltrim('-');
    for (StringRef Name : Names) {
      if (Arg == Name && I + 1 < Args.size() && Args[I].front() == '-')
        Value = Args[I + 1];
      else if (Arg.starts_with(Name) && Arg.drop_front(Name.size()).starts_with("="))
        Value = Arg.drop_front(Name.size() + 1).str();
      else
        continue;
      if (Position)
        *Position = I;
    }
  }
  return Value;
}

/// The link's output, for messages: -o's value, else LLD's a.out.
std::string outputOf(ArrayRef<std::string> Args) {
  std::string Output = lastOptionValue(Args, {"o"});
  return Output.empty() ? "a.out" : Output;
}

/// A version script written for one link, removed with it.
struct TemporaryScript {
  SmallString<128> Path;
  ~TemporaryScript() {
    if (!Path.empty())
      sys::fs::remove(Path);
  }
};

/// GNU ld's --default-symver, which lld lacks: exported symbols that no
/// version names get the soname as their version. lld gets a version script
/// that says so: the user's script when it has a name, named after the soname
/// when it has none (as libtool writes them), or one that gives every global
/// symbol the soname's version.
Expected<std::vector<std::string>> expandDefaultSymver(ArrayRef<std::string> Args,
                                                       TemporaryScript &Script) {
  std::vector<std::string> Result;
  for (const std::string &Arg : Args)
    if (Arg != "--default-symver" && Arg != "-default-symver")
      Result.push_back(Arg);
  if (Result.size() == Args.size())
    return Result;

  std::string Soname = lastOptionValue(Result, {"soname", "h"});
  if (Soname.empty())
    Soname = sys::path::filename(outputOf(Result)).str();
  size_t ScriptArg = 0;
  std::string UserScript = lastOptionValue(Result, {"version-script"}, &ScriptArg);
  std::string Text = Soname + " { global: *; };\n";
  if (!UserScript.empty()) {
    Expected<std::string> UserText = readInputFile(UserScript, MaxVersionScriptSize);
    if (!UserText)
      return makeError("version script: " + toString(UserText.takeError()));
    if (!StringRef(*UserText).ltrim().starts_with("{"))
      return Result;
    Text = Soname + " " + *UserText;
  }
  if (std::error_code EC = sys::fs::createTemporaryFile("pyaket-symver", "ver", Script.Path))
    return makeError("cannot write a version script for --default-symver: " + EC.message());
  sys::RemoveFileOnSignal(Script.Path);
  if (Error Err = writeOutputFile(Script.Path, Text))
    return Err;
  if (UserScript.empty()) {
    Result.push_back("--version-script=" + Script.Path.str().str());
  } else {
    // The user's script, named: it replaces the one it was read from.
    Result.erase(Result.begin() + ScriptArg, Result.begin() + ScriptArg +
                                                 (StringRef(Result[ScriptArg]).contains('=') ? 1 : 2));
    Result.insert(Result.begin() + ScriptArg, "--version-script=" + Script.Path.str().str());
  }
  return Result;
}
} // namespace

int runLinkJob(ArrayRef<std::string> LinkArgs) {
  TemporaryScript Script;
  Expected<std::vector<std::string>> Args = expandDefaultSymver(LinkArgs, Script);
  if (!Args)
    return reportError(Args.takeError());
  SmallVector<const char *, 128> Argv{"ld.lld"};
  for (const std::string &Arg : *Args)
    Argv.push_back(Arg.c_str());
  // LLD's own errors unwind through its CrashRecoveryContext (the guard
  // enables them); LLVM's fatal errors in LTO are the guard's.
  int Code = 0;
  runGuarded(
      [&] {
        // lld takes a GNU ld command line with -m i386pep (clang's MinGW
        // links) to its MinGW driver, which translates it for the COFF one.
        Code = lld::lldMain(Argv, outs(), errs(),
                            {{lld::Gnu, &lld::elf::link},
                             {lld::MinGW, &lld::mingw::link},
                             {lld::WinLink, &lld::coff::link}})
                   .retCode;
        return Code == 0;
      },
      [&] { return "linking " + outputOf(*Args); });
  outs().flush();
  return Code;
}

} // namespace pyaket
