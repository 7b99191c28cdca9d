#!/usr/bin/env python3
"""Times a build of a small C program with pyaket-cc against clang-19 + ld.lld.

For each profile, both compilers get the same flags: the optimisation level
and LTO mode of the profile, and its LLD flags (clang passes them with -Wl,).
clang-19 runs its compile in-process too, but starts ld.lld as a process.
The two run interleaved (timing.py); prints the medians with their 95 %
intervals and the ratio pyaket-cc / clang-19, with the machine.

  utils/benchmark/compile_vs_clang.py [--pyaket-cc build/bin/pyaket-cc] [--profiles develop,fast]
"""
import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

from common import PROFILES, ROOT, machine
from timing import interval, ratio_interval, shown, time_pairs

SOURCES = [os.path.join(ROOT, "examples", "c-stats", name) for name in ("main.c", "stats.c")]


def clang_flags(pyaket_cc, profile):
    """The clang-19 flags equivalent to the profile, read from pyaket-cc's -###."""
    jobs = subprocess.run([pyaket_cc, f"--profile={profile}", "-###", *SOURCES, "-o", "x"],
                          capture_output=True, text=True, check=True).stderr
    cc1 = next(line for line in jobs.splitlines() if '"-cc1"' in line)
    link = next(line for line in jobs.splitlines() if "ld.lld" in line)
    flags = re.findall(r'"(-O[0-3sz]|-flto=\w+)"', cc1)
    profile_link_flags = shlex.split(link.split('crtn.o"', 1)[1])
    return flags + ["-fuse-ld=lld"] + [f"-Wl,{flag}" for flag in profile_link_flags]


def compare(pyaket_cc, clang, profiles, runs):
    """Build times of pyaket-cc and clang per profile, in seconds: medians
    with intervals, and their ratio."""
    rows = []
    clang = shutil.which(clang) or clang
    with tempfile.TemporaryDirectory() as scratch:
        for profile in profiles:
            ours = [pyaket_cc, f"--profile={profile}", *SOURCES, "-o", os.path.join(scratch, "ours")]
            theirs = [clang, *clang_flags(pyaket_cc, profile), *SOURCES,
                      "-o", os.path.join(scratch, "theirs")]
            ours_times, theirs_times = time_pairs(ours, theirs, runs, warmup=3)
            rows.append({"profile": profile, "pyaket_cc": interval(ours_times),
                         "clang": interval(theirs_times),
                         "ratio": ratio_interval(ours_times, theirs_times)})
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pyaket-cc", default=os.path.join(ROOT, "build", "bin", "pyaket-cc"))
    parser.add_argument("--clang", default="clang-19")
    parser.add_argument("--profiles", default=",".join(PROFILES))
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    print(f"machine: {machine()}")
    print("profile: pyaket-cc (ms), clang-19 (ms), ratio; medians [95 % intervals]")
    for row in compare(args.pyaket_cc, args.clang, args.profiles.split(","), args.runs):
        print(f"{row['profile']}: {shown(row['pyaket_cc'], 1e3, 1)}, {shown(row['clang'], 1e3, 1)}, "
              f"{shown(row['ratio'])}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
