//===- PayloadTest.cpp - the payload formats ------------------------------===//
#include "Payload.h"
#include "PayloadFormat.h"

#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "gtest/gtest.h"

#include <tuple>

#define ZSTD_STATIC_LINKING_ONLY // for ZSTD_getFrameHeader
#include <zstd.h>

using namespace llvm;
using namespace pyaket;

namespace {

uint64_t readLittleEndian64(StringRef Bytes) {
  uint64_t Value = 0;
  for (int I = 7; I >= 0; --I)
    Value = Value << 8 | uint8_t(Bytes[I]);
  return Value;
}

TEST(WheelArchive, IndexesNamesSizesAndHashes) {
  std::string Archive = wheelArchive({{"a-1-py3-none-any.whl", "first"}, {"b.whl", "second!"}});
  StringRef Rest(Archive);
  ASSERT_TRUE(Rest.consume_front(StringRef(WheelArchiveMagic, 8)));
  for (auto [Name, Data] : {std::pair<StringRef, StringRef>{"a-1-py3-none-any.whl", "first"},
                            {"b.whl", "second!"}}) {
    ASSERT_TRUE(Rest.consume_front(Name));
    ASSERT_TRUE(Rest.consume_front(StringRef("\0", 1)));
    EXPECT_EQ(readLittleEndian64(Rest.substr(0, 8)), Data.size());
    EXPECT_EQ(readLittleEndian64(Rest.substr(8, 8)), fnv1a64(Data.data(), Data.size()));
    Rest = Rest.drop_front(16);
    ASSERT_TRUE(Rest.consume_front(Data));
  }
  EXPECT_TRUE(Rest.empty());
}

TEST(ConfigText, EndsWithTheChecksumOfWhatPrecedes) {
  std::string Text = configText({{"name", "app"}, {"pypi", "rich"}});
  StringRef Body = "name=app\npypi=rich\n";
  ASSERT_TRUE(StringRef(Text).starts_with(Body));
  char Expected[64];
  snprintf(Expected, sizeof(Expected), "checksum=%016llx\n",
           (unsigned long long)fnv1a64(Body.data(), Body.size()));
  EXPECT_EQ(StringRef(Text).drop_front(Body.size()), Expected);
}

TEST(Compression, IsOneCheckedFrameWithItsSize) {
  std::string Data(100000, 'x');
  Expected<std::string> Compressed = compressPayload(Data, 3, 1);
  ASSERT_TRUE(bool(Compressed)) << toString(Compressed.takeError());
  EXPECT_EQ(ZSTD_getFrameContentSize(Compressed->data(), Compressed->size()), Data.size());
  ZSTD_frameHeader Header;
  ASSERT_EQ(ZSTD_getFrameHeader(&Header, Compressed->data(), Compressed->size()), 0u);
  EXPECT_EQ(Header.checksumFlag, 1u);
}

/// Bytes with matches near and far, like an executable: a pseudo-random
/// block repeated, one byte in 64 changed.
std::string mixedBytes(size_t Size) {
  std::string Data(Size, '\0');
  uint64_t State = 88172645463325252ull;
  auto Next = [&] { return State ^= State << 13, State ^= State >> 7, State ^= State << 17; };
  for (size_t I = 0; I < Size; ++I)
    Data[I] = I < 65536 ? char(Next()) : I % 64 ? Data[I - 65536] : char(Next());
  return Data;
}

TEST(Compression, GivesTheSameBytesOnAnyNumberOfThreads) {
  // Several jobs' worth (the job size is 4 MiB), at a level without and one
  // with long-distance matching.
  std::string Data = mixedBytes(9 << 20);
  for (int Level : {3, 19}) {
    Expected<std::string> One = compressPayload(Data, Level, 1);
    ASSERT_TRUE(bool(One)) << toString(One.takeError());
    for (unsigned Threads : {2u, 16u}) {
      Expected<std::string> Many = compressPayload(Data, Level, Threads);
      ASSERT_TRUE(bool(Many)) << toString(Many.takeError());
      EXPECT_TRUE(*One == *Many) << "level " << Level << ", " << Threads << " threads";
    }
    std::string Back(Data.size(), '\0');
    EXPECT_EQ(ZSTD_decompress(Back.data(), Back.size(), One->data(), One->size()), Data.size());
    EXPECT_TRUE(Back == Data);
  }
}

TEST(Compression, PayloadObjectsAreCachedByContent) {
  SmallString<128> Cache, Scratch;
  ASSERT_FALSE(sys::fs::createUniqueDirectory("pyaket-payload-cache", Cache));
  ASSERT_FALSE(sys::fs::createUniqueDirectory("pyaket-payload-scratch", Scratch));
  int Made = 0;
  auto Content = [&]() -> Expected<std::string> {
    ++Made;
    return std::string(100000, 'x');
  };
  Expected<std::string> First =
      compressedPayloadObject(Cache, Scratch, "x86_64-linux-musl", "pyaket_uv", 3, "hash1", Content);
  ASSERT_TRUE(bool(First)) << toString(First.takeError());
  EXPECT_TRUE(StringRef(*First).starts_with(Cache));
  Expected<std::string> Again =
      compressedPayloadObject(Cache, Scratch, "x86_64-linux-musl", "pyaket_uv", 3, "hash1", Content);
  ASSERT_TRUE(bool(Again));
  EXPECT_EQ(*First, *Again);
  EXPECT_EQ(Made, 1);
  // Another level, target or content is another object.
  for (auto [Triple, Level, Hash] : {std::tuple<const char *, int, const char *>{"x86_64-linux-musl", 6, "hash1"},
                                     {"aarch64-linux-musl", 3, "hash1"},
                                     {"x86_64-linux-musl", 3, "hash2"}}) {
    Expected<std::string> Other =
        compressedPayloadObject(Cache, Scratch, Triple, "pyaket_uv", Level, Hash, Content);
    ASSERT_TRUE(bool(Other));
    EXPECT_NE(*Other, *First);
  }
  EXPECT_EQ(Made, 4);
  // No cache: made each time, in the scratch directory.
  Expected<std::string> Uncached =
      compressedPayloadObject("", Scratch, "x86_64-linux-musl", "pyaket_uv", 3, "hash1", Content);
  ASSERT_TRUE(bool(Uncached));
  EXPECT_TRUE(StringRef(*Uncached).starts_with(Scratch));
  EXPECT_EQ(Made, 5);
  sys::fs::remove_directories(Cache);
  sys::fs::remove_directories(Scratch);
}

TEST(PayloadObject, IsAnElfObjectWithOneRetainedAllocatedSection) {
  Expected<std::string> Bytes = payloadObject("x86_64-pc-linux-gnu", "pyaket_uv", "payload bytes");
  ASSERT_TRUE(bool(Bytes)) << toString(Bytes.takeError());
  Expected<std::unique_ptr<object::ObjectFile>> Object =
      object::ObjectFile::createObjectFile(MemoryBufferRef(*Bytes, "payload.o"));
  ASSERT_TRUE(bool(Object)) << toString(Object.takeError());
  bool Found = false;
  for (const object::SectionRef &Section : (*Object)->sections()) {
    Expected<StringRef> Name = Section.getName();
    if (!Name || *Name != "pyaket_uv")
      continue;
    Found = true;
    EXPECT_EQ(cantFail(Section.getContents()), "payload bytes");
    uint64_t Flags = object::ELFSectionRef(Section).getFlags();
    EXPECT_TRUE(Flags & ELF::SHF_ALLOC);
    EXPECT_TRUE(Flags & ELF::SHF_GNU_RETAIN);
  }
  EXPECT_TRUE(Found);
  Expected<std::string> Unsupported = payloadObject("riscv64-unknown-linux-gnu", "x", "");
  EXPECT_FALSE(bool(Unsupported));
  consumeError(Unsupported.takeError());
}

} // namespace
