/* The platform-independent half of streams (os/stream_common.h). */
#include "openras/base/check.h"
#include "os/stream_common.h"

#include <stdlib.h>
#include <string.h>

#include "openras/base/loop.h"
#include "openras/rasdefs.h"
#include "os/ports.h"

#define RELEASE_WAIT_MS 10000u /* longest a link's hang-up holds its port */

static ora_stream_side *side_of(ora_stream *st) {
  return (ora_stream_side *)st; /* the first member of every platform's stream */
}

/* ---- chunks ---- */

typedef struct chunk {
  ora_loop_item item; /* its place in the loop's queue: posting allocates nothing more */
  ora_stream *st;
  int type;
  int spare; /* one of the side's control chunks (set by ora_stream_post), freed with
              * the stream */
  uint32_t error;
  size_t len;
  uint8_t data[];
} chunk;

#define RESERVE_DATA 2048 /* the reserve data chunk's room */

/* A chunk is done with (delivered, or its loop gone): it and its hold on the stream go. */
static void chunk_done(chunk *c) {
  ora_stream *st = c->st;
  if (!c->spare)
    free(c);
  else if (c->type == ORA_CH_DATA)
    atomic_store(&side_of(st)->reserve_busy, 0); /* the reader may use it again */
  ora_stream_drop(st);
}

/* ---- writes held until the loop waits ---- */

/* Sends what is held, or drops it when the stream is no longer usable; a failure loses
 * those bytes, as a failed write of them would have (a line that takes nothing for the
 * write budget), and later writes try again. */
static uint32_t flush_side(ora_stream_side *s) {
  if (!s->wlen)
    return 0;
  uint32_t e =
      s->usable ? ora_stream_write_now((ora_stream *)s, s->wbuf, s->wlen) : ORA_ERROR_PORT_NOT_OPEN;
  s->wlen = 0;
  return e;
}

static void flush_deferred(void *arg) {
  flush_side(arg);
}

int ora_stream_write(ora_stream *st, const void *buf, size_t len) {
  ora_stream_side *s = st ? side_of(st) : NULL;
  if (!s || s->closed || !s->usable)
    return ORA_ERROR_PORT_NOT_OPEN;
  if (s->kind == ORA_STREAM_UDP) /* one datagram each: nothing is held or merged */
    return (int)ora_stream_write_now(st, buf, len);
  if (!ora_loop_on_thread(s->loop) || len > sizeof s->wbuf) {
    uint32_t e = flush_side(s); /* what is held goes first */
    return (int)(e ? e : ora_stream_write_now(st, buf, len));
  }
  if (s->wlen + len > sizeof s->wbuf) {
    uint32_t e = flush_side(s);
    if (e)
      return (int)e;
  }
  memcpy(s->wbuf + s->wlen, buf, len);
  s->wlen += len;
  ora_loop_defer(s->loop, &s->flush_item, flush_deferred, s);
  return 0;
}

void ora_stream_side_closing(ora_stream *st) {
  ora_stream_side *s = side_of(st);
  if (s->flush_item.owned) /* bytes are held, so the loop is alive and its lock held */
    ora_loop_undefer(s->loop, &s->flush_item);
  flush_side(s); /* a Terminate-Request written just before the close, say */
}

static void deliver(void *arg) {
  chunk *c = arg;
  ora_stream_side *s = side_of(c->st);
  if (!s->closed) {
    switch (c->type) {
    case ORA_CH_OPENED:
      if (c->error)
        s->closed = 1; /* nothing follows a failed open */
      else
        s->usable = 1;
      if (s->opened)
        s->opened(s->ctx, c->error);
      break;
    case ORA_CH_DATA:
      s->rx(s->ctx, c->data, c->len);
      break;
    default:
      s->closed = 1;
      s->usable = 0;
      s->rx(s->ctx, NULL, 0);
      break;
    }
  }
  chunk_done(c);
}

/* The loop was destroyed before the chunk was delivered: nobody is listening. */
static void discard(void *arg) {
  chunk_done(arg);
}

/* Fills c (spare: one of the stream's own chunks) and posts it with a hold on the stream. */
static int post_chunk(ora_stream *st, chunk *c, int spare, int type, uint32_t error,
                      const uint8_t *data, size_t len) {
  c->spare = spare;
  c->st = st;
  c->type = type;
  c->error = error;
  c->len = len;
  if (len)
    memcpy(c->data, data, len);
  ora_stream_hold(st);
  if (ora_loop_post_item(side_of(st)->loop, &c->item, deliver, discard, c)) {
    chunk_done(c); /* the owner still holds the stream, so this never frees it */
    return ORA_STREAM_POST_GONE;
  }
  return 0;
}

static int post_reserve(ora_stream *st, const uint8_t *data, size_t len);

int ora_stream_post(ora_stream *st, int type, uint32_t error, const uint8_t *data, size_t len) {
  ora_stream_side *s = side_of(st);
  chunk *c = type == ORA_CH_OPENED ? s->opened_chunk
             : type == ORA_CH_END  ? s->end_chunk
                                   : malloc(sizeof *c + len);
  if (!c && s->kind == ORA_STREAM_UDP)
    return 0; /* a datagram is lost whole, never split (its sender retransmits) */
  if (!c)
    return post_reserve(st, data, len);
  return post_chunk(st, c, type != ORA_CH_DATA, type, error, data, len);
}

/* Out of memory for a chunk of bytes: they go through the stream's one reserve chunk,
 * a piece at a time, each waiting until the loop delivered the one before. Losing them
 * instead would cost more than a PPP frame: a modem's "CONNECT" missed makes the dial
 * wait for its time-out. Waiting here only slows the reader (the line buffers meanwhile). */
