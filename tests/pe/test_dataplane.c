/* The data plane end to end, sandbox mode (docs/data-plane.md): this program's whole
 * Wine session runs under tunhelper/openras-run (new user, network and mount
 * namespaces: only loopback), started by tests/pe/dataplane.sh, which also puts
 *   - a TCP server on the host's loopback at ORA_DP_PORT that sends ORA_DP_NONCE and a
 *     newline, then echoes everything back;
 *   - slirp behind COM5 (link-fixture.sh's null-modem cable, a fresh slirp with PAP per
 *     open); slirp hands connections to its alias 10.0.2.2 to the host's loopback.
 * So 10.0.2.2 is reachable only through the PPP link this program dials, and the
 * traffic stays on the host's loopback and inside the test's namespace.
 *
 * Checks, for a sync and an async RasDial: before the dial 10.0.2.2 is unreachable and
 * no PPP adapter is listed; once connected the nonce comes back, the socket's local
 * address is RasGetProjectionInfo's, GetIfTable lists a PPP adapter that is up, 10 MB
 * each way arrive intact, RasGetConnectionStatistics counts at least those bytes; after
 * RasHangUp the connect fails again and the adapter is gone. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <iphlpapi.h>
#include <tlhelp32.h>
#include <ras.h>
#include <raserror.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pe_test.h"

#define BULK (10u * 1024u * 1024u)

static char g_pbk[MAX_PATH];
static unsigned short g_port;
static char g_nonce[64];

static const char pbk_text[] = "[dp]\r\n"
                               "ORA_Link=direct\r\n"
                               "ORA_PppPeerIp=10.0.2.2\r\n"
                               "ORA_DataPlane=required\r\n"
                               "IpPrioritizeRemote=1\r\n"
                               "\r\n"
                               "MEDIA=serial\r\n"
                               "Port=COM5\r\n"
                               "Device=Null-modem cable (COM5)\r\n"
                               "\r\n"
                               "DEVICE=null\r\n";

static int setup(void **state) {
  (void)state;
  const char *port = getenv("ORA_DP_PORT"), *nonce = getenv("ORA_DP_NONCE");
  if (!port || !nonce)
    return -1;
  g_port = (unsigned short)atoi(port);
  snprintf(g_nonce, sizeof g_nonce, "%s", nonce);
  WSADATA wd;
  if (WSAStartup(MAKEWORD(2, 2), &wd) != 0)
    return -1;
  ora_pe_temp_path("dataplane", ".pbk", g_pbk, sizeof g_pbk);
  return ora_pe_write_file(g_pbk, pbk_text);
}

static int teardown(void **state) {
  (void)state;
  DeleteFileA(g_pbk);
  WSACleanup();
  return 0;
}

/* A TCP connection to 10.0.2.2:port, or INVALID_SOCKET (and *err). */
static SOCKET connect_server(int *err) {
  SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons(g_port);
  a.sin_addr.s_addr = htonl(0x0a000202); /* 10.0.2.2 */
  DWORD to = 10000;
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&to, sizeof to);
  if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) {
    *err = WSAGetLastError();
    closesocket(s);
    return INVALID_SOCKET;
  }
  *err = 0;
  return s;
}

/* PPP adapters GetIfTable lists, and how many of them are up. */
static int ppp_adapters(int *up) {
  ULONG n = 0;
  GetIfTable(NULL, &n, FALSE);
  MIB_IFTABLE *t = malloc(n ? n : 1);
  int count = 0;
  *up = 0;
  if (t && GetIfTable(t, &n, FALSE) == NO_ERROR) {
    for (DWORD i = 0; i < t->dwNumEntries; i++)
      if (t->table[i].dwType == MIB_IF_TYPE_PPP) {
        count++;
        if (t->table[i].dwOperStatus >= IF_OPER_STATUS_CONNECTED)
          (*up)++;
      }
  }
  free(t);
  return count;
}

/* Does GetAdaptersAddresses list an operational PPP adapter holding this IPv4 address? */
static int ppp_adapter_with(const char *addr) {
  ULONG n = 16384;
  IP_ADAPTER_ADDRESSES *all = malloc(n);
  int found = 0;
  if (all && GetAdaptersAddresses(AF_INET, 0, NULL, all, &n) == NO_ERROR) {
    for (IP_ADAPTER_ADDRESSES *a = all; a; a = a->Next) {
      if (a->IfType != IF_TYPE_PPP || a->OperStatus != IfOperStatusUp)
        continue;
      for (IP_ADAPTER_UNICAST_ADDRESS *u = a->FirstUnicastAddress; u; u = u->Next) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)u->Address.lpSockaddr;
        if (sin && sin->sin_family == AF_INET && strcmp(inet_ntoa(sin->sin_addr), addr) == 0)
          found = 1;
      }
    }
  }
  free(all);
  return found;
}

