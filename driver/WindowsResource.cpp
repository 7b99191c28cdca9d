//===- WindowsResource.cpp - the Windows launcher's .res file -------------===//
#include "WindowsResource.h"
#include "Diagnostics.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/Endian.h"

using namespace llvm;

namespace pyaket {

namespace {
const uint16_t RtIcon = 3, RtGroupIcon = 14, RtVersion = 16;
const uint16_t EnglishUS = 0x0409, Unicode = 1200;

void put16(std::string &Out, uint16_t Value) {
  char Bytes[2];
  support::endian::write16le(Bytes, Value);
  Out.append(Bytes, 2);
}

void put32(std::string &Out, uint32_t Value) {
  char Bytes[4];
  support::endian::write32le(Bytes, Value);
  Out.append(Bytes, 4);
}

void alignTo4(std::string &Out) { Out.resize(alignTo(Out.size(), 4), '\0'); }

/// \p Text as NUL-terminated UTF-16LE.
void putWide(std::string &Out, StringRef Text) {
  SmallVector<UTF16, 64> Wide;
  convertUTF8ToUTF16String(Text, Wide);
  for (UTF16 Unit : Wide)
    put16(Out, Unit);
  put16(Out, 0);
}

/// One resource of the file: its header (type and name as ordinals), then
/// its data, 4-aligned.
void putResource(std::string &Out, uint16_t Type, uint16_t Name, uint16_t MemoryFlags,
                 StringRef Data) {
  put32(Out, Data.size());
  put32(Out, 32); // HeaderSize
  put16(Out, 0xffff), put16(Out, Type);
  put16(Out, 0xffff), put16(Out, Name);
  put32(Out, 0); // DataVersion
  put16(Out, MemoryFlags);
  put16(Out, Type ? EnglishUS : 0);
  put32(Out, 0), put32(Out, 0); // Version, Characteristics
  Out += Data;
  alignTo4(Out);
}

/// A block of the version resource: wLength, wValueLength, wType, the key,
/// the value, the children, each 4-aligned. \p ValueUnits counts the value
/// in WORDs for text, in bytes for binary.
std::string versionBlock(StringRef Key, StringRef Value, uint16_t ValueUnits, bool Text,
                         StringRef Children) {
  std::string Block(6, '\0');
  putWide(Block, Key);
  alignTo4(Block);
  Block += Value;
  alignTo4(Block);
  Block += Children;
  support::endian::write16le(Block.data(), Block.size());
  support::endian::write16le(Block.data() + 2, ValueUnits);
  support::endian::write16le(Block.data() + 4, Text ? 1 : 0);
  return Block;
}

std::string versionString(StringRef Key, StringRef Value) {
  std::string Wide;
  putWide(Wide, Value);
  return versionBlock(Key, Wide, Wide.size() / 2, true, "");
}

/// Up to four numbers of a version ("1.2.3rc1" gives 1, 2, 3, 0).
void versionNumbers(StringRef Version, uint16_t (&Numbers)[4]) {
  for (uint16_t &Number : Numbers) {
    StringRef Digits = Version.take_while(isDigit);
    unsigned Value = 0;
    Number = Digits.getAsInteger(10, Value) || Value > 0xffff ? 0 : uint16_t(Value);
    Version = Version.drop_front(Digits.size());
    if (!Version.consume_front("."))
      Version = "";
  }
}

std::string versionResource(const VersionInfo &V) {
  uint16_t Numbers[4];
  versionNumbers(V.Version, Numbers);
  std::string Fixed;
  put32(Fixed, 0xfeef04bd);  // VS_FIXEDFILEINFO's signature
  put32(Fixed, 0x00010000);  // its version
  for (int Twice = 0; Twice < 2; ++Twice) { // the file's version, then the product's
    put32(Fixed, uint32_t(Numbers[0]) << 16 | Numbers[1]);
    put32(Fixed, uint32_t(Numbers[2]) << 16 | Numbers[3]);
  }
  put32(Fixed, 0x3f);        // FileFlagsMask
  put32(Fixed, 0);           // FileFlags
  put32(Fixed, 0x00040004);  // VOS_NT_WINDOWS32
  put32(Fixed, 1);           // VFT_APP
  put32(Fixed, 0), put32(Fixed, 0), put32(Fixed, 0); // subtype, date

  std::string Strings;
  for (auto [Key, Value] : {std::pair<StringRef, StringRef>{"CompanyName", V.Company},
                            {"FileDescription", V.Description},
                            {"FileVersion", V.Version},
                            {"InternalName", V.Name},
                            {"OriginalFilename", V.FileName},
                            {"ProductName", V.Name},
                            {"ProductVersion", V.Version}})
    Strings += versionString(Key, Value);
  std::string StringInfo = versionBlock(
      "StringFileInfo", "", 0, true, versionBlock("040904B0", "", 0, true, Strings));
  std::string Translation;
  put16(Translation, EnglishUS), put16(Translation, Unicode);
  std::string VarInfo = versionBlock("VarFileInfo", "", 0, true,
                                     versionBlock("Translation", Translation, 4, false, ""));
  return versionBlock("VS_VERSION_INFO", Fixed, Fixed.size(), false, StringInfo + VarInfo);
}
} // namespace

Expected<std::string> windowsResources(const VersionInfo &Version, StringRef Icon,
                                       StringRef IconName) {
  std::string Out;
  putResource(Out, 0, 0, 0, ""); // the empty resource that starts every .res file
  putResource(Out, RtVersion, 1, 0x30, versionResource(Version));
  if (Icon.empty())
    return Out;

  // ICONDIR: reserved, type 1, count; then 16-byte entries, each naming
  // where its image is in the file. A group refers to RT_ICON by ordinal.
  using namespace support::endian;
  auto Bad = [&](const Twine &Why) {
    return makeError("'" + IconName + "' is not an .ico file the launcher can use: " + Why);
  };
  if (Icon.size() < 6 || read16le(Icon.data()) != 0 || read16le(Icon.data() + 2) != 1)
    return Bad("no icon directory at its start");
  unsigned Count = read16le(Icon.data() + 4);
  if (Count == 0 || Icon.size() < 6 + 16 * size_t(Count))
    return Bad("it holds no image, or its directory is cut short");
  std::string Group;
  put16(Group, 0), put16(Group, 1), put16(Group, Count);
  for (unsigned I = 0; I < Count; ++I) {
    const char *Entry = Icon.data() + 6 + 16 * I;
    uint32_t Size = read32le(Entry + 8), Offset = read32le(Entry + 12);
    if (Size == 0 || Offset > Icon.size() || Size > Icon.size() - Offset)
      return Bad("image " + Twine(I + 1) + " lies outside the file");
    putResource(Out, RtIcon, I + 1, 0x1010, Icon.substr(Offset, Size));
    Group.append(Entry, 12); // width, height, colours, reserved, planes, bits, size
    put16(Group, I + 1);
  }
  putResource(Out, RtGroupIcon, 1, 0x1030, Group);
  return Out;
}

} // namespace pyaket
