/* The manager's named pipe, shared by the DLL and the manager: how its objects are
 * named, the one message it carries, and the read that tells that the other side went
 * away. Both ends open the pipe for overlapped I/O. Windows-only. */
#ifndef OPENRAS_WIN32_PIPE_H
#define OPENRAS_WIN32_PIPE_H

#include <windows.h>

#include <stddef.h>
#include <stdint.h>

/* The names of the manager's objects for the current user (one manager per user and
 * Wine prefix), side by side:
 *   pipe   \\.\pipe\OpenRAS-manager-v<proto>-<SID>   the HELLO, then nothing
 *   map    Local\OpenRAS-manager-v<proto>-<SID>-status  the status map (statusmap.h)
 *   mutex  Local\OpenRAS-manager-v<proto>-<SID>         which manager serves
 * and each client's lane after the mutex's name (win32_lane.h). */
typedef struct ora_manager_names {
  WCHAR pipe[256], map[300], mutex[300];
} ora_manager_names;
int ora_manager_names_get(int version, ora_manager_names *out); /* 0, or -1 */

/* The pipe carries one message after the connection, the manager's HELLO, which
 * names the lane (win32_lane.h) that carries everything else.
 *
 * Both calls take `ev`, a manual-reset event owned by the calling thread (or by the
 * lock serializing the calls), reused for every transfer: creating one per transfer
 * costs a server round trip under Wine.
 * Writes all of buf; 0 or -1. */
int ora_pipe_write(HANDLE h, HANDLE ev, const void *buf, size_t len);
/* Reads exactly len bytes, waiting at most timeout_ms in all; 0 or -1 (the pending read
 * is cancelled and finished before returning). */
int ora_pipe_read(HANDLE h, HANDLE ev, void *buf, size_t len, DWORD timeout_ms);

/* A read kept pending on the pipe after the HELLO, to learn that the other side went
 * away: nothing more is written to the pipe, so the read completes only when the peer
 * closes it, dies, or breaks the protocol, or when this side cancels it. Then `gone`
 * (manual-reset) is signaled and stays so. */
typedef struct ora_pipe_watch {
  OVERLAPPED ov;
  HANDLE pipe;
  HANDLE gone; /* ov.hEvent */
  uint8_t byte;
  int pending; /* the read was queued: it must end before ov goes */
} ora_pipe_watch;
int ora_pipe_watch_start(ora_pipe_watch *w, HANDLE pipe); /* 0 or -1 */
/* Signals `gone` (cancels the read); the peer then sees its own watch end. */
void ora_pipe_watch_cancel(ora_pipe_watch *w);
/* Cancels the read, waits until it has ended and frees the event. */
void ora_pipe_watch_end(ora_pipe_watch *w);

#endif
