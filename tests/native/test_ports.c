/* os/ports.h: the process's claimed serial ports. A port in use is 633 at once; a
 * port being let go of is waited for until its holder closes it, within a limit,
 * and the wait ends when the waiter is cancelled. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdatomic.h>

#include <cmocka.h>

#include "openras/rasdefs.h"
#include "openras/os.h"
#include "os/ports.h"

static int plain_wait(void *arg, uint32_t ms) {
  (void)arg;
  ora_sleep_ms(ms);
  return 0;
}

static int cancelled_wait(void *arg, uint32_t ms) {
  (void)ms;
  atomic_int *calls = arg;
  atomic_fetch_add(calls, 1);
  return 1;
}

static void in_use_is_633_at_once(void **state) {
  (void)state;
  atomic_int calls = 0;
  assert_int_equal(ora_port_claim("COM5", 0, plain_wait, NULL), 0);
  /* Not being released: no waiting at all, even with a long limit. */
  assert_int_equal(ora_port_claim("com5", 60000, cancelled_wait, &calls),
                   ORA_ERROR_PORT_NOT_AVAILABLE);
  assert_int_equal(atomic_load(&calls), 0);
  /* the device-namespace spelling is the same port */
  assert_int_equal(ora_port_claim("\\\\.\\com5", 0, plain_wait, NULL),
                   ORA_ERROR_PORT_NOT_AVAILABLE);
  assert_int_equal(ora_port_claim("COM6", 0, plain_wait, NULL), 0);
  assert_int_equal(ora_port_count(), 2);
  ora_port_release("COM5");
  ora_port_release("COM6");
  assert_int_equal(ora_port_count(), 0);
  ora_port_release("COM7"); /* not claimed: nothing happens */
  ora_port_releasing("COM7");
  assert_int_equal(ora_port_claim("COM5", 0, plain_wait, NULL), 0);
  ora_port_release("com5");
  assert_int_equal(ora_port_count(), 0);
}

static void releaser(void *arg) {
  atomic_int *released = arg;
  ora_sleep_ms(100);
  atomic_store(released, 1);
  ora_port_release("/dev/ttyS9");
}

static void releasing_is_waited_for(void **state) {
  (void)state;
  atomic_int released = 0;
  assert_int_equal(ora_port_claim("/dev/ttyS9", 0, plain_wait, NULL), 0);
  ora_port_releasing("/dev/ttyS9");
  ora_thread *t;
  assert_int_equal(ora_thread_start(&t, releaser, &released), 0);
  assert_int_equal(ora_port_claim("/dev/ttyS9", 60000, plain_wait, NULL), 0);
  assert_int_equal(atomic_load(&released), 1); /* claimed only after the holder let go */
  ora_thread_join(t);
  ora_port_release("/dev/ttyS9");
  assert_int_equal(ora_port_count(), 0);
}

static void wait_has_limits(void **state) {
  (void)state;
  atomic_int calls = 0;
  assert_int_equal(ora_port_claim("COM1", 0, plain_wait, NULL), 0);
  ora_port_releasing("COM1");
  /* Cancelled on the first wait. */
  assert_int_equal(ora_port_claim("COM1", 60000, cancelled_wait, &calls),
                   ORA_ERROR_PORT_NOT_AVAILABLE);
  assert_int_equal(atomic_load(&calls), 1);
  /* A holder that never lets go: the limit ends the wait. */
  assert_int_equal(ora_port_claim("COM1", 50, plain_wait, NULL), ORA_ERROR_PORT_NOT_AVAILABLE);
  ora_port_release("COM1");
  assert_int_equal(ora_port_count(), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(in_use_is_633_at_once),
      cmocka_unit_test(releasing_is_waited_for),
      cmocka_unit_test(wait_has_limits),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
