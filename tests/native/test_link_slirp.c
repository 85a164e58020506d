/* The PPP link drivers end to end, through the engine API (ora_engine_dial with a
 * phone book in a temp folder), against a real PPP server: slirp on a pty made by
 * socat ("direct"), on a TCP port ("tcp"), or behind the modem fixture
 * (tests/fixtures/modem_fixture.c, "modem").
 *
 * Cases: no authentication, PAP, CHAP, wrong password (691); each modem result
 * code and the dialed string with prefix, suffix and pulse; a silent modem and a
 * silent PPP peer; a peer killed after Connected; hang-up during ConnectDevice,
 * Authenticate, AuthProject and Connected with every driver object and stream
 * released; projections 10.0.2.15 / 10.0.2.2. test_measure prints the medians of
 * 10 dials (negotiation time and round trips from the driver's trace lines, and
 * the whole dial). Skipped when slirp, socat or the fixture is missing. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "link/ppp_link.h"
#include "openras/devnames.h"
#include "openras/engine.h"
#include "openras/os.h"
#include "os/stream.h"

static char g_dir[64];   /* this run's temp folder */
static char g_trace[96]; /* ORA_TRACE file: the driver's measurements */
static int g_seq;        /* makes every server folder unique */

static const char *slirp_path(void) {
  const char *s = getenv("ORA_SLIRP");
  return s && *s ? s : "/usr/bin/slirp-fullbolt";
}
static const char *fixture_path(void) {
  const char *s = getenv("ORA_MODEM_FIXTURE");
  return s && *s ? s : "";
}

static void write_file(const char *path, const char *text, mode_t mode) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  chmod(path, mode);
}

/* ---------------------------------------------------------------- servers */

typedef struct server {
  char dir[128];
  char tty[160]; /* the pty link the dialer opens */
  char log[160]; /* modem fixture: its command log */
  int tcp_port;  /* socat listens on TCP instead of making a pty */
  pid_t pid;     /* socat or the fixture (own process group) */
} server;

/* The wrapper a server runs for each call: slirp with args (in a private HOME
 * holding the secrets), or a peer that never answers (args NULL). */
static void write_wrapper(server *sv, const char *slirp_args) {
  char path[192], script[1024];
  snprintf(path, sizeof path, "%s/.pap-secrets", sv->dir);
  write_file(path, "alice * alicepw\n", 0600);
  snprintf(path, sizeof path, "%s/.chap-secrets", sv->dir);
  write_file(path, "alice * alicepw\n", 0600);
  if (slirp_args)
    snprintf(script, sizeof script,
             "#!/bin/sh\ncd '%s' || exit 1\nHOME='%s'; export HOME\necho $$ > slirp.pid\n"
             "exec '%s' %s\n",
             sv->dir, sv->dir, slirp_path(), slirp_args);
  else
    snprintf(script, sizeof script, "#!/bin/sh\necho $$ > '%s/slirp.pid'\nexec cat > /dev/null\n",
             sv->dir);
  snprintf(path, sizeof path, "%s/wrapper.sh", sv->dir);
  write_file(path, script, 0700);
}

static void new_dir(server *sv) {
  snprintf(sv->dir, sizeof sv->dir, "%s/s%d", g_dir, ++g_seq);
  assert_int_equal(mkdir(sv->dir, 0700), 0);
  snprintf(sv->tty, sizeof sv->tty, "%s/tty", sv->dir);
  snprintf(sv->log, sizeof sv->log, "%s/modem.log", sv->dir);
}

/* Servers still running: a failed assertion skips its test's server_stop, so the
 * group teardown ends what is left. */
static server g_running[32];

static void track(const server *sv) {
  for (size_t i = 0; i < sizeof g_running / sizeof g_running[0]; i++)
    if (!g_running[i].pid) {
      g_running[i] = *sv;
      return;
    }
}

static pid_t spawn(char *const argv[]) {
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    setpgid(0, 0); /* one group: the server and what it started end together */
    int null = open("/dev/null", O_RDWR);
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    execvp(argv[0], argv);
    _exit(127);
  }
  setpgid(pid, pid);
  return pid;
}

static void wait_path(const char *path) {
  for (int i = 0; i < 500 && access(path, F_OK); i++)
    ora_sleep_ms(10);
  assert_int_equal(access(path, F_OK), 0);
}

/* slirp behind socat: on a pty, or on 127.0.0.1:tcp_port. */
static void slirp_start(server *sv, const char *slirp_args, int tcp_port) {
  memset(sv, 0, sizeof *sv);
  new_dir(sv);
  sv->tcp_port = tcp_port;
  write_wrapper(sv, slirp_args);
  char a1[256], a2[256];
  if (tcp_port)
    snprintf(a1, sizeof a1, "TCP-LISTEN:%d,bind=127.0.0.1,reuseaddr", tcp_port);
  else
    snprintf(a1, sizeof a1, "PTY,link=%s,raw,echo=0", sv->tty);
  snprintf(a2, sizeof a2, "EXEC:%s/wrapper.sh,pty,raw,echo=0", sv->dir);
  char *argv[] = {"socat", a1, a2, NULL};
  sv->pid = spawn(argv);
  track(sv);
  if (tcp_port) {
    ora_sleep_ms(100); /* the listener; the link retries nothing, so let it come up */
    return;
  }
  char pidf[192];
  snprintf(pidf, sizeof pidf, "%s/slirp.pid", sv->dir);
  wait_path(sv->tty);
  wait_path(pidf);
}

