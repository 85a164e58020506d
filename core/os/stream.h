/* Byte-stream transports for the link drivers, one interface on both platforms:
 * a serial port (a tty or pty path on POSIX, "COMn" on Windows), a TCP
 * connection, a UDP socket (datagrams: an L2TP tunnel), or a native helper program
 * started with a connected socket as its stdin and stdout (the data plane's TUN
 * helper). posix_stream.c and win32_stream.c
 * implement it.
 *
 * Each stream has a thread of its own that opens the transport (so a slow TCP
 * connect or DNS lookup never holds the engine loop) and then reads. What it
 * finds comes back through ora_loop_post, so every callback runs on the loop
 * thread with the loop lock held, and none runs after ora_stream_close().
 *
 * Errors are RAS codes: 615 ORA_ERROR_PORT_NOT_FOUND (no such device), 633
 * ORA_ERROR_PORT_NOT_AVAILABLE (in use, no permission, not configurable), 868
 * ORA_ERROR_DNSNAME_NOT_RESOLVABLE (TCP host unknown), 678 ORA_ERROR_NO_ANSWER
 * (TCP refused, unreachable or timed out), 630 ORA_ERROR_HARDWARE_FAILURE (a
 * write that failed or could not finish), 728 ORA_ERROR_NO_IP_RAS_ADAPTER (the helper
 * could not be started). */
#ifndef OPENRAS_STREAM_H
#define OPENRAS_STREAM_H

#include <stddef.h>
#include <stdint.h>

struct ora_loop;

typedef struct ora_stream ora_stream;

enum { ORA_STREAM_SERIAL = 1, ORA_STREAM_TCP = 2, ORA_STREAM_HELPER = 3, ORA_STREAM_UDP = 4 };

/* A UDP stream keeps datagram boundaries: each rx call is one datagram and each
 * ora_stream_write sends one (never held or merged). Its socket is connected to
 * host:port, so the OS drops datagrams from any other address or port. A datagram that
 * finds no memory is dropped, never split; an empty one is ignored. ICMP errors (the
 * peer's port closed) are ignored too: they can be passing (a server restarting its
 * listeners) or forged, so the protocol's own timers judge whether the peer is gone. */

typedef struct ora_stream_params {
  int kind;                    /* ORA_STREAM_* */
  const char *target;          /* serial: device path or "COMn"; TCP and UDP: "host:port"
                                  ([v6]:port too);
                                  helper: the program's path (on Windows a DOS path, or a
                                  Unix path beginning with '/', for Wine) */
  uint32_t baud;               /* serial: bits per second; 0 = 115200 */
  int rtscts;                  /* serial: RTS/CTS hardware flow control */
  int flush;                   /* serial: discard input buffered before the open (a modem's
                                  stale output) */
  uint32_t connect_timeout_ms; /* TCP: 0 = 30 s */
} ora_stream_params;

/* "host:port" or "[v6addr]:port" (a TCP target) into its parts; 0 when well-formed,
 * with the host copied into host[cap] and *port pointing into s. */
int ora_stream_split_hostport(const char *s, char *host, size_t cap, const char **port);

/* The open finished: error 0, or a RAS error after which nothing else is called
 * (the stream must still be closed). */
typedef void (*ora_stream_opened_fn)(void *ctx, uint32_t error);
/* Bytes received. len == 0: the stream ended (EOF, hang-up or a read error);
 * nothing follows it. */
typedef void (*ora_stream_rx_fn)(void *ctx, const uint8_t *buf, size_t len);

/* Starts opening; returns 0 (opened() follows on the loop thread) or a RAS error
 * (nothing follows). Call with the loop lock held. */
int ora_stream_open_async(struct ora_loop *loop, const ora_stream_params *p,
                          ora_stream_opened_fn opened, ora_stream_rx_fn rx, void *ctx,
                          ora_stream **out);

/* Opens in the calling thread, for tests and tools: spec is "tcp:host:port" or a
 * serial device. 0 or a RAS error; rx starts being called once this returns. */
int ora_stream_open(struct ora_loop *loop, const char *spec, ora_stream_rx_fn rx, void *ctx,
                    ora_stream **out);

/* The owner starts letting go of its serial port (a link's hang-up sequence):
 * from now until the stream is freed, an open of the same port waits for it
 * (os/ports.h). ora_stream_close implies it. Loop thread. */
void ora_stream_releasing(ora_stream *st);

/* Writes all bytes; 0, or a RAS error when the stream is not open or broken.
 * Bounded in time: a peer that stops reading (or holds CTS low) makes it fail
 * after about two seconds instead of stalling the loop. On the loop thread the bytes
 * are held (up to 32 KB) and sent in one write before the loop next waits or the
 * stream closes; if that write fails they are lost, as a failed write of them would
 * be. Loop lock held. */
int ora_stream_write(ora_stream *st, const void *buf, size_t len);

/* A TCP or UDP stream's own and its peer's addresses, once opened: *family 4 or 6 and
 * the addresses in network order (4 or 16 bytes used). 0, or -1 (no socket). */
int ora_stream_addresses(ora_stream *st, int *family, uint8_t local[16], uint8_t remote[16]);

/* Serial: raises (1) or drops (0) DTR, which hangs up a modem. 0, or -1 when the
 * stream has no such line (TCP, a pty). */
int ora_stream_set_dtr(ora_stream *st, int on);

/* Closes (dropping DTR on a serial port) and cancels an open in progress. Call on
 * the loop thread with the lock held. No callback runs after it returns; memory
 * is released once the stream's thread has left. NULL is ignored. */
void ora_stream_close(ora_stream *st);

/* Streams of this process whose memory is not yet released (closing ones
 * included), for leak checks: a loop destroyed while this is nonzero drops their
 * last work unrun. */
size_t ora_stream_count(void);

#endif
