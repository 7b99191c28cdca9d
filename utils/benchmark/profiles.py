#!/usr/bin/env python3
"""The profile benchmark: for each profile, the packaged example app's size,
start-up overhead, cold build and rebuild, side by side; beside them, when
installed, clang-19 + ld.lld on a C build and (with --pyaket) Pyaket itself.

Writes OUT/profiles.md (the table), OUT/profiles.json (every raw figure and
the machine) and OUT/profiles.png (one panel per column, a bar per profile).

  utils/benchmark/profiles.py [--profiles develop,fast] [--uv PATH] [--out DIR]
                              [--quick] [--no-clang] [--pyaket]

Cold build: pyaket-cc packages examples/hello-app with an empty payload cache
(hyperfine --prepare empties it). Rebuild: the same with the cache filled.
Start-up overhead: the installed app running `-c ""` (interpreter entry)
minus its venv's own python running `-c ""`, means of hyperfine runs pinned
to one CPU; "launcher alone" times the app with `true` as its command
against `true`, free of Python's run-to-run noise. MB = 10^6 bytes.
"""
import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys

from common import PROFILES, ROOT, example_project, hyperfine, log, machine, pip_uv

COLUMNS = [  # key, heading, unit, scale from the raw figure
    ("size", "size", "MB", 1e-6),
    ("startup_overhead", "start-up overhead", "ms", 1e3),
    ("cold_build", "cold build", "s", 1),
    ("rebuild", "rebuild", "s", 1),
]


def package_command(args, profile, entry, output):
    return [args.pyaket_cc, f"--profile={profile}", f"--project={args.project}", f"--uv={args.uv}",
            f"--command={entry}", "-o", output]


def measure_profile(args, profile, out, env):
    """Every figure of one profile, raw."""
    cache = os.path.join(out, "cache", profile)
    app = os.path.join(out, f"app-{profile}")
    build = " ".join(package_command(args, profile, "python", app))
    build_env = dict(env, PYAKET_CC_CACHE_DIR=cache)

    log(f"[{profile}] cold build ({args.cold_runs} run(s), empty cache)")
    cold = hyperfine([build], runs=args.cold_runs, prepare=f"rm -rf {cache}", env=build_env)[0]
    log(f"[{profile}]   {cold['mean']:.2f} s; rebuild ({args.build_runs} runs, cache filled)")
    rebuild = hyperfine([build], runs=args.build_runs, warmup=1, env=build_env)[0]
    size = os.path.getsize(app)
    log(f"[{profile}]   {rebuild['mean']:.2f} s; {size / 1e6:.2f} MB; installing")

    launcher_app = os.path.join(out, f"app-{profile}-true")
    subprocess.run(package_command(args, profile, shutil.which("true"), launcher_app),
                   env=build_env, check=True)
    for executable in (app, launcher_app):
        subprocess.run([executable, "-c", ""], env=env, check=True, capture_output=True)
    info = subprocess.run([app, "self", "info"], env=env, check=True, capture_output=True, text=True)
    build_dir = next(line.split(":", 1)[1].strip() for line in info.stdout.splitlines()
                     if line.startswith("install:"))
    python = os.path.join(build_dir, "bin", "python")  # the app's own venv
    log(f"[{profile}] start-up ({args.startup_runs} runs)")
    app_run, python_run = hyperfine([f"{app} -c ''", f"{python} -c ''"], runs=args.startup_runs,
                                    warmup=args.warmup, env=env, pin=True)
    launcher_run, true_run = hyperfine([launcher_app, shutil.which("true")],
                                       runs=args.startup_runs, warmup=args.warmup, env=env, pin=True)
    overhead = app_run["mean"] - python_run["mean"]
    log(f"[{profile}]   overhead {overhead * 1e3:+.2f} ms, launcher alone "
        f"{(launcher_run['mean'] - true_run['mean']) * 1e3:+.3f} ms")
    return {
        "profile": profile,
        "size": size,
        "startup_overhead": overhead,
        "cold_build": cold["mean"],
        "rebuild": rebuild["mean"],
        "raw": {"cold_build": cold, "rebuild": rebuild, "app": app_run, "python": python_run,
                "launcher": launcher_run, "true": true_run},
        "launcher_overhead": launcher_run["mean"] - true_run["mean"],
    }


