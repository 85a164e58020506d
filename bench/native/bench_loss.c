/* PPP negotiation through a lossy line: the bare PPP client (the real loop, POSIX
 * stream and PPP session) dials slirp with PAP through the line fixture
 * (tests/fixtures/line_fixture.c), which loses whole frames both ways at 0, 1, 5 and
 * 25 percent. Each dial uses its own seed, so a run is repeatable. For each rate it
 * prints the median and the 90th percentile of the time from start to IPCP up, and how
 * many dials failed, for OpenRAS's restart timer (starting at 250 ms, doubling to 3 s)
 * and, as the baseline in the same run, a constant 3 s timer as pppd uses. Prints
 * "name<TAB>value<TAB>unit<TAB>runs" lines. Exits 77 when slirp is missing.
 * Usage: bench_loss LINE_FIXTURE [dials per rate]; ORA_LOSS_RATE=25 (say) runs one rate. */
#define _POSIX_C_SOURCE 200809L
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
#include "ppp/ppp.h"
#include "ppp_client.h"
#include "pty_server.h"
#include "../bench_stats.h"

#define LIMIT_MS 60000

static const char *g_fixture;
static char g_dir[64];

/* One dial through a fresh line fixture; its time in ms, or -1 when it failed. */
static double dial_once(double loss, unsigned seed, uint32_t initial_ms) {
  char link[128], pidf[128], peer[512], lossarg[32], seedarg[32];
  snprintf(link, sizeof link, "%s/link", g_dir);
  snprintf(pidf, sizeof pidf, "%s/line.pid", g_dir);
  snprintf(peer, sizeof peer, "cd '%s' && HOME='%s' exec '%s' -P +pap", g_dir, g_dir, slirp_path());
  snprintf(lossarg, sizeof lossarg, "%g", loss);
  snprintf(seedarg, sizeof seedarg, "%u", seed);
  unlink(pidf);
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    execl(g_fixture, g_fixture, "--link", link, "--peer", peer, "--pidfile", pidf, "--seed",
          seedarg, "--frame-loss", lossarg, (char *)NULL);
    _exit(127);
  }
  for (int i = 0; i < 500 && access(pidf, F_OK); i++)
    ora_sleep_ms(2);
  double ms = -1;
  ora_ppp_config cfg;
  ora_ppp_config_default(&cfg);
  cfg.restart_initial_ms = initial_ms;
  ppp_client c;
  if (ppp_client_open_with(&c, link, "alice", "alicepw", &cfg, LIMIT_MS) == 0)
    ms = (double)(c.up_at_us - c.started_us) / 1000.0;
  ppp_client_close(&c);
  kill(pid, SIGTERM);
  waitpid(pid, NULL, 0);
  return ms;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: bench_loss LINE_FIXTURE [dials per rate]\n");
    return 2;
  }
  g_fixture = argv[1];
  int dials = argc > 2 ? atoi(argv[2]) : 15;
  if (access(slirp_path(), X_OK) != 0 || access(g_fixture, X_OK) != 0) {
    fprintf(stderr, "bench_loss: slirp or the line fixture missing\n");
    return 77;
  }
  strcpy(g_dir, "/tmp/ora-bench-loss-XXXXXX");
  if (!mkdtemp(g_dir) || write_file(g_dir, ".pap-secrets", "alice * alicepw\n", 0600))
    return 1;
  static const struct {
    const char *name;
    double loss;
  } rates[] = {{"0", 0}, {"1", 0.01}, {"5", 0.05}, {"25", 0.25}};
  static const struct {
    const char *name;
    uint32_t initial_ms;
  } timers[] = {{"backoff", ORA_PPP_RESTART_INITIAL_MS}, {"const3s", 3000}};
  double *t = calloc((size_t)dials, sizeof *t);
  const char *only = getenv("ORA_LOSS_RATE");
  for (size_t k = 0; k < sizeof timers / sizeof timers[0]; k++) {
    for (size_t r = 0; r < sizeof rates / sizeof rates[0]; r++) {
      if (only && *only && strcmp(only, rates[r].name) != 0)
        continue;
      int n = 0, failed = 0;
      for (int i = 0; i < dials; i++) {
        double ms =
            dial_once(rates[r].loss, 1000u * (unsigned)r + (unsigned)i, timers[k].initial_ms);
        if (ms < 0)
          failed++;
        else
          t[n++] = ms;
      }
      if (n) {
        double med = median(t, (size_t)n); /* sorts t for the percentile */
        printf("loss%s_%s_median_ms\t%.1f\tms\t%d\n", rates[r].name, timers[k].name, med, n);
        printf("loss%s_%s_p90_ms\t%.1f\tms\t%d\n", rates[r].name, timers[k].name,
               t[(n * 9 + 9) / 10 - 1], n);
      }
      printf("loss%s_%s_failed\t%d\tdials\t%d\n", rates[r].name, timers[k].name, failed, dials);
      fflush(stdout);
    }
  }
  free(t);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
  return system(cmd) == 0 ? 0 : 1;
}
