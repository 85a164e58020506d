/* Small string helpers the core's modules share. */
#ifndef OPENRAS_ENGINE_TEXT_H
#define OPENRAS_ENGINE_TEXT_H

#include <stddef.h>

/* Equal ignoring ASCII case (phone-book keys, entry names, COM ports: Windows
 * compares them so; no locale is involved). */
int ora_ieq(const char *a, const char *b);

/* Copies src (NULL: "") into dst of cap bytes, cut if needed, always terminated. */
void ora_copy_str(char *dst, size_t cap, const char *src);

#endif
