//===- JobPlanTest.cpp - translating profiles into driver and LLD flags ---===//
#include "JobPlan.h"

#include "gtest/gtest.h"

using namespace pyaket;

namespace {

Profile profile(llvm::StringRef Name) {
  llvm::Expected<Profile> P = loadProfile(Name);
  EXPECT_TRUE(bool(P));
  return P ? *P : Profile();
}

using Args = std::vector<std::string>;

TEST(DriverArguments, ProfileFlagsComeFirstSoTheUsersWin) {
  CommandLine CL;
  CL.ClangArgs = {"-O2", "-c", "a.c"};
  EXPECT_EQ(driverArguments(CL, profile("fast"), /*Links=*/false),
            (Args{"-O3", "-flto=thin", "-O2", "-c", "a.c"}));
}

TEST(DriverArguments, LinkOnlyFlagsOnlyWhenLinking) {
  CommandLine CL;
  CL.ClangArgs = {"a.o"};
  Profile P = profile("develop");
  P.Static = true;
  EXPECT_EQ(driverArguments(CL, P, /*Links=*/true), (Args{"-O1", "-fuse-ld=lld", "-static", "a.o"}));
  EXPECT_EQ(driverArguments(CL, P, /*Links=*/false), (Args{"-O1", "a.o"}));
}

TEST(DriverArguments, CompileFlagsOfTheProfileAreGiven) {
  Profile P = profile("develop");
  P.CompileFlags = {"-ffunction-sections"};
  EXPECT_EQ(driverArguments(CommandLine(), P, false), (Args{"-O1", "-ffunction-sections"}));
}

TEST(LinkArguments, ProfileFlagsFollowTheDriversAndStripComesLast) {
  const char *DriverArgs[] = {"-o", "app", "main.o"};
  Args Link = linkArguments(DriverArgs, profile("smallest"));
  ASSERT_GE(Link.size(), 4u);
  EXPECT_EQ(Args(Link.begin(), Link.begin() + 3), (Args{"-o", "app", "main.o"}));
  EXPECT_EQ(Link.back(), "--strip-all");
  EXPECT_NE(std::find(Link.begin(), Link.end(), "--icf=all"), Link.end());
}

TEST(LinkArguments, DevelopAddsNothing) {
  const char *DriverArgs[] = {"-o", "app", "main.o"};
  EXPECT_EQ(linkArguments(DriverArgs, profile("develop")), (Args{"-o", "app", "main.o"}));
}

} // namespace
