/* VPN entries under Wine (issue 18): a program writes an L2TP entry with
 * RasSetEntryPropertiesA as a VPN launcher does (RASET_Vpn, RASDT_Vpn, "WAN Miniport
 * (L2TP)", VS_L2tpOnly, the server in szLocalPhoneNumber) and dials it with RasDialA
 * through the manager, against SoftEther VPN Server (tests/pe/vpn.sh runs this program
 * in the server's private network namespace).
 *
 * Checks: the entry reads back (type, strategy, device, server); RasEnumDevices offers
 * the L2TP miniport; PAP and MS-CHAPv2 dials reach Connected with RasGetConnectStatus
 * showing "vpn", the miniport and (Windows 7's size) the tunnel's endpoints at every
 * RASCONNSTATUSA size, RasEnumConnectionsA at
 * every RASCONNA size, RasGetProjectionInfoA's SecureNAT addresses; a user name with
 * the hub as its domain, given or saved with the entry; a wrong password is 691, and with
 * RDEOPT_PausedStates an asynchronous dial (RasDialFunc2) pauses in RetryAuthentication and a
 * resume with the right password connects, the notifications showing a VPN dial's states in order;
 * an entry with VS_PptpOnly is 633; RasHangUpA lets the handle go; a phone book written as Windows
 * writes a VPN entry dials, and an entry asking for IPsec gets 791; entries written with every
 * RASENTRYA size read back, and the oldest and newest dial. With the data plane (ORA_TUN_HELPER set
 * by vpn.sh): IcmpSendEcho reaches SecureNAT's virtual host 192.168.30.1 through the tunnel while
 * connected, and not after the hang-up. */
#include <winsock2.h>
#include <windows.h>
#include <iphlpapi.h>
#include <icmpapi.h>
#include <ras.h>
#include <raserror.h>

#include <stdlib.h>
#include <string.h>

#include "pe_test.h"

#ifndef VS_PptpOnly
#define VS_PptpOnly 1
#define VS_L2tpOnly 3
#endif

static char g_pbk[MAX_PATH];
static const char *g_server, *g_hub, *g_user, *g_password;

static const char *env(const char *name) {
  const char *v = getenv(name);
  if (!v || !*v)
    fail_msg("%s is not set: run this test through tests/pe/vpn.sh", name);
  return v;
}

/* An L2TP entry named name with the given authentication and strategy. */
static void make_entry(const char *name, DWORD auth_option, DWORD strategy) {
  RASENTRYA e;
  memset(&e, 0, sizeof e);
  e.dwSize = sizeof e;
  e.dwType = RASET_Vpn;
  e.dwfOptions = auth_option | RASEO_RemoteDefaultGateway | RASEO_ModemLights;
  e.dwfNetProtocols = RASNP_Ip;
  e.dwFramingProtocol = RASFP_Ppp;
  e.dwVpnStrategy = strategy;
  strcpy(e.szDeviceType, RASDT_Vpn);
  strcpy(e.szDeviceName, "WAN Miniport (L2TP)");
  strcpy(e.szLocalPhoneNumber, g_server);
  assert_int_equal(RasSetEntryPropertiesA(g_pbk, name, &e, sizeof e, NULL, 0), 0);
}

static DWORD dial(const char *entry, const char *domain, const char *user, const char *password,
                  HRASCONN *h) {
  RASDIALPARAMSA p;
  memset(&p, 0, sizeof p);
  p.dwSize = sizeof p;
  strcpy(p.szEntryName, entry);
  strcpy(p.szUserName, user);
  strcpy(p.szPassword, password);
  strcpy(p.szDomain, domain);
  *h = NULL;
  DWORD rc = RasDialA(NULL, g_pbk, &p, 0, NULL, h);
  SecureZeroMemory(&p, sizeof p);
  return rc;
}

static void hang_up(HRASCONN h) {
  assert_int_equal(RasHangUpA(h), 0);
  assert_int_equal(ora_pe_wait_gone(h, 10000), ERROR_INVALID_HANDLE);
}

