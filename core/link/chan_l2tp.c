/* The L2TP channel (chan_l2tp.h): a UDP stream to the server and the L2TP call
 * (l2tp/l2tp.h) on it. The open makes the socket (RAS state OpenPort); connect brings
 * the tunnel and the session up (ConnectDevice); PPP frames then travel as data
 * messages, always with their address and control bytes (RFC 2661 asks for them, and
 * some servers drop frames without). */
#include "link/chan_l2tp.h"

#include <stdlib.h>
#include <string.h>

#include "l2tp/l2tp.h"
#include "openras/base/text.h"
#include "openras/base/trace.h"
#include "openras/engine.h"
#include "os/stream.h"
#include "ppp/ppp_util.h"

#define PENDING_MAX 4096 /* frames that came before PPP started, each after its length */

typedef struct l2tp_chan {
  ora_chan base;
  struct ora_loop *loop;
  ora_stream_params sp;
  char target[ORA_PATH_BYTES];
  ora_l2tp_config cfg;
  ora_stream *st;
  ora_l2tp *call;
  ora_chan_events ev;
  void *ctx;
  int connecting, up, ended, ppp_on;
  uint8_t pending[PENDING_MAX];
  size_t npending;
  uint64_t dgram_bytes_in, dgram_bytes_out;
  ora_endpoint local, remote; /* the UDP socket's, once opened */
} l2tp_chan;

/* ---- the call's events ---- */

static void call_send(void *ctx, const uint8_t *dgram, size_t len) {
  l2tp_chan *c = ctx;
  c->dgram_bytes_out += len;
  if (c->st)
    ora_stream_write(c->st, dgram, len); /* a lost datagram: L2TP or PPP sends again */
}

static void call_up(void *ctx) {
  l2tp_chan *c = ctx;
  c->up = 1;
  c->connecting = 0;
  c->ev.connected(c->ctx, 0);
}

static void call_frame(void *ctx, const uint8_t *frame, size_t len) {
  l2tp_chan *c = ctx;
  if (c->ppp_on) {
    c->ev.frame(c->ctx, frame, len);
    return;
  }
  /* The server's first Configure-Request can come before the bearer starts PPP. */
  if (len <= 0xffff && c->npending + 2 + len <= sizeof c->pending) {
    ora_put16(c->pending + c->npending, (uint16_t)len);
    memcpy(c->pending + c->npending + 2, frame, len);
    c->npending += 2 + len;
  }
}

static void call_down(void *ctx, uint32_t error) {
  l2tp_chan *c = ctx;
  if (c->ended)
    return;
  c->ended = 1;
  if (c->connecting) {
    c->connecting = 0;
    c->ev.connected(c->ctx, error);
    return;
  }
  c->ev.ended(c->ctx, error);
}

static const ora_l2tp_events call_events = {call_send, call_up, call_frame, call_down};

/* ---- the socket ---- */

static void rx(void *ctx, const uint8_t *buf, size_t len) {
  l2tp_chan *c = ctx;
  if (len == 0) {
    /* The socket failed (ICMP errors do not end it: os/stream.h). */
    ora_trace("link: %s: the socket ended", c->target);
    if (c->call && !c->ended)
      call_down(c, c->up ? ORA_ERROR_REMOTE_DISCONNECTION : ORA_ERROR_VPN_TIMEOUT);
    return;
  }
  c->dgram_bytes_in += len;
  if (c->call)
    ora_l2tp_input(c->call, buf, len);
}

static void opened(void *ctx, uint32_t error) {
  l2tp_chan *c = ctx;
  ora_trace("link: %s %s (%u)", c->target, error ? "not opened" : "opened", (unsigned)error);
  int family = 0;
  if (!error && ora_stream_addresses(c->st, &family, c->local.addr, c->remote.addr) == 0)
    c->local.type = c->remote.type = family == 6 ? ORA_EP_IPV6 : ORA_EP_IPV4;
  c->ev.opened(c->ctx, error);
}

/* ---- the channel ---- */

static void chan_open(ora_chan *base) {
  l2tp_chan *c = (l2tp_chan *)base;
  int rc = ora_stream_open_async(c->loop, &c->sp, opened, rx, c, &c->st);
  if (rc)
    opened(c, (uint32_t)rc);
}

