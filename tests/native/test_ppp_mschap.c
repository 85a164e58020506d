/* The crypto interface on known answers, and the RFC 2759 section 9.2 example. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "crypto.h"
#include "ppp/mschap.h"

static const uint8_t auth_challenge[16] = {0x5B, 0x5D, 0x7C, 0x7D, 0x7B, 0x3F, 0x2F, 0x3E,
                                           0x3C, 0x2C, 0x60, 0x21, 0x32, 0x26, 0x26, 0x28};
static const uint8_t peer_challenge[16] = {0x21, 0x40, 0x23, 0x24, 0x25, 0x5E, 0x26, 0x2A,
                                           0x28, 0x29, 0x5F, 0x2B, 0x3A, 0x33, 0x7C, 0x7E};

static void test_digests(void **state) {
  (void)state;
  uint8_t out[20];
  /* RFC 1320 / RFC 1321 / FIPS 180 test values for "abc". */
  const uint8_t md4[16] = {0xa4, 0x48, 0x01, 0x7a, 0xaf, 0x21, 0xd8, 0x52,
                           0x5f, 0xc1, 0x0a, 0xe8, 0x7a, 0xa6, 0x72, 0x9d};
  const uint8_t md5[16] = {0x90, 0x01, 0x50, 0x98, 0x3c, 0xd2, 0x4f, 0xb0,
                           0xd6, 0x96, 0x3f, 0x7d, 0x28, 0xe1, 0x7f, 0x72};
  const uint8_t sha1[20] = {0xa9, 0x99, 0x3e, 0x36, 0x47, 0x06, 0x81, 0x6a, 0xba, 0x3e,
                            0x25, 0x71, 0x78, 0x50, 0xc2, 0x6c, 0x9c, 0xd0, 0xd8, 0x9d};
  assert_int_equal(ora_md4("abc", 3, out), 0);
  assert_memory_equal(out, md4, 16);
  assert_int_equal(ora_md5("abc", 3, out), 0);
  assert_memory_equal(out, md5, 16);
  assert_int_equal(ora_sha1("abc", 3, out), 0);
  assert_memory_equal(out, sha1, 20);
  /* split into parts gives the same digest */
  ora_crypto_part parts[3] = {{"a", 1}, {"", 0}, {"bc", 2}};
  assert_int_equal(ora_md5_parts(parts, 3, out), 0);
  assert_memory_equal(out, md5, 16);
}

static void test_des(void **state) {
  (void)state;
  /* Classic example: key 133457799BBCDFF1, plaintext 0123456789ABCDEF ->
   * 85E813540F0AB405. The 7-byte form of that key is its 56 key bits. */
  const uint8_t key8[8] = {0x13, 0x34, 0x57, 0x79, 0x9B, 0xBC, 0xDF, 0xF1};
  uint8_t key7[7] = {0};
  int bit = 0;
  for (int i = 0; i < 8; i++)
    for (int j = 7; j >= 1; j--, bit++)
      if (key8[i] >> j & 1)
        key7[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
  const uint8_t in[8] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF};
  const uint8_t want[8] = {0x85, 0xE8, 0x13, 0x54, 0x0F, 0x0A, 0xB4, 0x05};
  uint8_t out[8];
  assert_int_equal(ora_des_encrypt_block(key7, in, out), 0);
  assert_memory_equal(out, want, 8);
  /* A weak key (all zero bits) is accepted: DES(0101..01, 0) = 8CA64DE9C1B123A7. */
  const uint8_t zero7[7] = {0}, zero8[8] = {0};
  const uint8_t weak[8] = {0x8C, 0xA6, 0x4D, 0xE9, 0xC1, 0xB1, 0x23, 0xA7};
  assert_int_equal(ora_des_encrypt_block(zero7, zero8, out), 0);
  assert_memory_equal(out, weak, 8);
}

