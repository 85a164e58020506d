/* Alternate phone numbers in callers' buffers (alternates.h). */
#include "alternates.h"

#include <string.h>

#include "strconv.h"

DWORD ora_alternates_read(int wide, const BYTE *buf, DWORD size, DWORD bufsize, DWORD off,
                          ora_alternates *out) {
  out->n = 0;
  if (!off)
    return 0;
  size_t unit = wide ? sizeof(WCHAR) : 1;
  if (off < size || off >= bufsize || (off - size) % unit)
    return ERROR_INVALID_PARAMETER;
  const BYTE *p = buf + off, *end = buf + bufsize;
  while (p + unit <= end && out->n < ORA_MAX_ALTERNATES) {
    size_t n = 0;
    while (p + (n + 1) * unit <= end && (wide ? ((const WCHAR *)(const void *)p)[n] != 0 : p[n]))
      n++;
    if (n == 0)
      break; /* the empty string that ends the list */
    char *dst = out->num[out->n];
    int ok = wide ? ora_w_to_utf8((const WCHAR *)(const void *)p, n, dst, ORA_PHONE_BYTES)
                  : ora_a_to_utf8((const char *)p, n, dst, ORA_PHONE_BYTES);
    if (ok && dst[0])
      out->n++;
    p += (n + 1) * unit;
  }
  return 0;
}

int ora_alternates_equal(const ora_alternates *a, const ora_alternates *b) {
  if (a->n != b->n)
    return 0;
  for (size_t i = 0; i < a->n; i++)
    if (strcmp(a->num[i], b->num[i]) != 0)
      return 0;
  return 1;
}

DWORD ora_alternates_bytes(int wide, const ora_alternates *a) {
  if (!a->n)
    return 0;
  DWORD n = 0;
  for (size_t i = 0; i < a->n; i++) {
    if (wide) {
      n += (DWORD)MultiByteToWideChar(CP_UTF8, 0, a->num[i], -1, NULL, 0);
    } else {
      char s[ORA_PHONE_BYTES];
      ora_utf8_to_a(a->num[i], s, sizeof s);
      n += (DWORD)strlen(s) + 1;
    }
  }
  return (n + 1) * (wide ? sizeof(WCHAR) : 1);
}

void ora_alternates_write(int wide, const ora_alternates *a, BYTE *p) {
  for (size_t i = 0; i < a->n; i++) {
    if (wide) {
      int n = MultiByteToWideChar(CP_UTF8, 0, a->num[i], -1, (WCHAR *)(void *)p, ORA_PHONE_BYTES);
      p += (size_t)n * sizeof(WCHAR);
    } else {
      ora_utf8_to_a(a->num[i], (char *)p, ORA_PHONE_BYTES);
      p += strlen((char *)p) + 1;
    }
  }
  if (a->n)
    memset(p, 0, wide ? sizeof(WCHAR) : 1);
}
