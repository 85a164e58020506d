/* The manager's named pipe: object names, the HELLO's transfer, the watch (win32_pipe.h). */
#include "openras/win32_pipe.h"

#include <sddl.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static int pipe_name(WCHAR *out, size_t cap, int version) {
  HANDLE tok = NULL;
  WCHAR *sid = NULL;
  int rc = -1;
  if (OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok)) {
    BYTE buf[256];
    DWORD n = 0;
    if (GetTokenInformation(tok, TokenUser, buf, sizeof buf, &n) &&
        ConvertSidToStringSidW(((TOKEN_USER *)buf)->User.Sid, &sid)) {
      rc = swprintf(out, cap, L"\\\\.\\pipe\\OpenRAS-manager-v%d-%ls", version, sid) > 0 ? 0 : -1;
      LocalFree(sid);
    }
    CloseHandle(tok);
  }
  if (rc != 0) {
    /* No token information (should not happen): fall back to the user name. */
    WCHAR user[257];
    DWORD n = 257;
    if (!GetUserNameW(user, &n))
      wcscpy(user, L"user");
    rc = swprintf(out, cap, L"\\\\.\\pipe\\OpenRAS-manager-v%d-%ls", version, user) > 0 ? 0 : -1;
  }
  return rc;
}

int ora_manager_names_get(int version, ora_manager_names *n) {
  if (pipe_name(n->pipe, ARRAYSIZE(n->pipe), version) != 0)
    return -1;
  const WCHAR *tail = wcsrchr(n->pipe, L'\\') + 1; /* OpenRAS-manager-v<proto>-<SID> */
  if (swprintf(n->map, ARRAYSIZE(n->map), L"Local\\%ls-status", tail) <= 0 ||
      swprintf(n->mutex, ARRAYSIZE(n->mutex), L"Local\\%ls", tail) <= 0)
    return -1;
  return 0;
}

/* One overlapped transfer, waited for. */
static int xfer(HANDLE h, HANDLE ev, void *buf, DWORD n, int write, DWORD *done) {
  OVERLAPPED ov;
  memset(&ov, 0, sizeof ov);
  ov.hEvent = ev; /* ReadFile and WriteFile reset it as they start: no ResetEvent, a
                   * server round trip under Wine */
  BOOL ok = write ? WriteFile(h, buf, n, NULL, &ov) : ReadFile(h, buf, n, NULL, &ov);
  if (!ok && GetLastError() != ERROR_IO_PENDING && GetLastError() != ERROR_MORE_DATA)
    return -1;
  ok = GetOverlappedResult(h, &ov, done, TRUE);
  if (!ok && GetLastError() == ERROR_MORE_DATA)
    ok = TRUE;
  return ok ? 0 : -1;
}

int ora_pipe_write(HANDLE h, HANDLE ev, const void *buf, size_t len) {
  const uint8_t *p = buf;
  while (len > 0) {
    DWORD put = 0;
    if (xfer(h, ev, (void *)p, (DWORD)len, 1, &put) != 0 || put == 0)
      return -1;
    p += put;
    len -= put;
  }
  return 0;
}

int ora_pipe_read(HANDLE h, HANDLE ev, void *buf, size_t len, DWORD timeout_ms) {
  uint8_t *p = buf;
  ULONGLONG deadline = GetTickCount64() + timeout_ms;
  while (len > 0) {
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    ov.hEvent = ev;
    DWORD got = 0;
    if (!ReadFile(h, p, (DWORD)len, NULL, &ov) && GetLastError() != ERROR_IO_PENDING)
      return -1;
    ULONGLONG now = GetTickCount64();
    if (WaitForSingleObject(ev, now < deadline ? (DWORD)(deadline - now) : 0) != WAIT_OBJECT_0)
      CancelIoEx(h, &ov);
    if (!GetOverlappedResult(h, &ov, &got, TRUE) || got == 0)
      return -1;
    p += got;
    len -= got;
  }
  return 0;
}

int ora_pipe_watch_start(ora_pipe_watch *w, HANDLE pipe) {
  memset(w, 0, sizeof *w);
  w->pipe = pipe;
  w->gone = CreateEventW(NULL, TRUE, FALSE, NULL);
  if (!w->gone)
    return -1;
  w->ov.hEvent = w->gone;
  /* A read that ends at once (the peer already went, or wrote what it must not) has
   * signaled the event as well. */
  if (ReadFile(pipe, &w->byte, 1, NULL, &w->ov) || GetLastError() == ERROR_IO_PENDING)
    w->pending = 1;
  else
    SetEvent(w->gone);
  return 0;
}

void ora_pipe_watch_cancel(ora_pipe_watch *w) {
  if (w->gone) {
    CancelIoEx(w->pipe, &w->ov);
    SetEvent(w->gone);
  }
}

void ora_pipe_watch_end(ora_pipe_watch *w) {
  if (!w->gone)
    return;
  DWORD got;
  if (w->pending) {
    CancelIoEx(w->pipe, &w->ov);
    GetOverlappedResult(w->pipe, &w->ov, &got, TRUE);
  }
  CloseHandle(w->gone);
  w->gone = NULL;
}
