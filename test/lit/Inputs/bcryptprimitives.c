/* A test-only bcryptprimitives.dll for wine 8, which has none: uv.exe
   imports ProcessPrng from it (Windows 10 and later). It asks
   RtlGenRandom (advapi32's SystemFunction036) for the bytes instead.
   lit.cfg.py builds it with mingw-w64 into the tests' wine prefix. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID Buffer, ULONG Length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE Data, SIZE_T Size) {
  for (; Size > 0x10000000; Data += 0x10000000, Size -= 0x10000000)
    if (!SystemFunction036(Data, 0x10000000))
      return FALSE;
  return SystemFunction036(Data, (ULONG)Size);
}
