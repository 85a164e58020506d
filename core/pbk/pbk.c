/* Phone book model: lines, parsing and serializing (no file I/O here, so the fuzzer
 * can link this file alone). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pbk/pbk_internal.h"
#include "openras/base/grow.h"

static int is_blank(char c) {
  return c == ' ' || c == '\t';
}

static unsigned char fold(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

int pbk_iprefix(const char *s, const char *prefix) {
  while (*prefix) {
    if (fold((unsigned char)*s) != fold((unsigned char)*prefix))
      return 0;
    s++;
    prefix++;
  }
  return 1;
}

int pbk_line_make(pbk_line *out, const char *raw, size_t len, unsigned char eol) {
  size_t i = 0, koff = 0, klen = 0, voff = 0, vlen = 0;
  unsigned char kind;

  memset(out, 0, sizeof *out);
  if (len > ORA_PBK_MAX_LINE)
    return ORA_ERROR_CANNOT_LOAD_PHONEBOOK;
  while (i < len && is_blank(raw[i]))
    i++;
  if (i == len) {
    kind = PBK_BLANK;
  } else if (raw[i] == ';') {
    kind = PBK_COMMENT;
  } else if (raw[i] == '[') {
    size_t j = len;
    while (j > i + 1 && raw[j - 1] != ']')
      j--;
    if (j <= i + 1)
      return ORA_ERROR_CANNOT_LOAD_PHONEBOOK; /* '[' without ']' */
    kind = PBK_SECTION;
    koff = i + 1;
    klen = (j - 1) - koff;
  } else {
    const char *eq = memchr(raw + i, '=', len - i);
    kind = PBK_OTHER;
    if (eq) {
      size_t e = (size_t)(eq - raw), kend = e, vend = len;
      while (kend > i && is_blank(raw[kend - 1]))
        kend--;
      voff = e + 1;
      while (voff < len && is_blank(raw[voff]))
        voff++;
      while (vend > voff && is_blank(raw[vend - 1]))
        vend--;
      if (kend > i) {
        kind = PBK_KV;
        koff = i;
        klen = kend - i;
        vlen = vend - voff;
      }
    }
  }

  /* len, klen, vlen are each at most ORA_PBK_MAX_LINE: no overflow. */
  size_t size = len + 1;
  if (kind == PBK_SECTION || kind == PBK_KV)
    size += klen + 1;
  if (kind == PBK_KV)
    size += vlen + 1;
  char *buf = malloc(size);
  if (!buf)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  if (len)
    memcpy(buf, raw, len);
  buf[len] = 0;
  char *p = buf + len + 1;
  if (kind == PBK_SECTION || kind == PBK_KV) {
    memcpy(p, raw + koff, klen);
    p[klen] = 0;
    out->key = p;
    p += klen + 1;
  }
  if (kind == PBK_KV) {
    memcpy(p, raw + voff, vlen);
    p[vlen] = 0;
    out->val = p;
  }
  out->raw = buf;
  out->len = len;
  out->kind = kind;
  out->eol = eol;
  return 0;
}

int pbk_line_copy(pbk_line *out, const pbk_line *src) {
  /* The allocation ends after the value, else after the key, else after the raw bytes. */
  const char *end = src->val ? src->val : src->key ? src->key : src->raw + src->len;
  size_t size = (size_t)(end - src->raw) + strlen(end) + 1;
  char *buf = malloc(size);

  if (!buf)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  memcpy(buf, src->raw, size);
  *out = *src;
  out->raw = buf;
  if (src->key)
    out->key = buf + (src->key - src->raw);
  if (src->val)
    out->val = buf + (src->val - src->raw);
  return 0;
}

void pbk_line_free(pbk_line *l) {
  free(l->raw);
  memset(l, 0, sizeof *l);
}

int pbk_body_insert(pbk_section *s, size_t pos, pbk_line *l) {
  pbk_line *b = ora_grow(s->body, &s->cap, s->n + 1, sizeof *b, 16);
  if (!b)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  s->body = b;
  memmove(s->body + pos + 1, s->body + pos, (s->n - pos) * sizeof *s->body);
  s->body[pos] = *l;
  s->n++;
  return 0;
}

static void section_free(pbk_section *s) {
  for (size_t i = 0; i < s->n; i++)
    pbk_line_free(&s->body[i]);
  free(s->body);
  if (s->head.raw)
    pbk_line_free(&s->head);
  memset(s, 0, sizeof *s);
}

int ora_pbk_new(ora_pbk **out) {
  if (!out)
    return ORA_ERROR_INVALID_PARAMETER;
  *out = calloc(1, sizeof **out);
  if (!*out)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  (*out)->eol = PBK_EOL_CRLF;
  return 0;
}

void ora_pbk_free(ora_pbk *pb) {
  if (!pb)
    return;
  section_free(&pb->pre);
  for (size_t i = 0; i < pb->nsec; i++)
    section_free(&pb->sec[i]);
  free(pb->sec);
  free(pb);
}

static int add_section(ora_pbk *pb, pbk_line *head) {
  pbk_section *s = ora_grow(pb->sec, &pb->seccap, pb->nsec + 1, sizeof *s, 8);
  if (!s)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  pb->sec = s;
  memset(&pb->sec[pb->nsec], 0, sizeof pb->sec[pb->nsec]);
  pb->sec[pb->nsec].head = *head;
  pb->nsec++;
  return 0;
}

