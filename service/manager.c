/* openras-manager.exe: the connection manager process. It owns the engine, so
 * connections outlive the programs that dialed them, and serves the DLLs of every
 * process of the user over one named pipe (core/proto/proto.h).
 *
 * Each client gets a lane (win32_lane.h), introduced on its pipe connection: its
 * messages come and go there, and the pipe only tells that the client went away.
 *
 * Threads: the engine loop; one accept thread (main); per client one reader (which
 * also writes replies) and one writer. The loop writes a dial's events into the lane
 * itself when they fit and nothing is queued before them; otherwise they queue for the
 * writer, so a slow client never stalls the engine loop. The process exits after
 * ORA_MANAGER_IDLE_MS (default 30 s) with no client and no connection. */
#include <windows.h>
#include <sddl.h>
#include <tlhelp32.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_stdio.h"
#include "openras/base/registry.h"
#include "openras/base/trace.h"
#include "openras/os.h"
#include "openras/win32_lane.h"
#include "openras/calls.h"
#include "openras/proto.h"
#include "openras/statusmap.h"
#include "openras/base/wipe.h"

typedef struct out_msg {
  struct out_msg *next;
  uint8_t *data;
  size_t len;
} out_msg;

typedef struct client {
  HANDLE pipe;
  ora_pipe_watch watch; /* its `gone` tells the lane's waits that the client went */
  ora_lane lane;
  CRITICAL_SECTION write_lock; /* one writer at a time on the lane */
  CRITICAL_SECTION q_lock;
  CONDITION_VARIABLE q_cv;
  out_msg *head, *tail; /* what waits for the writer thread, in order */
  int writing;          /* the writer thread is writing what it took from the queue */
  int closing;
  HANDLE writer;
  uint32_t watch_id; /* engine watcher forwarding NOTIFY messages, 0 = none */
  /* The connections this client dialed and has not hung up (its reader thread only):
   * what to release when it goes away. */
  ora_registry owned; /* of owned_conn */
} client;

typedef struct owned_conn {
  uint64_t handle; /* the registry key */
} owned_conn;

/* Connected connections whose client went away: they stay, as on Windows, until
 * somebody hangs them up, or until they fail or drop; then nobody can, and the sweep
 * (main thread, each second) releases them. Under g_lock. */
static ora_registry g_orphans = ORA_REGISTRY_INIT(sizeof(owned_conn));

/* An event route: where the events of one dial go. The engine keeps only the route
 * id, so a client that went away can never be reached through a stale pointer. */
typedef struct route {
  uint64_t id; /* the registry key */
  uint64_t cookie;
  client *cl; /* NULL once the client is gone */
  ora_handle handle;
  int every_event; /* 0: a synchronous RasDial, which waits for the last event only */
  uint64_t callback_id;
  uint32_t subentry;
} route;

static ora_engine *g_engine;
static CRITICAL_SECTION g_lock; /* routes and the client count */
static ora_registry g_routes = ORA_REGISTRY_INIT(sizeof(route));
static uint32_t g_next_route = 1;
static LONG g_clients;
static volatile LONG64 g_last_activity;
static ora_map *g_map; /* the status map readers use instead of a round trip */

/* Engine observer: keeps the status map current (loop thread, engine locked). */
static void on_status(void *ctx, ora_handle h, const ora_status *st) {
  (void)ctx;
  ora_map_write(g_map, h, st);
}

/* The status map, readable by the user's processes only (same DACL as the pipe). */
static int make_map(const WCHAR *name, SECURITY_ATTRIBUTES *sa) {
  HANDLE h = CreateFileMappingW(INVALID_HANDLE_VALUE, sa, PAGE_READWRITE, 0, sizeof(ora_map), name);
  if (!h)
    return -1;
  g_map = MapViewOfFile(h, FILE_MAP_WRITE, 0, 0, sizeof(ora_map));
  if (!g_map)
    return -1;
  /* A reader of the previous manager may keep the object alive: start clean, under a
   * new instance number. */
  memset(g_map->slot, 0, sizeof g_map->slot);
  uint32_t inst = 0;
  ora_random(&inst, sizeof inst);
  g_map->magic = ORA_MAP_MAGIC;
  g_map->version = ORA_MAP_VERSION;
  g_map->slots = ORA_MAP_SLOTS;
  __atomic_store_n(&g_map->instance, inst | 1u, __ATOMIC_RELEASE);
  return 0; /* the mapping handle stays open for the life of the process */
}

