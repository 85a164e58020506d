/* The Hayes dialog (core/link/hayes.c) on byte streams split at every place:
 * result codes and their RAS errors, echo, numeric mode, timeouts, hang-up from
 * data mode and while dialing, and random input that must never overrun. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "link/hayes.h"
#include "openras/rasdefs.h"

/* ---- a recorder standing in for the driver ---- */

typedef struct rec {
  char out[4096]; /* everything written to the line */
  size_t nout;
  uint32_t timer_ms; /* last armed, 0 = stopped */
  int timers;        /* arms */
  int done;
  uint32_t error, speed;
} rec;

static void r_write(void *ctx, const uint8_t *buf, size_t len) {
  rec *r = ctx;
  assert_true(r->nout + len < sizeof r->out);
  memcpy(r->out + r->nout, buf, len);
  r->nout += len;
  r->out[r->nout] = 0;
}
static void r_timer(void *ctx, uint32_t ms) {
  rec *r = ctx;
  r->timer_ms = ms;
  if (ms)
    r->timers++;
}
static void r_done(void *ctx, uint32_t error, uint32_t speed) {
  rec *r = ctx;
  r->done++;
  r->error = error;
  r->speed = speed;
}
static const ora_hayes_callbacks cbs = {r_write, r_timer, r_done};

static void setup(ora_hayes *h, rec *r, const char *reset, const char *init, const char *dial) {
  ora_hayes_config c;
  memset(&c, 0, sizeof c);
  strcpy(c.reset, reset);
  strcpy(c.init, init);
  strcpy(c.dial, dial);
  c.cmd_timeout_ms = 100;
  c.dial_timeout_ms = 1000;
  c.guard_ms = 50;
  memset(r, 0, sizeof *r);
  ora_hayes_init(h, &c, &cbs, r);
}

/* Feeds text in pieces of `step` bytes (0: random pieces from seed); returns the
 * bytes the dialog left to the caller (the data after CONNECT). */
static size_t feed(ora_hayes *h, const char *text, size_t step, unsigned seed, char *rest,
                   size_t cap) {
  size_t n = strlen(text), pos = 0, nrest = 0;
  srand(seed);
  while (pos < n) {
    size_t k = step ? step : 1 + (size_t)rand() % 7;
    if (k > n - pos)
      k = n - pos;
    size_t used = ora_hayes_input(h, (const uint8_t *)text + pos, k);
    assert_true(used <= k);
    assert_true(nrest + (k - used) < cap);
    memcpy(rest + nrest, text + pos + used, k - used);
    nrest += k - used;
    pos += k;
  }
  rest[nrest] = 0;
  return nrest;
}

/* ---- classification ---- */

