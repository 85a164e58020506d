/* LCP inside a session, against a scripted peer: our request, the peer's options
 * (good, unsupported, malformed), Naks and Rejects of ours, authentication
 * choice, loopback, keepalive, Protocol-Reject, termination and its errors. */
#include "test_ppp_support.h"

#include "ppp/ppp_internal.h"

static const uint8_t srv_opts[] = {1, 4, 0x05, 0xdc,             /* MRU 1500 */
                                   2, 6, 0,    0,    0,    0,    /* ACCM 0 */
                                   5, 6, 0x12, 0x34, 0x56, 0x78, /* magic */
                                   7, 2, 8,    2};               /* PFC, ACFC */

static peer *started(ora_ppp_config *cfg) {
  ora_ppp_config c;
  if (!cfg) {
    peer_config(&c);
    cfg = &c;
  }
  peer *p = peer_new(cfg);
  ora_ppp_start(p->s);
  return p;
}

/* Sends a peer Configure-Request and returns the session's reply. */
static peer_frame *ask(peer *p, const uint8_t *opts, size_t len, uint8_t id) {
  p->next = p->nframes;
  peer_send(p, 0xc021, 1, id, opts, len);
  peer_frame *f = peer_next(p);
  assert_non_null(f);
  assert_int_equal(f->proto, 0xc021);
  assert_int_equal(f->data[1], id);
  return f;
}

static void test_our_request(void **state) {
  (void)state;
  peer *p = started(NULL);
  assert_int_equal(ora_ppp_phase(p->s), ORA_PPP_ESTABLISH);
  peer_frame *f = peer_expect(p, 0xc021, 1);
  assert_null(find_opt(f, 1)); /* MRU 1500 is the default: not asked */
  const uint8_t *o = find_opt(f, 2);
  assert_non_null(o);
  assert_int_equal(o[1], 6);
  assert_int_equal(o[2] | o[3] | o[4] | o[5], 0);
  o = find_opt(f, 5);
  assert_non_null(o);
  assert_true((o[2] | o[3] | o[4] | o[5]) != 0);
  assert_non_null(find_opt(f, 7));
  assert_non_null(find_opt(f, 8));
  assert_null(find_opt(f, 3));
  peer_free(p);

  ora_ppp_config c;
  peer_config(&c);
  c.mru = 1200;
  c.pfc = c.acfc = 0;
  p = started(&c);
  f = peer_expect(p, 0xc021, 1);
  o = find_opt(f, 1);
  assert_non_null(o);
  assert_int_equal(o[2] << 8 | o[3], 1200);
  assert_null(find_opt(f, 7));
  assert_null(find_opt(f, 8));
  peer_free(p);
}

static void test_accept_server_options_and_compress(void **state) {
  (void)state;
  peer *p = started(NULL);
  peer_lcp_open(p, srv_opts, sizeof srv_opts);
  assert_int_equal(p->s->lcp.state, ORA_FSM_OPENED);
  assert_int_equal(ora_ppp_phase(p->s), ORA_PPP_NETWORK);
  ora_ppp_lcp_info li;
  ora_ppp_get_lcp(p->s, &li);
  assert_int_equal(li.peer_mru, 1500);
  assert_int_equal(li.peer_accm, 0);
  assert_int_equal(li.peer_magic, 0x12345678);
  assert_true(li.peer_pfc && li.peer_acfc && li.pfc && li.acfc);
  assert_int_equal(li.auth_proto, 0);
  /* IPCP now goes out without address/control field. */
  size_t before = p->bytes;
  p->next = p->nframes;
  vloop_advance(p->loop, 100); /* IPCP retransmission */
  assert_true(p->bytes > before);
  peer_frame *f = peer_expect(p, 0x8021, 1);
  assert_non_null(f);
  assert_int_equal(p->s->tx_acfc, 1);
  /* compressed frames from the peer are accepted now */
  p->tx_acfc = p->tx_pfc = 1;
  p->tx_accm = 0;
  const uint8_t ip[] = {0x45, 0, 0, 20};
  peer_send_raw(p, 0x0021, ip, sizeof ip); /* IPCP not up: dropped silently */
  assert_int_equal(p->last_ip_len, 0);
  peer_free(p);
}

