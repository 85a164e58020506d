/* The PPP link drivers: "modem" (a Hayes dialer, then PPP), "direct" (a null-modem
 * serial line: PPP at once; also selected by Windows' DEVICE=null) and "tcp" (PPP
 * over a TCP connection). docs/links.md describes them and their phone-book keys.
 *
 * RAS states and what they wait for here:
 *   OpenPort            the transport opened (on the stream's thread)
 *   PortOpened          -
 *   ConnectDevice       modem: reset, init and dial answered CONNECT
 *   DeviceConnected, AllDevicesConnected   -
 *   Authenticate        PPP started; LCP opened and authentication finished (or
 *                       none was asked for)
 *   AuthNotify          the authentication result: 691 -> RetryAuthentication
 *                       (the engine turns it into error 691 unless paused states
 *                       were asked for), other refusals (648 ...) fail here
 *   AuthProject         IPCP opened
 *   Authenticated, Projected -> Connected
 * The peer does not wait for the engine (the application's notifier may be slow),
 * so PPP runs on by itself and this driver only records what happened; each
 * step() reports from those records, once, when the state's condition holds.
 *
 * Teardown (hangup): LCP Terminate (bounded), then for a modem "+++"/ATH, then
 * DTR drop and close; ora_link_closed() is always called from a timer of ours so
 * the engine never frees us under our own feet. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/loop.h"
#include "engine/text.h"
#include "engine/trace.h"
#include "openras/devnames.h"
#include "link/hayes.h"
#include "link/link.h"
#include "link/ppp_link.h"
#include "os/os.h"
#include "os/stream.h"
#include "pbk/pbk.h"
#include "ppp/ppp.h"
#include "ppp/pppos.h"

#define PENDING_MAX 4096         /* line bytes kept until PPP starts */
#define TERMINATE_LIMIT_MS 1500u /* longest wait for the peer's Terminate-Ack */

enum { K_MODEM, K_DIRECT, K_TCP };
enum { TD_NONE, TD_PPP, TD_MODEM, TD_CLOSE }; /* teardown phases, in order */

static atomic_size_t g_live; /* link objects not yet destroyed */

struct ora_link {
  ora_link_ctx *ctx;
  ora_loop *loop;
  int kind;
  uint32_t options; /* RDEOPT_* of the request */

  /* transport */
  ora_stream_params sp;
  char target[ORA_PATH_BYTES];
  ora_stream *st;
  int open_started, open_done, line_ended;
  uint32_t open_err;

  /* modem */
  ora_hayes_config hcfg;
  ora_hayes hayes;
  ora_timer *hayes_timer;
  int dial_started, dial_done;
  uint32_t dial_err, speed;
  uint8_t tail[16]; /* the end of the last chunk, for the carrier-loss scan */
  size_t ntail;

  uint8_t pending[PENDING_MAX]; /* data received before PPP starts */
  size_t npending;

  /* PPP: a session exists from create on, so the password has a single home */
  ora_ppp_config pcfg; /* password always wiped */
  ora_pppos *pos;      /* the session with its HDLC framing */
  ora_ppp *ppp;        /* the session inside pos */
  int ppp_started, network, auth_done, ip_up, ppp_down;
  uint32_t auth_err, down_err;
  ora_ppp_ip_info ip;
  ora_ppp_lcp_info lcp;
  int wrote, round_trips; /* negotiation round trips: we wrote, then heard */

  /* engine side */
  uint32_t state; /* state being worked on */
  int waiting;    /* step(state) not answered yet */
  int connected;

  /* teardown */
  int closing, td;
  ora_timer *td_timer, *td_limit;

  ora_status info;
};

/* ---------------------------------------------------------------- reporting */

static void advance(ora_link *l);

static void report(ora_link *l, uint32_t next, uint32_t error) {
  l->waiting = 0;
  if (!error && next == ORA_CS_Connected)
    l->connected = 1;
  ora_link_next(l->ctx, error ? l->state : next, error, 0);
}

/* The line ended before PPP ran on it. */
static uint32_t line_error(const ora_link *l) {
  return l->connected ? ORA_ERROR_REMOTE_DISCONNECTION : ORA_ERROR_PORT_DISCONNECTED;
}

