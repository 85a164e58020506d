/* The RFC 1661 automaton through a toy protocol: one option (type 1, 4 bytes) that
 * the peer accepts or not as the test says. Each test walks a path of the state
 * table and checks the packets sent and the This-Layer-* actions. */
#include "test_ppp_support.h"

#include "ppp/fsm.h"

typedef struct toy {
  ora_fsm f;
  ora_loop *loop;
  int ups, downs, starts, finishes;
  int resets;
  int req_verdict; /* reply to the peer's request: CONFACK/NAK/REJ or -1 */
  int saw_reject_only;
  uint32_t value; /* our option value */
  uint8_t sent[64][64];
  size_t sent_len[64];
  int nsent;
  int rejected_code;
} toy;

static toy *T(ora_fsm *f) {
  return f->owner;
}
static void toy_reset(ora_fsm *f) {
  T(f)->resets++;
}
static size_t toy_build(ora_fsm *f, uint8_t *b, size_t cap) {
  (void)cap;
  b[0] = 1;
  b[1] = 6;
  b[2] = (uint8_t)(T(f)->value >> 24);
  b[3] = (uint8_t)(T(f)->value >> 16);
  b[4] = (uint8_t)(T(f)->value >> 8);
  b[5] = (uint8_t)T(f)->value;
  return 6;
}
static int toy_nak(ora_fsm *f, const uint8_t *p, size_t len) {
  if (len != 6 || p[0] != 1)
    return -1;
  T(f)->value = (uint32_t)p[2] << 24 | (uint32_t)p[3] << 16 | (uint32_t)p[4] << 8 | p[5];
  return 0;
}
static int toy_rej(ora_fsm *f, const uint8_t *p, size_t len) {
  (void)f;
  (void)p;
  return len == 6 ? 0 : -1;
}
static int toy_req(ora_fsm *f, const uint8_t *p, size_t len, uint8_t *out, size_t cap,
                   size_t *out_len, int reject_only) {
  (void)cap;
  toy *t = T(f);
  if (reject_only)
    t->saw_reject_only = 1;
  if (t->req_verdict < 0)
    return -1;
  memcpy(out, p, len);
  *out_len = len;
  if (t->req_verdict == ORA_CP_CONFNAK && reject_only)
    return ORA_CP_CONFREJ;
  return t->req_verdict;
}
static void toy_up(ora_fsm *f) {
  T(f)->ups++;
}
static void toy_down(ora_fsm *f) {
  T(f)->downs++;
}
static void toy_starting(ora_fsm *f) {
  T(f)->starts++;
}
static void toy_finished(ora_fsm *f) {
  T(f)->finishes++;
}
static int toy_other(ora_fsm *f, uint8_t code, uint8_t id, const uint8_t *d, size_t len) {
  (void)id, (void)d, (void)len;
  if (code == ORA_CP_ECHOREQ && f->state == ORA_FSM_OPENED) {
    ora_fsm_send(f, ORA_CP_ECHOREP, id, d, len);
    return 0;
  }
  return code == ORA_CP_ECHOREQ ? 0 : -1;
}
static void toy_code_rejected(ora_fsm *f, uint8_t code) {
  T(f)->rejected_code = code;
}
static void toy_send(ora_fsm *f, const uint8_t *pkt, size_t len) {
  toy *t = T(f);
  assert_true(t->nsent < 64 && len <= 64);
  memcpy(t->sent[t->nsent], pkt, len);
  t->sent_len[t->nsent++] = len;
}

static const ora_fsm_callbacks toy_cb = {
    .name = "TOY",
    .reset_request = toy_reset,
    .build_request = toy_build,
    .recv_nak = toy_nak,
    .recv_rej = toy_rej,
    .recv_request = toy_req,
    .up = toy_up,
    .down = toy_down,
    .starting = toy_starting,
    .finished = toy_finished,
    .other_code = toy_other,
    .code_rejected = toy_code_rejected,
    .send = toy_send,
};

static int setup(void **state) {
  toy *t = calloc(1, sizeof *t);
  ora_loop_create(&t->loop);
  ora_fsm_timers tm = {100, 0, 10, 2, 5};
  ora_fsm_init(&t->f, 0x8001, &toy_cb, t, t->loop, &tm);
  t->req_verdict = ORA_CP_CONFACK;
  t->value = 0x11223344;
  *state = t;
  return 0;
}

