/* RasGetCustomAuthData / RasSetCustomAuthData and RasGetEapUserData / RasSetEapUserData
 * (A and W): round trips of binary data, size probes, clearing, the ORA_CustomAuthData=
 * lines in the phone book (every other byte kept), EAP data only in the registry and only
 * encrypted, isolation between entries and phone books, rename and delete, tokens, and
 * errors. docs/phonebook-api.md ("Authentication data") has the rules tested here. */
#include "entries_util.h"

#include <wchar.h>

#define MAXDATA (64 * 1024) /* authdata.c: AUTHDATA_MAX */
#define EAP_ROOT L"Software\\OpenRAS\\EapUserData"

/* A phone book in Windows' layout (CRLF): a comment, unknown keys, Windows' own
 * CustomAuthData=, MEDIA=/DEVICE= blocks, and two entries. ORA_CustomAuthData= goes
 * after the general part's last line (AuthRestrictions=128). */
#define PB_HEAD                                                                                    \
  "; a comment before the entries\r\n"                                                             \
  "[Work]\r\n"                                                                                     \
  "Encoding=1\r\n"                                                                                 \
  "Type=2\r\n"                                                                                     \
  "SomeUnknownKey=kept\r\n"                                                                        \
  "CustomAuthKey=26\r\n"                                                                           \
  "CustomAuthData=314442430100000000000000\r\n"                                                    \
  "AuthRestrictions=128\r\n"
#define PB_TAIL                                                                                    \
  "\r\n"                                                                                           \
  "NETCOMPONENTS=\r\n"                                                                             \
  "ms_msclient=1\r\n"                                                                              \
  "\r\n"                                                                                           \
  "MEDIA=rastapi\r\n"                                                                              \
  "Port=VPN2-0\r\n"                                                                                \
  "Device=WAN Miniport (IKEv2)\r\n"                                                                \
  "\r\n"                                                                                           \
  "DEVICE=vpn\r\n"                                                                                 \
  "PhoneNumber=vpn.example.com\r\n"                                                                \
  "\r\n"                                                                                           \
  "[Home]\r\n"                                                                                     \
  "ORA_Link=sim\r\n"                                                                               \
  "\r\n"
static const char pb_text[] = PB_HEAD PB_TAIL;

/* Binary test data: zeros, 0xFF, every byte value. */
static void pattern(BYTE *p, size_t n, unsigned seed) {
  for (size_t i = 0; i < n; i++)
    p[i] = (BYTE)(i % 7 == 0 ? 0 : i % 11 == 0 ? 0xFF : (i * 31 + seed) & 0xFF);
}

static void make_pbk(char *pbk, WCHAR *pbkw, const char *tag) {
  t_pbk_path(tag, pbk, MAX_PATH);
  t_pbk_path_w(pbk, pbkw, MAX_PATH);
  t_write_file(pbk, pb_text, sizeof pb_text - 1);
}

/* The file's bytes equal want[len]. */
static void file_is(const char *pbk, const char *want, size_t len) {
  size_t n = 0;
  char *t = t_read_file(pbk, &n);
  assert_non_null(t);
  assert_int_equal(n, len);
  assert_memory_equal(t, want, len);
  free(t);
}

/* Upper-case hex of data (malloc'd). */
static char *hex_of(const BYTE *p, size_t n) {
  char *h = malloc(2 * n + 1);
  for (size_t i = 0; i < n; i++)
    sprintf(h + 2 * i, "%02X", p[i]);
  h[2 * n] = 0;
  return h;
}

/* Does any value under root\path (subkeys included) hold these bytes? */
static int registry_holds(HKEY root, const WCHAR *path, const void *needle, size_t n) {
  HKEY k;
  if (RegOpenKeyExW(root, path, 0, KEY_READ, &k) != ERROR_SUCCESS)
    return 0;
  int found = 0;
  DWORD cap = 4 * MAXDATA;
  BYTE *data = malloc(cap);
  WCHAR name[512];
  for (DWORD i = 0; !found; i++) {
    DWORD nl = ARRAYSIZE(name), dl = cap, type;
    if (RegEnumValueW(k, i, name, &nl, NULL, &type, data, &dl) != ERROR_SUCCESS)
      break;
    for (size_t j = 0; j + n <= dl && !found; j++)
      found = memcmp(data + j, needle, n) == 0;
  }
  free(data);
  for (DWORD i = 0; !found; i++) {
    DWORD nl = ARRAYSIZE(name);
    if (RegEnumKeyExW(k, i, name, &nl, NULL, NULL, NULL, NULL) != ERROR_SUCCESS)
      break;
    WCHAR sub[1024];
    swprintf(sub, ARRAYSIZE(sub), L"%ls\\%ls", path, name);
    found = registry_holds(root, sub, needle, n);
  }
  RegCloseKey(k);
  return found;
}

