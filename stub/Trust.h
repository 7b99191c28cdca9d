//===- Trust.h - which directories the launcher may use ---------*- C++ -*-===//
//
// The launcher runs code from its install tree, so that tree must be one that
// only the user (or root) can change. On Linux (TrustPosix.cpp), as OpenSSH's
// StrictModes does, every directory from "/" down to the one used is checked:
// owned by the user or root, writable by nobody else. The install root and
// the directories above it may also be world-writable with the sticky bit, as
// /tmp is. Below the root, the walk never follows a symbolic link. On Windows
// (TrustWindows.cpp) the same holds of owners and ACLs from the root down.
//
//===----------------------------------------------------------------------===//
#ifndef PYAKET_STUB_TRUST_H
#define PYAKET_STUB_TRUST_H

#include <stddef.h>
#include <stdio.h>

namespace pyaket {

/// The install root \p Root (absolute) as a real path: symbolic links
/// resolved in the part that exists, the missing rest appended. fail() on
/// "." or ".." in the missing part.
char *resolveInstallRoot(const char *Root);

/// Opens the directory \p Dir, a real absolute path, checking every directory
/// from "/" down to it; the first \p RootLength bytes of Dir are the install
/// root, where the sticky exception applies. Missing directories are created
/// 0700 when \p Create; otherwise returns -1 (errno ENOENT). fail() names
/// the first directory that cannot be trusted, and what to do.
int openTrustedDirectory(const char *Dir, size_t RootLength, bool Create);

/// Opens the file \p Name of the trusted directory \p DirFd with \p Flags
/// (creating it 0600 with O_CREAT), never through a link and never blocking
/// on a FIFO; fail() unless it is a regular file with one link, the user's
/// or root's, that nobody else can write.
int openPrivateFile(int DirFd, const char *Name, const char *Shown, int Flags);

/// Whether the file \p Name in the trusted directory \p DirFd is a regular
/// file (not a link) owned by the user or root that nobody else can write,
/// of \p Size bytes; false with errno ENOENT when it is missing, fail() when
/// it is untrusted.
bool isTrustedFile(int DirFd, const char *Name, const char *Shown, unsigned long long &Size);

/// The largest .env file read.
const long long MaxDotEnvSize = 1024 * 1024;

/// Opens the .env file \p Name of the working directory if the user may
/// trust it: a regular file of at most MaxDotEnvSize (a FIFO would block),
/// not a link (which could lead anywhere, /proc included), the user's or
/// root's, that nobody else can write. Others are ignored, with a note.
FILE *openTrustedDotEnvFile(const char *Name);

/// Whether the working directory is the user's or root's and others cannot
/// replace files in it: otherwise no .env file there is the user's to trust.
bool isWorkingDirectoryPrivate();

} // namespace pyaket

#endif