static void test_rfc2759_vectors(void **state) {
  (void)state;
  const uint8_t nt_hash[16] = {0x44, 0xEB, 0xBA, 0x8D, 0x53, 0x12, 0xB8, 0xD6,
                               0x11, 0x47, 0x44, 0x11, 0xF5, 0x69, 0x89, 0xAE};
  const uint8_t challenge[8] = {0xD0, 0x2E, 0x43, 0x86, 0xBC, 0xE9, 0x12, 0x26};
  const uint8_t nt_resp[24] = {0x82, 0x30, 0x9E, 0xCD, 0x8D, 0x70, 0x8B, 0x5E,
                               0xA0, 0x8F, 0xAA, 0x39, 0x81, 0xCD, 0x83, 0x54,
                               0x42, 0x33, 0x11, 0x4A, 0x3D, 0x85, 0xD6, 0xDF};
  const uint8_t hash_hash[16] = {0x41, 0xC0, 0x0C, 0x58, 0x4B, 0xD2, 0xD9, 0x1C,
                                 0x40, 0x17, 0xA2, 0xA1, 0x2F, 0xA5, 0x9F, 0x3F};
  uint8_t out[24];
  char sresp[43];

  assert_int_equal(ora_mschap_nt_password_hash("clientPass", out), 0);
  assert_memory_equal(out, nt_hash, 16);
  assert_int_equal(ora_md4(nt_hash, 16, out), 0);
  assert_memory_equal(out, hash_hash, 16);

  assert_int_equal(ora_mschap_challenge_hash(peer_challenge, auth_challenge, "User", out), 0);
  assert_memory_equal(out, challenge, 8);
  /* A domain prefix is not part of the hashed user name. */
  assert_int_equal(ora_mschap_challenge_hash(peer_challenge, auth_challenge, "DOM\\User", out), 0);
  assert_memory_equal(out, challenge, 8);

  assert_int_equal(ora_mschap_challenge_response(challenge, nt_hash, out), 0);
  assert_memory_equal(out, nt_resp, 24);
  assert_int_equal(
      ora_mschap_nt_response(auth_challenge, peer_challenge, "User", "clientPass", out), 0);
  assert_memory_equal(out, nt_resp, 24);

  assert_int_equal(ora_mschap_authenticator_response("clientPass", nt_resp, peer_challenge,
                                                     auth_challenge, "User", sresp),
                   0);
  assert_string_equal(sresp, "S=407A5589115FD0D6209F510FE9C04566932CDA56");
}

/* RFC 3079 section 3.5.3's sample (the same user, password and NT-Response): the
 * master key, and the server's send key, which is the client's receive key. The
 * client's send key (the other magic string) was computed with Python's hashlib from
 * the RFC's formula. */
static void test_rfc3079_mppe_keys(void **state) {
  (void)state;
  const uint8_t nt_resp[24] = {0x82, 0x30, 0x9E, 0xCD, 0x8D, 0x70, 0x8B, 0x5E,
                               0xA0, 0x8F, 0xAA, 0x39, 0x81, 0xCD, 0x83, 0x54,
                               0x42, 0x33, 0x11, 0x4A, 0x3D, 0x85, 0xD6, 0xDF};
  const uint8_t master[16] = {0xFD, 0xEC, 0xE3, 0x71, 0x7A, 0x8C, 0x83, 0x8C,
                              0xB3, 0x88, 0xE5, 0x27, 0xAE, 0x3C, 0xDD, 0x31};
  const uint8_t recv[16] = {0x8B, 0x7C, 0xDC, 0x14, 0x9B, 0x99, 0x3A, 0x1B,
                            0xA1, 0x18, 0xCB, 0x15, 0x3F, 0x56, 0xDC, 0xCB};
  const uint8_t send[16] = {0xd5, 0xf0, 0xe9, 0x52, 0x1e, 0x3e, 0xa9, 0x58,
                            0x96, 0x45, 0xe8, 0x60, 0x51, 0xc8, 0x22, 0x26};
  uint8_t out[16];
  assert_int_equal(ora_mschap_mppe_master_key("clientPass", nt_resp, out), 0);
  assert_memory_equal(out, master, 16);
  assert_int_equal(ora_mschap_mppe_client_key(master, 0, out), 0);
  assert_memory_equal(out, recv, 16);
  assert_int_equal(ora_mschap_mppe_client_key(master, 1, out), 0);
  assert_memory_equal(out, send, 16);
}

static void test_password_encoding(void **state) {
  (void)state;
  uint8_t a[16], b[16];
  /* UTF-8 is converted to UTF-16LE before hashing: U+00E9 is E9 00. */
  const uint8_t u16[] = {'p', 0, 0xe9, 0};
  assert_int_equal(ora_mschap_nt_password_hash("p\xc3\xa9", a), 0);
  assert_int_equal(ora_md4(u16, sizeof u16, b), 0);
  assert_memory_equal(a, b, 16);
  /* A character outside the BMP becomes a surrogate pair. */
  const uint8_t pair[] = {0x3d, 0xd8, 0x00, 0xde};
  assert_int_equal(ora_mschap_nt_password_hash("\xf0\x9f\x98\x80", a), 0);
  assert_int_equal(ora_md4(pair, sizeof pair, b), 0);
  assert_memory_equal(a, b, 16);
  /* Invalid UTF-8 and over-long passwords are refused. */
  assert_int_equal(ora_mschap_nt_password_hash("\xff", a), -1);
  assert_int_equal(ora_mschap_nt_password_hash("\xc3", a), -1);
  char longpw[300];
  memset(longpw, 'x', sizeof longpw - 1);
  longpw[sizeof longpw - 1] = 0;
  assert_int_equal(ora_mschap_nt_password_hash(longpw, a), -1);
  longpw[256] = 0;
  assert_int_equal(ora_mschap_nt_password_hash(longpw, a), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_digests),           cmocka_unit_test(test_des),
      cmocka_unit_test(test_rfc2759_vectors),   cmocka_unit_test(test_rfc3079_mppe_keys),
      cmocka_unit_test(test_password_encoding),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
