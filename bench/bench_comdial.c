/* RasDialA over a Wine COM port to slirp (issue 16): the whole synchronous dial and the
 * PPP negotiation with its phases (LCP, authentication, IPCP), the peer already running
 * (link-fixture.sh's COM5: a null-modem cable with a fresh `slirp +pap` waiting each time
 * the port is opened). The phases come from the manager's trace (ORA_TRACE, which this
 * program's environment gives the manager it starts). Prints
 * "name<TAB>value<TAB>unit<TAB>runs" lines, the medians of N dials after one warm-up.
 * Usage: bench_comdial ARCH COMPORT N   (ORA_TRACE set; no other manager running) */
#include <windows.h>

#include <ras.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench_stats.h"

static double now_ms(void) {
  LARGE_INTEGER f, c;
  QueryPerformanceFrequency(&f);
  QueryPerformanceCounter(&c);
  return (double)c.QuadPart * 1000.0 / (double)f.QuadPart;
}

static long file_size(const char *path) {
  WIN32_FILE_ATTRIBUTE_DATA a;
  return GetFileAttributesExA(path, GetFileExInfoStandard, &a) ? (long)a.nFileSizeLow : 0;
}

int main(int argc, char **argv) {
  if (argc < 4 || !getenv("ORA_TRACE")) {
    fprintf(stderr, "usage: bench_comdial ARCH COMPORT N, with ORA_TRACE set\n");
    return 2;
  }
  const char *arch = argv[1], *trace = getenv("ORA_TRACE");
  int n = atoi(argv[3]);
  if (n < 1 || n > 200)
    n = 20;
  char pbk[MAX_PATH], dir[MAX_PATH];
  GetTempPathA(sizeof dir, dir);
  snprintf(pbk, sizeof pbk, "%sora-bench-comdial-%lu.pbk", dir,
           (unsigned long)GetCurrentProcessId());
  FILE *f = fopen(pbk, "wb");
  if (!f)
    return 1;
  fprintf(f,
          "[b]\r\nORA_Link=direct\r\nORA_PppPeerIp=10.0.2.2\r\n\r\nMEDIA=serial\r\nPort=%s\r\n"
          "Device=Null-modem cable (%s)\r\n\r\nDEVICE=null\r\n\r\n",
          argv[2], argv[2]);
  fclose(f);
  static double whole[201];
  long from = 0;
  int ok = 0;
  for (int i = 0; i <= n; i++) { /* dial 0 warms up: it starts the manager */
    if (i == 1)
      from = file_size(trace);
    RASDIALPARAMSA p;
    memset(&p, 0, sizeof p);
    p.dwSize = sizeof p;
    strcpy(p.szEntryName, "b");
    strcpy(p.szUserName, "alice");
    strcpy(p.szPassword, "alicepw");
    HRASCONN h = NULL;
    double t0 = now_ms();
    DWORD rc = RasDialA(NULL, pbk, &p, 0, NULL, &h);
    double t = now_ms() - t0;
    if (h) {
      RasHangUpA(h);
      RASCONNSTATUSA st;
      for (int k = 0; k < 500; k++) {
        memset(&st, 0, sizeof st);
        st.dwSize = sizeof st;
        if (RasGetConnectStatusA(h, &st) != 0)
          break;
        Sleep(2);
      }
    }
    if (rc != 0) {
      fprintf(stderr, "bench_comdial: dial %d: %lu\n", i, (unsigned long)rc);
      continue;
    }
    if (i > 0)
      whole[ok++] = t;
    Sleep(100); /* the cable's next slirp */
  }
  DeleteFileA(pbk);
  /* "IPCP up, negotiation N us, R round trips (LCP a us, authentication b us, IPCP c us)" */
  static double neg[201], lcp[201], auth[201], ipcp[201];
  int m = 0;
  f = fopen(trace, "rb");
  if (f) {
    fseek(f, from, SEEK_SET);
    char line[512];
    while (m < 200 && fgets(line, sizeof line, f)) {
      const char *q = strstr(line, "IPCP up, negotiation ");
      unsigned long long a, r, b, c, d;
      if (q && sscanf(q,
                      "IPCP up, negotiation %llu us, %llu round trips (LCP %llu us, "
                      "authentication %llu us, IPCP %llu us)",
                      &a, &r, &b, &c, &d) == 5) {
        neg[m] = (double)a / 1000.0, lcp[m] = (double)b / 1000.0, auth[m] = (double)c / 1000.0;
        ipcp[m++] = (double)d / 1000.0;
      }
    }
    fclose(f);
  }
  if (!ok || !m) {
    fprintf(stderr, "bench_comdial: %d dials, %d trace lines\n", ok, m);
    return 1;
  }
  printf("wine_com_%s_dial_ms\t%.2f\tms\t%d\n", arch, median(whole, ok), ok);
  printf("wine_com_%s_negotiation_ms\t%.2f\tms\t%d\n", arch, median(neg, m), m);
  printf("wine_com_%s_lcp_ms\t%.2f\tms\t%d\n", arch, median(lcp, m), m);
  printf("wine_com_%s_auth_ms\t%.2f\tms\t%d\n", arch, median(auth, m), m);
  printf("wine_com_%s_ipcp_ms\t%.2f\tms\t%d\n", arch, median(ipcp, m), m);
  return 0;
}