/* The sizes of the EAP "Data" values under EapUserData that name this entry. */
static DWORD eap_value_size(const char *pbk, const char *entry) {
  HKEY k;
  DWORD size = 0;
  if (RegOpenKeyExW(HKEY_CURRENT_USER, EAP_ROOT, 0, KEY_READ, &k) != ERROR_SUCCESS)
    return 0;
  char full[MAX_PATH];
  GetFullPathNameA(pbk, sizeof full, full, NULL);
  CharLowerA(full);
  WCHAR name[64];
  for (DWORD i = 0;; i++) {
    DWORD nl = ARRAYSIZE(name);
    if (RegEnumKeyExW(k, i, name, &nl, NULL, NULL, NULL, NULL) != ERROR_SUCCESS)
      break;
    HKEY s;
    if (RegOpenKeyExW(k, name, 0, KEY_READ, &s) != ERROR_SUCCESS)
      continue;
    char p[MAX_PATH * 3] = "", e[1024] = "";
    DWORD cb = sizeof p, type, data = 0;
    RegQueryValueExA(s, "Phonebook", NULL, &type, (BYTE *)p, &cb);
    cb = sizeof e;
    RegQueryValueExA(s, "Entry", NULL, &type, (BYTE *)e, &cb);
    if (_stricmp(p, full) == 0 && _stricmp(e, entry) == 0 &&
        RegQueryValueExA(s, "Data", NULL, &type, NULL, &data) == ERROR_SUCCESS &&
        type == REG_BINARY)
      size += data;
    RegCloseKey(s);
  }
  RegCloseKey(k);
  return size;
}

static DWORD cad_size(const char *pbk, const char *entry) {
  DWORD cb = 0;
  DWORD rc = RasGetCustomAuthDataA(pbk, entry, NULL, &cb);
  assert_int_equal(rc, cb ? ERROR_BUFFER_TOO_SMALL : 0);
  return cb;
}

/* Size of the data (0 when none); asserts the probe's answer. */
static DWORD eap_size(const char *pbk, const char *entry) {
  DWORD cb = 0;
  DWORD rc = RasGetEapUserDataA(NULL, pbk, entry, NULL, &cb);
  assert_int_equal(rc, cb ? ERROR_BUFFER_TOO_SMALL : 0);
  return cb;
}

/* ---- custom auth data ---- */

static void custom_round_trip(void **state) {
  (void)state;
  char pbk[MAX_PATH];
  WCHAR pbkw[MAX_PATH];
  make_pbk(pbk, pbkw, "cad");
  BYTE data[300], buf[400];
  pattern(data, sizeof data, 1);
  data[0] = 0;
  data[sizeof data - 1] = 0xFF;
  /* Nothing stored: success with 0, whatever the buffer. */
  DWORD cb = sizeof buf;
  memset(buf, 0xCC, sizeof buf);
  assert_int_equal(RasGetCustomAuthDataA(pbk, "Work", buf, &cb), 0);
  assert_int_equal(cb, 0);
  assert_int_equal(buf[0], 0xCC);
  cb = 0;
  assert_int_equal(RasGetCustomAuthDataW(pbkw, L"Work", NULL, &cb), 0);
  assert_int_equal(cb, 0);
  /* Set with W, get with A. */
  assert_int_equal(RasSetCustomAuthDataW(pbkw, L"Work", data, sizeof data), 0);
  cb = 0;
  assert_int_equal(RasGetCustomAuthDataA(pbk, "Work", NULL, &cb), ERROR_BUFFER_TOO_SMALL);
  assert_int_equal(cb, sizeof data);
  cb = sizeof data - 1; /* one byte short: nothing written */
  memset(buf, 0xCC, sizeof buf);
  assert_int_equal(RasGetCustomAuthDataA(pbk, "Work", buf, &cb), ERROR_BUFFER_TOO_SMALL);
  assert_int_equal(cb, sizeof data);
  for (size_t i = 0; i < sizeof buf; i++)
    assert_int_equal(buf[i], 0xCC);
  cb = sizeof buf;
  assert_int_equal(RasGetCustomAuthDataA(pbk, "work", buf, &cb), 0); /* any case */
  assert_int_equal(cb, sizeof data);
  assert_memory_equal(buf, data, sizeof data);
  assert_int_equal(buf[sizeof data], 0xCC); /* nothing past the data */
  /* Set with A, get with W, into an exact buffer ending at a no-access page. */
  pattern(data, 17, 9);
  assert_int_equal(RasSetCustomAuthDataA(pbk, "Work", data, 17), 0);
  t_guard g;
  BYTE *p = t_guard_alloc(&g, 17, 0xCC);
  cb = 17;
  assert_int_equal(RasGetCustomAuthDataW(pbkw, L"Work", p, &cb), 0);
  assert_int_equal(cb, 17);
  assert_memory_equal(p, data, 17);
  t_guard_free(&g);
  /* Clear with NULL/0 and with a buffer and 0. */
  assert_int_equal(RasSetCustomAuthDataA(pbk, "Work", NULL, 0), 0);
  assert_int_equal(cad_size(pbk, "Work"), 0);
  assert_int_equal(RasSetCustomAuthDataA(pbk, "Work", data, 17), 0);
  assert_int_equal(RasSetCustomAuthDataW(pbkw, L"Work", data, 0), 0);
  assert_int_equal(cad_size(pbk, "Work"), 0);
  file_is(pbk, pb_text, sizeof pb_text - 1);
  DeleteFileA(pbk);
}

