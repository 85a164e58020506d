/* The Hayes modem dialog (hayes.h). */
#include "link/hayes.h"

#include <string.h>

#include "openras/rasdefs.h"

enum {
  S_IDLE,
  S_RESET,     /* reset sent, waiting for OK */
  S_INIT,      /* init string sent, waiting for OK */
  S_DIALING,   /* dial sent, waiting for the result */
  S_ONLINE,    /* CONNECT: data mode */
  S_FAILED,    /* the dial failed; the modem is on-hook or not answering */
  S_HUP_GUARD, /* data mode: quiet before "+++" */
  S_HUP_ESC,   /* "+++" sent: quiet after it, then the modem's OK */
  S_HUP_ABORT, /* CR sent to stop a dial in progress */
  S_HUP_ATH,   /* ATH sent */
  S_CLOSED     /* hung up */
};

#define DEFAULT_CMD_MS 3000u
#define DEFAULT_DIAL_MS 90000u
#define DEFAULT_GUARD_MS 1000u
#define ABORT_MS 1000u
#define ESCAPE_ANSWER_MS 1000u

static int upper(int c) {
  return (c >= 'a' && c <= 'z') ? c - 32 : c;
}

/* Does line (length len) start with word, case-insensitively? */
static int starts(const char *line, size_t len, const char *word) {
  size_t n = strlen(word);
  if (len < n)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (upper((unsigned char)line[i]) != word[i])
      return 0;
  return 1;
}

static int equals(const char *line, size_t len, const char *word) {
  return len == strlen(word) && starts(line, len, word);
}

static uint32_t parse_speed(const char *p, size_t len) {
  uint64_t v = 0;
  size_t i = 0;
  while (i < len && p[i] == ' ')
    i++;
  size_t start = i;
  while (i < len && p[i] >= '0' && p[i] <= '9' && v <= 100000000u)
    v = v * 10 + (uint64_t)(p[i++] - '0');
  return (i > start && v <= 100000000u) ? (uint32_t)v : 0;
}

int ora_hayes_classify(const char *line, size_t len, uint32_t *speed) {
  *speed = 0;
  while (len && line[len - 1] == ' ')
    len--;
  while (len && line[0] == ' ')
    line++, len--;
  if (len == 0 || starts(line, len, "AT"))
    return ORA_HAYES_NONE; /* blank, or our command echoed */
  if (line[0] >= '0' && line[0] <= '9') {
    /* ATV0 numeric codes; 5 and 10-19 are CONNECT at fixed speeds */
    static const uint32_t speeds[] = {2400,  4800,  9600,  7200,  12000,
                                      14400, 19200, 38400, 57600, 115200};
    uint32_t n = 0;
    for (size_t i = 0; i < len; i++) {
      if (line[i] < '0' || line[i] > '9' || i >= 3)
        return ORA_HAYES_UNKNOWN;
      n = n * 10 + (uint32_t)(line[i] - '0');
    }
    switch (n) {
    case 0:
      return ORA_HAYES_OK;
    case 1:
      return ORA_HAYES_CONNECT;
    case 2:
      return ORA_HAYES_NONE; /* RING */
    case 3:
      return ORA_HAYES_NO_CARRIER;
    case 4:
      return ORA_HAYES_ERROR;
    case 5:
      *speed = 1200;
      return ORA_HAYES_CONNECT;
    case 6:
      return ORA_HAYES_NO_DIALTONE;
    case 7:
      return ORA_HAYES_BUSY;
    case 8:
      return ORA_HAYES_NO_ANSWER;
    default:
      if (n >= 10 && n <= 19) {
        *speed = speeds[n - 10];
        return ORA_HAYES_CONNECT;
      }
      return ORA_HAYES_UNKNOWN;
    }
  }
  if (equals(line, len, "OK"))
    return ORA_HAYES_OK;
  if (starts(line, len, "CONNECT")) {
    if (len > 7 && line[7] != ' ' && line[7] != '/')
      return ORA_HAYES_UNKNOWN;
    *speed = parse_speed(line + 7, len - 7);
    return ORA_HAYES_CONNECT;
  }
  if (equals(line, len, "BUSY"))
    return ORA_HAYES_BUSY;
  if (equals(line, len, "NO ANSWER"))
    return ORA_HAYES_NO_ANSWER;
  if (equals(line, len, "NO CARRIER"))
    return ORA_HAYES_NO_CARRIER;
  if (equals(line, len, "NO DIALTONE") || equals(line, len, "NO DIAL TONE"))
    return ORA_HAYES_NO_DIALTONE;
  if (equals(line, len, "VOICE"))
    return ORA_HAYES_VOICE;
  if (equals(line, len, "ERROR"))
    return ORA_HAYES_ERROR;
  static const char *const progress[] = {
      "RING",  "RRING", "RINGING", "DIALING", "CARRIER", "PROTOCOL", "COMPRESSION",
      "+MCR:", "+MRR:", "+ER:",    "+DR:",    "+ILRR:",  "+FCERROR"};
  for (size_t i = 0; i < sizeof progress / sizeof progress[0]; i++)
    if (starts(line, len, progress[i]))
      return ORA_HAYES_NONE;
  return ORA_HAYES_UNKNOWN;
}

