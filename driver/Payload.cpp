//===- Payload.cpp - the payloads a packaged app carries ------------------===//
#include "Payload.h"
#include "BuildCache.h"
#include "Diagnostics.h"
#include "OutputFile.h"
#include "PayloadFormat.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/BinaryFormat/COFF.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/BLAKE3.h"
#include "llvm/Support/Path.h"
#include "llvm/TargetParser/Triple.h"

#include <algorithm>
#include <cstddef>
#include <lzma.h>
#include <thread>
#include <zstd.h>

using namespace llvm;

namespace pyaket {

// A COFF payload object: the file header, one section header, the data.
static const size_t CoffHeaderSize = 20, CoffSectionHeaderSize = 40;

/// The size of one compression job: fixed, so that the jobs, and so the
/// bytes, are the same whatever the number of threads that run them.
static const int CompressionJobSize = 4 << 20;

unsigned compressionThreads() { return std::max(1u, std::thread::hardware_concurrency()); }

std::string Compression::describe() const {
  if (Kind == Method::Zstd)
    return "zstd " + std::to_string(ZstdLevel);
  return "xz " + XzLzma2 + " block " + std::to_string(XzBlockSize);
}

static Expected<std::string> compressZstd(StringRef Data, int Level, unsigned Threads) {
  ZSTD_CCtx *Context = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(Context, ZSTD_c_compressionLevel, Level);
  ZSTD_CCtx_setParameter(Context, ZSTD_c_checksumFlag, 1);
  ZSTD_CCtx_setParameter(Context, ZSTD_c_contentSizeFlag, 1);
  if (Level >= 19)
    ZSTD_CCtx_setParameter(Context, ZSTD_c_enableLongDistanceMatching, 1);
  // Multi-threaded mode even for one thread: its output differs from the
  // single-threaded mode's, and must not depend on the machine.
  size_t Set = ZSTD_CCtx_setParameter(Context, ZSTD_c_nbWorkers, std::max(1u, Threads));
  if (!ZSTD_isError(Set))
    Set = ZSTD_CCtx_setParameter(Context, ZSTD_c_jobSize, CompressionJobSize);
  if (ZSTD_isError(Set)) {
    ZSTD_freeCCtx(Context);
    return makeError(Twine("zstd without multi-threading: ") + ZSTD_getErrorName(Set));
  }
  std::string Out(ZSTD_compressBound(Data.size()), '\0');
  size_t Size = ZSTD_compress2(Context, Out.data(), Out.size(), Data.data(), Data.size());
  ZSTD_freeCCtx(Context);
  if (ZSTD_isError(Size))
    return makeError(Twine("zstd compression failed: ") + ZSTD_getErrorName(Size));
  Out.resize(Size);
  return Out;
}

/// The filter chain for \p Triple's machine code, as liblzma reads it.
static Error xzFilters(StringRef Lzma2Options, StringRef TripleName, lzma_filter *Filters) {
  Triple T(TripleName);
  std::string Chain = (Twine(T.getArch() == Triple::aarch64 ? "arm64" : "x86") + " lzma2:" +
                       Lzma2Options).str();
  int ErrorAt = 0;
  if (const char *Message = lzma_str_to_filters(Chain.c_str(), &ErrorAt, Filters, 0, nullptr))
    return makeError(Twine("'") + Lzma2Options + "' are not LZMA2 options as xz's --lzma2= takes: " +
                     Message);
  return Error::success();
}

Error checkXzOptions(StringRef Lzma2Options) {
  lzma_filter Filters[LZMA_FILTERS_MAX + 1];
  if (Error Err = xzFilters(Lzma2Options, "x86_64-linux-musl", Filters))
    return Err;
  lzma_filters_free(Filters, nullptr);
  return Error::success();
}

static Expected<std::string> compressXz(StringRef Data, const Compression &C, StringRef Triple,
                                        unsigned Threads) {
  lzma_filter Filters[LZMA_FILTERS_MAX + 1];
  if (Error Err = xzFilters(C.XzLzma2, Triple, Filters))
    return Err;
  lzma_mt Options = {};
  Options.threads = std::max(1u, Threads);
  // One block: the whole input (it has no other way to say so).
  Options.block_size = C.XzBlockSize ? C.XzBlockSize : std::max<uint64_t>(Data.size(), 1);
  Options.filters = Filters;
  Options.check = LZMA_CHECK_CRC64;
  lzma_stream Stream = LZMA_STREAM_INIT;
  lzma_ret Result = lzma_stream_encoder_mt(&Stream, &Options);
  std::string Out(lzma_stream_buffer_bound(Data.size()), '\0');
  if (Result == LZMA_OK) {
    Stream.next_in = reinterpret_cast<const uint8_t *>(Data.data());
    Stream.avail_in = Data.size();
    Stream.next_out = reinterpret_cast<uint8_t *>(Out.data());
    Stream.avail_out = Out.size();
    while ((Result = lzma_code(&Stream, LZMA_FINISH)) == LZMA_OK) {
    }
  }
  Out.resize(Out.size() - Stream.avail_out);
  lzma_end(&Stream);
  lzma_filters_free(Filters, nullptr);
  if (Result != LZMA_STREAM_END)
    return makeError("xz compression failed (liblzma error " + Twine(int(Result)) + ")");
  return Out;
}

Expected<std::string> compressPayload(StringRef Data, const Compression &C, StringRef Triple,
                                      unsigned Threads) {
  return C.Kind == Compression::Method::Zstd ? compressZstd(Data, C.ZstdLevel, Threads)
                                             : compressXz(Data, C, Triple, Threads);
}

/// Whether \p Path holds a whole payload object as payloadObject writes
/// them: as long as its headers say, its section not empty. A cache entry
/// that is not (cut short by a crash, emptied) is made again.
static bool isWholePayloadObject(StringRef Path) {
  using namespace support::endian;
  if (!isPlainFile(Path))
    return false;
  ErrorOr<std::unique_ptr<MemoryBuffer>> File =
      MemoryBuffer::getFile(Path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!File)
    return false;
  StringRef Bytes = (*File)->getBuffer();
  if (Bytes.starts_with(StringRef(ELF::ElfMagic, 4)) && Bytes.size() >= sizeof(ELF::Elf64_Ehdr)) {
    uint64_t SectionHeaders = read64le(Bytes.data() + offsetof(ELF::Elf64_Ehdr, e_shoff));
    return SectionHeaders + 3 * sizeof(ELF::Elf64_Shdr) == Bytes.size() &&
           read64le(Bytes.data() + SectionHeaders + sizeof(ELF::Elf64_Shdr) +
                    offsetof(ELF::Elf64_Shdr, sh_size)) > 0;
  }
  const size_t Headers = CoffHeaderSize + CoffSectionHeaderSize;
  return Bytes.size() > Headers && read16le(Bytes.data()) == COFF::IMAGE_FILE_MACHINE_AMD64 &&
         Headers + read32le(Bytes.data() + CoffHeaderSize + 16) == Bytes.size(); // SizeOfRawData
}

Expected<std::string> compressedPayloadObject(StringRef CacheDir, StringRef ScratchDir,
                                              StringRef Triple, StringRef Section,
                                              const Compression &C, StringRef ContentHash,
                                              function_ref<Expected<std::string>()> Content) {
  // The object's layout is this pyaket-cc's: another version's entries are not taken.
  std::string Entry = cacheEntryPath(
      CacheDir, "payloads",
      cacheKey({PYAKET_VERSION, C.describe(), Triple, Section, ContentHash}) + ".o");
  markCacheEntryUsed(Entry);
  if (!Entry.empty() && isWholePayloadObject(Entry))
    return Entry;
  Expected<std::string> Data = Content();
  if (!Data)
    return Data.takeError();
  Expected<std::string> Compressed = compressPayload(*Data, C, Triple, compressionThreads());
  if (!Compressed)
    return Compressed.takeError();
  Expected<std::string> Object = payloadObject(Triple, Section, *Compressed);
  if (!Object)
    return Object.takeError();
  if (writeCacheEntry(Entry, *Object))
    return Entry;
  // No cache: the object is this build's alone.
  SmallString<128> Path(ScratchDir);
  sys::path::append(Path, Section.ltrim('.') + ".o");
  if (Error Err = writeOutputFile(Path, *Object))
    return Err;
  return Path.str().str();
}

std::string wheelArchive(ArrayRef<WheelFile> Wheels) {
  std::string Archive(WheelArchiveMagic, 8);
  auto Append64 = [&](uint64_t Value) {
    for (int I = 0; I < 8; ++I)
      Archive.push_back(char(Value >> (8 * I)));
  };
  for (const WheelFile &W : Wheels) {
    Archive += W.Name;
    Archive.push_back('\0');
    Append64(W.Data.size());
    Append64(fnv1a64(W.Data.data(), W.Data.size()));
    Archive += W.Data;
  }
  return Archive;
}

std::string configText(ArrayRef<std::pair<std::string, std::string>> Entries) {
  std::string Text;
  for (const auto &[Key, Value] : Entries)
    Text += Key + "=" + Value + "\n";
  char Checksum[32];
  snprintf(Checksum, sizeof(Checksum), "%016llx\n",
           (unsigned long long)fnv1a64(Text.data(), Text.size()));
  return Text + ChecksumKey + Checksum;
}

/// A COFF object for x86_64 with \p Data as its one section: initialized,
/// read-only data, 16-aligned, no symbols (a section that is not COMDAT is
/// kept by the link's garbage collection as it is).
static Expected<std::string> coffPayloadObject(StringRef Section, StringRef Data) {
  using namespace support::endian;
  if (Section.size() > COFF::NameSize)
    return makeError("a PE section name has at most 8 characters: '" + Section + "'");
  std::string Object(CoffHeaderSize + CoffSectionHeaderSize, '\0');
  char *Header = Object.data();
  write16le(Header, COFF::IMAGE_FILE_MACHINE_AMD64);
  write16le(Header + 2, 1); // NumberOfSections
  char *SectionHeader = Header + CoffHeaderSize;
  memcpy(SectionHeader, Section.data(), Section.size());
  write32le(SectionHeader + 16, Data.size()); // SizeOfRawData
  write32le(SectionHeader + 20, CoffHeaderSize + CoffSectionHeaderSize); // PointerToRawData
  write32le(SectionHeader + 36, COFF::IMAGE_SCN_CNT_INITIALIZED_DATA |
                                    COFF::IMAGE_SCN_ALIGN_16BYTES | COFF::IMAGE_SCN_MEM_READ);
  return Object + Data.str();
}

Expected<std::string> payloadObject(StringRef TripleName, StringRef Section, StringRef Data) {
  Triple T(TripleName);
  if (T.isOSWindows() && T.getArch() == Triple::x86_64)
    return coffPayloadObject(Section, Data);
  uint16_t Machine = T.getArch() == Triple::x86_64    ? ELF::EM_X86_64
                     : T.getArch() == Triple::aarch64 ? ELF::EM_AARCH64
                                                      : ELF::EM_NONE;
  if (Machine == ELF::EM_NONE || !T.isOSBinFormatELF() || !T.isLittleEndian())
    return makeError("packaging for '" + TripleName + "' is not supported: x86_64 and aarch64 ELF, x86_64 COFF");

  // Layout: header, section data (16-aligned), section names, section headers.
  std::string Names(1, '\0');
  Names += Section;
  Names += StringRef(".shstrtab\0", 10);
  Names.insert(1 + Section.size(), 1, '\0');
  uint64_t DataOffset = alignTo(sizeof(ELF::Elf64_Ehdr), 16);
  uint64_t NamesOffset = DataOffset + Data.size();
  uint64_t HeadersOffset = alignTo(NamesOffset + Names.size(), 8);

  ELF::Elf64_Ehdr Header = {};
  memcpy(Header.e_ident, ELF::ElfMagic, 4);
  Header.e_ident[ELF::EI_CLASS] = ELF::ELFCLASS64;
  Header.e_ident[ELF::EI_DATA] = ELF::ELFDATA2LSB;
  Header.e_ident[ELF::EI_VERSION] = ELF::EV_CURRENT;
  Header.e_type = ELF::ET_REL;
  Header.e_machine = Machine;
  Header.e_version = ELF::EV_CURRENT;
  Header.e_shoff = HeadersOffset;
  Header.e_ehsize = sizeof(ELF::Elf64_Ehdr);
  Header.e_shentsize = sizeof(ELF::Elf64_Shdr);
  Header.e_shnum = 3;
  Header.e_shstrndx = 2;

  ELF::Elf64_Shdr Sections[3] = {};
  Sections[1].sh_name = 1;
  Sections[1].sh_type = ELF::SHT_PROGBITS;
  // Read-only, and placed after .bss by the link's script, so that the
  // payloads form the file's last segment; retained so that --gc-sections
  // keeps them.
  Sections[1].sh_flags = ELF::SHF_ALLOC | ELF::SHF_GNU_RETAIN;
  Sections[1].sh_offset = DataOffset;
  Sections[1].sh_size = Data.size();
  Sections[1].sh_addralign = 16;
  Sections[2].sh_name = 2 + Section.size();
  Sections[2].sh_type = ELF::SHT_STRTAB;
  Sections[2].sh_offset = NamesOffset;
  Sections[2].sh_size = Names.size();
  Sections[2].sh_addralign = 1;

  std::string Object(HeadersOffset, '\0');
  memcpy(Object.data(), &Header, sizeof(Header));
  memcpy(Object.data() + DataOffset, Data.data(), Data.size());
  memcpy(Object.data() + NamesOffset, Names.data(), Names.size());
  Object.append(reinterpret_cast<const char *>(Sections), sizeof(Sections));
  return Object;
}

} // namespace pyaket
