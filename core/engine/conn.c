/* The RASCONNSTATE machine of one connection. The driver says which state comes
 * next; this file applies the rules of the RAS API around it:
 * - every state is announced once with dwError 0 on entry, and an error within a
 *   state announces the same state again with the error;
 * - with ack_required, the dial does not advance until the event was acknowledged
 *   (the application's notifier returned);
 * - paused states pause only with RDEOPT_PausedStates on an asynchronous dial; else
 *   they fail the dial with the error they stand for;
 * - notifications end with Connected, with an error, or when the notifier asks
 *   (RasDialFunc2 returning 0);
 * - every state has a time limit (the watchdog), so no dial hangs forever;
 * - with ReconnectIfDropped, a link lost after Connected is dialed again (a fresh
 *   driver, the same handle) up to RedialAttempts times, RedialSeconds apart; the
 *   connection stays Connected with substate Reconnecting meanwhile, its dialer gets
 *   no events, and RasConnectionNotification's ReConnection event says it is back.
 *   Only when every attempt fails does it end, with the error that lost the link. */
#include "openras/base/check.h"
#include "engine/conn.h"

#include <stdlib.h>
#include <string.h>

#include "openras/base/trace.h"
#include "openras/os.h"
#include "openras/pbk.h"
#include "openras/base/wipe.h"

#define DEFAULT_STEP_TIMEOUT_MS 120000u

static ora_conn *from_ctx(ora_link_ctx *ctx) {
  return ctx->conn;
}

/* The error a paused state stands for when the caller did not ask for pauses. */
static uint32_t paused_state_error(uint32_t s) {
  switch (s) {
  case ORA_CS_RetryAuthentication:
    return ORA_ERROR_AUTHENTICATION_FAILURE;
  case ORA_CS_PasswordExpired:
    return ORA_ERROR_PASSWD_EXPIRED;
  case ORA_CS_CallbackSetByCaller:
    return ORA_ERROR_BAD_CALLBACK_NUMBER;
  default:
    return ORA_ERROR_INTERACTIVE_MODE;
  }
}

static void emit(ora_conn *c, uint32_t state, uint32_t error, uint32_t ext, int last) {
  ora_trace("conn %08x: %s error %u%s", (unsigned)c->handle,
            ora_state_name(state) ? ora_state_name(state) : "?", (unsigned)error,
            last ? " (last)" : "");
  if (!c->sink || c->notify_stopped || c->closing || c->relinking)
    return; /* a redial after a loss is not the dial the notifier watched */
  ora_event ev;
  memset(&ev, 0, sizeof ev);
  ev.conn = c->handle;
  ev.seq = ++c->seq;
  ev.state = state;
  ev.error = error;
  ev.ext_error = ext;
  /* A single-link connection's notifications come from its link 1. */
  ev.subentry = c->req.subentry ? c->req.subentry : 1;
  ev.callback_id = c->req.callback_id;
  ev.last = last;
  if (c->req.ack_required && !last)
    c->awaiting_ack = 1;
  c->sink(c->sink_ctx, &ev);
}

static void cancel_timers(ora_conn *c) {
  ora_loop_cancel(c->loop, c->step_timer);
  c->step_timer = NULL;
  ora_loop_cancel(c->loop, c->watchdog);
  c->watchdog = NULL;
  ora_loop_cancel(c->loop, c->redial_timer);
  c->redial_timer = NULL;
}

static void close_link(ora_conn *c) {
  cancel_timers(c);
  if (c->link_open && !c->closing) {
    c->closing = 1;
    c->ops->hangup(c->link);
  }
}

static void watchdog_fired(void *arg) {
  ora_conn *c = arg;
  c->watchdog = NULL;
  ora_link_next(&c->ctx, c->state, ORA_ERROR_REQUEST_TIMEOUT, 0);
}

static void run_step(void *arg) {
  ora_conn *c = arg;
  c->step_timer = NULL;
  if (c->phase != ORA_PHASE_DIALING || c->closing)
    return;
  c->watchdog = ora_loop_timer(c->loop, c->step_timeout_ms, watchdog_fired, c);
  c->ops->step(c->link, c->state);
}

