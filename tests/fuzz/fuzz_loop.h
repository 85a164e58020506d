/* A virtual-time stand-in for the engine loop (every function of engine/loop.h, so
 * the real loop and its thread are never linked in), for the PPP fuzz target. Same
 * idea as tests/native/test_ppp_support.h, without cmocka: a misuse aborts, which
 * libFuzzer reports as a crash. Include from exactly one file. */
#ifndef OPENRAS_FUZZ_LOOP_H
#define OPENRAS_FUZZ_LOOP_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine/loop.h"

struct ora_timer {
  struct ora_timer *next;
  uint64_t due, order;
  ora_loop_fn fn;
  void *arg;
};

typedef struct fuzz_post {
  struct fuzz_post *next;
  ora_loop_fn fn;
  void *arg;
} fuzz_post;

struct ora_loop {
  uint64_t now, order;
  struct ora_timer *timers;
  fuzz_post *posts, *posts_tail;
};

static void *fuzz_xalloc(size_t n) {
  void *p = calloc(1, n);
  if (!p)
    abort();
  return p;
}

int ora_loop_create(ora_loop **out) {
  *out = fuzz_xalloc(sizeof **out);
  return 0;
}

void ora_loop_destroy(ora_loop *l) {
  while (l->timers) {
    struct ora_timer *t = l->timers;
    l->timers = t->next;
    free(t);
  }
  while (l->posts) {
    fuzz_post *p = l->posts;
    l->posts = p->next;
    free(p);
  }
  free(l);
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
  struct ora_timer *t = fuzz_xalloc(sizeof *t);
  t->due = l->now + ms;
  t->order = l->order++;
  t->fn = fn;
  t->arg = arg;
  t->next = l->timers;
  l->timers = t;
  return t;
}

void ora_loop_cancel(ora_loop *l, ora_timer *t) {
  for (struct ora_timer **pp = &l->timers; *pp; pp = &(*pp)->next)
    if (*pp == t) {
      *pp = t->next;
      free(t);
      return;
    }
  fprintf(stderr, "fuzz_loop: cancel of a timer that is not pending\n");
  abort();
}

int ora_loop_post(ora_loop *l, ora_loop_fn fn, void *arg) {
  fuzz_post *p = fuzz_xalloc(sizeof *p);
  p->fn = fn;
  p->arg = arg;
  if (l->posts_tail)
    l->posts_tail->next = p;
  else
    l->posts = p;
  l->posts_tail = p;
  return 0;
}

/* Runs posted work until none is left; endless ping-pong is a bug. */
static void fuzz_run_posts(ora_loop *l) {
  int n = 0;
  while (l->posts) {
    if (++n > 100000) {
      fprintf(stderr, "fuzz_loop: posted work never ends\n");
      abort();
    }
    fuzz_post *p = l->posts;
    l->posts = p->next;
    if (!l->posts)
      l->posts_tail = NULL;
    ora_loop_fn fn = p->fn;
    void *a = p->arg;
    free(p);
    fn(a);
  }
}

/* Advances virtual time by ms, firing (in order) what falls due on the way. */
static void fuzz_advance(ora_loop *l, uint64_t ms) {
  uint64_t limit = l->now + ms;
  fuzz_run_posts(l);
  for (int fired = 0;; fired++) {
    if (fired > 100000) {
      fprintf(stderr, "fuzz_loop: timers re-arm without end\n");
      abort();
    }
    struct ora_timer **best = NULL;
    for (struct ora_timer **pp = &l->timers; *pp; pp = &(*pp)->next)
      if ((*pp)->due <= limit && (!best || (*pp)->due < (*best)->due ||
                                  ((*pp)->due == (*best)->due && (*pp)->order < (*best)->order)))
        best = pp;
    if (!best)
      break;
    struct ora_timer *t = *best;
    *best = t->next;
    if (t->due > l->now)
      l->now = t->due;
    ora_loop_fn fn = t->fn;
    void *a = t->arg;
    free(t);
    fn(a);
    fuzz_run_posts(l);
  }
  l->now = limit;
}

#endif
