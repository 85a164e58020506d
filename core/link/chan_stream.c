/* The stream channel (chan_stream.h). */
#include "link/chan_stream.h"

#include <stdlib.h>
#include <string.h>

#include "openras/base/text.h"
#include "openras/base/trace.h"
#include "openras/engine.h"
#include "ppp/pppos.h"
#include "ppp/ppp_util.h"

#define PENDING_MAX 4096 /* line bytes kept until PPP starts */

typedef struct stream_chan {
  ora_chan base;
  struct ora_loop *loop;
  ora_stream_params sp;
  char target[ORA_PATH_BYTES];
  ora_stream *st;
  ora_chan_events ev;
  void *ctx;
  int ppp_on;
  ora_hdlc_line line;
  uint8_t pending[PENDING_MAX]; /* PPP's bytes that came before PPP started */
  size_t npending;
} stream_chan;

static void frame_in(void *ctx, const uint8_t *frame, size_t len) {
  stream_chan *c = ctx;
  c->ev.frame(c->ctx, frame, len);
}

static void rx(void *ctx, const uint8_t *buf, size_t len) {
  stream_chan *c = ctx;
  if (len == 0) {
    c->ev.ended(c->ctx, 0);
    return;
  }
  size_t used = c->ev.dialog ? c->ev.dialog(c->ctx, buf, len) : 0;
  if (used >= len)
    return;
  buf += used;
  len -= used;
  if (!c->ppp_on) {
    size_t room = sizeof c->pending - c->npending;
    size_t n = len < room ? len : room; /* PPP retransmits what is lost */
    memcpy(c->pending + c->npending, buf, n);
    c->npending += n;
    return;
  }
  ora_hdlc_line_input(&c->line, buf, len, frame_in, c);
  if (c->ev.watch && c->st)
    c->ev.watch(c->ctx, buf, len);
}

static void opened(void *ctx, uint32_t error) {
  stream_chan *c = ctx;
  ora_trace("link: %s %s (%u)", c->target, error ? "not opened" : "opened", (unsigned)error);
  c->ev.opened(c->ctx, error);
}

static void chan_open(ora_chan *base) {
  stream_chan *c = (stream_chan *)base;
  int rc = ora_stream_open_async(c->loop, &c->sp, opened, rx, c, &c->st);
  if (rc)
    opened(c, (uint32_t)rc);
}

static void write_line(void *ctx, const uint8_t *buf, size_t len) {
  stream_chan *c = ctx;
  if (c->st)
    ora_stream_write(c->st, buf, len);
}

static void chan_write(ora_chan *base, const uint8_t *buf, size_t len) {
  write_line(base, buf, len);
}

static void chan_send(ora_chan *base, const ora_ppp_frame *f) {
  stream_chan *c = (stream_chan *)base;
  ora_hdlc_line_send(&c->line, f, write_line, c);
}

static int chan_start_ppp(ora_chan *base) {
  stream_chan *c = (stream_chan *)base;
  if (c->ppp_on || !c->npending) {
    c->ppp_on = 1;
    return 0;
  }
  c->ppp_on = 1;
  /* What the peer sent before we were ready (its first Configure-Request). */
  size_t n = c->npending;
  c->npending = 0;
  ora_hdlc_line_input(&c->line, c->pending, n, frame_in, c);
  return 1;
}

static void chan_discard(ora_chan *base) {
  stream_chan *c = (stream_chan *)base;
  c->npending = 0;
}

static void chan_releasing(ora_chan *base) {
  stream_chan *c = (stream_chan *)base;
  ora_stream_releasing(c->st);
}

static void chan_close(ora_chan *base) {
  stream_chan *c = (stream_chan *)base;
  ora_stream_close(c->st); /* drops DTR on a serial port */
  c->st = NULL;
}

static void chan_stats(const ora_chan *base, ora_ppp_stats *st) {
  const stream_chan *c = (const stream_chan *)base;
  ora_hdlc_line_stats(&c->line, st);
}

static void chan_destroy(ora_chan *base) {
  stream_chan *c = (stream_chan *)base;
  ora_stream_close(c->st);
  ora_ppp_wipe(c, sizeof *c); /* the buffers may hold a PAP request */
  free(c);
}

static const ora_chan_ops stream_ops = {
    .open = chan_open,
    .write = chan_write,
    .send = chan_send,
    .start_ppp = chan_start_ppp,
    .discard = chan_discard,
    .releasing = chan_releasing,
    .close = chan_close,
    .stats = chan_stats,
    .destroy = chan_destroy,
};

int ora_chan_stream_create(struct ora_loop *loop, const ora_stream_params *p, uint32_t rx_accm,
                           const ora_chan_events *ev, void *ctx, ora_chan **out) {
  stream_chan *c = calloc(1, sizeof *c);
  if (!c)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  c->base.ops = &stream_ops;
  c->loop = loop;
  c->sp = *p;
  ora_copy_str(c->target, sizeof c->target, p->target);
  c->sp.target = c->target;
  c->ev = *ev;
  c->ctx = ctx;
  ora_hdlc_line_init(&c->line, rx_accm);
  *out = &c->base;
  return 0;
}
