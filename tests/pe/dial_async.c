/* Asynchronous RasDial with the callback notifiers RasDialFunc, RasDialFunc1 and
 * RasDialFunc2, A and W (shared/spec/behaviour.md sections 1, 3, 4, 6). */
#include "dial_util.h"

#include <string.h>

static HRASCONN volatile g_h;
static DWORD g_main_tid;

static DWORD dial_hook(int wide, const char *entry, int type, RASDIALEXTENSIONS *ext,
                       void (*hook)(const t_event *));
#define dial_async(wide, entry, type, ext) dial_hook(wide, entry, type, ext, NULL)

static void *notifier_of(int type) {
  return type == 0 ? (void *)t_func0 : type == 1 ? (void *)t_func1 : (void *)t_func2;
}

/* Dials entry asynchronously into g_h with the recorder reset and its hook set. */
static DWORD dial_hook(int wide, const char *entry, int type, RASDIALEXTENSIONS *ext,
                       void (*hook)(const t_event *)) {
  dial_fields f = {0};
  f.entry = entry;
  g_h = NULL;
  t_rec_reset(&g_h);
  g_rec.hook = hook;
  return t_dial(wide, ext, &f, (DWORD)type, notifier_of(type), (HRASCONN *)&g_h);
}

/* No event arrives for a while (notifications have ended). */
static void assert_quiet(int count, DWORD ms) {
  Sleep(ms);
  assert_int_equal(t_rec_count(), count);
}

/* "lpvNotifier non-NULL: asynchronous. RasDial returns immediately; progress goes to
 * the notifier." With 30 ms per state (at least 300 ms to Connected), RasDial has
 * returned while the dial is still in its first states. */
static void returns_immediately(void **state) {
  (void)state;
  assert_int_equal(dial_async(0, "Slow", 1, NULL), 0);
  assert_non_null(g_h);
  DWORD s = 0;
  assert_int_equal(t_status(g_h, &s, NULL), 0);
  assert_true(s <= RASCS_AllDevicesConnected);
  assert_true(t_rec_wait(5000));
  assert_true(t_rec_find(RASCS_Connected, 0) >= 0);
  assert_int_equal(RasHangUpA(g_h), 0);
}

/* For notifier type 0, 1, 2 (A and W):
 * - "Sent with dwError 0 on entry to each state": the plain simulated dial notifies
 *   OpenPort ... Connected in order, each once, dwError 0 (section 6 values);
 * - "unMsg ... DECISION: callbacks get 0xCCCD";
 * - "RasDialFunc1/2 get the same hrasconn that RasDial returned";
 * - "callbacks run on a thread owned by the DLL, created during the initial RasDial,
 *   never on the caller's thread and never before RasDial has returned" (DECISION,
 *   docs/behaviour.md: captured during it, an idle one kept from an earlier dial or a
 *   new one): not the caller's thread, one thread for the whole dial, and *lphRasConn
 *   already set when the first notification runs;
 * - "dwExtendedError is 0 except for dwError 650, 640, 645, 639";
 * - "Notifications end when the state is RASCS_Connected". */
static void full_sequence(int wide, int type) {
  assert_int_equal(dial_async(wide, "Sim", type, NULL), 0);
  HRASCONN h = g_h;
  assert_non_null(h);
  assert_true(t_rec_wait(5000));
  int n = t_rec_count();
  assert_int_equal(n, t_nplain_states);
  DWORD tid = t_rec_get(0).tid;
  assert_true(tid != g_main_tid);
  for (int i = 0; i < n; i++) {
    t_event ev = t_rec_get(i);
    assert_int_equal(ev.type, type);
    assert_int_equal(ev.state, t_plain_states[i]);
    assert_int_equal(ev.error, 0);
    assert_int_equal(ev.ext, 0);
    assert_int_equal(ev.msg, WM_RASDIALEVENT);
    assert_int_equal(ev.tid, tid);
    assert_ptr_equal(ev.seen, h);
    if (type != 0)
      assert_ptr_equal(ev.h, h);
  }
  assert_quiet(n, 100);
  assert_int_equal(wide ? RasHangUpW(h) : RasHangUpA(h), 0);
}
static void full_sequence_func0_a(void **state) {
  (void)state;
  full_sequence(0, 0);
}
static void full_sequence_func1_a(void **state) {
  (void)state;
  full_sequence(0, 1);
}
static void full_sequence_func2_a(void **state) {
  (void)state;
  full_sequence(0, 2);
}
static void full_sequence_func0_w(void **state) {
  (void)state;
  full_sequence(1, 0);
}
static void full_sequence_func1_w(void **state) {
  (void)state;
  full_sequence(1, 1);
}
static void full_sequence_func2_w(void **state) {
  (void)state;
  full_sequence(1, 2);
}

