/* RasEnumDevices and RasGetCountryInfo (A and W), and the device list (devices.h). */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices.h"
#include "openras/devnames.h"
#include "pbk_access.h"
#include "pbk_layouts.h"
#include "strconv.h"

/* ---- the device list ---- */

static int port_cmp(const void *a, const void *b) {
  const char *x = a, *y = b;
  int nx = atoi(x + 3), ny = atoi(y + 3);
  return nx != ny ? (nx < ny ? -1 : 1) : strcmp(x, y);
}

static int is_com(const char *s) {
  if ((s[0] | 32) != 'c' || (s[1] | 32) != 'o' || (s[2] | 32) != 'm' || !s[3])
    return 0;
  for (s += 3; *s; s++)
    if (*s < '0' || *s > '9')
      return 0;
  return 1;
}

/* Under Wine, a port mapped by hand (a dosdevices\comN link to a tty or pty) is in
 * neither SERIALCOMM nor the object manager's list until something opens it: read the
 * prefix's dosdevices folder, found through Wine's own path conversions. Adds the COMn
 * names to found[*n]; nothing on Windows (no wine_get_unix_file_name). */
static void wine_mapped_ports(char found[64][16], size_t *n) {
  HMODULE k32 = GetModuleHandleW(L"kernel32.dll");
  typedef char *(CDECL * to_unix_fn)(LPCWSTR);
  typedef WCHAR *(CDECL * to_dos_fn)(LPCSTR);
  to_unix_fn to_unix =
      k32 ? (to_unix_fn)(void *)GetProcAddress(k32, "wine_get_unix_file_name") : NULL;
  to_dos_fn to_dos = k32 ? (to_dos_fn)(void *)GetProcAddress(k32, "wine_get_dos_file_name") : NULL;
  if (!to_unix || !to_dos)
    return;
  char *drive = to_unix(L"C:\\"); /* <prefix>/dosdevices/c:/ (or drive_c/) */
  if (!drive)
    return;
  char dir[MAX_PATH];
  const char *at = strstr(drive, "/dosdevices/");
  int ok = at && (size_t)(at - drive) + 16 < sizeof dir;
  if (ok)
    snprintf(dir, sizeof dir, "%.*s/dosdevices/", (int)(at - drive), drive);
  HeapFree(GetProcessHeap(), 0, drive);
  WCHAR *dos = ok ? to_dos(dir) : NULL;
  if (!dos)
    return;
  WCHAR pattern[MAX_PATH + 8];
  int fits = wcslen(dos) + 6 < ARRAYSIZE(pattern);
  if (fits)
    swprintf(pattern, ARRAYSIZE(pattern), L"%lscom*", dos);
  HeapFree(GetProcessHeap(), 0, dos);
  WIN32_FIND_DATAW fd;
  HANDLE f = fits ? FindFirstFileW(pattern, &fd) : INVALID_HANDLE_VALUE;
  if (f == INVALID_HANDLE_VALUE)
    return;
  do {
    if (*n < 64 &&
        ora_w_to_utf8(fd.cFileName, ARRAYSIZE(fd.cFileName), found[*n], sizeof found[*n]) &&
        is_com(found[*n])) {
      CharUpperA(found[*n]);
      (*n)++;
    }
  } while (FindNextFileW(f, &fd));
  FindClose(f);
}

