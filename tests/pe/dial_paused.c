/* Paused states and resuming with a second RasDial, A and W (shared/spec/behaviour.md
 * section 1 "Resuming", the paused-state bullets, and section 6's paused values). */
#include "dial_util.h"

#include <string.h>

static HRASCONN volatile g_h;
static DWORD g_main_tid;

static void *notifier_of(int type) {
  return type == 0 ? (void *)t_func0 : type == 1 ? (void *)t_func1 : (void *)t_func2;
}

/* Starts an asynchronous dial with RDEOPT_PausedStates (or not) and waits for the end
 * of the first series of notifications; returns the last event. */
static t_event dial_until_pause(int wide, int type, const dial_fields *f, DWORD options) {
  RASDIALEXTENSIONS ext;
  memset(&ext, 0, sizeof ext);
  ext.dwSize = sizeof ext;
  ext.dwfOptions = options;
  g_h = NULL;
  t_rec_reset(&g_h);
  assert_int_equal(t_dial(wide, &ext, f, (DWORD)type, notifier_of(type), (HRASCONN *)&g_h), 0);
  assert_non_null(g_h);
  assert_true(t_rec_wait(5000));
  return t_rec_get(t_rec_count() - 1);
}

/* The second RasDial of a resume: the same handle in *lphRasConn, the same notifier,
 * the user's input in RASDIALPARAMS. */
static DWORD resume(int wide, int type, const dial_fields *f, DWORD options) {
  RASDIALEXTENSIONS ext;
  memset(&ext, 0, sizeof ext);
  ext.dwSize = sizeof ext;
  ext.dwfOptions = options;
  HRASCONN h = g_h;
  ResetEvent(g_rec.stop);
  DWORD rc = t_dial(wide, &ext, f, (DWORD)type, type < 0 ? NULL : notifier_of(type), &h);
  assert_ptr_equal(h, g_h); /* *lphRasConn keeps the handle */
  return rc;
}

static void assert_status(DWORD state, DWORD error) {
  DWORD s = 0, e = 0;
  assert_int_equal(t_status(g_h, &s, &e), 0);
  assert_int_equal(s, state);
  assert_int_equal(e, error);
}

/* States notified from index `from` on, compared with `want`. */
static void assert_states_from(int from, const DWORD *want, int n) {
  assert_int_equal(t_rec_count() - from, n);
  for (int i = 0; i < n; i++) {
    t_event ev = t_rec_get(from + i);
    assert_int_equal(ev.state, want[i]);
    assert_int_equal(ev.error, 0);
    assert_true(ev.tid != g_main_tid);
  }
}

/* "RASCS_RetryAuthentication [is resumed] with a new szUserName/szPassword": a wrong
 * password pauses in RetryAuthentication (0x1001, dwError 0, RasGetConnectStatus shows
 * it); a resume with the right one goes on (AuthRetry ... Connected), notified to the
 * same notifier on the same DLL thread. A wrong password again pauses again. */
static void retry_authentication(int wide, int type) {
  dial_fields f = {0};
  f.entry = "Auth";
  f.user = "alice";
  f.password = "wrong";
  t_event ev = dial_until_pause(wide, type, &f, RDEOPT_PausedStates);
  assert_int_equal(ev.state, RASCS_RetryAuthentication);
  assert_int_equal(ev.error, 0);
  DWORD tid = ev.tid;
  assert_status(RASCS_RetryAuthentication, 0);
  f.password = "still wrong";
  int n = t_rec_count();
  assert_int_equal(resume(wide, type, &f, RDEOPT_PausedStates), 0);
  assert_true(t_rec_wait(5000));
  static const DWORD again[] = {RASCS_AuthRetry, RASCS_AuthNotify, RASCS_RetryAuthentication};
  assert_states_from(n, again, 3);
  f.password = "secret";
  n = t_rec_count();
  assert_int_equal(resume(wide, type, &f, RDEOPT_PausedStates), 0);
  assert_true(t_rec_wait(5000));
  static const DWORD rest[] = {RASCS_AuthRetry,     RASCS_AuthNotify, RASCS_AuthProject,
                               RASCS_Authenticated, RASCS_Projected,  RASCS_Connected};
  assert_states_from(n, rest, 6);
  for (int i = 0; i < t_rec_count(); i++)
    assert_int_equal(t_rec_get(i).tid, tid);
  assert_status(RASCS_Connected, 0);
  assert_int_equal(RasHangUpA(g_h), 0);
}
static void retry_authentication_a(void **state) {
  (void)state;
  for (int type = 0; type < 3; type++)
    retry_authentication(0, type);
}
static void retry_authentication_w(void **state) {
  (void)state;
  for (int type = 0; type < 3; type++)
    retry_authentication(1, type);
}

