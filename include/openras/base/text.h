/* Small string helpers the core's modules share. */
#ifndef OPENRAS_ENGINE_TEXT_H
#define OPENRAS_ENGINE_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Equal ignoring ASCII case (phone-book keys, entry names, COM ports: Windows
 * compares them so; no locale is involved). */
int ora_ieq(const char *a, const char *b);

/* Copies src (NULL: "") into dst of cap bytes, cut if needed, always terminated. */
void ora_copy_str(char *dst, size_t cap, const char *src);

/* Dotted-quad IPv4 text <-> an address in host order (10.0.2.15 = 0x0a00020f), the
 * form every OpenRAS interface carries. Parse: 0, or -1 for anything but four
 * decimal numbers up to 255 separated by dots. Format: at least ORA_IPSTR_BYTES. */
int ora_ipv4_parse(const char *s, uint32_t *out);
void ora_ipv4_format(uint32_t a, char *out, size_t cap);

#endif
