/* The PPP link drivers under Wine: RasDialA through a COM port that Wine maps to a
 * pty (tests/pe/link-fixture.sh links $WINEPREFIX/dosdevices/com5 and com6 to
 * the modem fixture), to a real PPP server (slirp). The COM port is opened by the
 * connection manager process, as it would be on Windows by RasMan.
 *
 *   COM5  a null-modem cable to slirp requiring PAP (a fresh slirp per open)
 *   COM6  a Hayes modem: number 676 answers BUSY, any other CONNECT to slirp
 *   127.0.0.1:$ORA_LINK_TCP_PORT  socat handing each connection to a fresh slirp
 *
 * Checks RasGetConnectStatusA (Connected, device type and name) and
 * RasGetProjectionInfoA/W (10.0.2.15 / 10.0.2.2, every structure size, the size
 * probe and error conventions) and RasGetProjectionInfoEx, BUSY -> 676, and prints the medians of
 * 10 dials: the whole synchronous RasDial, and the PPP negotiation time and round trips that the
 * manager's driver writes to ORA_TRACE. */
#include <windows.h>
#include <ras.h>
#include <raserror.h>
#include <tlhelp32.h>

#include <stdlib.h>
#include <string.h>

#include "dial_util.h"
#include "pe_test.h"
#include "projection_ex.h"

#ifndef RASCN_ReConnection /* Windows 7's; mingw-w64's ras.h stops at Vista's */
#define RASCN_ReConnection 0x20
#endif
#define RASCSS_Reconnected 0x2000

#ifndef ERROR_PROJECTION_NOT_COMPLETE /* mingw-w64 declares it for some WINVER only */
#define ERROR_PROJECTION_NOT_COMPLETE 730
#endif

static char g_pbk[MAX_PATH];

/* A manager left by an earlier test would not have this test's environment
 * (ORA_TRACE): end it, so the first call starts one that has. */
static void end_old_managers(void) {
  HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
  if (snap == INVALID_HANDLE_VALUE)
    return;
  PROCESSENTRY32 pe;
  pe.dwSize = sizeof pe;
  for (BOOL ok = Process32First(snap, &pe); ok; ok = Process32Next(snap, &pe)) {
    if (_stricmp(pe.szExeFile, "openras-manager.exe") != 0)
      continue;
    HANDLE p = OpenProcess(PROCESS_TERMINATE | SYNCHRONIZE, FALSE, pe.th32ProcessID);
    if (p) {
      TerminateProcess(p, 1);
      WaitForSingleObject(p, 5000);
      CloseHandle(p);
    }
  }
  CloseHandle(snap);
}

static const char pbk_text[] = "[direct]\r\n"
                               "ORA_Link=direct\r\n"
                               "ORA_PppPeerIp=10.0.2.2\r\n"
                               "\r\n"
                               "MEDIA=serial\r\n"
                               "Port=COM5\r\n"
                               "Device=Null-modem cable (COM5)\r\n"
                               "\r\n"
                               "DEVICE=null\r\n"
                               "\r\n"
                               "[direct2]\r\n"
                               "ORA_Link=direct\r\n"
                               "\r\n"
                               "MEDIA=serial\r\n"
                               "Port=com5\r\n"
                               "Device=Null-modem cable (COM5)\r\n"
                               "\r\n"
                               "DEVICE=null\r\n"
                               "\r\n"
                               "[modem]\r\n"
                               "ORA_Link=modem\r\n"
                               "ORA_PppPeerIp=10.0.2.2\r\n"
                               "ORA_ModemGuardMs=200\r\n"
                               "\r\n"
                               "MEDIA=serial\r\n"
                               "Port=COM6\r\n"
                               "Device=Fixture Modem (COM6)\r\n"
                               "ConnectBPS=115200\r\n"
                               "\r\n"
                               "DEVICE=modem\r\n"
                               "PhoneNumber=5551234\r\n"
                               "\r\n";

