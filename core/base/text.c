/* String helpers (text.h). */
#include "openras/base/text.h"

#include <stdio.h>
#include <string.h>

static char fold(char c) {
  return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

int ora_ieq(const char *a, const char *b) {
  for (; *a && fold(*a) == fold(*b); a++, b++)
    ;
  return fold(*a) == fold(*b);
}

void ora_copy_str(char *dst, size_t cap, const char *src) {
  size_t n = src ? strlen(src) : 0;
  if (n >= cap)
    n = cap - 1;
  if (n)
    memcpy(dst, src, n);
  dst[n] = '\0';
}

int ora_ipv4_parse(const char *s, uint32_t *out) {
  uint32_t v = 0;
  if (!s)
    return -1;
  for (int i = 0; i < 4; i++) {
    unsigned n = 0, digits = 0;
    while (*s >= '0' && *s <= '9' && digits < 4)
      n = n * 10 + (unsigned)(*s++ - '0'), digits++;
    if (!digits || n > 255 || (i < 3 && *s++ != '.'))
      return -1;
    v = v << 8 | n;
  }
  if (*s)
    return -1;
  *out = v;
  return 0;
}

void ora_ipv4_format(uint32_t a, char *out, size_t cap) {
  snprintf(out, cap, "%u.%u.%u.%u", (unsigned)(a >> 24), (unsigned)(a >> 16 & 255),
           (unsigned)(a >> 8 & 255), (unsigned)(a & 255));
}
