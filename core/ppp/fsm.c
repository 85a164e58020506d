/* RFC 1661 section 4 state table. Each event handler follows the table's row for
 * the current state; actions are small helpers named after the RFC's (irc, scr,
 * sca, ...). The state is changed before This-Layer-* callbacks run, so a callback
 * sees where the automaton is now. */
#include "openras/base/check.h"
#include "ppp/fsm.h"

#include <string.h>

#include "openras/base/loop.h"
#include "ppp/ppp_util.h"

static const char *const state_names[] = {"Initial",  "Starting", "Closed",   "Stopped",  "Closing",
                                          "Stopping", "Req-Sent", "Ack-Rcvd", "Ack-Sent", "Opened"};

const char *ora_fsm_state_name(int state) {
  if (state < 0 || state > ORA_FSM_OPENED)
    return "?";
  return state_names[state];
}

static void on_timeout(void *arg);

static void timer_stop(ora_fsm *f) {
  if (f->timer) {
    ora_loop_cancel(f->loop, f->timer);
    f->timer = NULL;
  }
}

static void timer_start(ora_fsm *f) {
  timer_stop(f);
  f->timer = ora_loop_timer(f->loop, f->wait_ms ? f->wait_ms : f->t.restart_ms, on_timeout, f);
}

static void refusal_drop(ora_fsm *f) {
  f->refusal_len = 0;
  if (f->refusal_timer) {
    ora_loop_cancel(f->loop, f->refusal_timer);
    f->refusal_timer = NULL;
  }
}

void ora_fsm_init(ora_fsm *f, uint16_t proto, const ora_fsm_callbacks *cb, void *owner,
                  struct ora_loop *loop, const ora_fsm_timers *t) {
  memset(f, 0, sizeof *f);
  f->cb = cb;
  f->owner = owner;
  f->loop = loop;
  f->proto = proto;
  f->t = *t;
  if (!f->t.restart_ms)
    f->t.restart_ms = 3000;
  if (!f->t.restart_initial_ms || f->t.restart_initial_ms > f->t.restart_ms)
    f->t.restart_initial_ms = f->t.restart_ms;
  if (!f->t.max_configure)
    f->t.max_configure = 10;
  if (!f->t.max_terminate)
    f->t.max_terminate = 2;
  if (!f->t.max_failure)
    f->t.max_failure = 5;
  f->state = ORA_FSM_INITIAL;
}

void ora_fsm_cleanup(ora_fsm *f) {
  timer_stop(f);
  refusal_drop(f);
}

/* A packet into pkt (ORA_FSM_PKT_MAX bytes; data cut to fit); returns its length. */
static size_t make_pkt(uint8_t *pkt, uint8_t code, uint8_t id, const uint8_t *data, size_t len) {
  if (len > ORA_FSM_PKT_MAX - 4)
    len = ORA_FSM_PKT_MAX - 4;
  pkt[0] = code;
  pkt[1] = id;
  ora_put16(pkt + 2, (uint16_t)(len + 4));
  if (len)
    memcpy(pkt + 4, data, len);
  return len + 4;
}

void ora_fsm_send(ora_fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t len) {
  uint8_t pkt[ORA_FSM_PKT_MAX];
  f->cb->send(f, pkt, make_pkt(pkt, code, id, data, len));
}

/* Sends of one refusal: the first and at most this many copies. */
#define REFUSAL_REPEATS 4

static void on_refusal_timeout(void *arg) {
  ora_fsm *f = arg;
  f->refusal_timer = NULL; /* the loop frees fired timers */
  /* Still waiting for the peer's next request after refusing its last one. */
  if (!f->refusal_len || (f->state != ORA_FSM_REQSENT && f->state != ORA_FSM_ACKRCVD) ||
      f->refusal_repeats >= REFUSAL_REPEATS) {
    f->refusal_len = 0;
    return;
  }
  if (f->cb->enter)
    f->cb->enter(f);
  f->refusal_repeats++;
  f->refusals_repeated++;
  f->cb->send(f, f->refusal, f->refusal_len);
  f->refusal_wait_ms = ora_fsm_backoff(&f->t, f->refusal_wait_ms);
  f->refusal_timer = ora_loop_timer(f->loop, f->refusal_wait_ms, on_refusal_timeout, f);
  if (f->cb->leave)
    f->cb->leave(f);
}

/* Sends a Configure-Nak or -Reject, kept to be sent again if the peer's answer does not
 * come. */
