/* What the end-to-end link tests (test_link_slirp, test_link_l2tp) share on the engine
 * side: a sink that records a dial's events with their times, a wait for one of them,
 * and a wait for every driver object and stream of the process to be gone. Include
 * after cmocka.h, from one file per program. */
#ifndef OPENRAS_TESTS_ENGINE_EVENTS_H
#define OPENRAS_TESTS_ENGINE_EVENTS_H

#include <stdint.h>

#include "link/ppp_link.h"
#include "openras/engine.h"
#include "openras/os.h"
#include "os/stream.h"

#define EVENTS_MAX 128

typedef struct events {
  ora_mutex *mu;
  ora_cond *cv;
  ora_event ev[EVENTS_MAX];
  uint64_t at_ms[EVENTS_MAX];
  int n;
} events;

static void events_init(events *e) {
  assert_int_equal(ora_mutex_create(&e->mu), 0);
  assert_int_equal(ora_cond_create(&e->cv), 0);
  e->n = 0;
}

static void events_free(events *e) {
  ora_cond_destroy(e->cv);
  ora_mutex_destroy(e->mu);
}

/* The engine's event sink; ctx is an events. */
static void sink(void *ctx, const ora_event *ev) {
  events *e = ctx;
  ora_mutex_lock(e->mu);
  if (e->n < EVENTS_MAX) {
    e->at_ms[e->n] = ora_now_ms();
    e->ev[e->n++] = *ev;
  }
  ora_cond_broadcast(e->cv);
  ora_mutex_unlock(e->mu);
}

/* Index of the first event in `state` (any state when ~0u) that is the last of
 * its series when `last`, waiting at most ms; -1 if none came. */
static int wait_event(events *e, uint32_t state, int last, uint32_t ms) {
  uint64_t end = ora_now_ms() + ms;
  ora_mutex_lock(e->mu);
  for (;;) {
    for (int i = 0; i < e->n; i++)
      if ((state == ~0u || e->ev[i].state == state) && (!last || e->ev[i].last)) {
        ora_mutex_unlock(e->mu);
        return i;
      }
    uint64_t now = ora_now_ms();
    if (now >= end)
      break;
    ora_cond_wait(e->cv, e->mu, (uint32_t)(end - now));
  }
  ora_mutex_unlock(e->mu);
  return -1;
}

/* The connection's status once it is Disconnected, or as it is after ms (the caller
 * checks the state). */
static ora_status wait_disconnected(ora_engine *eng, ora_handle h, uint32_t ms) {
  ora_status st;
  uint64_t end = ora_now_ms() + ms;
  do {
    ora_sleep_ms(10);
    assert_int_equal(ora_engine_status(eng, h, &st), 0);
  } while (st.state != ORA_CS_Disconnected && ora_now_ms() < end);
  return st;
}

/* Waits until every driver object and stream of this process is gone. */
static int all_closed(uint32_t ms) {
  uint64_t end = ora_now_ms() + ms;
  while ((ora_ppp_link_count() || ora_stream_count()) && ora_now_ms() < end)
    ora_sleep_ms(5);
  return ora_ppp_link_count() == 0 && ora_stream_count() == 0;
}

#endif
