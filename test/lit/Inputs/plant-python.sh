# plant-python.sh BUILD_DIR PROOF: an attacker's venv at BUILD_DIR whose
# python and marker look installed; running the python creates PROOF.
set -eu
mkdir -p "$1/bin"
printf '#!/bin/sh\ntouch %s\n' "$2" > "$1/bin/python"
chmod 755 "$1/bin/python"
basename "$1" | sed 's/.*@//' > "$1/.pyaket-installed"