/* The serial ports, sorted, at most 8. */
static size_t com_ports(char ports[8][16]) {
  char found[64][16];
  size_t n = 0;
  HKEY k;
  if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"HARDWARE\\DEVICEMAP\\SERIALCOMM", 0, KEY_READ, &k) ==
      ERROR_SUCCESS) {
    for (DWORD i = 0; n < 64; i++) {
      WCHAR name[256], data[64];
      DWORD nl = ARRAYSIZE(name), dl = sizeof data - sizeof(WCHAR), type;
      if (RegEnumValueW(k, i, name, &nl, NULL, &type, (BYTE *)data, &dl) != ERROR_SUCCESS)
        break;
      if (type != REG_SZ)
        continue;
      data[dl / sizeof(WCHAR)] = 0;
      if (ora_w_to_utf8(data, ARRAYSIZE(data), found[n], sizeof found[n]) && is_com(found[n]))
        n++;
    }
    RegCloseKey(k);
  }
  {
    /* And the COMn names the object manager knows: under Wine a port mapped by hand
     * (a dosdevices\comN link to a tty or pty) is not in SERIALCOMM. */
    DWORD cap = 64 * 1024;
    WCHAR *buf = malloc(cap * sizeof(WCHAR));
    DWORD len = buf ? QueryDosDeviceW(NULL, buf, cap) : 0;
    for (WCHAR *p = buf; p && p < buf + len && *p && n < 64; p += wcslen(p) + 1)
      if (ora_w_to_utf8(p, wcslen(p) + 1, found[n], sizeof found[n]) && is_com(found[n]))
        n++;
    free(buf);
  }
  wine_mapped_ports(found, &n);
  qsort(found, n, sizeof found[0], port_cmp);
  size_t m = 0;
  for (size_t i = 0; i < n && m < 8; i++)
    if (m == 0 || strcmp(ports[m - 1], found[i]) != 0)
      memcpy(ports[m++], found[i], sizeof found[i]);
  return m;
}

static void make(oradev *d, const char *type, const char *name, const char *port,
                 const char *link) {
  snprintf(d->type, sizeof d->type, "%s", type);
  snprintf(d->name, sizeof d->name, "%s", name);
  snprintf(d->port, sizeof d->port, "%s", port);
  d->link = link;
}

size_t oradev_list(oradev *out) {
  char ports[8][16], name[129];
  size_t n = 0;
  make(&out[n++], ORA_DEVTYPE_MODEM, ORA_DEVNAME_SIM, "SIM", "sim");
  make(&out[n++], ORA_DEVTYPE_VPN, ORA_DEVNAME_TCP, "TCP", "tcp");
  make(&out[n++], ORA_DEVTYPE_VPN, ORA_DEVNAME_L2TP, "VPN2-0", "l2tp");
  size_t np = com_ports(ports);
  for (size_t i = 0; i < np; i++) {
    snprintf(name, sizeof name, "%s (%s)", ORA_DEVNAME_MODEM_PREFIX, ports[i]);
    make(&out[n++], ORA_DEVTYPE_MODEM, name, ports[i], "modem");
    snprintf(name, sizeof name, "%s (%s)", ORA_DEVNAME_CABLE_PREFIX, ports[i]);
    make(&out[n++], ORA_DEVTYPE_MODEM, name, ports[i], "direct");
  }
  return n;
}

int oradev_find(const char *name, oradev *out) {
  oradev all[ORADEV_MAX];
  size_t n = oradev_list(all);
  for (size_t i = 0; i < n; i++) {
    if (CompareStringA(LOCALE_INVARIANT, NORM_IGNORECASE, all[i].name, -1, name, -1) ==
        CSTR_EQUAL) {
      *out = all[i];
      return 1;
    }
  }
  /* A port that is not there now still names its device. */
  const char *paren = strrchr(name, '(');
  size_t len = strlen(name);
  if (paren && len > 2 && name[len - 1] == ')') {
    char port[16];
    snprintf(port, sizeof port, "%.*s", (int)(name + len - 1 - paren - 1), paren + 1);
    static const char modem[] = ORA_DEVNAME_MODEM_PREFIX " (",
                      cable[] = ORA_DEVNAME_CABLE_PREFIX " (";
    if (is_com(port) && strncmp(name, modem, sizeof modem - 1) == 0) {
      make(out, ORA_DEVTYPE_MODEM, name, port, "modem");
      return 1;
    }
    if (is_com(port) && strncmp(name, cable, sizeof cable - 1) == 0) {
      make(out, ORA_DEVTYPE_MODEM, name, port, "direct");
      return 1;
    }
  }
  return 0;
}

