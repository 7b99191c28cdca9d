//===- ProfileTest.cpp - profile loading and inheritance ------------------===//
#include "Profile.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

using namespace llvm;
using namespace pyaket;

namespace {

std::string errorOf(Expected<Profile> P) {
  EXPECT_FALSE(bool(P));
  return P ? "" : toString(P.takeError());
}

/// A scratch directory for profile files, removed afterwards.
class ProfileFiles : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(sys::fs::createUniqueDirectory("pyaket-profile-test", Dir));
  }
  void TearDown() override { sys::fs::remove_directories(Dir); }

  std::string write(StringRef Name, StringRef Text) {
    SmallString<256> Path(Dir);
    sys::path::append(Path, Name);
    std::error_code EC;
    raw_fd_ostream OS(Path, EC);
    EXPECT_FALSE(EC);
    OS << Text;
    return Path.str().str();
  }

  SmallString<256> Dir;
};

TEST(BuiltinProfiles, AllFiveLoadWithTheirDocumentedSettings) {
  ASSERT_EQ(builtinProfileNames().size(), 5u);
  struct Expect {
    StringRef Name;
    OptLevel Opt;
    LtoKind Lto;
    bool Strip;
  } Table[] = {{"develop", OptLevel::O1, LtoKind::None, false},
               {"fast", OptLevel::O3, LtoKind::Thin, false},
               {"fastest", OptLevel::O3, LtoKind::Full, false},
               {"small", OptLevel::Os, LtoKind::Thin, false},
               {"smallest", OptLevel::Oz, LtoKind::Full, true}};
  for (const Expect &E : Table) {
    Expected<Profile> P = loadProfile(E.Name);
    ASSERT_TRUE(bool(P)) << toString(P.takeError());
    EXPECT_EQ(P->Name, E.Name);
    EXPECT_EQ(P->Opt, E.Opt) << E.Name.str();
    EXPECT_EQ(P->Lto, E.Lto) << E.Name.str();
    EXPECT_EQ(P->Strip, E.Strip) << E.Name.str();
    EXPECT_FALSE(P->Description.empty()) << E.Name.str();
  }
}

TEST(BuiltinProfiles, SmallestAddsFunctionMergingAndFoldsIdenticalCode) {
  Expected<Profile> P = loadProfile("smallest");
  ASSERT_TRUE(bool(P));
  EXPECT_EQ(P->Passes, "mergefunc");
  EXPECT_NE(std::find(P->LinkFlags.begin(), P->LinkFlags.end(), "--icf=safe"), P->LinkFlags.end());
}

TEST(BuiltinProfiles, UnknownNameListsTheBuiltins) {
  std::string Error = errorOf(loadProfile("turbo"));
  EXPECT_NE(Error.find("unknown profile 'turbo'"), std::string::npos) << Error;
  EXPECT_NE(Error.find("develop, fast, fastest, small, smallest"), std::string::npos) << Error;
}

TEST_F(ProfileFiles, InheritsAndOverridesKeyByKey) {
  std::string Path = write("mine.toml", "inherits = \"smallest\"\nopt = \"O2\"\nstrip = false\n");
  Expected<Profile> P = loadProfile(Path);
  ASSERT_TRUE(bool(P)) << toString(P.takeError());
  EXPECT_EQ(P->Name, "mine");
  EXPECT_EQ(P->Opt, OptLevel::O2);      // its own
  EXPECT_FALSE(P->Strip);               // its own
  EXPECT_EQ(P->Lto, LtoKind::Full);     // from smallest
  EXPECT_EQ(P->Passes, "mergefunc");    // from smallest
  EXPECT_EQ(P->ZstdLevel, 22);          // from smallest
}

TEST_F(ProfileFiles, ListsReplaceTheParentsLists) {
  std::string Path = write("mine.toml", "inherits = \"small\"\nlink_flags = [\"-O1\"]\n");
  Expected<Profile> P = loadProfile(Path);
  ASSERT_TRUE(bool(P)) << toString(P.takeError());
  EXPECT_EQ(P->LinkFlags, std::vector<std::string>{"-O1"});
}

