//===- LauncherBuild.cpp - compiling and linking a launcher ---------------===//
#include "LauncherBuild.h"
#include "BuildCache.h"
#include "CommandLine.h"
#include "Diagnostics.h"
#include "JobPlan.h"
#include "OutputFile.h"
#include "PayloadFormat.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <sys/stat.h>

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

/// The sources compiled for \p T: the shared ones and the platform's own
/// (PlatformPosix.cpp, ...), as the compiler sees them.
std::vector<std::string> launcherSources(const LauncherTarget &T) {
  std::vector<std::string> Paths;
  for (const StubSource &S : StubSources)
    if (S.Name.ends_with(".cpp") && !S.Name.ends_with(T.Windows ? "Posix.cpp" : "Windows.cpp"))
      Paths.push_back((Twine(StubDir) + "/" + S.Name).str());
  return Paths;
}

/// How the launcher is compiled: C-style C++ with no C++ runtime, against
/// the target's runtime only (none of the host's headers). On Windows,
/// mingw-w64's printf (%zu, %lld) and vasprintf.
std::vector<std::string> compileArguments(const LauncherBuild &B) {
  std::vector<std::string> Args = {
      ("--target=" + B.T.Triple).str(), ("--sysroot=" + B.Runtime).str(), "-nostdinc",
      "-isystem", clangResourceDir() + "/include", "-isystem", (B.Runtime + "/include").str(),
      "-std=c++17", "-fno-exceptions", "-fno-rtti", "-fno-threadsafe-statics", "-Wall"};
  if (B.T.Windows)
    append_range(Args, std::vector<std::string>{"-D__USE_MINGW_ANSI_STDIO=1", "-D_GNU_SOURCE"});
  // Only a launcher whose uv is an .xz stream carries the xz decoder, and
  // its threads only when the stream has blocks to decode in parallel.
  if (B.P.UvCompression == "xz")
    Args.push_back("-DPYAKET_XZ_PAYLOADS");
  if (B.P.UvCompression == "xz" && B.P.XzBlockMiB > 0)
    Args.push_back("-DPYAKET_XZ_THREADS");
  append_range(Args, B.Passed);
  return Args;
}

/// A link against the target's runtime of \p Inputs (and of \p Last, after
/// the runtime's end files): static, so that it starts fast; on Windows a
/// console program unless windowed, and no link time in the headers (same
/// inputs, same bytes). ELF's output is written, not mapped: a disk that
/// fills during the link is then lld's error, not a SIGBUS, and a rebuild
/// is 6 ms faster (no page faults on a fresh mapping).
std::vector<std::string> linkArguments(const LauncherBuild &B, ArrayRef<std::string> Inputs,
                                       StringRef Output, ArrayRef<std::string> Last = {}) {
  std::vector<std::string> Args = {("--target=" + B.T.Triple).str(),
                                   ("--sysroot=" + B.Runtime).str(), "-static", "-nostdlib"};
  if (B.T.Windows)
    append_range(Args, std::vector<std::string>{B.Windowed ? "-Wl,--subsystem,windows"
                                                           : "-Wl,--subsystem,console",
                                                "-Wl,--no-insert-timestamp"});
  else
    Args.push_back("-Wl,--no-mmap-output-file");
  append_range(Args, B.Passed);
  RuntimeFiles Files = launcherRuntimeFiles(B.T, B.Runtime);
  append_range(Args, Files.Start);
  append_range(Args, Inputs);
  append_range(Args, Files.Libraries);
  append_range(Args, Files.End);
  append_range(Args, Last);
  append_range(Args, std::vector<std::string>{"-o", Output.str()});
  return Args;
}

/// Plans and runs one clang invocation of \p Args under \p P.
int runClang(const LauncherBuild &B, const Profile &P, std::vector<std::string> Args) {
  CommandLine CL;
  CL.ClangArgs = std::move(Args);
  std::unique_ptr<JobPlan> Plan = JobPlan::create(B.ProgramPath, CL, P, stubFileSystem());
  if (!Plan)
    return 1;
  if (Plan->PrintOnly || Plan->Verbose)
    Plan->print(errs());
  return Plan->PrintOnly ? 0 : Plan->run();
}

