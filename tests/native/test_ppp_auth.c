/* PAP, CHAP-MD5 and MS-CHAPv2 as the authenticated side, against a scripted
 * authenticator: correct answers, acceptance and refusal (691), the MS-CHAPv2
 * server proof, Failure codes, retransmissions, timeouts and malformed packets.
 * Also checks where the password lives: never in the clear in the session, kept
 * sealed while the link is up (CHAP re-challenges, RFC 1994 4; LCP renegotiation
 * asks again), gone after a failure and when the link goes down. */
#include "test_ppp_support.h"

#include "crypto.h"
#include "ppp/mschap.h"
#include "ppp/ppp_internal.h"

static peer *to_auth(const uint8_t *auth_opt, size_t len, ora_ppp_config *cfg) {
  ora_ppp_config c;
  if (!cfg) {
    peer_config(&c);
    cfg = &c;
  }
  peer *p = peer_new(cfg);
  ora_ppp_start(p->s);
  peer_lcp_open(p, auth_opt, len);
  assert_int_equal(ora_ppp_phase(p->s), ORA_PPP_AUTHENTICATE);
  assert_int_equal(p->auth_started, 1);
  return p;
}

static const uint8_t opt_pap[] = {3, 4, 0xc0, 0x23};
static const uint8_t opt_md5[] = {3, 5, 0xc2, 0x23, 5};
static const uint8_t opt_v2[] = {3, 5, 0xc2, 0x23, 0x81};

static int all_zero(const void *p, size_t n) {
  const uint8_t *b = p;
  for (size_t i = 0; i < n; i++)
    if (b[i])
      return 0;
  return 1;
}

/* The password's bytes appear nowhere in the session object or its sealed copy. */
static int no_plaintext(const peer *p) {
  const uint8_t *b = (const uint8_t *)p->s;
  for (size_t i = 0; i + 7 <= sizeof *p->s; i++)
    if (memcmp(b + i, "alicepw", 7) == 0)
      return 0;
  const ora_sealed *pw = &p->s->pw;
  for (size_t i = 0; pw->data && i + 7 <= pw->len; i++)
    if (memcmp(pw->data + i, "alicepw", 7) == 0)
      return 0;
  return 1;
}

static int password_gone(const peer *p) {
  return p->s->pw.data == NULL && all_zero(p->s->cfg.password, sizeof p->s->cfg.password);
}

static void test_pap_ok(void **state) {
  (void)state;
  peer *p = to_auth(opt_pap, sizeof opt_pap, NULL);
  assert_int_equal(p->auth_proto, 0xc023);
  peer_frame *f = peer_expect(p, 0xc023, 1);
  const uint8_t want[] = {5, 'a', 'l', 'i', 'c', 'e', 7, 'a', 'l', 'i', 'c', 'e', 'p', 'w'};
  assert_int_equal(frame_len_field(f), 4 + sizeof want);
  assert_memory_equal(f->data + 4, want, sizeof want);
  /* retransmitted after the restart time, with a new ID */
  vloop_advance(p->loop, 100);
  peer_frame *g = peer_expect(p, 0xc023, 1);
  assert_int_not_equal(g->data[1], f->data[1]);
  /* an Ack for the old ID is not the answer */
  const uint8_t msg[] = {8, 'L', 'o', 'g', 'i', 'n', ' ', 'o', 'k'};
  peer_send(p, 0xc023, 2, f->data[1], msg, sizeof msg);
  assert_int_equal(p->auth_result, -1);
  assert_true(no_plaintext(p));
  peer_send(p, 0xc023, 2, g->data[1], msg, sizeof msg);
  assert_int_equal(p->auth_result, 0);
  assert_int_equal(ora_ppp_phase(p->s), ORA_PPP_NETWORK);
  assert_non_null(p->s->pw.data); /* kept, sealed, for a renegotiation */
  assert_true(no_plaintext(p));
  peer_expect(p, 0x8021, 1);
  peer_free(p);
}

