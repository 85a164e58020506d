/* RFC 1662 framing: FCS values, escaping, ACCM, the incremental decoder on split,
 * damaged and oversized input, and header compression parsing. The framing code is
 * written for speed (word at a time, slice-by-8 FCS tables); the second half of
 * this file keeps plain byte-at-a-time definitions of the FCSs, the encoder and the
 * decoder, and checks on many random inputs that the fast code does exactly what
 * they do. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ppp/fcs_tables.h"
#include "ppp/hdlc.h"

typedef struct sink {
  int n;
  size_t len[16];
  uint8_t data[16][2100];
} sink;

static void on_frame(void *ctx, const uint8_t *f, size_t len) {
  sink *s = ctx;
  assert_true(s->n < 16);
  s->len[s->n] = len;
  memcpy(s->data[s->n], f, len);
  s->n++;
}

static void test_fcs_known_values(void **state) {
  (void)state;
  const uint8_t check[] = "123456789";
  /* The standard check values of CRC-16/X.25 and CRC-32 (the HDLC FCSs). */
  assert_int_equal((uint16_t)~ora_fcs16(ORA_FCS16_INIT, check, 9), 0x906e);
  assert_int_equal(~ora_fcs32(ORA_FCS32_INIT, check, 9), 0xcbf43926u);
  /* Data followed by its FCS (low byte first) leaves the good residue. */
  uint8_t buf[11];
  memcpy(buf, check, 9);
  uint16_t f = (uint16_t)~ora_fcs16(ORA_FCS16_INIT, check, 9);
  buf[9] = (uint8_t)f;
  buf[10] = (uint8_t)(f >> 8);
  assert_int_equal(ora_fcs16(ORA_FCS16_INIT, buf, 11), ORA_FCS16_GOOD);
  /* Incremental computation equals one pass. */
  assert_int_equal(ora_fcs16(ora_fcs16(ORA_FCS16_INIT, check, 4), check + 4, 5),
                   ora_fcs16(ORA_FCS16_INIT, check, 9));
}

static void test_encode_lcp_known_frame(void **state) {
  (void)state;
  /* An LCP Configure-Request with ACCM 0 and magic 0x01020304 under the default
   * ACCM: every byte below 0x20 escaped. */
  const uint8_t info[] = {1, 1, 0, 14, 2, 6, 0, 0, 0, 0, 5, 6, 1, 2, 3, 4};
  uint8_t out[ORA_HDLC_ENCODED_MAX(sizeof info + 4)];
  size_t n = ora_hdlc_encode(out, sizeof out, 0xc021, info, sizeof info, 0xffffffffu, 0, 0, 0);
  assert_true(n > 0);
  assert_int_equal(out[0], 0x7e);
  assert_int_equal(out[n - 1], 0x7e);
  /* FF 7D 23 C0 21 7D 21 7D 21 ... */
  const uint8_t head[] = {0x7e, 0xff, 0x7d, 0x23, 0xc0, 0x21, 0x7d, 0x21, 0x7d, 0x21};
  assert_memory_equal(out, head, sizeof head);
  for (size_t i = 1; i + 1 < n; i++) {
    assert_true(out[i] >= 0x20);
    assert_int_not_equal(out[i], 0x7e);
  }
  sink s = {0};
  ora_hdlc_dec d;
  uint8_t buf[64];
  ora_hdlc_dec_init(&d, buf, sizeof buf);
  ora_hdlc_dec_input(&d, out, n, on_frame, &s);
  assert_int_equal(s.n, 1);
  assert_int_equal(s.len[0], sizeof info + 4);
  assert_memory_equal(s.data[0] + 4, info, sizeof info);
}

static void test_flag_and_escape_always_escaped(void **state) {
  (void)state;
  const uint8_t info[] = {0x7e, 0x7d, 0x01, 0x20, 0x11};
  uint8_t out[64];
  /* ACCM 0: control characters pass, 7D and 7E never do. */
  size_t n = ora_hdlc_encode(out, sizeof out, 0x0021, info, sizeof info, 0, 1, 1, 0);
  /* flag, 21 (compressed protocol), 7D 5E, 7D 5D, 01, 20, 11, FCS..., flag */
  const uint8_t want[] = {0x7e, 0x21, 0x7d, 0x5e, 0x7d, 0x5d, 0x01, 0x20, 0x11};
  assert_memory_equal(out, want, sizeof want);
  for (size_t i = 1; i + 1 < n; i++)
    assert_int_not_equal(out[i], 0x7e);
  /* Only the control characters set in the map are escaped. */
  n = ora_hdlc_encode(out, sizeof out, 0x0021, info, sizeof info, 1u << 0x11, 1, 1, 0);
  const uint8_t want2[] = {0x7e, 0x21, 0x7d, 0x5e, 0x7d, 0x5d, 0x01, 0x20, 0x7d, 0x31};
  assert_memory_equal(out, want2, sizeof want2);
  /* Too small an output buffer is refused, not overrun. */
  assert_int_equal(ora_hdlc_encode(out, 8, 0x0021, info, sizeof info, 0, 1, 1, 0), 0);
}

