/* The engine interface (include/openras/engine.h) implemented as a client of the
 * connection manager process: every call becomes one message on the lane the manager
 * gives this process (win32_lane.h), and events come back on a reader thread. The DLL
 * above it cannot tell it from the in-process engine.
 *
 * One pipe connection per process, opened on first use; if no manager answers, one
 * is started from beside this DLL. The pipe carries only the manager's HELLO, which
 * names the lane, and then tells by its end that the manager went away. Requests are
 * serialized (one in flight); acks are written without waiting. If the manager goes
 * away, the waiting call and any dial in progress fail (dials get a last event with
 * ERROR_DISCONNECTION) and the next call starts a fresh manager. */
#include <windows.h>

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "openras/win32_lane.h"
#include "openras/calls.h"
#include "openras/proto.h"
#include "openras/statusmap.h"
#include "openras/base/registry.h"
#include "openras/base/trace.h"
#include "openras/base/wipe.h"

#define CONNECT_TIMEOUT_MS 10000
#define REPLY_TIMEOUT_MS 30000

struct ora_engine {
  int unused;
};

typedef struct sink_reg {
  uint64_t cookie;
  ora_event_fn fn;
  void *ctx;
  ora_handle handle;
} sink_reg;

static SRWLOCK g_req = SRWLOCK_INIT;   /* one request at a time; also guards connecting */
static SRWLOCK g_write = SRWLOCK_INIT; /* one writer at a time; the lane is set up and
                                        * torn down under it */
static SRWLOCK g_state = SRWLOCK_INIT; /* everything below */
static CONDITION_VARIABLE g_reply_cv = CONDITION_VARIABLE_INIT;
static HANDLE g_pipe = INVALID_HANDLE_VALUE;
static ora_pipe_watch g_watch; /* ends when the manager goes (or mark_broken) */
static ora_lane g_lane;
static HANDLE g_reader;
static volatile LONG g_broken = 1;
static uint32_t g_next_id = 1;
static uint32_t g_wait_id;
static uint8_t *g_reply;
static size_t g_reply_len;
static ora_registry g_sinks = ORA_REGISTRY_INIT(sizeof(sink_reg));
static uint64_t g_next_cookie = 1;

typedef struct watch_reg {
  uint64_t id; /* the registry key */
  ora_watch_fn fn;
  void *ctx;
} watch_reg;
static ora_registry g_watches = ORA_REGISTRY_INIT(sizeof(watch_reg)); /* under g_state */
static uint32_t g_next_watch;
static int g_subscribed;              /* the current manager connection sends NOTIFY messages */
static const ora_map *volatile g_map; /* the manager's status map, NULL when not mapped */

static void on_event_msg(const uint8_t *msg, size_t len) {
  ora_rbuf r;
  ora_rbuf_init(&r, msg, len);
  uint64_t cookie = ora_rbuf_u64(&r);
  ora_event ev;
  ora_get_event(&r, &ev);
  if (ora_rbuf_done(&r))
    return;
  AcquireSRWLockExclusive(&g_state);
  sink_reg *s = ora_registry_find(&g_sinks, cookie);
  if (s) {
    s->fn(s->ctx, &ev); /* sinks only queue */
    if (ora_event_ends_series(&ev))
      ora_registry_drop(&g_sinks, cookie);
  }
  ReleaseSRWLockExclusive(&g_state);
}

