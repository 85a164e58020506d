/* Test support for the PPP unit tests: the virtual-time loop of
 * tests/support/virtual_loop.h and a scripted peer that decodes what the session sends and frames
 * what it answers. Include from exactly one file per test program. */
#ifndef OPENRAS_TEST_PPP_SUPPORT_H
#define OPENRAS_TEST_PPP_SUPPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "openras/base/loop.h"
#include "ppp/hdlc.h"
#include "ppp/ppp.h"
#include "ppp/pppos.h"

/* ---- virtual-time loop ---- */

#define VLOOP_FAIL(msg) fail_msg("%s", msg)
#include "virtual_loop.h"

/* ---- scripted peer ---- */

#define PEER_MAX_FRAMES 256

typedef struct peer_frame {
  uint16_t proto;
  size_t len;
  uint8_t data[1600];
} peer_frame;

typedef struct peer {
  ora_loop *loop;
  ora_pppos *pos; /* the session with its HDLC framing (ppp/pppos.h) */
  ora_ppp *s;     /* the session inside pos */
  ora_hdlc_dec dec;
  uint8_t decbuf[2000];
  peer_frame frames[PEER_MAX_FRAMES];
  int nframes, next; /* next = first frame not yet consumed by peer_expect */
  uint64_t bytes;
  /* what the session reported */
  int phases[32], nphases;
  int auth_started, auth_result; /* auth_result: -1 none */
  uint16_t auth_proto;
  uint8_t auth_alg;
  int ip_up;
  ora_ppp_ip_info ip;
  int down;
  uint32_t down_error;
  int destroy_on_down;
  /* peer side framing */
  uint32_t tx_accm;
  int tx_acfc, tx_pfc;
  /* echo everything straight back (loopback line) */
  int loopback;
  uint8_t last_ip[2000];
  size_t last_ip_len;
} peer;

static inline void peer_on_frame(void *ctx, const uint8_t *f, size_t len) {
  peer *p = ctx;
  uint16_t proto;
  const uint8_t *info;
  size_t il;
  assert_int_equal(ora_ppp_header_parse(f, len, 1, 1, &proto, &info, &il), 0);
  assert_true(p->nframes < PEER_MAX_FRAMES);
  assert_true(il <= sizeof p->frames[0].data);
  peer_frame *pf = &p->frames[p->nframes++];
  pf->proto = proto;
  pf->len = il;
  memcpy(pf->data, info, il);
}

typedef struct loop_bytes {
  peer *p;
  size_t len;
  uint8_t data[];
} loop_bytes;

static inline void loop_back(void *arg) {
  loop_bytes *b = arg;
  if (b->p->pos)
    ora_pppos_input(b->p->pos, b->data, b->len);
  free(b);
}

static inline void peer_write(void *ctx, const uint8_t *buf, size_t len) {
  peer *p = ctx;
  p->bytes += len;
  if (p->loopback) { /* through the loop, as a real line would */
    loop_bytes *b = malloc(sizeof *b + len);
    b->p = p;
    b->len = len;
    memcpy(b->data, buf, len);
    ora_loop_post(p->loop, loop_back, free, b);
  }
  ora_hdlc_dec_input(&p->dec, buf, len, peer_on_frame, p);
}

static inline void peer_on_phase(void *ctx, int phase) {
  peer *p = ctx;
  if (p->nphases < 32)
    p->phases[p->nphases++] = phase;
}
static inline void peer_on_auth_start(void *ctx, uint16_t proto, uint8_t alg) {
  peer *p = ctx;
  p->auth_started++;
  p->auth_proto = proto;
  p->auth_alg = alg;
}
static inline void peer_on_auth_done(void *ctx, uint32_t error) {
  peer *p = ctx;
  p->auth_result = (int)error;
}
static inline void peer_on_ip_up(void *ctx, const ora_ppp_ip_info *ip) {
  peer *p = ctx;
  p->ip_up++;
  p->ip = *ip;
}
static inline void peer_on_down(void *ctx, uint32_t error) {
  peer *p = ctx;
  p->down++;
  p->down_error = error;
  if (p->destroy_on_down) {
    ora_pppos_destroy(p->pos);
    p->pos = NULL;
    p->s = NULL;
  }
}
static inline void peer_on_ip_packet(void *ctx, const uint8_t *pkt, size_t len) {
  peer *p = ctx;
  if (len <= sizeof p->last_ip) {
    memcpy(p->last_ip, pkt, len);
    p->last_ip_len = len;
  }
}

