//===- CommandLineTest.cpp - splitting pyaket-cc's options from clang's ---===//
#include "CommandLine.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

using namespace pyaket;

namespace {

CommandLine parse(std::vector<std::string> Args) {
  llvm::Expected<CommandLine> CL = parseCommandLine(Args);
  EXPECT_TRUE(bool(CL)) << llvm::toString(CL.takeError());
  return CL ? *CL : CommandLine();
}

TEST(CommandLine, OwnOptionsAreTakenAndTheRestKeptInOrder) {
  CommandLine CL = parse({"-c", "--profile=fast", "a.c", "--print-pipeline", "-o", "a.o"});
  EXPECT_EQ(CL.ProfileSpec, "fast");
  EXPECT_TRUE(CL.PrintPipeline);
  EXPECT_EQ(CL.ClangArgs, (std::vector<std::string>{"-c", "a.c", "-o", "a.o"}));
}

TEST(CommandLine, ProfileDefaultsToDevelopAndTheLastOneWins) {
  EXPECT_EQ(parse({"a.c"}).ProfileSpec, "develop");
  EXPECT_EQ(parse({"--profile", "small", "--profile=./p.toml"}).ProfileSpec, "./p.toml");
}

TEST(CommandLine, ProfileWithoutValueIsAnError) {
  EXPECT_FALSE(bool(parseCommandLine({"--profile"})));
  llvm::consumeError(parseCommandLine({"--profile"}).takeError());
  llvm::Expected<CommandLine> CL = parseCommandLine({"--profile="});
  ASSERT_FALSE(bool(CL));
  EXPECT_NE(llvm::toString(CL.takeError()).find("--profile needs a value"), std::string::npos);
}

TEST(CommandLine, OtherLinkersAreRefused) {
  llvm::Expected<CommandLine> CL = parseCommandLine({"-fuse-ld=bfd", "a.c"});
  ASSERT_FALSE(bool(CL));
  EXPECT_NE(llvm::toString(CL.takeError()).find("'-fuse-ld=bfd' is not supported"),
            std::string::npos);
  EXPECT_EQ(parse({"-fuse-ld=lld", "a.c"}).ClangArgs.front(), "-fuse-ld=lld");
}

TEST(CommandLine, ResponseFilesAreExpanded) {
  llvm::SmallString<128> Path;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("pyaket-rsp", "rsp", Path));
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Path, EC);
    OS << "-DNAME=\"two words\" --profile=fast\n-c\n";
  }
  std::string At = ("@" + Path).str();
  llvm::Expected<std::vector<std::string>> Args = expandResponseFiles({"x.c", At.c_str()});
  llvm::sys::fs::remove(Path);
  ASSERT_TRUE(bool(Args)) << llvm::toString(Args.takeError());
  EXPECT_EQ(*Args,
            (std::vector<std::string>{"x.c", "-DNAME=two words", "--profile=fast", "-c"}));
}

} // namespace
