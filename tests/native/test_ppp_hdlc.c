/* RFC 1662 framing: FCS values, escaping, ACCM, the incremental decoder on split,
 * damaged and oversized input, and header compression parsing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

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
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
