/* Overlapped message I/O on the manager pipe (see win32_pipe.h). */
#include "openras/win32_pipe.h"

#include <sddl.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "openras/proto.h"

static int pipe_name(WCHAR *out, size_t cap) {
  HANDLE tok = NULL;
  WCHAR *sid = NULL;
  int rc = -1;
  if (OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok)) {
    BYTE buf[256];
    DWORD n = 0;
    if (GetTokenInformation(tok, TokenUser, buf, sizeof buf, &n) &&
        ConvertSidToStringSidW(((TOKEN_USER *)buf)->User.Sid, &sid)) {
      rc = swprintf(out, cap, L"\\\\.\\pipe\\OpenRAS-manager-v%d-%ls", ORA_PROTO_VERSION, sid) > 0
               ? 0
               : -1;
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
    rc = swprintf(out, cap, L"\\\\.\\pipe\\OpenRAS-manager-v%d-%ls", ORA_PROTO_VERSION, user) > 0
             ? 0
             : -1;
  }
  return rc;
}

int ora_manager_names_get(ora_manager_names *n) {
  if (pipe_name(n->pipe, ARRAYSIZE(n->pipe)) != 0)
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
  ov.hEvent = ev;
  ResetEvent(ev);
  BOOL ok = write ? WriteFile(h, buf, n, NULL, &ov) : ReadFile(h, buf, n, NULL, &ov);
  if (!ok && GetLastError() != ERROR_IO_PENDING && GetLastError() != ERROR_MORE_DATA)
    return -1;
  ok = GetOverlappedResult(h, &ov, done, TRUE);
  if (!ok && GetLastError() == ERROR_MORE_DATA)
    ok = TRUE;
  return ok ? 0 : -1;
}

static int read_all(HANDLE h, HANDLE ev, uint8_t *p, size_t n) {
  while (n > 0) {
    DWORD got = 0;
    if (xfer(h, ev, p, (DWORD)n, 0, &got) != 0 || got == 0)
      return -1;
    p += got;
    n -= got;
  }
  return 0;
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

int ora_pipe_read_msg(HANDLE h, HANDLE ev, uint8_t **msg, size_t *len) {
  uint8_t head[ORA_MSG_HEADER];
  ora_msg_header hd;
  if (read_all(h, ev, head, sizeof head) != 0 || ora_msg_header_decode(head, sizeof head, &hd) != 0)
    return -1;
  uint8_t *m = malloc(hd.length);
  if (!m)
    return -1;
  memcpy(m, head, sizeof head);
  if (read_all(h, ev, m + sizeof head, hd.length - sizeof head) != 0) {
    free(m);
    return -1;
  }
  *msg = m;
  *len = hd.length;
  return 0;
}
