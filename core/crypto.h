/* Message digests and the DES block operation that PPP authentication needs
 * (CHAP-MD5, MS-CHAPv2). Implemented by the OS layer over the platform's crypto
 * library (core/os/posix_crypto.c: nettle; core/os/win32_crypto.c: CryptoAPI), so
 * the core carries no hand-written cryptography. All return 0 on success and
 * nonzero when the platform cannot compute the value. */
#ifndef OPENRAS_CRYPTO_H
#define OPENRAS_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

/* One piece of a message hashed as the concatenation of all pieces, so callers
 * need not copy secrets into a temporary buffer. */
typedef struct ora_crypto_part {
  const void *data;
  size_t len;
} ora_crypto_part;

int ora_md4_parts(const ora_crypto_part *parts, size_t count, uint8_t out[16]);
int ora_md5_parts(const ora_crypto_part *parts, size_t count, uint8_t out[16]);
int ora_sha1_parts(const ora_crypto_part *parts, size_t count, uint8_t out[20]);

static inline int ora_md4(const void *data, size_t len, uint8_t out[16]) {
  ora_crypto_part p = {data, len};
  return ora_md4_parts(&p, 1, out);
}
static inline int ora_md5(const void *data, size_t len, uint8_t out[16]) {
  ora_crypto_part p = {data, len};
  return ora_md5_parts(&p, 1, out);
}
static inline int ora_sha1(const void *data, size_t len, uint8_t out[20]) {
  ora_crypto_part p = {data, len};
  return ora_sha1_parts(&p, 1, out);
}

/* Single-block DES (ECB) encryption with a 56-bit key given as the 7 bytes MS-CHAP
 * uses; the expansion to 8 bytes with parity bits is done by the implementation.
 * Weak keys must be accepted (MS-CHAP can produce them). */
int ora_des_encrypt_block(const uint8_t key7[7], const uint8_t in[8], uint8_t out[8]);

/* Expands 56 key bits into the 8-byte DES key form (7 bits per byte, odd parity in
 * the low bit). Shared by both implementations. */
static inline void ora_des_expand_key(const uint8_t k[7], uint8_t out[8]) {
  out[0] = k[0];
  out[1] = (uint8_t)(k[0] << 7 | k[1] >> 1);
  out[2] = (uint8_t)(k[1] << 6 | k[2] >> 2);
  out[3] = (uint8_t)(k[2] << 5 | k[3] >> 3);
  out[4] = (uint8_t)(k[3] << 4 | k[4] >> 4);
  out[5] = (uint8_t)(k[4] << 3 | k[5] >> 5);
  out[6] = (uint8_t)(k[5] << 2 | k[6] >> 6);
  out[7] = (uint8_t)(k[6] << 1);
  for (int i = 0; i < 8; i++) {
    uint8_t b = out[i] & 0xfe, ones = 0;
    for (int j = 1; j < 8; j++)
      ones += (b >> j) & 1;
    out[i] = (uint8_t)(b | ((ones & 1) ? 0 : 1));
  }
}

#endif
