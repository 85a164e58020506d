/* Issue 6, connection side: RasConnectionNotification, connection and link
 * statistics, RasGetEntryHrasconn and RasGetSubEntryHandle, through the manager. */
#include <windows.h>
#include <ras.h>
#include <raserror.h>

#include <stdio.h>
#include <string.h>

#include "pe_test.h"
#include "projection_ex.h"

#ifndef ERROR_PROJECTION_NOT_COMPLETE /* mingw-w64's raserror.h hides it */
#define ERROR_PROJECTION_NOT_COMPLETE 730
#endif

/* In rasapi32 (and mingw-w64's import library) but not declared by its ras.h. */
DWORD WINAPI RasGetEntryHrasconnA(LPCSTR phonebook, LPCSTR entry, LPHRASCONN out);
DWORD WINAPI RasGetEntryHrasconnW(LPCWSTR phonebook, LPCWSTR entry, LPHRASCONN out);

static char g_pbk[MAX_PATH];
static WCHAR g_pbkw[MAX_PATH];

static int setup(void **state) {
  (void)state;
  ora_pe_temp_path("openras-conninfo", ".pbk", g_pbk, sizeof g_pbk);
  MultiByteToWideChar(CP_ACP, 0, g_pbk, -1, g_pbkw, MAX_PATH);
  return ora_pe_write_file(
      g_pbk,
      "[Info]\nORA_Link=sim\n[Info2]\nORA_Link=sim\n[Drops]\nORA_Link=sim\nORA_SimDropAfterMs="
      "100\n[Saved]\nORA_Link=sim\nORA_SimUser=alice\nORA_SimPassword=s3cret\n"
      "[Addr]\nORA_Link=sim\nORA_SimLocalIp=192.168.7.9\nORA_SimServerIp=192.168.7.1\n"
      "[Busy]\nORA_Link=sim\nORA_SimFail=ConnectDevice:676\n");
}

static int teardown(void **state) {
  (void)state;
  DeleteFileA(g_pbk);
  return 0;
}

static HRASCONN dial(const char *entry) {
  RASDIALPARAMSA p;
  memset(&p, 0, sizeof p);
  p.dwSize = sizeof p;
  strcpy(p.szEntryName, entry);
  HRASCONN h = NULL;
  assert_int_equal(RasDialA(NULL, g_pbk, &p, 0, NULL, &h), 0);
  return h;
}

/* RasGetProjectionInfoEx: the size probe, the version check, the PPP projection of
 * a connection, and the errors before projection and after hang-up. */
