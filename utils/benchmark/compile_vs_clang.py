#!/usr/bin/env python3
"""Times a build of a small C program with pyaket-cc against clang-19 + ld.lld.

For each profile, both compilers get the same flags: the optimisation level
and LTO mode of the profile, and its LLD flags (clang passes them with -Wl,).
clang-19 runs its compile in-process too, but starts ld.lld as a process.
Prints hyperfine's medians and the ratio pyaket-cc / clang-19, with the machine.

  utils/benchmark/compile_vs_clang.py [--pyaket-cc build/bin/pyaket-cc] [--profiles develop,fast]
"""
import argparse
import json
import os
import platform
import re
import shlex
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCES = [os.path.join(ROOT, "examples", "c-stats", name) for name in ("main.c", "stats.c")]
PROFILES = ["develop", "fast", "fastest", "small", "smallest"]


def clang_flags(pyaket_cc, profile):
    """The clang-19 flags equivalent to the profile, read from pyaket-cc's -###."""
    jobs = subprocess.run([pyaket_cc, f"--profile={profile}", "-###", *SOURCES, "-o", "x"],
                          capture_output=True, text=True, check=True).stderr
    cc1 = next(line for line in jobs.splitlines() if '"-cc1"' in line)
    link = next(line for line in jobs.splitlines() if "ld.lld" in line)
    flags = re.findall(r'"(-O[0-3sz]|-flto=\w+)"', cc1)
    profile_link_flags = shlex.split(link.split('crtn.o"', 1)[1])
    return flags + ["-fuse-ld=lld"] + [f"-Wl,{flag}" for flag in profile_link_flags]


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor())
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pyaket-cc", default=os.path.join(ROOT, "build", "bin", "pyaket-cc"))
    parser.add_argument("--clang", default="clang-19")
    parser.add_argument("--profiles", default=",".join(PROFILES))
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    print(f"machine: {machine()}")
    print(f"{'profile':<9} {'pyaket-cc':>10} {'clang-19':>10} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as scratch:
        for profile in args.profiles.split(","):
            ours = " ".join([shlex.quote(args.pyaket_cc), f"--profile={profile}", *SOURCES,
                             "-o", os.path.join(scratch, "ours")])
            theirs = " ".join([args.clang, *map(shlex.quote, clang_flags(args.pyaket_cc, profile)),
                               *SOURCES, "-o", os.path.join(scratch, "theirs")])
            report = os.path.join(scratch, "report.json")
            subprocess.run(["hyperfine", "-N", "--warmup", "3", "--runs", str(args.runs),
                            "--export-json", report, ours, theirs],
                           check=True, stdout=subprocess.DEVNULL)
            results = json.load(open(report))["results"]
            ours_ms, theirs_ms = (r["median"] * 1000 for r in results)
            print(f"{profile:<9} {ours_ms:>8.1f}ms {theirs_ms:>8.1f}ms {ours_ms / theirs_ms:>6.2f}",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
