//===- DotEnv.cpp - *.env files in the working directory ------------------===//
#include "DotEnv.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
static bool steersLauncher(const char *Key) {
  static const char *const Names[] = {"WORKSPACE", "HOME", "PATH", "VIRTUAL_ENV", "CONDA_PREFIX"};
  static const char *const Prefixes[] = {"XDG_", "PYTHON", "LD_", "UV_", "PYAKET"};
  for (const char *Name : Names)
    if (strcmp(Key, Name) == 0)
      return true;
  for (const char *Prefix : Prefixes)
    if (strncmp(Key, Prefix, strlen(Prefix)) == 0)
      return true;
  return false;
}

static void loadFile(const char *Name) {
  FILE *File = fopen(Name, "re");
  if (!File)
    return;
  char Line[4096];
  while (fgets(Line, sizeof(Line), File)) {
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
    if (steersLauncher(Key)) {
      if (getenv("PYAKET_DEBUG"))
        fprintf(stderr, "pyaket: %s: ignoring %s, which .env files may not set\n", Name, Key);
      continue;
    }
    setenv(Key, Value, /*overwrite=*/0);
  }
  fclose(File);
}

static int isEnvFile(const struct dirent *Entry) {
  size_t Length = strlen(Entry->d_name);
  return Length >= 4 && strcmp(Entry->d_name + Length - 4, ".env") == 0;
}

void loadDotEnvFiles() {
  struct dirent **Entries;
  int Count = scandir(".", &Entries, isEnvFile, alphasort);
  for (int I = 0; I < Count; ++I) {
    loadFile(Entries[I]->d_name);
    free(Entries[I]);
  }
  if (Count >= 0)
    free(Entries);
}

} // namespace pyaket
