"""Pyaket itself on the same app and machine: `pip install pyaket` into a
venv of its own, then its CLI (which drives cargo) builds examples/hello-app
per profile. Cold build: an empty cargo target directory; rebuild: the same
directory again. Pyaket's launcher installs with uv on its first run like
ours; start-up overhead is measured the same way (interpreter entry)."""
import glob
import os
import shutil
import subprocess
import sys
import time

from common import log
from timing import difference_interval, interval, time_pairs

# As profiles.py's COLUMNS: key, heading, unit, scale, digits, an overhead.
PYAKET_COLUMNS = [
    ("size", "size", "MB", 1e-6, 2, False),
    ("startup_overhead", "start-up overhead", "ms", 1e3, 2, True),
    ("cold_build", "cold build", "s", 1, 1, False),
    ("rebuild", "rebuild", "s", 1, 1, False),
]


def pyaket_python(out):
    """The python of a venv under \\p out with pyaket installed (on first use)."""
    venv = os.path.join(out, "pyaket-venv")
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(os.path.join(venv, "bin", "pyaket")):
        log("pyaket: pip install pyaket (into a venv of its own)")
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([python, "-m", "pip", "install", "--quiet", "pyaket"], check=True)
    return python


# Pyaket's CLI chains sub-commands (`pyaket app ... dep ... compile`), but
# pyaket 0.10 rejects the options of every sub-command after the first, so
# its Python API builds instead, from the venv's own interpreter.
BUILD_SCRIPT = """
import sys
from pathlib import Path
from pyaket import PyaketProject, PyaketBuild
profile, target, release, *wheels = sys.argv[1:]
project = PyaketProject()
project.app.name = "hello-app"
project.app.version = "1.0.0"
project.deps.wheels = [Path(wheel) for wheel in wheels]
project.python.version = "3.11"
project.entry.command = "python"
project.build.profile = PyaketBuild.Profile(profile)
print(project.compile(cache=Path(target), output=Path(release)))
"""


def build(python, profile, wheels, target, release):
    """One Pyaket build; returns (seconds, path of the executable)."""
    shutil.rmtree(release, ignore_errors=True)
    start = time.perf_counter()
    done = subprocess.run([python, "-c", BUILD_SCRIPT, profile, target, release, *wheels],
                          check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    return seconds, done.stdout.strip().splitlines()[-1]


def measure_pyaket(args, profiles, out, env):
    python = pyaket_python(out)
    wheels = args.wheels
    rows = []
    for profile in profiles:
        target = os.path.join(out, "pyaket-target", profile)
        release = os.path.join(out, "pyaket-release", profile)
        shutil.rmtree(target, ignore_errors=True)
        log(f"[pyaket {profile}] cold build (cargo, empty target directory)")
        cold, app = build(python, profile, wheels, target, release)
        log(f"[pyaket {profile}]   {cold:.1f} s; rebuild")
        rebuild, app = build(python, profile, wheels, target, release)
        # Pyaket's launcher always seeds pip into the venv and upgrades it from
        # the index: offline its install fails, so it runs with the network.
        pyaket_env = dict(env, WORKSPACE=os.path.join(out, "pyaket-workspace", profile))
        pyaket_env.pop("UV_OFFLINE", None)
        subprocess.run([app, "-c", ""], env=pyaket_env, check=True, capture_output=True)
        venv_python = glob.glob(os.path.join(pyaket_env["WORKSPACE"], "**", "bin", "python"),
                                recursive=True)[0]
        app_run, python_run = time_pairs([app, "-c", ""], [venv_python, "-c", ""], args.startup_runs,
                                         pyaket_env, warmup=args.warmup, pin=True)
        rows.append({"profile": profile, "size": os.path.getsize(app),
                     "startup_overhead": difference_interval(app_run, python_run),
                     "cold_build": interval([cold]), "rebuild": interval([rebuild]),
                     "raw": {"app": app_run, "python": python_run}})
        log(f"[pyaket {profile}]   {rebuild:.1f} s; {rows[-1]['size'] / 1e6:.2f} MB")
    return rows
