/* The status map: a shared-memory table in which the manager publishes every
 * connection's status, so RasGetConnectStatus costs a memory read instead of a pipe
 * round trip. One writer (the manager's loop thread), many readers; each slot is a
 * sequence lock (odd while being written). Slot i holds the handle whose low 16 bits
 * are i + 1 (the engine's slot index), or 0 when empty. A reader that finds another
 * handle in the slot knows the handle is invalid; slots beyond ORA_MAP_SLOTS are
 * not published and readers ask the manager. */
#ifndef OPENRAS_STATUSMAP_H
#define OPENRAS_STATUSMAP_H

#include <stdint.h>
#include <string.h>

#include "openras/engine.h"

#define ORA_MAP_MAGIC 0x4F52534Du /* "ORSM" */
#define ORA_MAP_VERSION 1
#define ORA_MAP_SLOTS 4096

typedef struct ora_map_slot {
  uint32_t seq;
  ora_handle handle;
  ora_status status;
} ora_map_slot;

typedef struct ora_map {
  uint32_t magic, version, slots;
  uint32_t instance; /* changes with every manager, so readers notice a restart */
  ora_map_slot slot[ORA_MAP_SLOTS];
} ora_map;

/* The slot a handle would live in, or -1. */
static inline int ora_map_index(ora_handle h) {
  uint32_t s = h & 0xFFFFu;
  return (s >= 1 && s <= ORA_MAP_SLOTS) ? (int)(s - 1) : -1;
}

/* Writer side: st == NULL empties the slot. */
static inline void ora_map_write(ora_map *m, ora_handle h, const ora_status *st) {
  int i = ora_map_index(h);
  if (i < 0)
    return;
  ora_map_slot *s = &m->slot[i];
  uint32_t seq = __atomic_load_n(&s->seq, __ATOMIC_RELAXED);
  __atomic_store_n(&s->seq, seq + 1, __ATOMIC_RELAXED);
  __atomic_thread_fence(__ATOMIC_RELEASE);
  if (st) {
    s->handle = h;
    s->status = *st;
  } else if (s->handle == h) {
    s->handle = 0;
  }
  __atomic_store_n(&s->seq, seq + 2, __ATOMIC_RELEASE);
}

/* Reader side: 1 with *out filled when h is live, 0 when h is not in its slot, -1
 * when the slot stayed busy (ask the manager instead). */
static inline int ora_map_read(const ora_map *m, ora_handle h, ora_status *out) {
  int i = ora_map_index(h);
  if (i < 0)
    return -1;
  const ora_map_slot *s = &m->slot[i];
  for (int tries = 0; tries < 64; tries++) {
    uint32_t a = __atomic_load_n(&s->seq, __ATOMIC_ACQUIRE);
    if (a & 1)
      continue;
    ora_handle cur = __atomic_load_n(&s->handle, __ATOMIC_RELAXED);
    if (cur == h)
      memcpy(out, &s->status, sizeof *out);
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    if (__atomic_load_n(&s->seq, __ATOMIC_RELAXED) == a)
      return cur == h ? 1 : 0;
  }
  return -1;
}

#endif
