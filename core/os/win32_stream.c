/* Win32 byte streams (os/stream.h): a COM port through CreateFile("\\.\COMn") with
 * overlapped I/O, a Winsock TCP connection or connected UDP socket, or a loopback connection to a
 * helper program (under Wine a Linux program: Win32 pipes do not reach one, an inherited socket as
 * its stdin and stdout does), each with a thread that opens it and then reads. Under Wine a COM
 * port can be a Linux tty or pty (a symlink in $WINEPREFIX/dosdevices).
 *
 * As on POSIX, the object is reference counted (owner, thread, each posted
 * chunk) so close() never waits for the thread; close() sets an event the thread
 * waits on beside its I/O, so a connect or a read in progress ends at once. */
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <stdlib.h>
#include <string.h>

#include "openras/base/loop.h"
#include "openras/rasdefs.h"
#include "os/stream_common.h"

#define WRITE_BUDGET_MS 2000u

static volatile LONG g_live;

struct ora_stream {
  ora_stream_side side; /* first: see os/stream_common.h */
  volatile LONG refs;
  HANDLE port;          /* serial; INVALID_HANDLE_VALUE until opened */
  SOCKET sock;          /* TCP; INVALID_SOCKET until opened */
  int wsa;              /* WSAStartup done: WSACleanup at the end */
  HANDLE cancel;        /* manual-reset, set by close() */
  HANDLE rd_ev;         /* the thread's overlapped read, or the socket's network events */
  HANDLE wr_ev;         /* overlapped writes (loop thread) */
  ora_stream *next_job; /* in the queue of streams waiting for an idle worker */
};

void ora_stream_hold(ora_stream *st) {
  InterlockedIncrement(&st->refs);
}

void ora_stream_drop(ora_stream *st) {
  if (InterlockedDecrement(&st->refs) != 0)
    return;
  if (st->port != INVALID_HANDLE_VALUE)
    CloseHandle(st->port);
  if (st->sock != INVALID_SOCKET)
    closesocket(st->sock);
  if (st->wsa)
    WSACleanup();
  if (st->cancel)
    CloseHandle(st->cancel);
  if (st->rd_ev)
    CloseHandle(st->rd_ev);
  if (st->wr_ev)
    CloseHandle(st->wr_ev);
  ora_stream_side_end(st);
  free(st);
  InterlockedDecrement(&g_live);
}

size_t ora_stream_count(void) {
  return (size_t)InterlockedCompareExchange(&g_live, 0, 0);
}

/* ---- opening ---- */

static int on_wine(void) {
  HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  return ntdll && GetProcAddress(ntdll, "wine_get_version") != NULL;
}

