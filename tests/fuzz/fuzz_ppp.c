/* Fuzz target: the PPP client (core/ppp) as a whole. The first byte picks a phase
 * (Establish; Authenticate with PAP, CHAP-MD5 or MS-CHAPv2 after a challenge;
 * Network with IPCP negotiating or up; Terminate) and a configuration; a scripted
 * server brings a fresh session there on a virtual-time loop. The rest of the
 * input is a script of PPP packets, which the harness frames (RFC 1662, with or
 * without address/control and protocol compression) and feeds through
 * ora_pppos_input, of raw line bytes, and of timer advances and API calls.
 * Checked: no memory error or undefined behaviour, every frame the session sends
 * parses, no callback but write after on_down (which comes at most once), and a
 * close always ends the run in bounded time. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virtual_loop.h"
#include "ppp/fsm.h"
#include "ppp/hdlc.h"
#include "ppp/ppp.h"
#include "ppp/pppos.h"

#define CHECK(c)                                                                                   \
  do {                                                                                             \
    if (!(c)) {                                                                                    \
      fprintf(stderr, "fuzz_ppp: check failed at line %d: %s\n", __LINE__, #c);                    \
      abort();                                                                                     \
    }                                                                                              \
  } while (0)

enum { P_LCP = 0xc021, P_IPCP = 0x8021, P_PAP = 0xc023, P_CHAP = 0xc223, P_IP = 0x0021 };

typedef struct harness {
  ora_loop *loop;
  ora_pppos *pos; /* the session with its framing */
  ora_ppp *s;     /* the session inside pos */
  ora_hdlc_dec dec;
  uint8_t decbuf[4096];
  /* the session's last Configure-Requests, for the scripted server */
  uint8_t lcp_req[ORA_FSM_PKT_MAX], ipcp_req[ORA_FSM_PKT_MAX];
  size_t lcp_req_len, ipcp_req_len;
  int downs, ip_ups, destroy_on_down, after_down;
} harness;

static void on_session_frame(void *ctx, const uint8_t *f, size_t len) {
  harness *h = ctx;
  uint16_t proto;
  const uint8_t *info;
  size_t il;
  CHECK(ora_ppp_header_parse(f, len, 1, 1, &proto, &info, &il) == 0);
  CHECK(il <= ORA_FSM_PKT_MAX);
  if ((proto == P_LCP || proto == P_IPCP) && il >= 4) {
    CHECK((size_t)(info[2] << 8 | info[3]) == il); /* control packets are sent exactly */
  }
  if ((proto == P_LCP || proto == P_IPCP) && il >= 4 && info[0] == ORA_CP_CONFREQ) {
    if (proto == P_LCP) {
      memcpy(h->lcp_req, info, il);
      h->lcp_req_len = il;
    } else if (proto == P_IPCP) {
      memcpy(h->ipcp_req, info, il);
      h->ipcp_req_len = il;
    }
  }
}

/* Writes may follow on_down: a finished session still answers a late
 * Configure-Request with Terminate-Ack (RFC 1661 state Closed). */
static void cb_write(void *ctx, const uint8_t *buf, size_t len) {
  harness *h = ctx;
  CHECK(len <= ORA_HDLC_ENCODED_MAX(ORA_FSM_PKT_MAX + 4));
  ora_hdlc_dec_input(&h->dec, buf, len, on_session_frame, h);
}
static void cb_phase(void *ctx, int phase) {
  harness *h = ctx;
  CHECK(!h->after_down);
  CHECK(phase >= ORA_PPP_DEAD && phase <= ORA_PPP_TERMINATE);
}
static void cb_auth_start(void *ctx, uint16_t proto, uint8_t alg) {
  harness *h = ctx;
  (void)alg;
  CHECK(!h->after_down);
  CHECK(proto == P_PAP || proto == P_CHAP);
}
static void cb_auth_done(void *ctx, uint32_t error) {
  harness *h = ctx;
  (void)error;
  CHECK(!h->after_down);
}
static void cb_ip_up(void *ctx, const ora_ppp_ip_info *ip) {
  harness *h = ctx;
  CHECK(!h->after_down);
  CHECK(ip->local != 0);
  h->ip_ups++;
}
static void cb_down(void *ctx, uint32_t error) {
  harness *h = ctx;
  CHECK(!h->after_down);
  CHECK(error != 0);
  h->downs++;
  h->after_down = 1;
  if (h->destroy_on_down) {
    ora_pppos_destroy(h->pos);
    h->pos = NULL;
    h->s = NULL;
  }
}
static void cb_ip_packet(void *ctx, const uint8_t *pkt, size_t len) {
  harness *h = ctx;
  (void)pkt;
  (void)len;
  CHECK(!h->after_down);
}