/* "RASCS_PasswordExpired is resumed with a new szPassword". */
static void password_expired(int wide) {
  dial_fields f = {0};
  f.entry = "Expired";
  f.user = "bob";
  f.password = "old";
  t_event ev = dial_until_pause(wide, 1, &f, RDEOPT_PausedStates);
  assert_int_equal(ev.state, RASCS_PasswordExpired);
  assert_int_equal(ev.error, 0);
  assert_status(RASCS_PasswordExpired, 0);
  f.password = "new";
  int n = t_rec_count();
  assert_int_equal(resume(wide, 1, &f, RDEOPT_PausedStates), 0);
  assert_true(t_rec_wait(5000));
  static const DWORD rest[] = {RASCS_AuthChangePassword, RASCS_AuthNotify, RASCS_AuthProject,
                               RASCS_Authenticated,      RASCS_Projected,  RASCS_Connected};
  assert_states_from(n, rest, 6);
  assert_int_equal(RasHangUpA(g_h), 0);
}
static void password_expired_a(void **state) {
  (void)state;
  password_expired(0);
}
static void password_expired_w(void **state) {
  (void)state;
  password_expired(1);
}

/* "szCallbackNumber "*" with paused states enabled: the dial pauses in
 * RASCS_CallbackSetByCaller after the server authenticated the user; resume with the
 * number": then the callback states (PrepareForCallback, WaitForModemReset,
 * WaitForCallback, CallbackComplete) and Connected. */
static void callback_set_by_caller(int wide) {
  dial_fields f = {0};
  f.entry = "Callback";
  f.callback = "*";
  t_event ev = dial_until_pause(wide, 2, &f, RDEOPT_PausedStates);
  assert_int_equal(ev.state, RASCS_CallbackSetByCaller);
  assert_int_equal(ev.error, 0);
  assert_true(t_rec_find(RASCS_AuthCallback, 0) >= 0); /* after authentication */
  assert_status(RASCS_CallbackSetByCaller, 0);
  f.callback = "5550000";
  int n = t_rec_count();
  assert_int_equal(resume(wide, 2, &f, RDEOPT_PausedStates), 0);
  assert_true(t_rec_wait(5000));
  static const DWORD rest[] = {RASCS_PrepareForCallback, RASCS_WaitForModemReset,
                               RASCS_WaitForCallback,    RASCS_CallbackComplete,
                               RASCS_AuthProject,        RASCS_Authenticated,
                               RASCS_Projected,          RASCS_Connected};
  assert_states_from(n, rest, 8);
  assert_int_equal(RasHangUpA(g_h), 0);
}
static void callback_set_by_caller_a(void **state) {
  (void)state;
  callback_set_by_caller(0);
}
static void callback_set_by_caller_w(void **state) {
  (void)state;
  callback_set_by_caller(1);
}

/* RASCS_Interactive (0x1000 = RASCS_PAUSED): paused after DeviceConnected, resumed
 * with a second RasDial. */
static void interactive(int wide) {
  dial_fields f = {0};
  f.entry = "Interactive";
  t_event ev = dial_until_pause(wide, 0, &f, RDEOPT_PausedStates);
  assert_int_equal(ev.state, RASCS_Interactive);
  assert_int_equal(ev.error, 0);
  assert_int_equal(t_rec_get(t_rec_count() - 2).state, RASCS_DeviceConnected);
  assert_status(RASCS_Interactive, 0);
  int n = t_rec_count();
  assert_int_equal(resume(wide, 0, &f, RDEOPT_PausedStates), 0);
  assert_true(t_rec_wait(5000));
  static const DWORD rest[] = {
      RASCS_AllDevicesConnected, RASCS_Authenticate, RASCS_AuthNotify, RASCS_AuthProject,
      RASCS_Authenticated,       RASCS_Projected,    RASCS_Connected};
  assert_states_from(n, rest, 7);
  assert_int_equal(RasHangUpA(g_h), 0);
}
static void interactive_a(void **state) {
  (void)state;
  interactive(0);
}
static void interactive_w(void **state) {
  (void)state;
  interactive(1);
}

