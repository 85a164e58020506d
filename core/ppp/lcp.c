/* LCP (RFC 1661 section 6): option handling, echo keepalive, Protocol-Reject.
 * Options we ask for: MRU (only when not the default), ACCM, Magic-Number, PFC,
 * ACFC. Options we accept from the peer: the same plus Authentication-Protocol
 * when it names something the configuration allows. */
#include <string.h>

#include "openras/base/loop.h"
#include "openras/os.h"
#include "ppp/ppp_internal.h"
#include "ppp/ppp_util.h"

#define LCP_MIN_MRU 128 /* below this we Nak: IPCP and a minimal IP header must fit */
#define LOOPBACK_LIMIT 3

static ora_ppp *owner(ora_fsm *f) {
  return f->owner;
}

static uint32_t new_magic(void) {
  uint32_t m = 0;
  while (m == 0) /* zero is not a valid magic number */
    if (ora_random(&m, sizeof m))
      m = (uint32_t)ora_now_us() * 2654435761u; /* no entropy source: still unique-ish */
  return m;
}

/* Walks options; returns 0 if every option's length is sane, -1 otherwise. */
static int options_valid(const uint8_t *p, size_t len) {
  while (len) {
    if (len < 2 || p[1] < 2 || p[1] > len)
      return -1;
    len -= p[1];
    p += p[1];
  }
  return 0;
}

static void lcp_reset_request(ora_fsm *f) {
  ora_ppp *s = owner(f);
  ora_lcp_opts *w = &s->lcp_want;
  memset(w, 0, sizeof *w);
  w->neg_mru = s->cfg.mru != 1500;
  w->mru = s->cfg.mru;
  w->neg_accm = 1;
  w->accm = s->cfg.accm;
  w->neg_magic = 1;
  w->magic = new_magic();
  w->neg_pfc = s->cfg.pfc;
  w->neg_acfc = s->cfg.acfc;
  /* Not lcp_his: each Configure-Request of the peer sets it whole, and on a
   * renegotiation this runs after that request was taken (RFC 1661: tld, scr, then
   * the reply), so clearing it here lost the peer's new options. */
}

static size_t lcp_build_request(ora_fsm *f, uint8_t *b, size_t cap) {
  ora_lcp_opts *w = &owner(f)->lcp_want;
  size_t n = 0;
  (void)cap; /* at most 20 bytes */
  if (w->neg_mru) {
    b[n] = ORA_LCP_MRU, b[n + 1] = 4, ora_put16(b + n + 2, w->mru);
    n += 4;
  }
  if (w->neg_accm) {
    b[n] = ORA_LCP_ACCM, b[n + 1] = 6, ora_put32(b + n + 2, w->accm);
    n += 6;
  }
  if (w->neg_magic) {
    b[n] = ORA_LCP_MAGIC, b[n + 1] = 6, ora_put32(b + n + 2, w->magic);
    n += 6;
  }
  if (w->neg_pfc) {
    b[n] = ORA_LCP_PFC, b[n + 1] = 2;
    n += 2;
  }
  if (w->neg_acfc) {
    b[n] = ORA_LCP_ACFC, b[n + 1] = 2;
    n += 2;
  }
  return n;
}

static int lcp_recv_nak(ora_fsm *f, const uint8_t *p, size_t len) {
  ora_ppp *s = owner(f);
  ora_lcp_opts *w = &s->lcp_want;
  if (options_valid(p, len))
    return -1;
  for (; len; len -= p[1], p += p[1]) {
    switch (p[0]) {
    case ORA_LCP_MRU:
      if (w->neg_mru && p[1] == 4) {
        uint16_t v = ora_get16(p + 2);
        if (v >= LCP_MIN_MRU && v <= w->mru)
          w->mru = v;
        else
          w->neg_mru = 0; /* fall back to the default 1500 */
      }
      break;
    case ORA_LCP_ACCM:
      if (w->neg_accm && p[1] == 6)
        w->accm |= ora_get32(p + 2); /* the peer needs these escaped as well */
      break;
    case ORA_LCP_MAGIC:
      if (w->neg_magic && p[1] == 6)
        w->magic = new_magic();
      break;
    case ORA_LCP_PFC:
      w->neg_pfc = 0;
      break;
    case ORA_LCP_ACFC:
      w->neg_acfc = 0;
      break;
    default:
      break; /* options the peer would like us to ask for: we do not */
    }
  }
  return 0;
}