int oradev_for_link(const char *link, const char *port, oradev *out) {
  char name[129];
  if (_stricmp(link, "sim") == 0) {
    make(out, ORA_DEVTYPE_MODEM, ORA_DEVNAME_SIM, "SIM", "sim");
  } else if (_stricmp(link, "tcp") == 0) {
    make(out, ORA_DEVTYPE_VPN, ORA_DEVNAME_TCP, "TCP", "tcp");
  } else if (_stricmp(link, "l2tp") == 0 || _stricmp(link, "vpn") == 0) {
    make(out, ORA_DEVTYPE_VPN, ORA_DEVNAME_L2TP, "VPN2-0", "l2tp");
  } else if (port && is_com(port) && _stricmp(link, "modem") == 0) {
    snprintf(name, sizeof name, "%s (%s)", ORA_DEVNAME_MODEM_PREFIX, port);
    make(out, ORA_DEVTYPE_MODEM, name, port, "modem");
  } else if (port && is_com(port) && _stricmp(link, "direct") == 0) {
    snprintf(name, sizeof name, "%s (%s)", ORA_DEVNAME_CABLE_PREFIX, port);
    make(out, ORA_DEVTYPE_MODEM, name, port, "direct");
  } else {
    return 0;
  }
  return 1;
}

/* ---- RasEnumDevices ---- */

static DWORD enum_devices(int wide, void *buf, DWORD *lpcb, DWORD *lpcount) {
  DWORD esize = wide ? sizeof(ora_rdevw) : sizeof(ora_rdeva);
  if (!lpcb || !lpcount)
    return ERROR_INVALID_PARAMETER;
  if (buf) {
    DWORD size;
    memcpy(&size, buf, sizeof size);
    if (size != esize)
      return ORA_ERROR_INVALID_SIZE;
    /* Windows answers a buffer smaller than one element before counting (Wine's
     * conformance test checks the count is left alone). */
    if (*lpcb < esize) {
      oradev all[ORADEV_MAX];
      *lpcb = (DWORD)(oradev_list(all) * esize);
      return ORA_ERROR_BUFFER_TOO_SMALL;
    }
  }
  oradev all[ORADEV_MAX];
  size_t n = oradev_list(all);
  DWORD need = (DWORD)(n * esize);
  if (!buf || *lpcb < need) {
    *lpcb = need;
    *lpcount = (DWORD)n;
    return n ? ORA_ERROR_BUFFER_TOO_SMALL : 0;
  }
  for (size_t i = 0; i < n; i++) {
    BYTE *p = (BYTE *)buf + i * esize;
    memset(p, 0, esize);
    memcpy(p, &esize, sizeof esize);
    if (wide) {
      ora_rdevw *d = (ora_rdevw *)(void *)p;
      ora_utf8_to_w(all[i].type, d->szDeviceType, ARRAYSIZE(d->szDeviceType));
      ora_utf8_to_w(all[i].name, d->szDeviceName, ARRAYSIZE(d->szDeviceName));
    } else {
      ora_rdeva *d = (ora_rdeva *)(void *)p;
      ora_utf8_to_a(all[i].type, d->szDeviceType, sizeof d->szDeviceType);
      ora_utf8_to_a(all[i].name, d->szDeviceName, sizeof d->szDeviceName);
    }
  }
  *lpcb = need;
  *lpcount = (DWORD)n;
  return 0;
}

DWORD WINAPI RasEnumDevicesA(void *buf, DWORD *lpcb, DWORD *lpcount);
DWORD WINAPI RasEnumDevicesA(void *buf, DWORD *lpcb, DWORD *lpcount) {
  return enum_devices(0, buf, lpcb, lpcount);
}

