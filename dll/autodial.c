/* The AutoDial settings (A and W): RasGet/SetAutodialEnable, RasGet/SetAutodialParam,
 * RasGet/SetAutodialAddress, RasEnumAutodialAddresses. OpenRAS stores them and gives
 * them back; nothing dials on their account. Storage, per user, in
 * HKCU\Software\OpenRAS\Autodial:
 *   Enable\<dialing location>   REG_DWORD 0/1 (absent: disabled)
 *   Params\<RASADP_ name>       REG_DWORD
 *   Addresses\<address>         REG_MULTI_SZ, one "<dialing location>=<entry>" each */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pbk_access.h"
#include "pbk_layouts.h"
#include "strconv.h"

#define AD_ROOT L"Software\\OpenRAS\\Autodial"
#define MAX_ADDR 1024 /* characters in an address */

static LONG open_key(const WCHAR *sub, int create, HKEY *k) {
  WCHAR path[128];
  _snwprintf(path, ARRAYSIZE(path), L"%s\\%s", AD_ROOT, sub);
  path[ARRAYSIZE(path) - 1] = 0;
  if (create)
    return RegCreateKeyExW(HKEY_CURRENT_USER, path, 0, NULL, 0, KEY_READ | KEY_WRITE, NULL, k,
                           NULL);
  return RegOpenKeyExW(HKEY_CURRENT_USER, path, 0, KEY_READ, k);
}

/* ---- RasGetAutodialEnable / RasSetAutodialEnable ---- */

DWORD WINAPI RasGetAutodialEnableA(DWORD location, BOOL *enabled);
DWORD WINAPI RasGetAutodialEnableA(DWORD location, BOOL *enabled) {
  if (!enabled)
    return ERROR_INVALID_PARAMETER;
  WCHAR name[16];
  DWORD v = 0, cb = sizeof v, type;
  HKEY k;
  _snwprintf(name, ARRAYSIZE(name), L"%lu", (unsigned long)location);
  name[ARRAYSIZE(name) - 1] = 0;
  if (open_key(L"Enable", 0, &k) == ERROR_SUCCESS) {
    if (RegQueryValueExW(k, name, NULL, &type, (BYTE *)&v, &cb) != ERROR_SUCCESS ||
        type != REG_DWORD)
      v = 0;
    RegCloseKey(k);
  }
  *enabled = v != 0;
  return 0;
}

DWORD WINAPI RasGetAutodialEnableW(DWORD location, BOOL *enabled);
DWORD WINAPI RasGetAutodialEnableW(DWORD location, BOOL *enabled) {
  return RasGetAutodialEnableA(location, enabled);
}

DWORD WINAPI RasSetAutodialEnableA(DWORD location, BOOL enabled);
DWORD WINAPI RasSetAutodialEnableA(DWORD location, BOOL enabled) {
  WCHAR name[16];
  DWORD v = enabled != 0;
  HKEY k;
  _snwprintf(name, ARRAYSIZE(name), L"%lu", (unsigned long)location);
  name[ARRAYSIZE(name) - 1] = 0;
  LONG rc = open_key(L"Enable", 1, &k);
  if (rc == ERROR_SUCCESS) {
    rc = RegSetValueExW(k, name, 0, REG_DWORD, (const BYTE *)&v, sizeof v);
    RegCloseKey(k);
  }
  return (DWORD)rc;
}

DWORD WINAPI RasSetAutodialEnableW(DWORD location, BOOL enabled);
DWORD WINAPI RasSetAutodialEnableW(DWORD location, BOOL enabled) {
  return RasSetAutodialEnableA(location, enabled);
}

/* ---- RasGetAutodialParam / RasSetAutodialParam ---- */

/* RASADP_DisableConnectionQuery 0 ... RASADP_ConnectionQueryTimeout 4, and the value
 * each has until set. */
static const struct {
  const WCHAR *name;
  DWORD def;
} params[] = {{L"DisableConnectionQuery", 0},
              {L"LoginSessionDisable", 0},
              {L"SavedAddressesLimit", 100},
              {L"FailedConnectionTimeout", 5},
              {L"ConnectionQueryTimeout", 60}};

