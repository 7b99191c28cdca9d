//===- BuildCache.cpp - what a rebuild takes from the last build ----------===//
#include "BuildCache.h"
#include "OutputFile.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/BLAKE3.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace llvm;

namespace pyaket {

namespace {
/// Where the cache would be, by the environment.
std::string configuredCacheDir() {
  if (std::optional<std::string> Dir = sys::Process::GetEnv("PYAKET_CC_CACHE_DIR"))
    return *Dir;
  SmallString<256> Dir;
  if (std::optional<std::string> Cache = sys::Process::GetEnv("XDG_CACHE_HOME"); Cache && !Cache->empty())
    Dir = *Cache;
  else if (!sys::path::home_directory(Dir))
    return "";
  else
    sys::path::append(Dir, ".cache");
  sys::path::append(Dir, "pyaket-cc");
  return Dir.str().str();
}

/// Why \p Dir cannot be trusted with what goes into executables, or "".
/// Another user who can write there could swap a cached launcher object.
/// The root may be a link (to a disk of the user's choice); the kinds, which
/// builds make and trim, may not: a trim would remove what they point to.
std::string distrust(StringRef Dir, bool MayBeLink) {
  if (std::error_code EC = sys::fs::create_directories(Dir, /*IgnoreExisting=*/true,
                                                        sys::fs::perms::owner_all))
    return "cannot be created (" + EC.message() + ")";
  struct stat St;
  if ((MayBeLink ? stat(Dir.str().c_str(), &St) : lstat(Dir.str().c_str(), &St)) != 0)
    return "cannot be read";
  if (S_ISLNK(St.st_mode))
    return "is a link, not a directory of its own";
  if (!S_ISDIR(St.st_mode))
    return "is not a directory";
  if (St.st_uid != getuid())
    return "belongs to another user (uid " + std::to_string(St.st_uid) + ")";
  if (St.st_mode & (S_IWGRP | S_IWOTH))
    return "is writable by other users";
  return "";
}

constexpr StringRef CacheKinds[] = {"launchers", "payloads", "uv"};

/// What a build in progress may be using: temporaries it writes, entries it
/// marked used.
constexpr std::chrono::hours InUseWindow(1);

/// The type of \p Path itself (a link is a link), or 0 when it is missing.
mode_t ownType(StringRef Path) {
  struct stat St;
  return lstat(Path.str().c_str(), &St) == 0 ? St.st_mode & S_IFMT : 0;
}

/// The lock that every build holds shared while it uses the cache.
int openCacheLock(StringRef CacheDir) {
  return open((CacheDir + "/lock").str().c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
              0600);
}

/// This build's hold on its cache's lock, taken by buildCacheDir().
int HeldCacheLock = -1;

struct CacheEntry {
  std::string Path;
  sys::TimePoint<> Used;
  uint64_t Bytes = 0;
};

/// The bytes of the files in the directory \p Path, read without touching its
/// access time: that time says when a build last took it.
uint64_t directoryBytes(StringRef Path) {
  int FD = open(Path.str().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOATIME);
  DIR *Dir = FD < 0 ? nullptr : fdopendir(FD);
  if (!Dir) {
    if (FD >= 0)
      close(FD);
    return 0;
  }
  uint64_t Bytes = 0;
  struct stat St;
  while (const dirent *Entry = readdir(Dir))
    if (fstatat(dirfd(Dir), Entry->d_name, &St, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(St.st_mode))
      Bytes += St.st_size;
  closedir(Dir);
  return Bytes;
}

/// The entries of every kind in \p CacheDir (not the temporaries), with
/// their sizes; a launcher entry is a directory of objects.
std::vector<CacheEntry> cacheEntries(StringRef CacheDir) {
  std::vector<CacheEntry> Entries;
  for (StringRef Kind : CacheKinds) {
    std::error_code EC;
    for (sys::fs::directory_iterator I(CacheDir + "/" + Kind, EC), End; I != End && !EC;
         I.increment(EC)) {
      sys::fs::file_status Status;
      if (sys::path::filename(I->path()).contains(".tmp") ||
          sys::fs::status(I->path(), Status, /*Follow=*/false))
        continue;
      bool Directory = sys::fs::is_directory(Status);
      Entries.push_back({I->path(), Status.getLastAccessedTime(),
                         Directory ? directoryBytes(I->path()) : Status.getSize()});
    }
  }
  return Entries;
}

/// "5G" and the like as bytes.
std::optional<uint64_t> parseSize(StringRef Text) {
  uint64_t Scale = 1;
  if (!Text.empty())
    switch (toUpper(Text.back())) {
    case 'K': Scale = 1ull << 10; break;
    case 'M': Scale = 1ull << 20; break;
    case 'G': Scale = 1ull << 30; break;
    case 'T': Scale = 1ull << 40; break;
    }
  if (Scale != 1)
    Text = Text.drop_back();
  uint64_t Number;
  if (Text.empty() || !all_of(Text, isDigit) || Text.getAsInteger(10, Number) ||
      Number > UINT64_MAX / Scale)
    return std::nullopt;
  return Number * Scale;
}
} // namespace

std::string buildCacheDir() {
  static const std::string Dir = [] {
    std::string Configured = configuredCacheDir();
    if (Configured.empty())
      return Configured;
    for (StringRef Kind : {StringRef(), CacheKinds[0], CacheKinds[1], CacheKinds[2]}) {
      std::string Checked = Kind.empty() ? Configured : Configured + "/" + Kind.str();
      if (std::string Why = distrust(Checked, /*MayBeLink=*/Kind.empty()); !Why.empty()) {
        errs() << "pyaket-cc: warning: the build cache " << Checked << " " << Why
               << ": building without it; set PYAKET_CC_CACHE_DIR to a directory of your own\n";
        return std::string();
      }
      if (!Kind.empty()) // temporaries: names with ".tmp"
        removeLeftovers(Checked, [](StringRef Name) { return Name.contains(".tmp"); }, 0,
                        InUseWindow);
    }
    // Shared with every other build; a trim needs it alone (trimBuildCache).
    HeldCacheLock = openCacheLock(Configured);
    if (HeldCacheLock >= 0)
      flock(HeldCacheLock, LOCK_SH);
    return Configured;
  }();
  return Dir;
}

bool cacheHasRoom(StringRef CacheDir) {
  ErrorOr<sys::fs::space_info> Space = sys::fs::disk_space(CacheDir);
  return Space && Space->available >= (64u << 20);
}

void syncFile(StringRef Path) {
  int FD;
  if (sys::fs::openFileForRead(Path, FD))
    return;
  fsync(FD);
  close(FD);
}

std::string cacheKey(ArrayRef<StringRef> Parts) {
  BLAKE3 Hash;
  for (StringRef Part : Parts) {
    uint64_t Size = Part.size();
    Hash.update(ArrayRef(reinterpret_cast<const uint8_t *>(&Size), sizeof(Size)));
    Hash.update(arrayRefFromStringRef(Part));
  }
  return toHex(Hash.final(), /*LowerCase=*/true);
}

std::string contentHash(StringRef Bytes) {
  return toHex(BLAKE3::hash(arrayRefFromStringRef(Bytes)), /*LowerCase=*/true);
}

std::string fileIdentity(StringRef Path) {
  struct stat St;
  if (stat(Path.str().c_str(), &St) != 0)
    return "";
  auto Time = [](const timespec &T) { return std::to_string(T.tv_sec) + "." + std::to_string(T.tv_nsec); };
  return std::to_string(St.st_dev) + " " + std::to_string(St.st_ino) + " " +
         std::to_string(St.st_size) + " " + Time(St.st_mtim) + " " + Time(St.st_ctim);
}

std::string cacheEntryPath(StringRef CacheDir, StringRef Kind, StringRef Key) {
  if (CacheDir.empty())
    return "";
  SmallString<256> Path(CacheDir);
  sys::path::append(Path, Kind, Key);
  return Path.str().str();
}

void markCacheEntryUsed(StringRef Path) {
  // Its access time, whatever the mount's atime option; its modification
  // time still tells when it was made.
  const timespec AccessedNow[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
  if (!Path.empty())
    utimensat(AT_FDCWD, Path.str().c_str(), AccessedNow, 0); // a missing entry stays missing
}

Expected<uint64_t> buildCacheLimit() {
  std::optional<std::string> Text = sys::Process::GetEnv("PYAKET_CC_CACHE_SIZE");
  if (!Text)
    return 5ull << 30;
  if (std::optional<uint64_t> Limit = parseSize(*Text))
    return *Limit;
  std::string Shown; // on one line, whatever it holds
  raw_string_ostream OS(Shown);
  printEscapedString(*Text, OS);
  return createStringError("PYAKET_CC_CACHE_SIZE=" + Shown +
                           " is not a size: give bytes or a number with K, M, G or T "
                           "(5G, 500M), or 0 for no limit");
}

bool isPlainFile(StringRef Path) { return ownType(Path) == S_IFREG; }

bool isPlainDirectory(StringRef Path) { return ownType(Path) == S_IFDIR; }

void trimBuildCache(StringRef CacheDir, uint64_t Limit) {
  if (CacheDir.empty() || Limit == 0)
    return;
  // Only when no other build is running: one that is may have found an entry
  // that the trim would remove under it. Another build will trim later.
  int Lock = HeldCacheLock >= 0 && CacheDir == buildCacheDir() ? HeldCacheLock
                                                                : openCacheLock(CacheDir);
  if (Lock < 0 || flock(Lock, LOCK_EX | LOCK_NB) != 0)
    return;
  std::vector<CacheEntry> Entries = cacheEntries(CacheDir);
  uint64_t Total = 0;
  for (const CacheEntry &Entry : Entries)
    Total += Entry.Bytes;
  llvm::sort(Entries, [](const CacheEntry &A, const CacheEntry &B) { return A.Used < B.Used; });
  auto InUseSince = std::chrono::system_clock::now() - InUseWindow;
  for (const CacheEntry &Entry : Entries) {
    if (Total <= Limit || Entry.Used > InUseSince)
      break;
    // Looked at again just before it goes: a build may have marked it since.
    sys::fs::file_status Status;
    if (sys::fs::status(Entry.Path, Status, /*Follow=*/false) ||
        Status.getLastAccessedTime() > InUseSince)
      continue;
    removeWithoutFollowing(Entry.Path);
    Total -= Entry.Bytes;
  }
  flock(Lock, LOCK_SH);
  if (Lock != HeldCacheLock)
    close(Lock);
}

std::optional<std::string> readCacheEntry(StringRef Path) {
  if (Path.empty())
    return std::nullopt;
  markCacheEntryUsed(Path);
  if (!isPlainFile(Path)) // a pipe planted there would hang the build
    return std::nullopt;
  ErrorOr<std::unique_ptr<MemoryBuffer>> Entry = MemoryBuffer::getFile(Path);
  if (!Entry)
    return std::nullopt;
  return (*Entry)->getBuffer().str();
}

bool writeCacheEntry(StringRef Path, StringRef Data) {
  if (Path.empty() || sys::fs::create_directories(sys::path::parent_path(Path)) ||
      !cacheHasRoom(sys::path::parent_path(Path)))
    return false;
  if (!isPlainFile(Path)) // a pipe or a device planted there is replaced, not written to
    removeWithoutFollowing(Path);
  if (Error Err = writeOutputFile(Path, Data, /*Durable=*/true)) {
    consumeError(std::move(Err));
    return false;
  }
  return true;
}

} // namespace pyaket
