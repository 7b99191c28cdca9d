//===- Support.cpp - the launcher's small helpers -------------------------===//
#include "Support.h"
#include "Platform.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

namespace pyaket {

static const char *FailurePrefix = "pyaket";
static bool WaitOnFailure = false;

void setFailureStyle(const char *AppName, bool KeepOpen) {
  FailurePrefix = AppName;
  WaitOnFailure = KeepOpen;
}

void fail(const char *Format, ...) {
  va_list Args;
  va_start(Args, Format);
  char *Message;
  if (vasprintf(&Message, Format, Args) < 0)
    Message = const_cast<char *>("out of memory");
  va_end(Args);
  fprintf(stderr, "%s: error: %s\n", FailurePrefix, Message);
  showFailure(FailurePrefix, Message);
  if (WaitOnFailure && isatty(STDIN_FILENO) && isatty(STDERR_FILENO)) {
    fputs("Press Enter to exit.", stderr);
    int C;
    while ((C = getchar()) != '\n' && C != EOF) {
    }
  }
  exit(1);
}

char *formatString(const char *Format, ...) {
  va_list Args;
  va_start(Args, Format);
  char *Text;
  int Length = vasprintf(&Text, Format, Args);
  va_end(Args);
  if (Length < 0)
    fail("out of memory");
  return Text;
}

void *allocate(size_t Size) {
  void *Memory = malloc(Size ? Size : 1);
  if (!Memory)
    fail("out of memory (%zu bytes)", Size);
  return Memory;
}

const char *hintFor(int Error) {
  switch (Error) {
  case ENOSPC:
#ifdef EDQUOT // not on Windows
  case EDQUOT:
#endif
    return "the disk is full: free some space, or set WORKSPACE to a disk with room";
  case EACCES:
  case EPERM:
  case EROFS:
    return "make it writable by you, or set WORKSPACE to a directory of your own";
  case ENAMETOOLONG:
    return "set WORKSPACE to a shorter directory";
  case ENOTDIR:
  case EEXIST:
    return "a file stands where a directory should be: remove it, or set WORKSPACE elsewhere";
  default:
    return "check the disk, or set WORKSPACE to another directory";
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

void discardTempFile(int Fd, const char *Temp) {
  close(Fd);
  unlink(Temp);
}

void writeFileAtomically(const char *Target, const void *Data, size_t Size, int Mode) {
  char *Temp;
  int Fd = openTempFile(Target, Temp);
  if (!writeAll(Fd, Data, Size)) {
    int Error = errno;
    discardTempFile(Fd, Temp);
    fail("cannot write %s: %s; %s", Target, strerror(Error), hintFor(Error));
  }
  commitTempFile(Fd, Temp, Target, Mode);
}

} // namespace pyaket