/* The phone book changes by the one key, and only when the data does. */
static void custom_in_the_file(void **state) {
  (void)state;
  char pbk[MAX_PATH];
  WCHAR pbkw[MAX_PATH];
  make_pbk(pbk, pbkw, "cadfile");
  BYTE data[40];
  pattern(data, sizeof data, 3);
  data[1] = 0;
  data[2] = 0xFF;
  char *hex = hex_of(data, sizeof data);
  char *want = malloc(sizeof pb_text + 2 * sizeof data + 64);
  sprintf(want, "%sORA_CustomAuthData=%s\r\n%s", PB_HEAD, hex, PB_TAIL);
  assert_int_equal(RasSetCustomAuthDataA(pbk, "Work", data, sizeof data), 0);
  file_is(pbk, want, strlen(want));
  /* The same data again: the same bytes (and the same file time). */
  WIN32_FILE_ATTRIBUTE_DATA before, after;
  assert_true(GetFileAttributesExA(pbk, GetFileExInfoStandard, &before));
  Sleep(20);
  assert_int_equal(RasSetCustomAuthDataW(pbkw, L"WORK", data, sizeof data), 0);
  file_is(pbk, want, strlen(want));
  assert_true(GetFileAttributesExA(pbk, GetFileExInfoStandard, &after));
  assert_memory_equal(&before.ftLastWriteTime, &after.ftLastWriteTime, sizeof(FILETIME));
  /* Other data: the line changes in place. */
  data[5] ^= 0x5A;
  free(hex);
  hex = hex_of(data, sizeof data);
  sprintf(want, "%sORA_CustomAuthData=%s\r\n%s", PB_HEAD, hex, PB_TAIL);
  assert_int_equal(RasSetCustomAuthDataA(pbk, "Work", data, sizeof data), 0);
  file_is(pbk, want, strlen(want));
  /* The other entry and Windows' CustomAuthData= are untouched; the EAP data is separate. */
  assert_int_equal(cad_size(pbk, "Home"), 0);
  assert_int_equal(eap_size(pbk, "Work"), 0);
  /* Lower-case hex written by hand reads back; clearing gives back the original bytes. */
  const char *lower = PB_HEAD "ora_customauthdata=00ff7a\r\n" PB_TAIL;
  t_write_file(pbk, lower, strlen(lower));
  BYTE buf[8];
  DWORD cb = sizeof buf;
  assert_int_equal(RasGetCustomAuthDataA(pbk, "Work", buf, &cb), 0);
  assert_int_equal(cb, 3);
  assert_memory_equal(buf, "\x00\xff\x7a", 3);
  assert_int_equal(RasSetCustomAuthDataA(pbk, "Work", (BYTE *)"\x00\xff\x7a", 3), 0);
  file_is(pbk, lower, strlen(lower)); /* the same data: not rewritten in upper case */
  assert_int_equal(RasSetCustomAuthDataA(pbk, "Work", NULL, 0), 0);
  file_is(pbk, pb_text, sizeof pb_text - 1);
  /* A value that is not hex reads as no data and is replaced by the next write. */
  const char *bad = PB_HEAD "ORA_CustomAuthData=xyz\r\n" PB_TAIL;
  t_write_file(pbk, bad, strlen(bad));
  assert_int_equal(cad_size(pbk, "Work"), 0);
  assert_int_equal(RasSetCustomAuthDataA(pbk, "Work", NULL, 0), 0);
  file_is(pbk, pb_text, sizeof pb_text - 1);
  free(hex);
  free(want);
  DeleteFileA(pbk);
}

