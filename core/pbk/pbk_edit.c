/* Phone book queries and edits: entries and their key=value lines. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pbk/pbk_internal.h"
#include "openras/base/grow.h"

static pbk_section *find_section(const ora_pbk *pb, const char *name) {
  int i = ora_pbk_find(pb, name);
  return i < 0 ? NULL : &pb->sec[i];
}

/* The last line of the file, or NULL if it has none. */
static pbk_line *last_line(ora_pbk *pb) {
  pbk_section *s = pb->nsec ? &pb->sec[pb->nsec - 1] : &pb->pre;
  if (s->n)
    return &s->body[s->n - 1];
  return s->head.raw ? &s->head : NULL;
}

/* A line about to stop being the last one needs a line end of its own. */
static void terminate(ora_pbk *pb, pbk_line *l) {
  if (l && l->eol == PBK_EOL_NONE)
    l->eol = pb->eol;
}

static int reserve(pbk_section *s, size_t extra) {
  if (extra > SIZE_MAX - s->n)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  pbk_line *b = ora_grow(s->body, &s->cap, s->n + extra, sizeof *b, 8);
  if (!b)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  s->body = b;
  return 0;
}

/* Names that write as "[name]" and read back unchanged. */
static int valid_name(const char *name) {
  size_t n = 0;
  if (!name || !*name)
    return 0;
  for (; name[n]; n++) {
    unsigned char c = (unsigned char)name[n];
    if (c < 0x20 || c == 0x7F || n >= ORA_PBK_MAX_NAME)
      return 0;
  }
  return 1;
}

static int make_header(pbk_line *out, const char *name, unsigned char eol) {
  size_t n = strlen(name);
  char *raw = malloc(n + 2);
  if (!raw)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  raw[0] = '[';
  memcpy(raw + 1, name, n);
  raw[n + 1] = ']';
  int rc = pbk_line_make(out, raw, n + 2, eol);
  free(raw);
  return rc;
}

size_t ora_pbk_count(const ora_pbk *pb) {
  return pb ? pb->nsec : 0;
}

const char *ora_pbk_name(const ora_pbk *pb, size_t i) {
  return pb && i < pb->nsec ? pb->sec[i].head.key : NULL;
}

int ora_pbk_find(const ora_pbk *pb, const char *name) {
  if (!pb || !name)
    return -1;
  for (size_t i = 0; i < pb->nsec; i++)
    if (ora_ieq(pb->sec[i].head.key, name))
      return (int)i; /* nsec <= ORA_PBK_MAX_LINES fits an int */
  return -1;
}

int ora_pbk_add(ora_pbk *pb, const char *name) {
  pbk_line head, blank, sep;
  pbk_line *last;
  pbk_section *lastsec;
  int need_sep, rc;

  if (!pb || !valid_name(name))
    return ORA_ERROR_INVALID_PARAMETER;
  if (ora_pbk_find(pb, name) >= 0)
    return ORA_PBK_ERROR_ALREADY_EXISTS;
  last = last_line(pb);
  lastsec = pb->nsec ? &pb->sec[pb->nsec - 1] : &pb->pre;
  need_sep = last && last->kind != PBK_BLANK;
  if (pb->nlines + 3 > ORA_PBK_MAX_LINES)
    return ORA_ERROR_CANNOT_WRITE_PHONEBOOK;

  /* Allocate everything first so that a failure leaves pb unchanged. */
  if ((rc = reserve(lastsec, 1)) != 0)
    return rc;
  if ((rc = make_header(&head, name, pb->eol)) != 0)
    return rc;
  if ((rc = pbk_line_make(&blank, "", 0, pb->eol)) != 0)
    goto fail_head;
  if (need_sep && (rc = pbk_line_make(&sep, "", 0, pb->eol)) != 0)
    goto fail_blank;
  pbk_section news = {head, malloc(8 * sizeof(pbk_line)), 0, 8};
  if (!news.body) {
    rc = ORA_ERROR_NOT_ENOUGH_MEMORY;
    goto fail_sep;
  }
  news.body[news.n++] = blank;
  if (pb->nsec == pb->seccap) {
    pbk_section *s = ora_grow(pb->sec, &pb->seccap, pb->nsec + 1, sizeof *s, 8);
    if (!s) {
      free(news.body);
      rc = ORA_ERROR_NOT_ENOUGH_MEMORY;
      goto fail_sep;
    }
    pb->sec = s;
    lastsec = pb->nsec ? &pb->sec[pb->nsec - 1] : &pb->pre; /* sec moved */
  }

  /* Commit: a separating blank line after the previous entry, then the new one. */
  terminate(pb, last_line(pb));
  if (need_sep) {
    lastsec->body[lastsec->n++] = sep;
    pb->nlines++;
  }
  pb->sec[pb->nsec++] = news;
  pb->nlines += 2;
  return 0;

fail_sep:
  if (need_sep)
    pbk_line_free(&sep);
fail_blank:
  pbk_line_free(&blank);
fail_head:
  pbk_line_free(&head);
  return rc;
}

