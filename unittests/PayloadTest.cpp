//===- PayloadTest.cpp - the payload formats ------------------------------===//
#include "Payload.h"
#include "PayloadFormat.h"

#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "gtest/gtest.h"

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

TEST(Compression, IsOneCheckedFrameWithItsSizeAndIsCached) {
  SmallString<128> Cache;
  ASSERT_FALSE(sys::fs::createUniqueDirectory("pyaket-payload-test", Cache));
  std::string Data(100000, 'x');
  Expected<std::string> First = compressCached(Data, 3, Cache);
  ASSERT_TRUE(bool(First)) << toString(First.takeError());
  EXPECT_EQ(ZSTD_getFrameContentSize(First->data(), First->size()), Data.size());
  ZSTD_frameHeader Header;
  ASSERT_EQ(ZSTD_getFrameHeader(&Header, First->data(), First->size()), 0u);
  EXPECT_EQ(Header.checksumFlag, 1u);
  Expected<std::string> Second = compressCached(Data, 3, Cache);
  ASSERT_TRUE(bool(Second));
  EXPECT_EQ(*First, *Second);
  std::error_code EC;
  int Files = 0;
  for (sys::fs::recursive_directory_iterator It(Cache, EC), End; It != End && !EC; It.increment(EC))
    Files += It->type() == sys::fs::file_type::regular_file;
  EXPECT_EQ(Files, 1);
  sys::fs::remove_directories(Cache);
}

TEST(PayloadObject, IsAnElfObjectWithOneRetainedAllocatedSection) {
  SmallString<128> Path;
  ASSERT_FALSE(sys::fs::createTemporaryFile("payload", "o", Path));
  ASSERT_FALSE(bool(writePayloadObject(Path, "x86_64-pc-linux-gnu", "pyaket_uv", "payload bytes")));
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buffer = MemoryBuffer::getFile(Path);
  sys::fs::remove(Path);
  ASSERT_TRUE(bool(Buffer));
  Expected<std::unique_ptr<object::ObjectFile>> Object =
      object::ObjectFile::createObjectFile((*Buffer)->getMemBufferRef());
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
  EXPECT_TRUE(bool(writePayloadObject(Path, "riscv64-unknown-linux-gnu", "x", "")));
}

} // namespace
