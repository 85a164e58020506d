/* Invariants the code relies on ("called on the loop thread with the lock held"),
 * checked in test and sanitizer builds (ORA_CHECKS, set by the native presets) and
 * compiled out of the shipped DLL. A broken one prints where and aborts. */
#ifndef OPENRAS_BASE_CHECK_H
#define OPENRAS_BASE_CHECK_H

#ifdef ORA_CHECKS
void ora_check_failed(const char *file, int line, const char *what);
#define ORA_ASSERT(cond) ((cond) ? (void)0 : ora_check_failed(__FILE__, __LINE__, #cond))
#else
#define ORA_ASSERT(cond) ((void)0)
#endif

#endif
