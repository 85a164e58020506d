/* ORA_STUB(name, bytes): an export that is not implemented. `bytes` is the x86
 * stdcall argument size from def/exports.txt, so the caller's stack stays balanced. */
#ifndef OPENRAS_DLL_STUB_H
#define OPENRAS_DLL_STUB_H

#include <windows.h>

#define ORA_ARGS_0 void
#define ORA_ARGS_4 ULONG_PTR a
#define ORA_ARGS_8 ORA_ARGS_4, ULONG_PTR b
#define ORA_ARGS_12 ORA_ARGS_8, ULONG_PTR c
#define ORA_ARGS_16 ORA_ARGS_12, ULONG_PTR d
#define ORA_ARGS_20 ORA_ARGS_16, ULONG_PTR e
#define ORA_ARGS_24 ORA_ARGS_20, ULONG_PTR f
#define ORA_ARGS_28 ORA_ARGS_24, ULONG_PTR g
#define ORA_ARGS_32 ORA_ARGS_28, ULONG_PTR h

DWORD ora_stub_called(const char *name);

#define ORA_STUB(name, bytes)                                                                      \
  DWORD WINAPI name(ORA_ARGS_##bytes);                                                             \
  DWORD WINAPI name(ORA_ARGS_##bytes) {                                                            \
    return ora_stub_called(#name);                                                                 \
  }

#endif
