/* Wiping secrets: stores through a volatile pointer so the compiler cannot drop
 * them as dead writes. */
#include "openras/base/wipe.h"

void ora_wipe(void *p, size_t n) {
  volatile unsigned char *v = p;
  while (n--)
    *v++ = 0;
}
