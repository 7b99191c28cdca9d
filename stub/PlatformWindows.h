//===- PlatformWindows.h - Win32 helpers of the Windows platform -*- C++ -*-===//
//
// Shared by PlatformWindows.cpp and TrustWindows.cpp only.
//
//===----------------------------------------------------------------------===//
#ifndef PYAKET_STUB_PLATFORMWINDOWS_H
#define PYAKET_STUB_PLATFORMWINDOWS_H

#include <windows.h>

namespace pyaket {

/// UTF-8 to UTF-16 and back, in fresh heap strings.
wchar_t *toWide(const char *Text);
char *toUtf8(const wchar_t *Wide);
/// \p Path with '/' between components, one each (but the two that start
/// a UNC path), and none at its end (but a drive's root, "C:/"); in place.
char *normalSeparators(char *Path);
/// A path the system gave (GetModuleFileNameW, GetFinalPathNameByHandleW,
/// ...) as the launcher writes paths: UTF-8, no \\?\ prefix, normalSeparators().
char *fromSystemPath(const wchar_t *Path);
/// "C:/..." or "//server/...".
bool isAbsoluteWindowsPath(const char *Path);
/// \p Path for the W functions: '\' between components, absolute ones as
/// \\?\ paths (no MAX_PATH).
wchar_t *toWidePath(const char *Path);
/// The errno that stands for a Win32 error.
int errnoFor(DWORD Error);
/// A C library descriptor that owns \p Handle (closed when it cannot).
int descriptorFor(HANDLE Handle, int Flags);
/// The path of \p Name in the open directory \p DirFd.
char *pathAt(int DirFd, const char *Name);
/// Opens the directory \p Path, never through a link; -1 (errno set) when
/// it is missing or not a directory.
int openDirectoryPath(const char *Path);

} // namespace pyaket

#endif