static int teardown(void **state) {
  toy *t = *state;
  ora_fsm_cleanup(&t->f);
  ora_loop_destroy(t->loop);
  free(t);
  return 0;
}

static uint8_t last_code(toy *t) {
  return t->nsent ? t->sent[t->nsent - 1][0] : 0;
}
static uint8_t last_id(toy *t) {
  return t->sent[t->nsent - 1][1];
}

static void rx(toy *t, uint8_t code, uint8_t id, const uint8_t *d, size_t len) {
  uint8_t pkt[64] = {code, id, 0, (uint8_t)(len + 4)};
  if (len) /* d may be NULL: memcpy must not get it even for 0 bytes */
    memcpy(pkt + 4, d, len);
  ora_fsm_input(&t->f, pkt, len + 4);
}

static const uint8_t opt_ours[6] = {1, 6, 0x11, 0x22, 0x33, 0x44};
static const uint8_t opt_peer[6] = {1, 6, 0xaa, 0xbb, 0xcc, 0xdd};

/* Open + Up: Starting then Req-Sent with a Configure-Request out. */
static void start(toy *t) {
  ora_fsm_open(&t->f);
  assert_int_equal(t->f.state, ORA_FSM_STARTING);
  assert_int_equal(t->starts, 1);
  ora_fsm_up(&t->f);
  assert_int_equal(t->f.state, ORA_FSM_REQSENT);
  assert_int_equal(last_code(t), ORA_CP_CONFREQ);
}

static void open_link(toy *t) {
  start(t);
  rx(t, ORA_CP_CONFACK, last_id(t), opt_ours, 6);
  assert_int_equal(t->f.state, ORA_FSM_ACKRCVD);
  rx(t, ORA_CP_CONFREQ, 7, opt_peer, 6);
  assert_int_equal(t->f.state, ORA_FSM_OPENED);
  assert_int_equal(last_code(t), ORA_CP_CONFACK);
  assert_int_equal(last_id(t), 7);
  assert_int_equal(t->ups, 1);
  assert_int_equal(vloop_timer_count(t->loop), 0);
}

static void test_open_ack_then_request(void **state) {
  open_link(*state);
}

static void test_open_request_then_ack(void **state) {
  toy *t = *state;
  start(t);
  uint8_t id = last_id(t);
  rx(t, ORA_CP_CONFREQ, 3, opt_peer, 6);
  assert_int_equal(t->f.state, ORA_FSM_ACKSENT);
  rx(t, ORA_CP_CONFACK, id, opt_ours, 6);
  assert_int_equal(t->f.state, ORA_FSM_OPENED);
  assert_int_equal(t->ups, 1);
}

static void test_ack_must_match(void **state) {
  toy *t = *state;
  start(t);
  uint8_t id = last_id(t);
  const uint8_t other[6] = {1, 6, 0, 0, 0, 0};
  rx(t, ORA_CP_CONFACK, (uint8_t)(id + 1), opt_ours, 6); /* wrong id */
  rx(t, ORA_CP_CONFACK, id, other, 6);                   /* wrong content */
  rx(t, ORA_CP_CONFACK, id, opt_ours, 4);                /* truncated */
  assert_int_equal(t->f.state, ORA_FSM_REQSENT);
  /* Length field larger than the data, or below the header: dropped. */
  uint8_t lie[10] = {ORA_CP_CONFACK, id, 0, 200, 1, 6, 0x11, 0x22, 0x33, 0x44};
  ora_fsm_input(&t->f, lie, sizeof lie);
  uint8_t small[4] = {ORA_CP_CONFACK, id, 0, 2};
  ora_fsm_input(&t->f, small, sizeof small);
  ora_fsm_input(&t->f, small, 3);
  assert_int_equal(t->f.state, ORA_FSM_REQSENT);
  /* Padding after Length is ignored. */
  uint8_t padded[14] = {ORA_CP_CONFACK, id, 0, 10, 1, 6, 0x11, 0x22, 0x33, 0x44, 0xee, 0xee};
  ora_fsm_input(&t->f, padded, sizeof padded);
  assert_int_equal(t->f.state, ORA_FSM_ACKRCVD);
}