int ora_pbk_remove(ora_pbk *pb, const char *name) {
  int i = ora_pbk_find(pb, name);
  if (i < 0)
    return ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
  pbk_section *s = &pb->sec[i];
  pb->nlines -= 1 + s->n;
  for (size_t k = 0; k < s->n; k++)
    pbk_line_free(&s->body[k]);
  free(s->body);
  pbk_line_free(&s->head);
  memmove(s, s + 1, (pb->nsec - (size_t)i - 1) * sizeof *s);
  pb->nsec--;
  return 0;
}

int ora_pbk_rename(ora_pbk *pb, const char *old_name, const char *new_name) {
  pbk_line head;
  int i, j, rc;

  if (!pb || !valid_name(new_name))
    return ORA_ERROR_INVALID_PARAMETER;
  i = ora_pbk_find(pb, old_name);
  if (i < 0)
    return ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
  j = ora_pbk_find(pb, new_name);
  if (j >= 0 && j != i)
    return ORA_PBK_ERROR_ALREADY_EXISTS;
  rc = make_header(&head, new_name, pb->sec[i].head.eol);
  if (rc)
    return rc;
  pbk_line_free(&pb->sec[i].head);
  pb->sec[i].head = head;
  return 0;
}

int ora_pbk_extract(const ora_pbk *pb, const char *entry, ora_pbk **out) {
  const pbk_section *s;
  ora_pbk *x;
  pbk_section *d;
  int rc;

  if (!out)
    return ORA_ERROR_INVALID_PARAMETER;
  *out = NULL;
  if (!pb || !entry)
    return ORA_ERROR_INVALID_PARAMETER;
  s = find_section(pb, entry);
  if (!s)
    return ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
  x = calloc(1, sizeof *x);
  if (!x)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  x->bom = pb->bom;
  x->eol = pb->eol;
  /* Exact sizes: the copy is meant to be kept, and edits grow it as usual. */
  x->sec = calloc(1, sizeof *x->sec);
  if (!x->sec) {
    free(x);
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  }
  x->nsec = x->seccap = 1;
  d = &x->sec[0]; /* from here on, ora_pbk_free(x) frees what was copied so far */
  rc = pbk_line_copy(&d->head, &s->head);
  if (rc == 0 && s->n) {
    d->body = malloc(s->n * sizeof *d->body); /* s->n <= ORA_PBK_MAX_LINES: no overflow */
    if (!d->body)
      rc = ORA_ERROR_NOT_ENOUGH_MEMORY;
    else
      d->cap = s->n;
  }
  for (size_t i = 0; rc == 0 && i < s->n; i++)
    if ((rc = pbk_line_copy(&d->body[i], &s->body[i])) == 0)
      d->n++;
  if (rc) {
    ora_pbk_free(x);
    return rc;
  }
  x->nlines = 1 + d->n;
  *out = x;
  return 0;
}

const char *ora_pbk_get_nth(const ora_pbk *pb, const char *entry, const char *key, size_t n) {
  pbk_section *s = find_section(pb, entry);
  if (!s || !key)
    return NULL;
  for (size_t i = 0; i < s->n; i++)
    if (s->body[i].kind == PBK_KV && ora_ieq(s->body[i].key, key) && n-- == 0)
      return s->body[i].val;
  return NULL;
}

const char *ora_pbk_get(const ora_pbk *pb, const char *entry, const char *key) {
  return ora_pbk_get_nth(pb, entry, key, 0);
}

int64_t ora_pbk_get_int(const ora_pbk *pb, const char *entry, const char *key, int64_t def) {
  const char *v = ora_pbk_get(pb, entry, key);
  uint64_t acc = 0, limit;
  int neg = 0;

  if (!v)
    return def;
  if (*v == '-' || *v == '+')
    neg = *v++ == '-';
  if (!*v)
    return def;
  limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
  for (; *v; v++) {
    unsigned d = (unsigned)(unsigned char)*v - '0';
    if (d > 9 || acc > (limit - d) / 10)
      return def;
    acc = acc * 10 + d;
  }
  if (neg)
    return acc == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)acc;
  return (int64_t)acc;
}

