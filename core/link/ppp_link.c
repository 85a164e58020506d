/* The PPP bearer: the link drivers "modem" (a Hayes dialer, then PPP), "direct" (a
 * null-modem serial line: PPP at once; also selected by Windows' DEVICE=null), "tcp"
 * (PPP over a TCP connection) and "l2tp" (a VPN link: PPP in an L2TP tunnel; also
 * selected by Windows' DEVICE=vpn). It runs a frame-level PPP session (ppp/ppp.h)
 * over a channel (chan.h: the stream channel for the first three, the L2TP channel for
 * the last), with the modem as a dial stage before it (modem.h), and turns what
 * happens into RAS states. The
 * configuration comes from link_config.c; docs/links.md describes the keys.
 *
 * RAS states and what they wait for here:
 *   OpenPort            the channel opened (on the stream's thread)
 *   PortOpened          -
 *   ConnectDevice       modem: reset, init and dial answered CONNECT; l2tp: the
 *                       tunnel and the session are up
 *   DeviceConnected, AllDevicesConnected   -
 *   Authenticate        PPP started; LCP opened and authentication finished (or
 *                       none was asked for)
 *   AuthNotify          the authentication result: 691 -> RetryAuthentication
 *                       (the engine turns it into error 691 unless paused states
 *                       were asked for), other refusals (648 ...) fail here
 *   AuthProject         IPCP opened
 *   Authenticated, Projected -> Connected
 * The peer does not wait for the engine (the application's notifier may be slow),
 * so PPP runs on by itself and the bearer only records what happened; each step()
 * reports from those records, once, when the state's condition holds.
 *
 * The data plane (net/dataplane.h): once IPCP is up the bearer starts it (unless
 * ORA_DataPlane=off or the engine has no helper) and AuthProject waits until its
 * interface is up or has failed; a failure is ERROR_NO_IP_RAS_ADAPTER with
 * ORA_DataPlane=required, else the trace says "no data plane" and the dial goes on.
 * IPv4 packets (0x0021) then pass between the session and the data plane. After
 * Connected, the helper's end is the link's end (728), and IdleDisconnectSeconds
 * without a packet either way ends it with ERROR_IDLE_TIMEOUT.
 *
 * Teardown (hangup): LCP Terminate (bounded), then for a modem "+++"/ATH, then
 * DTR drop and close; ora_link_closed() is always called from a timer of ours so
 * the engine never frees us under our own feet. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "openras/base/loop.h"
#include "openras/base/text.h"
#include "openras/base/trace.h"
#include "link/chan_l2tp.h"
#include "link/chan_stream.h"
#include "link/link.h"
#include "link/link_config.h"
#include "link/modem.h"
#include "link/ppp_link.h"
#include "net/dataplane.h"
#include "openras/os.h"
#include "openras/base/wipe.h"
#include "ppp/ppp.h"

#define TERMINATE_LIMIT_MS 1500u /* longest wait for the peer's Terminate-Ack */

enum { TD_NONE, TD_PPP, TD_MODEM, TD_CLOSE }; /* teardown phases, in order */

static atomic_size_t g_live; /* link objects not yet destroyed */

struct ora_link {
  ora_link_ctx *ctx;
  ora_loop *loop;
  ora_ppp_link_config cfg; /* cfg.ppp.password is never set: the session has it */

  ora_chan *chan;
  int open_started, open_done, line_ended;
  uint32_t open_err, line_err;       /* line_err: why the channel said it ended, 0 unsaid */
  int connect_started, connect_done; /* the channel's own connection (L2TP) */
  uint32_t connect_err;
  int redialing; /* a retry's new tunnel is coming up (link_resume) */

  ora_modem *modem; /* kind modem only */
  int dial_done;
  uint32_t dial_err, speed;

  /* PPP: a session exists from create on, so the password has a single home */
  ora_ppp *ppp;
  int ppp_started, network, auth_done, ip_up, ppp_down;
  uint32_t auth_err, down_err;
  ora_ppp_ip_info ip;
  ora_ppp_lcp_info lcp;
  int wrote, round_trips; /* negotiation round trips: we wrote, then heard */

  /* the data plane */
  char tun_helper[ORA_PATH_BYTES];
  ora_dp *dp;
  int dp_waiting;  /* started, its interface not up yet */
  uint32_t dp_err; /* required and unavailable */
  ora_timer *idle_timer;
  uint64_t idle_since; /* Connected, or the last packet before it */