static void test_timeouts_exhaust_max_configure(void **state) {
  toy *t = *state;
  start(t);
  for (int i = 1; i < 10; i++) {
    vloop_advance(t->loop, 100);
    assert_int_equal(t->f.state, ORA_FSM_REQSENT);
  }
  assert_int_equal(t->f.reqs_sent, 10);
  vloop_advance(t->loop, 100); /* TO- */
  assert_int_equal(t->f.state, ORA_FSM_STOPPED);
  assert_int_equal(t->finishes, 1);
  assert_int_equal(t->f.why, ORA_FSM_WHY_TIMEOUT);
  assert_int_equal(t->f.heard, 0);
  assert_int_equal(vloop_timer_count(t->loop), 0);
  /* Each retransmission has a new identifier. */
  assert_int_not_equal(t->sent[0][1], t->sent[1][1]);
}

/* With a first value below the final one, the restart timer doubles on each timeout
 * (RFC 1661 4.6: each value at least twice the last) up to the final value, and a new
 * negotiation starts again from the first value. */
static void test_restart_timer_backs_off(void **state) {
  toy *t = *state;
  ora_fsm_cleanup(&t->f);
  ora_fsm_timers tm = {800, 100, 10, 2, 5};
  ora_fsm_init(&t->f, 0x8001, &toy_cb, t, t->loop, &tm);
  start(t);
  static const uint64_t waits[] = {100, 200, 400, 800, 800, 800};
  for (size_t i = 0; i < sizeof waits / sizeof waits[0]; i++) {
    uint32_t sent = t->f.reqs_sent;
    vloop_advance(t->loop, waits[i] - 1);
    assert_int_equal(t->f.reqs_sent, sent); /* not yet */
    vloop_advance(t->loop, 1);
    assert_int_equal(t->f.reqs_sent, sent + 1);
  }
  /* The peer answers and asks: Opened. A renegotiation starts from 100 ms again. */
  rx(t, ORA_CP_CONFACK, last_id(t), opt_ours, 6);
  rx(t, ORA_CP_CONFREQ, 7, opt_ours, 6);
  assert_int_equal(t->f.state, ORA_FSM_OPENED);
  rx(t, ORA_CP_CONFREQ, 8, opt_ours, 6);
  assert_int_equal(t->f.state, ORA_FSM_ACKSENT);
  uint32_t sent = t->f.reqs_sent;
  vloop_advance(t->loop, 100);
  assert_int_equal(t->f.reqs_sent, sent + 1);
}

static int count_code(toy *t, uint8_t code, uint8_t id) {
  int n = 0;
  for (int i = 0; i < t->nsent; i++)
    n += t->sent[i][0] == code && t->sent[i][1] == id;
  return n;
}

/* With the backing-off timer, a Configure-Nak or -Reject goes out again (same identifier,
 * same options; waits doubling from the first value) while the peer's next request does
 * not come: a refusal lost on the line no longer costs the peer's restart timer. At most
 * four copies; the peer's next request ends them; an Ack is never repeated; a constant
 * timer (pppd's way) sends each refusal once. */
