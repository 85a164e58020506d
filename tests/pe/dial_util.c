/* Helpers of the dial PE tests (dial_util.h). */
#include "dial_util.h"

#include <stdio.h>
#include <string.h>

_Static_assert(sizeof(RDPA_35) == 736, "abi.md");
_Static_assert(sizeof(RDPA_400) == 1052, "abi.md");
_Static_assert(sizeof(RDPW_35) == 1464, "abi.md");
_Static_assert(sizeof(RDPW_400) == 2096, "abi.md");
_Static_assert(sizeof(RDPA_WINE) == 1060, "abi.md");
_Static_assert(sizeof(RDPW_WINE) == 2104, "abi.md");
#ifdef _WIN64
_Static_assert(sizeof(RDPA_401) == 1064 && sizeof(RDPA_601) == 1068 && sizeof(RDPA_602) == 1076,
               "abi.md");
_Static_assert(sizeof(RDPW_401) == 2108 && sizeof(RDPW_601) == 2112 && sizeof(RDPW_602) == 2120,
               "abi.md");
_Static_assert(sizeof(RDE_400) == 24 && sizeof(RDE_500) == 44 && sizeof(RDE_601) == 60, "abi.md");
#else
_Static_assert(sizeof(RDPA_401) == 1060 && sizeof(RDPA_601) == 1064 && sizeof(RDPA_602) == 1068,
               "abi.md");
_Static_assert(sizeof(RDPW_401) == 2104 && sizeof(RDPW_601) == 2108 && sizeof(RDPW_602) == 2112,
               "abi.md");
_Static_assert(sizeof(RDE_400) == 16 && sizeof(RDE_500) == 28 && sizeof(RDE_601) == 40, "abi.md");
#endif
_Static_assert(sizeof(RCSA_35) == 64 && sizeof(RCSA_400) == 160 && sizeof(RCSA_401) == 288 &&
                   sizeof(RCSA_601) == 332,
               "abi.md");
_Static_assert(sizeof(RCSW_35) == 112 && sizeof(RCSW_400) == 304 && sizeof(RCSW_401) == 564 &&
                   sizeof(RCSW_601) == 608,
               "abi.md");
/* mingw-w64's own: RASDIALPARAMS with dwIfIndex (0x601), RASCONNSTATUS 0x401,
 * RASDIALEXTENSIONS 0x500 (abi.md). */
_Static_assert(sizeof(RASDIALPARAMSA) == sizeof(RDPA_601), "mingw RASDIALPARAMSA");
_Static_assert(sizeof(RASDIALPARAMSW) == sizeof(RDPW_601), "mingw RASDIALPARAMSW");
_Static_assert(sizeof(RASCONNSTATUSA) == 288 && sizeof(RASCONNSTATUSW) == 564, "mingw");
_Static_assert(sizeof(RASDIALEXTENSIONS) == sizeof(RDE_500), "mingw RASDIALEXTENSIONS");

const char *const t_layout_name[T_NLAYOUTS] = {"NT3.5", "0x400", "0x401", "Wine", "0x601", "0x602"};

/* Offsets of one layout's fields (bytes) and lengths (characters). */
typedef struct t_layout {
  size_t size, entry, entry_n, phone, phone_n, cb, cb_n, user, user_n, pw, pw_n, dom, dom_n;
  size_t sub, id, id_bytes;
} t_layout;

#define N_(T, m) (sizeof(((T *)0)->m) / sizeof(((T *)0)->m[0]))
#define F_(T, m) offsetof(T, m), N_(T, m)
#define STR_(T)                                                                                    \
  F_(T, szEntryName), F_(T, szPhoneNumber), F_(T, szCallbackNumber), F_(T, szUserName),            \
      F_(T, szPassword), F_(T, szDomain)
#define OLD_(T)                                                                                    \
  { sizeof(T), STR_(T), 0, 0, 0 }
#define NEW_(T)                                                                                    \
  {                                                                                                \
    sizeof(T), STR_(T), offsetof(T, dwSubEntry), offsetof(T, dwCallbackId),                        \
        sizeof(((T *)0)->dwCallbackId)                                                             \
  }

