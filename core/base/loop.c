/* The engine loop: a binary heap of timers plus a FIFO of posted work, served by
 * one thread. Everything runs with the loop lock held, released only while waiting. */
#include "openras/base/loop.h"

#include <stdatomic.h>
#include <stdlib.h>

#include "openras/os.h"
#include "openras/base/check.h"
#include "openras/base/grow.h"

#define RESERVE 16

struct ora_timer {
  uint64_t due_ms;
  uint64_t order; /* ties fire in creation order */
  size_t slot;    /* position in the heap, kept for O(log n) cancel */
  ora_loop_fn fn;
  void *arg;
};

typedef ora_loop_item post_item;

struct ora_loop {
  ora_mutex *mu;
  ora_cond *cv;
  ora_thread *thread;
  uintptr_t thread_id;
  atomic_uintptr_t owner; /* the thread holding mu, 0 when none: for ora_loop_held */
  int stop;
  int dead;        /* destroyed: posts fail */
  atomic_int refs; /* the owner's and the holders' (atomic: the last may go on the loop
                    * thread, under mu) */
  ora_timer **heap;
  size_t count, cap;
  /* A reserve so that starting a timer does not fail when memory runs short: a dial
   * whose step or restart timer is lost would wait for ever. The heap keeps room for
   * RESERVE more timers and `spare` holds up to RESERVE freed ones; both are topped up
   * whenever memory allows. */
  ora_timer *spare[RESERVE];
  size_t nspare;
  uint64_t next_order;
  post_item *head, *tail;
  post_item *deferred; /* ora_loop_defer: run before the next wait (a stack: order is free) */
};

static int earlier(const ora_timer *a, const ora_timer *b) {
  return a->due_ms < b->due_ms || (a->due_ms == b->due_ms && a->order < b->order);
}

static void heap_set(ora_loop *l, size_t i, ora_timer *t) {
  l->heap[i] = t;
  t->slot = i;
}

static void sift_up(ora_loop *l, size_t i) {
  ora_timer *t = l->heap[i];
  while (i > 0) {
    size_t p = (i - 1) / 2;
    if (!earlier(t, l->heap[p]))
      break;
    heap_set(l, i, l->heap[p]);
    i = p;
  }
  heap_set(l, i, t);
}

static void sift_down(ora_loop *l, size_t i) {
  ora_timer *t = l->heap[i];
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= l->count)
      break;
    if (c + 1 < l->count && earlier(l->heap[c + 1], l->heap[c]))
      c++;
    if (!earlier(l->heap[c], t))
      break;
    heap_set(l, i, l->heap[c]);
    i = c;
  }
  heap_set(l, i, t);
}

static void heap_remove(ora_loop *l, size_t i) {
  l->count--;
  if (i == l->count)
    return;
  heap_set(l, i, l->heap[l->count]);
  sift_down(l, i);
  sift_up(l, l->heap[i]->slot);
}

/* A timer's memory: a fresh block, else one from the reserve. */
static ora_timer *timer_alloc(ora_loop *l) {
  ora_timer *t = malloc(sizeof *t);
  if (!t && l->nspare)
    t = l->spare[--l->nspare];
  return t;
}

/* A timer that fired or was cancelled tops up the reserve first. */
static void timer_free(ora_loop *l, ora_timer *t) {
  if (l->nspare < RESERVE)
    l->spare[l->nspare++] = t;
  else
    free(t);
}

ora_timer *ora_loop_timer(ora_loop *l, uint32_t ms, ora_loop_fn fn, void *arg) {
  ORA_ASSERT(ora_loop_held(l));
  ora_timer **nh = ora_grow(l->heap, &l->cap, l->count + 1 + RESERVE, sizeof *nh, 64);
  if (nh)
    l->heap = nh;
  else if (l->count + 1 > l->cap)
    return NULL; /* the reserve's room is used up too */
  ora_timer *t = timer_alloc(l);
  if (!t)
    return NULL;
  t->due_ms = ora_now_ms() + ms;
  t->order = l->next_order++;
  t->fn = fn;
  t->arg = arg;
  heap_set(l, l->count++, t);
  sift_up(l, t->slot);
  if (t->slot == 0)
    ora_cond_signal(l->cv); /* the loop may be sleeping towards a later deadline */
  return t;
}

void ora_loop_cancel(ora_loop *l, ora_timer *t) {
  if (!t)
    return;
  ORA_ASSERT(ora_loop_held(l));
  ORA_ASSERT(t->slot < l->count && l->heap[t->slot] == t); /* pending, and ours */
  heap_remove(l, t->slot);
  timer_free(l, t);
}

static int enqueue(ora_loop *l, ora_loop_item *p, ora_loop_fn fn, ora_loop_fn discard, void *arg) {
  p->next = NULL;
  p->fn = fn;
  p->discard = discard;
  p->arg = arg;
  ora_mutex_lock(l->mu);
  if (l->dead) {
    ora_mutex_unlock(l->mu);
    return -1;
  }
  if (l->tail)
    l->tail->next = p;
  else
    l->head = p;
  l->tail = p;
  ora_cond_signal(l->cv);
  ora_mutex_unlock(l->mu);
  return 0;
}

int ora_loop_post_item(ora_loop *l, ora_loop_item *p, ora_loop_fn fn, ora_loop_fn discard,
                       void *arg) {
  p->owned = 0;
  return enqueue(l, p, fn, discard, arg);
}

int ora_loop_post(ora_loop *l, ora_loop_fn fn, ora_loop_fn discard, void *arg) {
  post_item *p = malloc(sizeof *p);
  if (!p)
    return -1;
  p->owned = 1;
  if (enqueue(l, p, fn, discard, arg) != 0) {
    free(p);
    return -1;
  }
  return 0;
}

