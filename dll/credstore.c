/* The saved-credentials store (credstore.h): registry values, DPAPI for passwords. */
#include <windows.h>
#include <wincrypt.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "credstore.h"
#include "pbk_access.h"
#include "strconv.h"

static const WCHAR k_root[] = L"Software\\OpenRAS\\Credentials";
static const char k_entropy[] = "OpenRAS saved RAS credentials v1";

/* UTF-8 to a bounded wide string; 1 if it fit. */
static int to_w(const char *s, WCHAR *out, int units) {
  return MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, out, units) > 0;
}

/* The full path in lower case: the same file however a caller spells it. */
static void canonical_path(const char *path, char *out, size_t cap) {
  WCHAR w[ORA_PATH_BYTES], full[ORA_PATH_BYTES];
  out[0] = 0;
  if (!to_w(path, w, ARRAYSIZE(w)))
    return;
  DWORD n = GetFullPathNameW(w, ARRAYSIZE(full), full, NULL);
  if (n == 0 || n >= ARRAYSIZE(full))
    memcpy(full, w, sizeof w);
  CharLowerW(full);
  ora_w_to_utf8(full, ARRAYSIZE(full), out, cap);
}

static void key_name(const WCHAR *root, const char *path, const char *entry, WCHAR *out,
                     size_t units) {
  char canon[ORA_PATH_BYTES];
  uint64_t h = 14695981039346656037ull;
  canonical_path(path, canon, sizeof canon);
  for (const char *p = canon; *p; p++)
    h = (h ^ (unsigned char)*p) * 1099511628211ull;
  h = (h ^ '\n') * 1099511628211ull;
  for (const char *p = entry; *p; p++) {
    unsigned char c = (unsigned char)*p;
    h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32u : c)) * 1099511628211ull;
  }
  _snwprintf(out, units, L"%s\\%08lx%08lx", root, (unsigned long)(h >> 32),
             (unsigned long)(h & 0xffffffffu));
  out[units - 1] = 0;
}

static HKEY hive(int machine) {
  return machine ? HKEY_LOCAL_MACHINE : HKEY_CURRENT_USER;
}

static int get_sz(HKEY k, const WCHAR *name, char *out, size_t cap) {
  WCHAR w[1024];
  DWORD type, cb = sizeof w - sizeof(WCHAR);
  out[0] = 0;
  if (RegQueryValueExW(k, name, NULL, &type, (BYTE *)w, &cb) != ERROR_SUCCESS || type != REG_SZ)
    return 0;
  w[cb / sizeof(WCHAR)] = 0;
  ora_w_to_utf8(w, ARRAYSIZE(w), out, cap);
  return 1;
}

static LONG set_sz(HKEY k, const WCHAR *name, const char *value) {
  WCHAR w[1024];
  if (!to_w(value, w, ARRAYSIZE(w)))
    return ERROR_INVALID_PARAMETER;
  return RegSetValueExW(k, name, 0, REG_SZ, (const BYTE *)w,
                        (DWORD)((wcslen(w) + 1) * sizeof(WCHAR)));
}

/* The key holds this entry's values (and not a hash twin's). */
static int key_matches(HKEY k, const char *path, const char *entry) {
  char p[ORA_PATH_BYTES], e[ORA_ENTRY_BYTES], canon[ORA_PATH_BYTES];
  canonical_path(path, canon, sizeof canon);
  if (!get_sz(k, L"Phonebook", p, sizeof p) || !get_sz(k, L"Entry", e, sizeof e))
    return 0;
  return strcmp(p, canon) == 0 &&
         CompareStringA(LOCALE_INVARIANT, NORM_IGNORECASE, e, -1, entry, -1) == CSTR_EQUAL;
}

static int decrypt(HKEY k, int machine, char *out, size_t cap) {
  BYTE buf[4096];
  DWORD type, cb = sizeof buf;
  out[0] = 0;
  if (RegQueryValueExW(k, L"Password", NULL, &type, buf, &cb) != ERROR_SUCCESS ||
      type != REG_BINARY)
    return 0;
  DATA_BLOB in = {cb, buf}, ent = {sizeof k_entropy - 1, (BYTE *)k_entropy}, plain = {0, NULL};
  DWORD flags = CRYPTPROTECT_UI_FORBIDDEN | (machine ? CRYPTPROTECT_LOCAL_MACHINE : 0);
  if (!CryptUnprotectData(&in, NULL, &ent, NULL, NULL, flags, &plain))
    return 0;
  int ok = plain.cbData < cap;
  if (ok) {
    memcpy(out, plain.pbData, plain.cbData);
    out[plain.cbData] = 0;
  }
  SecureZeroMemory(plain.pbData, plain.cbData);
  LocalFree(plain.pbData);
  return ok;
}

