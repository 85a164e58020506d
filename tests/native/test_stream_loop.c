/* A stream's reader thread and the loop it posts to (os/stream.h, base/loop.h): the
 * engine may destroy its loop while a stream's reader is still reading (a link being
 * torn down when the engine goes). Found by the hostile-line soak: the reader posted
 * its last chunk into the freed loop. Now the stream holds the loop's memory, a post
 * to a destroyed loop fails, and chunks queued but not delivered are discarded; the
 * stream and the loop are both freed once the owner closes the stream. Run under ASan
 * and TSan by their presets. Also: the invariant checks of test builds fire, and writes
 * made on the loop thread are held until the loop waits. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <signal.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "openras/base/loop.h"
#include "openras/os.h"
#include "os/stream.h"

static atomic_int g_bytes;

static void rx(void *ctx, const uint8_t *buf, size_t len) {
  (void)ctx;
  (void)buf;
  atomic_fetch_add(&g_bytes, (int)len);
}

/* A pty whose slave is raw; the master, and the slave's name in name. */
static int pty(char *name, size_t cap) {
  int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  assert_true(m >= 0);
  assert_int_equal(grantpt(m), 0);
  assert_int_equal(unlockpt(m), 0);
  snprintf(name, cap, "%s", ptsname(m));
  int s = open(name, O_RDWR | O_NOCTTY);
  assert_true(s >= 0);
  struct termios t;
  assert_int_equal(tcgetattr(s, &t), 0);
  cfmakeraw(&t);
  assert_int_equal(tcsetattr(s, TCSANOW, &t), 0);
  close(s);
  return m;
}

/* A loop, and a stream on it reading a fresh pty; returns the pty's master. */
static int open_on_pty(ora_loop **l, ora_stream **st) {
  char name[64];
  int m = pty(name, sizeof name);
  assert_int_equal(ora_loop_create(l), 0);
  ora_loop_lock(*l);
  assert_int_equal(ora_stream_open(*l, name, rx, NULL, st), 0);
  ora_loop_unlock(*l);
  return m;
}

static int all_gone(uint32_t ms) {
  for (uint32_t i = 0; i < ms && ora_stream_count(); i++)
    ora_sleep_ms(1);
  return ora_stream_count() == 0;
}

/* The loop destroyed under an open stream; bytes that come after it reach nobody. */
static void loop_destroyed_under_stream(void **state) {
  (void)state;
  ora_loop *l;
  ora_stream *st;
  int m = open_on_pty(&l, &st);
  atomic_store(&g_bytes, 0);
  assert_int_equal(write(m, "abcd", 4), 4);
  for (int i = 0; i < 2000 && atomic_load(&g_bytes) < 4; i++)
    ora_sleep_ms(1);
  assert_int_equal(atomic_load(&g_bytes), 4); /* delivered while the loop lives */
  ora_loop_destroy(l);
  assert_int_equal(write(m, "efgh", 4), 4); /* the reader posts to a dead loop */
  ora_sleep_ms(50);
  assert_int_equal(atomic_load(&g_bytes), 4);
  ora_stream_close(st); /* the owner's reference: the stream and the loop go */
  close(m);
  assert_true(all_gone(2000));
}

/* The same as a race, many times: bytes pour in while the loop is destroyed and the
 * stream closed, so chunks are posted before, during and after the destruction, and
 * some sit queued when it comes (they are discarded). Nothing may leak or be touched
 * after it is freed (ASan), nor race (TSan). */
static void destroy_races_reader(void **state) {
  (void)state;
  static uint8_t junk[8192];
  for (int round = 0; round < 100; round++) {
    ora_loop *l;
    ora_stream *st;
    int m = open_on_pty(&l, &st);
    fcntl(m, F_SETFL, fcntl(m, F_GETFL) | O_NONBLOCK);
    for (int i = 0; i < 4; i++)
      (void)!write(m, junk, sizeof junk);
    if (round % 2) {
      ora_loop_destroy(l);
      (void)!write(m, junk, sizeof junk);
      ora_stream_close(st);
    } else {
      ora_loop_lock(l);
      ora_stream_close(st);
      ora_loop_unlock(l);
      ora_loop_destroy(l);
    }
    close(m);
  }
  assert_true(all_gone(5000));
}