/* "an error within a state sends the same state again with a nonzero dwError";
 * "Notifications end ... when a notification carries a nonzero dwError"; "Errors after
 * an asynchronous return are readable with RasGetConnectStatus until RasHangUp". Each
 * simulated failure shows as the notifier's dwError and as RasGetConnectStatus's. */
static void failure_notified(int wide, int type, const char *entry, DWORD state_, DWORD code) {
  assert_int_equal(dial_async(wide, entry, type, NULL), 0); /* the dial started */
  HRASCONN h = g_h;
  assert_non_null(h);
  assert_true(t_rec_wait(5000));
  int n = t_rec_count();
  assert_true(n >= 2);
  t_event last = t_rec_get(n - 1), before = t_rec_get(n - 2);
  assert_int_equal(last.state, state_);
  assert_int_equal(last.error, code);
  assert_int_equal(last.ext, 0);
  assert_int_equal(before.state, state_);
  assert_int_equal(before.error, 0);
  for (int i = 0; i < n - 1; i++)
    assert_int_equal(t_rec_get(i).error, 0);
  assert_quiet(n, 50);
  DWORD s = 0, e = 0;
  assert_int_equal(t_status(h, &s, &e), 0);
  assert_int_equal(s, state_);
  assert_int_equal(e, code);
  assert_int_equal(RasHangUpA(h), 0);
  assert_true(t_wait_gone(h, 1000) >= 0);
}
static void failures_notified(void **state) {
  (void)state;
  for (int wide = 0; wide < 2; wide++)
    for (int type = 0; type < 3; type++) {
      failure_notified(wide, type, "Busy", RASCS_ConnectDevice, ERROR_LINE_BUSY);
      failure_notified(wide, type, "NoAnswer", RASCS_ConnectDevice, ERROR_NO_ANSWER);
      failure_notified(wide, type, "NoCarrier", RASCS_ConnectDevice, ERROR_NO_CARRIER);
      failure_notified(wide, type, "NoDialtone", RASCS_ConnectDevice, ERROR_NO_DIALTONE);
      failure_notified(wide, type, "FailAuth", RASCS_Authenticate, ERROR_AUTHENTICATION_FAILURE);
    }
}

/* "RasDialFunc2 returning 0 stops all further notifications ... nonzero goes on." The
 * dial itself goes on to Connected. */
static void func2_returning_zero_stops(void **state) {
  (void)state;
  for (DWORD after = 1; after <= 3; after += 2) {
    dial_fields f = {0};
    f.entry = "Sim";
    g_h = NULL;
    t_rec_reset(&g_h);
    g_rec.func2_ret_after = after;
    assert_int_equal(t_dial(0, NULL, &f, 2, (void *)t_func2, (HRASCONN *)&g_h), 0);
    assert_true(t_wait_state(g_h, RASCS_Connected, 5000));
    assert_quiet((int)after, 100);
    assert_int_equal(RasHangUpA(g_h), 0);
  }
}

/* "dwCallbackId = RASDIALPARAMS.dwCallbackId" in every RasDialFunc2 call (the whole
 * ULONG_PTR), A and W with mingw-w64's RASDIALPARAMS. */