static DWORD WINAPI reader_main(LPVOID arg) {
  (void)arg;
  for (;;) {
    uint8_t *msg;
    size_t len;
    if (ora_lane_read_msg(&g_lane, ORA_MSG_MIN, ORA_MSG_MAX, &msg, &len) != 0)
      break;
    ora_msg_header h;
    if (ora_msg_header_decode(msg, len, &h) != 0) {
      free(msg);
      break; /* not our protocol's version: treated as a broken pipe */
    }
    if (h.type == ORA_MSG_EVENT) {
      on_event_msg(msg, len);
      free(msg);
      continue;
    }
    if (h.type == ORA_MSG_NOTIFY) {
      ora_rbuf r;
      ora_rbuf_init(&r, msg, len);
      ora_handle hc = ora_rbuf_u32(&r);
      uint32_t what = ora_rbuf_u32(&r);
      int connected = what <= ORA_WATCH_RECONNECTED ? (int)what : ORA_WATCH_CONNECTED;
      if (!ora_rbuf_done(&r)) {
        AcquireSRWLockExclusive(&g_state);
        for (size_t i = 0; i < g_watches.n; i++) {
          const watch_reg *w = ora_registry_at(&g_watches, i);
          w->fn(w->ctx, hc, connected);
        }
        ReleaseSRWLockExclusive(&g_state);
      }
      free(msg);
      continue;
    }
    AcquireSRWLockExclusive(&g_state);
    if ((h.type & ORA_MSG_REPLY) && h.id == g_wait_id && !g_reply) {
      g_reply = msg;
      g_reply_len = len;
      msg = NULL;
      WakeAllConditionVariable(&g_reply_cv);
    }
    ReleaseSRWLockExclusive(&g_state);
    free(msg);
  }
  /* The manager is gone: fail the waiting call and every dial still in progress. */
  AcquireSRWLockExclusive(&g_state);
  g_broken = 1;
  WakeAllConditionVariable(&g_reply_cv);
  for (size_t i = 0; i < g_sinks.n; i++) {
    const sink_reg *s = ora_registry_at(&g_sinks, i);
    ora_event ev;
    memset(&ev, 0, sizeof ev);
    ev.conn = s->handle;
    ev.state = ORA_CS_Disconnected;
    ev.error = ORA_ERROR_DISCONNECTION;
    ev.last = 1;
    s->fn(s->ctx, &ev);
  }
  ora_registry_clear(&g_sinks);
  g_subscribed = 0;
  ReleaseSRWLockExclusive(&g_state);
  return 0;
}

/* A 32-bit program on 64-bit Windows (or Wine) first tries the 64-bit manager installed
 * in the native system folder, as Windows' RasMan is a 64-bit service whatever the
 * client: the links then run natively (where the machine runs 32-bit code only through
 * an emulator, several times faster), and 32- and 64-bit programs share one manager
 * whichever starts first. 1 with its path, 0 when there is none. */
static int native_manager(WCHAR *path, size_t cap) {
  BOOL wow64 = FALSE;
  if (!IsWow64Process(GetCurrentProcess(), &wow64) || !wow64)
    return 0;
  WCHAR dir[MAX_PATH];
  UINT n = GetSystemWindowsDirectoryW(dir, MAX_PATH);
  if (n == 0 || n >= MAX_PATH ||
      swprintf(path, cap, L"%ls\\sysnative\\openras-manager.exe", dir) <= 0)
    return 0;
  return GetFileAttributesW(path) != INVALID_FILE_ATTRIBUTES;
}

/* openras-manager.exe (ORA_MANAGER_PATH, else the native one for a 32-bit program,
 * else the one beside this DLL), started detached with its stdio on a log file so it
 * never holds the starter's console or pipes. */
