/* The handle table: maps ora_handle values to objects. A handle carries its slot's
 * generation, so a stale handle (its slot freed, maybe reused) or a forged one
 * never resolves to another object. Freed slots are reused oldest-first, which
 * makes a reused slot's generation as far from a stale handle's as possible. The
 * caller serializes access (the engine holds the loop lock). */
#ifndef OPENRAS_HANDLES_H
#define OPENRAS_HANDLES_H

#include <stddef.h>
#include <stdint.h>

#include "openras/engine.h"

typedef struct ora_handles {
  struct ora_handle_slot *slots;
  size_t count, cap;
  uint32_t free_head, free_tail; /* FIFO of free slot indexes + 1; 0 = none */
  size_t live;
} ora_handles;

#define ORA_HANDLES_MAX 65535u

void ora_handles_init(ora_handles *t);
void ora_handles_free(ora_handles *t);
/* 0 when the table is full or out of memory. */
ora_handle ora_handles_add(ora_handles *t, void *obj);
void *ora_handles_get(const ora_handles *t, ora_handle h);
/* Invalidates h; returns its object, or NULL when h was not valid. */
void *ora_handles_remove(ora_handles *t, ora_handle h);
/* Calls fn for every live object, in slot order. */
void ora_handles_each(const ora_handles *t, void (*fn)(void *ctx, void *obj), void *ctx);

#endif
