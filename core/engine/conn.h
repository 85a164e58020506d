/* A connection object and its RASCONNSTATE machine (conn.c). All functions run with
 * the loop lock held. */
#ifndef OPENRAS_CONN_H
#define OPENRAS_CONN_H

#include "openras/base/loop.h"
#include "link/link.h"
#include "openras/engine.h"

struct ora_pbk;
struct ora_engine;

typedef enum {
  ORA_PHASE_DIALING,   /* the driver works on the current state */
  ORA_PHASE_PAUSED,    /* waits in a paused state for ora_conn_resume */
  ORA_PHASE_CONNECTED, /* RASCS_Connected reached */
  ORA_PHASE_ENDED      /* failed or disconnected; stays readable until hung up */
} ora_phase;

struct ora_link_ctx {
  struct ora_conn *conn;
};

typedef struct ora_conn {
  struct ora_link_ctx ctx;
  struct ora_engine *eng;
  ora_loop *loop;
  ora_handle handle; /* 0 once hung up */
  uint32_t refs;     /* one per successful RasDial */
  ora_phase phase;
  uint32_t state, error, ext_error;

  ora_dial_request req;                       /* password wiped once the driver has it */
  char key[ORA_PATH_BYTES + ORA_ENTRY_BYTES]; /* phonebook|entry, for "already dialed" */

  ora_event_fn sink;
  void *sink_ctx;
  uint32_t seq;     /* last event number */
  int awaiting_ack; /* the dial waits for ora_conn_ack(seq) */
  int notify_stopped;

  const ora_link_ops *ops;
  ora_link *link;
  struct ora_pbk *pbk;
  ora_timer *step_timer; /* runs the driver's step for the current state */
  ora_timer *watchdog;   /* the engine's per-state time limit */
  uint32_t step_timeout_ms;
  int projected;      /* Projected was reached: projection data is readable */
  int link_open;      /* driver created and not yet closed */
  int closing;        /* teardown requested */
  int freed_on_close; /* free the object once the driver reports closed */

  ora_status info;   /* device and address data for status and enumeration */
  int was_connected; /* reached Connected: its end is a disconnection to report */
  int down_reported;
  uint64_t connected_at_ms;
  ora_stats stats_base;  /* the link's counters at the last clear */
  ora_stats stats_carry; /* counted by links lost since then */

  /* Reconnect if dropped (RASEO2_ReconnectIfDropped, conn.c): a lost link is dialed
   * again with a fresh driver while the connection stays Connected, substate
   * Reconnecting. The password is kept (and wiped at free) only for this. */
  int redial;               /* the entry asks for it and the caller did not disable it */
  uint32_t redial_count;    /* attempts per loss (dwRedialCount) */
  uint32_t redial_pause_ms; /* between attempts (dwRedialPause) */
  int relinking;            /* between the loss and Connected again, or giving up */
  uint32_t redials_left;
  uint32_t lost_error; /* why the link was lost: the connection's end if no redial works */
  ora_timer *redial_timer;
} ora_conn;

/* Connected, or connected and dialing its lost link again. */
static inline int ora_conn_is_connected(const ora_conn *c) {
  return c->phase == ORA_PHASE_CONNECTED || c->relinking;
}

/* Creates the connection, its driver, and schedules RASCS_OpenPort. Takes ownership of
 * pbk. Returns a RAS error; on error nothing is left behind. */
int ora_conn_start(struct ora_engine *eng, ora_loop *loop, const ora_dial_request *req,
                   struct ora_pbk *pbk, const ora_link_ops *ops, ora_event_fn sink, void *sink_ctx,
                   ora_conn **out);
int ora_conn_resume(ora_conn *c, const ora_dial_request *req);
int ora_conn_ack(ora_conn *c, uint32_t seq, int keep_going);
/* Sends one Connected event to a second dialer of an already connected entry. */
void ora_conn_notify_connected(ora_conn *c, ora_event_fn sink, void *sink_ctx);
/* Stops all events, tears the link down and frees the object when it is closed. The
 * caller has already removed the handle. */
void ora_conn_release(ora_conn *c);
void ora_conn_status(ora_conn *c, ora_status *out);
void ora_conn_stats(ora_conn *c, int clear, ora_stats *out);

/* Engine hook (engine.c): shows the connection's status to the observer, or its
 * end when gone is set. */
void ora_engine_publish(struct ora_engine *e, ora_conn *c, int gone);
/* A released connection whose link is still closing (+1), and once it is freed (-1):
 * ora_engine_count counts it, so "no connections" means nothing is left in memory. */
void ora_engine_closing(struct ora_engine *e, int delta);
/* The configured data-plane helper, "" when none. */
const char *ora_engine_tun_helper(const struct ora_engine *e);
uint32_t ora_engine_flags(const struct ora_engine *e);

/* Engine hook (engine.c): tells the watchers that a connection came up or went away. */
void ora_engine_notify_watchers(struct ora_engine *e, ora_handle h, int connected);

#endif
