# lit configuration for pyaket-cc. Tests see PATH = the LLVM test tools
# (FileCheck, not, split-file, llvm-nm ...), then the system's; LLVM's own bin
# directory, which holds clang and ld.lld, is deliberately not on it.
import os
import shutil

import lit.formats

config.name = "pyaket-cc"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.pyaket_obj_root, "test", "lit")
config.excludes = ["Inputs"]

# Only these LLVM tools, linked into one directory, so that `clang` and
# `ld.lld` stay out of reach. A missing tool fails the run, never skips.
tools = ["FileCheck", "not", "split-file", "count", "llvm-nm", "llvm-objdump", "llvm-ar", "opt",
         "llvm-readelf", "llvm-bcanalyzer", "llvm-objcopy"]
tools_dir = os.path.join(config.test_exec_root, "tools")
os.makedirs(tools_dir, exist_ok=True)
for tool in tools:
    source = os.path.join(config.llvm_tools_dir, tool)
    if not os.path.exists(source):
        lit_config.fatal(f"{source} is missing: install llvm-19-tools (utils/setup.sh)")
    link = os.path.join(tools_dir, tool)
    if not os.path.lexists(link):
        os.symlink(source, link)

config.environment["PATH"] = os.pathsep.join(
    [tools_dir, config.pyaket_bin_dir, os.environ.get("PATH", "")])
for name in ["HOME", "TMPDIR"]:
    if name in os.environ:
        config.environment[name] = os.environ[name]

# Packaged apps run offline with the machine's Python; the real uv comes from
# PyPI (utils/setup.sh). No uv fails the run: these tests never skip.
import subprocess
try:
    uv = subprocess.run([config.python, "-c", "import uv; print(uv.find_uv_bin())"],
                        capture_output=True, text=True, check=True).stdout.strip()
except subprocess.CalledProcessError:
    lit_config.fatal("uv is not installed for " + config.python + ": run utils/setup.sh")
config.environment["UV_OFFLINE"] = "1"
config.environment["UV_PYTHON_DOWNLOADS"] = "never"
# Compressed payloads are cached across tests: each zstd level compresses uv once.
config.environment["PYAKET_CC_CACHE_DIR"] = os.path.join(config.test_exec_root, "payload-cache")
config.substitutions.append(("%uv", uv))
config.substitutions.append(("%hello-project", " ".join(
    ["bash", os.path.join(config.test_source_root, "Inputs", "hello-project.sh"),
     config.pyaket_src_root, config.python])))

config.substitutions.append(("%pyaket-cxx", os.path.join(config.pyaket_bin_dir, "pyaket-c++")))
config.substitutions.append(("%pyaket-cc", os.path.join(config.pyaket_bin_dir, "pyaket-cc")))
# pyaket-cc as an archiver; a bare llvm-ar in a test is LLVM 19's own (tools_dir).
config.substitutions.append(("%pyaket-ar", os.path.join(config.pyaket_bin_dir, "pyaket-ar")))
config.substitutions.append(("%pyaket-ranlib", os.path.join(config.pyaket_bin_dir, "pyaket-ranlib")))
config.substitutions.append(("%python", config.python))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))
config.substitutions.append(("%examples", os.path.join(config.pyaket_src_root, "examples")))
config.substitutions.append(("%pyaket-bin", config.pyaket_bin_dir))

# The real code bases of utils/real-code.txt, fetched by utils/setup.sh: each
# tarball is %real-code-<name>. A missing one fails the run, never skips.
real_code_dir = os.environ.get("PYAKET_REAL_CODE_DIR",
                               os.path.join(os.path.expanduser("~"), ".cache", "pyaket-cc", "real-code"))
with open(os.path.join(config.pyaket_src_root, "utils", "real-code.txt")) as manifest:
    for line in manifest:
        if line.strip() and not line.startswith("#"):
            name, path = line.split()[:2]
            tarball = os.path.join(real_code_dir, os.path.basename(path))
            if not os.path.exists(tarball):
                lit_config.fatal(f"{tarball} is missing: run utils/setup.sh")
            config.substitutions.append(("%real-code-" + name, tarball))
