#!/usr/bin/env python3
"""The launcher per target and profile: packages examples/hello-app for every
target whose runtime and uv are at hand, and reports the executable's size
and the launcher's own part of it (the file minus its payload sections:
config, uv, wheels). Writes OUT/targets.md and OUT/targets.json.

  utils/benchmark/targets.py [--targets x86_64-linux,aarch64-linux]
                             [--profiles develop,smallest] [--out DIR]

uv for each target: the host's pip-installed uv for the host, else uv's
wheel for the target in $PYAKET_TARGETS_DIR/uv (utils/setup.sh fetches them).
MB = 10^6 bytes, KB = 10^3 bytes.
"""
import argparse
import datetime
import glob
import os
import subprocess

from common import PROFILES, ROOT, example_project, log, machine, payload_bytes, pip_uv, write_report

TARGETS = {  # target: pattern of uv's wheel for it
    "x86_64-linux": None,
    "aarch64-linux": "uv-*manylinux2014_aarch64*.whl",
    "x86_64-windows": "uv-*win_amd64.whl",
}
def uv_for(target):
    if TARGETS[target] is None:
        return pip_uv()
    directory = os.environ.get("PYAKET_TARGETS_DIR",
                               os.path.expanduser("~/.cache/pyaket-cc/targets"))
    wheels = sorted(glob.glob(os.path.join(directory, "uv", TARGETS[target])))
    return wheels[-1] if wheels else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pyaket-cc", default=os.path.join(ROOT, "build", "bin", "pyaket-cc"))
    parser.add_argument("--targets", default=",".join(TARGETS))
    parser.add_argument("--profiles", default=",".join(PROFILES))
    parser.add_argument("--out", default=os.path.join(ROOT, "build", "benchmark"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    project = os.path.join(args.out, "targets-project")
    example_project(project)
    env = dict(os.environ, PYAKET_CC_CACHE_DIR=os.path.join(args.out, "cache"))

    rows = []
    for target in args.targets.split(","):
        uv = uv_for(target)
        if not uv:
            log(f"[{target}] skipped: no uv for it (utils/setup.sh)")
            continue
        for profile in args.profiles.split(","):
            app = os.path.join(args.out, f"app-{target}-{profile}")
            result = subprocess.run([args.pyaket_cc, f"--profile={profile}", f"--target={target}",
                                     f"--project={project}", f"--uv={uv}", "-o", app],
                                    env=env, capture_output=True, text=True)
            if result.returncode != 0:
                log(f"[{target}] skipped: {result.stderr.strip()}")
                break
            app = app + ".exe" if target.endswith("windows") else app
            size = os.path.getsize(app)
            launcher = size - payload_bytes(app)
            rows.append({"target": target, "profile": profile, "size": size, "launcher": launcher})
            log(f"[{target}] {profile}: {size / 1e6:.2f} MB, launcher {launcher / 1e3:.1f} KB")

    when = datetime.date.today().isoformat()
    lines = [f"Measured {when} on {machine()}; the launcher is the executable minus its "
             "payload sections; MB = 10^6 bytes, KB = 10^3 bytes.", "",
             "| target | profile | executable (MB) | launcher (KB) |", "| --- | --- | --- | --- |"]
    for row in rows:
        lines.append(f"| {row['target']} | {row['profile']} | {row['size'] / 1e6:.2f} | "
                     f"{row['launcher'] / 1e3:.1f} |")
    write_report(args.out, "targets", lines, {"machine": machine(), "date": when, "rows": rows})


if __name__ == "__main__":
    main()
