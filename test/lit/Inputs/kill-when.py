"""Runs a command and kills it (SIGKILL) the moment a file matching a glob
pattern appears (--appears) or a path is missing (--missing), polling all
the while: a kill at a chosen step rather than at a chosen time. Exits 0
when it killed the command, 1 when the command ended first.

  kill-when.py (--appears PATTERN | --missing PATH) -- COMMAND...
"""
import glob
import os
import signal
import subprocess
import sys

condition, path = sys.argv[1], sys.argv[2]
command = sys.argv[sys.argv.index("--") + 1:]
met = {"--appears": lambda: bool(glob.glob(path)),
       "--missing": lambda: not os.path.lexists(path)}[condition]
child = subprocess.Popen(command)
while child.poll() is None:
    if met():
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        print(f"killed: {condition} {path}")
        sys.exit(0)
print(f"ended ({child.returncode}) and never {condition} {path}")
sys.exit(1)
