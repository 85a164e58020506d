/* RFC 1662 framing, written for speed on whole frames (issue 8) and byte for byte
 * the same as the plain definitions (tests/native/test_ppp_hdlc.c keeps those and
 * compares). Everything goes eight bytes at a time in a 64-bit word: the FCSs with
 * slice-by-8 tables; escaping and unescaping find the bytes of interest in a word
 * with carry-free byte compares, store the whole word when there are none, and
 * otherwise store the pieces between them. The encoder computes the FCS on the
 * way; the decoder takes the bytes it cannot treat so (flags, control characters
 * to drop, the last bytes before its buffer is full) one at a time by the
 * definition. */
#include "ppp/hdlc.h"

#include <string.h>

#include "ppp/fcs_tables.h"

#define ONES 0x0101010101010101u
#define LOW7 0x7f7f7f7f7f7f7f7fu

#if (defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) || defined(_WIN32)
#define LITTLE_ENDIAN_HOST 1
#else
#define LITTLE_ENDIAN_HOST 0
#endif

static inline uint32_t load32le(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Eight bytes, the first one in the low bits whatever the machine's byte order. */
static inline uint64_t load64le(const uint8_t *p) {
  uint64_t w;
  if (LITTLE_ENDIAN_HOST) {
    memcpy(&w, p, sizeof w);
    return w;
  }
  return (uint64_t)load32le(p) | (uint64_t)load32le(p + 4) << 32;
}

static inline void store64le(uint8_t *p, uint64_t w) {
  if (LITTLE_ENDIAN_HOST) {
    memcpy(p, &w, sizeof w);
    return;
  }
  for (unsigned k = 0; k < 8; k++)
    p[k] = (uint8_t)(w >> (8 * k));
}

/* Bit 7 of each byte of the result is set when that byte of w is zero, exactly
 * (no carries between bytes). */
static inline uint64_t zero_bytes(uint64_t w) {
  return ~(((w & LOW7) + LOW7) | w | LOW7);
}

static inline uint64_t eq_bytes(uint64_t w, uint8_t c) {
  return zero_bytes(w ^ (ONES * c));
}

/* Bytes below 0x20: the control characters an ACCM can name. */
static inline uint64_t ctl_bytes(uint64_t w) {
  return zero_bytes(w & (ONES * 0xe0));
}

/* Index of the first byte whose bit 7 is set in m (m nonzero). */
static inline unsigned first_byte(uint64_t m) {
#if defined(__GNUC__) || defined(__clang__)
  return (unsigned)__builtin_ctzll(m) >> 3;
#else
  unsigned k = 0;
  for (; !(m & 0x80); m >>= 8)
    k++;
  return k;
#endif
}

/* The FCSs eight bytes at a time: w holds the bytes first one lowest. */
static inline uint32_t fcs16_step8(uint32_t c, uint64_t w) {
  const uint16_t(*t)[256] = ora_fcs16_tab;
  uint32_t x = c ^ (uint32_t)(w & 0xffff);
  return (uint32_t)t[7][x & 0xff] ^ t[6][x >> 8] ^ t[5][(w >> 16) & 0xff] ^ t[4][(w >> 24) & 0xff] ^
         t[3][(w >> 32) & 0xff] ^ t[2][(w >> 40) & 0xff] ^ t[1][(w >> 48) & 0xff] ^ t[0][w >> 56];
}

static inline uint32_t fcs32_step8(uint32_t c, uint64_t w) {
  const uint32_t(*t)[256] = ora_fcs32_tab;
  uint32_t x = c ^ (uint32_t)w;
  return t[7][x & 0xff] ^ t[6][(x >> 8) & 0xff] ^ t[5][(x >> 16) & 0xff] ^ t[4][x >> 24] ^
         t[3][(w >> 32) & 0xff] ^ t[2][(w >> 40) & 0xff] ^ t[1][(w >> 48) & 0xff] ^ t[0][w >> 56];
}

/* One byte; the same for both FCSs, with their own byte table. */
static inline uint32_t fcs16_step1(uint32_t c, uint8_t b) {
  return (c >> 8) ^ ora_fcs16_tab[0][(c ^ b) & 0xff];
}

static inline uint32_t fcs32_step1(uint32_t c, uint8_t b) {
  return (c >> 8) ^ ora_fcs32_tab[0][(c ^ b) & 0xff];
}

uint16_t ora_fcs16(uint16_t fcs, const uint8_t *p, size_t n) {
  uint32_t c = fcs;
  for (; n >= 8; n -= 8, p += 8)
    c = fcs16_step8(c, load64le(p));
  while (n--)
    c = fcs16_step1(c, *p++);
  return (uint16_t)c;
}

uint32_t ora_fcs32(uint32_t fcs, const uint8_t *p, size_t n) {
  uint32_t c = fcs;
  for (; n >= 8; n -= 8, p += 8)
    c = fcs32_step8(c, load64le(p));
  while (n--)
    c = fcs32_step1(c, *p++);
  return c;
}

/* The bytes the sender escapes, one bit each: 7D, 7E and the control characters
 * set in accm. Eight words to build per frame, one load to look up. */
typedef struct esc_map {
  uint32_t w[8];
} esc_map;

static void esc_map_init(esc_map *m, uint32_t accm) {
  memset(m, 0, sizeof *m);
  m->w[0] = accm;
  m->w[ORA_HDLC_ESC >> 5] |= 1u << (ORA_HDLC_ESC & 31);
  m->w[ORA_HDLC_FLAG >> 5] |= 1u << (ORA_HDLC_FLAG & 31);
}

static inline unsigned needs_escape(const esc_map *m, uint8_t c) {
  return (m->w[c >> 5] >> (c & 31)) & 1;
}

/* One byte: both its forms are stored and the count says which stays, so there is
 * no branch on the data. Needs room for two bytes at o. */
static inline uint8_t *escape1(uint8_t *o, uint8_t c, const esc_map *map) {
  unsigned e = needs_escape(map, c);
  o[0] = e ? ORA_HDLC_ESC : c;
  o[1] = (uint8_t)(c ^ 0x20);
  return o + 1 + e;
}

/* Escapes n bytes into out and runs them through the FCS register *crc (FCS-32 if
 * fcs32, else FCS-16), both eight bytes at a time. out has room for 2 * n bytes,
 * the worst case. Returns the bytes written. */
static inline size_t escape_fcs(uint8_t *out, const uint8_t *p, size_t n, const esc_map *map,
                                uint32_t accm, uint32_t *crc, int fcs32) {
  uint8_t *o = out;
  uint32_t c = *crc;
  size_t i = 0;
  /* Each eight bytes are stored as they are, then, if some need escaping, those
   * after each one are stored again after its escaped form. While eight more
   * bytes follow, o - out <= 2 * i leaves room for these whole-word stores. */
  const uint64_t ctl = accm ? ~(uint64_t)0 : 0;
  for (; n >= 16 && i <= n - 16; i += 8) {
    uint64_t w = load64le(p + i);
    c = fcs32 ? fcs32_step8(c, w) : fcs16_step8(c, w);
    uint64_t m = eq_bytes(w, ORA_HDLC_ESC) | eq_bytes(w, ORA_HDLC_FLAG) | (ctl_bytes(w) & ctl);
    store64le(o, w);
    if (!m) {
      o += 8;
      continue;
    }
    unsigned from = 0; /* first byte of w not yet stored for good */
    do {
      unsigned k = first_byte(m); /* a byte that may need escaping */
      store64le(o, w >> (8 * from));
      o = escape1(o + (k - from), p[i + k], map);
      from = k + 1;
      m &= m - 1;
    } while (m);
    if (from < 8) {
      store64le(o, w >> (8 * from));
      o += 8 - from;
    }
  }
  for (; i < n; i++) {
    c = fcs32 ? fcs32_step1(c, p[i]) : fcs16_step1(c, p[i]);
    o = escape1(o, p[i], map);
  }
  *crc = c;
  return (size_t)(o - out);
}

static size_t escape_short(uint8_t *out, const uint8_t *p, size_t n, const esc_map *map) {
  uint8_t *o = out;
  for (size_t i = 0; i < n; i++)
    o = escape1(o, p[i], map);
  return (size_t)(o - out);
}

/* The frame in the byte order it is sent: header, info, FCS (low byte first). */
typedef struct hdlc_frame {
  uint8_t hdr[4], fcs[4];
  size_t hl, fl;
  const uint8_t *info;
  size_t len;
} hdlc_frame;

/* Output too small for the worst case: one byte at a time with a bounds check, so
 * a frame that does fit after all is still encoded, and one that does not is
 * refused without writing past cap. */
typedef struct enc {
  uint8_t *out;
  size_t cap, len;
  const esc_map *map;
  int fail;
} enc;

static void put_raw(enc *e, uint8_t b) {
  if (e->len >= e->cap) {
    e->fail = 1;
    return;
  }
  e->out[e->len++] = b;
}

static void put_all(enc *e, const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n && !e->fail; i++) {
    if (needs_escape(e->map, p[i])) {
      put_raw(e, ORA_HDLC_ESC);
      put_raw(e, p[i] ^ 0x20);
    } else {
      put_raw(e, p[i]);
    }
  }
}

