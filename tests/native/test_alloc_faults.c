/* Allocation and I/O failures, SQLite style (issue 17): this program is linked with
 * malloc, calloc and realloc wrapped (-Wl,--wrap), so the core's allocations go through
 * a hook that fails the Nth one; and read, write and send, so the Nth transfer on the
 * dialed pty or TCP socket fails (then a dial may also end with a lost line's error).
 * Each scenario runs for N = 1, 2, ... until it completes without reaching N; every run
 * must end with success or ERROR_NOT_ENOUGH_MEMORY (8) (or the scenario's own documented
 * error), never crash or hang, and the same scenario run again without a failure must
 * succeed: nothing was left corrupted (a port still claimed, a handle half made). Leaks:
 * the ASan and valgrind presets run this too.
 *
 * Scenarios: a phone book parsed, edited, serialized and saved; an engine created, a
 * dial to Connected (simulated; over a pty, over TCP, through a modem to slirp, and with
 * a data plane), its status, statistics and projection read, hung up and the engine
 * destroyed. Allocations on the engine's own threads (the loop's timers and posts) are
 * counted with the caller's, so a run fails whichever comes Nth. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>
#include <execinfo.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "openras/engine.h"
#include "openras/os.h"
#include "openras/pbk.h"
#include "sysmode_ns.h"

/* ---------------------------------------------------------------- the hook */

/* One kind of call that can be made to fail: counted from arming; the Nth fails. */
typedef struct fault {
  atomic_long calls;   /* since arming */
  atomic_long fail_at; /* the one to fail (1-based); 0: none */
  atomic_int hit;      /* it was reached */
} fault;

static fault g_alloc, g_io; /* allocations; reads and writes of a terminal */

static int fault_now(fault *f) {
  long at = atomic_load(&f->fail_at);
  if (!at || atomic_fetch_add(&f->calls, 1) + 1 != at)
    return 0;
  atomic_store(&f->hit, 1);
  return 1;
}

static void arm(fault *f, long n) {
  atomic_store(&f->calls, 0);
  atomic_store(&f->hit, 0);
  atomic_store(&f->fail_at, n);
}
static int disarm(fault *f) {
  atomic_store(&f->fail_at, 0);
  return atomic_load(&f->hit);
}

#include "fault_wraps.h"

static int fault_alloc_now(void) {
  if (!fault_now(&g_alloc))
    return 0;
  if (getenv("ORA_ALLOC_TRACE")) { /* debugging: where the failed allocation was */
    void *frames[16];
    backtrace_symbols_fd(frames, backtrace(frames, 16), 2);
  }
  return 1;
}

/* Stream I/O: the Nth read or write on a terminal or a socket (the dialed pty, a TCP
 * link) fails. Counted apart from allocations. */
static int fault_io_now(int fd) {
  int e = fault_stream_errno(fd);
  return e && fault_now(&g_io) ? e : 0;
}

/* ---------------------------------------------------------------- scenarios */

static char g_dir[64];

static const char pbk_text[] = "[Office]\r\nMEDIA=serial\r\nPort=COM1\r\nDevice=Modem\r\n"
                               "PhoneNumber=5551234\r\n\r\n[Home]\r\nORA_Link=sim\r\n"
                               "PhoneNumber=1\r\nIpPrioritizeRemote=1\r\n";

/* 0, or a RAS error. */
static int pbk_scenario(void) {
  ora_pbk *pb = NULL;
  int rc = ora_pbk_parse(pbk_text, sizeof pbk_text - 1, &pb);
  if (rc == 0)
    rc = ora_pbk_add(pb, "Third");
  if (rc == 0)
    rc = ora_pbk_set(pb, "Third", "PhoneNumber", "5550000");
  if (rc == 0)
    rc = ora_pbk_set(pb, "Office", "PhoneNumber", "5554321");
  if (rc == 0)
    rc = ora_pbk_rename(pb, "Home", "House");
  char *text = NULL;
  size_t len = 0;
  if (rc == 0)
    rc = ora_pbk_serialize(pb, &text, &len);
  if (rc == 0 && (!strstr(text, "[House]") || !strstr(text, "5554321")))
    rc = -1; /* an edit was lost without an error: corruption */
  free(text);
  char path[128];
  snprintf(path, sizeof path, "%s/out.pbk", g_dir);
  if (rc == 0)
    rc = ora_pbk_save(pb, path);
  ora_pbk_free(pb);
  if (rc == 0) {
    ora_pbk *back = NULL;
    rc = ora_pbk_load(path, 0, &back);
    if (rc == 0 && ora_pbk_find(back, "Third") < 0)
      rc = -1;
    ora_pbk_free(back);
  }
  return rc;
}