static void test_refusal_repeated_until_answered(void **state) {
  toy *t = *state;
  ora_fsm_cleanup(&t->f);
  ora_fsm_timers tm = {3000, 100, 10, 2, 5};
  ora_fsm_init(&t->f, 0x8001, &toy_cb, t, t->loop, &tm);
  start(t);
  rx(t, ORA_CP_CONFACK, last_id(t), opt_ours, 6);
  t->req_verdict = ORA_CP_CONFNAK;
  rx(t, ORA_CP_CONFREQ, 7, opt_peer, 6);
  assert_int_equal(t->f.state, ORA_FSM_ACKRCVD);
  assert_int_equal(count_code(t, ORA_CP_CONFNAK, 7), 1);
  vloop_advance(t->loop, 99);
  assert_int_equal(count_code(t, ORA_CP_CONFNAK, 7), 1);
  vloop_advance(t->loop, 1);
  assert_int_equal(count_code(t, ORA_CP_CONFNAK, 7), 2);
  assert_memory_equal(t->sent[t->nsent - 1] + 4, opt_peer, 6);
  vloop_advance(t->loop, 200);
  assert_int_equal(count_code(t, ORA_CP_CONFNAK, 7), 3);
  /* The peer's next request: acked, no more copies. (Our own request went out again
   * meanwhile, its restart timer being 100 ms too: Ack-Sent until the peer acks it.) */
  t->req_verdict = ORA_CP_CONFACK;
  rx(t, ORA_CP_CONFREQ, 8, opt_peer, 6);
  assert_int_equal(t->f.state, ORA_FSM_ACKSENT);
  rx(t, ORA_CP_CONFACK, t->f.req_id, opt_ours, 6);
  assert_int_equal(t->f.state, ORA_FSM_OPENED);
  vloop_advance(t->loop, 10000);
  assert_int_equal(count_code(t, ORA_CP_CONFNAK, 7), 3);
  assert_int_equal(count_code(t, ORA_CP_CONFACK, 8), 1);
  assert_int_equal(t->f.refusals_repeated, 2);
  assert_int_equal(vloop_timer_count(t->loop), 0);

  /* A peer that never answers: one Reject and four copies, 100/200/400/800 ms apart,
   * while our own request goes on being retransmitted. */
  ora_fsm_cleanup(&t->f);
  ora_fsm_init(&t->f, 0x8001, &toy_cb, t, t->loop, &tm);
  t->nsent = t->starts = 0;
  start(t);
  t->req_verdict = ORA_CP_CONFREJ;
  rx(t, ORA_CP_CONFREQ, 9, opt_peer, 6);
  assert_int_equal(t->f.state, ORA_FSM_REQSENT);
  vloop_advance(t->loop, 1499);
  assert_int_equal(count_code(t, ORA_CP_CONFREJ, 9), 4);
  vloop_advance(t->loop, 1);
  assert_int_equal(count_code(t, ORA_CP_CONFREJ, 9), 5);
  vloop_advance(t->loop, 20000);
  assert_int_equal(count_code(t, ORA_CP_CONFREJ, 9), 5);

  /* A constant timer sends the refusal once. */
  ora_fsm_cleanup(&t->f);
  ora_fsm_timers constant = {100, 0, 10, 2, 5};
  ora_fsm_init(&t->f, 0x8001, &toy_cb, t, t->loop, &constant);
  t->nsent = t->starts = 0;
  start(t);
  t->req_verdict = ORA_CP_CONFNAK;
  rx(t, ORA_CP_CONFREQ, 10, opt_peer, 6);
  vloop_advance(t->loop, 500);
  assert_int_equal(count_code(t, ORA_CP_CONFNAK, 10), 1);
}

static void test_ackrcvd_timeout_resends(void **state) {
  toy *t = *state;
  start(t);
  rx(t, ORA_CP_CONFACK, last_id(t), opt_ours, 6);
  assert_int_equal(t->f.state, ORA_FSM_ACKRCVD);
  /* No request from the peer: TO+ sends ours again and goes back to Req-Sent. */
  int before = t->nsent;
  vloop_advance(t->loop, 100);
  assert_int_equal(t->f.state, ORA_FSM_REQSENT);
  assert_int_equal(t->nsent, before + 1);
  assert_int_equal(last_code(t), ORA_CP_CONFREQ);
}

static void test_nak_updates_and_resends(void **state) {
  toy *t = *state;
  start(t);
  const uint8_t nak[6] = {1, 6, 0, 0, 0, 5};
  rx(t, ORA_CP_CONFNAK, last_id(t), nak, 6);
  assert_int_equal(t->value, 5);
  assert_int_equal(last_code(t), ORA_CP_CONFREQ);
  assert_int_equal(t->sent[t->nsent - 1][9], 5);
  /* malformed Nak (callback says -1) is ignored */
  int before = t->nsent;
  rx(t, ORA_CP_CONFNAK, last_id(t), nak, 3);
  assert_int_equal(t->nsent, before);
  /* Reject in Ack-Sent stays in Ack-Sent and resends */
  rx(t, ORA_CP_CONFREQ, 9, opt_peer, 6);
  assert_int_equal(t->f.state, ORA_FSM_ACKSENT);
  rx(t, ORA_CP_CONFREJ, t->f.req_id, opt_ours, 6);
  assert_int_equal(t->f.state, ORA_FSM_ACKSENT);
  assert_int_equal(last_code(t), ORA_CP_CONFREQ);
}

static void test_max_failure_turns_naks_into_rejects(void **state) {
  toy *t = *state;
  start(t);
  t->req_verdict = ORA_CP_CONFNAK;
  for (int i = 0; i < 5; i++) {
    rx(t, ORA_CP_CONFREQ, (uint8_t)i, opt_peer, 6);
    assert_int_equal(last_code(t), ORA_CP_CONFNAK);
  }
  assert_int_equal(t->saw_reject_only, 0);
  rx(t, ORA_CP_CONFREQ, 5, opt_peer, 6);
  assert_int_equal(t->saw_reject_only, 1);
  assert_int_equal(last_code(t), ORA_CP_CONFREJ);
}

