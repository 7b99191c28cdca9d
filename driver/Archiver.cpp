//===- Archiver.cpp - llvm-ar and llvm-ranlib, in-process -----------------===//
//
// Build systems look for an archiver beside the compiler: CMake for llvm-ar
// and llvm-ranlib, with the compiler's "pyaket-" prefix for IPO. Without one
// they fall back to a system llvm-ar (often LLVM 14, which cannot read LLVM 19
// bitcode) or to GNU ar (which indexes no bitcode symbols), and LTO links then
// find nothing in the archive. Called by those names, pyaket-cc is an archiver
// on LLVM 19's Object library: its symbol table lists the symbols of the
// ThinLTO and full-LTO members its profiles make. The command line is
// llvm-ar's; an archive is written whole or not at all.
//
//===----------------------------------------------------------------------===//
#include "Archiver.h"
#include "CommandLine.h"
#include "CrashGuard.h"
#include "Diagnostics.h"
#include "InputFile.h"
#include "OutputFile.h"

#include "llvm/Config/llvm-config.h"
#include "llvm/Object/Archive.h"
#include "llvm/Object/ArchiveWriter.h"
#include "llvm/Support/Chrono.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>

using namespace llvm;
using object::Archive;

namespace pyaket {

namespace {

const char ArHelp[] = R"(OVERVIEW: pyaket-cc as llvm-ar (LLVM 19), indexing bitcode members

USAGE: {0} [-]<operation>[modifiers] [--format=F] [--thin] <archive> [files...]

OPERATIONS:
  d  delete the files from the archive     q  append the files
  m  move the files to the end             r  replace or add the files
  p  print the files' contents             s  rewrite the symbol table (ranlib)
  t  list the members                      x  extract the files (all by default)

MODIFIERS:
  c  create the archive without a warning  T  thin archive: members are paths
  D  zero dates, owners, modes (default)   u  replace only members older than their file
  U  keep dates, owners and modes          v  verbose
  s  write a symbol table (default)        l  ignored
  S  write no symbol table

--format=default|gnu|bsd|darwin, --plugin=P (ignored), @file (more arguments).
)";

const char RanlibHelp[] = R"(OVERVIEW: pyaket-cc as ranlib: writes the archives' symbol tables anew

USAGE: {0} [-D|-U] <archive>...

  -D  zero dates, owners and modes (default)
  -U  keep dates, owners and modes
)";

/// \p ProgramName without a version suffix: llvm-ar-19 is llvm-ar.
StringRef unversioned(StringRef ProgramName) {
  StringRef Stem = ProgramName.rtrim("0123456789.");
  if (Stem.size() < ProgramName.size() && Stem.ends_with("-"))
    return Stem.drop_back();
  return ProgramName;
}

/// Whether \p ProgramName is \p Tool, alone or after a prefix such as llvm-.
bool namesTool(StringRef ProgramName, StringRef Tool) {
  StringRef Name = unversioned(ProgramName);
  return Name.consume_back(Tool) && (Name.empty() || Name.ends_with("-"));
}

enum class Operation { None, Delete, Move, Print, QuickAppend, Replace, List, Extract, Index };

/// One operation on one archive, as the command line asks for it.
struct Request {
  Operation Op = Operation::None;
  bool Create = false;       // c: no warning when the archive is new
  bool OnlyNewer = false;    // u: replace a member only by a newer file
  bool Verbose = false;      // v
  bool Deterministic = true; // D: zero dates, owners, modes; U: the files' own
  bool Thin = false;         // T, --thin: the archive names its members' files
  SymtabWritingMode Symtab = SymtabWritingMode::NormalSymtab; // S: none
  std::optional<Archive::Kind> Format; // --format; unset: as llvm-ar picks
  std::string Path;                    // the archive
  std::vector<std::string> Files;
};

Operation operationFor(char Letter) {
  switch (Letter) {
  case 'd': return Operation::Delete;
  case 'm': return Operation::Move;
  case 'p': return Operation::Print;
  case 'q': return Operation::QuickAppend;
  case 'r': return Operation::Replace;
  case 't': return Operation::List;
  case 'x': return Operation::Extract;
  default: return Operation::None;
  }
}

