/* The L2TP channel: PPP over an L2TP tunnel and session (RFC 2661, no IPsec) on a UDP
 * socket to the server (l2tp/l2tp.h), the channel of a VPN link. */
#ifndef OPENRAS_LINK_CHAN_L2TP_H
#define OPENRAS_LINK_CHAN_L2TP_H

#include "l2tp/l2tp.h"
#include "link/chan.h"
#include "os/stream.h"

/* p: a UDP stream to "server:port" (copied, target included). RAS error, or 0 and
 * *out. */
int ora_chan_l2tp_create(struct ora_loop *loop, const ora_stream_params *p,
                         const ora_l2tp_config *cfg, const ora_chan_events *ev, void *ctx,
                         ora_chan **out);

#endif