static void start_manager(int attempt) {
  WCHAR path[MAX_PATH + 32];
  DWORD n = GetEnvironmentVariableW(L"ORA_MANAGER_PATH", path, MAX_PATH);
  /* The native one twice (the second start covers one that was exiting), then, in case
   * it is not this version's, the one beside this DLL. */
  if ((n == 0 || n >= MAX_PATH) && attempt < 2 && native_manager(path, MAX_PATH + 32))
    n = 1;
  if (n == 0 || n >= MAX_PATH) {
    HMODULE self = NULL;
    GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                           GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                       (LPCWSTR)(void *)start_manager, &self);
    n = GetModuleFileNameW(self, path, MAX_PATH);
    if (n == 0 || n >= MAX_PATH)
      return;
    WCHAR *slash = wcsrchr(path, L'\\');
    if (!slash)
      return;
    wcscpy(slash + 1, L"openras-manager.exe");
  }
  /* The manager's standard handles are a file in the temporary folder, not NUL: under
   * Wine a handle that is no real file makes the child inherit the starter's Unix
   * stdio, and a manager holding a caller's output pipe keeps whoever reads it (a
   * shell pipeline, a test runner) waiting until the manager exits. Only that one
   * handle is inherited (PROC_THREAD_ATTRIBUTE_HANDLE_LIST), so the long-lived
   * manager never keeps any of the caller's inheritable handles open. */
  SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
  WCHAR logpath[MAX_PATH + 32];
  DWORD tn = GetTempPathW(MAX_PATH, logpath);
  HANDLE log = INVALID_HANDLE_VALUE;
  if (tn > 0 && tn < MAX_PATH) {
    wcscat(logpath, L"openras-manager.log");
    log = CreateFileW(logpath, FILE_APPEND_DATA | SYNCHRONIZE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                      &sa, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
  }
  STARTUPINFOEXW si;
  memset(&si, 0, sizeof si);
  si.StartupInfo.cb = sizeof si;
  DWORD flags = CREATE_NO_WINDOW | DETACHED_PROCESS;
  BOOL inherit = FALSE;
  SIZE_T attr_size = 0;
  void *attrs = NULL;
  if (log != INVALID_HANDLE_VALUE) {
    InitializeProcThreadAttributeList(NULL, 1, 0, &attr_size);
    attrs = attr_size ? HeapAlloc(GetProcessHeap(), 0, attr_size) : NULL;
    if (attrs && InitializeProcThreadAttributeList(attrs, 1, 0, &attr_size)) {
      si.lpAttributeList = attrs;
      if (UpdateProcThreadAttribute(attrs, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, &log, sizeof log,
                                    NULL, NULL)) {
        si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
        si.StartupInfo.hStdInput = si.StartupInfo.hStdOutput = si.StartupInfo.hStdError = log;
        flags |= EXTENDED_STARTUPINFO_PRESENT;
        inherit = TRUE;
      }
    }
  }
  PROCESS_INFORMATION pi;
  if (CreateProcessW(path, NULL, NULL, NULL, inherit, flags, NULL, NULL, &si.StartupInfo, &pi)) {
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
  }
  if (si.lpAttributeList)
    DeleteProcThreadAttributeList(si.lpAttributeList);
  if (attrs)
    HeapFree(GetProcessHeap(), 0, attrs);
  if (log != INVALID_HANDLE_VALUE)
    CloseHandle(log);
}

/* The connection failed under a request: make the reader thread stop (it reports
 * the break to every dial), so the next request starts over. */
static void mark_broken(void) {
  InterlockedExchange(&g_broken, 1);
  if (g_pipe != INVALID_HANDLE_VALUE)
    ora_pipe_watch_cancel(&g_watch);
}

typedef void (*put_fn)(ora_wbuf *w, const void *arg);
typedef void (*get_fn)(ora_rbuf *r, void *arg);
static int exchange(uint16_t type, put_fn put, const void *parg, get_fn get, void *garg);
static void put_watch(ora_wbuf *w, const void *arg);
static void get_watch(ora_rbuf *r, void *arg);

/* With g_req held and connected: asks a (new) manager for NOTIFY messages when this
 * process has watchers. */
static int resubscribe(void) {
  AcquireSRWLockShared(&g_state);
  int want = g_watches.n > 0 && !g_subscribed;
  ReleaseSRWLockShared(&g_state);
  if (!want)
    return 0;
  ora_body_none q = {0};
  ora_body_none p = {0};
  int rc = exchange(ORA_MSG_WATCH, put_watch, &q, get_watch, &p);
  if (rc == 0) {
    AcquireSRWLockExclusive(&g_state);
    g_subscribed = 1;
    ReleaseSRWLockExclusive(&g_state);
  }
  return rc;
}

/* With g_req held, after connecting: maps the manager's status map (read-only).
 * Without it every status read asks the manager. */