static LONG encrypt(HKEY k, int machine, const char *password) {
  DATA_BLOB in = {(DWORD)strlen(password), (BYTE *)password};
  DATA_BLOB ent = {sizeof k_entropy - 1, (BYTE *)k_entropy}, out = {0, NULL};
  DWORD flags = CRYPTPROTECT_UI_FORBIDDEN | (machine ? CRYPTPROTECT_LOCAL_MACHINE : 0);
  if (!CryptProtectData(&in, L"OpenRAS", &ent, NULL, NULL, flags, &out))
    return (LONG)GetLastError();
  LONG rc = RegSetValueExW(k, L"Password", 0, REG_BINARY, out.pbData, out.cbData);
  LocalFree(out.pbData);
  return rc;
}

int oracred_load(const char *pbk_path, const char *entry, int machine, int want_password,
                 oracred *out) {
  WCHAR name[128];
  HKEY k;
  memset(out, 0, sizeof *out);
  key_name(k_root, pbk_path, entry, name, ARRAYSIZE(name));
  if (RegOpenKeyExW(hive(machine), name, 0, KEY_READ, &k) != ERROR_SUCCESS)
    return 0;
  if (key_matches(k, pbk_path, entry)) {
    if (get_sz(k, L"UserName", out->user, sizeof out->user))
      out->have |= ORACRED_USER;
    if (get_sz(k, L"Domain", out->domain, sizeof out->domain))
      out->have |= ORACRED_DOMAIN;
    if (get_sz(k, L"CallbackNumber", out->callback, sizeof out->callback))
      out->have |= ORACRED_CALLBACK;
    if (RegQueryValueExW(k, L"Password", NULL, NULL, NULL, NULL) == ERROR_SUCCESS)
      out->have |= ORACRED_PASSWORD;
    if (want_password && (out->have & ORACRED_PASSWORD) &&
        !decrypt(k, machine, out->password, sizeof out->password))
      out->have &= ~(unsigned)ORACRED_PASSWORD; /* unreadable (another user's) = not saved */
  }
  RegCloseKey(k);
  return 0;
}

int oracred_store(const char *pbk_path, const char *entry, int machine, const oracred *c,
                  unsigned what, unsigned clear) {
  WCHAR name[128];
  HKEY k;
  char canon[ORA_PATH_BYTES];
  key_name(k_root, pbk_path, entry, name, ARRAYSIZE(name));
  LONG rc = RegCreateKeyExW(hive(machine), name, 0, NULL, 0, KEY_READ | KEY_WRITE, NULL, &k, NULL);
  if (rc != ERROR_SUCCESS)
    return rc == ERROR_ACCESS_DENIED ? ORAPB_ERROR_ACCESS_DENIED : (int)rc;
  if (!key_matches(k, pbk_path, entry)) {
    /* A new key, or a stale one of another entry with the same hash: start over. */
    static const WCHAR *const vals[] = {L"UserName", L"Domain", L"CallbackNumber", L"Password"};
    for (size_t i = 0; i < ARRAYSIZE(vals); i++)
      RegDeleteValueW(k, vals[i]);
    canonical_path(pbk_path, canon, sizeof canon);
    set_sz(k, L"Phonebook", canon);
    set_sz(k, L"Entry", entry);
  }
  rc = 0;
  if (what & ORACRED_USER)
    rc = rc ? rc : set_sz(k, L"UserName", c->user);
  if (what & ORACRED_DOMAIN)
    rc = rc ? rc : set_sz(k, L"Domain", c->domain);
  if (what & ORACRED_CALLBACK)
    rc = rc ? rc : set_sz(k, L"CallbackNumber", c->callback);
  if ((what & ORACRED_PASSWORD) && strcmp(c->password, ORACRED_HANDLE) != 0)
    rc = rc ? rc : encrypt(k, machine, c->password);
  if (clear & ORACRED_USER)
    RegDeleteValueW(k, L"UserName");
  if (clear & ORACRED_DOMAIN)
    RegDeleteValueW(k, L"Domain");
  if (clear & ORACRED_CALLBACK)
    RegDeleteValueW(k, L"CallbackNumber");
  if (clear & ORACRED_PASSWORD)
    RegDeleteValueW(k, L"Password");
  RegCloseKey(k);
  return (int)rc;
}