/* The modem fixture; extra: more fixture options, NULL-terminated. */
static void modem_start(server *sv, const char *slirp_args, ...) {
  memset(sv, 0, sizeof *sv);
  new_dir(sv);
  write_wrapper(sv, slirp_args);
  char wrapper[192], pidfile[192];
  snprintf(wrapper, sizeof wrapper, "%s/wrapper.sh", sv->dir);
  snprintf(pidfile, sizeof pidfile, "%s/fixture.pid", sv->dir);
  char *argv[32] = {(char *)fixture_path(),
                    "--link",
                    sv->tty,
                    "--slirp",
                    wrapper,
                    "--log",
                    sv->log,
                    "--pidfile",
                    pidfile,
                    "--guard-ms",
                    "100"};
  int n = 11;
  va_list ap;
  va_start(ap, slirp_args);
  for (const char *a; (a = va_arg(ap, const char *)) && n < 30;)
    argv[n++] = (char *)a;
  va_end(ap);
  argv[n] = NULL;
  sv->pid = spawn(argv);
  track(sv);
  wait_path(pidfile);
}

static pid_t slirp_pid(server *sv) {
  char path[192];
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
  pid_t sl = slirp_pid(sv);
  if (sl > 0)
    kill(sl, SIGKILL);
  kill(-sv->pid, SIGTERM);
  waitpid(sv->pid, NULL, 0);
  kill(-sv->pid, SIGKILL);
  for (size_t i = 0; i < sizeof g_running / sizeof g_running[0]; i++)
    if (g_running[i].pid == sv->pid)
      g_running[i].pid = 0;
}

/* Does the modem fixture's log hold this line? */
static int log_has(server *sv, const char *line) {
  FILE *f = fopen(sv->log, "r");
  if (!f)
    return 0;
  char buf[512];
  int found = 0;
  while (!found && fgets(buf, sizeof buf, f)) {
    buf[strcspn(buf, "\r\n")] = 0;
    found = strcmp(buf, line) == 0;
  }
  fclose(f);
  return found;
}

static int wait_log(server *sv, const char *line, uint32_t ms) {
  uint64_t end = ora_now_ms() + ms;
  while (!log_has(sv, line) && ora_now_ms() < end)
    ora_sleep_ms(10);
  return log_has(sv, line);
}

/* ---------------------------------------------------------------- the engine side */

typedef struct events {
  ora_mutex *mu;
  ora_cond *cv;
  ora_event ev[128];
  uint64_t at_ms[128];
  int n;
} events;

static void sink(void *ctx, const ora_event *ev) {
  events *e = ctx;
  ora_mutex_lock(e->mu);
  if (e->n < 128) {
    e->at_ms[e->n] = ora_now_ms();
    e->ev[e->n++] = *ev;
  }
  ora_cond_broadcast(e->cv);
  ora_mutex_unlock(e->mu);
}

/* Index of the first event in `state` (any state when ~0u) that is the last of
 * its series when `last`, waiting at most ms; -1 if none came. */
static int wait_event(events *e, uint32_t state, int last, uint32_t ms) {
  uint64_t end = ora_now_ms() + ms;
  ora_mutex_lock(e->mu);
  for (;;) {
    for (int i = 0; i < e->n; i++)
      if ((state == ~0u || e->ev[i].state == state) && (!last || e->ev[i].last)) {
        ora_mutex_unlock(e->mu);
        return i;
      }
    uint64_t now = ora_now_ms();
    if (now >= end)
      break;
    ora_cond_wait(e->cv, e->mu, (uint32_t)(end - now));
  }
  ora_mutex_unlock(e->mu);
  return -1;
}

typedef struct dial {
  ora_engine *eng;
  events ev;
  ora_handle h;
  uint64_t t0_ms;
  int acked; /* events acknowledged so far (ack_until) */
} dial;

static const char *g_pbk_path(void) {
  static char path[96];
  snprintf(path, sizeof path, "%s/rasphone.pbk", g_dir);
  return path;
}

