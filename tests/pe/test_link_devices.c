/* Issue 13.4: one device, one name. A program picks each kind of device OpenRAS offers
 * from RasEnumDevices (the simulated modem, the cable and the Hayes modem on the link
 * fixture's COM5/COM6, PPP over TCP to the fixture's port), writes it into an entry with
 * RasSetEntryProperties, dials it, and compares: RASENTRY, RASCONNSTATUS and RASCONN must
 * carry the szDeviceType and szDeviceName of its RASDEVINFO (A and W). The peers are
 * real (slirp, behind the modem fixture for COM6, a telephone line being the one thing
 * that cannot exist here). */
#include <windows.h>
#include <ras.h>
#include <raserror.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pe_test.h"

static char g_pbk[MAX_PATH];

static int setup(void **state) {
  (void)state;
  ora_pe_temp_path("ora-devices", ".pbk", g_pbk, sizeof g_pbk);
  DeleteFileA(g_pbk);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  DeleteFileA(g_pbk);
  return 0;
}

/* The RASDEVINFO whose name starts with prefix (and, for serial devices, ends with
 * "(port)"). */
static int find_device(const char *prefix, const char *port, RASDEVINFOA *out) {
  RASDEVINFOA devs[64];
  DWORD cb = sizeof devs, n = 0;
  devs[0].dwSize = sizeof devs[0];
  assert_int_equal(RasEnumDevicesA(devs, &cb, &n), 0);
  for (DWORD i = 0; i < n; i++) {
    size_t lp = strlen(prefix), ln = strlen(devs[i].szDeviceName);
    if (strncmp(devs[i].szDeviceName, prefix, lp) != 0)
      continue;
    if (port) {
      char tail[32];
      snprintf(tail, sizeof tail, "(%s)", port);
      if (ln < strlen(tail) || strcmp(devs[i].szDeviceName + ln - strlen(tail), tail) != 0)
        continue;
    }
    *out = devs[i];
    return 1;
  }
  return 0;
}

/* Adds key=value lines right after the entry's section line (what only the phone book
 * can say: slirp needs to be offered its own address). */
static void add_lines(const char *entry, const char *lines) {
  FILE *f = fopen(g_pbk, "rb");
  assert_non_null(f);
  static char text[65536], out[70000];
  size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[n] = 0;
  char head[300];
  snprintf(head, sizeof head, "[%s]\r\n", entry);
  char *at = strstr(text, head);
  assert_non_null(at);
  at += strlen(head);
  snprintf(out, sizeof out, "%.*s%s%s", (int)(at - text), text, lines, at);
  assert_int_equal(ora_pe_write_file(g_pbk, out), 0);
}

