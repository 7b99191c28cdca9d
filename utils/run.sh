#!/usr/bin/env bash
# Sets up the machine, builds pyaket-cc, packages the example Python project
# (examples/hello-app) with the default profile and runs it: the first run
# installs, the second takes the fast path.
set -euo pipefail
cd "$(dirname "$0")/.."
utils/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build --target pyaket-cc

project=examples/hello-app
python3 utils/make_wheel.py $project/src hello-app 1.0.0 $project/dist --requires textbox
python3 utils/make_wheel.py $project/textbox/src textbox 0.1.0 $project/dist
uv=$(python3 -c 'import uv; print(uv.find_uv_bin())')
build/bin/pyaket-cc --project=$project --uv="$uv" -o build/hello-app
ls -l build/hello-app

# Everything the app needs is bundled: run offline, installing under build/.
export WORKSPACE=$PWD/build/hello-app-workspace UV_OFFLINE=1
build/hello-app "from the README"
build/hello-app "again, on the fast path"
build/hello-app self info
