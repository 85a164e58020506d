/* RasGetSubEntryProperties, RasSetSubEntryProperties and RasDeleteSubEntry (A and W):
 * sizes and size probes, round trips, the links' MEDIA=/DEVICE= blocks in the file,
 * byte-identical updates, deletion, errors, and buffers that end at a no-access page.
 * docs/phonebook-api.md ("Subentries") has the rules tested here. */
#include "entries_util.h"

#include <wchar.h>

/* mingw-w64's x86 import library has no RasDeleteSubEntry (its x64 one has): found at
 * run time, as a program built with it would have to. */
typedef DWORD(WINAPI *delete_sub_a_fn)(LPCSTR, LPCSTR, DWORD);
typedef DWORD(WINAPI *delete_sub_w_fn)(LPCWSTR, LPCWSTR, DWORD);
static delete_sub_a_fn p_delete_sub_a;
static delete_sub_w_fn p_delete_sub_w;
#define RasDeleteSubEntryA p_delete_sub_a
#define RasDeleteSubEntryW p_delete_sub_w

/* Offsets of RASSUBENTRY's alternates: right after the structure. */
typedef struct {
  RASSUBENTRYA s;
  char alt[512];
} suba;
typedef struct {
  RASSUBENTRYW s;
  WCHAR alt[512];
} subw;

/* A multilink entry in Windows' layout (CRLF): three links, comments, an unknown key
 * in a link, alternates in link 2, and entries before and after it. P1 L2 P3 is the
 * whole file; L2 is link 2 with the blank line before each of its blocks. */
#define ML_P1                                                                                      \
  "; written in Windows' layout\r\n"                                                               \
  "[Other]\r\n"                                                                                    \
  "Encoding=1\r\n"                                                                                 \
  "PhoneNumber=999\r\n"                                                                            \
  "\r\n"                                                                                           \
  "[Multi]\r\n"                                                                                    \
  "Encoding=1\r\n"                                                                                 \
  "Type=1\r\n"                                                                                     \
  "DialMode=1\r\n"                                                                                 \
  "; a comment in the general part\r\n"                                                            \
  "SomeUnknownKey=kept\r\n"                                                                        \
  "\r\n"                                                                                           \
  "NETCOMPONENTS=\r\n"                                                                             \
  "ms_msclient=1\r\n"                                                                              \
  "\r\n"                                                                                           \
  "MEDIA=serial\r\n"                                                                               \
  "Port=COM1\r\n"                                                                                  \
  "Device=Modem One\r\n"                                                                           \
  "ConnectBPS=57600\r\n"                                                                           \
  "\r\n"                                                                                           \
  "DEVICE=modem\r\n"                                                                               \
  "PhoneNumber=1001\r\n"                                                                           \
  "AreaCode=\r\n"                                                                                  \
  "CountryCode=1\r\n"                                                                              \
  "CountryID=1\r\n"                                                                                \
  "UseDialingRules=0\r\n"                                                                          \
  "Comment=\r\n"                                                                                   \
  "FriendlyName=\r\n"                                                                              \
  "LastSelectedPhone=0\r\n"                                                                        \
  "PromoteAlternates=0\r\n"                                                                        \
  "TryNextAlternateOnFail=1\r\n"                                                                   \
  "HwFlowControl=1\r\n"
#define ML_L2                                                                                      \
  "\r\n"                                                                                           \
  "MEDIA=serial\r\n"                                                                               \
  "Port=COM2\r\n"                                                                                  \
  "Device=Modem Two\r\n"                                                                           \
  "  ; link two's note\r\n"                                                                        \
  "ConnectBPS=57600\r\n"                                                                           \
  "\r\n"                                                                                           \
  "DEVICE=isdn\r\n"                                                                                \
  "PhoneNumber=2002\r\n"                                                                           \
  "AreaCode=\r\n"                                                                                  \
  "CountryCode=1\r\n"                                                                              \
  "CountryID=1\r\n"                                                                                \
  "UseDialingRules=0\r\n"                                                                          \
  "Comment=\r\n"                                                                                   \
  "FriendlyName=\r\n"                                                                              \
  "LastSelectedPhone=0\r\n"                                                                        \
  "PromoteAlternates=0\r\n"                                                                        \
  "TryNextAlternateOnFail=1\r\n"                                                                   \
  "PhoneNumber=2003\r\n"                                                                           \
  "AreaCode=\r\n"                                                                                  \
  "CountryCode=1\r\n"                                                                              \
  "CountryID=1\r\n"                                                                                \
  "UseDialingRules=0\r\n"                                                                          \
  "Comment=\r\n"                                                                                   \
  "Vendor=x\r\n"
#define ML_P3                                                                                      \
  "\r\n"                                                                                           \
  "MEDIA=rastapi\r\n"                                                                              \
  "Port=VPN2-0\r\n"                                                                                \
  "Device=WAN Miniport (PPTP)\r\n"                                                                 \
  "\r\n"                                                                                           \
  "DEVICE=vpn\r\n"                                                                                 \
  "PhoneNumber=vpn.example.com\r\n"                                                                \
  "AreaCode=\r\n"                                                                                  \
  "CountryCode=0\r\n"                                                                              \
  "CountryID=0\r\n"                                                                                \
  "UseDialingRules=0\r\n"                                                                          \
  "Comment=\r\n"                                                                                   \
  "FriendlyName=\r\n"                                                                              \
  "LastSelectedPhone=0\r\n"                                                                        \
  "PromoteAlternates=0\r\n"                                                                        \
  "TryNextAlternateOnFail=1\r\n"                                                                   \
  "\r\n"                                                                                           \
  "[After]\r\n"                                                                                    \
  "PhoneNumber=777\r\n"                                                                            \
  "\r\n"
static const char multilink[] = ML_P1 ML_L2 ML_P3;

/* ---- helpers ---- */

static void write_text(const char *pbk, const char *text) {
  t_write_file(pbk, text, strlen(text));
}

/* The file's text equals want. */
static void file_is(const char *pbk, const char *want) {
  char *t = t_read_file(pbk, NULL);
  assert_non_null(t);
  assert_string_equal(t, want);
  free(t);
}