static void map_status(const WCHAR *map_name) {
  /* One view for the life of the process: while we hold it the named section
   * survives a manager restart, and the next manager clears and reuses it. Never
   * unmapped, because status readers use it without a lock. */
  if (g_map)
    return;
  HANDLE h = OpenFileMappingW(FILE_MAP_READ, FALSE, map_name);
  if (!h) {
    ora_trace("dll: no status map (%lu); status reads ask the manager",
              (unsigned long)GetLastError());
    return;
  }
  const ora_map *m = MapViewOfFile(h, FILE_MAP_READ, 0, 0, sizeof(ora_map));
  if (!m || m->magic != ORA_MAP_MAGIC || m->version != ORA_MAP_VERSION) {
    ora_trace("dll: status map unusable; status reads ask the manager");
    if (m)
      UnmapViewOfFile(m);
    CloseHandle(h);
    return;
  }
  g_map = m; /* the section handle stays open with the view */
}

/* With g_req held: makes sure a live connection exists. */
static int ensure_connected(void) {
  AcquireSRWLockShared(&g_state);
  int broken = g_broken;
  ReleaseSRWLockShared(&g_state);
  if (!broken)
    return 0;
  if (g_reader) {
    WaitForSingleObject(g_reader, INFINITE);
    CloseHandle(g_reader);
    g_reader = NULL;
  }
  /* A notifier thread may be writing an acknowledgement: the lane goes under g_write. */
  AcquireSRWLockExclusive(&g_write);
  if (g_pipe != INVALID_HANDLE_VALUE) {
    ora_pipe_watch_end(&g_watch);
    ora_lane_close(&g_lane);
    CloseHandle(g_pipe);
    g_pipe = INVALID_HANDLE_VALUE;
  }
  ReleaseSRWLockExclusive(&g_write);
  ora_manager_names names;
  if (ora_manager_names_get(ORA_PROTO_VERSION, &names) != 0)
    return ORA_ERROR_RASMAN_CANNOT_INITIALIZE;
  const WCHAR *name = names.pipe;
  ULONGLONG deadline = GetTickCount64() + CONNECT_TIMEOUT_MS;
  ULONGLONG next_start = 0;
  int starts = 0;
  HANDLE h = INVALID_HANDLE_VALUE;
  while (h == INVALID_HANDLE_VALUE) {
    h = CreateFileW(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                    FILE_FLAG_OVERLAPPED, NULL);
    if (h != INVALID_HANDLE_VALUE)
      break;
    DWORD err = GetLastError();
    if (GetTickCount64() >= deadline)
      return ORA_ERROR_RASMAN_CANNOT_INITIALIZE;
    if (err == ERROR_PIPE_BUSY) {
      WaitNamedPipeW(name, 200);
    } else {
      /* Start a manager, and again after a second: one that was exiting as we
       * started may have made ours give way. */
      if (GetTickCount64() >= next_start) {
        start_manager(starts++);
        next_start = GetTickCount64() + 1000;
      }
      Sleep(10);
    }
  }
  AcquireSRWLockExclusive(&g_write);
  int rc = ora_lane_join(&g_lane, &g_watch, h, &names, CONNECT_TIMEOUT_MS);
  if (rc == 0) {
    g_pipe = h;
    AcquireSRWLockExclusive(&g_state);
    g_broken = 0;
    ReleaseSRWLockExclusive(&g_state);
    g_reader = CreateThread(NULL, 0, reader_main, NULL, 0, NULL);
    if (!g_reader) {
      g_broken = 1;
      ora_pipe_watch_end(&g_watch);
      ora_lane_close(&g_lane);
      g_pipe = INVALID_HANDLE_VALUE;
      rc = -1;
    }
  }
  ReleaseSRWLockExclusive(&g_write);
  if (rc != 0) {
    CloseHandle(h);
    return ORA_ERROR_RASMAN_CANNOT_INITIALIZE;
  }
  map_status(names.map);
  return resubscribe();
}

static int send_msg(ora_wbuf *w) {
  if (ora_wbuf_finish(w) != 0)
    return -1;
  AcquireSRWLockExclusive(&g_write);
  int rc = g_pipe != INVALID_HANDLE_VALUE && !InterlockedCompareExchange(&g_broken, 0, 0)
               ? ora_lane_write(&g_lane, w->data, w->len, REPLY_TIMEOUT_MS)
               : -1;
  ReleaseSRWLockExclusive(&g_write);
  return rc;
}