/// Applies the operation and modifier letters, e.g. "rcs". `s` alone is the
/// ranlib operation; with another operation it asks for a symbol table.
Error applyLetters(StringRef Letters, Request &R) {
  bool Index = false;
  for (char Letter : Letters) {
    if (Operation Op = operationFor(Letter); Op != Operation::None) {
      if (R.Op != Operation::None && R.Op != Op)
        return makeError("only one operation may be given, not '" + Letters + "'");
      R.Op = Op;
      continue;
    }
    switch (Letter) {
    case 'c': R.Create = true; break;
    case 'D': R.Deterministic = true; break;
    case 'U': R.Deterministic = false; break;
    case 'l': break; // accepted and ignored, as by GNU ar and llvm-ar
    case 's': Index = true; R.Symtab = SymtabWritingMode::NormalSymtab; break;
    case 'S': R.Symtab = SymtabWritingMode::NoSymtab; break;
    case 'T': R.Thin = true; break;
    case 'u': R.OnlyNewer = true; break;
    case 'v': R.Verbose = true; break;
    default:
      return makeError(Twine("unknown operation or modifier '") + Twine(Letter) + "' in '" +
                       Letters + "' (operations: d m p q r s t x; modifiers: c D l s S T u U v)");
    }
  }
  if (R.Op == Operation::None && Index)
    R.Op = Operation::Index;
  if (R.Op == Operation::None)
    return makeError("no operation given (one of d m p q r s t x, as in 'ar rcs lib.a a.o')");
  if (R.OnlyNewer && R.Op != Operation::Replace)
    return makeError("the 'u' modifier only applies to the 'r' operation");
  return Error::success();
}

/// Applies the long option Args[I]: --thin, --format=F or --format F, and
/// --plugin P (GCC's LTO plugin, which build systems pass to any ar: ignored).
/// Advances \p I past a separate value.
Error applyLongOption(ArrayRef<std::string> Args, size_t &I, Request &R) {
  StringRef Arg = Args[I];
  auto [Name, Value] = Arg.drop_front(2).split('=');
  if (Name == "thin") {
    R.Thin = true;
    return Error::success();
  }
  if (Name != "format" && Name != "plugin")
    return makeError("unknown option '" + Arg + "'");
  if (!Arg.contains('=')) {
    if (I + 1 == Args.size())
      return makeError("option '" + Arg + "' needs a value");
    Value = Args[++I];
  }
  if (Name == "plugin")
    return Error::success();
  if (Value == "default")
    R.Format.reset();
  else if (Value == "gnu")
    R.Format = Archive::K_GNU;
  else if (Value == "bsd")
    R.Format = Archive::K_BSD;
  else if (Value == "darwin")
    R.Format = Archive::K_DARWIN;
  else
    return makeError("unknown archive format '" + Value + "' (default, gnu, bsd, darwin)");
  return Error::success();
}

/// Parses llvm-ar's command line: the operation and modifiers as the first
/// word (`rcs`) or dashed anywhere (`-rcs`, `-r -c`), long options, then the
/// archive and the files.
Expected<std::vector<Request>> parseArArgs(ArrayRef<std::string> Args) {
  Request R;
  std::string Letters;
  std::vector<std::string> Words;
  for (size_t I = 0; I < Args.size(); ++I) {
    StringRef Arg = Args[I];
    if (Arg == "--") {
      Words.insert(Words.end(), Args.begin() + I + 1, Args.end());
      break;
    }
    if (Arg.starts_with("--")) {
      if (Error Err = applyLongOption(Args, I, R))
        return Err;
    } else if (Arg.starts_with("-") && Arg.size() > 1) {
      Letters += Arg.drop_front();
    } else if (Letters.empty()) {
      Letters = Arg;
    } else {
      Words.push_back(Arg.str());
    }
  }
  if (Error Err = applyLetters(Letters, R))
    return Err;
  if (Words.empty())
    return makeError("no archive named (as in 'ar " + Letters + " lib.a ...')");
  R.Path = Words.front();
  R.Files.assign(Words.begin() + 1, Words.end());
  if (R.Op == Operation::Index && !R.Files.empty())
    return makeError("the 's' operation takes only an archive");
  return std::vector<Request>{std::move(R)};
}