static const ora_ppp_callbacks callbacks = {.write = cb_write,
                                            .on_phase = cb_phase,
                                            .on_auth_start = cb_auth_start,
                                            .on_auth_done = cb_auth_done,
                                            .on_ip_up = cb_ip_up,
                                            .on_down = cb_down,
                                            .on_ip_packet = cb_ip_packet};

/* Frames info as the peer would and hands it to the session. */
static void send_framed(harness *h, uint16_t proto, const uint8_t *info, size_t len, int acfc,
                        int pfc) {
  if (!h->s)
    return;
  uint8_t buf[ORA_HDLC_ENCODED_MAX(2100)];
  size_t n = ora_hdlc_encode(buf, sizeof buf, proto, info, len, 0xffffffffu, acfc, pfc, 0);
  CHECK(n > 0);
  ora_pppos_input(h->pos, buf, n);
  vloop_run_posts(h->loop);
}

static void send_cp(harness *h, uint16_t proto, uint8_t code, uint8_t id, const uint8_t *data,
                    size_t len) {
  uint8_t pkt[ORA_FSM_PKT_MAX];
  CHECK(len + 4 <= sizeof pkt);
  pkt[0] = code;
  pkt[1] = id;
  pkt[2] = (uint8_t)((len + 4) >> 8);
  pkt[3] = (uint8_t)(len + 4);
  if (len)
    memcpy(pkt + 4, data, len);
  send_framed(h, proto, pkt, len + 4, 0, 0);
}

/* Acks the session's last Configure-Request of proto as it was. */
static void ack_last(harness *h, uint16_t proto) {
  const uint8_t *r = proto == P_LCP ? h->lcp_req : h->ipcp_req;
  size_t n = proto == P_LCP ? h->lcp_req_len : h->ipcp_req_len;
  if (n >= 4)
    send_cp(h, proto, ORA_CP_CONFACK, r[1], r + 4, n - 4);
}

/* Naks every address option of the session's last IPCP request with a real value. */
static void nak_ipcp(harness *h) {
  uint8_t nak[64];
  size_t nn = 0;
  const uint8_t *p = h->ipcp_req + 4, *end = h->ipcp_req + h->ipcp_req_len;
  if (h->ipcp_req_len < 4)
    return;
  while (p + 2 <= end && p[1] == 6 && p + 6 <= end && nn + 6 <= sizeof nak) {
    uint32_t v = p[0] == 3 ? 0x0a000002u : p[0] == 129 ? 0x08080808u : 0x08080404u;
    nak[nn] = p[0];
    nak[nn + 1] = 6;
    nak[nn + 2] = (uint8_t)(v >> 24);
    nak[nn + 3] = (uint8_t)(v >> 16);
    nak[nn + 4] = (uint8_t)(v >> 8);
    nak[nn + 5] = (uint8_t)v;
    nn += 6;
    p += 6;
  }
  send_cp(h, P_IPCP, ORA_CP_CONFNAK, h->ipcp_req[1], nak, nn);
}

/* Opens LCP: acks the session's request and sends the server's, with an
 * Authentication-Protocol option when auth is not empty. */