static int lcp_recv_rej(ora_fsm *f, const uint8_t *p, size_t len) {
  ora_lcp_opts *w = &owner(f)->lcp_want;
  if (options_valid(p, len))
    return -1;
  /* Validate first: a Reject naming an option we did not send is bogus. */
  for (const uint8_t *q = p; q < p + len; q += q[1]) {
    int asked = (q[0] == ORA_LCP_MRU && w->neg_mru) || (q[0] == ORA_LCP_ACCM && w->neg_accm) ||
                (q[0] == ORA_LCP_MAGIC && w->neg_magic) || (q[0] == ORA_LCP_PFC && w->neg_pfc) ||
                (q[0] == ORA_LCP_ACFC && w->neg_acfc);
    if (!asked)
      return -1;
  }
  for (; len; len -= p[1], p += p[1]) {
    switch (p[0]) {
    case ORA_LCP_MRU:
      w->neg_mru = 0;
      break;
    case ORA_LCP_ACCM:
      w->neg_accm = 0;
      break;
    case ORA_LCP_MAGIC:
      w->neg_magic = 0;
      break;
    case ORA_LCP_PFC:
      w->neg_pfc = 0;
      break;
    case ORA_LCP_ACFC:
      w->neg_acfc = 0;
      break;
    }
  }
  return 0;
}

/* Appends a copy of option p (or a replacement of its value) to a reply list. */
static void put_opt(uint8_t *buf, size_t *n, size_t cap, const uint8_t *opt, size_t olen) {
  if (*n + olen <= cap) {
    memcpy(buf + *n, opt, olen);
    *n += olen;
  }
}

/* Our preferred authentication protocol for a Nak: strongest allowed first. */
static size_t auth_suggestion(const ora_ppp *s, uint8_t out[5]) {
  out[0] = ORA_LCP_AUTH;
  if (s->cfg.auth_allow & (ORA_PPP_AUTH_MSCHAPV2 | ORA_PPP_AUTH_CHAP_MD5)) {
    out[1] = 5;
    ora_put16(out + 2, ORA_PPP_PROTO_CHAP);
    out[4] = (s->cfg.auth_allow & ORA_PPP_AUTH_MSCHAPV2) ? ORA_CHAP_MSV2 : ORA_CHAP_MD5;
    return 5;
  }
  if (s->cfg.auth_allow & ORA_PPP_AUTH_PAP) {
    out[1] = 4;
    ora_put16(out + 2, ORA_PPP_PROTO_PAP);
    return 4;
  }
  return 0;
}

