/* The handle table: generations make stale and forged handles invalid. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "engine/handles.h"

static void add_get_remove(void **state) {
  (void)state;
  ora_handles t;
  ora_handles_init(&t);
  int a, b;
  ora_handle ha = ora_handles_add(&t, &a), hb = ora_handles_add(&t, &b);
  assert_int_not_equal(ha, 0);
  assert_int_not_equal(hb, 0);
  assert_int_not_equal(ha, hb);
  assert_ptr_equal(ora_handles_get(&t, ha), &a);
  assert_ptr_equal(ora_handles_remove(&t, ha), &a);
  assert_null(ora_handles_get(&t, ha));
  assert_null(ora_handles_remove(&t, ha));
  assert_ptr_equal(ora_handles_get(&t, hb), &b);
  ora_handles_free(&t);
}

/* A freed slot is reused only after the other free slots, and its new handle never
 * equals the stale one. */
static void stale_never_matches(void **state) {
  (void)state;
  ora_handles t;
  ora_handles_init(&t);
  int obj;
  ora_handle first = ora_handles_add(&t, &obj);
  ora_handles_remove(&t, first);
  for (int i = 0; i < 70000; i++) {
    ora_handle h = ora_handles_add(&t, &obj);
    assert_int_not_equal(h, 0);
    if (h == first) {
      /* Only after the 16-bit generation wrapped on this slot. */
      assert_true(i >= 65534);
      ora_handles_remove(&t, h);
      break;
    }
    assert_null(ora_handles_get(&t, first));
    ora_handles_remove(&t, h);
  }
  ora_handles_free(&t);
}

static void forged_values(void **state) {
  (void)state;
  ora_handles t;
  ora_handles_init(&t);
  int obj;
  ora_handle h = ora_handles_add(&t, &obj);
  static const ora_handle forged[] = {0, 0xFFFF, 0xFFFFFFFFu, 0x10000, 0x20001, 2};
  for (size_t i = 0; i < sizeof forged / sizeof forged[0]; i++)
    if (forged[i] != h)
      assert_null(ora_handles_get(&t, forged[i]));
  assert_ptr_equal(ora_handles_get(&t, h), &obj);
  ora_handles_free(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(add_get_remove),
      cmocka_unit_test(stale_never_matches),
      cmocka_unit_test(forged_values),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
