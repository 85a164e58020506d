/* Issue 6: RasEnumDevices, RasGetCountryInfo and the AutoDial settings (A and W):
 * sizes, size probes, counts, bad arguments, and values stored and read back. */
#include "entries_util.h"

static void devices(void **state) {
  (void)state;
  DWORD cb = 0, n = 0;
  assert_int_equal(RasEnumDevicesA(NULL, &cb, &n), ERROR_BUFFER_TOO_SMALL);
  assert_true(n >= 2 && n < 32);
  assert_int_equal(cb, n * sizeof(RASDEVINFOA));
  DWORD count = n;
  RASDEVINFOA *a = calloc(count, sizeof *a);
  a[0].dwSize = sizeof *a;
  cb = count * sizeof *a - 1;
  n = 0;
  assert_int_equal(RasEnumDevicesA(a, &cb, &n), ERROR_BUFFER_TOO_SMALL);
  assert_int_equal(n, count);
  /* A buffer smaller than one element: the size, and the count left alone (Windows). */
  cb = 0;
  n = 0xdeadbeef;
  assert_int_equal(RasEnumDevicesA(a, &cb, &n), ERROR_BUFFER_TOO_SMALL);
  assert_int_equal(n, 0xdeadbeef);
  assert_int_equal(cb, count * sizeof *a);
  assert_int_equal(RasEnumDevicesA(a, &cb, &n), 0);
  assert_int_equal(n, count);
  int sim = 0, tcp = 0;
  for (DWORD i = 0; i < n; i++) {
    assert_int_equal(a[i].dwSize, sizeof *a);
    assert_true(a[i].szDeviceType[0] && a[i].szDeviceName[0]);
    sim |= !strcmp(a[i].szDeviceName, "OpenRAS Simulated Modem") &&
           !strcmp(a[i].szDeviceType, "modem");
    tcp |= !strcmp(a[i].szDeviceName, "OpenRAS PPP over TCP") && !strcmp(a[i].szDeviceType, "vpn");
  }
  assert_true(sim && tcp);
  RASDEVINFOW *w = calloc(count, sizeof *w);
  w[0].dwSize = sizeof *w;
  cb = count * sizeof *w;
  assert_int_equal(RasEnumDevicesW(w, &cb, &n), 0);
  assert_int_equal(n, count);
  assert_true(wcscmp(w[0].szDeviceName, L"OpenRAS Simulated Modem") == 0);
  const DWORD bad[] = {0, 151, 153, 296};
  for (size_t i = 0; i < ARRAYSIZE(bad); i++) {
    a[0].dwSize = bad[i];
    cb = count * sizeof *a;
    n = 0xdeadbeef;
    assert_int_equal(RasEnumDevicesA(a, &cb, &n), ERROR_INVALID_SIZE);
    assert_int_equal(n, 0xdeadbeef);
  }
  w[0].dwSize = sizeof(RASDEVINFOA);
  assert_int_equal(RasEnumDevicesW(w, &cb, &n), ERROR_INVALID_SIZE);
  a[0].dwSize = sizeof *a;
  assert_int_equal(RasEnumDevicesA(a, NULL, &n), ERROR_INVALID_PARAMETER);
  assert_int_equal(RasEnumDevicesA(a, &cb, NULL), ERROR_INVALID_PARAMETER);
  assert_int_equal(RasEnumDevicesA(NULL, NULL, &n), ERROR_INVALID_PARAMETER);
  free(a);
  free(w);
}

/* A device picked from the list writes the port and the driver that dials it. */
static void device_to_entry(void **state) {
  (void)state;
  char pbk[MAX_PATH];
  t_pbk_path("dev", pbk, sizeof pbk);
  RASENTRYA e;
  memset(&e, 0, sizeof e);
  e.dwSize = sizeof e;
  strcpy(e.szDeviceType, "modem");
  strcpy(e.szDeviceName, "Communications cable between two computers (COM1)");
  assert_int_equal(RasSetEntryPropertiesA(pbk, "Cable", &e, sizeof e, NULL, 0), 0);
  char *t = t_read_file(pbk, NULL);
  static const char *const lines[] = {
      "ORA_Link=direct",   "MEDIA=serial",
      "Port=COM1",         "Device=Communications cable between two computers (COM1)",
      "ConnectBPS=115200", "DEVICE=modem"};
  assert_true(t_lines_in_order(t, lines, ARRAYSIZE(lines)));
  free(t);
  /* A device of another system: named as given, no OpenRAS driver. */
  strcpy(e.szDeviceName, "Standard 56000 bps Modem");
  assert_int_equal(RasSetEntryPropertiesA(pbk, "Cable", &e, sizeof e, NULL, 0), 0);
  t = t_read_file(pbk, NULL);
  assert_null(strstr(t, "ORA_Link"));
  assert_non_null(strstr(t, "\r\nDevice=Standard 56000 bps Modem\r\n"));
  free(t);
  DeleteFileA(pbk);
}

