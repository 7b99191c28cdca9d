//===- WheelCheck.cpp - is this a wheel the launcher can install? ---------===//
#include "WheelCheck.h"
#include "Diagnostics.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Endian.h"

using namespace llvm;

namespace pyaket {

namespace {
uint64_t read16(StringRef Data, size_t At) { return support::endian::read16le(Data.data() + At); }
uint64_t read32(StringRef Data, size_t At) { return support::endian::read32le(Data.data() + At); }
uint64_t read64(StringRef Data, size_t At) { return support::endian::read64le(Data.data() + At); }

/// {distribution}-{version}(-{build})?-{python}-{abi}-{platform}.whl
bool isWheelName(StringRef FileName) {
  if (!FileName.consume_back(".whl"))
    return false;
  SmallVector<StringRef> Parts;
  FileName.split(Parts, '-');
  return (Parts.size() == 5 || Parts.size() == 6) &&
         none_of(Parts, [](StringRef Part) { return Part.empty(); });
}

/// Where the central directory is and how many entries it has, from the
/// end-of-central-directory record (and its ZIP64 form).
struct CentralDirectory {
  uint64_t Offset = 0, Size = 0, Entries = 0;
};

Expected<CentralDirectory> findCentralDirectory(StringRef Data) {
  const size_t RecordSize = 22, MaxComment = 0xffff;
  size_t Lowest = Data.size() > RecordSize + MaxComment ? Data.size() - RecordSize - MaxComment : 0;
  size_t End = Data.size() < RecordSize ? StringRef::npos : Data.rfind("PK\x05\x06");
  if (End == StringRef::npos || End < Lowest || End + RecordSize > Data.size())
    return makeError("not a zip archive (no end of central directory)");
  CentralDirectory CD{read32(Data, End + 16), read32(Data, End + 12), read16(Data, End + 10)};
  bool Zip64 = CD.Offset == 0xffffffff || CD.Size == 0xffffffff || CD.Entries == 0xffff;
  if (Zip64) {
    const size_t LocatorSize = 20, Record64Size = 56;
    if (End < LocatorSize || Data.substr(End - LocatorSize, 4) != "PK\x06\x07")
      return makeError("a damaged zip64 archive (no locator)");
    uint64_t Record = read64(Data, End - LocatorSize + 8);
    if (Record + Record64Size > Data.size() || Data.substr(Record, 4) != "PK\x06\x06")
      return makeError("a damaged zip64 archive (no end record)");
    CD = {read64(Data, Record + 48), read64(Data, Record + 40), read64(Data, Record + 32)};
  }
  if (CD.Offset > Data.size() || CD.Size > Data.size() - CD.Offset)
    return makeError("a damaged zip archive (central directory out of the file)");
  return CD;
}

/// An entry name that would land outside the install directory.
bool escapes(StringRef Name) {
  if (Name.empty() || Name.starts_with("/") || Name.contains('\\') || Name.contains(':') ||
      Name.contains('\0'))
    return true;
  SmallVector<StringRef> Components;
  Name.split(Components, '/');
  return is_contained(Components, "..");
}
} // namespace

Error checkWheel(StringRef FileName, StringRef Data) {
  if (!isWheelName(FileName))
    return makeError("'" + FileName +
                     "' is not a wheel file name (name-version-python-abi-platform.whl)");
  Expected<CentralDirectory> CD = findCentralDirectory(Data);
  if (!CD)
    return makeError("'" + FileName + "' is " + toString(CD.takeError()));

  const size_t HeaderSize = 46;
  StringSet<> Names;
  bool HasWheelFile = false;
  uint64_t At = CD->Offset, End = CD->Offset + CD->Size;
  for (uint64_t I = 0; I < CD->Entries; ++I) {
    if (At + HeaderSize > End || Data.substr(At, 4) != "PK\x01\x02")
      return makeError("'" + FileName + "' is a damaged zip archive (bad central directory)");
    uint64_t NameSize = read16(Data, At + 28), ExtraSize = read16(Data, At + 30),
             CommentSize = read16(Data, At + 32), Attributes = read32(Data, At + 38);
    if (At + HeaderSize + NameSize > End)
      return makeError("'" + FileName + "' is a damaged zip archive (bad central directory)");
    StringRef Name = Data.substr(At + HeaderSize, NameSize);
    if (escapes(Name))
      return makeError("'" + FileName + "' has an entry that leaves the install directory: '" +
                       Name + "'");
    if ((Attributes >> 28) == 0xA) // S_IFLNK in the Unix mode's high bits
      return makeError("'" + FileName + "' has a symbolic link entry: '" + Name + "'");
    if (!Names.insert(Name).second)
      return makeError("'" + FileName + "' has the entry '" + Name + "' twice");
    SmallVector<StringRef> Components;
    Name.split(Components, '/');
    HasWheelFile |= Components.size() == 2 && Components[0].ends_with(".dist-info") &&
                    Components[1] == "WHEEL";
    At += HeaderSize + NameSize + ExtraSize + CommentSize;
  }
  if (!HasWheelFile)
    return makeError("'" + FileName + "' has no .dist-info/WHEEL file: it is not a wheel");
  return Error::success();
}

} // namespace pyaket
