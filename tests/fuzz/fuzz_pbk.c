/* Fuzz target: the rasphone.pbk parser and writer (core/pbk). Any input either is
 * refused cleanly or parses into a phone book that serializes back to the input
 * byte for byte; every query works on it; and after edits the image re-parses to
 * a phone book that serializes to the same bytes again. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pbk/pbk.h"

#define CHECK(c)                                                                                   \
  do {                                                                                             \
    if (!(c)) {                                                                                    \
      fprintf(stderr, "fuzz_pbk: check failed at line %d: %s\n", __LINE__, #c);                    \
      abort();                                                                                     \
    }                                                                                              \
  } while (0)

/* Serializes pb, re-parses the image and serializes that: both images must match. */
static void check_stable(const ora_pbk *pb) {
  char *a = NULL, *b = NULL;
  size_t al = 0, bl = 0;
  if (ora_pbk_serialize(pb, &a, &al) != 0)
    return; /* the writer may refuse an image past the limits */
  CHECK(a[al] == 0);
  ora_pbk *again = NULL;
  CHECK(ora_pbk_parse(a, al, &again) == 0);
  CHECK(ora_pbk_count(again) == ora_pbk_count(pb));
  CHECK(ora_pbk_serialize(again, &b, &bl) == 0);
  CHECK(al == bl && memcmp(a, b, al) == 0);
  ora_pbk_free(again);
  free(a);
  free(b);
}

static int count_keys(void *ctx, const char *key, const char *value) {
  CHECK(key && value);
  (*(size_t *)ctx)++;
  return 0;
}

static void query_all(const ora_pbk *pb) {
  size_t n = ora_pbk_count(pb);
  CHECK(ora_pbk_name(pb, n) == NULL);
  for (size_t i = 0; i < n && i < 64; i++) {
    const char *name = ora_pbk_name(pb, i);
    CHECK(name != NULL);
    int at = ora_pbk_find(pb, name);
    CHECK(at >= 0 && (size_t)at <= i); /* the first entry of that name */
    size_t lines = ora_pbk_line_count(pb, name), kv = 0, listed = 0;
    for (size_t j = 0; j < lines && j < 256; j++) {
      const char *k, *v;
      int kind = ora_pbk_line(pb, name, j, &k, &v);
      CHECK(kind >= 0 && kind <= 2);
      CHECK((kind == 1) == (k != NULL) && (kind == 1) == (v != NULL));
      if (kind == 1) {
        kv++;
        const char *got = ora_pbk_get(pb, name, k);
        CHECK(got != NULL); /* the first occurrence of that key, maybe another line */
        (void)ora_pbk_get_int(pb, name, k, -1);
        (void)ora_pbk_get_bool(pb, name, k, -1);
        (void)ora_pbk_get_nth(pb, name, k, 1);
      }
    }
    const char *k, *v;
    CHECK(ora_pbk_line(pb, name, lines, &k, &v) == -1);
    if (at == (int)i && lines < 256) {
      CHECK(ora_pbk_foreach(pb, name, "", count_keys, &listed) == 0);
      CHECK(listed == kv);
    }
  }
  CHECK(ora_pbk_get(pb, "\x01no such entry", "Key") == NULL);
}

/* A few edits chosen from the input's bytes; each must leave a stable image. */
static void edit(ora_pbk *pb, const uint8_t *data, size_t size) {
  unsigned sel = size ? data[size - 1] : 0;
  size_t n = ora_pbk_count(pb);
  char name[ORA_PBK_MAX_NAME + 8];
  if (n) {
    snprintf(name, sizeof name, "%s", ora_pbk_name(pb, sel % n));
    if (ora_pbk_set(pb, name, "ORA_Fuzz", " v1 ") == 0) {
      const char *v = ora_pbk_get(pb, name, "ora_fuzz");
      CHECK(v && strcmp(v, "v1") == 0);
    }
    check_stable(pb);
    size_t lines = ora_pbk_line_count(pb, name);
    if (ora_pbk_line_insert(pb, name, sel % (lines + 1), "PhoneNumber", "555") == 0)
      CHECK(ora_pbk_line_count(pb, name) == lines + 1);
    (void)ora_pbk_line_set(pb, name, sel % (lines + 1), "x=y");
    check_stable(pb);
    if (sel & 1)
      (void)ora_pbk_line_remove(pb, name, 0);
    (void)ora_pbk_remove_key(pb, name, "DEVICE");
    check_stable(pb);
    if (sel & 2) {
      int rc = ora_pbk_rename(pb, name, "Fuzz Renamed");
      CHECK(rc == 0 || rc == ORA_PBK_ERROR_ALREADY_EXISTS || rc == ORA_ERROR_INVALID_PARAMETER);
      if (rc == 0)
        snprintf(name, sizeof name, "Fuzz Renamed");
    }
    if (sel & 4) {
      CHECK(ora_pbk_remove(pb, name) == 0);
      CHECK(ora_pbk_count(pb) == n - 1);
    }
    check_stable(pb);
  }
  int rc = ora_pbk_add(pb, "Fuzz Added");
  CHECK(rc == 0 || rc == ORA_PBK_ERROR_ALREADY_EXISTS);
  if (rc == 0)
    CHECK(ora_pbk_set(pb, "Fuzz Added", "Device", "sim") == 0);
  check_stable(pb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ora_pbk *pb = (ora_pbk *)1;
  int rc = ora_pbk_parse((const char *)data, size, &pb);
  if (rc != 0) {
    CHECK(pb == NULL);
    CHECK(rc == ORA_ERROR_CANNOT_LOAD_PHONEBOOK || rc == ORA_ERROR_NOT_ENOUGH_MEMORY);
    return 0;
  }
  char *text = NULL;
  size_t len = 0;
  CHECK(ora_pbk_serialize(pb, &text, &len) == 0);
  CHECK(len == size && memcmp(text, data, size) == 0); /* byte-exact round trip */
  free(text);
  check_stable(pb);
  query_all(pb);
  edit(pb, data, size);
  query_all(pb);
  ora_pbk_free(pb);
  return 0;
}
