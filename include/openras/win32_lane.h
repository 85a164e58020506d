/* The lane: how the DLL and the manager exchange messages (proto.h) once connected.
 * Two byte rings in a shared section, one per direction, each woken with events only
 * when its reader sleeps or its writer waits for room. Under Wine every pipe transfer
 * is several wineserver requests (a round trip costs about 300 µs on the 2-core
 * machine), a ring write none and a wake-up one SetEvent, so a notification and its
 * acknowledgement cost two wake-ups instead of two pipe transfers.
 *
 * The named pipe stays: the manager introduces the lane on it (ORA_MSG_HELLO) and each
 * side keeps one read pending on it, which completes when the other side goes away
 * (ora_pipe_watch), so a process that dies is noticed as before.
 *
 * The section is shared with another process: nothing read from it is trusted. Each
 * side writes only its own positions, checks the other's, and copies a message out
 * before decoding it. Windows-only. */
#ifndef OPENRAS_WIN32_LANE_H
#define OPENRAS_WIN32_LANE_H

#include <windows.h>

#include <stddef.h>
#include <stdint.h>

#include "openras/win32_pipe.h"

#define ORA_LANE_RING (256u * 1024u) /* bytes per direction, a power of two */

/* The section: the control blocks of directions 0 (client to manager) and 1 (manager to
 * client), then their rings. Positions count bytes ever written or read (mod 2^32);
 * each field is written by one side only, on a cache line of its own. */
typedef struct ora_lane_ctl {
  volatile uint32_t tail; /* the writer's */
  uint8_t pad1[60];
  volatile uint32_t head; /* the reader's */
  uint8_t pad2[60];
  volatile uint32_t reader_sleeps; /* the reader is about to wait on data_ev */
  uint8_t pad3[60];
  volatile uint32_t writer_waits; /* the writer is about to wait on room_ev */
  uint8_t pad4[60];
} ora_lane_ctl;

/* One direction's ring as one side sees it. */
typedef struct ora_lane_dir {
  ora_lane_ctl *ctl; /* positions and wait flags, in the section */
  uint8_t *data;     /* ORA_LANE_RING bytes, in the section */
  HANDLE data_ev;    /* auto-reset: the writer wakes a sleeping reader */
  HANDLE room_ev;    /* auto-reset: the reader wakes a writer waiting for room */
} ora_lane_dir;

typedef struct ora_lane {
  void *view;
  HANDLE section;
  ora_lane_dir in, out; /* what this side reads, what it writes */
  HANDLE gone;          /* signaled once the peer is gone (not owned: ora_pipe_watch's) */
  int broken;           /* the peer broke the rings' rules */
  /* the reading side's buffer: what has come but is not yet a whole message */
  uint8_t *buf;
  size_t cap, start, end;
} ora_lane;

/* The manager: makes a new lane for one client, under a random id that the HELLO message
 * carries (sa: who may open it, as for the pipe). The client: opens the lane of that id.
 * Both: 0, or -1 (nothing left open). */
int ora_lane_create(ora_lane *l, const ora_manager_names *names, SECURITY_ATTRIBUTES *sa,
                    uint64_t *id);
int ora_lane_open(ora_lane *l, const ora_manager_names *names, uint64_t id);
/* The handshake on a new pipe connection, after which the pipe only tells that the other
 * side went. The manager makes a lane, sends the HELLO that names it (ev: an event for
 * the write) and starts watching the pipe; the client reads the HELLO (waiting at most
 * timeout_ms), opens that lane and starts watching. Either way l->gone is w->gone. 0, or
 * -1 with nothing left open but the pipe (the caller's). */
int ora_lane_offer(ora_lane *l, ora_pipe_watch *w, HANDLE pipe, HANDLE ev,
                   const ora_manager_names *names, SECURITY_ATTRIBUTES *sa);
int ora_lane_join(ora_lane *l, ora_pipe_watch *w, HANDLE pipe, const ora_manager_names *names,
                  DWORD timeout_ms);
/* Closes everything, wiping the buffered bytes (a dial request carries a password). */
void ora_lane_close(ora_lane *l);

/* Writes all of buf, waiting for room at most timeout_ms in all. 0, or -1 when the
 * peer is gone or broke the rules, or the time ran out (a part may have been written:
 * the lane is then useless). Callers serialize writes. */
int ora_lane_write(ora_lane *l, const void *buf, size_t len, DWORD timeout_ms);
/* Writes all of buf if it fits now, never waiting: 1 written, 0 no room, -1 broken. */
int ora_lane_try_write(ora_lane *l, const void *buf, size_t len);

/* Reads one whole message (its length between min and max, checked), waiting as long as
 * it takes. On success *msg is malloc'd (free with free()). Returns 0, or -1 when the
 * peer is gone, broke the rings' rules or sent a malformed length, or memory ran out.
 * One thread reads. */
int ora_lane_read_msg(ora_lane *l, size_t min, size_t max, uint8_t **msg, size_t *len);

#endif
