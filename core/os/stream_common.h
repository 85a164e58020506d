/* The part of a stream that is the same on both platforms (posix_stream.c and
 * win32_stream.c supply the rest):
 * - what the reader thread hands to the loop thread: the result of the open,
 *   bytes read, and the end of the stream, each a chunk posted with ora_loop_post
 *   and delivered under the loop lock, never after the owner closed the stream;
 * - opening: the public open calls, "host:port" parsing, and the claim of a
 *   serial port in os/ports.h before the platform opens it.
 *
 * Each platform's struct ora_stream starts with an ora_stream_side. */
#ifndef OPENRAS_OS_STREAM_COMMON_H
#define OPENRAS_OS_STREAM_COMMON_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "openras/base/loop.h"
#include "os/stream.h"

#define ORA_STREAM_TARGET_MAX 512
#define ORA_STREAM_DEFAULT_CONNECT_MS 30000u
#define ORA_STREAM_WBUF (32 * 1024)
#define ORA_STREAM_READ (64 * 1024) /* one read by the reader thread */

typedef struct ora_stream_side {
  struct ora_loop *loop;
  ora_stream_opened_fn opened;
  ora_stream_rx_fn rx;
  void *ctx;
  int closed; /* loop lock */
  int usable; /* loop lock: opened and not ended */
  int kind;   /* ORA_STREAM_* */
  int open_in_thread;
  uint32_t baud, connect_ms;
  int rtscts, flush;
  atomic_int port_claimed; /* serial: the port is ours in os/ports.h */
  char target[ORA_STREAM_TARGET_MAX];
  /* The open's result and the end, made with the stream so that they reach the loop
   * even when memory runs out (a lost one would leave the link waiting for ever). */
  struct chunk *opened_chunk, *end_chunk;
  /* Bytes read when no memory is left for a chunk of them go through this one, a piece at
   * a time (reserve_busy: posted and not yet delivered). */
  struct chunk *reserve_chunk;
  atomic_int reserve_busy;
  /* Bytes written on the loop thread are held and sent in one write before the loop
   * next waits (ora_loop_defer): under Wine each write costs wineserver round trips, and
   * one read of the line can hold dozens of packets for the other side. */
  struct ora_loop_item flush_item;
  size_t wlen;
  uint8_t wbuf[ORA_STREAM_WBUF];
} ora_stream_side;

enum { ORA_CH_OPENED, ORA_CH_DATA, ORA_CH_END };

/* ---- supplied by each platform ---- */

/* A stream holding one reference (the owner's) with its platform resources; the
 * side is zeroed except for kind. NULL when out of resources. */
ora_stream *ora_stream_create(int kind);
/* Starts the reader thread, which holds a reference of its own; -1 on failure
 * (the owner's reference is dropped then). */
int ora_stream_start(ora_stream *st);
void ora_stream_hold(ora_stream *st);
/* Drops a reference; the last one closes the transport, then calls
 * ora_stream_side_end, then frees. */
void ora_stream_drop(ora_stream *st);
/* Writes all bytes now, bounded in time as ora_stream_write says; 0 or a RAS error. */
uint32_t ora_stream_write_now(ora_stream *st, const uint8_t *p, size_t len);
/* The owner is closing (loop lock held): bytes still held are sent, best effort. */
void ora_stream_side_closing(ora_stream *st);
uint32_t ora_stream_open_serial(ora_stream *st);
uint32_t ora_stream_open_tcp(ora_stream *st, const char *host, const char *port);
/* A UDP socket connected to host:port (os/stream.h says what that filters). */
uint32_t ora_stream_open_udp(ora_stream *st, const char *host, const char *port);
/* Starts the helper program at side.target with one end of a socket pair as its stdin
 * and stdout; the stream is the other end. It is not waited for: it ends when the
 * stream closes. */
uint32_t ora_stream_open_helper(ora_stream *st);
/* Waits up to ms; nonzero when the owner closed the stream meanwhile. */
int ora_stream_wait_closed(void *st, uint32_t ms);

/* ---- shared ---- */

/* Opens the transport (reader thread, or the caller of ora_stream_open). */
uint32_t ora_stream_do_open(ora_stream *st);
/* The transport is closed: gives the serial port back to os/ports.h. */
void ora_stream_side_end(ora_stream *st);
/* Posts a chunk (reader thread): 0, or ORA_STREAM_POST_GONE when the loop was destroyed
 * or the owner closed the stream (nobody listens any more). It never fails for memory:
 * the open's result and the end have chunks of their own, and bytes fall back on a
 * reserve chunk, waiting for it as long as it is in flight. */
enum { ORA_STREAM_POST_GONE = -1 };
int ora_stream_post(ora_stream *st, int type, uint32_t error, const uint8_t *data, size_t len);

#endif