static void chan_connect(ora_chan *base) {
  l2tp_chan *c = (l2tp_chan *)base;
  if (c->call || c->ended)
    return;
  int rc = ora_l2tp_create(c->loop, &c->cfg, &call_events, c, &c->call);
  if (rc) {
    c->ended = 1;
    c->ev.connected(c->ctx, (uint32_t)rc);
    return;
  }
  c->connecting = 1;
  ora_l2tp_start(c->call);
}

static void chan_write(ora_chan *base, const uint8_t *buf, size_t len) {
  (void)base, (void)buf, (void)len; /* no dialog on a tunnel */
}

static void chan_send(ora_chan *base, const ora_ppp_frame *f) {
  l2tp_chan *c = (l2tp_chan *)base;
  if (!c->call || !c->up)
    return;
  if (f->len >= 2 && f->data[0] == 0xff && f->data[1] == 0x03) {
    ora_l2tp_send_frame(c->call, f->data, f->len);
    return;
  }
  /* Compressed address and control (a peer that asked for ACFC): put them back. */
  uint8_t buf[2 + ORA_PPP_TX_MAX];
  if (f->len > ORA_PPP_TX_MAX)
    return;
  buf[0] = 0xff;
  buf[1] = 0x03;
  memcpy(buf + 2, f->data, f->len);
  ora_l2tp_send_frame(c->call, buf, f->len + 2);
  if (f->secret)
    ora_ppp_wipe(buf, sizeof buf);
}

static int chan_start_ppp(ora_chan *base) {
  l2tp_chan *c = (l2tp_chan *)base;
  c->ppp_on = 1;
  size_t n = c->npending, off = 0;
  c->npending = 0;
  while (off + 2 <= n) {
    size_t len = ora_get16(c->pending + off);
    c->ev.frame(c->ctx, c->pending + off + 2, len);
    off += 2 + len;
  }
  return n != 0;
}

static void chan_discard(ora_chan *base) {
  ((l2tp_chan *)base)->npending = 0;
}

static void chan_releasing(ora_chan *base) {
  (void)base; /* a UDP socket is no port another dial waits for */
}

static void chan_close(ora_chan *base) {
  l2tp_chan *c = (l2tp_chan *)base;
  ora_l2tp_close(c->call); /* CDN and StopCCN go out before the socket closes */
  ora_stream_close(c->st);
  c->st = NULL;
}

static void chan_stats(const ora_chan *base, ora_ppp_stats *st) {
  const l2tp_chan *c = (const l2tp_chan *)base;
  st->bytes_in = c->dgram_bytes_in;
  st->bytes_out = c->dgram_bytes_out;
  if (c->call) {
    ora_l2tp_stats ls;
    ora_l2tp_get_stats(c->call, &ls);
    st->framing_errors += ls.bad;
  }
}

static void chan_endpoints(const ora_chan *base, ora_endpoint *local, ora_endpoint *remote) {
  const l2tp_chan *c = (const l2tp_chan *)base;
  if (c->local.type) {
    *local = c->local;
    *remote = c->remote;
  }
}

static void chan_destroy(ora_chan *base) {
  l2tp_chan *c = (l2tp_chan *)base;
  ora_stream_close(c->st);
  ora_l2tp_destroy(c->call);
  ora_ppp_wipe(c, sizeof *c); /* pending frames may hold a PAP request */
  free(c);
}

static const ora_chan_ops l2tp_ops = {
    .open = chan_open,
    .connect = chan_connect,
    .write = chan_write,
    .send = chan_send,
    .start_ppp = chan_start_ppp,
    .discard = chan_discard,
    .releasing = chan_releasing,
    .close = chan_close,
    .stats = chan_stats,
    .endpoints = chan_endpoints,
    .destroy = chan_destroy,
};

int ora_chan_l2tp_create(struct ora_loop *loop, const ora_stream_params *p,
                         const ora_l2tp_config *cfg, const ora_chan_events *ev, void *ctx,
                         ora_chan **out) {
  l2tp_chan *c = calloc(1, sizeof *c);
  if (!c)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  c->base.ops = &l2tp_ops;
  c->loop = loop;
  c->sp = *p;
  ora_copy_str(c->target, sizeof c->target, p->target);
  c->sp.target = c->target;
  c->cfg = *cfg;
  c->ev = *ev;
  c->ctx = ctx;
  *out = &c->base;
  return 0;
}
