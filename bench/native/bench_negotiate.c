/* PPP negotiation time against a real server: slirp-fullbolt behind a pty made by
 * socat (as tests/native/test_ppp_slirp.c does), with the real engine loop, the
 * POSIX stream and the PPP client. Measures LCP+IPCP (no authentication) and
 * LCP+CHAP-MD5+IPCP: the session's own negotiation time (first Configure-Request to
 * IPCP up) and the wall time from ora_ppp_start to IPCP up. Prints
 * "name<TAB>value<TAB>unit<TAB>runs" lines (median of runs). Exits 77 when slirp or
 * socat is missing. Usage: bench_negotiate [runs] */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "openras/base/loop.h"
#include "openras/os.h"
#include "os/stream.h"
#include "ppp/ppp.h"
#include "ppp/pppos.h"
#include "ppp_client.h"
#include "pty_server.h"
#include "../bench_stats.h"

/* One dial; 0 with the two times, or -1. */
static int run_once(const char *slirp_args, double *neg_ms, double *wall_ms) {
  server sv;
  if (server_start(&sv, slirp_args))
    return -1;
  ppp_client c;
  int ok = ppp_client_open(&c, sv.tty, "alice", "alicepw");
  if (ok == 0) {
    *neg_ms = (double)c.negotiation_us / 1000.0;
    *wall_ms = (double)(c.up_at_us - c.started_us) / 1000.0;
  }
  ppp_client_close(&c);
  server_stop(&sv);
  return ok;
}

int main(int argc, char **argv) {
  int runs = argc > 1 ? atoi(argv[1]) : 10;
  if (access(slirp_path(), X_OK) != 0 || system("command -v socat >/dev/null 2>&1") != 0) {
    fprintf(stderr, "bench_negotiate: slirp or socat missing\n");
    return 77;
  }
  static const struct {
    const char *name, *args;
  } cases[] = {{"none", "-P"}, {"chapmd5", "-P +chap"}};
  double *neg = calloc((size_t)runs, sizeof *neg), *wall = calloc((size_t)runs, sizeof *wall);
  for (size_t k = 0; k < 2; k++) {
    int n = 0;
    for (int i = 0; i < runs; i++)
      if (run_once(cases[k].args, &neg[n], &wall[n]) == 0)
        n++;
    if (n == 0) {
      fprintf(stderr, "bench_negotiate: no dial against slirp %s connected\n", cases[k].args);
      return 1;
    }
    printf("slirp_%s_negotiation_ms\t%.2f\tms\t%d\n", cases[k].name, median(neg, (size_t)n), n);
    printf("slirp_%s_start_to_ip_ms\t%.2f\tms\t%d\n", cases[k].name, median(wall, (size_t)n), n);
  }
  free(neg);
  free(wall);
  return 0;
}