/* text with the first `old` replaced by `new` (malloc'd). */
static char *replaced(const char *text, const char *old, const char *new) {
  const char *at = strstr(text, old);
  assert_non_null(at);
  size_t head = (size_t)(at - text), n = strlen(text) - strlen(old) + strlen(new);
  char *out = malloc(n + 1);
  memcpy(out, text, head);
  strcpy(out + head, new);
  strcat(out, at + strlen(old));
  return out;
}

static void new_entry(const char *pbk, const char *name, const char *type, const char *device,
                      const char *number) {
  RASENTRYA e;
  memset(&e, 0, sizeof e);
  e.dwSize = sizeof e;
  strcpy(e.szDeviceType, type);
  strcpy(e.szDeviceName, device);
  strcpy(e.szLocalPhoneNumber, number);
  assert_int_equal(RasSetEntryPropertiesA(pbk, name, &e, sizeof e, NULL, 0), 0);
}

/* The entry's RASENTRY (its alternates, if any, are read and dropped). */
static void get_entry(const char *pbk, const char *name, RASENTRYA *e) {
  struct {
    RASENTRYA e;
    char alt[4096];
  } *b = calloc(1, sizeof *b);
  DWORD cb = sizeof *b;
  b->e.dwSize = sizeof b->e;
  assert_int_equal(RasGetEntryPropertiesA(pbk, name, &b->e, &cb, NULL, NULL), 0);
  *e = b->e;
  free(b);
}

/* Reads subentry k (A) into b; returns the result. */
static DWORD get_a(const char *pbk, const char *name, DWORD k, suba *b) {
  DWORD cb = sizeof *b;
  memset(b, 0xCC, sizeof *b);
  b->s.dwSize = sizeof b->s;
  return RasGetSubEntryPropertiesA(pbk, name, k, &b->s, &cb, NULL, NULL);
}

static DWORD get_w(const WCHAR *pbk, const WCHAR *name, DWORD k, subw *b) {
  DWORD cb = sizeof *b;
  memset(b, 0xCC, sizeof *b);
  b->s.dwSize = sizeof b->s;
  return RasGetSubEntryPropertiesW(pbk, name, k, &b->s, &cb, NULL, NULL);
}

/* A subentry (A) with alternates alts ("a\0b\0", NULL for none); *cb the bytes. */
static void make_a(suba *b, const char *type, const char *device, const char *number,
                   const char *alts, size_t alts_len, DWORD *cb) {
  memset(b, 0, sizeof *b);
  b->s.dwSize = sizeof b->s;
  b->s.dwfFlags = 0x1234; /* unused: ignored */
  strcpy(b->s.szDeviceType, type);
  strcpy(b->s.szDeviceName, device);
  strcpy(b->s.szLocalPhoneNumber, number);
  *cb = sizeof b->s;
  if (alts) {
    b->s.dwAlternateOffset = sizeof b->s;
    memcpy(b->alt, alts, alts_len);
    b->alt[alts_len] = 0; /* the list's final NUL */
    *cb += (DWORD)alts_len + 1;
  }
}

static void make_w(subw *b, const WCHAR *type, const WCHAR *device, const WCHAR *number,
                   const WCHAR *alts, size_t alts_units, DWORD *cb) {
  memset(b, 0, sizeof *b);
  b->s.dwSize = sizeof b->s;
  wcscpy(b->s.szDeviceType, type);
  wcscpy(b->s.szDeviceName, device);
  wcscpy(b->s.szLocalPhoneNumber, number);
  *cb = sizeof b->s;
  if (alts) {
    b->s.dwAlternateOffset = sizeof b->s;
    memcpy(b->alt, alts, alts_units * sizeof(WCHAR));
    b->alt[alts_units] = 0;
    *cb += (DWORD)(alts_units + 1) * sizeof(WCHAR);
  }
}

static void expect_a(const suba *b, const char *type, const char *device, const char *number) {
  assert_int_equal(b->s.dwSize, sizeof b->s);
  assert_int_equal(b->s.dwfFlags, 0);
  assert_string_equal(b->s.szDeviceType, type);
  assert_string_equal(b->s.szDeviceName, device);
  assert_string_equal(b->s.szLocalPhoneNumber, number);
}

static DWORD link_count(const char *pbk, const char *name) {
  RASENTRYA e;
  get_entry(pbk, name, &e);
  return e.dwSubEntries;
}

/* ---- tests ---- */