uint32_t ora_hayes_error(int result) {
  switch (result) {
  case ORA_HAYES_OK:
  case ORA_HAYES_CONNECT:
    return 0;
  case ORA_HAYES_BUSY:
    return ORA_ERROR_LINE_BUSY;
  case ORA_HAYES_NO_ANSWER:
    return ORA_ERROR_NO_ANSWER;
  case ORA_HAYES_NO_CARRIER:
    return ORA_ERROR_NO_CARRIER;
  case ORA_HAYES_NO_DIALTONE:
    return ORA_ERROR_NO_DIALTONE;
  case ORA_HAYES_VOICE:
    return ORA_ERROR_VOICE_ANSWER;
  default:
    return ORA_ERROR_FROM_DEVICE;
  }
}

void ora_hayes_init(ora_hayes *h, const ora_hayes_config *cfg, const ora_hayes_callbacks *cb,
                    void *ctx) {
  memset(h, 0, sizeof *h);
  h->cfg = *cfg;
  /* Never trust the terminators of a caller's fixed buffers. */
  h->cfg.reset[sizeof h->cfg.reset - 1] = 0;
  h->cfg.init[sizeof h->cfg.init - 1] = 0;
  h->cfg.dial[sizeof h->cfg.dial - 1] = 0;
  if (!h->cfg.cmd_timeout_ms)
    h->cfg.cmd_timeout_ms = DEFAULT_CMD_MS;
  if (!h->cfg.dial_timeout_ms)
    h->cfg.dial_timeout_ms = DEFAULT_DIAL_MS;
  if (!h->cfg.guard_ms)
    h->cfg.guard_ms = DEFAULT_GUARD_MS;
  if (!h->cfg.reset_tries)
    h->cfg.reset_tries = 2;
  h->cb = *cb;
  h->ctx = ctx;
  h->state = S_IDLE;
}

static void send_cmd(ora_hayes *h, const char *cmd, uint32_t wait_ms) {
  uint8_t buf[ORA_HAYES_CMD_MAX + 1];
  size_t n = strlen(cmd);
  memcpy(buf, cmd, n);
  buf[n++] = '\r';
  h->len = 0; /* answers to earlier commands no longer matter */
  h->overlong = 0;
  h->cb.timer(h->ctx, wait_ms);
  h->cb.write(h->ctx, buf, n);
}

static void dial_failed(ora_hayes *h, uint32_t error) {
  h->state = S_FAILED;
  h->cb.timer(h->ctx, 0);
  h->cb.done(h->ctx, error, 0);
}

static void hangup_done(ora_hayes *h) {
  h->state = S_CLOSED;
  h->cb.timer(h->ctx, 0);
  h->cb.done(h->ctx, 0, 0);
}

/* The next command of the dial sequence after `from` succeeded. */
static void next_step(ora_hayes *h, int from) {
  if (from < S_INIT && h->cfg.init[0]) {
    h->state = S_INIT;
    send_cmd(h, h->cfg.init, h->cfg.cmd_timeout_ms);
    return;
  }
  h->state = S_DIALING;
  send_cmd(h, h->cfg.dial, h->cfg.dial_timeout_ms);
}

void ora_hayes_dial(ora_hayes *h) {
  h->tries = 0;
  h->speed = 0;
  if (h->cfg.reset[0]) {
    h->state = S_RESET;
    h->tries = 1;
    send_cmd(h, h->cfg.reset, h->cfg.cmd_timeout_ms);
    return;
  }
  next_step(h, S_RESET);
}

static void send_ath(ora_hayes *h) {
  h->state = S_HUP_ATH;
  send_cmd(h, "ATH", h->cfg.cmd_timeout_ms);
}

