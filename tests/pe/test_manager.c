/* Issue 5: connections live in the manager process, not in the program that dialed.
 * The test program re-runs itself as child processes (argv[1] names the role) so
 * several real processes share one manager under Wine. */
#include <windows.h>
#include <ras.h>
#include <raserror.h>
#include <sddl.h>
#include <tlhelp32.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pe_test.h"
#include "openras/proto.h"
#include "openras/win32_lane.h"

static char g_pbk[MAX_PATH];
static char g_exe[MAX_PATH];

static void pbk_path(void) {
  char dir[MAX_PATH];
  GetTempPathA(sizeof dir, dir);
  snprintf(g_pbk, sizeof g_pbk, "%sopenras-manager-test.pbk", dir);
}

/* Only the parent writes the phone book; children read it while others dial. */
static void make_pbk(void) {
  pbk_path();
  FILE *f = fopen(g_pbk, "w");
  if (!f)
    return;
  fputs("[Plain]\nORA_Link=sim\nPhoneNumber=5551234\n"
        "[Plain2]\nORA_Link=sim\n"
        "[Plain3]\nORA_Link=sim\n"
        "[Soak]\nORA_Link=sim\n"
        "[Slow]\nORA_Link=sim\nORA_SimDelay=ConnectDevice:60000\n"
        "[Slow2]\nORA_Link=sim\nORA_SimDelay=ConnectDevice:60000\n"
        "[Paused]\nORA_Link=sim\nORA_SimInteractive=1\n"
        "[Busy]\nORA_Link=sim\nORA_SimResult=busy\n"
        "[Busy2]\nORA_Link=sim\nORA_SimResult=busy\n"
        "[Hold]\nORA_Link=sim\nORA_SimDelay=ConnectDevice:60000\n"
        "[Hold2]\nORA_Link=sim\nORA_SimDelay=ConnectDevice:60000\n"
        "[DropLater]\nORA_Link=sim\nORA_SimDropAfterMs=700\n",
        f);
  for (int i = 0; i < 10; i++)
    fprintf(f, "[E%d]\nORA_Link=sim\nORA_SimStepMs=5\n", i);
  for (int i = 0; i < 10; i++)
    fprintf(f, "[S%d]\nORA_Link=sim\n", i);
  fclose(f);
}

static void params_for(RASDIALPARAMSA *p, const char *entry) {
  memset(p, 0, sizeof *p);
  p->dwSize = sizeof *p;
  strcpy(p->szEntryName, entry);
}

static DWORD status_of(HRASCONN h, RASCONNSTATUSA *st) {
  memset(st, 0, sizeof *st);
  st->dwSize = sizeof *st;
  return RasGetConnectStatusA(h, st);
}

