/* The fault hook of the native test programs (issue 17, SQLite style). Every native test
 * but test_alloc_faults (which has hooks of its own) is linked with malloc, calloc,
 * realloc, read, write and send wrapped (-Wl,--wrap), so the core's calls go through here
 * (the test's own bypass it: test_alloc.h). Unarmed, it only counts.
 *
 *   ORA_FAULT_CASE=NAME   only the test case NAME runs (cmocka's filter)
 *   ORA_FAULT_SWEEP=1     the program does not run its tests itself: it forks one child
 *                         per N = 1, 2, ... in which the Nth allocation fails, until a
 *                         child no longer reaches N; then the same with the Nth read or
 *                         write of a terminal or socket (EIO on a terminal, ECONNRESET
 *                         on a socket; files and pipes are left alone)
 *                         (tests/native/fault_suite.sh)
 *   ORA_FAULT_MAX_RUNS=K  at most K runs of a case (default 400)
 *   ORA_FAULT_BUDGET_MS=B and at most about B ms of them (default 15000), judged by the
 *                         time of the case run once without a failure
 * A case with more allocations than its runs is sampled: every N up to half the runs,
 * the other half spread evenly over the rest; the summary line says which.
 *
 * A child fails the sweep when it dies of a signal (a crash, or SIGALRM after 60 s: a
 * hang), when a sanitizer ends it for a memory error, or when it leaks although every
 * test case in it passed (LeakSanitizer, asked at exit; run with ASAN_OPTIONS
 * leak_check_at_exit=0): a case that failed an assertion after its allocation failed
 * stopped half-way, and what it holds is the test's, not a leak of the code under test.
 * A child that no longer reaches N must pass. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fault_wraps.h"

void cmocka_set_test_filter(const char *pattern); /* cmocka.h needs its own includes */
/* LeakSanitizer's check on demand, in sanitizer builds only */
extern int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

#define CHILD_TIMEOUT_S 60

enum { KIND_ALLOC, KIND_IO };
static const char *const g_kind_name[] = {"allocation", "stream I/O call"};
static int g_kind;          /* what is counted and failed */
static atomic_long g_calls; /* of that kind */
/* Whether the Nth call came: shared with the processes a test forks, for theirs count
 * too (each goes on counting from where it was forked). */
static atomic_int g_hit_local, *g_hit = &g_hit_local;
static long g_fail_at; /* 0: unarmed; set before any thread exists */
static int g_report_fd = -1;
static pid_t g_report_pid; /* the child that reports: not the processes its test forks */

/* One more call of the swept kind: 1 when it is the Nth, which fails. */
static int nth_call(void) {
  long n = atomic_fetch_add(&g_calls, 1) + 1;
  if (!g_fail_at || n != g_fail_at)
    return 0;
  atomic_store(g_hit, 1);
  return 1;
}

static int fault_alloc_now(void) {
  return g_kind == KIND_ALLOC && nth_call();
}

static int fault_io_now(int fd) {
  if (g_kind != KIND_IO)
    return 0;
  int e = fault_stream_errno(fd);
  return e && nth_call() ? e : 0;
}

/* In a child, at exit: whether N was reached, how many calls were made, and the
 * status main returned (cmocka's count of failed cases), before LeakSanitizer may
 * replace it. */
static void child_report(int status, void *arg) {
  (void)arg;
  if (getpid() != g_report_pid)
    return;
  /* Only a case that passed must have freed everything (see above); the check is made
   * here, where the status is known, and only then, for it costs a scan of memory. */
  int leaked =
      status == 0 && __lsan_do_recoverable_leak_check && __lsan_do_recoverable_leak_check() != 0;
  char line[96];
  int n = snprintf(line, sizeof line, "%d %ld %d %d\n", atomic_load(g_hit), atomic_load(&g_calls),
                   status, leaked);
  if (n > 0 && __real_write(g_report_fd, line, (size_t)n) < 0) {
    /* the parent sees no report and says so */
  }
  close(g_report_fd);
}

typedef struct outcome {
  int reported, hit, status, leaked, exit_code, signal;
  long calls;
} outcome;

/* One child with the Nth call of the swept kind failing (0: none). Returns in the child
 * (which goes on to run the tests) with 1, in the parent with 0 and the outcome filled. */
