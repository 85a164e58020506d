/* PPP over a byte stream: HDLC-like framing for a frame-level session (pppos.h). */
#include "ppp/pppos.h"

#include <stdlib.h>
#include <string.h>

#include "ppp/ppp_util.h"

struct ora_pppos {
  ora_ppp *ppp;
  ora_ppp_callbacks user;
  void *user_ctx;
  ora_hdlc_line line;
  int depth; /* calls in progress */
  int dying; /* destroyed from inside one: freed when it unwinds */
};

void ora_hdlc_line_init(ora_hdlc_line *l, uint32_t rx_accm) {
  memset(l, 0, sizeof *l);
  ora_hdlc_dec_init(&l->dec, l->rxbuf, sizeof l->rxbuf);
  l->dec.accm = rx_accm;
}

void ora_hdlc_line_send(ora_hdlc_line *l, const ora_ppp_frame *f,
                        void (*write)(void *ctx, const uint8_t *buf, size_t len), void *ctx) {
  uint8_t buf[ORA_HDLC_ENCODED_MAX(ORA_PPP_TX_MAX)];
  size_t n = ora_hdlc_encode_frame(buf, sizeof buf, f->data, f->len, f->accm, 0);
  if (!n)
    return;
  l->bytes_out += n;
  write(ctx, buf, n);
  if (f->secret)
    ora_ppp_wipe(buf, n);
}

void ora_hdlc_line_input(ora_hdlc_line *l, const uint8_t *buf, size_t len, ora_hdlc_frame_fn fn,
                         void *ctx) {
  l->bytes_in += len;
  ora_hdlc_dec_input(&l->dec, buf, len, fn, ctx);
}

void ora_hdlc_line_stats(const ora_hdlc_line *l, ora_ppp_stats *st) {
  st->bytes_in = l->bytes_in;
  st->bytes_out = l->bytes_out;
  st->crc_errors = l->dec.crc_errors;
  st->framing_errors += l->dec.framing_errors + l->dec.aborts;
  st->overruns = l->dec.overruns;
}

static void pos_send(void *ctx, const ora_ppp_frame *f) {
  ora_pppos *p = ctx;
  if (!p->dying)
    ora_hdlc_line_send(&p->line, f, p->user.write, p->user_ctx);
}

/* The session's callbacks, passed on to the owner's. */
static void pos_phase(void *ctx, int phase) {
  ora_pppos *p = ctx;
  if (p->user.on_phase)
    p->user.on_phase(p->user_ctx, phase);
}
static void pos_auth_start(void *ctx, uint16_t proto, uint8_t alg) {
  ora_pppos *p = ctx;
  if (p->user.on_auth_start)
    p->user.on_auth_start(p->user_ctx, proto, alg);
}
static void pos_auth_done(void *ctx, uint32_t error) {
  ora_pppos *p = ctx;
  if (p->user.on_auth_done)
    p->user.on_auth_done(p->user_ctx, error);
}
static void pos_ip_up(void *ctx, const ora_ppp_ip_info *ip) {
  ora_pppos *p = ctx;
  if (p->user.on_ip_up)
    p->user.on_ip_up(p->user_ctx, ip);
}
static void pos_down(void *ctx, uint32_t error) {
  ora_pppos *p = ctx;
  if (p->user.on_down)
    p->user.on_down(p->user_ctx, error);
}
static void pos_ip_packet(void *ctx, const uint8_t *pkt, size_t len) {
  ora_pppos *p = ctx;
  if (p->user.on_ip_packet)
    p->user.on_ip_packet(p->user_ctx, pkt, len);
}

static const ora_ppp_callbacks pos_callbacks = {
    .on_phase = pos_phase,
    .on_auth_start = pos_auth_start,
    .on_auth_done = pos_auth_done,
    .on_ip_up = pos_ip_up,
    .on_down = pos_down,
    .on_ip_packet = pos_ip_packet,
    .send = pos_send,
};

int ora_pppos_create(struct ora_loop *loop, const ora_ppp_config *cfg, const ora_ppp_callbacks *cb,
                     void *ctx, ora_pppos **out) {
  *out = NULL;
  if (!cfg || !cb || !cb->write)
    return ORA_ERROR_INVALID_PARAMETER;
  ora_pppos *p = calloc(1, sizeof *p);
  if (!p)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  p->user = *cb;
  p->user_ctx = ctx;
  ora_hdlc_line_init(&p->line, cfg->accm);
  int rc = ora_ppp_create(loop, cfg, &pos_callbacks, p, &p->ppp);
  if (rc) {
    free(p);
    return rc;
  }
  *out = p;
  return 0;
}

static void pos_free(ora_pppos *p) {
  ora_ppp_wipe(p, sizeof *p); /* the receive buffer may hold a PAP request */
  free(p);
}

void ora_pppos_destroy(ora_pppos *p) {
  if (!p || p->dying)
    return;
  ora_ppp_destroy(p->ppp); /* deferred by the session itself while it is in use */
  p->dying = 1;
  if (p->depth == 0)
    pos_free(p);
}

ora_ppp *ora_pppos_session(ora_pppos *p) {
  return p->ppp;
}

static void pos_frame(void *ctx, const uint8_t *frame, size_t len) {
  ora_pppos *p = ctx;
  if (!p->dying)
    ora_ppp_input_frame(p->ppp, frame, len);
}

void ora_pppos_input(ora_pppos *p, const uint8_t *buf, size_t len) {
  if (p->dying)
    return;
  p->depth++;
  ora_ppp *s = p->ppp;
  ora_ppp_enter(s); /* the session stays valid for every frame of this read */
  ora_hdlc_line_input(&p->line, buf, len, pos_frame, p);
  ora_ppp_leave(s);
  if (--p->depth == 0 && p->dying)
    pos_free(p);
}

void ora_pppos_get_stats(const ora_pppos *p, ora_ppp_stats *out) {
  ora_ppp_get_stats(p->ppp, out);
  ora_hdlc_line_stats(&p->line, out);
}