static int setup(void **state) {
  (void)state;
  char dir[MAX_PATH];
  GetTempPathA(sizeof dir, dir);
  snprintf(g_pbk, sizeof g_pbk, "%sora-link-%lu.pbk", dir, (unsigned long)GetCurrentProcessId());
  FILE *f = fopen(g_pbk, "wb");
  if (!f)
    return -1;
  fputs(pbk_text, f);
  const char *port = getenv("ORA_LINK_TCP_PORT");
  if (port && *port)
    fprintf(f,
            "[tcp]\r\nORA_Link=tcp\r\nORA_TcpAddress=127.0.0.1:%s\r\nORA_PppPeerIp=10.0.2.2\r\n\r\n"
            "[tcp-redial]\r\nORA_Link=tcp\r\nORA_TcpAddress=127.0.0.1:%s\r\n"
            "ORA_PppPeerIp=10.0.2.2\r\nRedialOnLinkFailure=1\r\nRedialAttempts=3\r\n"
            "RedialSeconds=1\r\n\r\n",
            port, port);
  fclose(f);
  end_old_managers();
  return 0;
}

static int teardown(void **state) {
  (void)state;
  DeleteFileA(g_pbk);
  return 0;
}

static double now_ms(void) {
  LARGE_INTEGER f, c;
  QueryPerformanceFrequency(&f);
  QueryPerformanceCounter(&c);
  return (double)c.QuadPart * 1000.0 / (double)f.QuadPart;
}

/* A synchronous RasDialA of an entry; *h is set even when it fails. */
static DWORD dial(const char *entry, const char *number, HRASCONN *h) {
  RASDIALPARAMSA p;
  memset(&p, 0, sizeof p);
  p.dwSize = sizeof p;
  strcpy(p.szEntryName, entry);
  strcpy(p.szPhoneNumber, number);
  strcpy(p.szUserName, "alice");
  strcpy(p.szPassword, "alicepw");
  *h = NULL;
  return RasDialA(NULL, g_pbk, &p, 0, NULL, h);
}

/* Hangs up and waits until the handle is gone (at most 5 s); 1 if it went. */
static int hang_up(HRASCONN h) {
  if (!h)
    return 1;
  assert_int_equal(RasHangUpA(h), 0);
  for (int i = 0; i < 500; i++) {
    RASCONNSTATUSA st;
    st.dwSize = sizeof st;
    if (RasGetConnectStatusA(h, &st) == ERROR_INVALID_HANDLE)
      return 1;
    Sleep(10);
  }
  return 0;
}

static void expect_status(HRASCONN h, const char *type, const char *name) {
  RASCONNSTATUSA st;
  memset(&st, 0, sizeof st);
  st.dwSize = sizeof st;
  assert_int_equal(RasGetConnectStatusA(h, &st), 0);
  assert_int_equal(st.rasconnstate, RASCS_Connected);
  assert_int_equal(st.dwError, 0);
  assert_string_equal(st.szDeviceType, type);
  assert_string_equal(st.szDeviceName, name);
}

static void expect_ip(HRASCONN h) {
  RASPPPIPA ip;
  DWORD cb = sizeof ip;
  memset(&ip, 0x55, sizeof ip);
  ip.dwSize = sizeof ip;
  assert_int_equal(RasGetProjectionInfoA(h, RASP_PppIp, &ip, &cb), 0);
  assert_int_equal(ip.dwError, 0);
  assert_string_equal(ip.szIpAddress, "10.0.2.15");
  assert_string_equal(ip.szServerIpAddress, "10.0.2.2");
  assert_int_equal(ip.dwOptions, 0);
}

/* ---- the null-modem cable ---- */

