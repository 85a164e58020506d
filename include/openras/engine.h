/* The engine interface: the only door between the Win32 surface (dll/) and the
 * portable core. Everything crossing it is plain data (UTF-8 strings, fixed-size
 * structs), so the same calls can later travel over the manager's pipe unchanged.
 *
 * Threading: every function may be called from any thread. Events are delivered
 * through the sink given to ora_engine_dial(), on the engine's loop thread, except the
 * first (OpenPort) and the Connected event of an already connected entry, which reach
 * the sink inside ora_engine_dial() on the dialing thread. The sink must only queue
 * the event and return (it must not call back into the engine). A
 * connection that delivered an event with ack_required does not advance until
 * ora_engine_ack() is called for that event: that is how "the dial waits while the
 * callback runs" is kept across threads and processes. */
#ifndef OPENRAS_ENGINE_H
#define OPENRAS_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "openras/base/states.h"
#include "openras/base/wipe.h"
#include "openras/rasdefs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* String capacities in bytes, including the terminator. UTF-8 can take up to three
 * bytes for each UTF-16 unit of the Win32 limits (RAS_MaxEntryName 256, ...). */
#define ORA_ENTRY_BYTES (256 * 3 + 1)
#define ORA_PHONE_BYTES (128 * 3 + 1)
#define ORA_USER_BYTES (256 * 3 + 1)
#define ORA_PASSWORD_BYTES (256 * 3 + 1)
#define ORA_DOMAIN_BYTES (15 * 3 + 1)
#define ORA_PATH_BYTES (260 * 3 + 1)
#define ORA_DEVTYPE_BYTES (16 * 3 + 1)
#define ORA_DEVNAME_BYTES (128 * 3 + 1)
#define ORA_IPSTR_BYTES 16 /* "255.255.255.255" */

/* A connection handle. Zero is never a valid handle. Encodes a slot and a
 * generation, so a stale or forged value never reaches another connection. */
typedef uint32_t ora_handle;

typedef struct ora_engine ora_engine;

/* ora_engine_config.flags */
enum {
  /* L2TP may run without IPsec (Windows' ProhibitIpSec policy; docs/links.md "VPN
   * links"). On Windows ora_engine_create adds it when the machine's policy says so. */
  ORA_ENGINE_PROHIBIT_IPSEC = 1
};

typedef struct ora_engine_config {
  uint32_t flags; /* ORA_ENGINE_* */
  /* The data plane's native helper (openras-tun, docs/data-plane.md): a path for the
   * OS layer's helper stream. "" = no data plane: links connect without one. */
  char tun_helper[ORA_PATH_BYTES];
} ora_engine_config;

typedef struct ora_dial_request {
  /* The phone book holding the entry, a concrete path: the DLL resolves the default
   * phone books (dll/pbk_access.c) before it dials; the engine never searches. "" with
   * an entry name is ERROR_CANNOT_FIND_PHONEBOOK_ENTRY. */
  char phonebook[ORA_PATH_BYTES];
  char entry[ORA_ENTRY_BYTES]; /* "" = simple connection on the first port */
  char phone_number[ORA_PHONE_BYTES];
  char callback_number[ORA_PHONE_BYTES];
  char user[ORA_USER_BYTES];
  char password[ORA_PASSWORD_BYTES]; /* wiped by the engine once copied */
  char domain[ORA_DOMAIN_BYTES];
  uint32_t subentry;
  uint32_t options;     /* ORA_RDEOPT_* */
  uint64_t callback_id; /* RASDIALPARAMS.dwCallbackId, echoed in events */
  /* Nonzero: each event waits for ora_engine_ack() before the dial goes on.
   * Zero (synchronous RasDial): events are still delivered but not waited for. */
  int ack_required;
} ora_dial_request;

typedef struct ora_event {
  ora_handle conn;
  uint32_t seq; /* pass back to ora_engine_ack() */
  uint32_t state;
  uint32_t error;
  uint32_t ext_error;
  uint32_t subentry;
  uint64_t callback_id;
  /* Nonzero on the last event of this dial (Connected, an error, or the paused
   * state the dial now waits in; a resume starts a new series). */
  int last;
} ora_event;

typedef void (*ora_event_fn)(void *ctx, const ora_event *ev);

/* Whether ev is the last its subscriber gets: Connected or an error; a dial that waits
 * in a paused state keeps its subscriber for the events after the resume. */
static inline int ora_event_ends_series(const ora_event *ev) {
  return ev->last && (ev->error != 0 || !ora_state_is_paused(ev->state));
}

enum { ORA_EP_NONE = 0, ORA_EP_IPV4 = 1, ORA_EP_IPV6 = 2 };
typedef struct ora_endpoint {
  uint32_t type; /* ORA_EP_* */
  uint8_t addr[16];
} ora_endpoint;

typedef struct ora_status {
  uint32_t state;
  uint32_t error;
  uint32_t substate;
  char device_type[ORA_DEVTYPE_BYTES];
  char device_name[ORA_DEVNAME_BYTES];
  char phone_number[ORA_PHONE_BYTES];
  ora_endpoint local, remote;
} ora_status;

typedef struct ora_conn_info {
  ora_handle handle;
  char entry[ORA_ENTRY_BYTES]; /* "." followed by the number for entry-less dials */
  char phonebook[ORA_PATH_BYTES];
  char device_type[ORA_DEVTYPE_BYTES];
  char device_name[ORA_DEVNAME_BYTES];
  uint32_t subentry;
  uint8_t entry_guid[16];
} ora_conn_info;

