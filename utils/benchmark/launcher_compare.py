#!/usr/bin/env python3
"""The launcher's own start-up cost and size, this pyaket-cc against a
baseline one: each packages examples/hello-app with `true` as its command,
each app is installed in several placements (copies, each with a workspace
of its own: common.placements), then both apps and `true` itself run
interleaved in one loop pinned to one CPU (timing.py), so that the
differences are free of run-to-run drift; each figure is a median with its
95 % bootstrap interval over placements and runs. The size is the
launcher's part of the executable (the file minus its payload sections), in
KB = 10^3 bytes. Writes OUT/launcher.md and .json.

  utils/benchmark/launcher_compare.py --baseline OLD_PYAKET_CC
        [--pyaket-cc NEW] [--profiles develop,smallest] [--runs 2000] [--out DIR]
"""
import argparse
import datetime
import os
import shutil
import subprocess

from common import PLACEMENTS, ROOT, example_project, log, machine, payload_bytes, pip_uv, \
    placements, write_report
from timing import difference_interval, shown, time_interleaved


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", required=True, help="the pyaket-cc to compare against")
    parser.add_argument("--pyaket-cc", default=os.path.join(ROOT, "build", "bin", "pyaket-cc"))
    parser.add_argument("--profiles", default="develop,smallest")
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--out", default=os.path.join(ROOT, "build", "benchmark"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    project = os.path.join(args.out, "launcher-project")
    example_project(project)
    uv, true = pip_uv(), shutil.which("true")
    env = dict(os.environ, UV_OFFLINE="1", UV_PYTHON_DOWNLOADS="never",
               PYAKET_CC_CACHE_DIR=os.path.join(args.out, "cache"))

    rows = []
    for profile in args.profiles.split(","):
        apps, sizes = {}, {}
        for label, compiler in (("baseline", args.baseline), ("this", args.pyaket_cc)):
            app = os.path.join(args.out, f"launcher-{label}-{profile}")
            subprocess.run([compiler, f"--profile={profile}", f"--project={project}", f"--uv={uv}",
                            f"--command={true}", "-o", app], env=env, check=True)
            sizes[label] = os.path.getsize(app) - payload_bytes(app)
            apps[label] = placements(app, os.path.join(args.out, f"placements-{profile}"), label,
                                     env=env)
        log(f"[{profile}] {args.runs} rounds over {PLACEMENTS} placements")
        baseline, this, bare = time_interleaved([apps["baseline"], apps["this"],
                                                 [shutil.which("env"), true]],
                                                args.runs, env, warmup=10, pin=True)
        rows.append({"profile": profile, "size": sizes,
                     "baseline": difference_interval(baseline, bare, PLACEMENTS),
                     "this": difference_interval(this, bare, PLACEMENTS),
                     "difference": difference_interval(this, baseline, PLACEMENTS),
                     "raw": {"baseline": baseline, "this": this, "true": bare}})
        log(f"[{profile}] launcher alone: baseline {shown(rows[-1]['baseline'], 1e3, 3)} ms, "
            f"this {shown(rows[-1]['this'], 1e3, 3)} ms")

    when = datetime.date.today().isoformat()
    lines = [f"Measured {when} on {machine()}; launcher alone = app minus `env true` "
             f"(both started through env), {args.runs} interleaved rounds over "
             f"{PLACEMENTS} placements of each app (copies with workspaces of their own); "
             "medians [95 % bootstrap intervals over placements and runs].", "",
             "| profile | baseline (ms) | this (ms) | this - baseline (ms) | "
             "baseline size (KB) | this size (KB) |",
             "| --- | --- | --- | --- | --- | --- |"]
    for row in rows:
        lines.append(f"| {row['profile']} | {shown(row['baseline'], 1e3, 3)} | "
                     f"{shown(row['this'], 1e3, 3)} | {shown(row['difference'], 1e3, 3)} | "
                     f"{row['size']['baseline'] / 1e3:.1f} | {row['size']['this'] / 1e3:.1f} |")
    write_report(args.out, "launcher", lines, {"machine": machine(), "date": when, "rows": rows})


if __name__ == "__main__":
    main()