  /* engine side */
  uint32_t state; /* state being worked on */
  int waiting;    /* step(state) not answered yet */
  int connected;

  /* teardown */
  int closing, td;
  ora_timer *td_timer, *td_limit;
};

/* ---------------------------------------------------------------- reporting */

static void report(ora_link *l, uint32_t next, uint32_t error) {
  l->waiting = 0;
  if (!error && next == ORA_CS_Connected)
    l->connected = 1;
  ora_link_next(l->ctx, error ? l->state : next, error, 0);
}

/* The line ended before PPP ran on it. */
static uint32_t line_error(const ora_link *l) {
  if (l->line_err)
    return l->line_err;
  return l->connected ? ORA_ERROR_REMOTE_DISCONNECTION : ORA_ERROR_PORT_DISCONNECTED;
}

static void start_idle_watch(ora_link *l);
static void start_ppp(ora_link *l);

/* Starts the channel's own connection (an L2TP tunnel) once; connected() follows. */
static void start_connect(ora_link *l) {
  if (!l->chan->ops->connect || l->connect_started)
    return;
  l->connect_started = 1;
  l->chan->ops->connect(l->chan);
}

/* A retry's new channel (link_resume): 1 once it is connected and PPP runs on it; 0
 * while it comes up, or when it failed (then reported). */
static int redial_ready(ora_link *l) {
  if (!l->open_done)
    return 0;
  if (l->open_err) {
    report(l, 0, l->open_err);
    return 0;
  }
  if (!l->connect_started) {
    start_connect(l); /* connected() comes back through advance() */
    return 0;
  }
  if (!l->connect_done || !l->waiting)
    return 0;
  if (l->connect_err) {
    report(l, 0, l->connect_err);
    return 0;
  }
  l->redialing = 0;
  start_ppp(l);
  return 1;
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
    if (l->chan->ops->connect) {
      if (l->connect_done)
        report(l, ORA_CS_DeviceConnected, l->connect_err);
    } else if (!l->modem)
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
    if (l->redialing && !redial_ready(l))
      return;
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
    if (l->ip_up && l->dp_err)
      report(l, 0, l->dp_err);
    else if (l->ip_up && !l->dp_waiting)
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
    else {
      report(l, ORA_CS_Connected, 0);
      start_idle_watch(l);
    }
    return;
  default:
    report(l, ORA_CS_Disconnected, 0); /* a state this driver never leads to */
    return;
  }
}

/* ---------------------------------------------------------------- data plane */

/* The interface goes with the link: the helper removes it, its routes and DNS. */
static void stop_dataplane(ora_link *l) {
  ora_dp_stop(l->dp);
  l->dp = NULL;
  l->dp_waiting = 0;
  ora_loop_cancel(l->loop, l->idle_timer);
  l->idle_timer = NULL;
}

static void dp_ready(void *ctx, uint32_t error, const char *ifname) {
  ora_link *l = ctx;
  (void)ifname;
  l->dp_waiting = 0;
  if (error) {
    stop_dataplane(l);
    if (l->cfg.dataplane == ORA_DP_REQUIRED)
      l->dp_err = ORA_ERROR_NO_IP_RAS_ADAPTER;
  }
  advance(l);
}

static void dp_packet(void *ctx, const uint8_t *pkt, size_t len) {
  ora_link *l = ctx;
  if (l->ppp && !l->closing)
    ora_ppp_send_ip(l->ppp, pkt, len); /* too big for the peer: dataplane.c checked */
}

static void dp_ended(void *ctx) {
  ora_link *l = ctx;
  stop_dataplane(l);
  if (l->connected && !l->closing && !l->ppp_down)
    ora_link_down(l->ctx, ORA_ERROR_NO_IP_RAS_ADAPTER); /* the interface is gone */
}

static const ora_dp_events dp_events = {dp_ready, dp_packet, dp_ended};

static void ppp_ip_packet(void *ctx, const uint8_t *pkt, size_t len) {
  ora_link *l = ctx;
  if (l->dp)
    ora_dp_from_link(l->dp, pkt, len);
}

