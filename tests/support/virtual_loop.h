/* A virtual-time stand-in for the engine loop: every function of base/loop.h but
 * ora_loop_defer and ora_loop_undefer (only streams use them, and no program with this
 * loop has streams: linking one would fail, not run wrongly), so the real loop and its
 * thread are never linked in, and tests drive time by hand.
 * Shared by the PPP unit tests (tests/native/test_ppp_support.h) and the PPP fuzz
 * target (tests/fuzz/fuzz_ppp.c). Include from exactly one file per program.
 *
 * A misuse (cancelling a timer that is not pending, posted work or timers that
 * never stop) calls VLOOP_FAIL(message): abort() unless the includer defines it
 * (the unit tests make it a cmocka failure). */
#ifndef OPENRAS_TESTS_VIRTUAL_LOOP_H
#define OPENRAS_TESTS_VIRTUAL_LOOP_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "openras/base/loop.h"

#ifndef VLOOP_FAIL
#define VLOOP_FAIL(msg) (fprintf(stderr, "virtual loop: %s\n", msg), abort())
#endif

#define VLOOP_MAX_STEPS 100000 /* more than this in one go is endless ping-pong */

struct ora_timer {
  struct ora_timer *next;
  uint64_t due, order;
  ora_loop_fn fn;
  void *arg;
};

typedef ora_loop_item vloop_post;

struct ora_loop {
  uint64_t now, order;
  struct ora_timer *timers;
  vloop_post *posts, *posts_tail;
  int refs, dead;
};

static void *vloop_alloc(size_t n) {
  void *p = calloc(1, n);
  if (!p)
    abort();
  return p;
}

int ora_loop_create(ora_loop **out) {
  *out = vloop_alloc(sizeof **out);
  (*out)->refs = 1;
  return 0;
}

int ora_loop_held(ora_loop *l) {
  (void)l;
  return 1; /* one thread, always "on the loop" */
}

void ora_loop_hold(ora_loop *l) {
  l->refs++;
}

void ora_loop_release(ora_loop *l) {
  if (--l->refs == 0)
    free(l);
}

void ora_loop_destroy(ora_loop *l) {
  l->dead = 1;
  while (l->timers) {
    struct ora_timer *t = l->timers;
    l->timers = t->next;
    free(t);
  }
  while (l->posts) {
    vloop_post *p = l->posts;
    l->posts = p->next;
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
  (void)l;
}
void ora_loop_unlock(ora_loop *l) {
  (void)l;
}
int ora_loop_on_thread(ora_loop *l) {
  (void)l;
  return 1;
}

ora_timer *ora_loop_timer(ora_loop *l, uint32_t ms, ora_loop_fn fn, void *arg) {
  struct ora_timer *t = vloop_alloc(sizeof *t);
  t->due = l->now + ms;
  t->order = l->order++;
  t->fn = fn;
  t->arg = arg;
  t->next = l->timers;
  l->timers = t;
  return t;
}

void ora_loop_cancel(ora_loop *l, ora_timer *t) {
  if (!t)
    return; /* as the real loop: cancelling "no timer" is allowed */
  for (struct ora_timer **pp = &l->timers; *pp; pp = &(*pp)->next)
    if (*pp == t) {
      *pp = t->next;
      free(t);
      return;
    }
  VLOOP_FAIL("cancel of a timer that is not pending");
}

static inline int vloop_enqueue(ora_loop *l, ora_loop_item *p, ora_loop_fn fn, ora_loop_fn discard,
                                void *arg) {
  if (l->dead)
    return -1;
  p->next = NULL;
  p->fn = fn;
  p->discard = discard;
  p->arg = arg;
  if (l->posts_tail)
    l->posts_tail->next = p;
  else
    l->posts = p;
  l->posts_tail = p;
  return 0;
}

int ora_loop_post_item(ora_loop *l, ora_loop_item *p, ora_loop_fn fn, ora_loop_fn discard,
                       void *arg) {
  p->owned = 0;
  return vloop_enqueue(l, p, fn, discard, arg);
}

int ora_loop_post(ora_loop *l, ora_loop_fn fn, ora_loop_fn discard, void *arg) {
  vloop_post *p = vloop_alloc(sizeof *p);
  p->owned = 1;
  if (vloop_enqueue(l, p, fn, discard, arg) != 0) {
    free(p);
    return -1;
  }
  return 0;
}

/* Runs posted work until none is left; returns how much ran. */
static inline int vloop_run_posts(ora_loop *l) {
  int n = 0;
  while (l->posts) {
    if (++n > VLOOP_MAX_STEPS) {
      VLOOP_FAIL("posted work never ends");
      return n;
    }
    vloop_post *p = l->posts;
    l->posts = p->next;
    if (!l->posts)
      l->posts_tail = NULL;
    ora_loop_fn fn = p->fn;
    void *a = p->arg;
    if (p->owned)
      free(p);
    fn(a);
  }
  return n;
}

/* Fires the earliest timer due at or before limit (then the work it posted);
 * returns 0 when none is due. */
static inline int vloop_fire_next(ora_loop *l, uint64_t limit) {
  struct ora_timer **best = NULL;
  for (struct ora_timer **pp = &l->timers; *pp; pp = &(*pp)->next)
    if ((*pp)->due <= limit && (!best || (*pp)->due < (*best)->due ||
                                ((*pp)->due == (*best)->due && (*pp)->order < (*best)->order)))
      best = pp;
  if (!best)
    return 0;
  struct ora_timer *t = *best;
  *best = t->next;
  if (t->due > l->now)
    l->now = t->due;
  ora_loop_fn fn = t->fn;
  void *a = t->arg;
  free(t);
  fn(a);
  vloop_run_posts(l);
  return 1;
}

/* Advances virtual time by ms, firing in order what falls due on the way. */
static inline void vloop_advance(ora_loop *l, uint64_t ms) {
  uint64_t limit = l->now + ms;
  vloop_run_posts(l);
  for (int fired = 0; vloop_fire_next(l, limit); fired++)
    if (fired > VLOOP_MAX_STEPS) {
      VLOOP_FAIL("timers re-arm without end");
      break;
    }
  l->now = limit;
}

static inline int vloop_timer_count(const ora_loop *l) {
  int n = 0;
  for (struct ora_timer *t = l->timers; t; t = t->next)
    n++;
  return n;
}

#endif
