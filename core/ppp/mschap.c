/* RFC 2759 section 8 computations over core/crypto.h. */
#include "ppp/mschap.h"

#include <string.h>

#include "crypto.h"
#include "ppp/ppp_util.h"

/* UTF-8 to UTF-16LE; returns the byte length or -1 (invalid or too long). */
static int utf8_to_utf16le(const char *s, uint8_t *out, size_t cap_units) {
  const uint8_t *p = (const uint8_t *)s;
  size_t n = 0;
  while (*p) {
    uint32_t c;
    int more;
    if (p[0] < 0x80) {
      c = p[0];
      more = 0;
    } else if ((p[0] & 0xe0) == 0xc0) {
      c = p[0] & 0x1f;
      more = 1;
    } else if ((p[0] & 0xf0) == 0xe0) {
      c = p[0] & 0x0f;
      more = 2;
    } else if ((p[0] & 0xf8) == 0xf0) {
      c = p[0] & 0x07;
      more = 3;
    } else {
      return -1;
    }
    p++;
    for (int i = 0; i < more; i++, p++) {
      if ((*p & 0xc0) != 0x80)
        return -1;
      c = c << 6 | (*p & 0x3f);
    }
    if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
      return -1;
    if (c >= 0x10000) {
      if (n + 2 > cap_units)
        return -1;
      c -= 0x10000;
      uint16_t hi = (uint16_t)(0xd800 | c >> 10), lo = (uint16_t)(0xdc00 | (c & 0x3ff));
      out[2 * n] = (uint8_t)hi;
      out[2 * n + 1] = (uint8_t)(hi >> 8);
      out[2 * n + 2] = (uint8_t)lo;
      out[2 * n + 3] = (uint8_t)(lo >> 8);
      n += 2;
    } else {
      if (n + 1 > cap_units)
        return -1;
      out[2 * n] = (uint8_t)c;
      out[2 * n + 1] = (uint8_t)(c >> 8);
      n++;
    }
  }
  return (int)(2 * n);
}

int ora_mschap_nt_password_hash(const char *password_utf8, uint8_t out[16]) {
  uint8_t u16[2 * ORA_MSCHAP_MAX_PASSWORD];
  int n = utf8_to_utf16le(password_utf8, u16, ORA_MSCHAP_MAX_PASSWORD);
  int rc = n < 0 ? -1 : ora_md4(u16, (size_t)n, out);
  ora_ppp_wipe(u16, sizeof u16);
  return rc;
}

static const char *strip_domain(const char *user) {
  const char *bs = strrchr(user, '\\');
  return bs ? bs + 1 : user;
}

int ora_mschap_challenge_hash(const uint8_t peer_challenge[16], const uint8_t auth_challenge[16],
                              const char *user, uint8_t out[8]) {
  const char *name = strip_domain(user);
  ora_crypto_part parts[3] = {{peer_challenge, 16}, {auth_challenge, 16}, {name, strlen(name)}};
  uint8_t digest[20];
  if (ora_sha1_parts(parts, 3, digest))
    return -1;
  memcpy(out, digest, 8);
  return 0;
}

int ora_mschap_challenge_response(const uint8_t challenge[8], const uint8_t pw_hash[16],
                                  uint8_t out[24]) {
  uint8_t z[21];
  memcpy(z, pw_hash, 16);
  memset(z + 16, 0, 5);
  int rc = ora_des_encrypt_block(z, challenge, out) ||
           ora_des_encrypt_block(z + 7, challenge, out + 8) ||
           ora_des_encrypt_block(z + 14, challenge, out + 16);
  ora_ppp_wipe(z, sizeof z);
  return rc ? -1 : 0;
}

