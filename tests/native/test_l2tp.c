/* The L2TP access concentrator (core/l2tp/l2tp.h) against a scripted server, in virtual
 * time (tests/support/virtual_loop.h): what it sends at each step of a call (headers,
 * Ns/Nr, the AVPs a server needs), acknowledgements (ZLB, duplicates, messages ahead
 * of their turn), retransmission with back-off until 809, the server's receive window,
 * the server's clearing mapped to RAS errors, tunnel authentication and unknown
 * mandatory AVPs refused, data messages both ways, malformed datagrams counted and
 * dropped, and the farewell of a hang-up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define VLOOP_FAIL(msg) fail_msg("%s", msg)
#include "virtual_loop.h"

#include "l2tp/l2tp.h"
#include "openras/rasdefs.h"

#define MY_TID 0x1111
#define MY_SID 0x2222
#define PEER_TID 77
#define PEER_SID 99

/* ---------------------------------------------------------------- the scripted server */

typedef struct sent {
  uint8_t b[2048];
  size_t len;
} sent;

typedef struct harness {
  ora_loop *loop;
  ora_l2tp *t;
  sent out[64];
  int nout;
  int up, downs;
  uint32_t down_err;
  uint8_t frame[2048];
  size_t frame_len;
  int frames;
} harness;

static void ev_send(void *ctx, const uint8_t *d, size_t len) {
  harness *h = ctx;
  assert_true(h->nout < 64 && len <= sizeof h->out[0].b);
  memcpy(h->out[h->nout].b, d, len);
  h->out[h->nout++].len = len;
}
static void ev_up(void *ctx) {
  ((harness *)ctx)->up++;
}
static void ev_frame(void *ctx, const uint8_t *f, size_t len) {
  harness *h = ctx;
  memcpy(h->frame, f, len);
  h->frame_len = len;
  h->frames++;
}
static void ev_down(void *ctx, uint32_t error) {
  harness *h = ctx;
  h->downs++;
  h->down_err = error;
}
static const ora_l2tp_events events = {ev_send, ev_up, ev_frame, ev_down};

static uint16_t g16(const uint8_t *p) {
  return (uint16_t)(p[0] << 8 | p[1]);
}

/* What a control message of ours says. */
typedef struct ctl {
  uint16_t flags, len, tid, sid, ns, nr, type;
  int has_tid_avp, has_sid_avp, has_window, has_host, has_framing_type, has_result;
  uint16_t tid_avp, sid_avp, result;
} ctl;

static ctl decode(const sent *s) {
  ctl c;
  memset(&c, 0, sizeof c);
  const uint8_t *b = s->b;
  assert_true(s->len >= 12);
  c.flags = g16(b);
  c.len = g16(b + 2);
  assert_int_equal(c.len, s->len);
  c.tid = g16(b + 4);
  c.sid = g16(b + 6);
  c.ns = g16(b + 8);
  c.nr = g16(b + 10);
  c.type = 0xffff; /* a ZLB */
  for (size_t off = 12; off < s->len;) {
    uint16_t n = g16(b + off) & 0x3ff, type = g16(b + off + 4);
    assert_true(n >= 6 && off + n <= s->len);
    assert_int_equal(g16(b + off + 2), 0); /* IETF attributes only */
    const uint8_t *v = b + off + 6;
    if (off == 12) {
      assert_int_equal(type, 0); /* Message Type first */
      c.type = g16(v);
    }
    if (type == 9)
      c.has_tid_avp = 1, c.tid_avp = g16(v);
    if (type == 14)
      c.has_sid_avp = 1, c.sid_avp = g16(v);
    if (type == 10)
      c.has_window = 1;
    if (type == 7)
      c.has_host = 1;
    if (type == 19)
      c.has_framing_type = 1;
    if (type == 1)
      c.has_result = 1, c.result = g16(v);
    off += n;
  }
  return c;
}

/* A control message from the server. avps: type, value length, value bytes... ended by
 * 0xffff. */