static void probe_and_sizes(void **state) {
  (void)state;
  char pbk[MAX_PATH];
  WCHAR pbkw[MAX_PATH];
  t_pbk_path("sub-size", pbk, sizeof pbk);
  t_pbk_path_w(pbk, pbkw, MAX_PATH);
  new_entry(pbk, "Probe", "modem", "OpenRAS Simulated Modem", "5551234");
  assert_int_equal(sizeof(RASSUBENTRYA), 288);
  assert_int_equal(sizeof(RASSUBENTRYW), 564);
  /* Size probe: NULL buffer, then a buffer one byte short. */
  DWORD cb = 0, dc = 77;
  assert_int_equal(RasGetSubEntryPropertiesA(pbk, "Probe", 1, NULL, &cb, NULL, &dc),
                   ERROR_BUFFER_TOO_SMALL);
  assert_int_equal(cb, 288);
  assert_int_equal(dc, 0); /* no device configuration is kept */
  cb = 0;
  assert_int_equal(RasGetSubEntryPropertiesW(pbkw, L"Probe", 1, NULL, &cb, NULL, NULL),
                   ERROR_BUFFER_TOO_SMALL);
  assert_int_equal(cb, 564);
  /* NULL buffer and size: the subentry exists. */
  assert_int_equal(RasGetSubEntryPropertiesA(pbk, "Probe", 1, NULL, NULL, NULL, NULL), 0);
  suba b;
  memset(&b, 0xCC, sizeof b);
  b.s.dwSize = sizeof b.s;
  cb = sizeof b.s - 1;
  assert_int_equal(RasGetSubEntryPropertiesA(pbk, "Probe", 1, &b.s, &cb, NULL, NULL),
                   ERROR_BUFFER_TOO_SMALL);
  assert_int_equal(cb, 288);
  assert_int_equal((BYTE)b.s.szDeviceType[0], 0xCC); /* nothing written */
  assert_int_equal(RasGetSubEntryPropertiesA(pbk, "Probe", 1, &b.s, &cb, NULL, &dc), 0);
  assert_int_equal(cb, 288);
  expect_a(&b, "modem", "OpenRAS Simulated Modem", "5551234");
  assert_int_equal(b.s.dwAlternateOffset, 0);
  /* Every other dwSize: 632, for get and set, A and W. */
  const DWORD bad_a[] = {0, 4, 287, 289, 564, 1768, 0xFFFFFFFF};
  for (size_t i = 0; i < ARRAYSIZE(bad_a); i++) {
    b.s.dwSize = bad_a[i];
    cb = sizeof b;
    assert_int_equal(RasGetSubEntryPropertiesA(pbk, "Probe", 1, &b.s, &cb, NULL, NULL),
                     ERROR_INVALID_SIZE);
    assert_int_equal(RasSetSubEntryPropertiesA(pbk, "Probe", 1, &b.s, sizeof b, NULL, 0),
                     ERROR_INVALID_SIZE);
  }
  subw w;
  const DWORD bad_w[] = {0, 288, 563, 565, 3468};
  for (size_t i = 0; i < ARRAYSIZE(bad_w); i++) {
    memset(&w, 0, sizeof w);
    w.s.dwSize = bad_w[i];
    cb = sizeof w;
    assert_int_equal(RasGetSubEntryPropertiesW(pbkw, L"Probe", 1, &w.s, &cb, NULL, NULL),
                     ERROR_INVALID_SIZE);
    assert_int_equal(RasSetSubEntryPropertiesW(pbkw, L"Probe", 1, &w.s, sizeof w, NULL, 0),
                     ERROR_INVALID_SIZE);
  }
  assert_int_equal(get_w(pbkw, L"Probe", 1, &w), 0);
  assert_int_equal(w.s.dwSize, 564);
  assert_true(wcscmp(w.s.szDeviceName, L"OpenRAS Simulated Modem") == 0);
  DeleteFileA(pbk);
}

/* Subentry 1 is what RASENTRY shows; a new entry has one link. */
static void subentry1_is_the_entry(void **state) {
  (void)state;
  char pbk[MAX_PATH];
  t_pbk_path("sub-one", pbk, sizeof pbk);
  new_entry(pbk, "One", "modem", "Communications cable between two computers (COM1)", "42");
  RASENTRYA e;
  get_entry(pbk, "One", &e);
  assert_int_equal(e.dwSubEntries, 1);
  suba b;
  assert_int_equal(get_a(pbk, "One", 1, &b), 0);
  expect_a(&b, e.szDeviceType, e.szDeviceName, e.szLocalPhoneNumber);
  assert_int_equal(get_a(pbk, "One", 2, &b), ERROR_INVALID_PARAMETER);
  /* Changing subentry 1 changes the entry, and its driver follows the device. */
  DWORD cb;
  make_a(&b, "vpn", "OpenRAS PPP over TCP", "127.0.0.1:2323", NULL, 0, &cb);
  assert_int_equal(RasSetSubEntryPropertiesA(pbk, "One", 1, &b.s, cb, NULL, 0), 0);
  get_entry(pbk, "One", &e);
  assert_string_equal(e.szDeviceType, "vpn");
  assert_string_equal(e.szDeviceName, "OpenRAS PPP over TCP");
  assert_string_equal(e.szLocalPhoneNumber, "127.0.0.1:2323");
  assert_int_equal(e.dwSubEntries, 1);
  char *t = t_read_file(pbk, NULL);
  assert_non_null(strstr(t, "\r\nORA_Link=tcp\r\n"));
  free(t);
  DeleteFileA(pbk);
}

