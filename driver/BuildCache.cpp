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
std::string distrust(StringRef Dir) {
  if (std::error_code EC = sys::fs::create_directories(Dir, /*IgnoreExisting=*/true,
                                                        sys::fs::perms::owner_all))
    return "cannot be created (" + EC.message() + ")";
  struct stat St;
  if (stat(Dir.str().c_str(), &St) != 0 || !S_ISDIR(St.st_mode))
    return "is not a directory";
  if (St.st_uid != getuid())
    return "belongs to another user (uid " + std::to_string(St.st_uid) + ")";
  if (St.st_mode & (S_IWGRP | S_IWOTH))
    return "is writable by other users";
  return "";
}

/// Removes the temporaries (names with ".tmp") that builds killed over an
/// hour ago left in \p Dir; younger ones may be a running build's.
void removeStaleTemporaries(StringRef Dir) {
  std::error_code EC;
  auto HourAgo = std::chrono::system_clock::now() - std::chrono::hours(1);
  for (sys::fs::directory_iterator I(Dir, EC), End; I != End && !EC; I.increment(EC)) {
    sys::fs::file_status Status;
    if (!sys::path::filename(I->path()).contains(".tmp") || sys::fs::status(I->path(), Status) ||
        Status.getLastModificationTime() > HourAgo)
      continue;
    if (sys::fs::is_directory(Status))
      sys::fs::remove_directories(I->path());
    else
      sys::fs::remove(I->path());
  }
}
} // namespace

std::string buildCacheDir() {
  static const std::string Dir = [] {
    std::string Configured = configuredCacheDir();
    if (Configured.empty())
      return Configured;
    for (StringRef Kind : {"", "launchers", "payloads", "uv"}) {
      std::string Checked = Kind.empty() ? Configured : Configured + "/" + Kind.str();
      if (std::string Why = distrust(Checked); !Why.empty()) {
        errs() << "pyaket-cc: warning: the build cache " << Checked << " " << Why
               << ": building without it; set PYAKET_CC_CACHE_DIR to a directory of your own\n";
        return std::string();
      }
      if (!Kind.empty())
        removeStaleTemporaries(Checked);
    }
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

std::optional<std::string> readCacheEntry(StringRef Path) {
  if (Path.empty())
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
  if (Error Err = writeOutputFile(Path, Data, /*Durable=*/true)) {
    consumeError(std::move(Err));
    return false;
  }
  return true;
}

} // namespace pyaket