static void test_pap_refused_691(void **state) {
  (void)state;
  peer *p = to_auth(opt_pap, sizeof opt_pap, NULL);
  peer_frame *f = peer_expect(p, 0xc023, 1);
  peer_send(p, 0xc023, 3, f->data[1], (const uint8_t[]){0}, 1);
  assert_int_equal(p->auth_result, ORA_ERROR_AUTHENTICATION_FAILURE);
  assert_true(password_gone(p));
  /* slirp then sends Terminate-Request at once; ours crosses it */
  peer_send(p, 0xc021, 5, 0x40, NULL, 0);
  f = peer_expect(p, 0xc021, 5);
  peer_send(p, 0xc021, 6, f->data[1], NULL, 0);
  assert_int_equal(p->down, 1);
  assert_int_equal(p->down_error, ORA_ERROR_AUTHENTICATION_FAILURE);
  peer_free(p);
}

static void test_pap_timeout_718_and_malformed(void **state) {
  (void)state;
  peer *p = to_auth(opt_pap, sizeof opt_pap, NULL);
  peer_frame *f = peer_expect(p, 0xc023, 1);
  /* damaged answers are ignored */
  const uint8_t lie[] = {2, f->data[1], 0, 60};
  peer_send_raw(p, 0xc023, lie, sizeof lie);
  peer_send_raw(p, 0xc023, lie, 3);
  assert_int_equal(p->auth_result, -1);
  vloop_advance(p->loop, 10 * 100);
  assert_int_equal(p->auth_result, ORA_ERROR_PPP_TIMEOUT);
  int reqs = 0;
  for (int i = 0; i < p->nframes; i++)
    reqs += p->frames[i].proto == 0xc023;
  assert_int_equal(reqs, 10);
  vloop_advance(p->loop, 1000);
  assert_int_equal(p->down_error, ORA_ERROR_PPP_TIMEOUT);
  peer_free(p);
}

static void challenge(peer *p, uint8_t id, const uint8_t *value, uint8_t vlen) {
  uint8_t d[80];
  d[0] = vlen;
  memcpy(d + 1, value, vlen);
  memcpy(d + 1 + vlen, "srv", 3);
  peer_send(p, 0xc223, 1, id, d, 1u + vlen + 3);
}

static void test_chap_md5(void **state) {
  (void)state;
  peer *p = to_auth(opt_md5, sizeof opt_md5, NULL);
  assert_int_equal(p->auth_alg, 5);
  const uint8_t ch[20] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
  challenge(p, 0x31, ch, sizeof ch);
  peer_frame *f = peer_expect(p, 0xc223, 2);
  assert_int_equal(f->data[1], 0x31);
  assert_int_equal(f->data[4], 16);
  uint8_t want[16], idb = 0x31;
  ora_crypto_part parts[3] = {{&idb, 1}, {"alicepw", 7}, {ch, sizeof ch}};
  ora_md5_parts(parts, 3, want);
  assert_memory_equal(f->data + 5, want, 16);
  assert_int_equal(frame_len_field(f), 4 + 1 + 16 + 5);
  assert_memory_equal(f->data + 21, "alice", 5);
  /* the same challenge again (retransmission): the same response */
  challenge(p, 0x31, ch, sizeof ch);
  peer_frame *g = peer_expect(p, 0xc223, 2);
  assert_memory_equal(g->data, f->data, f->len);
  /* Success for another ID is ignored; for ours it completes */
  peer_send(p, 0xc223, 3, 0x30, NULL, 0);
  assert_int_equal(p->auth_result, -1);
  peer_send(p, 0xc223, 3, 0x31, (const uint8_t *)"Welcome", 7);
  assert_int_equal(p->auth_result, 0);
  assert_int_equal(ora_ppp_phase(p->s), ORA_PPP_NETWORK);
  assert_true(all_zero(p->s->cfg.password, sizeof p->s->cfg.password));
  ora_ppp_lcp_info li;
  ora_ppp_get_lcp(p->s, &li);
  assert_int_equal(li.auth_proto, 0xc223);
  assert_int_equal(li.auth_alg, 5);
  peer_free(p);
}

