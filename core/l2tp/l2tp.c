/* The L2TP access concentrator (l2tp.h): message codec, reliable control delivery and
 * the tunnel and session states of one outgoing L2TPv2 call (RFC 2661). */
#include "l2tp/l2tp.h"

#include <stdlib.h>
#include <string.h>

#include "openras/base/loop.h"
#include "openras/base/trace.h"
#include "openras/os.h"
#include "openras/rasdefs.h"
#include "ppp/ppp_util.h"

/* Header flags (RFC 2661 3.1): Type, Length, Sequence, Offset, Priority; version 2. */
enum { F_T = 0x8000, F_L = 0x4000, F_S = 0x0800, F_O = 0x0200, VER_MASK = 0xf };
enum { VERSION = 2, CTRL_FLAGS = F_T | F_L | F_S | VERSION };

/* Message types (RFC 2661 3.2). */
enum {
  M_SCCRQ = 1,
  M_SCCRP = 2,
  M_SCCCN = 3,
  M_STOPCCN = 4,
  M_HELLO = 6,
  M_ICRQ = 10,
  M_ICRP = 11,
  M_ICCN = 12,
  M_CDN = 14,
};

/* AVP attribute types (RFC 2661 4.4). */
enum {
  A_MSG_TYPE = 0,
  A_RESULT = 1,
  A_PROTO_VERSION = 2,
  A_FRAMING_CAP = 3,
  A_HOST_NAME = 7,
  A_VENDOR_NAME = 8,
  A_TUNNEL_ID = 9,
  A_RECV_WINDOW = 10,
  A_CHALLENGE = 11,
  A_SESSION_ID = 14,
  A_CALL_SERIAL = 15,
  A_FRAMING_TYPE = 19,
  A_TX_SPEED = 24,
  A_LAST_KNOWN = 39, /* the highest type RFC 2661 defines */
};
enum { AVP_M = 0x8000, AVP_H = 0x4000, AVP_LEN = 0x03ff };

/* Result codes (RFC 2661 4.4.2) that say more than "gone". */
enum { STOP_NOT_AUTHORIZED = 4, STOP_BAD_VERSION = 5 };
enum { CDN_LACK_TEMP = 4, CDN_LACK_PERM = 5, CDN_BUSY = 8 };

#define MSG_MAX 256 /* our control messages are far smaller */
#define QUEUE_MAX 8 /* control messages not yet acknowledged */
#define OUR_WINDOW 4
#define HOST_NAME "openras"

enum { T_IDLE, T_WAIT_REPLY, T_ESTABLISHED, T_DOWN };
enum { S_NONE, S_WAIT_REPLY, S_ESTABLISHED };

typedef struct qmsg {
  uint16_t ns, sid; /* sid: the session ID its header carries */
  int sent;
  size_t len;
  uint8_t buf[MSG_MAX];
} qmsg;

struct ora_l2tp {
  ora_loop *loop;
  ora_l2tp_config cfg;
  ora_l2tp_events ev;
  void *ctx;
  int tstate, sstate;
  uint16_t my_tid, peer_tid, my_sid, peer_sid;
  uint16_t ns;     /* the next control message's Ns */
  uint16_t nr;     /* the peer's next Ns we expect */
  uint16_t window; /* the peer's receive window */
  qmsg q[QUEUE_MAX];
  size_t nq;
  uint32_t rtx_ms, rtx_done;
  ora_timer *rtx_timer, *hello_timer;
  int answered; /* a message of ours carried the latest Nr: no ZLB needed */
  ora_l2tp_stats st;
};

void ora_l2tp_config_default(ora_l2tp_config *c) {
  c->rtx_initial_ms = 1000;
  c->rtx_max_ms = 8000;
  c->rtx_count = 5;
  c->hello_ms = 60000;
  c->tunnel_id = c->session_id = 0;
}

static int seq_before(uint16_t a, uint16_t b) {
  return (int16_t)(uint16_t)(a - b) < 0;
}

/* ---------------------------------------------------------------- the end */