/* The largest data (several lines), one byte more, and a shrink back to one line. */
static void custom_large(void **state) {
  (void)state;
  char pbk[MAX_PATH];
  WCHAR pbkw[MAX_PATH];
  make_pbk(pbk, pbkw, "cadbig");
  BYTE *data = malloc(MAXDATA + 1), *buf = malloc(MAXDATA + 16);
  pattern(data, MAXDATA + 1, 5);
  assert_int_equal(RasSetCustomAuthDataA(pbk, "Work", data, MAXDATA + 1), ERROR_INVALID_PARAMETER);
  file_is(pbk, pb_text, sizeof pb_text - 1);
  assert_int_equal(RasSetCustomAuthDataW(pbkw, L"Work", data, 0xFFFFFFFF), ERROR_INVALID_PARAMETER);
  assert_int_equal(RasSetCustomAuthDataW(pbkw, L"Work", data, MAXDATA), 0);
  DWORD cb = MAXDATA + 16;
  assert_int_equal(RasGetCustomAuthDataW(pbkw, L"Work", buf, &cb), 0);
  assert_int_equal(cb, MAXDATA);
  assert_memory_equal(buf, data, MAXDATA);
  char *t = t_read_file(pbk, NULL);
  size_t lines = 0;
  for (char *p = t; (p = strstr(p, "\nORA_CustomAuthData=")) != NULL; p++)
    lines++;
  assert_true(lines > 1);
  free(t);
  /* Shrinking removes the extra lines: one line left. */
  assert_int_equal(RasSetCustomAuthDataA(pbk, "Work", data, 3), 0);
  char want[sizeof pb_text + 64];
  sprintf(want, "%sORA_CustomAuthData=%02X%02X%02X\r\n%s", PB_HEAD, data[0], data[1], data[2],
          PB_TAIL);
  file_is(pbk, want, strlen(want));
  free(data);
  free(buf);
  DeleteFileA(pbk);
}

/* ---- EAP user data ---- */

static void eap_round_trip(void **state) {
  (void)state;
  char pbk[MAX_PATH];
  WCHAR pbkw[MAX_PATH];
  make_pbk(pbk, pbkw, "eap");
  BYTE data[200], buf[300];
  pattern(data, sizeof data, 7);
  data[0] = 0;
  data[sizeof data - 1] = 0xFF;
  DWORD cb = sizeof buf;
  assert_int_equal(RasGetEapUserDataW(NULL, pbkw, L"Work", buf, &cb), 0);
  assert_int_equal(cb, 0);
  assert_int_equal(RasSetEapUserDataW(NULL, pbkw, L"Work", data, sizeof data), 0);
  cb = 0;
  assert_int_equal(RasGetEapUserDataA(NULL, pbk, "Work", NULL, &cb), ERROR_BUFFER_TOO_SMALL);
  assert_int_equal(cb, sizeof data);
  cb = 10;
  memset(buf, 0xCC, sizeof buf);
  assert_int_equal(RasGetEapUserDataA(NULL, pbk, "Work", buf, &cb), ERROR_BUFFER_TOO_SMALL);
  assert_int_equal(cb, sizeof data);
  assert_int_equal(buf[0], 0xCC);
  cb = sizeof buf;
  assert_int_equal(RasGetEapUserDataA(NULL, pbk, "WORK", buf, &cb), 0);
  assert_int_equal(cb, sizeof data);
  assert_memory_equal(buf, data, sizeof data);
  assert_int_equal(buf[sizeof data], 0xCC);
  /* The phone book is not touched. */
  file_is(pbk, pb_text, sizeof pb_text - 1);
  /* Set with A, get with W into an exact guarded buffer. */
  t_guard g;
  BYTE *p = t_guard_alloc(&g, 5, 0xCC);
  assert_int_equal(RasSetEapUserDataA(NULL, pbk, "Work", (BYTE *)"\xff\x00\x01\x00\xfe", 5), 0);
  cb = 5;
  assert_int_equal(RasGetEapUserDataW(NULL, pbkw, L"Work", p, &cb), 0);
  assert_int_equal(cb, 5);
  assert_memory_equal(p, "\xff\x00\x01\x00\xfe", 5);
  t_guard_free(&g);
  /* The largest, and one byte more. */
  BYTE *big = malloc(MAXDATA + 1), *back = malloc(MAXDATA);
  pattern(big, MAXDATA + 1, 11);
  assert_int_equal(RasSetEapUserDataA(NULL, pbk, "Work", big, MAXDATA + 1),
                   ERROR_INVALID_PARAMETER);
  assert_int_equal(eap_size(pbk, "Work"), 5);
  assert_int_equal(RasSetEapUserDataW(NULL, pbkw, L"Work", big, MAXDATA), 0);
  cb = MAXDATA;
  assert_int_equal(RasGetEapUserDataA(NULL, pbk, "Work", back, &cb), 0);
  assert_int_equal(cb, MAXDATA);
  assert_memory_equal(back, big, MAXDATA);
  free(big);
  free(back);
  /* Clear with NULL/0, and with a buffer and 0: the registry key goes too. */
  assert_int_equal(RasSetEapUserDataA(NULL, pbk, "Work", NULL, 0), 0);
  assert_int_equal(eap_size(pbk, "Work"), 0);
  assert_int_equal(eap_value_size(pbk, "Work"), 0);
  assert_int_equal(RasSetEapUserDataA(NULL, pbk, "Work", data, 3), 0);
  assert_int_equal(RasSetEapUserDataW(NULL, pbkw, L"Work", data, 0), 0);
  assert_int_equal(eap_size(pbk, "Work"), 0);
  assert_int_equal(RasSetEapUserDataA(NULL, pbk, "Work", NULL, 0), 0); /* nothing to clear */
  file_is(pbk, pb_text, sizeof pb_text - 1);
  DeleteFileA(pbk);
}

