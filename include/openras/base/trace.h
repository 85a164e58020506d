/* Tracing: when the environment variable ORA_TRACE names a file, API calls and state
 * changes are appended to it, one line each. Never pass a password to ora_trace. */
#ifndef OPENRAS_TRACE_H
#define OPENRAS_TRACE_H

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
void ora_trace(const char *fmt, ...);
int ora_trace_enabled(void);

#endif
