/* Shared by PE tests: run a cmocka group and print the line ctest requires. */
#ifndef OPENRAS_PE_TEST_H
#define OPENRAS_PE_TEST_H

#include <windows.h>
#include <ras.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

/* ctest passes a test only on "OPENRAS-PE-PASS <name>", printed after every case
 * passed; Wine failing to start the program prints nothing and so fails. */
#define ORA_PE_RUN_TESTS(name, group) ORA_PE_RUN_TESTS_WITH(name, group, NULL, NULL)
/* The same with a group setup and teardown. */
#define ORA_PE_RUN_TESTS_WITH(name, group, setup, teardown)                                        \
  do {                                                                                             \
    setvbuf(stdout, NULL, _IONBF, 0);                                                              \
    int failed_ = cmocka_run_group_tests(group, setup, teardown);                                  \
    if (failed_)                                                                                   \
      printf("OPENRAS-PE-FAIL %s: %d failed\n", name, failed_);                                    \
    else                                                                                           \
      printf("OPENRAS-PE-PASS %s\n", name);                                                        \
    return failed_;                                                                                \
  } while (0)

/* The manager's own report of its resource use (OpenRasManagerDiag, a private export
 * of OpenRAS's rasapi32.dll): Wine does not give one process another's handle count or
 * memory use. 0, an error, or -1 when the DLL has no such export. */
typedef struct ora_pe_usage {
  uint32_t threads, handles, clients, routes, connections;
  uint64_t heap_bytes;
} ora_pe_usage;
static inline int ora_pe_manager_usage(ora_pe_usage *u) {
  typedef DWORD(WINAPI * diag_fn)(ora_pe_usage *);
  diag_fn f =
      (diag_fn)(void *)GetProcAddress(GetModuleHandleA("rasapi32.dll"), "OpenRasManagerDiag");
  return f ? (int)f(u) : -1;
}

/* Polls (every 10 ms, ms at most) until the handle no longer answers; the last
 * RasGetConnectStatusA result, ERROR_INVALID_HANDLE once it is gone. */
static inline DWORD ora_pe_wait_gone(HRASCONN h, DWORD ms) {
  DWORD rc = 0;
  for (DWORD waited = 0;; waited += 10) {
    RASCONNSTATUSA st;
    memset(&st, 0, sizeof st);
    st.dwSize = sizeof st;
    rc = RasGetConnectStatusA(h, &st);
    if (rc != 0 || waited >= ms)
      return rc;
    Sleep(10);
  }
}

/* "<temp folder><name>-<pid><ext>" into out (MAX_PATH): a file of this test process. */
static inline void ora_pe_temp_path(const char *name, const char *ext, char *out, size_t cap) {
  char dir[MAX_PATH];
  GetTempPathA(sizeof dir, dir);
  snprintf(out, cap, "%s%s-%lu%s", dir, name, (unsigned long)GetCurrentProcessId(), ext);
}

/* Writes text to path (binary: CR LF stay as given); 0, or -1. */
static inline int ora_pe_write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  if (!f)
    return -1;
  int rc = fputs(text, f) < 0 ? -1 : 0;
  return fclose(f) == 0 ? rc : -1;
}

/* Starts a Linux program (Wine runs a command line beginning with a Unix path as a
 * native process; DETACHED_PROCESS, or Wine gives it no stdio of its own). Wine's
 * process handle does not follow that program, so it cannot be waited for: callers
 * wait for its effect. 0 when started, -1 when not. */
static inline int ora_pe_start_native(const char *cmdline) {
  STARTUPINFOA si;
  PROCESS_INFORMATION pi;
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  char line[512];
  if (snprintf(line, sizeof line, "%s", cmdline) >= (int)sizeof line ||
      !CreateProcessA(NULL, line, NULL, NULL, FALSE, DETACHED_PROCESS, NULL, NULL, &si, &pi))
    return -1;
  CloseHandle(pi.hThread);
  CloseHandle(pi.hProcess);
  return 0;
}

#endif