static void touch(void) {
  InterlockedExchange64(&g_last_activity, (LONG64)GetTickCount64());
}

/* The live route of a dial in progress on handle h, or NULL. */
static route *route_of(ora_handle h) {
  for (size_t i = 0; i < g_routes.n; i++) {
    route *r = ora_registry_at(&g_routes, i);
    if (r->handle == h)
      return r;
  }
  return NULL;
}

/* Remembers that cl dialed h. Before the list grows, handles that no longer exist
 * (hung up by another process) are dropped, so a long-lived dialer's list stays small. */
static void own(client *cl, ora_handle h) {
  if (cl->owned.n == cl->owned.cap)
    for (size_t i = 0; i < cl->owned.n;) {
      ora_status st;
      const owned_conn *o = ora_registry_at(&cl->owned, i);
      if (ora_engine_status(g_engine, (ora_handle)o->handle, &st) != 0)
        ora_registry_drop_at(&cl->owned, i);
      else
        i++;
    }
  if (!ora_registry_add(&cl->owned, h))
    ora_trace("manager: out of memory: %08x is not released if its dialer exits", (unsigned)h);
}

/* Releases orphaned connections that failed or dropped (main thread). */
static void sweep_orphans(void) {
  EnterCriticalSection(&g_lock);
  size_t n = g_orphans.n;
  ora_handle *hs = n ? malloc(n * sizeof *hs) : NULL;
  for (size_t i = 0; hs && i < n; i++)
    hs[i] = (ora_handle)((const owned_conn *)ora_registry_at(&g_orphans, i))->handle;
  LeaveCriticalSection(&g_lock);
  if (!hs)
    return;
  for (size_t i = 0; i < n; i++) {
    ora_status st;
    int gone = ora_engine_status(g_engine, hs[i], &st) != 0;
    if (!gone && st.state == ORA_CS_Connected)
      continue;
    if (!gone) {
      ora_trace("manager: releasing %08x (its dialer is gone; it ended with %u)", (unsigned)hs[i],
                (unsigned)st.error);
      ora_engine_hangup(g_engine, hs[i]);
    }
    EnterCriticalSection(&g_lock);
    ora_registry_drop(&g_orphans, hs[i]);
    LeaveCriticalSection(&g_lock);
  }
  free(hs);
}

static uint32_t route_add(client *cl, uint64_t cookie, int every_event) {
  EnterCriticalSection(&g_lock);
  uint32_t id = 0;
  route *r = ora_registry_add(&g_routes, g_next_route);
  if (r) {
    id = g_next_route++;
    if (!g_next_route)
      g_next_route = 1;
    r->cookie = cookie;
    r->cl = cl;
    r->every_event = every_event;
  }
  LeaveCriticalSection(&g_lock);
  return id;
}

/* An unsolicited message (EVENT, NOTIFY) to a client, from any thread, never waiting:
 * straight into the lane when it fits there and nothing sent earlier still waits (the
 * order of a dial's events is kept), else queued for the writer thread. */
static void client_enqueue(client *cl, ora_wbuf *w) {
  if (ora_wbuf_finish(w) != 0) {
    ora_wbuf_free(w);
    return;
  }
  EnterCriticalSection(&cl->q_lock);
  if (!cl->head && !cl->writing && !cl->closing && TryEnterCriticalSection(&cl->write_lock)) {
    int put = ora_lane_try_write(&cl->lane, w->data, w->len);
    LeaveCriticalSection(&cl->write_lock);
    if (put != 0) { /* written, or the lane is broken: the client is closed */
      if (put < 0)
        ora_pipe_watch_cancel(&cl->watch);
      LeaveCriticalSection(&cl->q_lock);
      ora_wbuf_free(w);
      return;
    }
  }
  out_msg *m = malloc(sizeof *m);
  if (!m) {
    LeaveCriticalSection(&cl->q_lock);
    ora_wbuf_free(w);
    return;
  }
  m->next = NULL;
  m->data = w->data;
  m->len = w->len;
  if (cl->tail)
    cl->tail->next = m;
  else
    cl->head = m;
  cl->tail = m;
  WakeConditionVariable(&cl->q_cv);
  LeaveCriticalSection(&cl->q_lock);
}

