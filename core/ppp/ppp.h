/* A PPP client session (RFC 1661 with LCP, PAP, CHAP-MD5, MS-CHAPv2 and IPCP) that
 * exchanges PPP frames (header and information field) with whatever channel carries
 * them: the channel hands received frames to ora_ppp_input_frame and gets frames to
 * send through the send callback. HDLC-like framing (RFC 1662) for byte streams is a
 * channel's job: ppp/pppos.h. Timers run on the engine loop. Everything, callbacks
 * included, happens on the loop thread with its lock held.
 *
 * Error codes reported through on_down (RAS numbering, include/openras/rasdefs.h):
 *   718 ORA_ERROR_PPP_TIMEOUT            LCP or IPCP Configure-Requests (or PAP
 *                                         requests, or the wait for a CHAP challenge)
 *                                         went unanswered for the whole retry budget
 *   732 ORA_ERROR_PPP_NOT_CONVERGING     Nak/Reject rounds without agreement
 *   733 ORA_ERROR_PPP_CP_REJECTED        the peer Protocol-Rejected IPCP or
 *                                         Code-Rejected a Configure-Request
 *   734 ORA_ERROR_PPP_LCP_TERMINATED     the peer sent LCP Terminate-Request before
 *                                         the network layer was up
 *   629 ORA_ERROR_REMOTE_DISCONNECTION   ... after IPCP was up
 *   630 ORA_ERROR_HARDWARE_FAILURE       keepalive: Echo-Requests went unanswered
 *   631 ORA_ERROR_USER_DISCONNECTION     ora_ppp_close() by us
 *   691 ORA_ERROR_AUTHENTICATION_FAILURE authentication refused (an MS-CHAPv2
 *                                         Failure's E=6xx/7xx code is passed on
 *                                         instead, e.g. 648 password expired)
 *   736 ORA_ERROR_PPP_NCP_TERMINATED     the peer terminated IPCP
 *   737 ORA_ERROR_PPP_LOOPBACK_DETECTED  our own magic number came back
 *   738 ORA_ERROR_PPP_NO_ADDRESS_ASSIGNED IPCP opened without an address for us
 *   ora_ppp_lower_down(): the error given. */
#ifndef OPENRAS_PPP_H
#define OPENRAS_PPP_H

#include <stddef.h>
#include <stdint.h>

#include "openras/engine.h"

struct ora_loop;

typedef struct ora_ppp ora_ppp;

enum ora_ppp_phase {
  ORA_PPP_DEAD,
  ORA_PPP_ESTABLISH,
  ORA_PPP_AUTHENTICATE,
  ORA_PPP_NETWORK,
  ORA_PPP_TERMINATE
};

/* Authentication protocols we agree to when the peer asks (bit mask). */
enum {
  ORA_PPP_AUTH_PAP = 1,
  ORA_PPP_AUTH_CHAP_MD5 = 2,
  ORA_PPP_AUTH_MSCHAPV2 = 4,
  ORA_PPP_AUTH_ALL = 7
};

/* PPP protocol numbers visible in the API. */
enum {
  ORA_PPP_PROTO_IP = 0x0021,
  ORA_PPP_PROTO_IPCP = 0x8021,
  ORA_PPP_PROTO_LCP = 0xc021,
  ORA_PPP_PROTO_PAP = 0xc023,
  ORA_PPP_PROTO_CHAP = 0xc223
};

/* The restart timer's first value when the link's speed says nothing slower: enough for
 * a short packet each way plus the 100 ms RFC 1661 4.6 asks for the peer to answer,
 * with room for a loaded machine. */
#define ORA_PPP_RESTART_INITIAL_MS 250u

typedef struct ora_ppp_config {
  char user[ORA_USER_BYTES];
  char password[ORA_PASSWORD_BYTES]; /* sealed by ora_ppp_create (secret.h) */
  uint32_t auth_allow;               /* ORA_PPP_AUTH_* */
  uint16_t mru;                      /* ours; requested only when not 1500 */
  uint32_t accm;                     /* requested receive ACCM (0: escape nothing) */
  int pfc, acfc;                     /* request protocol/address field compression */
  /* Restart timer and counters of RFC 1661 section 4.6 (0 = RFC default). The timer
   * starts at restart_initial_ms and doubles on each timeout up to restart_ms (fsm.h);
   * PAP's retransmissions back off the same way. */
  uint32_t restart_ms, restart_initial_ms, max_configure, max_terminate, max_failure;
  /* LCP Echo-Request keepalive from LCP Opened on: an Echo-Request every
   * interval; after echo_fails unanswered ones in a row the peer is dead (630).
   * 0 = off. */
  uint32_t echo_interval_ms, echo_fails;
  /* IPv4 addresses in host order. local_ip: the address we ask for (0 = let the
   * server assign one). peer_ip: suggested to a server that asks us for its
   * own address by requesting 0.0.0.0 (as slirp does); with 0 such a request is
   * Configure-Rejected. */
  uint32_t local_ip, peer_ip;
  int want_dns; /* request primary and secondary DNS (RFC 1877) */
} ora_ppp_config;

typedef struct ora_ppp_ip_info {
  uint32_t local, remote, dns1, dns2; /* host order; 0 = unknown */
} ora_ppp_ip_info;

/* What LCP agreed on, for the RAS LCP projection. */
typedef struct ora_ppp_lcp_info {
  uint16_t mru, peer_mru;   /* what each side receives */
  uint32_t accm, peer_accm; /* ACCM each side asked for */
  uint32_t magic, peer_magic;
  int pfc, acfc, peer_pfc, peer_acfc; /* compression each side accepts to receive */
  uint16_t auth_proto;                /* protocol the peer authenticated us with, 0 none */
  uint8_t auth_alg;                   /* CHAP algorithm (5 MD5, 0x81 MS-CHAPv2) */
} ora_ppp_lcp_info;