/// Parses llvm-ranlib's command line: -D or -U, then the archives, each of
/// which gets its symbol table written anew.
Expected<std::vector<Request>> parseRanlibArgs(ArrayRef<std::string> Args) {
  bool Deterministic = true;
  std::vector<Request> Requests;
  for (StringRef Arg : Args) {
    if (!Arg.consume_front("-")) {
      Requests.emplace_back();
      Requests.back().Op = Operation::Index;
      Requests.back().Path = Arg.str();
      continue;
    }
    for (char Letter : Arg) {
      if (Letter != 'D' && Letter != 'U')
        return makeError("unknown option '-" + Arg + "' (ranlib takes -D, -U and archives)");
      Deterministic = Letter == 'D';
    }
  }
  if (Requests.empty())
    return makeError("no archive named (as in 'ranlib lib.a')");
  for (Request &R : Requests)
    R.Deterministic = Deterministic;
  return Requests;
}

/// A member of the archive as it was, with its name.
struct OldMember {
  StringRef Name;
  Archive::Child Child;
};

/// Runs one Request: reads the archive if it exists, then lists, extracts or
/// prints its members, or writes it anew from its members and the files.
class ArchiveJob {
public:
  ArchiveJob(StringRef ToolName, Request R) : ToolName(ToolName), R(std::move(R)) {}

  /// What the operation prints (t, p, v) goes to stdout once it succeeded.
  Error run();

private:
  Error open();
  Error readOldMembers();
  std::string memberName(StringRef File) const;
  std::optional<size_t> claimFile(StringRef MemberName, std::vector<bool> &Claimed) const;
  Error checkAllClaimed(const std::vector<bool> &Claimed) const;

  Error readMembers();
  Error list(const OldMember &M);
  Error listDetails(const Archive::Child &C);
  Error extract(const OldMember &M);
  Error print(const OldMember &M);

  Error rewrite();
  Expected<std::vector<NewArchiveMember>> newMembers();
  Expected<bool> keepsMember(const OldMember &M, size_t File) const;
  Expected<NewArchiveMember> fileMember(size_t File) const;
  Error write(ArrayRef<NewArchiveMember> Members);

  void note(char Action, StringRef Name);
  void warn(const Twine &Message) const;

  StringRef ToolName;
  Request R;
  std::vector<std::string> FileNames; // R.Files[I]'s name in the archive
  /// The archive as it was (null: it does not exist yet); old members point
  /// into it until the new archive is written.
  std::unique_ptr<MemoryBuffer> OldBuffer;
  std::unique_ptr<Archive> Old;
  std::vector<OldMember> OldMembers;
  std::string Output; // what t, p and v print
  raw_string_ostream Out{Output};
};

Error ArchiveJob::run() {
  if (Error Err = open())
    return Err;
  for (const std::string &File : R.Files)
    FileNames.push_back(memberName(File));
  bool Reads = R.Op == Operation::List || R.Op == Operation::Extract || R.Op == Operation::Print;
  if (Error Err = Reads ? readMembers() : rewrite())
    return Err;
  return Out.str().empty() ? Error::success() : writeOutputFile("-", Out.str());
}