/* The engine's sink: runs on the loop thread, so it never waits. */
static void on_event(void *ctx, const ora_event *ev) {
  uint32_t id = (uint32_t)(uintptr_t)ctx;
  EnterCriticalSection(&g_lock);
  route *r = (route *)ora_registry_find(&g_routes, id);
  if (r && r->cl && (r->every_event || ev->last)) {
    ora_wbuf w;
    ora_wbuf_begin(&w, ORA_MSG_EVENT, 0);
    ora_wbuf_u64(&w, r->cookie);
    ora_put_event(&w, ev);
    client_enqueue(r->cl, &w);
  }
  /* After Connected or an error the engine never uses this route again; a paused
   * dial keeps it for the events after the resume. */
  if (r && ora_event_ends_series(ev))
    ora_registry_drop(&g_routes, id);
  LeaveCriticalSection(&g_lock);
}

static DWORD WINAPI writer_main(LPVOID p) {
  client *cl = p;
  int failed = 0; /* the lane broke: what comes is dropped until the client is closed */
  for (;;) {
    EnterCriticalSection(&cl->q_lock);
    while (!cl->head && !cl->closing)
      SleepConditionVariableCS(&cl->q_cv, &cl->q_lock, INFINITE);
    out_msg *list = cl->head;
    cl->head = cl->tail = NULL;
    cl->writing = list != NULL;
    int closing = cl->closing;
    LeaveCriticalSection(&cl->q_lock);
    if (!list && closing)
      return 0;
    /* A client that does not read makes this wait for room; its going away ends it. */
    EnterCriticalSection(&cl->write_lock);
    for (out_msg *m = list; m && !failed; m = m->next)
      if (ora_lane_write(&cl->lane, m->data, m->len, INFINITE) != 0) {
        failed = 1;
        ora_pipe_watch_cancel(&cl->watch); /* the reader thread closes the client */
      }
    LeaveCriticalSection(&cl->write_lock);
    EnterCriticalSection(&cl->q_lock);
    cl->writing = 0;
    LeaveCriticalSection(&cl->q_lock);
    while (list) {
      out_msg *m = list;
      list = m->next;
      free(m->data);
      free(m);
    }
  }
}

/* 0, or -1 when the client must be closed (its lane broke, or it went). */
static int reply(client *cl, ora_wbuf *w) {
  int rc = 0;
  if (ora_wbuf_finish(w) == 0) {
    EnterCriticalSection(&cl->write_lock);
    rc = ora_lane_write(&cl->lane, w->data, w->len, INFINITE);
    LeaveCriticalSection(&cl->write_lock);
  }
  ora_wbuf_free(w);
  return rc;
}

/* The manager's resource use: what a soak test compares before and after. */
static void diag(ora_diag *d) {
  memset(d, 0, sizeof *d);
  DWORD pid = GetCurrentProcessId();
  HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
  if (snap != INVALID_HANDLE_VALUE) {
    THREADENTRY32 te;
    te.dwSize = sizeof te;
    for (BOOL ok = Thread32First(snap, &te); ok; ok = Thread32Next(snap, &te))
      if (te.th32OwnerProcessID == pid)
        d->threads++;
    CloseHandle(snap);
  }
  DWORD handles = 0;
  if (GetProcessHandleCount(GetCurrentProcess(), &handles))
    d->handles = handles;
  /* Every heap, not only GetProcessHeap(): the C runtime's malloc (which the engine
   * uses) has a heap of its own under Wine. */
  HANDLE heaps[64];
  DWORD nheaps = GetProcessHeaps(64, heaps);
  for (DWORD i = 0; i < nheaps && i < 64; i++) {
    PROCESS_HEAP_ENTRY he;
    he.lpData = NULL;
    if (HeapLock(heaps[i])) {
      while (HeapWalk(heaps[i], &he))
        if (he.wFlags & PROCESS_HEAP_ENTRY_BUSY)
          d->heap_bytes += he.cbData;
      HeapUnlock(heaps[i]);
    }
  }
  d->clients = (uint32_t)g_clients;
  EnterCriticalSection(&g_lock);
  d->routes = (uint32_t)g_routes.n;
  LeaveCriticalSection(&g_lock);
  d->connections = (uint32_t)ora_engine_count(g_engine);
}