/* Answers the current step if what it waits for has happened. */
static void advance(ora_link *l) {
  if (!l->waiting || l->closing)
    return;
  if (l->line_ended && !l->ppp_started && l->state != ORA_CS_OpenPort) {
    report(l, 0, line_error(l));
    return;
  }
  switch (l->state) {
  case ORA_CS_OpenPort:
    if (l->open_done)
      report(l, ORA_CS_PortOpened, l->open_err);
    return;
  case ORA_CS_PortOpened:
    report(l, ORA_CS_ConnectDevice, 0);
    return;
  case ORA_CS_ConnectDevice:
    if (l->kind != K_MODEM)
      report(l, ORA_CS_DeviceConnected, 0);
    else if (l->dial_done)
      report(l, ORA_CS_DeviceConnected, l->dial_err);
    return;
  case ORA_CS_DeviceConnected:
    report(l, ORA_CS_AllDevicesConnected, 0);
    return;
  case ORA_CS_AllDevicesConnected:
    report(l, ORA_CS_Authenticate, 0);
    return;
  case ORA_CS_Authenticate:
  case ORA_CS_AuthRetry:
    if (l->auth_done || l->network)
      report(l, ORA_CS_AuthNotify, 0);
    else if (l->ppp_down)
      report(l, 0, l->down_err);
    return;
  case ORA_CS_AuthNotify:
    if (l->auth_done && l->auth_err == ORA_ERROR_AUTHENTICATION_FAILURE)
      report(l, ORA_CS_RetryAuthentication, 0);
    else if (l->auth_done && l->auth_err)
      report(l, 0, l->auth_err);
    else
      report(l, ORA_CS_AuthProject, 0);
    return;
  case ORA_CS_AuthProject:
    if (l->ip_up)
      report(l, ORA_CS_Authenticated, 0);
    else if (l->ppp_down)
      report(l, 0, l->down_err);
    return;
  case ORA_CS_Authenticated:
    report(l, ORA_CS_Projected, 0);
    return;
  case ORA_CS_Projected:
    if (l->ppp_down)
      report(l, 0, l->down_err);
    else
      report(l, ORA_CS_Connected, 0);
    return;
  default:
    report(l, ORA_CS_Disconnected, 0); /* a state this driver never leads to */
    return;
  }
}

/* ---------------------------------------------------------------- PPP */

static void ppp_write(void *ctx, const uint8_t *buf, size_t len) {
  ora_link *l = ctx;
  l->wrote = 1;
  if (l->st)
    ora_stream_write(l->st, buf, len);
}

static void ppp_phase(void *ctx, int phase) {
  ora_link *l = ctx;
  if (phase == ORA_PPP_NETWORK) {
    l->network = 1;
    advance(l);
  }
}

static void ppp_auth_done(void *ctx, uint32_t error) {
  ora_link *l = ctx;
  l->auth_done = 1;
  l->auth_err = error;
  ora_trace("link: authentication %s (%u)", error ? "refused" : "accepted", (unsigned)error);
  advance(l);
}

static void ppp_ip_up(void *ctx, const ora_ppp_ip_info *ip) {
  ora_link *l = ctx;
  l->ip_up = 1;
  l->ip = *ip;
  ora_ppp_get_lcp(l->ppp, &l->lcp);
  ora_ppp_stats s;
  ora_pppos_get_stats(l->pos, &s);
  ora_trace("link: IPCP up, negotiation %llu us, %d round trips",
            (unsigned long long)s.negotiation_us, l->round_trips);
  advance(l);
}

static void teardown_later(ora_link *l, int phase);

static void ppp_down(void *ctx, uint32_t error) {
  ora_link *l = ctx;
  l->ppp_down = 1;
  l->down_err = error;
  ora_trace("link: PPP down (%u)", (unsigned)error);
  if (l->closing) {
    if (l->td == TD_PPP)
      teardown_later(l, TD_MODEM);
    return;
  }
  if (l->connected)
    ora_link_down(l->ctx, error);
  else
    advance(l);
}

static const ora_ppp_callbacks ppp_cbs = {
    .write = ppp_write,
    .on_phase = ppp_phase,
    .on_auth_done = ppp_auth_done,
    .on_ip_up = ppp_ip_up,
    .on_down = ppp_down,
};

/* A session from l->pcfg and this user and password; the copy of the password in
 * l->pcfg is wiped whatever happens. */
