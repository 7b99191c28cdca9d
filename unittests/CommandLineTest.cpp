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

TEST(CommandLine, ProfileFromTheEnvironmentIsChosenAndTheCommandLineWins) {
  EXPECT_FALSE(parse({"a.c"}).ProfileGiven);
  llvm::Expected<CommandLine> CL = parseCommandLine({"a.c"}, "smallest");
  ASSERT_TRUE(bool(CL));
  EXPECT_TRUE(CL->ProfileGiven);
  EXPECT_EQ(CL->ProfileSpec, "smallest");
  CL = parseCommandLine({"--profile=fast", "a.c"}, "smallest");
  ASSERT_TRUE(bool(CL));
  EXPECT_EQ(CL->ProfileSpec, "fast");
}

TEST(CommandLine, OtherLinkersAreRefused) {
  for (const char *Linker : {"-fuse-ld=bfd", "-fuse-ld=lld-link", "--ld-path=/usr/bin/ld"}) {
    llvm::Expected<CommandLine> CL = parseCommandLine({Linker, "a.c"});
    ASSERT_FALSE(bool(CL)) << Linker;
    EXPECT_NE(llvm::toString(CL.takeError()).find("'" + std::string(Linker) + "' is not supported"),
              std::string::npos);
  }
}

TEST(CommandLine, LinkersNamingLLDAreAlreadyMet) {
  for (const char *Linker : {"-fuse-ld=lld", "-fuse-ld=/usr/bin/ld.lld", "-fuse-ld=ld.lld-19",
                             "--ld-path=/usr/lib/llvm-19/bin/ld.lld", "--ld-path=lld"})
    EXPECT_EQ(parse({Linker, "a.c"}).ClangArgs, std::vector<std::string>{"a.c"}) << Linker;
}

TEST(CommandLine, PrintProgNameAnswersOurOwnTools) {
  EXPECT_EQ(parse({"-print-prog-name=ld"}).PrintProgName, "ld.lld");
  EXPECT_EQ(parse({"-print-prog-name=ar"}).PrintProgName, "llvm-ar");
  EXPECT_EQ(parse({"-print-prog-name=llvm-ranlib"}).PrintProgName, "llvm-ranlib");
  CommandLine Other = parse({"-print-prog-name=objcopy"});
  EXPECT_EQ(Other.PrintProgName, "");
  EXPECT_EQ(Other.ClangArgs, std::vector<std::string>{"-print-prog-name=objcopy"});
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
