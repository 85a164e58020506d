/* The data plane's wire: what the connection manager and openras-tun (the native
 * helper that owns the TUN device, tunhelper/) exchange over the socket that is the
 * helper's stdin and stdout. Portable C, shared by both sides.
 *
 * A message is a 3-byte header, then its body:
 *   u16 length   body bytes, big-endian (at most ORA_DPW_BODY_MAX)
 *   u8  type     ORA_DPW_*
 * Manager -> helper: one CONFIG first, then PACKETs.
 * Helper -> manager: one READY (or a failure, and the helper exits), then PACKETs.
 * Either side ends the data plane by closing the socket; the helper then removes the
 * TUN, its routes and its DNS settings and exits. */
#ifndef OPENRAS_DPWIRE_H
#define OPENRAS_DPWIRE_H

#include <stddef.h>
#include <stdint.h>

#define ORA_DPW_HEADER 3
#define ORA_DPW_BODY_MAX 2048 /* above any MRU the link negotiates (<= 1500) */

enum {
  ORA_DPW_CONFIG = 1, /* manager -> helper: ora_dpw_config */
  ORA_DPW_READY = 2,  /* helper -> manager: u32 status (0 = up), then the interface name */
  ORA_DPW_PACKET = 3  /* either way: one IPv4 datagram */
};

/* CONFIG body, all big-endian: local, peer, dns1, dns2, exclude (IPv4 as u32, 0 =
 * none), u16 mtu, u16 flags, u32 manager_pid. `exclude` is the address of the server a
 * TCP-carried link runs to: its route must never go over the link itself. manager_pid
 * is the manager's process id in the helper's kernel (0 = unknown): the helper ends when
 * that process does, even while its socket stays open elsewhere (in wineserver). */
#define ORA_DPW_CONFIG_LEN 28
enum { ORA_DPW_DEFAULT_ROUTE = 1 }; /* RASEO_RemoteDefaultGateway */

typedef struct ora_dpw_config {
  uint32_t local, peer, dns1, dns2, exclude;
  uint16_t mtu, flags;
  uint32_t manager_pid;
} ora_dpw_config;

/* READY's status: why the helper could not bring the interface up. */
enum {
  ORA_DPW_OK = 0,
  ORA_DPW_NO_TUN = 1,     /* /dev/net/tun missing or not permitted (no CAP_NET_ADMIN) */
  ORA_DPW_NO_CONFIG = 2,  /* addresses, MTU or routes refused by the kernel */
  ORA_DPW_BAD_CONFIG = 3, /* the CONFIG message was malformed */
  ORA_DPW_NO_DNS = 4      /* DNS could not be applied */
};

static inline void ora_dpw_put16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)(v >> 8);
  p[1] = (uint8_t)v;
}
static inline void ora_dpw_put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}
static inline uint16_t ora_dpw_get16(const uint8_t *p) {
  return (uint16_t)(p[0] << 8 | p[1]);
}
static inline uint32_t ora_dpw_get32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Writes a header for a body of n bytes. */
static inline void ora_dpw_header(uint8_t *h, uint8_t type, size_t n) {
  ora_dpw_put16(h, (uint16_t)n);
  h[2] = type;
}

static inline void ora_dpw_config_encode(uint8_t *b, const ora_dpw_config *c) {
  ora_dpw_put32(b, c->local);
  ora_dpw_put32(b + 4, c->peer);
  ora_dpw_put32(b + 8, c->dns1);
  ora_dpw_put32(b + 12, c->dns2);
  ora_dpw_put32(b + 16, c->exclude);
  ora_dpw_put16(b + 20, c->mtu);
  ora_dpw_put16(b + 22, c->flags);
  ora_dpw_put32(b + 24, c->manager_pid);
}

/* 0 when the body is a usable configuration. */
static inline int ora_dpw_config_decode(const uint8_t *b, size_t n, ora_dpw_config *c) {
  if (n != ORA_DPW_CONFIG_LEN)
    return -1;
  c->local = ora_dpw_get32(b);
  c->peer = ora_dpw_get32(b + 4);
  c->dns1 = ora_dpw_get32(b + 8);
  c->dns2 = ora_dpw_get32(b + 12);
  c->exclude = ora_dpw_get32(b + 16);
  c->mtu = ora_dpw_get16(b + 20);
  c->flags = ora_dpw_get16(b + 22);
  c->manager_pid = ora_dpw_get32(b + 24);
  if (!c->local || c->mtu < 68 || c->mtu > 1500 || (c->flags & ~ORA_DPW_DEFAULT_ROUTE))
    return -1;
  return 0;
}

/* The next whole message at the start of buf: its length (header included; *type and
 * *body, *n describe it), 0 when more bytes are needed, -1 when the stream is broken
 * (a body longer than ORA_DPW_BODY_MAX, or an unknown type): the peer is not trusted
 * with more. Both sides split their input with it. */
static inline long ora_dpw_next(const uint8_t *buf, size_t len, uint8_t *type, const uint8_t **body,
                                size_t *n) {
  if (len < ORA_DPW_HEADER)
    return 0;
  size_t bn = ora_dpw_get16(buf);
  if (bn > ORA_DPW_BODY_MAX || buf[2] < ORA_DPW_CONFIG || buf[2] > ORA_DPW_PACKET)
    return -1;
  if (len < ORA_DPW_HEADER + bn)
    return 0;
  *type = buf[2];
  *body = buf + ORA_DPW_HEADER;
  *n = bn;
  return (long)(ORA_DPW_HEADER + bn);
}

/* The Internet checksum (RFC 1071) of p[0..n): the ones' complement of the
 * ones'-complement sum of its 16-bit words, an odd last byte padded with zero. A block
 * that holds its own correct checksum gives 0. */
static inline uint16_t ora_inet_checksum(const uint8_t *p, size_t n) {
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < n; i += 2)
    sum += (uint32_t)(p[i] << 8 | p[i + 1]);
  if (n & 1)
    sum += (uint32_t)p[n - 1] << 8;
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return (uint16_t)~sum;
}

/* An IPv4 datagram worth carrying: version 4, a header of 20..60 bytes that fits,
 * a total length equal to what was received, and a correct header checksum. 0 when
 * it is; anything else is dropped and counted by the caller. */
static inline int ora_ipv4_check(const uint8_t *p, size_t n) {
  if (n < 20 || (p[0] >> 4) != 4)
    return -1;
  size_t ihl = (size_t)(p[0] & 0x0f) * 4;
  if (ihl < 20 || ihl > n || ora_dpw_get16(p + 2) != n)
    return -1;
  return ora_inet_checksum(p, ihl) == 0 ? 0 : -1;
}

#endif