static size_t encode_checked(uint8_t *out, size_t cap, const hdlc_frame *f, const esc_map *map) {
  enc e = {out, cap, 0, map, 0};
  put_raw(&e, ORA_HDLC_FLAG);
  put_all(&e, f->hdr, f->hl);
  put_all(&e, f->info, f->len);
  put_all(&e, f->fcs, f->fl);
  put_raw(&e, ORA_HDLC_FLAG);
  return e.fail ? 0 : e.len;
}

static void put_fcs(hdlc_frame *f, uint32_t crc) {
  crc = ~crc; /* least significant byte first */
  for (size_t i = 0; i < f->fl; i++)
    f->fcs[i] = (uint8_t)(crc >> (8 * i));
}

/* Encodes f (header already in f->hdr, f->hl bytes) with the given ACCM. */
static size_t encode(uint8_t *out, size_t cap, hdlc_frame *f, uint32_t accm, int fcs32) {
  uint32_t crc =
      fcs32 ? ora_fcs32(ORA_FCS32_INIT, f->hdr, f->hl) : ora_fcs16(ORA_FCS16_INIT, f->hdr, f->hl);
  esc_map map;
  esc_map_init(&map, accm);

  /* Room for the worst case (two flags, every byte escaped)? Then no bounds
   * checks at all, and the FCS computed on the way; written so that nothing
   * overflows for any len. */
  size_t body = f->hl + f->fl, len = f->len;
  const uint8_t *info = f->info;
  if (cap < 2 || (cap - 2) / 2 < body || (cap - 2) / 2 - body < len) {
    crc = fcs32 ? ora_fcs32(crc, info, len) : ora_fcs16((uint16_t)crc, info, len);
    put_fcs(f, crc);
    return encode_checked(out, cap, f, &map);
  }
  size_t o = 0;
  out[o++] = ORA_HDLC_FLAG;
  o += escape_short(out + o, f->hdr, f->hl, &map);
  if (fcs32)
    o += escape_fcs(out + o, info, len, &map, accm, &crc, 1);
  else
    o += escape_fcs(out + o, info, len, &map, accm, &crc, 0);
  put_fcs(f, crc);
  o += escape_short(out + o, f->fcs, f->fl, &map);
  out[o++] = ORA_HDLC_FLAG;
  return o;
}

