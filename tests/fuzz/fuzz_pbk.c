/* Fuzz target: the rasphone.pbk parser and writer (core/pbk). Any input either is
 * refused cleanly or parses into a phone book that serializes back to the input
 * byte for byte; every query works on it; and after edits the image re-parses to
 * a phone book that serializes to the same bytes again. ora_pbk_extract, before and
 * after the edits, on the first, the last and an input-chosen entry: the copy holds
 * that entry only, answers every query of it exactly as the original does, serializes
 * to the entry's bytes, and is independent of the original (edits and frees); an
 * absent name or a NULL argument fails with the documented code and *out NULL. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "openras/pbk.h"

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

/* ---- ora_pbk_extract ---- */

enum { MAX_CMP_LINES = 256 }; /* lines compared per entry, as query_all */

static int streq(const char *a, const char *b) {
  return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

/* ASCII case folding only, as the phone book matches keys and names. */
static int ieq(const char *a, const char *b) {
  for (;; a++, b++) {
    unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
    if (x >= 'A' && x <= 'Z')
      x = (unsigned char)(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z')
      y = (unsigned char)(y - 'A' + 'a');
    if (x != y)
      return 0;
    if (!x)
      return 1;
  }
}

/* The key=value pairs one ora_pbk_foreach listed, in order. */
typedef struct {
  size_t n, checked;
  int mismatch;
  const char *key[MAX_CMP_LINES], *val[MAX_CMP_LINES];
} kv_list;

static int collect_kv(void *ctx, const char *key, const char *value) {
  kv_list *l = ctx;
  CHECK(key && value);
  if (l->n < MAX_CMP_LINES) {
    l->key[l->n] = key;
    l->val[l->n] = value;
  }
  l->n++;
  return 0;
}

/* Compares each listed pair with the one the original listed at the same place. */
static int compare_kv(void *ctx, const char *key, const char *value) {
  kv_list *l = ctx;
  CHECK(key && value);
  if (l->checked < l->n && l->checked < MAX_CMP_LINES &&
      !(strcmp(l->key[l->checked], key) == 0 && strcmp(l->val[l->checked], value) == 0))
    l->mismatch = 1;
  l->checked++;
  return 0;
}

/* Every query of entry name answers on copy exactly as on orig: the lines (kind, key,
 * value), and when full (the value lookups are quadratic in the entry's lines, so they
 * are done once per copy) get / get_int / get_bool of each key, get_nth of each
 * repeated key's every occurrence, and foreach. */
static void check_same_entry(const ora_pbk *orig, const ora_pbk *copy, const char *name, int full) {
  static const char *keys[MAX_CMP_LINES]; /* keys of the lines before, to count repeats */
  static kv_list l;                       /* large: not on the stack */
  int at = ora_pbk_find(orig, name);
  CHECK(at >= 0);
  CHECK(ora_pbk_count(copy) == 1);
  CHECK(ora_pbk_name(copy, 1) == NULL);
  CHECK(streq(ora_pbk_name(copy, 0), ora_pbk_name(orig, (size_t)at)));
  CHECK(ora_pbk_find(copy, name) == 0);
  size_t lines = ora_pbk_line_count(orig, name), nkeys = 0;
  CHECK(ora_pbk_line_count(copy, name) == lines);
  const char *k, *v, *ck, *cv;
  CHECK(ora_pbk_line(copy, name, lines, &ck, &cv) == -1);
  size_t cmp = lines < MAX_CMP_LINES ? lines : MAX_CMP_LINES;
  for (size_t j = 0; j < cmp; j++) {
    int kind = ora_pbk_line(orig, name, j, &k, &v);
    CHECK(kind >= 0 && ora_pbk_line(copy, name, j, &ck, &cv) == kind);
    CHECK(streq(k, ck) && streq(v, cv));
    if (kind != 1 || !full)
      continue;
    size_t nth = 0; /* this line is occurrence nth of its key */
    for (size_t e = 0; e < nkeys; e++)
      nth += ieq(keys[e], k);
    keys[nkeys++] = k;
    const char *got = ora_pbk_get_nth(copy, name, k, nth);
    CHECK(got != NULL && strcmp(got, v) == 0);
    CHECK(streq(ora_pbk_get_nth(orig, name, k, nth), got));
    if (nth == 0) {
      CHECK(streq(ora_pbk_get(orig, name, k), ora_pbk_get(copy, name, k)));
      CHECK(ora_pbk_get_int(orig, name, k, -7) == ora_pbk_get_int(copy, name, k, -7));
      CHECK(ora_pbk_get_bool(orig, name, k, -1) == ora_pbk_get_bool(copy, name, k, -1));
    }
  }
  CHECK(ora_pbk_get(copy, name, "\x01no such key") == NULL);
  if (full && lines < MAX_CMP_LINES) {
    /* one past the last occurrence of each key: absent on both */
    for (size_t e = 0; e < nkeys; e++) {
      size_t count = 0;
      for (size_t f = 0; f < nkeys; f++)
        count += ieq(keys[f], keys[e]);
      CHECK(ora_pbk_get_nth(copy, name, keys[e], count) == NULL);
    }
    memset(&l, 0, sizeof l);
    CHECK(ora_pbk_foreach(orig, name, "", collect_kv, &l) == 0);
    CHECK(l.n == nkeys);
    CHECK(ora_pbk_foreach(copy, name, "", compare_kv, &l) == 0);
    CHECK(l.checked == l.n && !l.mismatch);
    memset(&l, 0, sizeof l);
    CHECK(ora_pbk_foreach(orig, name, "ORA_", collect_kv, &l) == 0);
    CHECK(ora_pbk_foreach(copy, name, "ora_", compare_kv, &l) == 0);
    CHECK(l.checked == l.n && !l.mismatch);
  }
}

/* Whether hay[0..hl) holds needle[0..nl) (memmem is not C11). */
static int contains(const char *hay, size_t hl, const char *needle, size_t nl) {
  for (size_t i = 0; nl <= hl && i <= hl - nl; i++)
    if (memcmp(hay + i, needle, nl) == 0)
      return 1;
  return 0;
}

/* The image of a copy: serializing must succeed; *len excludes the NUL. */
static char *image(const ora_pbk *pb, size_t *len) {
  char *text = NULL;
  CHECK(ora_pbk_serialize(pb, &text, len) == 0);
  CHECK(text != NULL && text[*len] == 0);
  return text;
}

/* The copy's image is orig's BOM (if any) followed by bytes orig's image holds, and
 * it parses back to one entry with the same image. */
static void check_copy_image(const ora_pbk *orig, const char *b, size_t bl) {
  char *a = NULL;
  size_t al = 0;
  ora_pbk *again = NULL;
  CHECK(ora_pbk_parse(b, bl, &again) == 0);
  CHECK(ora_pbk_count(again) == 1);
  check_stable(again);
  ora_pbk_free(again);
  if (ora_pbk_serialize(orig, &a, &al) != 0)
    return; /* an edited original may be past the writer's limits; its entry is not */
  size_t skip = 0;
  if (al >= 3 && memcmp(a, "\xEF\xBB\xBF", 3) == 0) {
    CHECK(bl >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0);
    skip = 3;
  }
  CHECK(bl > skip); /* at least the header line */
  CHECK(contains(a + skip, al - skip, b + skip, bl - skip));
  free(a);
}

/* ASCII upper case of name into buf (matches name case-insensitively). */
static void upper(char *buf, size_t size, const char *name) {
  size_t i = 0;
  for (; name[i] && i + 1 < size; i++)
    buf[i] = (name[i] >= 'a' && name[i] <= 'z') ? (char)(name[i] - 'a' + 'A') : name[i];
  buf[i] = 0;
}

/* Extracts entry i's name (so the first entry of that name) and checks the copy. */
static void extract_one(const ora_pbk *pb, size_t i, int edit_copy) {
  static char name[ORA_PBK_MAX_LINE + 8], other[ORA_PBK_MAX_LINE + 8]; /* not on the stack */
  const char *n0 = ora_pbk_name(pb, i);
  CHECK(n0 != NULL);
  if (strlen(n0) >= sizeof name)
    return;
  strcpy(name, n0);
  ora_pbk *copy = (ora_pbk *)1;
  CHECK(ora_pbk_extract(pb, name, &copy) == 0);
  CHECK(copy != NULL && copy != (ora_pbk *)1);
  check_same_entry(pb, copy, name, 1);
  size_t cl = 0;
  char *cimg = image(copy, &cl);
  check_copy_image(pb, cimg, cl);

  /* the same entry under another case of its name: the same image */
  upper(other, sizeof other, name);
  ora_pbk *up = NULL;
  CHECK(ora_pbk_extract(pb, other, &up) == 0);
  size_t ul = 0;
  char *uimg = image(up, &ul);
  CHECK(ul == cl && memcmp(uimg, cimg, cl) == 0);
  free(uimg);
  ora_pbk_free(up);

  /* a copy of the copy, which outlives the copy it was made from */
  ora_pbk *again = NULL;
  CHECK(ora_pbk_extract(copy, name, &again) == 0);

  if (edit_copy) {
    /* edits of the copy leave the original alone */
    char *before = NULL, *after = NULL;
    size_t bl = 0, al = 0;
    int sb = ora_pbk_serialize(pb, &before, &bl);
    const char *v = ora_pbk_get(pb, name, "ORA_FuzzCopy");
    (void)ora_pbk_set(copy, name, "ORA_FuzzCopy", "copy");
    (void)ora_pbk_line_remove(copy, name, 0);
    (void)ora_pbk_rename(copy, name, "Fuzz Copy Renamed");
    CHECK(ora_pbk_get(pb, name, "ORA_FuzzCopy") == v);
    CHECK(ora_pbk_serialize(pb, &after, &al) == sb);
    CHECK(sb != 0 || (al == bl && memcmp(before, after, al) == 0));
    free(before);
    free(after);
    check_stable(copy);
  }
  ora_pbk_free(copy);
  check_same_entry(pb, again, name, 0);
  size_t al = 0;
  char *aimg = image(again, &al);
  CHECK(al == cl && memcmp(aimg, cimg, cl) == 0);
  free(aimg);
  free(cimg);
  ora_pbk_free(again);
}

/* Extraction of the first, the last and an input-chosen entry, then of absent names
 * and with NULL arguments. */
static void check_extract(const ora_pbk *pb, const uint8_t *data, size_t size) {
  size_t n = ora_pbk_count(pb);
  unsigned sel = size ? data[size / 2] : 0;
  if (n) {
    extract_one(pb, 0, sel & 1);
    if (n > 1)
      extract_one(pb, n - 1, sel & 2);
    if (sel % n != 0 && sel % n != n - 1)
      extract_one(pb, sel % n, 1);
  }

  /* absent names: 623 and *out NULL */
  char absent[64];
  ora_pbk *out = (ora_pbk *)1;
  for (unsigned k = 0;; k++) {
    snprintf(absent, sizeof absent, "Fuzz Absent %u", k);
    if (ora_pbk_find(pb, absent) < 0)
      break;
  }
  CHECK(ora_pbk_extract(pb, absent, &out) == ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
  CHECK(out == NULL);
  if (n) {
    /* a name one byte shorter than an existing one: absent unless another entry has it */
    const char *nm = ora_pbk_name(pb, sel % n);
    size_t len = strlen(nm);
    if (len > 0 && len < sizeof absent) {
      memcpy(absent, nm, len - 1);
      absent[len - 1] = 0;
      out = (ora_pbk *)1;
      int rc = ora_pbk_extract(pb, absent, &out);
      if (ora_pbk_find(pb, absent) < 0) {
        CHECK(rc == ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY && out == NULL);
      } else {
        CHECK(rc == 0 && out != NULL);
        check_same_entry(pb, out, absent, 1);
        ora_pbk_free(out);
      }
    }
  }

  /* NULL arguments */
  out = (ora_pbk *)1;
  CHECK(ora_pbk_extract(NULL, "x", &out) == ORA_ERROR_INVALID_PARAMETER && out == NULL);
  out = (ora_pbk *)1;
  CHECK(ora_pbk_extract(pb, NULL, &out) == ORA_ERROR_INVALID_PARAMETER && out == NULL);
  CHECK(ora_pbk_extract(pb, n ? ora_pbk_name(pb, 0) : "x", NULL) == ORA_ERROR_INVALID_PARAMETER);
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
  check_extract(pb, data, size);
  edit(pb, data, size);
  query_all(pb);
  check_extract(pb, data, size);
  ora_pbk_free(pb);
  return 0;
}