static void test_chap_md5_failure_691(void **state) {
  (void)state;
  peer *p = to_auth(opt_md5, sizeof opt_md5, NULL);
  const uint8_t ch[16] = {9};
  challenge(p, 7, ch, sizeof ch);
  peer_expect(p, 0xc223, 2);
  peer_send(p, 0xc223, 4, 7, NULL, 0);
  assert_int_equal(p->auth_result, ORA_ERROR_AUTHENTICATION_FAILURE);
  peer_frame *f = peer_expect(p, 0xc021, 5);
  peer_send(p, 0xc021, 6, f->data[1], NULL, 0);
  assert_int_equal(p->down_error, ORA_ERROR_AUTHENTICATION_FAILURE);
  peer_free(p);
}

static void test_chap_malformed_and_timeout(void **state) {
  (void)state;
  peer *p = to_auth(opt_md5, sizeof opt_md5, NULL);
  p->next = p->nframes;
  const uint8_t past[] = {40, 1, 2, 3};      /* Value-Size beyond the packet */
  const uint8_t zero[] = {0, 's', 'r', 'v'}; /* empty value */
  peer_send(p, 0xc223, 1, 1, past, sizeof past);
  peer_send(p, 0xc223, 1, 2, zero, sizeof zero);
  peer_send(p, 0xc223, 1, 3, NULL, 0);
  const uint8_t liar[] = {1, 4, 0, 90, 4, 1, 2, 3, 4};
  peer_send_raw(p, 0xc223, liar, sizeof liar);
  assert_null(peer_next(p));
  /* Success/Failure before any response: ignored */
  peer_send(p, 0xc223, 3, 1, NULL, 0);
  peer_send(p, 0xc223, 4, 1, NULL, 0);
  assert_int_equal(p->auth_result, -1);
  /* no usable challenge for the whole budget: 718 */
  vloop_advance(p->loop, 10 * 100);
  assert_int_equal(p->auth_result, ORA_ERROR_PPP_TIMEOUT);
  peer_free(p);
}

/* Runs an MS-CHAPv2 exchange; returns the session's response frame. */
static peer_frame *v2_exchange(peer *p, const uint8_t ch[16], char sresp[43]) {
  challenge(p, 0x55, ch, 16);
  peer_frame *f = peer_expect(p, 0xc223, 2);
  assert_int_equal(f->data[4], 49);
  assert_int_equal(frame_len_field(f), 4 + 1 + 49 + 5);
  const uint8_t *peer_ch = f->data + 5, *nt = f->data + 5 + 24;
  assert_true(all_zero(f->data + 5 + 16, 8)); /* reserved */
  assert_int_equal(f->data[5 + 48], 0);       /* flags */
  uint8_t want[24];
  assert_int_equal(ora_mschap_nt_response(ch, peer_ch, "alice", "alicepw", want), 0);
  assert_memory_equal(nt, want, 24);
  assert_int_equal(ora_mschap_authenticator_response("alicepw", nt, peer_ch, ch, "alice", sresp),
                   0);
  return f;
}

