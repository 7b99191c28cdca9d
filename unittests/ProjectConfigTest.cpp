//===- ProjectConfigTest.cpp - reading a project's pyaket configuration ---===//
#include "ProjectConfig.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

using namespace llvm;
using namespace pyaket;

namespace {

ProjectConfig parse(StringRef Text, StringRef Source = "/project/pyaket.toml") {
  Expected<ProjectConfig> C = parseProjectConfig(Text, Source);
  EXPECT_TRUE(bool(C)) << toString(C.takeError());
  return C ? *C : ProjectConfig();
}

std::string errorOf(StringRef Text, StringRef Source = "/project/pyaket.toml") {
  Expected<ProjectConfig> C = parseProjectConfig(Text, Source);
  EXPECT_FALSE(bool(C));
  return C ? "" : toString(C.takeError());
}

TEST(ProjectConfig, ReadsPyaketTables) {
  ProjectConfig C = parse(R"(
[application]
name = "app"
author = "Ann"
version = "2.1"
[dependencies]
wheels = ["dist/*.whl"]
pypi = ["rich>=13"]
rolling = true
[directories]
common = "Shared"
[python]
version = "3.11"
[torch]
version = "2.5"
backend = "cpu"
[entry]
command = "app-cli"
[build]
profile = "smallest"
keep_open = true
dotenv = true
)");
  EXPECT_EQ(C.Name, "app");
  EXPECT_EQ(C.effectiveVendor(), "Ann"); // no vendor: the author
  EXPECT_EQ(C.Version, "2.1");
  EXPECT_EQ(C.Wheels, std::vector<std::string>{"dist/*.whl"});
  EXPECT_EQ(C.PyPI, std::vector<std::string>{"rich>=13"});
  EXPECT_TRUE(C.Rolling);
  EXPECT_EQ(C.Common, "Shared");
  EXPECT_EQ(C.Versions, "Versions"); // the default
  EXPECT_EQ(C.PythonVersion, "3.11");
  EXPECT_EQ(C.TorchBackend, "cpu");
  EXPECT_EQ(C.Command, "app-cli");
  EXPECT_EQ(C.Profile, "smallest");
  EXPECT_TRUE(C.KeepOpen);
  EXPECT_TRUE(C.DotEnv);
  EXPECT_EQ(C.Dir, "/project");
}

TEST(ProjectConfig, PyprojectFillsWhatPyaketLeavesOut) {
  ProjectConfig C = parse(R"(
[project]
name = "my-app"
version = "0.3.0"
description = "does things"
dependencies = ["requests"]
[tool.pyaket.application]
version = "0.4.0"
)",
                          "/p/pyproject.toml");
  EXPECT_EQ(C.Name, "my-app");
  EXPECT_EQ(C.Version, "0.4.0"); // pyaket's table wins
  EXPECT_EQ(C.About, "does things");
  EXPECT_EQ(C.PyPI, std::vector<std::string>{"requests"});
  EXPECT_EQ(C.Module, "my_app"); // the entry defaults to the project's module
  EXPECT_EQ(C.Wheels, std::vector<std::string>{"dist/*.whl"});
  EXPECT_EQ(C.effectiveVendor(), "my-app");
}

TEST(ProjectConfig, ErrorsNameFileAndKey) {
  EXPECT_NE(errorOf("[application]\nnmae = \"x\"\n").find(
                "/project/pyaket.toml:2:1: key 'application.nmae': unknown key"),
            std::string::npos);
  EXPECT_NE(errorOf("[build]\nkeep_open = \"yes\"\n").find(
                "key 'build.keep_open': must be true or false"),
            std::string::npos);
  EXPECT_NE(errorOf("[dependencies]\npypi = \"rich\"\n").find(
                "key 'dependencies.pypi': must be a list of strings"),
            std::string::npos);
  EXPECT_NE(errorOf("python = \"3.11\"\n").find("key 'python': must be a table"),
            std::string::npos);
  EXPECT_NE(errorOf("[tool.pyaket]\n[tool.pyaket.paths]\n", "/p/pyproject.toml")
                .find("key 'paths': unknown table"),
            std::string::npos);
}

// [build] target is one name or a list; windowed and icon are for Windows.
TEST(ProjectConfig, TargetsAreOneNameOrAList) {
  EXPECT_EQ(parse("[build]\ntarget = \"aarch64-linux\"\n").Targets,
            std::vector<std::string>{"aarch64-linux"});
  EXPECT_EQ(parse("[build]\ntarget = [\"x86_64-linux\", \"x86_64-windows\"]\n").Targets,
            (std::vector<std::string>{"x86_64-linux", "x86_64-windows"}));
  ProjectConfig C = parse("[application]\nicon = \"app.ico\"\n[build]\nwindowed = true\n");
  EXPECT_EQ(C.Icon, "app.ico");
  EXPECT_TRUE(C.Windowed);
  EXPECT_NE(errorOf("[build]\ntarget = 3\n")
                .find("key 'build.target': must be a string or a list of strings"),
            std::string::npos);
  EXPECT_NE(errorOf("[build]\ntarget = []\n").find("key 'build.target': must name at least one"),
            std::string::npos);
  EXPECT_NE(errorOf("[build]\ntarget = [\"x86_64-linux\", 1]\n")
                .find("key 'build.target': must be a list of strings"),
            std::string::npos);
}

