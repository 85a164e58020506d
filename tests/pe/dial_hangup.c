/* RasHangUp and handle validity: stale and forged handles never reach a connection
 * (shared/spec/behaviour.md section 4, and 1's "must eventually call RasHangUp"). */
#include "dial_util.h"

#include <stdlib.h>
#include <string.h>

/* "After the call the handle can no longer be used; a second RasHangUp on it must
 * fail"; "poll RasGetConnectStatus (Sleep(0) or Sleep(50) loops) until it returns
 * ERROR_INVALID_HANDLE. It must get there, and quickly." (A and W; within 200 ms.) */
static void hangup_then_gone_quickly(void **state) {
  (void)state;
  for (int wide = 0; wide < 2; wide++) {
    HRASCONN h = NULL;
    assert_int_equal(t_dial_entry(wide, "Sim", &h), 0);
    assert_int_equal(wide ? RasHangUpW(h) : RasHangUpA(h), 0);
    int ms = t_wait_gone(h, 200);
    assert_true(ms >= 0);
    RASCONNSTATUSW st;
    memset(&st, 0, sizeof st);
    st.dwSize = sizeof st;
    assert_int_equal(RasGetConnectStatusW(h, &st), ERROR_INVALID_HANDLE);
    assert_int_equal(RasHangUpA(h), ERROR_INVALID_HANDLE);
    assert_int_equal(RasHangUpW(h), ERROR_INVALID_HANDLE);
  }
}

/* "Ends the connection, also one whose RasDial has not completed": a synchronous
 * RasDial on another thread waits in ConnectDevice (60 s); its handle is already in its
 * *lphRasConn (DECISION: stored as soon as the engine gave it), so the main thread hangs
 * it up, and the waiting RasDial returns ERROR_USER_DISCONNECTION (631) at once. */
static HRASCONN volatile g_sync_h;
static volatile DWORD g_sync_rc = 0xFFFF;
static DWORD WINAPI sync_dial_thread(void *arg) {
  (void)arg;
  RASDIALPARAMSW p;
  dial_fields f = {0};
  f.entry = "Hold";
  t_fill_params(1, T_601, &f, &p);
  g_sync_rc = RasDialW(NULL, t_pbk_w(), &p, 0, NULL, (HRASCONN *)&g_sync_h);
  return 0;
}
static void hangup_incomplete_sync_dial(void **state) {
  (void)state;
  g_sync_rc = 0xFFFF;
  g_sync_h = NULL;
  HANDLE t = CreateThread(NULL, 0, sync_dial_thread, NULL, 0, NULL);
  assert_non_null(t);
  DWORD start = GetTickCount();
  while (!g_sync_h && GetTickCount() - start < 5000)
    Sleep(1);
  HRASCONN h = g_sync_h;
  assert_non_null(h);
  t_track(h);
  assert_true(t_wait_state(h, RASCS_ConnectDevice, 5000));
  assert_int_equal(WaitForSingleObject(t, 50), WAIT_TIMEOUT); /* still dialing */
  assert_int_equal(RasHangUpA(h), 0);
  assert_int_equal(WaitForSingleObject(t, 2000), WAIT_OBJECT_0);
  CloseHandle(t);
  assert_int_equal(g_sync_rc, ERROR_USER_DISCONNECTION);
  assert_true(t_wait_gone(h, 200) >= 0);
}

/* The same with an asynchronous dial: RasHangUp in ConnectDevice returns 0, the
 * handle is gone at once. */
static void hangup_incomplete_async_dial(void **state) {
  (void)state;
  for (int wide = 0; wide < 2; wide++) {
    dial_fields f = {0};
    f.entry = "Hold";
    HRASCONN h = NULL;
    t_rec_reset(NULL);
    assert_int_equal(t_dial(wide, NULL, &f, 2, (void *)t_func2, &h), 0);
    assert_true(t_wait_state(h, RASCS_ConnectDevice, 5000));
    assert_int_equal(wide ? RasHangUpW(h) : RasHangUpA(h), 0);
    assert_true(t_wait_gone(h, 200) >= 0);
    assert_int_equal(RasHangUpA(h), ERROR_INVALID_HANDLE);
  }
}

/* Stale handles: a hung-up handle whose slot a new dial reuses never reaches the new
 * connection (status, hang-up and resume all answer ERROR_INVALID_HANDLE and the new
 * connection stays connected). The engine encodes slot | generation << 16, so the dials
 * go on until the low 16 bits of a new handle repeat the old one's. */