static int lcp_recv_request(ora_fsm *f, const uint8_t *p, size_t len, uint8_t *out, size_t cap,
                            size_t *out_len, int reject_only) {
  ora_ppp *s = owner(f);
  uint8_t nak[ORA_FSM_PKT_MAX], rej[ORA_FSM_PKT_MAX];
  size_t nn = 0, nr = 0;
  ora_lcp_opts h;

  if (options_valid(p, len))
    return -1;
  memset(&h, 0, sizeof h);
  h.mru = 1500;
  h.accm = 0xffffffffu;

  for (; len; len -= p[1], p += p[1]) {
    const uint8_t *o = p;
    size_t ol = p[1];
    uint8_t sug[6];
    int bad_len = 0;
    switch (o[0]) {
    case ORA_LCP_MRU:
      if (ol != 4) {
        bad_len = 1;
        break;
      }
      if (ora_get16(o + 2) < LCP_MIN_MRU) {
        if (reject_only) {
          put_opt(rej, &nr, sizeof rej, o, ol);
        } else {
          sug[0] = ORA_LCP_MRU, sug[1] = 4, ora_put16(sug + 2, LCP_MIN_MRU);
          put_opt(nak, &nn, sizeof nak, sug, 4);
        }
        break;
      }
      h.neg_mru = 1;
      h.mru = ora_get16(o + 2);
      break;
    case ORA_LCP_ACCM:
      if (ol != 6) {
        bad_len = 1;
        break;
      }
      h.neg_accm = 1;
      h.accm = ora_get32(o + 2);
      break;
    case ORA_LCP_AUTH: {
      uint16_t proto = ol >= 4 ? ora_get16(o + 2) : 0;
      int ok = 0;
      if (proto == ORA_PPP_PROTO_PAP && ol == 4 && (s->cfg.auth_allow & ORA_PPP_AUTH_PAP))
        ok = 1;
      if (proto == ORA_PPP_PROTO_CHAP && ol == 5 &&
          ((o[4] == ORA_CHAP_MD5 && (s->cfg.auth_allow & ORA_PPP_AUTH_CHAP_MD5)) ||
           (o[4] == ORA_CHAP_MSV2 && (s->cfg.auth_allow & ORA_PPP_AUTH_MSCHAPV2))))
        ok = 1;
      if (ok) {
        h.neg_auth = 1;
        h.auth_proto = proto;
        h.chap_alg = proto == ORA_PPP_PROTO_CHAP ? o[4] : 0;
        break;
      }
      size_t sl = auth_suggestion(s, sug);
      if (sl && !reject_only)
        put_opt(nak, &nn, sizeof nak, sug, sl);
      else
        put_opt(rej, &nr, sizeof rej, o, ol);
      break;
    }
    case ORA_LCP_MAGIC:
      if (ol != 6) {
        bad_len = 1;
        break;
      }
      {
        uint32_t m = ora_get32(o + 2);
        if (m == 0 || (s->lcp_want.neg_magic && m == s->lcp_want.magic)) {
          /* Same magic as ours: a loopback or a rare collision (RFC 1661 6.4). */
          if (m != 0) {
            /* Our own value stays until the peer Naks it: the request in
             * flight carries it, and an Ack must match what is in force. */
            s->lcp_loops++;
          }
          if (reject_only) {
            put_opt(rej, &nr, sizeof rej, o, ol);
          } else {
            sug[0] = ORA_LCP_MAGIC, sug[1] = 6, ora_put32(sug + 2, new_magic());
            put_opt(nak, &nn, sizeof nak, sug, 6);
          }
          break;
        }
        h.neg_magic = 1;
        h.magic = m;
      }
      break;
    case ORA_LCP_PFC:
      if (ol != 2) {
        bad_len = 1;
        break;
      }
      h.neg_pfc = 1;
      break;
    case ORA_LCP_ACFC:
      if (ol != 2) {
        bad_len = 1;
        break;
      }
      h.neg_acfc = 1;
      break;
    default:
      put_opt(rej, &nr, sizeof rej, o, ol);
      break;
    }
    if (bad_len) /* a known option with the wrong length: we cannot use it */
      put_opt(rej, &nr, sizeof rej, o, ol);
  }

  if (s->lcp_loops >= LOOPBACK_LIMIT) {
    ora_ppp_fail(s, ORA_ERROR_PPP_LOOPBACK_DETECTED);
    return -1;
  }
  if (nr) {
    *out_len = nr < cap ? nr : cap;
    memcpy(out, rej, *out_len);
    return ORA_CP_CONFREJ;
  }
  if (nn) {
    *out_len = nn < cap ? nn : cap;
    memcpy(out, nak, *out_len);
    return ORA_CP_CONFNAK;
  }
  s->lcp_his = h;
  *out_len = 0;
  return ORA_CP_CONFACK;
}

static void lcp_up(ora_fsm *f) {
  ora_ppp_lcp_up(owner(f));
}
static void lcp_down(ora_fsm *f) {
  ora_ppp_lcp_down(owner(f));
}
static void lcp_finished(ora_fsm *f) {
  ora_ppp_lcp_finished(owner(f));
}

