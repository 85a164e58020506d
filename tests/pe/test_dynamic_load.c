/* Programs that load rasapi32.dll at run time (LoadLibrary, GetProcAddress) and free
 * it as soon as a call returns, some while an asynchronous dial is still notifying
 * them: the DLL's threads (notifier, pipe reader) must never run code that is no
 * longer mapped. The DLL pins itself once it starts a thread; this program does not
 * import rasapi32 at all, so FreeLibrary really is the last reference it holds. */
#include <windows.h>
#include <ras.h>
#include <raserror.h>

#include <stdio.h>
#include <string.h>

#include "pe_test.h"

typedef DWORD(WINAPI *dial_fn)(LPRASDIALEXTENSIONS, LPCSTR, LPRASDIALPARAMSA, DWORD, LPVOID,
                               LPHRASCONN);
typedef DWORD(WINAPI *hangup_fn)(HRASCONN);
typedef DWORD(WINAPI *status_fn)(HRASCONN, LPRASCONNSTATUSA);
typedef DWORD(WINAPI *enum_fn)(LPRASCONNA, LPDWORD, LPDWORD);

static char g_pbk[MAX_PATH];
static HANDLE g_connected;
static volatile LONG g_events;

static VOID WINAPI on_event(HRASCONN h, UINT msg, RASCONNSTATE state, DWORD error, DWORD ext) {
  (void)h;
  (void)msg;
  (void)ext;
  InterlockedIncrement(&g_events);
  if (state == RASCS_Connected && error == 0)
    SetEvent(g_connected);
}

static int setup(void **state) {
  (void)state;
  char dir[MAX_PATH];
  GetTempPathA(sizeof dir, dir);
  snprintf(g_pbk, sizeof g_pbk, "%sopenras-dynload-%lu.pbk", dir, GetCurrentProcessId());
  FILE *f = fopen(g_pbk, "w");
  if (!f)
    return -1;
  fputs("[Slowish]\nORA_Link=sim\nORA_SimStepMs=20\n", f);
  fclose(f);
  g_connected = CreateEventA(NULL, FALSE, FALSE, NULL);
  return g_connected ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  DeleteFileA(g_pbk);
  CloseHandle(g_connected);
  return 0;
}

/* Asynchronous dial, FreeLibrary at once, callbacks keep coming; then load again,
 * find the connection, hang it up and free again. Several rounds. */
static void free_while_notifying(void **state) {
  (void)state;
  for (int round = 0; round < 3; round++) {
    HMODULE m = LoadLibraryA("rasapi32.dll");
    assert_non_null(m);
    dial_fn dial = (dial_fn)(void (*)(void))GetProcAddress(m, "RasDialA");
    assert_non_null(dial);
    RASDIALPARAMSA p;
    memset(&p, 0, sizeof p);
    p.dwSize = sizeof p;
    strcpy(p.szEntryName, "Slowish");
    HRASCONN h = NULL;
    LONG before = g_events;
    assert_int_equal(dial(NULL, g_pbk, &p, 1, (LPVOID)on_event, &h), 0);
    FreeLibrary(m);
    assert_int_equal(WaitForSingleObject(g_connected, 10000), WAIT_OBJECT_0);
    assert_true(g_events - before >= 5); /* the notifications kept coming */

    m = LoadLibraryA("rasapi32.dll");
    assert_non_null(m);
    status_fn status = (status_fn)(void (*)(void))GetProcAddress(m, "RasGetConnectStatusA");
    hangup_fn hangup = (hangup_fn)(void (*)(void))GetProcAddress(m, "RasHangUpA");
    enum_fn enumc = (enum_fn)(void (*)(void))GetProcAddress(m, "RasEnumConnectionsA");
    RASCONNA conns[8];
    conns[0].dwSize = sizeof conns[0];
    DWORD cb = sizeof conns, n = 0;
    assert_int_equal(enumc(conns, &cb, &n), 0);
    int listed = 0; /* other programs' connections may be listed too */
    for (DWORD i = 0; i < n; i++)
      listed += conns[i].hrasconn == h;
    assert_int_equal(listed, 1);
    RASCONNSTATUSA st;
    st.dwSize = sizeof st;
    assert_int_equal(status(h, &st), 0);
    assert_int_equal(st.rasconnstate, RASCS_Connected);
    assert_int_equal(hangup(h), 0);
    FreeLibrary(m);
  }
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (GetModuleHandleA("rasapi32.dll")) {
    printf("OPENRAS-PE-FAIL test_dynamic_load: rasapi32 is imported statically\n");
    return 1;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(free_while_notifying),
  };
  int failed = cmocka_run_group_tests(tests, setup, teardown);
  /* The process then exits while the (pinned) DLL still has its threads. */
  if (failed)
    printf("OPENRAS-PE-FAIL test_dynamic_load: %d failed\n", failed);
  else
    printf("OPENRAS-PE-PASS test_dynamic_load\n");
  return failed;
}
