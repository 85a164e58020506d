/* What Wine's test harness (wine/test.h, through wine/debug.h) takes from Wine's own
 * ntdll when a test is built inside Wine: a Windows build of the test needs its own.
 * __wine_dbg_strdup keeps a formatted debug string alive for a while: a ring of
 * buffers, as the callers only print the result right away. */
#include <windows.h>

#include <string.h>

const char *__cdecl __wine_dbg_strdup(const char *str);
const char *__cdecl __wine_dbg_strdup(const char *str) {
  static char ring[32][1024];
  static LONG next;
  char *out = ring[(ULONG)InterlockedIncrement(&next) % 32];
  size_t n = strlen(str);
  if (n >= sizeof ring[0])
    n = sizeof ring[0] - 1;
  memcpy(out, str, n);
  out[n] = 0;
  return out;
}