static size_t build(uint8_t *b, uint16_t tid, uint16_t sid, uint16_t ns, uint16_t nr,
                    uint16_t msg_type, const uint8_t *extra, size_t extra_len) {
  size_t n = 12;
  if (msg_type != 0xffff) {
    const uint8_t mt[] = {0x80, 8, 0, 0, 0, 0, (uint8_t)(msg_type >> 8), (uint8_t)msg_type};
    memcpy(b + n, mt, sizeof mt);
    n += sizeof mt;
  }
  if (extra_len)
    memcpy(b + n, extra, extra_len);
  n += extra_len;
  b[0] = 0xc8, b[1] = 0x02;
  b[2] = (uint8_t)(n >> 8), b[3] = (uint8_t)n;
  b[4] = (uint8_t)(tid >> 8), b[5] = (uint8_t)tid;
  b[6] = (uint8_t)(sid >> 8), b[7] = (uint8_t)sid;
  b[8] = (uint8_t)(ns >> 8), b[9] = (uint8_t)ns;
  b[10] = (uint8_t)(nr >> 8), b[11] = (uint8_t)nr;
  return n;
}

static void input(harness *h, uint16_t sid, uint16_t ns, uint16_t nr, uint16_t type,
                  const uint8_t *extra, size_t extra_len) {
  uint8_t b[512];
  size_t n = build(b, MY_TID, sid, ns, nr, type, extra, extra_len);
  ora_l2tp_input(h->t, b, n);
}

static const uint8_t tid_avp[] = {0x80, 8, 0, 0, 0, 9, 0, PEER_TID};
static const uint8_t sid_avp[] = {0x80, 8, 0, 0, 0, 14, 0, PEER_SID};

static void setup_with(harness *h, uint32_t rtx_count) {
  memset(h, 0, sizeof *h);
  assert_int_equal(ora_loop_create(&h->loop), 0);
  ora_l2tp_config c;
  ora_l2tp_config_default(&c);
  c.rtx_initial_ms = 100;
  c.rtx_max_ms = 400;
  c.rtx_count = rtx_count;
  c.hello_ms = 5000;
  c.tunnel_id = MY_TID;
  c.session_id = MY_SID;
  assert_int_equal(ora_l2tp_create(h->loop, &c, &events, h, &h->t), 0);
}

static void teardown(harness *h) {
  ora_l2tp_destroy(h->t);
  assert_int_equal(vloop_timer_count(h->loop), 0);
  ora_loop_destroy(h->loop);
}

/* SCCRQ -> SCCRP -> SCCCN + ICRQ -> ICRP -> ICCN: the session is up. */
static void bring_up(harness *h) {
  ora_l2tp_start(h->t);
  assert_int_equal(h->nout, 1);
  ctl q = decode(&h->out[0]);
  assert_int_equal(q.flags, 0xc802);
  assert_int_equal(q.type, 1);
  assert_int_equal(q.tid, 0);
  assert_int_equal(q.ns, 0);
  assert_int_equal(q.nr, 0);
  assert_true(q.has_tid_avp && q.tid_avp == MY_TID && q.has_window && q.has_host);

  const uint8_t win4[] = {0x80, 8, 0, 0, 0, 10, 0, 4};
  uint8_t sccrp[32];
  memcpy(sccrp, tid_avp, 8);
  memcpy(sccrp + 8, win4, 8);
  input(h, 0, 0, 1, 2, sccrp, 16);
  assert_int_equal(h->nout, 3);
  ctl cn = decode(&h->out[1]), icrq = decode(&h->out[2]);
  assert_int_equal(cn.type, 3);
  assert_int_equal(cn.tid, PEER_TID);
  assert_int_equal(cn.ns, 1);
  assert_int_equal(cn.nr, 1);
  assert_int_equal(icrq.type, 10);
  assert_int_equal(icrq.ns, 2);
  assert_true(icrq.has_sid_avp && icrq.sid_avp == MY_SID);
  assert_int_equal(h->up, 0);

  input(h, MY_SID, 1, 3, 11, sid_avp, 8);
  assert_int_equal(h->nout, 4);
  ctl iccn = decode(&h->out[3]);
  assert_int_equal(iccn.type, 12);
  assert_int_equal(iccn.sid, PEER_SID);
  assert_int_equal(iccn.ns, 3);
  assert_int_equal(iccn.nr, 2);
  assert_true(iccn.has_framing_type);
  assert_int_equal(h->up, 1);
  input(h, 0, 2, 4, 0xffff, NULL, 0); /* the ZLB for ICCN */
  h->nout = 0;
}

