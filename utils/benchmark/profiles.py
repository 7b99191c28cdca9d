#!/usr/bin/env python3
"""The profile benchmark: for each profile, the packaged example app's size,
start-up overhead, first run, cold build and rebuild, side by side; beside
them clang-19 + ld.lld on a C build and (with --pyaket) Pyaket itself.

Writes OUT/profiles.md (the table), OUT/profiles.json (every run's figure,
the machine and its load at the start and the end) and OUT/profiles.png
(one panel per column, a bar per profile with its interval).

  utils/benchmark/profiles.py [--profiles develop,fast] [--uv PATH] [--out DIR]
                              [--quick] [--no-clang] [--pyaket] [--pyaket-profiles develop,smallest]

Every timing is a median with its 95 % bootstrap interval; compared commands
run interleaved, pair by pair (timing.py). Cold build: pyaket-cc packages
examples/hello-app with an empty build cache. Rebuild: after the app
changed (a new wheel each time), the cache filled, each paired with a
develop compile of examples/c-stats (their ratio is a column). Start-up
overhead: the installed app running `-c ""` (interpreter entry) minus its
venv's own python running `-c ""`, pinned to one CPU; "launcher alone" times
the app with `true` as its command against `true`, free of Python's noise;
both over several placements of the app (copies, each installed in a
workspace of its own: common.placements), all started through env.
First run: from an empty workspace to the app's end (uv's extraction, `uv
venv`, the wheels' install, the marker); "our part" is that minus the time
uv's commands took, as the launcher logs them. MB = 10^6 bytes.
"""
import argparse
import datetime
import glob
import json
import os
import re
import shutil
import subprocess
import sys

from common import PLACEMENTS, PROFILES, ROOT, example_project, log, machine, pip_uv, placements, \
    rebuild_app_wheel
from timing import difference_interval, interval, load, ratio_interval, run_once, shown, \
    time_pairs, time_runs

# key, heading, unit, scale from seconds (or bytes), digits, an overhead (may be "< x")
COLUMNS = [
    ("size", "size", "MB", 1e-6, 2, False),
    ("startup_overhead", "start-up overhead", "ms", 1e3, 2, True),
    ("launcher_overhead", "launcher alone", "ms", 1e3, 3, True),
    ("first_run", "first run", "s", 1, 2, False),
    ("first_run_ours", "our part of it", "ms", 1e3, 0, True),
    ("cold_build", "cold build", "s", 1, 2, False),
    ("rebuild", "rebuild", "ms", 1e3, 0, False),
    ("rebuild_ratio", "rebuild / c-stats compile", "x", 1, 2, False),
]
C_STATS = [os.path.join(ROOT, "examples", "c-stats", name) for name in ("main.c", "stats.c")]


def package_command(args, profile, entry, output):
    return [args.pyaket_cc, f"--profile={profile}", f"--project={args.project}", f"--uv={args.uv}",
            f"--command={entry}", "-o", output]


def venv_python(argv, env):
    """The python of the venv that the app run by \\p argv (env, WORKSPACE=,
    the app, its arguments) installed."""
    info = subprocess.run([*argv[:3], "self", "info"], env=env, check=True, capture_output=True,
                          text=True)
    install = next(line.split(":", 1)[1].strip() for line in info.stdout.splitlines()
                   if line.startswith("install:"))
    return os.path.join(install, "bin", "python")


def uv_milliseconds(workspace):
    """What uv's commands took in the first run that installed into \\p workspace."""
    text = "".join(open(path).read() for path in glob.glob(f"{workspace}/**/install.log", recursive=True))
    return sum(float(ms) for ms in re.findall(r"^pyaket: uv \S+ took ([0-9.]+) ms$", text, re.M))


def first_runs(app, env, workspace, runs):
    """Each run from an empty workspace: its total time, and ours (minus uv's)."""
    totals, ours = [], []
    for _ in range(runs):
        shutil.rmtree(workspace, ignore_errors=True)
        total = run_once([app, "-c", ""], dict(env, WORKSPACE=workspace))
        totals.append(total)
        ours.append(total - uv_milliseconds(workspace) / 1e3)
    return totals, ours