config.substitutions.append(("%pyaket-build-dir", config.pyaket_obj_root))

# xz reads back the .xz payloads of small and smallest.
if not shutil.which("xz"):
    lit_config.fatal("xz is missing: install xz-utils (utils/setup.sh)")

# Attacks on the launcher run as users who are not root: a victim and
# another user who tries to make the victim run code (setpriv, util-linux).
if not shutil.which("setpriv"):
    lit_config.fatal("setpriv is missing: install util-linux (utils/setup.sh)")
config.substitutions.append(("%as-other-user", "setpriv --reuid=4242 --regid=4242 --clear-groups"))
config.substitutions.append(("%as-user", "setpriv --reuid=4343 --regid=4343 --clear-groups"))

# Other targets (utils/fetch_target_runtimes.sh): uv's wheels for them, the
# arm64 Python for a first install under qemu, qemu and its binfmt handler
# (an aarch64 launcher exec's the aarch64 uv and python). Missing: fatal.
import glob
targets_dir = os.environ.get("PYAKET_TARGETS_DIR",
                             os.path.join(os.path.expanduser("~"), ".cache", "pyaket-cc", "targets"))
for name, pattern in [("aarch64", "uv-*manylinux2014_aarch64*.whl"), ("windows", "uv-*win_amd64.whl")]:
    wheels = sorted(glob.glob(os.path.join(targets_dir, "uv", pattern)))
    if not wheels:
        lit_config.fatal(f"uv's {name} wheel is not in {targets_dir}/uv: run utils/setup.sh")
    config.substitutions.insert(0, ("%uv-wheel-" + name, wheels[-1]))  # before %uv
arm64_python_bin = os.path.join(targets_dir, "arm64", "root", "usr", "bin")
if not os.path.exists(os.path.join(arm64_python_bin, "python3.11")):
    lit_config.fatal(f"the arm64 Python is not in {arm64_python_bin}: run utils/setup.sh")
config.substitutions.append(("%arm64-python-bin", arm64_python_bin))
qemu = shutil.which("qemu-aarch64-static")
if not qemu or not os.path.exists("/proc/sys/fs/binfmt_misc/qemu-aarch64"):
    lit_config.fatal("qemu-aarch64-static or its binfmt handler is missing: run utils/setup.sh")
config.substitutions.append(("%qemu-aarch64", qemu))

# Windows programs run under Debian's wine64 (utils/setup.sh), in a prefix of
# the tests' own. Wine 8 lacks bcryptprimitives.dll, which uv.exe imports:
# a test-only one (Inputs/bcryptprimitives.c), built here with mingw-w64,
# goes into the prefix's system32. Missing tools: fatal.
wine = "/usr/lib/wine/wine64"
mingw_cc = shutil.which("x86_64-w64-mingw32-gcc")
if not os.path.exists(wine) or not mingw_cc:
    lit_config.fatal("wine64 or mingw-w64 is missing: run utils/setup.sh")
wine_prefix = os.path.join(config.test_exec_root, "wineprefix")
wine_env = dict(os.environ, WINEPREFIX=wine_prefix, WINEDEBUG="-all")
system32 = os.path.join(wine_prefix, "drive_c", "windows", "system32")
if not os.path.isdir(system32):
    subprocess.run([wine, "wineboot", "--init"], env=wine_env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(["/usr/lib/wine/wineserver64", "--wait"], env=wine_env, check=False)
subprocess.run([mingw_cc, "-shared", "-O2", "-o", os.path.join(system32, "bcryptprimitives.dll"),
                os.path.join(config.test_source_root, "Inputs", "bcryptprimitives.c"),
                "-ladvapi32"], check=True)
config.environment["WINEPREFIX"] = wine_prefix
config.environment["WINEDEBUG"] = "-all"
config.substitutions.append(("%wine", wine))