/// What the objects are made of: the sources, the profile, the target, its
/// runtime, and this pyaket-cc (a rebuilt one may compile differently).
std::string objectsKey(const LauncherBuild &B) {
  static int Anchor;
  std::vector<std::string> Parts = {PYAKET_VERSION, LLVM_VERSION_STRING, launcherSourcesText(),
                                    B.T.Triple.str(), B.Runtime.str()};
  RuntimeFiles Files = launcherRuntimeFiles(B.T, B.Runtime);
  std::vector<std::string> Identified = {sys::fs::getMainExecutable("pyaket-cc", &Anchor),
                                         (B.Runtime + "/include/stdio.h").str()};
  for (const std::vector<std::string> *Part : {&Files.Start, &Files.Libraries, &Files.End})
    append_range(Identified, *Part);
  for (const std::string &File : Identified)
    Parts.push_back(File + " " + fileIdentity(File));
  const Profile &P = B.P;
  append_range(Parts, std::vector<std::string>{optLevelName(P.Opt).str(), ltoKindName(P.Lto).str(),
                                               P.Passes, P.Strip ? "strip" : "", P.Static ? "static" : "",
                                               P.UvCompression, std::to_string(P.XzBlockMiB)});
  Parts.push_back("compile");
  append_range(Parts, P.CompileFlags);
  Parts.push_back("link");
  append_range(Parts, P.LinkFlags);
  std::vector<StringRef> Refs(Parts.begin(), Parts.end());
  return cacheKey(Refs);
}

/// Whether the launcher's objects are the LTO's native ones. lld's COFF
/// linker does not write those (its /lto-obj-path serves distributed
/// ThinLTO only): Windows launchers keep the compiler's bitcode objects and
/// are optimised at each link.
bool objectsAreLtoOutput(const LauncherBuild &B) { return B.P.Lto != LtoKind::None && !B.T.Windows; }

/// Compiles the launcher's objects into \p Dir: one per source, or the
/// native objects that LTO makes of them in a link with no payloads (its
/// output is thrown away).
int compileObjects(const LauncherBuild &B, StringRef Dir) {
  std::vector<std::string> Sources = launcherSources(B.T);
  if (!objectsAreLtoOutput(B)) {
    for (const std::string &Source : Sources) {
      std::vector<std::string> Args = compileArguments(B);
      SmallString<128> Object(Dir);
      sys::path::append(Object, sys::path::stem(Source) + ".o");
      append_range(Args, std::vector<std::string>{"-c", Source, "-o", Object.str().str()});
      if (int Code = runClang(B, B.P, std::move(Args)))
        return Code;
    }
    return 0;
  }
  SmallString<128> LtoObject(Dir), Unused(Dir);
  sys::path::append(LtoObject, "lto.o");
  sys::path::append(Unused, "launcher-without-payloads");
  // lld writes LTO's objects as lto.o, lto.o1, ... (ThinLTO: one per module).
  std::vector<std::string> Inputs = Sources;
  Inputs.push_back(("-Wl,--lto-obj-path=" + LtoObject).str());
  // The payloads' bounds, which the real link defines.
  for (StringRef Section : {ConfigSection, UvSection, WheelsSection})
    for (StringRef Bound : {"__start_", "__stop_"})
      Inputs.push_back(("-Wl,--defsym=" + Bound + Section + "=0").str());
  std::vector<std::string> Args = compileArguments(B);
  append_range(Args, linkArguments(B, Inputs, Unused));
  int Code = runClang(B, B.P, std::move(Args));
  sys::fs::remove(Unused);
  return Code;
}

/// The object files in \p Dir, in a fixed order.
std::vector<std::string> objectsIn(StringRef Dir) {
  std::vector<std::string> Objects;
  std::error_code EC;
  for (sys::fs::directory_iterator I(Dir, EC), End; I != End && !EC; I.increment(EC))
    if (sys::path::filename(I->path()).contains(".o"))
      Objects.push_back(I->path());
  llvm::sort(Objects);
  return Objects;
}