DWORD WINAPI RasGetAutodialParamA(DWORD key, void *value, DWORD *cb);
DWORD WINAPI RasGetAutodialParamA(DWORD key, void *value, DWORD *cb) {
  if (!value || !cb || key >= ARRAYSIZE(params))
    return ERROR_INVALID_PARAMETER;
  if (*cb < sizeof(DWORD)) {
    *cb = sizeof(DWORD);
    return ORA_ERROR_BUFFER_TOO_SMALL;
  }
  DWORD v = params[key].def, got, size = sizeof got, type;
  HKEY k;
  if (open_key(L"Params", 0, &k) == ERROR_SUCCESS) {
    if (RegQueryValueExW(k, params[key].name, NULL, &type, (BYTE *)&got, &size) == ERROR_SUCCESS &&
        type == REG_DWORD)
      v = got;
    RegCloseKey(k);
  }
  memcpy(value, &v, sizeof v);
  *cb = sizeof v;
  return 0;
}

DWORD WINAPI RasGetAutodialParamW(DWORD key, void *value, DWORD *cb);
DWORD WINAPI RasGetAutodialParamW(DWORD key, void *value, DWORD *cb) {
  return RasGetAutodialParamA(key, value, cb);
}

DWORD WINAPI RasSetAutodialParamA(DWORD key, void *value, DWORD cb);
DWORD WINAPI RasSetAutodialParamA(DWORD key, void *value, DWORD cb) {
  if (!value || key >= ARRAYSIZE(params))
    return ERROR_INVALID_PARAMETER;
  if (cb != sizeof(DWORD))
    return ORA_ERROR_INVALID_SIZE;
  DWORD v;
  HKEY k;
  memcpy(&v, value, sizeof v);
  LONG rc = open_key(L"Params", 1, &k);
  if (rc == ERROR_SUCCESS) {
    rc = RegSetValueExW(k, params[key].name, 0, REG_DWORD, (const BYTE *)&v, sizeof v);
    RegCloseKey(k);
  }
  return (DWORD)rc;
}

DWORD WINAPI RasSetAutodialParamW(DWORD key, void *value, DWORD cb);
DWORD WINAPI RasSetAutodialParamW(DWORD key, void *value, DWORD cb) {
  return RasSetAutodialParamA(key, value, cb);
}

/* ---- addresses ---- */

/* An address argument as a registry value name. */
static int address_arg(int wide, const void *address, WCHAR *out, size_t units) {
  char utf8[MAX_ADDR * 3 + 1];
  if (!address || !orapb_arg(wide, address, utf8, sizeof utf8) || !utf8[0])
    return 0;
  return MultiByteToWideChar(CP_UTF8, 0, utf8, -1, out, (int)units) > 0;
}

/* The address's "<location>=<entry>" strings (REG_MULTI_SZ); NULL if absent. */
static WCHAR *read_address(const WCHAR *address, DWORD *chars) {
  HKEY k;
  if (open_key(L"Addresses", 0, &k) != ERROR_SUCCESS)
    return NULL;
  DWORD type, cb = 0;
  WCHAR *data = NULL;
  if (RegQueryValueExW(k, address, NULL, &type, NULL, &cb) == ERROR_SUCCESS &&
      type == REG_MULTI_SZ && (data = calloc(cb / sizeof(WCHAR) + 2, sizeof(WCHAR))) != NULL &&
      RegQueryValueExW(k, address, NULL, &type, (BYTE *)data, &cb) != ERROR_SUCCESS) {
    free(data);
    data = NULL;
  }
  RegCloseKey(k);
  if (data)
    *chars = cb / sizeof(WCHAR);
  return data;
}