/* RASCONNSTATUSA sizes: Windows 95, NT4, 2000 to Vista, Windows 7 on (abi.md). */
static void expect_status(HRASCONN h) {
  static const DWORD sizes[] = {160, 288, 332};
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    union {
      RASCONNSTATUSA st;
      BYTE raw[400];
    } u;
    memset(&u, 0xcc, sizeof u);
    u.st.dwSize = sizes[i];
    assert_int_equal(RasGetConnectStatusA(h, &u.st), 0);
    assert_int_equal(u.st.rasconnstate, RASCS_Connected);
    assert_int_equal(u.st.dwError, 0);
    assert_string_equal(u.st.szDeviceType, "vpn");
    assert_string_equal(u.st.szDeviceName, "WAN Miniport (L2TP)");
    if (sizes[i] >= 288)
      assert_string_equal(u.st.szPhoneNumber, g_server);
    if (sizes[i] >= 332) {
      /* Windows 7's localEndPoint and remoteEndPoint (RASTUNNELENDPOINT: dwType, then
       * the address): the tunnel's, both 127.0.0.1 here. */
      static const BYTE ep[8] = {1, 0, 0, 0, 127, 0, 0, 1};
      assert_memory_equal(u.raw + 288, ep, sizeof ep);
      assert_memory_equal(u.raw + 308, ep, sizeof ep);
    }
    assert_int_equal(u.raw[sizes[i]], 0xcc); /* nothing past dwSize */
  }
}

/* RASCONNA sizes of each SDK (x86 / x64, abi.md): the connection is listed as "vpn". */
static void expect_listed(HRASCONN h) {
#ifdef _WIN64
  static const DWORD sizes[] = {416, 680, 696, 708, 724};
#else
  static const DWORD sizes[] = {412, 676, 692, 704, 720};
#endif
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    BYTE buf[4 * 724];
    memset(buf, 0, sizeof buf);
    RASCONNA *c = (RASCONNA *)buf;
    c->dwSize = sizes[i];
    DWORD cb = sizes[i] * 4, n = 0;
    assert_int_equal(RasEnumConnectionsA(c, &cb, &n), 0);
    assert_true(n >= 1);
    int found = 0;
    for (DWORD k = 0; k < n; k++) {
      RASCONNA *x = (RASCONNA *)(buf + k * sizes[i]);
      if (x->hrasconn == h) {
        found = 1;
        assert_string_equal(x->szDeviceType, "vpn");
        assert_string_equal(x->szDeviceName, "WAN Miniport (L2TP)");
      }
    }
    assert_true(found);
  }
}

static void expect_ip(HRASCONN h) {
  RASPPPIPA ip;
  memset(&ip, 0, sizeof ip);
  ip.dwSize = sizeof ip;
  DWORD cb = sizeof ip;
  assert_int_equal(RasGetProjectionInfoA(h, RASP_PppIp, &ip, &cb), 0);
  assert_int_equal(ip.dwError, 0);
  /* SecureNAT's DHCP gives the client an address of 192.168.30.0/24. */
  assert_int_equal(strncmp(ip.szIpAddress, "192.168.30.", 11), 0);
  assert_string_not_equal(ip.szIpAddress, "192.168.30.1");
}

/* ---- cases ---- */

static void entry_round_trip(void **state) {
  (void)state;
  make_entry("L2TP", RASEO_RequireMsCHAP2, VS_L2tpOnly);
  RASENTRYA e;
  DWORD cb = sizeof e;
  memset(&e, 0, sizeof e);
  e.dwSize = sizeof e;
  assert_int_equal(RasGetEntryPropertiesA(g_pbk, "L2TP", &e, &cb, NULL, NULL), 0);
  assert_int_equal(e.dwType, RASET_Vpn);
  assert_int_equal(e.dwVpnStrategy, VS_L2tpOnly);
  assert_string_equal(e.szDeviceType, "vpn");
  assert_string_equal(e.szDeviceName, "WAN Miniport (L2TP)");
  assert_string_equal(e.szLocalPhoneNumber, g_server);
  assert_true(e.dwfOptions & RASEO_RequireMsCHAP2);

  RASDEVINFOA d[32];
  memset(d, 0, sizeof d);
  d[0].dwSize = sizeof d[0];
  DWORD cbd = sizeof d, n = 0;
  assert_int_equal(RasEnumDevicesA(d, &cbd, &n), 0);
  int found = 0;
  for (DWORD i = 0; i < n; i++)
    found |= !strcmp(d[i].szDeviceName, "WAN Miniport (L2TP)") && !strcmp(d[i].szDeviceType, "vpn");
  assert_true(found);
}

static void pap_connects(void **state) {
  (void)state;
  make_entry("PAP", RASEO_RequirePAP, VS_L2tpOnly);
  HRASCONN h;
  assert_int_equal(dial("PAP", "", g_user, g_password, &h), 0);
  expect_status(h);
  expect_ip(h);
  hang_up(h);
}

static void mschapv2_connects(void **state) {
  (void)state;
  make_entry("MSCHAP2", RASEO_RequireMsCHAP2, VS_L2tpOnly);
  HRASCONN h;
  assert_int_equal(dial("MSCHAP2", "", g_user, g_password, &h), 0);
  expect_status(h);
  expect_listed(h);
  expect_ip(h);
  hang_up(h);
}