static void open_lcp(harness *h, const uint8_t *auth, size_t auth_len) {
  uint8_t opts[64] = {1, 4, 0x05, 0xdc, 2, 6, 0, 0, 0, 0, 5, 6, 0x12, 0x34, 0x56, 0x78, 7, 2, 8, 2};
  size_t n = 20;
  if (auth_len)
    memcpy(opts + n, auth, auth_len);
  n += auth_len;
  ack_last(h, P_LCP);
  send_cp(h, P_LCP, ORA_CP_CONFREQ, 0x42, opts, n);
}

static void challenge(harness *h, size_t value_len) {
  uint8_t c[64];
  size_t n = 0;
  c[n++] = (uint8_t)value_len;
  for (size_t i = 0; i < value_len; i++)
    c[n++] = (uint8_t)(0x30 + i);
  memcpy(c + n, "server", 6);
  n += 6;
  send_cp(h, P_CHAP, 1, 7, c, n);
}

static void open_ipcp(harness *h) {
  nak_ipcp(h);
  ack_last(h, P_IPCP);
  static const uint8_t srv[] = {3, 6, 10, 0, 0, 1};
  send_cp(h, P_IPCP, ORA_CP_CONFREQ, 0x43, srv, sizeof srv);
}

static void setup(harness *h, uint8_t mode) {
  ora_ppp_config c;
  ora_ppp_config_default(&c);
  c.restart_ms = 100;
  c.echo_interval_ms = (mode & 8) ? 1000 : 0;
  strcpy(c.user, "DOMAIN\\alice");
  strcpy(c.password, "alicepw");
  if (mode & 16) {
    c.mru = 1200;
    c.accm = 0x000a0000u;
    c.pfc = c.acfc = 0;
    c.local_ip = 0x0a010101u;
    c.peer_ip = 0x0a010102u;
    c.want_dns = 0;
  }
  h->destroy_on_down = (mode & 32) != 0;
  CHECK(ora_loop_create(&h->loop) == 0);
  ora_hdlc_dec_init(&h->dec, h->decbuf, sizeof h->decbuf);
  h->dec.accm = 0; /* the scripted server asks for ACCM 0: keep every byte */
  CHECK(ora_pppos_create(h->loop, &c, &callbacks, h, &h->pos) == 0);
  h->s = ora_pppos_session(h->pos);
  ora_ppp_start(h->s);
  vloop_run_posts(h->loop);
  static const uint8_t pap[] = {3, 4, 0xc0, 0x23};
  static const uint8_t md5[] = {3, 5, 0xc2, 0x23, 5};
  static const uint8_t ms2[] = {3, 5, 0xc2, 0x23, 0x81};
  switch (mode & 7) {
  case 0: /* Establish: our Configure-Request is out */
    break;
  case 1:
    open_lcp(h, pap, sizeof pap);
    break;
  case 2:
    open_lcp(h, md5, sizeof md5);
    challenge(h, 16);
    break;
  case 3:
    open_lcp(h, ms2, sizeof ms2);
    challenge(h, 16);
    break;
  case 4: /* Network, IPCP negotiating */
    open_lcp(h, NULL, 0);
    break;
  case 5:
  case 6:
    open_lcp(h, NULL, 0);
    open_ipcp(h);
    if ((mode & 7) == 6 && h->s)
      ora_ppp_close(h->s); /* Terminate: our Terminate-Request is out */
    break;
  case 7: /* Establish after the server Naked and Rejected our options */
    if (h->lcp_req_len >= 4) {
      static const uint8_t nak[] = {1, 4, 0x02, 0x00, 2, 6, 0xff, 0xff, 0xff, 0xff};
      static const uint8_t rej[] = {7, 2, 8, 2};
      send_cp(h, P_LCP, ORA_CP_CONFNAK, h->lcp_req[1], nak, sizeof nak);
      send_cp(h, P_LCP, ORA_CP_CONFREJ, h->lcp_req[1], rej, sizeof rej);
    }
    break;
  }
  vloop_run_posts(h->loop);
}

static const uint16_t protos[8] = {P_LCP, P_IPCP, P_PAP, P_CHAP, P_IP, 0, P_LCP, 0};

