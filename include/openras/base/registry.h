/* An id-keyed registry: a growing array of fixed-size records, each starting with its
 * uint64_t key (an id, a cookie, a handle). Add, find, drop (the last record takes the
 * dropped one's place: order is not kept), walk by index. No locking: the owner's lock
 * covers it. Used wherever the core, the DLL or the manager keep subscribers or routes
 * by id. */
#ifndef OPENRAS_ENGINE_REGISTRY_H
#define OPENRAS_ENGINE_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

typedef struct ora_registry {
  unsigned char *items;
  size_t n, cap, size;
} ora_registry;

/* An empty registry of records of `size` bytes (at least 8: the key comes first). */
#define ORA_REGISTRY_INIT(size)                                                                    \
  { NULL, 0, 0, (size) }

/* A new zeroed record with this key at the end; NULL when memory ran out. */
void *ora_registry_add(ora_registry *r, uint64_t key);
/* The record with this key, or NULL. */
void *ora_registry_find(const ora_registry *r, uint64_t key);
/* Drops the record with this key; 1 if there was one. */
int ora_registry_drop(ora_registry *r, uint64_t key);
/* Drops record i (0 <= i < n): the last takes its place. */
void ora_registry_drop_at(ora_registry *r, size_t i);
/* Record i, 0 <= i < r->n. */
void *ora_registry_at(const ora_registry *r, size_t i);
/* Frees the storage (the registry is empty and usable again). */
void ora_registry_clear(ora_registry *r);

#endif
