//===- WheelEntryTest.cpp - reading one entry out of a wheel --------------===//
#include "WheelCheck.h"

#include "llvm/Support/Endian.h"
#include "gtest/gtest.h"

#include <zlib.h>

using namespace llvm;
using namespace pyaket;

namespace {

/// A zip archive of \p Entries (name, content), each deflated when \p Deflate.
std::string zipOf(std::vector<std::pair<std::string, std::string>> Entries, bool Deflate) {
  std::string Local, Central;
  auto Put16 = [](std::string &Out, uint16_t V) { Out.append(reinterpret_cast<char *>(&V), 2); };
  auto Put32 = [](std::string &Out, uint32_t V) { Out.append(reinterpret_cast<char *>(&V), 4); };
  for (auto &[Name, Content] : Entries) {
    std::string Stored = Content;
    if (Deflate) {
      z_stream S = {};
      deflateInit2(&S, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
      Stored.assign(deflateBound(&S, Content.size()), '\0');
      S.next_in = reinterpret_cast<Bytef *>(Content.data());
      S.avail_in = Content.size();
      S.next_out = reinterpret_cast<Bytef *>(Stored.data());
      S.avail_out = Stored.size();
      deflate(&S, Z_FINISH);
      Stored.resize(S.total_out);
      deflateEnd(&S);
    }
    uint32_t Crc = crc32(0, reinterpret_cast<const Bytef *>(Content.data()), Content.size());
    uint32_t Offset = Local.size();
    Local += "PK\x03\x04";
    Put16(Local, 20), Put16(Local, 0), Put16(Local, Deflate ? 8 : 0), Put32(Local, 0);
    Put32(Local, Crc), Put32(Local, Stored.size()), Put32(Local, Content.size());
    Put16(Local, Name.size()), Put16(Local, 0);
    Local += Name + Stored;
    Central += "PK\x01\x02";
    Put16(Central, 20), Put16(Central, 20), Put16(Central, 0), Put16(Central, Deflate ? 8 : 0);
    Put32(Central, 0), Put32(Central, Crc), Put32(Central, Stored.size());
    Put32(Central, Content.size()), Put16(Central, Name.size()), Put16(Central, 0);
    Put16(Central, 0), Put16(Central, 0), Put16(Central, 0), Put32(Central, 0), Put32(Central, Offset);
    Central += Name;
  }
  std::string End = "PK\x05\x06";
  Put16(End, 0), Put16(End, 0), Put16(End, Entries.size()), Put16(End, Entries.size());
  Put32(End, Central.size()), Put32(End, Local.size()), Put16(End, 0);
  return Local + Central + End;
}

const std::vector<std::pair<std::string, std::string>> UvWheel = {
    {"uv-1.0.data/scripts/uv", std::string(5000, 'u') + "binary"},
    {"uv-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\n"}};

TEST(WheelEntry, ReadsStoredAndDeflatedEntries) {
  for (bool Deflate : {false, true}) {
    Expected<std::string> Entry =
        readWheelEntry("uv.whl", zipOf(UvWheel, Deflate), "uv-1.0.data/scripts/uv", 1 << 20);
    ASSERT_TRUE(bool(Entry)) << toString(Entry.takeError());
    EXPECT_EQ(*Entry, UvWheel[0].second);
  }
}

TEST(WheelEntry, RefusesAMissingEntry) {
  Expected<std::string> Entry = readWheelEntry("uv.whl", zipOf(UvWheel, true), "uv.exe", 1 << 20);
  ASSERT_FALSE(bool(Entry));
  EXPECT_EQ(toString(Entry.takeError()), "'uv.whl' has no entry 'uv.exe'");
}

TEST(WheelEntry, RefusesAnEntryLargerThanTheLimit) {
  Expected<std::string> Entry =
      readWheelEntry("uv.whl", zipOf(UvWheel, true), "uv-1.0.data/scripts/uv", 4096);
  ASSERT_FALSE(bool(Entry));
  EXPECT_NE(toString(Entry.takeError()).find("is larger than"), std::string::npos);
}

TEST(WheelEntry, RefusesADamagedEntry) {
  std::string Zip = zipOf(UvWheel, false);
  Zip[Zip.find("binary")] ^= 1; // the content no longer matches its CRC
  Expected<std::string> Entry = readWheelEntry("uv.whl", Zip, "uv-1.0.data/scripts/uv", 1 << 20);
  ASSERT_FALSE(bool(Entry));
  EXPECT_NE(toString(Entry.takeError()).find("fails its CRC check"), std::string::npos);

  Zip = zipOf(UvWheel, true);
  Zip.resize(Zip.size() / 2); // no end of central directory
  Entry = readWheelEntry("uv.whl", Zip, "uv-1.0.data/scripts/uv", 1 << 20);
  ASSERT_FALSE(bool(Entry));
  EXPECT_NE(toString(Entry.takeError()).find("not a zip archive"), std::string::npos);
}

} // namespace
