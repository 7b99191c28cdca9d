#!/usr/bin/env python3
"""Builds a pure-Python wheel from a source directory, offline and byte for byte
reproducibly (fixed timestamps, sorted entries), with no build backend.

  make_wheel.py SRC NAME VERSION OUT_DIR [--requires REQ]...

SRC holds the importable packages (e.g. SRC/hello_app/__init__.py).
"""
import argparse
import base64
import hashlib
import os
import re
import sys
import zipfile

EPOCH = (1980, 1, 1, 0, 0, 0)


def record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src")
    parser.add_argument("name")
    parser.add_argument("version")
    parser.add_argument("out_dir")
    parser.add_argument("--requires", action="append", default=[])
    args = parser.parse_args()

    dist = re.sub(r"[-_.]+", "_", args.name).lower()
    info = f"{dist}-{args.version}.dist-info"
    files = {}
    for root, dirs, names in os.walk(args.src):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            if name.endswith(".pyc"):
                continue
            path = os.path.join(root, name)
            files[os.path.relpath(path, args.src).replace(os.sep, "/")] = open(path, "rb").read()
    metadata = [f"Metadata-Version: 2.1", f"Name: {args.name}", f"Version: {args.version}"]
    metadata += [f"Requires-Dist: {req}" for req in args.requires]
    files[f"{info}/METADATA"] = ("\n".join(metadata) + "\n").encode()
    files[f"{info}/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: pyaket-cc make_wheel.py\n"
                              b"Root-Is-Purelib: true\nTag: py3-none-any\n")
    record = [record_line(path, data) for path, data in sorted(files.items())]
    files[f"{info}/RECORD"] = ("\n".join(record + [f"{info}/RECORD,,"]) + "\n").encode()

    os.makedirs(args.out_dir, exist_ok=True)
    wheel = os.path.join(args.out_dir, f"{dist}-{args.version}-py3-none-any.whl")
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in sorted(files.items()):
            entry = zipfile.ZipInfo(path, EPOCH)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
    print(wheel)
    return 0


if __name__ == "__main__":
    sys.exit(main())