static const t_layout layouts[2][T_NLAYOUTS] = {
    {OLD_(RDPA_35), OLD_(RDPA_400), NEW_(RDPA_401), NEW_(RDPA_WINE), NEW_(RDPA_601),
     NEW_(RDPA_602)},
    {OLD_(RDPW_35), OLD_(RDPW_400), NEW_(RDPW_401), NEW_(RDPW_WINE), NEW_(RDPW_601),
     NEW_(RDPW_602)},
};

size_t t_rdp_size(int wide, int layout) {
  return layouts[wide ? 1 : 0][layout].size;
}

size_t t_rdp_domain(int wide, int layout, size_t *chars) {
  *chars = layouts[wide ? 1 : 0][layout].dom_n;
  return layouts[wide ? 1 : 0][layout].dom;
}

size_t t_rcs_size(int wide, int layout) {
  switch (layout) {
  case T_35:
    return wide ? sizeof(RCSW_35) : sizeof(RCSA_35);
  case T_400:
    return wide ? sizeof(RCSW_400) : sizeof(RCSA_400);
  case T_401:
    return wide ? sizeof(RCSW_401) : sizeof(RCSA_401);
  default:
    return wide ? sizeof(RCSW_601) : sizeof(RCSA_601);
  }
}

void t_to_acp(const char *utf8, char *out, size_t cap) {
  WCHAR w[1024];
  t_to_w(utf8, w, 1024);
  int n = WideCharToMultiByte(CP_ACP, 0, w, -1, out, (int)cap, NULL, NULL);
  if (n <= 0)
    out[0] = 0;
}

void t_to_w(const char *utf8, WCHAR *out, size_t cap) {
  int n = MultiByteToWideChar(CP_UTF8, 0, utf8, -1, out, (int)cap);
  if (n <= 0)
    out[0] = 0;
}

void t_w_to_utf8(const WCHAR *w, char *out, size_t cap) {
  int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, out, (int)cap, NULL, NULL);
  if (n <= 0)
    out[0] = 0;
}

void t_acp_to_utf8(const char *a, char *out, size_t cap) {
  WCHAR w[1024];
  int n = MultiByteToWideChar(CP_ACP, 0, a, -1, w, 1024);
  if (n <= 0)
    w[0] = 0;
  t_w_to_utf8(w, out, cap);
}

/* Copies a UTF-8 string into a field of n characters, truncated and terminated. */
static void put(int wide, void *field, size_t n, const char *s) {
  if (!s)
    return;
  if (wide) {
    WCHAR tmp[1024];
    t_to_w(s, tmp, 1024);
    size_t len = wcslen(tmp);
    if (len >= n)
      len = n - 1;
    memcpy(field, tmp, len * sizeof(WCHAR));
    ((WCHAR *)field)[len] = 0;
  } else {
    char tmp[1024];
    t_to_acp(s, tmp, sizeof tmp);
    size_t len = strlen(tmp);
    if (len >= n)
      len = n - 1;
    memcpy(field, tmp, len);
    ((char *)field)[len] = 0;
  }
}

size_t t_fill_params(int wide, int layout, const dial_fields *f, void *buf) {
  const t_layout *l = &layouts[wide ? 1 : 0][layout];
  BYTE *p = buf;
  size_t unit = wide ? sizeof(WCHAR) : 1;
  memset(p, 0, l->size);
  DWORD size = (DWORD)l->size;
  memcpy(p, &size, sizeof size);
  put(wide, p + l->entry, l->entry_n, f->entry);
  put(wide, p + l->phone, l->phone_n, f->phone);
  put(wide, p + l->cb, l->cb_n, f->callback);
  put(wide, p + l->user, l->user_n, f->user);
  put(wide, p + l->pw, l->pw_n, f->password);
  put(wide, p + l->dom, l->dom_n, f->domain);
  (void)unit;
  if (l->sub)
    memcpy(p + l->sub, &f->subentry, sizeof(DWORD));
  if (l->id_bytes == sizeof(ULONG_PTR))
    memcpy(p + l->id, &f->callback_id, sizeof(ULONG_PTR));
  else if (l->id_bytes == 4) {
    DWORD id = (DWORD)f->callback_id;
    memcpy(p + l->id, &id, 4);
  }
  return l->size;
}

/* ---- phone book ---- */

