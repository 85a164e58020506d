/* Dials through a noisy line under Wine (issue 17): COM8 of tests/pe/link-fixture.sh is
 * the line fixture (tests/fixtures/line_fixture.c, the stand-in for a telephone line that
 * cannot exist here) in front of a fresh slirp with PAP for each open. It flips bits,
 * loses frames, inserts garbage and stray flags, stalls, and drops the line 30 to 1500
 * ms after each open, so some dials lose their line while dialing and others once
 * connected.
 *
 * Each synchronous RasDialA must return within its budget, 0 or an error a lost or bad
 * line gives (619, 628, 629, 718, 734); a connected one is Connected or, if the line just
 * went, Disconnected with such an error; every handle goes on RasHangUp. Afterwards the
 * manager holds no connection and its threads and heap are where they were. */
#include <windows.h>
#include <ras.h>
#include <raserror.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pe_test.h"

#define DIALS 24
#define BUDGET_MS 60000.0

static char g_pbk[MAX_PATH];

static double now_ms(void) {
  LARGE_INTEGER f, c;
  QueryPerformanceFrequency(&f);
  QueryPerformanceCounter(&c);
  return (double)c.QuadPart * 1000.0 / (double)f.QuadPart;
}

static int line_error(DWORD e) {
  return e == ERROR_PORT_DISCONNECTED || e == ERROR_DISCONNECTION ||
         e == ERROR_REMOTE_DISCONNECTION || e == ERROR_PPP_TIMEOUT || e == ERROR_PPP_LCP_TERMINATED;
}

static void dials_through_noisy_line(void **state) {
  (void)state;
  ora_pe_usage before, after;
  /* A first dial starts the manager; its usage is the baseline. */
  int outcomes[1000] = {0};
  int connected = 0;
  for (int i = 0; i < DIALS; i++) {
    RASDIALPARAMSA p;
    memset(&p, 0, sizeof p);
    p.dwSize = sizeof p;
    strcpy(p.szEntryName, "noisy");
    strcpy(p.szUserName, "alice");
    strcpy(p.szPassword, "alicepw");
    HRASCONN h = NULL;
    double t0 = now_ms();
    DWORD rc = RasDialA(NULL, g_pbk, &p, 0, NULL, &h);
    double ms = now_ms() - t0;
    if (ms > BUDGET_MS)
      fail_msg("dial %d took %.0f ms", i, ms);
    if (rc != 0 && !line_error(rc))
      fail_msg("dial %d: RasDialA gave %lu", i, (unsigned long)rc);
    if (rc == 0) {
      RASCONNSTATUSA st;
      memset(&st, 0, sizeof st);
      st.dwSize = sizeof st;
      assert_int_equal(RasGetConnectStatusA(h, &st), 0);
      if (!(st.rasconnstate == RASCS_Connected ||
            (st.rasconnstate == RASCS_Disconnected && line_error(st.dwError))))
        fail_msg("dial %d: connected, then state %d error %lu", i, (int)st.rasconnstate,
                 (unsigned long)st.dwError);
      connected++;
      Sleep(50);
    }
    outcomes[rc < 1000 ? rc : 999]++;
    if (h) {
      assert_int_equal(RasHangUpA(h), 0);
      assert_int_equal(ora_pe_wait_gone(h, 10000), ERROR_INVALID_HANDLE);
    }
    if (i == 0)
      assert_int_equal(ora_pe_manager_usage(&before), 0);
  }
  printf("%d dials through COM8: %d connected", DIALS, connected);
  for (int e = 1; e < 1000; e++)
    if (outcomes[e])
      printf(", %d: %d", e, outcomes[e]);
  printf("\n");
  assert_true(connected > 0); /* the line is noisy, not dead */
  assert_int_equal(ora_pe_manager_usage(&after), 0);
  printf("manager: threads %u -> %u, heap %llu -> %llu bytes, connections %u\n",
         (unsigned)before.threads, (unsigned)after.threads, (unsigned long long)before.heap_bytes,
         (unsigned long long)after.heap_bytes, (unsigned)after.connections);
  assert_int_equal(after.connections, 0);
  assert_true(after.threads <= before.threads + 2); /* cached stream workers may differ */
  assert_true(after.heap_bytes < before.heap_bytes + 256 * 1024);
}

static int setup(void **state) {
  (void)state;
  char dir[MAX_PATH];
  GetTempPathA(sizeof dir, dir);
  snprintf(g_pbk, sizeof g_pbk, "%sora-noisy-%lu.pbk", dir, (unsigned long)GetCurrentProcessId());
  FILE *f = fopen(g_pbk, "wb");
  if (!f)
    return -1;
  fputs("[noisy]\r\nORA_Link=direct\r\nORA_PppPeerIp=10.0.2.2\r\nORA_PppEchoIntervalMs=0\r\n\r\n"
        "MEDIA=serial\r\nPort=COM8\r\nDevice=Noisy cable (COM8)\r\n\r\nDEVICE=null\r\n\r\n",
        f);
  fclose(f);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  DeleteFileA(g_pbk);
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(dials_through_noisy_line)};
  ORA_PE_RUN_TESTS_WITH("test_line_soak", tests, setup, teardown);
}
