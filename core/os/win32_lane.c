/* The manager's shared-memory lane (see win32_lane.h). */
#include "openras/win32_lane.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "openras/base/wipe.h"
#include "openras/os.h"
#include "openras/proto.h"
#include "openras/win32_host.h"

#define CTL_BYTES (2 * sizeof(ora_lane_ctl))
#define SECTION_BYTES (CTL_BYTES + 2 * (size_t)ORA_LANE_RING)
#define RING_MASK (ORA_LANE_RING - 1u)
#define READ_CHUNK 65536

/* Direction 0 carries the client's messages to the manager, 1 the manager's back. The
 * objects are named after the manager's mutex, then "-lane-<id>", then a suffix. */
static int object_name(WCHAR *out, size_t cap, const ora_manager_names *n, uint64_t id,
                       const WCHAR *suffix) {
  return swprintf(out, cap, L"%ls-lane-%016llx%ls", n->mutex, (unsigned long long)id, suffix) > 0
             ? 0
             : -1;
}

static const WCHAR *const k_event_suffix[4] = {L"-0d", L"-0r", L"-1d", L"-1r"};

static void bind_dirs(ora_lane *l, HANDLE ev[4], int manager) {
  ora_lane_ctl *ctl = l->view;
  uint8_t *data = (uint8_t *)l->view + CTL_BYTES;
  ora_lane_dir d[2];
  for (int i = 0; i < 2; i++) {
    d[i].ctl = &ctl[i];
    d[i].data = data + (size_t)i * ORA_LANE_RING;
    d[i].data_ev = ev[2 * i];
    d[i].room_ev = ev[2 * i + 1];
  }
  l->in = d[manager ? 0 : 1];
  l->out = d[manager ? 1 : 0];
}

static void close_events(HANDLE ev[4]) {
  for (int i = 0; i < 4; i++)
    if (ev[i])
      CloseHandle(ev[i]);
}

/* Makes (the manager) or opens (the client) the section and events of lane id. */
static int attach(ora_lane *l, const ora_manager_names *names, uint64_t id, SECURITY_ATTRIBUTES *sa,
                  int manager) {
  memset(l, 0, sizeof *l);
  WCHAR name[400];
  HANDLE ev[4] = {0};
  if (object_name(name, 400, names, id, L"") != 0)
    return -1;
  /* The id is random, so no other program can have made these objects first; one that
   * did (ERROR_ALREADY_EXISTS) is refused. */
  l->section = manager ? CreateFileMappingW(INVALID_HANDLE_VALUE, sa, PAGE_READWRITE, 0,
                                            (DWORD)SECTION_BYTES, name)
                       : OpenFileMappingW(FILE_MAP_WRITE, FALSE, name);
  if (!l->section || (manager && GetLastError() == ERROR_ALREADY_EXISTS))
    goto fail;
  for (int i = 0; i < 4; i++) {
    if (object_name(name, 400, names, id, k_event_suffix[i]) != 0)
      goto fail;
    ev[i] = manager ? CreateEventW(sa, FALSE, FALSE, name)
                    : OpenEventW(EVENT_MODIFY_STATE | SYNCHRONIZE, FALSE, name);
    if (!ev[i] || (manager && GetLastError() == ERROR_ALREADY_EXISTS))
      goto fail;
  }
  /* Fails if an opened section is smaller than this version's lane. */
  l->view = MapViewOfFile(l->section, FILE_MAP_WRITE, 0, 0, SECTION_BYTES);
  if (!l->view)
    goto fail;
  bind_dirs(l, ev, manager);
  return 0;
fail:
  close_events(ev);
  if (l->section)
    CloseHandle(l->section);
  memset(l, 0, sizeof *l);
  return -1;
}

int ora_lane_create(ora_lane *l, const ora_manager_names *names, SECURITY_ATTRIBUTES *sa,
                    uint64_t *id) {
  if (ora_random(id, sizeof *id) != 0) {
    memset(l, 0, sizeof *l);
    return -1;
  }
  return attach(l, names, *id, sa, 1);
}

int ora_lane_open(ora_lane *l, const ora_manager_names *names, uint64_t id) {
  return attach(l, names, id, NULL, 0);
}