static void test_mschapv2_ok(void **state) {
  (void)state;
  peer *p = to_auth(opt_v2, sizeof opt_v2, NULL);
  assert_int_equal(p->auth_alg, 0x81);
  const uint8_t ch[16] = {0x5B, 0x5D, 0x7C, 0x7D, 0x7B, 0x3F, 0x2F, 0x3E,
                          0x3C, 0x2C, 0x60, 0x21, 0x32, 0x26, 0x26, 0x28};
  char sresp[43];
  peer_frame *f = v2_exchange(p, ch, sresp);
  /* a retransmitted challenge gets the identical response */
  challenge(p, 0x55, ch, 16);
  peer_frame *g = peer_expect(p, 0xc223, 2);
  assert_memory_equal(g->data, f->data, f->len);
  /* the server's proof, in lower case and followed by a message */
  char msg[80];
  strcpy(msg, sresp);
  for (char *c = msg; *c; c++)
    if (*c >= 'A' && *c <= 'F')
      *c = (char)(*c - 'A' + 'a');
  strcat(msg, " M=Welcome");
  uint8_t send[16], recv[16];
  assert_int_equal(ora_ppp_get_mppe_keys(p->s, send, recv), -1); /* not before Success */
  peer_send(p, 0xc223, 3, 0x55, (const uint8_t *)msg, strlen(msg));
  assert_int_equal(p->auth_result, 0);
  assert_int_equal(ora_ppp_phase(p->s), ORA_PPP_NETWORK);
  assert_true(all_zero(p->s->cfg.password, sizeof p->s->cfg.password));
  /* The MPPE keys of this answer (RFC 3079), as the server derives them. */
  uint8_t master[16], want[16];
  assert_int_equal(ora_mschap_mppe_master_key("alicepw", f->data + 5 + 24, master), 0);
  assert_int_equal(ora_ppp_get_mppe_keys(p->s, send, recv), 0);
  assert_int_equal(ora_mschap_mppe_client_key(master, 1, want), 0);
  assert_memory_equal(send, want, 16);
  assert_int_equal(ora_mschap_mppe_client_key(master, 0, want), 0);
  assert_memory_equal(recv, want, 16);
  assert_memory_not_equal(send, recv, 16);
  peer_free(p);
}

static void test_mschapv2_fake_server_691(void **state) {
  (void)state;
  peer *p = to_auth(opt_v2, sizeof opt_v2, NULL);
  const uint8_t ch[16] = {1, 2, 3};
  char sresp[43];
  v2_exchange(p, ch, sresp);
  sresp[10] = sresp[10] == '0' ? '1' : '0'; /* a server that does not know the password */
  peer_send(p, 0xc223, 3, 0x55, (const uint8_t *)sresp, 42);
  assert_int_equal(p->auth_result, ORA_ERROR_AUTHENTICATION_FAILURE);
  peer_free(p);

  p = to_auth(opt_v2, sizeof opt_v2, NULL);
  v2_exchange(p, ch, sresp);
  peer_send(p, 0xc223, 3, 0x55, (const uint8_t *)"S=", 2); /* truncated */
  assert_int_equal(p->auth_result, ORA_ERROR_AUTHENTICATION_FAILURE);
  peer_free(p);
}

static void test_mschapv2_failure_codes(void **state) {
  (void)state;
  const char *msgs[] = {"E=691 R=1 C=00112233445566778899AABBCCDDEEFF V=3 M=bad", "E=648 R=0 V=3",
                        "E=12345", "garbage"};
  const uint32_t want[] = {691, 648, 691, 691};
  for (int i = 0; i < 4; i++) {
    peer *p = to_auth(opt_v2, sizeof opt_v2, NULL);
    const uint8_t ch[16] = {7};
    char sresp[43];
    v2_exchange(p, ch, sresp);
    peer_send(p, 0xc223, 4, 0x55, (const uint8_t *)msgs[i], strlen(msgs[i]));
    assert_int_equal(p->auth_result, want[i]);
    peer_frame *f = peer_expect(p, 0xc021, 5);
    peer_send(p, 0xc021, 6, f->data[1], NULL, 0);
    assert_int_equal(p->down_error, want[i]);
    peer_free(p);
  }
}

static void test_mschapv2_wrong_challenge_size_ignored(void **state) {
  (void)state;
  peer *p = to_auth(opt_v2, sizeof opt_v2, NULL);
  const uint8_t ch[8] = {1};
  p->next = p->nframes;
  challenge(p, 1, ch, sizeof ch);
  assert_null(peer_next(p));
  peer_free(p);
}

/* After CHAP-MD5 succeeded the authenticator may challenge again while the link is
 * up: each gets a fresh answer; a refused one ends the link with 691. */