static void test_round_trip_all_bytes_split_anywhere(void **state) {
  (void)state;
  uint8_t info[256];
  for (int i = 0; i < 256; i++)
    info[i] = (uint8_t)i;
  for (int fcs32 = 0; fcs32 < 2; fcs32++) {
    uint8_t out[ORA_HDLC_ENCODED_MAX(300)];
    size_t n =
        ora_hdlc_encode(out, sizeof out, 0x0021, info, sizeof info, 0xffffffffu, 0, 0, fcs32);
    /* Feed one byte at a time, then in chunks of 7. */
    for (size_t step = 1; step <= 7; step += 6) {
      sink s = {0};
      ora_hdlc_dec d;
      uint8_t buf[400];
      ora_hdlc_dec_init(&d, buf, sizeof buf);
      d.fcs32 = fcs32;
      for (size_t i = 0; i < n; i += step)
        ora_hdlc_dec_input(&d, out + i, n - i < step ? n - i : step, on_frame, &s);
      assert_int_equal(s.n, 1);
      assert_int_equal(s.len[0], 256 + 4);
      assert_memory_equal(s.data[0] + 4, info, 256);
      assert_int_equal(d.crc_errors, 0);
    }
  }
}

static void test_bad_fcs_abort_runt_and_overrun(void **state) {
  (void)state;
  const uint8_t info[] = {1, 2, 3, 4, 5, 6};
  uint8_t out[64];
  size_t n = ora_hdlc_encode(out, sizeof out, 0xc021, info, sizeof info, 0, 0, 0, 0);
  sink s = {0};
  ora_hdlc_dec d;
  uint8_t buf[32];
  ora_hdlc_dec_init(&d, buf, sizeof buf);
  d.accm = 0;

  /* corrupted byte -> CRC error, nothing delivered */
  uint8_t bad[64];
  memcpy(bad, out, n);
  bad[5] ^= 0x40;
  ora_hdlc_dec_input(&d, bad, n, on_frame, &s);
  assert_int_equal(s.n, 0);
  assert_int_equal(d.crc_errors, 1);

  /* 7D 7E aborts the frame in progress */
  const uint8_t abort_seq[] = {0x7e, 0xff, 0x03, 0xc0, 0x7d, 0x7e};
  ora_hdlc_dec_input(&d, abort_seq, sizeof abort_seq, on_frame, &s);
  assert_int_equal(s.n, 0);
  assert_int_equal(d.aborts, 1);

  /* runt between flags; empty frames between flags are not errors */
  const uint8_t runt[] = {0x7e, 0x7e, 0x7e, 0x01, 0x02, 0x7e};
  ora_hdlc_dec_input(&d, runt, sizeof runt, on_frame, &s);
  assert_int_equal(d.framing_errors, 1);

  /* a frame longer than the buffer is dropped whole, and the next one is fine */
  uint8_t longinfo[100];
  memset(longinfo, 0x55, sizeof longinfo);
  uint8_t lout[ORA_HDLC_ENCODED_MAX(120)];
  size_t ln = ora_hdlc_encode(lout, sizeof lout, 0x0021, longinfo, sizeof longinfo, 0, 0, 0, 0);
  ora_hdlc_dec_input(&d, lout, ln, on_frame, &s);
  assert_int_equal(s.n, 0);
  assert_int_equal(d.overruns, 1);
  ora_hdlc_dec_input(&d, out, n, on_frame, &s);
  assert_int_equal(s.n, 1);
  assert_memory_equal(s.data[0] + 4, info, sizeof info);

  /* garbage without any flag, then a good frame: resynchronises on the flag */
  const uint8_t junk[] = {0x11, 0x22, 0x33};
  ora_hdlc_dec_input(&d, junk, sizeof junk, on_frame, &s);
  ora_hdlc_dec_input(&d, out, n, on_frame, &s);
  assert_int_equal(s.n, 2);
}

static void test_receive_accm_drops_inserted_controls(void **state) {
  (void)state;
  const uint8_t info[] = {9, 8, 7};
  uint8_t out[64], noisy[80];
  size_t n = ora_hdlc_encode(out, sizeof out, 0xc021, info, sizeof info, 0xffffffffu, 0, 0, 0);
  /* XON/XOFF inserted by a modem inside the frame */
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    noisy[m++] = out[i];
    if (i == 3)
      noisy[m++] = 0x11;
    if (i == 5)
      noisy[m++] = 0x13;
  }
  sink s = {0};
  ora_hdlc_dec d;
  uint8_t buf[64];
  ora_hdlc_dec_init(&d, buf, sizeof buf); /* default receive ACCM: all */
  ora_hdlc_dec_input(&d, noisy, m, on_frame, &s);
  assert_int_equal(s.n, 1);
  /* With an empty receive ACCM they are data, so the FCS fails. */
  d.accm = 0;
  ora_hdlc_dec_input(&d, noisy, m, on_frame, &s);
  assert_int_equal(s.n, 1);
  assert_int_equal(d.crc_errors, 1);
}