int ora_pbk_get_bool(const ora_pbk *pb, const char *entry, const char *key, int def) {
  static const char *const yes[] = {"1", "yes", "true", "on"};
  static const char *const no[] = {"0", "no", "false", "off"};
  const char *v = ora_pbk_get(pb, entry, key);
  if (!v)
    return def;
  for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
    if (ora_ieq(v, yes[i]))
      return 1;
    if (ora_ieq(v, no[i]))
      return 0;
  }
  return def;
}

/* Keys that write as "key=" and read back as the same key. */
static int valid_key(const char *key) {
  size_t n = 0;
  if (!key || !*key || *key == '[' || *key == ';' || *key == ' ' || *key == '\t')
    return 0;
  for (; key[n]; n++) {
    unsigned char c = (unsigned char)key[n];
    if (c < 0x20 || c == 0x7F || c == '=')
      return 0;
  }
  return key[n - 1] != ' ';
}

static int valid_value(const char *value) {
  if (!value)
    return 0;
  for (; *value; value++) {
    unsigned char c = (unsigned char)*value;
    if ((c < 0x20 && c != '\t') || c == 0x7F)
      return 0;
  }
  return 1;
}

/* Lines of an entry's general part end at the first line opening a block. */
static int opens_block(const pbk_line *l) {
  return l->kind == PBK_KV && (ora_ieq(l->key, "MEDIA") || ora_ieq(l->key, "DEVICE") ||
                               ora_ieq(l->key, "NETCOMPONENTS"));
}

/* Builds prefix[0..plen) followed by value as a line. */
static int make_kv(pbk_line *out, const char *prefix, size_t plen, const char *value,
                   unsigned char eol) {
  size_t vlen = strlen(value);
  if (vlen > ORA_PBK_MAX_LINE || plen > ORA_PBK_MAX_LINE - vlen)
    return ORA_ERROR_INVALID_PARAMETER;
  char *raw = malloc(plen + vlen + 1);
  if (!raw)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  memcpy(raw, prefix, plen);
  memcpy(raw + plen, value, vlen);
  int rc = pbk_line_make(out, raw, plen + vlen, eol);
  free(raw);
  return rc;
}

int ora_pbk_set(ora_pbk *pb, const char *entry, const char *key, const char *value) {
  pbk_section *s;
  pbk_line l;
  size_t pos;
  int rc;

  if (!pb || !valid_key(key) || !valid_value(value))
    return ORA_ERROR_INVALID_PARAMETER;
  s = find_section(pb, entry);
  if (!s)
    return ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;

  for (size_t i = 0; i < s->n; i++) {
    pbk_line *old = &s->body[i];
    if (old->kind != PBK_KV || !ora_ieq(old->key, key))
      continue;
    /* Keep everything up to the first '=' as the file spelled it. */
    const char *eq = memchr(old->raw, '=', old->len);
    rc = make_kv(&l, old->raw, (size_t)(eq - old->raw) + 1, value, old->eol);
    if (rc)
      return rc;
    pbk_line_free(old);
    *old = l;
    return 0;
  }

  if (pb->nlines >= ORA_PBK_MAX_LINES)
    return ORA_ERROR_CANNOT_WRITE_PHONEBOOK;
  for (pos = 0; pos < s->n && !opens_block(&s->body[pos]); pos++)
    ;
  while (pos > 0 && s->body[pos - 1].kind == PBK_BLANK)
    pos--;
  size_t klen = strlen(key);
  if (klen >= ORA_PBK_MAX_LINE)
    return ORA_ERROR_INVALID_PARAMETER;
  char *prefix = malloc(klen + 1);
  if (!prefix)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  memcpy(prefix, key, klen);
  prefix[klen] = '=';
  rc = make_kv(&l, prefix, klen + 1, value, pb->eol);
  free(prefix);
  if (rc)
    return rc;
  if ((rc = reserve(s, 1)) != 0) {
    pbk_line_free(&l);
    return rc;
  }
  terminate(pb, pos ? &s->body[pos - 1] : &s->head);
  pbk_body_insert(s, pos, &l); /* cannot fail after reserve */
  pb->nlines++;
  return 0;
}

