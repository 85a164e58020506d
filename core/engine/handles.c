/* Handle table with generation counters (see handles.h). A handle is
 * (generation << 16) | (slot + 1); generations run 1..0xFFFF, so no handle is 0. */
#include "engine/handles.h"

#include <stdlib.h>

struct ora_handle_slot {
  void *obj;
  uint16_t gen;
  uint32_t next_free; /* index + 1 of the next free slot */
};

void ora_handles_init(ora_handles *t) {
  t->slots = NULL;
  t->count = t->cap = 0;
  t->free_head = t->free_tail = 0;
  t->live = 0;
}

void ora_handles_free(ora_handles *t) {
  free(t->slots);
  ora_handles_init(t);
}

static uint32_t slot_of(ora_handle h) {
  return (h & 0xFFFFu);
}

ora_handle ora_handles_add(ora_handles *t, void *obj) {
  uint32_t idx;
  if (t->free_head) {
    idx = t->free_head - 1;
    t->free_head = t->slots[idx].next_free;
    if (!t->free_head)
      t->free_tail = 0;
  } else {
    if (t->count >= ORA_HANDLES_MAX)
      return 0;
    if (t->count == t->cap) {
      size_t nc = t->cap ? t->cap * 2 : 32;
      if (nc > ORA_HANDLES_MAX)
        nc = ORA_HANDLES_MAX;
      struct ora_handle_slot *ns = realloc(t->slots, nc * sizeof *ns);
      if (!ns)
        return 0;
      t->slots = ns;
      t->cap = nc;
    }
    idx = (uint32_t)t->count++;
    t->slots[idx].gen = 0;
  }
  struct ora_handle_slot *s = &t->slots[idx];
  s->gen = (uint16_t)(s->gen == 0xFFFFu ? 1 : s->gen + 1);
  s->obj = obj;
  s->next_free = 0;
  t->live++;
  return ((ora_handle)s->gen << 16) | (idx + 1);
}

static struct ora_handle_slot *lookup(const ora_handles *t, ora_handle h) {
  uint32_t si = slot_of(h);
  if (si == 0 || si > t->count)
    return NULL;
  struct ora_handle_slot *s = &t->slots[si - 1];
  if (!s->obj || s->gen != (h >> 16))
    return NULL;
  return s;
}

void *ora_handles_get(const ora_handles *t, ora_handle h) {
  struct ora_handle_slot *s = lookup(t, h);
  return s ? s->obj : NULL;
}

void *ora_handles_remove(ora_handles *t, ora_handle h) {
  struct ora_handle_slot *s = lookup(t, h);
  if (!s)
    return NULL;
  void *obj = s->obj;
  s->obj = NULL;
  s->next_free = 0;
  uint32_t idx1 = slot_of(h);
  if (t->free_tail)
    t->slots[t->free_tail - 1].next_free = idx1;
  else
    t->free_head = idx1;
  t->free_tail = idx1;
  t->live--;
  return obj;
}

void ora_handles_each(const ora_handles *t, void (*fn)(void *ctx, void *obj), void *ctx) {
  for (size_t i = 0; i < t->count; i++)
    if (t->slots[i].obj)
      fn(ctx, t->slots[i].obj);
}
