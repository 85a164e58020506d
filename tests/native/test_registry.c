/* The id-keyed registry (core/base/registry.h): add, find, drop in any order,
 * growth past its first allocation, and an emptied registry keeps no memory; and
 * ora_grow (core/base/grow.h), which it and the other growing arrays use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "openras/base/grow.h"
#include "openras/base/registry.h"

typedef struct rec {
  uint64_t key;
  int value;
  char pad[13]; /* an odd record size */
} rec;

static void add_find_drop(void **state) {
  (void)state;
  ora_registry r = ORA_REGISTRY_INIT(sizeof(rec));
  for (int i = 1; i <= 100; i++) {
    rec *x = ora_registry_add(&r, (uint64_t)i * 1000003u);
    assert_non_null(x);
    assert_int_equal(x->key, (uint64_t)i * 1000003u);
    assert_int_equal(x->value, 0); /* zeroed */
    x->value = i;
  }
  assert_int_equal(r.n, 100);
  for (int i = 1; i <= 100; i++) {
    rec *x = ora_registry_find(&r, (uint64_t)i * 1000003u);
    assert_non_null(x);
    assert_int_equal(x->value, i);
  }
  assert_null(ora_registry_find(&r, 7));
  /* Drop every third, then check that the others are all there, once. */
  for (int i = 3; i <= 100; i += 3)
    assert_true(ora_registry_drop(&r, (uint64_t)i * 1000003u));
  assert_false(ora_registry_drop(&r, 3u * 1000003u));
  int seen[101] = {0};
  for (size_t i = 0; i < r.n; i++) {
    const rec *x = ora_registry_at(&r, i);
    assert_int_equal(x->key, (uint64_t)x->value * 1000003u);
    seen[x->value]++;
  }
  for (int i = 1; i <= 100; i++)
    assert_int_equal(seen[i], i % 3 ? 1 : 0);
  /* Drop the rest by position: the registry then holds no memory. */
  while (r.n)
    ora_registry_drop_at(&r, r.n / 2);
  assert_null(r.items);
  assert_int_equal(r.cap, 0);
  assert_non_null(ora_registry_add(&r, 42)); /* usable again */
  ora_registry_clear(&r);
  assert_int_equal(r.n, 0);
}

/* ora_grow: room for what is asked, doubling from the first size, the array unchanged
 * when it already fits, and a size that overflows refused with the array kept. */
static void grow(void **state) {
  (void)state;
  size_t cap = 0;
  int *a = ora_grow(NULL, &cap, 1, sizeof *a, 4);
  assert_non_null(a);
  assert_int_equal(cap, 4);
  assert_ptr_equal(ora_grow(a, &cap, 4, sizeof *a, 4), a);
  assert_int_equal(cap, 4);
  for (int i = 0; i < 4; i++)
    a[i] = i;
  a = ora_grow(a, &cap, 9, sizeof *a, 4);
  assert_non_null(a);
  assert_int_equal(cap, 16);
  for (int i = 0; i < 4; i++)
    assert_int_equal(a[i], i); /* kept */
  assert_null(ora_grow(a, &cap, SIZE_MAX / 2, sizeof *a, 4));
  assert_int_equal(cap, 16);
  a[15] = 15; /* still ours */
  free(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(add_find_drop), cmocka_unit_test(grow)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