static void test_header_parse(void **state) {
  (void)state;
  uint16_t proto;
  const uint8_t *info;
  size_t il;
  const uint8_t full[] = {0xff, 0x03, 0xc0, 0x21, 0xaa};
  assert_int_equal(ora_ppp_header_parse(full, sizeof full, 0, 0, &proto, &info, &il), 0);
  assert_int_equal(proto, 0xc021);
  assert_int_equal(il, 1);
  assert_int_equal(info[0], 0xaa);

  const uint8_t noac[] = {0x80, 0x21, 0x01};
  assert_int_equal(ora_ppp_header_parse(noac, sizeof noac, 0, 0, &proto, &info, &il), -1);
  assert_int_equal(ora_ppp_header_parse(noac, sizeof noac, 1, 0, &proto, &info, &il), 0);
  assert_int_equal(proto, 0x8021);

  const uint8_t pfc[] = {0xff, 0x03, 0x21, 0x45};
  assert_int_equal(ora_ppp_header_parse(pfc, sizeof pfc, 0, 0, &proto, &info, &il), -1);
  assert_int_equal(ora_ppp_header_parse(pfc, sizeof pfc, 0, 1, &proto, &info, &il), 0);
  assert_int_equal(proto, 0x21);
  assert_int_equal(il, 1);

  const uint8_t both[] = {0x21, 0x45, 0x00};
  assert_int_equal(ora_ppp_header_parse(both, sizeof both, 1, 1, &proto, &info, &il), 0);
  assert_int_equal(proto, 0x21);
  assert_int_equal(il, 2);

  /* invalid protocol numbers (even low octet) and truncated headers */
  const uint8_t even[] = {0xff, 0x03, 0xc0, 0x22};
  assert_int_equal(ora_ppp_header_parse(even, sizeof even, 1, 1, &proto, &info, &il), -1);
  const uint8_t odd_hi[] = {0xff, 0x03, 0x01};
  assert_int_equal(ora_ppp_header_parse(odd_hi, 2, 1, 1, &proto, &info, &il), -1);
  assert_int_equal(ora_ppp_header_parse(odd_hi, 3, 1, 0, &proto, &info, &il), -1);
  const uint8_t trunc[] = {0xff, 0x03, 0xc0};
  assert_int_equal(ora_ppp_header_parse(trunc, sizeof trunc, 1, 1, &proto, &info, &il), -1);
  assert_int_equal(ora_ppp_header_parse(trunc, 0, 1, 1, &proto, &info, &il), -1);
}

static void test_compressed_encode(void **state) {
  (void)state;
  const uint8_t info[] = {0x45};
  uint8_t out[32];
  sink s = {0};
  ora_hdlc_dec d;
  uint8_t buf[32];
  ora_hdlc_dec_init(&d, buf, sizeof buf);
  d.accm = 0; /* the encoder below escapes no control characters */
  size_t n = ora_hdlc_encode(out, sizeof out, 0x0021, info, 1, 0, 1, 1, 0);
  ora_hdlc_dec_input(&d, out, n, on_frame, &s);
  assert_int_equal(s.n, 1);
  assert_int_equal(s.len[0], 2); /* 21 45 */
  /* A protocol above 0xff is never compressed. */
  n = ora_hdlc_encode(out, sizeof out, 0x8021, info, 1, 0, 1, 1, 0);
  ora_hdlc_dec_input(&d, out, n, on_frame, &s);
  assert_int_equal(s.len[1], 3);
  assert_int_equal(s.data[1][0], 0x80);
}

/* ---- Plain definitions, one bit or one byte at a time ---- */

static uint16_t ref_fcs16(uint16_t fcs, const uint8_t *p, size_t n) {
  while (n--) {
    fcs ^= *p++;
    for (int k = 0; k < 8; k++)
      fcs = (uint16_t)(fcs & 1 ? (fcs >> 1) ^ 0x8408u : fcs >> 1);
  }
  return fcs;
}

static uint32_t ref_fcs32(uint32_t fcs, const uint8_t *p, size_t n) {
  while (n--) {
    fcs ^= *p++;
    for (int k = 0; k < 8; k++)
      fcs = fcs & 1 ? (fcs >> 1) ^ 0xedb88320u : fcs >> 1;
  }
  return fcs;
}

static int ref_needs_escape(uint8_t b, uint32_t accm) {
  return b == 0x7e || b == 0x7d || (b < 0x20 && (accm >> b) & 1);
}

/* RFC 1662 section 4 as written: returns the length, or 0 when cap is too small
 * (never writing at or past cap). */
