//===- DotEnv.cpp - *.env files in the working directory ------------------===//
#include "DotEnv.h"
#include "Trust.h"

#include "Platform.h"
#include "Support.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/// Linux's limit on one "KEY=VALUE" string that exec passes on.
static const size_t MaxVariable = 128 * 1024;

/// The next line of \p File into \p Line (grown as needed), without its
/// '\n'; false at the end. Lines may be of any length.
static bool readLine(FILE *File, char *&Line, size_t &Capacity) {
  size_t Length = 0;
  int C;
  while ((C = fgetc(File)) != EOF && C != '\n') {
    if (Length + 2 > Capacity) {
      Capacity = Capacity ? 2 * Capacity : 256;
      char *Grown = static_cast<char *>(realloc(Line, Capacity));
      if (!Grown)
        fail("out of memory");
      Line = Grown;
    }
    Line[Length++] = char(C);
  }
  if (C == EOF && Length == 0)
    return false;
  if (!Line)
    Line = static_cast<char *>(allocate(Capacity = 256));
  Line[Length] = '\0';
  return true;
}

void parseDotEnv(FILE *File, const char *Name, DotEnvSetter Set, void *Context) {
  char *Line = nullptr;
  size_t Capacity = 0;
  while (readLine(File, Line, Capacity)) {
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
      if (readEnvironment("PYAKET_DEBUG"))
        fprintf(stderr, "pyaket: %s: ignoring %s, which .env files may not set\n", Name, Key);
      continue;
    }
    Set(Key, Value, Context);
  }
  free(Line);
}

static void setVariable(const char *Key, const char *Value, void *) {
  if (!readEnvironment(Key)) // variables already set win
    setEnvironment(Key, Value);
}

static void loadFile(const char *Name) {
  FILE *File = openTrustedDotEnvFile(Name);
  if (!File)
    return;
  parseDotEnv(File, Name, setVariable, nullptr);
  fclose(File);
}

static bool isEnvFile(const char *Name) {
  size_t Length = strlen(Name);
  return Length >= 4 && strcmp(Name + Length - 4, ".env") == 0;
}

static int compareNames(const void *A, const void *B) {
  return strcmp(*static_cast<char *const *>(A), *static_cast<char *const *>(B));
}

void loadDotEnvFiles() {
  Listing *Here = openListing(WorkingDirectory, ".");
  if (!Here)
    return;
  size_t Count = 0, Capacity = 16;
  char **Names = static_cast<char **>(allocate(Capacity * sizeof(char *)));
  while (const char *Name = nextEntry(Here))
    if (isEnvFile(Name)) {
      if (Count == Capacity) {
        Names = static_cast<char **>(realloc(Names, (Capacity *= 2) * sizeof(char *)));
        if (!Names)
          fail("out of memory");
      }
      Names[Count++] = formatString("%s", Name);
    }
  closeListing(Here);
  qsort(Names, Count, sizeof(char *), compareNames);
  // Where others own the directory, or may replace files in it, no file is
  // the user's to trust.
  if (Count > 0 && !isWorkingDirectoryPrivate()) {
    fprintf(stderr, "pyaket: ignoring the .env files here: this directory is another user's, "
                    "or others can write it\n");
    return;
  }
  for (size_t I = 0; I < Count; ++I)
    loadFile(Names[I]);
}

} // namespace pyaket