static void test_chap_md5_rechallenge(void **state) {
  (void)state;
  peer *p = to_auth(opt_md5, sizeof opt_md5, NULL);
  const uint8_t ch1[16] = {9, 8, 7};
  challenge(p, 0x40, ch1, sizeof ch1);
  peer_expect(p, 0xc223, 2);
  peer_send(p, 0xc223, 3, 0x40, NULL, 0);
  assert_int_equal(p->auth_result, 0);
  assert_int_equal(ora_ppp_phase(p->s), ORA_PPP_NETWORK);
  assert_non_null(p->s->pw.data); /* kept, sealed */
  assert_true(no_plaintext(p));
  for (uint8_t id = 0x41; id < 0x44; id++) {
    uint8_t ch[20];
    for (int i = 0; i < 20; i++)
      ch[i] = (uint8_t)(id * 3 + i);
    challenge(p, id, ch, sizeof ch);
    peer_frame *f = peer_expect(p, 0xc223, 2);
    assert_int_equal(f->data[1], id);
    uint8_t want[16];
    ora_crypto_part parts[3] = {{&id, 1}, {"alicepw", 7}, {ch, sizeof ch}};
    ora_md5_parts(parts, 3, want);
    assert_memory_equal(f->data + 5, want, 16);
    peer_send(p, 0xc223, 3, id, NULL, 0);
    assert_int_equal(ora_ppp_phase(p->s), ORA_PPP_NETWORK);
    assert_int_equal(p->down, 0);
    assert_true(no_plaintext(p));
  }
  /* A Success nobody asked for changes nothing; a refused re-challenge ends the link. */
  peer_send(p, 0xc223, 3, 0x60, NULL, 0);
  assert_int_equal(p->down, 0);
  const uint8_t ch2[16] = {1};
  challenge(p, 0x50, ch2, sizeof ch2);
  peer_expect(p, 0xc223, 2);
  peer_send(p, 0xc223, 4, 0x50, NULL, 0);
  peer_frame *t = peer_expect(p, 0xc021, 5); /* Terminate-Request */
  peer_send(p, 0xc021, 6, t->data[1], NULL, 0);
  assert_int_equal(p->down, 1);
  assert_int_equal(p->down_error, ORA_ERROR_AUTHENTICATION_FAILURE);
  assert_true(password_gone(p));
  peer_free(p);
}

/* MS-CHAPv2 re-challenge: a new NT-Response, and the server must prove itself
 * again; a wrong proof ends the link. */
static void test_mschapv2_rechallenge(void **state) {
  (void)state;
  peer *p = to_auth(opt_v2, sizeof opt_v2, NULL);
  const uint8_t ch[16] = {0x11, 0x22};
  char sresp[43];
  v2_exchange(p, ch, sresp);
  peer_send(p, 0xc223, 3, 0x55, (const uint8_t *)sresp, 42);
  assert_int_equal(p->auth_result, 0);
  assert_true(no_plaintext(p));
  const uint8_t ch2[16] = {0x33, 0x44, 0x55};
  challenge(p, 0x56, ch2, 16);
  peer_frame *f = peer_expect(p, 0xc223, 2);
  assert_int_equal(f->data[1], 0x56);
  assert_int_equal(f->data[4], 49);
  const uint8_t *peer_ch = f->data + 5, *nt = f->data + 5 + 24;
  uint8_t want[24];
  assert_int_equal(ora_mschap_nt_response(ch2, peer_ch, "alice", "alicepw", want), 0);
  assert_memory_equal(nt, want, 24);
  char proof[43];
  assert_int_equal(ora_mschap_authenticator_response("alicepw", nt, peer_ch, ch2, "alice", proof),
                   0);
  peer_send(p, 0xc223, 3, 0x56, (const uint8_t *)proof, 42);
  assert_int_equal(p->down, 0);
  assert_int_equal(ora_ppp_phase(p->s), ORA_PPP_NETWORK);
  /* again, answered by a server that does not know the password */
  challenge(p, 0x57, ch, 16);
  peer_expect(p, 0xc223, 2);
  peer_send(p, 0xc223, 3, 0x57, (const uint8_t *)proof, 42); /* the old proof */
  peer_frame *t = peer_expect(p, 0xc021, 5);
  peer_send(p, 0xc021, 6, t->data[1], NULL, 0);
  assert_int_equal(p->down_error, ORA_ERROR_AUTHENTICATION_FAILURE);
  assert_true(password_gone(p));
  peer_free(p);
}

