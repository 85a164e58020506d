/* The engine calls of the shape  int ora_engine_NAME(ora_engine *, ora_handle, T *out),
 * each described once, here: its message type, its name, its result type and the
 * codec of that type (proto.h). The request carries the handle; the reply the RAS code
 * and T. From this list come the manager's dispatch (service/manager.c) and the DLL's
 * client side of the manager (dll/remote_engine.c), which the DLL calls as engine.h.
 * The last column says whether that client side is generated whole (GEN) or adds
 * something of its own before the round trip (OWN: ora_engine_status reads the status
 * map first; remote_NAME does the round trip). docs/manager.md says how to add a call;
 * a new result type's codec is declared here, next to its row, and defined in proto.c. */
#ifndef OPENRAS_PROTO_CALLS_H
#define OPENRAS_PROTO_CALLS_H

#include "openras/proto.h"

#define ORA_HANDLE_CALLS(X)                                                                        \
  X(ORA_MSG_STATUS, status, ora_status, ora_put_status, ora_get_status, OWN)                       \
  X(ORA_MSG_INFO, info, ora_conn_info, ora_put_info, ora_get_info, GEN)                            \
  X(ORA_MSG_IPPROJ, ip_projection, ora_ip_projection, ora_put_ip, ora_get_ip, GEN)                 \
  X(ORA_MSG_LCPPROJ, lcp_projection, ora_lcp_projection, ora_put_lcp, ora_get_lcp, GEN)

#endif
