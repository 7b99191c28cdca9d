//===- BuildCache.h - what a rebuild takes from the last build --*- C++ -*-===//
//
// A package build keeps what is slow to make and depends only on its inputs
// in one cache directory: the compiled launcher objects, the payload objects
// (compressed uv, compressed wheels), and what it learnt of each uv binary.
// Every entry is named by a hash of what made it and written under a temporary
// name then renamed, so that concurrent builds share it safely; a cache that
// cannot be written only makes builds slower. Each build marks the entries it
// takes as used; after it, the entries used longest ago go until the cache
// fits its limit.
//
//===----------------------------------------------------------------------===//
#ifndef PYAKET_DRIVER_BUILDCACHE_H
#define PYAKET_DRIVER_BUILDCACHE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <optional>
#include <string>

namespace pyaket {

/// $PYAKET_CC_CACHE_DIR, else ${XDG_CACHE_HOME:-~/.cache}/pyaket-cc, created
/// private to the user, with its kinds of entries (launchers/, payloads/,
/// uv/); what killed builds left there for an hour is removed. The build
/// holds the cache's lock (shared) from then to its end. "" (nothing
/// is cached) when there is no home to put it in, or when it or one of its
/// kinds belongs to another user or others may write to it (a warning says
/// so): what is cached goes into executables.
std::string buildCacheDir();

/// Whether the file system of \p CacheDir has room for more entries (64 MiB):
/// on a full disk a build goes on without writing to its cache.
bool cacheHasRoom(llvm::StringRef CacheDir);

/// Syncs the file at \p Path to the disk (before its directory is renamed
/// into the cache).
void syncFile(llvm::StringRef Path);

/// A cache key: the hex BLAKE3 hash of \p Parts, each length-prefixed so that
/// no two lists of parts give the same key.
std::string cacheKey(llvm::ArrayRef<llvm::StringRef> Parts);

/// The hex BLAKE3 hash of \p Bytes: what names content in keys and build ids.
std::string contentHash(llvm::StringRef Bytes);

/// What tells a file's version apart without reading it: its device,
/// inode, size, modification and change times; "" when it does not exist.
std::string fileIdentity(llvm::StringRef Path);

/// <CacheDir>/<Kind>/<Key>, or "" when \p CacheDir is.
std::string cacheEntryPath(llvm::StringRef CacheDir, llvm::StringRef Kind, llvm::StringRef Key);

/// Whether \p Path is itself a regular file (not a link, a pipe, a device):
/// what a cache entry is opened as only if it is.
bool isPlainFile(llvm::StringRef Path);

/// Whether \p Path is itself a directory (not a link to one).
bool isPlainDirectory(llvm::StringRef Path);

/// Marks the entry at \p Path (a file or a directory) used now; an entry is
/// marked before it is taken, so that a concurrent trim leaves it alone.
void markCacheEntryUsed(llvm::StringRef Path);

/// The most the cache may hold, in bytes: $PYAKET_CC_CACHE_SIZE (a number of
/// bytes, or with a K, M, G or T suffix; 0 for no limit), else 5 GiB.
llvm::Expected<uint64_t> buildCacheLimit();

/// Removes the entries of \p CacheDir used longest ago until the rest takes
/// at most \p Limit bytes (0: no limit), when no other build holds the
/// cache; entries used in the last hour stay all the same.
void trimBuildCache(llvm::StringRef CacheDir, uint64_t Limit);

/// The entry's bytes, when it exists (marked used).
std::optional<std::string> readCacheEntry(llvm::StringRef Path);

/// Writes \p Data as the entry \p Path, whole or not at all, synced; false
/// when it could not (no cache, a full disk): that is no error, the next
/// build makes it again.
bool writeCacheEntry(llvm::StringRef Path, llvm::StringRef Data);

} // namespace pyaket

#endif