static DWORD get_address(int wide, const void *address, DWORD *reserved, void *buf, DWORD *lpcb,
                         DWORD *lpcount) {
  WCHAR name[MAX_ADDR + 1];
  DWORD esize = wide ? sizeof(ora_radew) : sizeof(ora_radea);
  if (reserved || !lpcb || !lpcount || !address_arg(wide, address, name, ARRAYSIZE(name)))
    return ERROR_INVALID_PARAMETER;
  if (buf) {
    DWORD size;
    memcpy(&size, buf, sizeof size);
    if (size != esize)
      return ORA_ERROR_INVALID_SIZE;
  }
  DWORD chars;
  WCHAR *data = read_address(name, &chars);
  if (!data)
    return ERROR_FILE_NOT_FOUND;
  DWORD n = 0;
  for (WCHAR *p = data; *p; p += wcslen(p) + 1)
    n++;
  DWORD need = n * esize, rc = 0;
  if (!buf || *lpcb < need) {
    rc = ORA_ERROR_BUFFER_TOO_SMALL;
  } else {
    BYTE *out = buf;
    for (WCHAR *p = data; *p; p += wcslen(p) + 1, out += esize) {
      WCHAR *eq = wcschr(p, L'=');
      DWORD loc = (DWORD)wcstoul(p, NULL, 10);
      char entry[ORA_ENTRY_BYTES];
      ora_w_to_utf8(eq ? eq + 1 : L"", (size_t)-1, entry, sizeof entry);
      memset(out, 0, esize);
      memcpy(out, &esize, sizeof esize);
      if (wide) {
        ora_radew *e = (ora_radew *)(void *)out;
        e->dwDialingLocation = loc;
        ora_utf8_to_w(entry, e->szEntry, ARRAYSIZE(e->szEntry));
      } else {
        ora_radea *e = (ora_radea *)(void *)out;
        e->dwDialingLocation = loc;
        ora_utf8_to_a(entry, e->szEntry, sizeof e->szEntry);
      }
    }
  }
  free(data);
  *lpcb = need;
  *lpcount = n;
  return rc;
}

DWORD WINAPI RasGetAutodialAddressA(LPCSTR address, DWORD *reserved, void *buf, DWORD *lpcb,
                                    DWORD *lpcount);
DWORD WINAPI RasGetAutodialAddressA(LPCSTR address, DWORD *reserved, void *buf, DWORD *lpcb,
                                    DWORD *lpcount) {
  return get_address(0, address, reserved, buf, lpcb, lpcount);
}

DWORD WINAPI RasGetAutodialAddressW(LPCWSTR address, DWORD *reserved, void *buf, DWORD *lpcb,
                                    DWORD *lpcount);
DWORD WINAPI RasGetAutodialAddressW(LPCWSTR address, DWORD *reserved, void *buf, DWORD *lpcb,
                                    DWORD *lpcount) {
  return get_address(1, address, reserved, buf, lpcb, lpcount);
}

static DWORD set_address(int wide, const void *address, DWORD reserved, const void *buf, DWORD cb,
                         DWORD count) {
  WCHAR name[MAX_ADDR + 1];
  DWORD esize = wide ? sizeof(ora_radew) : sizeof(ora_radea);
  if (reserved || !address_arg(wide, address, name, ARRAYSIZE(name)))
    return ERROR_INVALID_PARAMETER;
  HKEY k;
  LONG rc;
  if (!buf) {
    /* No entries: forget the address. */
    if (cb || count)
      return ERROR_INVALID_PARAMETER;
    if (open_key(L"Addresses", 0, &k) != ERROR_SUCCESS)
      return 0; /* nothing stored at all */
    RegCloseKey(k);
    if ((rc = open_key(L"Addresses", 1, &k)) != ERROR_SUCCESS)
      return (DWORD)rc;
    rc = RegDeleteValueW(k, name);
    RegCloseKey(k);
    return rc == ERROR_FILE_NOT_FOUND ? 0 : (DWORD)rc;
  }
  DWORD size;
  memcpy(&size, buf, sizeof size);
  if (size != esize)
    return ORA_ERROR_INVALID_SIZE;
  if (count == 0 || cb < count * esize || count > 1024)
    return ERROR_INVALID_PARAMETER;
  size_t cap = (size_t)count * (16 + ORA_ENTRY_BYTES) + 1;
  WCHAR *data = calloc(cap, sizeof(WCHAR));
  if (!data)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  size_t n = 0;
  for (DWORD i = 0; i < count; i++) {
    const BYTE *p = (const BYTE *)buf + (size_t)i * esize;
    char entry[ORA_ENTRY_BYTES];
    DWORD loc;
    if (wide) {
      const ora_radew *e = (const ora_radew *)(const void *)p;
      loc = e->dwDialingLocation;
      ora_w_to_utf8(e->szEntry, ARRAYSIZE(e->szEntry), entry, sizeof entry);
    } else {
      const ora_radea *e = (const ora_radea *)(const void *)p;
      loc = e->dwDialingLocation;
      ora_a_to_utf8(e->szEntry, sizeof e->szEntry, entry, sizeof entry);
    }
    n += (size_t)_snwprintf(data + n, cap - n, L"%lu=", (unsigned long)loc);
    n += (size_t)MultiByteToWideChar(CP_UTF8, 0, entry, -1, data + n, (int)(cap - n));
  }
  data[n++] = 0;
  rc = open_key(L"Addresses", 1, &k);
  if (rc == ERROR_SUCCESS) {
    rc = RegSetValueExW(k, name, 0, REG_MULTI_SZ, (const BYTE *)data, (DWORD)(n * sizeof(WCHAR)));
    RegCloseKey(k);
  }
  free(data);
  return (DWORD)rc;
}