/* EAP data is nowhere in the phone book and only encrypted in the registry. */
static void eap_only_encrypted(void **state) {
  (void)state;
  char pbk[MAX_PATH];
  WCHAR pbkw[MAX_PATH];
  make_pbk(pbk, pbkw, "eapenc");
  static const char secret[] = "EAP-s3cret-\x01\x00\xff-identity";
  BYTE data[sizeof secret - 1];
  memcpy(data, secret, sizeof data);
  assert_int_equal(RasSetEapUserDataA(NULL, pbk, "Work", data, sizeof data), 0);
  file_is(pbk, pb_text, sizeof pb_text - 1);
  char *t = t_read_file(pbk, NULL);
  char *hex = hex_of(data, sizeof data);
  assert_null(strstr(t, hex));
  assert_null(strstr(t, "s3cret"));
  free(t);
  /* In the registry: a Data value larger than the plaintext, which it does not hold. */
  assert_true(eap_value_size(pbk, "Work") > sizeof data);
  assert_false(registry_holds(HKEY_CURRENT_USER, L"Software\\OpenRAS", "s3cret", 6));
  assert_false(registry_holds(HKEY_CURRENT_USER, L"Software\\OpenRAS", data, sizeof data));
  assert_false(registry_holds(HKEY_CURRENT_USER, L"Software\\OpenRAS", hex, strlen(hex)));
  assert_false(registry_holds(HKEY_CURRENT_USER, L"Software\\OpenRAS", L"s3cret", 12));
  assert_false(registry_holds(HKEY_LOCAL_MACHINE, L"Software\\OpenRAS", "s3cret", 6));
  /* ... and it decrypts for this user. */
  BYTE buf[64];
  DWORD cb = sizeof buf;
  assert_int_equal(RasGetEapUserDataW(NULL, pbkw, L"Work", buf, &cb), 0);
  assert_int_equal(cb, sizeof data);
  assert_memory_equal(buf, data, sizeof data);
  free(hex);
  RasDeleteEntryA(pbk, "Work");
  DeleteFileA(pbk);
}

/* Tokens: NULL, this user's process token and an impersonation token of it; anything
 * else that is not a token is ERROR_INVALID_HANDLE. */