static void test_auth_choices(void **state) {
  (void)state;
  const uint8_t pap[] = {3, 4, 0xc0, 0x23};
  const uint8_t md5[] = {3, 5, 0xc2, 0x23, 5};
  const uint8_t v2[] = {3, 5, 0xc2, 0x23, 0x81};
  const uint8_t v1[] = {3, 5, 0xc2, 0x23, 0x80};
  const uint8_t eap[] = {3, 4, 0xc2, 0x27};
  const uint8_t pap_long[] = {3, 5, 0xc0, 0x23, 0};
  peer *p = started(NULL);
  assert_int_equal(ask(p, pap, sizeof pap, 1)->data[0], ORA_CP_CONFACK);
  assert_int_equal(ask(p, md5, sizeof md5, 2)->data[0], ORA_CP_CONFACK);
  assert_int_equal(ask(p, v2, sizeof v2, 3)->data[0], ORA_CP_CONFACK);
  peer_frame *f = ask(p, v1, sizeof v1, 4);
  assert_int_equal(f->data[0], ORA_CP_CONFNAK);
  const uint8_t want_v2[] = {3, 5, 0xc2, 0x23, 0x81};
  assert_int_equal(frame_len_field(f), 4 + 5);
  assert_memory_equal(f->data + 4, want_v2, 5);
  f = ask(p, eap, sizeof eap, 5);
  assert_int_equal(f->data[0], ORA_CP_CONFNAK);
  assert_memory_equal(f->data + 4, want_v2, 5);
  f = ask(p, pap_long, sizeof pap_long, 6);
  assert_int_equal(f->data[0], ORA_CP_CONFNAK);
  peer_free(p);

  ora_ppp_config c;
  peer_config(&c);
  c.auth_allow = ORA_PPP_AUTH_PAP;
  p = started(&c);
  f = ask(p, md5, sizeof md5, 1);
  assert_int_equal(f->data[0], ORA_CP_CONFNAK);
  assert_memory_equal(f->data + 4, pap, 4);
  peer_free(p);

  c.auth_allow = ORA_PPP_AUTH_CHAP_MD5;
  p = started(&c);
  f = ask(p, v2, sizeof v2, 1);
  assert_int_equal(f->data[0], ORA_CP_CONFNAK);
  assert_memory_equal(f->data + 4, md5, 5);
  peer_free(p);

  c.auth_allow = 0; /* nothing acceptable: reject the option outright */
  p = started(&c);
  f = ask(p, pap, sizeof pap, 1);
  assert_int_equal(f->data[0], ORA_CP_CONFREJ);
  assert_memory_equal(f->data + 4, pap, 4);
  peer_free(p);
}

static void test_reject_unknown_options(void **state) {
  (void)state;
  peer *p = started(NULL);
  /* MRU ok, Quality-Protocol, Callback, MRRU, FCS-Alternatives: the reply
   * rejects exactly the unsupported ones, in order. */
  const uint8_t req[] = {1,  4,  5, 0xdc, 4,  8, 0xc0, 0x25, 0, 0, 0,
                         10, 13, 3, 6,    17, 4, 5,    0xdc, 9, 3, 2};
  peer_frame *f = ask(p, req, sizeof req, 9);
  assert_int_equal(f->data[0], ORA_CP_CONFREJ);
  const uint8_t want[] = {4, 8, 0xc0, 0x25, 0, 0, 0, 10, 13, 3, 6, 17, 4, 5, 0xdc, 9, 3, 2};
  assert_int_equal(frame_len_field(f), 4 + sizeof want);
  assert_memory_equal(f->data + 4, want, sizeof want);
  /* a Reject wins over a Nak in the same request */
  const uint8_t mixed[] = {5, 6, 0, 0, 0, 0, 13, 3, 6};
  f = ask(p, mixed, sizeof mixed, 10);
  assert_int_equal(f->data[0], ORA_CP_CONFREJ);
  assert_int_equal(frame_len_field(f), 4 + 3);
  peer_free(p);
}

