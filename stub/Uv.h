//===- Uv.h - running the embedded uv ---------------------------*- C++ -*-===//
#ifndef PYAKET_STUB_UV_H
#define PYAKET_STUB_UV_H

#include "Install.h"

namespace pyaket {

/// Extracts uv to its per-hash path unless it is there already. Call with
/// the install lock held: the extraction's temporary file is not shared.
void ensureUv(const InstallPaths &P);

/// Remembers the environment the launcher was started with, before .env
/// files add to it: uv runs in that one.
void keepEnvironmentForUv();

/// The environment uv runs in: the user's, without inherited UV_* settings
/// (but for a few a user sets on purpose), VIRTUAL_ENV and CONDA_PREFIX,
/// plus the install's own uv settings. NULL-terminated, for execve, with
/// room for one more entry.
char **uvEnvironment(const InstallPaths &P);

/// Runs uv with \p Args (NULL-terminated, without the program), its output
/// going to \p LogFd (the install log). When uv fails, fail()s with \p What,
/// uv's last error line, a hint for its cause (else \p Hint) and the log's path.
void runUv(const InstallPaths &P, char **Env, const char *const *Args, int LogFd,
           const char *What, const char *Hint);

} // namespace pyaket

#endif
