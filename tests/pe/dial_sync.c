/* Synchronous RasDial (lpvNotifier NULL), RasGetConnectStatus after it, and the
 * simulated link's outcomes, A and W (shared/spec/behaviour.md sections 1, 4, 5). */
#include "dial_util.h"

#include <string.h>

/* Static linking: "The Remote Access Connection Manager starts automatically when an
 * application loads the RASAPI32.DLL" - the first call of a fresh process dials with
 * no set-up call before it. (Runs first.) */
static void first_call_needs_no_setup(void **state) {
  (void)state;
  HRASCONN h = NULL;
  assert_int_equal(t_dial_entry(0, "Sim", &h), 0);
  assert_non_null(h);
  assert_int_equal(RasHangUpA(h), 0);
}

/* "lpvNotifier NULL: synchronous. RasDial does not return until the attempt succeeded
 * or failed." + "After a synchronous RasDial succeeded, RasGetConnectStatus must say
 * RASCS_Connected at once." + "*lphRasConn ... on return it holds the connection
 * handle." */
static void sync_connected_at_once(int wide) {
  HRASCONN h = NULL;
  assert_int_equal(t_dial_entry(wide, "Slow", &h), 0);
  assert_non_null(h);
  /* no waiting: the very first status call */
  if (wide) {
    RASCONNSTATUSW st;
    memset(&st, 0, sizeof st);
    st.dwSize = sizeof st;
    assert_int_equal(RasGetConnectStatusW(h, &st), 0);
    assert_int_equal(st.rasconnstate, RASCS_Connected);
    assert_int_equal(st.dwError, 0);
    assert_int_equal(RasHangUpW(h), 0);
  } else {
    RASCONNSTATUSA st;
    memset(&st, 0, sizeof st);
    st.dwSize = sizeof st;
    assert_int_equal(RasGetConnectStatusA(h, &st), 0);
    assert_int_equal(st.rasconnstate, RASCS_Connected);
    assert_int_equal(st.dwError, 0);
    assert_int_equal(RasHangUpA(h), 0);
  }
}
static void sync_connected_at_once_a(void **state) {
  (void)state;
  sync_connected_at_once(0);
}
static void sync_connected_at_once_w(void **state) {
  (void)state;
  sync_connected_at_once(1);
}

/* The simulated link's failures (ORA_SimResult, ORA_SimFail): the synchronous RasDial
 * returns the error; "An application must eventually call RasHangUp whenever a non-NULL
 * connection handle is stored into *lphRasConn. This applies even if RasDial returns a
 * nonzero (error) value." (the handle is stored); RasGetConnectStatus "return value is
 * not the dwError member: dwError says why a connection failed" (returns 0, dwError =
 * the code, in the state that failed); RasHangUp of a failed connection succeeds and the
 * handle then is gone. */
static void sync_failure(int wide, const char *entry, DWORD code, DWORD in_state) {
  HRASCONN h = NULL;
  assert_int_equal(t_dial_entry(wide, entry, &h), code);
  assert_non_null(h);
  DWORD s = 0, e = 0;
  assert_int_equal(t_status(h, &s, &e), 0);
  assert_int_equal(e, code);
  assert_int_equal(s, in_state);
  /* still readable a while later, until RasHangUp */
  Sleep(20);
  assert_int_equal(t_status(h, &s, &e), 0);
  assert_int_equal(e, code);
  assert_int_equal(wide ? RasHangUpW(h) : RasHangUpA(h), 0);
  assert_true(t_wait_gone(h, 1000) >= 0);
}
static void sync_failures(int wide) {
  sync_failure(wide, "Busy", ERROR_LINE_BUSY, RASCS_ConnectDevice);
  sync_failure(wide, "NoAnswer", ERROR_NO_ANSWER, RASCS_ConnectDevice);
  sync_failure(wide, "NoCarrier", ERROR_NO_CARRIER, RASCS_ConnectDevice);
  sync_failure(wide, "NoDialtone", ERROR_NO_DIALTONE, RASCS_ConnectDevice);
  sync_failure(wide, "FailAuth", ERROR_AUTHENTICATION_FAILURE, RASCS_Authenticate);
}
static void sync_failures_a(void **state) {
  (void)state;
  sync_failures(0);
}
static void sync_failures_w(void **state) {
  (void)state;
  sync_failures(1);
}