static void countries(void **state) {
  (void)state;
  BYTE buf[512];
  RASCTRYINFO *ci = (RASCTRYINFO *)buf;
  memset(buf, 0, sizeof buf);
  ci->dwSize = sizeof *ci;
  ci->dwCountryID = 1;
  DWORD cb = sizeof buf;
  assert_int_equal(RasGetCountryInfoA(ci, &cb), 0);
  assert_int_equal(ci->dwCountryCode, 1);
  assert_int_equal(ci->dwCountryNameOffset, sizeof *ci);
  assert_string_equal((char *)buf + ci->dwCountryNameOffset, "United States of America");
  assert_int_equal(cb, sizeof *ci + 25);
  /* Walk the list to its end. */
  int n = 1, germany = 0;
  while (ci->dwNextCountryID) {
    DWORD next = ci->dwNextCountryID;
    memset(buf, 0, sizeof buf);
    ci->dwSize = sizeof *ci;
    ci->dwCountryID = next;
    cb = sizeof buf;
    assert_int_equal(RasGetCountryInfoW(ci, &cb), 0);
    assert_int_equal(ci->dwCountryID, next);
    const WCHAR *name = (const WCHAR *)(buf + ci->dwCountryNameOffset);
    assert_true(name[0] != 0);
    assert_int_equal(cb, sizeof *ci + (wcslen(name) + 1) * 2);
    germany |= ci->dwCountryCode == 49 && !wcscmp(name, L"Germany");
    assert_true(++n < 1000);
  }
  assert_true(n >= 10 && germany);
  /* Too small: the size needed. */
  ci->dwSize = sizeof *ci;
  ci->dwCountryID = 44;
  cb = sizeof *ci + 3;
  assert_int_equal(RasGetCountryInfoA(ci, &cb), ERROR_BUFFER_TOO_SMALL);
  assert_int_equal(cb, sizeof *ci + 15); /* "United Kingdom" */
  ci->dwCountryID = 9999;
  cb = sizeof buf;
  assert_int_equal(RasGetCountryInfoA(ci, &cb), ERROR_INVALID_PARAMETER);
  ci->dwCountryID = 1;
  ci->dwSize = 24;
  assert_int_equal(RasGetCountryInfoA(ci, &cb), ERROR_INVALID_SIZE);
  ci->dwSize = sizeof *ci;
  assert_int_equal(RasGetCountryInfoA(ci, NULL), ERROR_INVALID_PARAMETER);
  assert_int_equal(RasGetCountryInfoA(NULL, &cb), ERROR_INVALID_USER_BUFFER);
}

static void autodial_enable_params(void **state) {
  (void)state;
  BOOL on = TRUE;
  assert_int_equal(RasSetAutodialEnableA(7, TRUE), 0);
  assert_int_equal(RasGetAutodialEnableW(7, &on), 0);
  assert_true(on);
  assert_int_equal(RasSetAutodialEnableW(7, FALSE), 0);
  assert_int_equal(RasGetAutodialEnableA(7, &on), 0);
  assert_false(on);
  assert_int_equal(RasGetAutodialEnableA(7, NULL), ERROR_INVALID_PARAMETER);
  DWORD v = 0, cb = sizeof v;
  assert_int_equal(RasGetAutodialParamA(RASADP_SavedAddressesLimit, &v, &cb), 0);
  assert_int_equal(cb, sizeof v);
  v = 33;
  assert_int_equal(RasSetAutodialParamW(RASADP_ConnectionQueryTimeout, &v, sizeof v), 0);
  v = 0;
  cb = sizeof v;
  assert_int_equal(RasGetAutodialParamA(RASADP_ConnectionQueryTimeout, &v, &cb), 0);
  assert_int_equal(v, 33);
  cb = 2;
  assert_int_equal(RasGetAutodialParamA(RASADP_ConnectionQueryTimeout, &v, &cb),
                   ERROR_BUFFER_TOO_SMALL);
  assert_int_equal(cb, sizeof v);
  assert_int_equal(RasGetAutodialParamA(99, &v, &cb), ERROR_INVALID_PARAMETER);
  assert_int_equal(RasSetAutodialParamA(99, &v, sizeof v), ERROR_INVALID_PARAMETER);
  assert_int_equal(RasSetAutodialParamA(RASADP_LoginSessionDisable, &v, 2), ERROR_INVALID_SIZE);
  assert_int_equal(RasSetAutodialParamA(RASADP_LoginSessionDisable, NULL, 4),
                   ERROR_INVALID_PARAMETER);
}

