/* Shared by the dial PE tests (dial_*.c): the phone book they dial, every historical
 * RASDIALPARAMS / RASCONNSTATUS / RASDIALEXTENSIONS layout (mingw-w64's <ras.h> only
 * has its own), a recorder for notifications, and polling helpers.
 *
 * Programs link against mingw-w64's import library, as real programs do. */
#ifndef OPENRAS_TEST_DIAL_UTIL_H
#define OPENRAS_TEST_DIAL_UTIL_H

#include <windows.h>
#include <ras.h>
#include <raserror.h>

#include <stddef.h>

#include "pe_test.h"

/* ---- layouts of older and newer SDKs (pack(4), as every SDK) ---- */

#pragma pack(push, 4)
#define T_RDP_STRINGS(T, E, C)                                                                     \
  DWORD dwSize;                                                                                    \
  T szEntryName[(E) + 1];                                                                          \
  T szPhoneNumber[128 + 1];                                                                        \
  T szCallbackNumber[(C) + 1];                                                                     \
  T szUserName[256 + 1];                                                                           \
  T szPassword[256 + 1];                                                                           \
  T szDomain[15 + 1];

#define T_RDP(S, T)                                                                                \
  typedef struct {                                                                                 \
    T_RDP_STRINGS(T, 20, 48)                                                                       \
  } RDP##S##_35;                                                                                   \
  typedef struct {                                                                                 \
    T_RDP_STRINGS(T, 256, 128)                                                                     \
  } RDP##S##_400;                                                                                  \
  typedef struct {                                                                                 \
    T_RDP_STRINGS(T, 256, 128)                                                                     \
    DWORD dwSubEntry;                                                                              \
    ULONG_PTR dwCallbackId;                                                                        \
  } RDP##S##_401;                                                                                  \
  typedef struct {                                                                                 \
    T_RDP_STRINGS(T, 256, 128)                                                                     \
    DWORD dwSubEntry;                                                                              \
    DWORD dwCallbackId;                                                                            \
  } RDP##S##_WINE;                                                                                 \
  typedef struct {                                                                                 \
    T_RDP_STRINGS(T, 256, 128)                                                                     \
    DWORD dwSubEntry;                                                                              \
    ULONG_PTR dwCallbackId;                                                                        \
    DWORD dwIfIndex;                                                                               \
  } RDP##S##_601;                                                                                  \
  typedef struct {                                                                                 \
    T_RDP_STRINGS(T, 256, 128)                                                                     \
    DWORD dwSubEntry;                                                                              \
    ULONG_PTR dwCallbackId;                                                                        \
    DWORD dwIfIndex;                                                                               \
    T *szEncPassword;                                                                              \
  } RDP##S##_602;
T_RDP(A, CHAR)
T_RDP(W, WCHAR)

#define T_RCS_HEAD(T, D)                                                                           \
  DWORD dwSize;                                                                                    \
  DWORD rasconnstate;                                                                              \
  DWORD dwError;                                                                                   \
  T szDeviceType[16 + 1];                                                                          \
  T szDeviceName[(D) + 1];
typedef struct {
  DWORD dwType;
  BYTE addr[16];
} T_ENDPOINT;
#define T_RCS(S, T)                                                                                \
  typedef struct {                                                                                 \
    T_RCS_HEAD(T, 32)                                                                              \
  } RCS##S##_35;                                                                                   \
  typedef struct {                                                                                 \
    T_RCS_HEAD(T, 128)                                                                             \
  } RCS##S##_400;                                                                                  \
  typedef struct {                                                                                 \
    T_RCS_HEAD(T, 128)                                                                             \
    T szPhoneNumber[128 + 1];                                                                      \
  } RCS##S##_401;                                                                                  \
  typedef struct {                                                                                 \
    T_RCS_HEAD(T, 128)                                                                             \
    T szPhoneNumber[128 + 1];                                                                      \
    T_ENDPOINT localEndPoint;                                                                      \
    T_ENDPOINT remoteEndPoint;                                                                     \
    DWORD rasconnsubstate;                                                                         \
  } RCS##S##_601;
T_RCS(A, CHAR)
T_RCS(W, WCHAR)

typedef struct {
  DWORD dwSize, dwfOptions;
  HWND hwndParent;
  ULONG_PTR reserved;
} RDE_400;
typedef struct {
  DWORD dwSize, dwfOptions;
  HWND hwndParent;
  ULONG_PTR reserved, reserved1;
  DWORD dwSizeofEapInfo;
  BYTE *pbEapInfo;
} RDE_500;
typedef struct {
  DWORD dwSize, dwfOptions;
  HWND hwndParent;
  ULONG_PTR reserved, reserved1;
  DWORD dwSizeofEapInfo;
  BYTE *pbEapInfo;
  BOOL fSkipPppAuth;
  DWORD dwDevSize;
  BYTE *pbDevSpecificInfo;
} RDE_601;
#pragma pack(pop)

