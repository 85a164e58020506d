/* Notifier dispatch (notify.h). */
#include "notify.h"

#include <stdlib.h>
#include <string.h>

#include "engine_client.h"

#define ORA_WM_RASDIALEVENT 0xCCCD

/* The notifier signatures of ras.h (RASCONNSTATE is a 32-bit enum). */
typedef VOID(WINAPI *ora_rasdialfunc)(UINT, DWORD, DWORD);
typedef VOID(WINAPI *ora_rasdialfunc1)(HANDLE, UINT, DWORD, DWORD, DWORD);
typedef DWORD(WINAPI *ora_rasdialfunc2)(ULONG_PTR, DWORD, HANDLE, UINT, DWORD, DWORD, DWORD);

typedef struct ev_node {
  struct ev_node *next;
  ora_event ev;
} ev_node;

struct ora_dispatch {
  ora_dispatch *next, *prev; /* registry, under g_lock */
  uintptr_t id;              /* the sink context */
  volatile LONG refs;
  int registered;
  ora_handle h;
  int async;
  DWORD type;
  void *notifier;
  UINT msg; /* window message for ORA_NOTIFIER_HWND */
  CONDITION_VARIABLE cv;
  ev_node *head, *tail;
  int gate_open;
  int stop;           /* hung up or abandoned: no more notifier calls, thread ends */
  int silent;         /* the dial failed at once: acknowledge, never notify */
  int quiet;          /* RasDialFunc2 returned 0: acknowledge, never notify */
  int thread_running; /* the thread still takes events */
  DWORD thread_id;
  int series_done;
  uint32_t series_error;
};

/* Guards the registry and every dispatch's fields. Never held while calling the
 * engine or a notifier: the engine calls the sink with its own lock held. */
static SRWLOCK g_lock = SRWLOCK_INIT;
static ora_dispatch *g_list;
static uintptr_t g_next_id = 1;

#define PAUSED_CHECK_MS 250

static void lock(void) {
  AcquireSRWLockExclusive(&g_lock);
}

static void unlock(void) {
  ReleaseSRWLockExclusive(&g_lock);
}

static ora_dispatch *find_id(uintptr_t id) {
  for (ora_dispatch *d = g_list; d; d = d->next)
    if (d->id == id)
      return d;
  return NULL;
}

/* Under the lock; returns 1 when the registry's reference must be released. */
static int unregister(ora_dispatch *d) {
  if (!d->registered)
    return 0;
  if (d->prev)
    d->prev->next = d->next;
  else
    g_list = d->next;
  if (d->next)
    d->next->prev = d->prev;
  d->next = d->prev = NULL;
  d->registered = 0;
  return 1;
}

void ora_dispatch_release(ora_dispatch *d) {
  if (!d || InterlockedDecrement(&d->refs) != 0)
    return;
  while (d->head) {
    ev_node *n = d->head;
    d->head = n->next;
    free(n);
  }
  free(d);
}

static UINT window_message(void) {
  UINT m = RegisterWindowMessageA("RasDialEvent");
  return m ? m : ORA_WM_RASDIALEVENT;
}

/* Calls the notifier; returns 0 when it asked for no more notifications. */
static int call_notifier(DWORD type, void *fn, UINT msg, const ora_event *ev) {
  HANDLE conn = orac_hconn(ev->conn);
  switch (type) {
  case ORA_NOTIFIER_FUNC:
    ((ora_rasdialfunc)fn)(ORA_WM_RASDIALEVENT, ev->state, ev->error);
    return 1;
  case ORA_NOTIFIER_FUNC1:
    ((ora_rasdialfunc1)fn)(conn, ORA_WM_RASDIALEVENT, ev->state, ev->error, ev->ext_error);
    return 1;
  case ORA_NOTIFIER_FUNC2:
    return ((ora_rasdialfunc2)fn)((ULONG_PTR)ev->callback_id, ev->subentry, conn,
                                  ORA_WM_RASDIALEVENT, ev->state, ev->error, ev->ext_error) != 0;
  case ORA_NOTIFIER_HWND:
    /* SendMessage, not PostMessage: the dial waits while the window handles it. */
    SendMessageW((HWND)fn, msg, (WPARAM)ev->state, (LPARAM)ev->error);
    return 1;
  default:
    return 1;
  }
}

/* Serves one dispatch on a notifier thread, until its series end (or it is stopped),
 * then drops the thread's reference. */