TEST(ProjectConfig, OverridesWinAndTheResultIsChecked) {
  ProjectConfig C = parse("[application]\nname = \"a\"\nversion = \"1\"\n[entry]\nmodule = \"a\"\n");
  ConfigOverrides O;
  O.Version = "9";
  O.Command = "a-cli";
  ASSERT_FALSE(bool(finishProjectConfig(C, O)));
  EXPECT_EQ(C.Version, "9");
  EXPECT_EQ(C.Command, "a-cli");
  EXPECT_TRUE(C.Module.empty()); // a command given on the command line replaces the module

  ProjectConfig Both = parse("[application]\nname = \"a\"\nversion = \"1\"\n[entry]\nmodule = \"a\"\ncommand = \"b\"\n");
  Error Err = finishProjectConfig(Both, ConfigOverrides());
  EXPECT_NE(toString(std::move(Err)).find("key 'entry': give a module or a command, not both"),
            std::string::npos);

  ProjectConfig Dots = parse("[application]\nname = \"a\"\nversion = \"..\"\n");
  Err = finishProjectConfig(Dots, ConfigOverrides());
  EXPECT_NE(toString(std::move(Err)).find("key 'application.version': '..' must be usable"),
            std::string::npos);
}

// What the launcher could not run is refused at build time, naming the key.
TEST(ProjectConfig, UnrunnableValuesAreRefused) {
  auto ErrorFor = [](ConfigOverrides O) {
    ProjectConfig C = parse("[application]\nname = \"a\"\nversion = \"1\"\n");
    return toString(finishProjectConfig(C, O));
  };
  ConfigOverrides Nul;
  Nul.Module = std::string("app\0x", 5);
  EXPECT_NE(ErrorFor(Nul).find("key 'entry.module': a control character"), std::string::npos);
  ConfigOverrides Line;
  Line.Python = "3.11\n--evil";
  EXPECT_NE(ErrorFor(Line).find("key 'python.version': a control character"), std::string::npos);
  ConfigOverrides Option;
  Option.PyPI = {"rich", "--index-url=http://evil"};
  EXPECT_NE(ErrorFor(Option).find("key 'dependencies.pypi': '--index-url=http://evil' is not"),
            std::string::npos);
  for (const char *Bad : {"1st", "a..b", "a-b", ".a"}) {
    ConfigOverrides Module;
    Module.Module = Bad;
    EXPECT_NE(ErrorFor(Module).find("is not a Python module name"), std::string::npos) << Bad;
  }
  for (const char *Good : {"app", "app.__main__", "_x.y2", "caf\xc3\xa9"}) {
    ConfigOverrides Module;
    Module.Module = Good;
    EXPECT_EQ(ErrorFor(Module), "") << Good;
  }
  ConfigOverrides Long;
  Long.Version = std::string(101, 'v');
  EXPECT_NE(ErrorFor(Long).find("at most 100 bytes"), std::string::npos);
}

TEST(ProjectConfig, WheelGlobsResolveSortedAndMustMatch) {
  SmallString<128> Dir;
  ASSERT_FALSE(sys::fs::createUniqueDirectory("pyaket-config-test", Dir));
  for (const char *Name : {"b-1-py3-none-any.whl", "a-1-py3-none-any.whl", "notes.txt"}) {
    SmallString<128> Path(Dir);
    sys::path::append(Path, "dist", Name);
    sys::fs::create_directories(sys::path::parent_path(Path));
    std::error_code EC;
    raw_fd_ostream(Path, EC) << "x";
  }
  ProjectConfig C;
  C.Dir = Dir.str().str();
  C.Source = "pyaket.toml";
  C.Wheels = {"dist/*.whl"};
  Expected<std::vector<std::string>> Files = resolveWheels(C);
  ASSERT_TRUE(bool(Files)) << toString(Files.takeError());
  ASSERT_EQ(Files->size(), 2u);
  EXPECT_EQ(sys::path::filename((*Files)[0]), "a-1-py3-none-any.whl");
  C.Wheels = {"wheels/*.whl"};
  Expected<std::vector<std::string>> None = resolveWheels(C);
  ASSERT_FALSE(bool(None));
  EXPECT_NE(toString(None.takeError()).find("'wheels/*.whl' matches no file"), std::string::npos);
  sys::fs::remove_directories(Dir);
}

} // namespace
