/* The PPP session: phases, framing, demultiplexing and the error a failed run
 * reports. LCP, IPCP, PAP and CHAP live in their own files. */
#include "openras/base/check.h"
#include "ppp/ppp.h"

#include <stdlib.h>
#include <string.h>

#include "openras/base/loop.h"
#include "openras/os.h"
#include "ppp/hdlc.h"
#include "ppp/ppp_internal.h"
#include "ppp/ppp_util.h"

void ora_ppp_config_default(ora_ppp_config *c) {
  memset(c, 0, sizeof *c);
  c->auth_allow = ORA_PPP_AUTH_ALL;
  c->mru = 1500;
  c->accm = 0;
  c->pfc = 1;
  c->acfc = 1;
  c->restart_ms = 3000;
  c->restart_initial_ms = ORA_PPP_RESTART_INITIAL_MS;
  c->max_configure = 10;
  c->max_terminate = 2;
  c->max_failure = 5;
  c->echo_interval_ms = 10000;
  c->echo_fails = 3;
  c->want_dns = 1;
}

static void set_phase(ora_ppp *s, int phase) {
  if (s->phase == phase)
    return;
  s->phase = phase;
  if (!s->dying && s->cb.on_phase)
    s->cb.on_phase(s->ctx, phase);
}

void ora_ppp_enter(ora_ppp *s) {
  s->depth++;
}

static void free_session(ora_ppp *s) {
  ora_sealed_wipe(&s->pw);
  ora_ppp_wipe(s, sizeof *s);
  free(s);
}

void ora_ppp_leave(ora_ppp *s) {
  if (--s->depth == 0 && s->dying)
    free_session(s);
}

int ora_ppp_create(struct ora_loop *loop, const ora_ppp_config *cfg, const ora_ppp_callbacks *cb,
                   void *ctx, ora_ppp **out) {
  ora_ppp *s;
  *out = NULL;
  if (!loop || !cfg || !cb || !cb->send)
    return ORA_ERROR_INVALID_PARAMETER;
  s = calloc(1, sizeof *s);
  if (!s)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  s->loop = loop;
  s->cfg = *cfg;
  int rc = ora_seal(&s->pw, s->cfg.password);
  ora_ppp_wipe(s->cfg.password, sizeof s->cfg.password);
  if (rc) {
    free_session(s);
    return rc;
  }
  /* The receive buffer is sized for 1500: never ask for more. */
  if (s->cfg.mru > 1500 || s->cfg.mru < 128)
    s->cfg.mru = 1500;
  s->cb = *cb;
  s->ctx = ctx;
  s->phase = ORA_PPP_DEAD;
  s->tx_accm = 0xffffffffu;
  s->lcp_his.mru = 1500; /* RFC 1661 defaults until the peer's request is acknowledged */
  s->lcp_his.accm = 0xffffffffu;
  ora_fsm_timers t = {s->cfg.restart_ms, s->cfg.restart_initial_ms, s->cfg.max_configure,
                      s->cfg.max_terminate, s->cfg.max_failure};
  ora_fsm_init(&s->lcp, ORA_PPP_PROTO_LCP, &ora_lcp_callbacks, s, loop, &t);
  ora_fsm_init(&s->ipcp, ORA_PPP_PROTO_IPCP, &ora_ipcp_callbacks, s, loop, &t);
  *out = s;
  return 0;
}

static void stop_timers(ora_ppp *s) {
  ora_fsm_cleanup(&s->lcp);
  ora_fsm_cleanup(&s->ipcp);
  ora_lcp_echo_stop(s);
  ora_auth_stop(s);
}

void ora_ppp_destroy(ora_ppp *s) {
  if (!s)
    return;
  stop_timers(s);
  ora_ppp_wipe_secret(s);
  s->dying = 1;
  if (s->depth == 0)
    free_session(s);
}

