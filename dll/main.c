/* DLL entry point and OpenRAS's private exports. */
#include <windows.h>

#include "stub.h"
#include "version.h"

/* Lets a program (and the tests) tell OpenRAS from Wine's builtin rasapi32. */
const char *WINAPI OpenRasVersion(void);
const char *WINAPI OpenRasVersion(void) {
  return "OpenRAS " ORA_VERSION_STRING;
}

#ifdef ORA_INPROC_ENGINE
/* Without a manager process there is nothing to report. */
DWORD WINAPI OpenRasManagerDiag(void *out);
DWORD WINAPI OpenRasManagerDiag(void *out) {
  (void)out;
  return ERROR_CALL_NOT_IMPLEMENTED;
}
#endif

DWORD ora_stub_called(const char *name) {
  (void)name;
  return ERROR_CALL_NOT_IMPLEMENTED;
}

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved) {
  (void)reserved;
  if (reason == DLL_PROCESS_ATTACH)
    DisableThreadLibraryCalls(inst);
  return TRUE;
}