static size_t ref_encode(uint8_t *out, size_t cap, uint16_t proto, const uint8_t *info, size_t len,
                         uint32_t accm, int acfc, int pfc, int fcs32) {
  uint8_t *frame = malloc(len + 8);
  assert_non_null(frame);
  size_t fl = 0;
  if (!acfc) {
    frame[fl++] = 0xff;
    frame[fl++] = 0x03;
  }
  if (!pfc || proto > 0xff)
    frame[fl++] = (uint8_t)(proto >> 8);
  frame[fl++] = (uint8_t)proto;
  if (len)
    memcpy(frame + fl, info, len);
  fl += len;
  if (fcs32) {
    uint32_t f = ~ref_fcs32(0xffffffffu, frame, fl);
    for (int i = 0; i < 4; i++)
      frame[fl++] = (uint8_t)(f >> (8 * i));
  } else {
    uint16_t f = (uint16_t)~ref_fcs16(0xffff, frame, fl);
    frame[fl++] = (uint8_t)f;
    frame[fl++] = (uint8_t)(f >> 8);
  }
  size_t n = 0;
  int fail = 0;
#define REF_PUT(b)                                                                                 \
  do {                                                                                             \
    if (n < cap)                                                                                   \
      out[n++] = (b);                                                                              \
    else                                                                                           \
      fail = 1;                                                                                    \
  } while (0)
  REF_PUT(0x7e);
  for (size_t i = 0; i < fl; i++) {
    if (ref_needs_escape(frame[i], accm)) {
      REF_PUT(0x7d);
      REF_PUT(frame[i] ^ 0x20);
    } else {
      REF_PUT(frame[i]);
    }
  }
  REF_PUT(0x7e);
#undef REF_PUT
  free(frame);
  return fail ? 0 : n;
}

/* The decoder, one byte at a time. */
typedef struct ref_dec {
  uint8_t *buf;
  size_t cap, len;
  int escaped, overflow, fcs32;
  uint32_t accm;
  uint64_t frames, crc_errors, framing_errors, overruns, aborts;
} ref_dec;

