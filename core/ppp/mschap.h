/* RFC 2759 (MS-CHAPv2) computations. Inputs and outputs are raw bytes; the
 * password is UTF-8 and converted to the UTF-16LE form the RFC hashes. Every
 * intermediate copy of the password or its hashes is wiped before returning.
 * All functions return 0, or -1 (bad input or crypto failure). */
#ifndef OPENRAS_PPP_MSCHAP_H
#define OPENRAS_PPP_MSCHAP_H

#include <stddef.h>
#include <stdint.h>

#define ORA_MSCHAP_MAX_PASSWORD 256 /* UTF-16 units, RFC 2759 section 8 */

int ora_mschap_nt_password_hash(const char *password_utf8, uint8_t out[16]);
/* UserName as sent, any "DOMAIN\" prefix is dropped as section 8.2 says. */
int ora_mschap_challenge_hash(const uint8_t peer_challenge[16], const uint8_t auth_challenge[16],
                              const char *user, uint8_t out[8]);
int ora_mschap_challenge_response(const uint8_t challenge[8], const uint8_t pw_hash[16],
                                  uint8_t out[24]);
int ora_mschap_nt_response(const uint8_t auth_challenge[16], const uint8_t peer_challenge[16],
                           const char *user, const char *password_utf8, uint8_t out[24]);
/* The 42-character "S=<40 hex digits>" string, NUL-terminated. */
int ora_mschap_authenticator_response(const char *password_utf8, const uint8_t nt_response[24],
                                      const uint8_t peer_challenge[16],
                                      const uint8_t auth_challenge[16], const char *user,
                                      char out[43]);

/* RFC 3079 section 3.3: the MPPE master key from the password and our NT-Response. */
int ora_mschap_mppe_master_key(const char *password_utf8, const uint8_t nt_response[24],
                               uint8_t out[16]);
/* RFC 3079 section 3.3 GetAsymmetricStartKey for the client (the peer): its send key
 * (send = 1) or receive key (0), 16 bytes (the 128-bit session key; a 40- or 56-bit
 * key is its first bytes with the rest fixed by section 3.4, left to the encryption). */
int ora_mschap_mppe_client_key(const uint8_t master[16], int send, uint8_t out[16]);

#endif