static void test_malformed_requests(void **state) {
  (void)state;
  peer *p = started(NULL);
  const uint8_t *bad[] = {
      (const uint8_t[]){1, 0, 5, 0xdc},       /* zero-length option */
      (const uint8_t[]){1, 1, 5, 0xdc},       /* length 1 */
      (const uint8_t[]){1, 4, 5, 0xdc, 7},    /* truncated trailing option */
      (const uint8_t[]){1, 4, 5, 0xdc, 5, 9}, /* option length past the end */
  };
  const size_t bad_len[] = {4, 4, 5, 6};
  for (size_t i = 0; i < 4; i++) {
    p->next = p->nframes;
    peer_send(p, 0xc021, 1, (uint8_t)i, bad[i], bad_len[i]);
    assert_null(peer_next(p)); /* dropped without an answer */
  }
  /* known options with the wrong length are rejected (they cannot be read) */
  const uint8_t wrong[] = {1, 3, 5, 2, 5, 0, 0, 0, 5, 4, 1, 2, 7, 3, 0};
  peer_frame *f = ask(p, wrong, sizeof wrong, 20);
  assert_int_equal(f->data[0], ORA_CP_CONFREJ);
  assert_int_equal(frame_len_field(f), 4 + sizeof wrong);
  /* magic 0 and a tiny MRU are Nak'd */
  const uint8_t naks[] = {1, 4, 0, 10, 5, 6, 0, 0, 0, 0};
  f = ask(p, naks, sizeof naks, 21);
  assert_int_equal(f->data[0], ORA_CP_CONFNAK);
  const uint8_t *o = find_opt(f, 1);
  assert_int_equal(o[2] << 8 | o[3], 128);
  o = find_opt(f, 5);
  assert_true((o[2] | o[3] | o[4] | o[5]) != 0);
  /* a packet whose Length lies (beyond the frame) is dropped */
  p->next = p->nframes;
  const uint8_t liar[] = {1, 30, 0, 40, 1, 4, 5, 0xdc};
  peer_send_raw(p, 0xc021, liar, sizeof liar);
  assert_null(peer_next(p));
  /* a header-only packet with Length below 4 too */
  const uint8_t tiny[] = {1, 31, 0, 2};
  peer_send_raw(p, 0xc021, tiny, sizeof tiny);
  peer_send_raw(p, 0xc021, tiny, 2);
  assert_null(peer_next(p));
  assert_int_equal(p->s->lcp.state, ORA_FSM_REQSENT);
  peer_free(p);
}

static void test_nak_and_reject_of_our_options(void **state) {
  (void)state;
  ora_ppp_config c;
  peer_config(&c);
  c.mru = 1400;
  peer *p = started(&c);
  peer_frame *f = peer_expect(p, 0xc021, 1);
  uint32_t magic = (uint32_t)find_opt(f, 5)[2] << 24 | (uint32_t)find_opt(f, 5)[3] << 16 |
                   (uint32_t)find_opt(f, 5)[4] << 8 | find_opt(f, 5)[5];
  const uint8_t nak[] = {1, 4, 0x04, 0x00, 2, 6, 0, 0x0a, 0,   0, 5,
                         6, 0, 0,    0,    1, 3, 4, 0xc0, 0x23}; /* + a suggestion we ignore */
  peer_send(p, 0xc021, 3, f->data[1], nak, sizeof nak);
  f = peer_expect(p, 0xc021, 1);
  assert_int_equal(find_opt(f, 1)[2] << 8 | find_opt(f, 1)[3], 1024);
  assert_int_equal(find_opt(f, 2)[3], 0x0a);
  uint32_t m2 = (uint32_t)find_opt(f, 5)[2] << 24 | (uint32_t)find_opt(f, 5)[3] << 16 |
                (uint32_t)find_opt(f, 5)[4] << 8 | find_opt(f, 5)[5];
  assert_int_not_equal(m2, magic);
  assert_int_not_equal(m2, 1);
  assert_null(find_opt(f, 3));
  /* Reject of PFC and ACFC: asked no more */
  const uint8_t rej[] = {7, 2, 8, 2};
  peer_send(p, 0xc021, 4, f->data[1], rej, sizeof rej);
  f = peer_expect(p, 0xc021, 1);
  assert_null(find_opt(f, 7));
  assert_null(find_opt(f, 8));
  /* A Reject naming what we did not ask for is bogus: ignored */
  const uint8_t bogus[] = {13, 3, 6};
  peer_send(p, 0xc021, 4, f->data[1], bogus, sizeof bogus);
  assert_null(peer_next(p));
  /* malformed Nak: ignored */
  const uint8_t badnak[] = {1, 9, 0};
  peer_send(p, 0xc021, 3, f->data[1], badnak, sizeof badnak);
  assert_null(peer_next(p));
  /* Nak with a stale ID: ignored */
  peer_send(p, 0xc021, 3, (uint8_t)(f->data[1] - 1), nak, sizeof nak);
  assert_null(peer_next(p));
  peer_free(p);
}

