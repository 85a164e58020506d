/* The DLL's door to the engine: one engine per process, created on first use (also by
 * calls that only name a handle: the manager may know handles this process never saw),
 * and the HRASCONN <-> handle conversion. The DLL calls engine.h directly on
 * orac_engine(); whether that is the manager's client or the engine itself is decided
 * by which file is linked (dll/CMakeLists.txt). */
#ifndef OPENRAS_DLL_ENGINE_CLIENT_H
#define OPENRAS_DLL_ENGINE_CLIENT_H

#include <stdint.h>

#include "openras/engine.h"

/* An HRASCONN carries an ora_handle; anything that cannot (NULL, wider than 32 bits)
 * is no handle of ours: 0. Otherwise 1 and *out. */
static inline int orac_handle_of(const void *conn, ora_handle *out) {
  uintptr_t v = (uintptr_t)conn;
  if (v == 0 || v > UINT32_MAX)
    return 0;
  *out = (ora_handle)v;
  return 1;
}

/* And back: the HRASCONN (a HANDLE) a program is given for a handle. */
static inline void *orac_hconn(ora_handle h) {
  return (void *)(uintptr_t)h;
}

/* The process's engine: the manager's client (remote_engine.c), or the engine itself
 * in an ORA_INPROC_ENGINE build. NULL when it could not be created; every engine.h
 * call accepts that and answers as engine.h says. */
ora_engine *orac_engine(void);

#endif