/* Engine watcher of one client: runs on the loop thread, so it never waits. The
 * client unwatches before it is freed, and the engine calls watchers under the lock
 * that ora_engine_unwatch takes, so cl is alive here. */
static void on_watch(void *ctx, ora_handle h, int connected) {
  client *cl = ctx;
  ora_wbuf w;
  ora_wbuf_begin(&w, ORA_MSG_NOTIFY, 0);
  ora_wbuf_u32(&w, h);
  ora_wbuf_u32(&w, (uint32_t)connected);
  client_enqueue(cl, &w);
}

/* Another client hangs up a dial in progress: the dialer's RasDial returns, and its
 * notifier gets its last notification, with ERROR_USER_DISCONNECTION, as when it hangs
 * up itself (the engine sends nothing once a connection is released). */
static void end_dial_elsewhere(client *cl, ora_handle h) {
  ora_status st;
  if (ora_engine_status(g_engine, h, &st) != 0 || !ora_state_is_running(st.state) || st.error)
    return; /* gone, failed, paused (its dialer notices), connected or ended */
  EnterCriticalSection(&g_lock);
  route *r = route_of(h);
  if (r && r->cl && r->cl != cl) {
    ora_event ev;
    memset(&ev, 0, sizeof ev);
    ev.conn = h;
    ev.state = st.state;
    ev.error = ORA_ERROR_USER_DISCONNECTION;
    ev.subentry = r->subentry;
    ev.callback_id = r->callback_id;
    ev.last = 1;
    ora_wbuf w;
    ora_wbuf_begin(&w, ORA_MSG_EVENT, 0);
    ora_wbuf_u64(&w, r->cookie);
    ora_put_event(&w, &ev);
    client_enqueue(r->cl, &w);
    ora_registry_drop(&g_routes, r->id);
  }
  LeaveCriticalSection(&g_lock);
}

/* The requests of openras/calls.h. Each serve_NAME gets the decoded request and fills
 * the reply body; it returns the reply's RAS code. */
static int serve_dial(client *cl, const ora_req_dial *q, ora_body_handle *p) {
  uint32_t rid = route_add(cl, q->cookie, q->q.ack_required);
  ora_handle hc = 0;
  int rc = rid ? ora_engine_dial(g_engine, &q->q, on_event, (void *)(uintptr_t)rid, &hc)
               : ORA_ERROR_NOT_ENOUGH_MEMORY;
  EnterCriticalSection(&g_lock);
  route *rt = (route *)ora_registry_find(&g_routes, rid);
  if (rt) {
    if (hc) {
      rt->handle = hc;
      rt->callback_id = q->q.callback_id;
      rt->subentry = q->q.subentry ? q->q.subentry : 1;
    } else {
      ora_registry_drop(&g_routes, rid);
    }
  }
  LeaveCriticalSection(&g_lock);
  if (hc)
    own(cl, hc);
  p->h = hc;
  return rc;
}

static int serve_resume(client *cl, const ora_req_resume *q, ora_body_none *p) {
  (void)cl;
  (void)p;
  return ora_engine_resume(g_engine, q->h, &q->q);
}

static int serve_hangup(client *cl, const ora_body_handle *q, ora_body_none *p) {
  (void)p;
  ora_trace("manager: hang-up %08x requested", (unsigned)q->h);
  end_dial_elsewhere(cl, q->h);
  int rc = ora_engine_hangup(g_engine, q->h);
  if (rc == 0)
    ora_registry_drop(&cl->owned, q->h);
  return rc;
}