/* Runs this program as a child with the given arguments; returns its exit code. */
static DWORD run_child_async(const char *args, HANDLE *proc) {
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "\"%s\" %s", g_exe, args);
  STARTUPINFOA si;
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  PROCESS_INFORMATION pi;
  if (!CreateProcessA(g_exe, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
    return GetLastError();
  CloseHandle(pi.hThread);
  *proc = pi.hProcess;
  return 0;
}

static DWORD wait_child(HANDLE proc) {
  DWORD code = 0xDEAD;
  if (WaitForSingleObject(proc, 60000) == WAIT_OBJECT_0)
    GetExitCodeProcess(proc, &code);
  CloseHandle(proc);
  return code;
}

static DWORD run_child(const char *args) {
  HANDLE p;
  DWORD rc = run_child_async(args, &p);
  return rc ? 0xBAD : wait_child(p);
}

static char g_handle_file[MAX_PATH];

static HRASCONN read_handle_file(void) {
  FILE *f = fopen(g_handle_file, "r");
  unsigned long long v = 0;
  if (f) {
    if (fscanf(f, "%llx", &v) != 1)
      v = 0;
    fclose(f);
  }
  return (HRASCONN)(ULONG_PTR)v;
}

/* Starts this program as a child with "ROLE ENTRY <handle file>" and waits (10 s at
 * most) for the handle it records; *child is its process. */
static HRASCONN child_with_handle(const char *role, const char *entry, HANDLE *child) {
  char args[MAX_PATH + 64];
  snprintf(args, sizeof args, "%s %s \"%s\"", role, entry, g_handle_file);
  DeleteFileA(g_handle_file);
  assert_int_equal(run_child_async(args, child), 0);
  HRASCONN h = NULL;
  for (int i = 0; i < 1000 && !(h = read_handle_file()); i++)
    Sleep(10);
  assert_non_null(h);
  return h;
}

/* The manager processes running now. */
static int find_managers(DWORD *pids, int cap) {
  int n = 0;
  HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
  PROCESSENTRY32 pe;
  pe.dwSize = sizeof pe;
  if (snap == INVALID_HANDLE_VALUE)
    return 0;
  for (BOOL ok = Process32First(snap, &pe); ok; ok = Process32Next(snap, &pe))
    if (_stricmp(pe.szExeFile, "openras-manager.exe") == 0 && n < cap)
      pids[n++] = pe.th32ProcessID;
  CloseHandle(snap);
  return n;
}

static void kill_managers(void) {
  DWORD pids[16];
  int n = find_managers(pids, 16);
  for (int i = 0; i < n; i++) {
    HANDLE p = OpenProcess(PROCESS_TERMINATE | SYNCHRONIZE, FALSE, pids[i]);
    if (p) {
      TerminateProcess(p, 1);
      WaitForSingleObject(p, 5000);
      CloseHandle(p);
    }
  }
}

/* An asynchronous dial's notifier that only lets the dial go on. */
static VOID WINAPI ignore_events(UINT msg, RASCONNSTATE state, DWORD error) {
  (void)msg;
  (void)state;
  (void)error;
}

/* Threads of this process now. */
static int thread_count(void) {
  HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
  if (snap == INVALID_HANDLE_VALUE)
    return -1;
  THREADENTRY32 te;
  te.dwSize = sizeof te;
  int n = 0;
  for (BOOL ok = Thread32First(snap, &te); ok; ok = Thread32Next(snap, &te))
    if (te.th32OwnerProcessID == GetCurrentProcessId())
      n++;
  CloseHandle(snap);
  return n;
}

static volatile LONG g_paused_events;
static VOID WINAPI count_paused(UINT msg, RASCONNSTATE state, DWORD error) {
  (void)msg;
  if (state == RASCS_Interactive && error == 0)
    InterlockedIncrement(&g_paused_events);
}

/* ---- child roles ---- */

/* The last notification an asynchronous dial got (RasDialFunc1). */
static volatile LONG g_last_state = -1, g_last_error = -1;
static HANDLE g_last_ev;
static VOID WINAPI record_last(HRASCONN h, UINT msg, RASCONNSTATE state, DWORD error, DWORD ext) {
  (void)h;
  (void)msg;
  (void)ext;
  if (state == RASCS_Connected || error) {
    g_last_state = (LONG)state;
    g_last_error = (LONG)error;
    SetEvent(g_last_ev);
  }
}

static void write_handle(const char *path, HRASCONN h) {
  FILE *f = fopen(path, "w");
  if (f) {
    fprintf(f, "%llx\n", (unsigned long long)(ULONG_PTR)h);
    fclose(f);
  }
}

/* The named event a parent sets to let a "wait" child exit. */
#define T_GO_EVENT "Local\\openras-test-manager-go"

static int child_main(int argc, char **argv) {
  RASDIALPARAMSA p;
  HRASCONN h = NULL;
  if (strcmp(argv[1], "dial-fail-wait") == 0 && argc >= 4) {
    /* Dial an entry that fails, keep the handle (no hang-up), record it, and live on
     * until the parent says go; then exit, still without hanging up. */
    HANDLE go = CreateEventA(NULL, TRUE, FALSE, T_GO_EVENT);
    params_for(&p, argv[2]);
    DWORD rc = RasDialA(NULL, g_pbk, &p, 0, NULL, &h);
    write_handle(argv[3], h);
    WaitForSingleObject(go, 60000);
    return (int)rc;
  }
  if (strcmp(argv[1], "allusers") == 0) {
    /* An entry only in the all-users phone book, found through ALLUSERSPROFILE (this
     * process has no ProgramData): listed, read and dialed by A and W calls. The exit
     * code says which step failed. */
    char base[MAX_PATH], path[MAX_PATH];
    if (GetEnvironmentVariableA("ProgramData", base, sizeof base) != 0)
      return 50; /* the parent did not take ProgramData away */
    GetEnvironmentVariableA("ALLUSERSPROFILE", base, sizeof base);
    const char *parts[] = {"\\Microsoft", "\\Network", "\\Connections", "\\Pbk"};
    strcpy(path, base);
    for (int i = 0; i < 4; i++) {
      strcat(path, parts[i]);
      CreateDirectoryA(path, NULL);
    }
    strcat(path, "\\rasphone.pbk");
    FILE *f = fopen(path, "wb");
    if (!f)
      return 51;
    fputs("[AllUsersOnly]\r\nORA_Link=sim\r\nPhoneNumber=5551234\r\n", f);
    fclose(f);
    RASENTRYNAMEA names[16];
    DWORD cb = sizeof names, n = 0, found = 0;
    names[0].dwSize = sizeof names[0];
    if (RasEnumEntriesA(NULL, NULL, names, &cb, &n) != 0)
      return 52;
    for (DWORD i = 0; i < n; i++)
      found += strcmp(names[i].szEntryName, "AllUsersOnly") == 0;
    RASENTRYNAMEW namesw[16];
    cb = sizeof namesw;
    namesw[0].dwSize = sizeof namesw[0];
    if (found != 1 || RasEnumEntriesW(NULL, NULL, namesw, &cb, &n) != 0)
      return 53;
    for (DWORD i = 0; i < n; i++)
      found += wcscmp(namesw[i].szEntryName, L"AllUsersOnly") == 0;
    if (found != 2)
      return 54;
    RASENTRYA e;
    cb = sizeof e;
    e.dwSize = sizeof e;
    if (RasGetEntryPropertiesA(NULL, "AllUsersOnly", &e, &cb, NULL, NULL) != 0 ||
        strcmp(e.szLocalPhoneNumber, "5551234") != 0)
      return 55;
    RASENTRYW ew;
    cb = sizeof ew;
    ew.dwSize = sizeof ew;
    if (RasGetEntryPropertiesW(NULL, L"AllUsersOnly", &ew, &cb, NULL, NULL) != 0)
      return 56;
    params_for(&p, "AllUsersOnly");
    DWORD rc = RasDialA(NULL, NULL, &p, 0, NULL, &h);
    if (h)
      RasHangUpA(h);
    if (rc)
      return 1000 + (int)rc;
    RASDIALPARAMSW pw;
    memset(&pw, 0, sizeof pw);
    pw.dwSize = sizeof pw;
    wcscpy(pw.szEntryName, L"AllUsersOnly");
    h = NULL;
    rc = RasDialW(NULL, NULL, &pw, 0, NULL, &h);
    if (h)
      RasHangUpW(h);
    DeleteFileA(path);
    return rc ? 2000 + (int)rc : 0;
  }
  if (strcmp(argv[1], "dial-async-wait") == 0 && argc >= 4) {
    /* Dial asynchronously, record the handle, and wait (20 s at most) for the last
     * notification; exit with its error (0 for Connected, 9999 for none). */
    g_last_ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    params_for(&p, argv[2]);
    DWORD rc = RasDialA(NULL, g_pbk, &p, 1, (LPVOID)record_last, &h);
    write_handle(argv[3], h);
    if (rc)
      return 9000 + (int)rc;
    if (WaitForSingleObject(g_last_ev, 20000) != WAIT_OBJECT_0)
      return 9999;
    printf("last notification: state %ld error %ld\n", g_last_state, g_last_error);
    return (int)g_last_error;
  }
  if (strcmp(argv[1], "dial-keep") == 0 && argc >= 4) {
    /* Dial synchronously, record the handle, exit without hanging up. */
    params_for(&p, argv[2]);
    DWORD rc = RasDialA(NULL, g_pbk, &p, 0, NULL, &h);
    FILE *f = fopen(argv[3], "w");
    if (f) {
      fprintf(f, "%llx\n", (unsigned long long)(ULONG_PTR)h);
      fclose(f);
    }
    return (int)rc;
  }
  if (strcmp(argv[1], "dial-paused") == 0 && argc >= 4) {
    /* Dial asynchronously to a paused state, record the handle, and wait for the
     * notifier thread to end once another process hung the dial up: exit 0 when the
     * thread count is back where it was before the dial, 1 if not within 10 s. */
    RASCONNA conns[4];
    DWORD cb = sizeof conns, n = 0;
    conns[0].dwSize = sizeof conns[0];
    RasEnumConnectionsA(conns, &cb, &n); /* the DLL's own threads start here */
    Sleep(200);
    int before = thread_count();
    params_for(&p, argv[2]);
    RASDIALEXTENSIONS ext;
    memset(&ext, 0, sizeof ext);
    ext.dwSize = sizeof ext;
    ext.dwfOptions = RDEOPT_PausedStates;
    DWORD rc = RasDialA(&ext, g_pbk, &p, 0, (LPVOID)count_paused, &h);
    if (rc)
      return 2;
    for (int i = 0; i < 500 && !g_paused_events; i++)
      Sleep(10);
    if (!g_paused_events)
      return 3;
    int during = thread_count();
    FILE *f = fopen(argv[3], "w");
    if (f) {
      fprintf(f, "%llx\n", (unsigned long long)(ULONG_PTR)h);
      fclose(f);
    }
    for (int i = 0; i < 1000; i++) {
      if (thread_count() <= before) {
        printf("threads: %d before the dial, %d while paused, %d after the hang-up\n", before,
               during, thread_count());
        return 0;
      }
      Sleep(10);
    }
    printf("threads: %d before, %d while paused, %d 10 s after the hang-up\n", before, during,
           thread_count());
    return 1;
  }
  if (strcmp(argv[1], "dial-die") == 0 && argc >= 4) {
    /* Start an asynchronous dial and die in the middle of it. */
    params_for(&p, argv[2]);
    DWORD rc = RasDialA(NULL, g_pbk, &p, 0, (LPVOID)ignore_events, &h);
    FILE *f = fopen(argv[3], "w");
    if (f) {
      fprintf(f, "%llx\n", (unsigned long long)(ULONG_PTR)h);
      fclose(f);
    }
    Sleep(100);
    TerminateProcess(GetCurrentProcess(), rc ? 100 : 0);
  }
  if (strcmp(argv[1], "dial-hangup") == 0 && argc >= 4) {
    /* Dial, check, hang up, argv[3] times; the exit code is the first failure. */
    int cycles = atoi(argv[3]);
    for (int i = 0; i < cycles; i++) {
      params_for(&p, argv[2]);
      h = NULL;
      DWORD rc = RasDialA(NULL, g_pbk, &p, 0, NULL, &h);
      if (rc)
        return (int)rc;
      RASCONNSTATUSA st;
      if (status_of(h, &st) != 0 || st.rasconnstate != RASCS_Connected)
        return 1000;
      if (RasHangUpA(h) != 0)
        return 1001;
    }
    return 0;
  }
  if (strcmp(argv[1], "dial-only") == 0 && argc >= 3) {
    params_for(&p, argv[2]);
    DWORD rc = RasDialA(NULL, g_pbk, &p, 0, NULL, &h);
    if (h && rc != 0)
      RasHangUpA(h);
    return (int)rc;
  }
  if (strcmp(argv[1], "status-of") == 0 && argc >= 3) {
    RASCONNSTATUSA st;
    DWORD rc = status_of((HRASCONN)(ULONG_PTR)strtoull(argv[2], NULL, 16), &st);
    printf("status rc=%lu state=%#x error=%lu\n", rc, (unsigned)st.rasconnstate, st.dwError);
    return (int)rc;
  }
  if (strcmp(argv[1], "status") == 0) {
    RASCONNSTATUSA st;
    return (int)status_of((HRASCONN)(ULONG_PTR)0x12345, &st);
  }
  return 99;
}

/* ---- tests ---- */

/* Lists the connections with the size probe real clients use; returns the one with
 * this entry name and handle, or NULL. */
static HRASCONN find_listed(const char *entry, HRASCONN h) {
  DWORD cb = 0, n = 0;
  DWORD rc = RasEnumConnectionsA(NULL, &cb, &n);
  if (rc == 0 && n == 0)
    return NULL;
  assert_int_equal(rc, ERROR_BUFFER_TOO_SMALL);
  assert_true(n >= 1);
  /* The probe answers in the newest layout, which holds at least this program's. */
  assert_true(cb >= n * sizeof(RASCONNA));
  RASCONNA *list = calloc(n, sizeof *list);
  assert_non_null(list);
  list[0].dwSize = sizeof(RASCONNA);
  assert_int_equal(RasEnumConnectionsA(list, &cb, &n), 0);
  HRASCONN found = NULL;
  for (DWORD i = 0; i < n; i++) {
    assert_int_equal(list[i].dwSize, sizeof(RASCONNA));
    if (list[i].hrasconn == h && strcmp(list[i].szEntryName, entry) == 0) {
      assert_string_equal(list[i].szPhonebook, g_pbk);
      found = h;
    }
  }
  free(list);
  return found;
}

/* A connection to the manager made by hand, as the DLL makes it (ora_lane_join): the
 * pipe, the manager's HELLO on it, the lane it names, a watch on the pipe. */
typedef struct raw_client {
  HANDLE pipe;
  ora_pipe_watch watch;
  ora_lane lane;
} raw_client;

static void raw_connect(raw_client *c) {
  ora_manager_names names;
  assert_int_equal(ora_manager_names_get(ORA_PROTO_VERSION, &names), 0);
  for (int i = 0; i < 100; i++) {
    c->pipe = CreateFileW(names.pipe, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                          FILE_FLAG_OVERLAPPED, NULL);
    if (c->pipe != INVALID_HANDLE_VALUE || GetLastError() != ERROR_PIPE_BUSY)
      break;
    WaitNamedPipeW(names.pipe, 100); /* the manager makes its next instance */
  }
  assert_true(c->pipe != INVALID_HANDLE_VALUE);
  /* the HELLO, a well-formed one naming a lane that opens, and the watch */
  assert_int_equal(ora_lane_join(&c->lane, &c->watch, c->pipe, &names, 10000), 0);
}

/* Whether the manager closed this client (its end of the pipe) within 10 s; then the
 * client is closed here too. */
static int raw_closed_by_manager(raw_client *c) {
  int closed = WaitForSingleObject(c->watch.gone, 10000) == WAIT_OBJECT_0;
  ora_pipe_watch_end(&c->watch);
  ora_lane_close(&c->lane);
  CloseHandle(c->pipe);
  return closed;
}

/* A malformed, truncated or oversized message, bytes on the pipe after the HELLO, and
 * ring positions that break the lane's rules each close that one client; the manager
 * and its other clients and connections carry on. */
static void malformed_messages_close_only_that_client(void **state) {
  (void)state;
  RASDIALPARAMSA p;
  params_for(&p, "Plain3");
  HRASCONN h = NULL;
  assert_int_equal(RasDialA(NULL, g_pbk, &p, 0, NULL, &h), 0);
  enum { V = ORA_PROTO_VERSION };
  static const unsigned char wrong_version[12] = {12, 0, 0, 0, 99, 0, 5, 0, 1, 0, 0, 0};
  static const unsigned char oversized[12] = {0, 0, 0, 0x7f, V, 0, 5, 0, 1, 0, 0, 0};
  static const unsigned char unknown_type[12] = {12, 0, 0, 0, V, 0, 0x77, 0, 1, 0, 0, 0};
  static const unsigned char short_body[12] = {12, 0, 0, 0, V, 0, 5, 0, 1, 0, 0, 0};
  static const unsigned char truncated[16] = {16, 0, 0, 0, V, 0, 5, 0, 1, 0, 0, 0, 1, 0, 0, 0};
  const struct {
    const unsigned char *b;
    DWORD n;
  } bad[] = {
      {wrong_version, 12}, {oversized, 12}, {unknown_type, 12}, {short_body, 12}, {truncated, 15}};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    raw_client c;
    raw_connect(&c);
    assert_int_equal(ora_lane_write(&c.lane, bad[i].b, bad[i].n, 10000), 0);
    if (bad[i].n == 15) { /* truncated: the rest never comes, the writer goes away */
      ora_pipe_watch_end(&c.watch);
      ora_lane_close(&c.lane);
      CloseHandle(c.pipe);
    } else {
      assert_true(raw_closed_by_manager(&c));
    }
  }
  /* Anything on the pipe after the HELLO. */
  raw_client c;
  raw_connect(&c);
  HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
  assert_int_equal(ora_pipe_write(c.pipe, ev, wrong_version, 12), 0);
  CloseHandle(ev);
  assert_true(raw_closed_by_manager(&c));
  /* A write position beyond what the ring holds, and a read position ahead of what the
   * manager wrote. */
  raw_connect(&c);
  c.lane.out.ctl->tail = c.lane.out.ctl->head + ORA_LANE_RING + 1;
  SetEvent(c.lane.out.data_ev);
  assert_true(raw_closed_by_manager(&c));
  raw_connect(&c);
  c.lane.in.ctl->head = c.lane.in.ctl->tail + 16;
  /* The manager looks at it when it next writes to this client: a reply. */
  static const unsigned char diag[12] = {12, 0, 0, 0, V, 0, ORA_MSG_DIAG, 0, 7, 0, 0, 0};
  assert_int_equal(ora_lane_write(&c.lane, diag, 12, 10000), 0);
  assert_true(raw_closed_by_manager(&c));

  RASCONNSTATUSA st;
  assert_int_equal(status_of(h, &st), 0);
  assert_int_equal(st.rasconnstate, RASCS_Connected);
  assert_int_equal(RasHangUpA(h), 0);
}

