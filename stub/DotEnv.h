//===- DotEnv.h - *.env files in the working directory ----------*- C++ -*-===//
#ifndef PYAKET_STUB_DOTENV_H
#define PYAKET_STUB_DOTENV_H

namespace pyaket {

/// Loads every *.env file of the working directory, in name order, as
/// Pyaket does: KEY=VALUE lines, `#` comments, an optional `export `, quotes
/// around values; variables already set are kept. Variables that steer the
/// launcher, Python, the loader or uv's downloads (WORKSPACE, HOME, PATH,
/// XDG_*, PYTHON*, LD_*, UV_*, VIRTUAL_ENV, CONDA_PREFIX, PYAKET*, GCONV_PATH,
/// LOCPATH, *_PROXY, SSL_CERT_FILE, ...) are ignored, with a note when
/// PYAKET_DEBUG is set. Files that others own or can write, or that are no
/// regular file, are ignored with a note.
void loadDotEnvFiles();

} // namespace pyaket

#endif
