/* The session object shared by the PPP modules (not part of the API). */
#ifndef OPENRAS_PPP_INTERNAL_H
#define OPENRAS_PPP_INTERNAL_H

#include "ppp/fsm.h"
#include "ppp/ppp.h"
#include "ppp/secret.h"

/* LCP option numbers (RFC 1661 6, RFC 1570). */
enum {
  ORA_LCP_MRU = 1,
  ORA_LCP_ACCM = 2,
  ORA_LCP_AUTH = 3,
  ORA_LCP_QUALITY = 4,
  ORA_LCP_MAGIC = 5,
  ORA_LCP_PFC = 7,
  ORA_LCP_ACFC = 8
};

/* IPCP option numbers (RFC 1332, RFC 1877). */
enum { ORA_IPCP_COMP = 2, ORA_IPCP_ADDR = 3, ORA_IPCP_DNS1 = 129, ORA_IPCP_DNS2 = 131 };

#define ORA_CHAP_MD5 5
#define ORA_CHAP_MSV2 0x81

typedef struct ora_lcp_opts {
  int neg_mru, neg_accm, neg_auth, neg_magic, neg_pfc, neg_acfc;
  uint16_t mru;
  uint32_t accm;
  uint16_t auth_proto;
  uint8_t chap_alg;
  uint32_t magic;
} ora_lcp_opts;

typedef struct ora_ipcp_opts {
  int neg_addr, neg_dns1, neg_dns2;
  uint32_t addr, dns1, dns2;
} ora_ipcp_opts;

struct ora_ppp {
  struct ora_loop *loop;
  ora_ppp_config cfg; /* cfg.password is wiped at once: the session keeps pw */
  ora_sealed pw;      /* kept sealed while the link is up: the peer may ask again */
  ora_ppp_callbacks cb;
  void *ctx;
  int phase;
  int depth;      /* calls into the session in progress */
  int dying;      /* ora_ppp_destroy() called: no callbacks, free on unwind */
  int reported;   /* on_down delivered */
  uint32_t error; /* first failure found; reported by on_down */

  /* framing negotiated by LCP */
  int tx_acfc, tx_pfc, rx_acfc, rx_pfc;
  uint32_t tx_accm;

  /* LCP */
  ora_fsm lcp;
  ora_lcp_opts lcp_want; /* what we ask for in this negotiation */
  ora_lcp_opts lcp_his;  /* what we acknowledged of the peer's request */
  int lcp_loops;         /* magic number collisions seen */
  struct ora_timer *echo_timer;
  uint32_t echo_pending;
  uint8_t echo_id;
  int echo_off; /* the peer Code-Rejected Echo-Request */

  /* Authentication */
  uint16_t auth_proto;
  uint8_t auth_alg;
  struct ora_timer *auth_timer;
  uint32_t auth_tries;
  uint32_t auth_wait_ms; /* PAP: the wait before the next retransmission (backs off) */
  uint8_t auth_id;
  int auth_done;
  uint32_t auth_error; /* of the last authentication */
  /* CHAP: the last answer, resent for a retransmitted challenge */
  uint8_t chap_resp[64];
  size_t chap_resp_len;
  int chap_have_resp;
  int chap_rechallenge; /* answering a challenge after authentication succeeded */
  char chap_expect[43]; /* MS-CHAPv2: the S= value a genuine server sends */
  /* MPPE keys (RFC 3079) of an MS-CHAPv2 authentication: the master key of the answer
   * in flight, then, once the server proved itself, our send and receive start keys.
   * Wiped with the password (ora_ppp_wipe_secret). */
  uint8_t mppe_master[16], mppe_send[16], mppe_recv[16];
  int have_mppe;

  /* IPCP */
  ora_fsm ipcp;
  ora_ipcp_opts ipcp_want, ipcp_his;
  int ipcp_up;
  ora_ppp_ip_info ip;

  /* statistics */
  ora_ppp_stats stats;
  uint64_t t_first_req_us;
};

/* ppp.c (ora_ppp_enter/leave, in ppp.h, also bracket work entered from a timer) */
void ora_ppp_send_frame(ora_ppp *s, uint16_t proto, const uint8_t *info, size_t len);
void ora_ppp_fail(ora_ppp *s, uint32_t error); /* records error, closes LCP */
void ora_ppp_auth_finished(ora_ppp *s, uint32_t error);
void ora_ppp_lcp_up(ora_ppp *s);
void ora_ppp_lcp_down(ora_ppp *s);
void ora_ppp_lcp_finished(ora_ppp *s);
void ora_ppp_ipcp_up(ora_ppp *s);
void ora_ppp_ipcp_finished(ora_ppp *s);
void ora_ppp_protocol_rejected(ora_ppp *s, uint16_t proto);
void ora_ppp_wipe_secret(ora_ppp *s);
/* The password into out (ORA_PASSWORD_BYTES); 0, or -1 when it is gone. Wipe out after use. */
int ora_ppp_password(const ora_ppp *s, char *out);
void ora_ppp_link_dead(ora_ppp *s); /* keepalive found the peer gone */

/* lcp.c */
extern const ora_fsm_callbacks ora_lcp_callbacks;
void ora_lcp_echo_start(ora_ppp *s);
void ora_lcp_echo_stop(ora_ppp *s);
void ora_lcp_send_protrej(ora_ppp *s, uint16_t proto, const uint8_t *info, size_t len);

/* ipcp.c */
extern const ora_fsm_callbacks ora_ipcp_callbacks;

/* pap.c, chap.c */
void ora_pap_start(ora_ppp *s);
void ora_pap_input(ora_ppp *s, const uint8_t *pkt, size_t len);
void ora_chap_start(ora_ppp *s);
void ora_chap_input(ora_ppp *s, const uint8_t *pkt, size_t len);
void ora_auth_stop(ora_ppp *s); /* cancels the authentication timer */

#endif