/// The launcher's objects in \p Dir, or none unless they are whole: some,
/// all plain files and none empty (a crash or a hand may have cut one short),
/// lto.o among LTO's. A cache entry without them is made again.
std::vector<std::string> wholeObjectsIn(StringRef Dir, bool LtoOutput) {
  if (!isPlainDirectory(Dir))
    return {};
  std::vector<std::string> Objects = objectsIn(Dir);
  uint64_t Size;
  bool Whole = !Objects.empty() &&
               (!LtoOutput || is_contained(Objects, (Dir + "/lto.o").str())) &&
               all_of(Objects, [&](const std::string &O) {
                 return isPlainFile(O) && !sys::fs::file_size(O, Size) && Size;
               });
  return Whole ? Objects : std::vector<std::string>();
}
} // namespace

std::string launcherSourcesText() {
  std::string Text;
  for (const StubSource &S : StubSources)
    Text += (S.Name + "\n" + S.Text + "\n").str();
  return Text;
}

int launcherObjects(const LauncherBuild &B, StringRef CacheDir, StringRef ScratchDir,
                    std::vector<std::string> &Objects) {
  bool PrintOnly = is_contained(B.Passed, "-###");
  std::string Entry = cacheEntryPath(CacheDir, "launchers", objectsKey(B));
  bool LtoOutput = objectsAreLtoOutput(B);
  markCacheEntryUsed(Entry);
  if (!Entry.empty() && !(Objects = wholeObjectsIn(Entry, LtoOutput)).empty())
    return 0;
  // Compiled under a temporary name, synced, then renamed into place whole:
  // a concurrent build finds all of the objects or none.
  SmallString<128> Dir;
  bool Cached = !Entry.empty() && !PrintOnly && cacheHasRoom(CacheDir) &&
                !sys::fs::createUniqueDirectory(Entry + ".tmp", Dir);
  if (!Cached) { // the objects are this build's alone
    sys::path::append(Dir = ScratchDir, "launcher");
    if (std::error_code EC = sys::fs::create_directory(Dir))
      return reportError("cannot create " + Dir + ": " + EC.message());
  }
  if (int Code = compileObjects(B, Dir)) {
    sys::fs::remove_directories(Dir);
    return Code;
  }
  if (Cached) {
    for (const std::string &Object : objectsIn(Dir))
      syncFile(Object);
    // A broken entry (not a directory, objects missing) goes; another
    // build's whole one stays, and this build takes it.
    if (wholeObjectsIn(Entry, LtoOutput).empty())
      removeWithoutFollowing(Entry);
    if (!sys::fs::rename(Dir, Entry))
      Dir = Entry;
    else if (!wholeObjectsIn(Entry, LtoOutput).empty()) {
      sys::fs::remove_directories(Dir);
      Dir = Entry;
    }
  }
  // -### compiled nothing: the link it prints names empty stand-ins in the
  // scratch directory for what the compile would write.
  if (PrintOnly)
    for (const std::string &Source : LtoOutput ? std::vector<std::string>{"lto"}
                                               : launcherSources(B.T))
      consumeError(writeOutputFile((Dir + "/" + sys::path::stem(Source) + ".o").str(), ""));
  Objects = objectsIn(Dir);
  return 0;
}