DWORD WINAPI RasSetAutodialAddressA(LPCSTR address, DWORD reserved, void *buf, DWORD cb,
                                    DWORD count);
DWORD WINAPI RasSetAutodialAddressA(LPCSTR address, DWORD reserved, void *buf, DWORD cb,
                                    DWORD count) {
  return set_address(0, address, reserved, buf, cb, count);
}

DWORD WINAPI RasSetAutodialAddressW(LPCWSTR address, DWORD reserved, void *buf, DWORD cb,
                                    DWORD count);
DWORD WINAPI RasSetAutodialAddressW(LPCWSTR address, DWORD reserved, void *buf, DWORD cb,
                                    DWORD count) {
  return set_address(1, address, reserved, buf, cb, count);
}

/* The buffer holds `count` string pointers, then the strings they point to. */
static DWORD enum_addresses(int wide, void *buf, DWORD *lpcb, DWORD *lpcount) {
  if (!lpcb || !lpcount)
    return ERROR_INVALID_PARAMETER;
  HKEY k;
  DWORD n = 0, need = 0;
  size_t unit = wide ? sizeof(WCHAR) : 1;
  WCHAR name[MAX_ADDR + 1];
  char a[MAX_ADDR * 2 + 1];
  int have = open_key(L"Addresses", 0, &k) == ERROR_SUCCESS;
  for (DWORD i = 0; have; i++) {
    DWORD nl = ARRAYSIZE(name);
    if (RegEnumValueW(k, i, name, &nl, NULL, NULL, NULL, NULL) != ERROR_SUCCESS)
      break;
    n++;
    if (wide) {
      need += (DWORD)((nl + 1) * unit);
    } else {
      int len = WideCharToMultiByte(CP_ACP, 0, name, -1, a, sizeof a, NULL, NULL);
      need += (DWORD)(len > 0 ? len : 1);
    }
  }
  need += n * (DWORD)sizeof(void *);
  DWORD rc = 0;
  if (!buf || *lpcb < need) {
    rc = n ? ORA_ERROR_BUFFER_TOO_SMALL : 0;
  } else {
    void **ptrs = buf;
    BYTE *p = (BYTE *)buf + n * sizeof(void *), *end = (BYTE *)buf + need;
    DWORD got = 0;
    for (DWORD i = 0; got < n; i++) {
      DWORD nl = ARRAYSIZE(name);
      if (RegEnumValueW(k, i, name, &nl, NULL, NULL, NULL, NULL) != ERROR_SUCCESS)
        break;
      size_t room = (size_t)(end - p);
      if (wide) {
        if ((nl + 1) * unit > room)
          break;
        memcpy(p, name, (nl + 1) * unit);
        ptrs[got++] = p;
        p += (nl + 1) * unit;
      } else {
        int len = WideCharToMultiByte(CP_ACP, 0, name, -1, (char *)p, (int)room, NULL, NULL);
        if (len <= 0)
          break;
        ptrs[got++] = p;
        p += len;
      }
    }
    n = got;
  }
  if (have)
    RegCloseKey(k);
  *lpcb = need;
  *lpcount = n;
  return rc;
}

DWORD WINAPI RasEnumAutodialAddressesA(LPSTR *buf, DWORD *lpcb, DWORD *lpcount);
DWORD WINAPI RasEnumAutodialAddressesA(LPSTR *buf, DWORD *lpcb, DWORD *lpcount) {
  return enum_addresses(0, buf, lpcb, lpcount);
}

DWORD WINAPI RasEnumAutodialAddressesW(LPWSTR *buf, DWORD *lpcb, DWORD *lpcount);
DWORD WINAPI RasEnumAutodialAddressesW(LPWSTR *buf, DWORD *lpcb, DWORD *lpcount) {
  return enum_addresses(1, buf, lpcb, lpcount);
}