static void stop_timers(ora_l2tp *t) {
  ora_loop_cancel(t->loop, t->rtx_timer);
  ora_loop_cancel(t->loop, t->hello_timer);
  t->rtx_timer = t->hello_timer = NULL;
}

/* Nothing more happens on this tunnel; down is the last event. */
static void go_down(ora_l2tp *t, uint32_t error) {
  if (t->tstate == T_DOWN)
    return;
  t->tstate = T_DOWN;
  stop_timers(t);
  t->nq = 0;
  ora_trace("l2tp: down (%u)", (unsigned)error);
  t->ev.down(t->ctx, error);
}

/* A peer's clearing, by when it came. */
static uint32_t cleared(const ora_l2tp *t) {
  return t->sstate == S_ESTABLISHED ? ORA_ERROR_REMOTE_DISCONNECTION : ORA_ERROR_DISCONNECTION;
}

/* ---------------------------------------------------------------- sending */

typedef struct msg {
  uint8_t buf[MSG_MAX];
  size_t len;
} msg;

static void avp(msg *m, uint16_t type, const void *val, size_t n) {
  uint8_t *p = m->buf + m->len; /* our messages stay far below MSG_MAX */
  ora_put16(p, (uint16_t)(AVP_M | (6 + n)));
  ora_put16(p + 2, 0); /* IETF */
  ora_put16(p + 4, type);
  memcpy(p + 6, val, n);
  m->len += 6 + n;
}

static void avp16(msg *m, uint16_t type, uint16_t v) {
  uint8_t b[2];
  ora_put16(b, v);
  avp(m, type, b, 2);
}

static void avp32(msg *m, uint16_t type, uint32_t v) {
  uint8_t b[4];
  ora_put32(b, v);
  avp(m, type, b, 4);
}

static void begin(msg *m, uint16_t type) {
  m->len = 12; /* the header is written when sent: Nr changes */
  avp16(m, A_MSG_TYPE, type);
}

static void put_header(ora_l2tp *t, uint8_t *b, size_t len, uint16_t sid, uint16_t ns) {
  ora_put16(b, CTRL_FLAGS);
  ora_put16(b + 2, (uint16_t)len);
  ora_put16(b + 4, t->peer_tid);
  ora_put16(b + 6, sid);
  ora_put16(b + 8, ns);
  ora_put16(b + 10, t->nr);
}

static void transmit(ora_l2tp *t, qmsg *q) {
  put_header(t, q->buf, q->len, q->sid, q->ns);
  q->sent = 1;
  t->answered = 1;
  t->ev.send(t->ctx, q->buf, q->len);
}

static void rtx_fired(void *arg);

static void arm_rtx(ora_l2tp *t) {
  if (!t->rtx_timer && t->nq)
    t->rtx_timer = ora_loop_timer(t->loop, t->rtx_ms, rtx_fired, t);
}

/* Sends what the peer's window lets through. */
static void pump(ora_l2tp *t) {
  for (size_t i = 0; i < t->nq && i < t->window; i++)
    if (!t->q[i].sent)
      transmit(t, &t->q[i]);
  arm_rtx(t);
}

/* Queues a control message for reliable delivery. */
static void send_ctrl(ora_l2tp *t, msg *m, uint16_t sid) {
  if (t->nq == QUEUE_MAX) {
    go_down(t, ORA_ERROR_VPN_TIMEOUT); /* the peer acknowledges nothing */
    return;
  }
  qmsg *q = &t->q[t->nq++];
  q->ns = t->ns++;
  q->sid = sid;
  q->sent = 0;
  q->len = m->len;
  memcpy(q->buf, m->buf, m->len);
  pump(t);
}

/* A message that needs no delivery (ZLB, or a farewell just before the socket goes). */
static void send_once(ora_l2tp *t, msg *m, uint16_t sid, uint16_t ns) {
  put_header(t, m->buf, m->len, sid, ns);
  t->answered = 1;
  t->ev.send(t->ctx, m->buf, m->len);
}

static void send_zlb(ora_l2tp *t) {
  msg m;
  m.len = 12;
  send_once(t, &m, 0, t->ns);
}

