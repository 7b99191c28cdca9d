"""flip-byte.py EXE SECTION OUT: a copy of EXE with one byte in the middle of
SECTION inverted, located through the section headers of an ELF file or of a
PE file (whose section names have at most 8 characters)."""
import os
import struct
import sys

exe, section, out = sys.argv[1:]
data = bytearray(open(exe, "rb").read())


def elf_sections():
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    headers = [struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize) for i in range(shnum)]
    names = headers[shstrndx][4]
    for name, _, _, _, offset, size in headers:
        yield data[names + name:data.index(b"\0", names + name)].decode(), offset, size


def pe_sections():
    pe, = struct.unpack_from("<I", data, 0x3C)
    count, = struct.unpack_from("<H", data, pe + 6)
    optional, = struct.unpack_from("<H", data, pe + 20)
    for i in range(count):
        header = pe + 24 + optional + 40 * i
        size, = struct.unpack_from("<I", data, header + 8)  # VirtualSize: the data itself
        offset, = struct.unpack_from("<I", data, header + 20)
        yield data[header:header + 8].rstrip(b"\0").decode(), offset, size


for name, offset, size in (pe_sections() if data[:2] == b"MZ" else elf_sections()):
    if name == section:
        data[offset + size // 2] ^= 0xFF
        break
else:
    sys.exit(f"no section {section} in {exe}")
open(out, "wb").write(data)
os.chmod(out, 0o755)