static int make_ppp(ora_link *l, const ora_dial_request *req) {
  /* Windows names the user DOMAIN\user when a domain is given. */
  size_t nd = strlen(req->domain), nu = strlen(req->user);
  if (nd && nd + 1 + nu < sizeof l->pcfg.user) {
    memcpy(l->pcfg.user, req->domain, nd);
    l->pcfg.user[nd] = '\\';
    memcpy(l->pcfg.user + nd + 1, req->user, nu + 1);
  } else {
    ora_copy_str(l->pcfg.user, sizeof l->pcfg.user, req->user);
  }
  ora_copy_str(l->pcfg.password, sizeof l->pcfg.password, req->password);
  int rc = ora_pppos_create(l->loop, &l->pcfg, &ppp_cbs, l, &l->pos);
  l->ppp = rc ? NULL : ora_pppos_session(l->pos);
  ora_wipe(l->pcfg.password, sizeof l->pcfg.password);
  l->ppp_started = l->network = l->auth_done = l->ip_up = l->ppp_down = 0;
  l->auth_err = l->down_err = 0;
  return rc;
}

static void start_ppp(ora_link *l) {
  if (l->ppp_started || !l->ppp)
    return;
  l->ppp_started = 1;
  l->round_trips = 0;
  l->wrote = 0;
  ora_ppp_start(l->ppp);
  if (l->npending && !l->ppp_down) {
    /* What the peer sent before we were ready (its first Configure-Request). */
    l->wrote = 0;
    l->round_trips++;
    ora_pppos_input(l->pos, l->pending, l->npending);
  }
  l->npending = 0;
  if (l->line_ended && !l->ppp_down)
    ora_ppp_lower_down(l->ppp, line_error(l));
}

/* ---------------------------------------------------------------- the modem */

static void hayes_fired(void *arg) {
  ora_link *l = arg;
  l->hayes_timer = NULL;
  ora_hayes_timeout(&l->hayes);
}

static void hayes_timer(void *ctx, uint32_t ms) {
  ora_link *l = ctx;
  ora_loop_cancel(l->loop, l->hayes_timer);
  l->hayes_timer = ms ? ora_loop_timer(l->loop, ms, hayes_fired, l) : NULL;
}

static void hayes_write(void *ctx, const uint8_t *buf, size_t len) {
  ora_link *l = ctx;
  if (l->st)
    ora_stream_write(l->st, buf, len);
}

static void hayes_done(void *ctx, uint32_t error, uint32_t speed) {
  ora_link *l = ctx;
  if (l->closing) {
    if (l->td == TD_MODEM)
      teardown_later(l, TD_CLOSE);
    return;
  }
  l->dial_done = 1;
  l->dial_err = error;
  l->speed = speed ? speed : l->sp.baud;
  ora_trace("link: dial %s (%u), %u bps", error ? "failed" : "connected", (unsigned)error,
            (unsigned)l->speed);
  advance(l);
}

static const ora_hayes_callbacks hayes_cbs = {hayes_write, hayes_timer, hayes_done};

/* ---------------------------------------------------------------- the line */