static int serve_enum(client *cl, const ora_req_enum *q, ora_rep_enum *p) {
  (void)cl;
  p->cap = q->cap > ORA_ENUM_MAX ? ORA_ENUM_MAX : q->cap;
  p->items = p->cap ? calloc(p->cap, sizeof *p->items) : NULL;
  if (p->cap && !p->items)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  size_t count = 0;
  int rc = ora_engine_enum(g_engine, p->items, p->cap, &count);
  p->count = (uint32_t)count;
  p->n = rc ? 0 : (uint32_t)(count < p->cap ? count : p->cap);
  return rc;
}

static int serve_watch(client *cl, const ora_body_none *q, ora_body_none *p) {
  (void)q;
  (void)p;
  return cl->watch_id ? 0 : ora_engine_watch(g_engine, on_watch, cl, &cl->watch_id);
}

static int serve_stats(client *cl, const ora_req_stats *q, ora_stats *p) {
  (void)cl;
  return ora_engine_stats(g_engine, q->h, q->clear != 0, p);
}

static int serve_find(client *cl, const ora_req_find *q, ora_body_handle *p) {
  (void)cl;
  return ora_engine_find(g_engine, q->phonebook, q->entry, &p->h);
}

static int serve_diag(client *cl, const ora_body_none *q, ora_diag *p) {
  (void)cl;
  (void)q;
  diag(p);
  return 0;
}

#define SERVE_HANDLE_CALL(MSG, name, T, stem, how)                                                 \
  static int serve_##name(client *cl, const ora_body_handle *q, T *p) {                            \
    (void)cl;                                                                                      \
    return ora_engine_##name(g_engine, q->h, p);                                                   \
  }
ORA_HANDLE_CALLS(SERVE_HANDLE_CALL)
#undef SERVE_HANDLE_CALL

/* What a reply body owns once it is written. */
static void rep_free(void *p) {
  (void)p;
}
static void rep_enum_free(ora_rep_enum *p) {
  free(p->items);
}
#define REP_FREE(p) _Generic((p), ora_rep_enum * : rep_enum_free, default : rep_free)(p)

/* One message handler per request, from the rows: decode (a malformed request closes
 * the client), serve, encode. Requests may carry passwords: wiped before freeing. */
#define MSG_HANDLER(MSG, name, Req, rq, Rep, rp)                                                   \
  static int msg_##name(client *cl, ora_rbuf *r, ora_wbuf *w) {                                    \
    Req *q = calloc(1, sizeof *q);                                                                 \
    Rep *p = calloc(1, sizeof *p);                                                                 \
    int ok = q && p;                                                                               \
    if (ok) {                                                                                      \
      ora_get_##rq(r, q);                                                                          \
      ok = ora_rbuf_done(r) == 0;                                                                  \
    }                                                                                              \
    if (ok) {                                                                                      \
      ora_wbuf_u32(w, (uint32_t)serve_##name(cl, q, p));                                           \
      ora_put_##rp(w, p);                                                                          \
      REP_FREE(p);                                                                                 \
    }                                                                                              \
    if (q)                                                                                         \
      ora_wipe(q, sizeof *q);                                                                      \
    free(q);                                                                                       \
    free(p);                                                                                       \
    return ok;                                                                                     \
  }
#define MSG_HANDLER_H(MSG, name, T, stem, how)                                                     \
  MSG_HANDLER(MSG, name, ora_body_handle, body_handle, T, stem)
ORA_REQUESTS(MSG_HANDLER)
ORA_HANDLE_CALLS(MSG_HANDLER_H)

typedef int (*msg_fn)(client *cl, ora_rbuf *r, ora_wbuf *w);
static const struct {
  uint16_t type;
  msg_fn fn;
} handlers[] = {
#define MSG_ROW(MSG, name, Req, rq, Rep, rp) {MSG, msg_##name},
#define MSG_ROW_H(MSG, name, T, stem, how) {MSG, msg_##name},
    ORA_REQUESTS(MSG_ROW) ORA_HANDLE_CALLS(MSG_ROW_H)
#undef MSG_ROW
#undef MSG_ROW_H
};

/* An acknowledgement: no reply. */
static int on_ack(const uint8_t *msg, size_t len) {
  ora_rbuf r;
  ora_rbuf_init(&r, msg, len);
  ora_handle hc = ora_rbuf_u32(&r);
  uint32_t seq = ora_rbuf_u32(&r);
  uint32_t keep = ora_rbuf_u32(&r);
  if (ora_rbuf_done(&r))
    return -1;
  ora_engine_ack(g_engine, hc, seq, keep != 0);
  return 0;
}