/* behaviour.md 10: a synchronous dialer exits after success; another process reads
 * the status and hangs the connection up with the handle. */
static void connection_outlives_dialer(void **state) {
  (void)state;
  char args[MAX_PATH + 64];
  snprintf(args, sizeof args, "dial-keep Plain \"%s\"", g_handle_file);
  assert_int_equal(run_child(args), 0);
  HRASCONN h = read_handle_file();
  assert_non_null(h);
  /* This process never dialed it, yet lists it... */
  assert_non_null(find_listed("Plain", h));
  RASCONNSTATUSA st;
  assert_int_equal(status_of(h, &st), 0);
  assert_int_equal(st.rasconnstate, RASCS_Connected);
  assert_string_equal(st.szDeviceType, "modem");
  /* ...and hangs it up. */
  assert_int_equal(RasHangUpA(h), 0);
  assert_int_equal(status_of(h, &st), ERROR_INVALID_HANDLE);
  assert_null(find_listed("Plain", h));
}

/* A program that dies in the middle of a dial: the manager abandons that dial (its
 * handle becomes invalid and the entry can be dialed again). */
static void dial_abandoned_when_dialer_dies(void **state) {
  (void)state;
  char args[MAX_PATH + 64];
  snprintf(args, sizeof args, "dial-die Slow \"%s\"", g_handle_file);
  DeleteFileA(g_handle_file);
  assert_int_equal(run_child(args), 0);
  HRASCONN h = read_handle_file();
  assert_non_null(h);
  RASCONNSTATUSA st;
  DWORD rc = 0;
  for (int i = 0; i < 500 && rc == 0; i++) {
    rc = status_of(h, &st);
    if (rc == 0)
      Sleep(10);
  }
  assert_int_equal(rc, ERROR_INVALID_HANDLE);
  /* The entry is free again: a new dial is not "already in progress". */
  RASDIALPARAMSA p;
  params_for(&p, "Slow");
  HRASCONN h2 = NULL;
  assert_int_equal(RasDialA(NULL, g_pbk, &p, 0, (LPVOID)ignore_events, &h2), 0);
  assert_int_equal(RasHangUpA(h2), 0);
}