def measure_profile(args, profile, out, env):
    """Every figure of one profile, with every run's time."""
    cache = os.path.join(out, "cache", profile)
    app = os.path.join(out, f"app-{profile}")
    build = package_command(args, profile, "python", app)
    build_env = dict(env, PYAKET_CC_CACHE_DIR=cache)

    log(f"[{profile}] cold build ({args.cold_runs} run(s), empty cache)")
    cold = time_runs(build, args.cold_runs, build_env, prepare=lambda: shutil.rmtree(cache, True))
    log(f"[{profile}]   {shown(interval(cold))} s; rebuild after a change, against c-stats "
        f"({args.build_runs} pairs)")
    stamps = iter(range(1 << 30))
    c_stats = [args.pyaket_cc, "--profile=develop", *C_STATS, "-o", os.path.join(out, "c-stats")]
    rebuild, compile_c = time_pairs(build, c_stats, args.build_runs, build_env, warmup=1,
                                    prepare=lambda: rebuild_app_wheel(args.project, next(stamps)))
    size = os.path.getsize(app)
    log(f"[{profile}]   {shown(interval(rebuild), 1e3, 0)} ms; {size / 1e6:.2f} MB; first run "
        f"({args.first_runs} runs)")
    first, ours = first_runs(app, env, os.path.join(out, "first-run-workspace"), args.first_runs)

    launcher_app = os.path.join(out, f"app-{profile}-true")
    subprocess.run(package_command(args, profile, shutil.which("true"), launcher_app),
                   env=build_env, check=True)
    log(f"[{profile}] start-up ({args.startup_runs} pairs over {args.placements} placements)")
    directory = os.path.join(out, f"placements-{profile}")
    apps = placements(app, directory, "python", ["-c", ""], env, args.placements)
    pythons = [[*argv[:2], venv_python(argv, env), "-c", ""] for argv in apps]
    launchers = placements(launcher_app, directory, "true", (), env, args.placements)
    app_run, python_run = time_pairs(apps, pythons, args.startup_runs, env,
                                     warmup=args.warmup, pin=True)
    launcher_run, true_run = time_pairs(launchers, [shutil.which("env"), shutil.which("true")],
                                        args.startup_runs, env, warmup=args.warmup, pin=True)
    row = {
        "profile": profile,
        "size": size,
        "startup_overhead": difference_interval(app_run, python_run, args.placements),
        "launcher_overhead": difference_interval(launcher_run, true_run, args.placements),
        "first_run": interval(first),
        "first_run_ours": interval(ours),
        "cold_build": interval(cold),
        "rebuild": interval(rebuild),
        "rebuild_ratio": ratio_interval(rebuild, compile_c),
        "c_stats_compile": interval(compile_c),
        "raw": {"cold_build": cold, "rebuild": rebuild, "c_stats_compile": compile_c,
                "first_run": first, "first_run_ours": ours, "app": app_run, "python": python_run,
                "launcher": launcher_run, "true": true_run},
    }
    log(f"[{profile}]   overhead {shown(row['startup_overhead'], 1e3, 2, True)} ms, launcher alone "
        f"{shown(row['launcher_overhead'], 1e3, 3, True)} ms")
    return row


def cell(row, key, scale, digits, overhead):
    return f"{row[key] * scale:.{digits}f}" if key == "size" else shown(row[key], scale, digits, overhead)