static void send_refusal(ora_fsm *f, uint8_t code, uint8_t id, const uint8_t *opts, size_t len) {
  refusal_drop(f);
  size_t n = make_pkt(f->refusal, code, id, opts, len);
  f->cb->send(f, f->refusal, n);
  if (f->t.restart_initial_ms >= f->t.restart_ms)
    return; /* a constant timer (pppd's behaviour) keeps to the letter */
  f->refusal_len = n;
  f->refusal_repeats = 0;
  f->refusal_wait_ms = f->t.restart_initial_ms;
  f->refusal_timer = ora_loop_timer(f->loop, f->refusal_wait_ms, on_refusal_timeout, f);
}

/* --- actions --- */

static void irc_conf(ora_fsm *f) {
  f->restart = f->t.max_configure;
  f->wait_ms = f->t.restart_initial_ms;
}
static void irc_term(ora_fsm *f) {
  f->restart = f->t.max_terminate;
  f->wait_ms = f->t.restart_initial_ms;
}

/* A new negotiation: no Nak/Reject rounds yet. */
static void rounds_reset(ora_fsm *f) {
  f->rounds = f->repeats = 0;
  f->round_in_sig = f->round_out_sig = 0;
}

static void tlu(ora_fsm *f) {
  timer_stop(f);
  refusal_drop(f);
  f->state = ORA_FSM_OPENED;
  rounds_reset(f);
  f->why = ORA_FSM_WHY_NONE; /* earlier trouble was overcome */
  if (f->cb->up)
    f->cb->up(f);
}
static void tld(ora_fsm *f) {
  if (f->cb->down)
    f->cb->down(f);
}
static void tls(ora_fsm *f) {
  if (f->cb->starting)
    f->cb->starting(f);
}
static void tlf(ora_fsm *f) {
  timer_stop(f);
  refusal_drop(f);
  if (f->cb->finished)
    f->cb->finished(f);
}

static void scr(ora_fsm *f) {
  if (f->restart == 0) /* RFC: decremented on each transmission */
    f->restart = 1;
  f->restart--;
  f->req_len = f->cb->build_request(f, f->req, sizeof f->req - 4);
  f->req_id = ++f->id;
  f->req_pending = 1;
  f->reqs_sent++;
  ora_fsm_send(f, ORA_CP_CONFREQ, f->req_id, f->req, f->req_len);
  timer_start(f);
}

static void str(ora_fsm *f) {
  if (f->restart == 0)
    f->restart = 1;
  f->restart--;
  ora_fsm_send(f, ORA_CP_TERMREQ, ++f->id, NULL, 0);
  timer_start(f);
}

static void sta(ora_fsm *f, uint8_t id) {
  ora_fsm_send(f, ORA_CP_TERMACK, id, NULL, 0);
}

static void zrc(ora_fsm *f) {
  f->restart = 0;
  timer_start(f);
}

static void set_why(ora_fsm *f, int why) {
  if (!f->why)
    f->why = why;
}

/* --- administrative events --- */

void ora_fsm_up(ora_fsm *f) {
  switch (f->state) {
  case ORA_FSM_INITIAL:
    f->state = ORA_FSM_CLOSED;
    break;
  case ORA_FSM_STARTING:
    f->cb->reset_request(f);
    irc_conf(f);
    f->state = ORA_FSM_REQSENT;
    scr(f);
    break;
  default:
    break; /* illegal event: ignored */
  }
}

void ora_fsm_down(ora_fsm *f) {
  refusal_drop(f);
  switch (f->state) {
  case ORA_FSM_CLOSED:
  case ORA_FSM_CLOSING:
    timer_stop(f);
    f->state = ORA_FSM_INITIAL;
    break;
  case ORA_FSM_STOPPED:
    f->state = ORA_FSM_STARTING;
    tls(f);
    break;
  case ORA_FSM_STOPPING:
  case ORA_FSM_REQSENT:
  case ORA_FSM_ACKRCVD:
  case ORA_FSM_ACKSENT:
    timer_stop(f);
    f->state = ORA_FSM_STARTING;
    break;
  case ORA_FSM_OPENED:
    f->state = ORA_FSM_STARTING;
    tld(f);
    break;
  default:
    break;
  }
}

void ora_fsm_open(ora_fsm *f) {
  ORA_ASSERT(ora_loop_held(f->loop));
  switch (f->state) {
  case ORA_FSM_INITIAL:
    f->why = ORA_FSM_WHY_NONE;
    f->heard = 0;
    rounds_reset(f);
    f->naks_sent = 0;
    f->state = ORA_FSM_STARTING;
    tls(f);
    break;
  case ORA_FSM_CLOSED:
    f->why = ORA_FSM_WHY_NONE;
    f->heard = 0;
    rounds_reset(f);
    f->naks_sent = 0;
    f->cb->reset_request(f);
    irc_conf(f);
    f->state = ORA_FSM_REQSENT;
    scr(f);
    break;
  case ORA_FSM_CLOSING:
    f->state = ORA_FSM_STOPPING;
    break;
  default:
    break;
  }
}