/* "dwNotifierType (ignored when lpvNotifier is NULL)". */
static void notifier_type_ignored_when_sync(void **state) {
  (void)state;
  dial_fields f = {0};
  f.entry = "Sim";
  HRASCONN h = NULL;
  assert_int_equal(t_dial(0, NULL, &f, 0x77, NULL, &h), 0);
  assert_int_equal(RasHangUpA(h), 0);
  h = NULL;
  assert_int_equal(t_dial(1, NULL, &f, 0xFFFFFFFF, NULL, &h), 0);
  assert_int_equal(RasHangUpW(h), 0);
}

/* "Without RDEOPT_PausedStates, reaching a paused state is an error notification and
 * the dial fails": 703 Interactive, 691 RetryAuthentication, 648 PasswordExpired, 704
 * CallbackSetByCaller. DECISION (docs/dll.md): a synchronous RasDial "does not return
 * until the attempt succeeded or failed", so it never pauses: with RDEOPT_PausedStates
 * set it fails with the same codes. */
static void sync_paused_states_fail(int wide, DWORD options) {
  RASDIALEXTENSIONS ext;
  memset(&ext, 0, sizeof ext);
  ext.dwSize = sizeof ext;
  ext.dwfOptions = options;
  static const struct {
    const char *entry, *user, *password, *callback;
    DWORD code;
  } cases[] = {
      {"Interactive", NULL, NULL, NULL, ERROR_INTERACTIVE_MODE},
      {"Auth", "alice", "wrong", NULL, ERROR_AUTHENTICATION_FAILURE},
      {"Expired", NULL, NULL, NULL, ERROR_PASSWD_EXPIRED},
      {"Callback", NULL, NULL, "*", ERROR_BAD_CALLBACK_NUMBER},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    dial_fields f = {0};
    f.entry = cases[i].entry;
    f.user = cases[i].user;
    f.password = cases[i].password;
    f.callback = cases[i].callback;
    HRASCONN h = NULL;
    assert_int_equal(t_dial(wide, &ext, &f, 0, NULL, &h), cases[i].code);
    DWORD s = 0, e = 0;
    assert_int_equal(t_status(h, &s, &e), 0);
    assert_int_equal(e, cases[i].code);
    assert_true((s & RASCS_PAUSED) == 0); /* failed in a running state, not paused */
    assert_int_equal(RasHangUpA(h), 0);
  }
}
static void sync_paused_states_fail_a(void **state) {
  (void)state;
  sync_paused_states_fail(0, 0);
  sync_paused_states_fail(0, RDEOPT_PausedStates);
}
static void sync_paused_states_fail_w(void **state) {
  (void)state;
  sync_paused_states_fail(1, 0);
  sync_paused_states_fail(1, RDEOPT_PausedStates);
}

/* "szCallbackNumber "*" ... Without paused states "*" means the phone-book callback
 * number": the dial goes through the callback states and connects. */
static void callback_star_uses_phonebook_number(void **state) {
  (void)state;
  dial_fields f = {0};
  f.entry = "CallbackPbk";
  f.callback = "*";
  HRASCONN h = NULL;
  assert_int_equal(t_dial(0, NULL, &f, 0, NULL, &h), 0);
  DWORD s = 0;
  assert_int_equal(t_status(h, &s, NULL), 0);
  assert_int_equal(s, RASCS_Connected);
  assert_int_equal(RasHangUpA(h), 0);
}

