/* Link drivers: how a connection object reaches the far end (simulated, modem+PPP,
 * direct serial+PPP, TCP+PPP). The engine (core/engine/conn.c) owns the RAS rules;
 * a driver only does the work of each state and says which state comes next.
 *
 * Protocol, all on the loop thread with the loop lock held:
 *   engine enters state S (and its notification was acknowledged)
 *     -> ops->step(link, S)
 *   driver finishes the work of S (now or later, from a timer or posted work)
 *     -> ora_link_next(ctx, next_state, 0, 0)      next RASCONNSTATE, or
 *     -> ora_link_next(ctx, S, error, ext_error)   S failed with a RAS error
 *   a paused state (ORA_CS_RetryAuthentication, ...) is just a next_state: the
 *   engine decides whether to pause (RDEOPT_PausedStates) or fail, and calls
 *   ops->resume() with the user's new input.
 *   after Connected, a lost link -> ora_link_down(ctx, error).
 *   ops->hangup() starts the teardown; the driver calls ora_link_closed() once. */
#ifndef OPENRAS_LINK_H
#define OPENRAS_LINK_H

#include <stdint.h>

#include "openras/engine.h"

struct ora_loop;
struct ora_pbk;

typedef struct ora_link ora_link;         /* a driver's per-connection object */
typedef struct ora_link_ctx ora_link_ctx; /* the engine side of one connection */

/* What a driver is created from: the entry's phone-book section and the request. */
typedef struct ora_link_params {
  struct ora_loop *loop;
  const struct ora_pbk *pbk; /* may be NULL (entry-less dial) */
  const char *entry;         /* phone-book entry name, "" when none */
  const ora_dial_request *req;
  const char *tun_helper; /* the data plane's helper, "" = none (ora_engine_config) */
  uint32_t engine_flags;  /* ORA_ENGINE_* */
} ora_link_params;

typedef struct ora_link_ops {
  const char *name; /* the ORA_Link value that selects it: "sim", "modem", ... */
  int (*create)(const ora_link_params *p, ora_link_ctx *ctx, ora_link **out); /* RAS error */
  void (*step)(ora_link *l, uint32_t state);
  /* New user input for the paused state the engine waits in. */
  void (*resume)(ora_link *l, uint32_t paused_state, const ora_dial_request *req);
  void (*hangup)(ora_link *l);
  void (*destroy)(ora_link *l); /* only after ora_link_closed() */
  /* Optional readers; fill what is known, return 0 or a RAS error. */
  void (*status)(ora_link *l, ora_status *out);
  int (*ip_projection)(ora_link *l, ora_ip_projection *out);
  int (*lcp_projection)(ora_link *l, ora_lcp_projection *out);
  /* Raw counters since the link opened; the engine handles clearing. */
  void (*stats)(ora_link *l, ora_stats *out);
} ora_link_ops;

/* Engine entry points for drivers (defined in core/engine/conn.c). */
void ora_link_next(ora_link_ctx *ctx, uint32_t next_state, uint32_t error, uint32_t ext_error);
void ora_link_down(ora_link_ctx *ctx, uint32_t error);
void ora_link_closed(ora_link_ctx *ctx);

/* Drivers known to the engine (core/link/registry.c). */
const ora_link_ops *ora_link_find(const char *name);

#endif