/* IPCP is up: give the link an interface, unless the entry or the engine says not. */
static void start_dataplane(ora_link *l) {
  const char *why = NULL;
  int nomem = 0;
  if (l->cfg.dataplane == ORA_DP_OFF)
    why = "ORA_DataPlane=off";
  else if (!l->tun_helper[0])
    why = "no helper (this manager has no openras-tun)";
  if (!why) {
    ora_dp_params p;
    memset(&p, 0, sizeof p);
    p.helper = l->tun_helper;
    p.local = l->ip.local;
    p.peer = l->ip.remote;
    p.dns1 = l->ip.dns1;
    p.dns2 = l->ip.dns2;
    p.mtu = (uint16_t)(l->lcp.peer_mru ? l->lcp.peer_mru : 1500);
    if (l->cfg.kind == ORA_PPP_LINK_L2TP && p.mtu > ORA_L2TP_PPP_MTU)
      p.mtu = ORA_L2TP_PPP_MTU;
    p.default_route = l->cfg.default_route;
    /* A TCP- or tunnel-carried link's server keeps its route off the link. */
    uint32_t a;
    char host[256];
    const char *port;
    if ((l->cfg.sp.kind == ORA_STREAM_TCP || l->cfg.sp.kind == ORA_STREAM_UDP) &&
        ora_stream_split_hostport(l->cfg.target, host, sizeof host, &port) == 0 &&
        ora_ipv4_parse(host, &a) == 0)
      p.exclude = a;
    int rc = ora_dp_start(l->loop, &p, &dp_events, l, &l->dp);
    if (rc == 0) {
      l->dp_waiting = 1;
      return;
    }
    nomem = rc == ORA_ERROR_NOT_ENOUGH_MEMORY;
    why = nomem ? "out of memory" : "the helper could not be started";
  }
  ora_trace("link: no data plane: %s", why);
  if (l->cfg.dataplane == ORA_DP_REQUIRED)
    l->dp_err = nomem ? ORA_ERROR_NOT_ENOUGH_MEMORY : ORA_ERROR_NO_IP_RAS_ADAPTER;
}

static void idle_check(void *arg) {
  ora_link *l = arg;
  l->idle_timer = NULL;
  if (l->closing || l->ppp_down)
    return;
  uint64_t last = l->idle_since;
  if (l->dp) {
    ora_dp_stats st;
    ora_dp_stats_get(l->dp, &st);
    if (st.last_ms > last)
      last = st.last_ms;
  }
  uint64_t now = ora_now_ms(), limit = (uint64_t)l->cfg.idle_s * 1000u;
  if (now - last >= limit) {
    ora_trace("link: idle for %u s: disconnecting", (unsigned)l->cfg.idle_s);
    ora_link_down(l->ctx, ORA_ERROR_IDLE_TIMEOUT);
    return;
  }
  l->idle_timer = ora_loop_timer(l->loop, (uint32_t)(limit - (now - last)), idle_check, l);
}

static void start_idle_watch(ora_link *l) {
  if (!l->cfg.idle_s || l->idle_timer)
    return;
  l->idle_since = ora_now_ms();
  l->idle_timer = ora_loop_timer(l->loop, l->cfg.idle_s * 1000u, idle_check, l);
}

/* ---------------------------------------------------------------- PPP */

static void teardown_later(ora_link *l, int phase);

static void ppp_send(void *ctx, const ora_ppp_frame *f) {
  ora_link *l = ctx;
  l->wrote = 1;
  if (l->chan)
    l->chan->ops->send(l->chan, f);
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
  /* A tunnel's server clears the call soon after refusing us; clear it first: SoftEther
   * stops answering new tunnels for more than 30 s after clearing one itself, and a
   * retry dials a new tunnel anyway (link_resume). */
  if (error && l->cfg.kind == ORA_PPP_LINK_L2TP && !l->closing)
    l->chan->ops->close(l->chan);
  advance(l);
}

static void ppp_ip_up(void *ctx, const ora_ppp_ip_info *ip) {
  ora_link *l = ctx;
  l->ip_up = 1;
  l->ip = *ip;
  ora_ppp_get_lcp(l->ppp, &l->lcp);
  ora_ppp_stats s;
  ora_ppp_get_stats(l->ppp, &s);
  ora_trace("link: IPCP up, negotiation %llu us, %d round trips (LCP %llu us, authentication "
            "%llu us, IPCP %llu us)",
            (unsigned long long)s.negotiation_us, l->round_trips, (unsigned long long)s.lcp_us,
            (unsigned long long)s.auth_us,
            (unsigned long long)(s.negotiation_us - s.lcp_us - s.auth_us));
  if (!l->dp && !l->dp_waiting)
    start_dataplane(l);
  advance(l);
}