/* The session counts frames and bad headers; a byte-stream channel (pppos.h) adds the
 * line's bytes and its framing errors. */
typedef struct ora_ppp_stats {
  uint64_t bytes_in, bytes_out;   /* raw line bytes (the channel's) */
  uint64_t frames_in, frames_out; /* frames received / frames sent */
  uint64_t crc_errors;            /* (the channel's) */
  uint64_t framing_errors;        /* runts, aborts (the channel's), bad headers */
  uint64_t overruns;              /* frames longer than the receive buffer (the channel's) */
  /* Time from our first LCP Configure-Request to IPCP up, 0 until then; of it, the
   * time to LCP up and from there to the network phase (authentication). */
  uint64_t negotiation_us, lcp_us, auth_us;
} ora_ppp_stats;

/* The longest frame a session receives: our MRU (at most 1500) plus header, and the
 * FCS of an HDLC channel. */
#define ORA_PPP_RX_MAX (1500 + 8 + 4)

/* The longest frame a session sends: a full header and the longest control packet
 * (ORA_FSM_PKT_MAX, checked in ppp.c). */
#define ORA_PPP_TX_MAX (4 + 1600)

/* A frame to send: PPP header (address and control unless ACFC, the protocol, one
 * byte when PFC) and information field. accm: the transmit ACCM to frame it with on
 * an asynchronous line (all control characters for LCP). secret: it carries a
 * password in the clear (PAP): wipe any copy. */
typedef struct ora_ppp_frame {
  const uint8_t *data;
  size_t len;
  uint32_t accm;
  int secret;
} ora_ppp_frame;

typedef struct ora_ppp_callbacks {
  /* Bytes for the line: used by ora_pppos (which frames for the session), not by the
   * session itself. */
  void (*write)(void *ctx, const uint8_t *buf, size_t len);
  /* The rest may be NULL. */
  void (*on_phase)(void *ctx, int phase);
  void (*on_auth_start)(void *ctx, uint16_t proto, uint8_t chap_alg);
  void (*on_auth_done)(void *ctx, uint32_t error); /* 0 = accepted */
  void (*on_ip_up)(void *ctx, const ora_ppp_ip_info *ip);
  /* The run is over (phase Dead); error is never 0. The last callback. */
  void (*on_down)(void *ctx, uint32_t error);
  /* An IPv4 datagram arrived (IPCP up). */
  void (*on_ip_packet)(void *ctx, const uint8_t *pkt, size_t len);
  /* Required by ora_ppp_create: a frame for the channel. */
  void (*send)(void *ctx, const ora_ppp_frame *f);
} ora_ppp_callbacks;

/* Fills the defaults: all auth protocols allowed, MRU 1500, ACCM 0, PFC and ACFC,
 * RFC timers, echo every 10 s with 3 failures, DNS wanted. */
void ora_ppp_config_default(ora_ppp_config *cfg);

/* Copies cfg; the session keeps the password only sealed, until the link goes down
 * (the caller should wipe its own copy). */
int ora_ppp_create(struct ora_loop *loop, const ora_ppp_config *cfg, const ora_ppp_callbacks *cb,
                   void *ctx, ora_ppp **out);
/* Stops timers and frees the session. Safe from inside a callback: the memory is
 * released when the outermost call into the session returns, and no callback
 * runs after this. */
void ora_ppp_destroy(ora_ppp *s);

/* The line is up: start LCP (phase Establish). A session makes one run: after
 * on_down, destroy it and create a new one to dial again. */
void ora_ppp_start(ora_ppp *s);
/* A received frame: PPP header and information field (an HDLC channel has checked and
 * removed the FCS). */
void ora_ppp_input_frame(ora_ppp *s, const uint8_t *frame, size_t len);
/* Bracket work a channel does with the session (several frames from one read) so
 * that ora_ppp_destroy() from a callback frees it only at the end. */
void ora_ppp_enter(ora_ppp *s);
void ora_ppp_leave(ora_ppp *s); /* may free s */
/* Orderly hang-up: LCP Terminate-Request, then on_down(631, or an error already
 * found). */
void ora_ppp_close(ora_ppp *s);
/* The line is gone (EOF, carrier lost): on_down(error) at once. */
void ora_ppp_lower_down(ora_ppp *s, uint32_t error);

/* Sends an IPv4 datagram (IPCP must be up); 0 or a RAS error. */
int ora_ppp_send_ip(ora_ppp *s, const uint8_t *pkt, size_t len);

int ora_ppp_phase(const ora_ppp *s);
void ora_ppp_get_stats(const ora_ppp *s, ora_ppp_stats *out);
/* 0 when IPCP is up, else ORA_ERROR_PPP_NO_ADDRESS_ASSIGNED (or the failure). */
int ora_ppp_get_ip(const ora_ppp *s, ora_ppp_ip_info *out);
void ora_ppp_get_lcp(const ora_ppp *s, ora_ppp_lcp_info *out);
/* After an MS-CHAPv2 authentication the server proved: our MPPE send and receive start
 * keys (RFC 3079, 128-bit), for encryption and SSTP's crypto binding; 0, or -1 when
 * there are none (another protocol, not yet, or the link went down: they are wiped
 * then). */
int ora_ppp_get_mppe_keys(const ora_ppp *s, uint8_t send[16], uint8_t recv[16]);

#endif
