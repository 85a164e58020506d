/* What Wine's cross-process primitives cost on this machine: the floor under the
 * manager's notifications and dials (issue 16). Measured in the same run as bench_dial:
 *   wine_server_call_us   one wineserver request (SetEvent on an event nobody waits for)
 *   wine_event_rtt_us     an event ping-pong with a child process (SetEvent, then wait for
 *                         the child's SetEvent): the cheapest wake-up there and back
 *   wine_event_handoff_us the same, the reply taken by a second thread that wakes the
 *                         first with a condition variable, as a pipe reader hands an
 *                         acknowledgement to the engine's loop
 *   wine_pipe_rtt_us      a 24-byte message to the child and back over an overlapped
 *                         named pipe, as the DLL and the manager exchange them
 * A notification per state needs one message each way plus those hand-offs, so it
 * cannot cost less than wine_pipe_rtt_us over the pipe, nor less than
 * wine_event_handoff_us over any event-based channel. Prints medians as
 * "name<TAB>value<TAB>unit<TAB>runs" lines. Usage: bench_ipc [round trips] */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench_stats.h"

/* One overlapped transfer, waited for (as core/os/win32_pipe.c does it). */
static int xfer(HANDLE h, HANDLE ev, void *buf, DWORD n, int write) {
  OVERLAPPED ov;
  memset(&ov, 0, sizeof ov);
  ov.hEvent = ev;
  BOOL ok = write ? WriteFile(h, buf, n, NULL, &ov) : ReadFile(h, buf, n, NULL, &ov);
  if (!ok && GetLastError() != ERROR_IO_PENDING)
    return -1;
  DWORD done = 0;
  return GetOverlappedResult(h, &ov, &done, TRUE) && done == n ? 0 : -1;
}

/* The child: answers each event with the other, and echoes each pipe message. */
static int child(const char *tag) {
  char name[128];
  snprintf(name, sizeof name, "Local\\ora-bench-ipc-%s-ping", tag);
  HANDLE ping = OpenEventA(EVENT_ALL_ACCESS, FALSE, name);
  snprintf(name, sizeof name, "Local\\ora-bench-ipc-%s-pong", tag);
  HANDLE pong = OpenEventA(EVENT_ALL_ACCESS, FALSE, name);
  snprintf(name, sizeof name, "Local\\ora-bench-ipc-%s-phase", tag);
  HANDLE phase = OpenEventA(EVENT_ALL_ACCESS, FALSE, name);
  snprintf(name, sizeof name, "\\\\.\\pipe\\ora-bench-ipc-%s", tag);
  HANDLE pipe = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                            FILE_FLAG_OVERLAPPED, NULL);
  HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
  if (!ping || !pong || !phase || pipe == INVALID_HANDLE_VALUE || !ev)
    return 1;
  /* Events, until the parent moves on to the pipe. */
  HANDLE w[2] = {ping, phase};
  for (;;) {
    DWORD r = WaitForMultipleObjects(2, w, FALSE, INFINITE);
    if (r == WAIT_OBJECT_0 + 1)
      break;
    if (r != WAIT_OBJECT_0)
      return 1;
    SetEvent(pong);
  }
  char buf[24];
  for (;;) {
    if (xfer(pipe, ev, buf, sizeof buf, 0) != 0)
      return 0; /* the parent closed the pipe: done */
    if (xfer(pipe, ev, buf, sizeof buf, 1) != 0)
      return 1;
  }
}