/* Sends a request and waits for its reply. On success the reply (header included)
 * is in *msg, to free(). Errors are RAS codes. Called with g_req held. */
static int transact(ora_wbuf *w, uint8_t **msg, size_t *len) {
  AcquireSRWLockExclusive(&g_state);
  g_wait_id =
      (uint32_t)(w->data[8] | w->data[9] << 8 | w->data[10] << 16 | (uint32_t)w->data[11] << 24);
  g_reply = NULL;
  ReleaseSRWLockExclusive(&g_state);
  if (send_msg(w) != 0) {
    mark_broken();
    return ORA_ERROR_RASMAN_CANNOT_INITIALIZE;
  }
  ULONGLONG deadline = GetTickCount64() + REPLY_TIMEOUT_MS;
  AcquireSRWLockExclusive(&g_state);
  while (!g_reply && !g_broken && GetTickCount64() < deadline)
    SleepConditionVariableSRW(&g_reply_cv, &g_state, 1000, 0);
  *msg = g_reply;
  *len = g_reply_len;
  g_reply = NULL;
  g_wait_id = 0;
  ReleaseSRWLockExclusive(&g_state);
  if (!*msg) {
    mark_broken();
    return ORA_ERROR_RASMAN_CANNOT_INITIALIZE;
  }
  return 0;
}

/* A request, with g_req held and connected: begins a message, lets `put` fill the body,
 * waits, and hands the reply body to `get`. Returns the RAS code of the reply (its
 * first u32) or a transport error. */
static int exchange(uint16_t type, put_fn put, const void *parg, get_fn get, void *garg) {
  ora_wbuf w;
  ora_wbuf_begin(&w, type, g_next_id++);
  if (!g_next_id)
    g_next_id = 1;
  put(&w, parg);
  uint8_t *msg = NULL;
  size_t len = 0;
  int rc = transact(&w, &msg, &len);
  ora_wbuf_free(&w);
  if (rc == 0) {
    ora_rbuf r;
    ora_rbuf_init(&r, msg, len);
    rc = (int)ora_rbuf_u32(&r);
    get(&r, garg);
    if (ora_rbuf_done(&r))
      rc = ORA_ERROR_RASMAN_CANNOT_INITIALIZE; /* a reply we cannot read */
    ora_wipe(msg, len);
    free(msg);
  }
  return rc;
}

static int call(uint16_t type, put_fn put, const void *parg, get_fn get, void *garg) {
  AcquireSRWLockExclusive(&g_req);
  int rc = ensure_connected();
  if (rc == 0)
    rc = exchange(type, put, parg, get, garg);
  ReleaseSRWLockExclusive(&g_req);
  return rc;
}

/* The client stubs of openras/calls.h: remote_NAME(request, reply) asks the manager; the
 * GEN handle calls are also the engine interface's ora_engine_NAME. */
#define REMOTE(MSG, name, Req, rq, Rep, rp)                                                        \
  static void put_##name(ora_wbuf *w, const void *arg) {                                           \
    ora_put_##rq(w, arg);                                                                          \
  }                                                                                                \
  static void get_##name(ora_rbuf *r, void *arg) {                                                 \
    ora_get_##rp(r, arg);                                                                          \
  }                                                                                                \
  static inline int remote_##name(const Req *q, Rep *p) {                                          \
    return call(MSG, put_##name, q, get_##name, p);                                                \
  }
ORA_REQUESTS(REMOTE)
#define REMOTE_H(MSG, name, T, stem, how)                                                          \
  REMOTE(MSG, name, ora_body_handle, body_handle, T, stem)                                         \
  REMOTE_##how(name, T)
#define REMOTE_GEN(name, T)                                                                        \
  int ora_engine_##name(ora_engine *e, ora_handle h, T *out) {                                     \
    (void)e;                                                                                       \
    if (!out)                                                                                      \
      return ORA_ERROR_INVALID_PARAMETER;                                                          \
    ora_body_handle q = {h};                                                                       \
    return remote_##name(&q, out);                                                                 \
  }