/// Reads the archive. A missing one is an error, but for q and r, which
/// create it.
Error ArchiveJob::open() {
  if (Error Err = requireRegularFile(R.Path))
    return Err;
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buffer =
      MemoryBuffer::getFile(R.Path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  bool Creates = R.Op == Operation::QuickAppend || R.Op == Operation::Replace;
  if (!Buffer && Buffer.getError() == std::errc::no_such_file_or_directory && Creates) {
    if (!R.Create)
      warn("creating '" + R.Path + "'");
    return Error::success();
  }
  if (!Buffer)
    return makeError("cannot open '" + R.Path + "': " + Buffer.getError().message());
  Expected<std::unique_ptr<Archive>> Parsed = Archive::create((*Buffer)->getMemBufferRef());
  if (!Parsed)
    return makeError("'" + R.Path + "' is not an archive: " + toString(Parsed.takeError()));
  if (R.Thin && !(*Parsed)->isThin())
    return makeError("'" + R.Path + "' is a regular archive: it cannot become thin");
  R.Thin = (*Parsed)->isThin();
  OldBuffer = std::move(*Buffer);
  Old = std::move(*Parsed);
  return readOldMembers();
}

Error ArchiveJob::readOldMembers() {
  Error Err = Error::success();
  for (const Archive::Child &C : Old->children(Err)) {
    Expected<StringRef> Name = C.getName();
    if (!Name) {
      consumeError(std::move(Err));
      return createFileError(R.Path, Name.takeError());
    }
    OldMembers.push_back({*Name, C});
  }
  if (Err)
    return createFileError(R.Path, std::move(Err));
  return Error::success();
}

/// The name \p File has in the archive: its file name, or in a thin archive
/// its path from the archive's directory (the linker opens it by that path).
std::string ArchiveJob::memberName(StringRef File) const {
  if (!R.Thin)
    return sys::path::filename(File).str();
  if (!sys::path::is_absolute(File)) {
    Expected<std::string> Relative = computeArchiveRelativePath(R.Path, File);
    if (Relative)
      return *Relative;
    consumeError(Relative.takeError());
  }
  return sys::path::convert_to_slash(File);
}

/// The first file not yet claimed that names the member \p MemberName; it is
/// claimed. Each file stands for one member, as in llvm-ar.
std::optional<size_t> ArchiveJob::claimFile(StringRef MemberName,
                                            std::vector<bool> &Claimed) const {
  for (size_t I = 0; I < FileNames.size(); ++I)
    if (!Claimed[I] && FileNames[I] == MemberName) {
      Claimed[I] = true;
      return I;
    }
  return std::nullopt;
}

Error ArchiveJob::checkAllClaimed(const std::vector<bool> &Claimed) const {
  for (size_t I = 0; I < Claimed.size(); ++I)
    if (!Claimed[I])
      return makeError("'" + R.Files[I] + "' is not a member of '" + R.Path + "'");
  return Error::success();
}

/// t, x and p: on the members the files name, or on all when none is named.
Error ArchiveJob::readMembers() {
  if (R.Op == Operation::Extract && R.Thin)
    return makeError("cannot extract from the thin archive '" + R.Path +
                     "': its members are the files it names");
  std::vector<bool> Claimed(R.Files.size());
  for (const OldMember &M : OldMembers) {
    if (!R.Files.empty() && !claimFile(M.Name, Claimed))
      continue;
    Error Err = R.Op == Operation::List      ? list(M)
                : R.Op == Operation::Extract ? extract(M)
                                             : print(M);
    if (Err)
      return Err;
  }
  return checkAllClaimed(Claimed);
}

Error ArchiveJob::list(const OldMember &M) {
  if (R.Verbose)
    if (Error Err = listDetails(M.Child))
      return Err;
  // A thin archive's member names are paths from the archive's directory.
  StringRef Dir = sys::path::parent_path(R.Path);
  if (R.Thin && !Dir.empty() && !sys::path::is_absolute(M.Name))
    Out << sys::path::convert_to_slash(Dir) << '/';
  Out << M.Name << '\n';
  return Error::success();
}

/// `tv`: the mode, owner, size and date before the name, as GNU ar prints them.
Error ArchiveJob::listDetails(const Archive::Child &C) {
  Expected<sys::fs::perms> Mode = C.getAccessMode();
  if (!Mode)
    return Mode.takeError();
  Expected<unsigned> UID = C.getUID();
  if (!UID)
    return UID.takeError();
  Expected<unsigned> GID = C.getGID();
  if (!GID)
    return GID.takeError();
  Expected<uint64_t> Size = C.getSize();
  if (!Size)
    return Size.takeError();
  Expected<sys::TimePoint<std::chrono::seconds>> Date = C.getLastModified();
  if (!Date)
    return Date.takeError();
  for (unsigned Shift : {6, 3, 0}) {
    unsigned Bits = (*Mode >> Shift) & 7;
    Out << (Bits & 4 ? 'r' : '-') << (Bits & 2 ? 'w' : '-') << (Bits & 1 ? 'x' : '-');
  }
  Out << ' ' << *UID << '/' << *GID << ' ' << format("%6llu", (unsigned long long)*Size) << ' '
      << formatv("{0:%b %e %H:%M %Y}", sys::TimePoint<>(*Date)) << ' ';
  return Error::success();
}

/// `x`: the member becomes a file of its name in the current directory, with
/// the mode the archive records.
Error ArchiveJob::extract(const OldMember &M) {
  Expected<StringRef> Data = M.Child.getBuffer();
  if (!Data)
    return createFileError(M.Name, Data.takeError());
  Expected<sys::fs::perms> Mode = M.Child.getAccessMode();
  if (!Mode)
    return createFileError(M.Name, Mode.takeError());
  StringRef Path = sys::path::filename(M.Name);
  note('x', Path);
  if (Error Err = writeOutputFile(Path, *Data))
    return Err;
  if (std::error_code EC = sys::fs::setPermissions(Path, *Mode))
    return createFileError(Path, EC);
  return Error::success();
}

Error ArchiveJob::print(const OldMember &M) {
  Expected<StringRef> Data = M.Child.getBuffer();
  if (!Data)
    return createFileError(M.Name, Data.takeError());
  if (R.Verbose)
    Out << "Printing " << M.Name << '\n';
  Out << *Data;
  return Error::success();
}

/// d, m, q, r and s write the archive anew.
Error ArchiveJob::rewrite() {
  Expected<std::vector<NewArchiveMember>> Members = newMembers();
  if (!Members)
    return Members.takeError();
  return write(*Members);
}

/// The members after the operation: the old ones in order, less the deleted
/// ones (d), with replaced ones in place (r) and moved ones at the end (m),
/// then the files that were not members (q, r).
Expected<std::vector<NewArchiveMember>> ArchiveJob::newMembers() {
  std::vector<NewArchiveMember> Members, Moved;
  std::vector<bool> Claimed(R.Files.size());
  bool Edits = R.Op == Operation::Delete || R.Op == Operation::Move || R.Op == Operation::Replace;
  for (const OldMember &M : OldMembers) {
    std::optional<size_t> File = Edits ? claimFile(M.Name, Claimed) : std::nullopt;
    if (File && R.Op == Operation::Delete) {
      note('d', M.Name);
      continue;
    }
    if (File && R.Op == Operation::Replace) {
      Expected<bool> Keep = keepsMember(M, *File);
      if (!Keep)
        return Keep.takeError();
      if (!*Keep) {
        Expected<NewArchiveMember> New = fileMember(*File);
        if (!New)
          return New.takeError();
        note('r', M.Name);
        Members.push_back(std::move(*New));
        continue;
      }
    }
    Expected<NewArchiveMember> Kept = NewArchiveMember::getOldMember(M.Child, R.Deterministic);
    if (!Kept)
      return createFileError(M.Name, Kept.takeError());
    (File && R.Op == Operation::Move ? Moved : Members).push_back(std::move(*Kept));
  }

  if (R.Op == Operation::Move) {
    if (Error Err = checkAllClaimed(Claimed))
      return Err;
    for (NewArchiveMember &M : Moved) {
      note('m', M.MemberName);
      Members.push_back(std::move(M));
    }
  }
  if (R.Op == Operation::QuickAppend || R.Op == Operation::Replace)
    for (size_t I = 0; I < R.Files.size(); ++I) {
      if (Claimed[I])
        continue;
      Expected<NewArchiveMember> New = fileMember(I);
      if (!New)
        return New.takeError();
      note('a', FileNames[I]);
      Members.push_back(std::move(*New));
    }
  return Members;
}

/// With `u`, a member stays when its file is not newer, to the second the
/// archive records: `ar ruU` after no change keeps every member.
Expected<bool> ArchiveJob::keepsMember(const OldMember &M, size_t File) const {
  if (!R.OnlyNewer)
    return false;
  sys::fs::file_status Status;
  if (std::error_code EC = sys::fs::status(R.Files[File], Status))
    return createFileError(R.Files[File], EC);
  Expected<sys::TimePoint<std::chrono::seconds>> Recorded = M.Child.getLastModified();
  if (!Recorded)
    return createFileError(M.Name, Recorded.takeError());
  return std::chrono::time_point_cast<std::chrono::seconds>(Status.getLastModificationTime()) <=
         *Recorded;
}

/// R.Files[File] as a member: its bytes under its member name, with its date,
/// owner and mode unless deterministic.
Expected<NewArchiveMember> ArchiveJob::fileMember(size_t File) const {
  if (Error Err = requireRegularFile(R.Files[File]))
    return std::move(Err);
  Expected<NewArchiveMember> M = NewArchiveMember::getFile(R.Files[File], R.Deterministic);
  if (!M)
    return createFileError(R.Files[File], M.takeError());
  M->MemberName = FileNames[File];
  return M;
}

/// Writes the archive whole, in the format llvm-ar picks: --format, else GNU
/// for a thin archive, else the old archive's, else the first member's (GNU
/// for ELF objects and Linux bitcode), else the host's.
Error ArchiveJob::write(ArrayRef<NewArchiveMember> Members) {
  Archive::Kind Kind = Archive::getDefaultKind();
  if (R.Format)
    Kind = *R.Format;
  else if (R.Thin)
    Kind = Archive::K_GNU;
  else if (Old)
    Kind = Old->kind();
  else if (!Members.empty())
    Kind = Members.front().detectKindFromObject();
  if (R.Thin && Kind != Archive::K_GNU)
    return makeError("only the gnu format has thin archives");

  Expected<std::unique_ptr<MemoryBuffer>> Data =
      writeArchiveToBuffer(Members, R.Symtab, Kind, R.Deterministic, R.Thin,
                           [&](Error Warning) { warn(toString(std::move(Warning))); });
  if (!Data)
    return createFileError(R.Path, Data.takeError());
  return writeOutputFile(R.Path, (*Data)->getBuffer());
}

/// `v`: one line per member acted on, as GNU ar prints it ("a - foo.o").
void ArchiveJob::note(char Action, StringRef Name) {
  if (R.Verbose)
    Out << Action << " - " << Name << '\n';
}

void ArchiveJob::warn(const Twine &Message) const {
  errs() << ToolName << ": warning: " << Message << "\n";
}

} // namespace

