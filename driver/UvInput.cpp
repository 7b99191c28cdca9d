//===- UvInput.cpp - the uv that a launcher embeds ------------------------===//
#include "UvInput.h"
#include "BuildCache.h"
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
Expected<std::string> runUvVersion(StringRef Uv) {
  SmallString<128> Output;
  if (std::error_code EC = sys::fs::createTemporaryFile("pyaket-uv-version", "txt", Output))
    return makeError(cannotCreateTemporary(EC));
  std::optional<StringRef> Redirects[] = {std::nullopt, StringRef(Output), std::nullopt};
  int Code = sys::ExecuteAndWait(Uv, {Uv, "--version"}, std::nullopt, Redirects, 10);
  ErrorOr<std::unique_ptr<MemoryBuffer>> Text = MemoryBuffer::getFile(Output);
  sys::fs::remove(Output);
  if (Code != 0 || !Text)
    return "unknown";
  return (*Text)->getBuffer().trim().str();
}

/// uv's binary out of uv's wheel: uv-<version>.data/scripts/uv (uv.exe on
/// Windows), and its version.
Error readUvWheel(StringRef Path, std::string &Binary, std::string &Version) {
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
  Expected<std::string> Entry = readWheelEntry(Name, *Wheel, Scripts + "uv", MaxPayloadInput);
  if (!Entry) {
    consumeError(Entry.takeError());
    Entry = readWheelEntry(Name, *Wheel, Scripts + "uv.exe", MaxPayloadInput);
  }
  if (!Entry)
    return makeError("--uv: " + toString(Entry.takeError()));
  Binary = std::move(*Entry);
  Version = ("uv " + Parts[1]).str();
  return Error::success();
}

/// The executable's bytes in the binary or wheel at \p Path; \p Version is
/// set for a wheel.
Expected<std::string> readUvFile(StringRef Path, std::string &Version) {
  if (!Path.ends_with(".whl"))
    return readInputFile(Path, MaxPayloadInput);
  std::string Binary;
  if (Error Err = readUvWheel(Path, Binary, Version))
    return Err;
  return Binary;
}

/// The cache entry for what was learnt of the file at \p Path: named by
/// the file's identity, so that a file changed or replaced misses it.
std::string uvCacheEntry(StringRef Path) {
  std::string Identity = fileIdentity(Path);
  return Identity.empty() ? "" : cacheEntryPath(buildCacheDir(), "uv", cacheKey({Path, Identity}));
}

/// The entry's "hash target version" lines, back into \p Uv; false when it
/// does not hold them.
bool readUvCacheEntry(StringRef Text, UvInput &Uv) {
  SmallVector<StringRef, 3> Lines;
  Text.split(Lines, '\n', 3, false);
  if (Lines.size() != 3 || Lines[0].size() != 64)
    return false;
  for (const LauncherTarget &T : launcherTargets())
    if (T.Name == Lines[1])
      Uv.Target = &T;
  Uv.Hash = Lines[0].str();
  Uv.Version = Lines[2].trim().str();
  return Uv.Target != nullptr;
}

Expected<UvInput> loadUvInput(StringRef Path) {
  UvInput Uv{Path.str(), "", "unknown", nullptr};
  if (Error Err = requireRegularFile(Path))
    return makeError("--uv: " + toString(std::move(Err)));
  std::string Entry = uvCacheEntry(Path);
  if (std::optional<std::string> Known = readCacheEntry(Entry); Known && readUvCacheEntry(*Known, Uv))
    return Uv;
  Expected<std::string> Binary = readUvFile(Path, Uv.Version);
  if (!Binary)
    return Binary.takeError();
  Uv.Hash = contentHash(*Binary);
  Expected<const LauncherTarget &> Target = executableTarget(*Binary);
  if (!Target)
    return makeError("uv at '" + Path + "' is " + toString(Target.takeError()) +
                     "; pass --uv=PATH of uv's binary or of uv's wheel, e.g. "
                     "python3 -c 'import uv; print(uv.find_uv_bin())'");
  Uv.Target = &*Target;
  // uv says so when it runs here; elsewhere, its binary names its home.
  if (Uv.Target == &hostLauncherTarget() && !Path.ends_with(".whl")) {
    Expected<std::string> Version = runUvVersion(Path);
    if (!Version)
      return Version.takeError();
    Uv.Version = *Version;
  }
  bool Ran = Uv.Target == &hostLauncherTarget() && !Path.ends_with(".whl");
  if (Ran && !StringRef(Uv.Version).starts_with("uv "))
    return makeError("--uv: '" + Path + "' is not uv (its --version answers '" +
                     StringRef(Uv.Version).split('\n').first + "'): pass uv's binary or uv's wheel");
  if (!Ran && !StringRef(*Binary).contains("astral-sh/uv"))
    return makeError("--uv: '" + Path + "' is not uv (it names no astral-sh/uv): pass uv's " +
                     "binary or uv's wheel");
  writeCacheEntry(Entry, Uv.Hash + "\n" + Uv.Target->Name.str() + "\n" + Uv.Version + "\n");
  return Uv;
}
} // namespace

Expected<std::string> UvInput::readBinary() const {
  std::string Version;
  Expected<std::string> Binary = readUvFile(Path, Version);
  if (Binary && contentHash(*Binary) != Hash) {
    // What was learnt of it is wrong (it changed, or the entry did): the
    // next build learns it again.
    sys::fs::remove(uvCacheEntry(Path));
    return makeError("--uv: '" + Path + "' changed during the build: build again");
  }
  return Binary;
}

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