/* A paused dial hung up by another process: the dialer's notifier thread ends (it
 * used to wait for the process to exit). */
static void paused_dial_hung_up_elsewhere(void **state) {
  (void)state;
  HANDLE child;
  HRASCONN h = child_with_handle("dial-paused", "Paused", &child);
  RASCONNSTATUSA st;
  assert_int_equal(status_of(h, &st), 0);
  assert_int_equal(st.rasconnstate, RASCS_Interactive);
  assert_int_equal(RasHangUpA(h), 0);
  assert_int_equal(wait_child(child), 0);
}

/* Issue 13.2: a dial that failed, whose program exits without RasHangUp, is released
 * (it used to stay in the manager forever, which then never exited). While the program
 * lives, the handle stays valid and tells the failed state and error. */
static void failed_dial_released_when_dialer_exits(void **state) {
  (void)state;
  ora_pe_usage before, after;
  assert_int_equal(ora_pe_manager_usage(&before), 0);
  HANDLE go = CreateEventA(NULL, TRUE, FALSE, T_GO_EVENT);
  assert_non_null(go);
  ResetEvent(go);
  HANDLE child;
  HRASCONN h = child_with_handle("dial-fail-wait", "Busy", &child);
  /* The dialer lives: the failed handle answers, with its state and error, and is not
   * listed as a connection. */
  RASCONNSTATUSA st;
  assert_int_equal(status_of(h, &st), 0);
  assert_int_equal(st.dwError, ERROR_LINE_BUSY);
  assert_int_equal(st.rasconnstate, RASCS_ConnectDevice);
  assert_null(find_listed("Busy", h));
  Sleep(300);
  assert_int_equal(status_of(h, &st), 0); /* still there while its program runs */
  SetEvent(go);
  assert_int_equal(wait_child(child), ERROR_LINE_BUSY);
  assert_int_equal(ora_pe_wait_gone(h, 10000), ERROR_INVALID_HANDLE);
  assert_int_equal(ora_pe_manager_usage(&after), 0);
  assert_int_equal(after.connections, before.connections);
  CloseHandle(go);
}