/* Credentials reach the far end: the right user/password connects (A and W). */
static void credentials_accepted(void **state) {
  (void)state;
  for (int wide = 0; wide < 2; wide++) {
    dial_fields f = {0};
    f.entry = "Auth";
    f.user = "alice";
    f.password = "secret";
    HRASCONN h = NULL;
    assert_int_equal(t_dial(wide, NULL, &f, 0, NULL, &h), 0);
    assert_int_equal(RasHangUpA(h), 0);
  }
}

/* An entry the phone book lacks: ERROR_CANNOT_FIND_PHONEBOOK_ENTRY (623); a phone-book
 * file that does not exist: ERROR_CANNOT_OPEN_PHONEBOOK (621). No handle is stored. */
static void unknown_entry_and_missing_phonebook(void **state) {
  (void)state;
  for (int wide = 0; wide < 2; wide++) {
    HRASCONN h = NULL;
    assert_int_equal(t_dial_entry(wide, "NoSuchEntry", &h), ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
    assert_null(h);
  }
  char dir[MAX_PATH], path[MAX_PATH];
  GetTempPathA(sizeof dir, dir);
  snprintf(path, sizeof path, "%sopenras-no-such-dir\\none.pbk", dir);
  RASDIALPARAMSA p;
  dial_fields f = {0};
  f.entry = "Sim";
  t_fill_params(0, T_601, &f, &p);
  HRASCONN h = NULL;
  assert_int_equal(RasDialA(NULL, path, &p, 0, NULL, &h), ERROR_CANNOT_OPEN_PHONEBOOK);
  assert_null(h);
  RASDIALPARAMSW pw;
  t_fill_params(1, T_601, &f, &pw);
  WCHAR wpath[MAX_PATH];
  MultiByteToWideChar(CP_ACP, 0, path, -1, wpath, MAX_PATH);
  assert_int_equal(RasDialW(NULL, wpath, &pw, 0, NULL, &h), ERROR_CANNOT_OPEN_PHONEBOOK);
  assert_null(h);
}

/* "szPhoneNumber "" = use the entry's number": the status shows the entry's number;
 * a number given in RASDIALPARAMS replaces it. RasGetConnectStatus "Fills ...
 * szDeviceType ("modem", ...), szDeviceName". */
static void phone_number_override(void **state) {
  (void)state;
  for (int wide = 0; wide < 2; wide++) {
    dial_fields f = {0};
    f.entry = "Sim";
    HRASCONN h = NULL;
    assert_int_equal(t_dial(wide, NULL, &f, 0, NULL, &h), 0);
    RASCONNSTATUSA st;
    memset(&st, 0, sizeof st);
    st.dwSize = sizeof st;
    assert_int_equal(RasGetConnectStatusA(h, &st), 0);
    assert_string_equal(st.szPhoneNumber, "5551234");
    /* section 5: szDeviceType ("modem", ...) and szDeviceName */
    assert_string_equal(st.szDeviceType, "modem");
    assert_string_equal(st.szDeviceName, "OpenRAS Simulated Modem");
    assert_int_equal(RasHangUpA(h), 0);
    f.phone = "0800777";
    h = NULL;
    assert_int_equal(t_dial(wide, NULL, &f, 0, NULL, &h), 0);
    assert_int_equal(RasGetConnectStatusA(h, &st), 0);
    assert_string_equal(st.szPhoneNumber, "0800777");
    assert_int_equal(RasHangUpA(h), 0);
  }
}

/* A link that drops after Connected (ORA_SimDropAfterMs): RasGetConnectStatus goes to
 * RASCS_Disconnected with ERROR_REMOTE_DISCONNECTION (629); RasHangUp still succeeds. */
static void link_drop_after_connected(void **state) {
  (void)state;
  HRASCONN h = NULL;
  assert_int_equal(t_dial_entry(1, "Drop", &h), 0);
  assert_true(t_wait_state(h, RASCS_Disconnected, 3000));
  DWORD s = 0, e = 0;
  assert_int_equal(t_status(h, &s, &e), 0);
  assert_int_equal(s, RASCS_Disconnected);
  assert_int_equal(e, ERROR_REMOTE_DISCONNECTION);
  RASCONNSTATUSW st;
  memset(&st, 0, sizeof st);
  st.dwSize = sizeof st;
  assert_int_equal(RasGetConnectStatusW(h, &st), 0);
  assert_int_equal(st.rasconnstate, RASCS_Disconnected);
  assert_int_equal(st.dwError, ERROR_REMOTE_DISCONNECTION);
  assert_int_equal(RasHangUpW(h), 0);
  assert_true(t_wait_gone(h, 1000) >= 0);
}

/* "Dialing an entry that is already connected returns success and references the
 * connection; each RasDial needs its own RasHangUp." */
static void already_connected_entry_is_referenced(void **state) {
  (void)state;
  HRASCONN h1 = NULL, h2 = NULL;
  assert_int_equal(t_dial_entry(0, "Sim", &h1), 0);
  assert_int_equal(t_dial_entry(1, "Sim", &h2), 0);
  assert_ptr_equal(h1, h2);
  assert_int_equal(RasHangUpA(h1), 0);
  DWORD s = 0;
  assert_int_equal(t_status(h1, &s, NULL), 0); /* one reference left */
  assert_int_equal(s, RASCS_Connected);
  assert_int_equal(RasHangUpA(h2), 0);
  assert_true(t_wait_gone(h1, 1000) >= 0);
  assert_int_equal(RasHangUpA(h1), ERROR_INVALID_HANDLE);
}

/* Section 6: the states of a plain dial carry the documented RASCONNSTATE values,
 * checked against mingw-w64's ras.h and the numbers of behaviour.md. */
_Static_assert(RASCS_OpenPort == 0 && RASCS_PortOpened == 1 && RASCS_ConnectDevice == 2 &&
                   RASCS_DeviceConnected == 3 && RASCS_AllDevicesConnected == 4 &&
                   RASCS_Authenticate == 5 && RASCS_AuthNotify == 6 && RASCS_AuthRetry == 7 &&
                   RASCS_AuthCallback == 8 && RASCS_AuthChangePassword == 9 &&
                   RASCS_AuthProject == 10 && RASCS_AuthLinkSpeed == 11 && RASCS_AuthAck == 12 &&
                   RASCS_ReAuthenticate == 13 && RASCS_Authenticated == 14 &&
                   RASCS_PrepareForCallback == 15 && RASCS_WaitForModemReset == 16 &&
                   RASCS_WaitForCallback == 17 && RASCS_Projected == 18 &&
                   RASCS_StartAuthentication == 19 && RASCS_CallbackComplete == 20 &&
                   RASCS_LogonNetwork == 21 && RASCS_SubEntryConnected == 22 &&
                   RASCS_SubEntryDisconnected == 23,
               "running states");
_Static_assert(RASCS_Interactive == 0x1000 && RASCS_RetryAuthentication == 0x1001 &&
                   RASCS_CallbackSetByCaller == 0x1002 && RASCS_PasswordExpired == 0x1003 &&
                   RASCS_InvokeEapUI == 0x1004,
               "paused states");
_Static_assert(RASCS_Connected == 0x2000 && RASCS_Disconnected == 0x2001, "terminal states");

int main(void) {
  if (!t_pbk())
    return 1;
  const struct CMUnitTest tests[] = {
      T_TEST(first_call_needs_no_setup),
      T_TEST(sync_connected_at_once_a),
      T_TEST(sync_connected_at_once_w),
      T_TEST(sync_failures_a),
      T_TEST(sync_failures_w),
      T_TEST(notifier_type_ignored_when_sync),
      T_TEST(sync_paused_states_fail_a),
      T_TEST(sync_paused_states_fail_w),
      T_TEST(callback_star_uses_phonebook_number),
      T_TEST(credentials_accepted),
      T_TEST(unknown_entry_and_missing_phonebook),
      T_TEST(phone_number_override),
      T_TEST(link_drop_after_connected),
      T_TEST(already_connected_entry_is_referenced),
  };
  ORA_PE_RUN_TESTS("dial_sync", tests);
}
