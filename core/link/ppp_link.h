/* The PPP link drivers (ppp_link.c): "modem", "direct" (alias "null"), "tcp" and
 * "l2tp" (alias "vpn"). */
#ifndef OPENRAS_PPP_LINK_H
#define OPENRAS_PPP_LINK_H

#include <stddef.h>

#include "link/link.h"

extern const ora_link_ops ora_link_modem, ora_link_direct, ora_link_null, ora_link_tcp,
    ora_link_l2tp, ora_link_vpn;

/* Driver objects of this process not yet destroyed (closing ones included), for
 * tests: an engine destroyed while a link still closes loses that link. */
size_t ora_ppp_link_count(void);

#endif
