/* The data plane's packet path (core/net/dataplane.c) driven by any interleaving of
 * what can happen to it: the helper's start succeeding or failing, its bytes (well-formed
 * messages, junk, a READY, packets that are or are not IPv4), its end, the peer's
 * packets, the READY time limit passing, and the bearer stopping and restarting it
 * (link down and up), also from inside each of its callbacks. Must never read out of
 * bounds, leak, use freed memory, hand on a packet the rules refuse, or call back after
 * a stop. The helper's stream is replaced by an in-memory one here (no process per
 * input); time is the virtual loop's. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/dataplane.h"
#include "openras/dpwire.h"
#include "openras/rasdefs.h"
#include "os/stream.h"
#include "virtual_loop.h"

#define CHECK(c)                                                                                   \
  do {                                                                                             \
    if (!(c)) {                                                                                    \
      fprintf(stderr, "fuzz_dpevents: check failed at line %d: %s\n", __LINE__, #c);               \
      abort();                                                                                     \
    }                                                                                              \
  } while (0)

/* ---------------------------------------------------------------- the helper's stream */

struct ora_stream {
  ora_stream_opened_fn opened;
  ora_stream_rx_fn rx;
  void *ctx;
  int opened_called, ended, configs;
};

static ora_stream *g_st;  /* the open stream, or NULL */
static int g_open_fails;  /* the next open fails at once */
static int g_write_fails; /* writes fail (a stalled helper) */

int ora_stream_open_async(struct ora_loop *loop, const ora_stream_params *p,
                          ora_stream_opened_fn opened, ora_stream_rx_fn rx, void *ctx,
                          ora_stream **out) {
  (void)loop;
  CHECK(p->kind == ORA_STREAM_HELPER && p->target && p->target[0]);
  CHECK(g_st == NULL); /* one data plane at a time here */
  *out = NULL;
  if (g_open_fails)
    return ORA_ERROR_PORT_NOT_FOUND;
  ora_stream *st = calloc(1, sizeof *st);
  CHECK(st != NULL);
  st->opened = opened;
  st->rx = rx;
  st->ctx = ctx;
  g_st = *out = st;
  return 0;
}

/* What the manager writes to its helper: CONFIG once, first, then checked packets. */
int ora_stream_write(ora_stream *st, const void *buf, size_t len) {
  CHECK(st && st == g_st && st->opened_called && !st->ended);
  uint8_t type;
  const uint8_t *body;
  size_t n;
  long used = ora_dpw_next(buf, len, &type, &body, &n);
  CHECK(used > 0 && (size_t)used == len);
  if (type == ORA_DPW_CONFIG) {
    CHECK(st->configs++ == 0);
    ora_dpw_config c;
    CHECK(ora_dpw_config_decode(body, n, &c) == 0);
  } else {
    CHECK(type == ORA_DPW_PACKET && st->configs == 1);
    CHECK(ora_ipv4_check(body, n) == 0);
  }
  return g_write_fails ? ORA_ERROR_PORT_DISCONNECTED : 0;
}

void ora_stream_close(ora_stream *st) {
  if (!st)
    return;
  CHECK(st == g_st);
  free(st);
  g_st = NULL;
}

/* ---------------------------------------------------------------- the bearer */

typedef struct bearer {
  ora_loop *loop;
  ora_dp *dp;
  int reported, up, ended;
  int stop_in; /* 1 ready, 2 packet, 3 ended: the bearer stops the data plane there */
  uint16_t mtu;
} bearer;

static void stop(bearer *b) {
  ora_dp_stop(b->dp);
  b->dp = NULL;
}

static void on_ready(void *ctx, uint32_t error, const char *ifname) {
  bearer *b = ctx;
  CHECK(b->dp && !b->reported);
  b->reported = 1;
  CHECK(error == 0 || error == ORA_ERROR_NO_IP_RAS_ADAPTER);
  CHECK(strlen(ifname) < 16);
  b->up = error == 0;
  if (error || b->stop_in == 1)
    stop(b); /* as the bearer does with a failed data plane */
}

static void on_packet(void *ctx, const uint8_t *pkt, size_t len) {
  bearer *b = ctx;
  CHECK(b->dp && b->up && !b->ended);
  CHECK(ora_ipv4_check(pkt, len) == 0 && len <= b->mtu);
  if (b->stop_in == 2)
    stop(b);
}