static void test_no_answer_718(void **state) {
  (void)state;
  peer *p = started(NULL);
  vloop_advance(p->loop, 10 * 100 - 1);
  assert_int_equal(p->down, 0);
  vloop_advance(p->loop, 1);
  assert_int_equal(p->down, 1);
  assert_int_equal(p->down_error, ORA_ERROR_PPP_TIMEOUT);
  int reqs = 0;
  for (int i = 0; i < p->nframes; i++)
    reqs += p->frames[i].proto == 0xc021 && p->frames[i].data[0] == 1;
  assert_int_equal(reqs, 10);
  assert_int_equal(ora_ppp_phase(p->s), ORA_PPP_DEAD);
  assert_int_equal(vloop_timer_count(p->loop), 0);
  /* a late request gets Terminate-Ack, not a new negotiation */
  p->next = p->nframes;
  peer_send(p, 0xc021, 1, 77, srv_opts, sizeof srv_opts);
  assert_int_equal(peer_next(p)->data[0], ORA_CP_TERMACK);
  assert_int_equal(p->down, 1);
  peer_free(p);
}

static void test_loopback_737(void **state) {
  (void)state;
  ora_ppp_config c;
  peer_config(&c);
  peer *p = peer_new(&c);
  p->loopback = 1;
  ora_ppp_start(p->s);
  vloop_advance(p->loop, 5000);
  assert_int_equal(p->down, 1);
  assert_int_equal(p->down_error, ORA_ERROR_PPP_LOOPBACK_DETECTED);
  peer_free(p);
}

static void test_echo_reply_and_loopback_by_echo(void **state) {
  (void)state;
  peer *p = started(NULL);
  peer_lcp_open(p, srv_opts, sizeof srv_opts);
  ora_ppp_lcp_info li;
  ora_ppp_get_lcp(p->s, &li);
  const uint8_t echo[] = {0x12, 0x34, 0x56, 0x78, 'h', 'i'};
  p->next = p->nframes;
  peer_send(p, 0xc021, 9, 5, echo, sizeof echo);
  peer_frame *f = peer_expect(p, 0xc021, 10);
  assert_int_equal(f->data[1], 5);
  assert_int_equal(frame_len_field(f), 4 + 6);
  assert_int_equal((uint32_t)f->data[4] << 24 | (uint32_t)f->data[5] << 16 |
                       (uint32_t)f->data[6] << 8 | f->data[7],
                   li.magic);
  assert_memory_equal(f->data + 8, "hi", 2);
  /* short echo (no magic) ignored; Discard-Request ignored */
  p->next = p->nframes;
  peer_send(p, 0xc021, 9, 6, echo, 2);
  peer_send(p, 0xc021, 11, 7, echo, 4);
  assert_null(peer_next(p));
  /* an Echo-Request carrying our own magic: the line is looped */
  uint8_t mine[4] = {(uint8_t)(li.magic >> 24), (uint8_t)(li.magic >> 16), (uint8_t)(li.magic >> 8),
                     (uint8_t)li.magic};
  peer_send(p, 0xc021, 9, 8, mine, 4);
  peer_expect(p, 0xc021, 5); /* Terminate-Request */
  peer_send(p, 0xc021, 6, 0, NULL, 0);
  assert_int_equal(p->down_error, ORA_ERROR_PPP_LOOPBACK_DETECTED);
  peer_free(p);
}