uint32_t ora_stream_open_serial(ora_stream *st) {
  /* "COM12" needs the device namespace; a full "\\.\..." name is taken as it is. */
  WCHAR path[ORA_STREAM_TARGET_MAX + 8];
  int pre = strncmp(st->side.target, "\\\\.\\", 4) == 0 ? 0 : 4;
  memcpy(path, L"\\\\.\\", sizeof(WCHAR) * 4);
  if (!MultiByteToWideChar(CP_UTF8, 0, st->side.target, -1, path + pre, ORA_STREAM_TARGET_MAX))
    return ORA_ERROR_PORT_NOT_FOUND;
  HANDLE h = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                         FILE_FLAG_OVERLAPPED, NULL);
  if (h == INVALID_HANDLE_VALUE) {
    DWORD e = GetLastError();
    return (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND) ? ORA_ERROR_PORT_NOT_FOUND
                                                                    : ORA_ERROR_PORT_NOT_AVAILABLE;
  }
  SetupComm(h, 4096, 4096);
  DCB dcb;
  memset(&dcb, 0, sizeof dcb);
  dcb.DCBlength = sizeof dcb;
  if (!GetCommState(h, &dcb)) {
    CloseHandle(h);
    return ORA_ERROR_PORT_NOT_AVAILABLE; /* not a serial port */
  }
  /* Raw 8N1, no software flow control; DTR up (a modem hangs up when it drops). */
  dcb.BaudRate = st->side.baud ? st->side.baud : 115200;
  dcb.ByteSize = 8;
  dcb.Parity = NOPARITY;
  dcb.StopBits = ONESTOPBIT;
  dcb.fBinary = TRUE;
  dcb.fParity = FALSE;
  dcb.fOutxCtsFlow = st->side.rtscts ? TRUE : FALSE;
  dcb.fOutxDsrFlow = FALSE;
  dcb.fDtrControl = DTR_CONTROL_ENABLE;
  dcb.fDsrSensitivity = FALSE;
  dcb.fOutX = FALSE;
  dcb.fInX = FALSE;
  dcb.fErrorChar = FALSE;
  dcb.fNull = FALSE;
  dcb.fRtsControl = st->side.rtscts ? RTS_CONTROL_HANDSHAKE : RTS_CONTROL_ENABLE;
  dcb.fAbortOnError = FALSE;
  if (!SetCommState(h, &dcb)) {
    CloseHandle(h);
    return ORA_ERROR_PORT_NOT_AVAILABLE;
  }
  /* A read returns as soon as a byte is there, or after a second with none; a
   * write gives up after the write budget. Wine (8.0) never completes an
   * overlapped read in that MAXDWORD/MAXDWORD mode. There, MAXDWORD/0/0 ("what is
   * there, at once") is used: Wine reads what is there and, with nothing, leaves the
   * read pending until wineserver sees the descriptor readable (measured: a 64-byte
   * echo in 0.32 ms; an interval timeout of 1 ms made it 1.8 ms, as the read then
   * waits for a pause in the data). On Windows the same mode would complete empty at
   * once, so it stays Wine's. */
  COMMTIMEOUTS to;
  memset(&to, 0, sizeof to);
  if (on_wine()) {
    to.ReadIntervalTimeout = MAXDWORD;
  } else {
    to.ReadIntervalTimeout = MAXDWORD;
    to.ReadTotalTimeoutMultiplier = MAXDWORD;
    to.ReadTotalTimeoutConstant = 1000;
  }
  to.WriteTotalTimeoutConstant = WRITE_BUDGET_MS;
  SetCommTimeouts(h, &to);
  if (st->side.flush)
    PurgeComm(h, PURGE_RXCLEAR | PURGE_TXCLEAR); /* no stale modem output */
  st->port = h;
  return 0;
}

/* A non-blocking connect that close() (the cancel event) or the deadline ends. */
static SOCKET connect_one(ora_stream *st, const struct addrinfo *ai, ULONGLONG deadline,
                          int *cancelled) {
  SOCKET s = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
  if (s == INVALID_SOCKET)
    return s;
  WSAEventSelect(s, st->rd_ev, FD_CONNECT); /* also makes the socket non-blocking */
  if (connect(s, ai->ai_addr, (int)ai->ai_addrlen) == 0)
    return s;
  if (WSAGetLastError() != WSAEWOULDBLOCK) {
    closesocket(s);
    return INVALID_SOCKET;
  }
  for (;;) {
    ULONGLONG now = GetTickCount64();
    if (now >= deadline)
      break;
    HANDLE w[2] = {st->rd_ev, st->cancel};
    DWORD r = WaitForMultipleObjects(2, w, FALSE, (DWORD)(deadline - now));
    if (r == WAIT_OBJECT_0 + 1) {
      *cancelled = 1;
      break;
    }
    if (r != WAIT_OBJECT_0)
      break;
    WSANETWORKEVENTS ne;
    if (WSAEnumNetworkEvents(s, st->rd_ev, &ne) != 0)
      break;
    if (ne.lNetworkEvents & FD_CONNECT) {
      if (ne.iErrorCode[FD_CONNECT_BIT] == 0)
        return s;
      break;
    }
  }
  closesocket(s);
  return INVALID_SOCKET;
}

/* The addresses of host:port for a socket type; 0, or a RAS error. */
static uint32_t lookup(const char *host, const char *port, int socktype, int proto,
                       struct addrinfo **res) {
  struct addrinfo hints;
  memset(&hints, 0, sizeof hints);
  hints.ai_socktype = socktype;
  hints.ai_protocol = proto;
  *res = NULL;
  int gai = getaddrinfo(host, port, &hints, res);
  if (gai == EAI_MEMORY)
    return ORA_ERROR_NOT_ENOUGH_MEMORY; /* the name may well exist */
  if (gai || !*res)
    return ORA_ERROR_DNSNAME_NOT_RESOLVABLE;
  return 0;
}