static void on_ended(void *ctx) {
  bearer *b = ctx;
  CHECK(b->dp && b->up && !b->ended);
  b->ended = 1;
  if (b->stop_in == 3)
    stop(b);
}

static const ora_dp_events k_events = {on_ready, on_packet, on_ended};

static void start(bearer *b, uint16_t mtu) {
  ora_dp_params p;
  memset(&p, 0, sizeof p);
  p.helper = "/fuzz/openras-tun";
  p.local = 0x0a00020f;
  p.peer = 0x0a000202;
  p.mtu = mtu;
  b->reported = b->up = b->ended = 0;
  int rc = ora_dp_start(b->loop, &p, &k_events, b, &b->dp);
  CHECK((rc == 0) == (b->dp != NULL));
  if (b->dp)
    b->mtu = mtu < 68 ? 68 : mtu > 1500 ? 1500 : mtu; /* as ora_dp_start clamps it */
}

/* Bytes from the helper, as the stream would deliver them (only while open). */
static void helper_says(bearer *b, const uint8_t *p, size_t n) {
  if (b->dp && g_st && g_st->opened_called && !g_st->ended) {
    if (n == 0)
      g_st->ended = 1;
    g_st->rx(g_st->ctx, p, n);
  }
}

static void helper_message(bearer *b, uint8_t type, const uint8_t *body, size_t n) {
  uint8_t m[ORA_DPW_HEADER + ORA_DPW_BODY_MAX];
  if (n > ORA_DPW_BODY_MAX)
    n = ORA_DPW_BODY_MAX;
  ora_dpw_header(m, type, n);
  memcpy(m + ORA_DPW_HEADER, body, n);
  helper_says(b, m, ORA_DPW_HEADER + n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  bearer b;
  memset(&b, 0, sizeof b);
  CHECK(ora_loop_create(&b.loop) == 0);
  g_open_fails = g_write_fails = 0;
  size_t i = 0;
#define NEXT() (i < size ? data[i++] : 0)
  start(&b, (uint16_t)(576 + NEXT() * 4));
  while (i < size) {
    uint8_t op = NEXT(), arg = NEXT();
    size_t n = arg;
    if (n > size - i)
      n = size - i;
    switch (op % 10) {
    case 0: /* the helper started, or could not be */
      if (b.dp && g_st && !g_st->opened_called) {
        g_st->opened_called = 1;
        g_st->ended = arg & 1; /* a failed start: nothing follows */
        g_st->opened(g_st->ctx, arg & 1 ? ORA_ERROR_PORT_NOT_FOUND : 0);
      }
      break;
    case 1: /* junk from the helper */
      helper_says(&b, data + i, n);
      i += n;
      break;
    case 2: { /* READY: OK with a name of arg bytes, or a refusal */
      uint8_t body[4 + 32];
      memset(body, 0, sizeof body);
      body[3] = arg & 0x80 ? (uint8_t)(arg & 3) : 0;
      size_t name = arg & 31;
      memset(body + 4, 'r', name);
      helper_message(&b, ORA_DPW_READY, body, 4 + name);
      break;
    }
    case 3: /* a packet the helper read from the TUN */
      helper_message(&b, ORA_DPW_PACKET, data + i, n * 8 > size - i ? size - i : n * 8);
      i += n * 8 > size - i ? size - i : n * 8;
      break;
    case 4: /* the helper ended */
      helper_says(&b, NULL, 0);
      break;
    case 5: { /* a packet from the peer */
      size_t len = n * 8 > size - i ? size - i : n * 8;
      if (b.dp)
        ora_dp_from_link(b.dp, data + i, len);
      i += len;
      break;
    }
    case 6: /* time passes (the READY limit is 10 s) */
      vloop_advance(b.loop, (uint64_t)arg * 100);
      break;
    case 7: /* link down and up: the bearer stops the data plane and starts another */
      stop(&b);
      g_open_fails = arg & 1;
      start(&b, (uint16_t)(arg * 8));
      break;
    case 8: /* where the bearer stops it next */
      b.stop_in = arg % 4;
      break;
    default: /* a helper that stops reading */
      g_write_fails = arg & 1;
      break;
    }
  }
#undef NEXT
  stop(&b);
  CHECK(g_st == NULL);        /* its stream was closed */
  CHECK(ora_dp_count() == 0); /* and it was freed */
  CHECK(vloop_timer_count(b.loop) == 0);
  ora_loop_destroy(b.loop);
  return 0;
}