static void keep_pending(ora_link *l, const uint8_t *buf, size_t len) {
  size_t room = sizeof l->pending - l->npending;
  if (len > room)
    len = room; /* PPP retransmits what is lost */
  memcpy(l->pending + l->npending, buf, len);
  l->npending += len;
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

static int carrier_lost(ora_link *l, const uint8_t *buf, size_t len) {
  static const uint8_t pat[] = "\x7e\r\nNO CARRIER";
  enum { PN = sizeof pat - 1, KEEP = PN - 1 };
  _Static_assert(sizeof l->tail >= KEEP, "carrier scan tail");
  /* The kept tail and the head of this chunk, for a pattern across the boundary. */
  uint8_t joined[2 * PN];
  size_t head = len < KEEP ? len : KEEP;
  memcpy(joined, l->tail, l->ntail);
  memcpy(joined + l->ntail, buf, head);
  int found = has_pattern(joined, l->ntail + head, pat, PN) || has_pattern(buf, len, pat, PN);
  /* Keep the last KEEP bytes of tail + chunk. */
  size_t total = l->ntail + len, drop = total > KEEP ? total - KEEP : 0;
  if (drop >= l->ntail) {
    memcpy(l->tail, buf + (drop - l->ntail), total - drop);
  } else {
    memmove(l->tail, l->tail + drop, l->ntail - drop);
    memcpy(l->tail + l->ntail - drop, buf, len);
  }
  l->ntail = total - drop;
  return found;
}

static void line_rx(void *ctx, const uint8_t *buf, size_t len) {
  ora_link *l = ctx;
  if (len == 0) {
    l->line_ended = 1;
    ora_trace("link: line ended");
    if (l->closing && l->td >= TD_MODEM) {
      teardown_later(l, TD_CLOSE); /* no modem left to talk to */
      return;
    }
    if (l->ppp_started && !l->ppp_down)
      ora_ppp_lower_down(l->ppp, line_error(l)); /* reports through ppp_down() */
    else
      advance(l);
    return;
  }
  if (l->kind == K_MODEM && l->dial_started && !ora_hayes_online(&l->hayes)) {
    size_t used = ora_hayes_input(&l->hayes, buf, len);
    /* Still in command mode (or hanging up): the dialog had it all. */
    if (l->closing || !ora_hayes_online(&l->hayes) || used == len)
      return;
    buf += used; /* CONNECT: what follows is the peer's PPP */
    len -= used;
  }
  if (l->closing && l->td != TD_PPP)
    return; /* keep the line quiet (the modem's escape guard time) */
  if (l->ppp_started) {
    if (l->wrote && !l->ip_up)
      l->round_trips++;
    l->wrote = 0;
    ora_pppos_input(l->pos, buf, len);
    if (l->kind == K_MODEM && !l->ppp_down && carrier_lost(l, buf, len)) {
      /* The modem left data mode on its own: the call is gone (no DCD to watch on a
       * pty, and waiting for the keepalive would take ~30 s). */
      ora_trace("link: modem reported NO CARRIER");
      ora_hayes_carrier_lost(&l->hayes);
      ora_ppp_lower_down(l->ppp, ORA_ERROR_REMOTE_DISCONNECTION);
    }
  } else {
    keep_pending(l, buf, len);
  }
}

static void line_opened(void *ctx, uint32_t error) {
  ora_link *l = ctx;
  l->open_done = 1;
  l->open_err = error;
  ora_trace("link: %s %s (%u)", l->target, error ? "not opened" : "opened", (unsigned)error);
  advance(l);
}

/* ---------------------------------------------------------------- teardown */

static void teardown_run(ora_link *l);

static void teardown_fired(void *arg) {
  ora_link *l = arg;
  l->td_timer = NULL;
  teardown_run(l);
}

/* Enters a teardown phase from a fresh timer, so no caller's frame (PPP, the
 * dialog, the engine) is on the stack when ora_link_closed may free us. */
static void teardown_later(ora_link *l, int phase) {
  l->td = phase;
  ora_loop_cancel(l->loop, l->td_timer);
  l->td_timer = ora_loop_timer(l->loop, 0, teardown_fired, l);
}

static void terminate_limit(void *arg) {
  ora_link *l = arg;
  l->td_limit = NULL;
  if (l->td == TD_PPP)
    teardown_later(l, TD_MODEM); /* no Terminate-Ack: go on without it */
}

static void teardown_run(ora_link *l) {
  if (l->td == TD_PPP) {
    /* A peer that never opened LCP has nothing to terminate: no waiting for it. */
    if (l->ppp_started && !l->ppp_down && !l->line_ended &&
        ora_ppp_phase(l->ppp) != ORA_PPP_ESTABLISH) {
      l->td_limit = ora_loop_timer(l->loop, TERMINATE_LIMIT_MS, terminate_limit, l);
      ora_ppp_close(l->ppp); /* LCP Terminate-Request; ppp_down() moves on */
      return;
    }
    l->td = TD_MODEM;
  }
  if (l->td == TD_MODEM) {
    ora_loop_cancel(l->loop, l->td_limit);
    l->td_limit = NULL;
    if (l->kind == K_MODEM && l->dial_started && !l->line_ended && ora_hayes_hangup(&l->hayes) == 0)
      return; /* hayes_done() moves on */
    l->td = TD_CLOSE;
  }
  ora_loop_cancel(l->loop, l->hayes_timer);
  l->hayes_timer = NULL;
  ora_loop_cancel(l->loop, l->td_limit);
  l->td_limit = NULL;
  ora_stream_close(l->st); /* drops DTR on a serial port */
  l->st = NULL;
  ora_pppos_destroy(l->pos);
  l->pos = NULL;
  l->ppp = NULL;
  ora_trace("link: closed");
  ora_link_closed(l->ctx); /* may destroy l: nothing after this */
}

/* ---------------------------------------------------------------- the driver */

/* What Windows keeps in the entry: the MEDIA= block's Device= (mixed case, the device
 * name) and the DEVICE= line (capitals, the device type), as RASENTRY reports them. */
struct media_scan {
  const char *device_name, *device_type;
};

static int scan_media(void *ctx, const char *key, const char *value) {
  struct media_scan *m = ctx;
  if (strcmp(key, "DEVICE") == 0) {
    if (!m->device_type)
      m->device_type = value;
  } else if (!m->device_name && ora_ieq(key, "Device")) {
    m->device_name = value;
  }
  return 0;
}

static const char *get(const ora_link_params *p, const char *key) {
  return p->pbk && p->entry[0] ? ora_pbk_get(p->pbk, p->entry, key) : NULL;
}

static int64_t get_int(const ora_link_params *p, const char *key, int64_t def, int64_t lo,
                       int64_t hi) {
  int64_t v = p->pbk && p->entry[0] ? ora_pbk_get_int(p->pbk, p->entry, key, def) : def;
  return (v < lo || v > hi) ? def : v;
}

/* Windows' AuthRestrictions bits for the protocols we speak. */
enum { AR_PAP = 0x8, AR_MD5CHAP = 0x20, AR_MSCHAP2 = 0x200 };

static uint32_t auth_allowed(const ora_link_params *p) {
  const char *s = get(p, "ORA_PppAuth");
  if (s && *s) {
    uint32_t m = 0;
    char word[24];
    while (*s) {
      size_t n = 0;
      while (*s == ',' || *s == ' ')
        s++;
      while (*s && *s != ',' && *s != ' ' && n + 1 < sizeof word)
        word[n++] = *s++;
      word[n] = 0;
      while (*s && *s != ',' && *s != ' ')
        s++;
      if (ora_ieq(word, "pap"))
        m |= ORA_PPP_AUTH_PAP;
      else if (ora_ieq(word, "chap"))
        m |= ORA_PPP_AUTH_CHAP_MD5;
      else if (ora_ieq(word, "mschapv2"))
        m |= ORA_PPP_AUTH_MSCHAPV2;
    }
    return m ? m : ORA_PPP_AUTH_ALL;
  }
  int64_t ar = get_int(p, "AuthRestrictions", 0, 0, 0xffffffffll);
  uint32_t m = 0;
  if (ar & AR_PAP)
    m |= ORA_PPP_AUTH_PAP;
  if (ar & AR_MD5CHAP)
    m |= ORA_PPP_AUTH_CHAP_MD5;
  if (ar & AR_MSCHAP2)
    m |= ORA_PPP_AUTH_MSCHAPV2;
  return m ? m : ORA_PPP_AUTH_ALL; /* none of ours named (EAP only...): offer all */
}

static int valid_dial_chars(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || *s == 0x7f || *s == ';')
      return 0; /* a CR would end the command; ';' would return to command mode */
  return 1;
}

