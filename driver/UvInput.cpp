//===- UvInput.cpp - the uv that a launcher embeds ------------------------===//
#include "UvInput.h"
#include "Diagnostics.h"
#include "InputFile.h"
#include "Payload.h"
#include "WheelCheck.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

using namespace llvm;

namespace pyaket {

namespace {
/// `uv --version`'s answer, for `<app> self version --query uv`: only a uv
/// this machine runs can say it.
std::string runUvVersion(StringRef Uv) {
  SmallString<128> Output;
  if (sys::fs::createTemporaryFile("pyaket-uv-version", "txt", Output))
    return "unknown";
  std::optional<StringRef> Redirects[] = {std::nullopt, StringRef(Output), std::nullopt};
  int Code = sys::ExecuteAndWait(Uv, {Uv, "--version"}, std::nullopt, Redirects, 10);
  ErrorOr<std::unique_ptr<MemoryBuffer>> Text = MemoryBuffer::getFile(Output);
  sys::fs::remove(Output);
  if (Code != 0 || !Text)
    return "unknown";
  return (*Text)->getBuffer().trim().str();
}

/// uv's binary out of uv's wheel: uv-<version>.data/scripts/uv (uv.exe on Windows).
Error readUvWheel(StringRef Path, UvInput &Uv) {
  Expected<std::string> Wheel = readInputFile(Path, MaxPayloadInput);
  if (!Wheel)
    return Wheel.takeError();
  StringRef Name = sys::path::filename(Path);
  SmallVector<StringRef> Parts;
  Name.drop_back(4).split(Parts, '-');
  if (Parts.size() < 5 || Parts[0] != "uv")
    return makeError("--uv: '" + Name + "' is not one of uv's wheels (uv-VERSION-py3-none-PLATFORM.whl)");
  if (Error Err = checkWheel(Name, *Wheel))
    return makeError("--uv: " + toString(std::move(Err)));
  std::string Scripts = ("uv-" + Parts[1] + ".data/scripts/").str();
  Expected<std::string> Binary = readWheelEntry(Name, *Wheel, Scripts + "uv", MaxPayloadInput);
  if (!Binary) {
    consumeError(Binary.takeError());
    Binary = readWheelEntry(Name, *Wheel, Scripts + "uv.exe", MaxPayloadInput);
  }
  if (!Binary)
    return makeError("--uv: " + toString(Binary.takeError()));
  Uv.Binary = std::move(*Binary);
  Uv.Version = ("uv " + Parts[1]).str();
  return Error::success();
}

Expected<UvInput> loadUvInput(StringRef Path) {
  UvInput Uv{Path.str(), "", "unknown", nullptr};
  if (Error Err = requireRegularFile(Path))
    return makeError("--uv: " + toString(std::move(Err)));
  if (Path.ends_with(".whl")) {
    if (Error Err = readUvWheel(Path, Uv))
      return Err;
  } else {
    Expected<std::string> Binary = readInputFile(Path, MaxPayloadInput);
    if (!Binary)
      return Binary.takeError();
    Uv.Binary = std::move(*Binary);
  }
  Expected<const LauncherTarget &> Target = executableTarget(Uv.Binary);
  if (!Target)
    return makeError("uv at '" + Path + "' is " + toString(Target.takeError()) +
                     "; pass --uv=PATH of uv's binary or of uv's wheel, e.g. "
                     "python3 -c 'import uv; print(uv.find_uv_bin())'");
  Uv.Target = &*Target;
  // uv says so when it runs here; elsewhere, its binary names its home.
  if (Uv.Target == &hostLauncherTarget() && !Path.ends_with(".whl"))
    Uv.Version = runUvVersion(Path);
  bool Ran = Uv.Target == &hostLauncherTarget() && !Path.ends_with(".whl");
  if (Ran && !StringRef(Uv.Version).starts_with("uv "))
    return makeError("--uv: '" + Path + "' is not uv (its --version answers '" +
                     StringRef(Uv.Version).split('\n').first + "'): pass uv's binary or uv's wheel");
  if (!Ran && !StringRef(Uv.Binary).contains("astral-sh/uv"))
    return makeError("--uv: '" + Path + "' is not uv (it names no astral-sh/uv): pass uv's " +
                     "binary or uv's wheel");
  return Uv;
}
} // namespace

Expected<std::vector<UvInput>> loadUvInputs(ArrayRef<std::string> Given) {
  std::vector<std::string> Paths(Given.begin(), Given.end());
  if (Paths.empty()) {
    ErrorOr<std::string> Found = sys::findProgramByName("uv");
    if (!Found)
      return makeError("no uv found: pass --uv=PATH, or install it (pip install uv)");
    Paths.push_back(*Found);
  }
  std::vector<UvInput> Uvs;
  for (const std::string &Path : Paths) {
    Expected<UvInput> Uv = loadUvInput(Path);
    if (!Uv)
      return Uv.takeError();
    for (const UvInput &Earlier : Uvs)
      if (Earlier.Target == Uv->Target)
        return makeError("--uv: '" + Earlier.Path + "' and '" + Path + "' are both uv for " +
                         Uv->Target->Name + ": give one uv per target");
    Uvs.push_back(std::move(*Uv));
  }
  return Uvs;
}

Expected<const UvInput &> uvForTarget(ArrayRef<UvInput> Uvs, const LauncherTarget &T) {
  std::string Found;
  for (const UvInput &Uv : Uvs) {
    if (Uv.Target == &T)
      return Uv;
    Found += (Found.empty() ? "" : ", ") + ("'" + Uv.Path + "' is for " + Uv.Target->Name).str();
  }
  return makeError("no uv for " + T.Name + " (" + Found + "): pass --uv=PATH of uv for " + T.Name +
                   ", e.g. its wheel from pip download uv --only-binary=:all: --no-deps --platform " +
                   T.UvPlatform);
}

} // namespace pyaket