static void serve_dispatch(ora_dispatch *d) {
  int paused = 0;        /* the dial waits in a paused state for a resume */
  int drop_registry = 0; /* the connection went: nothing will unregister us */
  lock();
  d->thread_id = GetCurrentThreadId();
  for (;;) {
    while (!d->stop && (!d->gate_open || !d->head)) {
      if (SleepConditionVariableSRW(&d->cv, &g_lock, paused ? PAUSED_CHECK_MS : INFINITE, 0) ||
          !paused)
        continue;
      /* A paused dial that another thread or process hung up sends nothing more:
       * look at it now and then, so this thread does not wait for the process to exit. */
      ora_handle h = d->h;
      unlock();
      ora_status st;
      int gone = ora_engine_status(orac_engine(), h, &st) == ORA_ERROR_INVALID_HANDLE;
      lock();
      if (gone) {
        d->stop = 1;
        drop_registry = unregister(d);
      }
    }
    if (d->stop)
      break;
    ev_node *n = d->head;
    d->head = n->next;
    if (!d->head)
      d->tail = NULL;
    ora_event ev = n->ev;
    free(n);
    int call = !d->quiet && !d->silent;
    DWORD type = d->type;
    void *fn = d->notifier;
    UINT msg = d->msg;
    unlock();
    int keep = call ? call_notifier(type, fn, msg, &ev) : 1;
    ora_engine_ack(orac_engine(), ev.conn, ev.seq, keep);
    lock();
    if (!keep)
      d->quiet = 1;
    /* Notifications end on Connected or an error; a paused state waits for a resume
     * (or RasHangUp) with this thread kept for it. */
    if (ora_event_ends_series(&ev))
      break;
    paused = ev.last && ora_state_is_paused(ev.state);
  }
  d->thread_running = 0;
  unlock();
  if (drop_registry)
    ora_dispatch_release(d);
  ora_dispatch_release(d);
}

/* Notifier threads are kept for the next asynchronous dial: under Wine a new thread
 * costs about 4 ms before it runs (measured with bench_dial), longer than a whole
 * dial's notifications. At most IDLE_MAX wait, each for IDLE_MS. (The DLL pins itself
 * when the engine is first used, engine_client.c: FreeLibrary never unmaps their code.) */
#define IDLE_MAX 2
#define IDLE_MS 10000

typedef struct worker {
  struct worker *next; /* in g_idle */
  CONDITION_VARIABLE cv;
  ora_dispatch *job; /* under g_lock */
} worker;
static worker *g_idle; /* under g_lock */
static int g_nidle;

static DWORD WINAPI worker_main(void *arg) {
  worker *w = arg;
  for (;;) {
    serve_dispatch(w->job);
    lock();
    w->job = NULL;
    if (g_nidle < IDLE_MAX) {
      w->next = g_idle;
      g_idle = w;
      g_nidle++;
      while (!w->job && SleepConditionVariableSRW(&w->cv, &g_lock, IDLE_MS, 0))
        ;
      if (!w->job) { /* timed out: still on the idle list */
        worker **pp = &g_idle;
        while (*pp != w)
          pp = &(*pp)->next;
        *pp = w->next;
        g_nidle--;
      }
    }
    int again = w->job != NULL;
    unlock();
    if (!again)
      break;
  }
  free(w);
  return 0;
}

/* Hands d to an idle notifier thread, or starts one. 0, or -1. */
static int start_worker(ora_dispatch *d) {
  lock();
  worker *w = g_idle;
  if (w) {
    g_idle = w->next;
    g_nidle--;
    w->job = d;
    WakeConditionVariable(&w->cv);
  }
  unlock();
  if (w)
    return 0;
  w = calloc(1, sizeof *w);
  if (!w)
    return -1;
  InitializeConditionVariable(&w->cv);
  w->job = d;
  HANDLE t = CreateThread(NULL, 0, worker_main, w, 0, NULL);
  if (!t) {
    free(w);
    return -1;
  }
  CloseHandle(t);
  return 0;
}

/* The engine's sink: runs on the engine's loop thread and only queues. */
static void sink(void *ctx, const ora_event *ev) {
  uintptr_t id = (uintptr_t)ctx;
  ev_node *n = malloc(sizeof *n);
  lock();
  ora_dispatch *d = find_id(id);
  if (d && !d->stop) {
    if (d->async && d->thread_running && n) {
      n->next = NULL;
      n->ev = *ev;
      if (d->tail)
        d->tail->next = n;
      else
        d->head = n;
      d->tail = n;
      n = NULL;
    }
    if (ev->last) {
      d->series_done = 1;
      d->series_error = ev->error;
    }
    WakeAllConditionVariable(&d->cv);
  }
  unlock();
  free(n);
}

