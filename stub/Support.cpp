//===- Support.cpp - the launcher's small helpers -------------------------===//
#include "Support.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pyaket {

static const char *FailurePrefix = "pyaket";
static bool WaitOnFailure = false;

void setFailureStyle(const char *AppName, bool KeepOpen) {
  FailurePrefix = AppName;
  WaitOnFailure = KeepOpen;
}

void fail(const char *Format, ...) {
  fprintf(stderr, "%s: error: ", FailurePrefix);
  va_list Args;
  va_start(Args, Format);
  vfprintf(stderr, Format, Args);
  va_end(Args);
  fputc('\n', stderr);
  if (WaitOnFailure && isatty(STDIN_FILENO) && isatty(STDERR_FILENO)) {
    fputs("Press Enter to exit.", stderr);
    int C;
    while ((C = getchar()) != '\n' && C != EOF) {
    }
  }
  exit(1);
}

void formatPath(Path &Out, const char *Format, ...) {
  va_list Args;
  va_start(Args, Format);
  int Length = vsnprintf(Out.Text, sizeof(Out.Text), Format, Args);
  va_end(Args);
  if (Length < 0 || size_t(Length) >= sizeof(Out.Text))
    fail("path too long: %.80s...; set WORKSPACE to a shorter directory", Out.Text);
}

void makeDirectories(const char *Dir) {
  Path Partial;
  formatPath(Partial, "%s", Dir);
  for (char *Slash = Partial.Text + 1;; ++Slash) {
    bool End = *Slash == '\0';
    if (*Slash == '/' || End) {
      *Slash = '\0';
      if (mkdir(Partial.Text, 0755) != 0 && errno != EEXIST)
        fail("cannot create directory %s: %s; make it writable or set WORKSPACE", Partial.Text,
             strerror(errno));
      if (End)
        return;
      *Slash = '/';
    }
  }
}

bool writeAll(int Fd, const void *Data, size_t Size) {
  const char *Bytes = static_cast<const char *>(Data);
  while (Size) {
    ssize_t Written = write(Fd, Bytes, Size);
    if (Written < 0 && errno == EINTR)
      continue;
    if (Written <= 0)
      return false;
    Bytes += Written;
    Size -= size_t(Written);
  }
  return true;
}

void parentDirectory(const char *File, Path &Dir) {
  formatPath(Dir, "%s", File);
  char *Slash = strrchr(Dir.Text, '/');
  if (!Slash)
    formatPath(Dir, ".");
  else
    *Slash = '\0';
}

void syncParentDirectory(const char *File) {
  Path Dir;
  parentDirectory(File, Dir);
  int Fd = open(Dir.Text, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (Fd >= 0) {
    fsync(Fd);
    close(Fd);
  }
}

int openTempFile(const char *Target, Path &Temp) {
  formatPath(Temp, "%s.tmp.XXXXXX", Target);
  int Fd = mkostemp(Temp.Text, O_CLOEXEC);
  if (Fd < 0)
    fail("cannot write %s: %s; make its directory writable or set WORKSPACE", Target,
         strerror(errno));
  return Fd;
}

void discardTempFile(int Fd, const Path &Temp) {
  close(Fd);
  unlink(Temp.Text);
}

void commitTempFile(int Fd, const Path &Temp, const char *Target, int Mode) {
  bool Ok = fchmod(Fd, mode_t(Mode)) == 0 && fsync(Fd) == 0;
  int Error = errno;
  Ok = close(Fd) == 0 && Ok;
  if (!Ok || rename(Temp.Text, Target) != 0) {
    Error = Ok ? errno : Error;
    unlink(Temp.Text);
    fail("cannot write %s: %s; free some disk space or make it writable", Target,
         strerror(Error));
  }
  syncParentDirectory(Target);
}

void writeFileAtomically(const char *Target, const void *Data, size_t Size, int Mode) {
  Path Temp;
  int Fd = openTempFile(Target, Temp);
  if (!writeAll(Fd, Data, Size)) {
    int Error = errno;
    discardTempFile(Fd, Temp);
    fail("cannot write %s: %s; free some disk space", Target, strerror(Error));
  }
  commitTempFile(Fd, Temp, Target, Mode);
}

static int removeEntry(const char *Name, const struct stat *, int, struct FTW *) {
  return remove(Name);
}

bool removeTree(const char *Dir) {
  return nftw(Dir, removeEntry, 16, FTW_DEPTH | FTW_PHYS) == 0 || errno == ENOENT;
}

} // namespace pyaket
