/* Wiping secrets (passwords, keys, buffers that held them). */
#ifndef OPENRAS_BASE_WIPE_H
#define OPENRAS_BASE_WIPE_H

#include <stddef.h>

/* Overwrites n bytes at p with zeros in a way the compiler cannot drop as a dead store. */
void ora_wipe(void *p, size_t n);

#endif