void ora_ppp_wipe_secret(ora_ppp *s) {
  ora_sealed_wipe(&s->pw);
  ora_ppp_wipe(s->chap_resp, sizeof s->chap_resp);
  ora_ppp_wipe(s->mppe_master, sizeof s->mppe_master);
  ora_ppp_wipe(s->mppe_send, sizeof s->mppe_send);
  ora_ppp_wipe(s->mppe_recv, sizeof s->mppe_recv);
  s->have_mppe = 0;
}

int ora_ppp_get_mppe_keys(const ora_ppp *s, uint8_t send[16], uint8_t recv[16]) {
  if (!s->have_mppe)
    return -1;
  memcpy(send, s->mppe_send, 16);
  memcpy(recv, s->mppe_recv, 16);
  return 0;
}

int ora_ppp_password(const ora_ppp *s, char *out) {
  return ora_unseal(&s->pw, out, ORA_PASSWORD_BYTES);
}

/* --- output --- */

void ora_ppp_send_frame(ora_ppp *s, uint16_t proto, const uint8_t *info, size_t len) {
  _Static_assert(ORA_PPP_TX_MAX == 4 + ORA_FSM_PKT_MAX, "ORA_PPP_TX_MAX");
  uint8_t buf[ORA_PPP_TX_MAX];
  if (s->dying || len > ORA_FSM_PKT_MAX)
    return;
  /* LCP always goes with every control character escaped and a full header
   * (RFC 1662 7.1, 7.2 and 6): it must get through before and during
   * renegotiation. */
  int lcp = proto == ORA_PPP_PROTO_LCP;
  if (lcp && len && info[0] == ORA_CP_CONFREQ && !s->t_first_req_us)
    s->t_first_req_us = ora_now_us();
  size_t h = 0;
  if (lcp || !s->tx_acfc) {
    buf[h++] = 0xff;
    buf[h++] = 0x03;
  }
  if (lcp || !s->tx_pfc || proto > 0xff)
    buf[h++] = (uint8_t)(proto >> 8);
  buf[h++] = (uint8_t)proto;
  if (len)
    memcpy(buf + h, info, len);
  /* PAP requests carry the password in the clear: leave no copy behind. */
  int secret = proto == ORA_PPP_PROTO_PAP;
  ora_ppp_frame f = {buf, h + len, lcp ? 0xffffffffu : s->tx_accm, secret};
  s->stats.frames_out++;
  s->cb.send(s->ctx, &f);
  if (secret)
    ora_ppp_wipe(buf, h + len);
}

/* --- ending a run --- */

static void report_down(ora_ppp *s, uint32_t error) {
  if (s->reported)
    return;
  s->reported = 1;
  if (!s->error)
    s->error = error;
  stop_timers(s);
  ora_ppp_wipe_secret(s);
  s->ipcp_up = 0;
  set_phase(s, ORA_PPP_DEAD);
  if (!s->dying && s->cb.on_down)
    s->cb.on_down(s->ctx, s->error);
}

void ora_ppp_fail(ora_ppp *s, uint32_t error) {
  if (!s->error)
    s->error = error;
  if (s->reported)
    return;
  if (s->lcp.state == ORA_FSM_INITIAL) {
    report_down(s, error); /* never started: nothing to terminate */
    return;
  }
  set_phase(s, ORA_PPP_TERMINATE);
  ora_fsm_close(&s->lcp, ORA_FSM_WHY_CLOSED);
}

/* The line is gone: drop both layers without a Terminate exchange. */
static void drop(ora_ppp *s, uint32_t error) {
  if (!s->error)
    s->error = error;
  ora_fsm_down(&s->ipcp);
  ora_fsm_close(&s->ipcp, ORA_FSM_WHY_CLOSED);
  ora_fsm_down(&s->lcp);
  ora_fsm_close(&s->lcp, ORA_FSM_WHY_CLOSED);
  report_down(s, error);
}

void ora_ppp_link_dead(ora_ppp *s) {
  /* One Terminate-Request as a courtesy; nobody is there to acknowledge it. */
  ora_fsm_send(&s->lcp, ORA_CP_TERMREQ, ++s->lcp.id, NULL, 0);
  drop(s, ORA_ERROR_HARDWARE_FAILURE);
}