static void projection_info_ex(void **state) {
  (void)state;
  projection_ex_fn RasGetProjectionInfoEx = projection_ex();
  assert_non_null(RasGetProjectionInfoEx);
  HRASCONN h = dial("Addr");
  projection_info pi;
  DWORD cb = 0;
  assert_int_equal(RasGetProjectionInfoEx(h, NULL, &cb), ERROR_BUFFER_TOO_SMALL);
  assert_int_equal(cb, 108);
  assert_int_equal(sizeof pi, 108);
  memset(&pi, 0x55, sizeof pi);
  pi.version = TEST_RASAPIVERSION_600;
  cb = sizeof pi - 1;
  assert_int_equal(RasGetProjectionInfoEx(h, &pi, &cb), ERROR_BUFFER_TOO_SMALL);
  assert_int_equal(cb, sizeof pi);
  assert_int_equal(pi.type, 0x55555555); /* nothing written on failure */
  assert_int_equal(RasGetProjectionInfoEx(h, &pi, NULL), ERROR_INVALID_PARAMETER);
  static const DWORD bad_versions[] = {0, 1, 2, 5, 0x55555555};
  for (size_t i = 0; i < sizeof bad_versions / sizeof bad_versions[0]; i++) {
    pi.version = bad_versions[i];
    cb = sizeof pi;
    assert_int_equal(RasGetProjectionInfoEx(h, &pi, &cb), ERROR_INVALID_SIZE);
  }
  for (DWORD v = TEST_RASAPIVERSION_600; v <= TEST_RASAPIVERSION_601; v++) {
    memset(&pi, 0x55, sizeof pi);
    pi.version = v;
    cb = sizeof pi + 40; /* a larger buffer is fine; the size needed comes back */
    assert_int_equal(RasGetProjectionInfoEx(h, &pi, &cb), 0);
    assert_int_equal(cb, sizeof pi);
    assert_int_equal(pi.version, v);
    assert_int_equal(pi.type, TEST_PROJECTION_INFO_TYPE_PPP);
    assert_int_equal(pi.dwIPv4NegotiationError, 0);
    assert_true(ipv4_is(pi.ipv4Address, 192, 168, 7, 9));
    assert_true(ipv4_is(pi.ipv4ServerAddress, 192, 168, 7, 1));
    assert_int_equal(pi.dwIPv6NegotiationError, ERROR_PROTOCOL_NOT_CONFIGURED);
    assert_int_equal(pi.dwCcpError, ERROR_PROTOCOL_NOT_CONFIGURED);
    assert_false(pi.fBundled);
    assert_false(pi.fMultilink);
    assert_int_equal(pi.dwCcpServerOptions, 0);
  }
  /* The same addresses as RasGetProjectionInfoA reports. */
  RASPPPIPA ip;
  ip.dwSize = sizeof ip;
  cb = sizeof ip;
  assert_int_equal(RasGetProjectionInfoA(h, RASP_PppIp, &ip, &cb), 0);
  assert_string_equal(ip.szIpAddress, "192.168.7.9");
  assert_int_equal(RasHangUpA(h), 0);
  cb = sizeof pi;
  pi.version = 3;
  assert_int_equal(RasGetProjectionInfoEx(h, &pi, &cb), ERROR_INVALID_HANDLE);
  assert_int_equal(RasGetProjectionInfoEx(NULL, &pi, &cb), ERROR_INVALID_HANDLE);
  assert_int_equal(RasGetProjectionInfoEx((HRASCONN)(ULONG_PTR)0x7a3b1c, &pi, &cb),
                   ERROR_INVALID_HANDLE);

  /* A dial that failed before projection: nothing to read. */
  RASDIALPARAMSA p;
  memset(&p, 0, sizeof p);
  p.dwSize = sizeof p;
  strcpy(p.szEntryName, "Busy");
  h = NULL;
  assert_int_equal(RasDialA(NULL, g_pbk, &p, 0, NULL, &h), ERROR_LINE_BUSY);
  assert_non_null(h);
  cb = sizeof pi;
  pi.version = 4;
  assert_int_equal(RasGetProjectionInfoEx(h, &pi, &cb), ERROR_PROJECTION_NOT_COMPLETE);
  assert_int_equal(RasHangUpA(h), 0);
}

/* RASCN_Connection with INVALID_HANDLE_VALUE fires when any connection comes up;
 * RASCN_Disconnection on a handle fires when that connection ends. */
