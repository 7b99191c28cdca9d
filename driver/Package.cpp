//===- Package.cpp - a Python project becomes one executable --------------===//
//
// The story of a package build: read the project's configuration, choose
// the targets and the uv for each, gather what every launcher carries (the
// wheels, the requirements); then for each target describe the app in the
// embedded configuration with a build id over everything that goes in, take
// the launcher's objects and the compressed payloads from the build cache
// (making them on a cold build, the payloads while the launcher compiles)
// and link them against the target's runtime, in this process like any other
// pyaket-cc build.
//
//===----------------------------------------------------------------------===//
#include "Package.h"
#include "BuildCache.h"
#include "Diagnostics.h"
#include "InputFile.h"
#include "LauncherBuild.h"
#include "OutputFile.h"
#include "Payload.h"
#include "PayloadFormat.h"
#include "Profile.h"
#include "ProjectConfig.h"
#include "Target.h"
#include "UvInput.h"
#include "WheelCheck.h"
#include "WindowsResource.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/BLAKE3.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cerrno>
#include <cstring>
#include <future>
#include <chrono>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace llvm;

namespace pyaket {

namespace {
/// What every target's launcher carries alike.
struct Bundle {
  std::vector<std::string> WheelNames;
  std::string Wheels;     // their archive, uncompressed
  std::string WheelsHash; // hex BLAKE3 hash of Wheels
  std::vector<std::string> Requirements; // [dependencies] pypi, then the requirements files' lines
  std::string Icon; // the .ico file's bytes, for Windows executables
};

Expected<Bundle> gatherBundle(const ProjectConfig &C) {
  Bundle Out;
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
    if (is_contained(Out.WheelNames, Name))
      return makeError(C.Source + ": key 'dependencies.wheels': two wheels are named '" + Name +
                       "' (" + Path + " and another): bundle one of them");
    Out.WheelNames.push_back(Name.str());
    Wheels.push_back({Name.str(), std::move(*Data)});
  }
  Out.Wheels = wheelArchive(Wheels);
  Out.WheelsHash = contentHash(Out.Wheels);

  Expected<std::vector<std::string>> Requirements = readRequirements(C);
  if (!Requirements)
    return Requirements.takeError();
  Out.Requirements = C.PyPI;
  append_range(Out.Requirements, *Requirements);
  Expected<std::string> Icon = readIcon(C);
  if (!Icon)
    return Icon.takeError();
  Out.Icon = std::move(*Icon);
  return Out;
}

/// How \p P compresses uv: as it says. The wheels: always zstd at its level
/// (they are zip files already, and the launcher decompresses them into
/// memory of the size that a zstd frame states).
Compression uvCompression(const Profile &P) {
  Compression C;
  C.ZstdLevel = P.ZstdLevel;
  if (P.UvCompression == "xz") {
    C.Kind = Compression::Method::Xz;
    C.XzLzma2 = P.XzLzma2;
    C.XzBlockSize = uint64_t(P.XzBlockMiB) << 20;
  }
  return C;
}

Compression wheelsCompression(const Profile &P) {
  Compression C;
  C.ZstdLevel = P.ZstdLevel;
  return C;
}

/// The launcher's configuration: the app, and a build id over everything
/// that goes into the executable.
std::string launcherConfig(const ProjectConfig &C, const Profile &P, const LauncherTarget &T,
                           const UvInput &Uv, const Bundle &B) {
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
      {"windowed", C.Windowed && T.Windows ? "1" : "0"},
      {"profile", P.Name},
      {"target", T.Name.str()},
      {"pyaket_version", PYAKET_VERSION},
      {"uv_version", Uv.Version},
      // Of uv itself, not of its compressed bytes: apps built with any
      // profile share one extracted uv.
      {"uv_hash", Uv.Hash.substr(0, 16)},
  };
  for (const std::string &Wheel : B.WheelNames) // for `<app> self check`
    Entries.push_back({"wheel", Wheel});
  for (const std::string &Requirement : B.Requirements)
    Entries.push_back({"pypi", Requirement});

  BLAKE3 Hash;
  Hash.update(PYAKET_VERSION);
  Hash.update(launcherSourcesText());
  Hash.update((P.Source + "\n" + optLevelName(P.Opt) + ltoKindName(P.Lto) + P.Passes + "\n" +
               join(P.CompileFlags, " ") + "\n" + join(P.LinkFlags, " ") + "\n" +
               (P.Strip ? "strip" : "") + "\n" + uvCompression(P).describe() + "\n" +
               wheelsCompression(P).describe() + "\n")
                  .str());
  Hash.update(configText(Entries));
  Hash.update(Uv.Hash);
  Hash.update(B.WheelsHash);
  if (T.Windows)
    Hash.update(BLAKE3::hash(arrayRefFromStringRef(B.Icon)));
  Entries.push_back({"build_id", toHex(ArrayRef(Hash.final()).take_front(16), true)});
  return configText(Entries);
}