static int parse_into(ora_pbk *pb, const char *text, size_t len) {
  size_t pos = 0;
  int eol_seen = 0;

  if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
      (unsigned char)text[2] == 0xBF) {
    pb->bom = 1;
    pos = 3;
  }
  while (pos < len) {
    const char *nl = memchr(text + pos, '\n', len - pos);
    size_t end = nl ? (size_t)(nl - text) : len, clen = end - pos;
    unsigned char eol = nl ? PBK_EOL_LF : PBK_EOL_NONE;
    pbk_line l;
    int rc;

    if (nl && clen > 0 && text[end - 1] == '\r') {
      clen--;
      eol = PBK_EOL_CRLF;
    }
    if (clen > ORA_PBK_MAX_LINE || pb->nlines >= ORA_PBK_MAX_LINES)
      return ORA_ERROR_CANNOT_LOAD_PHONEBOOK;
    if (!eol_seen && eol != PBK_EOL_NONE) {
      pb->eol = eol;
      eol_seen = 1;
    }
    rc = pbk_line_make(&l, text + pos, clen, eol);
    if (rc)
      return rc;
    if (l.kind == PBK_SECTION) {
      rc = add_section(pb, &l);
    } else if (pb->nsec == 0 && l.kind != PBK_BLANK && l.kind != PBK_COMMENT) {
      rc = ORA_ERROR_CANNOT_LOAD_PHONEBOOK; /* a key or text before the first section */
    } else {
      pbk_section *s = pb->nsec ? &pb->sec[pb->nsec - 1] : &pb->pre;
      rc = pbk_body_insert(s, s->n, &l);
    }
    if (rc) {
      pbk_line_free(&l);
      return rc;
    }
    pb->nlines++;
    pos = nl ? end + 1 : len;
  }
  return 0;
}

int ora_pbk_parse(const char *text, size_t len, ora_pbk **out) {
  ora_pbk *pb;
  int rc;

  if (!out)
    return ORA_ERROR_INVALID_PARAMETER;
  *out = NULL;
  if (!text && len)
    return ORA_ERROR_INVALID_PARAMETER;
  if (len > ORA_PBK_MAX_SIZE || (len && memchr(text, 0, len)))
    return ORA_ERROR_CANNOT_LOAD_PHONEBOOK;
  rc = ora_pbk_new(&pb);
  if (rc)
    return rc;
  rc = parse_into(pb, text, len);
  if (rc) {
    ora_pbk_free(pb);
    return rc;
  }
  *out = pb;
  return 0;
}

/* The line end to write after l: its own, or the file's when a line that ended the
 * file without one is no longer last (edits keep that from happening; this is a
 * safety net so two lines can never merge). */
static size_t eol_len(const ora_pbk *pb, const pbk_line *l, int last) {
  unsigned char e = l->eol;
  if (e == PBK_EOL_NONE && !last)
    e = pb->eol;
  return e == PBK_EOL_CRLF ? 2 : e == PBK_EOL_LF ? 1 : 0;
}

static char *put_line(char *p, const ora_pbk *pb, const pbk_line *l, int last) {
  size_t e = eol_len(pb, l, last);
  memcpy(p, l->raw, l->len);
  p += l->len;
  if (e == 2)
    *p++ = '\r';
  if (e)
    *p++ = '\n';
  return p;
}

/* Walks the lines in file order: pre's body, then each section's head and body. */
typedef struct line_iter {
  const ora_pbk *pb;
  size_t sec; /* 0: the preamble, k: pb->sec[k - 1] */
  size_t idx; /* 0: the head, k: body[k - 1] */
} line_iter;

static const pbk_line *next_line(line_iter *it) {
  while (it->sec <= it->pb->nsec) {
    const pbk_section *s = it->sec == 0 ? &it->pb->pre : &it->pb->sec[it->sec - 1];
    size_t k = it->idx++;
    if (k == 0 && s->head.raw)
      return &s->head;
    if (k > 0 && k <= s->n)
      return &s->body[k - 1];
    if (k > s->n) {
      it->sec++;
      it->idx = 0;
    }
  }
  return NULL;
}

int ora_pbk_serialize(const ora_pbk *pb, char **text, size_t *len) {
  size_t total, left;
  const pbk_line *l;
  char *buf, *p;

  if (!pb || !text || !len)
    return ORA_ERROR_INVALID_PARAMETER;
  *text = NULL;
  *len = 0;
  if (pb->nlines > ORA_PBK_MAX_LINES)
    return ORA_ERROR_CANNOT_WRITE_PHONEBOOK;
  /* Each line is at most ORA_PBK_MAX_LINE + 2 bytes and there are at most
   * ORA_PBK_MAX_LINES lines, so the sum cannot overflow. */
  total = pb->bom ? 3 : 0;
  left = pb->nlines;
  for (line_iter it = {pb, 0, 0}; (l = next_line(&it)) != NULL;)
    total += l->len + eol_len(pb, l, --left == 0);
  if (total > ORA_PBK_MAX_SIZE)
    return ORA_ERROR_CANNOT_WRITE_PHONEBOOK;
  buf = malloc(total + 1);
  if (!buf)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  p = buf;
  if (pb->bom) {
    memcpy(p, "\xEF\xBB\xBF", 3);
    p += 3;
  }
  left = pb->nlines;
  for (line_iter it = {pb, 0, 0}; (l = next_line(&it)) != NULL;)
    p = put_line(p, pb, l, --left == 0);
  *p = 0;
  *text = buf;
  *len = (size_t)(p - buf);
  return 0;
}
