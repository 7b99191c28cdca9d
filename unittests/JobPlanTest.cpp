//===- JobPlanTest.cpp - translating profiles into driver and LLD flags ---===//
#include "JobPlan.h"

#include "gtest/gtest.h"

using namespace pyaket;
using namespace clang::driver;

namespace {

Profile profile(llvm::StringRef Name) {
  llvm::Expected<Profile> P = loadProfile(Name);
  EXPECT_TRUE(bool(P));
  return P ? *P : Profile();
}

using Args = std::vector<std::string>;
// The profile's flags are wrapped so that clang never calls them unused.
const char *Start = "--start-no-unused-arguments", *End = "--end-no-unused-arguments";

TEST(DriverArguments, ProfileFlagsComeFirstSoTheUsersWin) {
  CommandLine CL;
  CL.ClangArgs = {"-O2", "-c", "a.c"};
  EXPECT_EQ(driverArguments(CL, profile("fast"), phases::Assemble),
            (Args{Start, "-O3", "-flto=thin", End, "-O2", "-c", "a.c"}));
}

TEST(DriverArguments, AChosenProfileOwnsTheOptimisationLevel) {
  CommandLine CL;
  CL.ProfileGiven = true;
  CL.ClangArgs = {"-O2", "-c", "-o", "-O3", "a.c", "-Ofast", "--optimize=1"};
  EXPECT_EQ(ignoredOptimisationFlags(CL), (Args{"-O2", "-Ofast", "--optimize=1"}));
  EXPECT_EQ(driverArguments(CL, profile("smallest"), phases::Assemble),
            (Args{Start, "-Oz", "-flto=full", End, "-c", "-o", "-O3", "a.c"}));
}

// -S writes assembly, as configure scripts expect, not the profile's LTO
// bitcode; -S -emit-llvm still writes the LTO pre-link IR.
TEST(DriverArguments, AssemblyOutputHasNoLto) {
  CommandLine CL;
  CL.ClangArgs = {"-S", "a.c"};
  EXPECT_EQ(driverArguments(CL, profile("fast"), phases::Backend),
            (Args{Start, "-O3", End, "-S", "a.c"}));
  CL.ClangArgs = {"-S", "-emit-llvm", "a.c"};
  EXPECT_EQ(driverArguments(CL, profile("fast"), phases::Backend),
            (Args{Start, "-O3", "-flto=thin", End, "-S", "-emit-llvm", "a.c"}));
}

TEST(DriverArguments, LinkOnlyFlagsOnlyWhenLinking) {
  CommandLine CL;
  CL.ClangArgs = {"a.o"};
  Profile P = profile("develop");
  P.Static = true;
  EXPECT_EQ(driverArguments(CL, P, phases::Link), (Args{Start, "-O1", "-fuse-ld=lld", "-static", End, "a.o"}));
  EXPECT_EQ(driverArguments(CL, P, phases::Assemble), (Args{Start, "-O1", End, "a.o"}));
}

TEST(DriverArguments, CompileFlagsOfTheProfileAreGiven) {
  Profile P = profile("develop");
  P.CompileFlags = {"-ffunction-sections"};
  EXPECT_EQ(driverArguments(CommandLine(), P, phases::Assemble), (Args{Start, "-O1", "-ffunction-sections", End}));
}

TEST(LinkArguments, ProfileFlagsFollowTheDriversAndStripComesLast) {
  const char *DriverArgs[] = {"-o", "app", "main.o"};
  Args Link = linkArguments(DriverArgs, profile("smallest"), llvm::Triple("x86_64-linux-gnu"));
  ASSERT_GE(Link.size(), 7u);
  EXPECT_EQ(Args(Link.begin() + 3, Link.begin() + 6), (Args{"-o", "app", "main.o"}));
  EXPECT_EQ(Link.back(), "--strip-all");
  EXPECT_NE(std::find(Link.begin(), Link.end(), "--icf=safe"), Link.end());
}

// GNU ld's leniency comes first, so that the user's -Wl,--no-undefined-version wins.
TEST(LinkArguments, DevelopAddsOnlyGnuLdDefaults) {
  const char *DriverArgs[] = {"-o", "app", "main.o"};
  EXPECT_EQ(linkArguments(DriverArgs, profile("develop"), llvm::Triple("x86_64-linux-gnu")),
            (Args{"--undefined-version", "-z", "nostart-stop-gc", "-o", "app", "main.o"}));
}

// lld's MinGW driver knows none of GNU ld's ELF leniencies: they are not given.
TEST(LinkArguments, MinGWLinksGetNoElfDefaults) {
  const char *DriverArgs[] = {"-m", "i386pep", "-o", "app.exe", "main.o"};
  EXPECT_EQ(linkArguments(DriverArgs, profile("develop"), llvm::Triple("x86_64-w64-windows-gnu")),
            (Args{"-m", "i386pep", "-o", "app.exe", "main.o"}));
}

} // namespace
