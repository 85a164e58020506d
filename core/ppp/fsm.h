/* The RFC 1661 option negotiation automaton, shared by LCP and IPCP. A protocol
 * plugs in through a table of callbacks that parse and build its options and hear
 * about the This-Layer-Up/Down/Started/Finished actions. One automaton runs on the
 * engine loop thread; its restart timer is a loop timer. */
#ifndef OPENRAS_PPP_FSM_H
#define OPENRAS_PPP_FSM_H

#include <stddef.h>
#include <stdint.h>

struct ora_loop;
struct ora_timer;

enum ora_fsm_state {
  ORA_FSM_INITIAL,
  ORA_FSM_STARTING,
  ORA_FSM_CLOSED,
  ORA_FSM_STOPPED,
  ORA_FSM_CLOSING,
  ORA_FSM_STOPPING,
  ORA_FSM_REQSENT,
  ORA_FSM_ACKRCVD,
  ORA_FSM_ACKSENT,
  ORA_FSM_OPENED
};

/* Packet codes (RFC 1661 section 5; 8-11 are LCP only). */
enum {
  ORA_CP_CONFREQ = 1,
  ORA_CP_CONFACK = 2,
  ORA_CP_CONFNAK = 3,
  ORA_CP_CONFREJ = 4,
  ORA_CP_TERMREQ = 5,
  ORA_CP_TERMACK = 6,
  ORA_CP_CODEREJ = 7,
  ORA_CP_PROTREJ = 8,
  ORA_CP_ECHOREQ = 9,
  ORA_CP_ECHOREP = 10,
  ORA_CP_DISCREQ = 11
};

/* Why the automaton last finished (This-Layer-Finished) or gave up. */
enum ora_fsm_why {
  ORA_FSM_WHY_NONE,
  ORA_FSM_WHY_TIMEOUT,        /* Max-Configure Configure-Requests went unanswered */
  ORA_FSM_WHY_NOT_CONVERGING, /* too many Nak/Reject rounds without agreement */
  ORA_FSM_WHY_PEER_TERM,      /* the peer sent Terminate-Request */
  ORA_FSM_WHY_REJECTED,       /* RXJ-: the peer rejected something essential */
  ORA_FSM_WHY_CLOSED          /* Close event from our side */
};

/* Longest control packet handled; longer ones are dropped. */
#define ORA_FSM_PKT_MAX 1600

typedef struct ora_fsm ora_fsm;

typedef struct ora_fsm_callbacks {
  const char *name;
  /* Start a new negotiation from the configured wishes (before the first scr). */
  void (*reset_request)(ora_fsm *f);
  /* Writes our Configure-Request options; returns their length (<= cap). */
  size_t (*build_request)(ora_fsm *f, uint8_t *buf, size_t cap);
  /* The peer's Nak/Reject of our last request (the ID was checked). Update the
   * wishes; return 0, or -1 if the packet is malformed or does not match what we
   * sent (it is then discarded). */
  int (*recv_nak)(ora_fsm *f, const uint8_t *opts, size_t len);
  int (*recv_rej)(ora_fsm *f, const uint8_t *opts, size_t len);
  /* The peer's Configure-Request. Writes the reply's options to out (cap bytes)
   * and returns ORA_CP_CONFACK/CONFNAK/CONFREJ, or -1 to drop a malformed packet.
   * With reject_only (Max-Failure reached) options that would be Nak'd are
   * rejected instead. */
  int (*recv_request)(ora_fsm *f, const uint8_t *opts, size_t len, uint8_t *out, size_t cap,
                      size_t *out_len, int reject_only);
  void (*up)(ora_fsm *f);       /* This-Layer-Up */
  void (*down)(ora_fsm *f);     /* This-Layer-Down */
  void (*starting)(ora_fsm *f); /* This-Layer-Started */
  void (*finished)(ora_fsm *f); /* This-Layer-Finished; f->why says why */
  /* Codes above 7 (may be NULL): return 0 when handled, -1 when unknown (RUC). */
  int (*other_code)(ora_fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t len);
  /* The peer Code-Rejected one of our codes above 7 (may be NULL). */
  void (*code_rejected)(ora_fsm *f, uint8_t code);
  /* Sends one packet (code, id, length, data) of this protocol. */
  void (*send)(ora_fsm *f, const uint8_t *pkt, size_t len);
  /* Bracket the restart timer's work (may be NULL): lets the owner keep itself
   * alive while a callback runs. The automaton does not touch f after leave. */
  void (*enter)(ora_fsm *f);
  void (*leave)(ora_fsm *f);
} ora_fsm_callbacks;

