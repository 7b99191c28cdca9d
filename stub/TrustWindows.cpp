//===- TrustWindows.cpp - which directories the launcher may use, on Windows ===//
//
// As on Linux, the install tree must be one that only the user can change.
// At and below the install root no directory may be a link (a junction or a
// symbolic link), and each must be owned by the user, SYSTEM or the
// Administrators, with no write access for anyone else in its ACL. The
// launcher creates its directories with an ACL of its own, protected from
// inheritance: the user, SYSTEM and the Administrators (as 0700 on Linux).
// Above the root, the system's directories are as Windows set them up.
//
//===----------------------------------------------------------------------===//
#include "Trust.h"
#include "PlatformWindows.h"
#include "Support.h"

#include <aclapi.h>
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdlib.h>
#include <string.h>

namespace pyaket {

namespace {
/// The SIDs whose access is the user's own: the user, SYSTEM, the
/// Administrators, and CREATOR OWNER (which stands for the owner).
struct TrustedSids {
  PSID User = nullptr;
  BYTE System[SECURITY_MAX_SID_SIZE], Administrators[SECURITY_MAX_SID_SIZE],
      CreatorOwner[SECURITY_MAX_SID_SIZE];
};
} // namespace

static const TrustedSids &trustedSids() {
  static TrustedSids Sids;
  if (Sids.User)
    return Sids;
  HANDLE Token;
  DWORD Size = 0;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &Token))
    fail("cannot read this process's user: error %lu", GetLastError());
  GetTokenInformation(Token, TokenUser, nullptr, 0, &Size);
  auto *User = static_cast<TOKEN_USER *>(allocate(Size));
  if (!GetTokenInformation(Token, TokenUser, User, Size, &Size))
    fail("cannot read this process's user: error %lu", GetLastError());
  CloseHandle(Token);
  Sids.User = User->User.Sid;
  DWORD Length = SECURITY_MAX_SID_SIZE;
  CreateWellKnownSid(WinLocalSystemSid, nullptr, Sids.System, &Length);
  Length = SECURITY_MAX_SID_SIZE;
  CreateWellKnownSid(WinBuiltinAdministratorsSid, nullptr, Sids.Administrators, &Length);
  Length = SECURITY_MAX_SID_SIZE;
  CreateWellKnownSid(WinCreatorOwnerSid, nullptr, Sids.CreatorOwner, &Length);
  return Sids;
}

static bool isTrustedSid(PSID Sid, bool CreatorOwner) {
  const TrustedSids &T = trustedSids();
  return EqualSid(Sid, T.User) || EqualSid(Sid, PSID(T.System)) ||
         EqualSid(Sid, PSID(T.Administrators)) ||
         (CreatorOwner && EqualSid(Sid, PSID(T.CreatorOwner)));
}

/// Why others could change \p Path, or null when they cannot: its owner
/// is not trusted, or its ACL lets another write.
static const char *untrustedBecause(const char *Path) {
  PSID Owner;
  PACL Dacl;
  PSECURITY_DESCRIPTOR Descriptor;
  if (GetNamedSecurityInfoW(toWidePath(Path), SE_FILE_OBJECT,
                            OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, &Owner,
                            nullptr, &Dacl, nullptr, &Descriptor) != ERROR_SUCCESS)
    return "its owner and permissions cannot be read";
  const char *Problem = nullptr;
  const DWORD Writes = FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_WRITE_EA | FILE_WRITE_ATTRIBUTES |
                       FILE_DELETE_CHILD | DELETE | WRITE_DAC | WRITE_OWNER | GENERIC_WRITE |
                       GENERIC_ALL;
  if (!isTrustedSid(Owner, false))
    Problem = "it belongs to another user";
  else if (!Dacl)
    Problem = "it has no access list, so anyone may write it";
  for (DWORD I = 0; !Problem && I < Dacl->AceCount; ++I) {
    ACCESS_ALLOWED_ACE *Ace;
    if (!GetAce(Dacl, I, reinterpret_cast<void **>(&Ace)) ||
        Ace->Header.AceType != ACCESS_ALLOWED_ACE_TYPE || (Ace->Header.AceFlags & INHERIT_ONLY_ACE))
      continue;
    if ((Ace->Mask & Writes) && !isTrustedSid(PSID(&Ace->SidStart), true))
      Problem = "other users may write it";
  }
  LocalFree(Descriptor);
  return Problem;
}