/* Writes a one-entry phone book "test" from the given lines. */
static void phonebook(const char *fmt, ...) {
  char body[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(body, sizeof body, fmt, ap);
  va_end(ap);
  char text[4200];
  snprintf(text, sizeof text, "[test]\r\n%s\r\n", body);
  write_file(g_pbk_path(), text, 0600);
}

/* The data plane's helper the next dial's engine gets; NULL: none. */
static const char *g_tun_helper;

static int dial_start_ex(dial *d, const char *user, const char *password, const char *number,
                         uint32_t options, int ack_required) {
  memset(d, 0, sizeof *d);
  assert_int_equal(ora_mutex_create(&d->ev.mu), 0);
  assert_int_equal(ora_cond_create(&d->ev.cv), 0);
  ora_engine_config cfg;
  memset(&cfg, 0, sizeof cfg);
  if (g_tun_helper)
    strcpy(cfg.tun_helper, g_tun_helper);
  assert_int_equal(ora_engine_create(&cfg, &d->eng), 0);
  ora_dial_request req;
  memset(&req, 0, sizeof req);
  strcpy(req.phonebook, g_pbk_path());
  strcpy(req.entry, "test");
  strcpy(req.user, user);
  strcpy(req.password, password);
  if (number)
    strcpy(req.phone_number, number);
  req.options = options;
  req.ack_required = ack_required;
  d->t0_ms = ora_now_ms();
  int rc = ora_engine_dial(d->eng, &req, sink, &d->ev, &d->h);
  ora_wipe(&req, sizeof req);
  return rc;
}

static int dial_start(dial *d, const char *user, const char *password, const char *number,
                      uint32_t options) {
  return dial_start_ex(d, user, password, number, options, 0);
}

/* An asynchronous caller's notifier: acknowledges every event until one in
 * `state` that ends a series; returns its index, or -1 after ms. */
static int ack_until(dial *d, uint32_t state, uint32_t ms) {
  uint64_t end = ora_now_ms() + ms;
  while (ora_now_ms() < end) {
    ora_mutex_lock(d->ev.mu);
    int n = d->ev.n;
    ora_mutex_unlock(d->ev.mu);
    while (d->acked < n) {
      ora_event ev = d->ev.ev[d->acked++];
      if (ev.last)
        return ev.state == state ? d->acked - 1 : -1;
      ora_engine_ack(d->eng, d->h, ev.seq, 1);
    }
    ora_sleep_ms(2);
  }
  return -1;
}

/* Waits for the dial's last event; returns its index. */
static int dial_wait(dial *d, uint32_t ms) {
  int i = wait_event(&d->ev, ~0u, 1, ms);
  assert_true(i >= 0);
  return i;
}

/* Waits until every driver object and stream of this process is gone. */
static int all_closed(uint32_t ms) {
  uint64_t end = ora_now_ms() + ms;
  while ((ora_ppp_link_count() || ora_stream_count()) && ora_now_ms() < end)
    ora_sleep_ms(5);
  return ora_ppp_link_count() == 0 && ora_stream_count() == 0;
}

static void dial_end(dial *d) {
  if (d->h)
    assert_int_equal(ora_engine_hangup(d->eng, d->h), 0);
  assert_true(all_closed(10000));
  ora_engine_destroy(d->eng);
  ora_cond_destroy(d->ev.cv);
  ora_mutex_destroy(d->ev.mu);
}

static void expect_failed(dial *d, uint32_t state, uint32_t error, uint32_t ms) {
  int i = dial_wait(d, ms);
  if (d->ev.ev[i].state != state || d->ev.ev[i].error != error)
    fail_msg("dial ended in %s with %u, want %s with %u", ora_state_name(d->ev.ev[i].state),
             (unsigned)d->ev.ev[i].error, ora_state_name(state), (unsigned)error);
  ora_status st;
  assert_int_equal(ora_engine_status(d->eng, d->h, &st), 0);
  assert_int_equal(st.error, error);
}

/* Connected, with the states a PPP dial-up shows, in order, each once. */
static void expect_connected(dial *d, const char *device_type) {
  int i = dial_wait(d, 8000);
  if (d->ev.ev[i].state != ORA_CS_Connected)
    fail_msg("dial ended in %s with error %u", ora_state_name(d->ev.ev[i].state),
             (unsigned)d->ev.ev[i].error);
  static const uint32_t order[] = {ORA_CS_OpenPort,
                                   ORA_CS_PortOpened,
                                   ORA_CS_ConnectDevice,
                                   ORA_CS_DeviceConnected,
                                   ORA_CS_AllDevicesConnected,
                                   ORA_CS_Authenticate,
                                   ORA_CS_AuthNotify,
                                   ORA_CS_AuthProject,
                                   ORA_CS_Authenticated,
                                   ORA_CS_Projected,
                                   ORA_CS_Connected};
  assert_int_equal(i + 1, (int)(sizeof order / sizeof order[0]));
  for (int k = 0; k <= i; k++) {
    assert_int_equal(d->ev.ev[k].state, order[k]);
    assert_int_equal(d->ev.ev[k].error, 0);
  }
  ora_status st;
  assert_int_equal(ora_engine_status(d->eng, d->h, &st), 0);
  assert_int_equal(st.state, ORA_CS_Connected);
  assert_string_equal(st.device_type, device_type);
  ora_ip_projection ip;
  assert_int_equal(ora_engine_ip_projection(d->eng, d->h, &ip), 0);
  assert_int_equal(ip.local, 0x0a00020f);  /* 10.0.2.15 */
  assert_int_equal(ip.server, 0x0a000202); /* 10.0.2.2 */
}

static uint32_t lcp_auth(dial *d, uint32_t *alg) {
  ora_lcp_projection lcp;
  assert_int_equal(ora_engine_lcp_projection(d->eng, d->h, &lcp), 0);
  assert_int_equal(lcp.mru, 1500);
  assert_int_equal(lcp.server_mru, 1500);
  *alg = lcp.auth_data;
  return lcp.auth_protocol;
}

/* ---------------------------------------------------------------- direct */

static const char *direct_entry = "ORA_Link=direct\r\nPort=%s\r\nORA_PppPeerIp=10.0.2.2\r\n"
                                  "ORA_PppEchoIntervalMs=0\r\n";

static const char *direct_entry_for(const char *tty) {
  static char text[512];
  snprintf(text, sizeof text, direct_entry, tty);
  return text;
}

static void test_direct_no_auth(void **state) {
  (void)state;
  server sv;
  dial d;
  slirp_start(&sv, "-P", 0);
  phonebook("ORA_Link=direct\r\nMEDIA=serial\r\nPort=%s\r\nDevice=Null cable\r\nDEVICE=null\r\n"
            "ORA_PppPeerIp=10.0.2.2",
            sv.tty);
  assert_int_equal(dial_start(&d, "", "", NULL, 0), 0);
  expect_connected(&d, "null");
  ora_status st;
  assert_int_equal(ora_engine_status(d.eng, d.h, &st), 0);
  assert_string_equal(st.device_name, "Null cable");
  ora_ip_projection ip;
  assert_int_equal(ora_engine_ip_projection(d.eng, d.h, &ip), 0);
  assert_true(ip.dns1 != 0); /* slirp hands out the host's resolver */
  uint32_t alg;
  assert_int_equal(lcp_auth(&d, &alg), 0);
  dial_end(&d);
  server_stop(&sv);
}

static void test_direct_pap(void **state) {
  (void)state;
  server sv;
  dial d;
  slirp_start(&sv, "-P +pap", 0);
  phonebook(direct_entry, sv.tty);
  assert_int_equal(dial_start(&d, "alice", "alicepw", NULL, 0), 0);
  expect_connected(&d, ORA_DEVTYPE_MODEM);
  uint32_t alg;
  assert_int_equal(lcp_auth(&d, &alg), 0xc023);
  dial_end(&d);
  server_stop(&sv);
}

static void test_direct_chap(void **state) {
  (void)state;
  server sv;
  dial d;
  slirp_start(&sv, "-P +chap", 0);
  phonebook(direct_entry, sv.tty);
  assert_int_equal(dial_start(&d, "alice", "alicepw", NULL, 0), 0);
  expect_connected(&d, ORA_DEVTYPE_MODEM);
  uint32_t alg;
  assert_int_equal(lcp_auth(&d, &alg), 0xc223);
  assert_int_equal(alg, 5); /* MD5 */
  dial_end(&d);
  server_stop(&sv);
}

static void wrong_password(const char *args) {
  server sv;
  dial d;
  slirp_start(&sv, args, 0);
  phonebook(direct_entry, sv.tty);
  assert_int_equal(dial_start(&d, "alice", "wrong", NULL, 0), 0);
  expect_failed(&d, ORA_CS_AuthNotify, ORA_ERROR_AUTHENTICATION_FAILURE, 8000);
  assert_true(wait_event(&d.ev, ORA_CS_Authenticate, 0, 0) >= 0);
  ora_ip_projection ip;
  assert_int_equal(ora_engine_ip_projection(d.eng, d.h, &ip), ORA_ERROR_PROJECTION_NOT_COMPLETE);
  dial_end(&d);
  server_stop(&sv);
}

static void test_direct_pap_wrong_691(void **state) {
  (void)state;
  wrong_password("-P +pap");
}

static void test_direct_chap_wrong_691(void **state) {
  (void)state;
  wrong_password("-P +chap");
}

/* A peer that never answers: LCP gives up after its retry budget (5 x 100 ms). */
/* RDEOPT_PausedStates: a refused password pauses in RetryAuthentication, and a
 * resume runs PPP again on the same line (AuthRetry). This slirp keeps LCP
 * closed after a refusal, so the new run ends with 718 after its short budget. */
static void test_direct_retry_authentication(void **state) {
  (void)state;
  server sv;
  dial d;
  slirp_start(&sv, "-P +pap", 0);
  phonebook("%sORA_PppRestartMs=100\r\nORA_PppMaxConfigure=3\r\n", direct_entry_for(sv.tty));
  assert_int_equal(dial_start_ex(&d, "alice", "wrong", NULL, ORA_RDEOPT_PausedStates, 1), 0);
  int i = ack_until(&d, ORA_CS_RetryAuthentication, 8000);
  assert_true(i >= 0);
  assert_int_equal(d.ev.ev[i].error, 0);
  ora_dial_request req;
  memset(&req, 0, sizeof req);
  strcpy(req.user, "alice");
  strcpy(req.password, "alicepw");
  assert_int_equal(ora_engine_resume(d.eng, d.h, &req), 0);
  ora_wipe(&req, sizeof req);
  i = ack_until(&d, ORA_CS_AuthRetry, 8000);
  assert_true(i > 0);
  assert_int_equal(d.ev.ev[i].error, ORA_ERROR_PPP_TIMEOUT);
  dial_end(&d);
  server_stop(&sv);
}

static void test_direct_silent_peer_718(void **state) {
  (void)state;
  server sv;
  dial d;
  slirp_start(&sv, NULL, 0);
  phonebook("ORA_Link=direct\r\nPort=%s\r\nORA_PppRestartMs=100\r\nORA_PppMaxConfigure=5", sv.tty);
  assert_int_equal(dial_start(&d, "", "", NULL, 0), 0);
  expect_failed(&d, ORA_CS_Authenticate, ORA_ERROR_PPP_TIMEOUT, 5000);
  dial_end(&d);
  server_stop(&sv);
}

static void test_direct_no_port_615(void **state) {
  (void)state;
  dial d;
  phonebook("ORA_Link=direct\r\nPort=%s/no-such-tty", g_dir);
  assert_int_equal(dial_start(&d, "", "", NULL, 0), 0);
  expect_failed(&d, ORA_CS_OpenPort, ORA_ERROR_PORT_NOT_FOUND, 5000);
  dial_end(&d);
}

/* The peer dies after Connected: the connection ends with an error. */
static void test_direct_peer_killed(void **state) {
  (void)state;
  server sv;
  dial d;
  slirp_start(&sv, "-P", 0);
  phonebook(direct_entry, sv.tty);
  assert_int_equal(dial_start(&d, "", "", NULL, 0), 0);
  expect_connected(&d, ORA_DEVTYPE_MODEM);
  kill(slirp_pid(&sv), SIGKILL);
  ora_status st;
  uint64_t end = ora_now_ms() + 5000;
  do {
    ora_sleep_ms(10);
    assert_int_equal(ora_engine_status(d.eng, d.h, &st), 0);
  } while (st.state != ORA_CS_Disconnected && ora_now_ms() < end);
  assert_int_equal(st.state, ORA_CS_Disconnected);
  /* socat closes the pty (629); a keepalive would say 630 */
  assert_true(st.error == ORA_ERROR_REMOTE_DISCONNECTION || st.error == ORA_ERROR_HARDWARE_FAILURE);
  dial_end(&d);
  server_stop(&sv);
}

/* IdleDisconnectSeconds: no packet either way for that long ends a connected link
 * with ERROR_IDLE_TIMEOUT (828); not before. (No data plane here: the count starts at
 * Connected.) */
static void test_idle_disconnect_828(void **state) {
  (void)state;
  server sv;
  dial d;
  slirp_start(&sv, "-P", 0);
  phonebook("ORA_Link=direct\r\nPort=%s\r\nORA_PppPeerIp=10.0.2.2\r\nIdleDisconnectSeconds=1\r\n",
            sv.tty);
  assert_int_equal(dial_start(&d, "", "", NULL, 0), 0);
  expect_connected(&d, ORA_DEVTYPE_MODEM);
  uint64_t t0 = ora_now_ms();
  ora_status st;
  do {
    ora_sleep_ms(10);
    assert_int_equal(ora_engine_status(d.eng, d.h, &st), 0);
  } while (st.state != ORA_CS_Disconnected && ora_now_ms() < t0 + 5000);
  assert_int_equal(st.state, ORA_CS_Disconnected);
  assert_int_equal(st.error, ORA_ERROR_IDLE_TIMEOUT);
  assert_true(ora_now_ms() - t0 >= 900);
  dial_end(&d);
  server_stop(&sv);
}

/* ORA_DataPlane=required where the engine has no helper: the dial fails in AuthProject
 * with ERROR_NO_IP_RAS_ADAPTER (728) instead of connecting without traffic. */
static void test_dataplane_required_728(void **state) {
  (void)state;
  server sv;
  dial d;
  slirp_start(&sv, "-P", 0);
  phonebook("ORA_Link=direct\r\nPort=%s\r\nORA_PppPeerIp=10.0.2.2\r\nORA_DataPlane=required\r\n",
            sv.tty);
  assert_int_equal(dial_start(&d, "", "", NULL, 0), 0);
  expect_failed(&d, ORA_CS_AuthProject, ORA_ERROR_NO_IP_RAS_ADAPTER, 10000);
  dial_end(&d);
  server_stop(&sv);
}

/* A helper that is no openras-tun: one that exits at once (/bin/false), one that breaks
 * the wire (/usr/bin/yes: "y\n" as a length is far too long), and one that answers
 * READY with a refusal, as openras-tun does without CAP_NET_ADMIN. Either way the data
 * plane fails before its interface is up, and the engine stops it from inside the
 * callback that reports it: the dial fails with 728 when the entry requires a data
 * plane, and connects without one when it does not. (No TUN is made: nothing is routed.) */
static void helper_fails(const char *helper) {
  static const char *entries[] = {
      "ORA_Link=direct\r\nPort=%s\r\nORA_PppPeerIp=10.0.2.2\r\nORA_DataPlane=required\r\n",
      "ORA_Link=direct\r\nPort=%s\r\nORA_PppPeerIp=10.0.2.2\r\n"};
  g_tun_helper = helper;
  for (int i = 0; i < 2; i++) {
    server sv;
    dial d;
    slirp_start(&sv, "-P", 0);
    phonebook(entries[i], sv.tty);
    assert_int_equal(dial_start(&d, "", "", NULL, 0), 0);
    if (i == 0)
      expect_failed(&d, ORA_CS_AuthProject, ORA_ERROR_NO_IP_RAS_ADAPTER, 10000);
    else
      expect_connected(&d, ORA_DEVTYPE_MODEM);
    dial_end(&d);
    server_stop(&sv);
  }
  g_tun_helper = NULL;
}

static void test_dataplane_helper_exits(void **state) {
  (void)state;
  helper_fails("/bin/false");
}

static void test_dataplane_helper_breaks_wire(void **state) {
  (void)state;
  helper_fails("/usr/bin/yes");
}

static void test_dataplane_helper_refuses(void **state) {
  (void)state;
  char path[128];
  snprintf(path, sizeof path, "%s/refusing-helper", g_dir);
  /* READY (type 2), 4 bytes: status 1, ORA_DPW_NO_TUN */
  write_file(path, "#!/bin/sh\nprintf '\\000\\004\\002\\000\\000\\000\\001'\nsleep 2\n", 0700);
  helper_fails(path);
}

/* The fixture as a null-modem cable: a fresh slirp each time the line is opened,
 * so the same port can be dialed again (what the Wine test relies on). */
static void test_direct_redial_cable(void **state) {
  (void)state;
  server sv;
  modem_start(&sv, "-P +pap", "--direct", NULL);
  phonebook(direct_entry, sv.tty);
  for (int k = 0; k < 3; k++) {
    dial d;
    assert_int_equal(dial_start(&d, "alice", "alicepw", NULL, 0), 0);
    expect_connected(&d, ORA_DEVTYPE_MODEM);
    dial_end(&d);
  }
  server_stop(&sv);
}

/* ---------------------------------------------------------------- TCP */

static void test_tcp(void **state) {
  (void)state;
  server sv;
  dial d;
  int port = 20000 + (int)(getpid() % 20000);
  slirp_start(&sv, "-P +pap", port);
  phonebook("ORA_Link=tcp\r\nORA_TcpAddress=127.0.0.1:%d\r\nORA_PppPeerIp=10.0.2.2", port);
  assert_int_equal(dial_start(&d, "alice", "alicepw", NULL, 0), 0);
  expect_connected(&d, ORA_DEVTYPE_VPN);
  dial_end(&d);
  server_stop(&sv);
}

static void test_tcp_refused_678(void **state) {
  (void)state;
  dial d;
  phonebook("ORA_Link=tcp\r\nPhoneNumber=127.0.0.1:1"); /* the number as host:port, like a VPN */
  assert_int_equal(dial_start(&d, "", "", NULL, 0), 0);
  expect_failed(&d, ORA_CS_OpenPort, ORA_ERROR_NO_ANSWER, 5000);
  dial_end(&d);
}

/* ---------------------------------------------------------------- modem */

/* A Windows-style modem entry. ORA_Link because the engine takes the MEDIA block's
 * Device= (same key as DEVICE=, first occurrence) for the driver name. */
static const char *modem_entry = "ORA_Link=modem\r\nMEDIA=serial\r\nPort=%s\r\n"
                                 "Device=Fixture Modem\r\n"
                                 "DEVICE=modem\r\nPhoneNumber=5551234\r\n"
                                 "ORA_PppPeerIp=10.0.2.2\r\nORA_ModemGuardMs=100\r\n%s";

static void test_modem_connect(void **state) {
  (void)state;
  server sv;
  dial d;
  modem_start(&sv, "-P +chap", NULL);
  phonebook(modem_entry, sv.tty, "ORA_DialPrefix=9,\r\nORA_DialSuffix=#\r\n");
  assert_int_equal(dial_start(&d, "alice", "alicepw", NULL, ORA_RDEOPT_UsePrefixSuffix), 0);
  expect_connected(&d, "modem");
  ora_status st;
  assert_int_equal(ora_engine_status(d.eng, d.h, &st), 0);
  assert_string_equal(st.device_name, "Fixture Modem");
  assert_string_equal(st.phone_number, "5551234");
  assert_true(log_has(&sv, "CMD ATZ"));
  assert_true(log_has(&sv, "CMD ATE0V1&D2"));
  assert_true(log_has(&sv, "CMD ATDT9,5551234#"));
  /* hang-up from data mode: LCP Terminate, then "+++", ATH, and the line closed */
  dial_end(&d);
  assert_true(wait_log(&sv, "ESCAPE", 2000));
  assert_true(wait_log(&sv, "HANGUP ath", 2000));
  assert_true(wait_log(&sv, "HANGUP dtr", 2000));
  server_stop(&sv);
}

/* Prefix and suffix only with RDEOPT_UsePrefixSuffix; pulse dialing; the
 * caller's number over the entry's. */
static void test_modem_dial_string(void **state) {
  (void)state;
  server sv;
  dial d;
  modem_start(&sv, "-P", "--result", "BUSY", NULL);
  phonebook(modem_entry, sv.tty, "ORA_DialPrefix=9,\r\nORA_DialMode=pulse\r\n");
  assert_int_equal(dial_start(&d, "", "", "0123", 0), 0);
  expect_failed(&d, ORA_CS_ConnectDevice, ORA_ERROR_LINE_BUSY, 5000);
  assert_true(log_has(&sv, "CMD ATDP0123"));
  dial_end(&d);
  server_stop(&sv);
}

static void test_modem_result_codes(void **state) {
  (void)state;
  static const struct {
    const char *number;
    uint32_t error;
  } cases[] = {{"676", ORA_ERROR_LINE_BUSY},   {"678", ORA_ERROR_NO_ANSWER},
               {"679", ORA_ERROR_NO_CARRIER},  {"680", ORA_ERROR_NO_DIALTONE},
               {"681", ORA_ERROR_NO_DIALTONE}, {"677", ORA_ERROR_VOICE_ANSWER},
               {"651", ORA_ERROR_FROM_DEVICE}};
  server sv;
  modem_start(&sv, "-P", "--map", "676=BUSY", "--map", "678=NO ANSWER", "--map", "679=NO CARRIER",
              "--map", "680=NO DIALTONE", "--map", "681=NO DIAL TONE", "--map", "677=VOICE",
              "--map", "651=ERROR", NULL);
  phonebook(modem_entry, sv.tty, "");
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    dial d;
    assert_int_equal(dial_start(&d, "", "", cases[i].number, 0), 0);
    expect_failed(&d, ORA_CS_ConnectDevice, cases[i].error, 5000);
    dial_end(&d);
  }
  server_stop(&sv);
}

