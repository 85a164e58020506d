/* Overlapped message I/O on the manager pipe (see win32_pipe.h). */
#include "openras/win32_pipe.h"

#include <sddl.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "openras/base/wipe.h"

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

#define READ_CHUNK 65536

void ora_pipe_reader_init(ora_pipe_reader *r, HANDLE h, HANDLE ev, size_t min, size_t max) {
  memset(r, 0, sizeof *r);
  r->h = h;
  r->ev = ev;
  r->min = min;
  r->max = max;
}

/* The buffer may hold a dial request's password: every byte leaves it wiped. */
void ora_pipe_reader_free(ora_pipe_reader *r) {
  if (r->buf)
    ora_wipe(r->buf, r->cap);
  free(r->buf);
  r->buf = NULL;
  r->cap = r->start = r->end = 0;
}

/* Makes room for at least `need` bytes after the buffered ones; 0 or -1. */
static int reserve(ora_pipe_reader *r, size_t need) {
  if (r->start) { /* what was handed out goes (already wiped) */
    size_t n = r->end - r->start;
    memmove(r->buf, r->buf + r->start, n);
    ora_wipe(r->buf + n, r->end - n); /* the moved bytes' old copy */
    r->end = n;
    r->start = 0;
  }
  if (r->cap - r->end >= need)
    return 0;
  size_t cap = r->end + need;
  uint8_t *b = malloc(cap); /* not realloc: the old block is wiped first */
  if (!b)
    return -1;
  if (r->buf) {
    memcpy(b, r->buf, r->end);
    ora_wipe(r->buf, r->cap);
    free(r->buf);
  }
  r->buf = b;
  r->cap = cap;
  return 0;
}

int ora_pipe_read_msg(ora_pipe_reader *r, uint8_t **msg, size_t *len) {
  for (;;) {
    size_t have = r->end - r->start;
    size_t want = r->min;
    if (have >= 4) {
      const uint8_t *p = r->buf + r->start;
      want = (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 | (size_t)p[3] << 24;
      if (want < r->min || want > r->max)
        return -1;
      if (have >= want) {
        uint8_t *m = malloc(want);
        if (!m)
          return -1;
        memcpy(m, r->buf + r->start, want);
        ora_wipe(r->buf + r->start, want);
        r->start += want;
        if (r->start == r->end)
          r->start = r->end = 0;
        *msg = m;
        *len = want;
        return 0;
      }
    }
    /* Read what has come, at least the rest of this message's header or body. */
    size_t missing = want - have;
    if (reserve(r, missing > READ_CHUNK ? missing : READ_CHUNK) != 0)
      return -1;
    DWORD got = 0;
    if (xfer(r->h, r->ev, r->buf + r->end, (DWORD)(r->cap - r->end), 0, &got) != 0 || got == 0)
      return -1;
    r->end += got;
  }
}