static void test_not_converging(void **state) {
  toy *t = *state;
  start(t);
  t->req_verdict = ORA_CP_CONFREJ;
  /* The peer insists on an option we reject: after Max-Configure + Max-Failure
   * rounds we give up with Terminate-Request. */
  for (int i = 0; i < 15; i++) {
    rx(t, ORA_CP_CONFREQ, (uint8_t)i, opt_peer, 6);
    assert_int_equal(t->f.state, ORA_FSM_REQSENT);
  }
  rx(t, ORA_CP_CONFREQ, 15, opt_peer, 6);
  assert_int_equal(t->f.state, ORA_FSM_CLOSING);
  assert_int_equal(last_code(t), ORA_CP_TERMREQ);
  assert_int_equal(t->f.why, ORA_FSM_WHY_NOT_CONVERGING);
  rx(t, ORA_CP_TERMACK, last_id(t), NULL, 0);
  assert_int_equal(t->f.state, ORA_FSM_CLOSED);
  assert_int_equal(t->finishes, 1);
}

/* On a lossy line the same request comes again (the peer's retransmission keeps its
 * identifier) and our refusal goes again: that is no new round, and 20 of them do not
 * end the negotiation; the same for Naks of our own retransmitted request. */
static void test_repeats_are_not_rounds(void **state) {
  toy *t = *state;
  start(t);
  t->req_verdict = ORA_CP_CONFREJ;
  for (int i = 0; i < 20; i++) {
    t->nsent = 0; /* the toy keeps 64 packets */
    rx(t, ORA_CP_CONFREQ, 9, opt_peer, 6);
    assert_int_equal(t->f.state, ORA_FSM_REQSENT);
    assert_int_equal(last_code(t), ORA_CP_CONFREJ);
  }
  assert_int_equal(t->f.rounds, 1);
  static const uint8_t nak[] = {1, 6, 0x11, 0x22, 0x33, 0x44}; /* the value we ask for */
  for (int i = 0; i < 20; i++) {
    t->nsent = 0;
    rx(t, ORA_CP_CONFNAK, t->f.req_id, nak, 6);
    assert_int_equal(t->f.state, ORA_FSM_REQSENT);
  }
  assert_int_equal(t->f.rounds, 2);
  /* Without end, the repeats have their bound too: the loop stops. */
  for (int i = 0; i < 60 && t->f.state == ORA_FSM_REQSENT; i++) {
    t->nsent = 0;
    rx(t, ORA_CP_CONFREQ, 9, opt_peer, 6);
  }
  assert_int_equal(t->f.state, ORA_FSM_CLOSING);
  assert_int_equal(t->f.why, ORA_FSM_WHY_NOT_CONVERGING);
}

static void test_malformed_request_dropped(void **state) {
  toy *t = *state;
  start(t);
  t->req_verdict = -1;
  int before = t->nsent;
  rx(t, ORA_CP_CONFREQ, 1, opt_peer, 6);
  assert_int_equal(t->nsent, before);
  assert_int_equal(t->f.state, ORA_FSM_REQSENT);
  assert_int_equal(t->f.heard, 0);
}

static void test_peer_terminate_when_opened(void **state) {
  toy *t = *state;
  open_link(t);
  rx(t, ORA_CP_TERMREQ, 0x33, NULL, 0);
  assert_int_equal(t->f.state, ORA_FSM_STOPPING);
  assert_int_equal(t->downs, 1);
  assert_int_equal(last_code(t), ORA_CP_TERMACK);
  assert_int_equal(last_id(t), 0x33);
  assert_int_equal(t->finishes, 0);
  vloop_advance(t->loop, 100); /* zrc: one restart period, then finished */
  assert_int_equal(t->f.state, ORA_FSM_STOPPED);
  assert_int_equal(t->finishes, 1);
  assert_int_equal(t->f.why, ORA_FSM_WHY_PEER_TERM);
  /* Stopped answers a new request by renegotiating (RFC: irc, scr, sca). */
  rx(t, ORA_CP_CONFREQ, 0x34, opt_peer, 6);
  assert_int_equal(t->f.state, ORA_FSM_ACKSENT);
}