static void ref_input(ref_dec *d, const uint8_t *p, size_t n, ora_hdlc_frame_fn fn, void *ctx) {
  for (size_t i = 0; i < n; i++) {
    uint8_t b = p[i];
    if (b == 0x7e) {
      size_t fl = d->fcs32 ? 4 : 2;
      if (d->overflow)
        d->overruns++;
      else if (d->escaped)
        d->aborts++;
      else if (d->len == 0)
        ;
      else if (d->len < fl + 2)
        d->framing_errors++;
      else if (d->fcs32 ? ref_fcs32(0xffffffffu, d->buf, d->len) != 0xdebb20e3u
                        : ref_fcs16(0xffff, d->buf, d->len) != 0xf0b8u)
        d->crc_errors++;
      else {
        d->frames++;
        fn(ctx, d->buf, d->len - fl);
      }
      d->len = 0;
      d->escaped = d->overflow = 0;
      continue;
    }
    if (b < 0x20 && (d->accm >> b) & 1)
      continue;
    if (b == 0x7d) {
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

/* Deterministic pseudo-random numbers (xorshift64*), so failures reproduce. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint32_t rnd(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (uint32_t)((rng_state * 0x2545f4914f6cdd1du) >> 32);
}

static size_t rnd_below(size_t n) {
  return n ? rnd() % n : 0;
}

/* Payload of one of several kinds: random, all flags, all escapes, all control
 * characters, or a mix of just the bytes that matter to the framing. */
static void fill_payload(uint8_t *p, size_t n) {
  static const uint8_t special[] = {0x7e, 0x7d, 0x00, 0x01, 0x11, 0x13, 0x1f,
                                    0x20, 0x5d, 0x5e, 0x3d, 0x3e, 0xff, 0x03};
  unsigned kind = rnd() % 6;
  for (size_t i = 0; i < n; i++) {
    switch (kind) {
    case 0:
    case 1:
      p[i] = (uint8_t)rnd();
      break;
    case 2:
      p[i] = 0x7e;
      break;
    case 3:
      p[i] = 0x7d;
      break;
    case 4:
      p[i] = (uint8_t)(rnd() % 0x20);
      break;
    default:
      p[i] = special[rnd() % sizeof special];
      break;
    }
  }
}

static uint32_t random_accm(void) {
  switch (rnd() % 5) {
  case 0:
    return 0;
  case 1:
    return 0xffffffffu;
  case 2:
    return 0x000a0000u; /* XON/XOFF */
  case 3:
    return 1u << (rnd() % 32);
  default:
    return rnd();
  }
}

/* Frames delivered by a decoder, in order. */
typedef struct frame_log {
  size_t n, used;
  size_t len[256];
  uint8_t data[1 << 17];
} frame_log;

static void log_frame(void *ctx, const uint8_t *f, size_t len) {
  frame_log *l = ctx;
  assert_true(l->n < 256);
  assert_true(l->used + len <= sizeof l->data);
  l->len[l->n++] = len;
  memcpy(l->data + l->used, f, len);
  l->used += len;
}

/* ---- Fast against plain ---- */

static void test_fcs_tables_are_the_polynomials(void **state) {
  (void)state;
  for (unsigned b = 0; b < 256; b++) {
    uint8_t msg[8] = {(uint8_t)b}; /* the byte, then up to seven zero bytes */
    for (unsigned k = 0; k < 8; k++) {
      assert_int_equal(ora_fcs16_tab[k][b], ref_fcs16(0, msg, k + 1));
      assert_int_equal(ora_fcs32_tab[k][b], ref_fcs32(0, msg, k + 1));
    }
  }
}

static void test_fcs_matches_bitwise_random(void **state) {
  (void)state;
  static uint8_t buf[1000 + 8 + 8];
  for (size_t i = 0; i < sizeof buf; i++)
    buf[i] = (uint8_t)rnd();
  /* Every length 0..1000 at every alignment 0..7, from the usual initial value
   * and from a random one. */
  for (size_t len = 0; len <= 1000; len++) {
    for (size_t off = 0; off < 8; off++) {
      const uint8_t *p = buf + off;
      assert_int_equal(ora_fcs16(ORA_FCS16_INIT, p, len), ref_fcs16(0xffff, p, len));
      assert_int_equal(ora_fcs32(ORA_FCS32_INIT, p, len), ref_fcs32(0xffffffffu, p, len));
    }
    uint16_t i16 = (uint16_t)rnd();
    uint32_t i32 = rnd();
    size_t off = rnd_below(8);
    assert_int_equal(ora_fcs16(i16, buf + off, len), ref_fcs16(i16, buf + off, len));
    assert_int_equal(ora_fcs32(i32, buf + off, len), ref_fcs32(i32, buf + off, len));
    /* In two pieces cut anywhere: the same as in one. */
    size_t cut = rnd_below(len + 1);
    assert_int_equal(ora_fcs16(ora_fcs16(ORA_FCS16_INIT, buf, cut), buf + cut, len - cut),
                     ref_fcs16(0xffff, buf, len));
    assert_int_equal(ora_fcs32(ora_fcs32(ORA_FCS32_INIT, buf, cut), buf + cut, len - cut),
                     ref_fcs32(0xffffffffu, buf, len));
  }
}

static void test_encode_matches_plain_encoder(void **state) {
  (void)state;
  enum { MAXLEN = 1600, GUARD = 32 };
  static uint8_t info[MAXLEN + 8], got[ORA_HDLC_ENCODED_MAX(MAXLEN + 4) + 2 * GUARD],
      want[ORA_HDLC_ENCODED_MAX(MAXLEN + 4)];
  /* The worst case exactly: every byte escaped, header and FCS too (FF FF FF FF
   * is no FCS of these frames, so at least one FCS byte may not be), into a
   * buffer of exactly the worst case size. */
  for (size_t len = 0; len <= 80; len++) {
    for (int fcs32 = 0; fcs32 < 2; fcs32++) {
      for (unsigned fill = 0; fill < 3; fill++) {
        memset(info, fill == 0 ? 0x7e : fill == 1 ? 0x7d : 0x11, len);
        size_t cap = 2 * (2 + len + (fcs32 ? 4 : 2)) + 2;
        size_t need = ref_encode(want, sizeof want, 0x7d7e, info, len, ~0u, 1, 1, fcs32);
        memset(got, 0xa5, sizeof got);
        size_t n = ora_hdlc_encode(got + GUARD, cap, 0x7d7e, info, len, ~0u, 1, 1, fcs32);
        assert_int_equal(n, need);
        assert_memory_equal(got + GUARD, want, need);
        for (size_t i = GUARD + cap; i < sizeof got; i++)
          assert_int_equal(got[i], 0xa5);
        /* One byte short of what it needs: refused, nothing written past cap. */
        memset(got, 0xa5, sizeof got);
        assert_int_equal(
            ora_hdlc_encode(got + GUARD, need - 1, 0x7d7e, info, len, ~0u, 1, 1, fcs32), 0);
        for (size_t i = GUARD + need - 1; i < sizeof got; i++)
          assert_int_equal(got[i], 0xa5);
      }
    }
  }
  for (int iter = 0; iter < 3000; iter++) {
    size_t len = iter < 200 ? (size_t)iter : rnd_below(rnd() % 4 ? 64 : MAXLEN + 1);
    size_t off = rnd_below(8);
    fill_payload(info + off, len);
    /* Any protocol number: also ones whose bytes all need escaping, so that the
     * whole frame can take the worst case room. */
    static const uint16_t escaped_protos[] = {0x7e, 0x7d, 0x7d7e, 0x7e7e, 0x117d, 0x0001, 0x1311};
    uint16_t proto = rnd() % 4 ? (rnd() % 2 ? (uint16_t)(rnd() & 0xff) : (uint16_t)rnd())
                               : escaped_protos[rnd() % 7];
    uint32_t accm = random_accm();
    int acfc = rnd() % 2, pfc = rnd() % 2, fcs32 = rnd() % 2;
    size_t worst = ORA_HDLC_ENCODED_MAX(len + 4);
    size_t need = ref_encode(want, sizeof want, proto, info + off, len, accm, acfc, pfc, fcs32);
    assert_true(need > 0 && need <= worst);
    /* Room for the worst case or more, exactly enough, or too little. */
    size_t cap;
    switch (rnd() % 4) {
    case 0:
      cap = worst + rnd_below(GUARD);
      break;
    case 1:
      cap = worst;
      break;
    case 2:
      cap = need + rnd_below(worst - need + 1);
      break;
    default:
      cap = rnd_below(need);
      break;
    }
    memset(got, 0xa5, sizeof got);
    size_t n = ora_hdlc_encode(got + GUARD, cap, proto, info + off, len, accm, acfc, pfc, fcs32);
    for (size_t i = 0; i < GUARD; i++)
      assert_int_equal(got[i], 0xa5);
    for (size_t i = GUARD + cap; i < sizeof got; i++)
      assert_int_equal(got[i], 0xa5); /* nothing written at or past cap */
    if (cap < need) {
      assert_int_equal(n, 0);
      continue;
    }
    assert_int_equal(n, need);
    assert_memory_equal(got + GUARD, want, need);
  }
}

/* Random frames with random ACCMs, both FCSs and every header form, several to a
 * stream cut at random places: each comes back whole. */
static void test_round_trip_random_frames(void **state) {
  (void)state;
  enum { MAXLEN = 1500, FRAMES = 8 };
  static uint8_t info[FRAMES][MAXLEN], wire[FRAMES * ORA_HDLC_ENCODED_MAX(MAXLEN + 4) + 64];
  static frame_log log;
  static uint8_t buf[MAXLEN + 16];
  size_t lens[FRAMES];
  uint16_t protos[FRAMES];
  for (int iter = 0; iter < 300; iter++) {
    uint32_t accm = random_accm();
    int acfc = rnd() % 2, pfc = rnd() % 2, fcs32 = rnd() % 2;
    size_t w = 0;
    for (int f = 0; f < FRAMES; f++) {
      lens[f] = rnd_below(rnd() % 2 ? 40 : MAXLEN + 1);
      if (acfc && pfc && lens[f] == 0)
        lens[f] = 1; /* a one-byte header alone would be a runt */
      fill_payload(info[f], lens[f]);
      /* Valid protocol numbers (RFC 1661): high octet even, low octet odd; FF
       * alone would read as an address field. */
      protos[f] = (uint16_t)((rnd() % 2 ? rnd() & 0xff : rnd() & 0xfeff) | 1);
      if (protos[f] == 0xff)
        protos[f] = 0x21;
      size_t n = ora_hdlc_encode(wire + w, sizeof wire - w, protos[f], info[f], lens[f], accm, acfc,
                                 pfc, fcs32);
      assert_true(n > 0);
      w += n;
      if (rnd() % 3 == 0)
        wire[w++] = 0x7e; /* idle flags between frames */
    }
    /* The receiver drops the control characters in its ACCM, which must be a
     * subset of what the sender escaped. */
    uint32_t rx_accm = accm & random_accm();
    ora_hdlc_dec d;
    ora_hdlc_dec_init(&d, buf, sizeof buf);
    d.fcs32 = fcs32;
    d.accm = rx_accm;
    memset(&log, 0, offsetof(frame_log, data));
    for (size_t i = 0; i < w;) {
      size_t k = rnd() % 4 ? 1 + rnd_below(rnd() % 2 ? 16 : 4000) : w - i;
      if (k > w - i)
        k = w - i;
      ora_hdlc_dec_input(&d, wire + i, k, log_frame, &log);
      i += k;
    }
    assert_int_equal(d.crc_errors, 0);
    assert_int_equal(d.framing_errors, 0);
    assert_int_equal(d.overruns, 0);
    assert_int_equal(d.aborts, 0);
    assert_int_equal(log.n, FRAMES);
    assert_int_equal(d.frames, FRAMES);
    size_t used = 0;
    for (int f = 0; f < FRAMES; f++) {
      uint16_t proto;
      const uint8_t *pi;
      size_t il;
      assert_int_equal(
          ora_ppp_header_parse(log.data + used, log.len[f], acfc, pfc, &proto, &pi, &il), 0);
      assert_int_equal(proto, protos[f]);
      assert_int_equal(il, lens[f]);
      if (il)
        assert_memory_equal(pi, info[f], il);
      used += log.len[f];
    }
  }
}

static void assert_same_decoders(const ora_hdlc_dec *d, const ref_dec *r) {
  assert_int_equal(d->len, r->len);
  assert_int_equal(d->escaped != 0, r->escaped != 0);
  assert_int_equal(d->overflow != 0, r->overflow != 0);
  assert_int_equal(d->frames, r->frames);
  assert_int_equal(d->crc_errors, r->crc_errors);
  assert_int_equal(d->framing_errors, r->framing_errors);
  assert_int_equal(d->overruns, r->overruns);
  assert_int_equal(d->aborts, r->aborts);
  if (d->len && !d->overflow)
    assert_memory_equal(d->buf, r->buf, d->len);
}

/* Streams of good, damaged, aborted, oversized and runt frames, noise and control
 * characters, cut at random places: the decoder counts, delivers and keeps state
 * exactly as the one-byte-at-a-time definition, after every piece. */
static void test_decoder_matches_plain_decoder(void **state) {
  (void)state;
  enum { MAXLEN = 1600, STREAM = 24000 };
  static uint8_t stream[STREAM + 4096], info[MAXLEN], enc[ORA_HDLC_ENCODED_MAX(MAXLEN + 4)];
  static uint8_t fbuf[MAXLEN + 16], rbuf[MAXLEN + 16];
  static frame_log flog, rlog;
  static const size_t caps[] = {MAXLEN + 16, 1500 + 6, 64, 17, 16, 8, 4, 3, 1};
  for (int iter = 0; iter < 120; iter++) {
    uint32_t accm = random_accm();
    int fcs32 = rnd() % 2;
    size_t w = 0;
    while (w < STREAM) {
      unsigned what = rnd() % 16;
      if (what < 9) { /* a frame, maybe damaged afterwards */
        size_t len = rnd_below(rnd() % 2 ? 64 : MAXLEN + 1);
        fill_payload(info, len);
        size_t n = ora_hdlc_encode(enc, sizeof enc, (uint16_t)(rnd() | 1), info, len,
                                   rnd() % 2 ? accm : random_accm(), rnd() % 2, rnd() % 2,
                                   rnd() % 4 ? fcs32 : !fcs32);
        assert_true(n > 0);
        switch (rnd() % 8) {
        case 0: /* a flipped bit */
          enc[1 + rnd_below(n - 2)] ^= (uint8_t)(1u << (rnd() % 8));
          break;
        case 1: /* aborted: 7D 7E somewhere in the middle */
          n = 2 + rnd_below(n - 2);
          enc[n - 2] = 0x7d;
          enc[n - 1] = 0x7e;
          break;
        case 2: /* a control character inserted by the line */
        {
          size_t at = 1 + rnd_below(n - 1);
          memmove(enc + at + 1, enc + at, n - at);
          enc[at] = (uint8_t)(rnd() % 0x20);
          n++;
          break;
        }
        case 3: /* the closing flag lost: runs into the next frame */
          n--;
          break;
        case 4: /* a stray 7D 7D or 7D at the end */
          if (n > 4) {
            size_t at = 1 + rnd_below(n - 3);
            enc[at] = 0x7d;
            if (rnd() % 2)
              enc[at + 1] = 0x7d;
          }
          break;
        default:
          break;
        }
        memcpy(stream + w, enc, n);
        w += n;
      } else if (what < 11) { /* noise of the bytes that matter */
        size_t n = 1 + rnd_below(40);
        fill_payload(stream + w, n);
        w += n;
      } else if (what < 12) { /* random bytes, long enough to overflow small buffers */
        size_t n = rnd_below(3000);
        for (size_t i = 0; i < n; i++)
          stream[w + i] = (uint8_t)rnd();
        w += n;
      } else if (what < 13) { /* runs of flags */
        size_t n = 1 + rnd_below(5);
        memset(stream + w, 0x7e, n);
        w += n;
      } else if (what < 14) { /* unescaped data without a flag in it, then one */
        size_t n = rnd_below(2000);
        for (size_t i = 0; i < n; i++) {
          uint8_t b = (uint8_t)rnd();
          stream[w + i] = b == 0x7e ? 0x7d : b;
        }
        w += n;
        stream[w++] = 0x7e;
      } else { /* an escape just before a flag, or a lone 7D */
        stream[w++] = 0x7d;
        if (rnd() % 2)
          stream[w++] = 0x7e;
      }
    }
    size_t cap = caps[rnd() % (sizeof caps / sizeof caps[0])];
    memset(fbuf, 0xa5, sizeof fbuf);
    ora_hdlc_dec d;
    ora_hdlc_dec_init(&d, fbuf, cap);
    ref_dec r = {.buf = rbuf, .cap = cap, .accm = 0xffffffffu, .fcs32 = fcs32};
    d.fcs32 = fcs32;
    d.accm = r.accm = rnd() % 4 ? accm : random_accm();
    memset(&flog, 0, offsetof(frame_log, data));
    memset(&rlog, 0, offsetof(frame_log, data));
    for (size_t i = 0; i < w;) {
      size_t k = rnd() % 4 ? 1 + rnd_below(rnd() % 2 ? 9 : 5000) : w - i;
      if (k > w - i)
        k = w - i;
      ora_hdlc_dec_input(&d, stream + i, k, log_frame, &flog);
      ref_input(&r, stream + i, k, log_frame, &rlog);
      assert_same_decoders(&d, &r);
      assert_int_equal(flog.n, rlog.n);
      for (size_t b = cap; b < sizeof fbuf; b++)
        assert_int_equal(fbuf[b], 0xa5); /* nothing written past the buffer */
      i += k;
      if (flog.n > 200) { /* keep the logs small: compare and forget */
        assert_int_equal(flog.used, rlog.used);
        assert_memory_equal(flog.len, rlog.len, flog.n * sizeof flog.len[0]);
        assert_memory_equal(flog.data, rlog.data, flog.used);
        memset(&flog, 0, offsetof(frame_log, data));
        memset(&rlog, 0, offsetof(frame_log, data));
      }
    }
    assert_int_equal(flog.used, rlog.used);
    assert_memory_equal(flog.len, rlog.len, flog.n * sizeof flog.len[0]);
    if (flog.used)
      assert_memory_equal(flog.data, rlog.data, flog.used);
  }
}

/* Frames made only of the bytes the framing treats specially, and of the longest
 * length the buffer takes (FCS included) and one more, with both FCSs. */
static void test_special_frames_and_length_limit(void **state) {
  (void)state;
  static uint8_t info[1200], out[ORA_HDLC_ENCODED_MAX(1200 + 4)], buf[1200 + 8];
  static const uint8_t fills[] = {0x7e, 0x7d, 0x00, 0x11, 0x13, 0x1f, 0x5e, 0x5d};
  for (int fcs32 = 0; fcs32 < 2; fcs32++) {
    size_t fl = fcs32 ? 4 : 2;
    for (size_t f = 0; f < sizeof fills; f++) {
      for (int accm_all = 0; accm_all < 2; accm_all++) {
        memset(info, fills[f], sizeof info);
        uint32_t accm = accm_all ? 0xffffffffu : 0;
        /* Header FF 03 00 21 (4 bytes): the frame is 4 + len + fl bytes. */
        size_t cap = 4 + 1000 + fl;
        for (size_t len = 990; len <= 1001; len++) {
          size_t n = ora_hdlc_encode(out, sizeof out, 0x0021, info, len, accm, 0, 0, fcs32);
          assert_true(n > 0);
          sink s = {0};
          ora_hdlc_dec d;
          ora_hdlc_dec_init(&d, buf, cap);
          d.fcs32 = fcs32;
          d.accm = accm;
          ora_hdlc_dec_input(&d, out, n, on_frame, &s);
          if (len <= 1000) {
            assert_int_equal(s.n, 1);
            assert_int_equal(s.len[0], 4 + len);
            assert_memory_equal(s.data[0] + 4, info, len);
            assert_int_equal(d.overruns, 0);
          } else {
            assert_int_equal(s.n, 0); /* one byte too long: dropped whole */
            assert_int_equal(d.overruns, 1);
          }
          assert_int_equal(d.overflow, 0);
          assert_int_equal(d.len, 0);
        }
      }
    }
  }
}

/* The decoder's verdicts on long frames: a bad FCS of either size, an abort after
 * many good bytes, and a lost closing flag. */
static void test_long_frame_errors(void **state) {
  (void)state;
  static uint8_t info[1400], out[ORA_HDLC_ENCODED_MAX(1400 + 4)], buf[1500];
  for (size_t i = 0; i < sizeof info; i++)
    info[i] = (uint8_t)(i * 7 + 3);
  for (int fcs32 = 0; fcs32 < 2; fcs32++) {
    size_t n =
        ora_hdlc_encode(out, sizeof out, 0x0021, info, sizeof info, 0xffffffffu, 0, 0, fcs32);
    sink s = {0};
    ora_hdlc_dec d;
    ora_hdlc_dec_init(&d, buf, sizeof buf);
    d.fcs32 = fcs32;
    /* each byte of the FCS and one in the middle, damaged in turn */
    size_t at[] = {n / 2, n - 2, n - 3, n - 4, n - 5};
    for (size_t k = 0; k < sizeof at / sizeof at[0]; k++) {
      out[at[k]] ^= 0x01;
      ora_hdlc_dec_input(&d, out, n, on_frame, &s);
      out[at[k]] ^= 0x01;
    }
    assert_int_equal(s.n, 0);
    assert_int_equal(d.crc_errors + d.frames, 5);
    /* abort after 1000 bytes */
    uint8_t keep[2] = {out[1000], out[1001]};
    out[1000] = 0x7d;
    out[1001] = 0x7e;
    ora_hdlc_dec_input(&d, out, 1002, on_frame, &s);
    assert_int_equal(d.aborts, 1);
    out[1000] = keep[0];
    out[1001] = keep[1];
    /* a frame without its closing flag runs into the next and fails its FCS */
    uint64_t crc = d.crc_errors;
    ora_hdlc_dec_input(&d, out, n - 1, on_frame, &s);
    ora_hdlc_dec_input(&d, out + 1, n - 1, on_frame, &s);
    assert_int_equal(s.n, 0);
    assert_true(d.crc_errors + d.overruns > crc);
    /* and then a good one */
    ora_hdlc_dec_input(&d, out, n, on_frame, &s);
    assert_int_equal(s.n, 1);
    assert_memory_equal(s.data[0] + 4, info, sizeof info);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fcs_known_values),
      cmocka_unit_test(test_encode_lcp_known_frame),
      cmocka_unit_test(test_flag_and_escape_always_escaped),
      cmocka_unit_test(test_round_trip_all_bytes_split_anywhere),
      cmocka_unit_test(test_bad_fcs_abort_runt_and_overrun),
      cmocka_unit_test(test_receive_accm_drops_inserted_controls),
      cmocka_unit_test(test_header_parse),
      cmocka_unit_test(test_compressed_encode),
      cmocka_unit_test(test_fcs_tables_are_the_polynomials),
      cmocka_unit_test(test_fcs_matches_bitwise_random),
      cmocka_unit_test(test_encode_matches_plain_encoder),
      cmocka_unit_test(test_round_trip_random_frames),
      cmocka_unit_test(test_decoder_matches_plain_decoder),
      cmocka_unit_test(test_special_frames_and_length_limit),
      cmocka_unit_test(test_long_frame_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
