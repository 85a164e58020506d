/* IPCP inside a session: our request, the server's Naks (address, DNS), Rejects,
 * the slirp-style exchange, the 0.0.0.0 server request, malformed packets, the
 * errors 718/733/736/738, and IP datagrams once up. */
#include "test_ppp_support.h"

#include "ppp/ppp_internal.h"

static const uint8_t srv_lcp[] = {5, 6, 0x12, 0x34, 0x56, 0x78};

static peer *to_network(ora_ppp_config *cfg) {
  ora_ppp_config c;
  if (!cfg) {
    peer_config(&c);
    cfg = &c;
  }
  peer *p = peer_new(cfg);
  ora_ppp_start(p->s);
  peer_lcp_open(p, srv_lcp, sizeof srv_lcp);
  assert_int_equal(ora_ppp_phase(p->s), ORA_PPP_NETWORK);
  return p;
}

static uint32_t opt_addr(const uint8_t *o) {
  return (uint32_t)o[2] << 24 | (uint32_t)o[3] << 16 | (uint32_t)o[4] << 8 | o[5];
}

static void test_request_and_slirp_exchange(void **state) {
  (void)state;
  ora_ppp_config c;
  peer_config(&c);
  c.peer_ip = 0x0a000202;
  peer *p = to_network(&c);
  peer_frame *f = peer_expect(p, 0x8021, 1);
  assert_int_equal(frame_len_field(f), 4 + 18);
  assert_int_equal(opt_addr(find_opt(f, 3)), 0);
  assert_int_equal(opt_addr(find_opt(f, 129)), 0);
  assert_int_equal(opt_addr(find_opt(f, 131)), 0);
  uint8_t our_id = f->data[1];

  /* slirp: requests 0.0.0.0 and VJ; we reject VJ, then Nak the address */
  const uint8_t req1[] = {2, 6, 0, 0x2d, 0x0f, 1, 3, 6, 0, 0, 0, 0};
  peer_send(p, 0x8021, 1, 1, req1, sizeof req1);
  f = peer_expect(p, 0x8021, 4);
  assert_int_equal(frame_len_field(f), 4 + 6);
  assert_int_equal(f->data[4], 2);
  const uint8_t req2[] = {3, 6, 0, 0, 0, 0};
  peer_send(p, 0x8021, 1, 2, req2, sizeof req2);
  f = peer_expect(p, 0x8021, 3);
  assert_int_equal(opt_addr(f->data + 4), 0x0a000202);
  const uint8_t req3[] = {3, 6, 10, 0, 2, 2};
  peer_send(p, 0x8021, 1, 3, req3, sizeof req3);
  peer_expect(p, 0x8021, 2);

  /* the server Naks our address and DNS */
  const uint8_t nak[] = {3, 6, 10, 0, 2, 15, 129, 6, 10, 0, 2, 3, 131, 6, 10, 0, 2, 4};
  peer_send(p, 0x8021, 3, our_id, nak, sizeof nak);
  f = peer_expect(p, 0x8021, 1);
  assert_int_equal(opt_addr(find_opt(f, 3)), 0x0a00020f);
  assert_int_equal(opt_addr(find_opt(f, 129)), 0x0a000203);
  assert_int_equal(p->ip_up, 0);
  peer_send(p, 0x8021, 2, f->data[1], f->data + 4, frame_len_field(f) - 4u);
  assert_int_equal(p->ip_up, 1);
  assert_int_equal(p->ip.local, 0x0a00020f);
  assert_int_equal(p->ip.remote, 0x0a000202);
  assert_int_equal(p->ip.dns1, 0x0a000203);
  assert_int_equal(p->ip.dns2, 0x0a000204);
  ora_ppp_ip_info ip;
  assert_int_equal(ora_ppp_get_ip(p->s, &ip), 0);
  assert_int_equal(ip.local, 0x0a00020f);
  ora_ppp_stats st;
  ora_ppp_get_stats(p->s, &st);
  assert_true(st.negotiation_us > 0);

  /* datagrams both ways */
  const uint8_t dgram[] = {0x45, 0, 0, 20, 1, 2, 3, 4};
  p->tx_acfc = p->tx_pfc = 1;
  peer_send_raw(p, 0x0021, dgram, sizeof dgram);
  assert_int_equal(p->last_ip_len, sizeof dgram);
  assert_memory_equal(p->last_ip, dgram, sizeof dgram);
  p->next = p->nframes;
  assert_int_equal(ora_ppp_send_ip(p->s, dgram, sizeof dgram), 0);
  f = peer_expect(p, 0x0021, 0);
  assert_int_equal(f->len, sizeof dgram);
  static uint8_t huge[1600];
  assert_int_not_equal(ora_ppp_send_ip(p->s, huge, sizeof huge), 0);
  peer_free(p);
}