namespace {
int linkInto(const LauncherBuild &B, ArrayRef<std::string> Objects,
             ArrayRef<std::string> LinkInputs, StringRef Output) {
  // Objects that LTO made are native: the link optimises nothing more, and
  // they go last, where one LTO link puts LTO's output, so that the fast
  // path's code keeps its layout (linked first, fast's launcher started
  // 0.011 ms later).
  if (objectsAreLtoOutput(B)) {
    Profile Link = B.P;
    Link.Lto = LtoKind::None;
    return runClang(B, Link, linkArguments(B, LinkInputs, Output, Objects));
  }
  std::vector<std::string> Inputs(Objects.begin(), Objects.end());
  append_range(Inputs, LinkInputs);
  return runClang(B, B.P, linkArguments(B, Inputs, Output));
}

/// What the links of this build are named while they are written, beside
/// their outputs: short, whatever the output's name, and hidden.
constexpr StringRef LinkTemporaryPrefix = ".pyaket-cc-link-";

/// One error line when \p Dir has not room for an executable of the inputs'
/// size and a margin (headers, alignment): lld would die of SIGBUS writing
/// into a mapped file there.
Error checkRoomFor(StringRef Output, StringRef Dir, ArrayRef<std::string> Inputs) {
  uint64_t Needed = 4 << 20, Size;
  for (const std::string &Input : Inputs)
    if (!sys::fs::file_size(Input, Size))
      Needed += Size + Size / 16;
  ErrorOr<sys::fs::space_info> Space = sys::fs::disk_space(Dir);
  if (!Space || Space->available >= Needed)
    return Error::success();
  auto Megabytes = [](uint64_t Bytes) {
    return std::to_string((Bytes + 999999) / 1000000) + " MB";
  };
  return makeError("no room for " + Output + ": it needs about " + Megabytes(Needed) + ", " +
                   Dir + " has " + Megabytes(Space->available) +
                   " free; free some space or choose another -o");
}


/// Copies the linked executable \p Linked into \p Output, written in place.
int copyInto(StringRef Linked, StringRef Output) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> Bytes =
      MemoryBuffer::getFile(Linked, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!Bytes)
    return reportError("cannot read " + Linked + ": " + Bytes.getError().message());
  if (Error Err = writeOutputFile(Output, (*Bytes)->getBuffer()))
    return reportError(std::move(Err));
  return 0;
}
} // namespace

int linkLauncher(const LauncherBuild &B, ArrayRef<std::string> Objects,
                 ArrayRef<std::string> LinkInputs, StringRef Output) {
  if (is_contained(B.Passed, "-###")) // the link it prints names the executable
    return linkInto(B, Objects, LinkInputs, Output);
  // lld unlinks its output before it writes, and cannot write to /dev/stdout
  // when that leads to a regular file. It links to a temporary file instead,
  // renamed over the output (the executable of the last build stays whole
  // until this one is, whether the link fails or the build is killed), or
  // copied into a device, a pipe or stdout.
  bool InPlace = isWrittenInPlace(Output);
  SmallString<128> Dir;
  if (InPlace) {
    sys::path::system_temp_directory(/*ErasedOnReboot=*/true, Dir);
  } else {
    Dir = sys::path::parent_path(Output);
    if (Dir.empty())
      Dir = ".";
    // What a build killed in its link (SIGKILL; other signals remove it) left.
    removeLeftovers(Dir, [](StringRef Name) { return Name.starts_with(LinkTemporaryPrefix); },
                    S_IFREG, std::chrono::hours(1));
    std::vector<std::string> Inputs(Objects.begin(), Objects.end());
    append_range(Inputs, LinkInputs);
    if (Error Err = checkRoomFor(Output, Dir, Inputs))
      return reportError(std::move(Err));
  }
  SmallString<128> Temporary;
  int FD;
  if (std::error_code EC = sys::fs::createUniqueFile(Dir + "/" + LinkTemporaryPrefix + "%%%%%%",
                                                     FD, Temporary))
    return reportError("cannot create " + Output + ": " + EC.message());
  sys::fs::closeFile(FD);
  sys::RemoveFileOnSignal(Temporary);
  int Code = linkInto(B, Objects, LinkInputs, Temporary);
  if (!Code && InPlace)
    Code = copyInto(Temporary, Output);
  else if (!Code)
    if (std::error_code EC = sys::fs::rename(Temporary, Output))
      Code = reportError("cannot write " + Output + ": " + EC.message());
  if (Code || InPlace)
    sys::fs::remove(Temporary);
  sys::DontRemoveFileOnSignal(Temporary);
  return Code;
}

} // namespace pyaket