typedef struct ora_ip_projection {
  uint32_t error; /* 0 when IPCP completed */
  /* IPv4 addresses in host order (10.0.2.15 = 0x0a00020f), 0 = none. */
  uint32_t local, server, dns1, dns2;
  uint32_t options, server_options;
} ora_ip_projection;

typedef struct ora_lcp_projection {
  uint32_t error;
  int bundled;
  uint32_t auth_protocol, auth_data; /* PPP protocol number, CHAP algorithm */
  uint32_t server_auth_protocol, server_auth_data;
  uint32_t terminate_reason, server_terminate_reason;
  uint32_t options, server_options;
  uint32_t mru, server_mru;
} ora_lcp_projection;

/* Counters of a connection's link (RasGetConnectionStatistics). */
typedef struct ora_stats {
  uint64_t bytes_out, bytes_in, frames_out, frames_in;
  uint64_t crc_errors, timeout_errors, alignment_errors, hardware_overruns, framing_errors,
      buffer_overruns;
  uint32_t compression_out, compression_in; /* percent, 0 when not compressing */
  uint32_t bps;                             /* link speed */
  uint32_t connect_ms;                      /* time since Connected */
} ora_stats;
/* X(field) for each of ora_stats' counters. */
#define ORA_STATS_COUNTERS(X)                                                                      \
  X(bytes_out);                                                                                    \
  X(bytes_in);                                                                                     \
  X(frames_out);                                                                                   \
  X(frames_in);                                                                                    \
  X(crc_errors);                                                                                   \
  X(timeout_errors);                                                                               \
  X(alignment_errors);                                                                             \
  X(hardware_overruns);                                                                            \
  X(framing_errors);                                                                               \
  X(buffer_overruns)

/* RasConnectionNotification: what happened to a connection (connected): */
enum {
  ORA_WATCH_GONE = 0,       /* a connection that had connected went away */
  ORA_WATCH_CONNECTED = 1,  /* reached Connected */
  ORA_WATCH_RECONNECTED = 2 /* its lost link was dialed again (ReconnectIfDropped) */
};
/* Called on the loop thread; must only queue. */
typedef void (*ora_watch_fn)(void *ctx, ora_handle conn, int connected);

/* Lifetime. Every other call accepts the NULL engine of a failed creation: a call
 * that names a handle answers ORA_ERROR_INVALID_HANDLE (the manager may know handles
 * this process never saw, none of which a missing engine knows), any other
 * ORA_ERROR_RASMAN_CANNOT_INITIALIZE. */
int ora_engine_create(const ora_engine_config *cfg, ora_engine **out);
/* Hangs up every connection and waits (a bounded time) for their links to close. */
void ora_engine_destroy(ora_engine *e);

/* Starts a dial. On success (0) *out holds the new handle and events follow on
 * the sink. A nonzero return is a RAS error; *out may still hold a handle (that
 * must be hung up) when the failure belongs to the connection. Dialing an entry
 * that is already connected returns its handle with one more reference. */
int ora_engine_dial(ora_engine *e, const ora_dial_request *req, ora_event_fn sink, void *sink_ctx,
                    ora_handle *out);

/* Resumes a dial waiting in a paused state with the user's new input. */
int ora_engine_resume(ora_engine *e, ora_handle h, const ora_dial_request *req);

/* Acknowledges event `seq`; keep_going == 0 stops further events (RasDialFunc2
 * returning 0) without stopping the dial. */
int ora_engine_ack(ora_engine *e, ora_handle h, uint32_t seq, int keep_going);

/* Drops one reference; the last one tears the link down asynchronously and
 * invalidates the handle at once. ORA_ERROR_INVALID_HANDLE for unknown handles. */
int ora_engine_hangup(ora_engine *e, ora_handle h);

int ora_engine_status(ora_engine *e, ora_handle h, ora_status *out);

/* Lists the active connections: dialing, paused or connected (not failed or ended).
 * Writes at most cap items, always sets *count to the number that exist. */
int ora_engine_enum(ora_engine *e, ora_conn_info *items, size_t cap, size_t *count);

int ora_engine_info(ora_engine *e, ora_handle h, ora_conn_info *out);

/* Link counters since Connected or since the last clear; clear != 0 resets them
 * after reading. */
int ora_engine_stats(ora_engine *e, ora_handle h, int clear, ora_stats *out);

/* The connected connection of a phone-book entry (RasGetEntryHrasconn); phonebook ""
 * means the default phone books. ORA_ERROR_NO_CONNECTION when it is not connected. */
int ora_engine_find(ora_engine *e, const char *phonebook, const char *entry, ora_handle *out);

/* Subscribes to connect/disconnect notifications of every connection. */
int ora_engine_watch(ora_engine *e, ora_watch_fn fn, void *ctx, uint32_t *id);
int ora_engine_unwatch(ora_engine *e, uint32_t id);

/* An observer sees every connection's status whenever it changes (st != NULL) and
 * when the connection goes away (st == NULL). The manager publishes it in shared
 * memory so status reads need no round trip. Called on the loop thread with the
 * engine locked; must not call back into the engine. One observer per engine. */
typedef void (*ora_observer_fn)(void *ctx, ora_handle h, const ora_status *st);
void ora_engine_set_observer(ora_engine *e, ora_observer_fn fn, void *ctx);

/* How many connection objects exist, in any state, including released ones whose link
 * is still closing (the manager's idle check; "0" means nothing is left in memory). */
size_t ora_engine_count(ora_engine *e);
int ora_engine_ip_projection(ora_engine *e, ora_handle h, ora_ip_projection *out);
int ora_engine_lcp_projection(ora_engine *e, ora_handle h, ora_lcp_projection *out);

#ifdef __cplusplus
}
#endif
#endif
