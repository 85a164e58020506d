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

#define ORA_PROTO_VERSION 2 /* 2: messages go over the lane (win32_lane.h) */
#define ORA_MSG_HEADER 12
#define ORA_MSG_MIN ORA_MSG_HEADER
#define ORA_MSG_MAX (8u * 1024u * 1024u)

enum {
  /* client -> manager; each gets a reply of the same type with ORA_MSG_REPLY set. Their
   * bodies: openras/calls.h. (1 is not used.) */
  ORA_MSG_DIAL = 2,
  ORA_MSG_RESUME,
  ORA_MSG_HANGUP,
  ORA_MSG_STATUS,
  ORA_MSG_ENUM,
  ORA_MSG_INFO,
  ORA_MSG_IPPROJ,
  ORA_MSG_LCPPROJ,
  ORA_MSG_DIAG,
  ORA_MSG_WATCH, /* then NOTIFY messages for every connect/disconnect */
  ORA_MSG_STATS,
  ORA_MSG_FIND,
  /* client -> manager, no reply */
  ORA_MSG_ACK = 32, /* u32 handle, u32 seq, u32 keep_going */
  /* manager -> client, unsolicited */
  ORA_MSG_EVENT = 64, /* u64 cookie, event */
  ORA_MSG_NOTIFY,     /* u32 handle, u32 connected */
  /* manager -> client on the pipe, the first and only message there: u64 the lane's id */
  ORA_MSG_HELLO = 96,
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

/* The bodies of the requests of calls.h and of their replies (the RAS code that starts
 * every reply is written and read by the dispatch, not by these codecs). */
/* Two bodies serve requests and replies alike: none at all, and one handle. */
typedef struct ora_body_none {
  int unused;
} ora_body_none;
typedef struct ora_body_handle {
  ora_handle h;
} ora_body_handle;
typedef struct ora_req_dial {
  uint64_t cookie; /* names the DLL's sink: events for this dial carry it */
  ora_dial_request q;
} ora_req_dial;
typedef struct ora_req_resume {
  ora_handle h;
  ora_dial_request q;
} ora_req_resume;
typedef struct ora_req_enum {
  uint32_t cap; /* at most ORA_ENUM_MAX are sent */
} ora_req_enum;
typedef struct ora_req_stats {
  ora_handle h;
  uint32_t clear;
} ora_req_stats;
typedef struct ora_req_find {
  char phonebook[ORA_PATH_BYTES];
  char entry[ORA_ENTRY_BYTES];
} ora_req_find;
/* count: all connections; n of them in items. The receiver sets items and cap first;
 * more than cap is a malformed reply. */
typedef struct ora_rep_enum {
  uint32_t count, n, cap;
  ora_conn_info *items;
} ora_rep_enum;
#define ORA_ENUM_MAX 4096u

void ora_put_body_none(ora_wbuf *w, const ora_body_none *b);
void ora_get_body_none(ora_rbuf *r, ora_body_none *b);
void ora_put_body_handle(ora_wbuf *w, const ora_body_handle *b);
void ora_get_body_handle(ora_rbuf *r, ora_body_handle *b);
void ora_put_req_dial(ora_wbuf *w, const ora_req_dial *q);
void ora_get_req_dial(ora_rbuf *r, ora_req_dial *q);
void ora_put_req_resume(ora_wbuf *w, const ora_req_resume *q);
void ora_get_req_resume(ora_rbuf *r, ora_req_resume *q);
void ora_put_req_enum(ora_wbuf *w, const ora_req_enum *q);
void ora_get_req_enum(ora_rbuf *r, ora_req_enum *q);
void ora_put_req_stats(ora_wbuf *w, const ora_req_stats *q);
void ora_get_req_stats(ora_rbuf *r, ora_req_stats *q);
void ora_put_req_find(ora_wbuf *w, const ora_req_find *q);
void ora_get_req_find(ora_rbuf *r, ora_req_find *q);
void ora_put_rep_enum(ora_wbuf *w, const ora_rep_enum *p);
void ora_get_rep_enum(ora_rbuf *r, ora_rep_enum *p);

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