/* Handles one message; -1 closes the client (malformed input). */
static int handle_msg(client *cl, const uint8_t *msg, size_t len) {
  ora_msg_header h;
  if (ora_msg_header_decode(msg, len, &h) != 0 || h.length != len)
    return -1;
  ora_trace("manager: request type %u id %u (%u bytes)", (unsigned)h.type, (unsigned)h.id,
            (unsigned)len);
  if (h.type == ORA_MSG_ACK)
    return on_ack(msg, len);
  for (size_t i = 0; i < sizeof handlers / sizeof handlers[0]; i++) {
    if (handlers[i].type != h.type)
      continue;
    ora_rbuf r;
    ora_rbuf_init(&r, msg, len);
    ora_wbuf w;
    ora_wbuf_begin(&w, (uint16_t)(h.type | ORA_MSG_REPLY), h.id);
    if (!handlers[i].fn(cl, &r, &w)) {
      ora_wbuf_free(&w);
      return -1;
    }
    return reply(cl, &w);
  }
  return -1; /* an unknown type */
}

/* A client went away (its process exited or was killed): what it dialed and did not
 * hang up is released, dials in progress and failed dials alike (their ports freed),
 * as RasMan does for a process that exits; connected connections stay, as on Windows,
 * until someone hangs them up or they drop (sweep_orphans). */
static void abandon_dials(client *cl) {
  EnterCriticalSection(&g_lock);
  for (size_t i = 0; i < g_routes.n; i++) {
    route *r = ora_registry_at(&g_routes, i);
    if (r->cl == cl)
      r->cl = NULL;
  }
  LeaveCriticalSection(&g_lock);
  ora_trace("manager: client gone, %u connection(s) it dialed to check", (unsigned)cl->owned.n);
  for (size_t i = 0; i < cl->owned.n; i++) {
    ora_handle h = (ora_handle)((const owned_conn *)ora_registry_at(&cl->owned, i))->handle;
    ora_status st;
    if (ora_engine_status(g_engine, h, &st) != 0)
      continue; /* hung up by someone else */
    if (st.state == ORA_CS_Connected) {
      EnterCriticalSection(&g_lock);
      if (!ora_registry_add(&g_orphans, h))
        ora_trace("manager: out of memory: %08x stays until hung up", (unsigned)h);
      LeaveCriticalSection(&g_lock);
      continue;
    }
    ora_trace("manager: releasing %08x in state %u error %u (its dialer is gone)", (unsigned)h,
              (unsigned)st.state, (unsigned)st.error);
    ora_engine_hangup(g_engine, h);
  }
  ora_registry_clear(&cl->owned);
}

static DWORD WINAPI client_main(LPVOID p) {
  client *cl = p;
  for (;;) {
    uint8_t *msg;
    size_t len;
    if (ora_lane_read_msg(&cl->lane, ORA_MSG_MIN, ORA_MSG_MAX, &msg, &len) != 0)
      break;
    touch();
    int rc = handle_msg(cl, msg, len);
    ora_wipe(msg, len);
    free(msg);
    if (rc != 0)
      break; /* malformed: this client only is closed */
  }
  if (cl->watch_id)
    ora_engine_unwatch(g_engine, cl->watch_id);
  abandon_dials(cl);
  EnterCriticalSection(&cl->q_lock);
  cl->closing = 1;
  WakeConditionVariable(&cl->q_cv);
  LeaveCriticalSection(&cl->q_lock);
  ora_pipe_watch_cancel(&cl->watch); /* ends a wait for room in the lane */
  WaitForSingleObject(cl->writer, INFINITE);
  CloseHandle(cl->writer);
  ora_pipe_watch_end(&cl->watch);
  DisconnectNamedPipe(cl->pipe);
  CloseHandle(cl->pipe);
  ora_lane_close(&cl->lane);
  while (cl->head) {
    out_msg *m = cl->head;
    cl->head = m->next;
    free(m->data);
    free(m);
  }
  DeleteCriticalSection(&cl->write_lock);
  DeleteCriticalSection(&cl->q_lock);
  free(cl);
  InterlockedDecrement(&g_clients);
  touch();
  return 0;
}

