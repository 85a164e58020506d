/* Fuzz target: the L2TP access concentrator (core/l2tp/l2tp.c) in virtual time. The
 * input is a script of steps, each one byte of kind then its data: a datagram from the
 * server (two bytes of length, then the bytes), time passing (one byte, in units of
 * 50 ms), a PPP frame of ours to send, or a hang-up. Our IDs are fixed (tunnel 0x1111,
 * session 0x2222) so inputs can address the call. Checked: no memory error or undefined
 * behaviour, up comes at most once and only before down, down at most once, frames only
 * between up and down, nothing is sent after down or a hang-up, and every datagram we
 * send is a well-formed L2TPv2 message. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virtual_loop.h"

#include "l2tp/l2tp.h"

#define CHECK(c)                                                                                   \
  do {                                                                                             \
    if (!(c)) {                                                                                    \
      fprintf(stderr, "fuzz_l2tp: check failed at line %d: %s\n", __LINE__, #c);                   \
      abort();                                                                                     \
    }                                                                                              \
  } while (0)

typedef struct state {
  int up, down, closed;
} state;

static void ev_send(void *ctx, const uint8_t *d, size_t len) {
  state *s = ctx;
  CHECK(!s->down && !s->closed);
  CHECK(len >= 6 && (d[1] & 0x0f) == 2);
  if (d[0] & 0x80) { /* control: length, IDs, Ns, Nr */
    CHECK(len >= 12 && (size_t)(d[2] << 8 | d[3]) == len);
  }
}
static void ev_up(void *ctx) {
  state *s = ctx;
  CHECK(!s->up && !s->down);
  s->up = 1;
}
static void ev_frame(void *ctx, const uint8_t *f, size_t len) {
  state *s = ctx;
  CHECK(s->up && !s->down && (f || !len));
}
static void ev_down(void *ctx, uint32_t error) {
  state *s = ctx;
  CHECK(!s->down && !s->closed && error != 0);
  s->down = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ora_loop *loop;
  CHECK(ora_loop_create(&loop) == 0);
  ora_l2tp_config c;
  ora_l2tp_config_default(&c);
  c.rtx_initial_ms = 50;
  c.rtx_max_ms = 200;
  c.rtx_count = 3;
  c.hello_ms = 1000;
  c.tunnel_id = 0x1111;
  c.session_id = 0x2222;
  state s = {0, 0, 0};
  static const ora_l2tp_events ev = {ev_send, ev_up, ev_frame, ev_down};
  ora_l2tp *t;
  CHECK(ora_l2tp_create(loop, &c, &ev, &s, &t) == 0);
  ora_l2tp_start(t);
  size_t i = 0;
  while (i < size) {
    uint8_t kind = data[i++] % 4;
    if (kind == 0 && i + 2 <= size) {
      size_t n = (size_t)(data[i] << 8 | data[i + 1]);
      i += 2;
      if (n > size - i)
        n = size - i;
      uint8_t *copy = malloc(n ? n : 1); /* exactly n bytes: ASan sees any over-read */
      CHECK(copy);
      memcpy(copy, data + i, n);
      ora_l2tp_input(t, copy, n);
      free(copy);
      i += n;
    } else if (kind == 1 && i < size) {
      vloop_advance(loop, (uint64_t)data[i++] * 50);
    } else if (kind == 2) {
      static const uint8_t frame[] = {0xff, 0x03, 0xc0, 0x21, 0x09, 0x01, 0x00, 0x08, 0, 0, 0, 0};
      int rc = ora_l2tp_send_frame(t, frame, sizeof frame);
      CHECK(rc == 0 || rc == -1);
      CHECK(rc == -1 || (s.up && !s.down && !s.closed));
    } else if (kind == 3) {
      ora_l2tp_close(t);
      s.closed = 1;
    }
  }
  ora_l2tp_destroy(t);
  CHECK(vloop_timer_count(loop) == 0);
  ora_loop_destroy(loop);
  return 0;
}
