//===- PlatformWindows.cpp - the launcher on Windows (Win32, mingw-w64) ---===//
//
// Paths stay UTF-8 with '/' inside the launcher and become UTF-16 at each
// Win32 call, absolute ones as \\?\ paths so that they may pass MAX_PATH.
// Directories are C library descriptors over handles opened without
// following links; their locks are sidecar files ("<dir>.lock") locked with
// LockFileEx, since Windows locks no directory. Windows has no exec: the
// app runs as a child in a job object that dies with the launcher, which
// ignores Ctrl-C (the child gets it from the console) and exits with the
// child's code.
//
//===----------------------------------------------------------------------===//
#include "Payload.h"
#include "PayloadFormat.h"
#include "Platform.h"
#include "PlatformWindows.h"
#include "Support.h"

#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

namespace pyaket {

const char VenvPython[] = "Scripts/python.exe", VenvWindowedPython[] = "Scripts/pythonw.exe",
           VenvScripts[] = "Scripts", UvProgram[] = "uv.exe";
const char PathListSeparator = ';';
const size_t MaxPathLength = 32767, MaxProgramPathLength = MAX_PATH - 1;
const int WorkingDirectory = -100;

wchar_t *toWide(const char *Text) {
  int Length = MultiByteToWideChar(CP_UTF8, 0, Text, -1, nullptr, 0);
  wchar_t *Wide = static_cast<wchar_t *>(allocate(size_t(Length > 0 ? Length : 1) * sizeof(wchar_t)));
  if (Length <= 0 || !MultiByteToWideChar(CP_UTF8, 0, Text, -1, Wide, Length))
    Wide[0] = 0;
  return Wide;
}

char *toUtf8(const wchar_t *Wide) {
  int Length = WideCharToMultiByte(CP_UTF8, 0, Wide, -1, nullptr, 0, nullptr, nullptr);
  char *Text = static_cast<char *>(allocate(size_t(Length > 0 ? Length : 1)));
  if (Length <= 0 || !WideCharToMultiByte(CP_UTF8, 0, Wide, -1, Text, Length, nullptr, nullptr))
    Text[0] = 0;
  return Text;
}

bool isAbsoluteWindowsPath(const char *Path) {
  return (((Path[0] | 0x20) >= 'a' && (Path[0] | 0x20) <= 'z') && Path[1] == ':' &&
          (Path[2] == '/' || Path[2] == '\\')) ||
         ((Path[0] == '/' || Path[0] == '\\') && (Path[1] == '/' || Path[1] == '\\'));
}

char *normalSeparators(char *Path) {
  char *Out = Path;
  for (const char *C = Path; *C; ++C) {
    bool Separator = *C == '/' || *C == '\\';
    if (!(Separator && Out > Path + 1 && Out[-1] == '/'))
      *Out++ = Separator ? '/' : *C;
  }
  while (Out - Path > 3 && Out[-1] == '/')
    --Out;
  *Out = '\0';
  return Path;
}

char *fromSystemPath(const wchar_t *Path) {
  char *Text = toUtf8(Path);
  if (strncmp(Text, "\\\\?\\UNC\\", 8) == 0)
    Text = formatString("//%s", Text + 8);
  else if (strncmp(Text, "\\\\?\\", 4) == 0)
    Text += 4;
  return normalSeparators(Text);
}

wchar_t *toWidePath(const char *Path) {
  // One '\' between components (\\?\ takes "a\\b" as it is).
  char *Native = normalSeparators(formatString("%s", Path));
  for (char *C = Native; *C; ++C)
    if (*C == '/')
      *C = '\\';
  if (!isAbsoluteWindowsPath(Path))
    return toWide(Native);
  // \\?\ takes the path as it is: no MAX_PATH, no '/', no "." or "..".
  bool Unc = Native[0] == '\\';
  return toWide(formatString("%s%s", Unc ? "\\\\?\\UNC\\" : "\\\\?\\", Native + (Unc ? 2 : 0)));
}

int errnoFor(DWORD Error) {
  switch (Error) {
  case ERROR_FILE_NOT_FOUND:
  case ERROR_PATH_NOT_FOUND:
  case ERROR_INVALID_NAME:
    return ENOENT;
  case ERROR_FILE_EXISTS:
  case ERROR_ALREADY_EXISTS:
    return EEXIST;
  case ERROR_ACCESS_DENIED:
  case ERROR_SHARING_VIOLATION:
  case ERROR_PRIVILEGE_NOT_HELD:
    return EACCES;
  case ERROR_WRITE_PROTECT:
    return EROFS;
  case ERROR_DISK_FULL:
  case ERROR_HANDLE_DISK_FULL:
    return ENOSPC;
  case ERROR_FILENAME_EXCED_RANGE:
    return ENAMETOOLONG;
  case ERROR_DIRECTORY:
    return ENOTDIR;
  case ERROR_DIR_NOT_EMPTY:
    return ENOTEMPTY;
  case ERROR_LOCK_VIOLATION:
    return EWOULDBLOCK;
  case ERROR_BAD_EXE_FORMAT:
  case ERROR_EXE_MACHINE_TYPE_MISMATCH:
    return ENOEXEC;
  case ERROR_NOT_ENOUGH_MEMORY:
  case ERROR_OUTOFMEMORY:
    return ENOMEM;
  default:
    return EIO;
  }
}

/// Sets errno from GetLastError(); returns \p Result.
template <typename T> static T withErrno(T Result) {
  errno = errnoFor(GetLastError());
  return Result;
}

int descriptorFor(HANDLE Handle, int Flags) {
  int Fd = _open_osfhandle(intptr_t(Handle), Flags | _O_BINARY);
  if (Fd < 0)
    CloseHandle(Handle);
  return Fd;
}

static HANDLE handleOf(int Fd) { return HANDLE(_get_osfhandle(Fd)); }

void startPlatform(int &Argc, char **&Argv) {
  SetConsoleOutputCP(CP_UTF8);
  int Count;
  wchar_t **Wide = CommandLineToArgvW(GetCommandLineW(), &Count);
  if (!Wide)
    return;
  Argv = static_cast<char **>(allocate((size_t(Count) + 1) * sizeof(char *)));
  for (int I = 0; I < Count; ++I)
    Argv[I] = toUtf8(Wide[I]);
  Argv[Count] = nullptr;
  Argc = Count;
  LocalFree(Wide);
}

void showFailure(const char *Title, const char *Message) {
  if (!GetConsoleWindow())
    MessageBoxW(nullptr, toWide(Message), toWide(Title), MB_OK | MB_ICONERROR);
}

char *executablePath() {
  wchar_t *Path = static_cast<wchar_t *>(allocate(32768 * sizeof(wchar_t)));
  DWORD Length = GetModuleFileNameW(nullptr, Path, 32768);
  if (Length == 0 || Length >= 32768)
    fail("cannot find this executable's path: error %lu", GetLastError());
  return fromSystemPath(Path);
}

/// The image's section headers, as the loader mapped them.
static IMAGE_SECTION_HEADER *sectionHeaders(size_t &Count) {
  auto *Base = reinterpret_cast<unsigned char *>(GetModuleHandleW(nullptr));
  auto *Dos = reinterpret_cast<IMAGE_DOS_HEADER *>(Base);
  auto *Nt = reinterpret_cast<IMAGE_NT_HEADERS *>(Base + Dos->e_lfanew);
  Count = Nt->FileHeader.NumberOfSections;
  return IMAGE_FIRST_SECTION(Nt);
}

void checkExecutableComplete() {
  size_t Count;
  IMAGE_SECTION_HEADER *Sections = sectionHeaders(Count);
  unsigned long long End = 0;
  for (size_t I = 0; I < Count; ++I)
    if (Sections[I].PointerToRawData + Sections[I].SizeOfRawData > End)
      End = Sections[I].PointerToRawData + Sections[I].SizeOfRawData;
  char *Exe = executablePath();
  WIN32_FILE_ATTRIBUTE_DATA Data;
  if (!GetFileAttributesExW(toWidePath(Exe), GetFileExInfoStandard, &Data))
    fail("cannot read this executable (%s): error %lu", Exe, GetLastError());
  unsigned long long Size = (unsigned long long)Data.nFileSizeHigh << 32 | Data.nFileSizeLow;
  if (Size < End)
    fail("this executable is truncated (%llu of %llu bytes): %s", Size, End, RebuildHint);
}

void payloadSection(PayloadKind Kind, const unsigned char *&Data, size_t &Size) {
  static const char *const Names[] = {WindowsConfigSection, WindowsUvSection,
                                      WindowsWheelsSection};
  size_t Count;
  IMAGE_SECTION_HEADER *Sections = sectionHeaders(Count);
  auto *Base = reinterpret_cast<const unsigned char *>(GetModuleHandleW(nullptr));
  Data = Base;
  Size = 0;
  for (size_t I = 0; I < Count; ++I)
    if (strncmp(reinterpret_cast<const char *>(Sections[I].Name), Names[int(Kind)], 8) == 0) {
      Data = Base + Sections[I].VirtualAddress;
      Size = Sections[I].Misc.VirtualSize;
    }
}

/// \p Workspace as an absolute path: relative to the working directory,
/// now (the venv's paths must not move).
static char *workspaceRoot(const char *Workspace) {
  wchar_t *Wide = toWide(Workspace);
  DWORD Length = GetFullPathNameW(Wide, 0, nullptr, nullptr);
  wchar_t *Full = static_cast<wchar_t *>(allocate((Length + 1) * sizeof(wchar_t)));
  if (Length == 0 || GetFullPathNameW(Wide, Length + 1, Full, nullptr) == 0)
    fail("cannot use WORKSPACE=%s: error %lu; set it to an absolute path", Workspace,
         GetLastError());
  return fromSystemPath(Full);
}

char *requestedInstallRoot(const Config &C) {
  const char *Workspace = readEnvironment("WORKSPACE");
  const char *LocalAppData = readEnvironment("LOCALAPPDATA");
  if (Workspace && *Workspace) {
    char *Root = workspaceRoot(Workspace);
    if (strlen(Root) <= 3) // "C:/": a drive holds more than one user's files
      fail("WORKSPACE=%s is a drive's root: set it to a directory of your own (e.g. %s/Apps)",
           Workspace, formatString("%.2s", Root));
    return Root;
  }
  if (LocalAppData && isAbsoluteWindowsPath(LocalAppData))
    return normalSeparators(formatString("%s/%s", LocalAppData, C.Vendor));
  fail("neither WORKSPACE nor LOCALAPPDATA is set to an absolute path: set WORKSPACE to where %s "
       "may install", C.Name);
}

double monotonicSeconds() {
  LARGE_INTEGER Now, Frequency;
  QueryPerformanceCounter(&Now);
  QueryPerformanceFrequency(&Frequency);
  return double(Now.QuadPart) / double(Frequency.QuadPart);
}

void sleepMilliseconds(int Milliseconds) { Sleep(DWORD(Milliseconds)); }

int currentProcessId() { return int(GetCurrentProcessId()); }

/// A name no other run picks: the pid, the time and a count.
static char *uniqueSuffix() {
  static unsigned Count;
  return formatString("%lx%llx%x", GetCurrentProcessId(), (unsigned long long)GetTickCount64(),
                      ++Count);
}

int openTempFile(const char *Target, char *&Temp) {
  for (;;) {
    Temp = formatString("%s.tmp.%s", Target, uniqueSuffix());
    HANDLE File = CreateFileW(toWidePath(Temp), GENERIC_READ | GENERIC_WRITE, 0, nullptr,
                              CREATE_NEW, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (File != INVALID_HANDLE_VALUE)
      return descriptorFor(File, _O_RDWR);
    if (GetLastError() != ERROR_FILE_EXISTS) {
      int Error = errnoFor(GetLastError());
      fail("cannot write %s: %s; %s", Target, strerror(Error), hintFor(Error));
    }
  }
}

void syncParentDirectory(const char *) {} // MOVEFILE_WRITE_THROUGH did it

void commitTempFile(int Fd, const char *Temp, const char *Target, int) {
  bool Ok = FlushFileBuffers(handleOf(Fd)) != 0;
  int Error = errnoFor(GetLastError());
  Ok = close(Fd) == 0 && Ok;
  if (!Ok || !MoveFileExW(toWidePath(Temp), toWidePath(Target),
                          MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
    Error = Ok ? errnoFor(GetLastError()) : Error;
    DeleteFileW(toWidePath(Temp));
    fail("cannot write %s: %s; %s", Target, strerror(Error), hintFor(Error));
  }
}

/// Removes \p Path, a link (junction or symbolic link) or an empty
/// directory or a file, never following it.
static bool removeOne(const char *Path, DWORD Attributes) {
  wchar_t *Wide = toWidePath(Path);
  if (Attributes & FILE_ATTRIBUTE_READONLY)
    SetFileAttributesW(Wide, Attributes & ~DWORD(FILE_ATTRIBUTE_READONLY));
  bool Ok = Attributes & FILE_ATTRIBUTE_DIRECTORY ? RemoveDirectoryW(Wide) : DeleteFileW(Wide);
  return Ok || withErrno(false);
}

bool removeTree(const char *Dir) {
  DWORD Attributes = GetFileAttributesW(toWidePath(Dir));
  if (Attributes == INVALID_FILE_ATTRIBUTES)
    return GetLastError() == ERROR_FILE_NOT_FOUND || GetLastError() == ERROR_PATH_NOT_FOUND ||
           withErrno(false);
  if ((Attributes & FILE_ATTRIBUTE_DIRECTORY) && !(Attributes & FILE_ATTRIBUTE_REPARSE_POINT)) {
    WIN32_FIND_DATAW Entry;
    HANDLE Find = FindFirstFileExW(toWidePath(formatString("%s/*", Dir)), FindExInfoBasic, &Entry,
                                   FindExSearchNameMatch, nullptr, 0);
    bool Ok = true;
    for (bool More = Find != INVALID_HANDLE_VALUE; More; More = FindNextFileW(Find, &Entry)) {
      char *Name = toUtf8(Entry.cFileName);
      if (strcmp(Name, ".") && strcmp(Name, ".."))
        Ok = removeTree(formatString("%s/%s", Dir, Name)) && Ok;
    }
    if (Find != INVALID_HANDLE_VALUE)
      FindClose(Find);
    if (!Ok)
      return false;
  }
  return removeOne(Dir, Attributes);
}

int createNewFile(const char *Path) {
  HANDLE File = CreateFileW(toWidePath(Path), GENERIC_WRITE, 0, nullptr, CREATE_NEW,
                            FILE_ATTRIBUTE_NORMAL, nullptr);
  return File == INVALID_HANDLE_VALUE ? withErrno(-1) : descriptorFor(File, _O_WRONLY);
}

char *makeTemporaryDirectory(const char *Parent, const char *Prefix) {
  for (;;) {
    char *Dir = formatString("%s/%s%s", Parent, Prefix, uniqueSuffix());
    if (CreateDirectoryW(toWidePath(Dir), nullptr))
      return Dir;
    if (GetLastError() != ERROR_ALREADY_EXISTS) {
      int Error = errnoFor(GetLastError());
      fail("cannot create a temporary directory in %s: %s; %s", Parent, strerror(Error),
           hintFor(Error));
    }
  }
}

// The directories open as descriptors: their paths (Windows has no openat)
// and the sidecar files that hold their locks.
namespace {
struct OpenDirectory {
  int Fd = -1;
  char *Path = nullptr;
  HANDLE Lock = INVALID_HANDLE_VALUE;
};
OpenDirectory *Directories;
size_t DirectoryCount;
} // namespace

static OpenDirectory *directoryOf(int Fd) {
  for (size_t I = 0; I < DirectoryCount; ++I)
    if (Directories[I].Fd == Fd)
      return &Directories[I];
  return nullptr;
}

char *pathAt(int DirFd, const char *Name) {
  OpenDirectory *Dir = directoryOf(DirFd);
  if (DirFd == WorkingDirectory || isAbsoluteWindowsPath(Name) || !Dir)
    return formatString("%s", Name);
  return formatString("%s/%s", Dir->Path, Name);
}

int openDirectoryPath(const char *Path) {
  HANDLE Handle = CreateFileW(toWidePath(Path), FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES,
                              FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                              OPEN_EXISTING,
                              FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, nullptr);
  if (Handle == INVALID_HANDLE_VALUE)
    return withErrno(-1);
  BY_HANDLE_FILE_INFORMATION Info;
  if (!GetFileInformationByHandle(Handle, &Info) ||
      !(Info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) ||
      (Info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT)) {
    CloseHandle(Handle);
    errno = ENOTDIR;
    return -1;
  }
  int Fd = descriptorFor(Handle, _O_RDONLY);
  if (Fd < 0)
    return -1;
  Directories = static_cast<OpenDirectory *>(
      realloc(Directories, (DirectoryCount + 1) * sizeof(OpenDirectory)));
  if (!Directories)
    fail("out of memory");
  Directories[DirectoryCount++] = {Fd, formatString("%s", Path), INVALID_HANDLE_VALUE};
  return Fd;
}

int openDirectoryAt(int DirFd, const char *Name) { return openDirectoryPath(pathAt(DirFd, Name)); }

void closeDirectory(int DirFd) {
  if (DirFd < 0)
    return;
  OpenDirectory *Dir = directoryOf(DirFd);
  close(DirFd); // first: a removed directory is gone only once no handle holds it
  if (!Dir)
    return;
  if (Dir->Lock != INVALID_HANDLE_VALUE) {
    CloseHandle(Dir->Lock);
    // A removed build's lock goes with it.
    if (GetFileAttributesW(toWidePath(Dir->Path)) == INVALID_FILE_ATTRIBUTES)
      DeleteFileW(toWidePath(formatString("%s.lock", Dir->Path)));
  }
  *Dir = Directories[--DirectoryCount];
}

bool readSmallFileAt(int DirFd, const char *Name, char *Text, size_t Capacity,
                     uint64_t *Written) {
  Text[0] = '\0';
  HANDLE File = CreateFileW(toWidePath(pathAt(DirFd, Name)), GENERIC_READ,
                            FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                            OPEN_EXISTING, FILE_FLAG_OPEN_REPARSE_POINT, nullptr);
  if (File == INVALID_HANDLE_VALUE)
    return false;
  BY_HANDLE_FILE_INFORMATION Info;
  DWORD Got = 0;
  bool Ok = GetFileInformationByHandle(File, &Info) &&
            !(Info.dwFileAttributes & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT)) &&
            ReadFile(File, Text, DWORD(Capacity - 1), &Got, nullptr);
  CloseHandle(File);
  Text[Ok ? Got : 0] = '\0';
  if (Written && Ok)
    *Written = uint64_t(Info.ftLastWriteTime.dwHighDateTime) << 32 | Info.ftLastWriteTime.dwLowDateTime;
  return Ok && Got > 0;
}

bool removeFileAt(int DirFd, const char *Name) {
  char *Path = pathAt(DirFd, Name);
  DWORD Attributes = GetFileAttributesW(toWidePath(Path));
  if (Attributes == INVALID_FILE_ATTRIBUTES)
    return withErrno(false);
  return removeOne(Path, Attributes);
}

bool tryLock(int Fd, bool Exclusive) {
  HANDLE Handle = handleOf(Fd);
  if (OpenDirectory *Dir = directoryOf(Fd)) {
    if (Dir->Lock == INVALID_HANDLE_VALUE)
      Dir->Lock = CreateFileW(toWidePath(formatString("%s.lock", Dir->Path)),
                              GENERIC_READ | GENERIC_WRITE,
                              FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                              OPEN_ALWAYS, FILE_FLAG_OPEN_REPARSE_POINT, nullptr);
    if (Dir->Lock == INVALID_HANDLE_VALUE)
      return withErrno(false);
    Handle = Dir->Lock;
  }
  OVERLAPPED At = {};
  DWORD Flags = LOCKFILE_FAIL_IMMEDIATELY | (Exclusive ? LOCKFILE_EXCLUSIVE_LOCK : 0);
  return LockFileEx(Handle, Flags, 0, 1, 0, &At) || withErrno(false);
}

void inheritByChildren(int Fd) {
  SetHandleInformation(handleOf(Fd), HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
  if (OpenDirectory *Dir = directoryOf(Fd))
    if (Dir->Lock != INVALID_HANDLE_VALUE)
      SetHandleInformation(Dir->Lock, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
}

struct Listing {
  int Fd;
  HANDLE Find;
  WIN32_FIND_DATAW Entry;
  bool Fresh; // Entry holds the first entry, not yet returned
};

static void startListing(Listing *L) {
  L->Find = FindFirstFileExW(toWidePath(pathAt(L->Fd, "*")), FindExInfoBasic, &L->Entry,
                             FindExSearchNameMatch, nullptr, 0);
  L->Fresh = L->Find != INVALID_HANDLE_VALUE;
}

Listing *openListing(int DirFd, const char *Name) {
  int Fd = openDirectoryAt(DirFd, Name);
  if (Fd < 0)
    return nullptr;
  Listing *L = static_cast<Listing *>(allocate(sizeof(Listing)));
  L->Fd = Fd;
  startListing(L);
  return L;
}

int listingDirectory(Listing *L) { return L->Fd; }

const char *nextEntry(Listing *L) {
  while (L->Find != INVALID_HANDLE_VALUE) {
    if (!L->Fresh && !FindNextFileW(L->Find, &L->Entry))
      return nullptr;
    L->Fresh = false;
    char *Name = toUtf8(L->Entry.cFileName);
    if (strcmp(Name, ".") && strcmp(Name, ".."))
      return Name;
  }
  return nullptr;
}

void rewindListing(Listing *L) {
  if (L->Find != INVALID_HANDLE_VALUE)
    FindClose(L->Find);
  startListing(L);
}

void closeListing(Listing *L) {
  if (L->Find != INVALID_HANDLE_VALUE)
    FindClose(L->Find);
  closeDirectory(L->Fd);
  free(L);
}

EntryType entryType(const char *Path) {
  DWORD Attributes = GetFileAttributesW(toWidePath(Path));
  return Attributes == INVALID_FILE_ATTRIBUTES             ? EntryType::Missing
         : Attributes & FILE_ATTRIBUTE_REPARSE_POINT       ? EntryType::Link
         : Attributes & FILE_ATTRIBUTE_DIRECTORY           ? EntryType::Directory
                                                           : EntryType::File;
}

bool pathExists(const char *Path) {
  HANDLE Handle = CreateFileW(toWidePath(Path), FILE_READ_ATTRIBUTES,
                              FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                              OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, nullptr);
  if (Handle == INVALID_HANDLE_VALUE)
    return false;
  CloseHandle(Handle);
  return true;
}

bool isProgram(const char *Path) { return entryType(Path) == EntryType::File; }

bool isDiskFull(const char *Dir) {
  ULARGE_INTEGER Free;
  return GetDiskFreeSpaceExW(toWidePath(Dir), &Free, nullptr, nullptr) &&
         Free.QuadPart < 1024 * 1024;
}

void publishLink(const char *, const char *) {} // links need a privilege on Windows

char **environmentEntries() {
  wchar_t *Block = GetEnvironmentStringsW();
  size_t Count = 0;
  for (wchar_t *Entry = Block; *Entry; Entry += wcslen(Entry) + 1)
    ++Count;
  char **Entries = static_cast<char **>(allocate((Count + 1) * sizeof(char *)));
  Count = 0;
  for (wchar_t *Entry = Block; *Entry; Entry += wcslen(Entry) + 1)
    if (*Entry != L'=') // "=C:=C:\dir", the drives' working directories
      Entries[Count++] = toUtf8(Entry);
  Entries[Count] = nullptr;
  FreeEnvironmentStringsW(Block);
  return Entries;
}

const char *readEnvironment(const char *Name) {
  wchar_t *WideName = toWide(Name);
  DWORD Length = GetEnvironmentVariableW(WideName, nullptr, 0);
  if (Length == 0)
    return nullptr;
  wchar_t *Value = static_cast<wchar_t *>(allocate(Length * sizeof(wchar_t)));
  if (GetEnvironmentVariableW(WideName, Value, Length) >= Length)
    return nullptr;
  return toUtf8(Value);
}

void setEnvironment(const char *Name, const char *Value) {
  SetEnvironmentVariableW(toWide(Name), toWide(Value));
}

void unsetEnvironment(const char *Name) { SetEnvironmentVariableW(toWide(Name), nullptr); }

/// One argument as the C runtime's parser (CommandLineToArgvW) reads it
/// back: quoted when it holds a blank or a quote or is empty; backslashes
/// doubled before a quote, and quotes escaped.
static void appendArgument(char *&Line, const char *Arg) {
  bool Quote = !*Arg || strpbrk(Arg, " \t\n\v\"");
  size_t Length = strlen(Line);
  char *Out = static_cast<char *>(allocate(Length + 2 * strlen(Arg) + 4));
  memcpy(Out, Line, Length);
  char *At = Out + Length;
  if (Length)
    *At++ = ' ';
  if (Quote)
    *At++ = '"';
  for (const char *C = Arg;; ++C) {
    size_t Backslashes = 0;
    for (; *C == '\\'; ++C)
      ++Backslashes;
    // Before a quote (one of the argument's or the closing one) they double.
    bool BeforeQuote = *C == '"' || (!*C && Quote);
    for (size_t I = 0; I < Backslashes * (BeforeQuote ? 2 : 1); ++I)
      *At++ = '\\';
    if (!*C)
      break;
    if (*C == '"')
      *At++ = '\\';
    *At++ = *C;
  }
  if (Quote)
    *At++ = '"';
  *At = '\0';
  free(Line);
  Line = Out;
}

wchar_t *commandLine(const char *const *Argv) {
  char *Line = static_cast<char *>(allocate(1));
  *Line = '\0';
  for (; *Argv; ++Argv)
    appendArgument(Line, *Argv);
  return toWide(Line);
}

/// "NAME=value\0...\0\0" in UTF-16, for CreateProcessW.
static wchar_t *environmentBlock(char **Env) {
  size_t Length = 1;
  for (char **Entry = Env; *Entry; ++Entry)
    Length += strlen(*Entry) + 1; // UTF-16 takes no more units than UTF-8 bytes
  wchar_t *Block = static_cast<wchar_t *>(allocate(Length * sizeof(wchar_t)));
  wchar_t *At = Block;
  for (char **Entry = Env; *Entry; ++Entry) {
    int Units = MultiByteToWideChar(CP_UTF8, 0, *Entry, -1, At, int(Block + Length - At));
    At += Units > 0 ? Units : 0;
  }
  *At = L'\0';
  return Block;
}

/// A job that kills its processes when the launcher ends, however it ends
/// (its one handle is the launcher's).
static HANDLE killOnCloseJob() {
  static HANDLE Job = [] {
    HANDLE Created = CreateJobObjectW(nullptr, nullptr);
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION Limits = {};
    Limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    if (Created)
      SetInformationJobObject(Created, JobObjectExtendedLimitInformation, &Limits, sizeof(Limits));
    return Created;
  }();
  return Job;
}

/// The launcher joins the job before it starts a child, which is then in
/// it from its first instant: no moment when killing the launcher leaves
/// the child behind. (Where the launcher may not join, each child is put
/// in the job as soon as it exists.)
static bool joinJob() {
  static bool Joined = AssignProcessToJobObject(killOnCloseJob(), GetCurrentProcess());
  return Joined;
}

/// An inheritable copy of \p Handle, for a child's standard handles.
static HANDLE inheritable(HANDLE Handle) {
  HANDLE Copy = nullptr;
  DuplicateHandle(GetCurrentProcess(), Handle, GetCurrentProcess(), &Copy, 0, TRUE,
                  DUPLICATE_SAME_ACCESS);
  return Copy;
}

/// Starts \p Program in a kill-on-close job; its standard output and error
/// go to \p Output when it is not null. Null with errno set when it cannot.
static HANDLE startProcess(const char *Program, const char *const *Argv, char **Env,
                           HANDLE Output) {
  // The launcher's own standard handles unless told otherwise: a windowed
  // launcher has no console for its children to inherit them from.
  STARTUPINFOW Startup = {};
  Startup.cb = sizeof(Startup);
  Startup.dwFlags = STARTF_USESTDHANDLES;
  Startup.hStdInput = inheritable(GetStdHandle(STD_INPUT_HANDLE));
  Startup.hStdOutput = inheritable(Output ? Output : GetStdHandle(STD_OUTPUT_HANDLE));
  Startup.hStdError = inheritable(Output ? Output : GetStdHandle(STD_ERROR_HANDLE));
  bool JoinedJob = joinJob();
  PROCESS_INFORMATION Process;
  // Without a console (windowed), a console child would open a window of its own.
  DWORD NoWindow = GetConsoleWindow() ? 0 : CREATE_NO_WINDOW;
  bool Started = CreateProcessW(toWidePath(Program), commandLine(Argv), nullptr, nullptr, TRUE,
                                CREATE_SUSPENDED | CREATE_UNICODE_ENVIRONMENT | NoWindow,
                                Env ? environmentBlock(Env) : nullptr, nullptr, &Startup,
                                &Process);
  DWORD Error = GetLastError();
  HANDLE Standard[] = {Startup.hStdInput, Startup.hStdOutput, Startup.hStdError};
  for (HANDLE Handle : Standard)
    if (Handle)
      CloseHandle(Handle);
  if (!Started) {
    errno = errnoFor(Error);
    return nullptr;
  }
  if (!JoinedJob)
    AssignProcessToJobObject(killOnCloseJob(), Process.hProcess);
  ResumeThread(Process.hThread);
  CloseHandle(Process.hThread);
  return Process.hProcess;
}

static DWORD waitForExit(HANDLE Process) {
  DWORD Code = 1;
  WaitForSingleObject(Process, INFINITE);
  GetExitCodeProcess(Process, &Code);
  CloseHandle(Process);
  return Code;
}

ChildEnd runChild(const char *Program, const char *const *Argv, char **Env, int OutputFd) {
  ChildEnd End;
  HANDLE Read = nullptr, Write = nullptr;
  if (OutputFd < 0 && !CreatePipe(&Read, &Write, nullptr, 0)) {
    End.StartError = errnoFor(GetLastError());
    return End;
  }
  HANDLE Process = startProcess(Program, Argv, Env, OutputFd >= 0 ? handleOf(OutputFd) : Write);
  End.StartError = Process ? 0 : errno;
  if (Write)
    CloseHandle(Write);
  if (Read) {
    char Output[4096], Last[4096] = "";
    DWORD Got;
    while (Process && ReadFile(Read, Output, sizeof(Output) - 1, &Got, nullptr) && Got) {
      Output[Got] = '\0';
      for (char *Line = strtok(Output, "\r\n"); Line; Line = strtok(nullptr, "\r\n"))
        snprintf(Last, sizeof(Last), "%s", Line);
    }
    CloseHandle(Read);
    End.LastLine = formatString("%s", Last);
  }
  if (Process)
    End.Code = int(waitForExit(Process));
  return End;
}

/// Ctrl-C and Ctrl-Break reach the app from the console: the launcher
/// waits for it to decide.
static BOOL WINAPI ignoreControlEvent(DWORD) { return TRUE; }

/// \p Name found as the search of a command would find it: on PATH, with
/// the extensions of PATHEXT's first entry (.exe).
static char *findProgram(const char *Name) {
  if (strpbrk(Name, "/\\:"))
    return formatString("%s", Name);
  const char *Path = readEnvironment("PATH");
  wchar_t Found[32768];
  if (!SearchPathW(Path ? toWide(Path) : nullptr, toWide(Name), L".exe", 32768, Found, nullptr))
    return formatString("%s", Name);
  return fromSystemPath(Found);
}

void runApp(char **Argv, char **Env, bool SearchPath, int HeldFd) {
  (void)HeldFd; // held by this process, which lives as long as the app
  char *Program = SearchPath ? findProgram(Argv[0]) : Argv[0];
  SetConsoleCtrlHandler(ignoreControlEvent, TRUE);
  HANDLE Process = startProcess(Program, Argv, Env ? Env : environmentEntries(), nullptr);
  if (!Process) {
    SetConsoleCtrlHandler(ignoreControlEvent, FALSE);
    return;
  }
  fflush(stdout);
  ExitProcess(waitForExit(Process));
}

} // namespace pyaket