/* "Without RDEOPT_PausedStates, reaching a paused state is an error notification and
 * the dial fails": DECISION 703 Interactive, 691 RetryAuthentication, 648
 * PasswordExpired, 704 CallbackSetByCaller; the error is notified in the running state
 * that led there and read back with RasGetConnectStatus. */
static void paused_states_off(void **state) {
  (void)state;
  static const struct {
    const char *entry, *user, *password, *callback;
    DWORD code, in_state;
  } cases[] = {
      {"Interactive", NULL, NULL, NULL, ERROR_INTERACTIVE_MODE, RASCS_DeviceConnected},
      {"Auth", "alice", "wrong", NULL, ERROR_AUTHENTICATION_FAILURE, RASCS_AuthNotify},
      {"Expired", NULL, NULL, NULL, ERROR_PASSWD_EXPIRED, RASCS_AuthNotify},
      {"Callback", NULL, NULL, "*", ERROR_BAD_CALLBACK_NUMBER, RASCS_AuthCallback},
  };
  for (int wide = 0; wide < 2; wide++)
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
      dial_fields f = {0};
      f.entry = cases[i].entry;
      f.user = cases[i].user;
      f.password = cases[i].password;
      f.callback = cases[i].callback;
      t_event ev = dial_until_pause(wide, 1, &f, 0);
      assert_int_equal(ev.state, cases[i].in_state);
      assert_int_equal(ev.error, cases[i].code);
      for (int k = 0; k < t_rec_count(); k++)
        assert_true((t_rec_get(k).state & RASCS_PAUSED) == 0);
      assert_status(cases[i].in_state, cases[i].code);
      assert_int_equal(RasHangUpA(g_h), 0);
    }
}

/* Resuming needs a paused connection of this process: a connected one is
 * ERROR_DIAL_ALREADY_IN_PROGRESS (756, DECISION), a handle that is no connection
 * (never was, or hung up) ERROR_INVALID_HANDLE. */
static void resume_errors(void **state) {
  (void)state;
  dial_fields f = {0};
  f.entry = "Sim";
  t_event ev = dial_until_pause(0, 1, &f, RDEOPT_PausedStates);
  assert_int_equal(ev.state, RASCS_Connected);
  assert_int_equal(resume(0, 1, &f, RDEOPT_PausedStates), ERROR_DIAL_ALREADY_IN_PROGRESS);
  assert_int_equal(resume(1, -1, &f, 0), ERROR_DIAL_ALREADY_IN_PROGRESS);
  HRASCONN old = g_h;
  assert_int_equal(RasHangUpA(g_h), 0);
  assert_int_equal(resume(0, 1, &f, RDEOPT_PausedStates), ERROR_INVALID_HANDLE);
  g_h = (HRASCONN)(ULONG_PTR)0x7FFE0003;
  assert_int_equal(resume(1, 1, &f, RDEOPT_PausedStates), ERROR_INVALID_HANDLE);
  g_h = old;
}

/* "Not from inside the notifier": DECISION, a resume from the notifier of the paused
 * connection is ERROR_DIAL_ALREADY_IN_PROGRESS (its notification is not over); the
 * resume from the application's thread afterwards works. */
