/* In-process engine speed, natively (no Wine, no manager): a zero-delay simulated
 * dial to Connected through the engine API (ora_engine_dial until the last event),
 * ora_engine_status per call, and N simultaneous simulated connections (dial time
 * each and heap bytes per connection, from glibc's mallinfo2), once with every
 * entry in one phone book of N entries and once with one phone book per entry (a
 * connection keeps the phone book it was dialed from).
 * Prints "name<TAB>value<TAB>unit<TAB>runs" lines for bench/run.sh; every value is
 * the median of its runs. Usage: bench_engine [dials] [status_calls] [connections] */
#define _GNU_SOURCE
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "openras/engine.h"
#include "openras/os.h"
#include "../bench_stats.h"

typedef struct waiter {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int done;
  uint32_t state, error;
} waiter;

static void sink(void *ctx, const ora_event *ev) {
  waiter *w = ctx;
  if (!ev->last)
    return;
  pthread_mutex_lock(&w->mu);
  w->done = 1;
  w->state = ev->state;
  w->error = ev->error;
  pthread_cond_broadcast(&w->cv);
  pthread_mutex_unlock(&w->mu);
}

static void waiter_init(waiter *w) {
  memset(w, 0, sizeof *w);
  pthread_mutex_init(&w->mu, NULL);
  pthread_cond_init(&w->cv, NULL);
}

static void waiter_wait(waiter *w) {
  pthread_mutex_lock(&w->mu);
  while (!w->done)
    pthread_cond_wait(&w->cv, &w->mu);
  pthread_mutex_unlock(&w->mu);
}

static char g_pbk[256];

static ora_dial_request request(const char *entry) {
  ora_dial_request q;
  memset(&q, 0, sizeof q);
  snprintf(q.phonebook, sizeof q.phonebook, "%s", g_pbk);
  snprintf(q.entry, sizeof q.entry, "%s", entry);
  return q;
}

/* Dials entry and waits for its last event; returns the handle (0 on failure). */
static ora_handle dial(ora_engine *e, const char *entry, waiter *w) {
  ora_dial_request q = request(entry);
  ora_handle h = 0;
  waiter_init(w);
  if (ora_engine_dial(e, &q, sink, w, &h) != 0)
    return 0;
  waiter_wait(w);
  return w->state == ORA_CS_Connected && !w->error ? h : 0;
}

static void wait_idle(ora_engine *e) {
  for (int i = 0; i < 5000 && ora_engine_count(e) != 0; i++)
    ora_sleep_ms(1);
}

int main(int argc, char **argv) {
  int dials = argc > 1 ? atoi(argv[1]) : 2000;
  int status_calls = argc > 2 ? atoi(argv[2]) : 100000;
  int conns = argc > 3 ? atoi(argv[3]) : 1000;
  snprintf(g_pbk, sizeof g_pbk, "/tmp/openras-bench-%d.pbk", (int)getpid());
  FILE *f = fopen(g_pbk, "w");
  if (!f)
    return 1;
  fputs("[Zero]\nORA_Link=sim\nORA_SimStepMs=0\n", f);
  fclose(f);

  ora_engine_config cfg;
  memset(&cfg, 0, sizeof cfg);
  ora_engine *e = NULL;
  if (ora_engine_create(&cfg, &e) != 0)
    return 2;
  size_t n = (size_t)(dials > status_calls ? dials : status_calls);
  if ((size_t)conns > n)
    n = (size_t)conns;
  double *t = calloc(n, sizeof *t);
  waiter w;
  ora_handle h = dial(e, "Zero", &w); /* warm-up: phone book cache, first allocations */
  if (!h)
    return 3;
  ora_engine_hangup(e, h);
  wait_idle(e);

  for (int i = 0; i < dials; i++) {
    double t0 = now_us();
    h = dial(e, "Zero", &w);
    t[i] = now_us() - t0;
    if (!h)
      return 4;
    ora_engine_hangup(e, h);
    wait_idle(e);
  }
  printf("native_dial_us\t%.1f\tus\t%d\n", median(t, (size_t)dials), dials);

  h = dial(e, "Zero", &w);
  ora_status st;
  for (int i = 0; i < status_calls; i++) {
    double t0 = now_us();
    ora_engine_status(e, h, &st);
    t[i] = now_us() - t0;
  }
  printf("native_status_us\t%.3f\tus\t%d\n", median(t, (size_t)status_calls), status_calls);
  ora_engine_hangup(e, h);
  wait_idle(e);

  /* conns connections held at once: heap per connection and dial time under load. */
  ora_handle *hs = calloc((size_t)conns, sizeof *hs);
  waiter *ws = calloc((size_t)conns, sizeof *ws);
  char name[32];
  for (int variant = 0; variant < 2; variant++) {
    const char *tag = variant ? "own" : "shared";
    char(*paths)[256] = calloc((size_t)conns, sizeof *paths);
    char shared[256];
    snprintf(shared, sizeof shared, "/tmp/openras-bench-%d-shared.pbk", (int)getpid());
    if (!variant) { /* one phone book holding every entry */
      FILE *pf = fopen(shared, "w");
      if (!pf)
        return 6;
      for (int i = 0; i < conns; i++)
        fprintf(pf, "[Zero%d]\nORA_Link=sim\nORA_SimStepMs=0\n", i);
      fclose(pf);
    }
    for (int i = 0; variant && i < conns; i++) {
      snprintf(paths[i], sizeof paths[i], "/tmp/openras-bench-%d-%d.pbk", (int)getpid(), i);
      FILE *pf = fopen(paths[i], "w");
      if (!pf)
        return 6;
      fprintf(pf, "[Zero%d]\nORA_Link=sim\nORA_SimStepMs=0\n", i);
      fclose(pf);
    }
    struct mallinfo2 m0 = mallinfo2();
    for (int i = 0; i < conns; i++) {
      snprintf(name, sizeof name, "Zero%d", i);
      snprintf(g_pbk, sizeof g_pbk, "%s", variant ? paths[i] : shared);
      double t0 = now_us();
      hs[i] = dial(e, name, &ws[i]);
      t[i] = now_us() - t0;
      if (!hs[i])
        return 5;
    }
    struct mallinfo2 m1 = mallinfo2();
    printf("native_conns%d_%s_dial_us\t%.1f\tus\t%d\n", conns, tag, median(t, (size_t)conns),
           conns);
    printf("native_conns%d_%s_heap_per_conn\t%.0f\tbytes\t1\n", conns, tag,
           ((double)m1.uordblks - (double)m0.uordblks) / conns);
    for (int i = 0; i < conns; i++)
      ora_engine_hangup(e, hs[i]);
    wait_idle(e);
    for (int i = 0; variant && i < conns; i++)
      unlink(paths[i]);
    if (!variant)
      unlink(shared);
    free(paths);
  }
  snprintf(g_pbk, sizeof g_pbk, "/tmp/openras-bench-%d.pbk", (int)getpid());
  ora_engine_destroy(e);
  unlink(g_pbk);
  free(t);
  free(hs);
  free(ws);
  return 0;
}
