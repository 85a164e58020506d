/* Fuzz target: RFC 1662 framing (core/ppp/hdlc.c). Arbitrary bytes go through the
 * incremental decoder, cut into slices at places the input chooses, with a receive
 * ACCM, FCS size and buffer size the input chooses; every frame delivered is split
 * by the PPP header parser, and must survive an encode/decode round trip. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ppp/hdlc.h"

#define CHECK(c)                                                                                   \
  do {                                                                                             \
    if (!(c)) {                                                                                    \
      fprintf(stderr, "fuzz_hdlc: check failed at line %d: %s\n", __LINE__, #c);                   \
      abort();                                                                                     \
    }                                                                                              \
  } while (0)

typedef struct rx {
  size_t cap;
  int fcs32;
  uint64_t frames;
} rx;

typedef struct echo {
  const uint8_t *want;
  size_t len;
  int got;
} echo;

static void on_echo(void *ctx, const uint8_t *f, size_t len) {
  echo *e = ctx;
  CHECK(len == e->len && memcmp(f, e->want, len) == 0);
  e->got++;
}

static void on_frame(void *ctx, const uint8_t *f, size_t len) {
  rx *r = ctx;
  r->frames++;
  CHECK(len + (r->fcs32 ? 4u : 2u) <= r->cap);
  for (int acfc = 0; acfc < 2; acfc++)
    for (int pfc = 0; pfc < 2; pfc++) {
      uint16_t proto = 0;
      const uint8_t *info = NULL;
      size_t il = 0;
      if (ora_ppp_header_parse(f, len, acfc, pfc, &proto, &info, &il) != 0)
        continue;
      CHECK(proto & 1);
      CHECK(info >= f && info + il == f + len);
      /* Re-encode with the same header shape, every control character escaped,
       * and decode again: the frame must come back unchanged. */
      int has_ac = len >= 2 && f[0] == 0xff && f[1] == 0x03;
      size_t hl = (size_t)(info - f);
      int short_proto = hl == (has_ac ? 3u : 1u);
      if (!has_ac && f[0] == 0xff)
        continue; /* an ACFC header whose protocol byte is FF cannot be told apart */
      size_t cap = ORA_HDLC_ENCODED_MAX(len + 4);
      uint8_t *enc = malloc(cap), *dbuf = malloc(len + 8);
      CHECK(enc && dbuf);
      size_t n =
          ora_hdlc_encode(enc, cap, proto, info, il, 0xffffffffu, !has_ac, short_proto, r->fcs32);
      CHECK(n > 0 && n <= cap);
      ora_hdlc_dec d;
      ora_hdlc_dec_init(&d, dbuf, len + 8);
      d.fcs32 = r->fcs32;
      echo e = {f, len, 0};
      ora_hdlc_dec_input(&d, enc, n, on_echo, &e);
      CHECK(e.got == 1 && d.crc_errors == 0);
      free(enc);
      free(dbuf);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2)
    return 0;
  uint8_t mode = data[0], split = data[1];
  data += 2;
  size -= 2;
  static const size_t caps[4] = {1512, 64, 8, 3};
  static const uint32_t accms[4] = {0xffffffffu, 0, 0x000a0000u, 0x80000001u};
  rx r = {caps[mode & 3], (mode >> 2) & 1, 0};
  uint8_t *buf = malloc(r.cap);
  CHECK(buf);
  ora_hdlc_dec d;
  ora_hdlc_dec_init(&d, buf, r.cap);
  d.fcs32 = r.fcs32;
  d.accm = accms[(mode >> 3) & 3];
  /* Slices of 1..split+1 bytes, or everything at once when split is 0. */
  size_t pos = 0;
  while (pos < size) {
    size_t k = split ? 1 + (pos * 31 + split) % split : size - pos;
    if (k > size - pos)
      k = size - pos;
    ora_hdlc_dec_input(&d, data + pos, k, on_frame, &r);
    pos += k;
  }
  CHECK(d.frames == r.frames);
  CHECK(d.len <= d.cap);
  /* The FCS functions agree with the decoder's residue check. */
  uint16_t f16 = (uint16_t)~ora_fcs16(ORA_FCS16_INIT, data, size);
  uint8_t t16[2] = {(uint8_t)f16, (uint8_t)(f16 >> 8)};
  CHECK(ora_fcs16(ora_fcs16(ORA_FCS16_INIT, data, size), t16, 2) == ORA_FCS16_GOOD);
  uint32_t f32 = ~ora_fcs32(ORA_FCS32_INIT, data, size);
  uint8_t t32[4] = {(uint8_t)f32, (uint8_t)(f32 >> 8), (uint8_t)(f32 >> 16), (uint8_t)(f32 >> 24)};
  CHECK(ora_fcs32(ora_fcs32(ORA_FCS32_INIT, data, size), t32, 4) == ORA_FCS32_GOOD);
  free(buf);
  return 0;
}
