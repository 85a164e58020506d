/* Every request the DLL sends the manager, described once, here. From these rows come
 * the manager's decoding, encoding and dispatch (service/manager.c), the DLL's client
 * stubs (dll/remote_engine.c) and the protocol fuzzer's reader (tests/fuzz/fuzz_proto.c).
 * docs/manager.md says how to add a call.
 *
 * A reply is the request's type with ORA_MSG_REPLY set, a u32 RAS code, then the reply
 * body. A body's codec is ora_put_STEM / ora_get_STEM (proto.h). The one request without
 * a reply, ORA_MSG_ACK, is not here: the notifier's thread writes it without waiting. */
#ifndef OPENRAS_PROTO_CALLS_H
#define OPENRAS_PROTO_CALLS_H

#include "openras/proto.h"

/* Engine calls of the shape  int ora_engine_NAME(ora_engine *, ora_handle, T *out): the
 * request is the handle (ora_body_handle), the reply T. The manager serves them by calling
 * the engine; the DLL's ora_engine_NAME is generated whole (GEN) or adds something of its
 * own before the round trip (OWN: ora_engine_status reads the status map first).
 *   X(message type, NAME, T, codec stem of T, GEN or OWN) */
#define ORA_HANDLE_CALLS(X)                                                                        \
  X(ORA_MSG_STATUS, status, ora_status, status, OWN)                                               \
  X(ORA_MSG_INFO, info, ora_conn_info, info, GEN)                                                  \
  X(ORA_MSG_IPPROJ, ip_projection, ora_ip_projection, ip, GEN)                                     \
  X(ORA_MSG_LCPPROJ, lcp_projection, ora_lcp_projection, lcp, GEN)

/* The other requests. The manager answers each with its serve_NAME, the DLL asks with the
 * generated remote_NAME(const request *, reply *).
 *   X(message type, NAME, request type, its codec stem, reply type, its codec stem) */
#define ORA_REQUESTS(X)                                                                            \
  X(ORA_MSG_DIAL, dial, ora_req_dial, req_dial, ora_body_handle, body_handle)                      \
  X(ORA_MSG_RESUME, resume, ora_req_resume, req_resume, ora_body_none, body_none)                  \
  X(ORA_MSG_HANGUP, hangup, ora_body_handle, body_handle, ora_body_none, body_none)                \
  X(ORA_MSG_ENUM, enum, ora_req_enum, req_enum, ora_rep_enum, rep_enum)                            \
  X(ORA_MSG_WATCH, watch, ora_body_none, body_none, ora_body_none, body_none)                      \
  X(ORA_MSG_STATS, stats, ora_req_stats, req_stats, ora_stats, stats)                              \
  X(ORA_MSG_FIND, find, ora_req_find, req_find, ora_body_handle, body_handle)                      \
  X(ORA_MSG_DIAG, diag, ora_body_none, body_none, ora_diag, diag)

#endif
