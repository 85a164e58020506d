/* The alternate phone numbers that follow a RASENTRY or a RASSUBENTRY in the
 * caller's buffer: strings one after the other, ended by an empty one, starting
 * dwAlternateOffset bytes from the structure (0: none). Narrow strings are in the
 * ANSI code page, wide ones UTF-16; OpenRAS keeps them in UTF-8. */
#ifndef OPENRAS_DLL_ALTERNATES_H
#define OPENRAS_DLL_ALTERNATES_H

#include <windows.h>

#include <stddef.h>

#include "openras/engine.h"

#define ORA_MAX_ALTERNATES 32

typedef struct ora_alternates {
  size_t n;
  char num[ORA_MAX_ALTERNATES][ORA_PHONE_BYTES];
} ora_alternates;

/* Reads the list at offset off of a caller's buffer of bufsize bytes holding a
 * structure of size bytes (off 0: no list). Never reads past bufsize; empty strings
 * end the list, more than ORA_MAX_ALTERNATES are dropped. 0, or
 * ERROR_INVALID_PARAMETER for an offset inside the structure, past the buffer or
 * not aligned to a character. */
DWORD ora_alternates_read(int wide, const BYTE *buf, DWORD size, DWORD bufsize, DWORD off,
                          ora_alternates *out);
/* Whether two lists hold the same numbers in the same order. */
int ora_alternates_equal(const ora_alternates *a, const ora_alternates *b);
/* Bytes the list takes: each string, its NUL, the final NUL; 0 without alternates. */
DWORD ora_alternates_bytes(int wide, const ora_alternates *a);
/* Writes the list at p (room checked with ora_alternates_bytes). */
void ora_alternates_write(int wide, const ora_alternates *a, BYTE *p);

#endif