static uint32_t fnv(uint32_t h, const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    h = (h ^ p[i]) * 16777619u;
  return h;
}

struct sender {
  SOCKET s;
  uint32_t sum;
  int ok;
};

static DWORD WINAPI send_bulk(void *arg) {
  struct sender *sd = arg;
  static unsigned char buf[65536];
  uint32_t x = 0x12345678, h = 2166136261u;
  size_t left = BULK;
  sd->ok = 1;
  while (left) {
    size_t n = left < sizeof buf ? left : sizeof buf;
    for (size_t i = 0; i < n; i++) {
      x = x * 1103515245u + 12345u;
      buf[i] = (unsigned char)(x >> 16);
    }
    h = fnv(h, buf, n);
    for (size_t off = 0; off < n;) {
      int w = send(sd->s, (const char *)buf + off, (int)(n - off), 0);
      if (w <= 0) {
        sd->ok = 0;
        return 0;
      }
      off += (size_t)w;
    }
    left -= n;
  }
  sd->sum = h;
  return 0;
}

/* Everything a connected link must carry. */
static void check_traffic(HRASCONN h) {
  RASPPPIPA ip;
  memset(&ip, 0, sizeof ip);
  ip.dwSize = sizeof ip;
  DWORD cb = sizeof ip;
  assert_int_equal(RasGetProjectionInfoA(h, RASP_PppIp, &ip, &cb), 0);
  assert_int_equal(ip.dwError, 0);

  int up = 0;
  assert_true(ppp_adapters(&up) >= 1);
  assert_true(up >= 1);
  assert_true(ppp_adapter_with(ip.szIpAddress));

  int err;
  SOCKET s = connect_server(&err);
  if (s == INVALID_SOCKET)
    fail_msg("connect to 10.0.2.2:%u over the link failed: %d", g_port, err);
  char line[80];
  size_t got = 0;
  while (got < sizeof line - 1) {
    int r = recv(s, line + got, 1, 0);
    assert_true(r == 1);
    if (line[got] == '\n')
      break;
    got++;
  }
  line[got] = '\0';
  assert_string_equal(line, g_nonce);

  struct sockaddr_in me;
  int ml = sizeof me;
  assert_int_equal(getsockname(s, (struct sockaddr *)&me, &ml), 0);
  char mine[16];
  snprintf(mine, sizeof mine, "%s", inet_ntoa(me.sin_addr));
  assert_string_equal(mine, ip.szIpAddress);

  RAS_STATS before;
  memset(&before, 0, sizeof before);
  before.dwSize = sizeof before;
  assert_int_equal(RasGetConnectionStatistics(h, &before), 0);

  /* 32-byte echoes: the round trip through Wine, the link and slirp bounds a transfer at
   * about slirp's 8,760-byte window per round trip. */
  enum { ECHOES = 101 };
  double rtt[ECHOES];
  LARGE_INTEGER f, a, b;
  QueryPerformanceFrequency(&f);
  int k = 0;
  BOOL one = TRUE;
  setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
  for (; k < ECHOES; k++) {
    char m[32], e[32];
    memset(m, 'a' + k % 26, sizeof m);
    QueryPerformanceCounter(&a);
    if (send(s, m, (int)sizeof m, 0) != (int)sizeof m)
      break;
    int back = 0;
    while (back < (int)sizeof e) {
      int r = recv(s, e + back, (int)sizeof e - back, 0);
      if (r <= 0)
        break;
      back += r;
    }
    QueryPerformanceCounter(&b);
    assert_int_equal(back, (int)sizeof e);
    assert_memory_equal(m, e, sizeof m);
    rtt[k] = (double)(b.QuadPart - a.QuadPart) * 1e6 / (double)f.QuadPart;
  }
  for (int i = 1; i < k; i++) /* insertion sort: few */
    for (int j = i; j > 0 && rtt[j] < rtt[j - 1]; j--) {
      double x = rtt[j];
      rtt[j] = rtt[j - 1];
      rtt[j - 1] = x;
    }
  assert_int_equal(k, ECHOES);
  printf("# 32-byte TCP echo through the link: median %.0f us\n", rtt[k / 2]);
  if (getenv("ORA_BENCH_TSV"))
    printf("wine_dp_%s_rtt_us\t%.0f\tus\t%d\n", sizeof(void *) == 8 ? "x64" : "x86", rtt[k / 2], k);

  /* 10 MB each way: sent by a thread while this one reads the echo. */
  struct sender sd = {s, 0, 0};
  HANDLE th = CreateThread(NULL, 0, send_bulk, &sd, 0, NULL);
  assert_non_null(th);
  static char buf[65536];
  uint32_t sum = 2166136261u;
  size_t back = 0;
  DWORD t0 = GetTickCount();
  while (back < BULK) {
    int r = recv(s, buf, (int)sizeof buf, 0);
    if (r <= 0)
      break;
    sum = fnv(sum, (unsigned char *)buf, (size_t)r);
    back += (size_t)r;
  }
  DWORD ms = GetTickCount() - t0;
  WaitForSingleObject(th, INFINITE);
  CloseHandle(th);
  closesocket(s);
  assert_true(sd.ok);
  assert_int_equal(back, BULK);
  assert_int_equal(sum, sd.sum);
  double rate = ms ? (double)BULK / 1048576.0 / (ms / 1000.0) : 0.0;
  printf("# 10 MB each way through the link in %lu ms (%.2f MB/s each way)\n", (unsigned long)ms,
         rate);
  if (getenv("ORA_BENCH_TSV")) /* bench/run.sh's row */
    printf("wine_dp_%s_MBps\t%.2f\tMB/s\t1\n", sizeof(void *) == 8 ? "x64" : "x86", rate);

  RAS_STATS after;
  memset(&after, 0, sizeof after);
  after.dwSize = sizeof after;
  assert_int_equal(RasGetConnectionStatistics(h, &after), 0);
  assert_true(after.dwBytesXmited - before.dwBytesXmited >= BULK);
  assert_true(after.dwBytesRcved - before.dwBytesRcved >= BULK);
  assert_true(after.dwFramesXmited - before.dwFramesXmited >= BULK / 1500);
}

