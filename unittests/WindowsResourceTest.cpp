//===- WindowsResourceTest.cpp - the Windows launcher's .res file ---------===//
#include "WindowsResource.h"

#include "llvm/Object/WindowsResource.h"
#include "llvm/Support/Endian.h"
#include "gtest/gtest.h"

using namespace llvm;
using namespace pyaket;

namespace {

const VersionInfo Version{"app", "An app", "Acme", "2.5.1rc1", "app.exe"};

/// An .ico of \p Images images of \p Size bytes each.
std::string icon(unsigned Images, uint32_t Size) {
  std::string Ico(6 + 16 * Images, '\0');
  support::endian::write16le(Ico.data() + 2, 1);
  support::endian::write16le(Ico.data() + 4, Images);
  for (unsigned I = 0; I < Images; ++I) {
    char *Entry = Ico.data() + 6 + 16 * I;
    Entry[0] = Entry[1] = char(16 << I);
    support::endian::write32le(Entry + 8, Size);
    support::endian::write32le(Entry + 12, uint32_t(Ico.size() + Size * I));
  }
  for (unsigned I = 0; I < Images; ++I)
    Ico += std::string(Size, char('a' + I));
  return Ico;
}

/// (type, name, size) of each resource, as LLVM's reader of .res files sees them.
std::vector<std::tuple<uint16_t, uint16_t, size_t>> entries(StringRef Res) {
  std::vector<std::tuple<uint16_t, uint16_t, size_t>> Found;
  auto File = object::WindowsResource::createWindowsResource(MemoryBufferRef(Res, "app.res"));
  EXPECT_TRUE(bool(File)) << toString(File.takeError());
  auto Entry = (*File)->getHeadEntry();
  EXPECT_TRUE(bool(Entry)) << toString(Entry.takeError());
  for (bool End = false; !End;) {
    Found.emplace_back(Entry->getTypeID(), Entry->getNameID(), Entry->getData().size());
    EXPECT_FALSE(bool(Entry->moveNext(End)));
  }
  return Found;
}

TEST(WindowsResource, VersionAloneWithoutIcon) {
  Expected<std::string> Res = windowsResources(Version, "", "");
  ASSERT_TRUE(bool(Res));
  auto Found = entries(*Res);
  ASSERT_EQ(Found.size(), 1u);
  EXPECT_EQ(std::get<0>(Found[0]), 16); // RT_VERSION
}

TEST(WindowsResource, EachImageOfTheIconAndOneGroup) {
  Expected<std::string> Res = windowsResources(Version, icon(3, 40), "app.ico");
  ASSERT_TRUE(bool(Res)) << toString(Res.takeError());
  auto Found = entries(*Res);
  ASSERT_EQ(Found.size(), 5u);
  for (uint16_t I = 1; I <= 3; ++I)
    EXPECT_EQ(Found[I], std::make_tuple(uint16_t(3), I, size_t(40))); // RT_ICON
  EXPECT_EQ(Found[4], std::make_tuple(uint16_t(14), uint16_t(1), size_t(6 + 14 * 3)));
}

TEST(WindowsResource, IconsThatDoNotReadAreRefused) {
  std::string Cut = icon(2, 40);
  Cut.resize(Cut.size() - 1); // the last image passes the end
  for (auto [Ico, Why] : {std::pair<std::string, StringRef>{"not an icon", "no icon directory"},
                          {icon(0, 0), "holds no image"},
                          {Cut, "image 2 lies outside the file"}}) {
    Expected<std::string> Res = windowsResources(Version, Ico, "app.ico");
    ASSERT_FALSE(bool(Res));
    EXPECT_NE(toString(Res.takeError()).find(Why), std::string::npos) << Why.str();
  }
}

} // namespace
