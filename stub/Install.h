//===- Install.h - the app's venv: where it is, making it -------*- C++ -*-===//
//
// Each build installs into a directory of its own, <versions>/<version>@<build
// id>, so that another build of the same version never changes files under a
// running app. A build is installed when its marker, written last, holds its
// id. Every run holds a shared lock on its build directory (inherited across
// exec); an install collects the other builds of its version that nobody
// holds, but for the one installed before. Installs take one exclusive lock
// per common directory.
//
//===----------------------------------------------------------------------===//
#ifndef PYAKET_STUB_INSTALL_H
#define PYAKET_STUB_INSTALL_H

#include "Payload.h"

#include <stddef.h>

namespace pyaket {

struct InstallPaths {
  const char *Exe;       // this executable
  const char *Root;      // the install root, a real path
  size_t RootLength;     // strlen(Root): where the strictly private tree starts
  const char *Common;    // <root>/<common>: uv, its cache, Pythons, the lock, temporaries
  const char *Versions;  // <common>/<versions>
  const char *BuildName; // <version>@<build id>
  const char *Build;     // <versions>/<build name>: this build's venv
  const char *Published; // <versions>/<version>: a link to the build installed last
  const char *Marker;    // <build>/.pyaket-installed: build id, <vendor>/<name>; written last
  const char *Python;    // <build>/bin/python
  const char *AppPython; // the python the app runs: pythonw on Windows when windowed
  const char *UvDir;     // <common>/uv/<uv hash>
  const char *Uv;        // <uv dir>/uv
  const char *Cache;     // <common>/cache: uv's cache
  const char *Pythons;   // <common>/python: Pythons that uv installs
  const char *Temp;      // <common>/tmp: the install's temporary files
  const char *Lock;      // <common>/install.lock
  const char *Log;       // <common>/install.log: uv's output during the last install
};

/// Root = $WORKSPACE, else ${XDG_DATA_HOME:-~/.local/share}/<vendor>,
/// resolved to a real path. Nothing is created.
InstallPaths installPaths(const Config &C);

/// Opens this build's directory when it is installed (its marker holds the
/// build id) and takes a shared lock on it that says "running"; -1 otherwise.
/// fail()s when the install tree is not trusted.
int openInstalledBuild(const InstallPaths &P, const Config &C);

/// Installs this build under the install lock unless another run did it
/// while this one waited; \p Force reinstalls anyway. Returns the build as
/// openInstalledBuild() does (-1 when it is not installed after all).
int install(const Config &C, const InstallPaths &P, bool Force);

/// Takes the install lock, creating and checking the tree down to the
/// versions directory; after about a second of waiting says who holds it,
/// and gives up after PYAKET_LOCK_TIMEOUT seconds. Returns its descriptor.
int lockInstall(const InstallPaths &P, const Config &C);

/// Releases the install lock, first emptying the holder's pid from it.
void unlockInstall(int LockFd);

/// `self clean`: removes this version's builds that no process runs, the
/// link to them and stale temporary files, under the install lock.
void cleanInstall(const InstallPaths &P, const Config &C);

} // namespace pyaket

#endif