static void check_unreachable(void) {
  /* The helper removes the interface as it exits, just after the handle is gone: wait
   * for that first, as a connect started in between would leave over the interface and
   * then retry its SYN for minutes. Wine's interface list never drops an entry once
   * seen (nsiproxy caches it), so a removed adapter stays listed, not operational: no
   * PPP adapter may be up. */
  int up = 0;
  for (int i = 0; i < 50 && (ppp_adapters(&up), up > 0); i++)
    Sleep(100);
  ppp_adapters(&up);
  assert_int_equal(up, 0);
  int err = 0;
  SOCKET s = connect_server(&err);
  if (s != INVALID_SOCKET) {
    closesocket(s);
    fail_msg("10.0.2.2 was reachable without the link");
  }
}

static void hang_up(HRASCONN h) {
  assert_int_equal(RasHangUpA(h), 0);
  assert_int_equal(ora_pe_wait_gone(h, 10000), ERROR_INVALID_HANDLE);
}

static RASDIALPARAMSA params(void) {
  RASDIALPARAMSA p;
  memset(&p, 0, sizeof p);
  p.dwSize = sizeof p;
  strcpy(p.szEntryName, "dp");
  strcpy(p.szUserName, "alice");
  strcpy(p.szPassword, "alicepw");
  return p;
}

/* A synchronous RasDialA of the entry; fails the test unless it connected. */
static HRASCONN dial_sync(void) {
  RASDIALPARAMSA p = params();
  HRASCONN h = NULL;
  DWORD rc = RasDialA(NULL, g_pbk, &p, 0, NULL, &h);
  if (rc != 0) {
    if (h)
      RasHangUpA(h);
    fail_msg("RasDialA: %lu", (unsigned long)rc);
  }
  return h;
}

static void test_sync_dial_carries_traffic(void **state) {
  (void)state;
  check_unreachable();
  HRASCONN h = dial_sync();
  check_traffic(h);
  hang_up(h);
  check_unreachable();
}

static HANDLE g_done;
static volatile DWORD g_state, g_error;

static VOID WINAPI on_state(UINT msg, RASCONNSTATE st, DWORD err) {
  (void)msg;
  g_state = st;
  g_error = err;
  if (err || st == RASCS_Connected || st == RASCS_Disconnected)
    SetEvent(g_done);
}

static void test_async_dial_carries_traffic(void **state) {
  (void)state;
  g_done = CreateEventA(NULL, TRUE, FALSE, NULL);
  RASDIALPARAMSA p = params();
  HRASCONN h = NULL;
  assert_int_equal(RasDialA(NULL, g_pbk, &p, 0, (void *)on_state, &h), 0);
  assert_int_equal(WaitForSingleObject(g_done, 60000), WAIT_OBJECT_0);
  assert_int_equal(g_error, 0);
  assert_int_equal(g_state, RASCS_Connected);
  check_traffic(h);
  hang_up(h);
  check_unreachable();
  CloseHandle(g_done);
}

static void read_resolv(char *buf, size_t cap) {
  buf[0] = '\0';
  FILE *f = fopen("Z:\\etc\\resolv.conf", "rb"); /* this sandbox's own */
  if (f) {
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
  }
}

