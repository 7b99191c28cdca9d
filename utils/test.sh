#!/usr/bin/env bash
# Sets up the machine, builds pyaket-cc and runs every test: unit tests and lit
# tests, then a short seeded run of each fuzz harness (60 s each, clang build in build-fuzz/).
set -euo pipefail
cd "$(dirname "$0")/.."
utils/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build --target check
utils/fuzz.sh 60