/* Lets the driver work on the current state, unless the application still has to
 * acknowledge its notification. A timer keeps the stack flat when a driver answers
 * at once. */
static void schedule_step(ora_conn *c) {
  if (c->awaiting_ack || c->step_timer || c->phase != ORA_PHASE_DIALING || c->closing)
    return;
  c->step_timer = ora_loop_timer(c->loop, 0, run_step, c);
}

static void lose_link(ora_conn *c);

static void fail(ora_conn *c, uint32_t state, uint32_t error, uint32_t ext) {
  if (c->relinking) {
    ora_trace("conn %08x: redial failed in %s with %u", (unsigned)c->handle,
              ora_state_name(state) ? ora_state_name(state) : "?", (unsigned)error);
    lose_link(c);
    return;
  }
  c->state = state;
  c->error = error;
  c->ext_error = ext;
  c->phase = ORA_PHASE_ENDED;
  c->awaiting_ack = 0;
  ora_engine_publish(c->eng, c, 0);
  emit(c, state, error, ext, 1);
  /* The port is released now; the object stays readable until RasHangUp. */
  close_link(c);
}

static void enter(ora_conn *c, uint32_t state) {
  c->state = state;
  c->error = 0;
  c->ext_error = 0;
  if (state == ORA_CS_Projected || state == ORA_CS_Connected)
    c->projected = 1;
  ora_engine_publish(c->eng, c, 0);
  if (state == ORA_CS_Connected && c->relinking) {
    c->phase = ORA_PHASE_CONNECTED;
    c->relinking = 0;
    c->info.substate = ORA_CSS_Reconnected;
    ora_trace("conn %08x: reconnected", (unsigned)c->handle);
    ora_engine_publish(c->eng, c, 0);
    ora_engine_notify_watchers(c->eng, c->handle, ORA_WATCH_RECONNECTED);
    return;
  }
  if (state == ORA_CS_Connected) {
    c->phase = ORA_PHASE_CONNECTED;
    c->info.state = state;
    c->was_connected = 1;
    c->connected_at_ms = ora_now_ms();
    emit(c, state, 0, 0, 1);
    ora_engine_notify_watchers(c->eng, c->handle, ORA_WATCH_CONNECTED);
    return;
  }
  if (ora_state_is_paused(state)) {
    c->phase = ORA_PHASE_PAUSED;
    emit(c, state, 0, 0, 1);
    return;
  }
  emit(c, state, 0, 0, 0);
  schedule_step(c);
}

void ora_link_next(ora_link_ctx *ctx, uint32_t next, uint32_t error, uint32_t ext) {
  ORA_ASSERT(ora_loop_held(from_ctx(ctx)->loop)); /* drivers report on the loop */
  ora_conn *c = from_ctx(ctx);
  if (c->phase != ORA_PHASE_DIALING || c->closing)
    return; /* a late report from a driver being torn down */
  ora_loop_cancel(c->loop, c->watchdog);
  c->watchdog = NULL;
  if (error) {
    fail(c, c->state, error, ext);
    return;
  }
  if (ora_state_is_paused(next)) {
    /* Pausing needs an asynchronous caller that asked for it (and is watching). */
    if ((c->req.options & ORA_RDEOPT_PausedStates) && c->req.ack_required && !c->relinking)
      enter(c, next);
    else
      fail(c, c->state, paused_state_error(next), 0);
    return;
  }
  if (next == ORA_CS_Connected || ora_state_is_running(next)) {
    enter(c, next);
    return;
  }
  /* Disconnected or an unknown value: the driver lost the link while dialing. */
  fail(c, c->state, ORA_ERROR_DISCONNECTION, 0);
}

static void end_connected(ora_conn *c, uint32_t error);

