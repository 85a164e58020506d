/* An L2TP access concentrator (LAC) for one call: the control connection and one
 * session of RFC 2661 (L2TPv2, no IPsec), carrying the PPP frames of a VPN link. The
 * channel (link/chan_l2tp.c) gives it the datagrams from the server and sends the ones
 * it makes; everything runs on the loop thread with the loop lock held.
 *
 * What it does, in order: SCCRQ -> SCCRP -> SCCCN (the tunnel), then ICRQ -> ICRP ->
 * ICCN (an incoming call: the session), after which PPP frames go both ways as data
 * messages. Control messages are delivered reliably (Ns/Nr, retransmission with
 * back-off, the peer's receive window, ZLB acknowledgements); a quiet tunnel sends
 * Hello. Tunnel authentication (Challenge) is not supported: a server that asks for it
 * gets StopCCN and the dial fails with 808.
 *
 * Errors reported through down (RAS numbering):
 *   809 ORA_ERROR_VPN_TIMEOUT     the server never answered (retransmissions spent
 *                                 before the session was up)
 *   808 ORA_ERROR_VPN_REFUSED     the server refused: StopCCN "not authorized" or
 *                                 "unsupported version", CDN "lack of facilities", a
 *                                 Challenge we cannot answer, a message we cannot use
 *   676 ORA_ERROR_LINE_BUSY       CDN "busy"
 *   628 ORA_ERROR_DISCONNECTION   StopCCN or CDN before the session was up
 *   629 ORA_ERROR_REMOTE_DISCONNECTION  StopCCN or CDN after it, or the control
 *                                 connection went silent (Hello unanswered)
 */
#ifndef OPENRAS_L2TP_H
#define OPENRAS_L2TP_H

#include <stddef.h>
#include <stdint.h>

struct ora_loop;

typedef struct ora_l2tp ora_l2tp;

#define ORA_L2TP_PORT "1701"

typedef struct ora_l2tp_config {
  /* RFC 2661 5.8 suggests 1 s doubling to at least 8 s and 5 retransmissions. */
  uint32_t rtx_initial_ms, rtx_max_ms, rtx_count;
  uint32_t hello_ms; /* a Hello after this long without a control message; 0: never */
  uint16_t tunnel_id, session_id; /* ours; 0: random (fixed ones are for tests) */
} ora_l2tp_config;

void ora_l2tp_config_default(ora_l2tp_config *c);

typedef struct ora_l2tp_events {
  void (*send)(void *ctx, const uint8_t *dgram, size_t len);  /* a datagram for the server */
  void (*up)(void *ctx);                                      /* the session is established */
  void (*frame)(void *ctx, const uint8_t *frame, size_t len); /* a PPP frame of the session */
  void (*down)(void *ctx, uint32_t error); /* tunnel or session gone; the last event */
} ora_l2tp_events;

typedef struct ora_l2tp_stats {
  uint64_t frames_in, frames_out, bytes_in, bytes_out; /* data messages and their PPP bytes */
  uint64_t bad;         /* malformed or misaddressed datagrams, dropped */
  uint64_t retransmits; /* control messages sent again */
} ora_l2tp_stats;

int ora_l2tp_create(struct ora_loop *loop, const ora_l2tp_config *cfg, const ora_l2tp_events *ev,
                    void *ctx, ora_l2tp **out);
/* Sends SCCRQ; up or down follows. */
void ora_l2tp_start(ora_l2tp *t);
/* A datagram from the server (any content: checked here). */
void ora_l2tp_input(ora_l2tp *t, const uint8_t *buf, size_t len);
/* Sends a PPP frame (address and control bytes included) once the session is up; 0, or
 * -1 when it is not. */
int ora_l2tp_send_frame(ora_l2tp *t, const uint8_t *frame, size_t len);
/* Hangs up: CDN and StopCCN once each (the socket closes right after), then no event. */
void ora_l2tp_close(ora_l2tp *t);
void ora_l2tp_get_stats(const ora_l2tp *t, ora_l2tp_stats *out);
void ora_l2tp_destroy(ora_l2tp *t);

#endif
