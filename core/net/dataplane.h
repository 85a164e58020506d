/* The data plane of one connection: the IPv4 packets of an open PPP link exchanged
 * with openras-tun, the native helper that owns the link's TUN device
 * (docs/data-plane.md, openras/dpwire.h). The bearer (link/ppp_link.c) starts it once
 * IPCP is up, hands it every IPv4 packet from the peer and sends on the link what it
 * gives back; this module starts the helper, configures it, checks every packet in
 * both directions and counts what it drops.
 *
 * All calls and callbacks on the loop thread with the loop lock held. Backpressure:
 * packets toward the link are written as they come (a slow line blocks the loop's
 * write, so the helper stops reading its socket, stops reading the TUN, and the
 * kernel's queue of the interface drops the tail); toward the TUN the helper writes
 * at once. No queue here grows without bound. */
#ifndef OPENRAS_NET_DATAPLANE_H
#define OPENRAS_NET_DATAPLANE_H

#include <stddef.h>
#include <stdint.h>

struct ora_loop;

typedef struct ora_dp ora_dp;

typedef struct ora_dp_params {
  const char *helper; /* the helper program's path */
  uint32_t local, peer, dns1, dns2;
  uint32_t exclude; /* a TCP-carried link's server: kept off the link's routes; 0 = none */
  uint16_t mtu;     /* the largest packet the peer takes (its MRU) */
  int default_route;
} ora_dp_params;

typedef struct ora_dp_events {
  /* Once: the interface is up (error 0, its name), or the data plane could not be
   * set up (ORA_ERROR_NO_IP_RAS_ADAPTER; nothing else follows). */
  void (*ready)(void *ctx, uint32_t error, const char *ifname);
  /* An IPv4 packet for the link, already checked. */
  void (*packet)(void *ctx, const uint8_t *pkt, size_t len);
  /* After a successful ready: the helper is gone (killed, or its interface removed). */
  void (*ended)(void *ctx);
} ora_dp_events;

typedef struct ora_dp_stats {
  uint64_t packets_in, bytes_in;   /* from the link to the TUN */
  uint64_t packets_out, bytes_out; /* from the TUN to the link */
  uint64_t dropped_bad;            /* malformed (either way) */
  uint64_t dropped_big;            /* larger than the link takes */
  uint64_t last_ms;                /* ora_now_ms() of the last packet either way */
} ora_dp_stats;

/* Starts the helper; 0 (ready follows) or a RAS error. */
int ora_dp_start(struct ora_loop *loop, const ora_dp_params *p, const ora_dp_events *ev, void *ctx,
                 ora_dp **out);
/* A packet the peer sent (PPP protocol 0x0021). Dropped and counted when it is
 * malformed or the interface is not up yet. */
void ora_dp_from_link(ora_dp *dp, const uint8_t *pkt, size_t len);
void ora_dp_stats_get(const ora_dp *dp, ora_dp_stats *out);
/* Ends the helper (it removes the interface, its routes and DNS) and frees. No
 * callback after it; NULL is ignored. */
void ora_dp_stop(ora_dp *dp);
/* Data planes not yet stopped, for leak checks. */
size_t ora_dp_count(void);

#endif