static void direct_connect_and_project(void **state) {
  (void)state;
  HRASCONN h;
  double t0 = now_ms();
  DWORD rc = dial("direct", "", &h);
  double ms = now_ms() - t0;
  assert_int_equal(rc, 0);
  printf("direct: RasDialA %.1f ms\n", ms);
  expect_status(h, "null", "Null-modem cable (COM5)");
  expect_ip(h);

  /* Every size of RASPPPIPA and RASPPPIPW, only its own fields written. */
  BYTE buf[128];
  DWORD cb;
  static const DWORD a_sizes[] = {24, 40, 48}, w_sizes[] = {40, 72, 80};
  for (int i = 0; i < 3; i++) {
    memset(buf, 0x55, sizeof buf);
    memcpy(buf, &a_sizes[i], 4);
    cb = a_sizes[i];
    assert_int_equal(RasGetProjectionInfoA(h, RASP_PppIp, buf, &cb), 0);
    assert_string_equal((char *)buf + 8, "10.0.2.15");
    if (a_sizes[i] >= 40)
      assert_string_equal((char *)buf + 24, "10.0.2.2");
    assert_int_equal(buf[a_sizes[i]], 0x55); /* nothing past dwSize */
    memset(buf, 0x55, sizeof buf);
    memcpy(buf, &w_sizes[i], 4);
    cb = w_sizes[i];
    assert_int_equal(RasGetProjectionInfoW(h, RASP_PppIp, buf, &cb), 0);
    assert_true(wcscmp((WCHAR *)(buf + 8), L"10.0.2.15") == 0);
    if (w_sizes[i] >= 72)
      assert_true(wcscmp((WCHAR *)(buf + 40), L"10.0.2.2") == 0);
    assert_int_equal(buf[w_sizes[i]], 0x55);
  }

  /* The size probe and the error conventions. */
  cb = 0;
  assert_int_equal(RasGetProjectionInfoA(h, RASP_PppIp, NULL, &cb), ERROR_BUFFER_TOO_SMALL);
  assert_int_equal(cb, sizeof(RASPPPIPA));
  RASPPPIPA ip;
  ip.dwSize = sizeof ip;
  cb = 10;
  assert_int_equal(RasGetProjectionInfoA(h, RASP_PppIp, &ip, &cb), ERROR_BUFFER_TOO_SMALL);
  assert_int_equal(cb, sizeof ip);
  ip.dwSize = 44;
  cb = sizeof ip;
  assert_int_equal(RasGetProjectionInfoA(h, RASP_PppIp, &ip, &cb), ERROR_INVALID_SIZE);
  ip.dwSize = sizeof ip;
  assert_int_equal(RasGetProjectionInfoA(h, RASP_PppIp, &ip, NULL), ERROR_INVALID_PARAMETER);
  cb = sizeof ip;
  assert_int_equal(RasGetProjectionInfoA(h, RASP_PppIpx, &ip, &cb), ERROR_PROTOCOL_NOT_CONFIGURED);

  /* LCP: slirp asked for PAP; the pre-2000 8-byte layout works too. */
  RASPPPLCPA lcp;
  memset(&lcp, 0, sizeof lcp);
  lcp.dwSize = sizeof lcp;
  cb = sizeof lcp;
  assert_int_equal(RasGetProjectionInfoA(h, RASP_PppLcp, &lcp, &cb), 0);
  assert_int_equal(lcp.dwError, 0);
  assert_int_equal(lcp.dwAuthenticationProtocol, RASLCPAP_PAP);
  assert_false(lcp.fBundled);
  assert_int_equal(lcp.dwOptions & (RASLCPO_PFC | RASLCPO_ACFC), RASLCPO_PFC | RASLCPO_ACFC);
  DWORD small[2] = {8, 77};
  cb = 8;
  assert_int_equal(RasGetProjectionInfoA(h, RASP_PppLcp, small, &cb), 0);
  assert_int_equal(small[1], FALSE);

  /* RasGetProjectionInfoEx: IPCP and LCP of the same link in one structure. */
  projection_ex_fn get_ex = projection_ex();
  assert_non_null(get_ex);
  projection_info pi;
  memset(&pi, 0x55, sizeof pi);
  pi.version = TEST_RASAPIVERSION_601;
  cb = sizeof pi;
  assert_int_equal(get_ex(h, &pi, &cb), 0);
  assert_int_equal(pi.type, TEST_PROJECTION_INFO_TYPE_PPP);
  assert_int_equal(pi.dwIPv4NegotiationError, 0);
  assert_true(ipv4_is(pi.ipv4Address, 10, 0, 2, 15));
  assert_true(ipv4_is(pi.ipv4ServerAddress, 10, 0, 2, 2));
  assert_int_equal(pi.dwAuthenticationProtocol, RASLCPAP_PAP);
  assert_int_equal(pi.dwLcpOptions, lcp.dwOptions);
  assert_int_equal(pi.dwLcpServerOptions, lcp.dwServerOptions);
  assert_int_equal(pi.dwIPv6NegotiationError, ERROR_PROTOCOL_NOT_CONFIGURED);

  assert_true(hang_up(h));
  cb = sizeof ip;
  ip.dwSize = sizeof ip;
  assert_int_equal(RasGetProjectionInfoA(h, RASP_PppIp, &ip, &cb), ERROR_INVALID_HANDLE);
}

