/* The DLL's only door to the engine. Every engine.h call of the DLL goes through
 * these functions, so moving the engine into the connection manager process later
 * changes this file pair and nothing else.
 *
 * The engine is created on first use, once per process. Calls that name a handle
 * return ERROR_INVALID_HANDLE while no engine exists (no handle can be valid then);
 * a failed creation is ERROR_RASMAN_CANNOT_INITIALIZE (711). */
#ifndef OPENRAS_DLL_ENGINE_CLIENT_H
#define OPENRAS_DLL_ENGINE_CLIENT_H

#include "openras/engine.h"

int orac_dial(const ora_dial_request *req, ora_event_fn sink, void *sink_ctx, ora_handle *out);
int orac_resume(ora_handle h, const ora_dial_request *req);
int orac_ack(ora_handle h, uint32_t seq, int keep_going);
int orac_hangup(ora_handle h);
int orac_status(ora_handle h, ora_status *out);
int orac_enum(ora_conn_info *items, size_t cap, size_t *count);

#endif
