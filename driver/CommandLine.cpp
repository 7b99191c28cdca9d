//===- CommandLine.cpp - pyaket-cc's own options --------------------------===//
#include "CommandLine.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/StringSaver.h"

using namespace llvm;

namespace pyaket {

static Error fail(const Twine &Message) {
  return createStringError(inconvertibleErrorCode(), Message);
}

Expected<CommandLine> parseCommandLine(ArrayRef<std::string> Args) {
  CommandLine CL;
  for (size_t I = 0; I < Args.size(); ++I) {
    StringRef Arg = Args[I];
    if (Arg == "--profile") {
      if (I + 1 == Args.size())
        return fail("--profile needs a value: a built-in profile name or a .toml path");
      CL.ProfileSpec = Args[++I];
    } else if (Arg.consume_front("--profile=")) {
      if (Arg.empty())
        return fail("--profile= needs a value: a built-in profile name or a .toml path");
      CL.ProfileSpec = Arg.str();
    } else if (Arg == "--print-pipeline") {
      CL.PrintPipeline = true;
    } else if (Arg == "--list-profiles") {
      CL.ListProfiles = true;
    } else if (Arg == "--help") {
      CL.Help = true;
    } else if (Arg == "--version") {
      CL.Version = true;
    } else if ((Arg.starts_with("-fuse-ld=") && Arg != "-fuse-ld=lld") ||
               Arg.starts_with("--ld-path")) {
      return fail("'" + Arg + "' is not supported: pyaket-cc always links with its own, in-process lld");
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