int ora_mschap_nt_response(const uint8_t auth_challenge[16], const uint8_t peer_challenge[16],
                           const char *user, const char *password_utf8, uint8_t out[24]) {
  uint8_t ch[8], hash[16];
  int rc = -1;
  if (!ora_mschap_challenge_hash(peer_challenge, auth_challenge, user, ch) &&
      !ora_mschap_nt_password_hash(password_utf8, hash))
    rc = ora_mschap_challenge_response(ch, hash, out);
  ora_ppp_wipe(hash, sizeof hash);
  return rc;
}

int ora_mschap_authenticator_response(const char *password_utf8, const uint8_t nt_response[24],
                                      const uint8_t peer_challenge[16],
                                      const uint8_t auth_challenge[16], const char *user,
                                      char out[43]) {
  /* The two magic constants of RFC 2759 section 8.7. */
  static const char magic1[] = "Magic server to client signing constant";
  static const char magic2[] = "Pad to make it do more than one iteration";
  static const char hex[] = "0123456789ABCDEF";
  uint8_t hash[16], hashhash[16], digest[20], ch[8];
  int rc = -1;

  if (ora_mschap_nt_password_hash(password_utf8, hash) || ora_md4(hash, 16, hashhash))
    goto out;
  ora_crypto_part p1[3] = {{hashhash, 16}, {nt_response, 24}, {magic1, sizeof magic1 - 1}};
  if (ora_sha1_parts(p1, 3, digest) ||
      ora_mschap_challenge_hash(peer_challenge, auth_challenge, user, ch))
    goto out;
  ora_crypto_part p2[3] = {{digest, 20}, {ch, 8}, {magic2, sizeof magic2 - 1}};
  if (ora_sha1_parts(p2, 3, digest))
    goto out;
  out[0] = 'S';
  out[1] = '=';
  for (int i = 0; i < 20; i++) {
    out[2 + 2 * i] = hex[digest[i] >> 4];
    out[3 + 2 * i] = hex[digest[i] & 15];
  }
  out[42] = 0;
  rc = 0;
out:
  ora_ppp_wipe(hash, sizeof hash);
  ora_ppp_wipe(hashhash, sizeof hashhash);
  return rc;
}

/* RFC 3079 section 3.3's constants. */
static const char magic1[] = "This is the MPPE Master Key";
static const char magic2[] =
    "On the client side, this is the send key; on the server side, it is the receive key.";
static const char magic3[] =
    "On the client side, this is the receive key; on the server side, it is the send key.";

int ora_mschap_mppe_master_key(const char *password_utf8, const uint8_t nt_response[24],
                               uint8_t out[16]) {
  uint8_t hash[16], hash_hash[16], digest[20];
  int rc = ora_mschap_nt_password_hash(password_utf8, hash) || ora_md4(hash, 16, hash_hash);
  if (!rc) {
    ora_crypto_part parts[3] = {{hash_hash, 16}, {nt_response, 24}, {magic1, sizeof magic1 - 1}};
    rc = ora_sha1_parts(parts, 3, digest);
  }
  if (!rc)
    memcpy(out, digest, 16);
  ora_ppp_wipe(hash, sizeof hash);
  ora_ppp_wipe(hash_hash, sizeof hash_hash);
  ora_ppp_wipe(digest, sizeof digest);
  return rc ? -1 : 0;
}

int ora_mschap_mppe_client_key(const uint8_t master[16], int send, uint8_t out[16]) {
  uint8_t pad1[40], pad2[40], digest[20];
  memset(pad1, 0, sizeof pad1);
  memset(pad2, 0xf2, sizeof pad2);
  /* The client sends with magic 2 and receives with magic 3 (the server the reverse). */
  const char *magic = send ? magic2 : magic3;
  ora_crypto_part parts[4] = {{master, 16}, {pad1, 40}, {magic, sizeof magic2 - 1}, {pad2, 40}};
  int rc = ora_sha1_parts(parts, 4, digest);
  if (!rc)
    memcpy(out, digest, 16);
  ora_ppp_wipe(digest, sizeof digest);
  return rc ? -1 : 0;
}
