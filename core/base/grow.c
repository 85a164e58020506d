/* Growing arrays (grow.h). */
#include "openras/base/grow.h"

#include <stdint.h>
#include <stdlib.h>

void *ora_grow(void *p, size_t *cap, size_t need, size_t elem, size_t first) {
  if (need <= *cap && p)
    return p;
  size_t nc = *cap ? *cap : (first ? first : 1);
  while (nc < need) {
    if (nc > SIZE_MAX / 2)
      return NULL;
    nc *= 2;
  }
  if (nc > SIZE_MAX / elem)
    return NULL;
  void *np = realloc(p, nc * elem);
  if (np)
    *cap = nc;
  return np;
}