typedef struct events {
  ora_mutex *mu;
  int n, last_state, last_error, done;
} events;

static void sink(void *ctx, const ora_event *ev) {
  events *e = ctx;
  ora_mutex_lock(e->mu);
  e->n++;
  if (ev->last) {
    e->done = 1;
    e->last_state = (int)ev->state;
    e->last_error = (int)ev->error;
  }
  ora_mutex_unlock(e->mu);
}

/* A dial of entry: Connected, its status, statistics and projection read, hung up, the
 * engine destroyed. 0, a RAS error, or -1: it did not end within limit_ms (a hang). */
static int dial_scenario(const char *entry, int limit_ms) {
  events ev = {0};
  if (ora_mutex_create(&ev.mu))
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  ora_engine *e = NULL;
  ora_engine_config cfg;
  memset(&cfg, 0, sizeof cfg);
  if (strcmp(entry, "Dp") == 0)
    snprintf(cfg.tun_helper, sizeof cfg.tun_helper, "%s", getenv("ORA_TUN_HELPER_BIN"));
  int rc = ora_engine_create(&cfg, &e);
  ora_handle h = 0;
  if (rc == 0) {
    ora_dial_request q;
    memset(&q, 0, sizeof q);
    snprintf(q.phonebook, sizeof q.phonebook, "%s/engine.pbk", g_dir);
    strcpy(q.entry, entry);
    rc = ora_engine_dial(e, &q, sink, &ev, &h);
  }
  if (rc == 0) {
    int done = 0;
    for (int i = 0; i < limit_ms && !done; i++) {
      ora_mutex_lock(ev.mu);
      done = ev.done;
      ora_mutex_unlock(ev.mu);
      if (!done)
        ora_sleep_ms(1);
    }
    if (!done)
      rc = -1;
    else if (ev.last_error)
      rc = ev.last_error;
    else if (ev.last_state != ORA_CS_Connected)
      rc = -2;
  }
  if (rc == 0) {
    ora_status st;
    ora_stats stats;
    ora_ip_projection ip;
    if (ora_engine_status(e, h, &st) != 0 || st.state != ORA_CS_Connected ||
        ora_engine_stats(e, h, 0, &stats) != 0 || ora_engine_ip_projection(e, h, &ip) != 0)
      rc = -3;
  }
  if (h && rc != -1)
    ora_engine_hangup(e, h);
  ora_engine_destroy(e);
  ora_mutex_destroy(ev.mu);
  return rc;
}

/* The simulated link, zero delay. */
static int engine_scenario(void) {
  return dial_scenario("Home", 3000);
}

/* Over a pty to slirp (the line fixture with no faults: a fresh slirp for each open). */
static char g_link[128];
static int pty_dial_scenario(void) {
  return dial_scenario("Pty", 30000);
}

/* Over TCP to slirp (socat starts one for each connection) and through the modem fixture
 * (a Hayes dial, then slirp): the TCP connect and the modem's dialogue allocate too. */
static int tcp_dial_scenario(void) {
  return dial_scenario("Tcp", 30000);
}
static int modem_dial_scenario(void) {
  return dial_scenario("Modem", 30000);
}
/* The pty dial with its data plane required: the helper started, its interface up in
 * this program's own network namespace (root only; elsewhere it is skipped). */
static int g_netns;
static int dp_dial_scenario(void) {
  return dial_scenario("Dp", 30000);
}

/* What a line that failed under a dial may give besides success. */
static int line_error(int rc) {
  return rc == ORA_ERROR_PORT_DISCONNECTED || rc == ORA_ERROR_DISCONNECTION ||
         rc == ORA_ERROR_REMOTE_DISCONNECTION || rc == ORA_ERROR_HARDWARE_FAILURE ||
         rc == ORA_ERROR_PPP_TIMEOUT || rc == ORA_ERROR_PPP_LCP_TERMINATED;
}

/* The scenarios a build runs (pbk, sim, pty, tcp, modem, dp): ORA_FAULT_SCENARIOS lists them, unset
 * is all; the slow builds (valgrind, TSan, coverage) take the first three. */
