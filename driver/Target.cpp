//===- Target.cpp - the platforms package mode builds launchers for -------===//
#include "Target.h"
#include "Diagnostics.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/BinaryFormat/COFF.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

using namespace llvm;

namespace pyaket {

namespace {
const LauncherTarget Targets[] = {
    {"x86_64-linux", "x86_64-linux-musl", "manylinux2014_x86_64", false},
    {"aarch64-linux", "aarch64-linux-musl", "manylinux2014_aarch64", false},
    {"x86_64-windows", "x86_64-w64-windows-gnu", "win_amd64", true},
};

/// The target of an architecture and an operating system, if there is one.
const LauncherTarget *targetOf(Triple::ArchType Arch, bool Windows) {
  for (const LauncherTarget &T : Targets)
    if (Triple(T.Triple).getArch() == Arch && T.Windows == Windows)
      return &T;
  return nullptr;
}

/// A name for what an executable is for that is no target of ours.
std::string describeMachine(StringRef Format, unsigned Machine) {
  return (Format + " machine 0x" + Twine::utohexstr(Machine)).str();
}
} // namespace

std::string LauncherTarget::executableName(StringRef Output) const {
  if (Windows && !sys::path::extension(Output).equals_insensitive(".exe"))
    return (Output + ".exe").str();
  return Output.str();
}

ArrayRef<LauncherTarget> launcherTargets() { return Targets; }

std::string launcherTargetNames() {
  std::string Names;
  for (const LauncherTarget &T : Targets)
    Names += (Names.empty() ? "" : ", ") + T.Name.str();
  return Names;
}

const LauncherTarget &hostLauncherTarget() {
  Triple Host(sys::getProcessTriple());
  const LauncherTarget *T = targetOf(Host.getArch(), Host.isOSWindows());
  return T ? *T : Targets[0];
}

Expected<const LauncherTarget &> findLauncherTarget(StringRef Spec) {
  for (const LauncherTarget &T : Targets)
    if (T.Name == Spec)
      return T;
  // Any spelling of a triple of a plain Linux or Windows: x86_64-pc-windows-msvc,
  // aarch64-unknown-linux-gnu; not Android, x32 or Cygwin, whose programs differ.
  Triple Parsed(Triple::normalize(Spec));
  Triple::EnvironmentType Env = Parsed.getEnvironment();
  bool Linux = Parsed.getOSName() == "linux" &&
               (Env == Triple::UnknownEnvironment || Env == Triple::GNU || Env == Triple::Musl);
  bool Windows = Parsed.getOSName() == "windows" && !Parsed.isWindowsCygwinEnvironment();
  bool Plain = all_of(Spec, [](char C) { return isAlnum(C) || C == '-' || C == '_' || C == '.'; });
  if (const LauncherTarget *T =
          Plain && (Linux || Windows) ? targetOf(Parsed.getArch(), Windows) : nullptr)
    return *T;
  std::string Shown; // on one line, whatever it holds
  raw_string_ostream OS(Shown);
  printEscapedString(Spec, OS);
  return makeError("'" + Shown + "' is not a target: package mode builds launchers for " +
                   launcherTargetNames() + " (see --list-targets)");
}

std::string launcherRuntimeDir(StringRef ProgramPath, const LauncherTarget &T) {
  SmallString<256> Dir;
  if (const char *Override = getenv("PYAKET_CC_RUNTIME_DIR"); Override && *Override) {
    Dir = Override;
  } else {
    Dir = sys::path::parent_path(sys::path::parent_path(ProgramPath));
    sys::path::append(Dir, "lib", "pyaket-cc");
  }
  sys::path::append(Dir, T.Name);
  return Dir.str().str();
}

RuntimeFiles launcherRuntimeFiles(const LauncherTarget &T, StringRef Runtime) {
  auto In = [&](std::initializer_list<StringRef> Names) {
    std::vector<std::string> Paths;
    for (StringRef Name : Names)
      Paths.push_back((Runtime + "/lib/" + Name).str());
    return Paths;
  };
  if (T.Windows) // mingw-w64's CRT on msvcrt.dll; COFF links find symbols in any order
    return {In({"crt2.o", "crtbegin.o"}),
            In({"libzstd.a", "liblzma.a", "libmingw32.a", "libbuiltins.a", "libmingwex.a", "libmsvcrt.a",
                "libmoldname.a", "libkernel32.a", "libadvapi32.a", "libshell32.a",
                "libuser32.a"}),
            In({"crtend.o"})};
  return {In({"crt1.o", "crti.o"}), In({"libzstd.a", "liblzma.a", "libc.a", "libbuiltins.a"}),
          In({"crtn.o"})};
}

Expected<std::string> requireLauncherRuntime(StringRef ProgramPath, const LauncherTarget &T) {
  std::string Dir = launcherRuntimeDir(ProgramPath, T);
  RuntimeFiles Files = launcherRuntimeFiles(T, Dir);
  std::vector<std::string> Needed = {Dir + "/include/stdio.h"};
  for (const std::vector<std::string> *Part : {&Files.Start, &Files.Libraries, &Files.End})
    append_range(Needed, *Part);
  for (const std::string &File : Needed)
    if (!sys::fs::is_regular_file(File))
      return makeError("the launcher runtime for " + T.Name + " is not installed (no " + File +
                       "): build pyaket-cc after utils/setup.sh has fetched it, or package for "
                       "another target (see --list-targets)");
  return Dir;
}

Expected<const LauncherTarget &> executableTarget(StringRef Bytes) {
  using namespace support::endian;
  if (Bytes.starts_with("\x7f"
                        "ELF")) {
    if (Bytes.size() < sizeof(ELF::Elf64_Ehdr))
      return makeError("an ELF file cut short");
    if (Bytes[ELF::EI_CLASS] != ELF::ELFCLASS64 || Bytes[ELF::EI_DATA] != ELF::ELFDATA2LSB)
      return makeError("a 32-bit or big-endian ELF file");
    unsigned Machine = read16le(Bytes.data() + 18);
    Triple::ArchType Arch = Machine == ELF::EM_X86_64    ? Triple::x86_64
                            : Machine == ELF::EM_AARCH64 ? Triple::aarch64
                                                         : Triple::UnknownArch;
    if (const LauncherTarget *T = targetOf(Arch, false))
      return *T;
    return makeError("an ELF executable for " + describeMachine("ELF", Machine));
  }
  if (Bytes.starts_with("MZ") && Bytes.size() >= 0x40) {
    uint32_t Header = read32le(Bytes.data() + 0x3c);
    if (uint64_t(Header) + 6 > Bytes.size() || Bytes.substr(Header, 4) != StringRef("PE\0\0", 4))
      return makeError("a DOS program, not a PE executable");
    unsigned Machine = read16le(Bytes.data() + Header + 4);
    Triple::ArchType Arch = Machine == COFF::IMAGE_FILE_MACHINE_AMD64   ? Triple::x86_64
                            : Machine == COFF::IMAGE_FILE_MACHINE_ARM64 ? Triple::aarch64
                                                                        : Triple::UnknownArch;
    if (const LauncherTarget *T = targetOf(Arch, true))
      return *T;
    return makeError("a PE executable for " + describeMachine("PE", Machine));
  }
  return makeError("not an executable binary (a shim or a script?)");
}

} // namespace pyaket
