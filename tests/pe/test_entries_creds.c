/* Issue 6: saved credentials. RasGetEntryDialParams / RasSetEntryDialParams (every
 * RASDIALPARAMS size) and RasGetCredentials / RasSetCredentials, A and W: the password
 * comes back only as Windows' 16-asterisk stand-in, handing it back keeps the saved
 * password, and no plaintext copy lands in the phone book or the registry. */
#include "entries_util.h"

#include <wincrypt.h>

#define HANDLE_TEXT "****************"
static const char k_entropy[] = "OpenRAS saved RAS credentials v1"; /* credstore.c */

/* RASDIALPARAMS sizes of every layout (ras_layouts.h / abi.md). */
#ifdef _WIN64
static const DWORD rdp_a[] = {736, 1052, 1064, 1060, 1068, 1076};
static const DWORD rdp_w[] = {1464, 2096, 2108, 2104, 2112, 2120};
#else
static const DWORD rdp_a[] = {736, 1052, 1060, 1064, 1068};
static const DWORD rdp_w[] = {1464, 2096, 2104, 2108, 2112};
#endif

/* String offsets of a RASDIALPARAMS layout (the NT 3.5 one has shorter names). */
typedef struct {
  size_t entry, phone, callback, user, password, domain;
} rdp_off;

static rdp_off offsets(int wide, DWORD size) {
  size_t u = wide ? 2 : 1;
  int old = size == 736 || size == 1464;
  size_t e = old ? 21 : 257, c = old ? 49 : 129;
  rdp_off o;
  o.entry = 4;
  o.phone = o.entry + e * u;
  o.callback = o.phone + 129 * u;
  o.user = o.callback + c * u;
  o.password = o.user + 257 * u;
  o.domain = o.password + 257 * u;
  return o;
}

static void put(int wide, BYTE *p, size_t off, const char *s) {
  if (wide)
    MultiByteToWideChar(CP_UTF8, 0, s, -1, (WCHAR *)(p + off), 257);
  else
    strcpy((char *)p + off, s);
}

static void get(int wide, const BYTE *p, size_t off, char *out, size_t cap) {
  if (wide)
    WideCharToMultiByte(CP_UTF8, 0, (const WCHAR *)(p + off), -1, out, (int)cap, NULL, NULL);
  else
    snprintf(out, cap, "%s", (const char *)p + off);
}

static void make_pbk(char *pbk, WCHAR *pbkw, const char *tag) {
  t_pbk_path(tag, pbk, MAX_PATH);
  t_pbk_path_w(pbk, pbkw, MAX_PATH);
  static const char text[] = "[Work]\r\nORA_Link=sim\r\n\r\n[Home]\r\nORA_Link=sim\r\n\r\n";
  t_write_file(pbk, text, sizeof text - 1);
}