/* ---- the modem ---- */

static void modem_busy_676(void **state) {
  (void)state;
  HRASCONN h;
  assert_int_equal(dial("modem", "676", &h), ERROR_LINE_BUSY);
  assert_non_null(h);
  RASCONNSTATUSA st;
  st.dwSize = sizeof st;
  assert_int_equal(RasGetConnectStatusA(h, &st), 0);
  assert_int_equal(st.dwError, ERROR_LINE_BUSY);
  assert_int_equal(st.rasconnstate, RASCS_ConnectDevice);
  /* Not projected: the projection is not there to read. */
  RASPPPIPA ip;
  ip.dwSize = sizeof ip;
  DWORD cb = sizeof ip;
  assert_int_equal(RasGetProjectionInfoA(h, RASP_PppIp, &ip, &cb), ERROR_PROJECTION_NOT_COMPLETE);
  assert_true(hang_up(h));
}

static void modem_connect(void **state) {
  (void)state;
  HRASCONN h;
  double t0 = now_ms();
  DWORD rc = dial("modem", "", &h);
  double ms = now_ms() - t0;
  assert_int_equal(rc, 0);
  printf("modem: RasDialA %.1f ms\n", ms);
  expect_status(h, "modem", "Fixture Modem (COM6)");
  expect_ip(h);
  assert_true(hang_up(h));
  Sleep(1000); /* the modem's "+++", ATH and DTR drop finish after the handle went */
}

/* A dialer that redials right after RasHangUp (the handle is invalid at once, so
 * waiting for ERROR_INVALID_HANDLE as the docs advise does not wait) gets the port
 * as soon as the old connection has let go of it, not ERROR_PORT_NOT_AVAILABLE. */
static void redial_at_once(void **state) {
  (void)state;
  static const char *const entries[] = {"modem", "direct"};
  for (size_t e = 0; e < 2; e++) {
    HRASCONN h;
    assert_int_equal(dial(entries[e], "", &h), 0);
    for (int round = 0; round < 3; round++) {
      assert_int_equal(RasHangUpA(h), 0);
      double t0 = now_ms();
      DWORD rc = dial(entries[e], "", &h);
      printf("%s: redial %d right after RasHangUp: %lu in %.0f ms\n", entries[e], round, rc,
             now_ms() - t0);
      assert_int_equal(rc, 0);
      expect_ip(h);
    }
    assert_true(hang_up(h));
  }
  Sleep(1000); /* the modem's "+++", ATH and DTR drop finish after the handle went */
}

/* A port one connection uses is not another's: 633 at once, as Windows' exclusive
 * CreateFile of a COM port gives (Wine on a pty would let both open it). */