static void connection_notification(void **state) {
  (void)state;
  HANDLE any_up = CreateEventA(NULL, FALSE, FALSE, NULL);
  HANDLE any_down = CreateEventA(NULL, FALSE, FALSE, NULL);
  HANDLE this_down = CreateEventA(NULL, FALSE, FALSE, NULL);
  assert_int_equal(RasConnectionNotificationA(INVALID_HANDLE_VALUE, any_up, RASCN_Connection), 0);
  assert_int_equal(RasConnectionNotificationW(INVALID_HANDLE_VALUE, any_down, RASCN_Disconnection),
                   0);
  assert_int_equal(WaitForSingleObject(any_up, 0), WAIT_TIMEOUT);
  HRASCONN h = dial("Info");
  assert_int_equal(WaitForSingleObject(any_up, 5000), WAIT_OBJECT_0);
  assert_int_equal(RasConnectionNotificationA(h, this_down, RASCN_Disconnection), 0);
  assert_int_equal(WaitForSingleObject(this_down, 0), WAIT_TIMEOUT);
  assert_int_equal(RasHangUpA(h), 0);
  assert_int_equal(WaitForSingleObject(this_down, 5000), WAIT_OBJECT_0);
  assert_int_equal(WaitForSingleObject(any_down, 5000), WAIT_OBJECT_0);
  /* A link that drops by itself is a disconnection too. */
  h = dial("Drops");
  assert_int_equal(WaitForSingleObject(any_up, 5000), WAIT_OBJECT_0);
  assert_int_equal(WaitForSingleObject(any_down, 5000), WAIT_OBJECT_0);
  RasHangUpA(h);
  /* Bad arguments. */
  assert_int_equal(RasConnectionNotificationA(INVALID_HANDLE_VALUE, NULL, RASCN_Connection),
                   ERROR_INVALID_PARAMETER);
  assert_int_equal(RasConnectionNotificationA(INVALID_HANDLE_VALUE, any_up, 0),
                   ERROR_INVALID_PARAMETER);
  assert_int_equal(RasConnectionNotificationA(INVALID_HANDLE_VALUE, any_up, 0x80000000),
                   ERROR_INVALID_PARAMETER);
  assert_int_equal(
      RasConnectionNotificationA((HRASCONN)(ULONG_PTR)0x7777, any_up, RASCN_Disconnection),
      ERROR_INVALID_HANDLE);
  CloseHandle(any_up);
  CloseHandle(any_down);
  CloseHandle(this_down);
}

/* Statistics read the connection's counters; the connect time grows and a clear
 * restarts it; the documented E_INVALIDARG for bad arguments. */
static void statistics(void **state) {
  (void)state;
  HRASCONN h = dial("Info");
  Sleep(120);
  RAS_STATS s;
  memset(&s, 0, sizeof s);
  s.dwSize = sizeof s;
  assert_int_equal(RasGetConnectionStatistics(h, &s), 0);
  assert_true(s.dwConnectDuration >= 100);
  assert_int_equal(RasClearConnectionStatistics(h), 0);
  memset(&s, 0, sizeof s);
  s.dwSize = sizeof s;
  assert_int_equal(RasGetLinkStatistics(h, 1, &s), 0);
  assert_true(s.dwConnectDuration < 100);
  assert_int_equal(RasClearLinkStatistics(h, 1), 0);
  assert_int_equal(RasGetLinkStatistics(h, 2, &s), ERROR_NO_MORE_ITEMS);
  assert_int_equal(RasGetLinkStatistics(h, 0, &s), (DWORD)E_INVALIDARG);
  assert_int_equal(RasGetConnectionStatistics(NULL, &s), (DWORD)E_INVALIDARG);
  assert_int_equal(RasGetConnectionStatistics(h, NULL), (DWORD)E_INVALIDARG);
  s.dwSize = 12;
  assert_int_equal(RasGetConnectionStatistics(h, &s), (DWORD)E_INVALIDARG);
  assert_int_equal(RasHangUpA(h), 0);
  s.dwSize = sizeof s;
  assert_int_equal(RasGetConnectionStatistics(h, &s), ERROR_INVALID_HANDLE);
  assert_int_equal(RasClearConnectionStatistics(h), ERROR_INVALID_HANDLE);
}

/* RasGetEntryHrasconn finds the connected entry (A and W); RasGetSubEntryHandle
 * gives link 1 of it. */
static void entry_and_subentry_handles(void **state) {
  (void)state;
  HRASCONN found = NULL;
  assert_int_equal(RasGetEntryHrasconnA(g_pbk, "Info2", &found), ERROR_NO_CONNECTION);
  HRASCONN h = dial("Info2");
  assert_int_equal(RasGetEntryHrasconnA(g_pbk, "Info2", &found), 0);
  assert_ptr_equal(found, h);
  found = NULL;
  assert_int_equal(RasGetEntryHrasconnW(g_pbkw, L"info2", &found), 0);
  assert_ptr_equal(found, h);
  assert_int_equal(RasGetEntryHrasconnA(g_pbk, NULL, &found), ERROR_INVALID_PARAMETER);
  assert_int_equal(RasGetEntryHrasconnA(g_pbk, "Info2", NULL), ERROR_INVALID_PARAMETER);
  HRASCONN sub = NULL;
  assert_int_equal(RasGetSubEntryHandleA(h, 1, &sub), 0);
  assert_non_null(sub);
  assert_int_equal(RasGetSubEntryHandleW(h, 2, &sub), ERROR_NO_MORE_ITEMS);
  assert_int_equal(RasGetSubEntryHandleA((HRASCONN)(ULONG_PTR)0x5151, 1, &sub),
                   ERROR_INVALID_HANDLE);
  assert_int_equal(RasHangUpA(h), 0);
  assert_int_equal(RasGetEntryHrasconnA(g_pbk, "Info2", &found), ERROR_NO_CONNECTION);
}

