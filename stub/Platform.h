//===- Platform.h - what the launcher asks of the system --------*- C++ -*-===//
//
// The launcher's logic (Launcher, Install, Uv, Payload, ...) is shared by
// every target; what differs between Linux and Windows is here, with one
// implementation each: PlatformPosix.cpp and PlatformWindows.cpp (and the
// trust checks, TrustPosix.cpp and TrustWindows.cpp). pyaket-cc compiles
// those of the target.
//
// Paths are UTF-8 with '/' between components on both (Win32 takes '/'
// too). Files and directories are C library descriptors on both (on Windows
// they wrap Win32 handles); directories are closed with closeDirectory().
//
//===----------------------------------------------------------------------===//
#ifndef PYAKET_STUB_PLATFORM_H
#define PYAKET_STUB_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

namespace pyaket {

struct Config;

/// The venv's interpreter (and the one a windowed app runs: pythonw.exe on
/// Windows) and scripts directory, relative to the venv; uv's file name; the
/// separator of PATH's entries.
extern const char VenvPython[], VenvWindowedPython[], VenvScripts[], UvProgram[];
extern const char PathListSeparator;
/// The longest path the system takes, and the longest it starts a program
/// from (Windows' CreateProcess keeps to MAX_PATH).
extern const size_t MaxPathLength, MaxProgramPathLength;

/// Called first by main(): on Windows, the arguments as UTF-8 (the C
/// library's are in the ANSI code page) and a UTF-8 console.
void startPlatform(int &Argc, char **&Argv);

/// Shows a failure where the user sees it when there is no console to
/// print it in (a windowed program on Windows); on Linux, nothing.
void showFailure(const char *Title, const char *Message);

/// This executable's absolute path.
char *executablePath();

/// Fails when the executable file is shorter than what the system loaded of
/// it: a truncated download would otherwise crash on the first payload access.
void checkExecutableComplete();

enum class PayloadKind { Config, Uv, Wheels };
/// Where the payload section \p Kind is in memory (size 0 when absent).
void payloadSection(PayloadKind Kind, const unsigned char *&Data, size_t &Size);

/// The install root asked for, absolute, not resolved: $WORKSPACE (relative
/// to the working directory), else the user's data directory / vendor.
char *requestedInstallRoot(const Config &C);

/// Seconds on a clock that only goes forward; a pause.
double monotonicSeconds();
void sleepMilliseconds(int Milliseconds);
int currentProcessId();

/// A fresh regular file at \p Path (never through a link), write-only; -1
/// with errno EEXIST when something is there.
int createNewFile(const char *Path);
/// A fresh private directory <Parent>/<Prefix>XXXXXX; fail() when it cannot.
char *makeTemporaryDirectory(const char *Parent, const char *Prefix);

/// Reads the small regular file \p Name of the directory \p DirFd (never
/// through a link, never blocking on a FIFO) into \p Text, NUL-terminated,
/// and its modification time into \p Written (when not null); false when
/// there is none or it is empty.
bool readSmallFileAt(int DirFd, const char *Name, char *Text, size_t Capacity,
                     uint64_t *Written);
/// Opens the directory \p Name of \p DirFd (never through a link); -1 when
/// it is not one.
int openDirectoryAt(int DirFd, const char *Name);
/// Closes a directory that openTrustedDirectory() or openDirectoryAt() opened.
void closeDirectory(int DirFd);
/// Removes the file (or link) \p Name of the directory \p DirFd.
bool removeFileAt(int DirFd, const char *Name);

/// Takes a lock on the open file or directory \p Fd without waiting:
/// shared ones are held together, an exclusive one alone. Held until the
/// descriptor is closed (and by programs run with it, see runApp()).
bool tryLock(int Fd, bool Exclusive);
/// Lets the programs this process runs inherit \p Fd (and its lock).
void inheritByChildren(int Fd);

/// The entries of the directory \p Name of \p DirFd (never through a link),
/// but "." and "..".
struct Listing;
Listing *openListing(int DirFd, const char *Name);
int listingDirectory(Listing *L);
const char *nextEntry(Listing *L);
void rewindListing(Listing *L);
void closeListing(Listing *L);
/// Stands for the working directory as openListing's DirFd; absolute
/// names ignore DirFd.
extern const int WorkingDirectory;

enum class EntryType { Missing, File, Directory, Link, Other };
/// What \p Path is, its last component not followed.
EntryType entryType(const char *Path);
/// Whether \p Path exists, links followed.
bool pathExists(const char *Path);
/// Whether \p Path is a regular file that may be run.
bool isProgram(const char *Path);
/// Whether the disk that holds \p Dir is full: a program may die of it
/// before it can say so.
bool isDiskFull(const char *Dir);
/// Makes \p Link a link to \p Target, replacing what is there: a convenience
/// for people, so best effort (and nothing on Windows).
void publishLink(const char *Link, const char *Target);

/// The environment, "NAME=value" in UTF-8, NULL-terminated; one variable's
/// value in UTF-8 (null when unset).
char **environmentEntries();
const char *readEnvironment(const char *Name);
void setEnvironment(const char *Name, const char *Value);
void unsetEnvironment(const char *Name);

/// How a child program ended.
struct ChildEnd {
  int StartError = 0;       // errno when it could not start
  bool Killed = false;      // ended by a signal (Code holds it) ...
  int Code = 0;             // ... or exited with Code
  char *LastLine = nullptr; // its last line of output, when captured
};
/// Runs \p Program with \p Argv (Argv[0] included, NULL-terminated) and \p
/// Env, and waits for it. Its output and errors go to \p OutputFd, or, when
/// -1, are captured for their last line. What it creates is not writable by
/// others, whatever the user's umask.
ChildEnd runChild(const char *Program, const char *const *Argv, char **Env, int OutputFd);

/// Becomes \p Argv[0] (searched on PATH when \p SearchPath) with the
/// environment \p Env (null: this process's): on Linux by exec, which keeps
/// the pid, signals and exit code; on Windows by running it as a child that
/// dies with this process, forwarding Ctrl-C, and exiting with its code.
/// \p HeldFd (or -1) stays open in it, and so does its lock. Returns only
/// when the program cannot start (errno set).
void runApp(char **Argv, char **Env, bool SearchPath, int HeldFd);

} // namespace pyaket

#endif