int ora_dispatch_create(DWORD type, void *notifier, ora_dispatch **out) {
  *out = NULL;
  ora_dispatch *d = calloc(1, sizeof *d);
  if (!d)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  d->refs = 2; /* the registry's and the caller's */
  d->async = notifier != NULL;
  d->type = type;
  d->notifier = notifier;
  InitializeConditionVariable(&d->cv);
  if (d->async && type == ORA_NOTIFIER_HWND)
    d->msg = window_message();
  lock();
  d->id = g_next_id++;
  d->next = g_list;
  if (g_list)
    g_list->prev = d;
  g_list = d;
  d->registered = 1;
  if (d->async) {
    d->thread_running = 1;
    d->refs++; /* the thread's, not yet shared with anyone */
  }
  unlock();
  if (d->async) {
    if (start_worker(d) != 0) {
      lock();
      d->thread_running = 0;
      unlock();
      ora_dispatch_release(d); /* the thread's */
      ora_dispatch_abandon(d);
      ora_dispatch_release(d);
      return ORA_ERROR_NOT_ENOUGH_MEMORY;
    }
  }
  *out = d;
  return 0;
}

void ora_dispatch_sink(ora_dispatch *d, ora_event_fn *fn, void **ctx) {
  *fn = sink;
  *ctx = (void *)d->id;
}

void ora_dispatch_bind(ora_dispatch *d, ora_handle h) {
  lock();
  d->h = h;
  unlock();
}

void ora_dispatch_open(ora_dispatch *d) {
  lock();
  d->gate_open = 1;
  WakeAllConditionVariable(&d->cv);
  unlock();
}

void ora_dispatch_begin_series(ora_dispatch *d) {
  lock();
  d->gate_open = 0;
  d->quiet = 0; /* a resume names the notifier again: it is notified again */
  d->series_done = 0;
  d->series_error = 0;
  unlock();
}

void ora_dispatch_silence(ora_dispatch *d) {
  lock();
  d->silent = 1;
  unlock();
}

DWORD ora_dispatch_wait(ora_dispatch *d) {
  DWORD err;
  lock();
  for (;;) {
    if (d->series_done) {
      err = d->series_error;
      break;
    }
    if (d->stop) {
      err = ORA_ERROR_USER_DISCONNECTION;
      break;
    }
    if (SleepConditionVariableSRW(&d->cv, &g_lock, 50, 0))
      continue;
    /* Every 50 ms without news, ask the engine: the connection may have ended (hung up
     * by another thread) or be connected without events to this dispatch. */
    ora_handle h = d->h;
    unlock();
    ora_status st;
    memset(&st, 0, sizeof st);
    int rc = ora_engine_status(orac_engine(), h, &st);
    lock();
    if (d->series_done || d->stop)
      continue;
    if (rc != 0) {
      err = ORA_ERROR_USER_DISCONNECTION;
      break;
    }
    if (st.error != 0) {
      err = st.error;
      break;
    }
    if (st.state == ORA_CS_Connected) {
      err = 0;
      break;
    }
  }
  unlock();
  return err;
}

int ora_dispatch_is_current_thread(ora_dispatch *d) {
  lock();
  int r = d->async && d->thread_running && d->thread_id == GetCurrentThreadId();
  unlock();
  return r;
}

void ora_dispatch_abandon(ora_dispatch *d) {
  lock();
  d->stop = 1;
  WakeAllConditionVariable(&d->cv);
  int drop = unregister(d);
  unlock();
  if (drop)
    ora_dispatch_release(d);
}

ora_dispatch *ora_dispatch_find(ora_handle h) {
  ora_dispatch *found = NULL;
  lock();
  for (ora_dispatch *d = g_list; d; d = d->next) {
    if (d->h == h && d->async && d->thread_running && !d->stop) {
      found = d;
      InterlockedIncrement(&d->refs);
      break;
    }
  }
  unlock();
  return found;
}

int ora_dispatch_set_notifier(ora_dispatch *d, DWORD type, void *notifier) {
  UINT msg = type == ORA_NOTIFIER_HWND ? window_message() : 0;
  int rc = 0;
  lock();
  if (!d->async) {
    rc = ORA_ERROR_INVALID_PARAMETER;
  } else {
    d->type = type;
    d->notifier = notifier;
    d->msg = msg;
  }
  unlock();
  return rc;
}

void ora_dispatch_hung_up(ora_handle h) {
  ora_dispatch *drop = NULL;
  lock();
  ora_dispatch *d = g_list;
  while (d) {
    ora_dispatch *next = d->next;
    if (d->h == h) {
      d->stop = 1;
      WakeAllConditionVariable(&d->cv);
      if (unregister(d)) {
        d->next = drop; /* reuse the link for the release list */
        drop = d;
      }
    }
    d = next;
  }
  unlock();
  while (drop) {
    ora_dispatch *next = drop->next;
    drop->next = NULL;
    ora_dispatch_release(drop);
    drop = next;
  }
}
