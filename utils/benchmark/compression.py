#!/usr/bin/env python3
"""The payload compression curve: for each candidate setting, the size of
uv's payload, the time to compress it (a build whose only cold part is that
compression, on all cores) and the time a first run takes to extract it (the
launcher's `self uv --version` from an empty workspace minus uv's own
`--version`, interleaved). The profiles' settings are chosen from it
(docs/profiles.md).

Writes OUT/compression.md and OUT/compression.json.

  utils/benchmark/compression.py [--uv PATH] [--out DIR] [--runs N]
"""
import argparse
import datetime
import os
import shutil
import subprocess
import sys

from common import ROOT, example_project, log, machine, payload_bytes, pip_uv, write_report
from timing import difference_interval, interval, load, shown, time_pairs, time_runs

FAST_HC4 = "mode=normal,mf=hc4,nice=12,depth=4,dict=8MiB"
SMALL = "mode=normal,mf=hc4,nice=12,depth=2,dict=8MiB"
# name, profile keys
CANDIDATES = [
    ("zstd 3", 'zstd_level = 3'),
    ("zstd 6", 'zstd_level = 6'),
    ("zstd 12", 'zstd_level = 12'),
    ("zstd 16", 'zstd_level = 16'),
    ("zstd 19 (long)", 'zstd_level = 19'),
    ("zstd 22 (long)", 'zstd_level = 22'),
    ("xz hc4 nice=8 depth=4, 4 MiB blocks", 'uv_compression = "xz"\nxz_lzma2 = "mode=normal,mf=hc4,nice=8,depth=4,dict=8MiB"\nxz_block_mib = 4'),
    ("xz hc4 nice=12 depth=4, 4 MiB blocks", f'uv_compression = "xz"\nxz_lzma2 = "{FAST_HC4}"\nxz_block_mib = 4'),
    ("xz hc4 nice=12 depth=4, 8 MiB blocks", f'uv_compression = "xz"\nxz_lzma2 = "{FAST_HC4}"\nxz_block_mib = 8'),
    ("xz hc4 nice=12 depth=2, 8 MiB blocks (small)", f'uv_compression = "xz"\nxz_lzma2 = "{SMALL}"\nxz_block_mib = 8'),
    ("xz -6, 8 MiB blocks", 'uv_compression = "xz"\nxz_lzma2 = "preset=6"\nxz_block_mib = 8'),
    ("xz -9e, 20 MiB blocks", 'uv_compression = "xz"\nxz_lzma2 = "preset=9e"\nxz_block_mib = 20'),
    ("xz -9e, one block (smallest)", 'uv_compression = "xz"\nxz_lzma2 = "preset=9e"\nxz_block_mib = 0'),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pyaket-cc", default=os.path.join(ROOT, "build", "bin", "pyaket-cc"))
    parser.add_argument("--uv", default=None, help="the uv binary to embed (default: pip's uv)")
    parser.add_argument("--out", default=os.path.join(ROOT, "build", "benchmark-compression"))
    parser.add_argument("--runs", type=int, default=5, help="extractions per setting")
    args = parser.parse_args()
    uv = args.uv or pip_uv()
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    project = os.path.join(out, "project")
    example_project(project)
    cache = os.path.join(out, "cache")
    env = dict(os.environ, PYAKET_CC_CACHE_DIR=cache, UV_OFFLINE="1", UV_PYTHON_DOWNLOADS="never")
    workspace = os.path.join(out, "workspace")
    start_load = load()
    rows = []
    for name, keys in CANDIDATES:
        profile = os.path.join(out, "profile.toml")
        open(profile, "w").write(f'inherits = "develop"\n{keys}\n')
        app = os.path.join(out, "app")
        build = [args.pyaket_cc, f"--profile={profile}", f"--project={project}", f"--uv={uv}", "-o", app]
        subprocess.run([args.pyaket_cc, "--profile=develop", f"--project={project}", f"--uv={uv}",
                        "-o", app], env=env, check=True)  # the launcher's objects, cached
        compress = time_runs(build, 1, env, prepare=lambda: shutil.rmtree(os.path.join(cache, "payloads")))
        size = payload_bytes(app)
        extract, bare = time_pairs([app, "self", "uv", "--version"], [uv, "--version"], args.runs,
                                   dict(env, WORKSPACE=workspace),
                                   prepare=lambda: shutil.rmtree(workspace, ignore_errors=True))
        rows.append({"setting": name, "payload": size, "compress": interval(compress),
                     "extract": difference_interval(extract, bare)})
        log(f"{name}: {size / 1e6:.2f} MB, {compress[0]:.1f} s, extraction "
            f"{shown(rows[-1]['extract'], 1e3, 0)} ms")
    when = datetime.date.today().isoformat()
    lines = [f"Measured {when} on {machine()}, uv {os.path.getsize(uv) / 1e6:.1f} MB; load "
             f"{start_load[0]:.2f} at the start, {load()[0]:.2f} at the end. Payload: uv's and the "
             "wheels' compressed bytes (MB = 10^6 bytes); compression: one cold build's wall time "
             "with all else cached; extraction: median [95 % interval] over "
             f"{args.runs} first runs of `self uv --version`, minus uv's own.", "",
             "| setting | payload (MB) | compression (s) | extraction (ms) |", "| --- " * 4 + "|"]
    lines += [f"| {r['setting']} | {r['payload'] / 1e6:.2f} | {shown(r['compress'], 1, 1)} | "
              f"{shown(r['extract'], 1e3, 0)} |" for r in rows]
    write_report(out, "compression", lines, {"machine": machine(), "date": when, "rows": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
