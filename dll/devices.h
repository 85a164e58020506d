/* The RAS devices OpenRAS offers (RasEnumDevices) and how an entry names them.
 *
 * DECISION (docs/phonebook-api.md): the list is
 *   - "OpenRAS Simulated Modem" (type "modem"): the simulated link (ORA_Link=sim), always
 *     there, so a program that wants at least one device finds one;
 *   - "OpenRAS PPP over TCP" (type "vpn"): PPP over a TCP connection (ORA_Link=tcp);
 *   - "WAN Miniport (L2TP)" (type "vpn", port VPN2-0): an L2TP tunnel without IPsec
 *     (ORA_Link=l2tp; an entry with Windows' DEVICE=vpn and another device dials it too);
 *   - for each serial port the system reports (HKLM\HARDWARE\DEVICEMAP\SERIALCOMM, which
 *     Wine fills from the host's serial devices, else QueryDosDevice), at most 8:
 *     "Hayes-compatible modem (COMn)" (type "modem", ORA_Link=modem) and
 *     "Communications cable between two computers (COMn)" (type "modem", as Windows
 *     shows its null-modem driver; ORA_Link=direct). */
#ifndef OPENRAS_DLL_DEVICES_H
#define OPENRAS_DLL_DEVICES_H

#include <stddef.h>

typedef struct {
  char type[17];
  char name[129];
  char port[16];    /* the MEDIA block's Port= */
  const char *link; /* the ORA_Link driver */
} oradev;

enum { ORADEV_MAX = 3 + 2 * 8 };

/* Fills out[0..ORADEV_MAX) and returns the count. */
size_t oradev_list(oradev *out);

/* The device named name (case-insensitive): 1 and *out, or 0. */
int oradev_find(const char *name, oradev *out);

/* The device an entry with ORA_Link=link and port (may be NULL) dials: 1 and *out, or 0. */
int oradev_for_link(const char *link, const char *port, oradev *out);

#endif