static void test_zero_server_address_rejected_without_peer_ip(void **state) {
  (void)state;
  peer *p = to_network(NULL);
  const uint8_t req[] = {3, 6, 0, 0, 0, 0};
  peer_send(p, 0x8021, 1, 1, req, sizeof req);
  peer_frame *f = peer_expect(p, 0x8021, 4);
  assert_memory_equal(f->data + 4, req, 6);
  peer_free(p);
}

static void test_dns_rejected_is_fine(void **state) {
  (void)state;
  peer *p = to_network(NULL);
  peer_frame *f = peer_expect(p, 0x8021, 1);
  const uint8_t rej[] = {129, 6, 0, 0, 0, 0, 131, 6, 0, 0, 0, 0};
  peer_send(p, 0x8021, 4, f->data[1], rej, sizeof rej);
  f = peer_expect(p, 0x8021, 1);
  assert_int_equal(frame_len_field(f), 4 + 6);
  const uint8_t nak[] = {3, 6, 192, 168, 1, 9};
  peer_send(p, 0x8021, 3, f->data[1], nak, sizeof nak);
  f = peer_expect(p, 0x8021, 1);
  const uint8_t req[] = {3, 6, 192, 168, 1, 1};
  peer_send(p, 0x8021, 1, 7, req, sizeof req);
  peer_send(p, 0x8021, 2, f->data[1], f->data + 4, 6);
  assert_int_equal(p->ip_up, 1);
  assert_int_equal(p->ip.local, 0xc0a80109);
  assert_int_equal(p->ip.remote, 0xc0a80101);
  assert_int_equal(p->ip.dns1, 0);
  assert_int_equal(p->ip.dns2, 0);
  peer_free(p);
}

static void test_no_address_738(void **state) {
  (void)state;
  /* The server acknowledges 0.0.0.0: we have no address. */
  peer *p = to_network(NULL);
  peer_frame *f = peer_expect(p, 0x8021, 1);
  const uint8_t req[] = {3, 6, 10, 0, 0, 1};
  peer_send(p, 0x8021, 1, 7, req, sizeof req);
  peer_send(p, 0x8021, 2, f->data[1], f->data + 4, frame_len_field(f) - 4u);
  assert_int_equal(p->ip_up, 0);
  f = peer_expect(p, 0xc021, 5);
  peer_send(p, 0xc021, 6, f->data[1], NULL, 0);
  assert_int_equal(p->down_error, ORA_ERROR_PPP_NO_ADDRESS_ASSIGNED);
  peer_free(p);

  /* The server rejects IP-Address altogether. */
  p = to_network(NULL);
  f = peer_expect(p, 0x8021, 1);
  const uint8_t rej[] = {3, 6, 0, 0, 0, 0};
  peer_send(p, 0x8021, 4, f->data[1], rej, sizeof rej);
  f = peer_expect(p, 0x8021, 1);
  assert_null(find_opt(f, 3));
  peer_send(p, 0x8021, 1, 7, req, sizeof req);
  peer_send(p, 0x8021, 2, f->data[1], f->data + 4, frame_len_field(f) - 4u);
  vloop_advance(p->loop, 1000);
  assert_int_equal(p->down_error, ORA_ERROR_PPP_NO_ADDRESS_ASSIGNED);
  peer_free(p);
}

static void test_malformed_and_unknown(void **state) {
  (void)state;
  peer *p = to_network(NULL);
  p->next = p->nframes;
  const uint8_t zero_len[] = {3, 0, 1, 2};
  const uint8_t past_end[] = {3, 6, 0, 0, 0, 0, 129, 7, 0};
  peer_send(p, 0x8021, 1, 1, zero_len, sizeof zero_len);
  peer_send(p, 0x8021, 1, 2, past_end, sizeof past_end);
  assert_null(peer_next(p));
  /* IP-Address with the wrong length, IP-Addresses (1), NBNS: rejected */
  const uint8_t odd[] = {3, 4, 1, 2, 1, 10, 0, 0, 0, 0, 0, 0, 0, 0, 130, 6, 0, 0, 0, 0};
  peer_send(p, 0x8021, 1, 3, odd, sizeof odd);
  peer_frame *f = peer_expect(p, 0x8021, 4);
  assert_int_equal(frame_len_field(f), 4 + sizeof odd);
  /* Nak of ours with a truncated option: ignored (no new request) */
  peer_frame *req = NULL;
  for (int i = 0; i < p->nframes; i++)
    if (p->frames[i].proto == 0x8021 && p->frames[i].data[0] == 1)
      req = &p->frames[i];
  p->next = p->nframes;
  const uint8_t badnak[] = {3, 8, 0, 0};
  peer_send(p, 0x8021, 3, req->data[1], badnak, sizeof badnak);
  assert_null(peer_next(p));
  /* Reject naming an option we did not send: ignored */
  const uint8_t badrej[] = {2, 6, 0, 0x2d, 0x0f, 1};
  peer_send(p, 0x8021, 4, req->data[1], badrej, sizeof badrej);
  assert_null(peer_next(p));
  /* Nak options of other lengths are skipped, not read */
  const uint8_t oddnak[] = {3, 4, 1, 2, 129, 2};
  peer_send(p, 0x8021, 3, req->data[1], oddnak, sizeof oddnak);
  f = peer_expect(p, 0x8021, 1);
  assert_int_equal(opt_addr(find_opt(f, 3)), 0);
  /* unknown IPCP code: Code-Reject */
  p->next = p->nframes;
  peer_send(p, 0x8021, 9, 4, NULL, 0);
  f = peer_expect(p, 0x8021, 7);
  assert_int_equal(f->data[4], 9);
  peer_free(p);
}

