/* The Hayes modem dial stage (modem.h). */
#include "link/modem.h"

#include <stdlib.h>
#include <string.h>

#include "openras/base/loop.h"
#include "openras/base/trace.h"
#include "openras/engine.h"

struct ora_modem {
  struct ora_loop *loop;
  ora_chan *chan;
  ora_hayes hayes;
  ora_timer *timer;
  int dialed;
  void (*done)(void *ctx, uint32_t error, uint32_t speed);
  void *ctx;
  uint8_t tail[16]; /* the end of the last chunk, for the carrier-loss scan */
  size_t ntail;
};

static void fired(void *arg) {
  ora_modem *m = arg;
  m->timer = NULL;
  ora_hayes_timeout(&m->hayes);
}

static void arm(void *ctx, uint32_t ms) {
  ora_modem *m = ctx;
  ora_loop_cancel(m->loop, m->timer);
  m->timer = ms ? ora_loop_timer(m->loop, ms, fired, m) : NULL;
}

static void write_cmd(void *ctx, const uint8_t *buf, size_t len) {
  ora_modem *m = ctx;
  m->chan->ops->write(m->chan, buf, len);
}

static void finished(void *ctx, uint32_t error, uint32_t speed) {
  ora_modem *m = ctx;
  m->done(m->ctx, error, speed);
}

static const ora_hayes_callbacks hayes_cbs = {write_cmd, arm, finished};

int ora_modem_create(struct ora_loop *loop, const ora_hayes_config *cfg, ora_chan *chan,
                     void (*done)(void *ctx, uint32_t error, uint32_t speed), void *ctx,
                     ora_modem **out) {
  ora_modem *m = calloc(1, sizeof *m);
  if (!m)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  m->loop = loop;
  m->chan = chan;
  m->done = done;
  m->ctx = ctx;
  ora_hayes_init(&m->hayes, cfg, &hayes_cbs, m);
  *out = m;
  return 0;
}

void ora_modem_destroy(ora_modem *m) {
  if (!m)
    return;
  ora_loop_cancel(m->loop, m->timer);
  free(m);
}

void ora_modem_dial(ora_modem *m) {
  if (m->dialed)
    return;
  m->dialed = 1;
  m->chan->ops->discard(m->chan); /* whatever came before the dial is not PPP */
  ora_hayes_dial(&m->hayes);
}

int ora_modem_in_dialog(const ora_modem *m) {
  return m->dialed && !ora_hayes_online(&m->hayes);
}

size_t ora_modem_input(ora_modem *m, const uint8_t *buf, size_t len) {
  return ora_hayes_input(&m->hayes, buf, len);
}

int ora_modem_online(const ora_modem *m) {
  return ora_hayes_online(&m->hayes);
}

/* Whether the modem's "NO CARRIER" result arrived in data mode: a Hayes modem that
 * loses the carrier goes back to command mode and says so (verbose result codes,
 * CR LF around the text). It comes after the last frame's closing flag, and a flag
 * followed by CR LF can never start a PPP frame (no address field 0x0d, no
 * protocol 0x0d0a, and the compressed protocol 0x0d is not assigned), so user data
 * cannot fake it. The pattern may span chunks: the last bytes are kept. */
static int has_pattern(const uint8_t *p, size_t n, const uint8_t *pat, size_t pn) {
  for (const uint8_t *end = p + n; (p = memchr(p, pat[0], (size_t)(end - p))); p++)
    if ((size_t)(end - p) >= pn && memcmp(p, pat, pn) == 0)
      return 1;
  return 0;
}

int ora_modem_carrier_lost(ora_modem *m, const uint8_t *buf, size_t len) {
  static const uint8_t pat[] = "\x7e\r\nNO CARRIER";
  enum { PN = sizeof pat - 1, KEEP = PN - 1 };
  _Static_assert(sizeof m->tail >= KEEP, "carrier scan tail");
  /* The kept tail and the head of this chunk, for a pattern across the boundary. */
  uint8_t joined[2 * PN];
  size_t head = len < KEEP ? len : KEEP;
  memcpy(joined, m->tail, m->ntail);
  memcpy(joined + m->ntail, buf, head);
  int found = has_pattern(joined, m->ntail + head, pat, PN) || has_pattern(buf, len, pat, PN);
  /* Keep the last KEEP bytes of tail + chunk. */
  size_t total = m->ntail + len, drop = total > KEEP ? total - KEEP : 0;
  if (drop >= m->ntail) {
    memcpy(m->tail, buf + (drop - m->ntail), total - drop);
  } else {
    memmove(m->tail, m->tail + drop, m->ntail - drop);
    memcpy(m->tail + m->ntail - drop, buf, len);
  }
  m->ntail = total - drop;
  if (found) {
    ora_trace("link: modem reported NO CARRIER");
    ora_hayes_carrier_lost(&m->hayes);
  }
  return found;
}

int ora_modem_hangup(ora_modem *m) {
  return m->dialed ? ora_hayes_hangup(&m->hayes) : -1;
}