static int read_config(ora_link *l, const ora_link_params *p) {
  const ora_dial_request *req = p->req;
  const char *s;
  char number[ORA_PHONE_BYTES];
  ora_copy_str(number, sizeof number,
               req->phone_number[0] ? req->phone_number : get(p, "PhoneNumber"));
  ora_copy_str(l->info.phone_number, sizeof l->info.phone_number, number);

  /* The transport. TCP for "tcp" (ORA_TcpAddress, else the phone number as
   * host:port, as Windows keeps a VPN server in PhoneNumber) and for a modem with
   * ORA_TcpAddress (a virtual modem); a serial port otherwise. */
  const char *tcp = get(p, "ORA_TcpAddress");
  if (l->kind == K_TCP && !(tcp && *tcp))
    tcp = number;
  if (tcp && *tcp && l->kind != K_DIRECT) {
    l->sp.kind = ORA_STREAM_TCP;
    ora_copy_str(l->target, sizeof l->target, tcp);
    l->sp.connect_timeout_ms =
        (uint32_t)get_int(p, "ORA_TcpConnectTimeoutMs", 30000, 1, 24 * 3600 * 1000);
  } else if (l->kind == K_TCP) {
    return ORA_ERROR_INVALID_PARAMETER; /* nowhere to connect to */
  } else {
    l->sp.kind = ORA_STREAM_SERIAL;
    s = get(p, "ORA_Port");
    if (!(s && *s))
      s = get(p, "Port");
    if (!(s && *s))
      return ORA_ERROR_PORT_NOT_FOUND;
    ora_copy_str(l->target, sizeof l->target, s);
    int64_t baud = get_int(p, "ORA_Baud", -1, 1, 100000000);
    if (baud < 0)
      baud = get_int(p, "ConnectBPS", 115200, 1, 100000000);
    l->sp.baud = (uint32_t)baud;
    s = get(p, "ORA_FlowControl");
    if (s && *s)
      l->sp.rtscts = ora_ieq(s, "rtscts") || ora_ieq(s, "hardware");
    else
      l->sp.rtscts = (int)get_int(p, "HwFlowControl", l->kind == K_MODEM, 0, 1);
    /* Drop a modem's stale output; keep what a direct peer already sent (its first
     * Configure-Request: waiting for its retransmission costs seconds). */
    l->sp.flush = l->kind == K_MODEM;
  }
  l->sp.target = l->target;

  /* The dialer. */
  if (l->kind == K_MODEM) {
    ora_hayes_config *h = &l->hcfg;
    s = get(p, "ORA_ModemReset");
    ora_copy_str(h->reset, sizeof h->reset, s ? s : "ATZ");
    s = get(p, "ORA_ModemInit");
    ora_copy_str(h->init, sizeof h->init, s ? s : "ATE0V1&D2");
    s = get(p, "ORA_DialMode");
    int pulse = s && ora_ieq(s, "pulse");
    const char *prefix = "", *suffix = "";
    if (req->options & ORA_RDEOPT_UsePrefixSuffix) {
      prefix = (s = get(p, "ORA_DialPrefix")) ? s : "";
      suffix = (s = get(p, "ORA_DialSuffix")) ? s : "";
    }
    if (!valid_dial_chars(prefix) || !valid_dial_chars(number) || !valid_dial_chars(suffix) ||
        !valid_dial_chars(h->reset) || !valid_dial_chars(h->init))
      return ORA_ERROR_INVALID_PARAMETER;
    int n =
        snprintf(h->dial, sizeof h->dial, "ATD%c%s%s%s", pulse ? 'P' : 'T', prefix, number, suffix);
    if (n < 0 || (size_t)n >= sizeof h->dial)
      return ORA_ERROR_PHONE_NUMBER_TOO_LONG;
    h->cmd_timeout_ms = (uint32_t)get_int(p, "ORA_ModemCmdTimeoutMs", 3000, 1, 600000);
    h->dial_timeout_ms = (uint32_t)get_int(p, "ORA_ModemDialTimeoutMs", 90000, 1, 3600000);
    h->guard_ms = (uint32_t)get_int(p, "ORA_ModemGuardMs", 1000, 1, 60000);
  }

  /* PPP. Windows' own keys first (IpAssign/IpAddress, IpNameAssign,
   * AuthRestrictions), then ours. */
  ora_ppp_config *c = &l->pcfg;
  ora_ppp_config_default(c);
  c->auth_allow = auth_allowed(p);
  uint32_t ip;
  if (get_int(p, "IpAssign", 1, 1, 2) == 2 && (s = get(p, "IpAddress")) &&
      ora_ipv4_parse(s, &ip) == 0)
    c->local_ip = ip;
  c->want_dns = get_int(p, "IpNameAssign", 1, 1, 2) == 1;
  if ((s = get(p, "ORA_PppPeerIp")) && *s) {
    if (ora_ipv4_parse(s, &ip) != 0)
      return ORA_ERROR_CANNOT_LOAD_PHONEBOOK;
    c->peer_ip = ip;
  }
  c->restart_ms = (uint32_t)get_int(p, "ORA_PppRestartMs", c->restart_ms, 1, 600000);
  c->max_configure = (uint32_t)get_int(p, "ORA_PppMaxConfigure", c->max_configure, 1, 1000);
  c->echo_interval_ms =
      (uint32_t)get_int(p, "ORA_PppEchoIntervalMs", c->echo_interval_ms, 0, 3600000);
  c->echo_fails = (uint32_t)get_int(p, "ORA_PppEchoFails", c->echo_fails, 1, 1000);
  c->mru = (uint16_t)get_int(p, "ORA_PppMru", c->mru, 128, 1500);

  /* What RasGetConnectStatus and RasEnumConnections show: the device the entry names
   * (as RasGetEntryProperties reports it), else the one RasEnumDevices lists for this
   * link (openras/devnames.h); ORA_DeviceType overrides the type. */
  struct media_scan m = {NULL, NULL};
  if (p->pbk && p->entry[0])
    ora_pbk_foreach(p->pbk, p->entry, "", scan_media, &m);
  s = get(p, "ORA_DeviceType");
  if (!s || !*s)
    s = m.device_type && *m.device_type ? m.device_type
        : l->kind == K_TCP              ? ORA_DEVTYPE_VPN
                                        : ORA_DEVTYPE_MODEM;
  ora_copy_str(l->info.device_type, sizeof l->info.device_type, s);
  if (m.device_name && *m.device_name)
    ora_copy_str(l->info.device_name, sizeof l->info.device_name, m.device_name);
  else if (l->kind == K_TCP)
    ora_copy_str(l->info.device_name, sizeof l->info.device_name, ORA_DEVNAME_TCP);
  else
    snprintf(l->info.device_name, sizeof l->info.device_name, "%s (%.300s)",
             l->kind == K_MODEM ? ORA_DEVNAME_MODEM_PREFIX : ORA_DEVNAME_CABLE_PREFIX, l->target);
  return 0;
}