static void eap_tokens(void **state) {
  (void)state;
  char pbk[MAX_PATH];
  WCHAR pbkw[MAX_PATH];
  make_pbk(pbk, pbkw, "eaptok");
  HANDLE tok, imp;
  assert_true(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY | TOKEN_DUPLICATE, &tok));
  assert_true(DuplicateToken(tok, SecurityImpersonation, &imp));
  assert_int_equal(RasSetEapUserDataA(tok, pbk, "Work", (BYTE *)"abc", 3), 0);
  BYTE buf[8];
  DWORD cb = sizeof buf;
  assert_int_equal(RasGetEapUserDataW(imp, pbkw, L"Work", buf, &cb), 0);
  assert_int_equal(cb, 3);
  assert_memory_equal(buf, "abc", 3);
  cb = sizeof buf;
  assert_int_equal(RasGetEapUserDataA(NULL, pbk, "Work", buf, &cb), 0);
  assert_int_equal(cb, 3);
  HANDLE ev = CreateEventA(NULL, FALSE, FALSE, NULL);
  HANDLE bad[] = {ev, GetCurrentProcess(), (HANDLE)(ULONG_PTR)0xDEADBEEF};
  for (size_t i = 0; i < ARRAYSIZE(bad); i++) {
    cb = sizeof buf;
    assert_int_equal(RasGetEapUserDataA(bad[i], pbk, "Work", buf, &cb), ERROR_INVALID_HANDLE);
    assert_int_equal(RasSetEapUserDataW(bad[i], pbkw, L"Work", NULL, 0), ERROR_INVALID_HANDLE);
  }
  assert_int_equal(eap_size(pbk, "Work"), 3); /* not cleared by a refused call */
  assert_int_equal(RasSetEapUserDataW(imp, pbkw, L"Work", NULL, 0), 0);
  assert_int_equal(eap_size(pbk, "Work"), 0);
  CloseHandle(ev);
  CloseHandle(imp);
  CloseHandle(tok);
  DeleteFileA(pbk);
}

/* ---- both ---- */

/* One entry's data is not another entry's, nor the same name's in another phone book. */
static void isolation(void **state) {
  (void)state;
  char pbk[MAX_PATH], other[MAX_PATH];
  WCHAR pbkw[MAX_PATH], otherw[MAX_PATH];
  make_pbk(pbk, pbkw, "iso1");
  make_pbk(other, otherw, "iso2");
  assert_int_equal(RasSetCustomAuthDataA(pbk, "Work", (BYTE *)"cad-work", 8), 0);
  assert_int_equal(RasSetEapUserDataA(NULL, pbk, "Work", (BYTE *)"eap-work!", 9), 0);
  assert_int_equal(cad_size(pbk, "Home"), 0);
  assert_int_equal(eap_size(pbk, "Home"), 0);
  assert_int_equal(cad_size(other, "Work"), 0);
  assert_int_equal(eap_size(other, "Work"), 0);
  file_is(other, pb_text, sizeof pb_text - 1);
  assert_int_equal(RasSetCustomAuthDataW(otherw, L"Work", (BYTE *)"other", 5), 0);
  assert_int_equal(RasSetEapUserDataW(NULL, otherw, L"Work", (BYTE *)"oth", 3), 0);
  assert_int_equal(RasSetEapUserDataA(NULL, pbk, "Home", (BYTE *)"h", 1), 0);
  assert_int_equal(cad_size(pbk, "Work"), 8);
  assert_int_equal(eap_size(pbk, "Work"), 9);
  assert_int_equal(eap_size(pbk, "Home"), 1);
  assert_int_equal(cad_size(other, "Work"), 5);
  assert_int_equal(eap_size(other, "Work"), 3);
  /* The same file named another way is the same phone book. */
  char spelled[MAX_PATH];
  strcpy(spelled, pbk);
  CharUpperA(spelled);
  assert_int_equal(eap_size(spelled, "work"), 9);
  RasDeleteEntryA(pbk, "Work");
  RasDeleteEntryA(pbk, "Home");
  RasDeleteEntryA(other, "Work");
  RasDeleteEntryA(other, "Home");
  DeleteFileA(pbk);
  DeleteFileA(other);
}

