/* Message I/O on the manager's named pipe, shared by the DLL and the manager. Both
 * ends open the pipe for overlapped I/O: a blocked read on a synchronous handle
 * would stall writes from other threads. Windows-only. */
#ifndef OPENRAS_WIN32_PIPE_H
#define OPENRAS_WIN32_PIPE_H

#include <windows.h>

#include <stddef.h>
#include <stdint.h>

/* The names of the manager's objects for the current user (one manager per user and
 * Wine prefix), side by side:
 *   pipe   \\.\pipe\OpenRAS-manager-v<proto>-<SID>   requests and events
 *   map    Local\OpenRAS-manager-v<proto>-<SID>-status  the status map (statusmap.h)
 *   mutex  Local\OpenRAS-manager-v<proto>-<SID>         which manager serves */
typedef struct ora_manager_names {
  WCHAR pipe[256], map[300], mutex[300];
} ora_manager_names;
int ora_manager_names_get(int version, ora_manager_names *out); /* 0, or -1 */

/* Both directions take `ev`, a manual-reset event owned by the calling thread (or
 * by the lock serializing the calls), reused for every transfer: creating one per
 * transfer costs a server round trip under Wine.
 *
 * The reading side of one pipe, used by one thread: it reads whatever has arrived
 * into its buffer and hands out the messages in it, so a message costs one ReadFile
 * at most (a header then a body was two, each a wineserver round trip under Wine),
 * and a burst of messages one for all. */
typedef struct ora_pipe_reader {
  HANDLE h, ev;
  uint8_t *buf;
  size_t cap, start, end; /* buffered bytes: buf[start..end) */
  size_t min, max;        /* the bounds of a message's length */
} ora_pipe_reader;
/* A message starts with its whole length (u32, little-endian), between min and max
 * bytes; what follows is the protocol's business (proto.h), not the pipe's. */
void ora_pipe_reader_init(ora_pipe_reader *r, HANDLE h, HANDLE ev, size_t min, size_t max);
void ora_pipe_reader_free(ora_pipe_reader *r);
/* Reads one whole message (its length checked). On success *msg is malloc'd (free with
 * free()). Returns 0, or -1 on a broken pipe or a malformed message. */
int ora_pipe_read_msg(ora_pipe_reader *r, uint8_t **msg, size_t *len);
/* Writes all of buf; 0 or -1. */
int ora_pipe_write(HANDLE h, HANDLE ev, const void *buf, size_t len);

#endif