/* A modem that never answers: the reset is tried twice, then 692. */
static void test_modem_silent_692(void **state) {
  (void)state;
  server sv;
  dial d;
  modem_start(&sv, "-P", "--mute", NULL);
  phonebook(modem_entry, sv.tty, "ORA_ModemCmdTimeoutMs=200\r\n");
  uint64_t t0 = ora_now_ms();
  assert_int_equal(dial_start(&d, "", "", NULL, 0), 0);
  expect_failed(&d, ORA_CS_ConnectDevice, ORA_ERROR_PORT_OR_DEVICE, 5000);
  printf("silent modem: 692 after %llu ms\n", (unsigned long long)(ora_now_ms() - t0));
  dial_end(&d);
  server_stop(&sv);
}

/* A modem that answers commands but never the dial: 692 after the dial timeout. */
static void test_modem_silent_dial_692(void **state) {
  (void)state;
  server sv;
  dial d;
  modem_start(&sv, "-P", "--result", "SILENT", NULL);
  phonebook(modem_entry, sv.tty, "ORA_ModemDialTimeoutMs=300\r\n");
  assert_int_equal(dial_start(&d, "", "", NULL, 0), 0);
  expect_failed(&d, ORA_CS_ConnectDevice, ORA_ERROR_PORT_OR_DEVICE, 5000);
  dial_end(&d);
  server_stop(&sv);
}