static void test_keepalive_dead_peer_630(void **state) {
  (void)state;
  ora_ppp_config c;
  peer_config(&c);
  c.echo_interval_ms = 200;
  c.echo_fails = 3;
  c.max_configure = 1000; /* IPCP is left unanswered here: keep it waiting */
  peer *p = started(&c);
  peer_lcp_open(p, srv_opts, sizeof srv_opts);
  /* a peer that answers keeps the link up */
  for (int i = 0; i < 10; i++) {
    vloop_advance(p->loop, 200);
    peer_frame *f = peer_expect(p, 0xc021, 9);
    uint8_t rep[4] = {0x12, 0x34, 0x56, 0x78};
    peer_send(p, 0xc021, 10, f->data[1], rep, 4);
  }
  assert_int_equal(p->down, 0);
  /* then silence: 3 unanswered, found dead at the 4th tick */
  vloop_advance(p->loop, 3 * 200);
  assert_int_equal(p->down, 0);
  vloop_advance(p->loop, 200);
  assert_int_equal(p->down, 1);
  assert_int_equal(p->down_error, ORA_ERROR_HARDWARE_FAILURE);
  assert_int_equal(vloop_timer_count(p->loop), 0);
  peer_free(p);
}

static void test_echo_code_rejected_stops_keepalive(void **state) {
  (void)state;
  ora_ppp_config c;
  peer_config(&c);
  c.echo_interval_ms = 200;
  c.max_configure = 1000;
  peer *p = started(&c);
  peer_lcp_open(p, srv_opts, sizeof srv_opts);
  vloop_advance(p->loop, 200);
  peer_frame *f = peer_expect(p, 0xc021, 9);
  uint8_t rej[8];
  memcpy(rej, f->data, 8);
  peer_send(p, 0xc021, 7, 1, rej, 8);
  vloop_advance(p->loop, 5000);
  assert_int_equal(p->down, 0);
  assert_int_equal(p->s->lcp.state, ORA_FSM_OPENED);
  peer_free(p);
}

static void test_protocol_reject(void **state) {
  (void)state;
  peer *p = started(NULL);
  /* before LCP is open: silently dropped */
  const uint8_t ccp[] = {1, 1, 0, 4};
  int seen = p->nframes;
  peer_send_raw(p, 0x80fd, ccp, sizeof ccp);
  assert_int_equal(p->nframes, seen);
  peer_lcp_open(p, srv_opts, sizeof srv_opts);
  p->next = p->nframes;
  peer_send_raw(p, 0x80fd, ccp, sizeof ccp);
  peer_frame *f = peer_expect(p, 0xc021, 8);
  assert_int_equal(f->data[4] << 8 | f->data[5], 0x80fd);
  assert_memory_equal(f->data + 6, ccp, sizeof ccp);
  /* an oversized rejected packet is cut to the peer's MRU */
  static uint8_t big[1500];
  p->next = p->nframes;
  peer_send_raw(p, 0x8057, big, sizeof big);
  f = peer_expect(p, 0xc021, 8);
  assert_int_equal(frame_len_field(f), 1500);
  peer_free(p);
}

static void test_peer_terminates_before_network_734(void **state) {
  (void)state;
  const uint8_t pap[] = {3, 4, 0xc0, 0x23};
  peer *p = started(NULL);
  peer_lcp_open(p, pap, sizeof pap);
  assert_int_equal(ora_ppp_phase(p->s), ORA_PPP_AUTHENTICATE);
  p->next = p->nframes;
  peer_send(p, 0xc021, 5, 0x21, NULL, 0);
  peer_frame *f = peer_expect(p, 0xc021, 6);
  assert_int_equal(f->data[1], 0x21);
  assert_int_equal(p->down, 0);
  vloop_advance(p->loop, 100);
  assert_int_equal(p->down, 1);
  assert_int_equal(p->down_error, ORA_ERROR_PPP_LCP_TERMINATED);
  peer_free(p);
}

