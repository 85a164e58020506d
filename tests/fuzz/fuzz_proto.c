/* Fuzz target: the manager protocol codec (core/proto). Any bytes go through the
 * header decoder, then through every body decoder the way the manager and the DLL
 * read them (an ora_rbuf over the message). A body that decodes cleanly must
 * re-encode to the same length and decode again to the same structure. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

#define CODEC(n, type)                                                                             \
  { #n, get_##n, put_##n, sizeof(type) }

static const codec codecs[] = {
    CODEC(request, ora_dial_request), CODEC(event, ora_event),      CODEC(status, ora_status),
    CODEC(info, ora_conn_info),       CODEC(ip, ora_ip_projection), CODEC(lcp, ora_lcp_projection),
    CODEC(stats, ora_stats),          CODEC(diag, ora_diag),
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

/* Reads a message the way its receiver does (service/manager.c, dll/remote_engine.c). */
static void as_receiver(const ora_msg_header *h, const uint8_t *msg, size_t len) {
  ora_rbuf r;
  ora_rbuf_init(&r, msg, len);
  union {
    ora_dial_request q;
    ora_event ev;
    ora_status st;
    ora_conn_info ci;
    ora_ip_projection ip;
    ora_lcp_projection lcp;
    ora_stats stats;
    ora_diag diag;
    char s[ORA_PATH_BYTES + ORA_ENTRY_BYTES];
  } u;
  memset(&u, 0, sizeof u);
  uint16_t type = h->type;
  if (type & ORA_MSG_REPLY) {
    (void)ora_rbuf_u32(&r); /* rc */
    switch (type & ~ORA_MSG_REPLY) {
    case ORA_MSG_STATUS:
      ora_get_status(&r, &u.st);
      break;
    case ORA_MSG_INFO:
      ora_get_info(&r, &u.ci);
      break;
    case ORA_MSG_IPPROJ:
      ora_get_ip(&r, &u.ip);
      break;
    case ORA_MSG_LCPPROJ:
      ora_get_lcp(&r, &u.lcp);
      break;
    case ORA_MSG_DIAG:
      ora_get_diag(&r, &u.diag);
      break;
    case ORA_MSG_STATS:
      ora_get_stats(&r, &u.stats);
      break;
    case ORA_MSG_ENUM: {
      (void)ora_rbuf_u32(&r);
      uint32_t n = ora_rbuf_u32(&r);
      for (uint32_t i = 0; i < n && !r.bad; i++)
        ora_get_info(&r, &u.ci);
      break;
    }
    default:
      while (r.left && !r.bad)
        (void)ora_rbuf_u32(&r);
      break;
    }
  } else {
    switch (type) {
    case ORA_MSG_DIAL:
      (void)ora_rbuf_u64(&r);
      ora_get_request(&r, &u.q);
      break;
    case ORA_MSG_RESUME:
      (void)ora_rbuf_u32(&r);
      ora_get_request(&r, &u.q);
      break;
    case ORA_MSG_EVENT:
      (void)ora_rbuf_u64(&r);
      ora_get_event(&r, &u.ev);
      break;
    case ORA_MSG_FIND:
      ora_rbuf_str(&r, u.s, ORA_PATH_BYTES);
      ora_rbuf_str(&r, u.s + ORA_PATH_BYTES, ORA_ENTRY_BYTES);
      break;
    case ORA_MSG_ACK:
      (void)ora_rbuf_u32(&r);
      (void)ora_rbuf_u32(&r);
      (void)ora_rbuf_u32(&r);
      break;
    default:
      (void)ora_rbuf_u32(&r);
      (void)ora_rbuf_u32(&r);
      break;
    }
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
