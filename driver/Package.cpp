//===- Package.cpp - a Python project becomes one executable --------------===//
//
// The story of a package build: read the project's configuration, gather
// the payloads (uv, the wheels), describe the app in the embedded
// configuration with a build id over everything that goes in, write the
// payload objects, then compile the launcher (from sources held in memory)
// and link it with them, in this process like any other pyaket-cc build.
//
//===----------------------------------------------------------------------===//
#include "Package.h"
#include "Diagnostics.h"
#include "InputFile.h"
#include "JobPlan.h"
#include "OutputFile.h"
#include "Payload.h"
#include "PayloadFormat.h"
#include "Profile.h"
#include "ProjectConfig.h"
#include "WheelCheck.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/BLAKE3.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

using namespace llvm;

namespace pyaket {

namespace {
struct StubSource {
  StringRef Name;
  StringRef Text;
};
const StubSource StubSources[] = {
#include "StubSources.inc"
};
// Where the stub's sources appear to the compiler: a fixed path, so that
// builds on any machine give the same bytes.
const char StubDir[] = "/pyaket-stub";
// The largest uv binary or wheel embedded: each is held in memory.
const uint64_t MaxPayloadInput = uint64_t(1) << 30;

/// --uv, else uv on PATH. It must be the binary itself: a pyenv shim or a
/// wrapper script would be embedded in its place.
Expected<std::string> findUv(StringRef Flag) {
  std::string Path = Flag.str();
  if (Path.empty()) {
    ErrorOr<std::string> Found = sys::findProgramByName("uv");
    if (!Found)
      return makeError("no uv found: pass --uv=PATH, or install it (pip install uv)");
    Path = *Found;
  }
  if (Error Err = requireRegularFile(Path))
    return makeError("--uv: " + toString(std::move(Err)));
  ErrorOr<std::unique_ptr<MemoryBuffer>> Head = MemoryBuffer::getFileSlice(Path, 4, 0);
  if (!Head)
    return makeError("cannot read uv at '" + Path + "': " + Head.getError().message());
  if ((*Head)->getBuffer() != "\x7f" "ELF")
    return makeError("uv at '" + Path + "' is not an executable binary (a shim or a script?); pass " +
                "--uv=PATH of the binary itself, e.g. python3 -c 'import uv; print(uv.find_uv_bin())'");
  return Path;
}

/// `uv --version`'s answer, for `<app> self version --query uv`.
std::string uvVersion(StringRef Uv) {
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

/// The payloads and the configuration, ready to be written.
struct Payloads {
  std::string Uv;     // compressed
  std::string Wheels; // compressed archive
  std::string Config; // plain text, with the build id
};

Expected<Payloads> gatherPayloads(const ProjectConfig &C, const Profile &P, StringRef UvPath) {
  Payloads Out;
  std::string Cache = payloadCacheDir();
  Expected<std::string> Uv = readInputFile(UvPath, MaxPayloadInput);
  if (!Uv)
    return Uv.takeError();
  Expected<std::string> Compressed = compressCached(*Uv, P.ZstdLevel, Cache);
  if (!Compressed)
    return Compressed.takeError();
  Out.Uv = std::move(*Compressed);

  Expected<std::vector<std::string>> WheelPaths = resolveWheels(C);
  if (!WheelPaths)
    return WheelPaths.takeError();
  std::vector<WheelFile> Wheels;
  for (const std::string &Path : *WheelPaths) {
    Expected<std::string> Data = readInputFile(Path, MaxPayloadInput);
    if (!Data)
      return Data.takeError();
    StringRef Name = sys::path::filename(Path);
    if (Name.ends_with(".whl"))
      if (Error Err = checkWheel(Name, *Data))
        return makeError(C.Source + ": key 'dependencies.wheels': " + toString(std::move(Err)));
    for (const WheelFile &Earlier : Wheels)
      if (Earlier.Name == Name)
        return makeError(C.Source + ": key 'dependencies.wheels': two wheels are named '" + Name +
                         "' (" + Path + " and another): bundle one of them");
    Wheels.push_back({Name.str(), std::move(*Data)});
  }
  Compressed = compressCached(wheelArchive(Wheels), P.ZstdLevel, Cache);
  if (!Compressed)
    return Compressed.takeError();
  Out.Wheels = std::move(*Compressed);

  Expected<std::vector<std::string>> Requirements = readRequirements(C);
  if (!Requirements)
    return Requirements.takeError();

  // Of uv itself, not of its compressed bytes: apps built with any profile
  // share one extracted uv.
  BLAKE3Result<> UvHash = BLAKE3::hash(arrayRefFromStringRef(*Uv));
  std::string EntryKind = !C.Module.empty() ? "module" : !C.Command.empty() ? "command" : "interpreter";
  std::vector<std::pair<std::string, std::string>> Entries = {
      {"name", C.Name},
      {"version", C.Version},
      {"vendor", C.effectiveVendor()},
      {"common", C.Common},
      {"versions", C.Versions},
      {"python", C.PythonVersion},
      {"entry_kind", EntryKind},
      {"entry", C.Module + C.Command},
      {"torch_version", C.TorchVersion},
      {"torch_backend", C.TorchBackend},
      {"rolling", C.Rolling ? "1" : "0"},
      {"keep_open", C.KeepOpen ? "1" : "0"},
      {"dotenv", C.DotEnv ? "1" : "0"},
      {"profile", P.Name},
      {"pyaket_version", PYAKET_VERSION},
      {"uv_version", uvVersion(UvPath)},
      {"uv_hash", toHex(ArrayRef(UvHash).take_front(8), true)},
  };
  for (const WheelFile &Wheel : Wheels) // for `<app> self check`
    Entries.push_back({"wheel", Wheel.Name});
  for (const std::string &Requirement : C.PyPI)
    Entries.push_back({"pypi", Requirement});
  for (const std::string &Requirement : *Requirements)
    Entries.push_back({"pypi", Requirement});

  // The build id: a hash over everything that goes into the executable.
  BLAKE3 Hash;
  Hash.update(PYAKET_VERSION);
  for (const StubSource &S : StubSources)
    Hash.update((S.Name + "\n" + S.Text + "\n").str());
  Hash.update((P.Source + "\n" + optLevelName(P.Opt) + ltoKindName(P.Lto) + P.Passes + "\n" +
               join(P.CompileFlags, " ") + "\n" + join(P.LinkFlags, " ") + "\n" +
               (P.Strip ? "strip" : "") + "\n")
                  .str());
  Hash.update(configText(Entries));
  Hash.update(UvHash);
  Hash.update(BLAKE3::hash(arrayRefFromStringRef(Out.Wheels)));
  Entries.push_back({"build_id", toHex(ArrayRef(Hash.final()).take_front(16), true)});
  Out.Config = configText(Entries);
  return Out;
}

/// The launcher's sources, in memory, over the real file system.
IntrusiveRefCntPtr<vfs::FileSystem> stubFileSystem() {
  auto Memory = makeIntrusiveRefCnt<vfs::InMemoryFileSystem>();
  for (const StubSource &S : StubSources)
    Memory->addFile((Twine(StubDir) + "/" + S.Name).str(), 0,
                    MemoryBuffer::getMemBuffer(S.Text, S.Name, false));
  auto Overlay = makeIntrusiveRefCnt<vfs::OverlayFileSystem>(vfs::getRealFileSystem());
  Overlay->pushOverlay(Memory);
  return Overlay;
}

/// The output path (-o) and the driver flags pyaket-cc passes on (-v,
/// -###); any other compiler argument has no meaning here.
Error readPackageArgs(const CommandLine &CL, std::string &Output,
                      std::vector<std::string> &Passed) {
  for (size_t I = 0; I < CL.ClangArgs.size(); ++I) {
    StringRef Arg = CL.ClangArgs[I];
    if (Arg == "-o" && I + 1 < CL.ClangArgs.size())
      Output = CL.ClangArgs[++I];
    else if (Arg.starts_with("-o") && Arg.size() > 2)
      Output = Arg.drop_front(2).str();
    else if (Arg == "-v" || Arg == "-###")
      Passed.push_back(Arg.str());
    else
      return makeError("'" + Arg + "' has no meaning with --project; package mode takes -o, -v and -###");
  }
  return Error::success();
}
/// Writes the payload objects into \p Dir and adds them, with the script
/// that places them, to \p LinkInputs.
Error writePayloads(StringRef Dir, const Payloads &Data, std::vector<std::string> &LinkInputs) {
  struct {
    const char *Section;
    const std::string &Bytes;
  } Objects[] = {{ConfigSection, Data.Config}, {UvSection, Data.Uv}, {WheelsSection, Data.Wheels}};
  std::string Triple = sys::getDefaultTargetTriple();
  // The payloads go last in the file, after everything the C library needs to
  // start, so that the launcher can report a truncated file instead of crashing.
  std::string Script = "SECTIONS {\n";
  for (auto &Object : Objects) {
    SmallString<128> Path(Dir);
    sys::path::append(Path, Twine(Object.Section) + ".o");
    if (Error Err = writePayloadObject(Path, Triple, Object.Section, Object.Bytes))
      return Err;
    LinkInputs.push_back(Path.str().str());
    Script += (Twine("  ") + Object.Section + " : { KEEP(*(" + Object.Section + ")) }\n").str();
  }
  SmallString<128> ScriptPath(Dir);
  sys::path::append(ScriptPath, "payloads.ld");
  LinkInputs.push_back(("-Wl,-T," + ScriptPath).str());
  return writeOutputFile(ScriptPath, Script + "} INSERT AFTER .bss;\n");
}

/// Compiles the launcher with the profile and links it with \p LinkInputs,
/// like any other pyaket-cc build; returns the exit code.
int buildLauncher(StringRef ProgramPath, const Profile &P, ArrayRef<std::string> LinkInputs,
                  StringRef Output) {
  // C-style C++ with no C++ runtime, static so that it starts fast.
  CommandLine Launcher;
  Launcher.ClangArgs = {"-std=c++17", "-fno-exceptions", "-fno-rtti", "-Wall", "-static"};
  for (const StubSource &S : StubSources)
    if (S.Name.ends_with(".cpp"))
      Launcher.ClangArgs.push_back((Twine(StubDir) + "/" + S.Name).str());
  append_range(Launcher.ClangArgs, LinkInputs);
  append_range(Launcher.ClangArgs, std::vector<std::string>{"-lzstd", "-o", Output.str()});
  std::unique_ptr<JobPlan> Plan = JobPlan::create(ProgramPath, Launcher, P, stubFileSystem());
  if (!Plan)
    return 1;
  if (Plan->PrintOnly || Plan->Verbose)
    Plan->print(errs());
  return Plan->PrintOnly ? 0 : Plan->run();
}
} // namespace

int packageProject(StringRef ProgramPath, const CommandLine &CL) {
  Expected<ProjectConfig> Config = loadProjectConfig(CL.Project);
  if (!Config)
    return reportError(Config.takeError());
  if (Error Err = finishProjectConfig(*Config, CL.Overrides))
    return reportError(std::move(Err));
  std::string Output = Config->Name;
  std::vector<std::string> StubArgs; // -v, -###, then the payloads
  if (Error Err = readPackageArgs(CL, Output, StubArgs))
    return reportError(std::move(Err));

  std::string ProfileSpec = CL.ProfileGiven || Config->Profile.empty() ? CL.ProfileSpec : Config->Profile;
  Expected<Profile> P = loadProfile(ProfileSpec);
  if (!P)
    return reportError(P.takeError());
  Expected<std::string> Uv = findUv(CL.Uv);
  if (!Uv)
    return reportError(Uv.takeError());
  Expected<Payloads> Data = gatherPayloads(*Config, *P, *Uv);
  if (!Data)
    return reportError(Data.takeError());

  SmallString<128> Scratch;
  if (std::error_code EC = sys::fs::createUniqueDirectory("pyaket-cc-package", Scratch))
    return reportError("cannot create a temporary directory: " + EC.message());
  int Code = 1;
  if (Error Err = writePayloads(Scratch, *Data, StubArgs))
    reportError(std::move(Err));
  else
    Code = buildLauncher(ProgramPath, *P, StubArgs, Output);
  sys::fs::remove_directories(Scratch);
  return Code;
}

} // namespace pyaket
