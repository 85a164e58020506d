/* String conversions, see strconv.h. */
#include "strconv.h"

#include <stdlib.h>
#include <string.h>

/* Longer inputs (only a phone-book path can be unbounded) are refused as too long. */
#define ORA_CONV_MAX_UNITS (64 * 1024)
/* Inputs up to this many UTF-16 units convert without a heap allocation. */
#define ORA_CONV_STACK_UNITS 1024

typedef struct wbuf {
  WCHAR stack[ORA_CONV_STACK_UNITS];
  WCHAR *p;
  size_t units;
} wbuf;

static int wbuf_init(wbuf *b, size_t units) {
  b->units = units;
  b->p = units <= ORA_CONV_STACK_UNITS ? b->stack : malloc(units * sizeof(WCHAR));
  return b->p != NULL;
}

static void wbuf_free(wbuf *b) {
  if (b->p)
    SecureZeroMemory(b->p, b->units * sizeof(WCHAR));
  if (b->p && b->p != b->stack)
    free(b->p);
  b->p = NULL;
}

/* Drops the last character of w[0..n): a surrogate pair is one character. */
static size_t drop_last(const WCHAR *w, size_t n) {
  n--;
  if (n > 0 && IS_LOW_SURROGATE(w[n]) && IS_HIGH_SURROGATE(w[n - 1]))
    n--;
  return n;
}

/* The longest prefix of w[0..n) whose conversion to code page cp fits in cap - 1 bytes,
 * converted into out and NUL-terminated. Returns 1 when nothing was dropped. */
static int w_to_mb(UINT cp, const WCHAR *w, size_t n, char *out, size_t cap) {
  int full = 1;
  if (cap == 0)
    return 0;
  if (n > cap - 1) { /* every character takes at least one byte */
    full = 0;
    n = cap - 1;
    if (n > 0 && IS_HIGH_SURROGATE(w[n - 1]) && IS_LOW_SURROGATE(w[n]))
      n--;
  }
  while (n > 0) {
    int need = WideCharToMultiByte(cp, 0, w, (int)n, NULL, 0, NULL, NULL);
    if (need > 0 && (size_t)need <= cap - 1) {
      WideCharToMultiByte(cp, 0, w, (int)n, out, need, NULL, NULL);
      out[need] = 0;
      return full;
    }
    full = 0;
    n = drop_last(w, n);
  }
  out[0] = 0;
  return full;
}

/* Multibyte src[0..len) in code page cp to UTF-16 in b (not NUL-terminated); returns
 * the number of units, or -1. */
static int mb_to_w(UINT cp, const char *src, size_t len, wbuf *b) {
  b->p = NULL;
  b->units = 0;
  if (len == 0)
    return wbuf_init(b, 1) ? 0 : -1;
  if (len > ORA_CONV_MAX_UNITS)
    return -1;
  int m = MultiByteToWideChar(cp, 0, src, (int)len, NULL, 0);
  if (m <= 0 || !wbuf_init(b, (size_t)m))
    return -1;
  return MultiByteToWideChar(cp, 0, src, (int)len, b->p, m);
}

static size_t bounded_len_a(const char *s, size_t units) {
  size_t n = 0;
  while (n < units && s[n])
    n++;
  return n;
}

static size_t bounded_len_w(const WCHAR *s, size_t units) {
  size_t n = 0;
  while (n < units && s[n])
    n++;
  return n;
}

int ora_a_to_utf8(const char *src, size_t units, char *out, size_t cap) {
  wbuf b;
  int m = mb_to_w(CP_ACP, src, bounded_len_a(src, units), &b);
  int full = 0;
  if (m >= 0)
    full = w_to_mb(CP_UTF8, b.p, (size_t)m, out, cap);
  else if (cap)
    out[0] = 0;
  wbuf_free(&b);
  return full;
}

int ora_w_to_utf8(const WCHAR *src, size_t units, char *out, size_t cap) {
  size_t n = bounded_len_w(src, units);
  if (n > ORA_CONV_MAX_UNITS) {
    if (cap)
      out[0] = 0;
    return 0;
  }
  return w_to_mb(CP_UTF8, src, n, out, cap);
}

void ora_utf8_to_w(const char *src, WCHAR *out, size_t units) {
  if (units == 0)
    return;
  wbuf b;
  int m = mb_to_w(CP_UTF8, src, strlen(src), &b);
  size_t k = m > 0 ? (size_t)m : 0;
  if (k > units - 1) {
    k = units - 1;
    if (k > 0 && IS_HIGH_SURROGATE(b.p[k - 1]))
      k--;
  }
  if (k)
    memcpy(out, b.p, k * sizeof(WCHAR));
  out[k] = 0;
  wbuf_free(&b);
}

void ora_utf8_to_a(const char *src, char *out, size_t units) {
  if (units == 0)
    return;
  wbuf b;
  int m = mb_to_w(CP_UTF8, src, strlen(src), &b);
  if (m > 0)
    w_to_mb(CP_ACP, b.p, (size_t)m, out, units);
  else
    out[0] = 0;
  wbuf_free(&b);
}
