/* RasConnectionNotificationA/W: Win32 events signalled when connections come up or
 * go away, in any process of the user (the manager tells every subscribed DLL). */
#include <windows.h>

#include <stdlib.h>

#include "engine_client.h"
#include "openras/base/grow.h"

#define RASCN_Connection 0x1
#define RASCN_Disconnection 0x2
#define RASCN_BandwidthAdded 0x4
#define RASCN_BandwidthRemoved 0x8
#define RASCN_Dormant 0x10
#define RASCN_ReConnection 0x20
#define RASCN_EPDGPacketArrival 0x40
#define RASCN_ALL 0x7F

typedef struct reg {
  ora_handle conn; /* 0 = every connection (INVALID_HANDLE_VALUE) */
  HANDLE event;    /* our own duplicate, so the caller may close theirs */
  DWORD flags;
} reg;

static SRWLOCK g_lock = SRWLOCK_INIT;
static reg *g_regs;
static size_t g_n, g_cap;
static INIT_ONCE g_once = INIT_ONCE_STATIC_INIT;
static int g_watch_rc;

/* Runs where the engine delivers (the loop or the pipe reader): only signals. */
static void on_change(void *ctx, ora_handle h, int connected) {
  (void)ctx;
  AcquireSRWLockExclusive(&g_lock);
  for (size_t i = 0; i < g_n;) {
    reg *r = &g_regs[i];
    int all = r->conn == 0;
    int mine = all || r->conn == h;
    if (connected == ORA_WATCH_CONNECTED && all && (r->flags & RASCN_Connection))
      SetEvent(r->event);
    if (connected == ORA_WATCH_RECONNECTED && mine && (r->flags & RASCN_ReConnection))
      SetEvent(r->event);
    if (connected == ORA_WATCH_GONE && mine && (r->flags & RASCN_Disconnection))
      SetEvent(r->event);
    if (connected == ORA_WATCH_GONE && !all && r->conn == h) {
      /* That connection is gone: nothing more can happen to it. */
      CloseHandle(r->event);
      *r = g_regs[--g_n];
      continue;
    }
    i++;
  }
  ReleaseSRWLockExclusive(&g_lock);
}

static BOOL CALLBACK subscribe(INIT_ONCE *once, void *param, void **ctx) {
  (void)once, (void)param, (void)ctx;
  uint32_t id;
  g_watch_rc = ora_engine_watch(orac_engine(), on_change, NULL, &id);
  return g_watch_rc == 0;
}

static DWORD notification(HANDLE conn, HANDLE event, DWORD flags) {
  if (!event || event == INVALID_HANDLE_VALUE || !flags || (flags & ~(DWORD)RASCN_ALL))
    return ERROR_INVALID_PARAMETER;
  ora_handle h = 0;
  if (conn != INVALID_HANDLE_VALUE) {
    ora_status st;
    if (!orac_handle_of(conn, &h) || ora_engine_status(orac_engine(), h, &st) != 0)
      return ERROR_INVALID_HANDLE;
  }
  if (!InitOnceExecuteOnce(&g_once, subscribe, NULL, NULL))
    return g_watch_rc ? (DWORD)g_watch_rc : ORA_ERROR_RASMAN_CANNOT_INITIALIZE;
  HANDLE dup;
  if (!DuplicateHandle(GetCurrentProcess(), event, GetCurrentProcess(), &dup, EVENT_MODIFY_STATE,
                       FALSE, 0))
    return ERROR_INVALID_HANDLE;
  AcquireSRWLockExclusive(&g_lock);
  reg *nr = ora_grow(g_regs, &g_cap, g_n + 1, sizeof *nr, 8);
  if (!nr) {
    ReleaseSRWLockExclusive(&g_lock);
    CloseHandle(dup);
    return ERROR_NOT_ENOUGH_MEMORY;
  }
  g_regs = nr;
  g_regs[g_n++] = (reg){h, dup, flags};
  ReleaseSRWLockExclusive(&g_lock);
  return 0;
}

DWORD WINAPI RasConnectionNotificationA(HANDLE conn, HANDLE event, DWORD flags);
DWORD WINAPI RasConnectionNotificationA(HANDLE conn, HANDLE event, DWORD flags) {
  return notification(conn, event, flags);
}

DWORD WINAPI RasConnectionNotificationW(HANDLE conn, HANDLE event, DWORD flags);
DWORD WINAPI RasConnectionNotificationW(HANDLE conn, HANDLE event, DWORD flags) {
  return notification(conn, event, flags);
}