static void autodial_addresses(void **state) {
  (void)state;
  char addr[64], addr2[64];
  snprintf(addr, sizeof addr, "www.example-%lu.com", GetCurrentProcessId());
  snprintf(addr2, sizeof addr2, "10.0.%lu.1", GetCurrentProcessId() % 250);
  RASAUTODIALENTRYA e[2];
  memset(e, 0, sizeof e);
  e[0].dwSize = e[1].dwSize = sizeof e[0];
  e[0].dwDialingLocation = 0;
  strcpy(e[0].szEntry, "Office");
  e[1].dwDialingLocation = 5;
  strcpy(e[1].szEntry, "Travel");
  assert_int_equal(RasSetAutodialAddressA(addr, 0, e, sizeof e, 2), 0);
  assert_int_equal(RasSetAutodialAddressA(addr2, 0, e, sizeof e[0], 1), 0);
  /* Read back: probe, then A and W. */
  DWORD cb = 0, n = 0;
  assert_int_equal(RasGetAutodialAddressA(addr, NULL, NULL, &cb, &n), ERROR_BUFFER_TOO_SMALL);
  assert_int_equal(cb, 2 * sizeof e[0]);
  assert_int_equal(n, 2);
  RASAUTODIALENTRYA r[2];
  r[0].dwSize = sizeof r[0];
  assert_int_equal(RasGetAutodialAddressA(addr, NULL, r, &cb, &n), 0);
  assert_int_equal(r[1].dwSize, sizeof r[0]);
  assert_int_equal(r[1].dwDialingLocation, 5);
  assert_string_equal(r[1].szEntry, "Travel");
  RASAUTODIALENTRYW rw[2];
  rw[0].dwSize = sizeof rw[0];
  cb = sizeof rw;
  WCHAR addrw[64];
  MultiByteToWideChar(CP_ACP, 0, addr, -1, addrw, 64);
  assert_int_equal(RasGetAutodialAddressW(addrw, NULL, rw, &cb, &n), 0);
  assert_true(wcscmp(rw[0].szEntry, L"Office") == 0);
  /* Enumerate: pointers, then the strings they point to. */
  cb = 0;
  assert_int_equal(RasEnumAutodialAddressesA(NULL, &cb, &n), ERROR_BUFFER_TOO_SMALL);
  assert_true(n >= 2);
  char **list = malloc(cb);
  assert_int_equal(RasEnumAutodialAddressesA(list, &cb, &n), 0);
  int seen = 0;
  for (DWORD i = 0; i < n; i++) {
    assert_true((char *)list[i] >= (char *)list && (char *)list[i] < (char *)list + cb);
    seen += !strcmp(list[i], addr) + !strcmp(list[i], addr2);
  }
  assert_int_equal(seen, 2);
  free(list);
  cb = 0;
  assert_int_equal(RasEnumAutodialAddressesW(NULL, &cb, &n), ERROR_BUFFER_TOO_SMALL);
  WCHAR **wl = malloc(cb);
  assert_int_equal(RasEnumAutodialAddressesW(wl, &cb, &n), 0);
  seen = 0;
  for (DWORD i = 0; i < n; i++)
    seen += !wcscmp(wl[i], addrw);
  assert_int_equal(seen, 1);
  free(wl);
  /* Errors, then forget both. */
  DWORD reserved = 0;
  assert_int_equal(RasGetAutodialAddressA(addr, &reserved, r, &cb, &n), ERROR_INVALID_PARAMETER);
  assert_int_equal(RasSetAutodialAddressA(addr, 1, e, sizeof e, 2), ERROR_INVALID_PARAMETER);
  r[0].dwSize = 3;
  assert_int_equal(RasGetAutodialAddressA(addr, NULL, r, &cb, &n), ERROR_INVALID_SIZE);
  assert_int_equal(RasGetAutodialAddressA(NULL, NULL, r, &cb, &n), ERROR_INVALID_PARAMETER);
  assert_int_equal(RasSetAutodialAddressA(addr, 0, NULL, 0, 0), 0);
  assert_int_equal(RasSetAutodialAddressW(addrw, 0, NULL, 0, 0), 0); /* already gone: fine */
  assert_int_equal(RasSetAutodialAddressA(addr2, 0, NULL, 0, 0), 0);
  r[0].dwSize = sizeof r[0];
  cb = sizeof r;
  assert_int_equal(RasGetAutodialAddressA(addr, NULL, r, &cb, &n), ERROR_FILE_NOT_FOUND);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(devices),
      cmocka_unit_test(device_to_entry),
      cmocka_unit_test(countries),
      cmocka_unit_test(autodial_enable_params),
      cmocka_unit_test(autodial_addresses),
  };
  ORA_PE_RUN_TESTS("test_entries_misc", tests);
}