#define HELLO_BYTES (ORA_MSG_HEADER + 8) /* the header and the lane's u64 id */

int ora_lane_offer(ora_lane *l, ora_pipe_watch *w, HANDLE pipe, HANDLE ev,
                   const ora_manager_names *names, SECURITY_ATTRIBUTES *sa) {
  uint64_t id;
  if (ora_lane_create(l, names, sa, &id) != 0)
    return -1;
  ora_wbuf hello;
  ora_wbuf_begin(&hello, ORA_MSG_HELLO, 0);
  ora_wbuf_u64(&hello, id);
  int rc = ora_wbuf_finish(&hello) == 0 && ora_pipe_write(pipe, ev, hello.data, hello.len) == 0 &&
                   ora_pipe_watch_start(w, pipe) == 0
               ? 0
               : -1;
  ora_wbuf_free(&hello);
  if (rc != 0)
    ora_lane_close(l);
  else
    l->gone = w->gone;
  return rc;
}

int ora_lane_join(ora_lane *l, ora_pipe_watch *w, HANDLE pipe, const ora_manager_names *names,
                  DWORD timeout_ms) {
  memset(l, 0, sizeof *l);
  uint8_t hello[HELLO_BYTES];
  HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
  int rc = ev ? ora_pipe_read(pipe, ev, hello, sizeof hello, timeout_ms) : -1;
  if (ev)
    CloseHandle(ev);
  ora_msg_header h;
  if (rc != 0 || ora_msg_header_decode(hello, sizeof hello, &h) != 0 || h.type != ORA_MSG_HELLO ||
      h.length != sizeof hello)
    return -1;
  ora_rbuf r;
  ora_rbuf_init(&r, hello, sizeof hello);
  uint64_t id = ora_rbuf_u64(&r);
  if (ora_rbuf_done(&r) != 0 || ora_lane_open(l, names, id) != 0)
    return -1;
  if (ora_pipe_watch_start(w, pipe) != 0) {
    ora_lane_close(l);
    return -1;
  }
  l->gone = w->gone;
  return 0;
}

void ora_lane_close(ora_lane *l) {
  if (l->buf)
    ora_wipe(l->buf, l->cap);
  free(l->buf);
  if (l->view) {
    /* The rings held requests (a dial's password) and their replies. */
    ora_wipe((uint8_t *)l->view + CTL_BYTES, 2 * (size_t)ORA_LANE_RING);
    UnmapViewOfFile(l->view);
  }
  HANDLE ev[4] = {l->in.data_ev, l->in.room_ev, l->out.data_ev, l->out.room_ev};
  close_events(ev);
  if (l->section)
    CloseHandle(l->section);
  memset(l, 0, sizeof *l);
}

/* How a side sleeps, in its flag (reader_sleeps, writer_waits). Under Wine a SetEvent
 * and each wait on an event are wineserver round trips (about 40 µs each on the 2-core
 * machine, bench_ipc), four of them per notification; so under Wine on Linux a side
 * that expects the other soon sleeps on a futex on its flag first, which the kernel
 * wakes with no server in between, and only after FUTEX_NAP_MS on the events, where
 * the pipe watch also wakes it when the other side goes away. */
#define AWAKE 0u
#define ON_FUTEX 1u
#define ON_EVENT 2u
#define FUTEX_NAP_MS 20

static int sleeps_on_futex(void) {
  static volatile LONG known; /* 0 not yet, 1 no, 2 yes */
  LONG k = known;
  if (!k) {
    /* ORA_LANE_FUTEX=0: events only (the benchmarks' baseline). */
    char v[8];
    DWORD n = GetEnvironmentVariableA("ORA_LANE_FUTEX", v, sizeof v);
    int off = n > 0 && n < sizeof v && strcmp(v, "0") == 0;
    k = ora_host_linux() && !off ? 2 : 1;
    InterlockedExchange(&known, k);
  }
  return k == 2;
}

/* Wakes the other side if its flag says it sleeps, the way it sleeps. The fence orders
 * the position just published before the flag's read; the sleeper sets its flag before
 * it looks at the position again, so one of the two sees the other. */
