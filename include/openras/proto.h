/* The connection manager protocol: how the DLL and the manager process exchange
 * engine calls and events. Portable (no windows.h) so it is unit-tested and fuzzed
 * natively; the pipe itself lives in dll/ and service/.
 *
 * Every message is a 12-byte header followed by a body:
 *   u32 length   whole message, header included (ORA_MSG_MIN .. ORA_MSG_MAX)
 *   u16 version  ORA_PROTO_VERSION; anything else closes the connection
 *   u16 type     ORA_MSG_*
 *   u32 id       request id, echoed by the reply; 0 for events and acks
 * All integers are little-endian; a string is a u16 byte count and that many bytes
 * (no NUL), and must fit its field. A message that breaks any rule is rejected
 * whole and the peer that sent it is disconnected. */
#ifndef OPENRAS_PROTO_H
#define OPENRAS_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "openras/engine.h"

#define ORA_PROTO_VERSION 1
#define ORA_MSG_HEADER 12
#define ORA_MSG_MIN ORA_MSG_HEADER
#define ORA_MSG_MAX (8u * 1024u * 1024u)

enum {
  /* client -> manager; each gets a reply of the same type with the high bit set */
  ORA_MSG_HELLO = 1, /* u32 pid */
  ORA_MSG_DIAL,      /* u64 cookie, request -> u32 rc, u32 handle */
  ORA_MSG_RESUME,    /* u32 handle, request -> u32 rc */
  ORA_MSG_HANGUP,    /* u32 handle -> u32 rc */
  ORA_MSG_STATUS,    /* u32 handle -> u32 rc, status */
  ORA_MSG_ENUM,      /* u32 cap -> u32 rc, u32 count, u32 n, n * info */
  ORA_MSG_INFO,      /* u32 handle -> u32 rc, info */
  ORA_MSG_IPPROJ,    /* u32 handle -> u32 rc, ip projection */
  ORA_MSG_LCPPROJ,   /* u32 handle -> u32 rc, lcp projection */
  ORA_MSG_DIAG,      /* -> u32 rc, diag (the manager's resource use) */
  ORA_MSG_WATCH,     /* -> u32 rc; then NOTIFY messages for every connect/disconnect */
  ORA_MSG_STATS,     /* u32 handle, u32 clear -> u32 rc, stats */
  ORA_MSG_FIND,      /* str phonebook, str entry -> u32 rc, u32 handle */
  /* client -> manager, no reply */
  ORA_MSG_ACK = 32, /* u32 handle, u32 seq, u32 keep_going */
  /* manager -> client, unsolicited */
  ORA_MSG_EVENT = 64, /* u64 cookie, event */
  ORA_MSG_NOTIFY,     /* u32 handle, u32 connected */
  ORA_MSG_REPLY = 0x8000
};

typedef struct ora_msg_header {
  uint32_t length;
  uint16_t version;
  uint16_t type;
  uint32_t id;
} ora_msg_header;

/* Reads a header; 0 when it is well-formed (length within bounds, known version). */
int ora_msg_header_decode(const uint8_t *buf, size_t n, ora_msg_header *out);

/* A growable output buffer. Writers never fail half-way: on allocation failure the
 * buffer is marked failed and ora_wbuf_finish reports it. */
typedef struct ora_wbuf {
  uint8_t *data;
  size_t len, cap;
  int failed;
} ora_wbuf;

void ora_wbuf_begin(ora_wbuf *w, uint16_t type, uint32_t id);
void ora_wbuf_u16(ora_wbuf *w, uint16_t v);
void ora_wbuf_u32(ora_wbuf *w, uint32_t v);
void ora_wbuf_u64(ora_wbuf *w, uint64_t v);
void ora_wbuf_str(ora_wbuf *w, const char *s);
void ora_wbuf_bytes(ora_wbuf *w, const void *p, size_t n);
/* Patches the length; 0 on success (data/len then hold the message). */
int ora_wbuf_finish(ora_wbuf *w);
/* Wipes (requests carry passwords) and frees. */
void ora_wbuf_free(ora_wbuf *w);

/* A bounded reader over one message body. Any read past the end, or a string longer
 * than its field, sets `bad`; callers check it once at the end. */
typedef struct ora_rbuf {
  const uint8_t *p;
  size_t left;
  int bad;
} ora_rbuf;

void ora_rbuf_init(ora_rbuf *r, const uint8_t *msg, size_t len); /* skips the header */
uint16_t ora_rbuf_u16(ora_rbuf *r);
uint32_t ora_rbuf_u32(ora_rbuf *r);
uint64_t ora_rbuf_u64(ora_rbuf *r);
void ora_rbuf_str(ora_rbuf *r, char *dst, size_t cap);
void ora_rbuf_bytes(ora_rbuf *r, void *dst, size_t n);
/* 0 when every read was in bounds and the body was consumed exactly. */
int ora_rbuf_done(const ora_rbuf *r);

/* The manager's own resource use, for soak tests and benchmarks. */
typedef struct ora_diag {
  uint32_t threads, handles, clients, routes, connections;
  uint64_t heap_bytes; /* bytes in use in all of the process's heaps */
} ora_diag;

/* Structure codecs shared by both sides. */
void ora_put_stats(ora_wbuf *w, const ora_stats *s);
void ora_get_stats(ora_rbuf *r, ora_stats *s);
void ora_put_diag(ora_wbuf *w, const ora_diag *d);
void ora_get_diag(ora_rbuf *r, ora_diag *d);
void ora_put_request(ora_wbuf *w, const ora_dial_request *q);
void ora_get_request(ora_rbuf *r, ora_dial_request *q);
void ora_put_event(ora_wbuf *w, const ora_event *ev);
void ora_get_event(ora_rbuf *r, ora_event *ev);
void ora_put_status(ora_wbuf *w, const ora_status *s);
void ora_get_status(ora_rbuf *r, ora_status *s);
void ora_put_info(ora_wbuf *w, const ora_conn_info *c);
void ora_get_info(ora_rbuf *r, ora_conn_info *c);
void ora_put_ip(ora_wbuf *w, const ora_ip_projection *p);
void ora_get_ip(ora_rbuf *r, ora_ip_projection *p);
void ora_put_lcp(ora_wbuf *w, const ora_lcp_projection *p);
void ora_get_lcp(ora_rbuf *r, ora_lcp_projection *p);

#endif
