//===- Payload.cpp - reading what pyaket-cc embedded ----------------------===//
#include "Payload.h"
#include "PayloadFormat.h"
#include "Platform.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zstd.h>
// pyaket-cc defines PYAKET_XZ_PAYLOADS for the profiles whose uv is an .xz
// stream (small, smallest): the other launchers carry no xz decoder (some
// 80 KB with its threads); and PYAKET_XZ_THREADS when the stream has blocks
// to decode in parallel.
#ifdef PYAKET_XZ_PAYLOADS
#include <lzma.h>
#endif

// The linker defines these for each section named like a C identifier.
namespace pyaket {

const char RebuildHint[] = "download or build the executable again";

/// Checks the checksum line and returns the text before it, NUL-terminated.
static char *verifiedConfigText() {
  const unsigned char *Data;
  size_t Size;
  payloadSection(PayloadKind::Config, Data, Size);
  const char *Text = reinterpret_cast<const char *>(Data);
  const char *Last = nullptr; // the '\n' before the checksum line
  for (size_t I = Size > 1 ? Size - 1 : 0; I-- > 0 && !Last;)
    Last = Text[I] == '\n' ? Text + I : nullptr;
  size_t Body = Last ? size_t(Last - Text) + 1 : 0;
  char Expected[32];
  snprintf(Expected, sizeof(Expected), "%s%016" PRIx64 "\n", ChecksumKey, fnv1a64(Text, Body));
  if (!Last || Size - Body != strlen(Expected) || memcmp(Text + Body, Expected, Size - Body) != 0)
    fail("the embedded configuration is corrupt (checksum mismatch): %s", RebuildHint);
  char *Copy = static_cast<char *>(allocate(Body + 1));
  memcpy(Copy, Text, Body);
  Copy[Body] = '\0';
  return Copy;
}

void parseConfig(char *Text, Config &C) {
  size_t Lines = 1; // one more for a last line without '\n'
  for (const char *P = Text; *P; ++P)
    Lines += *P == '\n';
  C.PyPI = static_cast<const char **>(calloc(Lines + 1, sizeof(char *)));
  C.Wheels = static_cast<const char **>(calloc(Lines + 1, sizeof(char *)));
  struct {
    const char *Key;
    const char **Value;
  } Strings[] = {{"name", &C.Name},          {"version", &C.Version},
                 {"vendor", &C.Vendor},      {"common", &C.Common},
                 {"versions", &C.Versions},  {"python", &C.Python},
                 {"entry_kind", &C.EntryKind}, {"entry", &C.Entry},
                 {"torch_version", &C.TorchVersion}, {"torch_backend", &C.TorchBackend},
                 {"profile", &C.Profile},    {"build_id", &C.BuildId},
                 {"pyaket_version", &C.PyaketVersion}, {"uv_version", &C.UvVersion},
                 {"uv_hash", &C.UvHash}};
  struct {
    const char *Key;
    bool *Value;
  } Flags[] = {{"rolling", &C.Rolling},
               {"keep_open", &C.KeepOpen},
               {"dotenv", &C.DotEnv},
               {"windowed", &C.Windowed}};
  for (char *Line = Text; *Line;) {
    char *End = Line + strcspn(Line, "\n"); // the NUL after a last line without '\n'
    char *Next = *End ? End + 1 : End;
    *End = '\0';
    char *Equals = strchr(Line, '=');
    if (Equals) {
      *Equals = '\0';
      const char *Value = Equals + 1;
      if (strcmp(Line, "pypi") == 0)
        C.PyPI[C.PyPICount++] = Value;
      if (strcmp(Line, "wheel") == 0)
        C.Wheels[C.WheelCount++] = Value;
      for (auto &S : Strings)
        if (strcmp(Line, S.Key) == 0)
          *S.Value = Value;
      for (auto &F : Flags)
        if (strcmp(Line, F.Key) == 0)
          *F.Value = strcmp(Value, "1") == 0;
    }
    Line = Next;
  }
}

Config readConfig() {
  Config C;
  parseConfig(verifiedConfigText(), C);
  return C;
}

enum class Decompression { Done, Corrupt, WriteFailed, OutOfMemory };

#ifdef PYAKET_XZ_PAYLOADS
/// Whether a payload is an .xz stream (pyaket-cc compresses uv so for the
/// smallest executables) rather than a zstd frame.
static bool isXz(const unsigned char *Data, size_t Size) {
  static const unsigned char Magic[] = {0xFD, '7', 'z', 'X', 'Z', 0};
  return Size >= sizeof(Magic) && memcmp(Data, Magic, sizeof(Magic)) == 0;
}

/// An .xz stream decoder. A stream of several blocks (PYAKET_XZ_THREADS)
/// decodes them in parallel on up to 8 cores, in at most 256 MiB (each
/// thread holds a block and its dictionary; beyond, fewer threads); a stream
/// of one block decodes on one, without threads.
static bool startXzDecoder(lzma_stream &Stream) {
#ifdef PYAKET_XZ_THREADS
  uint32_t Cores = lzma_cputhreads(); // 0 when unknown
  lzma_mt Threads = {};
  Threads.threads = Cores < 1 ? 1 : Cores > 8 ? 8 : Cores;
  Threads.memlimit_threading = 256 << 20;
  Threads.memlimit_stop = UINT64_MAX;
  return lzma_stream_decoder_mt(&Stream, &Threads) == LZMA_OK;
#else
  return lzma_stream_decoder(&Stream, UINT64_MAX, 0) == LZMA_OK;
#endif
}

/// Decompresses an .xz stream into \p Fd, verifying its checks.
static Decompression xzDecompressTo(const unsigned char *Begin, const unsigned char *End, int Fd) {
  lzma_stream Stream = LZMA_STREAM_INIT;
  const size_t OutSize = 1 << 20;
  unsigned char *Out = static_cast<unsigned char *>(malloc(OutSize));
  if (!Out || !startXzDecoder(Stream))
    fail("out of memory");
  Stream.next_in = Begin;
  Stream.avail_in = size_t(End - Begin);
  Decompression Result = Decompression::Corrupt;
  for (;;) {
    Stream.next_out = Out;
    Stream.avail_out = OutSize;
    lzma_ret Status = lzma_code(&Stream, LZMA_FINISH);
    if (!writeAll(Fd, Out, OutSize - Stream.avail_out)) {
      Result = Decompression::WriteFailed;
      break;
    }
    if (Status == LZMA_STREAM_END) { // nothing may follow the stream
      if (Stream.avail_in == 0)
        Result = Decompression::Done;
      break;
    }
    if (Status == LZMA_MEM_ERROR)
      Result = Decompression::OutOfMemory;
    if (Status != LZMA_OK)
      break;
  }
  free(Out);
  lzma_end(&Stream);
  return Result;
}

/// The uncompressed size that an .xz stream's index states; 0 when it
/// cannot be read.
static unsigned long long xzContentSize(const unsigned char *Data, size_t Size) {
  lzma_stream_flags Footer;
  if (Size < 2 * LZMA_STREAM_HEADER_SIZE ||
      lzma_stream_footer_decode(&Footer, Data + Size - LZMA_STREAM_HEADER_SIZE) != LZMA_OK ||
      Footer.backward_size > Size - 2 * LZMA_STREAM_HEADER_SIZE)
    return 0;
  const unsigned char *Index = Data + Size - LZMA_STREAM_HEADER_SIZE - Footer.backward_size;
  lzma_index *Parsed = nullptr;
  uint64_t MemoryLimit = UINT64_MAX;
  size_t Position = 0;
  if (lzma_index_buffer_decode(&Parsed, &MemoryLimit, nullptr, Index, &Position,
                               Footer.backward_size) != LZMA_OK)
    return 0;
  unsigned long long Content = lzma_index_uncompressed_size(Parsed);
  lzma_index_end(Parsed, nullptr);
  return Content;
}

#endif

/// Decompresses a payload section into \p Fd, verifying its checksums.
static Decompression decompressTo(const unsigned char *Begin, const unsigned char *End, int Fd) {
#ifdef PYAKET_XZ_PAYLOADS
  if (isXz(Begin, size_t(End - Begin)))
    return xzDecompressTo(Begin, End, Fd);
#endif
  ZSTD_DStream *Stream = ZSTD_createDStream();
  ZSTD_inBuffer In = {Begin, size_t(End - Begin), 0};
  size_t OutSize = ZSTD_DStreamOutSize();
  void *Out = malloc(OutSize);
  if (!Stream || !Out)
    fail("out of memory");
  Decompression Result = Decompression::Corrupt;
  for (;;) {
    ZSTD_outBuffer Output = {Out, OutSize, 0};
    size_t Remaining = ZSTD_decompressStream(Stream, &Output, &In);
    if (ZSTD_isError(Remaining))
      break;
    if (!writeAll(Fd, Out, Output.pos)) {
      Result = Decompression::WriteFailed;
      break;
    }
    if (Remaining == 0) { // the frame is complete: nothing may follow it
      if (In.pos == In.size)
        Result = Decompression::Done;
      break;
    }
    // A full output buffer may hold back more; otherwise the input ended mid-frame.
    if (In.pos == In.size && Output.pos < Output.size)
      break;
  }
  free(Out);
  ZSTD_freeDStream(Stream);
  return Result;
}

unsigned long long embeddedUvSize() {
  const unsigned char *Data;
  size_t Compressed;
  payloadSection(PayloadKind::Uv, Data, Compressed);
#ifdef PYAKET_XZ_PAYLOADS
  if (isXz(Data, Compressed))
    return xzContentSize(Data, Compressed);
#endif
  unsigned long long Size = ZSTD_getFrameContentSize(Data, Compressed);
  return Size == ZSTD_CONTENTSIZE_ERROR || Size == ZSTD_CONTENTSIZE_UNKNOWN ? 0 : Size;
}

void extractUv(const char *Target) {
  const unsigned char *Data;
  size_t Compressed;
  payloadSection(PayloadKind::Uv, Data, Compressed);
  if (Compressed == 0)
    fail("this executable carries no uv: build it again with pyaket-cc");
  char *Temp;
  int Fd = openTempFile(Target, Temp);
  Decompression Result = decompressTo(Data, Data + Compressed, Fd);
  int Error = errno;
  if (Result != Decompression::Done) {
    discardTempFile(Fd, Temp);
    if (Result == Decompression::Corrupt)
      fail("the embedded uv is corrupt (checksum mismatch): %s", RebuildHint);
    if (Result == Decompression::OutOfMemory)
      fail("out of memory while extracting uv to %s: free some memory, then run again", Target);
    fail("cannot write %s: %s; %s", Target, strerror(Error), hintFor(Error));
  }
  commitTempFile(Fd, Temp, Target, 0755);
}

static uint64_t readLittleEndian64(const unsigned char *Bytes) {
  uint64_t Value = 0;
  for (int I = 7; I >= 0; --I)
    Value = Value << 8 | Bytes[I];
  return Value;
}

/// A wheel name from the archive is used as a file name: nothing that could
/// leave the directory or hide in it.
static bool isSafeWheelName(const char *Name) {
  size_t Length = strlen(Name);
  bool Suffix = (Length > 4 && strcmp(Name + Length - 4, ".whl") == 0) ||
                (Length > 7 && strcmp(Name + Length - 7, ".tar.gz") == 0);
  return Suffix && Name[0] != '.' && !strchr(Name, '/') && !strchr(Name, '\\') &&
         !strstr(Name, "..") && Length < 256;
}

const char *parseWheelArchive(const unsigned char *Archive, size_t Size, WheelVisitor Visit,
                              void *Context) {
  if (Size < 8 || memcmp(Archive, WheelArchiveMagic, 8) != 0)
    return formatString("the embedded wheels are corrupt (checksum mismatch): %s", RebuildHint);
  for (size_t At = 8; At < Size;) {
    const char *Name = reinterpret_cast<const char *>(Archive + At);
    const void *Nul = memchr(Name, '\0', Size - At);
    if (!Nul || size_t(static_cast<const unsigned char *>(Nul) - Archive) + 17 > Size)
      return formatString("the embedded wheel index is corrupt: %s", RebuildHint);
    At = size_t(static_cast<const unsigned char *>(Nul) - Archive) + 1;
    uint64_t Length = readLittleEndian64(Archive + At);
    uint64_t Hash = readLittleEndian64(Archive + At + 8);
    At += 16;
    if (!isSafeWheelName(Name))
      return formatString("the embedded wheel name '%.80s' is unsafe; refusing to extract it",
                          Name);
    if (Length > Size - At || fnv1a64(Archive + At, Length) != Hash)
      return formatString("the embedded wheel %s is corrupt: %s", Name, RebuildHint);
    Visit(Name, Archive + At, Length, Context);
    At += Length;
  }
  return nullptr;
}

namespace {
struct Extraction {
  const char *Dir;
  const char **Paths;
  int &Count;
};
} // namespace

static void extractWheel(const char *Name, const unsigned char *Data, size_t Size, void *Context) {
  Extraction &E = *static_cast<Extraction *>(Context);
  char *File = formatString("%s/%s", E.Dir, Name);
  int Fd = createNewFile(File);
  if (Fd < 0 && errno == EEXIST)
    fail("the embedded wheels hold %s twice: %s", Name, RebuildHint);
  if (Fd < 0 || !writeAll(Fd, Data, Size) || close(Fd) != 0)
    fail("cannot write %s: %s; %s", File, strerror(errno), hintFor(errno));
  E.Paths[E.Count++] = File;
}

const char **extractWheels(const char *Dir, int &Count) {
  const unsigned char *Data;
  size_t Compressed;
  payloadSection(PayloadKind::Wheels, Data, Compressed);
  unsigned long long Size = ZSTD_getFrameContentSize(Data, Compressed);
  if (Size == ZSTD_CONTENTSIZE_ERROR || Size == ZSTD_CONTENTSIZE_UNKNOWN || Size < 8)
    fail("the embedded wheels are corrupt: %s", RebuildHint);
  unsigned char *Archive = static_cast<unsigned char *>(allocate(Size));
  size_t Got = ZSTD_decompress(Archive, Size, Data, Compressed);
  if (ZSTD_isError(Got) || Got != Size)
    fail("the embedded wheels are corrupt (checksum mismatch): %s", RebuildHint);

  // Each wheel takes at least 17 bytes: a name, its NUL, size and hash.
  const char **Paths = static_cast<const char **>(calloc(Size / 17 + 1, sizeof(char *)));
  Count = 0;
  Extraction E = {Dir, Paths, Count};
  if (const char *Error = parseWheelArchive(Archive, Size, extractWheel, &E))
    fail("%s", Error);
  free(Archive);
  return Paths;
}

} // namespace pyaket