static int link_create(int kind, const ora_link_params *p, ora_link_ctx *ctx, ora_link **out) {
  ora_link *l = calloc(1, sizeof *l);
  if (!l)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  l->ctx = ctx;
  l->loop = p->loop;
  l->kind = kind;
  l->options = p->req->options;
  int rc = read_config(l, p);
  if (rc == 0)
    rc = make_ppp(l, p->req);
  if (rc != 0) {
    ora_wipe(l, sizeof *l);
    free(l);
    return rc;
  }
  if (l->kind == K_MODEM)
    ora_hayes_init(&l->hayes, &l->hcfg, &hayes_cbs, l);
  atomic_fetch_add(&g_live, 1);
  *out = l;
  return 0;
}

static int modem_create(const ora_link_params *p, ora_link_ctx *ctx, ora_link **out) {
  return link_create(K_MODEM, p, ctx, out);
}
static int direct_create(const ora_link_params *p, ora_link_ctx *ctx, ora_link **out) {
  return link_create(K_DIRECT, p, ctx, out);
}
static int tcp_create(const ora_link_params *p, ora_link_ctx *ctx, ora_link **out) {
  return link_create(K_TCP, p, ctx, out);
}

static void link_step(ora_link *l, uint32_t state) {
  l->state = state;
  l->waiting = 1;
  switch (state) {
  case ORA_CS_OpenPort:
    if (!l->open_started) {
      l->open_started = 1;
      int rc = ora_stream_open_async(l->loop, &l->sp, line_opened, line_rx, l, &l->st);
      if (rc) {
        l->open_done = 1;
        l->open_err = (uint32_t)rc;
      }
    }
    break;
  case ORA_CS_ConnectDevice:
    if (l->kind == K_MODEM && !l->dial_started && l->open_done && !l->open_err) {
      l->dial_started = 1;
      l->npending = 0; /* whatever came before the dial is not PPP */
      ora_hayes_dial(&l->hayes);
    }
    break;
  case ORA_CS_Authenticate:
  case ORA_CS_AuthRetry:
    start_ppp(l);
    break;
  default:
    break;
  }
  advance(l);
}