uint32_t ora_stream_open_tcp(ora_stream *st, const char *host, const char *port) {
  struct addrinfo *res;
  uint32_t e = lookup(host, port, SOCK_STREAM, IPPROTO_TCP, &res);
  if (e)
    return e;
  ULONGLONG deadline = GetTickCount64() +
                       (st->side.connect_ms ? st->side.connect_ms : ORA_STREAM_DEFAULT_CONNECT_MS);
  SOCKET s = INVALID_SOCKET;
  int cancelled = 0;
  for (struct addrinfo *ai = res; ai && s == INVALID_SOCKET && !cancelled; ai = ai->ai_next)
    s = connect_one(st, ai, deadline, &cancelled);
  freeaddrinfo(res);
  if (s == INVALID_SOCKET)
    return ORA_ERROR_NO_ANSWER;
  BOOL one = TRUE; /* PPP frames are small and latency matters */
  setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
  WSAEventSelect(s, st->rd_ev, FD_READ | FD_CLOSE);
  st->sock = s;
  return 0;
}

uint32_t ora_stream_open_udp(ora_stream *st, const char *host, const char *port) {
  struct addrinfo *res;
  uint32_t e = lookup(host, port, SOCK_DGRAM, IPPROTO_UDP, &res);
  if (e)
    return e;
  SOCKET s = INVALID_SOCKET;
  for (struct addrinfo *ai = res; ai && s == INVALID_SOCKET; ai = ai->ai_next) {
    s = socket(ai->ai_family, SOCK_DGRAM, IPPROTO_UDP);
    if (s != INVALID_SOCKET && connect(s, ai->ai_addr, (int)ai->ai_addrlen) != 0) {
      closesocket(s);
      s = INVALID_SOCKET;
    }
  }
  freeaddrinfo(res);
  if (s == INVALID_SOCKET)
    return ORA_ERROR_NO_ANSWER;
  WSAEventSelect(s, st->rd_ev, FD_READ); /* also makes it non-blocking */
  st->sock = s;
  return 0;
}

/* A connected pair of loopback sockets: *mine (non-blocking, evented) and *theirs. */
static int loopback_pair(ora_stream *st, SOCKET *mine, SOCKET *theirs) {
  struct sockaddr_in a, b;
  int al = sizeof a, bl = sizeof b;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  SOCKET ls = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), s = INVALID_SOCKET;
  if (ls != INVALID_SOCKET && c != INVALID_SOCKET &&
      bind(ls, (struct sockaddr *)&a, sizeof a) == 0 && listen(ls, 1) == 0 &&
      getsockname(ls, (struct sockaddr *)&a, &al) == 0 &&
      connect(c, (struct sockaddr *)&a, sizeof a) == 0)
    s = accept(ls, (struct sockaddr *)&b, &bl);
  if (ls != INVALID_SOCKET)
    closesocket(ls);
  /* Only our own connect may be the one accepted. */
  struct sockaddr_in cl;
  int cll = sizeof cl;
  if (s != INVALID_SOCKET &&
      (getsockname(c, (struct sockaddr *)&cl, &cll) != 0 || cl.sin_port != b.sin_port)) {
    closesocket(s);
    s = INVALID_SOCKET;
  }
  if (s == INVALID_SOCKET) {
    if (c != INVALID_SOCKET)
      closesocket(c);
    return -1;
  }
  BOOL one = TRUE;
  setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
  setsockopt(c, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
  /* Ours is the end we connected: Wine caches the descriptor of a socket it created, but
   * fetches an accepted one's from wineserver again on every send and receive. */
  WSAEventSelect(c, st->rd_ev, FD_READ | FD_CLOSE);
  *mine = c;
  *theirs = s;
  return 0;
}

