/* End to end against a real PPP server: slirp (userspace pppd 2.x derivative)
 * behind a pty made by socat. Runs the real engine loop and the POSIX stream.
 * Cases: no authentication (plus an ICMP echo through the link), PAP and
 * CHAP-MD5 accepted and refused (691), a silent peer (718), a frozen peer found
 * by keepalive (630) and a killed peer. Prints the negotiation time and round
 * trips. Skipped when slirp or socat is missing. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "openras/dpwire.h"

#include "openras/base/loop.h"
#include "openras/os.h"
#include "os/posix_stream.h"
#include "ppp/ppp.h"
#include "ppp/pppos.h"

static const char *slirp_path(void) {
  const char *s = getenv("ORA_SLIRP");
  return s && *s ? s : "/usr/bin/slirp-fullbolt";
}

/* ---- the server side: socat + wrapper script in a private directory ---- */

typedef struct server {
  char dir[64];
  char tty[128]; /* what the client opens: the pty link or "tcp:127.0.0.1:port" */
  int tcp_port;  /* nonzero: socat listens on TCP instead of making a pty */
  pid_t socat;
} server;

static void write_file(const char *dir, const char *name, const char *text, mode_t mode) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  chmod(path, mode);
}

/* slirp_args: the slirp command line after the program name (each option a
 * separate word), or NULL for a peer that never answers. */
static void server_start(server *sv, const char *slirp_args) {
  strcpy(sv->dir, "/tmp/ora-slirp-XXXXXX");
  assert_non_null(mkdtemp(sv->dir));
  write_file(sv->dir, ".pap-secrets", "alice * alicepw\n", 0600);
  write_file(sv->dir, ".chap-secrets", "alice * alicepw\n", 0600);
  char script[1024];
  if (slirp_args)
    snprintf(script, sizeof script,
             "#!/bin/sh\ncd '%s' || exit 1\nHOME='%s'; export HOME\necho $$ > slirp.pid\n"
             "exec '%s' %s\n",
             sv->dir, sv->dir, slirp_path(), slirp_args);
  else
    snprintf(script, sizeof script, "#!/bin/sh\necho $$ > '%s/slirp.pid'\nexec cat > /dev/null\n",
             sv->dir);
  write_file(sv->dir, "wrapper.sh", script, 0700);
  snprintf(sv->tty, sizeof sv->tty, "%s/tty", sv->dir);

  char a1[256], a2[256];
  if (sv->tcp_port)
    snprintf(a1, sizeof a1, "TCP-LISTEN:%d,bind=127.0.0.1,reuseaddr", sv->tcp_port);
  else
    snprintf(a1, sizeof a1, "PTY,link=%s,raw,echo=0", sv->tty);
  snprintf(a2, sizeof a2, "EXEC:%s/wrapper.sh,pty,raw,echo=0", sv->dir);
  sv->socat = fork();
  assert_true(sv->socat >= 0);
  if (sv->socat == 0) {
    setpgid(0, 0); /* one group: socat and slirp are ended together */
    int null = open("/dev/null", O_RDWR);
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    execlp("socat", "socat", a1, a2, (char *)NULL);
    _exit(127);
  }
  setpgid(sv->socat, sv->socat);
  if (sv->tcp_port) {
    snprintf(sv->tty, sizeof sv->tty, "tcp:127.0.0.1:%d", sv->tcp_port);
    return; /* slirp starts when the client connects */
  }
  /* socat creates the link, the wrapper then writes its pid */
  char pidf[256];
  snprintf(pidf, sizeof pidf, "%s/slirp.pid", sv->dir);
  for (int i = 0; i < 300 && (access(sv->tty, F_OK) || access(pidf, F_OK)); i++)
    ora_sleep_ms(10);
  assert_int_equal(access(sv->tty, F_OK), 0);
}

static pid_t server_slirp_pid(server *sv) {
  char path[256];
  snprintf(path, sizeof path, "%s/slirp.pid", sv->dir);
  FILE *f = fopen(path, "r");
  int pid = 0;
  if (f) {
    if (fscanf(f, "%d", &pid) != 1)
      pid = 0;
    fclose(f);
  }
  return (pid_t)pid;
}

