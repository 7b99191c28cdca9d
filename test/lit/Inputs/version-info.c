/* version-info.exe FILE: prints what Windows' version API reads from FILE's
   version resource (the fixed file version and the strings) and how many
   icon groups it has, one per line. Built with mingw-w64 by the tests. */
#include <stdio.h>
#include <windows.h>

static BOOL CALLBACK countGroup(HMODULE Module, LPCWSTR Type, LPWSTR Name, LONG_PTR Count) {
  ++*(int *)Count;
  return TRUE;
}

int wmain(int Argc, wchar_t **Argv) {
  DWORD Handle, Size = GetFileVersionInfoSizeW(Argv[1], &Handle);
  void *Data = malloc(Size);
  if (!Size || !GetFileVersionInfoW(Argv[1], 0, Size, Data))
    return 1;
  VS_FIXEDFILEINFO *Fixed;
  UINT Length;
  if (VerQueryValueW(Data, L"\\", (void **)&Fixed, &Length))
    printf("FixedFileVersion: %lu.%lu.%lu.%lu\n", Fixed->dwFileVersionMS >> 16,
           Fixed->dwFileVersionMS & 0xffff, Fixed->dwFileVersionLS >> 16,
           Fixed->dwFileVersionLS & 0xffff);
  const wchar_t *Keys[] = {L"CompanyName", L"FileDescription", L"FileVersion", L"ProductName",
                           L"OriginalFilename"};
  for (int I = 0; I < 5; ++I) {
    wchar_t Query[128], *Value;
    swprintf(Query, 128, L"\\StringFileInfo\\040904B0\\%ls", Keys[I]);
    if (VerQueryValueW(Data, Query, (void **)&Value, &Length))
      printf("%ls: %ls\n", Keys[I], Value);
  }
  HMODULE Module = LoadLibraryExW(Argv[1], NULL, LOAD_LIBRARY_AS_DATAFILE);
  int Groups = 0;
  EnumResourceNamesW(Module, (LPCWSTR)RT_GROUP_ICON, countGroup, (LONG_PTR)&Groups);
  printf("IconGroups: %d\n", Groups);
  return 0;
}