void ora_loop_defer(ora_loop *l, ora_loop_item *it, ora_loop_fn fn, void *arg) {
  ORA_ASSERT(ora_loop_held(l));
  if (it->owned) /* deferred already: marked while it waits */
    return;
  it->fn = fn;
  it->discard = NULL;
  it->arg = arg;
  it->owned = 1;
  it->next = l->deferred;
  l->deferred = it;
  if (!ora_loop_on_thread(l))
    ora_cond_signal(l->cv); /* it is waiting, and would not see it before its next wake */
}

void ora_loop_undefer(ora_loop *l, ora_loop_item *it) {
  ORA_ASSERT(ora_loop_held(l));
  if (!it->owned)
    return;
  for (post_item **pp = &l->deferred; *pp; pp = &(*pp)->next)
    if (*pp == it) {
      *pp = it->next;
      break;
    }
  it->next = NULL;
  it->owned = 0;
}

static void loop_free(ora_loop *l);

void ora_loop_hold(ora_loop *l) {
  atomic_fetch_add(&l->refs, 1);
}

void ora_loop_release(ora_loop *l) {
  if (atomic_fetch_sub(&l->refs, 1) != 1)
    return;
  loop_free(l);
}

static void loop_main(void *arg) {
  ora_loop *l = arg;
  ora_mutex_lock(l->mu);
  l->thread_id = ora_thread_self();
  atomic_store_explicit(&l->owner, l->thread_id, memory_order_relaxed);
  while (!l->stop) {
    if (l->head) {
      post_item *p = l->head;
      l->head = p->next;
      if (!l->head)
        l->tail = NULL;
      ora_loop_fn fn = p->fn;
      void *a = p->arg;
      if (p->owned)
        free(p); /* a caller's entry may go with what fn frees */
      fn(a);
      continue;
    }
    uint64_t now = ora_now_ms();
    if (l->count > 0 && l->heap[0]->due_ms <= now) {
      ora_timer *t = l->heap[0];
      heap_remove(l, 0);
      ora_loop_fn fn = t->fn;
      void *a = t->arg;
      timer_free(l, t);
      fn(a);
      continue;
    }
    if (l->deferred) {
      post_item *p = l->deferred;
      l->deferred = p->next;
      p->next = NULL;
      p->owned = 0;
      p->fn(p->arg);
      continue;
    }
    uint64_t wait = l->count > 0 ? l->heap[0]->due_ms - now : UINT32_MAX;
    atomic_store_explicit(&l->owner, 0, memory_order_relaxed);
    ora_cond_wait(l->cv, l->mu, wait >= UINT32_MAX ? UINT32_MAX : (uint32_t)wait);
    atomic_store_explicit(&l->owner, l->thread_id, memory_order_relaxed);
  }
  atomic_store_explicit(&l->owner, 0, memory_order_relaxed);
  ora_mutex_unlock(l->mu);
}

static void loop_free(ora_loop *l) {
  while (l->nspare)
    free(l->spare[--l->nspare]);
  free(l->heap);
  ora_cond_destroy(l->cv);
  ora_mutex_destroy(l->mu);
  free(l);
}

int ora_loop_create(ora_loop **out) {
  ora_loop *l = calloc(1, sizeof *l);
  if (!l)
    return -1;
  atomic_init(&l->refs, 1);
  /* The reserve, filled now so the loop starts with it. */
  l->heap = ora_grow(NULL, &l->cap, 64, sizeof *l->heap, 64);
  for (; l->heap && l->nspare < RESERVE; l->nspare++)
    if (!(l->spare[l->nspare] = malloc(sizeof(ora_timer))))
      break;
  if (!l->heap || l->nspare < RESERVE || ora_mutex_create(&l->mu) != 0 ||
      ora_cond_create(&l->cv) != 0 || ora_thread_start(&l->thread, loop_main, l) != 0) {
    loop_free(l);
    return -1;
  }
  *out = l;
  return 0;
}

void ora_loop_destroy(ora_loop *l) {
  if (!l)
    return;
  ora_mutex_lock(l->mu);
  l->stop = 1;
  ora_cond_signal(l->cv);
  ora_mutex_unlock(l->mu);
  ora_thread_join(l->thread);
  ora_mutex_lock(l->mu);
  l->dead = 1;
  post_item *queued = l->head;
  l->head = l->tail = NULL;
  ora_mutex_unlock(l->mu);
  for (size_t i = 0; i < l->count; i++)
    free(l->heap[i]);
  free(l->heap);
  l->heap = NULL;
  l->count = l->cap = 0;
  while (queued) { /* may release holders (a stream's last reference) */
    post_item *p = queued;
    queued = p->next;
    ora_loop_fn discard = p->discard;
    void *a = p->arg;
    if (p->owned)
      free(p);
    if (discard)
      discard(a);
  }
  ora_loop_release(l);
}

void ora_loop_lock(ora_loop *l) {
  ora_mutex_lock(l->mu);
  atomic_store_explicit(&l->owner, ora_thread_self(), memory_order_relaxed);
}
void ora_loop_unlock(ora_loop *l) {
  ORA_ASSERT(ora_loop_held(l));
  atomic_store_explicit(&l->owner, 0, memory_order_relaxed);
  ora_mutex_unlock(l->mu);
}
int ora_loop_held(ora_loop *l) {
  return atomic_load_explicit(&l->owner, memory_order_relaxed) == ora_thread_self();
}
int ora_loop_on_thread(ora_loop *l) {
  return l->thread_id == ora_thread_self();
}