static void rtx_fired(void *arg) {
  ora_l2tp *t = arg;
  t->rtx_timer = NULL;
  if (!t->nq)
    return;
  if (t->rtx_done >= t->cfg.rtx_count) {
    ora_trace("l2tp: no acknowledgement after %u retransmissions", (unsigned)t->rtx_done);
    go_down(t, t->sstate == S_ESTABLISHED ? ORA_ERROR_REMOTE_DISCONNECTION : ORA_ERROR_VPN_TIMEOUT);
    return;
  }
  t->rtx_done++;
  for (size_t i = 0; i < t->nq && i < t->window; i++) {
    t->st.retransmits++;
    transmit(t, &t->q[i]);
  }
  t->rtx_ms = t->rtx_ms * 2 > t->cfg.rtx_max_ms ? t->cfg.rtx_max_ms : t->rtx_ms * 2;
  arm_rtx(t);
}

/* The peer's Nr acknowledges every message of ours before it. */
static void acked(ora_l2tp *t, uint16_t nr) {
  size_t n = 0;
  while (n < t->nq && t->q[n].sent && seq_before(t->q[n].ns, nr))
    n++;
  if (!n)
    return;
  memmove(t->q, t->q + n, (t->nq - n) * sizeof t->q[0]);
  t->nq -= n;
  ora_loop_cancel(t->loop, t->rtx_timer);
  t->rtx_timer = NULL;
  t->rtx_ms = t->cfg.rtx_initial_ms;
  t->rtx_done = 0;
  pump(t);
}

static void hello_fired(void *arg);

static void arm_hello(ora_l2tp *t) {
  ora_loop_cancel(t->loop, t->hello_timer);
  t->hello_timer = NULL;
  if (t->cfg.hello_ms && t->tstate == T_ESTABLISHED)
    t->hello_timer = ora_loop_timer(t->loop, t->cfg.hello_ms, hello_fired, t);
}

static void hello_fired(void *arg) {
  ora_l2tp *t = arg;
  t->hello_timer = NULL;
  msg m;
  begin(&m, M_HELLO);
  send_ctrl(t, &m, 0);
  arm_hello(t);
}

/* ---------------------------------------------------------------- the call */

static void send_sccrq(ora_l2tp *t) {
  msg m;
  begin(&m, M_SCCRQ);
  avp16(&m, A_PROTO_VERSION, 0x0100); /* version 1, revision 0 */
  avp32(&m, A_FRAMING_CAP, 3);        /* synchronous and asynchronous */
  avp(&m, A_HOST_NAME, HOST_NAME, strlen(HOST_NAME));
  avp(&m, A_VENDOR_NAME, "OpenRAS", 7);
  avp16(&m, A_TUNNEL_ID, t->my_tid);
  avp16(&m, A_RECV_WINDOW, OUR_WINDOW);
  t->tstate = T_WAIT_REPLY;
  send_ctrl(t, &m, 0);
}

static void send_icrq(ora_l2tp *t) {
  msg m;
  begin(&m, M_ICRQ);
  avp16(&m, A_SESSION_ID, t->my_sid);
  avp32(&m, A_CALL_SERIAL, 1);
  t->sstate = S_WAIT_REPLY;
  send_ctrl(t, &m, 0);
}

static void send_iccn(ora_l2tp *t) {
  msg m;
  begin(&m, M_ICCN);
  avp32(&m, A_TX_SPEED, 100000000);
  avp32(&m, A_FRAMING_TYPE, 1); /* synchronous: PPP frames without HDLC */
  send_ctrl(t, &m, t->peer_sid);
}

/* A StopCCN of ours: the tunnel ends now. */
static void stop_tunnel(ora_l2tp *t, uint16_t result, uint32_t error) {
  msg m;
  begin(&m, M_STOPCCN);
  avp16(&m, A_TUNNEL_ID, t->my_tid);
  avp16(&m, A_RESULT, result);
  send_once(t, &m, 0, t->ns++);
  go_down(t, error);
}

/* ---------------------------------------------------------------- receiving */

/* What a control message says, as far as we use it. */
typedef struct parsed {
  uint16_t type;
  int has_tid, has_sid, has_window, challenge, unknown_m;
  uint16_t tid, sid, window, result;
} parsed;