/* The peer renegotiates LCP on a link that is up (RFC 1661: a Configure-Request in
 * Opened): it may ask for authentication again, even with another protocol, and is
 * answered with the password the session kept; without authentication the link
 * goes straight back to the network phase. The link ending wipes the password. */
static void renegotiate(peer *p, const uint8_t *opts, size_t len) {
  peer_send(p, 0xc021, 1, 0x70, opts, len);
  peer_frame *req = peer_expect(p, 0xc021, 1);
  uint8_t id = req->data[1];
  p->next = 0;
  peer_frame *ack;
  while ((ack = peer_expect(p, 0xc021, 2)) && ack->data[1] != 0x70)
    ;
  peer_send(p, 0xc021, 2, id, req->data + 4, frame_len_field(req) - 4u);
}

static void test_lcp_renegotiation_authenticates_again(void **state) {
  (void)state;
  peer *p = to_auth(opt_md5, sizeof opt_md5, NULL);
  const uint8_t ch[16] = {4, 4, 4};
  challenge(p, 0x20, ch, sizeof ch);
  peer_expect(p, 0xc223, 2);
  peer_send(p, 0xc223, 3, 0x20, NULL, 0);
  assert_int_equal(ora_ppp_phase(p->s), ORA_PPP_NETWORK);
  /* again, now asking for PAP */
  renegotiate(p, opt_pap, sizeof opt_pap);
  assert_int_equal(ora_ppp_phase(p->s), ORA_PPP_AUTHENTICATE);
  peer_frame *f = peer_expect(p, 0xc023, 1);
  const uint8_t want[] = {5, 'a', 'l', 'i', 'c', 'e', 7, 'a', 'l', 'i', 'c', 'e', 'p', 'w'};
  assert_memory_equal(f->data + 4, want, sizeof want);
  peer_send(p, 0xc023, 2, f->data[1], (const uint8_t[]){0}, 1);
  assert_int_equal(ora_ppp_phase(p->s), ORA_PPP_NETWORK);
  peer_expect(p, 0x8021, 1); /* IPCP starts again */
  assert_int_equal(p->down, 0);
  assert_true(no_plaintext(p));
  /* and without authentication */
  const uint8_t magic[] = {5, 6, 9, 9, 9, 9};
  renegotiate(p, magic, sizeof magic);
  assert_int_equal(ora_ppp_phase(p->s), ORA_PPP_NETWORK);
  assert_int_equal(p->down, 0);
  /* The link ends: the password goes with it. */
  peer_send(p, 0xc021, 5, 0x71, NULL, 0);
  vloop_advance(p->loop, 10000);
  assert_int_equal(p->down, 1);
  assert_true(password_gone(p));
  peer_free(p);
}

static void test_no_auth_keeps_password_sealed(void **state) {
  (void)state;
  ora_ppp_config c;
  peer_config(&c);
  peer *p = peer_new(&c);
  ora_ppp_start(p->s);
  assert_true(no_plaintext(p));
  const uint8_t magic[] = {5, 6, 1, 2, 3, 4};
  peer_lcp_open(p, magic, sizeof magic);
  assert_int_equal(p->auth_started, 0);
  assert_non_null(p->s->pw.data);
  assert_true(no_plaintext(p));
  peer_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pap_ok),
      cmocka_unit_test(test_pap_refused_691),
      cmocka_unit_test(test_pap_timeout_718_and_malformed),
      cmocka_unit_test(test_chap_md5),
      cmocka_unit_test(test_chap_md5_failure_691),
      cmocka_unit_test(test_chap_malformed_and_timeout),
      cmocka_unit_test(test_mschapv2_ok),
      cmocka_unit_test(test_mschapv2_fake_server_691),
      cmocka_unit_test(test_mschapv2_failure_codes),
      cmocka_unit_test(test_mschapv2_wrong_challenge_size_ignored),
      cmocka_unit_test(test_chap_md5_rechallenge),
      cmocka_unit_test(test_mschapv2_rechallenge),
      cmocka_unit_test(test_lcp_renegotiation_authenticates_again),
      cmocka_unit_test(test_no_auth_keeps_password_sealed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
