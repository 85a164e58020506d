/* Asynchronous RasDial with dwNotifierType 0xFFFFFFFF: progress as window messages to a
 * message-only window (HWND_MESSAGE works without a display under Wine), pumped on the
 * test's own thread (shared/spec/behaviour.md sections 1 and 2). */
#include "dial_util.h"

#include <string.h>

static HRASCONN volatile g_h;
static HWND g_wnd;
static DWORD g_main_tid;

static DWORD dial_window(int wide, const char *entry, void (*hook)(const t_event *)) {
  dial_fields f = {0};
  f.entry = entry;
  g_h = NULL;
  t_rec_reset(&g_h);
  g_rec.hook = hook;
  return t_dial(wide, NULL, &f, 0xFFFFFFFF, g_wnd, (HRASCONN *)&g_h);
}

/* "The message code is RegisterWindowMessageA(RASDIALEVENT), or WM_RASDIALEVENT if that
 * returns 0"; "wParam = the RASCONNSTATE about to be entered, lParam = dwError"; "Sent
 * with dwError 0 on entry to each state"; DECISION "0xFFFFFFFF = lpvNotifier is an HWND
 * that receives progress messages" (supported); messages are handled on the window's
 * thread; *lphRasConn is set before the first one; nothing after Connected. */
static void window_messages(int wide) {
  UINT expect = RegisterWindowMessageA(RASDIALEVENT);
  if (!expect)
    expect = WM_RASDIALEVENT;
  assert_int_equal(dial_window(wide, "Sim", NULL), 0);
  assert_non_null(g_h);
  assert_true(t_pump(5000));
  int n = t_rec_count();
  assert_int_equal(n, t_nplain_states);
  for (int i = 0; i < n; i++) {
    t_event ev = t_rec_get(i);
    assert_int_equal(ev.type, -1);
    assert_int_equal(ev.msg, expect);
    assert_int_equal(ev.state, t_plain_states[i]);
    assert_int_equal(ev.error, 0);
    assert_int_equal(ev.tid, g_main_tid);
    assert_ptr_equal(ev.seen, g_h);
  }
  t_pump(100);
  assert_int_equal(t_rec_count(), n);
  assert_int_equal(RasHangUpA(g_h), 0);
}
static void window_messages_a(void **state) {
  (void)state;
  window_messages(0);
}
static void window_messages_w(void **state) {
  (void)state;
  window_messages(1);
}

/* "an error within a state sends the same state again with a nonzero dwError", then
 * no more messages; RasGetConnectStatus has the same error. */
static void window_error_twice(void **state) {
  (void)state;
  for (int wide = 0; wide < 2; wide++) {
    assert_int_equal(dial_window(wide, "NoCarrier", NULL), 0);
    assert_true(t_pump(5000));
    int n = t_rec_count();
    assert_true(n >= 2);
    assert_int_equal(t_rec_get(n - 2).state, RASCS_ConnectDevice);
    assert_int_equal(t_rec_get(n - 2).error, 0);
    assert_int_equal(t_rec_get(n - 1).state, RASCS_ConnectDevice);
    assert_int_equal(t_rec_get(n - 1).error, ERROR_NO_CARRIER);
    t_pump(50);
    assert_int_equal(t_rec_count(), n);
    DWORD s = 0, e = 0;
    assert_int_equal(t_status(g_h, &s, &e), 0);
    assert_int_equal(e, ERROR_NO_CARRIER);
    assert_int_equal(RasHangUpA(g_h), 0);
  }
}

/* "The dial is suspended while a callback runs" holds for the window too (SendMessage
 * semantics): while the window's thread does not pump, the dial stays in its first
 * state; and while the handler of PortOpened sleeps 300 ms the dial stays there. */
static volatile DWORD g_after_sleep = 0xFFFF;
static void sleep_in_port_opened(const t_event *ev) {
  if (ev->state != RASCS_PortOpened)
    return;
  Sleep(300);
  t_status(g_h, (DWORD *)&g_after_sleep, NULL);
}
static void window_handler_blocks_dial(void **state) {
  (void)state;
  g_after_sleep = 0xFFFF;
  assert_int_equal(dial_window(0, "Sim", sleep_in_port_opened), 0);
  Sleep(300); /* no pumping: the OpenPort message waits, and so does the dial */
  DWORD s = 0xFFFF;
  assert_int_equal(t_status(g_h, &s, NULL), 0);
  assert_int_equal(s, RASCS_OpenPort);
  assert_int_equal(t_rec_count(), 0);
  assert_true(t_pump(5000));
  assert_int_equal(g_after_sleep, RASCS_PortOpened);
  assert_int_equal(t_rec_count(), t_nplain_states);
  assert_int_equal(RasHangUpA(g_h), 0);
}

/* RasHangUp from inside the window handler: no deadlock, the handle is gone, no more
 * messages. */
static volatile DWORD g_hangup_rc = 0xFFFF;
static void hangup_in_authenticate(const t_event *ev) {
  if (ev->state == RASCS_Authenticate)
    g_hangup_rc = RasHangUpW(g_h);
}
static void window_hangup_in_handler(void **state) {
  (void)state;
  g_hangup_rc = 0xFFFF;
  assert_int_equal(dial_window(1, "Slow", hangup_in_authenticate), 0);
  DWORD start = GetTickCount();
  while (g_hangup_rc == 0xFFFF && GetTickCount() - start < 5000)
    t_pump(20);
  assert_int_equal(g_hangup_rc, 0);
  int n = t_rec_count();
  t_pump(150);
  assert_int_equal(t_rec_count(), n);
  assert_int_equal(t_rec_get(n - 1).state, RASCS_Authenticate);
  assert_true(t_wait_gone(g_h, 500) >= 0);
}

int main(void) {
  g_main_tid = GetCurrentThreadId();
  if (!t_pbk())
    return 1;
  g_wnd = t_window();
  if (!g_wnd)
    return 1;
  const struct CMUnitTest tests[] = {
      T_TEST(window_messages_a),        T_TEST(window_messages_w),
      T_TEST(window_error_twice),       T_TEST(window_handler_blocks_dial),
      T_TEST(window_hangup_in_handler),
  };
  ORA_PE_RUN_TESTS("dial_window", tests);
}
