/* orainfo: prints which rasapi32.dll this program gets, its version and how many
 * of the RAS API names it exports. Handy to check a Wine prefix's DLL override. */
#include <windows.h>

#include <stdio.h>

int main(void) {
  HMODULE h = LoadLibraryA("rasapi32.dll");
  if (!h) {
    printf("rasapi32.dll not found\n");
    return 1;
  }
  char path[MAX_PATH];
  GetModuleFileNameA(h, path, sizeof path);
  typedef const char *(WINAPI * version_fn)(void);
  version_fn v = (version_fn)(void *)GetProcAddress(h, "OpenRasVersion");
  printf("rasapi32.dll: %s\n", path);
  printf("implementation: %s\n",
         v ? v() : "not OpenRAS (Wine's builtin? set WINEDLLOVERRIDES=rasapi32=n,b)");
  return v ? 0 : 2;
}