/* Appending links 2 (set with W) and 3 (set with A), read back the other way. */
static void append_links(void **state) {
  (void)state;
  char pbk[MAX_PATH];
  WCHAR pbkw[MAX_PATH];
  t_pbk_path("sub-append", pbk, sizeof pbk);
  t_pbk_path_w(pbk, pbkw, MAX_PATH);
  new_entry(pbk, "Multi", "modem", "OpenRAS Simulated Modem", "100");
  subw w;
  DWORD cb;
  make_w(&w, L"isdn", L"ISDN Adapter \x00e9t\x00e9", L"200", NULL, 0, &cb);
  assert_int_equal(RasSetSubEntryPropertiesW(pbkw, L"Multi", 2, &w.s, cb, NULL, 0), 0);
  suba a;
  make_a(&a, "modem", "Hayes-compatible modem (COM2)", "300", NULL, 0, &cb);
  assert_int_equal(RasSetSubEntryPropertiesA(pbk, "Multi", 3, &a.s, cb, NULL, 0), 0);
  assert_int_equal(link_count(pbk, "Multi"), 3);
  /* Read back across A and W (the A name in the ANSI code page, as Windows gives it). */
  char name_a[64];
  WideCharToMultiByte(CP_ACP, 0, L"ISDN Adapter \x00e9t\x00e9", -1, name_a, sizeof name_a, NULL,
                      NULL);
  assert_int_equal(get_a(pbk, "Multi", 2, &a), 0);
  expect_a(&a, "isdn", name_a, "200");
  assert_int_equal(get_w(pbkw, L"Multi", 3, &w), 0);
  assert_true(wcscmp(w.s.szDeviceType, L"modem") == 0);
  assert_true(wcscmp(w.s.szDeviceName, L"Hayes-compatible modem (COM2)") == 0);
  assert_true(wcscmp(w.s.szLocalPhoneNumber, L"300") == 0);
  assert_int_equal(w.s.dwAlternateOffset, 0);
  /* Link 1 and the entry are unchanged. */
  RASENTRYA e;
  get_entry(pbk, "Multi", &e);
  assert_string_equal(e.szDeviceName, "OpenRAS Simulated Modem");
  assert_string_equal(e.szLocalPhoneNumber, "100");
  /* One MEDIA=/DEVICE= pair per link, in order; link 3 is a modem on COM2. */
  char *t = t_read_file(pbk, NULL);
  static const char *const lines[] = {"ORA_Link=sim",
                                      "MEDIA=rastapi",
                                      "Device=OpenRAS Simulated Modem",
                                      "DEVICE=modem",
                                      "PhoneNumber=100",
                                      "MEDIA=rastapi",
                                      "Port=",
                                      "Device=ISDN Adapter \xc3\xa9t\xc3\xa9",
                                      "",
                                      "DEVICE=isdn",
                                      "PhoneNumber=200",
                                      "",
                                      "MEDIA=serial",
                                      "Port=COM2",
                                      "Device=Hayes-compatible modem (COM2)",
                                      "ConnectBPS=115200",
                                      "",
                                      "DEVICE=modem",
                                      "PhoneNumber=300",
                                      "TryNextAlternateOnFail=1",
                                      ""};
  assert_true(t_lines_in_order(t, lines, ARRAYSIZE(lines)));
  assert_int_equal(strstr(t, "ORA_Link=sim") != NULL, 1);
  assert_null(strstr(t, "ORA_Link=modem")); /* links after the first leave the driver */
  free(t);
  /* Only count + 1 adds a link; 0 is no index. */
  assert_int_equal(RasSetSubEntryPropertiesA(pbk, "Multi", 5, &a.s, cb, NULL, 0),
                   ERROR_INVALID_PARAMETER);
  assert_int_equal(RasSetSubEntryPropertiesA(pbk, "Multi", 0, &a.s, cb, NULL, 0),
                   ERROR_INVALID_PARAMETER);
  assert_int_equal(get_a(pbk, "Multi", 4, &a), ERROR_INVALID_PARAMETER);
  assert_int_equal(get_a(pbk, "Multi", 0, &a), ERROR_INVALID_PARAMETER);
  assert_int_equal(link_count(pbk, "Multi"), 3);
  DeleteFileA(pbk);
}

static void alternates(void **state) {
  (void)state;
  char pbk[MAX_PATH];
  WCHAR pbkw[MAX_PATH];
  t_pbk_path("sub-alt", pbk, sizeof pbk);
  t_pbk_path_w(pbk, pbkw, MAX_PATH);
  new_entry(pbk, "Alt", "modem", "OpenRAS Simulated Modem", "100");
  suba a;
  DWORD cb;
  make_a(&a, "modem", "Modem Two", "200", NULL, 0, &cb);
  assert_int_equal(RasSetSubEntryPropertiesA(pbk, "Alt", 2, &a.s, cb, NULL, 0), 0);
  char *before = t_read_file(pbk, NULL);
  /* Two alternates: "211" and "2222", 9 bytes with their NULs, 10 with the list's. */
  static const char alts[] = "211\0002222";
  make_a(&a, "modem", "Modem Two", "200", alts, sizeof alts, &cb);
  assert_int_equal(cb, 288 + 10);
  assert_int_equal(RasSetSubEntryPropertiesA(pbk, "Alt", 2, &a.s, cb, NULL, 0), 0);
  /* The size counts the alternates. */
  DWORD need = 0;
  assert_int_equal(RasGetSubEntryPropertiesA(pbk, "Alt", 2, NULL, &need, NULL, NULL),
                   ERROR_BUFFER_TOO_SMALL);
  assert_int_equal(need, 288 + 10);
  need = 0;
  assert_int_equal(RasGetSubEntryPropertiesW(pbkw, L"Alt", 2, NULL, &need, NULL, NULL),
                   ERROR_BUFFER_TOO_SMALL);
  assert_int_equal(need, 564 + 10 * 2);
  DWORD small = 288;
  a.s.dwSize = sizeof a.s;
  assert_int_equal(RasGetSubEntryPropertiesA(pbk, "Alt", 2, &a.s, &small, NULL, NULL),
                   ERROR_BUFFER_TOO_SMALL);
  assert_int_equal(small, 288 + 10);
  assert_int_equal(get_a(pbk, "Alt", 2, &a), 0);
  expect_a(&a, "modem", "Modem Two", "200");
  assert_int_equal(a.s.dwAlternateOffset, 288);
  assert_memory_equal(a.alt, alts, sizeof alts);
  assert_int_equal(a.alt[sizeof alts], 0);
  subw w;
  assert_int_equal(get_w(pbkw, L"Alt", 2, &w), 0);
  assert_int_equal(w.s.dwAlternateOffset, 564);
  static const WCHAR altw[] = L"211\0002222";
  assert_memory_equal(w.alt, altw, sizeof altw);
  assert_int_equal(w.alt[ARRAYSIZE(altw)], 0);
  /* Stored as Windows keeps alternates: further PhoneNumber groups of the DEVICE block. */
  char *t = t_read_file(pbk, NULL);
  static const char *const lines[] = {
      "DEVICE=modem",    "PhoneNumber=200",   "TryNextAlternateOnFail=1",
      "PhoneNumber=211", "AreaCode=",         "CountryCode=0",
      "CountryID=0",     "UseDialingRules=0", "Comment=",
      "PhoneNumber=2222"};
  assert_true(t_lines_in_order(t, lines, ARRAYSIZE(lines)));
  free(t);
  /* The entry's own alternates (link 1's) are not these. */
  RASENTRYA e;
  get_entry(pbk, "Alt", &e);
  assert_int_equal(e.dwAlternateOffset, 0);
  /* Set with W, without alternates: the file is back as it was. */
  make_w(&w, L"modem", L"Modem Two", L"200", NULL, 0, &cb);
  assert_int_equal(RasSetSubEntryPropertiesW(pbkw, L"Alt", 2, &w.s, cb, NULL, 0), 0);
  file_is(pbk, before);
  free(before);
  DeleteFileA(pbk);
}

