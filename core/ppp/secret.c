/* Sealed secrets (secret.h). */
#include "ppp/secret.h"

#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "openras/rasdefs.h"
#include "openras/os.h"
#include "ppp/ppp_util.h"

/* XORs len bytes with MD5(key || block number) blocks: the same call seals and unseals. */
static int mix(const uint8_t key[16], const uint8_t *in, uint8_t *out, size_t len) {
  for (size_t off = 0; off < len; off += 16) {
    uint8_t n[4] = {(uint8_t)(off >> 4), (uint8_t)(off >> 12), (uint8_t)(off >> 20),
                    (uint8_t)(off >> 28)};
    ora_crypto_part parts[2] = {{key, 16}, {n, sizeof n}};
    uint8_t ks[16];
    if (ora_md5_parts(parts, 2, ks))
      return -1;
    for (size_t i = 0; i < 16 && off + i < len; i++)
      out[off + i] = in[off + i] ^ ks[i];
    ora_ppp_wipe(ks, sizeof ks);
  }
  return 0;
}

int ora_seal(ora_sealed *s, const char *secret) {
  memset(s, 0, sizeof *s);
  size_t len = strlen(secret);
  uint8_t *d = malloc(len + 1);
  if (!d)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  if (ora_random(s->key, sizeof s->key) || mix(s->key, (const uint8_t *)secret, d, len)) {
    free(d);
    ora_ppp_wipe(s->key, sizeof s->key);
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  }
  s->data = d;
  s->len = len;
  return 0;
}

int ora_unseal(const ora_sealed *s, char *out, size_t cap) {
  if (!s->data || cap <= s->len)
    return -1;
  if (mix(s->key, s->data, (uint8_t *)out, s->len)) {
    ora_ppp_wipe(out, cap);
    return -1;
  }
  out[s->len] = '\0';
  return 0;
}

void ora_sealed_wipe(ora_sealed *s) {
  if (s->data) {
    ora_ppp_wipe(s->data, s->len);
    free(s->data);
  }
  ora_ppp_wipe(s, sizeof *s);
}
