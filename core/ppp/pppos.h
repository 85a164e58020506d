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

#include "ppp/ppp.h"

struct ora_loop;
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