static void run_script(harness *h, const uint8_t *d, size_t n) {
  size_t i = 0;
  uint8_t pkt[2048];
  while (i < n && h->s) {
    uint8_t op = d[i++];
    if (op < 0xf0) {
      /* A packet: protocol from bits 0-2, ACFC bit 3, PFC bit 4, fix the length
       * field bit 5, 16-bit length bit 6; kind 7 is raw line bytes. */
      size_t len;
      if (op & 0x40) {
        if (i + 2 > n)
          return;
        len = (size_t)(d[i] << 8 | d[i + 1]) % (sizeof pkt - 4);
        i += 2;
      } else {
        if (i + 1 > n)
          return;
        len = d[i++];
      }
      if (len > n - i)
        len = n - i;
      uint16_t proto = protos[op & 7];
      if ((op & 7) == 5) {
        if (len < 2)
          return;
        proto = (uint16_t)(d[i] << 8 | d[i + 1] | 1);
        i += 2;
        len -= 2;
      }
      memcpy(pkt, d + i, len);
      i += len;
      if ((op & 7) == 7) {
        ora_pppos_input(h->pos, pkt, len);
        vloop_run_posts(h->loop);
        continue;
      }
      if ((op & 0x20) && len >= 4) {
        pkt[2] = (uint8_t)(len >> 8);
        pkt[3] = (uint8_t)len;
      }
      send_framed(h, proto, pkt, len, (op >> 3) & 1, (op >> 4) & 1);
      continue;
    }
    switch (op) {
    case 0xf0:
      vloop_advance(h->loop, 1);
      break;
    case 0xf1:
      vloop_advance(h->loop, 100);
      break;
    case 0xf2:
      vloop_advance(h->loop, 3000);
      break;
    case 0xf3:
      vloop_advance(h->loop, 60000);
      break;
    case 0xf4:
      ora_ppp_close(h->s);
      vloop_run_posts(h->loop);
      break;
    case 0xf5:
      ora_ppp_lower_down(h->s, 630);
      vloop_run_posts(h->loop);
      break;
    case 0xf6: {
      size_t len = i < n ? d[i++] : 0;
      if (len > n - i)
        len = n - i;
      (void)ora_ppp_send_ip(h->s, d + i, len);
      i += len;
      vloop_run_posts(h->loop);
      break;
    }
    case 0xf7: {
      ora_ppp_stats st;
      ora_ppp_ip_info ip;
      ora_ppp_lcp_info li;
      ora_pppos_get_stats(h->pos, &st);
      int rc = ora_ppp_get_ip(h->s, &ip);
      CHECK(rc != 0 || ip.local != 0);
      ora_ppp_get_lcp(h->s, &li);
      CHECK(ora_ppp_phase(h->s) >= ORA_PPP_DEAD && ora_ppp_phase(h->s) <= ORA_PPP_TERMINATE);
      break;
    }
    case 0xf8:
      ack_last(h, P_LCP);
      break;
    case 0xf9:
      ack_last(h, P_IPCP);
      break;
    case 0xfa:
      nak_ipcp(h);
      break;
    case 0xfb:
      ora_ppp_start(h->s); /* a second start is ignored */
      break;
    case 0xfc:
      ora_pppos_destroy(h->pos);
      h->pos = NULL;
      h->s = NULL;
      return;
    default:
      break;
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  harness *h = calloc(1, sizeof *h);
  CHECK(h);
  setup(h, data[0]);
  run_script(h, data + 1, size - 1);
  if (h->s) {
    /* Liveness: a close ends the run within the terminate budget, answered or not. */
    ora_ppp_close(h->s);
    vloop_advance(h->loop, 100 * 1000);
    CHECK(h->downs == 1);
    if (h->s)
      CHECK(ora_ppp_phase(h->s) == ORA_PPP_DEAD);
  }
  CHECK(h->downs <= 1);
  if (h->pos)
    ora_pppos_destroy(h->pos);
  ora_loop_destroy(h->loop);
  free(h);
  return 0;
}
