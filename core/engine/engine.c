/* The engine: the implementation of include/openras/engine.h. It finds the phone-book
 * entry and its link driver, owns the handle table, and serializes every call on
 * the loop lock; the state machine itself is in conn.c. */
#include <stdlib.h>
#include <string.h>

#include "engine/conn.h"
#include "engine/handles.h"
#include "openras/base/loop.h"
#include "openras/base/registry.h"
#include "openras/base/text.h"
#include "openras/os.h"
#include "openras/pbk.h"
#include "openras/base/wipe.h"

void ora_conn_begin(ora_conn *c);

typedef struct watcher {
  uint64_t id; /* the registry key */
  ora_watch_fn fn;
  void *ctx;
} watcher;

struct ora_engine {
  ora_engine_config cfg;
  ora_loop *loop;
  ora_handles handles;
  ora_registry watchers; /* of watcher */
  uint32_t next_watch;
  uint32_t salt; /* mixed into handles so a new engine never honours an old one's */
  ora_observer_fn observer;
  void *observer_ctx;
  size_t closing; /* released, their link still closing: not freed yet */
};

/* Handles leave the engine xor-ed with a per-engine salt: after a manager restart,
 * a handle of the old manager maps to an unrelated slot and generation. */
static ora_handle ext(const ora_engine *e, ora_handle h) {
  return h ? h ^ e->salt : 0;
}
static ora_handle internal(const ora_engine *e, ora_handle h) {
  return h ^ e->salt;
}

const char *ora_engine_tun_helper(const ora_engine *e) {
  return e->cfg.tun_helper;
}

uint32_t ora_engine_flags(const ora_engine *e) {
  return e->cfg.flags;
}

int ora_engine_create(const ora_engine_config *cfg, ora_engine **out) {
  ora_engine *e = calloc(1, sizeof *e);
  if (!e)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  if (cfg)
    e->cfg = *cfg;
  e->cfg.tun_helper[sizeof e->cfg.tun_helper - 1] = '\0';
  if (ora_os_ipsec_prohibited())
    e->cfg.flags |= ORA_ENGINE_PROHIBIT_IPSEC;
  ora_handles_init(&e->handles);
  e->watchers = (ora_registry)ORA_REGISTRY_INIT(sizeof(watcher));
  /* Keep the low 16 bits (the slot) and salt only the generation half, so a salted
   * handle is never 0. */
  uint32_t r = 0;
  ora_random(&r, sizeof r);
  e->salt = r & 0xFFFF0000u;
  if (ora_loop_create(&e->loop) != 0) {
    free(e);
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  }
  *out = e;
  return 0;
}

/* The longest ora_engine_destroy waits for links still hanging up: above the longest
 * teardown (a modem's guard times, escape and ATH), below a user's patience. */
#define DESTROY_WAIT_MS 15000

static void release_one(void *ctx, void *obj) {
  ora_engine *e = ctx;
  ora_conn *c = obj;
  ora_handles_remove(&e->handles, internal(e, c->handle));
  ora_conn_release(c);
}

void ora_engine_destroy(ora_engine *e) {
  if (!e)
    return;
  ora_loop_lock(e->loop);
  ora_registry_clear(&e->watchers); /* nobody is listening any more */
  ora_handles_each(&e->handles, release_one, e);
  /* Links hang up on the loop (LCP Terminate, a modem's escape: each wait bounded); let
   * them finish, or their objects and ports would be lost with the loop's timers. */
  for (int waited = 0; e->closing > 0 && waited < DESTROY_WAIT_MS; waited += 5) {
    ora_loop_unlock(e->loop);
    ora_sleep_ms(5);
    ora_loop_lock(e->loop);
  }
  ora_loop_unlock(e->loop);
  /* Drivers still closing past that lose their timers with the loop; nothing runs after
   * this. */
  ora_loop_destroy(e->loop);
  ora_handles_free(&e->handles);

  free(e);
}

/* Loads the entry from the phone book the request names (the DLL resolved the
 * default ones). On success *pbk_out owns a phone book holding only that entry (the
 * connection keeps it for its lifetime, so it must not cost the whole book: a user
 * with many entries may hold many connections). */
static int find_entry(const ora_dial_request *req, ora_pbk **pbk_out) {
  if (!req->phonebook[0])
    return ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
  ora_pbk *pb = NULL;
  int rc = ora_pbk_load(req->phonebook, 0, &pb);
  if (rc != 0)
    return rc;
  rc = ora_pbk_extract(pb, req->entry, pbk_out);
  ora_pbk_free(pb);
  return rc;
}

