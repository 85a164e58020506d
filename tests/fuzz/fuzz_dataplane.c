/* The data plane's wire (openras/dpwire.h) as both ends read it: any byte stream from
 * the helper or the manager, split into messages, each decoded as the receiving side
 * does (CONFIG, READY, PACKET with the IPv4 check). Must never read out of bounds,
 * loop, or accept a message the rules reject. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "openras/dpwire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  size_t off = 0;
  while (off < size) {
    uint8_t type;
    const uint8_t *body;
    size_t n;
    long used = ora_dpw_next(data + off, size - off, &type, &body, &n);
    if (used <= 0)
      break;
    if ((size_t)used != ORA_DPW_HEADER + n || n > ORA_DPW_BODY_MAX)
      abort();
    off += (size_t)used;
    if (type == ORA_DPW_CONFIG) {
      ora_dpw_config c;
      if (ora_dpw_config_decode(body, n, &c) == 0) {
        if (c.mtu < 68 || c.mtu > 1500 || !c.local)
          abort();
        uint8_t again[ORA_DPW_CONFIG_LEN];
        ora_dpw_config_encode(again, &c);
        if (memcmp(again, body, n) != 0)
          abort(); /* decode and encode agree */
      }
    } else if (type == ORA_DPW_PACKET) {
      if (ora_ipv4_check(body, n) == 0 &&
          (n < 20 || (body[0] >> 4) != 4 || ora_dpw_get16(body + 2) != n))
        abort();
    }
  }
  if (off > size)
    abort();
  return 0;
}
