//===- Support.h - the launcher's small helpers -----------------*- C++ -*-===//
//
// The launcher is C-style C++ on the C library and POSIX only: no iostream,
// no filesystem, no exceptions, so that it stays small and starts fast.
//
//===----------------------------------------------------------------------===//
#ifndef PYAKET_STUB_SUPPORT_H
#define PYAKET_STUB_SUPPORT_H

#include <limits.h>
#include <stddef.h>

namespace pyaket {

/// A path buffer; every join checks for overflow.
struct Path {
  char Text[PATH_MAX];
};

/// Prints "<app>: error: <message>" and exits 1; with keep_open and a
/// terminal, waits for Enter first.
[[noreturn]] void fail(const char *Format, ...) __attribute__((format(printf, 1, 2)));

/// Sets how fail() names the program and whether it waits for Enter.
void setFailureStyle(const char *AppName, bool KeepOpen);

/// Path = printf(Format, ...), or fail() when it does not fit.
void formatPath(Path &Out, const char *Format, ...) __attribute__((format(printf, 2, 3)));

/// mkdir -p; fail() names the directory on error (read-only, full disk ...).
void makeDirectories(const char *Dir);

/// The directory that holds \p File ("." when \p File has no '/').
void parentDirectory(const char *File, Path &Dir);

/// Writes Size bytes to Fd; false on error (errno set).
bool writeAll(int Fd, const void *Data, size_t Size);

/// Opens a fresh temporary file beside \p Target, named in \p Temp; fail()
/// when it cannot.
int openTempFile(const char *Target, Path &Temp);

/// Makes the temporary file \p Temp (open as \p Fd) \p Target: fchmod, fsync,
/// close, rename, fsync of the directory. On error removes it and fail()s.
void commitTempFile(int Fd, const Path &Temp, const char *Target, int Mode);

/// Gives up on the temporary file \p Temp: closes and removes it.
void discardTempFile(int Fd, const Path &Temp);

/// Writes \p Data to \p Target atomically, through a temporary file.
void writeFileAtomically(const char *Target, const void *Data, size_t Size, int Mode);

/// fsync of the directory that holds \p File, so that a rename is durable.
void syncParentDirectory(const char *File);

/// rm -rf; false on error.
bool removeTree(const char *Dir);

} // namespace pyaket

#endif
