#!/usr/bin/env bash
# Builds the libFuzzer harnesses (fuzz/) with clang-19 in a build directory of
# their own ($PYAKET_FUZZ_BUILD_DIR, else build-fuzz) and runs each for
# SECONDS (default 60) on a copy of its corpus (fuzz/corpus/<harness>), one at
# a time. Prints each harness's executions; fails on any crash, leak or timeout.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
build=${PYAKET_FUZZ_BUILD_DIR:-build-fuzz}

CC=clang-19 CXX=clang++-19 cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPYAKET_FUZZ=ON >/dev/null
cmake --build "$build" --target pyaket-fuzzers

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
summary=()
for harness in launcher-config wheel-archive dotenv project-config; do
  # The run adds what it finds to its copy, never to the repository's corpus;
  # crash files go to $work too.
  cp -r "fuzz/corpus/$harness" "$work/$harness"
  dict=()
  [ -f "fuzz/$harness.dict" ] && dict=("-dict=fuzz/$harness.dict")
  echo "fuzz: $harness for ${seconds}s"
  # An input that takes 10 s (they are a few KB) is a hang: it fails the run.
  if ! "$build/bin/fuzz-$harness" "${dict[@]}" -max_total_time="$seconds" -timeout=10 \
      -print_final_stats=1 -artifact_prefix="$work/$harness-" "$work/$harness" \
      2>"$work/$harness.log"; then
    tail -n 60 "$work/$harness.log"
    mkdir -p "$build/crashes"
    cp "$work/$harness"-* "$build/crashes/" 2>/dev/null || true
    echo "fuzz: $harness failed; its input is in $build/crashes/" >&2
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$harness.log")
  summary+=("$harness: $runs executions in ${seconds}s")
done
printf 'fuzz: %s\n' "${summary[@]}"
