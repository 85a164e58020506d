/* PPP over a byte stream (a serial line, a TCP connection): RFC 1662 HDLC-like
 * framing around a frame-level session (ppp.h). It creates the session and hands it
 * every good frame it decodes, and frames what the session sends with the ACCM the
 * session gives. The line's byte, CRC and framing counters are kept here.
 *
 * ora_pppos_create takes the same callbacks as a session, with write (the line's
 * bytes) required and send unused; the others are passed on. ora_pppos_destroy is
 * safe from inside any callback, as ora_ppp_destroy is. */
#ifndef OPENRAS_PPP_PPPOS_H
#define OPENRAS_PPP_PPPOS_H

#include <stddef.h>
#include <stdint.h>

#include "ppp/hdlc.h"
#include "ppp/ppp.h"

struct ora_loop;

/* The framing state of one asynchronous line: the decoder with its buffer and the
 * line's byte counters. Shared by ora_pppos and the link drivers' stream channel. */
typedef struct ora_hdlc_line {
  ora_hdlc_dec dec;
  uint8_t rxbuf[ORA_PPP_RX_MAX];
  uint64_t bytes_in, bytes_out;
} ora_hdlc_line;

/* rx_accm: the control characters we asked the peer to escape (ora_ppp_config.accm). */
void ora_hdlc_line_init(ora_hdlc_line *l, uint32_t rx_accm);
/* Frames f and hands the bytes to write (a copy of a secret frame is wiped after). */
void ora_hdlc_line_send(ora_hdlc_line *l, const ora_ppp_frame *f,
                        void (*write)(void *ctx, const uint8_t *buf, size_t len), void *ctx);
/* Line bytes in; each good frame (header and info) to fn. */
void ora_hdlc_line_input(ora_hdlc_line *l, const uint8_t *buf, size_t len, ora_hdlc_frame_fn fn,
                         void *ctx);
/* Puts the line's counters into a session's statistics. */
void ora_hdlc_line_stats(const ora_hdlc_line *l, ora_ppp_stats *st);
typedef struct ora_pppos ora_pppos;

int ora_pppos_create(struct ora_loop *loop, const ora_ppp_config *cfg, const ora_ppp_callbacks *cb,
                     void *ctx, ora_pppos **out);
void ora_pppos_destroy(ora_pppos *p);
/* The session inside: start, close, lower_down, send_ip, get_ip... go to it. */
ora_ppp *ora_pppos_session(ora_pppos *p);
/* Bytes from the line, any amount; frames may be split anywhere. */
void ora_pppos_input(ora_pppos *p, const uint8_t *buf, size_t len);
/* The session's counters with the line's added. */
void ora_pppos_get_stats(const ora_pppos *p, ora_ppp_stats *out);

#endif