TEST_F(ProfileFiles, InheritsPathsAreRelativeToTheFile) {
  write("base.toml", "inherits = \"fast\"\nzstd_level = 7\n");
  std::string Path = write("leaf.toml", "inherits = \"./base.toml\"\n");
  Expected<Profile> P = loadProfile(Path);
  ASSERT_TRUE(bool(P)) << toString(P.takeError());
  EXPECT_EQ(P->ZstdLevel, 7);
  EXPECT_EQ(P->Lto, LtoKind::Thin);
}

TEST_F(ProfileFiles, WithoutInheritsStartsFromNeutralDefaults) {
  Expected<Profile> P = loadProfile(write("root.toml", "lto = \"thin\"\n"));
  ASSERT_TRUE(bool(P)) << toString(P.takeError());
  EXPECT_EQ(P->Opt, OptLevel::O0);
  EXPECT_TRUE(P->LinkFlags.empty());
}

TEST_F(ProfileFiles, UnknownKeyNamesFileLineAndKey) {
  std::string Path = write("bad.toml", "inherits = \"fast\"\noptimise = \"O3\"\n");
  std::string Error = errorOf(loadProfile(Path));
  EXPECT_NE(Error.find(Path + ":2:"), std::string::npos) << Error;
  EXPECT_NE(Error.find("key 'optimise': unknown key"), std::string::npos) << Error;
}

TEST_F(ProfileFiles, BadValuesNameTheKeyAndWhatIsAllowed) {
  struct Case {
    StringRef Text, Expected;
  } Cases[] = {
      {"opt = \"O4\"", "key 'opt': must be one of O0, O1, O2, O3, Os, Oz"},
      {"lto = true", "key 'lto': must be one of none, thin, full"},
      {"strip = \"yes\"", "key 'strip': must be true or false"},
      {"zstd_level = 23", "key 'zstd_level': must be an integer from 1 to 22"},
      {"link_flags = [\"-O2\", 3]", "key 'link_flags': must be a list of strings"},
      {"passes = 1", "key 'passes': must be a string"},
      {"passes = \"mergefunc,nope\"", "1:10: key 'passes': bad extra passes 'mergefunc,nope'"},
      {"inherits = 5", "key 'inherits': must be a string"},
      {"uv_compression = \"lzma\"", "key 'uv_compression': must be \"zstd\" or \"xz\""},
      {"xz_lzma2 = \"preset=10\"", "key 'xz_lzma2': 'preset=10' are not LZMA2 options as xz's --lzma2= takes"},
      {"xz_block_mib = -1", "key 'xz_block_mib': must be an integer from 0 (one block) to 4096"},
  };
  for (const Case &C : Cases) {
    std::string Error = errorOf(loadProfile(write("bad.toml", C.Text)));
    EXPECT_NE(Error.find(C.Expected), std::string::npos) << C.Text.str() << " gave: " << Error;
  }
}

TEST_F(ProfileFiles, SyntaxErrorNamesFileAndLine) {
  std::string Path = write("bad.toml", "opt = \"O2\"\nlto = \n");
  std::string Error = errorOf(loadProfile(Path));
  EXPECT_EQ(Error.rfind(Path + ":2:", 0), 0u) << Error;
}

TEST_F(ProfileFiles, InheritanceCycleIsAnError) {
  write("a.toml", "inherits = \"b.toml\"\n");
  write("b.toml", "inherits = \"a.toml\"\n");
  SmallString<256> A(Dir);
  sys::path::append(A, "a.toml");
  std::string Error = errorOf(loadProfile(A));
  EXPECT_NE(Error.find("key 'inherits': inheritance cycle:"), std::string::npos) << Error;
}

TEST_F(ProfileFiles, MissingParentIsAnError) {
  std::string Error = errorOf(loadProfile(write("a.toml", "inherits = \"./gone.toml\"\n")));
  EXPECT_NE(Error.find("cannot read profile file './gone.toml'"), std::string::npos) << Error;
}

TEST(ProfileText, ParsesAsIfReadFromItsSource) {
  Expected<Profile> P = parseProfile("inherits = \"fastest\"\nopt = \"O2\"\n", "custom.toml");
  ASSERT_TRUE(bool(P)) << toString(P.takeError());
  EXPECT_EQ(P->Name, "custom");
  EXPECT_EQ(P->Source, "custom.toml");
  EXPECT_EQ(P->Lto, LtoKind::Full);
}

} // namespace
