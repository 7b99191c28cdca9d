//===- Support.h - the launcher's small helpers -----------------*- C++ -*-===//
//
// The launcher is C-style C++ on the C library and the system's own API
// (Platform.h): no iostream, no filesystem, no exceptions, so that it stays
// small and starts fast. Strings are heap-allocated and never freed: the
// process ends in an exec (or, on Windows, waits for the app and exits).
//
//===----------------------------------------------------------------------===//
#ifndef PYAKET_STUB_SUPPORT_H
#define PYAKET_STUB_SUPPORT_H

#include <stddef.h>

namespace pyaket {

/// Prints "<app>: error: <message>" and exits 1; with keep_open and a
/// terminal, waits for Enter first.
[[noreturn]] void fail(const char *Format, ...) __attribute__((format(printf, 1, 2)));

/// Sets how fail() names the program and whether it waits for Enter.
void setFailureStyle(const char *AppName, bool KeepOpen);

/// printf into a fresh heap string; fail() when memory runs out.
char *formatString(const char *Format, ...) __attribute__((format(printf, 1, 2)));

/// malloc, or fail().
void *allocate(size_t Size);

/// What to do about a failed write or directory change, by errno: "free
/// some disk space", "make it writable", ...
const char *hintFor(int Error);

/// Writes Size bytes to Fd; false on error (errno set).
bool writeAll(int Fd, const void *Data, size_t Size);

/// Opens a fresh temporary file beside \p Target and returns its descriptor;
/// its name goes to \p Temp. fail() when it cannot. (Per platform.)
int openTempFile(const char *Target, char *&Temp);

/// Makes the temporary file \p Temp (open as \p Fd) \p Target: fchmod, fsync,
/// close, rename, fsync of the directory (on Windows: flush, close, replace
/// written through). On error removes it and fail()s. (Per platform.)
void commitTempFile(int Fd, const char *Temp, const char *Target, int Mode);

/// Gives up on the temporary file \p Temp: closes and removes it.
void discardTempFile(int Fd, const char *Temp);

/// Writes \p Data to \p Target atomically, through a temporary file.
void writeFileAtomically(const char *Target, const void *Data, size_t Size, int Mode);

/// fsync of the directory that holds \p File, so that a rename is durable.
/// (Per platform.)
void syncParentDirectory(const char *File);

/// rm -rf that never follows a symbolic link; false on error (errno set).
/// (Per platform.)
bool removeTree(const char *Dir);

} // namespace pyaket

#endif
