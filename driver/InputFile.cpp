//===- InputFile.cpp - reading build inputs safely ------------------------===//
#include "InputFile.h"
#include "Diagnostics.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace llvm;

namespace pyaket {

Error requireRegularFile(StringRef Path) {
  sys::fs::file_status Status;
  if (sys::fs::status(Path, Status) || !sys::fs::exists(Status) ||
      sys::fs::is_regular_file(Status))
    return Error::success();
  return makeError("'" + Path + "' is not a regular file");
}

Expected<std::string> readInputFile(StringRef Path, uint64_t MaxSize) {
  if (Error Err = requireRegularFile(Path))
    return std::move(Err);
  uint64_t Size = 0;
  if (std::error_code EC = sys::fs::file_size(Path, Size))
    return makeError("cannot read '" + Path + "': " + EC.message());
  if (Size > MaxSize)
    return makeError("'" + Path + "' is " + Twine(Size) + " bytes, more than the " +
                     Twine(MaxSize) + " an input may have");
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buffer = MemoryBuffer::getFile(Path, false, false);
  if (!Buffer)
    return makeError("cannot read '" + Path + "': " + Buffer.getError().message());
  return (*Buffer)->getBuffer().str();
}

} // namespace pyaket