size_t ora_hdlc_encode(uint8_t *out, size_t cap, uint16_t proto, const uint8_t *info, size_t len,
                       uint32_t accm, int acfc, int pfc, int fcs32) {
  hdlc_frame f = {.info = info, .len = len, .fl = fcs32 ? 4 : 2};
  if (!acfc) {
    f.hdr[f.hl++] = 0xff;
    f.hdr[f.hl++] = 0x03;
  }
  if (!pfc || proto > 0xff)
    f.hdr[f.hl++] = (uint8_t)(proto >> 8);
  f.hdr[f.hl++] = (uint8_t)proto;
  return encode(out, cap, &f, accm, fcs32);
}

size_t ora_hdlc_encode_frame(uint8_t *out, size_t cap, const uint8_t *frame, size_t len,
                             uint32_t accm, int fcs32) {
  hdlc_frame f = {.info = frame, .len = len, .fl = fcs32 ? 4 : 2};
  return encode(out, cap, &f, accm, fcs32);
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

/* Control characters the peer promised to escape were inserted by the line. */
static int dropped(uint32_t accm, uint8_t b) {
  return b < 0x20 && (accm >> b) & 1;
}

/* One byte, by the definition. */
static void dec_byte(ora_hdlc_dec *d, uint8_t b, ora_hdlc_frame_fn fn, void *ctx) {
  if (b == ORA_HDLC_FLAG) {
    end_frame(d, fn, ctx);
    return;
  }
  if (dropped(d->accm, b))
    return;
  if (b == ORA_HDLC_ESC) {
    d->escaped = 1;
    return;
  }
  if (d->escaped) {
    b ^= 0x20;
    d->escaped = 0;
  }
  if (d->overflow)
    return;
  if (d->len >= d->cap) {
    d->overflow = 1;
    return;
  }
  d->buf[d->len++] = b;
}

/* A frame already too long is dropped whole at the next flag: skip to it. Without
 * one, leave the escape state as the bytes would have (it is not looked at while
 * overflowing, but the decoder state stays what it always was). Returns the bytes
 * consumed, the flag not included. */
static size_t skip_overflow(ora_hdlc_dec *d, const uint8_t *p, size_t n) {
  const uint8_t *flag = memchr(p, ORA_HDLC_FLAG, n);
  if (flag)
    return (size_t)(flag - p);
  for (size_t i = n; i-- > 0;)
    if (!dropped(d->accm, p[i])) {
      d->escaped = p[i] == ORA_HDLC_ESC;
      break;
    }
  return n;
}

/* Data that needs nothing but unescaping, eight bytes at a time into the buffer
 * while there is no flag among them, nor a control character when some may be
 * dropped (ctl), and room for sixteen. Returns the bytes of p consumed; the rest
 * is left to dec_byte. */
static inline size_t dec_fast(ora_hdlc_dec *d, const uint8_t *p, size_t n, int ctl) {
  uint8_t *buf = d->buf;
  size_t len = d->len, cap = d->cap, i = 0;
  unsigned esc = d->escaped != 0;
  for (; n - i >= 8 && len <= cap && cap - len >= 16; i += 8) {
    uint64_t w = load64le(p + i);
    if (eq_bytes(w, ORA_HDLC_FLAG) | (ctl ? ctl_bytes(w) : 0))
      break;
    uint64_t e = eq_bytes(w, ORA_HDLC_ESC); /* 0x80 in each 7D */
    if (!(e | esc)) {
      store64le(buf + len, w); /* the usual case: nothing to unescape */
      len += 8;
      continue;
    }
    /* Flip bit 5 of the byte after each 7D (and of the first when a 7D ended the
     * bytes before), then squeeze the 7Ds out: store the word from just after
     * each 7D on, and keep the bytes up to the next one. */
    uint64_t x = w ^ ((e << 8) >> 2) ^ (esc ? 0x20u : 0u);
    uint8_t *o = buf + len;
    unsigned from = 0;
    for (; e; e &= e - 1) {
      unsigned k = first_byte(e);
      store64le(o, x >> (8 * from));
      o += k - from;
      from = k + 1;
    }
    esc = from == 8; /* the last byte was a 7D */
    if (!esc) {
      store64le(o, x >> (8 * from));
      o += 8 - from;
    }
    len = (size_t)(o - buf);
  }
  d->len = len;
  d->escaped = (int)esc;
  return i;
}

void ora_hdlc_dec_input(ora_hdlc_dec *d, const uint8_t *p, size_t n, ora_hdlc_frame_fn fn,
                        void *ctx) {
  size_t i = 0;
  while (i < n) {
    if (d->overflow) {
      i += skip_overflow(d, p + i, n - i);
      if (i < n) {
        end_frame(d, fn, ctx);
        i++;
      }
      continue;
    }
    i += d->accm ? dec_fast(d, p + i, n - i, 1) : dec_fast(d, p + i, n - i, 0);
    /* Then the bytes the fast path left, by the definition, up to the next
     * chance for it. */
    size_t end = n - i > 8 ? i + 8 : n;
    while (i < end && !d->overflow)
      dec_byte(d, p[i++], fn, ctx);
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