/* A connection whose dialer exited stays while it is connected, and is released once
 * it drops (nobody could hang it up any more). */
static void orphan_released_when_it_drops(void **state) {
  (void)state;
  char args[MAX_PATH + 64];
  snprintf(args, sizeof args, "dial-keep DropLater \"%s\"", g_handle_file);
  assert_int_equal(run_child(args), 0);
  HRASCONN h = read_handle_file();
  assert_non_null(h);
  RASCONNSTATUSA st;
  assert_int_equal(status_of(h, &st), 0);
  assert_int_equal(st.rasconnstate, RASCS_Connected);
  assert_int_equal(ora_pe_wait_gone(h, 10000), ERROR_INVALID_HANDLE);
}

/* The same with a program that is killed, and with one that dials, fails and exits:
 * the manager (started by that program, with a short idle time) exits on its own. */
static void manager_exits_after_failed_dials(void **state) {
  (void)state;
  kill_managers();
  char idle[32];
  DWORD had = GetEnvironmentVariableA("ORA_MANAGER_IDLE_MS", idle, sizeof idle);
  SetEnvironmentVariableA("ORA_MANAGER_IDLE_MS", "300"); /* for the manager a child starts */
  char args[MAX_PATH + 64];
  snprintf(args, sizeof args, "dial-keep Busy2 \"%s\"", g_handle_file);
  assert_int_equal(run_child(args), ERROR_LINE_BUSY);
  snprintf(args, sizeof args, "dial-die Hold2 \"%s\"", g_handle_file);
  assert_int_equal(run_child(args), 0);
  SetEnvironmentVariableA("ORA_MANAGER_IDLE_MS", had ? idle : NULL);
  /* No RAS call from here on: this process would be a client and keep it alive. */
  DWORD pids[16];
  int n = 1;
  for (int i = 0; i < 1000 && (n = find_managers(pids, 16)) > 0; i++)
    Sleep(10);
  assert_int_equal(n, 0);
}

