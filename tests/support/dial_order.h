/* The states a dial without callback or paused states goes through to Connected, in
 * order, each once: the simulated link and the PPP link report the same ones (RAS's
 * documented order). For the native tests that check a dial's notifications. */
#ifndef OPENRAS_TESTS_DIAL_ORDER_H
#define OPENRAS_TESTS_DIAL_ORDER_H

#include <stddef.h>
#include <stdint.h>

#include "openras/rasdefs.h"

static const uint32_t ora_dial_order[] = {ORA_CS_OpenPort,
                                          ORA_CS_PortOpened,
                                          ORA_CS_ConnectDevice,
                                          ORA_CS_DeviceConnected,
                                          ORA_CS_AllDevicesConnected,
                                          ORA_CS_Authenticate,
                                          ORA_CS_AuthNotify,
                                          ORA_CS_AuthProject,
                                          ORA_CS_Authenticated,
                                          ORA_CS_Projected,
                                          ORA_CS_Connected};
#define ORA_DIAL_ORDER_N (sizeof ora_dial_order / sizeof ora_dial_order[0])

#endif