#define REMOTE_OWN(name, T)
ORA_HANDLE_CALLS(REMOTE_H)

int ora_engine_create(const ora_engine_config *cfg, ora_engine **out) {
  (void)cfg; /* the manager finds the user's phone books itself */
  static struct ora_engine the_engine;
  *out = &the_engine;
  return 0;
}

void ora_engine_destroy(ora_engine *e) {
  (void)e; /* connections belong to the manager, not to this process */
}

int ora_engine_dial(ora_engine *e, const ora_dial_request *req, ora_event_fn sink, void *sink_ctx,
                    ora_handle *out) {
  if (!e || !req || !out)
    return ORA_ERROR_INVALID_PARAMETER;
  *out = 0;
  ora_req_dial *q = malloc(sizeof *q);
  if (!q)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  q->cookie = 0;
  q->q = *req;
  /* Register the sink before asking: the first events may beat the reply. */
  AcquireSRWLockExclusive(&g_state);
  if (sink) {
    sink_reg *s = ora_registry_add(&g_sinks, g_next_cookie);
    if (!s) {
      ReleaseSRWLockExclusive(&g_state);
      ora_wipe(q, sizeof *q);
      free(q);
      return ORA_ERROR_NOT_ENOUGH_MEMORY;
    }
    q->cookie = g_next_cookie++;
    s->fn = sink;
    s->ctx = sink_ctx;
  }
  ReleaseSRWLockExclusive(&g_state);
  ora_body_handle p = {0};
  int rc = remote_dial(q, &p);
  AcquireSRWLockExclusive(&g_state);
  sink_reg *s = sink ? ora_registry_find(&g_sinks, q->cookie) : NULL;
  if (s) {
    if (p.h)
      s->handle = p.h;
    else
      ora_registry_drop(&g_sinks, q->cookie);
  }
  ReleaseSRWLockExclusive(&g_state);
  ora_wipe(q, sizeof *q);
  free(q);
  *out = p.h;
  return rc;
}

int ora_engine_resume(ora_engine *e, ora_handle h, const ora_dial_request *req) {
  (void)e;
  if (!req)
    return ORA_ERROR_INVALID_PARAMETER;
  ora_req_resume *q = malloc(sizeof *q);
  if (!q)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  q->h = h;
  q->q = *req;
  ora_body_none p = {0};
  int rc = remote_resume(q, &p);
  ora_wipe(q, sizeof *q);
  free(q);
  return rc;
}

int ora_engine_ack(ora_engine *e, ora_handle h, uint32_t seq, int keep_going) {
  (void)e;
  /* No g_state here: a notifier thread acks while the reader may hold it. */
  if (InterlockedCompareExchange(&g_broken, 0, 0))
    return ORA_ERROR_INVALID_HANDLE;
  ora_wbuf w;
  ora_wbuf_begin(&w, ORA_MSG_ACK, 0);
  ora_wbuf_u32(&w, h);
  ora_wbuf_u32(&w, seq);
  ora_wbuf_u32(&w, keep_going ? 1 : 0);
  int rc = send_msg(&w) == 0 ? 0 : ORA_ERROR_INVALID_HANDLE;
  ora_wbuf_free(&w);
  return rc;
}

int ora_engine_hangup(ora_engine *e, ora_handle h) {
  (void)e;
  ora_body_handle q = {h};
  ora_body_none p = {0};
  int rc = remote_hangup(&q, &p);
  if (rc == 0) {
    /* As with the in-process engine, no event reaches a sink after its hang-up. */
    AcquireSRWLockExclusive(&g_state);
    for (size_t i = 0; i < g_sinks.n;)
      if (((const sink_reg *)ora_registry_at(&g_sinks, i))->handle == h)
        ora_registry_drop_at(&g_sinks, i);
      else
        i++;
    ReleaseSRWLockExclusive(&g_state);
  }
  return rc;
}