/* Updates touch only the lines of what changed; an unchanged write none. */
static void update_in_place(void **state) {
  (void)state;
  char pbk[MAX_PATH];
  WCHAR pbkw[MAX_PATH];
  t_pbk_path("sub-upd", pbk, sizeof pbk);
  t_pbk_path_w(pbk, pbkw, MAX_PATH);
  write_text(pbk, multilink);
  assert_int_equal(link_count(pbk, "Multi"), 3);
  suba a;
  assert_int_equal(get_a(pbk, "Multi", 1, &a), 0);
  expect_a(&a, "modem", "Modem One", "1001");
  assert_int_equal(a.s.dwAlternateOffset, 0);
  assert_int_equal(get_a(pbk, "Multi", 3, &a), 0);
  expect_a(&a, "vpn", "WAN Miniport (PPTP)", "vpn.example.com");
  assert_int_equal(get_a(pbk, "Multi", 2, &a), 0);
  expect_a(&a, "isdn", "Modem Two", "2002");
  assert_int_equal(a.s.dwAlternateOffset, 288);
  assert_memory_equal(a.alt, "2003\0\0", 6);
  /* Writing back what was read changes no byte (A, then each link with W). */
  DWORD cb = 288 + 6;
  assert_int_equal(RasSetSubEntryPropertiesA(pbk, "Multi", 2, &a.s, cb, NULL, 0), 0);
  file_is(pbk, multilink);
  for (DWORD k = 1; k <= 3; k++) {
    subw w;
    assert_int_equal(get_w(pbkw, L"Multi", k, &w), 0);
    assert_int_equal(RasSetSubEntryPropertiesW(pbkw, L"Multi", k, &w.s, sizeof w, NULL, 0), 0);
    file_is(pbk, multilink);
  }
  /* A new number: that line only. */
  strcpy(a.s.szLocalPhoneNumber, "2999");
  assert_int_equal(RasSetSubEntryPropertiesA(pbk, "Multi", 2, &a.s, cb, NULL, 0), 0);
  char *want = replaced(multilink, "PhoneNumber=2002\r\n", "PhoneNumber=2999\r\n");
  file_is(pbk, want);
  /* Another device for link 3: its MEDIA block's Port= and Device= lines only (a device
   * OpenRAS does not know has no port it could name). */
  assert_int_equal(get_a(pbk, "Multi", 3, &a), 0);
  strcpy(a.s.szDeviceName, "WAN Miniport (SSTP)");
  assert_int_equal(RasSetSubEntryPropertiesA(pbk, "Multi", 3, &a.s, sizeof a.s, NULL, 0), 0);
  char *want2 = replaced(want, "Port=VPN2-0\r\nDevice=WAN Miniport (PPTP)\r\n",
                         "Port=\r\nDevice=WAN Miniport (SSTP)\r\n");
  file_is(pbk, want2);
  /* The entry (link 1) did not move. */
  RASENTRYA e;
  get_entry(pbk, "Multi", &e);
  assert_string_equal(e.szDeviceName, "Modem One");
  assert_string_equal(e.szLocalPhoneNumber, "1001");
  assert_int_equal(e.dwSubEntries, 3);
  free(want);
  free(want2);
  DeleteFileA(pbk);
}

static void delete_links(void **state) {
  (void)state;
  char pbk[MAX_PATH];
  WCHAR pbkw[MAX_PATH];
  t_pbk_path("sub-del", pbk, sizeof pbk);
  t_pbk_path_w(pbk, pbkw, MAX_PATH);
  write_text(pbk, multilink);
  /* Out of range: nothing changes. */
  assert_int_equal(RasDeleteSubEntryA(pbk, "Multi", 4), ERROR_INVALID_PARAMETER);
  assert_int_equal(RasDeleteSubEntryA(pbk, "Multi", 0), ERROR_INVALID_PARAMETER);
  file_is(pbk, multilink);
  /* Link 2: its two blocks go, with the blank line before each. */
  assert_int_equal(RasDeleteSubEntryW(pbkw, L"Multi", 2), 0);
  file_is(pbk, ML_P1 ML_P3);
  assert_int_equal(link_count(pbk, "Multi"), 2);
  suba a;
  assert_int_equal(get_a(pbk, "Multi", 2, &a), 0);
  expect_a(&a, "vpn", "WAN Miniport (PPTP)", "vpn.example.com");
  /* Link 1: the VPN link becomes the entry's device and number. */
  assert_int_equal(RasDeleteSubEntryA(pbk, "Multi", 1), 0);
  RASENTRYA e;
  get_entry(pbk, "Multi", &e);
  assert_int_equal(e.dwSubEntries, 1);
  assert_string_equal(e.szDeviceType, "vpn");
  assert_string_equal(e.szDeviceName, "WAN Miniport (PPTP)");
  assert_string_equal(e.szLocalPhoneNumber, "vpn.example.com");
  assert_int_equal(get_a(pbk, "Multi", 1, &a), 0);
  expect_a(&a, "vpn", "WAN Miniport (PPTP)", "vpn.example.com");
  char *t = t_read_file(pbk, NULL);
  assert_null(strstr(t, "Modem One"));
  assert_non_null(strstr(t, "SomeUnknownKey=kept\r\n"));
  assert_non_null(strstr(t, "[After]\r\nPhoneNumber=777\r\n"));
  /* The last link stays: an entry always has one. */
  assert_int_equal(RasDeleteSubEntryA(pbk, "Multi", 1), ERROR_INVALID_PARAMETER);
  file_is(pbk, t);
  free(t);
  DeleteFileA(pbk);
}

/* An entry without a MEDIA= block (created without a device) gets one for link 1
 * before a second link is added, so each DEVICE= block keeps its own. */
