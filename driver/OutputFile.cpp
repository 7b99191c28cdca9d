//===- OutputFile.cpp - writing build outputs whole or not at all ---------===//
#include "OutputFile.h"
#include "Diagnostics.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <sys/stat.h>
#include <unistd.h>

using namespace llvm;

namespace pyaket {

/// Writes \p Data to \p OS; LLVM's streams abort on a write error left
/// unchecked, so the error is taken off the stream and returned.
static Error writeChecked(raw_fd_ostream &OS, StringRef Path, StringRef Data) {
  OS << Data;
  OS.flush();
  if (!OS.has_error())
    return Error::success();
  std::error_code EC = OS.error();
  OS.clear_error();
  return makeError("cannot write '" + Path + "': " + EC.message());
}

/// Whether \p Path is, or links straight to, a file descriptor's name
/// (/dev/fd/1, /proc/self/fd/1; /dev/stdout links to the latter): whatever
/// the caller opened there, a regular file too, is never to be replaced.
static bool namesOpenFile(StringRef Path) {
  auto IsDescriptor = [](StringRef P) {
    return P.starts_with("/proc/") || P.starts_with("/dev/fd/");
  };
  char Target[256];
  ssize_t Size = readlink(Path.str().c_str(), Target, sizeof(Target) - 1);
  return IsDescriptor(Path) || (Size > 0 && IsDescriptor(StringRef(Target, Size)));
}

bool isWrittenInPlace(StringRef Path) {
  sys::fs::file_status Status;
  return Path == "-" || namesOpenFile(Path) ||
         (!sys::fs::status(Path, Status) && sys::fs::exists(Status) &&
          !sys::fs::is_regular_file(Status));
}

Error writeOutputFile(StringRef Path, StringRef Data, bool Durable) {
  if (Path == "-")
    return writeChecked(outs(), Path, Data);
  if (isWrittenInPlace(Path)) {
    std::error_code EC;
    raw_fd_ostream OS(Path, EC);
    if (EC)
      return makeError("cannot write '" + Path + "': " + EC.message());
    return writeChecked(OS, Path, Data);
  }
  Expected<sys::fs::TempFile> Temp = sys::fs::TempFile::create(Path + "-%%%%%%%%.tmp");
  if (!Temp)
    return makeError("cannot write '" + Path + "': " + toString(Temp.takeError()));
  raw_fd_ostream OS(Temp->FD, /*shouldClose=*/false);
  Error Err = writeChecked(OS, Path, Data);
  if (!Err && Durable && fsync(Temp->FD) != 0)
    Err = makeError("cannot write '" + Path + "': " + std::strerror(errno));
  if (Err) {
    consumeError(Temp->discard());
    return Err;
  }
  if (Error Err = Temp->keep(Path))
    return makeError("cannot write '" + Path + "': " + toString(std::move(Err)));
  return Error::success();
}

void removeWithoutFollowing(StringRef Path) {
  struct stat St;
  if (lstat(Path.str().c_str(), &St) == 0 && S_ISDIR(St.st_mode))
    sys::fs::remove_directories(Path);
  else
    unlink(Path.str().c_str());
}

void removeLeftovers(StringRef Dir, function_ref<bool(StringRef Name)> IsLeftover, mode_t Type,
                     std::chrono::seconds Age) {
  time_t Before = time(nullptr) - Age.count();
  std::error_code EC;
  for (sys::fs::directory_iterator I(Dir, EC), End; I != End && !EC; I.increment(EC)) {
    struct stat St;
    if (IsLeftover(sys::path::filename(I->path())) && lstat(I->path().c_str(), &St) == 0 &&
        (!Type || (St.st_mode & S_IFMT) == Type) && St.st_uid == getuid() && St.st_mtime < Before)
      removeWithoutFollowing(I->path());
  }
}

} // namespace pyaket