/* The server dies behind the modem after Connected: the modem drops the call and
 * says NO CARRIER, which ends the connection at once with 629 (the keepalive,
 * 10 s x 3 here, would only find it after ~30 s, with 630). */
static void test_modem_no_carrier_629(void **state) {
  (void)state;
  server sv;
  dial d;
  modem_start(&sv, "-P", NULL);
  phonebook(modem_entry, sv.tty, "ORA_PppEchoIntervalMs=10000\r\nORA_PppEchoFails=3\r\n");
  assert_int_equal(dial_start(&d, "", "", NULL, 0), 0);
  expect_connected(&d, "modem");
  kill(slirp_pid(&sv), SIGKILL);
  ora_status st;
  uint64_t end = ora_now_ms() + 8000;
  do {
    ora_sleep_ms(10);
    assert_int_equal(ora_engine_status(d.eng, d.h, &st), 0);
  } while (st.state != ORA_CS_Disconnected && ora_now_ms() < end);
  assert_int_equal(st.state, ORA_CS_Disconnected);
  assert_int_equal(st.error, ORA_ERROR_REMOTE_DISCONNECTION);
  dial_end(&d);
  server_stop(&sv);
}

/* ---------------------------------------------------------------- hang-up in each phase */

/* Hangs up once the dial announced `state`, then checks everything was released
 * (the caller also runs this under valgrind). */
