"""flip-byte.py EXE SECTION OUT: a copy of EXE with one byte in the middle of
SECTION inverted (located through the ELF section headers)."""
import struct
import sys

exe, section, out = sys.argv[1:]
data = bytearray(open(exe, "rb").read())
shoff, = struct.unpack_from("<Q", data, 0x28)
shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
def header(i):
    return struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
names_offset = header(shstrndx)[4]
for i in range(shnum):
    name, _, _, _, offset, size = header(i)[:6]
    end = data.index(b"\0", names_offset + name)
    if data[names_offset + name:end].decode() == section:
        data[offset + size // 2] ^= 0xFF
        break
else:
    sys.exit(f"no section {section} in {exe}")
open(out, "wb").write(data)
import os
os.chmod(out, 0o755)
