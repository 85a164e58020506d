/* String conversions between the Win32 surface (ANSI code page, UTF-16) and the
 * engine (UTF-8). Inputs read from fixed-size fields are bounded by the field size, so
 * an unterminated field is never read past its end. Outputs are always NUL-terminated
 * and truncated to the destination (never in the middle of a character). Every
 * intermediate buffer is wiped, so passwords may go through these functions. */
#ifndef OPENRAS_DLL_STRCONV_H
#define OPENRAS_DLL_STRCONV_H

#include <windows.h>

#include <stddef.h>

/* A field of at most `units` characters (NUL-terminated or not) to UTF-8 in out[cap].
 * Returns 1 when the whole string fit, 0 when it was truncated. */
int ora_a_to_utf8(const char *src, size_t units, char *out, size_t cap);
int ora_w_to_utf8(const WCHAR *src, size_t units, char *out, size_t cap);

/* UTF-8 (NUL-terminated) to a field of `units` characters, terminator included. */
void ora_utf8_to_a(const char *src, char *out, size_t units);
void ora_utf8_to_w(const char *src, WCHAR *out, size_t units);

#endif