void ora_link_down(ora_link_ctx *ctx, uint32_t error) {
  ORA_ASSERT(ora_loop_held(from_ctx(ctx)->loop));
  ora_conn *c = from_ctx(ctx);
  if (c->closing)
    return;
  if (c->phase != ORA_PHASE_CONNECTED) {
    ora_link_next(ctx, c->state, error ? error : ORA_ERROR_DISCONNECTION, 0);
    return;
  }
  error = error ? error : ORA_ERROR_DISCONNECTION;
  if (c->redial && c->redial_count) {
    ora_trace("conn %08x: link lost with %u: redialing (%u attempts, %u ms apart)",
              (unsigned)c->handle, (unsigned)error, (unsigned)c->redial_count,
              (unsigned)c->redial_pause_ms);
    c->relinking = 1;
    c->lost_error = error;
    c->redials_left = c->redial_count;
    c->info.substate = ORA_CSS_Reconnecting;
    ora_engine_publish(c->eng, c, 0);
    lose_link(c);
    return;
  }
  end_connected(c, error);
}

/* The connection that had connected is over. */
static void end_connected(ora_conn *c, uint32_t error) {
  c->state = ORA_CS_Disconnected;
  c->error = error;
  c->phase = ORA_PHASE_ENDED;
  c->down_reported = 1;
  c->relinking = 0;
  c->info.substate = ORA_CSS_None;
  ora_engine_publish(c->eng, c, 0);
  ora_engine_notify_watchers(c->eng, c->handle, ORA_WATCH_GONE);
  close_link(c);
}

/* Counters of a link about to go, so the connection's statistics keep them. */
static void carry_stats(ora_conn *c) {
  ora_stats raw;
  memset(&raw, 0, sizeof raw);
  if (c->ops->stats && c->link && c->link_open)
    c->ops->stats(c->link, &raw);
#define CARRY(f) c->stats_carry.f += raw.f - c->stats_base.f
  ORA_STATS_COUNTERS(CARRY);
#undef CARRY
  memset(&c->stats_base, 0, sizeof c->stats_base);
}

/* A new driver object for the connection, from its phone book entry and request: at the
 * dial, and for each redial of a lost link. 0, or a RAS error with c->link NULL. */
static int create_link(ora_conn *c) {
  ora_link_params p = {c->loop,
                       c->pbk,
                       c->req.entry,
                       &c->req,
                       ora_engine_tun_helper(c->eng),
                       ora_engine_flags(c->eng)};
  int rc = c->ops->create(&p, &c->ctx, &c->link);
  if (rc != 0)
    c->link = NULL;
  return rc;
}

static void redial_now(void *arg);

/* After the old link is closed (from a timer: never inside a call of that link): the
 * next attempt, or the end. */
static void after_loss(void *arg) {
  ora_conn *c = arg;
  c->redial_timer = NULL;
  if (c->link) {
    c->ops->destroy(c->link);
    c->link = NULL;
  }
  if (c->redials_left == 0) {
    ora_trace("conn %08x: no redial left", (unsigned)c->handle);
    end_connected(c, c->lost_error);
    return;
  }
  c->redials_left--;
  c->redial_timer = ora_loop_timer(c->loop, c->redial_pause_ms, redial_now, c);
  if (!c->redial_timer)
    end_connected(c, c->lost_error);
}

static void loss_closed(ora_conn *c) {
  c->redial_timer = ora_loop_timer(c->loop, 0, after_loss, c);
  if (!c->redial_timer)
    end_connected(c, c->lost_error);
}

/* The link of a Connected connection is lost, or a redial of it failed: close it,
 * then after_loss(). */
static void lose_link(ora_conn *c) {
  cancel_timers(c);
  carry_stats(c);
  c->phase = ORA_PHASE_DIALING; /* between attempts: no driver report counts */
  if (c->link_open) {
    if (!c->closing) {
      c->closing = 1;
      c->ops->hangup(c->link); /* ora_link_closed() goes on */
    }
    return;
  }
  loss_closed(c);
}

