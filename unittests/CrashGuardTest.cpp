//===- CrashGuardTest.cpp - LLVM failures inside a job as one error line --===//
#include "CrashGuard.h"

#include "llvm/Support/ErrorHandling.h"
#include "gtest/gtest.h"

#include <csignal>

using namespace pyaket;

namespace {

std::string where() { return "testing the guard"; }

TEST(CrashGuard, ReturnsTheJobsResult) {
  EXPECT_TRUE(runGuarded([] { return true; }, where));
  EXPECT_FALSE(runGuarded([] { return false; }, where));
}

TEST(CrashGuardDeathTest, FatalErrorIsOneLineAndExitCodeOne) {
  EXPECT_EXIT(runGuarded([]() -> bool { llvm::report_fatal_error("out of widgets"); }, where),
              testing::ExitedWithCode(1),
              "^pyaket-cc: error: LLVM failed: out of widgets while testing the guard; if the input is valid, "
              "this is a pyaket-cc bug: please report it\n$");
}

// A crash is caused here by raising the signal: LLVM has no reliable one to
// trigger on purpose.
TEST(CrashGuardDeathTest, CrashIsOneLineAndExitCodeOne) {
  EXPECT_EXIT(runGuarded([] { return std::raise(SIGSEGV) == 0; }, where),
              testing::ExitedWithCode(1),
              "^pyaket-cc: error: crashed \\(signal 11\\) while testing the guard; if the input is valid, "
              "this is a pyaket-cc bug: please report it\n$");
}

} // namespace