void ora_fsm_close(ora_fsm *f, int why) {
  ORA_ASSERT(ora_loop_held(f->loop));
  set_why(f, why ? why : ORA_FSM_WHY_CLOSED);
  switch (f->state) {
  case ORA_FSM_STARTING:
    f->state = ORA_FSM_INITIAL;
    tlf(f);
    break;
  case ORA_FSM_STOPPED:
    f->state = ORA_FSM_CLOSED;
    break;
  case ORA_FSM_STOPPING:
    f->state = ORA_FSM_CLOSING;
    break;
  case ORA_FSM_REQSENT:
  case ORA_FSM_ACKRCVD:
  case ORA_FSM_ACKSENT:
    irc_term(f);
    f->state = ORA_FSM_CLOSING;
    str(f);
    break;
  case ORA_FSM_OPENED:
    f->state = ORA_FSM_CLOSING;
    tld(f);
    irc_term(f);
    str(f);
    break;
  default:
    break;
  }
}

static void timeout(ora_fsm *f);

static void on_timeout(void *arg) {
  ora_fsm *f = arg;
  f->timer = NULL; /* the loop frees fired timers */
  if (f->cb->enter)
    f->cb->enter(f);
  timeout(f);
  if (f->cb->leave)
    f->cb->leave(f);
}

static void timeout(ora_fsm *f) {
  f->timeouts++;
  if (f->restart > 0) { /* TO+ */
    f->wait_ms = ora_fsm_backoff(&f->t, f->wait_ms);
    switch (f->state) {
    case ORA_FSM_CLOSING:
    case ORA_FSM_STOPPING:
      str(f);
      break;
    case ORA_FSM_ACKRCVD:
      f->state = ORA_FSM_REQSENT;
      scr(f);
      break;
    case ORA_FSM_REQSENT:
    case ORA_FSM_ACKSENT:
      scr(f);
      break;
    default:
      break;
    }
    return;
  }
  switch (f->state) { /* TO- */
  case ORA_FSM_CLOSING:
    f->state = ORA_FSM_CLOSED;
    tlf(f);
    break;
  case ORA_FSM_STOPPING:
    f->state = ORA_FSM_STOPPED;
    tlf(f);
    break;
  case ORA_FSM_REQSENT:
  case ORA_FSM_ACKRCVD:
  case ORA_FSM_ACKSENT:
    set_why(f, ORA_FSM_WHY_TIMEOUT);
    f->state = ORA_FSM_STOPPED;
    tlf(f);
    break;
  default:
    break;
  }
}

void ora_fsm_rxj(ora_fsm *f, int catastrophic) {
  if (!catastrophic) { /* RXJ+ */
    if (f->state == ORA_FSM_ACKRCVD)
      f->state = ORA_FSM_REQSENT;
    return;
  }
  set_why(f, ORA_FSM_WHY_REJECTED);
  switch (f->state) {
  case ORA_FSM_CLOSED:
  case ORA_FSM_STOPPED:
    tlf(f);
    break;
  case ORA_FSM_CLOSING:
    f->state = ORA_FSM_CLOSED;
    tlf(f);
    break;
  case ORA_FSM_STOPPING:
  case ORA_FSM_REQSENT:
  case ORA_FSM_ACKRCVD:
  case ORA_FSM_ACKSENT:
    f->state = ORA_FSM_STOPPED;
    tlf(f);
    break;
  case ORA_FSM_OPENED:
    f->state = ORA_FSM_STOPPING;
    tld(f);
    irc_term(f);
    str(f);
    break;
  default:
    break;
  }
}

/* --- received packets --- */

/* Options, as a signature: FNV-1a over the bytes, then the length. Never 0. */
static uint32_t options_sig(const uint8_t *p, size_t len) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < len; i++)
    h = (h ^ p[i]) * 16777619u;
  h ^= (uint32_t)len * 0x9E3779B9u;
  return h ? h : 1;
}

/* Nak/Reject rounds beyond this mean the two sides will not agree. A round is counted
 * once per request: the same request refused again (it or the refusal was lost, and it
 * came again) is more likely the line's doing than disagreement, so such repeats have a
 * bound of their own, four times as loose; both bounds stop a peer that loops. */
