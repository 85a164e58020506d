/* What a PPP link (ppp_link.c) is made of, read from its phone-book entry and the
 * request (link_config.c). */
#ifndef OPENRAS_LINK_CONFIG_H
#define OPENRAS_LINK_CONFIG_H

#include "l2tp/l2tp.h"
#include "link/hayes.h"
#include "link/link.h"
#include "os/stream.h"
#include "ppp/ppp.h"

enum { ORA_PPP_LINK_MODEM, ORA_PPP_LINK_DIRECT, ORA_PPP_LINK_TCP, ORA_PPP_LINK_L2TP };

/* The largest PPP packet a tunnel carries each way (our MRU, the interface's MTU): the
 * UDP, L2TP and IP headers then fit a 1500-byte path, as with Windows' L2TP. */
#define ORA_L2TP_PPP_MTU 1400

/* ORA_DataPlane: carry the program's IP traffic (docs/data-plane.md). */
enum { ORA_DP_OFF, ORA_DP_AUTO, ORA_DP_REQUIRED };

typedef struct ora_ppp_link_config {
  int kind;                    /* ORA_PPP_LINK_* */
  ora_stream_params sp;        /* the transport; sp.target points at target */
  char target[ORA_PATH_BYTES]; /* the port, or host:port */
  ora_hayes_config hayes;      /* a modem's dialog (kind modem) */
  ora_l2tp_config l2tp;        /* the tunnel's timers (kind l2tp) */
  ora_ppp_config ppp;          /* PPP's options; no user or password yet */
  ora_status info;             /* device type and name, phone number */
  int dataplane;               /* ORA_DP_*: ORA_DataPlane=off|auto|required */
  int default_route;           /* IpPrioritizeRemote: RASEO_RemoteDefaultGateway */
  uint32_t idle_s;             /* IdleDisconnectSeconds: 0 = never */
} ora_ppp_link_config;

/* 0, or a RAS error: ERROR_PORT_NOT_FOUND (no port), ERROR_INVALID_PARAMETER (nowhere
 * to connect, a bad dial string), ERROR_PORT_NOT_AVAILABLE (a VPN strategy that allows
 * only tunnels OpenRAS does not have), ERROR_PHONE_NUMBER_TOO_LONG, ERROR_CANNOT_LOAD_PHONEBOOK
 * (an unreadable ORA_PppPeerIp). */
int ora_ppp_link_read_config(const ora_link_params *p, int kind, ora_ppp_link_config *out);

#endif
