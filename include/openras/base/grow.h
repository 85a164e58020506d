/* Growing arrays: one rule for every array that grows by doubling. */
#ifndef OPENRAS_BASE_GROW_H
#define OPENRAS_BASE_GROW_H

#include <stddef.h>

/* Makes room for `need` elements of `elem` bytes in p (capacity *cap, `first` when it is
 * still 0). Returns the array, moved or not, and updates *cap; NULL when the memory is
 * not there or the size overflows, and then p and *cap are as they were. */
void *ora_grow(void *p, size_t *cap, size_t need, size_t elem, size_t first);

#endif