void oracred_forget(const char *pbk_path, const char *entry) {
  WCHAR name[128];
  key_name(k_root, pbk_path, entry, name, ARRAYSIZE(name));
  for (int machine = 0; machine < 2; machine++) {
    HKEY k;
    if (RegOpenKeyExW(hive(machine), name, 0, KEY_READ, &k) != ERROR_SUCCESS)
      continue;
    int mine = key_matches(k, pbk_path, entry);
    RegCloseKey(k);
    if (mine)
      RegDeleteKeyW(hive(machine), name);
  }
}

void oracred_rename(const char *pbk_path, const char *old_name, const char *new_name) {
  for (int machine = 0; machine < 2; machine++) {
    oracred c;
    oracred_load(pbk_path, old_name, machine, 1, &c);
    if (c.have) {
      unsigned what = c.have;
      oracred_store(pbk_path, new_name, machine, &c, what,
                    ~what & (ORACRED_USER | ORACRED_DOMAIN | ORACRED_CALLBACK | ORACRED_PASSWORD));
    }
    SecureZeroMemory(&c, sizeof c);
  }
  if (CompareStringA(LOCALE_INVARIANT, NORM_IGNORECASE, old_name, -1, new_name, -1) != CSTR_EQUAL)
    oracred_forget(pbk_path, old_name);
}

LONG oracred_user_key(const WCHAR *root, const char *pbk_path, const char *entry, int create,
                      HKEY *out) {
  WCHAR name[128];
  HKEY k;
  char canon[ORA_PATH_BYTES];
  *out = NULL;
  key_name(root, pbk_path, entry, name, ARRAYSIZE(name));
  LONG rc = create ? RegCreateKeyExW(HKEY_CURRENT_USER, name, 0, NULL, 0, KEY_READ | KEY_WRITE,
                                     NULL, &k, NULL)
                   : RegOpenKeyExW(HKEY_CURRENT_USER, name, 0, KEY_READ, &k);
  if (rc != ERROR_SUCCESS)
    return rc;
  if (!key_matches(k, pbk_path, entry)) {
    if (!create) {
      RegCloseKey(k);
      return ERROR_FILE_NOT_FOUND;
    }
    /* A new key, or a stale one of another entry with the same hash: start over. */
    WCHAR value[256];
    for (int i = 0; i < 1024; i++) {
      DWORD units = ARRAYSIZE(value);
      if (RegEnumValueW(k, 0, value, &units, NULL, NULL, NULL, NULL) != ERROR_SUCCESS ||
          RegDeleteValueW(k, value) != ERROR_SUCCESS)
        break;
    }
    canonical_path(pbk_path, canon, sizeof canon);
    rc = set_sz(k, L"Phonebook", canon);
    if (!rc)
      rc = set_sz(k, L"Entry", entry);
    if (rc) {
      RegCloseKey(k);
      return rc;
    }
  }
  *out = k;
  return 0;
}

void oracred_user_key_delete(const WCHAR *root, const char *pbk_path, const char *entry) {
  WCHAR name[128];
  HKEY k;
  key_name(root, pbk_path, entry, name, ARRAYSIZE(name));
  if (RegOpenKeyExW(HKEY_CURRENT_USER, name, 0, KEY_READ, &k) != ERROR_SUCCESS)
    return;
  int mine = key_matches(k, pbk_path, entry);
  RegCloseKey(k);
  if (mine)
    RegDeleteKeyW(HKEY_CURRENT_USER, name);
}

int oracred_dial_saved(const char *phonebook, const char *entry, unsigned what, char *out,
                       size_t cap) {
  orapb_set set;
  int which;
  out[0] = 0;
  if (orapb_resolve_utf8(phonebook && phonebook[0] ? phonebook : NULL, &set) != 0 ||
      orapb_find(&set, entry, &which, NULL) != 0)
    return 0;
  for (int machine = 0; machine < 2; machine++) {
    oracred c;
    oracred_load(set.path[which], entry, machine, what == ORACRED_PASSWORD, &c);
    const char *v = what == ORACRED_PASSWORD ? c.password : c.domain;
    int ok = (c.have & what) && strlen(v) < cap;
    if (ok)
      memcpy(out, v, strlen(v) + 1);
    SecureZeroMemory(&c, sizeof c);
    if (ok)
      return 1;
  }
  return 0;
}