uint32_t ora_stream_open_helper(ora_stream *st) {
  /* A Unix path names the file through Wine's Z: drive. */
  WCHAR app[ORA_STREAM_TARGET_MAX + 8], cmd[ORA_STREAM_TARGET_MAX + 12];
  const char *t = st->side.target;
  int unix_path = t[0] == '/';
  if (unix_path)
    wcscpy(app, L"Z:");
  int off = unix_path ? 2 : 0;
  if (!MultiByteToWideChar(CP_UTF8, 0, t, -1, app + off, ORA_STREAM_TARGET_MAX))
    return ORA_ERROR_NO_IP_RAS_ADAPTER;
  for (WCHAR *p = app; unix_path && *p; p++)
    if (*p == L'/')
      *p = L'\\';
  cmd[0] = L'"';
  wcscpy(cmd + 1, app);
  wcscat(cmd, L"\"");
  SOCKET mine, theirs;
  if (loopback_pair(st, &mine, &theirs))
    return ORA_ERROR_NO_IP_RAS_ADAPTER;
  SetHandleInformation((HANDLE)theirs, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
  STARTUPINFOW si;
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = si.hStdOutput = (HANDLE)theirs;
  si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
  PROCESS_INFORMATION pi;
  memset(&pi, 0, sizeof pi);
  BOOL ok = CreateProcessW(app, cmd, NULL, NULL, TRUE, DETACHED_PROCESS, NULL, NULL, &si, &pi);
  closesocket(theirs); /* the helper has its own copy */
  if (!ok) {
    closesocket(mine);
    return ORA_ERROR_NO_IP_RAS_ADAPTER;
  }
  if (pi.hProcess) /* Wine gives no usable handle for a Linux program; ignore it */
    CloseHandle(pi.hProcess);
  if (pi.hThread)
    CloseHandle(pi.hThread);
  st->sock = mine;
  return 0;
}

int ora_stream_wait_closed(void *arg, uint32_t ms) {
  ora_stream *st = arg;
  return WaitForSingleObject(st->cancel, ms) != WAIT_TIMEOUT;
}

/* ---- the thread ---- */

/* One read of the COM port: >0 bytes, 0 nothing yet (timeout), -1 cancelled,
 * -2 the port failed. */
static int read_serial(ora_stream *st, uint8_t *buf, DWORD cap) {
  OVERLAPPED ov;
  memset(&ov, 0, sizeof ov);
  ov.hEvent = st->rd_ev; /* ReadFile resets it (documented), one server call less */
  DWORD n = 0;
  if (!ReadFile(st->port, buf, cap, &n, &ov)) {
    if (GetLastError() != ERROR_IO_PENDING)
      return -2;
    HANDLE w[2] = {st->rd_ev, st->cancel};
    DWORD r = WaitForMultipleObjects(2, w, FALSE, INFINITE);
    if (r != WAIT_OBJECT_0) {
      CancelIo(st->port); /* this thread's read */
      GetOverlappedResult(st->port, &ov, &n, TRUE);
      return -1;
    }
    if (!GetOverlappedResult(st->port, &ov, &n, FALSE)) {
      DWORD e = GetLastError();
      return (e == ERROR_TIMEOUT || e == ERROR_SEM_TIMEOUT) ? 0 : -2;
    }
  }
  return (int)n;
}

/* Reads what the socket has: >0 bytes, 0 nothing yet, -1 cancelled, -2 ended. */
static int read_tcp(ora_stream *st, uint8_t *buf, int cap) {
  for (;;) {
    int n = recv(st->sock, (char *)buf, cap, 0);
    int udp = st->side.kind == ORA_STREAM_UDP;
    if (n > 0)
      return n;
    if (n == 0 && udp)
      continue; /* an empty datagram, not an end */
    if (n == 0)
      return -2;
    int e = WSAGetLastError();
    if (udp && (e == WSAEMSGSIZE || e == WSAECONNRESET))
      continue; /* larger than any read (dropped), or an ICMP error for an earlier one */
    if (e != WSAEWOULDBLOCK)
      return -2;
    HANDLE w[2] = {st->rd_ev, st->cancel};
    DWORD r = WaitForMultipleObjects(2, w, FALSE, INFINITE);
    if (r != WAIT_OBJECT_0)
      return -1;
    WSANETWORKEVENTS ne;
    WSAEnumNetworkEvents(st->sock, st->rd_ev, &ne); /* resets the event */
  }
}

static void serve(ora_stream *st) {
  if (st->side.open_in_thread) {
    uint32_t err = ora_stream_do_open(st);
    ora_stream_post(st, ORA_CH_OPENED, err, NULL, 0);
    if (err)
      goto out;
  }
  uint8_t buf[ORA_STREAM_READ];
  for (;;) {
    if (WaitForSingleObject(st->cancel, 0) == WAIT_OBJECT_0)
      goto out;
    int n = st->side.kind != ORA_STREAM_SERIAL ? read_tcp(st, buf, (int)sizeof buf)
                                               : read_serial(st, buf, sizeof buf);
    if (n == -1)
      goto out; /* closed by the owner: no end-of-stream report */
    if (n < 0)
      break;
    if (n > 0 && ora_stream_post(st, ORA_CH_DATA, 0, buf, (size_t)n) == ORA_STREAM_POST_GONE)
      break; /* nobody listens any more */
  }
  ora_stream_post(st, ORA_CH_END, 0, NULL, 0);
out:
  ora_stream_drop(st);
}

/* Each stream's reads run on a worker thread of its own for the stream's life. A
 * worker whose stream ended waits a while for the next one instead of exiting:
 * creating a thread costs about 3 ms under Wine, which was a quarter of a warm dial
 * over a COM port. */
#define WORKER_IDLE_MS 30000

static SRWLOCK g_workers = SRWLOCK_INIT;
static CONDITION_VARIABLE g_work = CONDITION_VARIABLE_INIT;
static ora_stream *g_jobs, **g_jobs_tail = &g_jobs; /* streams handed to idle workers */
static unsigned g_idle;                             /* workers waiting, not yet given one */

static DWORD WINAPI worker(void *arg) {
  ora_stream *st = arg;
  /* In a DLL (the in-process engine), an idle worker must not outlive the module's
   * code: it holds a reference and lets go of it as it exits. */
  HMODULE mod = NULL;
  const DWORD by_address = GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS;
  if (!GetModuleHandleExW(by_address | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                          (LPCWSTR)(void *)worker, &mod) ||
      mod == GetModuleHandleW(NULL) || /* the program itself: nothing to hold */
      !GetModuleHandleExW(by_address, (LPCWSTR)(void *)worker, &mod))
    mod = NULL;
  for (;;) {
    serve(st);
    AcquireSRWLockExclusive(&g_workers);
    g_idle++;
    while (!g_jobs)
      if (!SleepConditionVariableSRW(&g_work, &g_workers, WORKER_IDLE_MS, 0) && !g_jobs) {
        g_idle--; /* nobody handed this one a stream: leave */
        ReleaseSRWLockExclusive(&g_workers);
        if (mod)
          FreeLibraryAndExitThread(mod, 0);
        return 0;
      }
    st = g_jobs; /* the starter counted this worker out of g_idle */
    g_jobs = st->next_job;
    if (!g_jobs)
      g_jobs_tail = &g_jobs;
    ReleaseSRWLockExclusive(&g_workers);
  }
}

ora_stream *ora_stream_create(int kind) {
  ora_stream *st = calloc(1, sizeof *st);
  if (!st)
    return NULL;
  atomic_init(&st->side.port_claimed, 0);
  st->side.kind = kind;
  st->port = INVALID_HANDLE_VALUE;
  st->sock = INVALID_SOCKET;
  st->refs = 1;
  InterlockedIncrement(&g_live);
  st->cancel = CreateEventW(NULL, TRUE, FALSE, NULL);
  st->rd_ev = CreateEventW(NULL, TRUE, FALSE, NULL);
  st->wr_ev = CreateEventW(NULL, TRUE, FALSE, NULL);
  if (!st->cancel || !st->rd_ev || !st->wr_ev) {
    ora_stream_drop(st);
    return NULL;
  }
  if (kind != ORA_STREAM_SERIAL) {
    WSADATA wd;
    if (WSAStartup(MAKEWORD(2, 2), &wd) != 0) {
      ora_stream_drop(st);
      return NULL;
    }
    st->wsa = 1;
  }
  return st;
}

int ora_stream_start(ora_stream *st) {
  InterlockedIncrement(&st->refs); /* the thread's */
  AcquireSRWLockExclusive(&g_workers);
  if (g_idle) {
    g_idle--;
    st->next_job = NULL;
    *g_jobs_tail = st;
    g_jobs_tail = &st->next_job;
    WakeConditionVariable(&g_work);
    ReleaseSRWLockExclusive(&g_workers);
    return 0;
  }
  ReleaseSRWLockExclusive(&g_workers);
  HANDLE th = CreateThread(NULL, 0, worker, st, 0, NULL);
  if (!th) {
    InterlockedDecrement(&st->refs);
    ora_stream_drop(st);
    return -1;
  }
  CloseHandle(th);
  return 0;
}

static int write_serial(ora_stream *st, const uint8_t *p, size_t len) {
  while (len) {
    DWORD part = len > 65536 ? 65536 : (DWORD)len, n = 0;
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = st->wr_ev; /* WriteFile resets it */
    if (!WriteFile(st->port, p, part, &n, &ov)) {
      if (GetLastError() != ERROR_IO_PENDING)
        return ORA_ERROR_HARDWARE_FAILURE;
      /* Bounded by WriteTotalTimeoutConstant. */
      if (!GetOverlappedResult(st->port, &ov, &n, TRUE))
        return ORA_ERROR_HARDWARE_FAILURE;
    }
    if (n == 0)
      return ORA_ERROR_HARDWARE_FAILURE; /* timed out: flow control held us */
    p += n;
    len -= n;
  }
  return 0;
}

static int write_tcp(ora_stream *st, const uint8_t *p, size_t len) {
  ULONGLONG deadline = GetTickCount64() + WRITE_BUDGET_MS;
  while (len) {
    int part = len > 65536 ? 65536 : (int)len;
    int n = send(st->sock, (const char *)p, part, 0);
    if (n == SOCKET_ERROR) {
      if (WSAGetLastError() != WSAEWOULDBLOCK)
        return ORA_ERROR_HARDWARE_FAILURE;
      ULONGLONG now = GetTickCount64();
      if (now >= deadline)
        return ORA_ERROR_HARDWARE_FAILURE;
      fd_set wr;
      FD_ZERO(&wr);
      FD_SET(st->sock, &wr);
      struct timeval tv = {(long)((deadline - now) / 1000), (long)((deadline - now) % 1000) * 1000};
      select(0, NULL, &wr, NULL, &tv);
      continue;
    }
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

uint32_t ora_stream_write_now(ora_stream *st, const uint8_t *p, size_t len) {
  return (uint32_t)(st->side.kind != ORA_STREAM_SERIAL ? write_tcp(st, p, len)
                                                       : write_serial(st, p, len));
}

static int addr_bytes(const struct sockaddr_storage *ss, int *family, uint8_t out[16]) {
  if (ss->ss_family == AF_INET) {
    memcpy(out, &((const struct sockaddr_in *)ss)->sin_addr, 4);
    *family = 4;
    return 0;
  }
  if (ss->ss_family == AF_INET6) {
    memcpy(out, &((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
    *family = 6;
    return 0;
  }
  return -1;
}

int ora_stream_addresses(ora_stream *st, int *family, uint8_t local[16], uint8_t remote[16]) {
  struct sockaddr_storage a, b;
  int al = sizeof a, bl = sizeof b;
  if (!st || !st->side.usable || st->sock == INVALID_SOCKET || st->side.kind == ORA_STREAM_HELPER ||
      getsockname(st->sock, (struct sockaddr *)&a, &al) != 0 ||
      getpeername(st->sock, (struct sockaddr *)&b, &bl) != 0)
    return -1;
  int fb = 0;
  if (addr_bytes(&a, family, local) || addr_bytes(&b, &fb, remote) || fb != *family)
    return -1;
  return 0;
}

int ora_stream_set_dtr(ora_stream *st, int on) {
  if (!st || !st->side.usable || st->side.kind != ORA_STREAM_SERIAL)
    return -1;
  return EscapeCommFunction(st->port, on ? SETDTR : CLRDTR) ? 0 : -1;
}

void ora_stream_close(ora_stream *st) {
  if (!st)
    return;
  ora_stream_side_closing(st);
  ora_stream_releasing(st);
  if (st->side.usable)
    ora_stream_set_dtr(st, 0);
  st->side.closed = 1;
  st->side.usable = 0;
  SetEvent(st->cancel);
  ora_stream_drop(st);
}