static void entry_without_blocks(void **state) {
  (void)state;
  char pbk[MAX_PATH];
  t_pbk_path("sub-bare", pbk, sizeof pbk);
  new_entry(pbk, "Bare", "", "", "100");
  RASENTRYA e;
  get_entry(pbk, "Bare", &e);
  suba a;
  assert_int_equal(get_a(pbk, "Bare", 1, &a), 0);
  expect_a(&a, e.szDeviceType, e.szDeviceName, "100");
  DWORD cb;
  make_a(&a, "modem", "Modem Two", "200", NULL, 0, &cb);
  assert_int_equal(RasSetSubEntryPropertiesA(pbk, "Bare", 2, &a.s, cb, NULL, 0), 0);
  RASENTRYA e2;
  get_entry(pbk, "Bare", &e2);
  assert_int_equal(e2.dwSubEntries, 2);
  assert_string_equal(e2.szDeviceType, e.szDeviceType);
  assert_string_equal(e2.szDeviceName, e.szDeviceName);
  assert_string_equal(e2.szLocalPhoneNumber, "100");
  assert_int_equal(get_a(pbk, "Bare", 2, &a), 0);
  expect_a(&a, "modem", "Modem Two", "200");
  DeleteFileA(pbk);

  /* A hand-written entry: no block at all, the driver and number in the general part.
   * Its one link reads as RASENTRY does, and writing it back changes nothing. */
  static const char text[] = "[Sim]\r\nORA_Link=sim\r\nPhoneNumber=123\r\n\r\n";
  write_text(pbk, text);
  get_entry(pbk, "Sim", &e);
  assert_int_equal(e.dwSubEntries, 1);
  assert_int_equal(get_a(pbk, "Sim", 1, &a), 0);
  expect_a(&a, e.szDeviceType, e.szDeviceName, "123");
  assert_string_equal(a.s.szDeviceName, "OpenRAS Simulated Modem");
  assert_int_equal(RasSetSubEntryPropertiesA(pbk, "Sim", 1, &a.s, sizeof a.s, NULL, 0), 0);
  file_is(pbk, text);
  assert_int_equal(RasDeleteSubEntryA(pbk, "Sim", 1), ERROR_INVALID_PARAMETER);
  /* A second link: link 1 is written out first, and still reads the same. */
  make_a(&a, "modem", "Modem Two", "200", NULL, 0, &cb);
  assert_int_equal(RasSetSubEntryPropertiesA(pbk, "Sim", 2, &a.s, cb, NULL, 0), 0);
  get_entry(pbk, "Sim", &e2);
  assert_int_equal(e2.dwSubEntries, 2);
  assert_string_equal(e2.szDeviceName, "OpenRAS Simulated Modem");
  assert_string_equal(e2.szLocalPhoneNumber, "123");
  assert_int_equal(get_a(pbk, "Sim", 1, &a), 0);
  expect_a(&a, "modem", "OpenRAS Simulated Modem", "123");
  assert_int_equal(get_a(pbk, "Sim", 2, &a), 0);
  expect_a(&a, "modem", "Modem Two", "200");
  DeleteFileA(pbk);
}