/* The driver an entry asks for: ORA_Link, else what Windows' DEVICE= key names. */
static const ora_link_ops *driver_for(const ora_pbk *pb, const char *entry) {
  const char *name = ora_pbk_get(pb, entry, "ORA_Link");
  if (!name) {
    /* Windows writes the device type as "DEVICE=" (upper case) after the MEDIA block's
     * "Device=" (the device's name); keys match case-insensitively, so look for the
     * exact spelling. */
    name = "modem";
    size_t n = ora_pbk_line_count(pb, entry);
    for (size_t i = 0; i < n; i++) {
      const char *key, *value;
      if (ora_pbk_line(pb, entry, i, &key, &value) == 1 && strcmp(key, "DEVICE") == 0) {
        name = value;
        break;
      }
    }
  }
  return ora_link_find(name);
}

struct find_ctx {
  const char *key;
  ora_conn *found;
};
static void match_key(void *ctx, void *obj) {
  struct find_ctx *f = ctx;
  ora_conn *c = obj;
  if (!f->found && c->phase != ORA_PHASE_ENDED && strcmp(c->key, f->key) == 0)
    f->found = c;
}

static void make_key(char *key, size_t cap, const char *path, const char *entry) {
  /* Entry names compare case-insensitively, as Windows does. */
  size_t i = 0;
  for (const char *p = path; *p && i + 1 < cap; p++)
    key[i++] = (*p >= 'A' && *p <= 'Z') ? (char)(*p + 32) : *p;
  if (i + 1 < cap)
    key[i++] = '|';
  for (const char *p = entry; *p && i + 1 < cap; p++)
    key[i++] = (*p >= 'A' && *p <= 'Z') ? (char)(*p + 32) : *p;
  key[i] = '\0';
}

int ora_engine_dial(ora_engine *e, const ora_dial_request *req, ora_event_fn sink, void *sink_ctx,
                    ora_handle *out) {
  if (!e)
    return ORA_ERROR_RASMAN_CANNOT_INITIALIZE;
  if (!req || !out)
    return ORA_ERROR_INVALID_PARAMETER;
  *out = 0;
  ora_pbk *pb = NULL;
  const char *path = "";
  const ora_link_ops *ops;
  if (req->entry[0]) {
    int rc = find_entry(req, &pb);
    if (rc != 0)
      return rc;
    path = req->phonebook;
    ops = driver_for(pb, req->entry);
  } else {
    if (!req->phone_number[0])
      return ORA_ERROR_INVALID_PARAMETER;
    ops = ora_link_find("modem");
  }
  if (!ops) {
    ora_pbk_free(pb);
    return ORA_ERROR_DEVICETYPE_DOES_NOT_EXIST;
  }
  char key[sizeof((ora_conn *)0)->key];
  make_key(key, sizeof key, path, req->entry);

  ora_loop_lock(e->loop);
  int rc = 0;
  if (req->entry[0]) {
    struct find_ctx f = {key, NULL};
    ora_handles_each(&e->handles, match_key, &f);
    if (f.found) {
      ora_pbk_free(pb);
      if (ora_conn_is_connected(f.found)) {
        /* Already connected: another reference, each needing its own RasHangUp. */
        f.found->refs++;
        *out = f.found->handle;
        ora_conn_notify_connected(f.found, sink, sink_ctx);
      } else {
        rc = ORA_ERROR_DIAL_ALREADY_IN_PROGRESS;
      }
      ora_loop_unlock(e->loop);
      return rc;
    }
  }
  ora_dial_request r = *req;
  ora_copy_str(r.phonebook, sizeof r.phonebook, path);
  ora_conn *c = NULL;
  rc = ora_conn_start(e, e->loop, &r, pb, ops, sink, sink_ctx, &c);
  ora_wipe(&r, sizeof r);
  if (rc == 0) {
    memcpy(c->key, key, sizeof c->key);
    c->handle = ext(e, ora_handles_add(&e->handles, c));
    if (!c->handle) {
      ora_conn_release(c);
      rc = ORA_ERROR_NOT_ENOUGH_MEMORY;
    } else {
      *out = c->handle;
      ora_conn_begin(c);
    }
  }
  ora_loop_unlock(e->loop);
  return rc;
}