int ora_engine_status(ora_engine *e, ora_handle h, ora_status *out) {
  (void)e;
  if (!out)
    return ORA_ERROR_INVALID_PARAMETER;
  /* The fast path: read the manager's status map, no round trip. Only while the
   * pipe is up: a dead manager's map is stale. */
  const ora_map *m = g_map;
  if (m && !InterlockedCompareExchange(&g_broken, 0, 0)) {
    int r = ora_map_read(m, h, out);
    if (r >= 0)
      return r ? 0 : ORA_ERROR_INVALID_HANDLE;
  }
  ora_body_handle q = {h};
  return remote_status(&q, out);
}

int ora_engine_enum(ora_engine *e, ora_conn_info *items, size_t cap, size_t *count) {
  (void)e;
  if (!count || (cap && !items))
    return ORA_ERROR_INVALID_PARAMETER;
  ora_req_enum q = {cap > ORA_ENUM_MAX ? ORA_ENUM_MAX : (uint32_t)cap};
  ora_rep_enum p = {0, 0, q.cap, items};
  int rc = remote_enum(&q, &p);
  *count = rc == 0 ? p.count : 0;
  return rc;
}

size_t ora_engine_count(ora_engine *e) {
  (void)e;
  return 0; /* only the manager needs this */
}

/* Private export for tests and benchmarks: the manager's resource use. */
DWORD WINAPI OpenRasManagerDiag(ora_diag *out);
DWORD WINAPI OpenRasManagerDiag(ora_diag *out) {
  if (!out)
    return ORA_ERROR_INVALID_PARAMETER;
  ora_body_none q = {0};
  return (DWORD)remote_diag(&q, out);
}

int ora_engine_stats(ora_engine *e, ora_handle h, int clear, ora_stats *out) {
  (void)e;
  if (!out)
    return ORA_ERROR_INVALID_PARAMETER;
  ora_req_stats q = {h, clear ? 1u : 0u};
  return remote_stats(&q, out);
}

int ora_engine_find(ora_engine *e, const char *phonebook, const char *entry, ora_handle *out) {
  (void)e;
  if (!phonebook || !entry || !out)
    return ORA_ERROR_INVALID_PARAMETER;
  *out = 0;
  ora_req_find *q = malloc(sizeof *q);
  if (!q)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  /* Longer names than the fields name no connection (the manager's fields are the
   * engine's own limits). */
  int rc = ORA_ERROR_NO_CONNECTION;
  if (strlen(phonebook) < sizeof q->phonebook && strlen(entry) < sizeof q->entry) {
    strcpy(q->phonebook, phonebook);
    strcpy(q->entry, entry);
    ora_body_handle p = {0};
    rc = remote_find(q, &p);
    *out = rc == 0 ? p.h : 0;
  }
  free(q);
  return rc;
}

/* Watchers are kept here and served from one subscription per manager connection,
 * renewed when a new manager is started. */
int ora_engine_watch(ora_engine *e, ora_watch_fn fn, void *ctx, uint32_t *id) {
  (void)e;
  if (!fn || !id)
    return ORA_ERROR_INVALID_PARAMETER;
  AcquireSRWLockExclusive(&g_state);
  watch_reg *w = ora_registry_add(&g_watches, g_next_watch + 1);
  if (!w) {
    ReleaseSRWLockExclusive(&g_state);
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  }
  *id = ++g_next_watch;
  w->fn = fn;
  w->ctx = ctx;
  ReleaseSRWLockExclusive(&g_state);
  AcquireSRWLockExclusive(&g_req);
  int rc = ensure_connected();
  if (rc == 0)
    rc = resubscribe();
  ReleaseSRWLockExclusive(&g_req);
  if (rc != 0)
    ora_engine_unwatch(e, *id);
  return rc;
}

int ora_engine_unwatch(ora_engine *e, uint32_t id) {
  (void)e;
  int rc = ORA_ERROR_INVALID_HANDLE;
  AcquireSRWLockExclusive(&g_state);
  if (ora_registry_drop(&g_watches, id))
    rc = 0;
  ReleaseSRWLockExclusive(&g_state);
  return rc;
}