static void func2_callback_id(void **state) {
  (void)state;
  for (int wide = 0; wide < 2; wide++) {
    dial_fields f = {0};
    f.entry = "Sim";
    f.callback_id = (ULONG_PTR)0x89ABCDEFu;
#ifdef _WIN64
    f.callback_id |= (ULONG_PTR)0x01234567u << 32;
#endif
    g_h = NULL;
    t_rec_reset(&g_h);
    assert_int_equal(t_dial(wide, NULL, &f, 2, (void *)t_func2, (HRASCONN *)&g_h), 0);
    assert_true(t_rec_wait(5000));
    int n = t_rec_count();
    assert_int_equal(n, t_nplain_states);
    for (int i = 0; i < n; i++)
      assert_true(t_rec_get(i).callback_id == f.callback_id);
    assert_int_equal(RasHangUpA(g_h), 0);
  }
}

/* "The dial is suspended while a callback runs (it does not advance until the callback
 * returns)": the PortOpened callback sleeps 300 ms; meanwhile the caller's thread sees
 * PortOpened and nothing later, and so does the callback itself after its sleep. With
 * 0 ms per state the dial would otherwise be connected within a few ms. */
static HANDLE g_in_callback;
static volatile DWORD g_state_after_sleep;
static void sleep_in_port_opened(const t_event *ev) {
  if (ev->state != RASCS_PortOpened)
    return;
  SetEvent(g_in_callback);
  Sleep(300);
  t_status(g_h, (DWORD *)&g_state_after_sleep, NULL);
}
static void dial_waits_for_callback(void **state) {
  (void)state;
  for (int type = 0; type < 3; type++) {
    g_in_callback = CreateEventA(NULL, TRUE, FALSE, NULL);
    g_state_after_sleep = 0xFFFF;
    assert_int_equal(dial_hook(0, "Sim", type, NULL, sleep_in_port_opened), 0);
    assert_int_equal(WaitForSingleObject(g_in_callback, 5000), WAIT_OBJECT_0);
    for (int i = 0; i < 20; i++) {
      DWORD s = 0;
      assert_int_equal(t_status(g_h, &s, NULL), 0);
      assert_int_equal(s, RASCS_PortOpened);
      Sleep(10);
    }
    assert_true(t_rec_wait(5000));
    assert_int_equal(g_state_after_sleep, RASCS_PortOpened);
    assert_true(t_rec_find(RASCS_Connected, 0) >= 0);
    assert_int_equal(RasHangUpA(g_h), 0);
    CloseHandle(g_in_callback);
  }
}

/* "It may call RasGetConnectStatus ...": inside each callback, RasGetConnectStatus
 * works and reports the state being notified (the dial waits for the callback). */
static volatile LONG g_status_mismatch, g_status_calls;
static void status_in_callback(const t_event *ev) {
  DWORD s = 0, e = 0;
  DWORD rc = t_status(g_h, &s, &e);
  InterlockedIncrement(&g_status_calls);
  if (rc != 0 || s != ev->state || e != ev->error)
    InterlockedIncrement(&g_status_mismatch);
}
static void status_inside_callback(void **state) {
  (void)state;
  for (int wide = 0; wide < 2; wide++) {
    g_status_mismatch = g_status_calls = 0;
    dial_fields f = {0};
    f.entry = "Sim";
    g_h = NULL;
    t_rec_reset(&g_h);
    g_rec.hook = status_in_callback;
    assert_int_equal(t_dial(wide, NULL, &f, 1, (void *)t_func1, (HRASCONN *)&g_h), 0);
    assert_true(t_rec_wait(5000));
    assert_int_equal(g_status_calls, t_nplain_states);
    assert_int_equal(g_status_mismatch, 0);
    assert_int_equal(RasHangUpA(g_h), 0);
  }
}

/* "RasHangUp inside the callback takes effect after the callback returns. It must not
 * deadlock." RasHangUp from the AuthNotify callback returns 0; the handle is then
 * gone (also for RasGetConnectStatus inside the same callback), no further
 * notification comes ("Notifications end ... when RasHangUp is called"), and a second
 * RasHangUp fails. */