/// What package mode takes of the compiler's arguments: -o, the targets
/// (--target=T, -target T; repeated, they add up) and the driver flags it
/// passes on (-v, -###). Any other has no meaning here.
struct PackageArgs {
  std::string Output; // empty: the app's name
  std::vector<std::string> Targets;
  std::vector<std::string> Passed;
};

Expected<PackageArgs> readPackageArgs(const CommandLine &CL) {
  PackageArgs Out;
  ArrayRef<std::string> Args = CL.ClangArgs;
  for (size_t I = 0; I < Args.size(); ++I) {
    StringRef Arg = Args[I];
    bool HasNext = I + 1 < Args.size();
    if ((Arg == "-o" || Arg == "-target" || Arg == "--target") && !HasNext)
      return makeError("'" + Arg + "' needs a value");
    if (Arg == "-o")
      Out.Output = Args[++I];
    else if (Arg.starts_with("-o"))
      Out.Output = Arg.drop_front(2).str();
    else if (Arg == "-target" || Arg == "--target")
      Out.Targets.push_back(Args[++I]);
    else if (Arg.starts_with("--target="))
      Out.Targets.push_back(Arg.drop_front(9).str());
    else if (Arg == "-v" || Arg == "-###")
      Out.Passed.push_back(Arg.str());
    else
      return makeError("'" + Arg + "' has no meaning with --project; package mode takes -o, "
                       "--target, -v and -###");
  }
  return Out;
}

/// The targets to build for: the command line's, else [build] target, else
/// the host; each once.
Expected<std::vector<const LauncherTarget *>> chooseTargets(const PackageArgs &Args,
                                                            const ProjectConfig &C) {
  ArrayRef<std::string> Specs = !Args.Targets.empty() ? ArrayRef(Args.Targets) : ArrayRef(C.Targets);
  std::vector<const LauncherTarget *> Targets;
  for (const std::string &Spec : Specs) {
    Expected<const LauncherTarget &> T = findLauncherTarget(Spec);
    if (!T)
      return makeError((Args.Targets.empty() ? C.Source + ": key 'build.target': " : "--target: ") +
                       toString(T.takeError()));
    if (!is_contained(Targets, &*T))
      Targets.push_back(&*T);
  }
  if (Targets.empty())
    Targets.push_back(&hostLauncherTarget());
  return Targets;
}

/// The payloads, in the order of their sections in the file.
enum PayloadIndex { ConfigPayload, UvPayload, WheelsPayload };

/// The section of payload \p Index in \p T's executables.
StringRef payloadSectionName(const LauncherTarget &T, int Index) {
  static const char *const Elf[] = {ConfigSection, UvSection, WheelsSection};
  static const char *const Windows[] = {WindowsConfigSection, WindowsUvSection, WindowsWheelsSection};
  return T.Windows ? Windows[Index] : Elf[Index];
}

/// Adds the payload objects for \p T to \p LinkInputs: the configuration's,
/// written into \p Dir, and uv's and the wheels', from the cache (compressed
/// now on a cold build, uv's while the launcher compiles: \p UvObject); for
/// ELF, with the script that places them.
Error addPayloads(StringRef Dir, StringRef CacheDir, const LauncherTarget &T, const Profile &P,
                  StringRef Config, const Bundle &B, std::future<Expected<std::string>> &UvObject,
                  std::vector<std::string> &LinkInputs) {
  SmallString<128> ConfigPath(Dir);
  sys::path::append(ConfigPath, "config.o");
  Expected<std::string> ConfigObject =
      payloadObject(T.Triple, payloadSectionName(T, ConfigPayload), Config);
  if (!ConfigObject)
    return ConfigObject.takeError();
  if (Error Err = writeOutputFile(ConfigPath, *ConfigObject))
    return Err;
  Expected<std::string> UvPath = UvObject.get();
  if (!UvPath)
    return UvPath.takeError();
  Expected<std::string> WheelsPath = compressedPayloadObject(
      CacheDir, Dir, T.Triple, payloadSectionName(T, WheelsPayload), wheelsCompression(P),
      B.WheelsHash, [&] { return B.Wheels; });
  if (!WheelsPath)
    return WheelsPath.takeError();
  append_range(LinkInputs, std::vector<std::string>{ConfigPath.str().str(), *UvPath, *WheelsPath});
  if (T.Windows)
    return Error::success();
  // The payloads go last in the file, after everything the C library needs to
  // start, so that the launcher can report a truncated file instead of crashing.
  std::string Script = "SECTIONS {\n";
  for (int Index : {ConfigPayload, UvPayload, WheelsPayload}) {
    StringRef Section = payloadSectionName(T, Index);
    Script += (Twine("  ") + Section + " : { KEEP(*(" + Section + ")) }\n").str();
  }
  SmallString<128> ScriptPath(Dir);
  sys::path::append(ScriptPath, "payloads.ld");
  LinkInputs.push_back(("-Wl,-T," + ScriptPath).str());
  return writeOutputFile(ScriptPath, Script + "} INSERT AFTER .bss;\n");
}

