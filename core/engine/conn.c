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
 * - every state has a time limit (the watchdog), so no dial hangs forever. */
#include "engine/conn.h"

#include <stdlib.h>
#include <string.h>

#include "openras/base/trace.h"
#include "openras/os.h"
#include "openras/pbk.h"

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
  if (!c->sink || c->notify_stopped || c->closing)
    return;
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

static void fail(ora_conn *c, uint32_t state, uint32_t error, uint32_t ext) {
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
  if (state == ORA_CS_Connected) {
    c->phase = ORA_PHASE_CONNECTED;
    c->info.state = state;
    c->was_connected = 1;
    c->connected_at_ms = ora_now_ms();
    emit(c, state, 0, 0, 1);
    ora_engine_notify_watchers(c->eng, c->handle, 1);
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
    /* Pausing needs an asynchronous caller that asked for it. */
    if ((c->req.options & ORA_RDEOPT_PausedStates) && c->req.ack_required)
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

void ora_link_down(ora_link_ctx *ctx, uint32_t error) {
  ora_conn *c = from_ctx(ctx);
  if (c->closing)
    return;
  if (c->phase != ORA_PHASE_CONNECTED) {
    ora_link_next(ctx, c->state, error ? error : ORA_ERROR_DISCONNECTION, 0);
    return;
  }
  c->state = ORA_CS_Disconnected;
  c->error = error ? error : ORA_ERROR_DISCONNECTION;
  c->phase = ORA_PHASE_ENDED;
  c->down_reported = 1;
  ora_engine_publish(c->eng, c, 0);
  ora_engine_notify_watchers(c->eng, c->handle, 0);
  close_link(c);
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
  ora_conn *c = from_ctx(ctx);
  c->link_open = 0;
  if (c->freed_on_close) {
    ora_engine_closing(c->eng, -1);
    conn_free(c);
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

  ora_link_params p = {loop, pbk, req->entry, &c->req, ora_engine_tun_helper(eng)};
  int rc = ops->create(&p, &c->ctx, &c->link);
  /* The driver keeps what it needs of the password; no other copy stays here. */
  ora_wipe(c->req.password, sizeof c->req.password);
  if (rc != 0) {
    c->link = NULL;
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
  out->state = c->state;
  out->error = c->error;
}

void ora_conn_stats(ora_conn *c, int clear, ora_stats *out) {
  ora_stats raw;
  memset(&raw, 0, sizeof raw);
  if (c->ops->stats && c->link && c->link_open)
    c->ops->stats(c->link, &raw);
  *out = raw;
  /* Counters read relative to the last clear; speed and ratios are not counters. */
  out->bytes_out -= c->stats_base.bytes_out;
  out->bytes_in -= c->stats_base.bytes_in;
  out->frames_out -= c->stats_base.frames_out;
  out->frames_in -= c->stats_base.frames_in;
  out->crc_errors -= c->stats_base.crc_errors;
  out->timeout_errors -= c->stats_base.timeout_errors;
  out->alignment_errors -= c->stats_base.alignment_errors;
  out->hardware_overruns -= c->stats_base.hardware_overruns;
  out->framing_errors -= c->stats_base.framing_errors;
  out->buffer_overruns -= c->stats_base.buffer_overruns;
  uint64_t since = c->was_connected ? ora_now_ms() - c->connected_at_ms : 0;
  out->connect_ms = since > UINT32_MAX ? UINT32_MAX : (uint32_t)since;
  if (clear) {
    c->stats_base = raw;
    c->connected_at_ms = ora_now_ms();
  }
}
