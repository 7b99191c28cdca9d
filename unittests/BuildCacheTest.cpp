//===- BuildCacheTest.cpp - the build cache's size cap --------------------===//
#include "BuildCache.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "gtest/gtest.h"

#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>

using namespace llvm;
using namespace pyaket;

namespace {

/// A cache directory with its kinds of entries, removed at the end.
class BuildCacheTrim : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(sys::fs::createUniqueDirectory("pyaket-cache-trim", Dir));
    for (const char *Kind : {"launchers", "payloads", "uv"})
      ASSERT_FALSE(sys::fs::create_directory(Dir + "/" + Kind));
  }
  void TearDown() override { sys::fs::remove_directories(Dir); }

  /// An entry of \p Bytes bytes (a launcher: a directory of two objects)
  /// last used \p HoursAgo hours ago.
  std::string entry(StringRef Kind, StringRef Name, size_t Bytes, int HoursAgo) {
    std::string Path = (Dir + "/" + Kind + "/" + Name).str();
    auto Write = [](const std::string &File, size_t Size) {
      std::error_code EC;
      raw_fd_ostream(File, EC) << std::string(Size, 'x');
    };
    if (Kind == "launchers") {
      sys::fs::create_directory(Path);
      Write(Path + "/a.o", Bytes / 2);
      Write(Path + "/b.o", Bytes - Bytes / 2);
    } else {
      Write(Path, Bytes);
    }
    const timespec Times[2] = {{time(nullptr) - HoursAgo * 3600, 0}, {0, UTIME_OMIT}};
    utimensat(AT_FDCWD, Path.c_str(), Times, 0);
    return Path;
  }

  SmallString<128> Dir;
};

TEST_F(BuildCacheTrim, RemovesWhatWasUsedLongestAgoUntilTheRestFits) {
  std::string Oldest = entry("payloads", "old.o", 4000, 30);
  std::string OldLauncher = entry("launchers", "old", 3000, 20);
  std::string Older = entry("payloads", "older.o", 2000, 10);
  std::string Kept = entry("payloads", "kept.o", 1000, 5);
  std::string Uv = entry("uv", "k", 100, 2);
  trimBuildCache(Dir, 3200);
  EXPECT_FALSE(sys::fs::exists(Oldest));
  EXPECT_FALSE(sys::fs::exists(OldLauncher));
  EXPECT_TRUE(sys::fs::exists(Older));
  EXPECT_TRUE(sys::fs::exists(Kept));
  EXPECT_TRUE(sys::fs::exists(Uv));
}

TEST_F(BuildCacheTrim, AnEntryMarkedUsedStaysOverOneUsedBefore) {
  std::string First = entry("payloads", "first.o", 1000, 3);
  std::string Second = entry("payloads", "second.o", 1000, 2);
  markCacheEntryUsed(First);
  trimBuildCache(Dir, 1500);
  EXPECT_TRUE(sys::fs::exists(First));
  EXPECT_FALSE(sys::fs::exists(Second));
}

TEST_F(BuildCacheTrim, KeepsWhatARunningBuildMayUseAndTemporaries) {
  std::string Recent = entry("payloads", "recent.o", 5000, 0);
  std::string Temporary = entry("payloads", "x.o.tmp1234", 5000, 0);
  trimBuildCache(Dir, 1);
  EXPECT_TRUE(sys::fs::exists(Recent));
  EXPECT_TRUE(sys::fs::exists(Temporary));
}

TEST_F(BuildCacheTrim, RemovesALinkNotWhatItPointsTo) {
  std::string Elsewhere = entry("launchers", "elsewhere", 1000, 0);
  std::string Link = (Dir + "/payloads/link.o").str();
  ASSERT_FALSE(sys::fs::create_link(Elsewhere, Link));
  const timespec Times[2] = {{time(nullptr) - 2 * 3600, 0}, {0, UTIME_OMIT}};
  utimensat(AT_FDCWD, Link.c_str(), Times, AT_SYMLINK_NOFOLLOW);
  trimBuildCache(Dir, 1);
  EXPECT_FALSE(sys::fs::is_symlink_file(Link));
  EXPECT_TRUE(sys::fs::exists(Elsewhere + "/a.o"));
}

TEST_F(BuildCacheTrim, NoCapKeepsEverything) {
  std::string Old = entry("payloads", "old.o", 5000, 30);
  trimBuildCache(Dir, 0);
  EXPECT_TRUE(sys::fs::exists(Old));
}

TEST(BuildCacheLimit, ReadsSizesWithSuffixesAndRefusesOthers) {
  auto LimitOf = [](const char *Text) -> std::optional<uint64_t> {
    setenv("PYAKET_CC_CACHE_SIZE", Text, 1);
    Expected<uint64_t> Limit = buildCacheLimit();
    unsetenv("PYAKET_CC_CACHE_SIZE");
    if (!Limit) {
      EXPECT_NE(toString(Limit.takeError()).find("is not a size"), std::string::npos);
      return std::nullopt;
    }
    return *Limit;
  };
  unsetenv("PYAKET_CC_CACHE_SIZE");
  Expected<uint64_t> Default = buildCacheLimit();
  ASSERT_TRUE(bool(Default));
  EXPECT_EQ(*Default, 5ull << 30);
  EXPECT_EQ(LimitOf("0"), 0u);
  EXPECT_EQ(LimitOf("1234"), 1234u);
  EXPECT_EQ(LimitOf("500M"), 500ull << 20);
  EXPECT_EQ(LimitOf("2g"), 2ull << 30);
  EXPECT_EQ(LimitOf("1T"), 1ull << 40);
  for (const char *Bad : {"", "G", "-1", "1.5G", "5GB", " 5G", "99999999999999999999",
                          "20000000T"})
    EXPECT_EQ(LimitOf(Bad), std::nullopt) << Bad;
}

} // namespace