typedef struct ora_fsm_timers {
  uint32_t restart_ms; /* RFC default 3000 */
  /* The first wait after a request (0: restart_ms throughout). Each timeout doubles
   * the wait up to restart_ms, as RFC 1661 4.6 allows; a new negotiation (the restart
   * counter initialized) starts again from here. */
  uint32_t restart_initial_ms;
  uint32_t max_configure; /* 10 */
  uint32_t max_terminate; /* 2 */
  uint32_t max_failure;   /* 5 */
} ora_fsm_timers;

struct ora_fsm {
  const ora_fsm_callbacks *cb;
  void *owner;
  struct ora_loop *loop;
  uint16_t proto;
  ora_fsm_timers t;
  int state;
  uint8_t id;     /* last ID used by us */
  uint8_t req_id; /* ID of our outstanding Configure-Request */
  int req_pending;
  uint8_t req[ORA_FSM_PKT_MAX]; /* options of that request, to check Acks against */
  size_t req_len;
  uint32_t restart;   /* restart counter */
  uint32_t wait_ms;   /* the restart timer's current value */
  uint32_t naks_sent; /* Configure-Naks since the last Configure-Ack sent */
  uint32_t rounds;    /* Nak/Reject exchanges in this negotiation */
  /* What the last counted exchange was about, so a retransmission answered again (a
   * lossy line) is not counted as another round: the peer's request we refused, and our
   * request the peer refused (a hash of the options, with their length). */
  uint32_t round_in_sig, round_out_sig;
  uint32_t repeats; /* refusals of a request already refused: bounded more loosely */
  int why;
  int heard; /* a valid packet came from the peer since Open */
  struct ora_timer *timer;
  /* Our last Configure-Nak or Configure-Reject, sent again while the peer's next request
   * does not come (the backing-off timer only: restart_initial_ms < restart_ms). Safe
   * with any peer: one that got it must use a new identifier for its next request (RFC
   * 1661 5.1), so a copy that comes after is discarded; one that lost it is spared its
   * restart timer (3 s in pppd and slirp). An Ack is never sent again: a peer that has
   * it and is Opened would renegotiate. */
  uint8_t refusal[ORA_FSM_PKT_MAX];
  size_t refusal_len; /* 0: none waiting */
  uint32_t refusal_wait_ms, refusal_repeats;
  struct ora_timer *refusal_timer;
  /* Counters for tests and statistics. */
  uint32_t reqs_sent, timeouts, refusals_repeated;
};

/* The restart timer's next wait after a timeout: at least twice the last one, up to the
 * final value (RFC 1661 4.6). PAP's retransmissions back off the same way. */
static inline uint32_t ora_fsm_backoff(const ora_fsm_timers *t, uint32_t wait_ms) {
  return wait_ms > t->restart_ms / 2 ? t->restart_ms : wait_ms * 2;
}

void ora_fsm_init(ora_fsm *f, uint16_t proto, const ora_fsm_callbacks *cb, void *owner,
                  struct ora_loop *loop, const ora_fsm_timers *t);
/* Cancels the timer; the automaton is unusable afterwards until ora_fsm_init. */
void ora_fsm_cleanup(ora_fsm *f);

/* Administrative and lower-layer events. */
void ora_fsm_up(ora_fsm *f);
void ora_fsm_down(ora_fsm *f);
void ora_fsm_open(ora_fsm *f);
void ora_fsm_close(ora_fsm *f, int why);
/* RXJ: the peer rejected this protocol (Protocol-Reject) or a code. */
void ora_fsm_rxj(ora_fsm *f, int catastrophic);

/* A received packet of this protocol (code, id, length, data). */
void ora_fsm_input(ora_fsm *f, const uint8_t *pkt, size_t len);

/* Sends a packet with the given code and id (used by LCP for echo, reject). */
void ora_fsm_send(ora_fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t len);

const char *ora_fsm_state_name(int state);

#endif