/// Writes the Windows executable's resources (its version, and the
/// project's icon) into \p Dir and adds them to \p LinkInputs.
Error writeResources(StringRef Dir, const ProjectConfig &C, const Bundle &B,
                     std::vector<std::string> &LinkInputs) {
  // The app's name as the original file name, not -o's: builds under other
  // names are the same bytes.
  VersionInfo Version{C.Name, C.About.empty() ? C.Name : C.About, C.effectiveVendor(), C.Version,
                      C.Name + ".exe"};
  Expected<std::string> Resources = windowsResources(Version, B.Icon, C.Icon);
  if (!Resources)
    return makeError(C.Source + ": key 'application.icon': " + toString(Resources.takeError()));
  SmallString<128> Path(Dir);
  sys::path::append(Path, "launcher.res");
  LinkInputs.push_back(Path.str().str());
  return writeOutputFile(Path, *Resources);
}

/// Runs \p Build in a copy of this process, forked before any LLVM thread
/// exists, and returns its exit code. lld keeps state from one link to the
/// next that a ThinLTO link for one machine followed by a link for another
/// does not always survive (a crash in the second, one run in ten): each
/// target's build starts clean.
int inForkedCopy(function_ref<int()> Build) {
  outs().flush();
  errs().flush();
  pid_t Child = fork();
  if (Child == 0) {
    int Code = Build();
    outs().flush();
    errs().flush();
    _exit(Code);
  }
  if (Child < 0)
    return reportError("cannot fork to build another target: " + Twine(strerror(errno)));
  int Status;
  while (waitpid(Child, &Status, 0) < 0)
    if (errno != EINTR)
      return reportError("lost track of the build of another target: " + Twine(strerror(errno)));
  if (WIFSIGNALED(Status))
    return reportError("building a target crashed (signal " + Twine(WTERMSIG(Status)) + ")");
  return WEXITSTATUS(Status);
}

/// What a build writes that is its own alone: its scratch directory, in the
/// system's temporary directory, removed when the build ends.
constexpr StringRef ScratchPrefix = "pyaket-cc-package";

/// Whether \p Name is one that createUniqueDirectory(ScratchPrefix) gives:
/// the prefix, a dash and six hex digits.
bool isScratchName(StringRef Name) {
  return Name.size() == ScratchPrefix.size() + 7 && Name.starts_with(ScratchPrefix) &&
         Name[ScratchPrefix.size()] == '-' && all_of(Name.take_back(6), isHexDigit);
}

/// Builds the launcher for \p T into \p Output; returns the exit code.
int packageFor(StringRef ProgramPath, const PackageArgs &Args, const ProjectConfig &C,
               const Profile &P, const LauncherTarget &T, const UvInput &Uv, const Bundle &B,
               StringRef Output) {
  Expected<std::string> Runtime = requireLauncherRuntime(ProgramPath, T);
  if (!Runtime)
    return reportError(Runtime.takeError());
  SmallString<128> Scratch;
  if (std::error_code EC = sys::fs::createUniqueDirectory(ScratchPrefix, Scratch))
    return reportError(cannotCreateTemporary(EC));
  std::string CacheDir = buildCacheDir();
  // On a cold build the payload compresses on its threads while the launcher
  // compiles. -### runs nothing: an empty stand-in names it.
  bool PrintOnly = is_contained(Args.Passed, "-###");
  auto MakeUvObject = [&]() -> Expected<std::string> {
    if (PrintOnly) {
      std::string StandIn = (Scratch + "/uv-payload.o").str();
      if (Error Err = writeOutputFile(StandIn, ""))
        return Err;
      return StandIn;
    }
    return compressedPayloadObject(CacheDir, Scratch, T.Triple,
                                   payloadSectionName(T, UvPayload), uvCompression(P), Uv.Hash,
                                   [&] { return Uv.readBinary(); });
  };
  std::future<Expected<std::string>> UvObject = std::async(std::launch::async, MakeUvObject);
  LauncherBuild Launcher{ProgramPath, P, T, *Runtime, C.Windowed, Args.Passed};
  std::vector<std::string> Objects, LinkInputs;
  int Code = launcherObjects(Launcher, CacheDir, Scratch, Objects);
  if (Code) // it may still be writing into Scratch
    UvObject.wait();
  else if (Error Err = addPayloads(Scratch, CacheDir, T, P, launcherConfig(C, P, T, Uv, B), B,
                                   UvObject, LinkInputs))
    Code = reportError(std::move(Err));
  else if (Error Err = T.Windows ? writeResources(Scratch, C, B, LinkInputs) : Error::success())
    Code = reportError(std::move(Err));
  else
    Code = linkLauncher(Launcher, Objects, LinkInputs, Output);
  sys::fs::remove_directories(Scratch);
  return Code;
}