static void errors(void **state) {
  (void)state;
  char pbk[MAX_PATH], missing[MAX_PATH];
  WCHAR pbkw[MAX_PATH], missingw[MAX_PATH];
  t_pbk_path("sub-err", pbk, sizeof pbk);
  t_pbk_path("sub-missing", missing, sizeof missing);
  t_pbk_path_w(pbk, pbkw, MAX_PATH);
  t_pbk_path_w(missing, missingw, MAX_PATH);
  new_entry(pbk, "Here", "modem", "OpenRAS Simulated Modem", "1");
  char *before = t_read_file(pbk, NULL);
  suba a;
  subw w;
  DWORD cb;
  make_a(&a, "modem", "Modem Two", "2", NULL, 0, &cb);
  make_w(&w, L"modem", L"Modem Two", L"2", NULL, 0, &cb);
  /* Missing entry: 623. */
  assert_int_equal(get_a(pbk, "Nowhere", 1, &a), ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
  assert_int_equal(get_w(pbkw, L"Nowhere", 1, &w), ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
  make_a(&a, "modem", "Modem Two", "2", NULL, 0, &cb);
  make_w(&w, L"modem", L"Modem Two", L"2", NULL, 0, &cb);
  assert_int_equal(RasSetSubEntryPropertiesA(pbk, "Nowhere", 1, &a.s, sizeof a.s, NULL, 0),
                   ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
  assert_int_equal(RasSetSubEntryPropertiesW(pbkw, L"Nowhere", 2, &w.s, sizeof w.s, NULL, 0),
                   ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
  assert_int_equal(RasDeleteSubEntryA(pbk, "Nowhere", 1), ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
  assert_int_equal(RasDeleteSubEntryW(pbkw, L"Nowhere", 1), ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
  /* Missing named phone book: 621, and none is created. */
  assert_int_equal(get_a(missing, "Here", 1, &a), ERROR_CANNOT_OPEN_PHONEBOOK);
  make_a(&a, "modem", "Modem Two", "2", NULL, 0, &cb);
  assert_int_equal(RasSetSubEntryPropertiesA(missing, "Here", 1, &a.s, sizeof a.s, NULL, 0),
                   ERROR_CANNOT_OPEN_PHONEBOOK);
  assert_int_equal(RasSetSubEntryPropertiesW(missingw, L"Here", 1, &w.s, sizeof w.s, NULL, 0),
                   ERROR_CANNOT_OPEN_PHONEBOOK);
  assert_int_equal(RasDeleteSubEntryA(missing, "Here", 1), ERROR_CANNOT_OPEN_PHONEBOOK);
  assert_int_equal(GetFileAttributesA(missing), INVALID_FILE_ATTRIBUTES);
  /* Malformed phone book: 622, and it is not rewritten. */
  char bad[MAX_PATH];
  t_pbk_path("sub-bad", bad, sizeof bad);
  write_text(bad, "Key=before any entry\r\n[Here]\r\n");
  assert_int_equal(get_a(bad, "Here", 1, &a), ERROR_CANNOT_LOAD_PHONEBOOK);
  make_a(&a, "modem", "Modem Two", "2", NULL, 0, &cb);
  assert_int_equal(RasSetSubEntryPropertiesA(bad, "Here", 2, &a.s, sizeof a.s, NULL, 0),
                   ERROR_CANNOT_LOAD_PHONEBOOK);
  assert_int_equal(RasDeleteSubEntryA(bad, "Here", 1), ERROR_CANNOT_LOAD_PHONEBOOK);
  file_is(bad, "Key=before any entry\r\n[Here]\r\n");
  DeleteFileA(bad);
  /* NULL arguments. */
  DWORD n = sizeof a;
  assert_int_equal(RasGetSubEntryPropertiesA(pbk, NULL, 1, &a.s, &n, NULL, NULL),
                   ERROR_INVALID_PARAMETER);
  a.s.dwSize = sizeof a.s;
  assert_int_equal(RasGetSubEntryPropertiesA(pbk, "Here", 1, &a.s, NULL, NULL, NULL),
                   ERROR_INVALID_PARAMETER);
  assert_int_equal(RasSetSubEntryPropertiesA(pbk, "Here", 1, NULL, sizeof a.s, NULL, 0),
                   ERROR_INVALID_PARAMETER);
  assert_int_equal(RasSetSubEntryPropertiesA(pbk, NULL, 1, &a.s, sizeof a.s, NULL, 0),
                   ERROR_INVALID_PARAMETER);
  assert_int_equal(RasSetSubEntryPropertiesW(pbkw, NULL, 1, &w.s, sizeof w.s, NULL, 0),
                   ERROR_INVALID_PARAMETER);
  assert_int_equal(RasDeleteSubEntryA(pbk, NULL, 1), ERROR_INVALID_PARAMETER);
  assert_int_equal(RasDeleteSubEntryW(pbkw, NULL, 1), ERROR_INVALID_PARAMETER);
  /* A buffer size below dwSize, and alternates outside the buffer. */
  make_a(&a, "modem", "Modem Two", "2", NULL, 0, &cb);
  assert_int_equal(RasSetSubEntryPropertiesA(pbk, "Here", 2, &a.s, sizeof a.s - 1, NULL, 0),
                   ERROR_INVALID_PARAMETER);
  a.s.dwAlternateOffset = sizeof a;
  assert_int_equal(RasSetSubEntryPropertiesA(pbk, "Here", 2, &a.s, sizeof a, NULL, 0),
                   ERROR_INVALID_PARAMETER);
  a.s.dwAlternateOffset = 8; /* inside the structure */
  assert_int_equal(RasSetSubEntryPropertiesA(pbk, "Here", 2, &a.s, sizeof a, NULL, 0),
                   ERROR_INVALID_PARAMETER);
  make_w(&w, L"modem", L"Modem Two", L"2", L"9", 1, &cb);
  w.s.dwAlternateOffset = 565; /* not on a character */
  assert_int_equal(RasSetSubEntryPropertiesW(pbkw, L"Here", 2, &w.s, cb, NULL, 0),
                   ERROR_INVALID_PARAMETER);
  /* A value the file cannot hold: refused, and nothing written. */
  make_a(&a, "modem", "Modem\rTwo", "2", NULL, 0, &cb);
  assert_int_equal(RasSetSubEntryPropertiesA(pbk, "Here", 2, &a.s, cb, NULL, 0),
                   ERROR_INVALID_PARAMETER);
  file_is(pbk, before);
  free(before);
  DeleteFileA(pbk);
}

/* Structures that end exactly at a no-access page: nothing is read or written past
 * dwSize (or past the alternates the caller said are there). */
static void guard_pages(void **state) {
  (void)state;
  char pbk[MAX_PATH];
  WCHAR pbkw[MAX_PATH];
  t_pbk_path("sub-guard", pbk, sizeof pbk);
  t_pbk_path_w(pbk, pbkw, MAX_PATH);
  new_entry(pbk, "Guard", "modem", "OpenRAS Simulated Modem", "1");
  /* Set: a bare structure, then one whose alternate list runs to the page unended. */
  t_guard g;
  RASSUBENTRYA *a = t_guard_alloc(&g, sizeof *a, 0);
  a->dwSize = sizeof *a;
  strcpy(a->szDeviceType, "modem");
  strcpy(a->szDeviceName, "Modem Two");
  strcpy(a->szLocalPhoneNumber, "2");
  assert_int_equal(RasSetSubEntryPropertiesA(pbk, "Guard", 2, a, sizeof *a, NULL, 0), 0);
  t_guard_free(&g);
  BYTE *p = t_guard_alloc(&g, sizeof(RASSUBENTRYA) + 3, 0);
  a = (RASSUBENTRYA *)p;
  a->dwSize = sizeof *a;
  strcpy(a->szDeviceType, "modem");
  strcpy(a->szDeviceName, "Modem Two");
  strcpy(a->szLocalPhoneNumber, "2");
  a->dwAlternateOffset = sizeof *a;
  memcpy(p + sizeof *a, "555", 3); /* no NUL before the page */
  assert_int_equal(RasSetSubEntryPropertiesA(pbk, "Guard", 2, a, sizeof *a + 3, NULL, 0), 0);
  t_guard_free(&g);
  /* Get: room for the structure only, while link 2 has an alternate: 603, nothing
   * written; link 1 (no alternates) fits exactly. */
  a = t_guard_alloc(&g, sizeof *a, 0x5A);
  a->dwSize = sizeof *a;
  DWORD cb = sizeof *a;
  assert_int_equal(RasGetSubEntryPropertiesA(pbk, "Guard", 2, a, &cb, NULL, NULL),
                   ERROR_BUFFER_TOO_SMALL);
  assert_int_equal(cb, sizeof *a + 4 + 1);
  for (size_t i = sizeof(DWORD); i < sizeof *a; i++)
    assert_int_equal(((BYTE *)a)[i], 0x5A);
  cb = sizeof *a;
  assert_int_equal(RasGetSubEntryPropertiesA(pbk, "Guard", 1, a, &cb, NULL, NULL), 0);
  assert_string_equal(a->szLocalPhoneNumber, "1");
  t_guard_free(&g);
  /* The alternate read back, with exactly the room it needs. */
  p = t_guard_alloc(&g, sizeof *a + 5, 0);
  a = (RASSUBENTRYA *)p;
  a->dwSize = sizeof *a;
  cb = sizeof *a + 5;
  assert_int_equal(RasGetSubEntryPropertiesA(pbk, "Guard", 2, a, &cb, NULL, NULL), 0);
  assert_int_equal(a->dwAlternateOffset, sizeof *a);
  assert_memory_equal(p + sizeof *a, "555\0\0", 5);
  t_guard_free(&g);
  /* W: the same for a bare structure. */
  RASSUBENTRYW *w = t_guard_alloc(&g, sizeof *w, 0);
  w->dwSize = sizeof *w;
  cb = sizeof *w;
  assert_int_equal(RasGetSubEntryPropertiesW(pbkw, L"Guard", 1, w, &cb, NULL, NULL), 0);
  assert_true(wcscmp(w->szLocalPhoneNumber, L"1") == 0);
  w->dwAlternateOffset = 0;
  assert_int_equal(RasSetSubEntryPropertiesW(pbkw, L"Guard", 3, w, sizeof *w, NULL, 0), 0);
  t_guard_free(&g);
  /* Only dwSize is read from a structure of the wrong size. */
  BYTE *tail = t_guard_alloc(&g, sizeof(DWORD), 0);
  *(DWORD *)(void *)tail = 0xFFFFFFFF;
  cb = 0x7FFF;
  assert_int_equal(
      RasGetSubEntryPropertiesA(pbk, "Guard", 1, (RASSUBENTRYA *)tail, &cb, NULL, NULL),
      ERROR_INVALID_SIZE);
  assert_int_equal(
      RasSetSubEntryPropertiesW(pbkw, L"Guard", 1, (RASSUBENTRYW *)tail, 0x7FFF, NULL, 0),
      ERROR_INVALID_SIZE);
  t_guard_free(&g);
  assert_int_equal(link_count(pbk, "Guard"), 3);
  DeleteFileA(pbk);
}

/* Windows' own phone book (tests/data/pbk/windows10.pbk; it holds no multilink entry):
 * each entry's link reads as RASENTRY does, and a link added then deleted leaves the
 * file byte for byte. */
static void windows_phone_book(void **state) {
  (void)state;
  char data[MAX_PATH], src[MAX_PATH], pbk[MAX_PATH];
  if (!GetEnvironmentVariableA("ORA_TEST_DATA", data, sizeof data))
    fail_msg("ORA_TEST_DATA is not set");
  snprintf(src, sizeof src, "Z:%s/pbk/windows10.pbk", data);
  for (char *q = src; *q; q++)
    if (*q == '/')
      *q = '\\';
  size_t len = 0;
  char *orig = t_read_file(src, &len);
  assert_non_null(orig);
  t_pbk_path("sub-win", pbk, sizeof pbk);
  t_write_file(pbk, orig, len);
  suba a;
  RASENTRYA e;
  static const char *const names[] = {"Dial-up ISP", "Contoso VPN"};
  for (size_t i = 0; i < 2; i++) {
    get_entry(pbk, names[i], &e);
    assert_int_equal(e.dwSubEntries, 1);
    assert_int_equal(get_a(pbk, names[i], 1, &a), 0);
    expect_a(&a, e.szDeviceType, e.szDeviceName, e.szLocalPhoneNumber);
    assert_int_equal(get_a(pbk, names[i], 2, &a), ERROR_INVALID_PARAMETER);
  }
  assert_int_equal(get_a(pbk, "Dial-up ISP", 1, &a), 0);
  expect_a(&a, "modem", "Standard 56000 bps Modem", "5551234");
  assert_int_equal(a.s.dwAlternateOffset, 288);
  assert_memory_equal(a.alt, "5559876\0\0", 9);
  /* Unchanged write, then add and delete a link: the same bytes. */
  assert_int_equal(RasSetSubEntryPropertiesA(pbk, "Dial-up ISP", 1, &a.s, sizeof a, NULL, 0), 0);
  char *now = t_read_file(pbk, NULL);
  assert_memory_equal(now, orig, len);
  free(now);
  DWORD cb;
  make_a(&a, "modem", "Standard 56000 bps Modem #2", "5550000", "5550001\0", 8, &cb);
  assert_int_equal(RasSetSubEntryPropertiesA(pbk, "Dial-up ISP", 2, &a.s, cb, NULL, 0), 0);
  assert_int_equal(link_count(pbk, "Dial-up ISP"), 2);
  assert_int_equal(link_count(pbk, "Contoso VPN"), 1);
  assert_int_equal(get_a(pbk, "Dial-up ISP", 2, &a), 0);
  expect_a(&a, "modem", "Standard 56000 bps Modem #2", "5550000");
  assert_memory_equal(a.alt, "5550001\0\0", 9);
  assert_int_equal(RasDeleteSubEntryA(pbk, "Dial-up ISP", 2), 0);
  size_t nlen = 0;
  now = t_read_file(pbk, &nlen);
  assert_int_equal(nlen, len);
  assert_memory_equal(now, orig, len);
  free(now);
  free(orig);
  DeleteFileA(pbk);
}

int main(void) {
  HMODULE ras = GetModuleHandleA("rasapi32.dll");
  p_delete_sub_a = (delete_sub_a_fn)(void (*)(void))GetProcAddress(ras, "RasDeleteSubEntryA");
  p_delete_sub_w = (delete_sub_w_fn)(void (*)(void))GetProcAddress(ras, "RasDeleteSubEntryW");
  if (!p_delete_sub_a || !p_delete_sub_w) {
    printf("OPENRAS-PE-FAIL test_subentries: RasDeleteSubEntryA/W not exported\n");
    return 1;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(probe_and_sizes),      cmocka_unit_test(subentry1_is_the_entry),
      cmocka_unit_test(append_links),         cmocka_unit_test(alternates),
      cmocka_unit_test(update_in_place),      cmocka_unit_test(delete_links),
      cmocka_unit_test(entry_without_blocks), cmocka_unit_test(errors),
      cmocka_unit_test(guard_pages),          cmocka_unit_test(windows_phone_book),
  };
  ORA_PE_RUN_TESTS("test_subentries", tests);
}