static int lcp_other_code(ora_fsm *f, uint8_t code, uint8_t id, const uint8_t *d, size_t len) {
  ora_ppp *s = owner(f);
  int opened = f->state == ORA_FSM_OPENED;
  uint32_t mine = s->lcp_want.neg_magic ? s->lcp_want.magic : 0;
  switch (code) {
  case ORA_CP_PROTREJ:
    if (opened && len >= 2)
      ora_ppp_protocol_rejected(s, ora_get16(d));
    return 0;
  case ORA_CP_ECHOREQ: {
    if (!opened || len < 4)
      return 0;
    if (mine && ora_get32(d) == mine) {
      ora_ppp_fail(s, ORA_ERROR_PPP_LOOPBACK_DETECTED);
      return 0;
    }
    uint8_t rep[ORA_FSM_PKT_MAX];
    size_t n = len < sizeof rep ? len : sizeof rep;
    memcpy(rep, d, n);
    ora_put32(rep, mine);
    ora_fsm_send(f, ORA_CP_ECHOREP, id, rep, n);
    return 0;
  }
  case ORA_CP_ECHOREP:
    if (!opened || len < 4)
      return 0;
    if (mine && ora_get32(d) == mine) {
      ora_ppp_fail(s, ORA_ERROR_PPP_LOOPBACK_DETECTED);
      return 0;
    }
    s->echo_pending = 0;
    return 0;
  case ORA_CP_DISCREQ:
    return 0;
  default:
    return -1;
  }
}

static void lcp_code_rejected(ora_fsm *f, uint8_t code) {
  ora_ppp *s = owner(f);
  if (code == ORA_CP_ECHOREQ) { /* the peer has no echo: keepalive is impossible */
    s->echo_off = 1;
    ora_lcp_echo_stop(s);
  }
}

static void lcp_send(ora_fsm *f, const uint8_t *pkt, size_t len) {
  ora_ppp_send_frame(owner(f), ORA_PPP_PROTO_LCP, pkt, len);
}
static void lcp_enter(ora_fsm *f) {
  ora_ppp_enter(owner(f));
}
static void lcp_leave(ora_fsm *f) {
  ora_ppp_leave(owner(f));
}

const ora_fsm_callbacks ora_lcp_callbacks = {
    .name = "LCP",
    .reset_request = lcp_reset_request,
    .build_request = lcp_build_request,
    .recv_nak = lcp_recv_nak,
    .recv_rej = lcp_recv_rej,
    .recv_request = lcp_recv_request,
    .up = lcp_up,
    .down = lcp_down,
    .finished = lcp_finished,
    .other_code = lcp_other_code,
    .code_rejected = lcp_code_rejected,
    .send = lcp_send,
    .enter = lcp_enter,
    .leave = lcp_leave,
};

/* --- keepalive --- */

static void echo_tick(void *arg) {
  ora_ppp *s = arg;
  s->echo_timer = NULL;
  if (s->lcp.state != ORA_FSM_OPENED || s->echo_off)
    return;
  ora_ppp_enter(s);
  if (s->echo_pending >= s->cfg.echo_fails) {
    ora_ppp_link_dead(s);
  } else {
    uint8_t d[4];
    ora_put32(d, s->lcp_want.neg_magic ? s->lcp_want.magic : 0);
    s->echo_pending++;
    ora_fsm_send(&s->lcp, ORA_CP_ECHOREQ, ++s->echo_id, d, 4);
    s->echo_timer = ora_loop_timer(s->loop, s->cfg.echo_interval_ms, echo_tick, s);
  }
  ora_ppp_leave(s);
}

void ora_lcp_echo_start(ora_ppp *s) {
  ora_lcp_echo_stop(s);
  s->echo_pending = 0;
  if (s->cfg.echo_interval_ms && s->cfg.echo_fails && !s->echo_off)
    s->echo_timer = ora_loop_timer(s->loop, s->cfg.echo_interval_ms, echo_tick, s);
}

void ora_lcp_echo_stop(ora_ppp *s) {
  if (s->echo_timer) {
    ora_loop_cancel(s->loop, s->echo_timer);
    s->echo_timer = NULL;
  }
}

void ora_lcp_send_protrej(ora_ppp *s, uint16_t proto, const uint8_t *info, size_t len) {
  uint8_t d[ORA_FSM_PKT_MAX];
  /* The rejected information is truncated to fit the peer's MRU. */
  size_t room = (size_t)s->lcp_his.mru - 4 - 2;
  if (room > sizeof d - 2)
    room = sizeof d - 2;
  if (len > room)
    len = room;
  ora_put16(d, proto);
  if (len)
    memcpy(d + 2, info, len);
  ora_fsm_send(&s->lcp, ORA_CP_PROTREJ, ++s->lcp.id, d, len + 2);
}