static int post_reserve(ora_stream *st, const uint8_t *data, size_t len) {
  ora_stream_side *s = side_of(st);
  chunk *c = s->reserve_chunk;
  while (len) {
    while (atomic_load(&s->reserve_busy))
      if (ora_stream_wait_closed(st, 1))
        return ORA_STREAM_POST_GONE; /* nobody wants them any more */
    size_t n = len < RESERVE_DATA ? len : RESERVE_DATA;
    atomic_store(&s->reserve_busy, 1);
    if (post_chunk(st, c, 1, ORA_CH_DATA, 0, data, n))
      return ORA_STREAM_POST_GONE;
    data += n;
    len -= n;
  }
  return 0;
}

/* ---- opening ---- */

int ora_stream_split_hostport(const char *s, char *host, size_t cap, const char **port) {
  const char *end;
  if (s[0] == '[') {
    end = strchr(s, ']');
    if (!end || end[1] != ':')
      return -1;
    s++;
    *port = end + 2;
  } else {
    end = strrchr(s, ':');
    if (!end)
      return -1;
    *port = end + 1;
  }
  size_t n = (size_t)(end - s);
  if (n == 0 || n >= cap || !**port)
    return -1;
  memcpy(host, s, n);
  host[n] = 0;
  return 0;
}

uint32_t ora_stream_do_open(ora_stream *st) {
  ora_stream_side *s = side_of(st);
  if (s->kind == ORA_STREAM_TCP || s->kind == ORA_STREAM_UDP) {
    char host[256];
    const char *port;
    if (ora_stream_split_hostport(s->target, host, sizeof host, &port))
      return ORA_ERROR_PORT_NOT_FOUND; /* not an address we can use */
    return s->kind == ORA_STREAM_TCP ? ora_stream_open_tcp(st, host, port)
                                     : ora_stream_open_udp(st, host, port);
  }
  if (s->kind == ORA_STREAM_HELPER)
    return ora_stream_open_helper(st);
  uint32_t err = ora_port_claim(s->target, RELEASE_WAIT_MS, ora_stream_wait_closed, st);
  if (err)
    return err;
  err = ora_stream_open_serial(st);
  if (err)
    ora_port_release(s->target);
  else
    atomic_store(&s->port_claimed, 1);
  return err;
}

void ora_stream_side_end(ora_stream *st) {
  ora_stream_side *s = side_of(st);
  if (atomic_load(&s->port_claimed))
    ora_port_release(s->target); /* only now is the port really free */
  if (s->loop)
    ora_loop_release(s->loop);
  free(s->opened_chunk);
  free(s->end_chunk);
  free(s->reserve_chunk);
}

void ora_stream_releasing(ora_stream *st) {
  if (st && atomic_load(&side_of(st)->port_claimed))
    ora_port_releasing(side_of(st)->target);
}

static ora_stream *stream_new(struct ora_loop *loop, int kind, const char *target,
                              ora_stream_rx_fn rx, void *ctx) {
  size_t n = strlen(target);
  if (n >= ORA_STREAM_TARGET_MAX)
    return NULL;
  ora_stream *st = ora_stream_create(kind);
  if (!st)
    return NULL;
  ora_stream_side *s = side_of(st);
  s->opened_chunk = calloc(1, sizeof(chunk));
  s->end_chunk = calloc(1, sizeof(chunk));
  s->reserve_chunk = calloc(1, sizeof(chunk) + RESERVE_DATA);
  if (!s->opened_chunk || !s->end_chunk || !s->reserve_chunk) {
    ora_stream_drop(st); /* frees them */
    return NULL;
  }
  s->loop = loop;
  ora_loop_hold(loop); /* the reader thread may post after the owner destroyed it */
  s->rx = rx;
  s->ctx = ctx;
  memcpy(s->target, target, n + 1);
  return st;
}

int ora_stream_open_async(struct ora_loop *loop, const ora_stream_params *p,
                          ora_stream_opened_fn opened, ora_stream_rx_fn rx, void *ctx,
                          ora_stream **out) {
  ORA_ASSERT(ora_loop_held(loop)); /* callbacks race the caller otherwise */
  *out = NULL;
  if (!p || !p->target || !rx || p->kind < ORA_STREAM_SERIAL || p->kind > ORA_STREAM_UDP)
    return ORA_ERROR_INVALID_PARAMETER;
  ora_stream *st = stream_new(loop, p->kind, p->target, rx, ctx);
  if (!st)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  ora_stream_side *s = side_of(st);
  s->opened = opened;
  s->baud = p->baud;
  s->rtscts = p->rtscts;
  s->flush = p->flush;
  s->connect_ms = p->connect_timeout_ms;
  s->open_in_thread = 1;
  if (ora_stream_start(st))
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  *out = st;
  return 0;
}

int ora_stream_open(struct ora_loop *loop, const char *spec, ora_stream_rx_fn rx, void *ctx,
                    ora_stream **out) {
  *out = NULL;
  int tcp = strncmp(spec, "tcp:", 4) == 0;
  ora_stream *st =
      stream_new(loop, tcp ? ORA_STREAM_TCP : ORA_STREAM_SERIAL, tcp ? spec + 4 : spec, rx, ctx);
  if (!st)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  uint32_t err = ora_stream_do_open(st);
  if (err) {
    ora_stream_drop(st);
    return (int)err;
  }
  side_of(st)->usable = 1;
  if (ora_stream_start(st))
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  *out = st;
  return 0;
}