static void redial_now(void *arg) {
  ora_conn *c = arg;
  c->redial_timer = NULL;
  int rc = create_link(c);
  if (rc != 0) {
    ora_trace("conn %08x: redial could not start: %d", (unsigned)c->handle, rc);
    loss_closed(c);
    return;
  }
  ora_trace("conn %08x: redialing", (unsigned)c->handle);
  c->link_open = 1;
  c->closing = 0;
  c->phase = ORA_PHASE_DIALING;
  enter(c, ORA_CS_OpenPort);
}

static void conn_free(ora_conn *c) {
  cancel_timers(c);
  if (c->link)
    c->ops->destroy(c->link);
  ora_pbk_free(c->pbk);
  ora_wipe(&c->req, sizeof c->req);
  free(c);
}

void ora_link_closed(ora_link_ctx *ctx) {
  ORA_ASSERT(ora_loop_held(from_ctx(ctx)->loop));
  ora_conn *c = from_ctx(ctx);
  c->link_open = 0;
  if (c->freed_on_close) {
    ora_engine_closing(c->eng, -1);
    conn_free(c);
  } else if (c->relinking) {
    loss_closed(c);
  }
}

int ora_conn_start(struct ora_engine *eng, ora_loop *loop, const ora_dial_request *req,
                   struct ora_pbk *pbk, const ora_link_ops *ops, ora_event_fn sink, void *sink_ctx,
                   ora_conn **out) {
  ora_conn *c = calloc(1, sizeof *c);
  if (!c) {
    ora_pbk_free(pbk);
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  }
  c->ctx.conn = c;
  c->eng = eng;
  c->loop = loop;
  c->refs = 1;
  c->phase = ORA_PHASE_DIALING;
  c->state = ORA_CS_OpenPort;
  c->req = *req;
  c->sink = sink;
  c->sink_ctx = sink_ctx;
  c->ops = ops;
  c->pbk = pbk;
  int64_t to = pbk && req->entry[0]
                   ? ora_pbk_get_int(pbk, req->entry, "ORA_StepTimeoutMs", DEFAULT_STEP_TIMEOUT_MS)
                   : DEFAULT_STEP_TIMEOUT_MS;
  c->step_timeout_ms = (to > 0 && to < 24 * 3600 * 1000) ? (uint32_t)to : DEFAULT_STEP_TIMEOUT_MS;

  if (pbk && req->entry[0]) {
    c->redial = ora_pbk_get_int(pbk, req->entry, "RedialOnLinkFailure", 0) != 0 &&
                !(req->options & ORA_RDEOPT_DisableReconnect);
    int64_t n = ora_pbk_get_int(pbk, req->entry, "RedialAttempts", 3);
    int64_t sec = ora_pbk_get_int(pbk, req->entry, "RedialSeconds", 60);
    c->redial_count = n < 0 ? 0 : n > 999999999 ? 999999999 : (uint32_t)n;
    c->redial_pause_ms = sec < 0 ? 0 : sec > 86400 ? 86400000u : (uint32_t)sec * 1000u;
  }
  int rc = create_link(c);
  /* The driver keeps what it needs of the password; no other copy stays here, unless
   * a lost link is to be dialed again (then conn_free wipes it). */
  if (!c->redial)
    ora_wipe(c->req.password, sizeof c->req.password);
  if (rc != 0) {
    conn_free(c);
    return rc;
  }
  c->link_open = 1;
  if (ops->status)
    ops->status(c->link, &c->info);
  *out = c;
  return 0;
}

/* Called once the handle exists, so the first event carries it. */
void ora_conn_begin(ora_conn *c);
void ora_conn_begin(ora_conn *c) {
  enter(c, ORA_CS_OpenPort);
}

