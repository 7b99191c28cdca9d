# import-loop.py SECONDS: imports the app's modules afresh, again and again,
# for SECONDS; prints how many rounds succeeded and how many failed.
import importlib
import sys
import time

end = time.time() + float(sys.argv[1])
ok = failed = 0
while time.time() < end:
    for name in [m for m in sys.modules if m.split(".")[0] in ("textbox", "hello_app")]:
        del sys.modules[name]
    importlib.invalidate_caches()
    try:
        import hello_app  # noqa: F401
        import textbox  # noqa: F401
        ok += 1
    except Exception:
        failed += 1
print(f"imports: {ok} ok, {failed} failed")
