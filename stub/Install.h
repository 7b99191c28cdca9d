//===- Install.h - the app's venv: where it is, making it -------*- C++ -*-===//
#ifndef PYAKET_STUB_INSTALL_H
#define PYAKET_STUB_INSTALL_H

#include "Payload.h"
#include "Support.h"

namespace pyaket {

struct InstallPaths {
  Path Exe;     // this executable
  Path Common;  // <root>/<common>: uv, its cache, Pythons, temporary files
  Path Install; // <common>/<versions>/<version>: the venv
  Path Lock;    // <install>.lock, beside the venv so that clearing it keeps the lock
  Path Marker;  // <install>/.pyaket-installed: the build id, written last
  Path Python;  // <install>/bin/python
  Path Uv;      // <common>/uv/<uv hash>/uv
};

/// Root = $WORKSPACE, else ${XDG_DATA_HOME:-~/.local/share}/<vendor>.
InstallPaths installPaths(const Config &C);

/// Whether the install's marker holds this build's id.
bool isInstalled(const InstallPaths &P, const Config &C);

/// Installs under an exclusive lock: concurrent first runs install once, the
/// others wait and find the marker. \p Repair reinstalls even when marked.
void install(const Config &C, const InstallPaths &P, bool Repair);

/// Extracts uv to its per-hash path unless it is there already.
void ensureUv(const InstallPaths &P);

/// The environment uv runs in: the user's, without inherited UV_* settings
/// (but for a few a user sets on purpose), VIRTUAL_ENV and CONDA_PREFIX,
/// plus the install's own uv settings. NULL-terminated, for execve.
char **uvEnvironment(const InstallPaths &P);

/// Takes the install lock (blocking); returns its file descriptor.
int lockInstall(const InstallPaths &P);

} // namespace pyaket

#endif
