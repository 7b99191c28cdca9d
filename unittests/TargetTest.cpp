//===- TargetTest.cpp - the targets package mode builds for ---------------===//
#include "Target.h"

#include "llvm/BinaryFormat/COFF.h"
#include "llvm/BinaryFormat/ELF.h"
#include "gtest/gtest.h"

using namespace llvm;
using namespace pyaket;

namespace {

TEST(LauncherTarget, FoundByNameOrAnyTripleOfItsArchitectureAndSystem) {
  for (auto [Spec, Name] : {std::pair<StringRef, StringRef>{"aarch64-linux", "aarch64-linux"},
                            {"aarch64-unknown-linux-gnu", "aarch64-linux"},
                            {"arm64-linux-musl", "aarch64-linux"},
                            {"x86_64-pc-linux-gnu", "x86_64-linux"},
                            {"x86_64-pc-windows-msvc", "x86_64-windows"},
                            {"x86_64-w64-mingw32", "x86_64-windows"}}) {
    Expected<const LauncherTarget &> T = findLauncherTarget(Spec);
    ASSERT_TRUE(bool(T)) << Spec.str() << ": " << toString(T.takeError());
    EXPECT_EQ(T->Name, Name) << Spec.str();
  }
  for (StringRef Spec : {"riscv64-linux", "aarch64-apple-darwin", "x86_64-freebsd", "linux", "",
                         "x86_64-linux ", "x86_64-linux\n", "x86_64-linux-android",
                         "x86_64-linux-gnux32", "x86_64-pc-cygwin", "x86_64-linuxx"}) {
    Expected<const LauncherTarget &> T = findLauncherTarget(Spec);
    ASSERT_FALSE(bool(T)) << Spec.str();
    EXPECT_NE(toString(T.takeError()).find("is not a target"), std::string::npos);
  }
}

TEST(LauncherTarget, WindowsExecutablesEndInExe) {
  const LauncherTarget &Windows = *findLauncherTarget("x86_64-windows");
  EXPECT_EQ(Windows.executableName("app"), "app.exe");
  EXPECT_EQ(Windows.executableName("dir/App.EXE"), "dir/App.EXE");
  EXPECT_EQ(findLauncherTarget("aarch64-linux")->executableName("app"), "app");
}

std::string elfHeader(uint16_t Machine, uint8_t Class = ELF::ELFCLASS64) {
  std::string Bytes(64, '\0');
  memcpy(Bytes.data(), "\x7f" "ELF", 4);
  Bytes[ELF::EI_CLASS] = Class;
  Bytes[ELF::EI_DATA] = ELF::ELFDATA2LSB;
  Bytes[18] = Machine & 0xff, Bytes[19] = Machine >> 8;
  return Bytes;
}

std::string peHeader(uint16_t Machine) {
  std::string Bytes(0x100, '\0');
  Bytes[0] = 'M', Bytes[1] = 'Z', Bytes[0x3c] = 0x80;
  memcpy(Bytes.data() + 0x80, "PE\0\0", 4);
  Bytes[0x84] = Machine & 0xff, Bytes[0x85] = Machine >> 8;
  return Bytes;
}

TEST(LauncherTarget, ExecutablesTellTheirMachine) {
  EXPECT_EQ(executableTarget(elfHeader(ELF::EM_X86_64))->Name, "x86_64-linux");
  EXPECT_EQ(executableTarget(elfHeader(ELF::EM_AARCH64))->Name, "aarch64-linux");
  EXPECT_EQ(executableTarget(peHeader(COFF::IMAGE_FILE_MACHINE_AMD64))->Name, "x86_64-windows");
  for (auto [Bytes, Message] :
       {std::pair<std::string, StringRef>{elfHeader(ELF::EM_RISCV), "an ELF executable for ELF machine 0xf3"},
        {elfHeader(ELF::EM_386, ELF::ELFCLASS32), "a 32-bit or big-endian ELF file"},
        {elfHeader(ELF::EM_X86_64).substr(0, 20), "an ELF file cut short"},
        {peHeader(COFF::IMAGE_FILE_MACHINE_ARM64), "a PE executable for PE machine 0xaa64"},
        {std::string("MZ") + std::string(0x3e, '\0'), "a DOS program, not a PE executable"},
        {"#!/bin/sh\nexec uv\n", "not an executable binary (a shim or a script?)"}}) {
    Expected<const LauncherTarget &> T = executableTarget(Bytes);
    ASSERT_FALSE(bool(T));
    EXPECT_EQ(toString(T.takeError()), Message);
  }
}

} // namespace