/* Only the current user (and SYSTEM) may open the pipe, the status map and the lanes:
 * g_user_sa, made once by main and kept for the life of the process. */
static SECURITY_ATTRIBUTES g_user_sa;
static void user_only(SECURITY_ATTRIBUTES *sa) {
  PSECURITY_DESCRIPTOR sd = NULL;
  WCHAR sddl[256];
  HANDLE tok;
  WCHAR *sid = NULL;
  BYTE buf[256];
  DWORD n;
  sddl[0] = 0;
  if (OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok)) {
    if (GetTokenInformation(tok, TokenUser, buf, sizeof buf, &n) &&
        ConvertSidToStringSidW(((TOKEN_USER *)buf)->User.Sid, &sid)) {
      swprintf(sddl, 256, L"D:P(A;;GA;;;%ls)(A;;GA;;;SY)", sid);
      LocalFree(sid);
    }
    CloseHandle(tok);
  }
  memset(sa, 0, sizeof *sa);
  sa->nLength = sizeof *sa;
  if (sddl[0] &&
      ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &sd, NULL))
    sa->lpSecurityDescriptor = sd;
}

/* The pipe refuses remote clients as well. */
static HANDLE make_pipe(const WCHAR *name, int first) {
  DWORD open =
      PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED | (first ? FILE_FLAG_FIRST_PIPE_INSTANCE : 0);
  HANDLE h = CreateNamedPipeW(
      name, open, PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS,
      PIPE_UNLIMITED_INSTANCES, 64 * 1024, 64 * 1024, 0, &g_user_sa);
  return h;
}

/* A client that connected to the pipe: its lane, the HELLO naming it, the watch on the
 * pipe, its two threads. 0, or -1 with nothing left but the pipe (the caller's). */
static int serve_client(HANDLE pipe, const ora_manager_names *names, HANDLE ev) {
  client *cl = calloc(1, sizeof *cl);
  if (!cl)
    return -1;
  cl->pipe = pipe;
  cl->owned = (ora_registry)ORA_REGISTRY_INIT(sizeof(owned_conn));
  if (ora_lane_offer(&cl->lane, &cl->watch, pipe, ev, names, &g_user_sa) != 0) {
    free(cl);
    return -1;
  }
  InitializeCriticalSection(&cl->write_lock);
  InitializeCriticalSection(&cl->q_lock);
  InitializeConditionVariable(&cl->q_cv);
  cl->writer = CreateThread(NULL, 0, writer_main, cl, 0, NULL);
  InterlockedIncrement(&g_clients);
  touch();
  HANDLE t = cl->writer ? CreateThread(NULL, 0, client_main, cl, 0, NULL) : NULL;
  if (t) {
    CloseHandle(t);
    return 0; /* client_main owns cl and the pipe now */
  }
  InterlockedDecrement(&g_clients);
  if (cl->writer) {
    EnterCriticalSection(&cl->q_lock);
    cl->closing = 1;
    WakeConditionVariable(&cl->q_cv);
    LeaveCriticalSection(&cl->q_lock);
    WaitForSingleObject(cl->writer, INFINITE);
    CloseHandle(cl->writer);
  }
  DeleteCriticalSection(&cl->write_lock);
  DeleteCriticalSection(&cl->q_lock);
  ora_pipe_watch_end(&cl->watch);
  ora_lane_close(&cl->lane);
  free(cl);
  return -1;
}

/* The data plane's helper: ORA_TUN_HELPER (a Unix path under Wine; "none" turns the
 * data plane off), else openras-tun beside this program (scripts/install-wine.sh puts
 * it there). Where there is none (Windows), dials connect without a data plane. */