/// Security attributes for the launcher's directories: full access for the
/// user, SYSTEM and the Administrators, inherited by what they hold, and
/// nothing from the parent.
static SECURITY_ATTRIBUTES *privateAttributes() {
  static SECURITY_ATTRIBUTES Attributes;
  static SECURITY_DESCRIPTOR Descriptor;
  if (Attributes.nLength)
    return &Attributes;
  const TrustedSids &T = trustedSids();
  PSID Owners[] = {T.User, PSID(T.System), PSID(T.Administrators)};
  DWORD Size = sizeof(ACL);
  for (PSID Sid : Owners)
    Size += sizeof(ACCESS_ALLOWED_ACE) + GetLengthSid(Sid);
  auto *Acl = static_cast<PACL>(allocate(Size));
  InitializeAcl(Acl, Size, ACL_REVISION);
  for (PSID Sid : Owners)
    AddAccessAllowedAceEx(Acl, ACL_REVISION, OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE,
                          FILE_ALL_ACCESS, Sid);
  InitializeSecurityDescriptor(&Descriptor, SECURITY_DESCRIPTOR_REVISION);
  SetSecurityDescriptorDacl(&Descriptor, TRUE, Acl, FALSE);
  SetSecurityDescriptorControl(&Descriptor, SE_DACL_PROTECTED, SE_DACL_PROTECTED);
  Attributes = {sizeof(Attributes), &Descriptor, FALSE};
  return &Attributes;
}

char *resolveInstallRoot(const char *Root) {
  // The part that exists as the system names it (links resolved), then the rest.
  size_t Existing = 0;
  for (size_t At = 0; Root[At];) {
    At += strcspn(Root + At, "/");
    if (GetFileAttributesW(toWidePath(formatString("%.*s", int(At), Root))) ==
        INVALID_FILE_ATTRIBUTES)
      break;
    Existing = At;
    At += Root[At] == '/';
  }
  const char *Rest = Root + Existing;
  for (const char *Part = Rest; *Part; Part += strcspn(Part, "/"), Part += *Part == '/')
    if (strncmp(Part, "./", 2) == 0 || strcmp(Part, ".") == 0 || strncmp(Part, "../", 3) == 0 ||
        strcmp(Part, "..") == 0)
      fail("the install directory %s has '.' or '..' after a directory that does not exist: set "
           "WORKSPACE to a plain path", Root);
  if (Existing == 0)
    return formatString("%s", Root);
  HANDLE Handle = CreateFileW(toWidePath(formatString("%.*s", int(Existing), Root)), 0,
                              FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                              OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, nullptr);
  wchar_t Final[32768];
  DWORD Length = Handle == INVALID_HANDLE_VALUE
                     ? 0
                     : GetFinalPathNameByHandleW(Handle, Final, 32768, FILE_NAME_NORMALIZED);
  if (Handle != INVALID_HANDLE_VALUE)
    CloseHandle(Handle);
  if (Length == 0 || Length >= 32768)
    fail("cannot use the install directory %s: error %lu; set WORKSPACE to another directory",
         Root, GetLastError());
  return formatString("%s%s", fromSystemPath(Final), Rest);
}