static const char pbk_text[] =
    "[Sim]\r\nORA_Link=sim\r\nPhoneNumber=5551234\r\nORA_SimStepMs=0\r\n\r\n"
    "[Slow]\r\nORA_Link=sim\r\nPhoneNumber=5551234\r\nORA_SimStepMs=30\r\n\r\n"
    "[Hold]\r\nORA_Link=sim\r\nPhoneNumber=5551234\r\nORA_SimDelay=ConnectDevice:60000\r\n\r\n"
    "[Busy]\r\nORA_Link=sim\r\nPhoneNumber=5551234\r\nORA_SimResult=busy\r\n\r\n"
    "[NoAnswer]\r\nORA_Link=sim\r\nPhoneNumber=5551234\r\nORA_SimResult=noanswer\r\n\r\n"
    "[NoCarrier]\r\nORA_Link=sim\r\nPhoneNumber=5551234\r\nORA_SimResult=nocarrier\r\n\r\n"
    "[NoDialtone]\r\nORA_Link=sim\r\nPhoneNumber=5551234\r\nORA_SimResult=nodialtone\r\n\r\n"
    "[FailAuth]\r\nORA_Link=sim\r\nPhoneNumber=5551234\r\nORA_SimFail=Authenticate:691\r\n\r\n"
    "[Auth]\r\nORA_Link=sim\r\nPhoneNumber=5551234\r\nORA_SimUser=alice\r\n"
    "ORA_SimPassword=secret\r\n\r\n"
    "[Expired]\r\nORA_Link=sim\r\nPhoneNumber=5551234\r\nORA_SimPasswordExpired=1\r\n\r\n"
    "[Callback]\r\nORA_Link=sim\r\nPhoneNumber=5551234\r\nORA_SimCallback=1\r\n\r\n"
    "[CallbackPbk]\r\nORA_Link=sim\r\nPhoneNumber=5551234\r\nORA_SimCallback=1\r\n"
    "CallbackNumber=5559999\r\n\r\n"
    "[Interactive]\r\nORA_Link=sim\r\nPhoneNumber=5551234\r\nORA_SimInteractive=1\r\n\r\n"
    "[Drop]\r\nORA_Link=sim\r\nPhoneNumber=5551234\r\nORA_SimDropAfterMs=150\r\n\r\n"
    "[Isdn]\r\nORA_Link=sim\r\nPhoneNumber=5551234\r\nORA_SimDeviceType=isdn\r\n"
    "ORA_SimDeviceName=ISDN Adapter 0123456789 0123456789 0123456789 end\r\n\r\n"
    /* "Café Ü" and a character outside the BMP, in UTF-8 */
    "[Caf\xc3\xa9]\r\nORA_Link=sim\r\nPhoneNumber=5551234\r\n"
    "ORA_SimDeviceName=Modem \xc3\x9c \xf0\x9f\x98\x80\r\n\r\n"
    "[Smile \xf0\x9f\x98\x80]\r\nORA_Link=sim\r\nPhoneNumber=5551234\r\n\r\n"
    /* Device names that end exactly where the NT3.5 field (32 characters) cuts:
     * a surrogate pair at characters 31-32 must not be split. */
    "[Cut]\r\nORA_Link=sim\r\nPhoneNumber=5551234\r\n"
    "ORA_SimDeviceName=0123456789012345678901234567890\xf0\x9f\x98\x80tail\r\n\r\n"
    "[xxxxxxxxxxxxxxxxxxxxx]\r\nORA_Link=sim\r\nPhoneNumber=5551234\r\n\r\n";

static char g_pbk[MAX_PATH];
static WCHAR g_pbk_w[MAX_PATH];

const char *t_write_file(const char *name, const char *text) {
  static char path[MAX_PATH];
  char dir[MAX_PATH];
  GetTempPathA(sizeof dir, dir);
  snprintf(path, sizeof path, "%s%s", dir, name);
  HANDLE f = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
  if (f == INVALID_HANDLE_VALUE)
    return NULL;
  DWORD done = 0;
  WriteFile(f, text, (DWORD)strlen(text), &done, NULL);
  CloseHandle(f);
  return path;
}

/* Appends an entry whose name is 257 'x' (RAS_MaxEntryName + 1: a full, unterminated
 * szEntryName field) to the phone book text. */
