/* Phone book module, line access within one entry (ora_pbk_line*): what the DLL's
 * RasSetEntryProperties uses to edit MEDIA=/DEVICE= blocks and alternate numbers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "openras/pbk.h"

static ora_pbk *parse_ok(const char *text) {
  ora_pbk *pb = NULL;
  assert_int_equal(ora_pbk_parse(text, strlen(text), &pb), 0);
  return pb;
}

static void assert_text(const ora_pbk *pb, const char *want) {
  char *text = NULL;
  size_t len = 0;
  assert_int_equal(ora_pbk_serialize(pb, &text, &len), 0);
  assert_int_equal(len, strlen(want));
  assert_memory_equal(text, want, len);
  free(text);
}

static void reads_lines(void **state) {
  (void)state;
  ora_pbk *pb = parse_ok("[A]\r\nKey = v \r\n; note\r\n\r\nMEDIA=serial\r\njunk\r\n[B]\r\n");
  const char *k, *v;
  assert_int_equal(ora_pbk_line_count(pb, "a"), 5);
  assert_int_equal(ora_pbk_line(pb, "A", 0, &k, &v), 1);
  assert_string_equal(k, "Key");
  assert_string_equal(v, "v");
  assert_int_equal(ora_pbk_line(pb, "A", 1, &k, &v), 2); /* comment */
  assert_null(k);
  assert_int_equal(ora_pbk_line(pb, "A", 2, &k, &v), 0); /* blank */
  assert_int_equal(ora_pbk_line(pb, "A", 4, &k, &v), 2); /* text without '=' */
  assert_int_equal(ora_pbk_line(pb, "A", 5, &k, &v), -1);
  assert_int_equal(ora_pbk_line(pb, "Z", 0, &k, &v), -1);
  assert_int_equal(ora_pbk_line_count(pb, "B"), 0);
  assert_int_equal(ora_pbk_line_count(pb, "Z"), 0);
  ora_pbk_free(pb);
}

static void edits_lines(void **state) {
  (void)state;
  ora_pbk *pb = parse_ok("[A]\r\n  Port =COM1\r\n\r\n[B]\r\nX=1");
  assert_int_equal(ora_pbk_line_set(pb, "A", 0, "COM2"), 0);
  assert_int_equal(ora_pbk_line_set(pb, "A", 1, "x"), ORA_ERROR_INVALID_PARAMETER); /* blank */
  assert_int_equal(ora_pbk_line_set(pb, "A", 0, "bad\nvalue"), ORA_ERROR_INVALID_PARAMETER);
  assert_int_equal(ora_pbk_line_insert(pb, "A", 1, "Device", "Modem"), 0);
  assert_int_equal(ora_pbk_line_insert(pb, "A", 0, NULL, NULL), 0);
  assert_int_equal(ora_pbk_line_insert(pb, "A", 0, "bad=key", "v"), ORA_ERROR_INVALID_PARAMETER);
  assert_int_equal(ora_pbk_line_insert(pb, "A", 9, "K", "v"), ORA_ERROR_INVALID_PARAMETER);
  assert_text(pb, "[A]\r\n\r\n  Port =COM2\r\nDevice=Modem\r\n\r\n[B]\r\nX=1");
  assert_int_equal(ora_pbk_line_remove(pb, "A", 0), 0);
  assert_int_equal(ora_pbk_line_remove(pb, "A", 7), ORA_ERROR_INVALID_PARAMETER);
  /* Appending to the last entry, whose last line has no line end: it gets one. */
  assert_int_equal(ora_pbk_line_insert(pb, "B", 1, "Y", "2"), 0);
  assert_text(pb, "[A]\r\n  Port =COM2\r\nDevice=Modem\r\n\r\n[B]\r\nX=1\r\nY=2\r\n");
  assert_int_equal(ora_pbk_line_set(pb, "Z", 0, "v"), ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
  assert_int_equal(ora_pbk_line_insert(pb, "Z", 0, "K", "v"),
                   ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
  assert_int_equal(ora_pbk_line_remove(pb, "Z", 0), ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
  /* A parse of the result gives the same lines back. */
  char *text;
  size_t len;
  assert_int_equal(ora_pbk_serialize(pb, &text, &len), 0);
  ora_pbk *again = parse_ok(text);
  assert_int_equal(ora_pbk_line_count(again, "B"), 2);
  free(text);
  ora_pbk_free(again);
  ora_pbk_free(pb);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(reads_lines), cmocka_unit_test(edits_lines)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