/* RasRenameEntry carries both kinds of data; RasDeleteEntry drops them. */
static void rename_and_delete(void **state) {
  (void)state;
  char pbk[MAX_PATH];
  WCHAR pbkw[MAX_PATH];
  make_pbk(pbk, pbkw, "eapren");
  assert_int_equal(RasSetCustomAuthDataA(pbk, "Work", (BYTE *)"cad", 3), 0);
  assert_int_equal(RasSetEapUserDataA(NULL, pbk, "Work", (BYTE *)"eapdata", 7), 0);
  assert_int_equal(RasRenameEntryA(pbk, "Work", "Office"), 0);
  assert_int_equal(cad_size(pbk, "Office"), 3);
  assert_int_equal(eap_size(pbk, "Office"), 7);
  BYTE buf[16];
  DWORD cb = sizeof buf;
  assert_int_equal(RasGetEapUserDataA(NULL, pbk, "Office", buf, &cb), 0);
  assert_memory_equal(buf, "eapdata", 7);
  assert_int_equal(eap_value_size(pbk, "Work"), 0);
  /* A change of case keeps it. */
  assert_int_equal(RasRenameEntryW(pbkw, L"Office", L"OFFICE"), 0);
  assert_int_equal(eap_size(pbk, "office"), 7);
  /* Delete, then an entry of the same name: nothing of the old one. */
  assert_int_equal(RasDeleteEntryA(pbk, "OFFICE"), 0);
  assert_int_equal(eap_value_size(pbk, "Office"), 0);
  RASENTRYA e;
  memset(&e, 0, sizeof e);
  e.dwSize = sizeof e;
  assert_int_equal(RasSetEntryPropertiesA(pbk, "Office", &e, sizeof e, NULL, 0), 0);
  assert_int_equal(cad_size(pbk, "Office"), 0);
  assert_int_equal(eap_size(pbk, "Office"), 0);
  /* Home's data goes with it onto the name just freed. */
  assert_int_equal(RasSetEapUserDataA(NULL, pbk, "Home", (BYTE *)"old", 3), 0);
  assert_int_equal(RasSetEapUserDataA(NULL, pbk, "Office", (BYTE *)"new!", 4), 0);
  assert_int_equal(RasDeleteEntryA(pbk, "Office"), 0);
  assert_int_equal(RasRenameEntryA(pbk, "Home", "Office"), 0);
  assert_int_equal(eap_size(pbk, "Office"), 3);
  assert_int_equal(eap_value_size(pbk, "Home"), 0);
  /* An entry removed by editing the file leaves its data behind: an entry without data
   * renamed onto that name does not inherit it. */
  t_write_file(pbk, pb_text, sizeof pb_text - 1); /* Work and Home, no Office */
  assert_int_equal(RasSetEapUserDataA(NULL, pbk, "Home", NULL, 0), 0);
  assert_true(eap_value_size(pbk, "Office") > 0); /* stale */
  assert_int_equal(RasRenameEntryA(pbk, "Home", "Office"), 0);
  assert_int_equal(eap_size(pbk, "Office"), 0);
  assert_int_equal(eap_value_size(pbk, "Office"), 0);
  RasDeleteEntryA(pbk, "Office");
  DeleteFileA(pbk);
}