static volatile DWORD g_hangup_rc = 0xFFFF, g_status_after_hangup = 0xFFFF;
static HANDLE g_hung_up;
static void hangup_in_auth_notify(const t_event *ev) {
  if (ev->state != RASCS_AuthNotify)
    return;
  g_hangup_rc = RasHangUpA(g_h);
  g_status_after_hangup = t_status(g_h, NULL, NULL);
  SetEvent(g_hung_up);
}
static void hangup_inside_callback(void **state) {
  (void)state;
  for (int type = 0; type < 3; type++) {
    g_hung_up = CreateEventA(NULL, TRUE, FALSE, NULL);
    g_hangup_rc = g_status_after_hangup = 0xFFFF;
    dial_fields f = {0};
    f.entry = "Slow";
    g_h = NULL;
    t_rec_reset(&g_h);
    g_rec.hook = hangup_in_auth_notify;
    assert_int_equal(t_dial(type == 1, NULL, &f, (DWORD)type, notifier_of(type), (HRASCONN *)&g_h),
                     0);
    assert_int_equal(WaitForSingleObject(g_hung_up, 5000), WAIT_OBJECT_0);
    assert_int_equal(g_hangup_rc, 0);
    assert_int_equal(g_status_after_hangup, ERROR_INVALID_HANDLE);
    int n = t_rec_count();
    assert_int_equal(t_rec_get(n - 1).state, RASCS_AuthNotify);
    assert_quiet(n, 150); /* Slow: the next state would come within 30 ms */
    assert_true(t_wait_gone(g_h, 500) >= 0);
    assert_int_equal(RasHangUpA(g_h), ERROR_INVALID_HANDLE);
    CloseHandle(g_hung_up);
  }
}

/* "RasHangUp: Ends the connection, also one whose RasDial has not completed" and
 * "Notifications end ... when RasHangUp is called on the connection": the caller hangs
 * up while the dial waits in ConnectDevice; nothing is notified after that. */
static void hangup_during_dial_ends_notifications(void **state) {
  (void)state;
  for (int wide = 0; wide < 2; wide++) {
    assert_int_equal(dial_async(wide, "Hold", 1, NULL), 0);
    assert_true(t_wait_state(g_h, RASCS_ConnectDevice, 5000));
    Sleep(20);
    int n = t_rec_count();
    assert_int_equal(t_rec_get(n - 1).state, RASCS_ConnectDevice);
    assert_int_equal(wide ? RasHangUpW(g_h) : RasHangUpA(g_h), 0);
    assert_true(t_wait_gone(g_h, 500) >= 0);
    assert_quiet(n, 100);
  }
}

/* "On RASCS_Connected, a client may call RasEnumConnections from inside the callback
 * and expects the new handle to be listed." (Skipped while RasEnumConnections is not
 * implemented yet: it answers ERROR_CALL_NOT_IMPLEMENTED.) */
static volatile DWORD g_enum_rc = 0xFFFF;
static volatile int g_enum_listed;
static void enum_in_connected(const t_event *ev) {
  if (ev->state != RASCS_Connected)
    return;
  RASCONNA conns[16];
  memset(conns, 0, sizeof conns);
  conns[0].dwSize = sizeof conns[0];
  DWORD cb = sizeof conns, n = 0;
  g_enum_rc = RasEnumConnectionsA(conns, &cb, &n);
  for (DWORD i = 0; g_enum_rc == 0 && i < n && i < 16; i++)
    if (conns[i].hrasconn == g_h)
      g_enum_listed = 1;
}
static void enum_connections_inside_connected_callback(void **state) {
  (void)state;
  g_enum_rc = 0xFFFF;
  g_enum_listed = 0;
  assert_int_equal(dial_hook(0, "Sim", 1, NULL, enum_in_connected), 0);
  assert_true(t_rec_wait(5000)); /* set after the hook ran */
  assert_int_equal(RasHangUpA(g_h), 0);
  if (g_enum_rc == ERROR_CALL_NOT_IMPLEMENTED)
    skip();
  assert_int_equal(g_enum_rc, 0);
  assert_true(g_enum_listed);
}

/* Two asynchronous dials at once, each with its own notifier type: each notifier sees
 * its own connection only (per-dial dispatch). */