static int run_child(long n, int quiet, outcome *o) {
  memset(o, 0, sizeof *o);
  int p[2];
  if (pipe(p) != 0) {
    perror("fault sweep: pipe");
    _exit(2);
  }
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    perror("fault sweep: fork");
    _exit(2);
  }
  if (pid == 0) {
    close(p[0]);
    g_report_fd = p[1];
    g_report_pid = getpid();
    void *shared =
        mmap(NULL, sizeof *g_hit, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared != MAP_FAILED)
      g_hit = shared;
    atomic_store(g_hit, 0);
    g_fail_at = n;
    atomic_store(&g_calls, 0);
    if (quiet) {
      FILE *f1 = freopen("/dev/null", "w", stdout), *f2 = freopen("/dev/null", "w", stderr);
      (void)f1, (void)f2;
    }
    on_exit(child_report, NULL);
    alarm(CHILD_TIMEOUT_S);
    return 1;
  }
  close(p[1]);
  /* Wait for the child first, then take its report: a process its test forked and left
   * behind may hold the pipe open, so its end is no sign the child is done. */
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  fcntl(p[0], F_SETFL, O_NONBLOCK);
  char buf[96];
  size_t got = 0;
  for (ssize_t r;
       got < sizeof buf - 1 && (r = __real_read(p[0], buf + got, sizeof buf - 1 - got)) != 0;)
    if (r > 0)
      got += (size_t)r;
    else if (errno != EINTR)
      break;
  buf[got] = 0;
  close(p[0]);
  o->reported = sscanf(buf, "%d %ld %d %d", &o->hit, &o->calls, &o->status, &o->leaked) == 4;
  if (WIFSIGNALED(st))
    o->signal = WTERMSIG(st);
  else
    o->exit_code = WEXITSTATUS(st);
  return 0;
}

/* Why a child's run fails the sweep, or NULL. A sanitizer that finds an error ends the
 * process at once, before the report. */
static const char *verdict(const outcome *o) {
  if (o->signal == SIGALRM)
    return "hung";
  if (o->signal)
    return "crashed";
  if (!o->reported)
    return "memory error (or an exit before the report)";
  if (o->leaked)
    return "leaked";
  if (!o->hit && o->exit_code != 0)
    return "failed without an allocation failure";
  return NULL;
}

static long env_long(const char *name, long dflt) {
  const char *v = getenv(name);
  return v && *v ? atol(v) : dflt;
}

static double now_ms(void) {
  struct timeval tv;
  gettimeofday(&tv, NULL);
  return tv.tv_sec * 1e3 + tv.tv_usec / 1e3;
}

/* The sweep of one kind of call; returns in a child (1), or with the number of failed
 * runs (0 or more) in the parent. */
static int sweep_kind(int kind, const char *name, long *failures) {
  const char *what = g_kind_name[kind];
  g_kind = kind;
  outcome o;
  double t0 = now_ms();
  if (run_child(0, 1, &o))
    return 1; /* the child: run the tests */
  double once = now_ms() - t0;
  long max_runs = env_long("ORA_FAULT_MAX_RUNS", 400);
  long by_time = (long)((double)env_long("ORA_FAULT_BUDGET_MS", 15000) / (once > 1 ? once : 1));
  if (by_time < max_runs)
    max_runs = by_time;
  if (max_runs < 20)
    max_runs = 20;
  const char *why = verdict(&o);
  if (why || o.exit_code != 0) {
    fprintf(stderr, "fault sweep: %s: fails with no failure injected (%s)\n", name,
            why ? why : "a case failed");
    *failures = 1;
    return 0;
  }
  long total = o.calls, runs = 0, last = 0;
  *failures = 0;
  int sampled = total > max_runs;
  long every = sampled ? max_runs / 2 : total;
  long step = sampled ? (total - every) / (max_runs - every) + 1 : 1;
  for (long n = 1;; n += n < every ? 1 : step) {
    if (n > total + 64)
      break; /* a count that grew from run to run: enough */
    if (run_child(n, 1, &o))
      return 1;
    runs++;
    last = n;
    why = verdict(&o);
    if (why) {
      ++*failures;
      fprintf(stderr, "fault sweep: %s: %s %ld: %s (signal %d, exit %d)\n", name, what, n, why,
              o.signal, o.exit_code);
      if (*failures == 1 && run_child(n, 0, &o)) /* once more, with its output */
        return 1;
      if (*failures >= 5)
        break;
      continue;
    }
    if (!o.hit && n > total)
      break; /* past the last call: the case ran to its end */
  }
  printf("fault sweep: %s: %ld %ss, %ld runs (%s, up to %ld), %ld failed\n", name, total, what,
         runs, sampled ? "sampled" : "every one", last, *failures);
  fflush(stdout);
  return 0;
}

static void sweep(void) {
  const char *c = getenv("ORA_FAULT_CASE");
  const char *name = c && *c ? c : "(all cases)";
  long failed = 0;
  for (int kind = KIND_ALLOC; kind <= KIND_IO; kind++) {
    long f = 0;
    if (sweep_kind(kind, name, &f))
      return; /* a child */
    failed += f;
  }
  _exit(failed ? 1 : 0);
}

__attribute__((constructor)) static void fault_start(void) {
  const char *c = getenv("ORA_FAULT_CASE");
  if (c && *c)
    cmocka_set_test_filter(c);
  const char *s = getenv("ORA_FAULT_SWEEP");
  if (s && *s == '1')
    sweep();
}