static void ppp_down(void *ctx, uint32_t error) {
  ora_link *l = ctx;
  l->ppp_down = 1;
  l->down_err = error;
  ora_trace("link: PPP down (%u)", (unsigned)error);
  stop_dataplane(l);
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
    .on_phase = ppp_phase,
    .on_auth_done = ppp_auth_done,
    .on_ip_up = ppp_ip_up,
    .on_down = ppp_down,
    .on_ip_packet = ppp_ip_packet,
    .send = ppp_send,
};

/* A session from the configuration and this user and password; the configuration's
 * copy of the password is wiped whatever happens. */
static int make_ppp(ora_link *l, const ora_dial_request *req) {
  ora_ppp_config *c = &l->cfg.ppp;
  /* Windows names the user DOMAIN\user when a domain is given. */
  size_t nd = strlen(req->domain), nu = strlen(req->user);
  if (nd && nd + 1 + nu < sizeof c->user) {
    memcpy(c->user, req->domain, nd);
    c->user[nd] = '\\';
    memcpy(c->user + nd + 1, req->user, nu + 1);
  } else {
    ora_copy_str(c->user, sizeof c->user, req->user);
  }
  ora_copy_str(c->password, sizeof c->password, req->password);
  int rc = ora_ppp_create(l->loop, c, &ppp_cbs, l, &l->ppp);
  ora_wipe(c->password, sizeof c->password);
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
  /* What the peer sent before we were ready (its first Configure-Request): our request
   * is out, so it answers a round trip's worth. */
  if (!l->ppp_down) {
    l->wrote = 0;
    l->round_trips += l->chan->ops->start_ppp(l->chan);
  }
  if (l->line_ended && !l->ppp_down)
    ora_ppp_lower_down(l->ppp, line_error(l));
}

/* ---------------------------------------------------------------- the modem */

static void modem_done(void *ctx, uint32_t error, uint32_t speed) {
  ora_link *l = ctx;
  if (l->closing) {
    if (l->td == TD_MODEM)
      teardown_later(l, TD_CLOSE);
    return;
  }
  l->dial_done = 1;
  l->dial_err = error;
  l->speed = speed ? speed : l->cfg.sp.baud;
  ora_trace("link: dial %s (%u), %u bps", error ? "failed" : "connected", (unsigned)error,
            (unsigned)l->speed);
  advance(l);
}

/* ---------------------------------------------------------------- the channel */

static void chan_opened(void *ctx, uint32_t error) {
  ora_link *l = ctx;
  l->open_done = 1;
  l->open_err = error;
  advance(l);
}

/* The modem's dialog takes the line until CONNECT; while closing past the PPP
 * phase the line stays quiet (the modem's escape guard time). */
static size_t chan_dialog(void *ctx, const uint8_t *buf, size_t len) {
  ora_link *l = ctx;
  size_t used = 0;
  /* A chunk that follows something we wrote is a negotiation round trip. */
  if (l->ppp_started) {
    if (l->wrote && !l->ip_up)
      l->round_trips++;
    l->wrote = 0;
  }
  if (l->modem && ora_modem_in_dialog(l->modem)) {
    used = ora_modem_input(l->modem, buf, len);
    /* Still in command mode (or hanging up): the dialog had it all. */
    if (l->closing || !ora_modem_online(l->modem) || used == len)
      return len;
  }
  if (l->closing && l->td != TD_PPP)
    return len;
  return used; /* after CONNECT: what follows is the peer's PPP */
}

static void chan_frame(void *ctx, const uint8_t *frame, size_t len) {
  ora_link *l = ctx;
  if (l->ppp)
    ora_ppp_input_frame(l->ppp, frame, len);
}

static void chan_watch(void *ctx, const uint8_t *buf, size_t len) {
  ora_link *l = ctx;
  /* The modem left data mode on its own: the call is gone (no DCD to watch on a
   * pty, and waiting for the keepalive would take ~30 s). */
  if (l->modem && l->ppp && !l->ppp_down && ora_modem_carrier_lost(l->modem, buf, len))
    ora_ppp_lower_down(l->ppp, ORA_ERROR_REMOTE_DISCONNECTION);
}