static void find_tun_helper(char *out, size_t cap) {
  out[0] = '\0';
  char env[ORA_PATH_BYTES];
  DWORD n = GetEnvironmentVariableA("ORA_TUN_HELPER", env, sizeof env);
  if (n > 0 && n < sizeof env) {
    if (strcmp(env, "none") != 0)
      snprintf(out, cap, "%s", env);
    return;
  }
  WCHAR path[MAX_PATH];
  DWORD len = GetModuleFileNameW(NULL, path, MAX_PATH);
  WCHAR *slash = len && len < MAX_PATH ? wcsrchr(path, L'\\') : NULL;
  if (!slash || (size_t)(slash - path) + 13 >= MAX_PATH)
    return;
  wcscpy(slash + 1, L"openras-tun");
  if (GetFileAttributesW(path) == INVALID_FILE_ATTRIBUTES ||
      !WideCharToMultiByte(CP_UTF8, 0, path, -1, out, (int)cap, NULL, NULL))
    out[0] = '\0';
}

int main(void) {
  ora_detach_host_stderr(); /* before anything could hold a caller's pipe for long */
  ora_manager_names names;
  if (ora_manager_names_get(ORA_PROTO_VERSION, &names) != 0)
    return 1;
  const WCHAR *name = names.pipe;
  InitializeCriticalSection(&g_lock);
  touch();
  /* One manager per user and prefix: a named mutex decides (Wine does not enforce
   * FILE_FLAG_FIRST_PIPE_INSTANCE), so a second manager started at the same moment
   * exits and its starter connects to the first. */
  HANDLE single = CreateMutexW(NULL, FALSE, names.mutex);
  if (!single || GetLastError() == ERROR_ALREADY_EXISTS)
    return 0;
  /* The status map exists before the pipe, so a client that connects can map it. */
  user_only(&g_user_sa);
  int mapped = make_map(names.map, &g_user_sa);
  HANDLE next = make_pipe(name, 1);
  if (next == INVALID_HANDLE_VALUE)
    return 0;
  /* No phone-book settings: every request names its phone book (the DLL resolves
   * the default ones in the caller's environment). */
  ora_engine_config cfg;
  memset(&cfg, 0, sizeof cfg);
  find_tun_helper(cfg.tun_helper, sizeof cfg.tun_helper);
  if (ora_engine_create(&cfg, &g_engine) != 0)
    return 1;
  if (mapped == 0)
    ora_engine_set_observer(g_engine, on_status, NULL);
  DWORD idle_ms = 30000;
  char env[32];
  if (GetEnvironmentVariableA("ORA_MANAGER_IDLE_MS", env, sizeof env) > 0)
    idle_ms = (DWORD)strtoul(env, NULL, 10);

  HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
  for (;;) {
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ResetEvent(ev);
    ov.hEvent = ev;
    BOOL connected = ConnectNamedPipe(next, &ov);
    DWORD err = connected ? ERROR_PIPE_CONNECTED : GetLastError();
    if (err == ERROR_IO_PENDING) {
      for (;;) {
        if (WaitForSingleObject(ev, 1000) == WAIT_OBJECT_0) {
          DWORD dummy;
          err =
              GetOverlappedResult(next, &ov, &dummy, FALSE) ? ERROR_PIPE_CONNECTED : GetLastError();
          break;
        }
        sweep_orphans();
        ULONGLONG quiet = GetTickCount64() - (ULONGLONG)g_last_activity;
        if (g_clients == 0 && ora_engine_count(g_engine) == 0 && quiet >= idle_ms) {
          /* A client may have connected since the wait timed out: serve it. */
          CancelIoEx(next, &ov);
          DWORD dummy;
          if (GetOverlappedResult(next, &ov, &dummy, TRUE)) {
            err = ERROR_PIPE_CONNECTED;
            break;
          }
          /* Close the pipe before the mutex: a client that finds no pipe starts a new
           * manager, which must not see this one's mutex for long. */
          CloseHandle(next);
          CloseHandle(single);
          ora_engine_destroy(g_engine);
          return 0;
        }
      }
    }
    if (err != ERROR_PIPE_CONNECTED) {
      DisconnectNamedPipe(next);
      continue;
    }
    /* The next instance first, so a client connecting meanwhile is not told "busy". */
    HANDLE conn = next;
    next = make_pipe(name, 0);
    while (next == INVALID_HANDLE_VALUE) {
      Sleep(100);
      next = make_pipe(name, 0);
    }
    if (serve_client(conn, &names, ev) != 0)
      CloseHandle(conn); /* could not serve it: drop it, keep serving others */
  }
}
