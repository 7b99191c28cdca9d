//===- DotEnv.cpp - *.env files in the working directory ------------------===//
#include "DotEnv.h"
#include "Trust.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pyaket {

static char *trim(char *Text) {
  while (isspace((unsigned char)*Text))
    ++Text;
  char *End = Text + strlen(Text);
  while (End > Text && isspace((unsigned char)End[-1]))
    *--End = '\0';
  return Text;
}

/// Variables that steer the launcher, the interpreter or the loader: a .env
/// file in the working directory must not choose the code that runs.
bool steersLauncher(const char *Key) {
  // Besides the launcher's and Python's own: what glibc ignores in setuid
  // programs (it loads code or data from them), shell start-up files, and
  // where downloads go through and whom they trust, OpenSSL's configuration
  // (which loads engines and providers), git's, programs Python starts.
  static const char *const Names[] = {
      "WORKSPACE",   "HOME",       "PATH",           "VIRTUAL_ENV",   "CONDA_PREFIX",
      "GCONV_PATH",  "GETCONF_DIR", "GLIBC_TUNABLES", "HOSTALIASES",   "LOCALDOMAIN",
      "LOCPATH",     "NIS_PATH",   "NLSPATH",        "RESOLV_HOST_CONF", "RES_OPTIONS",
      "TMPDIR",      "TZDIR",      "BASH_ENV",       "ENV",           "SHELLOPTS",
      "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSLKEYLOGFILE", "BROWSER"};
  static const char *const Prefixes[] = {"XDG_", "PYTHON", "_PYTHON", "LD_", "UV_", "PYAKET",
                                         "MALLOC_", "BASH_FUNC_", "OPENSSL_", "GIT_"};
  for (const char *Name : Names)
    if (strcmp(Key, Name) == 0)
      return true;
  for (const char *Prefix : Prefixes)
    if (strncmp(Key, Prefix, strlen(Prefix)) == 0)
      return true;
  size_t Length = strlen(Key); // http_proxy, HTTPS_PROXY, no_proxy ...
  return Length >= 6 && strcasecmp(Key + Length - 6, "_PROXY") == 0;
}

/// Opens the .env file \p Name if the user may trust it: a regular file of
/// at most 1 MB (a FIFO would block), not a link (which could lead anywhere,
/// /proc included), the user's or root's, that nobody else can write. Others
/// are ignored, with a note.
static FILE *openTrustedFile(const char *Name) {
  int Fd = open(Name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
  if (Fd < 0 && errno == ELOOP)
    fprintf(stderr, "pyaket: ignoring %s: a symbolic link\n", Name);
  struct stat Status;
  if (Fd < 0 || fstat(Fd, &Status) != 0) {
    if (Fd >= 0)
      close(Fd);
    return nullptr;
  }
  const char *Problem = !S_ISREG(Status.st_mode)                                ? "not a file"
                        : !isOwnedByUserOrRoot(Status.st_uid)                  ? "another user's"
                        : (Status.st_mode & 022)                               ? "writable by others"
                        : Status.st_size > 1024 * 1024                         ? "larger than 1 MB"
                                                                               : nullptr;
  FILE *File = Problem ? nullptr : fdopen(Fd, "r");
  if (!File) {
    close(Fd);
    if (Problem)
      fprintf(stderr, "pyaket: ignoring %s: %s\n", Name, Problem);
  }
  return File;
}

/// Linux's limit on one "KEY=VALUE" string that exec passes on.
static const size_t MaxVariable = 128 * 1024;

void parseDotEnv(FILE *File, const char *Name, DotEnvSetter Set, void *Context) {
  char *Line = nullptr;
  size_t Capacity = 0;
  while (getline(&Line, &Capacity, File) >= 0) {
    char *Text = trim(Line);
    if (*Text == '#' || !*Text)
      continue;
    if (strncmp(Text, "export ", 7) == 0)
      Text = trim(Text + 7);
    char *Equals = strchr(Text, '=');
    if (!Equals)
      continue;
    *Equals = '\0';
    char *Key = trim(Text);
    char *Value = trim(Equals + 1);
    size_t Length = strlen(Value);
    if (Length >= 2 && (Value[0] == '"' || Value[0] == '\'') && Value[Length - 1] == Value[0]) {
      Value[Length - 1] = '\0';
      ++Value;
    }
    if (!*Key)
      continue;
    if (strlen(Key) + strlen(Value) + 2 > MaxVariable) {
      fprintf(stderr, "pyaket: %s: ignoring %s, longer than the %zu bytes a variable may hold\n",
              Name, Key, MaxVariable);
      continue;
    }
    if (steersLauncher(Key)) {
      if (getenv("PYAKET_DEBUG"))
        fprintf(stderr, "pyaket: %s: ignoring %s, which .env files may not set\n", Name, Key);
      continue;
    }
    Set(Key, Value, Context);
  }
  free(Line);
}

static void setVariable(const char *Key, const char *Value, void *) {
  setenv(Key, Value, /*overwrite=*/0);
}

static void loadFile(const char *Name) {
  FILE *File = openTrustedFile(Name);
  if (!File)
    return;
  parseDotEnv(File, Name, setVariable, nullptr);
  fclose(File);
}

static int isEnvFile(const struct dirent *Entry) {
  size_t Length = strlen(Entry->d_name);
  return Length >= 4 && strcmp(Entry->d_name + Length - 4, ".env") == 0;
}

void loadDotEnvFiles() {
  struct dirent **Entries;
  int Count = scandir(".", &Entries, isEnvFile, alphasort);
  // Where others own the directory, or may replace files in it (and no
  // sticky bit stops them), no file is the user's to trust.
  struct stat Dir;
  bool Shared = stat(".", &Dir) != 0 || !isOwnedByUserOrRoot(Dir.st_uid) ||
                ((Dir.st_mode & 022) && !(Dir.st_mode & S_ISVTX));
  if (Shared && Count > 0)
    fprintf(stderr, "pyaket: ignoring the .env files here: this directory is another user's, "
                    "or others can write it\n");
  for (int I = 0; I < Count; ++I) {
    if (!Shared)
      loadFile(Entries[I]->d_name);
    free(Entries[I]);
  }
  if (Count >= 0)
    free(Entries);
}

} // namespace pyaket
