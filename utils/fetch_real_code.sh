#!/usr/bin/env bash
# Fetches the real code bases of utils/real-code.txt from Debian's archive into
# $PYAKET_REAL_CODE_DIR (default ~/.cache/pyaket-cc/real-code), each checked
# against its SHA-256. A file already there with the right hash is kept, so
# only the first set-up on a machine downloads anything.
set -euo pipefail
cd "$(dirname "$0")"
dir=${PYAKET_REAL_CODE_DIR:-$HOME/.cache/pyaket-cc/real-code}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$dir"

grep -v '^#' real-code.txt | while read -r name path sha256; do
  file=$dir/$(basename "$path")
  if [ -f "$file" ] && echo "$sha256  $file" | sha256sum --check --status; then
    continue
  fi
  echo "setup: fetching $name from $mirror/$path"
  curl -sSfL --retry 3 -o "$file.part" "$mirror/$path"
  if ! echo "$sha256  $file.part" | sha256sum --check --status; then
    rm -f "$file.part"
    echo "setup: $mirror/$path does not have the SHA-256 in utils/real-code.txt" >&2
    exit 1
  fi
  mv "$file.part" "$file"
done