static int scenario_on(const char *name) {
  const char *l = getenv("ORA_FAULT_SCENARIOS");
  if (!l || !*l)
    return 1;
  size_t n = strlen(name);
  for (const char *p = l; (p = strstr(p, name)); p += n)
    if ((p == l || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
      return 1;
  return 0;
}

/* Runs a scenario with each call of one kind failing in turn (what names it), until a
 * run makes fewer calls than the one set to fail (at most max runs); skipped when the
 * build does not run the scenario called key. Each run must end as ok says, and a clean
 * run right after it must succeed. */
static void every_call_fails(fault *f, const char *what, const char *name, const char *key,
                             int (*scenario)(void), int (*ok)(int), long max) {
  if (!scenario_on(key))
    skip();
  assert_int_equal(scenario(), 0);             /* it works at all */
  const char *from = getenv("ORA_FAULT_FROM"); /* debugging: start at that call */
  long n = from ? atol(from) : 1;
  for (;; n++) {
    arm(f, n);
    int rc = scenario();
    int hit = disarm(f);
    if (rc == -1)
      fail_msg("%s: failing %s %ld made it hang", name, what, n);
    if (!ok(rc))
      fail_msg("%s: failing %s %ld gave %d", name, what, n, rc);
    int again = scenario();
    if (again != 0)
      fail_msg("%s: after failing %s %ld, a clean run gave %d", name, what, n, again);
    if (!hit)
      break; /* all were tried */
    assert_true(n < max);
  }
  printf("%s: %ld %ss, each failed once\n", name, n - 1, what);
}

/* A failed allocation: success (it was recovered from) or 8. */
static int alloc_ok(int rc) {
  return rc == 0 || rc == ORA_ERROR_NOT_ENOUGH_MEMORY;
}
/* A failed read or write of the line: success or what a failed line gives. */
static int io_ok(int rc) {
  return rc == 0 || line_error(rc);
}

/* Every read and write of a dial's pty failing in turn. */
static void pty_io_fails(void **state) {
  (void)state;
  every_call_fails(&g_io, "I/O call", "pty dial", "pty", pty_dial_scenario, io_ok, 2000);
}

static void pbk_allocations(void **state) {
  (void)state;
  every_call_fails(&g_alloc, "allocation", "phone book", "pbk", pbk_scenario, alloc_ok, 20000);
}

static void engine_allocations(void **state) {
  (void)state;
  every_call_fails(&g_alloc, "allocation", "simulated dial", "sim", engine_scenario, alloc_ok,
                   20000);
}

/* Every allocation of a dial over a pty (the stream's reader thread's included). */
static void pty_allocations(void **state) {
  (void)state;
  every_call_fails(&g_alloc, "allocation", "pty dial", "pty", pty_dial_scenario, alloc_ok, 20000);
}

static void tcp_allocations(void **state) {
  (void)state;
  every_call_fails(&g_alloc, "allocation", "TCP dial", "tcp", tcp_dial_scenario, alloc_ok, 20000);
}

/* Every read and send of a TCP link's socket failing in turn. */
static void tcp_io_fails(void **state) {
  (void)state;
  every_call_fails(&g_io, "I/O call", "TCP dial", "tcp", tcp_dial_scenario, io_ok, 2000);
}

static void modem_allocations(void **state) {
  (void)state;
  every_call_fails(&g_alloc, "allocation", "modem dial", "modem", modem_dial_scenario, alloc_ok,
                   20000);
}

static void dataplane_allocations(void **state) {
  (void)state;
  if (!g_netns)
    skip(); /* needs root, /dev/net/tun and the helper */
  every_call_fails(&g_alloc, "allocation", "data-plane dial", "dp", dp_dial_scenario, alloc_ok,
                   20000);
}

static pid_t g_fixture, g_modem, g_tcp;

static pid_t start(char *const argv[]) {
  pid_t p = fork();
  if (p == 0) {
    int null = open("/dev/null", O_RDWR); /* slirp's banner is not this test's output */
    dup2(null, 1);
    dup2(null, 2);
    execvp(argv[0], argv);
    _exit(127);
  }
  return p;
}

static int setup(void **state) {
  (void)state;
  strcpy(g_dir, "/tmp/ora-alloc-XXXXXX");
  if (!mkdtemp(g_dir))
    return -1;
  char path[128];
  snprintf(path, sizeof path, "%s/engine.pbk", g_dir);
  FILE *f = fopen(path, "w");
  if (!f)
    return -1;
  snprintf(g_link, sizeof g_link, "%s/line", g_dir);
  int port = 20000 + (int)((getpid() + 23) % 20000);
  fprintf(f,
          "[Home]\r\nORA_Link=sim\r\nPhoneNumber=1\r\n[Pty]\r\nORA_Link=direct\r\nPort=%s\r\n"
          "ORA_PppPeerIp=10.0.2.2\r\nORA_PppEchoIntervalMs=0\r\n"
          "[Tcp]\r\nORA_Link=tcp\r\nORA_TcpAddress=127.0.0.1:%d\r\nORA_PppPeerIp=10.0.2.2\r\n"
          "ORA_PppEchoIntervalMs=0\r\n"
          "[Modem]\r\nORA_Link=modem\r\nMEDIA=serial\r\nPort=%s/modem\r\nDEVICE=modem\r\n"
          "PhoneNumber=5551234\r\nORA_PppPeerIp=10.0.2.2\r\nORA_ModemGuardMs=20\r\n"
          "ORA_PppEchoIntervalMs=0\r\n"
          "[Dp]\r\nORA_Link=direct\r\nPort=%s\r\nORA_PppPeerIp=10.0.2.2\r\n"
          "ORA_PppEchoIntervalMs=0\r\nORA_DataPlane=required\r\n",
          g_link, port, g_dir, g_link);
  fclose(f);
  /* The data plane's scenario runs in a network and mount namespace of this program's
   * own, where its interface and routes cannot touch the machine. */
  const char *helper = getenv("ORA_TUN_HELPER_BIN");
  if (geteuid() == 0 && helper && access(helper, X_OK) == 0 &&
      access("/dev/net/tun", R_OK | W_OK) == 0) {
    char resolv[128];
    snprintf(resolv, sizeof resolv, "%s/resolv.conf", g_dir);
    if (ora_sysmode_ns_enter(resolv, "nameserver 192.0.2.53\n") != 0)
      return -1;
    g_netns = 1;
  }
  /* The pty scenarios' line: the line fixture with no faults, a fresh slirp each open.
   * ctest gives both paths; without them those scenarios fail (they cannot run). */
  const char *fixture = getenv("ORA_LINE_FIXTURE"), *slirp = getenv("ORA_SLIRP");
  if (!fixture || !slirp)
    return 0;
  char peer[256], pidf[128];
  snprintf(peer, sizeof peer, "exec '%s' -P", slirp);
  snprintf(pidf, sizeof pidf, "%s/line.pid", g_dir);
  char *fargv[] = {(char *)fixture, "--link", g_link, "--peer", peer, "--pidfile", pidf, NULL};
  g_fixture = start(fargv);
  for (int i = 0; i < 500 && access(pidf, F_OK); i++)
    ora_sleep_ms(10);
  /* slirp for the TCP and modem scenarios, one for each call */
  char wrapper[128];
  snprintf(wrapper, sizeof wrapper, "%s/slirp.sh", g_dir);
  f = fopen(wrapper, "w");
  if (!f)
    return -1;
  fprintf(f, "#!/bin/sh\ncd '%s' || exit 1\nexec '%s' -P\n", g_dir, slirp);
  fclose(f);
  chmod(wrapper, 0700);
  char listen[96], exec[192];
  snprintf(listen, sizeof listen, "TCP-LISTEN:%d,bind=127.0.0.1,reuseaddr,fork", port);
  snprintf(exec, sizeof exec, "EXEC:%s,pty,raw,echo=0", wrapper);
  char *targv[] = {"socat", listen, exec, NULL};
  g_tcp = start(targv);
  const char *modem = getenv("ORA_MODEM_FIXTURE");
  if (modem) {
    char mlink[128], mlog[128], mpid[128];
    snprintf(mlink, sizeof mlink, "%s/modem", g_dir);
    snprintf(mlog, sizeof mlog, "%s/modem.log", g_dir);
    snprintf(mpid, sizeof mpid, "%s/modem.pid", g_dir);
    char *margv[] = {(char *)modem, "--link",    mlink, "--slirp",    wrapper, "--log",
                     mlog,          "--pidfile", mpid,  "--guard-ms", "20",    NULL};
    g_modem = start(margv);
    for (int i = 0; i < 500 && access(mpid, F_OK); i++)
      ora_sleep_ms(10);
  }
  ora_sleep_ms(100); /* socat's listener */
  return 0;
}

static int teardown(void **state) {
  (void)state;
  pid_t helpers[] = {g_fixture, g_modem, g_tcp};
  for (size_t i = 0; i < sizeof helpers / sizeof helpers[0]; i++)
    if (helpers[i] > 0) {
      kill(helpers[i], SIGTERM);
      waitpid(helpers[i], NULL, 0);
    }
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
  return system(cmd) == 0 ? 0 : -1;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(pbk_allocations),   cmocka_unit_test(engine_allocations),
      cmocka_unit_test(pty_io_fails),      cmocka_unit_test(pty_allocations),
      cmocka_unit_test(tcp_io_fails),      cmocka_unit_test(tcp_allocations),
      cmocka_unit_test(modem_allocations), cmocka_unit_test(dataplane_allocations),
  };
  if (getenv("ORA_TEST_FILTER")) /* debugging: one scenario, say "modem_*" */
    cmocka_set_test_filter(getenv("ORA_TEST_FILTER"));
  return cmocka_run_group_tests(tests, setup, teardown);
}
