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
#include <lzma.h>
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

Compression zstdAt(int Level) {
  Compression C;
  C.ZstdLevel = Level;
  return C;
}

Compression xzWith(const char *Lzma2, uint64_t BlockSize) {
  Compression C;
  C.Kind = Compression::Method::Xz;
  C.XzLzma2 = Lzma2;
  C.XzBlockSize = BlockSize;
  return C;
}

/// \p Compressed (zstd or .xz) decompressed by the library the launcher uses.
std::string decompressed(StringRef Compressed, size_t Size) {
  std::string Out(Size, '\0');
  if (Compressed.starts_with("\xFD" "7zXZ")) {
    uint64_t Limit = UINT64_MAX;
    size_t In = 0, OutPos = 0;
    if (lzma_stream_buffer_decode(&Limit, 0, nullptr,
                                  reinterpret_cast<const uint8_t *>(Compressed.data()), &In,
                                  Compressed.size(), reinterpret_cast<uint8_t *>(Out.data()),
                                  &OutPos, Out.size()) != LZMA_OK || OutPos != Size)
      return "";
    return Out;
  }
  return ZSTD_decompress(Out.data(), Out.size(), Compressed.data(), Compressed.size()) == Size ? Out : "";
}

TEST(Compression, IsOneCheckedFrameWithItsSize) {
  std::string Data(100000, 'x');
  Expected<std::string> Compressed = compressPayload(Data, zstdAt(3), "x86_64-linux-musl", 1);
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
  // Several zstd jobs' worth (4 MiB each), at a level without and one with
  // long-distance matching; .xz in blocks of 2 MiB, for each machine's filter.
  std::string Data = mixedBytes(9 << 20);
  for (auto [C, Triple] : {std::pair<Compression, const char *>{zstdAt(3), "x86_64-linux-musl"},
                           {zstdAt(19), "x86_64-linux-musl"},
                           {xzWith("preset=1", 2 << 20), "x86_64-linux-musl"},
                           {xzWith("preset=1", 2 << 20), "aarch64-linux-musl"}}) {
    Expected<std::string> One = compressPayload(Data, C, Triple, 1);
    ASSERT_TRUE(bool(One)) << toString(One.takeError());
    for (unsigned Threads : {2u, 16u}) {
      Expected<std::string> Many = compressPayload(Data, C, Triple, Threads);
      ASSERT_TRUE(bool(Many)) << toString(Many.takeError());
      EXPECT_TRUE(*One == *Many) << C.describe() << ", " << Threads << " threads";
    }
    EXPECT_TRUE(decompressed(*One, Data.size()) == Data) << C.describe();
  }
}

TEST(Compression, XzOptionsAreXzs) {
  EXPECT_FALSE(bool(checkXzOptions("preset=9e,dict=64MiB")));
  Error Bad = checkXzOptions("preset=10");
  ASSERT_TRUE(bool(Bad));
  EXPECT_NE(toString(std::move(Bad)).find("'preset=10' are not LZMA2 options"), std::string::npos);
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
  auto Object = [&](StringRef Dir, const char *Triple, const Compression &C, const char *Hash) {
    return compressedPayloadObject(Dir, Scratch, Triple, "pyaket_uv", C, Hash, Content);
  };
  Expected<std::string> First = Object(Cache, "x86_64-linux-musl", zstdAt(3), "hash1");
  ASSERT_TRUE(bool(First)) << toString(First.takeError());
  EXPECT_TRUE(StringRef(*First).starts_with(Cache));
  Expected<std::string> Again = Object(Cache, "x86_64-linux-musl", zstdAt(3), "hash1");
  ASSERT_TRUE(bool(Again));
  EXPECT_EQ(*First, *Again);
  EXPECT_EQ(Made, 1);
  // Another compression, target or content is another object.
  for (auto [Triple, C, Hash] :
       {std::tuple<const char *, Compression, const char *>{"x86_64-linux-musl", zstdAt(6), "hash1"},
        {"x86_64-linux-musl", xzWith("preset=1", 0), "hash1"},
        {"aarch64-linux-musl", zstdAt(3), "hash1"},
        {"x86_64-linux-musl", zstdAt(3), "hash2"}}) {
    Expected<std::string> Other = Object(Cache, Triple, C, Hash);
    ASSERT_TRUE(bool(Other));
    EXPECT_NE(*Other, *First);
  }
  EXPECT_EQ(Made, 5);
  // No cache: made each time, in the scratch directory.
  Expected<std::string> Uncached = Object("", "x86_64-linux-musl", zstdAt(3), "hash1");
  ASSERT_TRUE(bool(Uncached));
  EXPECT_TRUE(StringRef(*Uncached).starts_with(Scratch));
  EXPECT_EQ(Made, 6);
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
