/* A channel carries the frames of a PPP link to the peer (what pppd calls a channel
 * and lwIP its link callbacks). The PPP bearer (ppp_link.c) runs the session and the
 * RAS states over any channel; each kind of channel is one file:
 *   chan_stream.c  a serial port or a TCP connection, HDLC-framed (RFC 1662)
 *   chan_l2tp.c    an L2TP tunnel and session over UDP (RFC 2661), a VPN link
 * A dial stage (the Hayes modem, modem.c) may use a channel's raw bytes before PPP
 * starts. Everything runs on the loop thread with the loop lock held; no event comes
 * after close. */
#ifndef OPENRAS_LINK_CHAN_H
#define OPENRAS_LINK_CHAN_H

#include <stddef.h>
#include <stdint.h>

#include "ppp/ppp.h"

struct ora_loop;

typedef struct ora_chan ora_chan;

typedef struct ora_chan_events {
  /* The channel is open (error 0) or could not be opened (a RAS error). */
  void (*opened)(void *ctx, uint32_t error);
  /* Each chunk of line bytes first: a dial stage's dialog (and the bearer's count of
   * negotiation round trips). Returns how many bytes it took; the rest is PPP's (held
   * until ora_chan_ops.start_ppp). NULL: none. */
  size_t (*dialog)(void *ctx, const uint8_t *buf, size_t len);
  /* A PPP frame (header and information field) arrived. */
  void (*frame)(void *ctx, const uint8_t *frame, size_t len);
  /* After PPP's share of a chunk was decoded: what a dial stage watches in data mode
   * (a modem's NO CARRIER). NULL: none. */
  void (*watch)(void *ctx, const uint8_t *buf, size_t len);
  /* The channel's own connection stage finished (ora_chan_ops.connect). */
  void (*connected)(void *ctx, uint32_t error);
  /* The line ended (EOF, the peer closed): error says why, or 0 to let the bearer
   * choose by the link's state. */
  void (*ended)(void *ctx, uint32_t error);
} ora_chan_events;

typedef struct ora_chan_ops {
  void (*open)(ora_chan *c); /* opened() follows */
  /* After the open, the channel's own connection (an L2TP tunnel and session) during
   * RAS state ConnectDevice; connected() follows. NULL: nothing to do. */
  void (*connect)(ora_chan *c);
  void (*write)(ora_chan *c, const uint8_t *buf, size_t len); /* raw bytes (a dialog) */
  void (*send)(ora_chan *c, const ora_ppp_frame *f);          /* a PPP frame */
  int (*start_ppp)(ora_chan *c);  /* held bytes decoded now; 1 if there were any */
  void (*discard)(ora_chan *c);   /* drops the bytes held for PPP (a dial starts) */
  void (*releasing)(ora_chan *c); /* a redial of this port waits for the teardown */
  void (*close)(ora_chan *c);     /* drops DTR and closes; no events after this */
  void (*stats)(const ora_chan *c, ora_ppp_stats *st); /* the line's counters into st */
  /* A tunnel's endpoints (RASCONNSTATUS localEndPoint and remoteEndPoint); NULL, or
   * left alone, when the channel is no tunnel or not yet open. */
  void (*endpoints)(const ora_chan *c, ora_endpoint *local, ora_endpoint *remote);
  void (*destroy)(ora_chan *c);                        /* closes first if needed */
} ora_chan_ops;

/* Every channel object starts with this. */
struct ora_chan {
  const ora_chan_ops *ops;
};

#endif
