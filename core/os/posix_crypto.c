/* core/crypto.h over nettle. */
#include <string.h>

#include <nettle/des.h>
#include <nettle/md4.h>
#include <nettle/md5.h>
#include <nettle/sha1.h>

#include "crypto.h"

int ora_md4_parts(const ora_crypto_part *parts, size_t count, uint8_t out[16]) {
  struct md4_ctx c;
  md4_init(&c);
  for (size_t i = 0; i < count; i++)
    md4_update(&c, parts[i].len, parts[i].data);
  md4_digest(&c, MD4_DIGEST_SIZE, out);
  return 0;
}

int ora_md5_parts(const ora_crypto_part *parts, size_t count, uint8_t out[16]) {
  struct md5_ctx c;
  md5_init(&c);
  for (size_t i = 0; i < count; i++)
    md5_update(&c, parts[i].len, parts[i].data);
  md5_digest(&c, MD5_DIGEST_SIZE, out);
  return 0;
}

int ora_sha1_parts(const ora_crypto_part *parts, size_t count, uint8_t out[20]) {
  struct sha1_ctx c;
  sha1_init(&c);
  for (size_t i = 0; i < count; i++)
    sha1_update(&c, parts[i].len, parts[i].data);
  sha1_digest(&c, SHA1_DIGEST_SIZE, out);
  return 0;
}

int ora_des_encrypt_block(const uint8_t key7[7], const uint8_t in[8], uint8_t out[8]) {
  uint8_t key[8];
  struct des_ctx c;
  ora_des_expand_key(key7, key);
  /* des_set_key reports weak keys but schedules them all the same; MS-CHAP has
   * no choice of key, so the result is ignored on purpose. */
  (void)des_set_key(&c, key);
  des_encrypt(&c, DES_BLOCK_SIZE, out, in);
  /* The key is derived from the password hash: do not leave it on the stack. */
  volatile uint8_t *vk = key, *vc = (volatile uint8_t *)&c;
  for (size_t i = 0; i < sizeof key; i++)
    vk[i] = 0;
  for (size_t i = 0; i < sizeof c; i++)
    vc[i] = 0;
  return 0;
}