/* --- layer events --- */

static void enter_network(ora_ppp *s) {
  if (!s->stats.auth_us && s->stats.lcp_us && s->t_first_req_us)
    s->stats.auth_us = ora_now_us() - s->t_first_req_us - s->stats.lcp_us;
  set_phase(s, ORA_PPP_NETWORK);
  ora_fsm_open(&s->ipcp);
  ora_fsm_up(&s->ipcp);
}

void ora_ppp_lcp_up(ora_ppp *s) {
  const ora_lcp_opts *h = &s->lcp_his, *w = &s->lcp_want;
  s->tx_accm = h->neg_accm ? h->accm : 0xffffffffu;
  s->tx_acfc = h->neg_acfc;
  s->tx_pfc = h->neg_pfc;
  s->rx_acfc = w->neg_acfc;
  s->rx_pfc = w->neg_pfc;
  s->lcp_loops = 0;
  if (!s->stats.lcp_us && s->t_first_req_us)
    s->stats.lcp_us = ora_now_us() - s->t_first_req_us;
  ora_lcp_echo_start(s);
  if (h->neg_auth && s->auth_done && !s->auth_error) {
    /* LCP renegotiated on an authenticated link: the peer asks again, and is
     * answered again with the password the session still keeps. */
    s->auth_done = 0;
    s->auth_tries = 0;
    s->chap_have_resp = 0;
    s->chap_rechallenge = 0;
  }
  if (h->neg_auth && !s->auth_done) {
    s->auth_proto = h->auth_proto;
    s->auth_alg = h->chap_alg;
    set_phase(s, ORA_PPP_AUTHENTICATE);
    if (!s->dying && s->cb.on_auth_start)
      s->cb.on_auth_start(s->ctx, s->auth_proto, s->auth_alg);
    if (s->auth_proto == ORA_PPP_PROTO_PAP)
      ora_pap_start(s);
    else
      ora_chap_start(s);
  } else if (h->neg_auth) {
    ora_ppp_fail(s, s->auth_error); /* authentication already failed on this link */
  } else {
    enter_network(s);
  }
}

void ora_ppp_lcp_down(ora_ppp *s) {
  ora_lcp_echo_stop(s);
  ora_auth_stop(s);
  ora_fsm_down(&s->ipcp);
  s->ipcp_up = 0;
  s->tx_accm = 0xffffffffu;
  s->tx_acfc = s->tx_pfc = s->rx_acfc = s->rx_pfc = 0;
  if (s->lcp.state == ORA_FSM_CLOSING || s->lcp.state == ORA_FSM_STOPPING)
    set_phase(s, ORA_PPP_TERMINATE);
  else
    set_phase(s, ORA_PPP_ESTABLISH);
}

static uint32_t lcp_error(const ora_ppp *s) {
  switch (s->lcp.why) {
  case ORA_FSM_WHY_TIMEOUT:
    return ORA_ERROR_PPP_TIMEOUT;
  case ORA_FSM_WHY_NOT_CONVERGING:
    return ORA_ERROR_PPP_NOT_CONVERGING;
  case ORA_FSM_WHY_PEER_TERM:
    return s->stats.negotiation_us ? ORA_ERROR_REMOTE_DISCONNECTION : ORA_ERROR_PPP_LCP_TERMINATED;
  case ORA_FSM_WHY_REJECTED:
    return ORA_ERROR_PPP_CP_REJECTED;
  case ORA_FSM_WHY_CLOSED:
    return ORA_ERROR_USER_DISCONNECTION;
  default:
    return ORA_ERROR_DISCONNECTION;
  }
}