static void stale_handle_after_slot_reuse(void **state) {
  (void)state;
  HRASCONN old = NULL;
  assert_int_equal(t_dial_entry(0, "Sim", &old), 0);
  assert_int_equal(RasHangUpA(old), 0);
  HRASCONN now = NULL;
  int reused = 0;
  for (int i = 0; i < 300 && !reused; i++) {
    now = NULL;
    assert_int_equal(t_dial_entry(i & 1, "Sim", &now), 0);
    assert_true(now != old);
    if (((ULONG_PTR)now & 0xFFFF) == ((ULONG_PTR)old & 0xFFFF))
      reused = 1;
    else
      assert_int_equal(RasHangUpA(now), 0);
  }
  assert_true(reused);
  assert_int_equal(t_status(old, NULL, NULL), ERROR_INVALID_HANDLE);
  assert_int_equal(RasHangUpA(old), ERROR_INVALID_HANDLE);
  assert_int_equal(RasHangUpW(old), ERROR_INVALID_HANDLE);
  RASDIALPARAMSA p;
  dial_fields f = {0};
  f.entry = "Sim";
  t_fill_params(0, T_601, &f, &p);
  HRASCONN h = old;
  assert_int_equal(RasDialA(NULL, t_pbk(), &p, 1, (void *)t_func1, &h), ERROR_INVALID_HANDLE);
  DWORD s = 0;
  assert_int_equal(t_status(now, &s, NULL), 0);
  assert_int_equal(s, RASCS_Connected);
  assert_int_equal(RasHangUpA(now), 0);
}

/* Forged handles: NULL, INVALID_HANDLE_VALUE, the live handle with other generation or
 * slot bits, values above 32 bits (x64), and thousands of random values: all are
 * ERROR_INVALID_HANDLE for RasGetConnectStatus and RasHangUp, and the live connection
 * is untouched. */
static void forged_handles(void **state) {
  (void)state;
  HRASCONN live = NULL;
  assert_int_equal(t_dial_entry(1, "Sim", &live), 0);
  ULONG_PTR v = (ULONG_PTR)live;
  ULONG_PTR forged[] = {0,
                        (ULONG_PTR)INVALID_HANDLE_VALUE,
                        v ^ 0x10000,
                        v + 0x10000,
                        v - 0x10000,
                        v ^ 1,
                        v + 1,
                        v & 0xFFFF,
                        v & 0xFFFF0000,
                        0xFFFFFFFF,
#ifdef _WIN64
                        v | ((ULONG_PTR)1 << 32),
                        v | ((ULONG_PTR)0xFFFFFFFF << 32),
#endif
                        1,
                        0x10000};
  for (size_t i = 0; i < sizeof forged / sizeof forged[0]; i++) {
    if (forged[i] == v)
      continue;
    HRASCONN h = (HRASCONN)forged[i];
    assert_int_equal(t_status(h, NULL, NULL), ERROR_INVALID_HANDLE);
    assert_int_equal(RasHangUpA(h), ERROR_INVALID_HANDLE);
  }
  srand(GetTickCount());
  for (int i = 0; i < 2000; i++) {
    ULONG_PTR r = ((ULONG_PTR)rand() << 17) ^ ((ULONG_PTR)rand() << 2) ^ (ULONG_PTR)rand();
    r &= 0xFFFFFFFF;
    if (r == v || (r & 0xFFFF0000) == 0 || (r >> 16) < 0x100)
      continue; /* skip the live handle and small generations another test may own */
    HRASCONN h = (HRASCONN)r;
    if (i & 1)
      assert_int_equal(RasHangUpW(h), ERROR_INVALID_HANDLE);
    else
      assert_int_equal(t_status(h, NULL, NULL), ERROR_INVALID_HANDLE);
  }
  DWORD s = 0, e = 1;
  assert_int_equal(t_status(live, &s, &e), 0);
  assert_int_equal(s, RASCS_Connected);
  assert_int_equal(e, 0);
  assert_int_equal(RasHangUpW(live), 0);
}

/* "An application must eventually call RasHangUp whenever a non-NULL connection handle
 * is stored into *lphRasConn. This applies even if RasDial returns a nonzero (error)
 * value": the failed connection holds its entry until then - RasHangUp releases it and
 * the entry dials again. */
static void failed_dial_needs_hangup(void **state) {
  (void)state;
  HRASCONN h = NULL;
  assert_int_equal(t_dial_entry(0, "Busy", &h), ERROR_LINE_BUSY);
  assert_non_null(h);
  assert_int_equal(RasHangUpA(h), 0);
  HRASCONN h2 = NULL;
  assert_int_equal(t_dial_entry(0, "Busy", &h2), ERROR_LINE_BUSY);
  assert_true(h2 != h);
  assert_int_equal(RasHangUpA(h2), 0);
}

int main(void) {
  if (!t_pbk())
    return 1;
  const struct CMUnitTest tests[] = {
      T_TEST(hangup_then_gone_quickly),
      T_TEST(hangup_incomplete_sync_dial),
      T_TEST(hangup_incomplete_async_dial),
      T_TEST(stale_handle_after_slot_reuse),
      T_TEST(forged_handles),
      T_TEST(failed_dial_needs_hangup),
  };
  ORA_PE_RUN_TESTS("dial_hangup", tests);
}
