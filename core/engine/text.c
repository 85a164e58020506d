/* String helpers (text.h). */
#include "engine/text.h"

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