def markdown(results, when, description):
    lines = [f"Measured {when} on {description}; MB = 10^6 bytes, times are means.", "",
             "| profile | " + " | ".join(f"{heading} ({unit})" for _, heading, unit, _ in COLUMNS)
             + " | launcher alone (ms) |",
             "| --- " * (len(COLUMNS) + 2) + "|"]
    for row in results["profiles"]:
        cells = [f"{row[key] * scale:.2f}" for key, _, _, scale in COLUMNS]
        lines.append(f"| {row['profile']} | " + " | ".join(cells)
                     + f" | {row['launcher_overhead'] * 1e3:.2f} |")
    if results.get("clang"):
        lines += ["", "Compiler: building examples/c-stats (median build time).", "",
                  "| profile | pyaket-cc (ms) | clang-19 + ld.lld (ms) | ratio |", "| --- " * 4 + "|"]
        for row in results["clang"]:
            lines.append(f"| {row['profile']} | {row['pyaket_cc'] * 1e3:.1f} | {row['clang'] * 1e3:.1f}"
                         f" | {row['pyaket_cc'] / row['clang']:.2f} |")
    if results.get("pyaket"):
        lines += ["", "Pyaket on the same app and machine, and the ratio pyaket-cc / Pyaket.", "",
                  "| profile | " + " | ".join(f"{h} ({u})" for _, h, u, _ in COLUMNS)
                  + " | " + " | ".join(f"{h} ratio" for _, h, _, _ in COLUMNS) + " |",
                  "| --- " * (2 * len(COLUMNS) + 1) + "|"]
        ours = {row["profile"]: row for row in results["profiles"]}
        for row in results["pyaket"]:
            mine = ours[row["profile"]]
            lines.append(f"| {row['profile']} | "
                         + " | ".join(f"{row[k] * s:.2f}" for k, _, _, s in COLUMNS) + " | "
                         + " | ".join(f"{mine[k] / row[k]:.3f}" for k, _, _, _ in COLUMNS) + " |")
    return "\n".join(lines) + "\n"


def chart(results, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    profiles = [row["profile"] for row in results["profiles"]]
    figure, axes = plt.subplots(1, len(COLUMNS), figsize=(4 * len(COLUMNS), 3.6))
    for axis, (key, heading, unit, scale) in zip(axes, COLUMNS):
        values = [row[key] * scale for row in results["profiles"]]
        bars = axis.bar(profiles, values, color="#4a7ab5")
        axis.bar_label(bars, fmt="%.2f", fontsize=8)
        axis.set_title(f"{heading} ({unit})")
        axis.tick_params(axis="x", labelrotation=30)
        axis.axhline(0, color="black", linewidth=0.5)
    figure.suptitle(f"pyaket-cc profiles — {results['machine']}", fontsize=9)
    figure.tight_layout()
    figure.savefig(path, dpi=100)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pyaket-cc", default=os.path.join(ROOT, "build", "bin", "pyaket-cc"))
    parser.add_argument("--uv", default=None, help="the uv binary to embed (default: pip's uv)")
    parser.add_argument("--profiles", default=",".join(PROFILES))
    parser.add_argument("--out", default=os.path.join(ROOT, "build", "benchmark"))
    parser.add_argument("--quick", action="store_true", help="few runs: checks the outputs' shape")
    parser.add_argument("--no-clang", action="store_true", help="skip the clang-19 comparison")
    parser.add_argument("--pyaket", action="store_true",
                        help="also measure Pyaket (pip install pyaket; builds with cargo, slow)")
    args = parser.parse_args()
    args.uv = args.uv or pip_uv()
    runs = (1, 2, 10, 2) if args.quick else (2, 5, 300, 20)
    args.cold_runs, args.build_runs, args.startup_runs, args.warmup = runs
    profiles = args.profiles.split(",")
    for profile in profiles:
        if profile not in PROFILES:
            parser.error(f"unknown profile '{profile}'; the profiles are {', '.join(PROFILES)}")

    out = os.path.abspath(args.out)
    shutil.rmtree(os.path.join(out, "workspace"), ignore_errors=True)
    os.makedirs(out, exist_ok=True)
    env = dict(os.environ, WORKSPACE=os.path.join(out, "workspace"), UV_OFFLINE="1",
               UV_PYTHON_DOWNLOADS="never")
    args.project = os.path.join(out, "project")
    args.wheels = example_project(args.project)
    description = machine()
    when = datetime.date.today().isoformat()
    log(f"machine: {description}")
    results = {"machine": description, "date": when, "pyaket_cc": args.pyaket_cc,
               "uv": {"path": args.uv, "size": os.path.getsize(args.uv)},
               "runs": dict(zip(("cold", "rebuild", "startup", "warmup"), runs)),
               "profiles": [measure_profile(args, profile, out, env) for profile in profiles]}

    clang = shutil.which("clang-19")
    if clang and not args.no_clang:
        from compile_vs_clang import compare
        log("compiler: pyaket-cc against clang-19 + ld.lld")
        results["clang"] = compare(args.pyaket_cc, clang, profiles, 3 if args.quick else 20)
    if args.pyaket:
        from pyaket_compare import measure_pyaket
        results["pyaket"] = measure_pyaket(args, profiles, out, env)

    with open(os.path.join(out, "profiles.json"), "w") as file:
        json.dump(results, file, indent=2)
    with open(os.path.join(out, "profiles.md"), "w") as file:
        file.write(markdown(results, when, description))
    chart(results, os.path.join(out, "profiles.png"))
    log(open(os.path.join(out, "profiles.md")).read())
    log(f"wrote {out}/profiles.md, profiles.json, profiles.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
