/* Serial ports held by this process's streams (both platforms).
 *
 * Windows refuses a second CreateFile of a COM port, but Wine on a pty and POSIX
 * without TIOCEXCL do not, and a link that is hanging up (LCP Terminate, a modem's
 * "+++"/ATH, DTR drop) keeps its port for a few seconds after its connection
 * handle is gone. So streams claim their port here first: a port in use is
 * ERROR_PORT_NOT_AVAILABLE (633) at once, as on Windows, while a port being let go
 * of is waited for, so a program that redials right after RasHangUp gets the line
 * as soon as it is free instead of sharing it with the old connection. */
#ifndef OPENRAS_OS_PORTS_H
#define OPENRAS_OS_PORTS_H

#include <stdint.h>

/* Sleeps up to ms milliseconds; returns nonzero when the wait was cancelled. */
typedef int (*ora_port_wait_fn)(void *arg, uint32_t ms);

/* Claims the port named target (compared case-insensitively). 0 when claimed; 633
 * when another stream holds it and is not letting go, or is still letting go after
 * max_wait_ms, or the wait was cancelled; 8 when out of memory. */
uint32_t ora_port_claim(const char *target, uint32_t max_wait_ms, ora_port_wait_fn wait, void *arg);
/* The holder started letting go: claims of the port now wait for it. */
void ora_port_releasing(const char *target);
/* The holder closed the port: the next claim succeeds. */
void ora_port_release(const char *target);
/* How many ports are claimed (tests). */
unsigned ora_port_count(void);

#endif
