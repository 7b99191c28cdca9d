#!/usr/bin/env bash
# Sets up the machine, builds pyaket-cc, then builds the example C program
# under every profile and runs it, printing each executable's size.
set -euo pipefail
cd "$(dirname "$0")/.."
utils/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build --target pyaket-cc
mkdir -p build/examples
for profile in develop fast fastest small smallest; do
  out=build/examples/c-stats-$profile
  build/bin/pyaket-cc --profile=$profile examples/c-stats/*.c -o "$out"
  printf '%-9s %6d bytes  ' "$profile" "$(stat -c %s "$out")"
  "$out"
done