DWORD WINAPI RasEnumDevicesW(void *buf, DWORD *lpcb, DWORD *lpcount);
DWORD WINAPI RasEnumDevicesW(void *buf, DWORD *lpcb, DWORD *lpcount) {
  return enum_devices(1, buf, lpcb, lpcount);
}

/* ---- RasGetCountryInfo ---- */

/* A small built-in list (TAPI country IDs and dialing codes), in ID order: each
 * entry's dwNextCountryID is the next one's ID, the last one's is 0. */
static const struct {
  WORD id, code;
  const char *name;
} countries[] = {
    {1, 1, "United States of America"},
    {2, 1, "Canada"},
    {7, 7, "Russia"},
    {20, 20, "Egypt"},
    {27, 27, "South Africa"},
    {30, 30, "Greece"},
    {31, 31, "Netherlands"},
    {32, 32, "Belgium"},
    {33, 33, "France"},
    {34, 34, "Spain"},
    {36, 36, "Hungary"},
    {39, 39, "Italy"},
    {41, 41, "Switzerland"},
    {43, 43, "Austria"},
    {44, 44, "United Kingdom"},
    {45, 45, "Denmark"},
    {46, 46, "Sweden"},
    {47, 47, "Norway"},
    {48, 48, "Poland"},
    {49, 49, "Germany"},
    {52, 52, "Mexico"},
    {54, 54, "Argentina"},
    {55, 55, "Brazil"},
    {61, 61, "Australia"},
    {64, 64, "New Zealand"},
    {65, 65, "Singapore"},
    {81, 81, "Japan"},
    {82, 82, "Korea (South)"},
    {86, 86, "China"},
    {91, 91, "India"},
    {351, 351, "Portugal"},
    {353, 353, "Ireland"},
    {358, 358, "Finland"},
};

static DWORD country_info(int wide, void *buf, DWORD *lpcb) {
  if (!lpcb)
    return ERROR_INVALID_PARAMETER;
  if (!buf)
    return ORAPB_ERROR_INVALID_USER_BUFFER;
  ora_rctry ci;
  memcpy(&ci.dwSize, buf, sizeof ci.dwSize); /* nothing past dwSize before it is checked */
  if (ci.dwSize != sizeof(ora_rctry))
    return ORA_ERROR_INVALID_SIZE;
  memcpy(&ci, buf, sizeof ci.dwSize + sizeof ci.dwCountryID);
  size_t i = 0;
  while (i < ARRAYSIZE(countries) && countries[i].id != ci.dwCountryID)
    i++;
  if (i == ARRAYSIZE(countries))
    return ERROR_INVALID_PARAMETER;
  size_t chars = strlen(countries[i].name) + 1; /* ASCII names: one unit per character */
  DWORD need = (DWORD)(sizeof ci + chars * (wide ? sizeof(WCHAR) : 1));
  if (*lpcb < need) {
    *lpcb = need;
    return ORA_ERROR_BUFFER_TOO_SMALL;
  }
  ci.dwNextCountryID = i + 1 < ARRAYSIZE(countries) ? countries[i + 1].id : 0;
  ci.dwCountryCode = countries[i].code;
  ci.dwCountryNameOffset = sizeof ci;
  memcpy(buf, &ci, sizeof ci);
  BYTE *name = (BYTE *)buf + sizeof ci;
  if (wide)
    ora_utf8_to_w(countries[i].name, (WCHAR *)(void *)name, chars);
  else
    ora_utf8_to_a(countries[i].name, (char *)name, chars);
  *lpcb = need;
  return 0;
}

DWORD WINAPI RasGetCountryInfoA(void *buf, DWORD *lpcb);
DWORD WINAPI RasGetCountryInfoA(void *buf, DWORD *lpcb) {
  return country_info(0, buf, lpcb);
}

DWORD WINAPI RasGetCountryInfoW(void *buf, DWORD *lpcb);
DWORD WINAPI RasGetCountryInfoW(void *buf, DWORD *lpcb) {
  return country_info(1, buf, lpcb);
}