/* ---------------------------------------------------------------- cases */

static void call_and_data(void **state) {
  (void)state;
  harness h;
  setup_with(&h, 5);
  bring_up(&h);
  /* A data message from the server, with the length and offset fields. */
  const uint8_t d[] = {0x42, 0x02, 0, 14, 0x11, 0x11, 0x22, 0x22, 0, 0, 0xff, 0x03, 0xc0, 0x21};
  ora_l2tp_input(h.t, d, sizeof d);
  assert_int_equal(h.frames, 1);
  assert_int_equal(h.frame_len, 4);
  assert_memory_equal(h.frame, d + 10, 4);
  /* and one of ours */
  const uint8_t f[] = {0xff, 0x03, 0x00, 0x21, 0x45};
  assert_int_equal(ora_l2tp_send_frame(h.t, f, sizeof f), 0);
  assert_int_equal(h.nout, 1);
  const uint8_t want[] = {0x00, 0x02, 0, PEER_TID, 0, PEER_SID, 0xff, 0x03, 0x00, 0x21, 0x45};
  assert_int_equal(h.out[0].len, sizeof want);
  assert_memory_equal(h.out[0].b, want, sizeof want);
  ora_l2tp_stats st;
  ora_l2tp_get_stats(h.t, &st);
  assert_int_equal(st.frames_in, 1);
  assert_int_equal(st.frames_out, 1);
  assert_int_equal(st.bad, 0);
  /* A data message for another session is not ours. */
  uint8_t other[sizeof d];
  memcpy(other, d, sizeof d);
  other[7] = 0x23;
  ora_l2tp_input(h.t, other, sizeof other);
  assert_int_equal(h.frames, 1);
  teardown(&h);
}

/* A Hello gets a ZLB; its duplicate another ZLB and no second processing; a message
 * ahead of its turn is dropped without one. */
static void acknowledgements(void **state) {
  (void)state;
  harness h;
  setup_with(&h, 5);
  bring_up(&h);
  /* The server's ZLB for ICCN carried Ns 2 without using it: its next message is 2. */
  input(&h, 0, 2, 4, 6, NULL, 0);
  assert_int_equal(h.nout, 1);
  ctl z = decode(&h.out[0]);
  assert_int_equal(z.type, 0xffff);
  assert_int_equal(z.len, 12);
  assert_int_equal(z.nr, 3);
  assert_int_equal(z.ns, 4); /* a ZLB carries the next Ns, not a new one */
  input(&h, 0, 2, 4, 6, NULL, 0);
  assert_int_equal(h.nout, 2);
  assert_int_equal(decode(&h.out[1]).nr, 3);
  input(&h, 0, 9, 4, 6, NULL, 0);
  assert_int_equal(h.nout, 2);
  ora_l2tp_stats st;
  ora_l2tp_get_stats(h.t, &st);
  assert_int_equal(st.bad, 1);
  teardown(&h);
}

/* No SCCRP: SCCRQ goes again after 100, 200, 400, 400 ms, then 809. */
static void retransmission_then_809(void **state) {
  (void)state;
  harness h;
  setup_with(&h, 4);
  ora_l2tp_start(h.t);
  static const uint64_t gaps[] = {100, 200, 400, 400};
  for (size_t i = 0; i < 4; i++) {
    vloop_advance(h.loop, gaps[i] - 1);
    assert_int_equal(h.nout, (int)i + 1);
    vloop_advance(h.loop, 1);
    assert_int_equal(h.nout, (int)i + 2);
    ctl c = decode(&h.out[i + 1]);
    assert_int_equal(c.type, 1);
    assert_int_equal(c.ns, 0);
  }
  assert_int_equal(h.downs, 0);
  vloop_advance(h.loop, 400);
  assert_int_equal(h.downs, 1);
  assert_int_equal(h.down_err, ORA_ERROR_VPN_TIMEOUT);
  ora_l2tp_stats st;
  ora_l2tp_get_stats(h.t, &st);
  assert_int_equal(st.retransmits, 4);
  teardown(&h);
}