/* 0 when the AVPs are well formed and the first is the message type. */
static int parse_avps(const uint8_t *p, size_t len, parsed *out) {
  memset(out, 0, sizeof *out);
  int first = 1;
  while (len) {
    if (len < 6)
      return -1;
    uint16_t fl = ora_get16(p), n = fl & AVP_LEN, vendor = ora_get16(p + 2),
             type = ora_get16(p + 4);
    if (n < 6 || n > len)
      return -1;
    const uint8_t *v = p + 6;
    size_t vl = n - 6u;
    int known = vendor == 0 && type <= A_LAST_KNOWN;
    if (first) {
      if (!known || type != A_MSG_TYPE || vl != 2 || (fl & AVP_H))
        return -1;
      out->type = ora_get16(v);
      first = 0;
    } else if (fl & AVP_H) {
      /* Hidden: we share no secret with the server, so we cannot read it. */
      if (fl & AVP_M)
        out->unknown_m = 1;
    } else if (!known) {
      if (fl & AVP_M)
        out->unknown_m = 1;
    } else if (type == A_TUNNEL_ID && vl == 2) {
      out->has_tid = 1;
      out->tid = ora_get16(v);
    } else if (type == A_SESSION_ID && vl == 2) {
      out->has_sid = 1;
      out->sid = ora_get16(v);
    } else if (type == A_RECV_WINDOW && vl == 2) {
      out->has_window = 1;
      out->window = ora_get16(v);
    } else if (type == A_RESULT && vl >= 2) {
      out->result = ora_get16(v);
    } else if (type == A_CHALLENGE) {
      out->challenge = 1;
    }
    p += n;
    len -= n;
  }
  return first ? -1 : 0;
}

static void got_sccrp(ora_l2tp *t, const parsed *m) {
  if (t->tstate != T_WAIT_REPLY)
    return; /* a duplicate we already took */
  if (!m->has_tid || m->tid == 0) {
    stop_tunnel(t, 2, ORA_ERROR_VPN_REFUSED); /* general error: no tunnel ID */
    return;
  }
  t->peer_tid = m->tid;
  if (m->challenge) {
    ora_trace("l2tp: the server wants tunnel authentication, which needs a shared secret");
    stop_tunnel(t, STOP_NOT_AUTHORIZED, ORA_ERROR_VPN_REFUSED);
    return;
  }
  uint16_t w = m->has_window && m->window ? m->window : 4; /* RFC 2661 5.8: 4 unsaid */
  t->window = w < QUEUE_MAX ? w : QUEUE_MAX;
  t->tstate = T_ESTABLISHED;
  ora_trace("l2tp: tunnel %u/%u up", (unsigned)t->my_tid, (unsigned)t->peer_tid);
  msg c;
  begin(&c, M_SCCCN);
  send_ctrl(t, &c, 0);
  send_icrq(t);
  arm_hello(t);
}

static void got_icrp(ora_l2tp *t, const parsed *m, uint16_t hdr_sid) {
  if (t->sstate != S_WAIT_REPLY || hdr_sid != t->my_sid)
    return;
  if (!m->has_sid || m->sid == 0) {
    stop_tunnel(t, 2, ORA_ERROR_VPN_REFUSED);
    return;
  }
  t->peer_sid = m->sid;
  send_iccn(t);
  t->sstate = S_ESTABLISHED;
  ora_trace("l2tp: session %u/%u up", (unsigned)t->my_sid, (unsigned)t->peer_sid);
  t->ev.up(t->ctx);
}

static uint32_t stop_error(const ora_l2tp *t, uint16_t result) {
  if (result == STOP_NOT_AUTHORIZED || result == STOP_BAD_VERSION)
    return ORA_ERROR_VPN_REFUSED;
  return cleared(t);
}

static uint32_t cdn_error(const ora_l2tp *t, uint16_t result) {
  if (t->sstate != S_ESTABLISHED && (result == CDN_LACK_TEMP || result == CDN_LACK_PERM))
    return ORA_ERROR_VPN_REFUSED;
  if (t->sstate != S_ESTABLISHED && result == CDN_BUSY)
    return ORA_ERROR_LINE_BUSY;
  return cleared(t);
}

