/* Fuzz target: the Hayes modem dialog (core/link/hayes.c). The input is taken as
 * one response line for the classifier, then as a script for a dialog the way the
 * modem driver runs it: line bytes in slices, timer expiries (only while a timer
 * is armed), dials and hang-ups. Checked: no memory error or undefined behaviour,
 * input never consumes more than it is given, done() comes once per dial or
 * hang-up and only then, and a connected dialog reports itself online. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link/hayes.h"

#define CHECK(c)                                                                                   \
  do {                                                                                             \
    if (!(c)) {                                                                                    \
      fprintf(stderr, "fuzz_hayes: check failed at line %d: %s\n", __LINE__, #c);                  \
      abort();                                                                                     \
    }                                                                                              \
  } while (0)

typedef struct drv {
  uint32_t timer_ms; /* armed timer, 0 = none */
  int pending;       /* a dial or hang-up whose done() has not come */
  int dones;
  uint32_t error;
  size_t written;
} drv;

static void d_write(void *ctx, const uint8_t *buf, size_t len) {
  drv *d = ctx;
  CHECK(buf && len > 0 && len <= ORA_HAYES_CMD_MAX + 1);
  d->written += len;
}
static void d_timer(void *ctx, uint32_t ms) {
  drv *d = ctx;
  d->timer_ms = ms;
}
static void d_done(void *ctx, uint32_t error, uint32_t speed) {
  drv *d = ctx;
  (void)speed;
  CHECK(d->pending == 1);
  d->pending = 0;
  d->dones++;
  d->error = error;
}

static const ora_hayes_callbacks cbs = {d_write, d_timer, d_done};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint32_t speed = 12345;
  int r = ora_hayes_classify((const char *)data, size, &speed);
  CHECK(r >= ORA_HAYES_NONE && r <= ORA_HAYES_UNKNOWN);
  if (r != ORA_HAYES_OK && r != ORA_HAYES_CONNECT && r != ORA_HAYES_NONE)
    CHECK(ora_hayes_error(r) != 0);
  if (size < 1)
    return 0;

  uint8_t mode = data[0];
  ora_hayes_config c;
  memset(&c, 0, sizeof c);
  if (mode & 1)
    strcpy(c.reset, "ATZ");
  if (mode & 2)
    strcpy(c.init, "ATE0V1&C1&D2");
  if (mode & 4)
    memset(c.dial, 'D', sizeof c.dial); /* unterminated: init must cut it */
  else
    strcpy(c.dial, "ATDT5551234");
  c.cmd_timeout_ms = (mode & 8) ? 0 : 100;
  c.reset_tries = (mode >> 4) & 3;
  ora_hayes h;
  drv d;
  memset(&d, 0, sizeof d);
  ora_hayes_init(&h, &c, &cbs, &d);
  d.pending = 1;
  ora_hayes_dial(&h);

  size_t i = 1;
  while (i < size) {
    uint8_t op = data[i++];
    if (op < 0xf0) {
      size_t k = (size_t)(op & 0x3f) + 1;
      if (k > size - i)
        k = size - i;
      int was_online = ora_hayes_online(&h);
      size_t used = ora_hayes_input(&h, data + i, k);
      CHECK(used <= k); /* less in data mode: online, or the guard time of a hang-up */
      if (was_online)
        CHECK(used <= 1); /* data mode: at most the LF of CONNECT's CR LF */
      i += k;
      continue;
    }
    switch (op) {
    case 0xf0:
      if (d.timer_ms) {
        d.timer_ms = 0;
        ora_hayes_timeout(&h);
      }
      break;
    case 0xf1:
      if (d.pending)
        break; /* the driver waits for done() before hanging up ... */
      d.pending = 1;
      if (ora_hayes_hangup(&h) != 0) {
        d.pending = 0; /* nothing to hang up: no done() */
        CHECK(!ora_hayes_online(&h));
      }
      break;
    case 0xf2:
      if (!d.pending && !ora_hayes_online(&h)) {
        d.pending = 1;
        ora_hayes_dial(&h);
      }
      break;
    case 0xf3:
      if (d.pending) /* ... or hangs up a dial in progress: done() will come */
        CHECK(ora_hayes_hangup(&h) == 0);
      break;
    default:
      break;
    }
  }
  /* Whatever happened, a hang-up answered by nobody ends within a few timeouts. */
  if (d.pending) {
    CHECK(ora_hayes_hangup(&h) == 0);
  } else {
    d.pending = 1;
    if (ora_hayes_hangup(&h) != 0)
      d.pending = 0;
  }
  for (int t = 0; t < 8 && d.pending && d.timer_ms; t++) {
    d.timer_ms = 0;
    ora_hayes_timeout(&h);
  }
  CHECK(!d.pending);
  CHECK(!ora_hayes_online(&h));
  return 0;
}