int ora_conn_resume(ora_conn *c, const ora_dial_request *req) {
  if (c->phase != ORA_PHASE_PAUSED)
    return c->phase == ORA_PHASE_DIALING ? ORA_ERROR_DIAL_ALREADY_IN_PROGRESS
                                         : ORA_ERROR_INVALID_HANDLE;
  uint32_t paused = c->state;
  /* Only the user's input changes on resume; the rest of the dial stays as it was. */
  memcpy(c->req.user, req->user, sizeof c->req.user);
  memcpy(c->req.domain, req->domain, sizeof c->req.domain);
  memcpy(c->req.callback_number, req->callback_number, sizeof c->req.callback_number);
  c->phase = ORA_PHASE_DIALING;
  c->notify_stopped = 0;
  c->awaiting_ack = 0;
  c->ops->resume(c->link, paused, req);
  if (c->phase == ORA_PHASE_DIALING && !c->watchdog && !c->closing)
    c->watchdog = ora_loop_timer(c->loop, c->step_timeout_ms, watchdog_fired, c);
  return 0;
}

int ora_conn_ack(ora_conn *c, uint32_t seq, int keep_going) {
  if (seq != c->seq)
    return 0; /* an old event's acknowledgement: nothing waits for it */
  if (!keep_going)
    c->notify_stopped = 1;
  if (c->awaiting_ack) {
    c->awaiting_ack = 0;
    schedule_step(c);
  }
  return 0;
}

void ora_conn_notify_connected(ora_conn *c, ora_event_fn sink, void *sink_ctx) {
  if (!sink)
    return;
  ora_event ev;
  memset(&ev, 0, sizeof ev);
  ev.conn = c->handle;
  ev.state = ORA_CS_Connected;
  ev.subentry = c->req.subentry ? c->req.subentry : 1;
  ev.last = 1;
  sink(sink_ctx, &ev);
}

void ora_conn_release(ora_conn *c) {
  ora_engine_publish(c->eng, c, 1);
  if (c->was_connected && !c->down_reported) {
    c->down_reported = 1;
    ora_engine_notify_watchers(c->eng, c->handle, 0);
  }
  ora_trace("conn %08x: released in %s", (unsigned)c->handle,
            ora_state_name(c->state) ? ora_state_name(c->state) : "?");
  c->handle = 0;
  c->sink = NULL;
  c->awaiting_ack = 0;
  c->relinking = 0; /* no more redials: the closing link ends it */
  if (c->phase == ORA_PHASE_DIALING || c->phase == ORA_PHASE_PAUSED ||
      c->phase == ORA_PHASE_CONNECTED) {
    c->phase = ORA_PHASE_ENDED;
    c->state = ORA_CS_Disconnected;
    c->error = ORA_ERROR_USER_DISCONNECTION;
  }
  close_link(c);
  if (c->link_open) {
    c->freed_on_close = 1; /* ora_link_closed frees it */
    ora_engine_closing(c->eng, +1);
  } else
    conn_free(c);
}

void ora_conn_status(ora_conn *c, ora_status *out) {
  *out = c->info;
  if (c->ops->status && c->link && c->link_open)
    c->ops->status(c->link, out);
  /* Dialing a lost link again, the connection is still Connected to its user. */
  out->state = c->relinking ? ORA_CS_Connected : c->state;
  out->error = c->relinking ? 0 : c->error;
  out->substate = c->info.substate;
}

void ora_conn_stats(ora_conn *c, int clear, ora_stats *out) {
  ora_stats raw;
  memset(&raw, 0, sizeof raw);
  if (c->ops->stats && c->link && c->link_open)
    c->ops->stats(c->link, &raw);
  *out = raw;
  /* Counters read relative to the last clear, plus what lost links counted since;
   * speed and ratios are not counters. */
#define SINCE(f) out->f = out->f - c->stats_base.f + c->stats_carry.f
  ORA_STATS_COUNTERS(SINCE);
#undef SINCE
  uint64_t since = c->was_connected ? ora_now_ms() - c->connected_at_ms : 0;
  out->connect_ms = since > UINT32_MAX ? UINT32_MAX : (uint32_t)since;
  if (clear) {
    c->stats_base = raw;
    memset(&c->stats_carry, 0, sizeof c->stats_carry);
    c->connected_at_ms = ora_now_ms();
  }
}
