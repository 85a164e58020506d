/* The bad-input matrix (issue 8): every export of def/exports.txt, called through
 * GetProcAddress with NULL pointers, garbage handles (random values,
 * INVALID_HANDLE_VALUE), wrong dwSize values in every structure argument, and
 * oversized and unterminated strings (the unterminated one ends at a PAGE_NOACCESS
 * page). Each call must return (the process survives: an unhandled exception
 * prints the call and fails the test), a NULL required pointer must give an error,
 * and a stub must return 120 (ERROR_CALL_NOT_IMPLEMENTED) without touching any
 * buffer it was given.
 *
 * The export list and which exports are stubs come from def/exports.txt at
 * configure time (badinput_exports.h, tests/pe/badinput.cmake); the argument count
 * is the x86 argument bytes / 4 (OpenRAS's own two exports included). What each argument of an
 * implemented export is comes from the signature table below: an export without a
 * signature is called with NULL arguments only (and named in the output), so a
 * function implemented later is still called safely until it gets one.
 * Functions that return something other than a DWORD error (Rasfile*,
 * RasGetHport, ...) are all stubs today, which return 120 and touch nothing. */
#include <windows.h>
#include <ras.h>
#include <raserror.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "pe_test.h"

typedef struct export_info {
  const char *name;
  unsigned bytes; /* x86 argument bytes */
  int stub;
} export_info;

#include "badinput_exports.h" /* static const export_info ora_exports[] */

#define NEXPORTS (sizeof ora_exports / sizeof ora_exports[0])
#define MAXARGS 8
#define BIG (64 * 1024) /* every buffer handed over is this large */

/* Argument kinds of the signature table:
 *   h  HRASCONN                 H  Win32 handle that must not be NULL (an event)
 *   d  DWORD value              n  a buffer size value (never more than BIG)
 *   s  string, optional         S  string, required (NULL must fail)
 *   p  structure with dwSize, required     P  the same, optional (size queries)
 *   c  LPDWORD size or count, required     C  the same, optional
 *   o  output buffer, required
 *   x  pointer that may be NULL (reserved, optional data)
 *   f  callback: always NULL (a garbage callback is the caller's bug) */
typedef struct signature {
  const char *name; /* without the A/W suffix when both exist */
  const char *kinds;
} signature;

static const signature signatures[] = {
    {"RasClearConnectionStatistics", "h"},
    {"RasClearLinkStatistics", "hd"},
    {"RasConnectionNotification", "hHd"},
    {"RasDeleteEntry", "sS"},
    {"RasDeleteSubEntry", "sSd"},
    {"RasDial", "xspdfo"},
    {"RasEnumAutodialAddresses", "xcc"},
    {"RasEnumConnections", "Pcc"},
    {"RasEnumDevices", "Pcc"},
    {"RasEnumEntries", "xsPcc"},
    {"RasGetAutodialAddress", "SxPcc"},
    {"RasGetAutodialEnable", "do"},
    {"RasGetAutodialParam", "dxc"},
    {"RasGetConnectStatus", "hp"},
    {"RasGetConnectionStatistics", "hp"},
    {"RasGetCountryInfo", "Pc"},
    {"RasGetCredentials", "sSp"},
    /* The data buffer may be NULL (a size probe); the size pointer is required. */
    {"RasGetCustomAuthData", "sSxc"},
    /* hToken may be NULL (the calling user); garbage handles are refused. */
    {"RasGetEapUserData", "hsSxc"},
    {"RasGetEntryDialParams", "spo"},
    {"RasGetEntryHrasconn", "sSo"},
    /* lpdwEntryInfoSize may be NULL with a NULL lpRasEntry (it is then a pure
     * existence check); with a structure it is required. */
    {"RasGetEntryProperties", "ssPCxx"},
    {"RasGetErrorString", "don"},
    {"RasGetLinkStatistics", "hdp"},
    {"RasGetProjectionInfo", "hdxc"},
    {"RasGetProjectionInfoEx", "hPc"},
    {"RasGetSubEntryHandle", "hdo"},
    /* lpdwcb may be NULL with a NULL lpRasSubEntry, as for RasGetEntryProperties. */
    {"RasGetSubEntryProperties", "sSdPCxx"},
    {"RasHangUp", "h"},
    {"RasRenameEntry", "sSS"},
    {"RasSetAutodialAddress", "SdPnd"},
    {"RasSetAutodialEnable", "dd"},
    {"RasSetAutodialParam", "dxn"},
    {"RasSetCredentials", "sSpd"},
    /* NULL data with size 0 clears; NULL data with a size is an error. */
    {"RasSetCustomAuthData", "sSxn"},
    {"RasSetEapUserData", "hsSxn"},
    {"RasSetEntryDialParams", "spd"},
    {"RasSetEntryProperties", "sSpnxn"},
    {"RasSetSubEntryProperties", "sSdpnxn"},
    {"RasValidateEntryName", "sS"},
    /* OpenRAS's own ("openras" in def/exports.txt); OpenRasVersion returns a string. */
    {"OpenRasManagerDiag", "o"},
    {"OpenRasVersion", ""},
};