static void chan_connected(void *ctx, uint32_t error) {
  ora_link *l = ctx;
  l->connect_done = 1;
  l->connect_err = error;
  ora_trace("link: %s (%u)", error ? "tunnel failed" : "tunnel up", (unsigned)error);
  advance(l);
}

static void chan_ended(void *ctx, uint32_t error) {
  ora_link *l = ctx;
  l->line_ended = 1;
  l->line_err = error;
  ora_trace("link: line ended");
  if (l->closing && l->td >= TD_MODEM) {
    teardown_later(l, TD_CLOSE); /* no modem left to talk to */
    return;
  }
  if (l->ppp_started && !l->ppp_down)
    ora_ppp_lower_down(l->ppp, line_error(l)); /* reports through ppp_down() */
  else
    advance(l);
}

static const ora_chan_events chan_events = {
    .opened = chan_opened,
    .dialog = chan_dialog,
    .frame = chan_frame,
    .watch = chan_watch,
    .connected = chan_connected,
    .ended = chan_ended,
};

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
  stop_dataplane(l);
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
    if (l->modem && !l->line_ended && ora_modem_hangup(l->modem) == 0)
      return; /* modem_done() moves on */
    l->td = TD_CLOSE;
  }
  ora_loop_cancel(l->loop, l->td_limit);
  l->td_limit = NULL;
  ora_modem_destroy(l->modem);
  l->modem = NULL;
  l->chan->ops->close(l->chan); /* drops DTR on a serial port */
  ora_ppp_destroy(l->ppp);
  l->ppp = NULL;
  ora_trace("link: closed");
  ora_link_closed(l->ctx); /* may destroy l: nothing after this */
}

/* ---------------------------------------------------------------- the driver */

/* The channel the link's kind runs on (chan.h). */
static int make_chan(ora_link *l, ora_chan **out) {
  if (l->cfg.kind == ORA_PPP_LINK_L2TP)
    return ora_chan_l2tp_create(l->loop, &l->cfg.sp, &l->cfg.l2tp, &chan_events, l, out);
  return ora_chan_stream_create(l->loop, &l->cfg.sp, l->cfg.ppp.accm, &chan_events, l, out);
}

static void link_free(ora_link *l) {
  stop_dataplane(l);
  ora_loop_cancel(l->loop, l->td_timer);
  ora_loop_cancel(l->loop, l->td_limit);
  ora_modem_destroy(l->modem);
  if (l->chan)
    l->chan->ops->destroy(l->chan);
  ora_ppp_destroy(l->ppp);
  ora_wipe(l, sizeof *l);
  free(l);
}

static int link_create(int kind, const ora_link_params *p, ora_link_ctx *ctx, ora_link **out) {
  ora_link *l = calloc(1, sizeof *l);
  if (!l)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  l->ctx = ctx;
  l->loop = p->loop;
  ora_copy_str(l->tun_helper, sizeof l->tun_helper, p->tun_helper ? p->tun_helper : "");
  int rc = ora_ppp_link_read_config(p, kind, &l->cfg);
  if (rc == 0)
    rc = make_ppp(l, p->req);
  if (rc == 0)
    rc = make_chan(l, &l->chan);
  if (rc == 0 && kind == ORA_PPP_LINK_MODEM)
    rc = ora_modem_create(l->loop, &l->cfg.hayes, l->chan, modem_done, l, &l->modem);
  if (rc != 0) {
    link_free(l);
    return rc;
  }
  atomic_fetch_add(&g_live, 1);
  *out = l;
  return 0;
}

static int modem_create(const ora_link_params *p, ora_link_ctx *ctx, ora_link **out) {
  return link_create(ORA_PPP_LINK_MODEM, p, ctx, out);
}
static int direct_create(const ora_link_params *p, ora_link_ctx *ctx, ora_link **out) {
  return link_create(ORA_PPP_LINK_DIRECT, p, ctx, out);
}
static int tcp_create(const ora_link_params *p, ora_link_ctx *ctx, ora_link **out) {
  return link_create(ORA_PPP_LINK_TCP, p, ctx, out);
}

