/* Several processes changing one phone book at once through ora_pbk_update (the
 * POSIX lock and atomic replace), while others load it: no update is lost and no
 * load ever sees a half-written file. The Windows side of the same promise is
 * tests/pe/test_pbk_concurrent.c. */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fork */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "openras/pbk.h"

#define WRITERS 4
#define PER_WRITER 50
#define READS 300

typedef struct add_ctx {
  const char *name, *number;
} add_ctx;

static int add_fn(ora_pbk *pb, void *ctx) {
  const add_ctx *a = ctx;
  int rc = ora_pbk_add(pb, a->name);
  return rc ? rc : ora_pbk_set(pb, a->name, "PhoneNumber", a->number);
}

/* A read-modify-write of one shared value: a lost update shows as a lower total. */
static int bump_fn(ora_pbk *pb, void *ctx) {
  (void)ctx;
  const char *v = ora_pbk_get(pb, "Counter", "PhoneNumber");
  char next[32];
  snprintf(next, sizeof next, "%ld", (v ? strtol(v, NULL, 10) : 0) + 1);
  return ora_pbk_set(pb, "Counter", "PhoneNumber", next);
}

static int writer(const char *path, int k) {
  int failures = 0;
  for (int i = 0; i < PER_WRITER; i++) {
    char name[32], number[32];
    snprintf(name, sizeof name, "W%d-%d", k, i);
    snprintf(number, sizeof number, "555-%d-%d", k, i);
    add_ctx a = {name, number};
    failures += ora_pbk_update(path, add_fn, &a) != 0;
    failures += ora_pbk_update(path, bump_fn, NULL) != 0;
  }
  return failures;
}

static int reader(const char *path) {
  int failures = 0;
  for (int i = 0; i < READS; i++) {
    ora_pbk *pb = NULL;
    if (ora_pbk_load(path, 0, &pb) != 0 || ora_pbk_find(pb, "Keep") < 0 ||
        ora_pbk_find(pb, "Counter") < 0)
      failures++;
    ora_pbk_free(pb);
  }
  return failures;
}

static void writers_and_readers(void **state) {
  (void)state;
  char path[] = "/tmp/openras-pbk-concurrent-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  static const char seed[] = "; a comment\n[Keep]\nPhoneNumber=1\nFutureKey=x\n\n"
                             "[Counter]\nPhoneNumber=0\n";
  assert_int_equal(write(fd, seed, sizeof seed - 1), (ssize_t)(sizeof seed - 1));
  close(fd);

  int pipefd[2];
  assert_int_equal(pipe(pipefd), 0);
  pid_t kids[WRITERS + 2];
  for (int k = 0; k < WRITERS + 2; k++) {
    kids[k] = fork();
    assert_true(kids[k] >= 0);
    if (kids[k] == 0) {
      char go;
      close(pipefd[1]);
      if (read(pipefd[0], &go, 1) != 0) /* released together when the pipe closes */
        _exit(100);
      _exit(k < WRITERS ? writer(path, k) : reader(path));
    }
  }
  close(pipefd[0]);
  close(pipefd[1]);
  for (int k = 0; k < WRITERS + 2; k++) {
    int status = 0;
    assert_int_equal(waitpid(kids[k], &status, 0), kids[k]);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
  }

  ora_pbk *pb = NULL;
  assert_int_equal(ora_pbk_load(path, 0, &pb), 0);
  for (int k = 0; k < WRITERS; k++)
    for (int i = 0; i < PER_WRITER; i++) {
      char name[32], number[32];
      snprintf(name, sizeof name, "W%d-%d", k, i);
      snprintf(number, sizeof number, "555-%d-%d", k, i);
      const char *got = ora_pbk_get(pb, name, "PhoneNumber");
      if (!got)
        fail_msg("lost update: %s", name);
      assert_string_equal(got, number);
    }
  char total[32];
  snprintf(total, sizeof total, "%d", WRITERS * PER_WRITER);
  assert_string_equal(ora_pbk_get(pb, "Counter", "PhoneNumber"), total);
  assert_string_equal(ora_pbk_get(pb, "Keep", "FutureKey"), "x");
  ora_pbk_free(pb);

  char *text;
  size_t len;
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  text = calloc(1, 1 << 16);
  len = fread(text, 1, (1 << 16) - 1, f);
  fclose(f);
  assert_true(len > 0);
  assert_non_null(strstr(text, "; a comment"));
  free(text);
  unlink(path);
  char lock[sizeof path + 8];
  snprintf(lock, sizeof lock, "%s.lock", path);
  unlink(lock);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(writers_and_readers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
