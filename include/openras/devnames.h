/* The names and types of the devices OpenRAS offers, in one place: RasEnumDevices
 * (dll/devices.c), what RasGetConnectStatus and RasEnumConnections report for a link
 * whose entry names no device (core/link), and the rasentry tool. A program that takes
 * a device from RasEnumDevices, writes it into an entry and dials it sees the same
 * name and type everywhere. */
#ifndef OPENRAS_DEVNAMES_H
#define OPENRAS_DEVNAMES_H

#define ORA_DEVTYPE_MODEM "modem" /* RASDT_Modem */
#define ORA_DEVTYPE_VPN "vpn"     /* RASDT_Vpn */

#define ORA_DEVNAME_SIM "OpenRAS Simulated Modem" /* ORA_Link=sim, type modem */
#define ORA_DEVNAME_TCP "OpenRAS PPP over TCP"    /* ORA_Link=tcp, type vpn */
#define ORA_DEVNAME_L2TP "WAN Miniport (L2TP)"    /* ORA_Link=l2tp or DEVICE=vpn, type vpn */
/* Serial devices are named "<prefix> (COMn)", both of type modem (Windows shows its
 * null-modem cable driver as a modem). */
#define ORA_DEVNAME_MODEM_PREFIX "Hayes-compatible modem" /* ORA_Link=modem */
#define ORA_DEVNAME_CABLE_PREFIX                                                                   \
  "Communications cable between two computers" /* ORA_Link=direct                                  \
                                                */

#endif
