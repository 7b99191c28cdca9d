#!/usr/bin/env bash
# Installs what pyaket-cc needs to build and test, and nothing that is already there.
# Called by both README commands; safe to run again.
set -euo pipefail

apt_packages=(
  cmake ninja-build g++ git make strace util-linux
  llvm-19-dev libclang-19-dev liblld-19-dev clang-19 lld-19 llvm-19-tools
  libclang-rt-19-dev
  libzstd-dev zstd liblzma-dev xz-utils libtomlplusplus-dev libgtest-dev
  hyperfine python3 python3-pip
  curl bzip2 xz-utils
  musl-dev qemu-user-static mingw-w64 wine64
  # The shared libraries of the arm64 Python that the aarch64 tests install
  # with (fetch_target_runtimes.sh): Debian's multiarch packages, beside the host's.
  libc6:arm64 zlib1g:arm64 libexpat1:arm64 libssl3:arm64 libffi8:arm64 libbz2-1.0:arm64
  liblzma5:arm64 libcrypt1:arm64 libuuid1:arm64 libsqlite3-0:arm64
)
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    "${sudo_cmd[@]}" dpkg --add-architecture arm64
  fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# uv is the runtime the packaged executables embed, and the tests use the real
# one; matplotlib draws the benchmark's chart.
for module in uv matplotlib; do
  if ! python3 -c "import $module" >/dev/null 2>&1; then
    echo "setup: installing $module from PyPI"
    python3 -m pip install --quiet "$module"
  fi
done

# The real code bases (zlib, cJSON, zstd, cppunit, xz) from Debian's archive: the lit tests build
# them, and the launcher runtimes take zstd's and xz's decoders from them.
"$(dirname "$0")/fetch_real_code.sh"

# Packaging for other targets: arm64 musl and Python, uv's wheels per target, qemu's binfmt handler.
"$(dirname "$0")/fetch_target_runtimes.sh"