/// Builds the executable of each target; returns the exit code. One target:
/// \p Output names the executable. Several: each gets its target's name as a
/// suffix (app-aarch64-linux, app-x86_64-windows.exe).
int packageTargets(StringRef ProgramPath, const PackageArgs &Args, const ProjectConfig &C,
                   const Profile &P, ArrayRef<const LauncherTarget *> Targets,
                   ArrayRef<const UvInput *> TargetUvs, const Bundle &B, StringRef Output) {
  if (Targets.size() == 1)
    return packageFor(ProgramPath, Args, C, P, *Targets.front(), *TargetUvs.front(), B,
                      Targets.front()->executableName(Output));
  for (size_t I = 0; I < Targets.size(); ++I) {
    const LauncherTarget &T = *Targets[I];
    std::string Name = T.executableName((Output + "-" + T.Name).str());
    if (int Code = inForkedCopy([&] {
          return packageFor(ProgramPath, Args, C, P, T, *TargetUvs[I], B, Name);
        }))
      return Code;
  }
  return 0;
}
} // namespace

int packageProject(StringRef ProgramPath, const CommandLine &CL) {
  Expected<ProjectConfig> Config = loadProjectConfig(CL.Project);
  if (!Config)
    return reportError(Config.takeError());
  if (Error Err = finishProjectConfig(*Config, CL.Overrides))
    return reportError(std::move(Err));
  Expected<PackageArgs> Args = readPackageArgs(CL);
  if (!Args)
    return reportError(Args.takeError());
  Expected<std::vector<const LauncherTarget *>> Targets = chooseTargets(*Args, *Config);
  if (!Targets)
    return reportError(Targets.takeError());

  std::string ProfileSpec = CL.ProfileGiven || Config->Profile.empty() ? CL.ProfileSpec : Config->Profile;
  Expected<Profile> P = loadProfile(ProfileSpec);
  if (!P)
    return reportError(P.takeError());
  Expected<std::vector<UvInput>> Uvs = loadUvInputs(CL.Uvs);
  if (!Uvs)
    return reportError(Uvs.takeError());
  std::vector<const UvInput *> TargetUvs;
  for (const LauncherTarget *T : *Targets) {
    Expected<const UvInput &> Uv = uvForTarget(*Uvs, *T);
    if (!Uv)
      return reportError(Uv.takeError());
    TargetUvs.push_back(&*Uv);
  }
  Expected<Bundle> B = gatherBundle(*Config);
  if (!B)
    return reportError(B.takeError());
  Expected<uint64_t> CacheLimit = buildCacheLimit();
  if (!CacheLimit)
    return reportError(CacheLimit.takeError());

  std::string Output = Args->Output.empty() ? Config->Name : Args->Output;
  if (sys::fs::is_directory(Output))
    return reportError("-o " + Output + ": is a directory; name the executable (-o " +
                       (sys::path::parent_path(Output + "/x") + "/" + Config->Name) + ")");
  if (StringRef Parent = sys::path::parent_path(Output); !Parent.empty() && !sys::fs::is_directory(Parent))
    return reportError("-o " + Output + ": the directory " + Parent + " does not exist");
  bool PrintOnly = is_contained(Args->Passed, "-###"); // runs nothing, removes nothing
  if (!PrintOnly) {
    // The scratch directories of builds killed over a day ago (the longest
    // build still writes to its own within that).
    SmallString<128> Temp;
    sys::path::system_temp_directory(/*ErasedOnReboot=*/true, Temp);
    removeLeftovers(Temp, isScratchName, S_IFDIR, std::chrono::hours(24));
  }
  int Code = packageTargets(ProgramPath, *Args, *Config, *P, *Targets, TargetUvs, *B, Output);
  // The entries this build took are marked used: what goes is what builds
  // took longest ago.
  if (!PrintOnly)
    trimBuildCache(buildCacheDir(), *CacheLimit);
  return Code;
}

} // namespace pyaket
