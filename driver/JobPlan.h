//===- JobPlan.h - the jobs clang's Driver plans for one invocation -*- C++ -*-===//
//
// pyaket-cc lets clang's own Driver parse the arguments and plan the jobs, as
// `clang` would run them, then runs every job itself: cc1 jobs through
// CompileJob, cc1as jobs through AssembleJob, the link through LinkJob.
// Nothing is ever spawned.
//
//===----------------------------------------------------------------------===//
#ifndef PYAKET_DRIVER_JOBPLAN_H
#define PYAKET_DRIVER_JOBPLAN_H

#include "CommandLine.h"
#include "Profile.h"

#include "clang/Driver/Phases.h"
#include "llvm/ADT/IntrusiveRefCntPtr.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Triple.h"
#include <memory>
#include <string>
#include <vector>

namespace pyaket {

struct Job {
  enum class Kind { Compile, Assemble, Link };
  Kind JobKind;
  std::string Executable;        // the program clang would have started
  std::vector<std::string> Args; // its arguments; compile jobs start with -cc1,
                                 // assemble jobs with -cc1as
  bool RunsPipeline = true;      // compile jobs: false for -save-temps' frontend step
};

/// The -O flags in the user's arguments that the profile overrides: with a
/// profile the user chose (--profile, $PYAKET_PROFILE) the profile owns the
/// optimisation level, whatever -O a build system adds; else none.
std::vector<std::string> ignoredOptimisationFlags(const CommandLine &CL);

/// The clang driver arguments for \p CL under \p P. The profile's flags come
/// first, so that the user's own flags, which follow, win, but for the -O
/// flags that the profile overrides (ignoredOptimisationFlags). \p FinalPhase
/// is where the invocation stops: link flags only for a link, and no LTO for
/// -S, which must write assembly (configure scripts grep it for directives).
std::vector<std::string> driverArguments(const CommandLine &CL, const Profile &P,
                                         clang::driver::phases::ID FinalPhase);

/// The LLD arguments for a link job for \p Target: GNU ld's defaults where
/// LLD's ELF linker differs (for ELF only), then the driver's, then the
/// profile's, which win over the driver's defaults (the last --lto-O wins).
std::vector<std::string> linkArguments(llvm::ArrayRef<const char *> DriverArgs,
                                       const Profile &P, const llvm::Triple &Target);

/// Where clang's headers (stddef.h ...) are: $PYAKET_CC_RESOURCE_DIR, else the
/// resource dir of the Clang that pyaket-cc was built with.
std::string clangResourceDir();

/// The planned jobs. Destroying the plan removes their temporary files.
class JobPlan {
public:
  JobPlan();
  ~JobPlan();

  /// Plans the jobs. \p ProgramPath is pyaket-cc's path under the name it was
  /// called by (pyaket-c++ selects C++ mode, as clang++ does). \p FS, when
  /// given, is where inputs are read from (the embedded stub's sources lie in
  /// memory). Returns null after printing clang's diagnostics when the
  /// arguments are wrong.
  static std::unique_ptr<JobPlan>
  create(llvm::StringRef ProgramPath, const CommandLine &CL, const Profile &P,
         llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS = nullptr);

  std::vector<Job> Jobs;
  bool PrintOnly = false; // -###
  bool Verbose = false;   // -v

  /// Prints the jobs as clang does: one command a line, the program quoted,
  /// the arguments quoted for -### and bare for -v (libtool reads the C++
  /// runtime's start files and libraries from -v's link line).
  void print(llvm::raw_ostream &OS) const;

  /// Runs the jobs in order and returns the exit code. A failed compile does
  /// not stop the other compiles, so that every file's errors show, but it
  /// stops the jobs that read its output and the link.
  int run() const;

private:
  struct Impl;
  std::unique_ptr<Impl> State;
};

} // namespace pyaket

#endif