/* Waits up to ms for no PPP adapter to be up; how long it took, or -1. */
static long wait_no_ppp_up(DWORD ms) {
  DWORD t0 = GetTickCount();
  int up = 0;
  do {
    ppp_adapters(&up);
    if (up == 0)
      return (long)(GetTickCount() - t0);
    Sleep(50);
  } while (GetTickCount() - t0 < ms);
  return -1;
}

/* kill -9 of the manager in the middle of a transfer: a real SIGKILL of its Linux
 * process (pkill, limited to this sandbox's network namespace, so no other test's
 * manager is touched). Its helper sees the socket close and removes the interface and
 * its routes, and the janitor puts the session's resolv.conf back; the handle is gone
 * (a new manager does not know it: ERROR_INVALID_HANDLE), and 10.0.2.2 is unreachable
 * again. (TerminateProcess is not used: Wine keeps a terminated process's sockets
 * while it cleans up its threads, seconds under load.) */
static int managers_running(void) {
  HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
  PROCESSENTRY32 pe;
  pe.dwSize = sizeof pe;
  int n = 0;
  for (BOOL ok = Process32First(snap, &pe); ok; ok = Process32Next(snap, &pe))
    n += _stricmp(pe.szExeFile, "openras-manager.exe") == 0;
  CloseHandle(snap);
  return n;
}

/* 0 once the manager is gone. (Wine's handle of a Linux program started with
 * CreateProcess does not follow that program, so the manager's own end is awaited.) */
static int kill9_manager(void) {
  if (managers_running() != 1)
    return -1;
  if (ora_pe_start_native(
          "/bin/sh -c \"exec pkill -9 --ns $$ --nslist net -f openras-manager.exe\"") != 0)
    return -1;
  for (int i = 0; i < 1000 && managers_running(); i++)
    Sleep(10);
  return managers_running();
}

static void test_manager_killed_mid_transfer(void **state) {
  (void)state;
  char before[1024], during[1024], after[1024];
  read_resolv(before, sizeof before);
  HRASCONN h = dial_sync();
  read_resolv(during, sizeof during);
  assert_true(strcmp(before, during) != 0); /* the link's DNS server is in */
  int err;
  SOCKET s = connect_server(&err);
  if (s == INVALID_SOCKET)
    fail_msg("connect to 10.0.2.2:%u over the link failed: %d", g_port, err);
  struct sender sd = {s, 0, 0};
  HANDLE th = CreateThread(NULL, 0, send_bulk, &sd, 0, NULL);
  assert_non_null(th);
  static char buf[65536];
  size_t back = 0;
  while (back < 256 * 1024) { /* well into the transfer */
    int r = recv(s, buf, (int)sizeof buf, 0);
    assert_true(r > 0);
    back += (size_t)r;
  }
  assert_int_equal(kill9_manager(), 0);
  long gone_ms = wait_no_ppp_up(20000); /* the helper's stall limit is 8 s */
  printf("# interface down %ld ms after the manager was killed\n", gone_ms);
  if (gone_ms < 0) { /* what Linux says: is the interface there, who holds it */
    ora_pe_start_native("/bin/sh -c \"(ip -o link; ps -eo pid,ppid,stat,args | grep -E "
                        "'openras|manager'; for p in $(pgrep openras-tun); do ls -l /proc/$p/fd; "
                        "done; ss -tanp) > /tmp/ora-dp-diag.txt 2>&1\"");
    Sleep(1000);
    FILE *f = fopen("Z:\\tmp\\ora-dp-diag.txt", "r");
    char l[256];
    while (f && fgets(l, sizeof l, f))
      printf("# diag: %s", l);
    if (f)
      fclose(f);
  }
  assert_true(gone_ms >= 0);
  check_unreachable();
  shutdown(s, SD_BOTH); /* ends the sender, stuck or not */
  closesocket(s);
  WaitForSingleObject(th, 30000);
  CloseHandle(th);
  for (int i = 0; i < 50; i++) { /* the janitor runs just after the helper */
    read_resolv(after, sizeof after);
    if (strcmp(after, before) == 0)
      break;
    Sleep(100);
  }
  assert_string_equal(after, before);
  RASCONNSTATUSA st;
  memset(&st, 0, sizeof st);
  st.dwSize = sizeof st;
  DWORD status = RasGetConnectStatusA(h, &st);
  if (status != ERROR_INVALID_HANDLE)
    fail_msg("RasGetConnectStatusA of the dead manager's handle: %lu, state %lu",
             (unsigned long)status, (unsigned long)st.rasconnstate);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sync_dial_carries_traffic),
      cmocka_unit_test(test_async_dial_carries_traffic),
      cmocka_unit_test(test_manager_killed_mid_transfer),
  };
  ORA_PE_RUN_TESTS_WITH("test_dataplane", tests, setup, teardown);
}