/* Issue 13.5: an entry only in the all-users phone book of a program whose environment
 * names it through ALLUSERSPROFILE (no ProgramData): the manager that program starts
 * must dial what RasEnumEntries listed (it used to search its own list, without that
 * fallback, and answer 623). */
static void allusers_phonebook_entry(void **state) {
  (void)state;
  kill_managers();
  char old_pd[MAX_PATH], old_au[MAX_PATH], dir[MAX_PATH], au[MAX_PATH];
  DWORD had_pd = GetEnvironmentVariableA("ProgramData", old_pd, sizeof old_pd);
  DWORD had_au = GetEnvironmentVariableA("ALLUSERSPROFILE", old_au, sizeof old_au);
  GetTempPathA(sizeof dir, dir);
  snprintf(au, sizeof au, "%sopenras-allusers-%lu", dir, (unsigned long)GetCurrentProcessId());
  CreateDirectoryA(au, NULL);
  SetEnvironmentVariableA("ProgramData", NULL);
  SetEnvironmentVariableA("ALLUSERSPROFILE", au);
  DWORD rc = run_child("allusers");
  SetEnvironmentVariableA("ProgramData", had_pd ? old_pd : NULL);
  SetEnvironmentVariableA("ALLUSERSPROFILE", had_au ? old_au : NULL);
  kill_managers(); /* the next test's manager gets this process's environment */
  assert_int_equal(rc, 0);
}

/* Issue 13.3: a dial in progress is listed for every process from its first state,
 * its live state can be read there, and another process can cancel it: the dialer's
 * notifier then gets its last notification with ERROR_USER_DISCONNECTION, and a
 * synchronous dialer's RasDial returns it. */
static void dial_in_progress_visible_and_cancellable(void **state) {
  (void)state;
  HANDLE notify = CreateEventA(NULL, FALSE, FALSE, NULL);
  assert_int_equal(RasConnectionNotificationA(INVALID_HANDLE_VALUE, notify, RASCN_Connection), 0);
  HANDLE child;
  HRASCONN h = child_with_handle("dial-async-wait", "Hold", &child);
  RASCONNSTATUSA st;
  for (int i = 0; i < 500; i++) {
    assert_int_equal(status_of(h, &st), 0);
    if (st.rasconnstate == RASCS_ConnectDevice)
      break;
    Sleep(10);
  }
  assert_int_equal(st.rasconnstate, RASCS_ConnectDevice);
  assert_int_equal(st.dwError, 0);
  assert_non_null(find_listed("Hold", h));
  /* Every RASCONN size, A and W (abi.md): the handle follows dwSize, the entry name
   * follows the handle. */
  static const DWORD sizes_a[] =
#ifdef _WIN64
      {36, 416, 680, 696, 708, 724};
#else
      {32, 412, 676, 692, 704, 720};
#endif
  static const DWORD sizes_w[] =
#ifdef _WIN64
      {56, 820, 1344, 1360, 1372, 1388};
#else
      {52, 816, 1340, 1356, 1368, 1384};
#endif
  static BYTE buf[8 * 1400];
  for (int wide = 0; wide < 2; wide++)
    for (size_t k = 0; k < 6; k++) {
      DWORD sz = wide ? sizes_w[k] : sizes_a[k], cb = sizeof buf, n = 0, found = 0;
      memset(buf, 0, sizeof buf);
      *(DWORD *)buf = sz;
      DWORD rc = wide ? RasEnumConnectionsW((RASCONNW *)buf, &cb, &n)
                      : RasEnumConnectionsA((RASCONNA *)buf, &cb, &n);
      if (rc != 0)
        fail_msg("%s RASCONN of %lu bytes: %lu", wide ? "W" : "A", sz, rc);
      for (DWORD i = 0; i < n; i++) {
        BYTE *e = buf + i * sz, *name = e + 4 + sizeof(HRASCONN);
        if (*(HRASCONN *)(e + 4) == h)
          found += wide ? wcscmp((WCHAR *)name, L"Hold") == 0 : strcmp((char *)name, "Hold") == 0;
      }
      if (found != 1)
        fail_msg("%s RASCONN of %lu bytes: the dial in progress listed %lu times", wide ? "W" : "A",
                 sz, found);
    }
  /* A dial in progress is not a connection: no RASCN_Connection. */
  assert_int_equal(WaitForSingleObject(notify, 100), WAIT_TIMEOUT);
  /* Cancel it from here. */
  assert_int_equal(RasHangUpA(h), 0);
  assert_int_equal(wait_child(child), ERROR_USER_DISCONNECTION);
  assert_int_equal(status_of(h, &st), ERROR_INVALID_HANDLE);
  assert_null(find_listed("Hold", h));
  assert_int_equal(WaitForSingleObject(notify, 100), WAIT_TIMEOUT);

  /* A synchronous dialer: found by listing, hung up from here, its RasDial returns 631. */
  assert_int_equal(run_child_async("dial-only Hold", &child), 0);
  HRASCONN hs = NULL;
  for (int i = 0; i < 1000 && !hs; i++) {
    RASCONNA c[8];
    DWORD cb = sizeof c, n = 0;
    c[0].dwSize = sizeof c[0];
    if (RasEnumConnectionsA(c, &cb, &n) == 0)
      for (DWORD k = 0; k < n; k++)
        if (strcmp(c[k].szEntryName, "Hold") == 0)
          hs = c[k].hrasconn;
    if (!hs)
      Sleep(10);
  }
  assert_non_null(hs);
  assert_int_equal(RasHangUpA(hs), 0);
  assert_int_equal(wait_child(child), ERROR_USER_DISCONNECTION);

  /* A failed dial is not listed either; a connected one is, and fires RASCN_Connection. */
  char args[MAX_PATH + 64];
  snprintf(args, sizeof args, "dial-keep Plain3 \"%s\"", g_handle_file);
  assert_int_equal(run_child(args), 0);
  h = read_handle_file();
  assert_non_null(find_listed("Plain3", h));
  assert_int_equal(WaitForSingleObject(notify, 5000), WAIT_OBJECT_0);
  assert_int_equal(RasHangUpA(h), 0);
  CloseHandle(notify);
}