/* A saved password is never handed back (RasGetEntryDialParams gives a placeholder),
 * and dialing with that placeholder uses the saved password. */
static void dial_with_saved_password(void **state) {
  (void)state;
  RASDIALPARAMSA p;
  memset(&p, 0, sizeof p);
  p.dwSize = sizeof p;
  strcpy(p.szEntryName, "Saved");
  strcpy(p.szUserName, "alice");
  strcpy(p.szPassword, "s3cret");
  assert_int_equal(RasSetEntryDialParamsA(g_pbk, &p, FALSE), 0);
  RASDIALPARAMSA got;
  memset(&got, 0, sizeof got);
  got.dwSize = sizeof got;
  strcpy(got.szEntryName, "Saved");
  BOOL has = FALSE;
  assert_int_equal(RasGetEntryDialParamsA(g_pbk, &got, &has), 0);
  assert_true(has);
  assert_string_equal(got.szUserName, "alice");
  assert_string_not_equal(got.szPassword, "s3cret");
  HRASCONN h = NULL;
  assert_int_equal(RasDialA(NULL, g_pbk, &got, 0, NULL, &h), 0);
  assert_int_equal(RasHangUpA(h), 0);
  /* Without the saved password the placeholder is just a wrong password. */
  assert_int_equal(RasSetEntryDialParamsA(g_pbk, &p, TRUE), 0);
  h = NULL;
  assert_int_equal(RasDialA(NULL, g_pbk, &got, 0, NULL, &h), ERROR_AUTHENTICATION_FAILURE);
  RasHangUpA(h);
}

/* A relative phone-book path names a file in the caller's current folder, although the
 * manager that opens it runs elsewhere. */
static void relative_phonebook_path(void **state) {
  (void)state;
  char old[MAX_PATH], dir[MAX_PATH];
  assert_true(GetCurrentDirectoryA(sizeof old, old) > 0);
  GetTempPathA(sizeof dir, dir);
  assert_true(SetCurrentDirectoryA(dir));
  const char *name = strrchr(g_pbk, '\\') + 1;
  RASDIALPARAMSA p;
  memset(&p, 0, sizeof p);
  p.dwSize = sizeof p;
  strcpy(p.szEntryName, "Info");
  HRASCONN h = NULL;
  DWORD rc = RasDialA(NULL, name, &p, 0, NULL, &h);
  SetCurrentDirectoryA(old);
  assert_int_equal(rc, 0);
  RASCONNA c[4];
  c[0].dwSize = sizeof c[0];
  DWORD cb = sizeof c, n = 0;
  assert_int_equal(RasEnumConnectionsA(c, &cb, &n), 0);
  int listed = 0;
  for (DWORD i = 0; i < n; i++)
    if (c[i].hrasconn == h)
      listed = _stricmp(c[i].szPhonebook, g_pbk) == 0;
  assert_true(listed);
  assert_int_equal(RasHangUpA(h), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(connection_notification),    cmocka_unit_test(statistics),
      cmocka_unit_test(entry_and_subentry_handles), cmocka_unit_test(dial_with_saved_password),
      cmocka_unit_test(relative_phonebook_path),    cmocka_unit_test(projection_info_ex),
  };
  setvbuf(stdout, NULL, _IONBF, 0);
  int failed = cmocka_run_group_tests(tests, setup, teardown);
  printf(failed ? "OPENRAS-PE-FAIL test_conninfo\n" : "OPENRAS-PE-PASS test_conninfo\n");
  return failed;
}