/* A window of 1: ICRQ waits until SCCCN is acknowledged. */
static void window_of_one(void **state) {
  (void)state;
  harness h;
  setup_with(&h, 5);
  ora_l2tp_start(h.t);
  const uint8_t win1[] = {0x80, 8, 0, 0, 0, 10, 0, 1};
  uint8_t sccrp[16];
  memcpy(sccrp, tid_avp, 8);
  memcpy(sccrp + 8, win1, 8);
  input(&h, 0, 0, 1, 2, sccrp, 16);
  assert_int_equal(h.nout, 2);
  assert_int_equal(decode(&h.out[1]).type, 3);
  input(&h, 0, 1, 2, 0xffff, NULL, 0);
  assert_int_equal(h.nout, 3);
  assert_int_equal(decode(&h.out[2]).type, 10);
  teardown(&h);
}

static void refusals(void **state) {
  (void)state;
  harness h;
  /* StopCCN "not authorized" during set-up: 808, acknowledged. */
  setup_with(&h, 5);
  ora_l2tp_start(h.t);
  uint8_t stop[16];
  memcpy(stop, tid_avp, 8);
  const uint8_t res4[] = {0x80, 8, 0, 0, 0, 1, 0, 4};
  memcpy(stop + 8, res4, 8);
  input(&h, 0, 0, 1, 4, stop, 16);
  assert_int_equal(h.downs, 1);
  assert_int_equal(h.down_err, ORA_ERROR_VPN_REFUSED);
  assert_int_equal(decode(&h.out[h.nout - 1]).type, 0xffff);
  teardown(&h);

  /* A Challenge in SCCRP: we have no secret, so StopCCN and 808. */
  setup_with(&h, 5);
  ora_l2tp_start(h.t);
  uint8_t ch[24];
  memcpy(ch, tid_avp, 8);
  const uint8_t chal[] = {0x80, 14, 0, 0, 0, 11, 1, 2, 3, 4, 5, 6, 7, 8};
  memcpy(ch + 8, chal, sizeof chal);
  input(&h, 0, 0, 1, 2, ch, 8 + sizeof chal);
  assert_int_equal(h.down_err, ORA_ERROR_VPN_REFUSED);
  ctl s = decode(&h.out[h.nout - 1]);
  assert_int_equal(s.type, 4);
  assert_true(s.has_result && s.result == 4);
  teardown(&h);

  /* An unknown vendor's AVP marked mandatory ends the tunnel. */
  setup_with(&h, 5);
  ora_l2tp_start(h.t);
  uint8_t um[16];
  memcpy(um, tid_avp, 8);
  const uint8_t vendor[] = {0x80, 8, 0, 9, 0, 1, 0, 0};
  memcpy(um + 8, vendor, 8);
  input(&h, 0, 0, 1, 2, um, 16);
  assert_int_equal(h.downs, 1);
  assert_int_equal(h.down_err, ORA_ERROR_VPN_REFUSED);
  assert_int_equal(decode(&h.out[h.nout - 1]).type, 4);
  teardown(&h);

  /* CDN "busy" before the session is up: 676. */
  setup_with(&h, 5);
  ora_l2tp_start(h.t);
  input(&h, 0, 0, 1, 2, tid_avp, 8);
  const uint8_t busy[] = {0x80, 8, 0, 0, 0, 1, 0, 8, 0x80, 8, 0, 0, 0, 14, 0, PEER_SID};
  input(&h, MY_SID, 1, 3, 14, busy, sizeof busy);
  assert_int_equal(h.down_err, ORA_ERROR_LINE_BUSY);
  teardown(&h);

  /* StopCCN after the session was up: 629. */
  setup_with(&h, 5);
  bring_up(&h);
  const uint8_t res1[] = {0x80, 8, 0, 0, 0, 9, 0, PEER_TID, 0x80, 8, 0, 0, 0, 1, 0, 1};
  input(&h, 0, 2, 4, 4, res1, sizeof res1);
  assert_int_equal(h.down_err, ORA_ERROR_REMOTE_DISCONNECTION);
  /* and nothing after the end */
  const uint8_t d[] = {0x00, 0x02, 0x11, 0x11, 0x22, 0x22, 0xff, 0x03};
  ora_l2tp_input(h.t, d, sizeof d);
  assert_int_equal(h.frames, 0);
  assert_int_equal(h.downs, 1);
  teardown(&h);
}