/* Dialing an entry another process is dialing: ERROR_DIAL_ALREADY_IN_PROGRESS. */
static void dial_in_progress_elsewhere(void **state) {
  (void)state;
  RASDIALPARAMSA p;
  params_for(&p, "Slow2");
  HRASCONN h = NULL;
  assert_int_equal(RasDialA(NULL, g_pbk, &p, 0, (LPVOID)ignore_events, &h), 0);
  assert_int_equal(run_child("dial-only Slow2"), ERROR_DIAL_ALREADY_IN_PROGRESS);
  assert_int_equal(RasHangUpA(h), 0);
}

/* Dialing an entry that another process connected references it: same handle,
 * one hang-up per successful dial. */
static void connected_entry_is_referenced(void **state) {
  (void)state;
  char args[MAX_PATH + 64];
  snprintf(args, sizeof args, "dial-keep Plain2 \"%s\"", g_handle_file);
  assert_int_equal(run_child(args), 0);
  HRASCONN h1 = read_handle_file();
  RASDIALPARAMSA p;
  params_for(&p, "Plain2");
  HRASCONN h2 = NULL;
  assert_int_equal(RasDialA(NULL, g_pbk, &p, 0, NULL, &h2), 0);
  assert_ptr_equal(h1, h2);
  RASCONNSTATUSA st;
  assert_int_equal(RasHangUpA(h2), 0);
  assert_int_equal(status_of(h1, &st), 0);
  assert_int_equal(RasHangUpA(h1), 0);
  assert_int_equal(status_of(h1, &st), ERROR_INVALID_HANDLE);
}

/* Programs starting at the same moment start one manager between them. */
static void one_manager_for_simultaneous_starts(void **state) {
  (void)state;
  kill_managers();
  HANDLE procs[6];
  for (int i = 0; i < 6; i++)
    assert_int_equal(run_child_async("status", &procs[i]), 0);
  for (int i = 0; i < 6; i++)
    assert_int_equal(wait_child(procs[i]), ERROR_INVALID_HANDLE);
  /* Managers that lost the race exit at once; give their teardown a moment. */
  DWORD pids[16];
  int n = 0;
  for (int i = 0; i < 100; i++) {
    n = find_managers(pids, 16);
    if (n == 1)
      break;
    Sleep(20);
  }
  assert_int_equal(n, 1);
}

/* The image of the one manager running, or "" (the path case-folded to compare). */
static void manager_image(WCHAR *out, DWORD cap) {
  out[0] = 0;
  DWORD pids[16];
  for (int i = 0; i < 100 && find_managers(pids, 16) != 1; i++)
    Sleep(20);
  assert_int_equal(find_managers(pids, 16), 1);
  HANDLE p = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pids[0]);
  assert_non_null(p);
  assert_true(QueryFullProcessImageNameW(p, 0, out, &cap));
  CloseHandle(p);
  CharLowerW(out);
}

/* Which manager a program starts (docs/manager.md): a 32-bit program on a 64-bit system
 * the one in the native system folder when there is one, as Windows' RasMan is a 64-bit
 * service; a 64-bit program the one beside its DLL. A copy of this build's manager is
 * put in the native system folder for the test (its path seen from here: sysnative for
 * a 32-bit program) and removed after. */
static void which_manager_starts(void **state) {
  (void)state;
  BOOL wow64 = FALSE;
  assert_true(IsWow64Process(GetCurrentProcess(), &wow64));
  WCHAR windir[MAX_PATH], beside[MAX_PATH], native[MAX_PATH + 64], expect[MAX_PATH + 64];
  assert_true(GetSystemWindowsDirectoryW(windir, MAX_PATH) > 0);
  assert_true(GetModuleFileNameW(GetModuleHandleW(L"rasapi32.dll"), beside, MAX_PATH) > 0);
  wcscpy(wcsrchr(beside, L'\\') + 1, L"openras-manager.exe");
  swprintf(native, MAX_PATH + 64, L"%ls\\%ls\\openras-manager.exe", windir,
           wow64 ? L"sysnative" : L"system32");
  kill_managers();
  assert_true(CopyFileW(beside, native, FALSE));
  RASDIALPARAMSA p;
  params_for(&p, "Plain3");
  HRASCONN h = NULL;
  /* The first call after the kill may find the old connection broken (711, as in
   * manager_killed); the next starts a manager. */
  DWORD rc = RasDialA(NULL, g_pbk, &p, 0, NULL, &h);
  if (rc == ERROR_RASMAN_CANNOT_INITIALIZE)
    rc = RasDialA(NULL, g_pbk, &p, 0, NULL, &h);
  assert_int_equal(rc, 0);
  WCHAR image[MAX_PATH + 64];
  manager_image(image, MAX_PATH + 64);
  assert_int_equal(RasHangUpA(h), 0);
  kill_managers();
  assert_true(DeleteFileW(native));
  if (wow64)
    swprintf(expect, MAX_PATH + 64, L"%ls\\system32\\openras-manager.exe", windir);
  else
    wcscpy(expect, beside);
  CharLowerW(expect);
  if (wcscmp(image, expect) != 0)
    fail_msg("the manager started is %ls, not %ls", image, expect);
}