static void dispatch(ora_l2tp *t, const parsed *m, uint16_t hdr_sid) {
  if (m->unknown_m) {
    /* RFC 2661 4.2: an unrecognised mandatory AVP ends the tunnel. */
    ora_trace("l2tp: message %u has a mandatory AVP we do not know", (unsigned)m->type);
    stop_tunnel(
        t, 2, t->sstate == S_ESTABLISHED ? ORA_ERROR_REMOTE_DISCONNECTION : ORA_ERROR_VPN_REFUSED);
    return;
  }
  switch (m->type) {
  case M_SCCRP:
    got_sccrp(t, m);
    break;
  case M_ICRP:
    got_icrp(t, m, hdr_sid);
    break;
  case M_STOPCCN:
    ora_trace("l2tp: StopCCN from the server (result %u)", (unsigned)m->result);
    send_zlb(t); /* its acknowledgement, before the tunnel goes */
    go_down(t, stop_error(t, m->result));
    break;
  case M_CDN:
    if (hdr_sid != t->my_sid || t->sstate == S_NONE)
      break;
    ora_trace("l2tp: CDN from the server (result %u)", (unsigned)m->result);
    send_zlb(t);
    /* The call was the tunnel's only one: clear the tunnel too rather than leave the
     * server keeping it for a client that has gone. */
    stop_tunnel(t, 1, cdn_error(t, m->result));
    break;
  default:
    break; /* Hello, WEN, SLI and requests a LAC does not take: acknowledged only */
  }
}

static void input_control(ora_l2tp *t, const uint8_t *b, size_t len, uint16_t flags) {
  if (!(flags & F_L) || !(flags & F_S) || (flags & F_O) || len < 12) {
    t->st.bad++;
    return;
  }
  size_t mlen = ora_get16(b + 2);
  uint16_t tid = ora_get16(b + 4), sid = ora_get16(b + 6), ns = ora_get16(b + 8),
           nr = ora_get16(b + 10);
  if (mlen < 12 || mlen > len || tid != t->my_tid) {
    t->st.bad++;
    return;
  }
  /* Nr is only believable within what we sent. */
  if (seq_before(t->ns, nr)) {
    t->st.bad++;
    return;
  }
  acked(t, nr);
  if (t->tstate == T_DOWN || mlen == 12)
    return; /* a ZLB: acknowledgement only */
  if (ns != t->nr) {
    t->st.bad += !seq_before(ns, t->nr); /* ahead: dropped, the peer sends it again */
    if (seq_before(ns, t->nr))
      send_zlb(t); /* a duplicate: our acknowledgement was lost */
    return;
  }
  parsed m;
  if (parse_avps(b + 12, mlen - 12, &m)) {
    t->st.bad++; /* not taken: no Nr step, the peer's retransmission fails the same way */
    return;
  }
  t->nr++;
  t->answered = 0;
  arm_hello(t);
  dispatch(t, &m, sid);
  if (!t->answered && t->tstate != T_DOWN)
    send_zlb(t);
}

static void input_data(ora_l2tp *t, const uint8_t *b, size_t len, uint16_t flags) {
  size_t h = 2;
  if (flags & F_L)
    h += 2;
  if (len < h + 4) {
    t->st.bad++;
    return;
  }
  if (flags & F_L) {
    size_t l = ora_get16(b + 2);
    if (l < h + 4 || l > len) {
      t->st.bad++;
      return;
    }
    len = l;
  }
  uint16_t tid = ora_get16(b + h), sid = ora_get16(b + h + 2);
  h += 4;
  if (flags & F_S)
    h += 4; /* Ns and Nr of data messages: we neither ask for nor check them */
  if ((flags & F_O) && h + 2 <= len)
    h += 2u + ora_get16(b + h);
  else if (flags & F_O)
    h = len + 1;
  if (h > len || tid != t->my_tid || sid != t->my_sid || t->sstate != S_ESTABLISHED ||
      t->tstate != T_ESTABLISHED) {
    t->st.bad++;
    return;
  }
  t->st.frames_in++;
  t->st.bytes_in += len - h;
  t->ev.frame(t->ctx, b + h, len - h);
}