const char *t_pbk(void) {
  if (!g_pbk[0]) {
    static char text[sizeof pbk_text + 400];
    char name[258];
    memset(name, 'x', 257);
    name[257] = 0;
    snprintf(text, sizeof text, "%s[%s]\r\nORA_Link=sim\r\nPhoneNumber=5551234\r\n", pbk_text,
             name);
    char file[64];
    snprintf(file, sizeof file, "openras-dial-%lu.pbk", (unsigned long)GetCurrentProcessId());
    const char *p = t_write_file(file, text);
    if (!p)
      return NULL;
    strcpy(g_pbk, p);
    MultiByteToWideChar(CP_ACP, 0, g_pbk, -1, g_pbk_w, MAX_PATH);
  }
  return g_pbk;
}

const WCHAR *t_pbk_w(void) {
  t_pbk();
  return g_pbk_w;
}

/* ---- dialing ---- */

static HRASCONN g_tracked[256];
static int g_ntracked;

void t_track(HRASCONN h) {
  if (h && g_ntracked < 256)
    g_tracked[g_ntracked++] = h;
}

int t_cleanup(void **state) {
  (void)state;
  for (int i = 0; i < g_ntracked; i++)
    RasHangUpA(g_tracked[i]);
  g_ntracked = 0;
  return 0;
}

DWORD t_dial(int wide, RASDIALEXTENSIONS *ext, const dial_fields *f, DWORD type, void *notifier,
             HRASCONN *h) {
  if (wide) {
    RASDIALPARAMSW p;
    t_fill_params(1, T_601, f, &p);
    DWORD rc = RasDialW(ext, t_pbk_w(), &p, type, notifier, h);
    t_track(*h);
    return rc;
  }
  RASDIALPARAMSA p;
  t_fill_params(0, T_601, f, &p);
  DWORD rc = RasDialA(ext, t_pbk(), &p, type, notifier, h);
  t_track(*h);
  return rc;
}

DWORD t_dial_entry(int wide, const char *entry, HRASCONN *h) {
  dial_fields f = {0};
  f.entry = entry;
  return t_dial(wide, NULL, &f, 0, NULL, h);
}

DWORD t_status(HRASCONN h, DWORD *state, DWORD *error) {
  RASCONNSTATUSA st;
  memset(&st, 0, sizeof st);
  st.dwSize = sizeof st;
  DWORD rc = RasGetConnectStatusA(h, &st);
  if (state)
    *state = st.rasconnstate;
  if (error)
    *error = st.dwError;
  return rc;
}

int t_wait_state(HRASCONN h, DWORD state, DWORD ms) {
  DWORD start = GetTickCount();
  for (;;) {
    DWORD s, e;
    if (t_status(h, &s, &e) == 0 && (s == state || (state == ~0u && e != 0)))
      return 1;
    if (GetTickCount() - start > ms)
      return 0;
    Sleep(2);
  }
}

int t_wait_gone(HRASCONN h, DWORD ms) {
  DWORD start = GetTickCount();
  for (;;) {
    if (t_status(h, NULL, NULL) == ERROR_INVALID_HANDLE)
      return (int)(GetTickCount() - start);
    if (GetTickCount() - start > ms)
      return -1;
    Sleep(0);
  }
}

/* ---- recorder ---- */

t_recorder g_rec;

void t_rec_reset(HRASCONN volatile *conn) {
  static int init;
  if (!init) {
    InitializeCriticalSection(&g_rec.cs);
    g_rec.stop = CreateEventA(NULL, TRUE, FALSE, NULL);
    init = 1;
  }
  EnterCriticalSection(&g_rec.cs);
  g_rec.n = 0;
  g_rec.conn = conn;
  g_rec.func2_ret_after = 0;
  g_rec.hook = NULL;
  ResetEvent(g_rec.stop);
  LeaveCriticalSection(&g_rec.cs);
}

static int ends_series(DWORD state, DWORD error) {
  return error != 0 || state == RASCS_Connected || (state & RASCS_PAUSED) == RASCS_PAUSED;
}

