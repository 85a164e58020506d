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
#include "pty_server.h"

typedef struct client {
  ora_loop *loop;
  ora_pppos *pos;
  ora_ppp *s; /* the session inside pos */
  ora_stream *st;
  int ip_up, down;
  uint64_t negotiation_us, up_at_us;
} client;

static void c_write(void *ctx, const uint8_t *buf, size_t len) {
  client *c = ctx;
  if (c->st)
    ora_stream_write(c->st, buf, len);
}
static void c_ip_up(void *ctx, const ora_ppp_ip_info *ip) {
  client *c = ctx;
  (void)ip;
  ora_ppp_stats st;
  ora_pppos_get_stats(c->pos, &st);
  c->negotiation_us = st.negotiation_us;
  c->up_at_us = ora_now_us();
  c->ip_up = 1;
}
static void c_down(void *ctx, uint32_t error) {
  client *c = ctx;
  (void)error;
  c->down = 1;
}
static void c_rx(void *ctx, const uint8_t *buf, size_t len) {
  client *c = ctx;
  if (!c->s)
    return;
  if (len == 0)
    ora_ppp_lower_down(c->s, ORA_ERROR_PORT_DISCONNECTED);
  else
    ora_pppos_input(c->pos, buf, len);
}
static const ora_ppp_callbacks callbacks = {
    .write = c_write, .on_ip_up = c_ip_up, .on_down = c_down};

static int flag(client *c, int *f) {
  ora_loop_lock(c->loop);
  int v = *f;
  ora_loop_unlock(c->loop);
  return v;
}

/* One dial; 0 with the two times, or -1. */
static int run_once(const char *slirp_args, double *neg_ms, double *wall_ms) {
  server sv;
  client c;
  memset(&c, 0, sizeof c);
  if (server_start(&sv, slirp_args))
    return -1;
  ora_ppp_config cfg;
  ora_ppp_config_default(&cfg);
  strcpy(cfg.user, "alice");
  strcpy(cfg.password, "alicepw");
  cfg.peer_ip = 0x0a000202;
  cfg.echo_interval_ms = 0;
  int ok = -1;
  if (ora_loop_create(&c.loop))
    goto out;
  ora_loop_lock(c.loop);
  if (ora_pppos_create(c.loop, &cfg, &callbacks, &c, &c.pos) == 0 &&
      (c.s = ora_pppos_session(c.pos)) != NULL &&
      ora_stream_open(c.loop, sv.tty, c_rx, &c, &c.st) == 0) {
    uint64_t t0 = ora_now_us();
    ora_ppp_start(c.s);
    ora_loop_unlock(c.loop);
    for (int i = 0; i < 5000 && !flag(&c, &c.ip_up) && !flag(&c, &c.down); i++)
      ora_sleep_ms(1);
    ora_loop_lock(c.loop);
    if (c.ip_up) {
      *neg_ms = (double)c.negotiation_us / 1000.0;
      *wall_ms = (double)(c.up_at_us - t0) / 1000.0;
      ok = 0;
    }
  }
  ora_stream_close(c.st);
  c.st = NULL;
  if (c.pos)
    ora_pppos_destroy(c.pos);
  c.pos = NULL;
  c.s = NULL;
  ora_loop_unlock(c.loop);
  for (int i = 0; i < 2000 && ora_stream_count(); i++)
    ora_sleep_ms(1); /* the stream's thread posts its end to the loop, then leaves */
  ora_loop_destroy(c.loop);
out:
  server_stop(&sv);
  return ok;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, size_t n) {
  qsort(v, n, sizeof *v, cmp);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
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