/* ---- buffers ---- */

static uint8_t *g_buf[MAXARGS]; /* one BIG buffer per argument position */
static uint8_t *g_page;         /* two pages, the second PAGE_NOACCESS */
static SIZE_T g_pagesz;
static char *g_long_a; /* 70,000 characters, terminated */
static WCHAR *g_long_w;
static char *g_unterm_a; /* 'B's up to the guard page, no terminator */
static WCHAR *g_unterm_w;
static uint8_t *g_tail; /* the last 4 bytes before the guard page */

#define CANARY 0xA5

static void fill_canary(void) {
  for (int i = 0; i < MAXARGS; i++)
    memset(g_buf[i], CANARY, BIG);
  memset(g_page, CANARY, g_pagesz);
}

static int canary_intact(void) {
  for (int i = 0; i < MAXARGS; i++)
    for (size_t j = 0; j < BIG; j++)
      if (g_buf[i][j] != CANARY)
        return 0;
  for (size_t j = 0; j < g_pagesz; j++)
    if (g_page[j] != CANARY)
      return 0;
  return 1;
}

static void setup_buffers(void) {
  for (int i = 0; i < MAXARGS; i++) {
    g_buf[i] = malloc(BIG);
    assert_non_null(g_buf[i]);
  }
  SYSTEM_INFO si;
  GetSystemInfo(&si);
  g_pagesz = si.dwPageSize;
  g_page = VirtualAlloc(NULL, 2 * g_pagesz, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
  assert_non_null(g_page);
  DWORD old;
  assert_true(VirtualProtect(g_page + g_pagesz, g_pagesz, PAGE_NOACCESS, &old));
  g_long_a = malloc(70001);
  g_long_w = malloc(70001 * sizeof(WCHAR));
  assert_true(g_long_a && g_long_w);
  memset(g_long_a, 'A', 70000);
  g_long_a[70000] = 0;
  for (int i = 0; i < 70000; i++)
    g_long_w[i] = L'A';
  g_long_w[70000] = 0;
}

/* The guarded page's contents for this call: an unterminated string filling the
 * whole page (4096 characters A, 2048 W: longer than any Win32 limit, so a reader
 * bounded by the limit stops before the guard page), and a structure whose dwSize
 * is the last thing before the guard page. */
static void prepare_page(int wide) {
  if (wide) {
    g_unterm_w = (WCHAR *)(void *)g_page;
    for (size_t i = 0; i < g_pagesz / sizeof(WCHAR); i++)
      g_unterm_w[i] = L'B';
  } else {
    g_unterm_a = (char *)g_page;
    memset(g_unterm_a, 'B', g_pagesz);
  }
  g_tail = g_page + g_pagesz - 4;
  *(DWORD *)(void *)g_tail = 0xFFFFFFFFu;
}

/* ---- values of each kind ---- */

static const DWORD bad_sizes[] = {0, 1, 3, 5, 0x7FFF, 0x7FFFFFFF, 0xFFFFFFFF};
#define NBAD (sizeof bad_sizes / sizeof bad_sizes[0])

/* Number of values of a kind; value 0 is always NULL or 0. */
static int nvalues(char kind) {
  switch (kind) {
  case 'h':
    return 6;
  case 'H':
    return 3;
  case 'd':
    return 5;
  case 'n':
    return 4;
  case 's':
  case 'S':
    return 5;
  case 'p':
  case 'P':
    return 1 + (int)NBAD + 1;
  case 'c':
  case 'C':
    return 5;
  case 'o':
  case 'x':
    return 2;
  default:
    return 1;
  }
}

/* Value v of kind for argument position pos; *desc names it. */
static ULONG_PTR value(char kind, int v, int pos, int wide, const char **desc) {
  uint8_t *b = g_buf[pos];
  switch (kind) {
  case 'h': {
    static const ULONG_PTR hs[] = {0, (ULONG_PTR)INVALID_HANDLE_VALUE, 0xDEADBEEF, 1, 0x7FFF0001};
    static const char *names[] = {"NULL", "INVALID_HANDLE_VALUE", "0xDEADBEEF", "1", "0x7FFF0001"};
    if (v < 5) {
      *desc = names[v];
      return hs[v];
    }
    *desc = "heap address";
    return (ULONG_PTR)b;
  }
  case 'H': {
    static const char *names[] = {"NULL", "INVALID_HANDLE_VALUE", "0x1234"};
    static const ULONG_PTR hs[] = {0, (ULONG_PTR)INVALID_HANDLE_VALUE, 0x1234};
    *desc = names[v];
    return hs[v];
  }
  case 'd': {
    static const DWORD ds[] = {0, 1, 0xFFFFFFFF, 0x80000000, 0xDEADBEEF};
    static const char *names[] = {"0", "1", "0xFFFFFFFF", "0x80000000", "0xDEADBEEF"};
    *desc = names[v];
    return ds[v];
  }
  case 'n': {
    static const DWORD ns[] = {0, 1, 3, 0x7FFF};
    static const char *names[] = {"size 0", "size 1", "size 3", "size 0x7FFF"};
    *desc = names[v];
    return ns[v];
  }
  case 's':
  case 'S':
    switch (v) {
    case 0:
      *desc = "NULL string";
      return 0;
    case 1:
      *desc = "empty string";
      memset(b, 0, 8);
      return (ULONG_PTR)b;
    case 2:
      *desc = "70,000-character string";
      return wide ? (ULONG_PTR)g_long_w : (ULONG_PTR)g_long_a;
    case 3:
#ifdef BADINPUT_NO_UNTERMINATED /* diagnosis only: find the other failures first */
      *desc = "empty string";
      memset(b, 0, 8);
      return (ULONG_PTR)b;
#endif
      *desc = "unterminated string at a guard page";
      return wide ? (ULONG_PTR)g_unterm_w : (ULONG_PTR)g_unterm_a;
    default:
      *desc = "string with characters no name may hold";
      if (wide)
        wcscpy((WCHAR *)b, L"a]b[c\r\n=\x01");
      else
        strcpy((char *)b, "a]b[c\r\n=\x01");
      return (ULONG_PTR)b;
    }
  case 'p':
  case 'P':
    if (v == 0) {
      *desc = "NULL structure";
      return 0;
    }
    if (v <= (int)NBAD) {
      static char d[48];
      memset(b, 0, BIG);
      *(DWORD *)b = bad_sizes[v - 1];
      snprintf(d, sizeof d, "structure with dwSize 0x%lX", (unsigned long)bad_sizes[v - 1]);
      *desc = d;
      return (ULONG_PTR)b;
    }
    *desc = "structure ending at a guard page, dwSize 0xFFFFFFFF";
    return (ULONG_PTR)g_tail;
  case 'c':
  case 'C': {
    static const DWORD cs[] = {0, 1, 3, 0x7FFF};
    static char d[40];
    if (v == 0) {
      *desc = "NULL size pointer";
      return 0;
    }
    memset(b, 0, 16);
    *(DWORD *)b = cs[v - 1];
    snprintf(d, sizeof d, "size pointer to %lu", (unsigned long)cs[v - 1]);
    *desc = d;
    return (ULONG_PTR)b;
  }
  case 'o':
  case 'x':
    if (v == 0) {
      *desc = "NULL pointer";
      return 0;
    }
    memset(b, 0, BIG);
    *desc = "zeroed buffer";
    return (ULONG_PTR)b;
  default: /* 'f' */
    *desc = "NULL callback";
    return 0;
  }
}

static int required(char kind) {
  return kind == 'S' || kind == 'p' || kind == 'c' || kind == 'o' || kind == 'H';
}

/* ---- calling ---- */

typedef ULONG_PTR(WINAPI *fn0)(void);
typedef ULONG_PTR(WINAPI *fn1)(ULONG_PTR);
typedef ULONG_PTR(WINAPI *fn2)(ULONG_PTR, ULONG_PTR);
typedef ULONG_PTR(WINAPI *fn3)(ULONG_PTR, ULONG_PTR, ULONG_PTR);
typedef ULONG_PTR(WINAPI *fn4)(ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR);
typedef ULONG_PTR(WINAPI *fn5)(ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR);
typedef ULONG_PTR(WINAPI *fn6)(ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR);
typedef ULONG_PTR(WINAPI *fn7)(ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR,
                               ULONG_PTR);
typedef ULONG_PTR(WINAPI *fn8)(ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR,
                               ULONG_PTR, ULONG_PTR);

/* Calls through a pointer type with exactly nargs pointer-sized arguments, so the
 * x86 stdcall callee pops what it should. */
static DWORD call(FARPROC f, int nargs, const ULONG_PTR *a) {
  void *p = (void *)f;
  switch (nargs) {
  case 0:
    return (DWORD)((fn0)p)();
  case 1:
    return (DWORD)((fn1)p)(a[0]);
  case 2:
    return (DWORD)((fn2)p)(a[0], a[1]);
  case 3:
    return (DWORD)((fn3)p)(a[0], a[1], a[2]);
  case 4:
    return (DWORD)((fn4)p)(a[0], a[1], a[2], a[3]);
  case 5:
    return (DWORD)((fn5)p)(a[0], a[1], a[2], a[3], a[4]);
  case 6:
    return (DWORD)((fn6)p)(a[0], a[1], a[2], a[3], a[4], a[5]);
  case 7:
    return (DWORD)((fn7)p)(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
  default:
    return (DWORD)((fn8)p)(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
  }
}

/* What is being called, for the crash report. */
static char g_current[1024];

static LONG WINAPI on_crash(EXCEPTION_POINTERS *ep) {
  printf("\nOPENRAS-PE-FAIL test_badinput: exception 0x%08lX at %p in %s\n",
         (unsigned long)ep->ExceptionRecord->ExceptionCode, ep->ExceptionRecord->ExceptionAddress,
         g_current);
  fflush(stdout);
  ExitProcess(3);
  return EXCEPTION_EXECUTE_HANDLER;
}

static HMODULE dll(void) {
  HMODULE m = GetModuleHandleA("rasapi32.dll");
  if (!m)
    m = LoadLibraryA("rasapi32.dll");
  assert_non_null(m);
  /* ours, not Wine's builtin stubs */
  assert_non_null(GetProcAddress(m, "OpenRasVersion"));
  return m;
}

static const signature *signature_of(const char *name) {
  size_t n = strlen(name);
  for (size_t i = 0; i < sizeof signatures / sizeof signatures[0]; i++) {
    size_t k = strlen(signatures[i].name);
    if (strcmp(name, signatures[i].name) == 0 ||
        (n == k + 1 && strncmp(name, signatures[i].name, k) == 0 &&
         (name[k] == 'A' || name[k] == 'W')))
      return &signatures[i];
  }
  return NULL;
}

typedef struct tally {
  int calls, failures;
} tally;

/* One call of an implemented export with argument values vals[]. */
static void one_call(const export_info *e, FARPROC f, const char *kinds, const int *vals,
                     tally *t) {
  int nargs = (int)(e->bytes / 4);
  int wide = e->name[strlen(e->name) - 1] == 'W';
  ULONG_PTR a[MAXARGS] = {0};
  const char *desc[MAXARGS] = {0};
  int null_required = 0;
  prepare_page(wide);
  for (int i = 0; i < nargs; i++) {
    a[i] = value(kinds[i], vals[i], i, wide, &desc[i]);
    if (a[i] == 0 && required(kinds[i]))
      null_required = 1;
  }
  int len = snprintf(g_current, sizeof g_current, "%s(", e->name);
  for (int i = 0; i < nargs && len < (int)sizeof g_current - 64; i++)
    len +=
        snprintf(g_current + len, sizeof g_current - (size_t)len, "%s%s", i ? ", " : "", desc[i]);
  snprintf(g_current + len, sizeof g_current - (size_t)len, ")");
  DWORD rc = call(f, nargs, a);
  t->calls++;
  if (null_required && rc == 0) {
    printf("  %s returned 0 with a NULL required argument\n", g_current);
    t->failures++;
  }
  /* A connection that somehow came up is not left behind. */
  if (strncmp(e->name, "RasDial", 7) == 0 && rc == 0 && nargs == 6 && a[5] && *(HRASCONN *)a[5])
    RasHangUpA(*(HRASCONN *)a[5]);
}

/* Every value of every argument with the others at their first non-NULL value,
 * then all arguments NULL, then every row r (argument i at value r). */
static void matrix(const export_info *e, FARPROC f, const char *kinds, tally *t) {
  int nargs = (int)(e->bytes / 4);
  int vals[MAXARGS];
  for (int i = 0; i < nargs; i++)
    vals[i] = nvalues(kinds[i]) > 1 ? 1 : 0;
  for (int i = 0; i < nargs; i++) {
    int keep = vals[i];
    for (int v = 0; v < nvalues(kinds[i]); v++) {
      vals[i] = v;
      one_call(e, f, kinds, vals, t);
    }
    vals[i] = keep;
  }
  int rows = nargs ? 0 : 1; /* no argument: one call */
  for (int i = 0; i < nargs; i++)
    if (nvalues(kinds[i]) > rows)
      rows = nvalues(kinds[i]);
  for (int r = 0; r < rows; r++) {
    for (int i = 0; i < nargs; i++)
      vals[i] = r % nvalues(kinds[i]);
    one_call(e, f, kinds, vals, t);
  }
}

/* ---- tests ---- */

static void exports_are_all_there(void **state) {
  (void)state;
  HMODULE m = dll();
  for (size_t i = 0; i < NEXPORTS; i++)
    if (!GetProcAddress(m, ora_exports[i].name))
      fail_msg("%s is not exported", ora_exports[i].name);
}

/* Stubs: 120 for any arguments, and no byte of any buffer changed. */
static void stubs_return_120_and_touch_nothing(void **state) {
  (void)state;
  SetUnhandledExceptionFilter(on_crash);
  HMODULE m = dll();
  int stubs = 0;
  for (size_t i = 0; i < NEXPORTS; i++) {
    const export_info *e = &ora_exports[i];
    if (!e->stub)
      continue;
    stubs++;
    FARPROC f = GetProcAddress(m, e->name);
    int nargs = (int)(e->bytes / 4);
    for (int pattern = 0; pattern < 4; pattern++) {
      ULONG_PTR a[MAXARGS];
      fill_canary();
      for (int k = 0; k < nargs; k++)
        a[k] = pattern == 0   ? 0
               : pattern == 1 ? (ULONG_PTR)g_buf[k]
               : pattern == 2 ? (ULONG_PTR)INVALID_HANDLE_VALUE
                              : (ULONG_PTR)(g_page + g_pagesz - 4);
      snprintf(g_current, sizeof g_current, "stub %s pattern %d", e->name, pattern);
      SetLastError(0x5EA1);
      DWORD rc = call(f, nargs, a);
      if (rc != ERROR_CALL_NOT_IMPLEMENTED)
        fail_msg("%s returned %lu, not 120", g_current, (unsigned long)rc);
      if (!canary_intact())
        fail_msg("%s wrote into a buffer it was given", g_current);
    }
  }
  printf("stubs: %d exports return 120 and touch nothing\n", stubs);
}

static void matrix_of(int wide_wanted, void **state) {
  (void)state;
  SetUnhandledExceptionFilter(on_crash); /* ours, not cmocka's: it names the call */
  HMODULE m = dll();
  tally t = {0, 0};
  int unsigned_count = 0;
  /* RasSetAutodialEnable is a setter with no pointer: put its state back after. */
  BOOL before[3] = {0};
  static const DWORD locations[3] = {0, 1, 0xFFFFFFFF};
  for (int i = 0; i < 3; i++)
    RasGetAutodialEnableA(locations[i], &before[i]);
  for (size_t i = 0; i < NEXPORTS; i++) {
    const export_info *e = &ora_exports[i];
    if (e->stub)
      continue;
    int wide = e->name[strlen(e->name) - 1] == 'W';
    if (wide != wide_wanted)
      continue;
    FARPROC f = GetProcAddress(m, e->name);
    const signature *s = signature_of(e->name);
    int nargs = (int)(e->bytes / 4);
    if (!s) {
      /* No signature yet: NULL arguments only. */
      ULONG_PTR a[MAXARGS] = {0};
      snprintf(g_current, sizeof g_current, "%s(all NULL)", e->name);
      call(f, nargs, a);
      printf("  note: %s has no signature in test_badinput.c: called with NULLs only\n", e->name);
      unsigned_count++;
      continue;
    }
    if ((int)strlen(s->kinds) != nargs)
      fail_msg("%s: signature \"%s\" has %d arguments, def/exports.txt says %d", e->name, s->kinds,
               (int)strlen(s->kinds), nargs);
    matrix(e, f, s->kinds, &t);
  }
  for (int i = 0; i < 3; i++)
    RasSetAutodialEnableA(locations[i], before[i]);
  printf("matrix (%s): %d calls, %d failures, %d exports without a signature\n",
         wide_wanted ? "W" : "A and neutral", t.calls, t.failures, unsigned_count);
  assert_int_equal(t.failures, 0);
}

static void matrix_ansi(void **state) {
  matrix_of(0, state);
}

static void matrix_wide(void **state) {
  matrix_of(1, state);
}

/* The matrix never passes a valid structure, so functions that check it first never
 * read their strings: RasDial again with valid parameters (an entry that does not
 * exist) and every bad phone-book string, and with a NULL handle pointer. */
static void dial_with_valid_params_and_bad_strings(void **state) {
  (void)state;
  SetUnhandledExceptionFilter(on_crash);
  for (int wide = 0; wide < 2; wide++) {
    for (int v = 1; v < nvalues('s'); v++) {
      const char *desc;
      prepare_page(wide);
      ULONG_PTR pbk = value('s', v, 0, wide, &desc);
      HRASCONN h = NULL;
      DWORD rc;
      snprintf(g_current, sizeof g_current, "RasDial%c(NULL, %s, valid params, 0, NULL, &h)",
               wide ? 'W' : 'A', desc);
      if (wide) {
        RASDIALPARAMSW p;
        memset(&p, 0, sizeof p);
        p.dwSize = sizeof p;
        wcscpy(p.szEntryName, L"No Such Entry (badinput)");
        rc = RasDialW(NULL, (LPCWSTR)pbk, &p, 0, NULL, &h);
        if (v == 1 || v == 3)
          assert_int_equal(RasDialW(NULL, (LPCWSTR)pbk, &p, 0, NULL, NULL) != 0, 1);
      } else {
        RASDIALPARAMSA p;
        memset(&p, 0, sizeof p);
        p.dwSize = sizeof p;
        strcpy(p.szEntryName, "No Such Entry (badinput)");
        rc = RasDialA(NULL, (LPCSTR)pbk, &p, 0, NULL, &h);
        if (v == 1 || v == 3)
          assert_int_equal(RasDialA(NULL, (LPCSTR)pbk, &p, 0, NULL, NULL) != 0, 1);
      }
      if (h)
        RasHangUpA(h);
      if (rc == 0)
        fail_msg("%s connected", g_current);
    }
  }
}

/* The same for garbage handles: with valid structures the handle is what is checked.
 * Every garbage value must be refused (ERROR_INVALID_HANDLE for the documented ones). */
static void garbage_handles_with_valid_structures(void **state) {
  (void)state;
  SetUnhandledExceptionFilter(on_crash);
  HANDLE ev = CreateEventA(NULL, FALSE, FALSE, NULL);
  srand(8);
  for (int v = 0; v < 5 + 16; v++) {
    const char *desc = "random value";
    ULONG_PTR hv =
        v < 5 ? value('h', v, 0, 0, &desc) : ((ULONG_PTR)rand() << 16 | (ULONG_PTR)rand());
    HRASCONN h = (HRASCONN)hv;
    RASCONNSTATUSA sa;
    RASCONNSTATUSW sw;
    RAS_STATS st;
    RASPPPIPA ip;
    DWORD cb = sizeof ip;
    HRASCONN sub = NULL;
    memset(&sa, 0, sizeof sa);
    memset(&sw, 0, sizeof sw);
    memset(&st, 0, sizeof st);
    memset(&ip, 0, sizeof ip);
    sa.dwSize = sizeof sa;
    sw.dwSize = sizeof sw;
    st.dwSize = sizeof st;
    ip.dwSize = sizeof ip;
    struct {
      const char *what;
      DWORD rc;
    } r[9];
    snprintf(g_current, sizeof g_current, "handle functions with valid structures, handle %s",
             desc);
    r[0].what = "RasGetConnectStatusA", r[0].rc = RasGetConnectStatusA(h, &sa);
    r[1].what = "RasGetConnectStatusW", r[1].rc = RasGetConnectStatusW(h, &sw);
    r[2].what = "RasGetConnectionStatistics", r[2].rc = RasGetConnectionStatistics(h, &st);
    r[3].what = "RasGetLinkStatistics", r[3].rc = RasGetLinkStatistics(h, 1, &st);
    r[4].what = "RasGetProjectionInfoA", r[4].rc = RasGetProjectionInfoA(h, RASP_PppIp, &ip, &cb);
    r[5].what = "RasGetSubEntryHandleA", r[5].rc = RasGetSubEntryHandleA(h, 1, &sub);
    r[6].what = "RasClearConnectionStatistics", r[6].rc = RasClearConnectionStatistics(h);
    r[7].what = "RasClearLinkStatistics", r[7].rc = RasClearLinkStatistics(h, 1);
    r[8].what = "RasHangUpA", r[8].rc = RasHangUpA(h);
    for (int i = 0; i < 9; i++)
      if (r[i].rc == 0)
        fail_msg("%s accepted the handle %s (0x%lx)", r[i].what, desc, (unsigned long)hv);
    /* NULL and INVALID_HANDLE_VALUE mean "every connection" here. */
    if (v >= 2) {
      DWORD rc = RasConnectionNotificationA(h, ev, RASCN_Disconnection);
      if (rc == 0)
        fail_msg("RasConnectionNotificationA accepted the handle %s", desc);
    }
  }
  CloseHandle(ev);
}

int main(void) {
  SetUnhandledExceptionFilter(on_crash);
  setup_buffers();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(exports_are_all_there),
      cmocka_unit_test(stubs_return_120_and_touch_nothing),
      cmocka_unit_test(matrix_ansi),
      cmocka_unit_test(matrix_wide),
      cmocka_unit_test(dial_with_valid_params_and_bad_strings),
      cmocka_unit_test(garbage_handles_with_valid_structures),
  };
  ORA_PE_RUN_TESTS("test_badinput", tests);
}