static void hangup_in(dial *d, uint32_t state) {
  int i = wait_event(&d->ev, state, 0, 5000);
  if (i < 0)
    fail_msg("never reached %s", ora_state_name(state));
  assert_int_equal(d->ev.ev[i].error, 0);
  assert_int_equal(ora_engine_hangup(d->eng, d->h), 0);
  ora_status st;
  assert_int_equal(ora_engine_status(d->eng, d->h, &st), ORA_ERROR_INVALID_HANDLE);
  d->h = 0;
  dial_end(d);
}

static void test_hangup_connect_device(void **state) {
  (void)state;
  server sv;
  dial d;
  modem_start(&sv, "-P", "--result", "SILENT", NULL);
  phonebook(modem_entry, sv.tty, "");
  assert_int_equal(dial_start(&d, "", "", NULL, 0), 0);
  assert_true(wait_log(&sv, "CMD ATDT5551234", 3000));
  hangup_in(&d, ORA_CS_ConnectDevice);
  assert_true(wait_log(&sv, "CMD ATH", 2000)); /* the dial aborted, then ATH */
  server_stop(&sv);
}

static void test_hangup_authenticate(void **state) {
  (void)state;
  server sv;
  dial d;
  slirp_start(&sv, NULL, 0); /* LCP never opens */
  phonebook(direct_entry, sv.tty);
  assert_int_equal(dial_start(&d, "", "", NULL, 0), 0);
  hangup_in(&d, ORA_CS_Authenticate);
  server_stop(&sv);
}

