"""What the benchmarks share: the profiles, the machine's description,
the uv binary and the example project's wheels."""
import json
import os
import platform
import shutil
import struct
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROFILES = ["develop", "fast", "fastest", "small", "smallest"]
EXAMPLE = os.path.join(ROOT, "examples", "hello-app")


def log(message):
    """Progress, printed as it happens."""
    print(message, flush=True)


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor())
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def pip_uv():
    """The uv binary that pip installed (not a shim in front of it)."""
    return subprocess.run([sys.executable, "-c", "import uv; print(uv.find_uv_bin())"],
                          capture_output=True, text=True, check=True).stdout.strip()


APP_WHEEL = ("src", "hello-app", "1.0.0", ["--requires", "textbox"])


def build_wheel(directory, src, name, version, extra):
    """Builds one wheel of the example project into its dist/; returns its path."""
    return subprocess.run([sys.executable, os.path.join(ROOT, "utils", "make_wheel.py"),
                           os.path.join(directory, src), name, version,
                           os.path.join(directory, "dist"), *extra],
                          check=True, capture_output=True, text=True).stdout.strip()


def rebuild_app_wheel(directory, stamp):
    """The app changed: its wheel built again with \p stamp in a module of its own."""
    with open(os.path.join(directory, "src", "hello_app", "_stamp.py"), "w") as file:
        file.write(f"STAMP = {stamp}\n")
    build_wheel(directory, *APP_WHEEL)


def example_project(directory):
    """A copy of examples/hello-app in \\p directory with its two wheels built
    into its dist/ (the source tree is left alone); returns the wheels' paths."""
    shutil.rmtree(directory, ignore_errors=True)
    shutil.copytree(EXAMPLE, directory, ignore=shutil.ignore_patterns("dist", "__pycache__"))
    return [build_wheel(directory, *APP_WHEEL),
            build_wheel(directory, "textbox/src", "textbox", "0.1.0", [])]


PLACEMENTS = 8


def placements(app, directory, label, args=(), env=None, count=PLACEMENTS):
    """\\p count copies of the app \\p app, each with a workspace of its own in
    which its first run installed it, in <directory>/<k>/<label>: the argvs
    that run them (through env). The same bytes start 10-30 us apart from one
    file and workspace to another on our machine (where their pages and
    inodes happen to lie): more than the differences in question, so
    start-up is timed over several placements (timing.interval), and
    compared apps get theirs side by side (the same <k>, another label)."""
    argvs = []
    for k in range(count):
        place = os.path.join(directory, str(k), label)
        shutil.rmtree(place, ignore_errors=True)
        os.makedirs(place)
        copy = shutil.copy2(app, place)
        argv = [shutil.which("env"), f"WORKSPACE={os.path.join(place, 'workspace')}", copy, *args]
        subprocess.run(argv, env=env, check=True, capture_output=True)
        argvs.append(argv)
    return argvs


PAYLOADS = {"pyaket_config", "pyaket_uv", "pyaket_wheels", ".pyaketc", ".pyaketu", ".pyaketw"}


def payload_bytes(path):
    """The file bytes of the payload sections of an ELF or PE executable."""
    data = open(path, "rb").read()
    total = 0
    if data[:4] == b"\x7fELF":
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
        headers = [struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize) for i in range(shnum)]
        names = headers[shstrndx][4]
        for name, _, _, _, _, size in headers:
            if data[names + name:data.index(b"\0", names + name)].decode() in PAYLOADS:
                total += size
    elif data[:2] == b"MZ":
        pe, = struct.unpack_from("<I", data, 0x3C)
        count, = struct.unpack_from("<H", data, pe + 6)
        optional, = struct.unpack_from("<H", data, pe + 20)
        for i in range(count):
            header = pe + 24 + optional + 40 * i
            name = data[header:header + 8].rstrip(b"\0").decode()
            if name in PAYLOADS:
                total += struct.unpack_from("<I", data, header + 16)[0]  # SizeOfRawData
    return total


def write_report(directory, stem, lines, data):
    """Writes the table \p lines to <stem>.md and \p data to <stem>.json in
    \p directory, and prints the table."""
    open(os.path.join(directory, stem + ".md"), "w").write("\n".join(lines) + "\n")
    json.dump(data, open(os.path.join(directory, stem + ".json"), "w"), indent=1)
    print("\n".join(lines))