static void test_close_when_opened(void **state) {
  toy *t = *state;
  open_link(t);
  ora_fsm_close(&t->f, 0);
  assert_int_equal(t->f.state, ORA_FSM_CLOSING);
  assert_int_equal(t->downs, 1);
  assert_int_equal(last_code(t), ORA_CP_TERMREQ);
  /* Max-Terminate = 2 requests, then finished without an answer */
  vloop_advance(t->loop, 100);
  assert_int_equal(t->f.state, ORA_FSM_CLOSING);
  assert_int_equal(last_code(t), ORA_CP_TERMREQ);
  int reqs = 0;
  for (int i = 0; i < t->nsent; i++)
    reqs += t->sent[i][0] == ORA_CP_TERMREQ;
  assert_int_equal(reqs, 2);
  vloop_advance(t->loop, 100);
  assert_int_equal(t->f.state, ORA_FSM_CLOSED);
  assert_int_equal(t->finishes, 1);
  assert_int_equal(t->f.why, ORA_FSM_WHY_CLOSED);
  /* Closed answers requests with Terminate-Ack and stays closed */
  rx(t, ORA_CP_CONFREQ, 0x50, opt_peer, 6);
  assert_int_equal(last_code(t), ORA_CP_TERMACK);
  assert_int_equal(t->f.state, ORA_FSM_CLOSED);
}

static void test_close_then_termack(void **state) {
  toy *t = *state;
  start(t);
  ora_fsm_close(&t->f, 0);
  assert_int_equal(t->f.state, ORA_FSM_CLOSING);
  assert_int_equal(t->downs, 0);
  rx(t, ORA_CP_TERMREQ, 1, NULL, 0); /* crossing Terminate-Requests */
  assert_int_equal(last_code(t), ORA_CP_TERMACK);
  assert_int_equal(t->f.state, ORA_FSM_CLOSING);
  rx(t, ORA_CP_TERMACK, 99, NULL, 0);
  assert_int_equal(t->f.state, ORA_FSM_CLOSED);
  assert_int_equal(t->finishes, 1);
}

static void test_renegotiation_from_opened(void **state) {
  toy *t = *state;
  open_link(t);
  rx(t, ORA_CP_CONFREQ, 0x60, opt_peer, 6); /* RCR+ in Opened: tld, scr, sca */
  assert_int_equal(t->downs, 1);
  assert_int_equal(t->f.state, ORA_FSM_ACKSENT);
  assert_int_equal(t->sent[t->nsent - 2][0], ORA_CP_CONFREQ);
  assert_int_equal(last_code(t), ORA_CP_CONFACK);
  rx(t, ORA_CP_CONFACK, t->sent[t->nsent - 2][1], opt_ours, 6);
  assert_int_equal(t->f.state, ORA_FSM_OPENED);
  assert_int_equal(t->ups, 2);

  /* RCA in Opened: tld, scr -> Req-Sent */
  rx(t, ORA_CP_CONFACK, t->f.req_id, opt_ours, 6); /* not pending: ignored */
  assert_int_equal(t->f.state, ORA_FSM_OPENED);
  /* RTA in Opened: tld, scr */
  rx(t, ORA_CP_TERMACK, 1, NULL, 0);
  assert_int_equal(t->f.state, ORA_FSM_REQSENT);
  assert_int_equal(t->downs, 2);
  /* RCR- in Req-Sent: scn */
  t->req_verdict = ORA_CP_CONFNAK;
  rx(t, ORA_CP_CONFREQ, 0x61, opt_peer, 6);
  assert_int_equal(last_code(t), ORA_CP_CONFNAK);
  assert_int_equal(t->f.state, ORA_FSM_REQSENT);
}

static void test_crossed_ack_in_ackrcvd(void **state) {
  toy *t = *state;
  start(t);
  uint8_t id = last_id(t);
  rx(t, ORA_CP_CONFACK, id, opt_ours, 6);
  assert_int_equal(t->f.state, ORA_FSM_ACKRCVD);
  /* RCN in Ack-Rcvd: scr -> Req-Sent (the Nak must name our current request) */
  rx(t, ORA_CP_CONFNAK, id, opt_ours, 6);
  assert_int_equal(t->f.state, ORA_FSM_ACKRCVD); /* already answered: dropped */
  /* RTA in Ack-Rcvd -> Req-Sent */
  rx(t, ORA_CP_TERMACK, 5, NULL, 0);
  assert_int_equal(t->f.state, ORA_FSM_REQSENT);
}