/* Without ORA_PppPeerIp slirp's IPCP never converges: the dial sits in AuthProject. */
static void test_hangup_auth_project(void **state) {
  (void)state;
  server sv;
  dial d;
  slirp_start(&sv, "-P +pap", 0);
  phonebook("ORA_Link=direct\r\nPort=%s", sv.tty);
  assert_int_equal(dial_start(&d, "alice", "alicepw", NULL, 0), 0);
  hangup_in(&d, ORA_CS_AuthProject);
  server_stop(&sv);
}

static void test_hangup_connected(void **state) {
  (void)state;
  server sv;
  dial d;
  modem_start(&sv, "-P +pap", NULL);
  phonebook(modem_entry, sv.tty, "");
  assert_int_equal(dial_start(&d, "alice", "alicepw", NULL, 0), 0);
  hangup_in(&d, ORA_CS_Connected);
  assert_true(wait_log(&sv, "HANGUP ath", 2000));
  server_stop(&sv);
}

/* ---------------------------------------------------------------- measurements */

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

/* The driver's trace lines "IPCP up, negotiation N us, R round trips", from `from`. */
static int read_negotiations(long from, uint64_t *us, uint64_t *rt, int cap) {
  FILE *f = fopen(g_trace, "r");
  if (!f)
    return 0;
  fseek(f, from, SEEK_SET);
  char line[512];
  int n = 0;
  while (n < cap && fgets(line, sizeof line, f)) {
    const char *p = strstr(line, "IPCP up, negotiation ");
    unsigned long long a, b;
    if (p && sscanf(p, "IPCP up, negotiation %llu us, %llu round trips", &a, &b) == 2) {
      us[n] = a;
      rt[n] = b;
      n++;
    }
  }
  fclose(f);
  return n;
}