static int too_many_rounds(ora_fsm *f, uint32_t *last, uint32_t sig) {
  sig = sig ? sig : 1; /* 0 is "none yet" */
  if (sig != *last) {
    *last = sig;
    f->rounds++;
  } else {
    f->repeats++;
  }
  uint32_t limit = f->t.max_configure + f->t.max_failure;
  return f->rounds > limit || f->repeats > 4 * limit;
}

static void rcv_confreq(ora_fsm *f, uint8_t id, const uint8_t *opts, size_t len) {
  uint8_t out[ORA_FSM_PKT_MAX];
  size_t out_len = 0;
  int code;

  switch (f->state) {
  case ORA_FSM_CLOSED:
    sta(f, id);
    return;
  case ORA_FSM_CLOSING:
  case ORA_FSM_STOPPING:
  case ORA_FSM_INITIAL:
  case ORA_FSM_STARTING:
    return;
  default:
    break;
  }
  code = f->cb->recv_request(f, opts, len, out, sizeof out - 4, &out_len,
                             f->naks_sent >= f->t.max_failure);
  if (code < 0)
    return; /* malformed: silently discarded */
  f->heard = 1;
  refusal_drop(f); /* the peer answered our last refusal, or never needed it */
  if (f->state == ORA_FSM_OPENED) {
    /* Renegotiation: tld, scr then the reply. */
    f->state = ORA_FSM_REQSENT; /* provisional, fixed below */
    tld(f);
    f->cb->reset_request(f);
    irc_conf(f);
    scr(f);
  } else if (f->state == ORA_FSM_STOPPED) {
    f->cb->reset_request(f);
    irc_conf(f);
    scr(f);
  }
  if (code == ORA_CP_CONFACK) {
    f->naks_sent = 0;
    ora_fsm_send(f, ORA_CP_CONFACK, id, opts, len);
    if (f->state == ORA_FSM_ACKRCVD) {
      tlu(f);
    } else {
      f->state = ORA_FSM_ACKSENT;
    }
  } else {
    if (code == ORA_CP_CONFNAK)
      f->naks_sent++;
    send_refusal(f, (uint8_t)code, id, out, out_len);
    if (f->state != ORA_FSM_ACKRCVD)
      f->state = ORA_FSM_REQSENT;
    /* The identifier too: a peer resends a request unchanged with the same one (RFC
     * 1661 5.1 allows it), and one that got our refusal has to use a new one. */
    if (too_many_rounds(f, &f->round_in_sig, options_sig(opts, len) ^ ((uint32_t)id << 24)))
      ora_fsm_close(f, ORA_FSM_WHY_NOT_CONVERGING);
  }
}

static int matches_request(ora_fsm *f, uint8_t id) {
  return f->req_pending && id == f->req_id;
}

static void rcv_confack(ora_fsm *f, uint8_t id, const uint8_t *opts, size_t len) {
  /* An Ack must repeat our request exactly (RFC 1661 5.2). */
  if (!matches_request(f, id) || len != f->req_len || (len && memcmp(opts, f->req, len)))
    return;
  f->heard = 1;
  f->req_pending = 0;
  switch (f->state) {
  case ORA_FSM_CLOSED:
  case ORA_FSM_STOPPED:
    sta(f, id);
    break;
  case ORA_FSM_REQSENT:
    /* The timer keeps running: if the peer's own request never comes, TO+
     * sends ours again (RFC 1661 4.2 Ack-Rcvd). */
    irc_conf(f);
    f->state = ORA_FSM_ACKRCVD;
    break;
  case ORA_FSM_ACKRCVD: /* crossed connection */
    f->state = ORA_FSM_REQSENT;
    scr(f);
    break;
  case ORA_FSM_ACKSENT:
    irc_conf(f);
    tlu(f);
    break;
  case ORA_FSM_OPENED:
    f->state = ORA_FSM_REQSENT;
    tld(f);
    scr(f);
    break;
  default:
    break;
  }
}

