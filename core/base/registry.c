/* The id-keyed registry (registry.h). */
#include "openras/base/registry.h"
#include "openras/base/grow.h"

#include <stdlib.h>
#include <string.h>

void *ora_registry_at(const ora_registry *r, size_t i) {
  return r->items + i * r->size;
}

void *ora_registry_add(ora_registry *r, uint64_t key) {
  unsigned char *ni = ora_grow(r->items, &r->cap, r->n + 1, r->size, 8);
  if (!ni)
    return NULL;
  r->items = ni;
  void *rec = ora_registry_at(r, r->n++);
  memset(rec, 0, r->size);
  memcpy(rec, &key, sizeof key);
  return rec;
}

void *ora_registry_find(const ora_registry *r, uint64_t key) {
  for (size_t i = 0; i < r->n; i++) {
    void *rec = ora_registry_at(r, i);
    uint64_t k;
    memcpy(&k, rec, sizeof k);
    if (k == key)
      return rec;
  }
  return NULL;
}

void ora_registry_drop_at(ora_registry *r, size_t i) {
  if (i + 1 < r->n)
    memcpy(ora_registry_at(r, i), ora_registry_at(r, r->n - 1), r->size);
  if (--r->n == 0)
    ora_registry_clear(r); /* an emptied registry keeps no memory */
}

int ora_registry_drop(ora_registry *r, uint64_t key) {
  for (size_t i = 0; i < r->n; i++) {
    uint64_t k;
    memcpy(&k, ora_registry_at(r, i), sizeof k);
    if (k == key) {
      ora_registry_drop_at(r, i);
      return 1;
    }
  }
  return 0;
}

void ora_registry_clear(ora_registry *r) {
  free(r->items);
  r->items = NULL;
  r->n = r->cap = 0;
}
