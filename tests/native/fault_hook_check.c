/* The fault sweep's own check (tests/native/faults.cmake): cases that mishandle a failed
 * allocation, which a sweep under ASan must report, and one that handles them all, which
 * it must pass. Built without test_alloc.h, so its allocations are the ones that fail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Leaks the first block when the second allocation fails, and still passes. */
static void leaks(void **state) {
  (void)state;
  char *a = malloc(16), *b = a ? malloc(16) : NULL;
  if (!a || !b)
    return;
  free(b);
  free(a);
}

/* Writes through the third allocation without checking it. */
static void crashes(void **state) {
  (void)state;
  char *a = malloc(16), *b = malloc(16), *c = malloc(16);
  if (a && b)
    ((volatile char *)c)[1] = 1;
  free(a);
  free(b);
  free(c);
}

/* Handles every failure. */
static void clean(void **state) {
  (void)state;
  volatile char *a = malloc(16), *b = malloc(16);
  if (a && b)
    a[0] = b[0] = 1;
  free((void *)a);
  free((void *)b);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(leaks), cmocka_unit_test(crashes),
                                     cmocka_unit_test(clean)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