static void round_trip(const char *entry, const char *prefix, const char *port, DWORD type,
                       const char *number, const char *extra) {
  RASDEVINFOA dev;
  if (!find_device(prefix, port, &dev))
    fail_msg("RasEnumDevices lists no \"%s\" device%s%s", prefix, port ? " on " : "",
             port ? port : "");
  RASENTRYA e;
  memset(&e, 0, sizeof e);
  e.dwSize = sizeof e;
  e.dwType = type;
  e.dwfOptions = RASEO_RemoteDefaultGateway;
  e.dwfNetProtocols = RASNP_Ip;
  e.dwFramingProtocol = RASFP_Ppp;
  strcpy(e.szDeviceType, dev.szDeviceType);
  strcpy(e.szDeviceName, dev.szDeviceName);
  strcpy(e.szLocalPhoneNumber, number);
  assert_int_equal(RasSetEntryPropertiesA(g_pbk, entry, &e, sizeof e, NULL, 0), 0);
  if (extra)
    add_lines(entry, extra);

  /* RASENTRY */
  RASENTRYA r;
  memset(&r, 0, sizeof r);
  r.dwSize = sizeof r;
  DWORD cb = sizeof r;
  assert_int_equal(RasGetEntryPropertiesA(g_pbk, entry, &r, &cb, NULL, NULL), 0);
  assert_string_equal(r.szDeviceType, dev.szDeviceType);
  assert_string_equal(r.szDeviceName, dev.szDeviceName);

  RASDIALPARAMSA p;
  memset(&p, 0, sizeof p);
  p.dwSize = sizeof p;
  strcpy(p.szEntryName, entry);
  strcpy(p.szUserName, "alice");
  strcpy(p.szPassword, "alicepw");
  HRASCONN h = NULL;
  DWORD rc = RasDialA(NULL, g_pbk, &p, 0, NULL, &h);
  if (rc != 0) {
    if (h)
      RasHangUpA(h);
    fail_msg("dialing %s (%s) failed: %lu", entry, dev.szDeviceName, rc);
  }

  /* RASCONNSTATUS, A and W */
  RASCONNSTATUSA st;
  memset(&st, 0, sizeof st);
  st.dwSize = sizeof st;
  assert_int_equal(RasGetConnectStatusA(h, &st), 0);
  assert_int_equal(st.rasconnstate, RASCS_Connected);
  assert_string_equal(st.szDeviceType, dev.szDeviceType);
  assert_string_equal(st.szDeviceName, dev.szDeviceName);
  RASCONNSTATUSW sw;
  memset(&sw, 0, sizeof sw);
  sw.dwSize = sizeof sw;
  assert_int_equal(RasGetConnectStatusW(h, &sw), 0);
  WCHAR wname[RAS_MaxDeviceName + 1];
  MultiByteToWideChar(CP_ACP, 0, dev.szDeviceName, -1, wname, RAS_MaxDeviceName + 1);
  assert_int_equal(wcscmp(sw.szDeviceName, wname), 0);

  /* RASCONN, A and W */
  RASCONNA conns[16];
  DWORD cbc = sizeof conns, nc = 0;
  conns[0].dwSize = sizeof conns[0];
  assert_int_equal(RasEnumConnectionsA(conns, &cbc, &nc), 0);
  int found = 0;
  for (DWORD i = 0; i < nc; i++)
    if (conns[i].hrasconn == h) {
      found = 1;
      assert_string_equal(conns[i].szDeviceType, dev.szDeviceType);
      assert_string_equal(conns[i].szDeviceName, dev.szDeviceName);
    }
  assert_true(found);
  RASCONNW connw[16];
  cbc = sizeof connw;
  connw[0].dwSize = sizeof connw[0];
  assert_int_equal(RasEnumConnectionsW(connw, &cbc, &nc), 0);
  found = 0;
  for (DWORD i = 0; i < nc; i++)
    if (connw[i].hrasconn == h) {
      found = 1;
      assert_int_equal(wcscmp(connw[i].szDeviceName, wname), 0);
    }
  assert_true(found);

  assert_int_equal(RasHangUpA(h), 0);
  ora_pe_wait_gone(h, 5000);
  printf("%s: \"%s\" (%s) everywhere\n", entry, dev.szDeviceName, dev.szDeviceType);
}

static void simulated(void **state) {
  (void)state;
  round_trip("sim", "OpenRAS Simulated Modem", NULL, RASET_Phone, "5551234", "ORA_SimStepMs=0\r\n");
}

static void cable(void **state) {
  (void)state;
  round_trip("cable", "Communications cable between two computers", "COM5", RASET_Direct, "",
             "ORA_PppPeerIp=10.0.2.2\r\n");
}

static void modem(void **state) {
  (void)state;
  round_trip("modem", "Hayes-compatible modem", "COM6", RASET_Phone, "5551234",
             "ORA_PppPeerIp=10.0.2.2\r\nORA_ModemGuardMs=200\r\n");
}

static void tcp(void **state) {
  (void)state;
  const char *port = getenv("ORA_LINK_TCP_PORT");
  if (!port || !*port)
    fail_msg("ORA_LINK_TCP_PORT is not set: the link fixture has no TCP peer (no socat?)");
  char addr[64];
  snprintf(addr, sizeof addr, "127.0.0.1:%s", port);
  round_trip("tcp", "OpenRAS PPP over TCP", NULL, RASET_Vpn, addr, "ORA_PppPeerIp=10.0.2.2\r\n");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(simulated),
      cmocka_unit_test(cable),
      cmocka_unit_test(modem),
      cmocka_unit_test(tcp),
  };
  ORA_PE_RUN_TESTS_WITH("test_link_devices", tests, setup, teardown);
}