/* Does any value under HKCU/HKLM\Software\OpenRAS hold these bytes? */
static int registry_holds(HKEY root, const WCHAR *path, const void *needle, size_t n) {
  HKEY k;
  if (RegOpenKeyExW(root, path, 0, KEY_READ, &k) != ERROR_SUCCESS)
    return 0;
  int found = 0;
  BYTE data[8192];
  WCHAR name[512];
  for (DWORD i = 0; !found; i++) {
    DWORD nl = ARRAYSIZE(name), dl = sizeof data, type;
    if (RegEnumValueW(k, i, name, &nl, NULL, &type, data, &dl) != ERROR_SUCCESS)
      break;
    for (size_t j = 0; j + n <= dl && !found; j++)
      found = memcmp(data + j, needle, n) == 0;
  }
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

static void no_plaintext(const char *pbk, const char *password) {
  WCHAR w[300];
  MultiByteToWideChar(CP_UTF8, 0, password, -1, w, 300);
  char *t = t_read_file(pbk, NULL);
  assert_non_null(t);
  assert_null(strstr(t, password));
  free(t);
  for (int r = 0; r < 2; r++) {
    HKEY root = r ? HKEY_LOCAL_MACHINE : HKEY_CURRENT_USER;
    assert_false(registry_holds(root, L"Software\\OpenRAS", password, strlen(password)));
    assert_false(registry_holds(root, L"Software\\OpenRAS", w, wcslen(w) * 2));
  }
}

/* CryptProtectData under this Wine: a round trip, and no plaintext in the blob. */
static void dpapi_works(void **state) {
  (void)state;
  const char secret[] = "correct horse battery staple";
  DATA_BLOB in = {sizeof secret, (BYTE *)secret}, out, back;
  assert_true(CryptProtectData(&in, L"t", NULL, NULL, NULL, CRYPTPROTECT_UI_FORBIDDEN, &out));
  for (DWORD i = 0; i + 10 <= out.cbData; i++)
    assert_false(memcmp(out.pbData + i, "horse batt", 10) == 0);
  assert_true(CryptUnprotectData(&out, NULL, NULL, NULL, NULL, CRYPTPROTECT_UI_FORBIDDEN, &back));
  assert_int_equal(back.cbData, sizeof secret);
  assert_memory_equal(back.pbData, secret, sizeof secret);
  LocalFree(out.pbData);
  LocalFree(back.pbData);
}

static void dial_params_every_size(void **state) {
  (void)state;
  char pbk[MAX_PATH], s[300];
  WCHAR pbkw[MAX_PATH];
  make_pbk(pbk, pbkw, "rdp");
  for (int wide = 0; wide < 2; wide++) {
    const DWORD *sizes = wide ? rdp_w : rdp_a;
    for (size_t i = 0; i < ARRAYSIZE(rdp_a); i++) {
      DWORD size = sizes[i];
      rdp_off o = offsets(wide, size);
      t_guard g;
      BYTE *p = t_guard_alloc(&g, size, 0);
      memcpy(p, &size, 4);
      put(wide, p, o.entry, "Work");
      put(wide, p, o.user, "alice");
      put(wide, p, o.password, "s3cret-Pw!");
      put(wide, p, o.domain, "CORP");
      put(wide, p, o.callback, "5550199");
      put(wide, p, o.phone, "ignored");
      DWORD rc = wide ? RasSetEntryDialParamsW(pbkw, (void *)p, FALSE)
                      : RasSetEntryDialParamsA(pbk, (void *)p, FALSE);
      assert_int_equal(rc, 0);
      memset(p + 4 + (o.phone - o.entry), 'Z', size - o.phone);
      BOOL has = FALSE;
      rc = wide ? RasGetEntryDialParamsW(pbkw, (void *)p, &has)
                : RasGetEntryDialParamsA(pbk, (void *)p, &has);
      assert_int_equal(rc, 0);
      assert_true(has);
      get(wide, p, o.user, s, sizeof s);
      assert_string_equal(s, "alice");
      get(wide, p, o.domain, s, sizeof s);
      assert_string_equal(s, "CORP");
      get(wide, p, o.callback, s, sizeof s);
      assert_string_equal(s, "5550199");
      get(wide, p, o.password, s, sizeof s);
      assert_string_equal(s, HANDLE_TEXT); /* never the password itself */
      get(wide, p, o.phone, s, sizeof s);
      assert_string_equal(s, "");
      t_guard_free(&g);
    }
    BYTE buf[2200] = {0};
    const DWORD bad[] = {0, 735, 737, 1051, 1053, 1072, 2200};
    for (size_t i = 0; i < ARRAYSIZE(bad); i++) {
      memcpy(buf, &bad[i], 4);
      BOOL has;
      DWORD rc = wide ? RasGetEntryDialParamsW(pbkw, (void *)buf, &has)
                      : RasGetEntryDialParamsA(pbk, (void *)buf, &has);
      assert_int_equal(rc, ERROR_INVALID_SIZE);
      rc = wide ? RasSetEntryDialParamsW(pbkw, (void *)buf, FALSE)
                : RasSetEntryDialParamsA(pbk, (void *)buf, FALSE);
      assert_int_equal(rc, ERROR_INVALID_SIZE);
    }
  }
  no_plaintext(pbk, "s3cret-Pw!");
  RasDeleteEntryA(pbk, "Work");
  DeleteFileA(pbk);
}

/* The saved password, decrypted the way credstore.c stored it (its documented format),
 * to see what a later RasDial would use. */
static int saved_password(const char *entry, char *out, size_t cap) {
  HKEY k;
  int found = 0;
  if (RegOpenKeyExW(HKEY_CURRENT_USER, L"Software\\OpenRAS\\Credentials", 0, KEY_READ, &k))
    return 0;
  WCHAR name[64];
  for (DWORD i = 0; !found; i++) {
    DWORD nl = ARRAYSIZE(name);
    if (RegEnumKeyExW(k, i, name, &nl, NULL, NULL, NULL, NULL) != ERROR_SUCCESS)
      break;
    HKEY sub;
    if (RegOpenKeyExW(k, name, 0, KEY_READ, &sub))
      continue;
    WCHAR e[300];
    DWORD cb = sizeof e;
    BYTE blob[4096];
    DWORD bl = sizeof blob;
    WCHAR want[300];
    MultiByteToWideChar(CP_UTF8, 0, entry, -1, want, 300);
    if (!RegQueryValueExW(sub, L"Entry", NULL, NULL, (BYTE *)e, &cb) && !wcscmp(e, want) &&
        !RegQueryValueExW(sub, L"Password", NULL, NULL, blob, &bl)) {
      DATA_BLOB in = {bl, blob}, ent = {sizeof k_entropy - 1, (BYTE *)k_entropy}, plain;
      if (CryptUnprotectData(&in, NULL, &ent, NULL, NULL, CRYPTPROTECT_UI_FORBIDDEN, &plain)) {
        snprintf(out, cap, "%.*s", (int)plain.cbData, (char *)plain.pbData);
        LocalFree(plain.pbData);
        found = 1;
      }
    }
    RegCloseKey(sub);
  }
  RegCloseKey(k);
  return found;
}

static void dial_params_password_rules(void **state) {
  (void)state;
  char pbk[MAX_PATH], pw[300];
  WCHAR pbkw[MAX_PATH];
  make_pbk(pbk, pbkw, "rdprules");
  RASDIALPARAMSA p;
  BOOL has = TRUE;
  memset(&p, 0, sizeof p);
  p.dwSize = sizeof p;
  strcpy(p.szEntryName, "Home");
  /* Nothing saved yet. */
  strcpy(p.szPassword, "junk");
  assert_int_equal(RasGetEntryDialParamsA(pbk, &p, &has), 0);
  assert_false(has);
  assert_string_equal(p.szPassword, "");
  assert_string_equal(p.szUserName, "");
  /* Saved, then handed back: the password is kept. */
  strcpy(p.szUserName, "bob");
  strcpy(p.szPassword, "first-Pass");
  assert_int_equal(RasSetEntryDialParamsA(pbk, &p, FALSE), 0);
  assert_int_equal(RasGetEntryDialParamsA(pbk, &p, &has), 0);
  assert_string_equal(p.szPassword, HANDLE_TEXT);
  assert_int_equal(RasSetEntryDialParamsA(pbk, &p, FALSE), 0);
  assert_true(saved_password("Home", pw, sizeof pw));
  assert_string_equal(pw, "first-Pass");
  /* Changed through W, read through A. */
  RASDIALPARAMSW w;
  memset(&w, 0, sizeof w);
  w.dwSize = sizeof w;
  wcscpy(w.szEntryName, L"Home");
  wcscpy(w.szUserName, L"b\u00f6b");
  wcscpy(w.szPassword, L"second-P\u00e4ss");
  assert_int_equal(RasSetEntryDialParamsW(pbkw, &w, FALSE), 0);
  assert_true(saved_password("Home", pw, sizeof pw));
  assert_string_equal(pw, "second-P\xC3\xA4ss");
  assert_int_equal(RasGetEntryDialParamsA(pbk, &p, &has), 0);
  assert_true(has);
  assert_int_equal((unsigned char)p.szUserName[1], 0xF6); /* o-umlaut in the ANSI code page */
  /* fRemovePassword: gone, the rest stays. */
  assert_int_equal(RasSetEntryDialParamsA(pbk, &p, TRUE), 0);
  assert_int_equal(RasGetEntryDialParamsA(pbk, &p, &has), 0);
  assert_false(has);
  assert_string_equal(p.szPassword, "");
  assert_int_equal((unsigned char)p.szUserName[1], 0xF6);
  assert_false(saved_password("Home", pw, sizeof pw));
  /* Arguments. */
  assert_int_equal(RasGetEntryDialParamsA(pbk, NULL, &has), ERROR_BUFFER_INVALID);
  assert_int_equal(RasGetEntryDialParamsA(pbk, &p, NULL), ERROR_BUFFER_INVALID);
  assert_int_equal(RasSetEntryDialParamsA(pbk, NULL, FALSE), ERROR_BUFFER_INVALID);
  strcpy(p.szEntryName, "Nobody");
  assert_int_equal(RasGetEntryDialParamsA(pbk, &p, &has), ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
  assert_int_equal(RasSetEntryDialParamsA(pbk, &p, FALSE), ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
  /* Rename carries the credentials, delete drops them. */
  strcpy(p.szEntryName, "Home");
  strcpy(p.szPassword, "third-Pass");
  assert_int_equal(RasSetEntryDialParamsA(pbk, &p, FALSE), 0);
  assert_int_equal(RasRenameEntryA(pbk, "Home", "Cottage"), 0);
  strcpy(p.szEntryName, "Cottage");
  assert_int_equal(RasGetEntryDialParamsA(pbk, &p, &has), 0);
  assert_true(has);
  assert_int_equal(RasDeleteEntryA(pbk, "Cottage"), 0);
  RASENTRYA e;
  memset(&e, 0, sizeof e);
  e.dwSize = sizeof e;
  assert_int_equal(RasSetEntryPropertiesA(pbk, "Cottage", &e, sizeof e, NULL, 0), 0);
  assert_int_equal(RasGetEntryDialParamsA(pbk, &p, &has), 0);
  assert_false(has);
  assert_string_equal(p.szUserName, "");
  no_plaintext(pbk, "third-Pass");
  no_plaintext(pbk, "first-Pass");
  RasDeleteEntryA(pbk, "Cottage");
  RasDeleteEntryA(pbk, "Work");
  DeleteFileA(pbk);
}

static void credentials(void **state) {
  (void)state;
  char pbk[MAX_PATH];
  WCHAR pbkw[MAX_PATH];
  make_pbk(pbk, pbkw, "cred");
  RASCREDENTIALSA c;
  memset(&c, 0, sizeof c);
  c.dwSize = sizeof c;
  c.dwMask = RASCM_UserName | RASCM_Password | RASCM_Domain;
  assert_int_equal(RasGetCredentialsA(pbk, "Work", &c), 0);
  assert_int_equal(c.dwMask, 0); /* nothing saved */
  strcpy(c.szUserName, "carol");
  strcpy(c.szPassword, "cred-Pw-1");
  strcpy(c.szDomain, "LAB");
  c.dwMask = RASCM_UserName | RASCM_Password | RASCM_Domain;
  assert_int_equal(RasSetCredentialsA(pbk, "Work", &c, FALSE), 0);
  RASCREDENTIALSW w;
  memset(&w, 0, sizeof w);
  w.dwSize = sizeof w;
  w.dwMask = RASCM_UserName | RASCM_Password | RASCM_Domain;
  assert_int_equal(RasGetCredentialsW(pbkw, L"Work", &w), 0);
  assert_int_equal(w.dwMask, RASCM_UserName | RASCM_Password | RASCM_Domain);
  assert_true(wcscmp(w.szUserName, L"carol") == 0);
  assert_true(wcscmp(w.szDomain, L"LAB") == 0);
  assert_true(wcscmp(w.szPassword, L"" HANDLE_TEXT) == 0);
  /* Only what is asked for. */
  memset(&c, 0, sizeof c);
  c.dwSize = sizeof c;
  c.dwMask = RASCM_UserName;
  assert_int_equal(RasGetCredentialsA(pbk, "Work", &c), 0);
  assert_int_equal(c.dwMask, RASCM_UserName);
  assert_string_equal(c.szPassword, "");
  /* The same store as the dial parameters. */
  RASDIALPARAMSA p;
  BOOL has;
  memset(&p, 0, sizeof p);
  p.dwSize = sizeof p;
  strcpy(p.szEntryName, "Work");
  assert_int_equal(RasGetEntryDialParamsA(pbk, &p, &has), 0);
  assert_true(has);
  assert_string_equal(p.szUserName, "carol");
  /* The stand-in keeps the password; fClearCredentials clears what the mask names. */
  strcpy(c.szPassword, HANDLE_TEXT);
  c.dwMask = RASCM_Password;
  assert_int_equal(RasSetCredentialsA(pbk, "Work", &c, FALSE), 0);
  char pw[300];
  assert_true(saved_password("Work", pw, sizeof pw));
  assert_string_equal(pw, "cred-Pw-1");
  c.dwMask = RASCM_Password | RASCM_Domain;
  assert_int_equal(RasSetCredentialsA(pbk, "Work", &c, TRUE), 0);
  c.dwMask = RASCM_UserName | RASCM_Password | RASCM_Domain;
  assert_int_equal(RasGetCredentialsA(pbk, "Work", &c), 0);
  assert_int_equal(c.dwMask, RASCM_UserName);
  /* Sizes and arguments. */
  const DWORD bad[] = {0, 539, 541, 1068};
  for (size_t i = 0; i < ARRAYSIZE(bad); i++) {
    c.dwSize = bad[i];
    assert_int_equal(RasGetCredentialsA(pbk, "Work", &c), ERROR_INVALID_SIZE);
    assert_int_equal(RasSetCredentialsA(pbk, "Work", &c, FALSE), ERROR_INVALID_SIZE);
  }
  w.dwSize = 540;
  assert_int_equal(RasGetCredentialsW(pbkw, L"Work", &w), ERROR_INVALID_SIZE);
  c.dwSize = sizeof c;
  assert_int_equal(RasGetCredentialsA(pbk, "Work", NULL), ERROR_INVALID_PARAMETER);
  assert_int_equal(RasGetCredentialsA(pbk, NULL, &c), ERROR_INVALID_PARAMETER);
  assert_int_equal(RasSetCredentialsA(pbk, "Work", NULL, FALSE), ERROR_INVALID_PARAMETER);
  assert_int_equal(RasGetCredentialsA(pbk, "Nobody", &c), ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
  /* Default credentials belong to all-users entries only. */
  c.dwMask = RASCM_UserName | RASCM_DefaultCreds;
  assert_int_equal(RasSetCredentialsA(pbk, "Work", &c, FALSE), ERROR_INVALID_PARAMETER);
  /* A pre-shared key goes with no other flag. */
  c.dwMask = RASCM_PreSharedKey | RASCM_UserName;
  assert_int_equal(RasSetCredentialsA(pbk, "Work", &c, FALSE), ERROR_INVALID_PARAMETER);
  no_plaintext(pbk, "cred-Pw-1");
  RasDeleteEntryA(pbk, "Work");
  RasDeleteEntryA(pbk, "Home");
  DeleteFileA(pbk);
}

/* RASCM_DefaultCreds on an all-users entry: kept apart from the user's own. */
static void default_credentials(void **state) {
  (void)state;
  char base[MAX_PATH], all[MAX_PATH], dir[MAX_PATH * 2], old_pd[MAX_PATH] = "";
  GetEnvironmentVariableA("ProgramData", old_pd, MAX_PATH);
  t_pbk_path("allusers", base, sizeof base);
  snprintf(all, sizeof all, "%s.d", base);
  SetEnvironmentVariableA("ProgramData", all);
  RASENTRYA e;
  memset(&e, 0, sizeof e);
  e.dwSize = sizeof e;
  CreateDirectoryA(all, NULL);
  snprintf(dir, sizeof dir, "%s\\Microsoft\\Network\\Connections\\Pbk\\rasphone.pbk", all);
  char name[64];
  snprintf(name, sizeof name, "Shared %lu", GetCurrentProcessId());
  /* Create it in the all-users phone book: the file exists, with the entry. */
  const char *parts[] = {"\\Microsoft", "\\Network", "\\Connections", "\\Pbk"};
  char d[MAX_PATH * 2];
  snprintf(d, sizeof d, "%s", all);
  for (int k = 0; k < 4; k++) {
    strcat(d, parts[k]);
    CreateDirectoryA(d, NULL);
  }
  char text[128];
  int n = snprintf(text, sizeof text, "[%s]\r\nORA_Link=sim\r\n\r\n", name);
  t_write_file(dir, text, (size_t)n);
  RASCREDENTIALSA c;
  memset(&c, 0, sizeof c);
  c.dwSize = sizeof c;
  c.dwMask = RASCM_UserName | RASCM_Password | RASCM_DefaultCreds;
  strcpy(c.szUserName, "everyone");
  strcpy(c.szPassword, "machine-Pw");
  assert_int_equal(RasSetCredentialsA(NULL, name, &c, FALSE), 0);
  memset(&c, 0, sizeof c);
  c.dwSize = sizeof c;
  c.dwMask = RASCM_UserName | RASCM_Password | RASCM_DefaultCreds;
  assert_int_equal(RasGetCredentialsA(NULL, name, &c), 0);
  assert_int_equal(c.dwMask, RASCM_UserName | RASCM_Password | RASCM_DefaultCreds);
  assert_string_equal(c.szUserName, "everyone");
  assert_string_equal(c.szPassword, HANDLE_TEXT);
  c.dwMask = RASCM_UserName | RASCM_Password; /* the user's own: none */
  assert_int_equal(RasGetCredentialsA(NULL, name, &c), 0);
  assert_int_equal(c.dwMask, 0);
  no_plaintext(dir, "machine-Pw");
  assert_int_equal(RasDeleteEntryA(NULL, name), 0);
  SetEnvironmentVariableA("ProgramData", old_pd[0] ? old_pd : NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(dpapi_works),
      cmocka_unit_test(dial_params_every_size),
      cmocka_unit_test(dial_params_password_rules),
      cmocka_unit_test(credentials),
      cmocka_unit_test(default_credentials),
  };
  ORA_PE_RUN_TESTS("test_entries_creds", tests);
}
