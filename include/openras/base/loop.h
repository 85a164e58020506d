/* The engine loop: one thread that runs timers and work posted from other threads.
 * All connection state changes happen on this thread, under the loop lock, so the
 * state machine needs no locking of its own. */
#ifndef OPENRAS_LOOP_H
#define OPENRAS_LOOP_H

#include <stdint.h>

typedef struct ora_loop ora_loop;
typedef struct ora_timer ora_timer;
typedef void (*ora_loop_fn)(void *arg);

int ora_loop_create(ora_loop **out);
/* Stops the thread; pending timers are dropped without running, posted work is
 * discarded (its discard function runs instead). The memory stays until the last
 * holder lets go; posting to a destroyed loop fails. */
void ora_loop_destroy(ora_loop *l);
/* Keeps the loop's memory for a poster on another thread (a stream's reader), so a post
 * racing ora_loop_destroy fails instead of touching freed memory. */
void ora_loop_hold(ora_loop *l);
void ora_loop_release(ora_loop *l);

/* The loop lock. API calls from other threads take it to read or change engine
 * state; loop callbacks already run with it held. */
void ora_loop_lock(ora_loop *l);
void ora_loop_unlock(ora_loop *l);

/* Both must be called with the lock held. A timer fires once on the loop thread,
 * with the lock held; cancelling a timer that already fired or was cancelled is
 * harmless only while the caller still owns the pointer (fired timers are freed). */
ora_timer *ora_loop_timer(ora_loop *l, uint32_t ms, ora_loop_fn fn, void *arg);
void ora_loop_cancel(ora_loop *l, ora_timer *t);

/* Runs fn on the loop thread soon. Safe from any thread without the lock held (it
 * takes the lock itself); 0 on success, -1 when out of memory or the loop was
 * destroyed. If the loop is destroyed before fn runs, discard(arg) runs instead (from
 * ora_loop_destroy), so arg is never lost. */
int ora_loop_post(ora_loop *l, ora_loop_fn fn, ora_loop_fn discard, void *arg);

/* The same without allocating: the caller provides the queue entry (inside arg's memory,
 * say) and keeps it until fn or discard has run. Fails only when the loop was
 * destroyed. For what must reach the loop even when memory has run out. */
typedef struct ora_loop_item {
  struct ora_loop_item *next;
  ora_loop_fn fn, discard;
  void *arg;
  int owned; /* the loop allocated it (ora_loop_post) and frees it; for ora_loop_defer:
              * it is waiting to run (start with 0) */
} ora_loop_item;
int ora_loop_post_item(ora_loop *l, ora_loop_item *it, ora_loop_fn fn, ora_loop_fn discard,
                       void *arg);

/* Runs fn(arg) on the loop thread once, after the work queued and due now and before the
 * loop next waits: for what is best done once per burst of work (a stream sends what
 * was written during it in one write). Call with the lock held; the caller keeps `it`
 * until fn has run or ora_loop_undefer took it back. Deferring an item already deferred
 * does nothing. Not run when the loop is destroyed first. */
void ora_loop_defer(ora_loop *l, ora_loop_item *it, ora_loop_fn fn, void *arg);
void ora_loop_undefer(ora_loop *l, ora_loop_item *it);

/* Nonzero when the calling thread holds the loop lock (the loop thread does while it
 * runs a callback). For invariant checks (check.h). */
int ora_loop_held(ora_loop *l);

/* Nonzero when called on the loop thread. */
int ora_loop_on_thread(ora_loop *l);

#endif