/* The manager dies: calls on its handles fail without hanging, the next call starts
 * a fresh manager, and the old handles are invalid there. */
static void manager_killed(void **state) {
  (void)state;
  RASDIALPARAMSA p;
  params_for(&p, "Plain3");
  HRASCONN h = NULL;
  assert_int_equal(RasDialA(NULL, g_pbk, &p, 0, NULL, &h), 0);
  kill_managers();
  RASCONNSTATUSA st;
  /* Status is read from the dead manager's shared status map until this process's
   * pipe reader has seen the pipe break (a scheduling moment), then a call may see
   * 711 once, and the next starts a new manager that knows no such handle. No call
   * may hang: each must return within the DLL's 10 s connect limit. */
  DWORD rc = 0;
  for (int i = 0; i < 200 && rc != ERROR_INVALID_HANDLE; i++) {
    DWORD t0 = GetTickCount();
    rc = status_of(h, &st);
    assert_true(GetTickCount() - t0 < 15000);
    assert_true(rc == 0 || rc == ERROR_RASMAN_CANNOT_INITIALIZE || rc == ERROR_INVALID_HANDLE);
    if (rc != ERROR_INVALID_HANDLE)
      Sleep(10);
  }
  assert_int_equal(rc, ERROR_INVALID_HANDLE);
  DWORD pids[16];
  assert_int_equal(find_managers(pids, 16), 1);
  HRASCONN h2 = NULL;
  assert_int_equal(RasDialA(NULL, g_pbk, &p, 0, NULL, &h2), 0);
  assert_int_equal(status_of(h2, &st), 0);
  assert_int_equal(st.rasconnstate, RASCS_Connected);
  assert_int_equal(RasHangUpA(h2), 0);
}

/* Ten processes dial ten entries at once. */
static void ten_processes_ten_entries(void **state) {
  (void)state;
  HANDLE procs[10];
  for (int i = 0; i < 10; i++) {
    char args[64];
    snprintf(args, sizeof args, "dial-hangup E%d 1", i);
    assert_int_equal(run_child_async(args, &procs[i]), 0);
  }
  for (int i = 0; i < 10; i++)
    assert_int_equal(wait_child(procs[i]), 0);
}

static void soak_round(int per_child) {
  HANDLE procs[10];
  for (int i = 0; i < 10; i++) {
    char args[64];
    snprintf(args, sizeof args, "dial-hangup S%d %d", i, per_child);
    assert_int_equal(run_child_async(args, &procs[i]), 0);
  }
  for (int i = 0; i < 10; i++)
    assert_int_equal(wait_child(procs[i]), 0);
}

/* 1,000 dial/hang-up cycles across ten processes: the manager's handles, threads
 * and memory do not grow (measured after a warm-up round, once clients are gone). */
static void soak_flat_resources(void **state) {
  (void)state;
  soak_round(10);
  Sleep(300);
  ora_pe_usage before, after;
  assert_int_equal(ora_pe_manager_usage(&before), 0);
  soak_round(100);
  Sleep(300);
  assert_int_equal(ora_pe_manager_usage(&after), 0);
  printf("manager before: %u threads, %u handles, %llu heap bytes, %u routes, %u connections\n",
         before.threads, before.handles, (unsigned long long)before.heap_bytes, before.routes,
         before.connections);
  printf("manager after 1000 cycles: %u threads, %u handles, %llu heap bytes, %u routes, %u "
         "connections\n",
         after.threads, after.handles, (unsigned long long)after.heap_bytes, after.routes,
         after.connections);
  assert_int_equal(after.threads, before.threads);
  assert_true(after.handles <= before.handles);
  assert_int_equal(after.routes, 0);
  assert_int_equal(after.connections, 0);
  assert_true(before.heap_bytes > 0);
  /* Exactly flat is the goal; a few hundred bytes of allocator bookkeeping may move,
   * while a leak of even 16 bytes per cycle would show as 16,000. */
  assert_true(after.heap_bytes <= before.heap_bytes + 1024);
}

int main(int argc, char **argv) {
  GetModuleFileNameA(NULL, g_exe, sizeof g_exe);
  char dir[MAX_PATH];
  GetTempPathA(sizeof dir, dir);
  snprintf(g_handle_file, sizeof g_handle_file, "%sopenras-manager-test.handle", dir);
  if (argc >= 2) {
    pbk_path();
    return child_main(argc, argv);
  }
  make_pbk();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(connection_outlives_dialer),
      cmocka_unit_test(dial_abandoned_when_dialer_dies),
      cmocka_unit_test(dial_in_progress_elsewhere),
      cmocka_unit_test(paused_dial_hung_up_elsewhere),
      cmocka_unit_test(failed_dial_released_when_dialer_exits),
      cmocka_unit_test(orphan_released_when_it_drops),
      cmocka_unit_test(dial_in_progress_visible_and_cancellable),
      cmocka_unit_test(connected_entry_is_referenced),
      cmocka_unit_test(malformed_messages_close_only_that_client),
      cmocka_unit_test(one_manager_for_simultaneous_starts),
      cmocka_unit_test(manager_killed),
      cmocka_unit_test(which_manager_starts),
      cmocka_unit_test(manager_exits_after_failed_dials),
      cmocka_unit_test(allusers_phonebook_entry),
      cmocka_unit_test(ten_processes_ten_entries),
      cmocka_unit_test(soak_flat_resources),
  };
  ORA_PE_RUN_TESTS("test_manager", tests);
}