static void wake(volatile uint32_t *flag, HANDLE ev) {
  __atomic_thread_fence(__ATOMIC_SEQ_CST);
  if (__atomic_load_n(flag, __ATOMIC_RELAXED) == AWAKE)
    return;
  uint32_t was = __atomic_exchange_n(flag, AWAKE, __ATOMIC_SEQ_CST);
  if (was == ON_FUTEX && ora_host_linux())
    ora_host_futex_wake(flag, 1);
  else if (was != AWAKE)
    SetEvent(ev);
}

/* Sleeps until the other side wakes this one through flag (its data or room came), at
 * most ms; ready() says whether the wait is over already, looked at after the flag is
 * set. 0 when woken or ready (the caller looks again), -1 when the other side is gone
 * or the time ran out. */
static int nap(ora_lane *l, volatile uint32_t *flag, HANDLE ev, int (*ready)(ora_lane *),
               DWORD ms) {
  ULONGLONG deadline = ms == INFINITE ? 0 : GetTickCount64() + ms;
  if (sleeps_on_futex()) {
    __atomic_exchange_n(flag, ON_FUTEX, __ATOMIC_SEQ_CST);
    if (ready(l)) {
      __atomic_store_n(flag, AWAKE, __ATOMIC_SEQ_CST);
      return 0;
    }
    ora_host_futex_wait(flag, ON_FUTEX, ms < FUTEX_NAP_MS ? ms : FUTEX_NAP_MS);
    uint32_t expect = ON_FUTEX;
    if (!__atomic_compare_exchange_n(flag, &expect, ON_EVENT, 0, __ATOMIC_SEQ_CST,
                                     __ATOMIC_SEQ_CST))
      return 0; /* woken: the other side cleared the flag */
  } else {
    __atomic_exchange_n(flag, ON_EVENT, __ATOMIC_SEQ_CST);
  }
  int rc = 0;
  if (!ready(l)) {
    DWORD left = INFINITE;
    if (ms != INFINITE) {
      ULONGLONG now = GetTickCount64();
      left = now < deadline ? (DWORD)(deadline - now) : 0;
    }
    HANDLE w[2] = {ev, l->gone};
    rc = WaitForMultipleObjects(2, w, FALSE, left) == WAIT_OBJECT_0 ? 0 : -1;
  }
  __atomic_store_n(flag, AWAKE, __ATOMIC_SEQ_CST);
  return rc;
}

/* The bytes in a ring, checked: the other side's position may be anything. */
static int used_bytes(const ora_lane_ctl *c, uint32_t *used) {
  uint32_t n =
      __atomic_load_n(&c->tail, __ATOMIC_ACQUIRE) - __atomic_load_n(&c->head, __ATOMIC_ACQUIRE);
  if (n > ORA_LANE_RING)
    return -1;
  *used = n;
  return 0;
}

/* nap()'s conditions: something to read (or a broken ring: the caller finds out), room
 * to write. */
static int has_data(ora_lane *l) {
  uint32_t used;
  return used_bytes(l->in.ctl, &used) != 0 || used > 0;
}
static int has_room(ora_lane *l) {
  uint32_t used;
  return used_bytes(l->out.ctl, &used) != 0 || used < ORA_LANE_RING;
}

/* Copies n bytes (n <= the room there is) into the ring and publishes them. */
static void put_bytes(ora_lane *l, const uint8_t *p, uint32_t n) {
  ora_lane_ctl *c = l->out.ctl;
  uint32_t tail = c->tail;
  uint32_t at = tail & RING_MASK;
  uint32_t first = n < ORA_LANE_RING - at ? n : ORA_LANE_RING - at;
  memcpy(l->out.data + at, p, first);
  memcpy(l->out.data, p + first, n - first);
  __atomic_store_n(&c->tail, tail + n, __ATOMIC_RELEASE);
  wake(&c->reader_sleeps, l->out.data_ev);
}

int ora_lane_try_write(ora_lane *l, const void *buf, size_t len) {
  uint32_t used;
  if (l->broken || used_bytes(l->out.ctl, &used) != 0) {
    l->broken = 1;
    return -1;
  }
  if (len > ORA_LANE_RING - used)
    return 0;
  put_bytes(l, buf, (uint32_t)len);
  return 1;
}