/* Runs fn on the connection behind h, under the lock. */
#define WITH_CONN(e, h, c, body)                                                                   \
  do {                                                                                             \
    if (!(e))                                                                                      \
      return ORA_ERROR_INVALID_HANDLE;                                                             \
    ora_loop_lock((e)->loop);                                                                      \
    ora_conn *c = ora_handles_get(&(e)->handles, internal((e), (h)));                              \
    int rc_ = ORA_ERROR_INVALID_HANDLE;                                                            \
    if (c) {                                                                                       \
      body                                                                                         \
    }                                                                                              \
    ora_loop_unlock((e)->loop);                                                                    \
    return rc_;                                                                                    \
  } while (0)

int ora_engine_resume(ora_engine *e, ora_handle h, const ora_dial_request *req) {
  if (!req)
    return ORA_ERROR_INVALID_PARAMETER;
  WITH_CONN(e, h, c, { rc_ = ora_conn_resume(c, req); });
}

int ora_engine_ack(ora_engine *e, ora_handle h, uint32_t seq, int keep_going) {
  WITH_CONN(e, h, c, { rc_ = ora_conn_ack(c, seq, keep_going); });
}

int ora_engine_hangup(ora_engine *e, ora_handle h) {
  WITH_CONN(e, h, c, {
    rc_ = 0;
    if (--c->refs == 0) {
      ora_handles_remove(&e->handles, internal(e, h));
      ora_conn_release(c);
    }
  });
}

int ora_engine_status(ora_engine *e, ora_handle h, ora_status *out) {
  if (!out)
    return ORA_ERROR_INVALID_PARAMETER;
  WITH_CONN(e, h, c, {
    ora_conn_status(c, out);
    rc_ = 0;
  });
}

static void fill_info(const ora_conn *c, ora_conn_info *ci) {
  memset(ci, 0, sizeof *ci);
  ci->handle = c->handle;
  if (c->req.entry[0]) {
    ora_copy_str(ci->entry, sizeof ci->entry, c->req.entry);
  } else {
    /* Entry-less connections are listed as "." followed by the number. */
    ci->entry[0] = '.';
    ora_copy_str(ci->entry + 1, sizeof ci->entry - 1, c->req.phone_number);
  }
  ora_copy_str(ci->phonebook, sizeof ci->phonebook, c->req.phonebook);
  ora_copy_str(ci->device_type, sizeof ci->device_type, c->info.device_type);
  ora_copy_str(ci->device_name, sizeof ci->device_name, c->info.device_name);
  ci->subentry = c->req.subentry;
}

struct enum_ctx {
  ora_conn_info *items;
  size_t cap, count;
};
static void enum_one(void *ctx, void *obj) {
  struct enum_ctx *en = ctx;
  ora_conn *c = obj;
  /* Every active connection operation, from its first state on (behaviour.md 8): a
   * dial in progress or paused, or connected; not one that failed or ended. */
  if (c->phase == ORA_PHASE_ENDED)
    return;
  if (en->count < en->cap)
    fill_info(c, &en->items[en->count]);
  en->count++;
}

int ora_engine_enum(ora_engine *e, ora_conn_info *items, size_t cap, size_t *count) {
  if (!e)
    return ORA_ERROR_RASMAN_CANNOT_INITIALIZE;
  if (!count || (cap && !items))
    return ORA_ERROR_INVALID_PARAMETER;
  struct enum_ctx en = {items, cap, 0};
  ora_loop_lock(e->loop);
  ora_handles_each(&e->handles, enum_one, &en);
  ora_loop_unlock(e->loop);
  *count = en.count;
  return 0;
}

int ora_engine_info(ora_engine *e, ora_handle h, ora_conn_info *out) {
  if (!out)
    return ORA_ERROR_INVALID_PARAMETER;
  WITH_CONN(e, h, c, {
    fill_info(c, out);
    rc_ = 0;
  });
}

int ora_engine_ip_projection(ora_engine *e, ora_handle h, ora_ip_projection *out) {
  if (!out)
    return ORA_ERROR_INVALID_PARAMETER;
  WITH_CONN(e, h, c, {
    memset(out, 0, sizeof *out);
    if (!c->projected)
      rc_ = ORA_ERROR_PROJECTION_NOT_COMPLETE;
    else if (!c->ops->ip_projection || !c->link_open)
      rc_ = ORA_ERROR_PROTOCOL_NOT_CONFIGURED;
    else
      rc_ = c->ops->ip_projection(c->link, out);
  });
}

