//===- DotEnv.h - *.env files in the working directory ----------*- C++ -*-===//
#ifndef PYAKET_STUB_DOTENV_H
#define PYAKET_STUB_DOTENV_H

#include <stdio.h>

namespace pyaket {

/// Loads every *.env file of the working directory, in name order, as
/// Pyaket does: KEY=VALUE lines, `#` comments, an optional `export `, quotes
/// around values; variables already set are kept. Variables that steer the
/// launcher, Python, the loader or uv's downloads (WORKSPACE, HOME, PATH,
/// XDG_*, PYTHON*, _PYTHON*, LD_*, UV_*, GIT_*, VIRTUAL_ENV, CONDA_PREFIX,
/// PYAKET*, GCONV_PATH, LOCPATH, *_PROXY, SSL_CERT_FILE, ...) are ignored,
/// with a note when PYAKET_DEBUG is set; so is one too long for exec. Files that others own or can write, or that are no
/// regular file (a symbolic link included), or that lie in a directory of
/// another user's or that others can write, are ignored with a note.
void loadDotEnvFiles();

/// Called for each variable a .env file sets.
using DotEnvSetter = void (*)(const char *Key, const char *Value, void *Context);

/// Parses one .env file, \p File (\p Name in the note), line by line (of
/// any length) and passes each variable to \p Set, except those that steer
/// the launcher.
void parseDotEnv(FILE *File, const char *Name, DotEnvSetter Set, void *Context);

/// Whether \p Key steers the launcher, Python or the loader, so that a .env
/// file may not set it.
bool steersLauncher(const char *Key);

} // namespace pyaket

#endif
