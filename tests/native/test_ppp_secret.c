/* core/ppp/secret.c: a sealed password round-trips, is never stored as itself, two
 * seals of the same text differ, unsealing checks the room, and wiping leaves
 * nothing to unseal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "openras/engine.h"
#include "ppp/secret.h"

static int contains(const uint8_t *hay, size_t n, const char *needle) {
  size_t k = strlen(needle);
  for (size_t i = 0; k && i + k <= n; i++)
    if (memcmp(hay + i, needle, k) == 0)
      return 1;
  return 0;
}

static void round_trip(void **state) {
  (void)state;
  static const char *const secrets[] = {"",
                                        "a",
                                        "alicepw",
                                        "exactly sixteen!",
                                        "seventeen chars!!",
                                        "p\xc3\xa4ss w\xc3\xb6rd \xe2\x82\xac"};
  for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++) {
    ora_sealed s;
    assert_int_equal(ora_seal(&s, secrets[i]), 0);
    assert_non_null(s.data);
    assert_int_equal(s.len, strlen(secrets[i]));
    if (s.len >= 4)
      assert_false(contains(s.data, s.len, secrets[i]));
    char out[ORA_PASSWORD_BYTES];
    memset(out, 'x', sizeof out);
    assert_int_equal(ora_unseal(&s, out, sizeof out), 0);
    assert_string_equal(out, secrets[i]);
    /* unsealing twice gives the same text: the sealed copy is not consumed */
    assert_int_equal(ora_unseal(&s, out, sizeof out), 0);
    assert_string_equal(out, secrets[i]);
    ora_sealed_wipe(&s);
  }
}

static void long_secret(void **state) {
  (void)state;
  char big[ORA_PASSWORD_BYTES];
  memset(big, 'k', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  ora_sealed s;
  assert_int_equal(ora_seal(&s, big), 0);
  char out[ORA_PASSWORD_BYTES];
  assert_int_equal(ora_unseal(&s, out, sizeof out), 0);
  assert_string_equal(out, big);
  /* no room for the text and its NUL: refused, nothing half written is trusted */
  assert_int_equal(ora_unseal(&s, out, sizeof out - 1), -1);
  ora_sealed_wipe(&s);
}

static void keys_differ(void **state) {
  (void)state;
  ora_sealed a, b;
  assert_int_equal(ora_seal(&a, "same password here"), 0);
  assert_int_equal(ora_seal(&b, "same password here"), 0);
  assert_memory_not_equal(a.key, b.key, sizeof a.key);
  assert_memory_not_equal(a.data, b.data, a.len);
  ora_sealed_wipe(&a);
  ora_sealed_wipe(&b);
}

static void wiped_is_gone(void **state) {
  (void)state;
  ora_sealed s;
  assert_int_equal(ora_seal(&s, "alicepw"), 0);
  ora_sealed_wipe(&s);
  assert_null(s.data);
  uint8_t zero[sizeof s.key] = {0};
  assert_memory_equal(s.key, zero, sizeof s.key);
  char out[16];
  assert_int_equal(ora_unseal(&s, out, sizeof out), -1);
  ora_sealed_wipe(&s); /* twice is harmless */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(round_trip),
      cmocka_unit_test(long_secret),
      cmocka_unit_test(keys_differ),
      cmocka_unit_test(wiped_is_gone),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