static void server_stop(server *sv) {
  pid_t sl = server_slirp_pid(sv);
  if (sl > 0) {
    kill(sl, SIGKILL);
    kill(sl, SIGCONT);
  }
  kill(-sv->socat, SIGTERM);
  waitpid(sv->socat, NULL, 0);
  char cmd[160];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", sv->dir);
  if (system(cmd) != 0)
    fprintf(stderr, "could not remove %s\n", sv->dir);
}

/* ---- the client side ---- */

typedef struct client {
  ora_loop *loop;
  ora_pppos *pos;
  ora_ppp *s; /* the session inside pos */
  ora_stream *st;
  int ip_up, down, auth_done;
  uint32_t down_error, auth_error;
  ora_ppp_ip_info ip;
  /* round trips: each time we had sent something and then heard the peer */
  int wrote, round_trips, counting;
  int echo_replies;
  uint64_t negotiation_us;
} client;

static void c_write(void *ctx, const uint8_t *buf, size_t len) {
  client *c = ctx;
  c->wrote = 1;
  if (c->st)
    ora_stream_write(c->st, buf, len);
}
static void c_on_auth_done(void *ctx, uint32_t error) {
  client *c = ctx;
  c->auth_done = 1;
  c->auth_error = error;
}
static void c_on_ip_up(void *ctx, const ora_ppp_ip_info *ip) {
  client *c = ctx;
  c->ip_up = 1;
  c->ip = *ip;
  c->counting = 0;
  ora_ppp_stats st;
  ora_pppos_get_stats(c->pos, &st);
  c->negotiation_us = st.negotiation_us;
}
static void c_on_down(void *ctx, uint32_t error) {
  client *c = ctx;
  c->down = 1;
  c->down_error = error;
}

/* An ICMP echo reply from 10.0.2.2 to us. */
static void c_on_ip_packet(void *ctx, const uint8_t *p, size_t len) {
  client *c = ctx;
  if (len >= 28 && (p[0] >> 4) == 4 && p[9] == 1 && p[20] == 0 && p[12] == 10 && p[15] == 2)
    c->echo_replies++;
}

static void c_rx(void *ctx, const uint8_t *buf, size_t len) {
  client *c = ctx;
  if (!c->s)
    return;
  if (len == 0) {
    ora_ppp_lower_down(c->s, ORA_ERROR_PORT_DISCONNECTED);
    return;
  }
  if (c->counting && c->wrote)
    c->round_trips++;
  c->wrote = 0;
  ora_pppos_input(c->pos, buf, len);
}

static const ora_ppp_callbacks c_callbacks = {.write = c_write,
                                              .on_auth_done = c_on_auth_done,
                                              .on_ip_up = c_on_ip_up,
                                              .on_down = c_on_down,
                                              .on_ip_packet = c_on_ip_packet};

static void client_start(client *c, server *sv, ora_ppp_config *cfg) {
  memset(c, 0, sizeof *c);
  assert_int_equal(ora_loop_create(&c->loop), 0);
  ora_loop_lock(c->loop);
  assert_int_equal(ora_pppos_create(c->loop, cfg, &c_callbacks, c, &c->pos), 0);
  c->s = ora_pppos_session(c->pos);
  int rc = -1;
  for (int i = 0; i < 200 && rc; i++) { /* a TCP listener may not be there yet */
    rc = ora_stream_open(c->loop, sv->tty, c_rx, c, &c->st);
    if (rc) {
      ora_loop_unlock(c->loop);
      ora_sleep_ms(10);
      ora_loop_lock(c->loop);
    }
  }
  assert_int_equal(rc, 0);
  c->counting = 1;
  ora_ppp_start(c->s);
  ora_loop_unlock(c->loop);
}

/* Waits until *flag (read under the loop lock) is set or ms pass. */
static int wait_for(client *c, int *flag, uint32_t ms) {
  uint64_t end = ora_now_ms() + ms;
  for (;;) {
    ora_loop_lock(c->loop);
    int v = *flag;
    ora_loop_unlock(c->loop);
    if (v || ora_now_ms() >= end)
      return v;
    ora_sleep_ms(2);
  }
}

