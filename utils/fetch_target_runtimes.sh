#!/usr/bin/env bash
# Fetches what packaging for targets other than the host needs, into
# $PYAKET_TARGETS_DIR (default ~/.cache/pyaket-cc/targets):
#   arm64/root   Debian's arm64 musl and compiler-rt builtins (the aarch64-linux
#                launcher runtime, built by CMake from them), and Python 3.11
#                (the tests' first install under qemu: arm64/root/usr/bin);
#   uv/          uv's wheels for aarch64 Linux and x86_64 Windows, of the
#                host uv's version, from PyPI.
# That Python's shared libraries are Debian's multiarch arm64 packages, which
# setup.sh installs (libc6:arm64 ...: /lib/ld-linux-aarch64.so.1 and
# /lib/aarch64-linux-gnu, beside the host's). qemu's binfmt handler is
# registered for aarch64 programs, so that an aarch64 launcher exec's the
# aarch64 uv and python as the kernel would on an arm64 machine.
# Safe to run again: what is there is kept.
set -euo pipefail
dir=${PYAKET_TARGETS_DIR:-$HOME/.cache/pyaket-cc/targets}
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

arm64_unpacked=(musl-dev libclang-rt-19-dev python3.11-minimal libpython3.11-minimal libpython3.11-stdlib)

stamp="$dir/arm64/root/.packages"
if [ "$(cat "$stamp" 2>/dev/null)" != "${arm64_unpacked[*]}" ]; then
  rm -rf "$dir/arm64"
  mkdir -p "$dir/arm64/debs" "$dir/arm64/root"
  echo "setup: downloading arm64 ${arm64_unpacked[*]} (unpacked, not installed)"
  (cd "$dir/arm64/debs" && apt-get download -qq "${arm64_unpacked[@]/%/:arm64}" 2>&1 | grep -v unsandboxed || true)
  for deb in "$dir/arm64/debs"/*.deb; do dpkg-deb -x "$deb" "$dir/arm64/root"; done
  echo "${arm64_unpacked[*]}" >"$stamp"
fi

uv_version=$(python3 -m uv --version | awk '{print $2}')
for platform in manylinux2014_aarch64 win_amd64; do
  if ! ls "$dir/uv/uv-$uv_version-"*"$platform"*.whl >/dev/null 2>&1; then
    echo "setup: downloading uv $uv_version for $platform from PyPI"
    python3 -m pip download --quiet --no-deps --only-binary=:all: --platform "$platform" \
      --dest "$dir/uv" "uv==$uv_version"
  fi
done

binfmt=/proc/sys/fs/binfmt_misc
if [ ! -e "$binfmt/qemu-aarch64" ]; then
  [ -e "$binfmt/register" ] || "${sudo_cmd[@]}" mount -t binfmt_misc binfmt_misc "$binfmt"
  echo "setup: registering qemu for aarch64 programs ($binfmt/qemu-aarch64)"
  "${sudo_cmd[@]}" sh -c "cat /usr/lib/binfmt.d/qemu-aarch64.conf >$binfmt/register"
fi
