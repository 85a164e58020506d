/* Fuzz target: the manager protocol codec (core/proto). Any bytes go through the
 * header decoder, then through every body decoder the way the manager and the DLL
 * read them (an ora_rbuf over the message). A body that decodes cleanly must
 * re-encode to the same length and decode again to the same structure. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "openras/calls.h"
#include "openras/proto.h"

#define CHECK(c)                                                                                   \
  do {                                                                                             \
    if (!(c)) {                                                                                    \
      fprintf(stderr, "fuzz_proto: check failed at line %d: %s\n", __LINE__, #c);                  \
      abort();                                                                                     \
    }                                                                                              \
  } while (0)

typedef void (*get_fn)(ora_rbuf *r, void *out);
typedef void (*put_fn)(ora_wbuf *w, const void *in);

/* One body codec, behind wrappers with a common signature. */
typedef struct codec {
  const char *name;
  get_fn get;
  put_fn put;
  size_t size;
} codec;

#define WRAP(n, type)                                                                              \
  static void get_##n(ora_rbuf *r, void *out) {                                                    \
    ora_get_##n(r, (type *)out);                                                                   \
  }                                                                                                \
  static void put_##n(ora_wbuf *w, const void *in) {                                               \
    ora_put_##n(w, (const type *)in);                                                              \
  }
WRAP(request, ora_dial_request)
WRAP(event, ora_event)
WRAP(status, ora_status)
WRAP(info, ora_conn_info)
WRAP(ip, ora_ip_projection)
WRAP(lcp, ora_lcp_projection)
WRAP(stats, ora_stats)
WRAP(diag, ora_diag)
WRAP(body_handle, ora_body_handle)
WRAP(req_dial, ora_req_dial)
WRAP(req_resume, ora_req_resume)
WRAP(req_enum, ora_req_enum)
WRAP(req_stats, ora_req_stats)
WRAP(req_find, ora_req_find)

#define CODEC(n, type)                                                                             \
  { #n, get_##n, put_##n, sizeof(type) }

static const codec codecs[] = {
    CODEC(request, ora_dial_request),
    CODEC(event, ora_event),
    CODEC(status, ora_status),
    CODEC(info, ora_conn_info),
    CODEC(ip, ora_ip_projection),
    CODEC(lcp, ora_lcp_projection),
    CODEC(stats, ora_stats),
    CODEC(diag, ora_diag),
    CODEC(body_handle, ora_body_handle),
    CODEC(req_dial, ora_req_dial),
    CODEC(req_resume, ora_req_resume),
    CODEC(req_enum, ora_req_enum),
    CODEC(req_stats, ora_req_stats),
    CODEC(req_find, ora_req_find),
};

/* Decodes the whole body with c, then checks the re-encoding. */
static void round_trip(const codec *c, const uint8_t *msg, size_t len) {
  void *a = calloc(1, c->size), *b = calloc(1, c->size);
  CHECK(a && b);
  ora_rbuf r;
  ora_rbuf_init(&r, msg, len);
  c->get(&r, a);
  if (ora_rbuf_done(&r) == 0) {
    ora_wbuf w;
    ora_wbuf_begin(&w, 1, 0);
    c->put(&w, a);
    CHECK(ora_wbuf_finish(&w) == 0);
    CHECK(w.len == len); /* strings keep their length, integers their width */
    ora_msg_header h;
    CHECK(ora_msg_header_decode(w.data, w.len, &h) == 0 && h.length == len);
    ora_rbuf_init(&r, w.data, w.len);
    c->get(&r, b);
    CHECK(ora_rbuf_done(&r) == 0);
    CHECK(memcmp(a, b, c->size) == 0);
    ora_wbuf_free(&w);
  }
  free(a);
  free(b);
}

/* A reply body's receiver sets up what the codec fills (remote_engine.c does the same). */
static ora_conn_info enum_items[8];
static void prepare(void *p) {
  (void)p;
}
static void prepare_enum(ora_rep_enum *p) {
  p->cap = sizeof enum_items / sizeof enum_items[0];
  p->items = enum_items;
}
#define PREPARE(p) _Generic((p), ora_rep_enum * : prepare_enum, default : prepare)(p)

/* Reads a message the way its receiver does: the requests and replies of calls.h from
 * their rows (service/manager.c, dll/remote_engine.c), the others by hand. */
static void as_receiver(const ora_msg_header *h, const uint8_t *msg, size_t len) {
  ora_rbuf r;
  ora_rbuf_init(&r, msg, len);
  switch (h->type) {
#define READ(MSG, name, Req, rq, Rep, rp)                                                          \
  case MSG: {                                                                                      \
    Req *q = calloc(1, sizeof *q);                                                                 \
    CHECK(q);                                                                                      \
    ora_get_##rq(&r, q);                                                                           \
    free(q);                                                                                       \
    break;                                                                                         \
  }                                                                                                \
  case MSG | ORA_MSG_REPLY: {                                                                      \
    Rep *p = calloc(1, sizeof *p);                                                                 \
    CHECK(p);                                                                                      \
    PREPARE(p);                                                                                    \
    (void)ora_rbuf_u32(&r); /* the RAS code */                                                     \
    ora_get_##rp(&r, p);                                                                           \
    free(p);                                                                                       \
    break;                                                                                         \
  }
#define READ_H(MSG, name, T, stem, how) READ(MSG, name, ora_body_handle, body_handle, T, stem)
    ORA_REQUESTS(READ)
    ORA_HANDLE_CALLS(READ_H)
#undef READ
#undef READ_H
  case ORA_MSG_EVENT: {
    ora_event ev;
    (void)ora_rbuf_u64(&r);
    ora_get_event(&r, &ev);
    break;
  }
  case ORA_MSG_ACK:
    (void)ora_rbuf_u32(&r);
    (void)ora_rbuf_u32(&r);
    (void)ora_rbuf_u32(&r);
    break;
  default: /* NOTIFY, and types nobody reads: two integers */
    (void)ora_rbuf_u32(&r);
    (void)ora_rbuf_u32(&r);
    break;
  }
  int done = ora_rbuf_done(&r);
  CHECK(done == 0 || done == -1);
  if (r.bad)
    CHECK(done == -1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ora_msg_header h;
  /* The header decoder on the raw bytes, as the pipe reader sees them. */
  if (ora_msg_header_decode(data, size, &h) == 0) {
    CHECK(h.length >= ORA_MSG_MIN && h.length <= ORA_MSG_MAX);
    CHECK(h.version == ORA_PROTO_VERSION);
    if (h.length <= size)
      as_receiver(&h, data, h.length);
  }
  /* Every body decoder over the same bytes taken as one whole message. */
  for (size_t i = 0; i < sizeof codecs / sizeof codecs[0]; i++)
    round_trip(&codecs[i], data, size);
  /* The reader never reads past its message even when the header lies. */
  ora_rbuf r;
  ora_rbuf_init(&r, data, size);
  char small[4];
  ora_rbuf_str(&r, small, sizeof small);
  CHECK(r.bad || strlen(small) < sizeof small);
  return 0;
}