void ora_l2tp_input(ora_l2tp *t, const uint8_t *b, size_t len) {
  if (len < 6 || t->tstate == T_DOWN || t->tstate == T_IDLE) {
    t->st.bad++;
    return;
  }
  uint16_t flags = ora_get16(b);
  if ((flags & VER_MASK) != VERSION) {
    t->st.bad++; /* L2F, L2TPv3: not ours */
    return;
  }
  if (flags & F_T)
    input_control(t, b, len, flags);
  else
    input_data(t, b, len, flags);
}

/* ---------------------------------------------------------------- the API */

int ora_l2tp_send_frame(ora_l2tp *t, const uint8_t *frame, size_t len) {
  if (t->tstate != T_ESTABLISHED || t->sstate != S_ESTABLISHED || len > 65535 - 6)
    return -1;
  uint8_t buf[6 + 1600];
  uint8_t *b = len <= sizeof buf - 6 ? buf : malloc(6 + len);
  if (!b)
    return -1;
  ora_put16(b, VERSION);
  ora_put16(b + 2, t->peer_tid);
  ora_put16(b + 4, t->peer_sid);
  memcpy(b + 6, frame, len);
  t->st.frames_out++;
  t->st.bytes_out += len;
  t->ev.send(t->ctx, b, 6 + len);
  if (b != buf)
    free(b);
  return 0;
}

static uint16_t random_id(void) {
  uint16_t v = 0;
  while (v == 0)
    if (ora_random(&v, sizeof v))
      v = (uint16_t)(ora_now_ms() | 1);
  return v;
}

int ora_l2tp_create(ora_loop *loop, const ora_l2tp_config *cfg, const ora_l2tp_events *ev,
                    void *ctx, ora_l2tp **out) {
  *out = NULL;
  ora_l2tp *t = calloc(1, sizeof *t);
  if (!t)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  t->loop = loop;
  if (cfg)
    t->cfg = *cfg;
  else
    ora_l2tp_config_default(&t->cfg);
  if (!t->cfg.rtx_initial_ms)
    t->cfg.rtx_initial_ms = 1000;
  if (t->cfg.rtx_max_ms < t->cfg.rtx_initial_ms)
    t->cfg.rtx_max_ms = t->cfg.rtx_initial_ms;
  t->ev = *ev;
  t->ctx = ctx;
  t->my_tid = t->cfg.tunnel_id ? t->cfg.tunnel_id : random_id();
  t->my_sid = t->cfg.session_id ? t->cfg.session_id : random_id();
  t->window = 1; /* until SCCRP says; only SCCRQ goes before it */
  t->rtx_ms = t->cfg.rtx_initial_ms;
  *out = t;
  return 0;
}

void ora_l2tp_start(ora_l2tp *t) {
  if (t->tstate == T_IDLE)
    send_sccrq(t);
}

void ora_l2tp_close(ora_l2tp *t) {
  if (!t || t->tstate == T_DOWN)
    return;
  if (t->tstate == T_ESTABLISHED) {
    msg m;
    if (t->sstate == S_ESTABLISHED) {
      begin(&m, M_CDN);
      avp16(&m, A_RESULT, 3); /* administrative reasons: the user hung up */
      avp16(&m, A_SESSION_ID, t->my_sid);
      send_once(t, &m, t->peer_sid, t->ns++);
    }
    begin(&m, M_STOPCCN);
    avp16(&m, A_TUNNEL_ID, t->my_tid);
    avp16(&m, A_RESULT, 1); /* general request to clear the control connection */
    send_once(t, &m, 0, t->ns++);
  }
  t->tstate = T_DOWN; /* no event after a close */
  stop_timers(t);
}

void ora_l2tp_get_stats(const ora_l2tp *t, ora_l2tp_stats *out) {
  *out = t->st;
}

void ora_l2tp_destroy(ora_l2tp *t) {
  if (!t)
    return;
  stop_timers(t);
  free(t);
}