static void on_line(ora_hayes *h) {
  uint32_t speed;
  int r = h->overlong ? ORA_HAYES_UNKNOWN : ora_hayes_classify(h->line, h->len, &speed);
  switch (h->state) {
  case S_RESET:
  case S_INIT:
    /* Only OK and ERROR answer a command; anything else is banner text or a
     * leftover from an earlier call. */
    if (r == ORA_HAYES_OK)
      next_step(h, h->state);
    else if (r == ORA_HAYES_ERROR)
      dial_failed(h, ORA_ERROR_FROM_DEVICE);
    break;
  case S_DIALING:
    if (r == ORA_HAYES_NONE)
      break;
    if (r == ORA_HAYES_CONNECT) {
      h->state = S_ONLINE;
      h->speed = speed;
      h->cb.timer(h->ctx, 0);
      h->cb.done(h->ctx, 0, speed);
      break;
    }
    /* OK after ATD: back in command mode without a call */
    dial_failed(h, r == ORA_HAYES_OK ? ORA_ERROR_FROM_DEVICE : ora_hayes_error(r));
    break;
  case S_HUP_ESC:
    if (r == ORA_HAYES_OK)
      send_ath(h);
    else if (r == ORA_HAYES_NO_CARRIER)
      hangup_done(h); /* the far end hung up first */
    break;
  case S_HUP_ABORT:
    if (r != ORA_HAYES_NONE && r != ORA_HAYES_UNKNOWN)
      send_ath(h);
    break;
  case S_HUP_ATH:
    if (r == ORA_HAYES_OK || r == ORA_HAYES_ERROR || r == ORA_HAYES_NO_CARRIER)
      hangup_done(h);
    break;
  default:
    break;
  }
}

size_t ora_hayes_input(ora_hayes *h, const uint8_t *buf, size_t len) {
  if (h->state == S_ONLINE || h->state == S_HUP_GUARD) {
    /* data mode: the bytes are the peer's, but for the LF of "CONNECT\r\n" */
    size_t n = (h->skip_lf && len && buf[0] == '\n') ? 1 : 0;
    if (len)
      h->skip_lf = 0;
    return n;
  }
  for (size_t i = 0; i < len; i++) {
    uint8_t c = buf[i];
    if (c == '\r' || c == '\n') {
      if (h->len || h->overlong) {
        on_line(h);
        h->len = 0;
        h->overlong = 0;
        if (h->state == S_ONLINE) {
          if (c == '\r' && i + 1 < len && buf[i + 1] == '\n')
            i++;
          else if (c == '\r' && i + 1 == len)
            h->skip_lf = 1; /* its LF may come in the next piece */
          return i + 1;
        }
      }
      continue;
    }
    if (c < 0x20 || c >= 0x7f)
      continue; /* noise, XON/XOFF, line garbage */
    if (h->len + 1 < sizeof h->line)
      h->line[h->len++] = (char)c;
    else
      h->overlong = 1;
  }
  return len;
}

void ora_hayes_timeout(ora_hayes *h) {
  switch (h->state) {
  case S_RESET:
    if (h->tries < h->cfg.reset_tries) {
      h->tries++;
      send_cmd(h, h->cfg.reset, h->cfg.cmd_timeout_ms);
    } else {
      dial_failed(h, ORA_ERROR_PORT_OR_DEVICE);
    }
    break;
  case S_INIT:
  case S_DIALING:
    dial_failed(h, ORA_ERROR_PORT_OR_DEVICE);
    break;
  case S_HUP_GUARD: {
    static const uint8_t esc[3] = {'+', '+', '+'};
    h->state = S_HUP_ESC;
    h->len = 0;
    h->overlong = 0;
    /* The modem answers OK right after a second guard time of silence. */
    h->cb.timer(h->ctx, h->cfg.guard_ms + ESCAPE_ANSWER_MS);
    h->cb.write(h->ctx, esc, sizeof esc);
    break;
  }
  case S_HUP_ESC: {
    /* No OK: the modem may have been in command mode already (the call dropped),
     * taking "+++" as the start of a command line; a CR ends that line. */
    static const uint8_t cr = '\r';
    h->cb.write(h->ctx, &cr, 1);
    send_ath(h);
    break;
  }
  case S_HUP_ABORT:
    send_ath(h); /* no answer: try ATH anyway; DTR drop follows it */
    break;
  case S_HUP_ATH:
    hangup_done(h);
    break;
  default:
    break;
  }
}

int ora_hayes_hangup(ora_hayes *h) {
  static const uint8_t cr = '\r';
  switch (h->state) {
  case S_ONLINE:
    h->state = S_HUP_GUARD;
    h->cb.timer(h->ctx, h->cfg.guard_ms);
    return 0;
  case S_DIALING:
    /* Any character stops a dial in progress; the modem then reports a result. */
    h->state = S_HUP_ABORT;
    h->len = 0;
    h->overlong = 0;
    h->cb.timer(h->ctx, ABORT_MS);
    h->cb.write(h->ctx, &cr, 1);
    return 0;
  case S_RESET:
  case S_INIT:
    send_ath(h);
    return 0;
  case S_HUP_GUARD:
  case S_HUP_ESC:
  case S_HUP_ABORT:
  case S_HUP_ATH:
    return 0; /* already on its way; done() will come */
  default:
    h->state = S_CLOSED;
    return 1;
  }
}

void ora_hayes_carrier_lost(ora_hayes *h) {
  if (h->state == S_ONLINE)
    h->state = S_FAILED;
}

int ora_hayes_online(const ora_hayes *h) {
  return h->state == S_ONLINE;
}