static void client_stop(client *c) {
  ora_loop_lock(c->loop);
  ora_stream_close(c->st);
  c->st = NULL;
  ora_pppos_destroy(c->pos);
  c->pos = NULL;
  c->s = NULL;
  ora_loop_unlock(c->loop);
  ora_sleep_ms(20); /* let the reader thread leave and its last work run */
  ora_loop_destroy(c->loop);
}

static void base_config(ora_ppp_config *cfg, const char *password) {
  ora_ppp_config_default(cfg);
  strcpy(cfg->user, "alice");
  strcpy(cfg->password, password);
  cfg->peer_ip = 0x0a000202; /* slirp asks us for its address */
  cfg->echo_interval_ms = 0;
}

static int have_tools(void) {
  return access(slirp_path(), X_OK) == 0 && system("command -v socat >/dev/null 2>&1") == 0;
}

/* ---- cases ---- */

static void expect_connected(const char *what, const char *slirp_args, const char *password,
                             int ping, int tcp_port) {
  server sv = {.tcp_port = tcp_port};
  client c;
  ora_ppp_config cfg;
  server_start(&sv, slirp_args);
  base_config(&cfg, password);
  client_start(&c, &sv, &cfg);
  assert_true(wait_for(&c, &c.ip_up, 5000));
  assert_int_equal(c.down, 0);
  assert_int_equal(c.ip.local, 0x0a00020f);  /* 10.0.2.15 */
  assert_int_equal(c.ip.remote, 0x0a000202); /* 10.0.2.2 */
  printf("slirp %-8s negotiation %.2f ms, %d round trips, dns %u.%u.%u.%u\n", what,
         (double)c.negotiation_us / 1000.0, c.round_trips, c.ip.dns1 >> 24, c.ip.dns1 >> 16 & 255,
         c.ip.dns1 >> 8 & 255, c.ip.dns1 & 255);
  if (ping) {
    /* ICMP echo 10.0.2.15 -> 10.0.2.2 through the link */
    uint8_t pkt[28] = {0x45, 0,  0,  28, 0x12, 0x34, 0, 0, 64, 1, 0,    0,    10, 0,
                       2,    15, 10, 0,  2,    2,    8, 0, 0,  0, 0xab, 0xcd, 0,  1};
    for (int part = 0; part < 2; part++) { /* IP header checksum, then ICMP */
      uint8_t *h = part ? pkt + 20 : pkt;
      size_t n = part ? 8 : 20;
      uint16_t ck = ora_inet_checksum(h, n);
      h[part ? 2 : 10] = (uint8_t)(ck >> 8);
      h[part ? 3 : 11] = (uint8_t)ck;
    }
    ora_loop_lock(c.loop);
    assert_int_equal(ora_ppp_send_ip(c.s, pkt, sizeof pkt), 0);
    ora_loop_unlock(c.loop);
    assert_true(wait_for(&c, &c.echo_replies, 3000));
  }
  /* orderly hang-up */
  ora_loop_lock(c.loop);
  ora_ppp_close(c.s);
  ora_loop_unlock(c.loop);
  assert_true(wait_for(&c, &c.down, 7000));
  assert_int_equal(c.down_error, ORA_ERROR_USER_DISCONNECTION);
  client_stop(&c);
  server_stop(&sv);
}

static void expect_failure(const char *slirp_args, const char *password, uint32_t error,
                           uint32_t within_ms, ora_ppp_config *override) {
  server sv = {0};
  client c;
  ora_ppp_config cfg;
  server_start(&sv, slirp_args);
  base_config(&cfg, password);
  if (override)
    cfg = *override;
  uint64_t t0 = ora_now_ms();
  client_start(&c, &sv, &cfg);
  assert_true(wait_for(&c, &c.down, within_ms));
  printf("slirp failure %u after %llu ms\n", c.down_error, (unsigned long long)(ora_now_ms() - t0));
  assert_int_equal(c.down_error, error);
  assert_int_equal(c.ip_up, 0);
  client_stop(&c);
  server_stop(&sv);
}

static void test_no_auth(void **state) {
  (void)state;
  expect_connected("none", "-P", "alicepw", 1, 0);
}

