/* A broken invariant (check.h). */
#include "openras/base/check.h"

#include <stdio.h>
#include <stdlib.h>

#ifdef ORA_CHECKS
void ora_check_failed(const char *file, int line, const char *what) {
  fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
  fflush(stderr);
  abort();
}
#endif