int openTrustedDirectory(const char *Dir, size_t RootLength, bool Create) {
  // Above the root, the system's directories: made when missing, as they come.
  for (size_t At = 0; Create && At < RootLength; ++At) {
    At += strcspn(Dir + At, "/");
    if (At < RootLength)
      CreateDirectoryW(toWidePath(formatString("%.*s", int(At), Dir)), nullptr);
  }
  // Each directory from the root down.
  for (size_t At = RootLength;; ++At) {
    At += strcspn(Dir + At, "/");
    char *Shown = formatString("%.*s", int(At), Dir);
    if (Create && !CreateDirectoryW(toWidePath(Shown), privateAttributes()) &&
        GetLastError() != ERROR_ALREADY_EXISTS) {
      int Error = errnoFor(GetLastError());
      fail("cannot create directory %s: %s; %s", Shown, strerror(Error), hintFor(Error));
    }
    DWORD Attributes = GetFileAttributesW(toWidePath(Shown));
    if (Attributes == INVALID_FILE_ATTRIBUTES && !Create) {
      errno = ENOENT;
      return -1;
    }
    if (Attributes == INVALID_FILE_ATTRIBUTES || !(Attributes & FILE_ATTRIBUTE_DIRECTORY) ||
        (Attributes & FILE_ATTRIBUTE_REPARSE_POINT))
      fail("%s is a link or not a directory, which the install tree may not hold: remove it, or "
           "set WORKSPACE to another directory", Shown);
    if (const char *Problem = untrustedBecause(Shown))
      fail("%s cannot be trusted (%s), so others could change what the app runs: set WORKSPACE "
           "to a directory of your own", Shown, Problem);
    if (!Dir[At])
      break;
  }
  int Fd = openDirectoryPath(Dir);
  if (Fd < 0)
    fail("cannot open %s: %s; %s", Dir, strerror(errno), hintFor(errno));
  return Fd;
}

int openPrivateFile(int DirFd, const char *Name, const char *Shown, int Flags) {
  DWORD Access = GENERIC_READ | ((Flags & (O_WRONLY | O_RDWR)) ? GENERIC_WRITE : 0);
  HANDLE File = CreateFileW(toWidePath(pathAt(DirFd, Name)), Access,
                            FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                            (Flags & O_CREAT) ? OPEN_ALWAYS : OPEN_EXISTING,
                            FILE_FLAG_OPEN_REPARSE_POINT, nullptr);
  if (File == INVALID_HANDLE_VALUE) {
    int Error = errnoFor(GetLastError());
    DWORD Attributes = GetFileAttributesW(toWidePath(pathAt(DirFd, Name)));
    if (Attributes != INVALID_FILE_ATTRIBUTES && (Attributes & FILE_ATTRIBUTE_DIRECTORY))
      fail("%s is a directory, where the launcher keeps a file: remove it", Shown);
    fail("cannot open %s: %s; %s", Shown, strerror(Error), hintFor(Error));
  }
  BY_HANDLE_FILE_INFORMATION Info;
  if (!GetFileInformationByHandle(File, &Info) ||
      (Info.dwFileAttributes & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT)) ||
      Info.nNumberOfLinks != 1)
    fail("%s is not a file the launcher wrote (a link, a directory or linked elsewhere): remove "
         "it", Shown);
  return descriptorFor(File, (Flags & (O_WRONLY | O_RDWR)) ? _O_RDWR | (Flags & O_APPEND ? _O_APPEND : 0)
                                                           : _O_RDONLY);
}

bool isTrustedFile(int DirFd, const char *Name, const char *Shown, unsigned long long &Size) {
  WIN32_FILE_ATTRIBUTE_DATA Data;
  if (!GetFileAttributesExW(toWidePath(pathAt(DirFd, Name)), GetFileExInfoStandard, &Data)) {
    errno = ENOENT;
    return false;
  }
  if (Data.dwFileAttributes & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT))
    fail("%s is not a file the launcher wrote (a link or a directory): remove it", Shown);
  Size = (unsigned long long)Data.nFileSizeHigh << 32 | Data.nFileSizeLow;
  return true;
}

FILE *openTrustedDotEnvFile(const char *Name) {
  WIN32_FILE_ATTRIBUTE_DATA Data;
  if (!GetFileAttributesExW(toWidePath(Name), GetFileExInfoStandard, &Data))
    return nullptr;
  long long Size = (long long)Data.nFileSizeHigh << 32 | Data.nFileSizeLow;
  const char *Problem = Data.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT ? "a symbolic link"
                        : Data.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY   ? "not a file"
                        : untrustedBecause(Name)                             ? "others may write it"
                        : Size > MaxDotEnvSize                              ? "larger than 1 MB"
                                                                             : nullptr;
  FILE *File = Problem ? nullptr : _wfopen(toWidePath(Name), L"rb");
  if (Problem)
    fprintf(stderr, "pyaket: ignoring %s: %s\n", Name, Problem);
  return File;
}

bool isWorkingDirectoryPrivate() { return !untrustedBecause("."); }

} // namespace pyaket
