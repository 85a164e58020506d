/* RFC 1662 framing. */
#include "ppp/hdlc.h"

#include <string.h>

/* Nibble tables for the reflected polynomials of RFC 1662 appendix C (0x8408 and
 * 0xedb88320): entry i is the CRC register update for the 4 input bits i. Small
 * enough to keep as constants, so there is no first-use initialisation to race. */
static const uint16_t fcs16_tab[16] = {0x0000, 0x1081, 0x2102, 0x3183, 0x4204, 0x5285,
                                       0x6306, 0x7387, 0x8408, 0x9489, 0xa50a, 0xb58b,
                                       0xc60c, 0xd68d, 0xe70e, 0xf78f};
static const uint32_t fcs32_tab[16] = {0x00000000u, 0x1db71064u, 0x3b6e20c8u, 0x26d930acu,
                                       0x76dc4190u, 0x6b6b51f4u, 0x4db26158u, 0x5005713cu,
                                       0xedb88320u, 0xf00f9344u, 0xd6d6a3e8u, 0xcb61b38cu,
                                       0x9b64c2b0u, 0x86d3d2d4u, 0xa00ae278u, 0xbdbdf21cu};

uint16_t ora_fcs16(uint16_t fcs, const uint8_t *p, size_t n) {
  while (n--) {
    fcs ^= *p++;
    fcs = (uint16_t)((fcs >> 4) ^ fcs16_tab[fcs & 15]);
    fcs = (uint16_t)((fcs >> 4) ^ fcs16_tab[fcs & 15]);
  }
  return fcs;
}

uint32_t ora_fcs32(uint32_t fcs, const uint8_t *p, size_t n) {
  while (n--) {
    fcs ^= *p++;
    fcs = (fcs >> 4) ^ fcs32_tab[fcs & 15];
    fcs = (fcs >> 4) ^ fcs32_tab[fcs & 15];
  }
  return fcs;
}

typedef struct enc {
  uint8_t *out;
  size_t cap, len;
  uint32_t accm;
  int fail;
} enc;

static void put_raw(enc *e, uint8_t b) {
  if (e->len >= e->cap) {
    e->fail = 1;
    return;
  }
  e->out[e->len++] = b;
}

static void put(enc *e, uint8_t b) {
  if (b == ORA_HDLC_FLAG || b == ORA_HDLC_ESC || (b < 0x20 && (e->accm >> b) & 1)) {
    put_raw(e, ORA_HDLC_ESC);
    put_raw(e, b ^ 0x20);
  } else {
    put_raw(e, b);
  }
}

size_t ora_hdlc_encode(uint8_t *out, size_t cap, uint16_t proto, const uint8_t *info, size_t len,
                       uint32_t accm, int acfc, int pfc, int fcs32) {
  enc e = {out, cap, 0, accm, 0};
  uint8_t hdr[4];
  size_t hl = 0;
  if (!acfc) {
    hdr[hl++] = 0xff;
    hdr[hl++] = 0x03;
  }
  if (!pfc || proto > 0xff)
    hdr[hl++] = (uint8_t)(proto >> 8);
  hdr[hl++] = (uint8_t)proto;

  put_raw(&e, ORA_HDLC_FLAG);
  for (size_t i = 0; i < hl; i++)
    put(&e, hdr[i]);
  for (size_t i = 0; i < len; i++)
    put(&e, info[i]);
  if (fcs32) {
    uint32_t f = ~ora_fcs32(ora_fcs32(ORA_FCS32_INIT, hdr, hl), info, len);
    for (int i = 0; i < 4; i++)
      put(&e, (uint8_t)(f >> (8 * i))); /* least significant byte first */
  } else {
    uint16_t f = (uint16_t)~ora_fcs16(ora_fcs16(ORA_FCS16_INIT, hdr, hl), info, len);
    put(&e, (uint8_t)f);
    put(&e, (uint8_t)(f >> 8));
  }
  put_raw(&e, ORA_HDLC_FLAG);
  return e.fail ? 0 : e.len;
}

void ora_hdlc_dec_init(ora_hdlc_dec *d, uint8_t *buf, size_t cap) {
  memset(d, 0, sizeof *d);
  d->buf = buf;
  d->cap = cap;
  d->accm = 0xffffffffu;
}

static void end_frame(ora_hdlc_dec *d, ora_hdlc_frame_fn fn, void *ctx) {
  size_t fl = d->fcs32 ? 4 : 2;
  if (d->overflow) {
    d->overruns++;
  } else if (d->escaped) {
    d->aborts++; /* 7D 7E: the sender aborted the frame */
  } else if (d->len == 0) {
    /* back-to-back flags: idle, not an error */
  } else if (d->len < fl + 2) {
    d->framing_errors++; /* runt: too short for any header plus FCS */
  } else if (d->fcs32 ? ora_fcs32(ORA_FCS32_INIT, d->buf, d->len) != ORA_FCS32_GOOD
                      : ora_fcs16(ORA_FCS16_INIT, d->buf, d->len) != ORA_FCS16_GOOD) {
    d->crc_errors++;
  } else {
    d->frames++;
    fn(ctx, d->buf, d->len - fl);
  }
  d->len = 0;
  d->escaped = 0;
  d->overflow = 0;
}

void ora_hdlc_dec_input(ora_hdlc_dec *d, const uint8_t *p, size_t n, ora_hdlc_frame_fn fn,
                        void *ctx) {
  for (size_t i = 0; i < n; i++) {
    uint8_t b = p[i];
    if (b == ORA_HDLC_FLAG) {
      end_frame(d, fn, ctx);
      continue;
    }
    /* Control characters the peer promised to escape were inserted by the line. */
    if (b < 0x20 && (d->accm >> b) & 1)
      continue;
    if (b == ORA_HDLC_ESC) {
      d->escaped = 1;
      continue;
    }
    if (d->escaped) {
      b ^= 0x20;
      d->escaped = 0;
    }
    if (d->overflow)
      continue;
    if (d->len >= d->cap) {
      d->overflow = 1;
      continue;
    }
    d->buf[d->len++] = b;
  }
}

int ora_ppp_header_parse(const uint8_t *frame, size_t len, int allow_acfc, int allow_pfc,
                         uint16_t *proto, const uint8_t **info, size_t *info_len) {
  size_t off = 0;
  if (len >= 2 && frame[0] == 0xff && frame[1] == 0x03)
    off = 2;
  else if (!allow_acfc)
    return -1;
  if (off >= len)
    return -1;
  uint16_t pr;
  if (frame[off] & 1) {
    /* One-byte protocol: only valid when compression was negotiated. */
    if (!allow_pfc)
      return -1;
    pr = frame[off];
    off += 1;
  } else {
    if (off + 2 > len)
      return -1;
    pr = (uint16_t)(frame[off] << 8 | frame[off + 1]);
    if (!(pr & 1))
      return -1; /* RFC 1661: the least significant octet is odd */
    off += 2;
  }
  *proto = pr;
  *info = frame + off;
  *info_len = len - off;
  return 0;
}
