/* PPP framing speed on one core: HDLC escape+FCS-16 (ora_hdlc_encode), unescape+FCS
 * check (ora_hdlc_dec_input), and FCS-16/FCS-32 alone, in MB/s of payload. Frames of
 * 1500 bytes of random payload with the ACCM a real link uses after LCP (0: only 7D
 * and 7E escaped) and the worst case before it (every control character escaped).
 * Timed in thread CPU time, so the figure is per core even on a busy machine.
 * Prints "name<TAB>value<TAB>unit<TAB>runs" lines (median of runs). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ppp/hdlc.h"
#include "../bench_stats.h"

#define FRAME 1500
#define FRAMES 4096 /* 6 MB of payload per run */

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t g_frames;
static volatile uint32_t g_sink;
static void on_frame(void *ctx, const uint8_t *f, size_t len) {
  (void)ctx;
  g_frames++;
  g_sink += f[len - 1];
}

/* Not timed: the last frame encoded decodes back to the protocol byte and the
 * payload, so the figures are those of framing that works. */
typedef struct check {
  const uint8_t *payload;
  int ok;
} check;

static void on_check(void *ctx, const uint8_t *f, size_t len) {
  check *c = ctx;
  c->ok = len == FRAME + 1 && f[0] == 0x21 && memcmp(f + 1, c->payload, FRAME) == 0;
}

static int decodes_back(const uint8_t *wire, size_t n, uint32_t accm, const uint8_t *payload) {
  static uint8_t buf[FRAME + 16];
  check c = {payload, 0};
  ora_hdlc_dec d;
  ora_hdlc_dec_init(&d, buf, sizeof buf);
  d.accm = accm;
  ora_hdlc_dec_input(&d, wire, n, on_check, &c);
  return c.ok && d.frames == 1;
}

int main(int argc, char **argv) {
  int runs = argc > 1 ? atoi(argv[1]) : 15;
  uint8_t *payload = malloc(FRAME);
  size_t cap = ORA_HDLC_ENCODED_MAX(FRAME);
  uint8_t *wire = malloc(cap * FRAMES), *rx = malloc(FRAME + 16);
  size_t *lens = malloc(FRAMES * sizeof *lens);
  double *r = malloc((size_t)runs * sizeof *r);
  srand(1);
  for (size_t i = 0; i < FRAME; i++)
    payload[i] = (uint8_t)rand();
  const double mb = (double)FRAME * FRAMES / 1e6;
  static const struct {
    const char *name;
    uint32_t accm;
  } modes[] = {{"accm0", 0}, {"accmFF", 0xffffffffu}};

  for (size_t m = 0; m < 2; m++) {
    for (int k = 0; k < runs; k++) {
      double t0 = now_s();
      for (size_t i = 0; i < FRAMES; i++) {
        payload[0] = (uint8_t)i; /* not a constant the compiler could fold */
        lens[i] =
            ora_hdlc_encode(wire + i * cap, cap, 0x0021, payload, FRAME, modes[m].accm, 1, 1, 0);
      }
      r[k] = mb / (now_s() - t0);
    }
    printf("hdlc_encode_%s_MBps\t%.0f\tMB/s\t%d\n", modes[m].name, median(r, (size_t)runs), runs);
    if (!decodes_back(wire + (FRAMES - 1) * cap, lens[FRAMES - 1], modes[m].accm, payload)) {
      fprintf(stderr, "bench_hdlc: the %s frames do not decode back\n", modes[m].name);
      return 1;
    }
    for (int k = 0; k < runs; k++) {
      ora_hdlc_dec d;
      ora_hdlc_dec_init(&d, rx, FRAME + 16);
      d.accm = modes[m].accm ? 0xffffffffu : 0;
      g_frames = 0;
      double t0 = now_s();
      for (size_t i = 0; i < FRAMES; i++)
        ora_hdlc_dec_input(&d, wire + i * cap, lens[i], on_frame, NULL);
      r[k] = mb / (now_s() - t0);
      if (g_frames != FRAMES) {
        fprintf(stderr, "bench_hdlc: %zu of %d frames decoded\n", g_frames, FRAMES);
        return 1;
      }
    }
    printf("hdlc_decode_%s_MBps\t%.0f\tMB/s\t%d\n", modes[m].name, median(r, (size_t)runs), runs);
  }
  for (int k = 0; k < runs; k++) {
    double t0 = now_s();
    uint16_t f = ORA_FCS16_INIT;
    for (size_t i = 0; i < FRAMES; i++)
      f = ora_fcs16(f, payload, FRAME);
    r[k] = mb / (now_s() - t0);
    g_sink += f;
  }
  printf("fcs16_MBps\t%.0f\tMB/s\t%d\n", median(r, (size_t)runs), runs);
  for (int k = 0; k < runs; k++) {
    double t0 = now_s();
    uint32_t f = ORA_FCS32_INIT;
    for (size_t i = 0; i < FRAMES; i++)
      f = ora_fcs32(f, payload, FRAME);
    r[k] = mb / (now_s() - t0);
    g_sink += f;
  }
  printf("fcs32_MBps\t%.0f\tMB/s\t%d\n", median(r, (size_t)runs), runs);
  free(payload);
  free(wire);
  free(rx);
  free(lens);
  free(r);
  return 0;
}