/* Layout ids, oldest first. T_WINE is Wine's x64 RASDIALPARAMS (a DWORD dwCallbackId);
 * on x86 it has the 0x401 size. */
enum { T_35, T_400, T_401, T_WINE, T_601, T_602, T_NLAYOUTS };
extern const char *const t_layout_name[T_NLAYOUTS];
size_t t_rdp_size(int wide, int layout);
size_t t_rcs_size(int wide, int layout); /* T_35, T_400, T_401, T_601 */
/* Byte offset of szDomain and its length in characters. */
size_t t_rdp_domain(int wide, int layout, size_t *chars);

/* The strings of a RASDIALPARAMS, in UTF-8 (converted to the ANSI code page or UTF-16). */
typedef struct dial_fields {
  const char *entry, *phone, *callback, *user, *password, *domain;
  DWORD subentry;
  ULONG_PTR callback_id;
} dial_fields;

/* Fills buf (zeroed first, at least t_rdp_size bytes) as the layout; returns the size. */
size_t t_fill_params(int wide, int layout, const dial_fields *f, void *buf);

/* UTF-8 <-> ANSI code page / UTF-16 for the tests. */
void t_to_acp(const char *utf8, char *out, size_t cap);
void t_to_w(const char *utf8, WCHAR *out, size_t cap);
void t_w_to_utf8(const WCHAR *w, char *out, size_t cap);
void t_acp_to_utf8(const char *a, char *out, size_t cap);

/* ---- the phone book ---- */

/* Writes the standard phone book (below) to a file of this process in the temp folder
 * and returns its path (also in wide form). */
const char *t_pbk(void);
const WCHAR *t_pbk_w(void);
/* Writes text as a phone book file named name in the temp folder; returns its path. */
const char *t_write_file(const char *name, const char *text);

/* ---- dialing ---- */

/* Every handle a test obtains is tracked and hung up by t_cleanup (each test's
 * teardown), so a failed assertion leaves no connection behind in the manager. */
void t_track(HRASCONN h);
int t_cleanup(void **state);
#define T_TEST(f) cmocka_unit_test_teardown(f, t_cleanup)

/* RasDialA or RasDialW with mingw's current layouts. */
DWORD t_dial(int wide, RASDIALEXTENSIONS *ext, const dial_fields *f, DWORD type, void *notifier,
             HRASCONN *h);
DWORD t_dial_entry(int wide, const char *entry, HRASCONN *h); /* synchronous */

/* RasGetConnectStatus (A or W) into a mingw RASCONNSTATUSA: state and error. */
DWORD t_status(HRASCONN h, DWORD *state, DWORD *error);
/* Polls until the state is `state` (or any error when state is ~0u); returns 1 if reached. */
int t_wait_state(HRASCONN h, DWORD state, DWORD ms);
/* Polls until RasGetConnectStatus says ERROR_INVALID_HANDLE; returns the ms it took, or -1. */
int t_wait_gone(HRASCONN h, DWORD ms);

/* ---- the notification recorder ---- */

typedef struct t_event {
  int type; /* notifier type that delivered it (0, 1, 2, -1 window) */
  DWORD tid;
  HRASCONN h;    /* given to RasDialFunc1/2 */
  HRASCONN seen; /* the caller's HRASCONN variable when the notifier ran */
  UINT msg;
  DWORD state, error, ext;
  ULONG_PTR callback_id;
  DWORD subentry;
} t_event;

#define T_MAX_EVENTS 256
typedef struct t_recorder {
  CRITICAL_SECTION cs;
  t_event ev[T_MAX_EVENTS];
  volatile LONG n;
  HANDLE stop;             /* set on an event that ends a series (Connected, an error, a pause) */
  HRASCONN volatile *conn; /* the variable RasDial writes, read in the notifier */
  DWORD func2_ret_after;   /* RasDialFunc2 returns 0 from this event on (1-based); 0 = never */
  void (*hook)(const t_event *ev); /* runs inside the notifier after recording */
} t_recorder;

extern t_recorder g_rec;
void t_rec_reset(HRASCONN volatile *conn);
int t_rec_wait(DWORD ms); /* waits for the end of a series; 1 if it came */
int t_rec_count(void);
t_event t_rec_get(int i);
int t_rec_find(DWORD state, DWORD error); /* index of the first such event, or -1 */

VOID WINAPI t_func0(UINT msg, RASCONNSTATE state, DWORD error);
VOID WINAPI t_func1(HRASCONN h, UINT msg, RASCONNSTATE state, DWORD error, DWORD ext);
DWORD WINAPI t_func2(ULONG_PTR id, DWORD sub, HRASCONN h, UINT msg, RASCONNSTATE state, DWORD error,
                     DWORD ext);
/* A message-only window whose messages are recorded (type -1). */
HWND t_window(void);
/* Pumps this thread's messages until the recorder's stop event or ms pass. */
int t_pump(DWORD ms);

/* States of a plain simulated dial, in order. */
extern const DWORD t_plain_states[];
extern const int t_nplain_states;

#endif