static void nothing(void *arg) {
  (void)arg;
}

/* Writes made on the loop thread are held and go out in one write before the loop
 * waits (ora_loop_defer); a close sends what is still held. */
typedef struct held_case {
  ora_loop *l;
  ora_stream *st;
  int master;
  atomic_int seen_early; /* bytes on the pty while the callback still ran */
  atomic_int runs_a, runs_b, done;
  ora_loop_item a, b;
} held_case;

static void count_a(void *arg) {
  atomic_fetch_add(&((held_case *)arg)->runs_a, 1);
}
static void count_b(void *arg) {
  atomic_fetch_add(&((held_case *)arg)->runs_b, 1);
}

static void write_on_loop(void *arg) {
  held_case *h = arg;
  assert_int_equal(ora_stream_write(h->st, "ab", 2), 0);
  assert_int_equal(ora_stream_write(h->st, "cd", 2), 0);
  ora_sleep_ms(20);
  struct pollfd pf = {h->master, POLLIN, 0};
  atomic_store(&h->seen_early, poll(&pf, 1, 0));
  ora_loop_defer(h->l, &h->a, count_a, h);
  ora_loop_defer(h->l, &h->a, count_a, h); /* once only */
  ora_loop_defer(h->l, &h->b, count_b, h);
  ora_loop_undefer(h->l, &h->b); /* taken back: never runs */
  atomic_store(&h->done, 1);
}

static void write_then_close(void *arg) {
  held_case *h = arg;
  assert_int_equal(ora_stream_write(h->st, "ef", 2), 0);
  ora_stream_close(h->st);
  atomic_store(&h->done, 2);
}

static int read_for(int m, char *buf, int want, uint32_t ms) {
  int got = 0;
  uint64_t end = ora_now_ms() + ms;
  while (got < want && ora_now_ms() < end) {
    struct pollfd pf = {m, POLLIN, 0};
    if (poll(&pf, 1, 10) == 1) {
      ssize_t n = read(m, buf + got, (size_t)(want - got));
      if (n > 0)
        got += (int)n;
    }
  }
  return got;
}

static void loop_writes_held_until_wait(void **state) {
  (void)state;
  static held_case h;
  memset(&h, 0, sizeof h);
  h.master = open_on_pty(&h.l, &h.st);
  assert_int_equal(ora_loop_post(h.l, write_on_loop, NULL, &h), 0);
  char buf[8] = "";
  assert_int_equal(read_for(h.master, buf, 4, 2000), 4);
  assert_memory_equal(buf, "abcd", 4);
  assert_int_equal(atomic_load(&h.seen_early), 0); /* held while the callback ran */
  assert_int_equal(atomic_load(&h.done), 1);
  ora_sleep_ms(20);
  assert_int_equal(atomic_load(&h.runs_a), 1);
  assert_int_equal(atomic_load(&h.runs_b), 0);
  assert_int_equal(ora_loop_post(h.l, write_then_close, NULL, &h), 0);
  assert_int_equal(read_for(h.master, buf, 2, 2000), 2);
  assert_memory_equal(buf, "ef", 2);
  ora_loop_destroy(h.l);
  close(h.master);
  assert_true(all_gone(2000));
}

/* The invariant checks of the test builds (base/check.h) fire: a timer set without the
 * loop lock aborts the process that did it. */
static void unlocked_timer_aborts(void **state) {
  (void)state;
#ifndef ORA_CHECKS
  skip();
#else
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 2); /* the check's message is expected */
    ora_loop *l;
    if (ora_loop_create(&l) != 0)
      _exit(2);
    ora_loop_timer(l, 10, nothing, NULL); /* no lock */
    _exit(0);
  }
  int status = 0;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
#endif
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(unlocked_timer_aborts),
      cmocka_unit_test(loop_destroyed_under_stream),
      cmocka_unit_test(destroy_races_reader),
      cmocka_unit_test(loop_writes_held_until_wait),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