/* The hub as the domain: the server gets HUB\user. */
static void domain_connects(void **state) {
  (void)state;
  make_entry("Domain", RASEO_RequireMsCHAP2, VS_L2tpOnly);
  HRASCONN h;
  assert_int_equal(dial("Domain", g_hub, g_user, g_password, &h), 0);
  expect_status(h);
  hang_up(h);
}

/* The saved credentials, domain included (RasSetEntryDialParams): a dialer that reads
 * them back (the password as its 16-asterisk stand-in) and passes them on connects as
 * HUB\\user. */
static void saved_domain_connects(void **state) {
  (void)state;
  make_entry("Saved", RASEO_RequireMsCHAP2, VS_L2tpOnly);
  RASDIALPARAMSA p;
  memset(&p, 0, sizeof p);
  p.dwSize = sizeof p;
  strcpy(p.szEntryName, "Saved");
  strcpy(p.szUserName, g_user);
  strcpy(p.szPassword, g_password);
  strcpy(p.szDomain, g_hub);
  assert_int_equal(RasSetEntryDialParamsA(g_pbk, &p, FALSE), 0);
  memset(&p, 0, sizeof p);
  p.dwSize = sizeof p;
  strcpy(p.szEntryName, "Saved");
  BOOL has = FALSE;
  assert_int_equal(RasGetEntryDialParamsA(g_pbk, &p, &has), 0);
  assert_true(has);
  assert_string_equal(p.szDomain, g_hub);
  assert_string_equal(p.szPassword, "****************");
  HRASCONN h = NULL;
  assert_int_equal(RasDialA(NULL, g_pbk, &p, 0, NULL, &h), 0);
  expect_status(h);
  hang_up(h);
}

static void wrong_password_691(void **state) {
  (void)state;
  make_entry("Wrong", RASEO_RequireMsCHAP2, VS_L2tpOnly);
  HRASCONN h;
  assert_int_equal(dial("Wrong", "", g_user, "not-the-password", &h), ERROR_AUTHENTICATION_FAILURE);
  if (h)
    hang_up(h);
}

static void pptp_only_633(void **state) {
  (void)state;
  make_entry("PPTP", RASEO_RequireMsCHAP2, VS_PptpOnly);
  HRASCONN h;
  assert_int_equal(dial("PPTP", "", g_user, g_password, &h), ERROR_PORT_NOT_AVAILABLE);
  if (h)
    hang_up(h);
}

/* RASENTRYA sizes of every SDK (0x400 ... 0xA00; the same on x86 and x64). */
static const DWORD re_sizes[7] = {1768, 1796, 2088, 2884, 2924, 2948, 3480};

/* An L2TP entry written with each RASENTRYA size reads back at that size (the strategy
 * and type from 0x500 on); the oldest and the newest dial. */
static void entry_sizes(void **state) {
  (void)state;
  for (int v = 0; v < 7; v++) {
    BYTE buf[4096];
    memset(buf, 0, sizeof buf);
    RASENTRYA *e = (RASENTRYA *)buf;
    e->dwSize = re_sizes[v];
    e->dwfOptions = RASEO_RequireMsCHAP2 | RASEO_RemoteDefaultGateway;
    e->dwfNetProtocols = RASNP_Ip;
    e->dwFramingProtocol = RASFP_Ppp;
    strcpy(e->szDeviceType, RASDT_Vpn);
    strcpy(e->szDeviceName, "WAN Miniport (L2TP)");
    strcpy(e->szLocalPhoneNumber, g_server);
    if (v >= 2) {
      e->dwType = RASET_Vpn;
      e->dwVpnStrategy = VS_L2tpOnly;
    }
    char name[32];
    snprintf(name, sizeof name, "Size%d", v);
    assert_int_equal(RasSetEntryPropertiesA(g_pbk, name, e, re_sizes[v], NULL, 0), 0);
    memset(buf, 0x5a, sizeof buf);
    e->dwSize = re_sizes[v];
    DWORD cb = re_sizes[v];
    assert_int_equal(RasGetEntryPropertiesA(g_pbk, name, e, &cb, NULL, NULL), 0);
    assert_string_equal(e->szDeviceType, "vpn");
    assert_string_equal(e->szDeviceName, "WAN Miniport (L2TP)");
    assert_string_equal(e->szLocalPhoneNumber, g_server);
    if (v >= 2) {
      assert_int_equal(e->dwType, RASET_Vpn);
      assert_int_equal(e->dwVpnStrategy, VS_L2tpOnly);
    }
    assert_int_equal(buf[re_sizes[v]], 0x5a); /* nothing written past dwSize */
    if (v == 0 || v == 6) {
      HRASCONN h;
      assert_int_equal(dial(name, "", g_user, g_password, &h), 0);
      expect_status(h);
      hang_up(h);
    }
  }
}