int ora_pbk_remove_key(ora_pbk *pb, const char *entry, const char *key) {
  pbk_section *s = find_section(pb, entry);
  if (!s)
    return ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
  if (!key)
    return ORA_ERROR_INVALID_PARAMETER;
  for (size_t i = 0; i < s->n; i++) {
    if (s->body[i].kind != PBK_KV || !ora_ieq(s->body[i].key, key))
      continue;
    pbk_line_free(&s->body[i]);
    memmove(&s->body[i], &s->body[i + 1], (s->n - i - 1) * sizeof *s->body);
    s->n--;
    pb->nlines--;
    return 0;
  }
  return ORA_ERROR_KEY_NOT_FOUND;
}

int ora_pbk_foreach(const ora_pbk *pb, const char *entry, const char *prefix, ora_pbk_kv_fn fn,
                    void *ctx) {
  pbk_section *s = find_section(pb, entry);
  if (!s)
    return ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
  if (!prefix || !fn)
    return ORA_ERROR_INVALID_PARAMETER;
  for (size_t i = 0; i < s->n; i++) {
    const pbk_line *l = &s->body[i];
    if (l->kind == PBK_KV && pbk_iprefix(l->key, prefix)) {
      int rc = fn(ctx, l->key, l->val);
      if (rc)
        return rc;
    }
  }
  return 0;
}

/* ---- lines of one entry ---- */

size_t ora_pbk_line_count(const ora_pbk *pb, const char *entry) {
  pbk_section *s = find_section(pb, entry);
  return s ? s->n : 0;
}

int ora_pbk_line(const ora_pbk *pb, const char *entry, size_t i, const char **key,
                 const char **value) {
  pbk_section *s = find_section(pb, entry);
  *key = *value = NULL;
  if (!s || i >= s->n)
    return -1;
  if (s->body[i].kind != PBK_KV)
    return s->body[i].kind == PBK_BLANK ? 0 : 2;
  *key = s->body[i].key;
  *value = s->body[i].val;
  return 1;
}

int ora_pbk_line_set(ora_pbk *pb, const char *entry, size_t i, const char *value) {
  pbk_section *s = find_section(pb, entry);
  pbk_line l;
  if (!s)
    return ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
  if (i >= s->n || s->body[i].kind != PBK_KV || !valid_value(value))
    return ORA_ERROR_INVALID_PARAMETER;
  pbk_line *old = &s->body[i];
  const char *eq = memchr(old->raw, '=', old->len);
  int rc = make_kv(&l, old->raw, (size_t)(eq - old->raw) + 1, value, old->eol);
  if (rc)
    return rc;
  pbk_line_free(old);
  *old = l;
  return 0;
}

int ora_pbk_line_insert(ora_pbk *pb, const char *entry, size_t i, const char *key,
                        const char *value) {
  pbk_section *s = pb ? find_section(pb, entry) : NULL;
  pbk_line l;
  int rc;
  if (!s)
    return ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
  if (i > s->n || (key && (!valid_key(key) || !valid_value(value))))
    return ORA_ERROR_INVALID_PARAMETER;
  if (pb->nlines >= ORA_PBK_MAX_LINES)
    return ORA_ERROR_CANNOT_WRITE_PHONEBOOK;
  if (key) {
    size_t klen = strlen(key);
    if (klen >= ORA_PBK_MAX_LINE)
      return ORA_ERROR_INVALID_PARAMETER;
    char *prefix = malloc(klen + 1);
    if (!prefix)
      return ORA_ERROR_NOT_ENOUGH_MEMORY;
    memcpy(prefix, key, klen);
    prefix[klen] = '=';
    rc = make_kv(&l, prefix, klen + 1, value, pb->eol);
    free(prefix);
  } else {
    rc = pbk_line_make(&l, "", 0, pb->eol);
  }
  if (rc)
    return rc;
  if ((rc = reserve(s, 1)) != 0) {
    pbk_line_free(&l);
    return rc;
  }
  /* The line before the new one may have been the file's last, without a line end. */
  terminate(pb, i ? &s->body[i - 1] : &s->head);
  pbk_body_insert(s, i, &l); /* cannot fail after reserve */
  pb->nlines++;
  return 0;
}

int ora_pbk_line_remove(ora_pbk *pb, const char *entry, size_t i) {
  pbk_section *s = pb ? find_section(pb, entry) : NULL;
  if (!s)
    return ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
  if (i >= s->n)
    return ORA_ERROR_INVALID_PARAMETER;
  pbk_line_free(&s->body[i]);
  memmove(&s->body[i], &s->body[i + 1], (s->n - i - 1) * sizeof *s->body);
  s->n--;
  pb->nlines--;
  return 0;
}