/* Malformed datagrams: counted, dropped, and the call goes on. */
static void malformed(void **state) {
  (void)state;
  harness h;
  setup_with(&h, 5);
  bring_up(&h);
  uint8_t b[64];
  const uint8_t *cases[] = {
      (const uint8_t *)"\xc8\x02\x00",                                     /* short */
      (const uint8_t *)"\xc8\x03\x00\x0c\x11\x11\x00\x00\x00\x03\x00\x04", /* version 3 */
      (const uint8_t *)"\xc8\x02\x00\x40\x11\x11\x00\x00\x00\x03\x00\x04", /* length */
      (const uint8_t *)"\x88\x02\x00\x0c\x11\x11\x00\x00\x00\x03\x00\x04", /* no L bit */
      (const uint8_t *)"\xc8\x02\x00\x0c\x22\x22\x00\x00\x00\x03\x00\x04", /* tunnel */
      (const uint8_t *)"\xc8\x02\x00\x0c\x11\x11\x00\x00\x00\x03\x00\x40", /* Nr ahead */
      (const uint8_t *)"\xc8\x02\x00\x10\x11\x11\x00\x00\x00\x02\x00\x04\x80\x02\x00\x00", /* AVP */
  };
  const size_t lens[] = {3, 12, 12, 12, 12, 12, 16};
  for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
    memcpy(b, cases[i], lens[i]);
    ora_l2tp_input(h.t, b, lens[i]);
  }
  ora_l2tp_stats st;
  ora_l2tp_get_stats(h.t, &st);
  assert_int_equal(st.bad, 7);
  assert_int_equal(h.downs, 0);
  assert_int_equal(h.nout, 0);
  /* The server's real next message is still taken. */
  input(&h, 0, 2, 4, 6, NULL, 0);
  assert_int_equal(h.nout, 1);
  assert_int_equal(decode(&h.out[0]).nr, 3);
  teardown(&h);
}

/* A quiet tunnel sends Hello; an unanswered one ends the call with 629. */
static void hello_keepalive(void **state) {
  (void)state;
  harness h;
  setup_with(&h, 2);
  bring_up(&h);
  vloop_advance(&h.loop[0], 5000);
  assert_int_equal(h.nout, 1);
  assert_int_equal(decode(&h.out[0]).type, 6);
  vloop_advance(h.loop, 100 + 200 + 400);
  assert_int_equal(h.downs, 1);
  assert_int_equal(h.down_err, ORA_ERROR_REMOTE_DISCONNECTION);
  teardown(&h);
}

/* A hang-up says CDN, then StopCCN, once each, and no event follows. */
static void hang_up(void **state) {
  (void)state;
  harness h;
  setup_with(&h, 5);
  bring_up(&h);
  ora_l2tp_close(h.t);
  assert_int_equal(h.nout, 2);
  ctl cdn = decode(&h.out[0]), stop = decode(&h.out[1]);
  assert_int_equal(cdn.type, 14);
  assert_int_equal(cdn.sid, PEER_SID);
  assert_true(cdn.has_sid_avp && cdn.sid_avp == MY_SID && cdn.has_result);
  assert_int_equal(stop.type, 4);
  assert_true(stop.has_tid_avp && stop.tid_avp == MY_TID);
  assert_int_equal(stop.ns, (uint16_t)(cdn.ns + 1));
  vloop_advance(h.loop, 10000);
  assert_int_equal(h.nout, 2);
  assert_int_equal(h.downs, 0);
  assert_int_equal(ora_l2tp_send_frame(h.t, (const uint8_t *)"\xff\x03", 2), -1);
  teardown(&h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(call_and_data),
      cmocka_unit_test(acknowledgements),
      cmocka_unit_test(retransmission_then_809),
      cmocka_unit_test(window_of_one),
      cmocka_unit_test(refusals),
      cmocka_unit_test(malformed),
      cmocka_unit_test(hello_keepalive),
      cmocka_unit_test(hang_up),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