int ora_engine_lcp_projection(ora_engine *e, ora_handle h, ora_lcp_projection *out) {
  if (!out)
    return ORA_ERROR_INVALID_PARAMETER;
  WITH_CONN(e, h, c, {
    memset(out, 0, sizeof *out);
    if (!c->projected)
      rc_ = ORA_ERROR_PROJECTION_NOT_COMPLETE;
    else if (!c->ops->lcp_projection || !c->link_open)
      rc_ = ORA_ERROR_PROTOCOL_NOT_CONFIGURED;
    else
      rc_ = c->ops->lcp_projection(c->link, out);
  });
}

size_t ora_engine_count(ora_engine *e) {
  if (!e)
    return 0;
  ora_loop_lock(e->loop);
  size_t n = e->handles.live + e->closing;
  ora_loop_unlock(e->loop);
  return n;
}

void ora_engine_closing(struct ora_engine *e, int delta) {
  e->closing = delta > 0 ? e->closing + 1 : e->closing - 1;
}

void ora_engine_notify_watchers(ora_engine *e, ora_handle h, int connected) {
  for (size_t i = 0; i < e->watchers.n; i++) {
    const watcher *w = ora_registry_at(&e->watchers, i);
    w->fn(w->ctx, h, connected);
  }
}

int ora_engine_watch(ora_engine *e, ora_watch_fn fn, void *ctx, uint32_t *id) {
  if (!e)
    return ORA_ERROR_RASMAN_CANNOT_INITIALIZE;
  if (!fn || !id)
    return ORA_ERROR_INVALID_PARAMETER;
  int rc = 0;
  ora_loop_lock(e->loop);
  uint32_t next = e->next_watch + 1 ? e->next_watch + 1 : 1;
  watcher *w = ora_registry_add(&e->watchers, next);
  if (w) {
    e->next_watch = next;
    *id = next;
    w->fn = fn;
    w->ctx = ctx;
  } else {
    rc = ORA_ERROR_NOT_ENOUGH_MEMORY;
  }
  ora_loop_unlock(e->loop);
  return rc;
}

int ora_engine_unwatch(ora_engine *e, uint32_t id) {
  if (!e)
    return ORA_ERROR_INVALID_PARAMETER;
  int rc = ORA_ERROR_INVALID_HANDLE;
  ora_loop_lock(e->loop);
  if (ora_registry_drop(&e->watchers, id))
    rc = 0;
  ora_loop_unlock(e->loop);
  return rc;
}

int ora_engine_stats(ora_engine *e, ora_handle h, int clear, ora_stats *out) {
  if (!out)
    return ORA_ERROR_INVALID_PARAMETER;
  WITH_CONN(e, h, c, {
    ora_conn_stats(c, clear, out);
    rc_ = 0;
  });
}

struct find_entry_ctx {
  const char *entry, *phonebook;
  ora_conn *found;
};
static void match_entry(void *ctx, void *obj) {
  struct find_entry_ctx *f = ctx;
  ora_conn *c = obj;
  if (f->found || !ora_conn_is_connected(c) || !ora_ieq(c->req.entry, f->entry))
    return;
  if (f->phonebook[0] && !ora_ieq(c->req.phonebook, f->phonebook))
    return;
  f->found = c;
}

int ora_engine_find(ora_engine *e, const char *phonebook, const char *entry, ora_handle *out) {
  if (!e)
    return ORA_ERROR_RASMAN_CANNOT_INITIALIZE;
  if (!phonebook || !entry || !out)
    return ORA_ERROR_INVALID_PARAMETER;
  *out = 0;
  struct find_entry_ctx f = {entry, phonebook, NULL};
  ora_loop_lock(e->loop);
  ora_handles_each(&e->handles, match_entry, &f);
  if (f.found)
    *out = f.found->handle;
  ora_loop_unlock(e->loop);
  return f.found ? 0 : ORA_ERROR_NO_CONNECTION;
}

void ora_engine_set_observer(ora_engine *e, ora_observer_fn fn, void *ctx) {
  ora_loop_lock(e->loop);
  e->observer = fn;
  e->observer_ctx = ctx;
  ora_loop_unlock(e->loop);
}

void ora_engine_publish(ora_engine *e, ora_conn *c, int gone) {
  if (!e->observer || !c->handle)
    return;
  if (gone) {
    e->observer(e->observer_ctx, c->handle, NULL);
    return;
  }
  ora_status st;
  ora_conn_status(c, &st);
  e->observer(e->observer_ctx, c->handle, &st);
}