bool isArchiverName(StringRef ProgramName) {
  return namesTool(ProgramName, "ar") || namesTool(ProgramName, "ranlib");
}

int runArchiver(StringRef ToolName, ArrayRef<const char *> Args) {
  auto Fail = [&](Error Err) {
    errs() << ToolName << ": error: " << toString(std::move(Err)) << "\n";
    return 1;
  };
  Expected<std::vector<std::string>> Expanded = expandResponseFiles(Args);
  if (!Expanded)
    return Fail(Expanded.takeError());

  bool Ranlib = namesTool(ToolName, "ranlib");
  for (StringRef Arg : *Expanded) {
    if (Arg == "--help" || Arg == "-h") {
      outs() << formatv(Ranlib ? RanlibHelp : ArHelp, ToolName);
      return 0;
    }
    // ar -v is verbose; ranlib -v, as ar -V, is the version.
    if (Arg == "--version" || Arg == (Ranlib ? "-v" : "-V")) {
      outs() << "pyaket-cc " PYAKET_VERSION " archiver, llvm-ar compatible"
                " (LLVM " LLVM_VERSION_STRING ")\n";
      return 0;
    }
  }

  Expected<std::vector<Request>> Requests =
      Ranlib ? parseRanlibArgs(*Expanded) : parseArArgs(*Expanded);
  if (!Requests)
    return Fail(Requests.takeError());
  for (Request &R : *Requests) {
    // Reading a malformed member's symbols can hit an LLVM fatal error.
    std::string Path = R.Path, Failure;
    runGuarded(
        [&] {
          if (Error Err = ArchiveJob(ToolName, std::move(R)).run())
            Failure = toString(std::move(Err));
          return Failure.empty();
        },
        [&] { return "archiving " + Path; });
    if (!Failure.empty())
      return Fail(makeError(Failure));
  }
  return 0;
}

} // namespace pyaket