const ora_ppp_callbacks peer_callbacks = {.write = peer_write,
                                          .on_phase = peer_on_phase,
                                          .on_auth_start = peer_on_auth_start,
                                          .on_auth_done = peer_on_auth_done,
                                          .on_ip_up = peer_on_ip_up,
                                          .on_down = peer_on_down,
                                          .on_ip_packet = peer_on_ip_packet};

/* Test timers: 100 ms restart, RFC counters, keepalive off unless a test sets it. */
static inline void peer_config(ora_ppp_config *c) {
  ora_ppp_config_default(c);
  c->restart_ms = 100;
  c->echo_interval_ms = 0;
  strcpy(c->user, "alice");
  strcpy(c->password, "alicepw");
}

static inline peer *peer_new(const ora_ppp_config *cfg) {
  peer *p = calloc(1, sizeof *p);
  assert_int_equal(ora_loop_create(&p->loop), 0);
  ora_hdlc_dec_init(&p->dec, p->decbuf, sizeof p->decbuf);
  p->dec.accm = 0; /* the scripted peer asks for ACCM 0: keep every byte */
  p->auth_result = -1;
  p->tx_accm = 0xffffffffu;
  assert_int_equal(ora_pppos_create(p->loop, cfg, &peer_callbacks, p, &p->pos), 0);
  p->s = ora_pppos_session(p->pos);
  return p;
}

static inline void peer_free(peer *p) {
  if (p->pos)
    ora_pppos_destroy(p->pos);
  ora_loop_destroy(p->loop);
  free(p);
}

/* Sends a frame from the peer to the session. */
static inline void peer_send_raw(peer *p, uint16_t proto, const uint8_t *info, size_t len) {
  uint8_t buf[ORA_HDLC_ENCODED_MAX(2000)];
  size_t n =
      ora_hdlc_encode(buf, sizeof buf, proto, info, len, p->tx_accm, p->tx_acfc, p->tx_pfc, 0);
  assert_true(n > 0);
  ora_pppos_input(p->pos, buf, n);
  vloop_run_posts(p->loop);
}

/* Sends a control packet: code, id, then data. */
static inline void peer_send(peer *p, uint16_t proto, uint8_t code, uint8_t id, const uint8_t *data,
                             size_t len) {
  uint8_t pkt[1600];
  pkt[0] = code;
  pkt[1] = id;
  pkt[2] = (uint8_t)((len + 4) >> 8);
  pkt[3] = (uint8_t)(len + 4);
  if (len)
    memcpy(pkt + 4, data, len);
  peer_send_raw(p, proto, pkt, len + 4);
}

/* The next frame the session sent that the test has not looked at, or NULL. */
static inline peer_frame *peer_next(peer *p) {
  return p->next < p->nframes ? &p->frames[p->next++] : NULL;
}

/* Skips to the next frame of proto with code (any code when code == 0). */
static inline peer_frame *peer_expect(peer *p, uint16_t proto, uint8_t code) {
  peer_frame *f;
  while ((f = peer_next(p)))
    if (f->proto == proto && (code == 0 || (f->len > 0 && f->data[0] == code)))
      return f;
  fail_msg("no frame proto %04x code %d", proto, code);
  return NULL;
}

static inline uint16_t frame_len_field(const peer_frame *f) {
  return (uint16_t)(f->data[2] << 8 | f->data[3]);
}

/* Finds option type in a control packet; returns a pointer to it or NULL. */
static inline const uint8_t *find_opt(const peer_frame *f, uint8_t type) {
  size_t len = frame_len_field(f);
  const uint8_t *p = f->data + 4, *end = f->data + len;
  while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
    if (p[0] == type)
      return p;
    p += p[1];
  }
  return NULL;
}

/* Typical server: acks the client's LCP request and sends its own (options given),
 * then expects the client's Ack. */
static inline void peer_lcp_open(peer *p, const uint8_t *opts, size_t len) {
  peer_frame *req = peer_expect(p, 0xc021, 1);
  uint8_t id = req->data[1];
  peer_send(p, 0xc021, 2, id, req->data + 4, frame_len_field(req) - 4u);
  peer_send(p, 0xc021, 1, 0x42, opts, len);
  peer_frame *ack = peer_expect(p, 0xc021, 2);
  assert_int_equal(ack->data[1], 0x42);
}

#endif