static void test_pap_ok(void **state) {
  (void)state;
  expect_connected("pap", "-P +pap", "alicepw", 0, 0);
}

static void test_chap_ok(void **state) {
  (void)state;
  expect_connected("chap-md5", "-P +chap", "alicepw", 0, 0);
}

/* The TCP transport: socat hands the accepted connection to slirp. */
static void test_tcp_transport(void **state) {
  (void)state;
  expect_connected("tcp", "-P", "alicepw", 1, 20000 + (int)(getpid() % 20000));
}

static void test_pap_wrong_691(void **state) {
  (void)state;
  expect_failure("-P +pap", "wrong", ORA_ERROR_AUTHENTICATION_FAILURE, 5000, NULL);
}

static void test_chap_wrong_691(void **state) {
  (void)state;
  expect_failure("-P +chap", "wrong", ORA_ERROR_AUTHENTICATION_FAILURE, 5000, NULL);
}

static void test_silent_peer_718(void **state) {
  (void)state;
  ora_ppp_config cfg;
  base_config(&cfg, "alicepw");
  cfg.restart_ms = 100; /* budget: 10 requests, 1 s */
  expect_failure(NULL, "alicepw", ORA_ERROR_PPP_TIMEOUT, 3000, &cfg);
}

/* Brings a link up with keepalive on, then silences or kills slirp. */
static void dead_peer(int sig, uint32_t *error_out, uint64_t *ms_out) {
  server sv = {0};
  client c;
  ora_ppp_config cfg;
  server_start(&sv, "-P");
  base_config(&cfg, "alicepw");
  cfg.echo_interval_ms = 200;
  cfg.echo_fails = 3;
  client_start(&c, &sv, &cfg);
  assert_true(wait_for(&c, &c.ip_up, 5000));
  ora_sleep_ms(500); /* echoes answered meanwhile */
  ora_loop_lock(c.loop);
  assert_int_equal(c.down, 0);
  ora_loop_unlock(c.loop);
  pid_t sl = server_slirp_pid(&sv);
  assert_true(sl > 0);
  uint64_t t0 = ora_now_ms();
  kill(sl, sig);
  assert_true(wait_for(&c, &c.down, 3000));
  *ms_out = ora_now_ms() - t0;
  *error_out = c.down_error;
  client_stop(&c);
  server_stop(&sv);
}

static void test_frozen_peer_keepalive_630(void **state) {
  (void)state;
  uint32_t err;
  uint64_t ms;
  dead_peer(SIGSTOP, &err, &ms);
  printf("slirp frozen: error %u after %llu ms\n", err, (unsigned long long)ms);
  assert_int_equal(err, ORA_ERROR_HARDWARE_FAILURE);
  assert_true(ms >= 600 && ms <= 1200); /* 3 unanswered echoes at 200 ms, then dead */
}

static void test_killed_peer(void **state) {
  (void)state;
  uint32_t err;
  uint64_t ms;
  dead_peer(SIGKILL, &err, &ms);
  printf("slirp killed: error %u after %llu ms\n", err, (unsigned long long)ms);
  /* socat closes the pty once slirp is gone (the line drops, 619) unless the
   * keepalive notices first (630) */
  assert_true(err == ORA_ERROR_PORT_DISCONNECTED || err == ORA_ERROR_HARDWARE_FAILURE);
}

static int group_setup(void **state) {
  (void)state;
  signal(SIGPIPE, SIG_IGN);
  return 0;
}

int main(void) {
  if (!have_tools()) {
    printf("slirp or socat missing: not run\n");
    return 77;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_no_auth),         cmocka_unit_test(test_pap_ok),
      cmocka_unit_test(test_chap_ok),         cmocka_unit_test(test_tcp_transport),
      cmocka_unit_test(test_pap_wrong_691),   cmocka_unit_test(test_chap_wrong_691),
      cmocka_unit_test(test_silent_peer_718), cmocka_unit_test(test_frozen_peer_keepalive_630),
      cmocka_unit_test(test_killed_peer),
  };
  return cmocka_run_group_tests(tests, group_setup, NULL);
}