def markdown(results, when, description):
    lines = [f"Measured {when} on {description}; load {results['load']['start'][0]:.2f} at the "
             f"start, {results['load']['end'][0]:.2f} at the end. MB = 10^6 bytes; each timing is "
             "the median [95 % bootstrap interval]; \"< x\": an overhead not told apart from zero.", "",
             "| profile | " + " | ".join(f"{heading} ({unit})" for _, heading, unit, *_ in COLUMNS) + " |",
             "| --- " * (len(COLUMNS) + 1) + "|"]
    for row in results["profiles"]:
        lines.append(f"| {row['profile']} | " + " | ".join(
            cell(row, key, scale, digits, overhead) for key, _, _, scale, digits, overhead in COLUMNS) + " |")
    if results.get("clang"):
        lines += ["", "Compiler: building examples/c-stats, interleaved.", "",
                  "| profile | pyaket-cc (ms) | clang-19 + ld.lld (ms) | ratio |", "| --- " * 4 + "|"]
        for row in results["clang"]:
            lines.append(f"| {row['profile']} | {shown(row['pyaket_cc'], 1e3, 1)} | "
                         f"{shown(row['clang'], 1e3, 1)} | {shown(row['ratio'])} |")
    if results.get("pyaket"):
        from pyaket_compare import PYAKET_COLUMNS
        lines += ["", "Pyaket on the same app and machine (one cold build and one rebuild each: "
                  "cargo takes minutes), and the ratio pyaket-cc / Pyaket.", "",
                  "| profile | " + " | ".join(f"{h} ({u})" for _, h, u, *_ in PYAKET_COLUMNS)
                  + " | " + " | ".join(f"{h} ratio" for _, h, *_ in PYAKET_COLUMNS) + " |",
                  "| --- " * (2 * len(PYAKET_COLUMNS) + 1) + "|"]
        ours = {row["profile"]: row for row in results["profiles"]}
        for row in results["pyaket"]:
            mine = ours.get(row["profile"])
            ratios = [f"{value(mine, k) / value(row, k):.3g}" if mine else "—"
                      for k, *_ in PYAKET_COLUMNS]
            lines.append(f"| {row['profile']} | " + " | ".join(
                cell(row, k, s, d, o) for k, _, _, s, d, o in PYAKET_COLUMNS) + " | "
                + " | ".join(ratios) + " |")
    return "\n".join(lines) + "\n"


def value(row, key):
    return row[key] if key == "size" else row[key]["median"]


def chart(results, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    profiles = [row["profile"] for row in results["profiles"]]
    figure, axes = plt.subplots(2, (len(COLUMNS) + 1) // 2, figsize=(4.2 * ((len(COLUMNS) + 1) // 2), 7))
    for axis, (key, heading, unit, scale, digits, _) in zip(axes.flat, COLUMNS):
        rows = results["profiles"]
        medians = [value(row, key) * scale for row in rows]
        errors = None
        if key != "size":
            errors = [[max(0.0, (row[key]["median"] - row[key]["low"]) * scale) for row in rows],
                      [max(0.0, (row[key]["high"] - row[key]["median"]) * scale) for row in rows]]
        bars = axis.bar(profiles, medians, yerr=errors, capsize=3, color="#4a7ab5")
        axis.bar_label(bars, fmt=f"%.{digits}f", fontsize=7)
        axis.set_title(f"{heading} ({unit})", fontsize=9)
        axis.tick_params(axis="x", labelrotation=30, labelsize=8)
        axis.axhline(0, color="black", linewidth=0.5)
    for axis in list(axes.flat)[len(COLUMNS):]:
        axis.set_visible(False)
    figure.suptitle(f"pyaket-cc profiles (medians, 95 % intervals) — {results['machine']}", fontsize=9)
    figure.tight_layout()
    figure.savefig(path, dpi=100)


def profile_list(parser, text):
    profiles = text.split(",") if text else []
    for profile in profiles:
        if profile not in PROFILES:
            parser.error(f"unknown profile '{profile}'; the profiles are {', '.join(PROFILES)}")
    return profiles


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
    parser.add_argument("--pyaket-profiles", default=None,
                        help="Pyaket's profiles to measure (default: --profiles); implies --pyaket")
    args = parser.parse_args()
    args.uv = args.uv or pip_uv()
    runs = (1, 3, 1, 10, 2, 2) if args.quick else (3, 20, 5, 800, 3, PLACEMENTS)
    (args.cold_runs, args.build_runs, args.first_runs, args.startup_runs, args.warmup,
     args.placements) = runs
    profiles = profile_list(parser, args.profiles)
    pyaket_profiles = profile_list(parser, args.pyaket_profiles or (args.profiles if args.pyaket else ""))

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
               "load": {"start": load()},
               "runs": dict(zip(("cold", "rebuild", "first_run", "startup", "warmup", "placements"),
                                runs)),
               "profiles": [measure_profile(args, profile, out, env) for profile in profiles]}

    clang = shutil.which("clang-19")
    if clang and not args.no_clang:
        from compile_vs_clang import compare
        log("compiler: pyaket-cc against clang-19 + ld.lld")
        results["clang"] = compare(args.pyaket_cc, clang, profiles, 3 if args.quick else 20)
    if pyaket_profiles:
        from pyaket_compare import measure_pyaket
        results["pyaket"] = measure_pyaket(args, pyaket_profiles, out, env)
    results["load"]["end"] = load()

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