static void port_in_use_633(void **state) {
  (void)state;
  HRASCONN h, h2;
  assert_int_equal(dial("direct", "", &h), 0);
  double t0 = now_ms();
  assert_int_equal(dial("direct2", "", &h2), ERROR_PORT_NOT_AVAILABLE);
  printf("second dial of COM5: 633 in %.0f ms\n", now_ms() - t0);
  assert_true(hang_up(h2));
  expect_status(h, "null", "Null-modem cable (COM5)"); /* the first is untouched */
  assert_true(hang_up(h));
  /* Once the first lets go, the other entry gets the port. */
  assert_int_equal(dial("direct2", "", &h2), 0);
  assert_true(hang_up(h2));
}

/* ---- TCP (Winsock) ---- */

static void tcp_connect(void **state) {
  (void)state;
  const char *port = getenv("ORA_LINK_TCP_PORT");
  if (!port || !*port)
    fail_msg("ORA_LINK_TCP_PORT is not set: the link fixture has no TCP peer (no socat?)");
  HRASCONN h;
  assert_int_equal(dial("tcp", "", &h), 0);
  /* No device in the entry: the one RasEnumDevices lists for PPP over TCP. */
  expect_status(h, "vpn", "OpenRAS PPP over TCP");
  expect_ip(h);
  assert_true(hang_up(h));
}

/* The pid of the slirp serving the latest TCP connection (link-fixture.sh). */
static unsigned long tcp_slirp_pid(void) {
  const char *dir = getenv("ORA_LINK_DIR");
  char path[MAX_PATH];
  snprintf(path, sizeof path, "Z:%s/tcp-slirp.pid", dir ? dir : "/nonexistent");
  FILE *f = fopen(path, "r");
  unsigned long pid = 0;
  if (f) {
    if (fscanf(f, "%lu", &pid) != 1)
      pid = 0;
    fclose(f);
  }
  return pid;
}

/* RASEO2_ReconnectIfDropped (RedialOnLinkFailure) through the DLL and the manager: the
 * peer is killed after Connected and the socat of the link fixture starts a fresh one for
 * the redial. The handle stays valid and Connected throughout; RasConnectionNotification
 * signals RASCN_ReConnection, after which RasGetConnectStatus says RASCSS_Reconnected
 * and the projection is there again. */
static void tcp_reconnect(void **state) {
  (void)state;
  const char *port = getenv("ORA_LINK_TCP_PORT");
  if (!port || !*port)
    fail_msg("ORA_LINK_TCP_PORT is not set: the link fixture has no TCP peer (no socat?)");
  /* The slirp of the TCP test before may still be going (its socat ends it as the
   * connection closes): a slirp started beside it sometimes never answered (718). */
  char proc[64];
  snprintf(proc, sizeof proc, "Z:\\proc\\%lu", tcp_slirp_pid());
  for (int i = 0; i < 500 && GetFileAttributesA(proc) != INVALID_FILE_ATTRIBUTES; i++)
    Sleep(10);
  HRASCONN h;
  assert_int_equal(dial("tcp-redial", "", &h), 0);
  HANDLE back = CreateEventA(NULL, FALSE, FALSE, NULL),
         gone = CreateEventA(NULL, FALSE, FALSE, NULL);
  assert_int_equal(RasConnectionNotificationA(h, back, RASCN_ReConnection), 0);
  assert_int_equal(RasConnectionNotificationA(h, gone, RASCN_Disconnection), 0);
  unsigned long first = tcp_slirp_pid();
  assert_true(first != 0);
  char cmd[64];
  snprintf(cmd, sizeof cmd, "/bin/kill -9 %lu", first);
  assert_int_equal(ora_pe_start_native(cmd), 0);
  for (int i = 0; i < 100; i++) { /* while it redials, it is still Connected */
    RCSA_601 st;
    memset(&st, 0, sizeof st);
    st.dwSize = sizeof st;
    assert_int_equal(RasGetConnectStatusA(h, (RASCONNSTATUSA *)&st), 0);
    assert_int_equal(st.rasconnstate, RASCS_Connected);
    assert_int_equal(st.dwError, 0);
    if (st.rasconnsubstate == RASCSS_Reconnected)
      break;
    Sleep(20);
  }
  assert_int_equal(WaitForSingleObject(back, 15000), WAIT_OBJECT_0);
  assert_int_equal(WaitForSingleObject(gone, 0), WAIT_TIMEOUT);
  RCSA_601 st;
  memset(&st, 0, sizeof st);
  st.dwSize = sizeof st;
  assert_int_equal(RasGetConnectStatusA(h, (RASCONNSTATUSA *)&st), 0);
  assert_int_equal(st.rasconnstate, RASCS_Connected);
  assert_int_equal(st.rasconnsubstate, RASCSS_Reconnected);
  assert_true(tcp_slirp_pid() != first); /* a fresh peer */
  expect_ip(h);
  assert_true(hang_up(h));
  CloseHandle(back);
  CloseHandle(gone);
}