static HRASCONN volatile g_h2;
static volatile LONG g_f0_events, g_f0_foreign;
static volatile DWORD g_other_tid;
static VOID WINAPI other_func1(HRASCONN h, UINT msg, RASCONNSTATE s, DWORD e, DWORD x) {
  (void)msg, (void)s, (void)e, (void)x;
  printf("other %p state %d err %lu tid %lu\n", (void *)h, (int)s, e, GetCurrentThreadId());
  InterlockedIncrement(&g_f0_events);
  g_other_tid = GetCurrentThreadId();
  if (h != g_h2)
    InterlockedIncrement(&g_f0_foreign);
}
static void two_dials_at_once(void **state) {
  (void)state;
  g_f0_events = g_f0_foreign = 0;
  assert_int_equal(dial_async(0, "Slow", 2, NULL), 0);
  dial_fields f = {0};
  f.entry = "Sim";
  g_h2 = NULL;
  assert_int_equal(t_dial(1, NULL, &f, 1, (void *)other_func1, (HRASCONN *)&g_h2), 0);
  assert_true(g_h != g_h2);
  assert_true(t_wait_state(g_h2, RASCS_Connected, 5000));
  assert_true(t_rec_wait(5000));
  Sleep(20);
  assert_int_equal(t_rec_count(), t_nplain_states);
  for (int i = 0; i < t_rec_count(); i++) {
    assert_ptr_equal(t_rec_get(i).h, g_h);
    assert_true(t_rec_get(i).tid != g_other_tid); /* two dials, two threads */
  }
  assert_int_equal(g_f0_events, t_nplain_states);
  assert_int_equal(g_f0_foreign, 0);
  assert_int_equal(RasHangUpA(g_h), 0);
  assert_int_equal(RasHangUpA(g_h2), 0);
}

/* DECISION (docs/behaviour.md): a dial that has finished leaves its notifier thread to
 * the next asynchronous dial; a new thread costs about 4 ms under Wine. */
static void notifier_thread_kept_for_next_dial(void **state) {
  (void)state;
  DWORD first = 0;
  for (int i = 0; i < 5; i++) {
    assert_int_equal(dial_async(0, "Sim", 1, NULL), 0);
    assert_true(t_rec_wait(5000));
    DWORD tid = t_rec_get(0).tid;
    assert_true(tid != g_main_tid);
    if (i == 0)
      first = tid;
    else
      assert_int_equal(tid, first);
    assert_int_equal(RasHangUpA(g_h), 0);
    Sleep(50); /* the thread returns from the last notification and waits for work */
  }
}

/* "Dialing an entry that is already connected returns success and references the
 * connection": asynchronously too, with a Connected notification for the second dial. */
static void already_connected_async(void **state) {
  (void)state;
  HRASCONN first = NULL;
  assert_int_equal(t_dial_entry(0, "Sim", &first), 0);
  assert_int_equal(dial_async(1, "Sim", 1, NULL), 0);
  assert_ptr_equal(g_h, first);
  assert_true(t_rec_wait(5000));
  t_event ev = t_rec_get(t_rec_count() - 1);
  assert_int_equal(ev.state, RASCS_Connected);
  assert_int_equal(ev.error, 0);
  assert_ptr_equal(ev.h, first);
  assert_int_equal(RasHangUpA(first), 0);
  assert_int_equal(t_status(first, NULL, NULL), 0);
  assert_int_equal(RasHangUpA(g_h), 0);
  assert_true(t_wait_gone(first, 500) >= 0);
}

int main(void) {
  g_main_tid = GetCurrentThreadId();
  if (!t_pbk())
    return 1;
  const struct CMUnitTest tests[] = {
      T_TEST(returns_immediately),
      T_TEST(full_sequence_func0_a),
      T_TEST(full_sequence_func1_a),
      T_TEST(full_sequence_func2_a),
      T_TEST(full_sequence_func0_w),
      T_TEST(full_sequence_func1_w),
      T_TEST(full_sequence_func2_w),
      T_TEST(failures_notified),
      T_TEST(func2_returning_zero_stops),
      T_TEST(func2_callback_id),
      T_TEST(dial_waits_for_callback),
      T_TEST(status_inside_callback),
      T_TEST(hangup_inside_callback),
      T_TEST(hangup_during_dial_ends_notifications),
      T_TEST(enum_connections_inside_connected_callback),
      T_TEST(two_dials_at_once),
      T_TEST(notifier_thread_kept_for_next_dial),
      T_TEST(already_connected_async),
  };
  ORA_PE_RUN_TESTS("dial_async", tests);
}
