//===- WheelCheck.cpp - is this a wheel the launcher can install? ---------===//
#include "WheelCheck.h"
#include "Diagnostics.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Endian.h"

#include <zlib.h>

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

namespace {
/// Inflates a deflate stream (no zlib header) of \p Size bytes.
Expected<std::string> inflateRaw(StringRef Compressed, uint64_t Size) {
  std::string Out(Size, '\0');
  z_stream Stream = {};
  if (inflateInit2(&Stream, -MAX_WBITS) != Z_OK)
    return makeError("cannot start zlib");
  Stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(Compressed.data()));
  Stream.avail_in = Compressed.size();
  Stream.next_out = reinterpret_cast<Bytef *>(Out.data());
  Stream.avail_out = Out.size();
  int Result = inflate(&Stream, Z_FINISH);
  bool Complete = Result == Z_STREAM_END && Stream.total_out == Size;
  inflateEnd(&Stream);
  if (!Complete)
    return makeError("a damaged compressed entry");
  return Out;
}
} // namespace

Expected<std::string> readWheelEntry(StringRef FileName, StringRef Data, StringRef EntryName,
                                     uint64_t MaxEntrySize) {
  Expected<CentralDirectory> CD = findCentralDirectory(Data);
  if (!CD)
    return makeError("'" + FileName + "' is " + toString(CD.takeError()));
  auto Damaged = [&](StringRef What) {
    return makeError("'" + FileName + "' is a damaged zip archive (" + What + ")");
  };
  const size_t HeaderSize = 46, LocalHeaderSize = 30;
  uint64_t At = CD->Offset, End = CD->Offset + CD->Size;
  for (uint64_t I = 0; I < CD->Entries; ++I) {
    if (At + HeaderSize > End || Data.substr(At, 4) != "PK\x01\x02")
      return Damaged("bad central directory");
    uint64_t Method = read16(Data, At + 10), Crc = read32(Data, At + 16),
             CompressedSize = read32(Data, At + 20), Size = read32(Data, At + 24),
             NameSize = read16(Data, At + 28), ExtraSize = read16(Data, At + 30),
             CommentSize = read16(Data, At + 32), Local = read32(Data, At + 42);
    if (At + HeaderSize + NameSize > End)
      return Damaged("bad central directory");
    if (Data.substr(At + HeaderSize, NameSize) != EntryName) {
      At += HeaderSize + NameSize + ExtraSize + CommentSize;
      continue;
    }
    if (CompressedSize == 0xffffffff || Size == 0xffffffff || Local == 0xffffffff)
      return makeError("'" + FileName + "': '" + EntryName + "' is a zip64 entry, which is not supported");
    if (Size > MaxEntrySize)
      return makeError("'" + FileName + "': '" + EntryName + "' is larger than " +
                       Twine(MaxEntrySize >> 20) + " MB");
    if (Local + LocalHeaderSize > Data.size() || Data.substr(Local, 4) != "PK\x03\x04")
      return Damaged("bad local header");
    uint64_t Begin = Local + LocalHeaderSize + read16(Data, Local + 26) + read16(Data, Local + 28);
    if (Begin > Data.size() || CompressedSize > Data.size() - Begin)
      return Damaged("entry out of the file");
    StringRef Stored = Data.substr(Begin, CompressedSize);
    Expected<std::string> Bytes = Method == 0   ? Expected<std::string>(Stored.str())
                                  : Method == 8 ? inflateRaw(Stored, Size)
                                                : makeError("an unknown compression method");
    if (!Bytes)
      return makeError("'" + FileName + "': '" + EntryName + "' is " + toString(Bytes.takeError()));
    if (Bytes->size() != Size ||
        crc32(0, reinterpret_cast<const Bytef *>(Bytes->data()), Bytes->size()) != Crc)
      return makeError("'" + FileName + "': '" + EntryName + "' fails its CRC check: download it again");
    return std::move(*Bytes);
  }
  return makeError("'" + FileName + "' has no entry '" + EntryName + "'");
}

} // namespace pyaket
