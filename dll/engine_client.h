/* The DLL's only door to the engine. Every engine.h call of the DLL goes through
 * these functions, so moving the engine into the connection manager process later
 * changes this file pair and nothing else.
 *
 * The engine (in-process, or the client of the manager process) is created on first
 * use, once per process, also by calls that only name a handle: the manager may know
 * handles this process never saw. A failed creation is ERROR_RASMAN_CANNOT_INITIALIZE
 * (711), or ERROR_INVALID_HANDLE for the calls that name a handle. */
#ifndef OPENRAS_DLL_ENGINE_CLIENT_H
#define OPENRAS_DLL_ENGINE_CLIENT_H

#include <stdint.h>

#include "openras/engine.h"
#include "openras/calls.h"

/* An HRASCONN carries an ora_handle; anything that cannot (NULL, wider than 32 bits)
 * is no handle of ours: 0. Otherwise 1 and *out. */
static inline int orac_handle_of(const void *conn, ora_handle *out) {
  uintptr_t v = (uintptr_t)conn;
  if (v == 0 || v > UINT32_MAX)
    return 0;
  *out = (ora_handle)v;
  return 1;
}

int orac_dial(const ora_dial_request *req, ora_event_fn sink, void *sink_ctx, ora_handle *out);
int orac_resume(ora_handle h, const ora_dial_request *req);
int orac_ack(ora_handle h, uint32_t seq, int keep_going);
int orac_hangup(ora_handle h);
int orac_enum(ora_conn_info *items, size_t cap, size_t *count);
int orac_stats(ora_handle h, int clear, ora_stats *out);
int orac_find(const char *phonebook, const char *entry, ora_handle *out);
int orac_watch(ora_watch_fn fn, void *ctx, uint32_t *id);
/* The calls of openras/calls.h: orac_status, orac_info, orac_ip_projection,
 * orac_lcp_projection... (a handle this process never saw may be the manager's). */
#define ORAC_DECLARE(MSG, name, T, put, get, how) int orac_##name(ora_handle h, T *out);
ORA_HANDLE_CALLS(ORAC_DECLARE)
#undef ORAC_DECLARE

#endif