static long trace_size(void) {
  struct stat s;
  return stat(g_trace, &s) == 0 ? (long)s.st_size : 0;
}

static void measure(const char *what, const char *args, int modem) {
  enum { N = 10 };
  uint64_t whole[N], us[N], rt[N];
  long from = trace_size();
  for (int k = 0; k < N; k++) {
    server sv;
    dial d;
    if (modem) {
      modem_start(&sv, args, NULL);
      phonebook(modem_entry, sv.tty, "");
    } else {
      slirp_start(&sv, args, 0);
      phonebook(direct_entry, sv.tty);
    }
    assert_int_equal(dial_start(&d, "alice", "alicepw", NULL, 0), 0);
    int i = dial_wait(&d, 8000);
    assert_int_equal(d.ev.ev[i].state, ORA_CS_Connected);
    whole[k] = (d.ev.at_ms[i] - d.t0_ms) * 1000;
    dial_end(&d);
    server_stop(&sv);
  }
  assert_int_equal(read_negotiations(from, us, rt, N), N);
  qsort(whole, N, sizeof whole[0], cmp_u64);
  qsort(us, N, sizeof us[0], cmp_u64);
  qsort(rt, N, sizeof rt[0], cmp_u64);
  printf("measure %-14s negotiation median %.2f ms (min %.2f, max %.2f), round trips %llu, "
         "whole dial %.1f ms\n",
         what, (double)(us[N / 2 - 1] + us[N / 2]) / 2000.0, (double)us[0] / 1000.0,
         (double)us[N - 1] / 1000.0, (unsigned long long)rt[N / 2],
         (double)(whole[N / 2 - 1] + whole[N / 2]) / 2000.0);
}

static void test_measure(void **state) {
  (void)state;
  measure("direct none", "-P", 0);
  measure("direct pap", "-P +pap", 0);
  measure("direct chap", "-P +chap", 0);
  measure("modem chap", "-P +chap", 1);
}

/* ---------------------------------------------------------------- main */

static int have_tools(void) {
  return access(slirp_path(), X_OK) == 0 && access(fixture_path(), X_OK) == 0 &&
         system("command -v socat >/dev/null 2>&1") == 0;
}

static int group_setup(void **state) {
  (void)state;
  signal(SIGPIPE, SIG_IGN);
  return 0;
}

static int group_teardown(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof g_running / sizeof g_running[0]; i++)
    if (g_running[i].pid)
      server_stop(&g_running[i]);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
  if (getenv("ORA_KEEP"))
    return 0; /* debugging: keep the trace, phone book and modem logs */
  return system(cmd) == 0 ? 0 : -1;
}

int main(int argc, char **argv) {
  if (!have_tools()) {
    printf("slirp, socat or the modem fixture missing: skipped\n");
    return 0;
  }
  strcpy(g_dir, "/tmp/ora-link-XXXXXX");
  if (!mkdtemp(g_dir))
    return 1;
  snprintf(g_trace, sizeof g_trace, "%s/trace.log", g_dir);
  setenv("ORA_TRACE", g_trace, 1); /* read once, at the first trace */
  if (argc > 1)
    cmocka_set_test_filter(argv[1]);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_direct_no_auth),
      cmocka_unit_test(test_direct_pap),
      cmocka_unit_test(test_direct_chap),
      cmocka_unit_test(test_direct_pap_wrong_691),
      cmocka_unit_test(test_direct_chap_wrong_691),
      cmocka_unit_test(test_direct_retry_authentication),
      cmocka_unit_test(test_direct_silent_peer_718),
      cmocka_unit_test(test_direct_no_port_615),
      cmocka_unit_test(test_direct_peer_killed),
      cmocka_unit_test(test_idle_disconnect_828),
      cmocka_unit_test(test_dataplane_required_728),
      cmocka_unit_test(test_dataplane_helper_exits),
      cmocka_unit_test(test_dataplane_helper_breaks_wire),
      cmocka_unit_test(test_dataplane_helper_refuses),
      cmocka_unit_test(test_direct_redial_cable),
      cmocka_unit_test(test_tcp),
      cmocka_unit_test(test_tcp_refused_678),
      cmocka_unit_test(test_modem_connect),
      cmocka_unit_test(test_modem_dial_string),
      cmocka_unit_test(test_modem_result_codes),
      cmocka_unit_test(test_modem_silent_692),
      cmocka_unit_test(test_modem_silent_dial_692),
      cmocka_unit_test(test_modem_no_carrier_629),
      cmocka_unit_test(test_hangup_connect_device),
      cmocka_unit_test(test_hangup_authenticate),
      cmocka_unit_test(test_hangup_auth_project),
      cmocka_unit_test(test_hangup_connected),
      cmocka_unit_test(test_measure),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
