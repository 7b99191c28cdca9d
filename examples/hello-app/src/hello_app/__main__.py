"""python -m hello_app [WORDS...] [--exit CODE]"""
import os
import sys

import textbox


def main(argv):
    code = 0
    if "--exit" in argv:
        at = argv.index("--exit")
        code = int(argv[at + 1])
        argv = argv[:at] + argv[at + 2:]
    words = " ".join(argv) or "world"
    print(textbox.box(f"Hello, {words}!"))
    print(f"python {sys.version_info.major}.{sys.version_info.minor} in {os.environ.get('VIRTUAL_ENV', '?')}")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
