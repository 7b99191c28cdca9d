#!/usr/bin/env bash
# hello-project.sh SRC_ROOT PYTHON DEST: a copy of examples/hello-app in DEST,
# with its two wheels built into DEST/dist.
set -euo pipefail
root=$1 python=$2 dest=$3
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
cp -r "$root/examples/hello-app" "$dest"
rm -rf "$dest/dist"
"$python" "$root/utils/make_wheel.py" "$dest/src" hello-app 1.0.0 "$dest/dist" --requires textbox >/dev/null
"$python" "$root/utils/make_wheel.py" "$dest/textbox/src" textbox 0.1.0 "$dest/dist" >/dev/null