static void test_user_close_631_and_destroy_in_callback(void **state) {
  (void)state;
  peer *p = started(NULL);
  peer_lcp_open(p, srv_opts, sizeof srv_opts);
  p->destroy_on_down = 1;
  ora_ppp_close(p->s);
  assert_int_equal(ora_ppp_phase(p->s), ORA_PPP_TERMINATE);
  peer_frame *f = peer_expect(p, 0xc021, 5);
  peer_send(p, 0xc021, 6, f->data[1], NULL, 0);
  assert_int_equal(p->down, 1);
  assert_int_equal(p->down_error, ORA_ERROR_USER_DISCONNECTION);
  assert_null(p->s); /* destroyed from inside on_down */
  assert_int_equal(vloop_timer_count(p->loop), 0);
  peer_free(p);

  /* close with no answer: gives up after Max-Terminate requests */
  p = started(NULL);
  peer_lcp_open(p, srv_opts, sizeof srv_opts);
  ora_ppp_close(p->s);
  vloop_advance(p->loop, 2 * 100);
  assert_int_equal(p->down, 1);
  assert_int_equal(p->down_error, ORA_ERROR_USER_DISCONNECTION);
  peer_free(p);

  /* close before start and lower-layer loss */
  p = peer_new(&(ora_ppp_config){0});
  ora_ppp_close(p->s);
  assert_int_equal(p->down_error, ORA_ERROR_USER_DISCONNECTION);
  peer_free(p);
  p = started(NULL);
  peer_lcp_open(p, srv_opts, sizeof srv_opts);
  ora_ppp_lower_down(p->s, ORA_ERROR_PORT_DISCONNECTED);
  assert_int_equal(p->down, 1);
  assert_int_equal(p->down_error, ORA_ERROR_PORT_DISCONNECTED);
  assert_int_equal(vloop_timer_count(p->loop), 0);
  ora_ppp_lower_down(p->s, 1); /* only once */
  assert_int_equal(p->down, 1);
  peer_free(p);
}

static void test_destroy_from_timer_callback(void **state) {
  (void)state;
  peer *p = started(NULL);
  p->destroy_on_down = 1;
  vloop_advance(p->loop, 10 * 100); /* 718 reported from the restart timer */
  assert_int_equal(p->down_error, ORA_ERROR_PPP_TIMEOUT);
  assert_null(p->s);
  peer_free(p);
}

static void test_stats(void **state) {
  (void)state;
  peer *p = started(NULL);
  peer_lcp_open(p, srv_opts, sizeof srv_opts);
  ora_ppp_stats st;
  ora_pppos_get_stats(p->pos, &st);
  assert_int_equal(st.frames_in, 2);
  assert_true(st.frames_out >= 3);
  assert_int_equal(st.bytes_out, p->bytes);
  assert_int_equal(st.crc_errors, 0);
  const uint8_t junk[] = {0x7e, 0xff, 0x03, 0xc0, 0x21, 1,    2,    3,    4,
                          5,    0x7e, 0x7e, 0x01, 0x7e, 0x7e, 0xff, 0x7d, 0x7e};
  ora_pppos_input(p->pos, junk, sizeof junk);
  ora_pppos_get_stats(p->pos, &st);
  assert_int_equal(st.crc_errors, 1);
  assert_int_equal(st.framing_errors, 2); /* the runt and the abort */
  peer_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_our_request),
      cmocka_unit_test(test_accept_server_options_and_compress),
      cmocka_unit_test(test_auth_choices),
      cmocka_unit_test(test_reject_unknown_options),
      cmocka_unit_test(test_malformed_requests),
      cmocka_unit_test(test_nak_and_reject_of_our_options),
      cmocka_unit_test(test_no_answer_718),
      cmocka_unit_test(test_loopback_737),
      cmocka_unit_test(test_echo_reply_and_loopback_by_echo),
      cmocka_unit_test(test_keepalive_dead_peer_630),
      cmocka_unit_test(test_echo_code_rejected_stops_keepalive),
      cmocka_unit_test(test_protocol_reject),
      cmocka_unit_test(test_peer_terminates_before_network_734),
      cmocka_unit_test(test_user_close_631_and_destroy_in_callback),
      cmocka_unit_test(test_destroy_from_timer_callback),
      cmocka_unit_test(test_stats),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
