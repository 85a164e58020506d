/* The stream channel: PPP over a serial port or a TCP connection (os/stream.h), with
 * HDLC-like framing (ppp/pppos.h). */
#ifndef OPENRAS_LINK_CHAN_STREAM_H
#define OPENRAS_LINK_CHAN_STREAM_H

#include "link/chan.h"
#include "os/stream.h"

/* p (target included) is copied. rx_accm: the control characters we asked the peer to
 * escape. RAS error, or 0 and *out. */
int ora_chan_stream_create(struct ora_loop *loop, const ora_stream_params *p, uint32_t rx_accm,
                           const ora_chan_events *ev, void *ctx, ora_chan **out);

#endif