int ora_lane_write(ora_lane *l, const void *buf, size_t len, DWORD timeout_ms) {
  const uint8_t *p = buf;
  ora_lane_ctl *c = l->out.ctl;
  ULONGLONG deadline = GetTickCount64() + timeout_ms;
  while (len > 0) {
    uint32_t used;
    if (l->broken || used_bytes(c, &used) != 0) {
      l->broken = 1;
      return -1;
    }
    if (used == ORA_LANE_RING) { /* full: wait until the reader makes room */
      ULONGLONG now = GetTickCount64();
      if (now >= deadline ||
          nap(l, &c->writer_waits, l->out.room_ev, has_room, (DWORD)(deadline - now)) != 0)
        return -1;
      continue;
    }
    uint32_t room = ORA_LANE_RING - used;
    uint32_t n = len < room ? (uint32_t)len : room;
    put_bytes(l, p, n);
    p += n;
    len -= n;
  }
  return 0;
}

/* Reads what has come into dst (at most cap bytes), waiting until something has, or
 * the peer is gone. 0 with *got > 0, or -1. */
static int fill(ora_lane *l, uint8_t *dst, size_t cap, size_t *got) {
  ora_lane_ctl *c = l->in.ctl;
  for (;;) {
    uint32_t used;
    if (l->broken || used_bytes(c, &used) != 0) {
      l->broken = 1;
      return -1;
    }
    if (used > 0) {
      uint32_t head = c->head;
      uint32_t n = used < cap ? used : (uint32_t)cap;
      uint32_t at = head & RING_MASK;
      uint32_t first = n < ORA_LANE_RING - at ? n : ORA_LANE_RING - at;
      memcpy(dst, l->in.data + at, first);
      memcpy(dst + first, l->in.data, n - first);
      /* Read bytes do not stay in shared memory: a request may carry a password. */
      ora_wipe(l->in.data + at, first);
      ora_wipe(l->in.data, n - first);
      __atomic_store_n(&c->head, head + n, __ATOMIC_RELEASE);
      wake(&c->writer_waits, l->in.room_ev);
      *got = n;
      return 0;
    }
    /* Empty: wait for the writer. Data that came before the peer went is still read. */
    if (nap(l, &c->reader_sleeps, l->in.data_ev, has_data, INFINITE) != 0 && !has_data(l))
      return -1;
  }
}

/* Makes room for at least `need` bytes after the buffered ones; 0 or -1. */
static int reserve(ora_lane *l, size_t need) {
  if (l->start) { /* what was handed out goes (already wiped) */
    size_t n = l->end - l->start;
    memmove(l->buf, l->buf + l->start, n);
    ora_wipe(l->buf + n, l->end - n); /* the moved bytes' old copy */
    l->end = n;
    l->start = 0;
  }
  if (l->cap - l->end >= need)
    return 0;
  size_t cap = l->end + need;
  uint8_t *b = malloc(cap); /* not realloc: the old block is wiped first */
  if (!b)
    return -1;
  if (l->buf) {
    memcpy(b, l->buf, l->end);
    ora_wipe(l->buf, l->cap);
    free(l->buf);
  }
  l->buf = b;
  l->cap = cap;
  return 0;
}

int ora_lane_read_msg(ora_lane *l, size_t min, size_t max, uint8_t **msg, size_t *len) {
  for (;;) {
    size_t have = l->end - l->start;
    size_t want = min;
    if (have >= 4) {
      const uint8_t *p = l->buf + l->start;
      want = (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 | (size_t)p[3] << 24;
      if (want < min || want > max)
        return -1;
      if (have >= want) {
        uint8_t *m = malloc(want);
        if (!m)
          return -1;
        memcpy(m, l->buf + l->start, want);
        ora_wipe(l->buf + l->start, want);
        l->start += want;
        if (l->start == l->end)
          l->start = l->end = 0;
        *msg = m;
        *len = want;
        return 0;
      }
    }
    /* Take what has come, at least the rest of this message's header or body. */
    size_t missing = want - have;
    if (reserve(l, missing > READ_CHUNK ? missing : READ_CHUNK) != 0)
      return -1;
    size_t got = 0;
    if (fill(l, l->buf + l->end, l->cap - l->end, &got) != 0)
      return -1;
    l->end += got;
  }
}
