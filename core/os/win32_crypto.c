/* core/crypto.h over CryptoAPI. The Enhanced provider has MD4, MD5, SHA-1 and DES
 * both on Windows and in Wine's rsaenh (hashes through bcrypt, DES its own), which
 * BCrypt alone does not offer for single DES under Wine. One verify-only context
 * serves the whole process (a provider handle may be used from any thread; each call
 * makes its own hash or key object): acquiring one per call cost about 5 ms under
 * Wine, where it reads the registry, and a PAP password unsealed for a dial took that
 * much of the PPP negotiation. */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <wincrypt.h>

#include <string.h>

#include "crypto.h"

static INIT_ONCE g_once = INIT_ONCE_STATIC_INIT;
static HCRYPTPROV g_prov;

static BOOL CALLBACK acquire_once(INIT_ONCE *once, void *param, void **ctx) {
  (void)once, (void)param, (void)ctx;
  if (CryptAcquireContextW(&g_prov, NULL, MS_ENHANCED_PROV_W, PROV_RSA_FULL, CRYPT_VERIFYCONTEXT))
    return TRUE;
  return CryptAcquireContextW(&g_prov, NULL, NULL, PROV_RSA_FULL, CRYPT_VERIFYCONTEXT);
}

/* The process's context; never released (the process's end does). */
static int acquire(HCRYPTPROV *prov) {
  if (!InitOnceExecuteOnce(&g_once, acquire_once, NULL, NULL))
    return -1;
  *prov = g_prov;
  return 0;
}

static int hash_parts(ALG_ID alg, const ora_crypto_part *parts, size_t count, uint8_t *out,
                      DWORD outlen) {
  HCRYPTPROV prov;
  HCRYPTHASH h = 0;
  int rc = -1;
  if (acquire(&prov))
    return -1;
  if (CryptCreateHash(prov, alg, 0, 0, &h)) {
    size_t i;
    for (i = 0; i < count; i++) {
      const BYTE *p = parts[i].data;
      size_t left = parts[i].len;
      while (left) { /* CryptHashData takes a DWORD length */
        DWORD n = left > 0x40000000u ? 0x40000000u : (DWORD)left;
        if (!CryptHashData(h, p, n, 0))
          goto done;
        p += n;
        left -= n;
      }
    }
    DWORD len = outlen;
    if (CryptGetHashParam(h, HP_HASHVAL, out, &len, 0) && len == outlen)
      rc = 0;
  }
done:
  if (h)
    CryptDestroyHash(h);
  return rc;
}

int ora_md4_parts(const ora_crypto_part *parts, size_t count, uint8_t out[16]) {
  return hash_parts(CALG_MD4, parts, count, out, 16);
}

int ora_md5_parts(const ora_crypto_part *parts, size_t count, uint8_t out[16]) {
  return hash_parts(CALG_MD5, parts, count, out, 16);
}

int ora_sha1_parts(const ora_crypto_part *parts, size_t count, uint8_t out[20]) {
  return hash_parts(CALG_SHA1, parts, count, out, 20);
}

int ora_des_encrypt_block(const uint8_t key7[7], const uint8_t in[8], uint8_t out[8]) {
  struct {
    BLOBHEADER hdr;
    DWORD len;
    BYTE key[8];
  } blob;
  HCRYPTPROV prov;
  HCRYPTKEY key = 0;
  DWORD mode = CRYPT_MODE_ECB, len = 8;
  BYTE buf[8];
  int rc = -1;

  if (acquire(&prov))
    return -1;
  memset(&blob, 0, sizeof blob);
  blob.hdr.bType = PLAINTEXTKEYBLOB;
  blob.hdr.bVersion = CUR_BLOB_VERSION;
  blob.hdr.aiKeyAlg = CALG_DES;
  blob.len = 8;
  ora_des_expand_key(key7, blob.key);
  memcpy(buf, in, 8);
  /* Final = FALSE: one whole block, so no padding block is added. */
  if (CryptImportKey(prov, (const BYTE *)&blob, sizeof blob, 0, 0, &key) &&
      CryptSetKeyParam(key, KP_MODE, (const BYTE *)&mode, 0) &&
      CryptEncrypt(key, 0, FALSE, 0, buf, &len, sizeof buf) && len == 8) {
    memcpy(out, buf, 8);
    rc = 0;
  }
  if (key)
    CryptDestroyKey(key);
  SecureZeroMemory(&blob, sizeof blob);
  SecureZeroMemory(buf, sizeof buf);
  return rc;
}