/* ---- measurements ---- */

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static long file_size(const char *path) {
  WIN32_FILE_ATTRIBUTE_DATA a;
  return GetFileAttributesExA(path, GetFileExInfoStandard, &a) ? (long)a.nFileSizeLow : 0;
}

static void measure_direct(void **state) {
  (void)state;
  enum { N = 10 };
  double whole[N], neg[N], rt[N];
  const char *trace = getenv("ORA_TRACE");
  long from = trace ? file_size(trace) : 0;
  for (int k = 0; k < N; k++) {
    HRASCONN h;
    Sleep(300); /* the previous link's teardown (LCP Terminate, port close) */
    double t0 = now_ms();
    DWORD rc = dial("direct", "", &h);
    whole[k] = now_ms() - t0;
    assert_int_equal(rc, 0);
    assert_true(hang_up(h));
  }
  int n = 0;
  FILE *f = trace ? fopen(trace, "rb") : NULL;
  if (f) {
    fseek(f, from, SEEK_SET);
    char line[512];
    while (n < N && fgets(line, sizeof line, f)) {
      const char *p = strstr(line, "IPCP up, negotiation ");
      unsigned long long us, trips;
      if (p && sscanf(p, "IPCP up, negotiation %llu us, %llu round trips", &us, &trips) == 2) {
        neg[n] = (double)us / 1000.0;
        rt[n] = (double)trips;
        n++;
      }
    }
    fclose(f);
  }
  qsort(whole, N, sizeof whole[0], cmp_double);
  printf("wine direct pap: whole RasDialA median %.1f ms (min %.1f, max %.1f)\n",
         (whole[N / 2 - 1] + whole[N / 2]) / 2, whole[0], whole[N - 1]);
  if (n == N) {
    qsort(neg, N, sizeof neg[0], cmp_double);
    qsort(rt, N, sizeof rt[0], cmp_double);
    printf("wine direct pap: negotiation median %.2f ms (min %.2f, max %.2f), round trips %.0f\n",
           (neg[N / 2 - 1] + neg[N / 2]) / 2, neg[0], neg[N - 1], rt[N / 2]);
  } else {
    printf("wine direct pap: %d negotiation lines in ORA_TRACE (%s)\n", n, trace ? trace : "unset");
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(direct_connect_and_project),
      cmocka_unit_test(modem_busy_676),
      cmocka_unit_test(modem_connect),
      cmocka_unit_test(redial_at_once),
      cmocka_unit_test(port_in_use_633),
      cmocka_unit_test(tcp_connect),
      cmocka_unit_test(tcp_reconnect),
      cmocka_unit_test(measure_direct),
  };
  ORA_PE_RUN_TESTS_WITH("test_link_slirp", tests, setup, teardown);
}
