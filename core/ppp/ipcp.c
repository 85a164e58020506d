/* IPCP (RFC 1332) with the DNS options of RFC 1877. We ask for an address (0.0.0.0
 * unless configured) and DNS servers and take what the server Naks; of the peer's
 * options we accept only IP-Address (and reject VJ compression, which the engine
 * does not implement). */
#include <string.h>

#include "ppp/ppp_internal.h"
#include "ppp/ppp_util.h"

static ora_ppp *owner(ora_fsm *f) {
  return f->owner;
}

static int options_valid(const uint8_t *p, size_t len) {
  while (len) {
    if (len < 2 || p[1] < 2 || p[1] > len)
      return -1;
    len -= p[1];
    p += p[1];
  }
  return 0;
}

static void ipcp_reset_request(ora_fsm *f) {
  ora_ppp *s = owner(f);
  memset(&s->ipcp_want, 0, sizeof s->ipcp_want);
  s->ipcp_want.neg_addr = 1;
  s->ipcp_want.addr = s->cfg.local_ip;
  s->ipcp_want.neg_dns1 = s->ipcp_want.neg_dns2 = s->cfg.want_dns;
  memset(&s->ipcp_his, 0, sizeof s->ipcp_his);
}

static size_t put_addr_opt(uint8_t *b, uint8_t type, uint32_t v) {
  b[0] = type;
  b[1] = 6;
  ora_put32(b + 2, v);
  return 6;
}

static size_t ipcp_build_request(ora_fsm *f, uint8_t *b, size_t cap) {
  ora_ipcp_opts *w = &owner(f)->ipcp_want;
  size_t n = 0;
  (void)cap; /* at most 18 bytes */
  if (w->neg_addr)
    n += put_addr_opt(b + n, ORA_IPCP_ADDR, w->addr);
  if (w->neg_dns1)
    n += put_addr_opt(b + n, ORA_IPCP_DNS1, w->dns1);
  if (w->neg_dns2)
    n += put_addr_opt(b + n, ORA_IPCP_DNS2, w->dns2);
  return n;
}

static int ipcp_recv_nak(ora_fsm *f, const uint8_t *p, size_t len) {
  ora_ipcp_opts *w = &owner(f)->ipcp_want;
  if (options_valid(p, len))
    return -1;
  for (; len; len -= p[1], p += p[1]) {
    if (p[1] != 6)
      continue; /* none of our options has another length */
    uint32_t v = ora_get32(p + 2);
    if (p[0] == ORA_IPCP_ADDR && w->neg_addr)
      w->addr = v;
    else if (p[0] == ORA_IPCP_DNS1 && w->neg_dns1)
      w->dns1 = v;
    else if (p[0] == ORA_IPCP_DNS2 && w->neg_dns2)
      w->dns2 = v;
  }
  return 0;
}

static int ipcp_recv_rej(ora_fsm *f, const uint8_t *p, size_t len) {
  ora_ipcp_opts *w = &owner(f)->ipcp_want;
  if (options_valid(p, len))
    return -1;
  for (const uint8_t *q = p; q < p + len; q += q[1]) {
    int asked = (q[0] == ORA_IPCP_ADDR && w->neg_addr) || (q[0] == ORA_IPCP_DNS1 && w->neg_dns1) ||
                (q[0] == ORA_IPCP_DNS2 && w->neg_dns2);
    if (!asked)
      return -1;
  }
  for (; len; len -= p[1], p += p[1]) {
    if (p[0] == ORA_IPCP_ADDR)
      w->neg_addr = 0; /* no address negotiation: only a configured one is left */
    else if (p[0] == ORA_IPCP_DNS1)
      w->neg_dns1 = 0, w->dns1 = 0; /* a server without DNS to offer is fine */
    else if (p[0] == ORA_IPCP_DNS2)
      w->neg_dns2 = 0, w->dns2 = 0;
  }
  return 0;
}

static int ipcp_recv_request(ora_fsm *f, const uint8_t *p, size_t len, uint8_t *out, size_t cap,
                             size_t *out_len, int reject_only) {
  ora_ppp *s = owner(f);
  uint8_t nak[ORA_FSM_PKT_MAX], rej[ORA_FSM_PKT_MAX];
  size_t nn = 0, nr = 0;
  ora_ipcp_opts h;

  if (options_valid(p, len))
    return -1;
  memset(&h, 0, sizeof h);
  for (; len; len -= p[1], p += p[1]) {
    if (p[0] == ORA_IPCP_ADDR && p[1] == 6) {
      uint32_t v = ora_get32(p + 2);
      if (v != 0) {
        h.neg_addr = 1;
        h.addr = v;
      } else if (s->cfg.peer_ip && !reject_only) {
        /* The server asks us to name its address (slirp does). */
        nn += put_addr_opt(nak + nn, ORA_IPCP_ADDR, s->cfg.peer_ip);
      } else {
        memcpy(rej + nr, p, 6);
        nr += 6;
      }
      continue;
    }
    /* VJ compression, IP-Addresses, anything else: not supported. */
    memcpy(rej + nr, p, p[1]);
    nr += p[1];
  }
  if (nr) {
    *out_len = nr < cap ? nr : cap;
    memcpy(out, rej, *out_len);
    return ORA_CP_CONFREJ;
  }
  if (nn) {
    *out_len = nn;
    memcpy(out, nak, nn);
    return ORA_CP_CONFNAK;
  }
  s->ipcp_his = h;
  *out_len = 0;
  return ORA_CP_CONFACK;
}

static void ipcp_up(ora_fsm *f) {
  ora_ppp_ipcp_up(owner(f));
}
static void ipcp_down(ora_fsm *f) {
  owner(f)->ipcp_up = 0;
}
static void ipcp_finished(ora_fsm *f) {
  ora_ppp_ipcp_finished(owner(f));
}
static void ipcp_send(ora_fsm *f, const uint8_t *pkt, size_t len) {
  ora_ppp_send_frame(owner(f), ORA_PPP_PROTO_IPCP, pkt, len);
}
static void ipcp_enter(ora_fsm *f) {
  ora_ppp_enter(owner(f));
}
static void ipcp_leave(ora_fsm *f) {
  ora_ppp_leave(owner(f));
}

const ora_fsm_callbacks ora_ipcp_callbacks = {
    .name = "IPCP",
    .reset_request = ipcp_reset_request,
    .build_request = ipcp_build_request,
    .recv_nak = ipcp_recv_nak,
    .recv_rej = ipcp_recv_rej,
    .recv_request = ipcp_recv_request,
    .up = ipcp_up,
    .down = ipcp_down,
    .finished = ipcp_finished,
    .send = ipcp_send,
    .enter = ipcp_enter,
    .leave = ipcp_leave,
};