static void link_resume(ora_link *l, uint32_t paused, const ora_dial_request *req) {
  if (paused != ORA_CS_RetryAuthentication) {
    ora_link_next(l->ctx, ORA_CS_Disconnected, 0, 0);
    return;
  }
  /* A new PPP run on the same line with the user's new credentials. */
  ora_pppos_destroy(l->pos);
  l->pos = NULL;
  l->ppp = NULL;
  int rc = make_ppp(l, req);
  if (rc) {
    ora_link_next(l->ctx, paused, (uint32_t)rc, 0);
    return;
  }
  ora_link_next(l->ctx, ORA_CS_AuthRetry, 0, 0);
}

static void link_hangup(ora_link *l) {
  if (l->closing)
    return;
  l->closing = 1;
  l->waiting = 0;
  ora_stream_releasing(l->st); /* a redial of this port waits for the teardown */
  teardown_later(l, TD_PPP);
}

static void link_destroy(ora_link *l) {
  ora_loop_cancel(l->loop, l->hayes_timer);
  ora_loop_cancel(l->loop, l->td_timer);
  ora_loop_cancel(l->loop, l->td_limit);
  ora_stream_close(l->st);
  ora_pppos_destroy(l->pos);
  ora_wipe(l, sizeof *l);
  free(l);
  atomic_fetch_sub(&g_live, 1);
}