static int l2tp_create(const ora_link_params *p, ora_link_ctx *ctx, ora_link **out) {
  return link_create(ORA_PPP_LINK_L2TP, p, ctx, out);
}

static void link_step(ora_link *l, uint32_t state) {
  l->state = state;
  l->waiting = 1;
  switch (state) {
  case ORA_CS_OpenPort:
    if (!l->open_started) {
      l->open_started = 1;
      l->chan->ops->open(l->chan);
    }
    break;
  case ORA_CS_ConnectDevice:
    if (l->modem && l->open_done && !l->open_err)
      ora_modem_dial(l->modem);
    if (l->open_done && !l->open_err)
      start_connect(l);
    break;
  case ORA_CS_Authenticate:
  case ORA_CS_AuthRetry:
    if (l->redialing && !l->open_started) {
      l->open_started = 1;
      l->chan->ops->open(l->chan); /* opened() moves redial_ready on */
    } else if (!l->redialing) {
      start_ppp(l);
    }
    break;
  default:
    break;
  }
  advance(l);
}

/* A fresh tunnel for a retry: an L2TP server clears the call (CDN) soon after refusing
 * the credentials, maybe only after the user already gave new ones, so the retry
 * always dials a new tunnel, the old one cleared by us first. */
static int reopen_channel(ora_link *l) {
  ora_chan *fresh;
  int rc = make_chan(l, &fresh);
  if (rc)
    return rc;
  l->chan->ops->close(l->chan); /* CDN and StopCCN, if the server has not cleared it */
  l->chan->ops->destroy(l->chan);
  l->chan = fresh;
  l->open_started = l->open_done = l->line_ended = 0;
  l->connect_started = l->connect_done = 0;
  l->open_err = l->line_err = l->connect_err = 0;
  l->redialing = 1;
  return 0;
}

static void link_resume(ora_link *l, uint32_t paused, const ora_dial_request *req) {
  if (paused != ORA_CS_RetryAuthentication) {
    ora_link_next(l->ctx, ORA_CS_Disconnected, 0, 0);
    return;
  }
  /* A new PPP run on the same line with the user's new credentials. */
  ora_ppp_destroy(l->ppp);
  l->ppp = NULL;
  int rc = make_ppp(l, req);
  if (rc == 0 && l->cfg.kind == ORA_PPP_LINK_L2TP)
    rc = reopen_channel(l);
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
  l->chan->ops->releasing(l->chan); /* a redial of this port waits for the teardown */
  teardown_later(l, TD_PPP);
}

static void link_destroy(ora_link *l) {
  link_free(l);
  atomic_fetch_sub(&g_live, 1);
}

static void link_status(ora_link *l, ora_status *out) {
  const ora_status *i = &l->cfg.info;
  memcpy(out->device_type, i->device_type, sizeof out->device_type);
  memcpy(out->device_name, i->device_name, sizeof out->device_name);
  memcpy(out->phone_number, i->phone_number, sizeof out->phone_number);
  if (l->chan && l->chan->ops->endpoints)
    l->chan->ops->endpoints(l->chan, &out->local, &out->remote);
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
  ora_ppp_stats s;
  memset(&s, 0, sizeof s);
  if (l->ppp)
    ora_ppp_get_stats(l->ppp, &s);
  if (l->chan)
    l->chan->ops->stats(l->chan, &s);
  out->bytes_out = s.bytes_out;
  out->bytes_in = s.bytes_in;
  out->frames_out = s.frames_out;
  out->frames_in = s.frames_in;
  out->crc_errors = s.crc_errors;
  out->framing_errors = s.framing_errors;
  out->buffer_overruns = s.overruns;
  if (l->dp) {
    /* A datagram the data plane refused came in a frame that was not what it claimed
     * (framing), or was larger than the link takes (overrun). */
    ora_dp_stats d;
    ora_dp_stats_get(l->dp, &d);
    out->framing_errors += d.dropped_bad;
    out->buffer_overruns += d.dropped_big;
  }
  /* The modem's CONNECT speed, else the port's; TCP has none. */
  out->bps = l->speed ? l->speed : l->cfg.sp.baud;
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
PPP_LINK_OPS(ora_link_l2tp, "l2tp", l2tp_create);
PPP_LINK_OPS(ora_link_vpn, "vpn", l2tp_create); /* Windows' DEVICE=vpn: L2TP, the tunnel we have */