/* The second thread of the hand-off measure. */
static HANDLE g_pong;
static SRWLOCK g_lock = SRWLOCK_INIT;
static CONDITION_VARIABLE g_cv = CONDITION_VARIABLE_INIT;
static volatile LONG g_replies;
static volatile LONG g_stop;
static DWORD WINAPI reply_reader(LPVOID arg) {
  (void)arg;
  while (WaitForSingleObject(g_pong, INFINITE) == WAIT_OBJECT_0 && !g_stop) {
    AcquireSRWLockExclusive(&g_lock);
    g_replies++;
    WakeConditionVariable(&g_cv);
    ReleaseSRWLockExclusive(&g_lock);
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc > 2 && strcmp(argv[1], "child") == 0)
    return child(argv[2]);
  int n = argc > 1 ? atoi(argv[1]) : 2000;
  if (n < 10)
    n = 10;
  char tag[32], name[128];
  snprintf(tag, sizeof tag, "%lu", (unsigned long)GetCurrentProcessId());
  snprintf(name, sizeof name, "Local\\ora-bench-ipc-%s-ping", tag);
  HANDLE ping = CreateEventA(NULL, FALSE, FALSE, name);
  snprintf(name, sizeof name, "Local\\ora-bench-ipc-%s-pong", tag);
  g_pong = CreateEventA(NULL, FALSE, FALSE, name);
  snprintf(name, sizeof name, "Local\\ora-bench-ipc-%s-phase", tag);
  HANDLE phase = CreateEventA(NULL, FALSE, FALSE, name);
  snprintf(name, sizeof name, "\\\\.\\pipe\\ora-bench-ipc-%s", tag);
  HANDLE pipe =
      CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED,
                       PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT, 1, 65536, 65536, 0, NULL);
  HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
  double *t = calloc((size_t)n, sizeof *t);
  if (!ping || !g_pong || !phase || pipe == INVALID_HANDLE_VALUE || !ev || !t)
    return 1;

  char self[MAX_PATH], cmd[MAX_PATH + 64];
  GetModuleFileNameA(NULL, self, sizeof self);
  snprintf(cmd, sizeof cmd, "\"%s\" child %s", self, tag);
  STARTUPINFOA si;
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  PROCESS_INFORMATION pi;
  if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
    return 1;
  OVERLAPPED ov;
  memset(&ov, 0, sizeof ov);
  ov.hEvent = ev;
  DWORD done;
  if (!ConnectNamedPipe(pipe, &ov) && GetLastError() != ERROR_PIPE_CONNECTED &&
      !(GetLastError() == ERROR_IO_PENDING && GetOverlappedResult(pipe, &ov, &done, TRUE)))
    return 1;

  /* A server call: SetEvent on an event nobody waits for. */
  HANDLE idle = CreateEventW(NULL, FALSE, FALSE, NULL);
  for (int i = 0; i < n; i++) {
    double t0 = now_us();
    SetEvent(idle);
    t[i] = now_us() - t0;
  }
  double server_call = median(t, (size_t)n);

  /* Event ping-pong with the child. */
  for (int i = 0; i < n; i++) {
    double t0 = now_us();
    SetEvent(ping);
    WaitForSingleObject(g_pong, INFINITE);
    t[i] = now_us() - t0;
  }
  double event_rtt = median(t, (size_t)n);

  /* The same, the reply taken by another thread. */
  HANDLE rt = CreateThread(NULL, 0, reply_reader, NULL, 0, NULL);
  if (!rt)
    return 1;
  for (int i = 0; i < n; i++) {
    AcquireSRWLockExclusive(&g_lock);
    LONG want = g_replies + 1;
    ReleaseSRWLockExclusive(&g_lock);
    double t0 = now_us();
    SetEvent(ping);
    AcquireSRWLockExclusive(&g_lock);
    while (g_replies < want)
      SleepConditionVariableSRW(&g_cv, &g_lock, INFINITE, 0);
    ReleaseSRWLockExclusive(&g_lock);
    t[i] = now_us() - t0;
  }
  double handoff = median(t, (size_t)n);
  g_stop = 1;
  SetEvent(g_pong);
  WaitForSingleObject(rt, INFINITE);
  CloseHandle(rt);

  /* Pipe round trips. */
  SetEvent(phase);
  char buf[24];
  memset(buf, 0x5a, sizeof buf);
  for (int i = 0; i < n; i++) {
    double t0 = now_us();
    if (xfer(pipe, ev, buf, sizeof buf, 1) != 0 || xfer(pipe, ev, buf, sizeof buf, 0) != 0)
      return 1;
    t[i] = now_us() - t0;
  }
  double pipe_rtt = median(t, (size_t)n);
  CloseHandle(pipe);
  WaitForSingleObject(pi.hProcess, 10000);
  CloseHandle(pi.hProcess);
  CloseHandle(pi.hThread);

  printf("wine_server_call_us\t%.1f\tus\t%d\n", server_call, n);
  printf("wine_event_rtt_us\t%.0f\tus\t%d\n", event_rtt, n);
  printf("wine_event_handoff_us\t%.0f\tus\t%d\n", handoff, n);
  printf("wine_pipe_rtt_us\t%.0f\tus\t%d\n", pipe_rtt, n);
  free(t);
  return 0;
}