static void test_classify(void **state) {
  (void)state;
  static const struct {
    const char *line;
    int result;
    uint32_t speed;
  } cases[] = {
      {"OK", ORA_HAYES_OK, 0},
      {"ok", ORA_HAYES_OK, 0},
      {"CONNECT", ORA_HAYES_CONNECT, 0},
      {"CONNECT 115200", ORA_HAYES_CONNECT, 115200},
      {"CONNECT 28800/ARQ/V34/LAPM/V42BIS", ORA_HAYES_CONNECT, 28800},
      {"CONNECT/ARQ", ORA_HAYES_CONNECT, 0},
      {"CONNECTED", ORA_HAYES_UNKNOWN, 0},
      {"BUSY", ORA_HAYES_BUSY, 0},
      {"NO ANSWER", ORA_HAYES_NO_ANSWER, 0},
      {"NO CARRIER", ORA_HAYES_NO_CARRIER, 0},
      {"NO DIALTONE", ORA_HAYES_NO_DIALTONE, 0},
      {"NO DIAL TONE", ORA_HAYES_NO_DIALTONE, 0},
      {"VOICE", ORA_HAYES_VOICE, 0},
      {"ERROR", ORA_HAYES_ERROR, 0},
      {"  OK  ", ORA_HAYES_OK, 0},
      {"ATDT5551234", ORA_HAYES_NONE, 0},
      {"RING", ORA_HAYES_NONE, 0},
      {"CARRIER 28800", ORA_HAYES_NONE, 0},
      {"PROTOCOL: LAPM", ORA_HAYES_NONE, 0},
      {"COMPRESSION: V.42BIS", ORA_HAYES_NONE, 0},
      {"", ORA_HAYES_NONE, 0},
      {"0", ORA_HAYES_OK, 0},
      {"1", ORA_HAYES_CONNECT, 0},
      {"3", ORA_HAYES_NO_CARRIER, 0},
      {"4", ORA_HAYES_ERROR, 0},
      {"5", ORA_HAYES_CONNECT, 1200},
      {"6", ORA_HAYES_NO_DIALTONE, 0},
      {"7", ORA_HAYES_BUSY, 0},
      {"8", ORA_HAYES_NO_ANSWER, 0},
      {"12", ORA_HAYES_CONNECT, 9600},
      {"99", ORA_HAYES_UNKNOWN, 0},
      {"12345", ORA_HAYES_UNKNOWN, 0},
      {"DELAYED", ORA_HAYES_UNKNOWN, 0},
      {"HELLO", ORA_HAYES_UNKNOWN, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    uint32_t speed = 77;
    int r = ora_hayes_classify(cases[i].line, strlen(cases[i].line), &speed);
    if (r != cases[i].result || speed != cases[i].speed)
      fail_msg("\"%s\": result %d speed %u", cases[i].line, r, (unsigned)speed);
  }
  assert_int_equal(ora_hayes_error(ORA_HAYES_BUSY), ORA_ERROR_LINE_BUSY);
  assert_int_equal(ora_hayes_error(ORA_HAYES_NO_ANSWER), ORA_ERROR_NO_ANSWER);
  assert_int_equal(ora_hayes_error(ORA_HAYES_NO_CARRIER), ORA_ERROR_NO_CARRIER);
  assert_int_equal(ora_hayes_error(ORA_HAYES_NO_DIALTONE), ORA_ERROR_NO_DIALTONE);
  assert_int_equal(ora_hayes_error(ORA_HAYES_VOICE), ORA_ERROR_VOICE_ANSWER);
  assert_int_equal(ora_hayes_error(ORA_HAYES_ERROR), ORA_ERROR_FROM_DEVICE);
  assert_int_equal(ora_hayes_error(ORA_HAYES_UNKNOWN), ORA_ERROR_FROM_DEVICE);
  assert_int_equal(ora_hayes_error(ORA_HAYES_OK), 0);
}

/* ---- a whole dial, split everywhere ---- */

/* A modem with echo on until ATE0, then CONNECT and the first PPP bytes. */
static const char transcript[] = "ATZ\r\r\nOK\r\n"
                                 "ATE0V1\r\r\nOK\r\n"
                                 "\r\nCARRIER 33600\r\n\r\nPROTOCOL: LAPM\r\n"
                                 "\r\nCONNECT 33600/ARQ\r\n"
                                 "~\xff\x7d\x23\xc0\x21~";
static const char ppp_bytes[] = "~\xff\x7d\x23\xc0\x21~";

static void test_dial_split_everywhere(void **state) {
  (void)state;
  for (unsigned mode = 0; mode < 64; mode++) {
    ora_hayes h;
    rec r;
    char rest[256];
    setup(&h, &r, "ATZ", "ATE0V1", "ATDT5551234");
    ora_hayes_dial(&h);
    assert_string_equal(r.out, "ATZ\r");
    /* step 1..32 bytes, then random pieces */
    size_t n = feed(&h, transcript, mode < 32 ? mode + 1 : 0, mode, rest, sizeof rest);
    assert_int_equal(r.done, 1);
    assert_int_equal(r.error, 0);
    assert_int_equal(r.speed, 33600);
    assert_string_equal(r.out, "ATZ\rATE0V1\rATDT5551234\r");
    assert_true(ora_hayes_online(&h));
    assert_int_equal(r.timer_ms, 0);
    /* every byte after the CONNECT line is the caller's, in order */
    assert_int_equal(n, strlen(ppp_bytes));
    assert_memory_equal(rest, ppp_bytes, n);
  }
}

static void dial_expect(const char *answer, uint32_t error) {
  for (unsigned step = 1; step <= 4; step++) {
    ora_hayes h;
    rec r;
    char rest[256];
    setup(&h, &r, "", "", "ATDP9,5551234");
    ora_hayes_dial(&h);
    assert_string_equal(r.out, "ATDP9,5551234\r");
    feed(&h, answer, step, step, rest, sizeof rest);
    if (r.done != 1 || r.error != error)
      fail_msg("answer \"%s\": done %d error %u, want %u", answer, r.done, (unsigned)r.error,
               (unsigned)error);
    assert_false(ora_hayes_online(&h));
    assert_int_equal(r.timer_ms, 0);
    /* a failed dial has nothing left to hang up */
    assert_int_equal(ora_hayes_hangup(&h), 1);
  }
}

static void test_result_codes(void **state) {
  (void)state;
  dial_expect("\r\nBUSY\r\n", ORA_ERROR_LINE_BUSY);
  dial_expect("\r\nNO ANSWER\r\n", ORA_ERROR_NO_ANSWER);
  dial_expect("\r\nNO CARRIER\r\n", ORA_ERROR_NO_CARRIER);
  dial_expect("\r\nNO DIALTONE\r\n", ORA_ERROR_NO_DIALTONE);
  dial_expect("\r\nNO DIAL TONE\r\n", ORA_ERROR_NO_DIALTONE);
  dial_expect("\r\nVOICE\r\n", ORA_ERROR_VOICE_ANSWER);
  dial_expect("\r\nERROR\r\n", ORA_ERROR_FROM_DEVICE);
  dial_expect("\r\nOK\r\n", ORA_ERROR_FROM_DEVICE); /* back in command mode: no call */
  dial_expect("\r\nBLACKLISTED\r\n", ORA_ERROR_FROM_DEVICE);
  /* echo, RING and progress text are skipped on the way */
  dial_expect("ATDP9,5551234\r\r\nRING\r\n\r\nDIALING\r\n\r\nBUSY\r\n", ORA_ERROR_LINE_BUSY);
  /* numeric (ATV0) codes end with CR only */
  dial_expect("7\r", ORA_ERROR_LINE_BUSY);
  dial_expect("3\r", ORA_ERROR_NO_CARRIER);
  dial_expect("6\r", ORA_ERROR_NO_DIALTONE);
  dial_expect("8\r", ORA_ERROR_NO_ANSWER);
  dial_expect("4\r", ORA_ERROR_FROM_DEVICE);
}

static void test_numeric_connect(void **state) {
  (void)state;
  ora_hayes h;
  rec r;
  char rest[64];
  setup(&h, &r, "", "", "ATDT1");
  ora_hayes_dial(&h);
  size_t n = feed(&h, "12\r~data", 1, 0, rest, sizeof rest);
  assert_int_equal(r.done, 1);
  assert_int_equal(r.error, 0);
  assert_int_equal(r.speed, 9600);
  assert_int_equal(n, 5);
  assert_string_equal(rest, "~data");
}

static void test_init_error(void **state) {
  (void)state;
  ora_hayes h;
  rec r;
  char rest[64];
  setup(&h, &r, "ATZ", "AT&BOGUS", "ATDT1");
  ora_hayes_dial(&h);
  feed(&h, "\r\nOK\r\n\r\nERROR\r\n", 3, 0, rest, sizeof rest);
  assert_int_equal(r.done, 1);
  assert_int_equal(r.error, ORA_ERROR_FROM_DEVICE);
  assert_string_equal(r.out, "ATZ\rAT&BOGUS\r"); /* never dialed */
}

/* Banner text while resetting is not an answer; only OK or ERROR is. */
static void test_reset_banner_ignored(void **state) {
  (void)state;
  ora_hayes h;
  rec r;
  char rest[64];
  setup(&h, &r, "ATZ", "", "ATDT1");
  ora_hayes_dial(&h);
  feed(&h, "\r\nAcme Modem v1.0\r\n\r\nNO CARRIER\r\n\r\nOK\r\n", 5, 0, rest, sizeof rest);
  assert_int_equal(r.done, 0);
  assert_string_equal(r.out, "ATZ\rATDT1\r");
}

/* ---- silence ---- */

static void test_silent_modem(void **state) {
  (void)state;
  ora_hayes h;
  rec r;
  setup(&h, &r, "ATZ", "ATE0", "ATDT1");
  ora_hayes_dial(&h);
  assert_int_equal(r.timer_ms, 100);
  ora_hayes_timeout(&h); /* the reset is sent twice before giving up */
  assert_int_equal(r.done, 0);
  assert_string_equal(r.out, "ATZ\rATZ\r");
  ora_hayes_timeout(&h);
  assert_int_equal(r.done, 1);
  assert_int_equal(r.error, ORA_ERROR_PORT_OR_DEVICE);
  assert_int_equal(r.timer_ms, 0);
  assert_int_equal(ora_hayes_hangup(&h), 1);
}

static void test_silent_dial(void **state) {
  (void)state;
  ora_hayes h;
  rec r;
  char rest[64];
  setup(&h, &r, "ATZ", "", "ATDT1");
  ora_hayes_dial(&h);
  feed(&h, "OK\r\n", 1, 0, rest, sizeof rest);
  assert_int_equal(r.timer_ms, 1000); /* the dial's own, longer time limit */
  ora_hayes_timeout(&h);
  assert_int_equal(r.done, 1);
  assert_int_equal(r.error, ORA_ERROR_PORT_OR_DEVICE);
}

/* ---- hanging up ---- */

static void go_online(ora_hayes *h, rec *r) {
  char rest[64];
  setup(h, r, "", "", "ATDT1");
  ora_hayes_dial(h);
  feed(h, "CONNECT\r\n", 2, 0, rest, sizeof rest);
  assert_true(ora_hayes_online(h));
  r->nout = 0;
  r->out[0] = 0;
  r->done = 0;
}

static void test_hangup_from_data_mode(void **state) {
  (void)state;
  ora_hayes h;
  rec r;
  char rest[64];
  go_online(&h, &r);
  assert_int_equal(ora_hayes_input(&h, (const uint8_t *)"~x~", 3), 0); /* data, not ours */
  assert_int_equal(ora_hayes_hangup(&h), 0);
  assert_int_equal(r.timer_ms, 50); /* guard time of silence first */
  assert_int_equal(r.nout, 0);
  /* data arriving during the guard time is the peer's, and not an answer */
  assert_int_equal(ora_hayes_input(&h, (const uint8_t *)"OK\r\n", 4), 0);
  ora_hayes_timeout(&h);
  assert_string_equal(r.out, "+++");
  assert_int_equal(r.timer_ms, 1050); /* guard, then the modem's OK */
  feed(&h, "~junk~\r\nOK\r\n", 1, 0, rest, sizeof rest);
  assert_string_equal(r.out, "+++ATH\r");
  assert_int_equal(r.done, 0);
  feed(&h, "\r\nOK\r\n", 6, 0, rest, sizeof rest);
  assert_int_equal(r.done, 1);
  assert_int_equal(r.error, 0);
  assert_int_equal(r.timer_ms, 0);
  assert_int_equal(ora_hayes_hangup(&h), 1); /* nothing left */
}

static void test_hangup_dead_modem(void **state) {
  (void)state;
  ora_hayes h;
  rec r;
  go_online(&h, &r);
  assert_int_equal(ora_hayes_hangup(&h), 0);
  ora_hayes_timeout(&h); /* guard: "+++" */
  ora_hayes_timeout(&h); /* no OK: end whatever line "+++" started, ATH anyway */
  assert_string_equal(r.out, "+++\rATH\r");
  assert_int_equal(r.done, 0);
  ora_hayes_timeout(&h); /* no OK to ATH either: done, DTR drop is next */
  assert_int_equal(r.done, 1);
}

static void test_hangup_remote_gone(void **state) {
  (void)state;
  ora_hayes h;
  rec r;
  char rest[64];
  go_online(&h, &r);
  assert_int_equal(ora_hayes_hangup(&h), 0);
  ora_hayes_timeout(&h);
  feed(&h, "\r\nNO CARRIER\r\n", 4, 0, rest, sizeof rest);
  assert_int_equal(r.done, 1);
  assert_string_equal(r.out, "+++");
}

static void test_hangup_while_dialing(void **state) {
  (void)state;
  ora_hayes h;
  rec r;
  char rest[64];
  setup(&h, &r, "", "", "ATDT1");
  ora_hayes_dial(&h);
  assert_int_equal(ora_hayes_hangup(&h), 0);
  assert_string_equal(r.out, "ATDT1\r\r"); /* a key press stops the dial */
  assert_int_equal(r.done, 0);
  feed(&h, "\r\nNO CARRIER\r\n", 3, 0, rest, sizeof rest);
  assert_string_equal(r.out, "ATDT1\r\rATH\r");
  feed(&h, "\r\nOK\r\n", 3, 0, rest, sizeof rest);
  assert_int_equal(r.done, 1);
  assert_int_equal(r.error, 0); /* a hang-up is not a dial failure */
}

static void test_hangup_idle(void **state) {
  (void)state;
  ora_hayes h;
  rec r;
  setup(&h, &r, "ATZ", "", "ATDT1");
  assert_int_equal(ora_hayes_hangup(&h), 1);
  assert_int_equal(r.nout, 0);
  assert_int_equal(r.done, 0);
}

/* ---- hostile input ---- */

static void test_overlong_line(void **state) {
  (void)state;
  ora_hayes h;
  rec r;
  setup(&h, &r, "", "", "ATDT1");
  ora_hayes_dial(&h);
  /* "BUSY" followed by 10 KB on the same line is one unknown line, not BUSY */
  static char big[10 * 1024 + 8];
  memcpy(big, "BUSY", 4);
  memset(big + 4, 'Z', sizeof big - 8);
  memcpy(big + sizeof big - 4, "\r\n", 3);
  assert_int_equal(ora_hayes_input(&h, (const uint8_t *)big, strlen(big)), strlen(big));
  assert_int_equal(r.done, 1);
  assert_int_equal(r.error, ORA_ERROR_FROM_DEVICE);
  assert_true(h.len < ORA_HAYES_LINE_MAX);
}

/* Random bytes in every state: no crash, never more than one done() per dialog,
 * consumed counts in range (valgrind and the sanitizers check the memory). */
static void test_random_input(void **state) {
  (void)state;
  srand(12345);
  for (int run = 0; run < 2000; run++) {
    ora_hayes h;
    rec r;
    setup(&h, &r, run % 3 ? "ATZ" : "", run % 5 ? "ATE0V1" : "", "ATDT5551234");
    ora_hayes_dial(&h);
    uint8_t buf[64];
    for (int chunk = 0; chunk < 40; chunk++) {
      size_t n = (size_t)rand() % sizeof buf;
      for (size_t i = 0; i < n; i++) {
        int k = rand() % 10;
        /* mostly text that looks like answers, so states change */
        static const char words[] = "OK\rCONNECT 9600\nBUSY\r\nERROR\r+AT";
        buf[i] = k < 6 ? (uint8_t)words[rand() % (int)(sizeof words - 1)] : (uint8_t)rand();
      }
      size_t used = ora_hayes_input(&h, buf, n);
      assert_true(used <= n);
      if (rand() % 8 == 0)
        ora_hayes_timeout(&h);
      if (rand() % 16 == 0 && r.done == 1 && ora_hayes_hangup(&h) == 0)
        r.done = 0; /* the hang-up has its own done() */
      assert_true(r.done <= 1);
      assert_true(h.len < ORA_HAYES_LINE_MAX);
    }
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_classify),
      cmocka_unit_test(test_dial_split_everywhere),
      cmocka_unit_test(test_result_codes),
      cmocka_unit_test(test_numeric_connect),
      cmocka_unit_test(test_init_error),
      cmocka_unit_test(test_reset_banner_ignored),
      cmocka_unit_test(test_silent_modem),
      cmocka_unit_test(test_silent_dial),
      cmocka_unit_test(test_hangup_from_data_mode),
      cmocka_unit_test(test_hangup_dead_modem),
      cmocka_unit_test(test_hangup_remote_gone),
      cmocka_unit_test(test_hangup_while_dialing),
      cmocka_unit_test(test_hangup_idle),
      cmocka_unit_test(test_overlong_line),
      cmocka_unit_test(test_random_input),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
