#!/usr/bin/env python3
"""Start-up overhead and size of the packaged example app, per profile.

For each profile: package examples/hello-app with the interpreter as its
entry (--command=python), install it (first run), then time with hyperfine,
pinned to one CPU, the installed app running `-c ""` against its venv's own
python running `-c ""`: the overhead is the difference of the means. Python's
own start-up varies by milliseconds from run to run, so the launcher is also
timed alone: the app packaged with `true` as its command against `true`.
Runs offline (UV_OFFLINE=1) in a scratch WORKSPACE.

  utils/benchmark/startup.py [--pyaket-cc build/bin/pyaket-cc] [--uv PATH] [--profiles develop,fast]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from compile_vs_clang import PROFILES, machine  # noqa: E402


def build_wheels(project, dist):
    make_wheel = os.path.join(ROOT, "utils", "make_wheel.py")
    subprocess.run([sys.executable, make_wheel, os.path.join(project, "src"), "hello-app", "1.0.0",
                    dist, "--requires", "textbox"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, make_wheel, os.path.join(project, "textbox", "src"), "textbox",
                    "0.1.0", dist], check=True, stdout=subprocess.DEVNULL)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pyaket-cc", default=os.path.join(ROOT, "build", "bin", "pyaket-cc"))
    parser.add_argument("--uv", default=None, help="the uv binary to embed (default: pip's uv)")
    parser.add_argument("--profiles", default=",".join(PROFILES))
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    uv = args.uv or subprocess.run([sys.executable, "-c", "import uv; print(uv.find_uv_bin())"],
                                   capture_output=True, text=True, check=True).stdout.strip()
    project = os.path.join(ROOT, "examples", "hello-app")
    build_wheels(project, os.path.join(project, "dist"))

    print(f"machine: {machine()}")
    print("profile        size    app -c ''  python -c ''  overhead  launcher only")
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    true = shutil.which("true")
    with tempfile.TemporaryDirectory() as scratch:
        env = dict(os.environ, WORKSPACE=os.path.join(scratch, "ws"), UV_OFFLINE="1",
                   UV_PYTHON_DOWNLOADS="never")
        python = os.path.join(scratch, "ws", "Pyaket", "Versions", "1.0.0", "bin", "python")

        def means(*commands):
            report = os.path.join(scratch, "report.json")
            subprocess.run(pin + ["hyperfine", "-N", "--warmup", "20", "--runs", str(args.runs),
                                  "--export-json", report, *commands],
                           env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return [r["mean"] * 1000 for r in json.load(open(report))["results"]]

        for profile in args.profiles.split(","):
            apps = {}
            for entry in ("python", true):
                app = apps[entry] = os.path.join(scratch, f"app-{profile}-{os.path.basename(entry)}")
                subprocess.run([args.pyaket_cc, f"--profile={profile}", f"--project={project}",
                                f"--uv={uv}", f"--command={entry}", "-o", app], check=True)
                subprocess.run([app, "-c", ""], env=env, check=True, capture_output=True)  # installs
            ours, theirs = means(f"{apps['python']} -c ''", f"{python} -c ''")
            launcher, bare = means(apps[true], true)
            size = os.path.getsize(apps["python"]) / 1e6
            print(f"{profile:<9} {size:>7.2f}MB {ours:>10.2f}ms {theirs:>11.2f}ms {ours - theirs:>+7.2f}ms"
                  f" {launcher - bare:>+12.3f}ms", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
