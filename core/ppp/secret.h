/* The password a PPP session may need again (a CHAP peer can re-challenge at any
 * time, RFC 1994 section 4), kept sealed rather than in the clear: XORed with an
 * MD5 keystream under a random per-session key, in its own heap block. No
 * plaintext copy lingers in the session, a heap dump or swap between uses; this is
 * not a defence against code running inside the manager process, which could
 * unseal it as we do. Users of the plain text wipe their copy right after use. */
#ifndef OPENRAS_PPP_SECRET_H
#define OPENRAS_PPP_SECRET_H

#include <stddef.h>
#include <stdint.h>

typedef struct ora_sealed {
  uint8_t key[16];
  uint8_t *data; /* NULL: nothing sealed (or wiped) */
  size_t len;
} ora_sealed;

/* Seals the NUL-terminated secret; 0, or a RAS error (out of memory, no randomness). */
int ora_seal(ora_sealed *s, const char *secret);
/* Writes the secret, NUL-terminated, into out; 0, or -1 when nothing is sealed or
 * cap is too small. */
int ora_unseal(const ora_sealed *s, char *out, size_t cap);
/* Wipes and frees; the object then holds nothing. */
void ora_sealed_wipe(ora_sealed *s);

#endif