static void test_unknown_code_and_code_reject(void **state) {
  toy *t = *state;
  open_link(t);
  const uint8_t junk[2] = {1, 2};
  rx(t, 42, 9, junk, 2);
  assert_int_equal(last_code(t), ORA_CP_CODEREJ);
  assert_int_equal(t->sent[t->nsent - 1][4], 42); /* the rejected packet follows */
  assert_int_equal(t->sent_len[t->nsent - 1], 4 + 6);
  assert_int_equal(t->f.state, ORA_FSM_OPENED);
  /* Echo handled by the protocol */
  const uint8_t magic[4] = {0, 0, 0, 0};
  rx(t, ORA_CP_ECHOREQ, 3, magic, 4);
  assert_int_equal(last_code(t), ORA_CP_ECHOREP);
  /* Code-Reject of an optional code: RXJ+, stays open */
  const uint8_t rej_echo[4] = {ORA_CP_ECHOREQ, 1, 0, 8};
  rx(t, ORA_CP_CODEREJ, 1, rej_echo, 4);
  assert_int_equal(t->rejected_code, ORA_CP_ECHOREQ);
  assert_int_equal(t->f.state, ORA_FSM_OPENED);
  /* Code-Reject of Configure-Request: RXJ-, tld, str -> Stopping */
  const uint8_t rej_cr[4] = {ORA_CP_CONFREQ, 1, 0, 4};
  rx(t, ORA_CP_CODEREJ, 2, rej_cr, 4);
  assert_int_equal(t->f.state, ORA_FSM_STOPPING);
  assert_int_equal(last_code(t), ORA_CP_TERMREQ);
  assert_int_equal(t->f.why, ORA_FSM_WHY_REJECTED);
  rx(t, ORA_CP_TERMACK, 0, NULL, 0);
  assert_int_equal(t->f.state, ORA_FSM_STOPPED);
  assert_int_equal(t->finishes, 1);
  /* empty Code-Reject is ignored */
  rx(t, ORA_CP_CODEREJ, 3, NULL, 0);
}

static void test_rxj_minus_while_negotiating(void **state) {
  toy *t = *state;
  start(t);
  ora_fsm_rxj(&t->f, 1);
  assert_int_equal(t->f.state, ORA_FSM_STOPPED);
  assert_int_equal(t->finishes, 1);
  assert_int_equal(vloop_timer_count(t->loop), 0);
}

static void test_down_and_up_again(void **state) {
  toy *t = *state;
  open_link(t);
  ora_fsm_down(&t->f);
  assert_int_equal(t->f.state, ORA_FSM_STARTING);
  assert_int_equal(t->downs, 1);
  /* nothing is accepted while the lower layer is down */
  rx(t, ORA_CP_CONFREQ, 1, opt_peer, 6);
  assert_int_equal(t->f.state, ORA_FSM_STARTING);
  ora_fsm_up(&t->f);
  assert_int_equal(t->f.state, ORA_FSM_REQSENT);
  /* Close from Starting: tlf, Initial */
  ora_fsm_down(&t->f);
  ora_fsm_close(&t->f, 0);
  assert_int_equal(t->f.state, ORA_FSM_INITIAL);
  assert_int_equal(t->finishes, 1);
  /* Up in Initial -> Closed, Open -> Req-Sent */
  ora_fsm_up(&t->f);
  assert_int_equal(t->f.state, ORA_FSM_CLOSED);
  ora_fsm_open(&t->f);
  assert_int_equal(t->f.state, ORA_FSM_REQSENT);
  assert_string_equal(ora_fsm_state_name(t->f.state), "Req-Sent");
}

#define T_(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
      T_(test_open_ack_then_request),
      T_(test_open_request_then_ack),
      T_(test_ack_must_match),
      T_(test_timeouts_exhaust_max_configure),
      T_(test_ackrcvd_timeout_resends),
      T_(test_restart_timer_backs_off),
      T_(test_refusal_repeated_until_answered),
      T_(test_nak_updates_and_resends),
      T_(test_max_failure_turns_naks_into_rejects),
      T_(test_not_converging),
      T_(test_repeats_are_not_rounds),
      T_(test_malformed_request_dropped),
      T_(test_peer_terminate_when_opened),
      T_(test_close_when_opened),
      T_(test_close_then_termack),
      T_(test_renegotiation_from_opened),
      T_(test_crossed_ack_in_ackrcvd),
      T_(test_unknown_code_and_code_reject),
      T_(test_rxj_minus_while_negotiating),
      T_(test_down_and_up_again),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