/* A phone book as Windows writes a VPN entry (no OpenRAS key) dials here; one whose
 * entry asks for IPsec after all (ORA_ProhibitIpSec=0 overriding the machine policy
 * vpn.sh set) gets 791: OpenRAS has no IPsec. */
static void windows_phonebook(void **state) {
  (void)state;
  char pbk[MAX_PATH], text[2048];
  ora_pe_temp_path("vpn-windows", ".pbk", pbk, sizeof pbk);
  snprintf(text, sizeof text,
           "[Office VPN]\r\nEncoding=1\r\nPBVersion=4\r\nType=2\r\nAutoLogon=0\r\n"
           "AuthRestrictions=512\r\nDataEncryption=8\r\nVpnStrategy=3\r\nIpPrioritizeRemote=1\r\n"
           "\r\nNETCOMPONENTS=\r\nms_server=1\r\nms_msclient=1\r\n\r\n"
           "MEDIA=rastapi\r\nPort=VPN2-0\r\nDevice=WAN Miniport (L2TP)\r\n\r\n"
           "DEVICE=vpn\r\nPhoneNumber=%s\r\nAreaCode=\r\nCountryCode=0\r\nCountryID=0\r\n"
           "UseDialingRules=0\r\nComment=\r\nFriendlyName=\r\nLastSelectedPhone=0\r\n"
           "PromoteAlternates=0\r\nTryNextAlternateOnFail=1\r\n\r\n"
           "[Needs IPsec]\r\nType=2\r\nORA_ProhibitIpSec=0\r\nMEDIA=rastapi\r\nPort=VPN2-0\r\n"
           "Device=WAN Miniport (L2TP)\r\nDEVICE=vpn\r\nPhoneNumber=%s\r\n",
           g_server, g_server);
  assert_int_equal(ora_pe_write_file(pbk, text), 0);
  RASDIALPARAMSA p;
  memset(&p, 0, sizeof p);
  p.dwSize = sizeof p;
  strcpy(p.szEntryName, "Office VPN");
  strcpy(p.szUserName, g_user);
  strcpy(p.szPassword, g_password);
  HRASCONN h = NULL;
  assert_int_equal(RasDialA(NULL, pbk, &p, 0, NULL, &h), 0);
  expect_status(h);
  hang_up(h);
  strcpy(p.szEntryName, "Needs IPsec");
  h = NULL;
  assert_int_equal(RasDialA(NULL, pbk, &p, 0, NULL, &h), 791);
  if (h)
    hang_up(h);
  SecureZeroMemory(&p, sizeof p);
  DeleteFileA(pbk);
}

/* ---- asynchronous, paused ---- */

static struct {
  volatile LONG n;
  UINT msgs[64];
  RASCONNSTATE states[64];
  DWORD errors[64];
} g_ev;
static HANDLE g_ev_signal;

static DWORD WINAPI func2(ULONG_PTR cb_id, DWORD sub, HRASCONN h, UINT msg, RASCONNSTATE st,
                          DWORD err, DWORD ext) {
  (void)cb_id, (void)sub, (void)h, (void)ext;
  LONG i = InterlockedIncrement(&g_ev.n) - 1;
  if (i < 64) {
    g_ev.msgs[i] = msg;
    g_ev.states[i] = st;
    g_ev.errors[i] = err;
  }
  SetEvent(g_ev_signal);
  return 1;
}

/* Waits for a notification in state st (or any error); its index, or -1. */
static int wait_state(RASCONNSTATE st, DWORD ms) {
  DWORD end = GetTickCount() + ms;
  for (;;) {
    for (LONG i = 0; i < g_ev.n && i < 64; i++)
      if (g_ev.states[i] == st || g_ev.errors[i])
        return (int)i;
    DWORD now = GetTickCount();
    if ((LONG)(end - now) <= 0)
      return -1;
    WaitForSingleObject(g_ev_signal, end - now);
  }
}