void ora_ppp_lcp_finished(ora_ppp *s) {
  uint32_t err = lcp_error(s);
  ora_fsm_down(&s->ipcp);
  ora_fsm_close(&s->ipcp, ORA_FSM_WHY_CLOSED);
  /* Close (Stopped -> Closed, no action): a finished client answers a late
   * Configure-Request with Terminate-Ack instead of renegotiating. */
  if (s->lcp.state == ORA_FSM_STOPPED)
    ora_fsm_close(&s->lcp, ORA_FSM_WHY_CLOSED);
  report_down(s, err);
}

void ora_ppp_auth_finished(ora_ppp *s, uint32_t error) {
  if (s->auth_done)
    return;
  s->auth_done = 1;
  s->auth_error = error;
  ora_auth_stop(s);
  if (error)
    ora_ppp_wipe_secret(s);
  if (!s->dying && s->cb.on_auth_done)
    s->cb.on_auth_done(s->ctx, error);
  if (error)
    ora_ppp_fail(s, error);
  else if (s->phase == ORA_PPP_AUTHENTICATE)
    enter_network(s);
}

void ora_ppp_ipcp_up(ora_ppp *s) {
  const ora_ipcp_opts *w = &s->ipcp_want;
  s->ip.local = w->neg_addr ? w->addr : s->cfg.local_ip;
  s->ip.remote = s->ipcp_his.neg_addr ? s->ipcp_his.addr : 0;
  s->ip.dns1 = w->neg_dns1 ? w->dns1 : 0;
  s->ip.dns2 = w->neg_dns2 ? w->dns2 : 0;
  if (!s->ip.local) {
    ora_ppp_fail(s, ORA_ERROR_PPP_NO_ADDRESS_ASSIGNED);
    return;
  }
  s->ipcp_up = 1;
  if (!s->stats.negotiation_us)
    s->stats.negotiation_us = ora_now_us() - s->t_first_req_us;
  if (!s->dying && s->cb.on_ip_up)
    s->cb.on_ip_up(s->ctx, &s->ip);
}

void ora_ppp_ipcp_finished(ora_ppp *s) {
  uint32_t err;
  switch (s->ipcp.why) {
  case ORA_FSM_WHY_TIMEOUT:
    err = ORA_ERROR_PPP_TIMEOUT;
    break;
  case ORA_FSM_WHY_NOT_CONVERGING:
    err = ORA_ERROR_PPP_NOT_CONVERGING;
    break;
  case ORA_FSM_WHY_REJECTED:
    err = ORA_ERROR_PPP_CP_REJECTED;
    break;
  case ORA_FSM_WHY_PEER_TERM:
    err = ORA_ERROR_PPP_NCP_TERMINATED;
    break;
  default:
    return; /* closed by us: the LCP close in progress decides the error */
  }
  ora_ppp_fail(s, err);
}

void ora_ppp_protocol_rejected(ora_ppp *s, uint16_t proto) {
  if (proto == ORA_PPP_PROTO_IPCP)
    ora_fsm_rxj(&s->ipcp, 1);
  /* Anything else we send is optional: ignore. */
}

/* --- input --- */

static void on_frame(ora_ppp *s, const uint8_t *frame, size_t len) {
  uint16_t proto;
  const uint8_t *info;
  size_t il;
  if (s->dying)
    return;
  if (ora_ppp_header_parse(frame, len, s->rx_acfc, s->rx_pfc, &proto, &info, &il)) {
    s->stats.framing_errors++;
    return;
  }
  s->stats.frames_in++;
  if (proto == ORA_PPP_PROTO_LCP) {
    ora_fsm_input(&s->lcp, info, il);
    return;
  }
  /* RFC 1661 3.4-3.6: nothing but LCP before LCP is open; only authentication
   * while authenticating. */
  if (s->lcp.state != ORA_FSM_OPENED)
    return;
  switch (proto) {
  case ORA_PPP_PROTO_PAP:
    if (s->auth_proto == ORA_PPP_PROTO_PAP && s->phase >= ORA_PPP_AUTHENTICATE)
      ora_pap_input(s, info, il);
    return;
  case ORA_PPP_PROTO_CHAP:
    if (s->auth_proto == ORA_PPP_PROTO_CHAP && s->phase >= ORA_PPP_AUTHENTICATE)
      ora_chap_input(s, info, il);
    return;
  default:
    break;
  }
  if (s->phase != ORA_PPP_NETWORK)
    return;
  if (proto == ORA_PPP_PROTO_IPCP) {
    ora_fsm_input(&s->ipcp, info, il);
  } else if (proto == ORA_PPP_PROTO_IP) {
    if (s->ipcp_up && s->cb.on_ip_packet)
      s->cb.on_ip_packet(s->ctx, info, il);
  } else {
    ora_lcp_send_protrej(s, proto, info, il);
  }
}