static void link_status(ora_link *l, ora_status *out) {
  memcpy(out->device_type, l->info.device_type, sizeof out->device_type);
  memcpy(out->device_name, l->info.device_name, sizeof out->device_name);
  memcpy(out->phone_number, l->info.phone_number, sizeof out->phone_number);
}

static int link_ip(ora_link *l, ora_ip_projection *out) {
  if (!l->ip_up)
    return ORA_ERROR_PROJECTION_NOT_COMPLETE;
  out->error = 0;
  out->local = l->ip.local;
  out->server = l->ip.remote;
  out->dns1 = l->ip.dns1;
  out->dns2 = l->ip.dns2;
  out->options = out->server_options = 0; /* no VJ compression (RASIPO_VJ) either way */
  return 0;
}

/* RASLCPO_PFC and RASLCPO_ACFC. */
enum { LCPO_PFC = 0x1, LCPO_ACFC = 0x2 };

static int link_lcp(ora_link *l, ora_lcp_projection *out) {
  if (!l->ip_up)
    return ORA_ERROR_PROJECTION_NOT_COMPLETE;
  const ora_ppp_lcp_info *i = &l->lcp;
  out->error = 0;
  out->bundled = 0;
  /* The protocol the server authenticated us with; we never authenticate it. */
  out->auth_protocol = i->auth_proto;
  out->auth_data = i->auth_proto == ORA_PPP_PROTO_CHAP ? i->auth_alg : 0;
  out->server_auth_protocol = out->server_auth_data = 0;
  out->options = (i->pfc ? LCPO_PFC : 0) | (i->acfc ? LCPO_ACFC : 0);
  out->server_options = (i->peer_pfc ? LCPO_PFC : 0) | (i->peer_acfc ? LCPO_ACFC : 0);
  out->mru = i->mru;
  out->server_mru = i->peer_mru;
  return 0;
}

static void link_stats(ora_link *l, ora_stats *out) {
  memset(out, 0, sizeof *out);
  if (l->pos) {
    ora_ppp_stats s;
    ora_pppos_get_stats(l->pos, &s);
    out->bytes_out = s.bytes_out;
    out->bytes_in = s.bytes_in;
    out->frames_out = s.frames_out;
    out->frames_in = s.frames_in;
    out->crc_errors = s.crc_errors;
    out->framing_errors = s.framing_errors;
    out->buffer_overruns = s.overruns;
  }
  /* The modem's CONNECT speed, else the port's; TCP has none. */
  out->bps = l->speed ? l->speed : l->sp.baud;
}

size_t ora_ppp_link_count(void) {
  return atomic_load(&g_live);
}

#define PPP_LINK_OPS(var, nm, create_fn)                                                           \
  const ora_link_ops var = {.name = nm,                                                            \
                            .create = create_fn,                                                   \
                            .step = link_step,                                                     \
                            .resume = link_resume,                                                 \
                            .hangup = link_hangup,                                                 \
                            .destroy = link_destroy,                                               \
                            .status = link_status,                                                 \
                            .ip_projection = link_ip,                                              \
                            .lcp_projection = link_lcp,                                            \
                            .stats = link_stats}

PPP_LINK_OPS(ora_link_modem, "modem", modem_create);
PPP_LINK_OPS(ora_link_direct, "direct", direct_create);
PPP_LINK_OPS(ora_link_null, "null", direct_create); /* Windows' DEVICE=null: a cable */
PPP_LINK_OPS(ora_link_tcp, "tcp", tcp_create);