static void test_ipcp_timeout_718(void **state) {
  (void)state;
  peer *p = to_network(NULL);
  vloop_advance(p->loop, 10 * 100);
  peer_frame *f = peer_expect(p, 0xc021, 5);
  peer_send(p, 0xc021, 6, f->data[1], NULL, 0);
  assert_int_equal(p->down_error, ORA_ERROR_PPP_TIMEOUT);
  peer_free(p);
}

static void test_ipcp_protocol_rejected_733(void **state) {
  (void)state;
  peer *p = to_network(NULL);
  peer_frame *f = peer_expect(p, 0x8021, 1);
  uint8_t pr[64] = {0x80, 0x21};
  memcpy(pr + 2, f->data, f->len);
  peer_send(p, 0xc021, 8, 1, pr, 2 + f->len);
  f = peer_expect(p, 0xc021, 5);
  peer_send(p, 0xc021, 6, f->data[1], NULL, 0);
  assert_int_equal(p->down_error, ORA_ERROR_PPP_CP_REJECTED);
  /* a Protocol-Reject of something optional is ignored */
  peer_free(p);
  p = to_network(NULL);
  const uint8_t other[] = {0x80, 0xfd, 1, 1, 0, 4};
  peer_send(p, 0xc021, 8, 2, other, sizeof other);
  peer_send(p, 0xc021, 8, 3, other, 1); /* truncated: ignored */
  assert_int_equal(p->down, 0);
  peer_free(p);
}

static void test_peer_terminates_ipcp_736_and_link_629(void **state) {
  (void)state;
  ora_ppp_config c;
  peer_config(&c);
  c.peer_ip = 0x0a000202;
  peer *p = to_network(&c);
  peer_frame *f = peer_expect(p, 0x8021, 1);
  const uint8_t nak[] = {3, 6, 10, 0, 2, 15};
  peer_send(p, 0x8021, 3, f->data[1], nak, sizeof nak);
  f = peer_expect(p, 0x8021, 1);
  const uint8_t req[] = {3, 6, 10, 0, 2, 2};
  peer_send(p, 0x8021, 1, 5, req, sizeof req);
  peer_send(p, 0x8021, 2, f->data[1], f->data + 4, frame_len_field(f) - 4u);
  assert_int_equal(p->ip_up, 1);
  /* LCP Terminate-Request after IPCP up: remote disconnection */
  peer_send(p, 0xc021, 5, 9, NULL, 0);
  peer_expect(p, 0xc021, 6);
  vloop_advance(p->loop, 100);
  assert_int_equal(p->down_error, ORA_ERROR_REMOTE_DISCONNECTION);
  peer_free(p);

  p = to_network(&c);
  f = peer_expect(p, 0x8021, 1);
  peer_send(p, 0x8021, 3, f->data[1], nak, sizeof nak);
  f = peer_expect(p, 0x8021, 1);
  peer_send(p, 0x8021, 1, 5, req, sizeof req);
  peer_send(p, 0x8021, 2, f->data[1], f->data + 4, frame_len_field(f) - 4u);
  assert_int_equal(p->ip_up, 1);
  peer_send(p, 0x8021, 5, 9, NULL, 0); /* IPCP Terminate-Request */
  peer_expect(p, 0x8021, 6);
  vloop_advance(p->loop, 100);
  f = peer_expect(p, 0xc021, 5);
  peer_send(p, 0xc021, 6, f->data[1], NULL, 0);
  assert_int_equal(p->down_error, ORA_ERROR_PPP_NCP_TERMINATED);
  peer_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_request_and_slirp_exchange),
      cmocka_unit_test(test_zero_server_address_rejected_without_peer_ip),
      cmocka_unit_test(test_dns_rejected_is_fine),
      cmocka_unit_test(test_no_address_738),
      cmocka_unit_test(test_malformed_and_unknown),
      cmocka_unit_test(test_ipcp_timeout_718),
      cmocka_unit_test(test_ipcp_protocol_rejected_733),
      cmocka_unit_test(test_peer_terminates_ipcp_736_and_link_629),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