void ora_ppp_input_frame(ora_ppp *s, const uint8_t *frame, size_t len) {
  ORA_ASSERT(ora_loop_held(s->loop));
  if (s->dying)
    return;
  ora_ppp_enter(s);
  on_frame(s, frame, len);
  ora_ppp_leave(s);
}

/* --- administrative calls --- */

void ora_ppp_start(ora_ppp *s) {
  ORA_ASSERT(ora_loop_held(s->loop));
  if (s->dying || s->lcp.state != ORA_FSM_INITIAL || s->reported)
    return;
  ora_ppp_enter(s);
  set_phase(s, ORA_PPP_ESTABLISH);
  ora_fsm_open(&s->lcp);
  ora_fsm_up(&s->lcp);
  ora_ppp_leave(s);
}

void ora_ppp_close(ora_ppp *s) {
  if (s->dying || s->reported)
    return;
  ora_ppp_enter(s);
  ora_ppp_fail(s, ORA_ERROR_USER_DISCONNECTION);
  ora_ppp_leave(s);
}

void ora_ppp_lower_down(ora_ppp *s, uint32_t error) {
  ORA_ASSERT(ora_loop_held(s->loop));
  if (s->dying || s->reported)
    return;
  ora_ppp_enter(s);
  drop(s, error);
  ora_ppp_leave(s);
}

int ora_ppp_send_ip(ora_ppp *s, const uint8_t *pkt, size_t len) {
  if (!s->ipcp_up || s->dying)
    return ORA_ERROR_PORT_NOT_CONNECTED;
  if (len > s->lcp_his.mru || len > ORA_FSM_PKT_MAX)
    return ORA_ERROR_INVALID_SIZE;
  ora_ppp_enter(s);
  ora_ppp_send_frame(s, ORA_PPP_PROTO_IP, pkt, len);
  ora_ppp_leave(s);
  return 0;
}

int ora_ppp_phase(const ora_ppp *s) {
  return s->phase;
}

void ora_ppp_get_stats(const ora_ppp *s, ora_ppp_stats *out) {
  *out = s->stats;
}

int ora_ppp_get_ip(const ora_ppp *s, ora_ppp_ip_info *out) {
  memset(out, 0, sizeof *out);
  if (!s->ipcp_up)
    return s->error ? (int)s->error : ORA_ERROR_PPP_NO_ADDRESS_ASSIGNED;
  *out = s->ip;
  return 0;
}

void ora_ppp_get_lcp(const ora_ppp *s, ora_ppp_lcp_info *out) {
  const ora_lcp_opts *w = &s->lcp_want, *h = &s->lcp_his;
  memset(out, 0, sizeof *out);
  out->mru = w->neg_mru ? w->mru : 1500;
  out->peer_mru = h->mru;
  out->accm = w->neg_accm ? w->accm : 0xffffffffu;
  out->peer_accm = h->neg_accm ? h->accm : 0xffffffffu;
  out->magic = w->neg_magic ? w->magic : 0;
  out->peer_magic = h->neg_magic ? h->magic : 0;
  out->pfc = w->neg_pfc;
  out->acfc = w->neg_acfc;
  out->peer_pfc = h->neg_pfc;
  out->peer_acfc = h->neg_acfc;
  out->auth_proto = s->auth_proto;
  out->auth_alg = s->auth_alg;
}