static volatile DWORD g_inner_rc = 0xFFFF;
static void resume_inside(const t_event *ev) {
  if (ev->state != RASCS_RetryAuthentication)
    return;
  RASDIALPARAMSA p;
  dial_fields f = {0};
  f.entry = "Auth";
  f.user = "alice";
  f.password = "secret";
  t_fill_params(0, T_601, &f, &p);
  RASDIALEXTENSIONS ext;
  memset(&ext, 0, sizeof ext);
  ext.dwSize = sizeof ext;
  ext.dwfOptions = RDEOPT_PausedStates;
  HRASCONN h = g_h;
  g_inner_rc = RasDialA(&ext, t_pbk(), &p, 1, (void *)t_func1, &h);
}
static void resume_inside_notifier_refused(void **state) {
  (void)state;
  g_inner_rc = 0xFFFF;
  dial_fields f = {0};
  f.entry = "Auth";
  f.user = "alice";
  f.password = "wrong";
  RASDIALEXTENSIONS ext;
  memset(&ext, 0, sizeof ext);
  ext.dwSize = sizeof ext;
  ext.dwfOptions = RDEOPT_PausedStates;
  g_h = NULL;
  t_rec_reset(&g_h);
  g_rec.hook = resume_inside;
  assert_int_equal(t_dial(0, &ext, &f, 1, (void *)t_func1, (HRASCONN *)&g_h), 0);
  assert_true(t_rec_wait(5000));
  assert_int_equal(g_inner_rc, ERROR_DIAL_ALREADY_IN_PROGRESS);
  assert_status(RASCS_RetryAuthentication, 0);
  g_rec.hook = NULL;
  f.password = "secret";
  assert_int_equal(resume(0, 1, &f, RDEOPT_PausedStates), 0);
  assert_true(t_rec_wait(5000));
  assert_status(RASCS_Connected, 0);
  assert_int_equal(RasHangUpA(g_h), 0);
}

/* A resume with lpvNotifier NULL behaves as a synchronous RasDial (DECISION): it
 * returns once the dial is connected (or failed), and the original notifier still gets
 * the notifications. */
static void resume_synchronously(void **state) {
  (void)state;
  dial_fields f = {0};
  f.entry = "Auth";
  f.user = "alice";
  f.password = "wrong";
  t_event ev = dial_until_pause(1, 2, &f, RDEOPT_PausedStates);
  assert_int_equal(ev.state, RASCS_RetryAuthentication);
  f.password = "secret";
  assert_int_equal(resume(1, -1, &f, RDEOPT_PausedStates), 0);
  assert_status(RASCS_Connected, 0);
  assert_true(t_rec_wait(5000));
  assert_true(t_rec_find(RASCS_Connected, 0) >= 0);
  assert_int_equal(RasHangUpA(g_h), 0);
  /* a wrong password on the synchronous resume: its error is the return value */
  f.password = "wrong";
  ev = dial_until_pause(0, 1, &f, RDEOPT_PausedStates);
  assert_int_equal(ev.state, RASCS_RetryAuthentication);
  RASDIALEXTENSIONS ext;
  memset(&ext, 0, sizeof ext);
  ext.dwSize = sizeof ext; /* the resume without RDEOPT_PausedStates */
  HRASCONN h = g_h;
  DWORD rc = t_dial(0, &ext, &f, 0, NULL, &h);
  /* The dial's options stay as they were: it pauses again (0) */
  assert_int_equal(rc, 0);
  assert_status(RASCS_RetryAuthentication, 0);
  assert_int_equal(RasHangUpA(g_h), 0);
}

/* "The RAS client can resume the connection operation by a second RasDial call, or
 * terminate it by calling the RasHangUp function": RasHangUp while paused. */
static void hangup_while_paused(void **state) {
  (void)state;
  dial_fields f = {0};
  f.entry = "Interactive";
  t_event ev = dial_until_pause(0, 1, &f, RDEOPT_PausedStates);
  assert_int_equal(ev.state, RASCS_Interactive);
  int n = t_rec_count();
  assert_int_equal(RasHangUpW(g_h), 0);
  assert_true(t_wait_gone(g_h, 500) >= 0);
  assert_int_equal(resume(0, 1, &f, RDEOPT_PausedStates), ERROR_INVALID_HANDLE);
  Sleep(50);
  assert_int_equal(t_rec_count(), n);
}

int main(void) {
  g_main_tid = GetCurrentThreadId();
  if (!t_pbk())
    return 1;
  const struct CMUnitTest tests[] = {
      T_TEST(retry_authentication_a),
      T_TEST(retry_authentication_w),
      T_TEST(password_expired_a),
      T_TEST(password_expired_w),
      T_TEST(callback_set_by_caller_a),
      T_TEST(callback_set_by_caller_w),
      T_TEST(interactive_a),
      T_TEST(interactive_w),
      T_TEST(paused_states_off),
      T_TEST(resume_errors),
      T_TEST(resume_inside_notifier_refused),
      T_TEST(resume_synchronously),
      T_TEST(hangup_while_paused),
  };
  ORA_PE_RUN_TESTS("dial_paused", tests);
}