/* The default phone books (NULL). */
static void default_phone_book(void **state) {
  (void)state;
  char name[64];
  snprintf(name, sizeof name, "OpenRAS authdata %lu", GetCurrentProcessId());
  RASENTRYA e;
  memset(&e, 0, sizeof e);
  e.dwSize = sizeof e;
  assert_int_equal(RasSetEntryPropertiesA(NULL, name, &e, sizeof e, NULL, 0), 0);
  assert_int_equal(RasSetCustomAuthDataA(NULL, name, (BYTE *)"\x00\x01", 2), 0);
  assert_int_equal(RasSetEapUserDataA(NULL, NULL, name, (BYTE *)"\xff", 1), 0);
  BYTE buf[4];
  DWORD cb = sizeof buf;
  assert_int_equal(RasGetCustomAuthDataA(NULL, name, buf, &cb), 0);
  assert_int_equal(cb, 2);
  assert_memory_equal(buf, "\x00\x01", 2);
  cb = sizeof buf;
  assert_int_equal(RasGetEapUserDataA(NULL, NULL, name, buf, &cb), 0);
  assert_int_equal(cb, 1);
  assert_int_equal(buf[0], 0xFF);
  assert_int_equal(RasDeleteEntryA(NULL, name), 0);
  cb = sizeof buf;
  assert_int_equal(RasGetEapUserDataA(NULL, NULL, name, buf, &cb),
                   ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
}

static void errors(void **state) {
  (void)state;
  char pbk[MAX_PATH], missing[MAX_PATH], broken[MAX_PATH];
  WCHAR pbkw[MAX_PATH], missingw[MAX_PATH];
  make_pbk(pbk, pbkw, "err");
  t_pbk_path("errmissing", missing, MAX_PATH);
  t_pbk_path_w(missing, missingw, MAX_PATH);
  t_pbk_path("errbroken", broken, MAX_PATH);
  static const char bad_text[] = "[Work\r\nPhoneNumber=1\r\n";
  t_write_file(broken, bad_text, sizeof bad_text - 1);
  BYTE buf[16];
  DWORD cb;
  /* No such entry: 623; no such phone book: 621 (not created); malformed: 622. */
  struct {
    const char *pbk;
    const WCHAR *pbkw;
    DWORD want;
  } cases[] = {
      {pbk, pbkw, ERROR_CANNOT_FIND_PHONEBOOK_ENTRY},
      {missing, missingw, ERROR_CANNOT_OPEN_PHONEBOOK},
      {broken, NULL, ERROR_CANNOT_LOAD_PHONEBOOK},
  };
  for (size_t i = 0; i < ARRAYSIZE(cases); i++) {
    const char *entry = i == 0 ? "Nobody" : "Work";
    DWORD want = cases[i].want;
    cb = sizeof buf;
    assert_int_equal(RasGetCustomAuthDataA(cases[i].pbk, entry, buf, &cb), want);
    assert_int_equal(RasSetCustomAuthDataA(cases[i].pbk, entry, buf, 4), want);
    assert_int_equal(RasSetCustomAuthDataA(cases[i].pbk, entry, NULL, 0), want);
    cb = sizeof buf;
    assert_int_equal(RasGetEapUserDataA(NULL, cases[i].pbk, entry, buf, &cb), want);
    assert_int_equal(RasSetEapUserDataA(NULL, cases[i].pbk, entry, buf, 4), want);
    assert_int_equal(RasSetEapUserDataA(NULL, cases[i].pbk, entry, NULL, 0), want);
    if (cases[i].pbkw) {
      WCHAR ew[16];
      MultiByteToWideChar(CP_ACP, 0, entry, -1, ew, 16);
      cb = sizeof buf;
      assert_int_equal(RasGetCustomAuthDataW(cases[i].pbkw, ew, buf, &cb), want);
      assert_int_equal(RasSetEapUserDataW(NULL, cases[i].pbkw, ew, buf, 4), want);
    }
  }
  assert_int_equal(GetFileAttributesA(missing), INVALID_FILE_ATTRIBUTES);
  file_is(broken, bad_text, sizeof bad_text - 1);
  file_is(pbk, pb_text, sizeof pb_text - 1);
  /* A name longer than any entry's: 623. */
  char longname[400];
  memset(longname, 'x', sizeof longname - 1);
  longname[sizeof longname - 1] = 0;
  cb = sizeof buf;
  assert_int_equal(RasGetCustomAuthDataA(pbk, longname, buf, &cb),
                   ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
  /* NULL arguments: the documented E_INVALIDARG for a NULL size pointer and for NULL
   * data of a nonzero size; 87 for a NULL entry. */
  assert_int_equal(RasGetCustomAuthDataA(pbk, "Work", buf, NULL), (DWORD)E_INVALIDARG);
  assert_int_equal(RasGetCustomAuthDataW(pbkw, L"Work", NULL, NULL), (DWORD)E_INVALIDARG);
  assert_int_equal(RasGetEapUserDataA(NULL, pbk, "Work", buf, NULL), (DWORD)E_INVALIDARG);
  assert_int_equal(RasGetEapUserDataW(NULL, pbkw, L"Work", NULL, NULL), (DWORD)E_INVALIDARG);
  assert_int_equal(RasSetCustomAuthDataA(pbk, "Work", NULL, 4), (DWORD)E_INVALIDARG);
  assert_int_equal(RasSetEapUserDataW(NULL, pbkw, L"Work", NULL, 4), (DWORD)E_INVALIDARG);
  cb = sizeof buf;
  assert_int_equal(RasGetCustomAuthDataA(pbk, NULL, buf, &cb), ERROR_INVALID_PARAMETER);
  assert_int_equal(RasSetCustomAuthDataW(pbkw, NULL, buf, 4), ERROR_INVALID_PARAMETER);
  assert_int_equal(RasGetEapUserDataW(NULL, pbkw, NULL, buf, &cb), ERROR_INVALID_PARAMETER);
  assert_int_equal(RasSetEapUserDataA(NULL, pbk, NULL, buf, 4), ERROR_INVALID_PARAMETER);
  /* An empty phone-book path: 87. */
  assert_int_equal(RasGetCustomAuthDataA("", "Work", buf, &cb), ERROR_INVALID_PARAMETER);
  file_is(pbk, pb_text, sizeof pb_text - 1);
  assert_int_equal(eap_size(pbk, "Work"), 0);
  DeleteFileA(pbk);
  DeleteFileA(broken);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(custom_round_trip),  cmocka_unit_test(custom_in_the_file),
      cmocka_unit_test(custom_large),       cmocka_unit_test(eap_round_trip),
      cmocka_unit_test(eap_only_encrypted), cmocka_unit_test(eap_tokens),
      cmocka_unit_test(isolation),          cmocka_unit_test(rename_and_delete),
      cmocka_unit_test(default_phone_book), cmocka_unit_test(errors),
  };
  ORA_PE_RUN_TESTS("test_authdata", tests);
}