static void paused_retry(void **state) {
  (void)state;
  make_entry("Paused", RASEO_RequireMsCHAP2, VS_L2tpOnly);
  memset((void *)&g_ev, 0, sizeof g_ev);
  g_ev_signal = CreateEventA(NULL, FALSE, FALSE, NULL);
  RASDIALEXTENSIONS x;
  memset(&x, 0, sizeof x);
  x.dwSize = sizeof x;
  x.dwfOptions = RDEOPT_PausedStates;
  RASDIALPARAMSA p;
  memset(&p, 0, sizeof p);
  p.dwSize = sizeof p;
  strcpy(p.szEntryName, "Paused");
  strcpy(p.szUserName, g_user);
  strcpy(p.szPassword, "not-the-password");
  HRASCONN h = NULL;
  assert_int_equal(RasDialA(&x, g_pbk, &p, 2, (void *)func2, &h), 0);
  int i = wait_state(RASCS_RetryAuthentication, 30000);
  assert_true(i >= 0);
  assert_int_equal(g_ev.errors[i], 0);
  assert_int_equal(g_ev.states[i], RASCS_RetryAuthentication);
  strcpy(p.szPassword, g_password);
  LONG before = g_ev.n;
  assert_int_equal(RasDialA(&x, g_pbk, &p, 2, (void *)func2, &h), 0);
  i = wait_state(RASCS_Connected, 30000);
  assert_true(i >= 0);
  assert_int_equal(g_ev.errors[i], 0);
  assert_true(i >= before);
  /* A VPN dial's states, in order, before the pause. */
  static const RASCONNSTATE first[] = {
      RASCS_OpenPort,        RASCS_PortOpened,          RASCS_ConnectDevice,
      RASCS_DeviceConnected, RASCS_AllDevicesConnected, RASCS_Authenticate,
      RASCS_AuthNotify,      RASCS_RetryAuthentication};
  for (size_t k = 0; k < sizeof first / sizeof first[0]; k++)
    assert_int_equal(g_ev.states[k], first[k]);
  SecureZeroMemory(&p, sizeof p);
  expect_status(h);
  hang_up(h);
  CloseHandle(g_ev_signal);
}

/* ---- the data plane over the tunnel ---- */

/* An echo answered within tries echoes of 1 s each, as ping -n does: a datagram may be
 * lost in the tunnel or in SecureNAT, whose first reply to a new client waits for its
 * ARP (the same in test_link_l2tp). */
static int icmp_echo(const char *addr, int tries) {
  HANDLE icmp = IcmpCreateFile();
  assert_true(icmp != INVALID_HANDLE_VALUE);
  char data[32] = "openras-vpn";
  char reply[sizeof(ICMP_ECHO_REPLY) + sizeof data + 64];
  int ok = 0;
  for (int i = 0; i < tries && !ok; i++) {
    DWORD n =
        IcmpSendEcho(icmp, inet_addr(addr), data, sizeof data, NULL, reply, sizeof reply, 1000);
    ok = n > 0 && ((ICMP_ECHO_REPLY *)reply)->Status == IP_SUCCESS;
  }
  IcmpCloseHandle(icmp);
  return ok;
}

static void dataplane_icmp(void **state) {
  (void)state;
  if (!getenv("ORA_TUN_HELPER"))
    fail_msg("ORA_TUN_HELPER is not set: vpn.sh gives the manager the data plane's helper");
  make_entry("Data", RASEO_RequireMsCHAP2, VS_L2tpOnly);
  HRASCONN h;
  assert_int_equal(dial("Data", "", g_user, g_password, &h), 0);
  assert_true(icmp_echo("192.168.30.1", 5));
  hang_up(h);
  Sleep(200); /* the helper takes the interface down */
  assert_false(icmp_echo("192.168.30.1", 1));
}

int main(void) {
  g_server = getenv("ORA_SE_SERVER");
  g_hub = getenv("ORA_SE_HUB");
  g_user = getenv("ORA_SE_USER");
  g_password = getenv("ORA_SE_PASSWORD");
  if (!g_server || !g_hub || !g_user || !g_password) {
    printf("OPENRAS-PE-FAIL test_vpn: no server (run through tests/pe/vpn.sh)\n");
    return 1;
  }
  ora_pe_temp_path("vpn", ".pbk", g_pbk, sizeof g_pbk);
  DeleteFileA(g_pbk);
  (void)env;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(entry_round_trip),      cmocka_unit_test(pap_connects),
      cmocka_unit_test(mschapv2_connects),     cmocka_unit_test(domain_connects),
      cmocka_unit_test(wrong_password_691),    cmocka_unit_test(pptp_only_633),
      cmocka_unit_test(paused_retry),          cmocka_unit_test(dataplane_icmp),
      cmocka_unit_test(windows_phonebook),     cmocka_unit_test(entry_sizes),
      cmocka_unit_test(saved_domain_connects),
  };
  ORA_PE_RUN_TESTS("test_vpn", tests);
}