static void record(int type, HRASCONN h, UINT msg, DWORD state, DWORD error, DWORD ext,
                   ULONG_PTR id, DWORD sub) {
  t_event ev;
  memset(&ev, 0, sizeof ev);
  ev.type = type;
  ev.tid = GetCurrentThreadId();
  ev.h = h;
  ev.seen = g_rec.conn ? *g_rec.conn : NULL;
  ev.msg = msg;
  ev.state = state;
  ev.error = error;
  ev.ext = ext;
  ev.callback_id = id;
  ev.subentry = sub;
  EnterCriticalSection(&g_rec.cs);
  if (g_rec.n < T_MAX_EVENTS)
    g_rec.ev[g_rec.n++] = ev;
  LeaveCriticalSection(&g_rec.cs);
  if (g_rec.hook)
    g_rec.hook(&ev);
  if (ends_series(state, error))
    SetEvent(g_rec.stop);
}

int t_rec_wait(DWORD ms) {
  return WaitForSingleObject(g_rec.stop, ms) == WAIT_OBJECT_0;
}

int t_rec_count(void) {
  EnterCriticalSection(&g_rec.cs);
  int n = g_rec.n;
  LeaveCriticalSection(&g_rec.cs);
  return n;
}

t_event t_rec_get(int i) {
  EnterCriticalSection(&g_rec.cs);
  t_event ev = g_rec.ev[i];
  LeaveCriticalSection(&g_rec.cs);
  return ev;
}

int t_rec_find(DWORD state, DWORD error) {
  int n = t_rec_count();
  for (int i = 0; i < n; i++) {
    t_event ev = t_rec_get(i);
    if (ev.state == state && ev.error == error)
      return i;
  }
  return -1;
}

VOID WINAPI t_func0(UINT msg, RASCONNSTATE state, DWORD error) {
  record(0, NULL, msg, state, error, 0, 0, 0);
}

VOID WINAPI t_func1(HRASCONN h, UINT msg, RASCONNSTATE state, DWORD error, DWORD ext) {
  record(1, h, msg, state, error, ext, 0, 0);
}

DWORD WINAPI t_func2(ULONG_PTR id, DWORD sub, HRASCONN h, UINT msg, RASCONNSTATE state, DWORD error,
                     DWORD ext) {
  record(2, h, msg, state, error, ext, id, sub);
  DWORD after = g_rec.func2_ret_after;
  return (after && (DWORD)t_rec_count() >= after) ? 0 : 1;
}

static UINT g_dial_msg;

static LRESULT CALLBACK wndproc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp) {
  if (msg == g_dial_msg) {
    record(-1, NULL, msg, (DWORD)wp, (DWORD)lp, 0, 0, 0);
    return 0;
  }
  return DefWindowProcA(hwnd, msg, wp, lp);
}

HWND t_window(void) {
  static ATOM cls;
  g_dial_msg = RegisterWindowMessageA(RASDIALEVENT);
  if (!g_dial_msg)
    g_dial_msg = WM_RASDIALEVENT;
  if (!cls) {
    WNDCLASSA wc;
    memset(&wc, 0, sizeof wc);
    wc.lpfnWndProc = wndproc;
    wc.hInstance = GetModuleHandleA(NULL);
    wc.lpszClassName = "OpenRasDialTest";
    cls = RegisterClassA(&wc);
  }
  return CreateWindowExA(0, "OpenRasDialTest", "", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL,
                         GetModuleHandleA(NULL), NULL);
}

int t_pump(DWORD ms) {
  DWORD start = GetTickCount();
  for (;;) {
    MSG m;
    while (PeekMessageA(&m, NULL, 0, 0, PM_REMOVE)) {
      TranslateMessage(&m);
      DispatchMessageA(&m);
    }
    if (WaitForSingleObject(g_rec.stop, 0) == WAIT_OBJECT_0)
      return 1;
    DWORD el = GetTickCount() - start;
    if (el > ms)
      return 0;
    MsgWaitForMultipleObjects(1, &g_rec.stop, FALSE, 20, QS_ALLINPUT);
  }
}

const DWORD t_plain_states[] = {RASCS_OpenPort,
                                RASCS_PortOpened,
                                RASCS_ConnectDevice,
                                RASCS_DeviceConnected,
                                RASCS_AllDevicesConnected,
                                RASCS_Authenticate,
                                RASCS_AuthNotify,
                                RASCS_AuthProject,
                                RASCS_Authenticated,
                                RASCS_Projected,
                                RASCS_Connected};
const int t_nplain_states = sizeof t_plain_states / sizeof t_plain_states[0];