static void rcv_confnakrej(ora_fsm *f, uint8_t code, uint8_t id, const uint8_t *opts, size_t len) {
  if (!matches_request(f, id))
    return;
  switch (f->state) {
  case ORA_FSM_CLOSED:
  case ORA_FSM_STOPPED:
    sta(f, id);
    return;
  case ORA_FSM_REQSENT:
  case ORA_FSM_ACKRCVD:
  case ORA_FSM_ACKSENT:
  case ORA_FSM_OPENED:
    break;
  default:
    return;
  }
  uint32_t asked = options_sig(f->req, f->req_len); /* the request refused, before it changes */
  int rc = code == ORA_CP_CONFNAK ? f->cb->recv_nak(f, opts, len) : f->cb->recv_rej(f, opts, len);
  if (rc < 0)
    return;
  f->heard = 1;
  f->req_pending = 0;
  if (too_many_rounds(f, &f->round_out_sig, asked)) {
    ora_fsm_close(f, ORA_FSM_WHY_NOT_CONVERGING);
    return;
  }
  switch (f->state) {
  case ORA_FSM_REQSENT:
  case ORA_FSM_ACKSENT:
    irc_conf(f);
    scr(f);
    break;
  case ORA_FSM_ACKRCVD:
    f->state = ORA_FSM_REQSENT;
    scr(f);
    break;
  case ORA_FSM_OPENED:
    f->state = ORA_FSM_REQSENT;
    tld(f);
    scr(f);
    break;
  default:
    break;
  }
}

static void rcv_termreq(ora_fsm *f, uint8_t id) {
  f->heard = 1;
  switch (f->state) {
  case ORA_FSM_CLOSED:
  case ORA_FSM_STOPPED:
  case ORA_FSM_CLOSING:
  case ORA_FSM_STOPPING:
    sta(f, id);
    break;
  case ORA_FSM_REQSENT:
  case ORA_FSM_ACKRCVD:
  case ORA_FSM_ACKSENT:
    set_why(f, ORA_FSM_WHY_PEER_TERM);
    sta(f, id);
    f->state = ORA_FSM_REQSENT;
    break;
  case ORA_FSM_OPENED:
    set_why(f, ORA_FSM_WHY_PEER_TERM);
    f->state = ORA_FSM_STOPPING;
    tld(f);
    zrc(f);
    sta(f, id);
    break;
  default:
    break;
  }
}

static void rcv_termack(ora_fsm *f) {
  switch (f->state) {
  case ORA_FSM_CLOSING:
    f->state = ORA_FSM_CLOSED;
    tlf(f);
    break;
  case ORA_FSM_STOPPING:
    f->state = ORA_FSM_STOPPED;
    tlf(f);
    break;
  case ORA_FSM_ACKRCVD:
    f->state = ORA_FSM_REQSENT;
    break;
  case ORA_FSM_OPENED:
    f->state = ORA_FSM_REQSENT;
    tld(f);
    scr(f);
    break;
  default:
    break;
  }
}

static void rcv_coderej(ora_fsm *f, const uint8_t *data, size_t len) {
  if (len < 1)
    return;
  uint8_t code = data[0];
  if (code >= ORA_CP_CONFREQ && code <= ORA_CP_CODEREJ) {
    ora_fsm_rxj(f, 1);
  } else {
    if (f->cb->code_rejected)
      f->cb->code_rejected(f, code);
    ora_fsm_rxj(f, 0);
  }
}

void ora_fsm_input(ora_fsm *f, const uint8_t *pkt, size_t len) {
  ORA_ASSERT(ora_loop_held(f->loop));
  if (len < 4)
    return;
  uint8_t code = pkt[0], id = pkt[1];
  size_t plen = ora_get16(pkt + 2);
  /* Octets past Length are padding (RFC 1661 5); a Length beyond the data or
   * below the header means a damaged packet. */
  if (plen < 4 || plen > len)
    return;
  const uint8_t *data = pkt + 4;
  size_t dlen = plen - 4;
  if (f->state == ORA_FSM_INITIAL || f->state == ORA_FSM_STARTING)
    return; /* the lower layer is not up: nothing can arrive */

  switch (code) {
  case ORA_CP_CONFREQ:
    rcv_confreq(f, id, data, dlen);
    break;
  case ORA_CP_CONFACK:
    rcv_confack(f, id, data, dlen);
    break;
  case ORA_CP_CONFNAK:
  case ORA_CP_CONFREJ:
    rcv_confnakrej(f, code, id, data, dlen);
    break;
  case ORA_CP_TERMREQ:
    rcv_termreq(f, id);
    break;
  case ORA_CP_TERMACK:
    rcv_termack(f);
    break;
  case ORA_CP_CODEREJ:
    rcv_coderej(f, data, dlen);
    break;
  default:
    if (f->cb->other_code && f->cb->other_code(f, code, id, data, dlen) == 0)
      break;
    /* RUC: return the whole packet in a Code-Reject */
    ora_fsm_send(f, ORA_CP_CODEREJ, ++f->id, pkt, plen);
    break;
  }
}
