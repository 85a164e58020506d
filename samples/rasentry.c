/* rasentry: creates, lists, shows, changes and deletes phone-book entries.
 *
 *   rasentry list   [/PHONEBOOK:file]
 *   rasentry show   NAME [/PHONEBOOK:file]
 *   rasentry add    NAME /TYPE:sim|modem|direct|tcp [/PHONE:n] [/PORT:COMn]
 *                   [/ADDRESS:host:port] [/SET:KEY=VALUE]... [/PHONEBOOK:file]
 *   rasentry set    NAME [KEY=VALUE]... [/TYPE:t] [/PHONE:n] [/PORT:COMn]
 *                   [/ADDRESS:host:port] [/SET:KEY=VALUE]... [/PHONEBOOK:file]
 *   rasentry delete NAME [/PHONEBOOK:file]
 *
 * Everything a RASENTRY can say goes through the RAS API (RasSetEntryProperties and
 * friends), as any Windows program would do it. OpenRAS's own ORA_* keys (the link
 * driver's settings) have no RASENTRY member, so they are written into the phone-book
 * file afterwards with the project's phone-book module (core/pbk), under the same
 * "<file>.lock" the DLL takes: every other line stays as it was and concurrent writers
 * lose nothing. The exit code is the RAS (or Win32) error code, 0 on success. */
#include <windows.h>
#include <ras.h>
#include <raserror.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "openras/devnames.h"
#include "openras/pbk.h"

#define MAX_KV 64

typedef struct {
  const char *cmd, *name, *type, *phone, *port, *address, *phonebook;
  const char *kv[MAX_KV]; /* "KEY=VALUE" */
  int nkv;
} options;

static void usage(void) {
  printf("Creates, lists, shows, changes and deletes phone-book entries (OpenRAS).\n\n"
         "RASENTRY LIST   [/PHONEBOOK:file]\n"
         "RASENTRY SHOW   name [/PHONEBOOK:file]\n"
         "RASENTRY ADD    name /TYPE:sim|modem|direct|tcp [/PHONE:number] [/PORT:COMn]\n"
         "                [/ADDRESS:host:port] [/SET:key=value]... [/PHONEBOOK:file]\n"
         "RASENTRY SET    name [key=value]... [/TYPE:type] [/PHONE:number] [/PORT:COMn]\n"
         "                [/ADDRESS:host:port] [/PHONEBOOK:file]\n"
         "RASENTRY DELETE name [/PHONEBOOK:file]\n\n"
         "Types: sim (the simulated link), modem (a Hayes modem on /PORT, dialing /PHONE),\n"
         "direct (a null-modem cable on /PORT), tcp (PPP over TCP to /ADDRESS).\n"
         "Keys: OpenRAS's own ORA_* keys (docs/simulated-link.md, docs/links.md), and\n"
         "PhoneNumber, AreaCode, CountryCode, IpAddress, DnsAddress, DnsAddressAlt.\n"
         "key= (no value) removes an ORA_ key or clears the setting.\n"
         "Without /PHONEBOOK the user's default phone book is used.\n");
}

/* "rasentry: error N - text" with the RAS text, or the system's for other codes. */
static DWORD report(DWORD code) {
  char text[512];
  text[0] = 0;
  if (RasGetErrorStringA((UINT)code, text, sizeof text) != 0)
    FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code, 0, text,
                   sizeof text, NULL);
  size_t n = strlen(text);
  while (n && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
    text[--n] = 0;
  printf("rasentry: error %lu - %s\n", (unsigned long)code, n ? text : "(no description)");
  return code;
}

static DWORD bad(const char *what, const char *arg) {
  printf("rasentry: %s: %s\n", what, arg);
  return ERROR_INVALID_PARAMETER;
}

/* ---- arguments ---- */

static int is_switch(const char *arg, const char *name, const char **value) {
  size_t n = strlen(name);
  if (arg[0] != '/' || _strnicmp(arg + 1, name, n) != 0 || arg[1 + n] != ':')
    return 0;
  *value = arg + 2 + n;
  return 1;
}

static DWORD parse(int argc, char **argv, options *o) {
  memset(o, 0, sizeof *o);
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v;
    if (strcmp(a, "/?") == 0 || _stricmp(a, "/help") == 0) {
      usage();
      exit(0);
    }
    if (strlen(a) > 1024)
      return bad("argument too long", "(over 1024 characters)");
    if (is_switch(a, "TYPE", &v))
      o->type = v;
    else if (is_switch(a, "PHONE", &v))
      o->phone = v;
    else if (is_switch(a, "PORT", &v))
      o->port = v;
    else if (is_switch(a, "ADDRESS", &v))
      o->address = v;
    else if (is_switch(a, "PHONEBOOK", &v))
      o->phonebook = v;
    else if (is_switch(a, "SET", &v) || (a[0] != '/' && o->name && strchr(a, '='))) {
      if (a[0] != '/')
        v = a;
      if (o->nkv == MAX_KV)
        return bad("too many settings", a);
      o->kv[o->nkv++] = v;
    } else if (a[0] == '/')
      return bad("unknown switch (RASENTRY /? lists them)", a);
    else if (!o->cmd)
      o->cmd = a;
    else if (!o->name)
      o->name = a;
    else
      return bad("unexpected argument", a);
  }
  if (!o->cmd) {
    usage();
    return ERROR_INVALID_PARAMETER;
  }
  if (o->name && strlen(o->name) > RAS_MaxEntryName)
    return bad("entry name too long", o->name);
  if (o->phone && strlen(o->phone) > RAS_MaxPhoneNumber)
    return bad("phone number too long", o->phone);
  return 0;
}

/* ---- text conversions: the console speaks the ANSI code page, core/pbk UTF-8 ---- */

static int acp_to_utf8(const char *s, char *out, int cap) {
  WCHAR w[2048];
  if (!MultiByteToWideChar(CP_ACP, 0, s, -1, w, ARRAYSIZE(w)))
    return 0;
  return WideCharToMultiByte(CP_UTF8, 0, w, -1, out, cap, NULL, NULL) != 0;
}

static void print_utf8(const char *s) {
  WCHAR w[2048];
  char a[4096];
  if (MultiByteToWideChar(CP_UTF8, 0, s, -1, w, ARRAYSIZE(w)) &&
      WideCharToMultiByte(CP_ACP, 0, w, -1, a, sizeof a, NULL, NULL))
    fputs(a, stdout);
  else
    fputs(s, stdout);
}

/* ---- the entry through the RAS API ---- */

/* The entry's properties (malloc'd; alternate numbers follow the structure), or the
 * defaults of a new entry when name is NULL. */
static DWORD get_entry(const char *pbk, const char *name, RASENTRYA **out) {
  DWORD cb = 0, rc = RasGetEntryPropertiesA(pbk, name, NULL, &cb, NULL, NULL);
  if (rc != ERROR_BUFFER_TOO_SMALL)
    return rc ? rc : ERROR_INVALID_PARAMETER;
  if (cb < sizeof(RASENTRYA))
    cb = sizeof(RASENTRYA);
  RASENTRYA *e = calloc(1, cb);
  if (!e)
    return ERROR_NOT_ENOUGH_MEMORY;
  e->dwSize = sizeof(RASENTRYA);
  rc = RasGetEntryPropertiesA(pbk, name, e, &cb, NULL, NULL);
  if (rc) {
    free(e);
    return rc;
  }
  *out = e;
  return 0;
}

static int parse_ip(const char *s, RASIPADDR *ip) {
  unsigned a, b, c, d;
  char end;
  if (sscanf(s, "%u.%u.%u.%u%c", &a, &b, &c, &d, &end) != 4 || a > 255 || b > 255 || c > 255 ||
      d > 255)
    return 0;
  ip->a = (BYTE)a, ip->b = (BYTE)b, ip->c = (BYTE)c, ip->d = (BYTE)d;
  return 1;
}

static int is_com_port(const char *s) {
  if (_strnicmp(s, "COM", 3) != 0 || !s[3] || strlen(s) > 6)
    return 0;
  for (s += 3; *s; s++)
    if (*s < '0' || *s > '9')
      return 0;
  return 1;
}

/* The device OpenRAS offers for each link type (dll/devices.h names them; a COM port
 * need not exist yet to be named). */
static DWORD apply_type(RASENTRYA *e, const options *o) {
  const char *t = o->type;
  char port[8];
  if (o->port) {
    if (!is_com_port(o->port))
      return bad("/PORT must name a serial port such as COM5", o->port);
    snprintf(port, sizeof port, "COM%s", o->port + 3);
  }
  if (_stricmp(t, "sim") == 0) {
    strcpy(e->szDeviceType, RASDT_Modem);
    strcpy(e->szDeviceName, ORA_DEVNAME_SIM);
    e->dwType = RASET_Phone;
  } else if (_stricmp(t, "modem") == 0 || _stricmp(t, "direct") == 0) {
    if (!o->port)
      return bad("this type needs /PORT:COMn", t);
    int modem = _stricmp(t, "modem") == 0;
    strcpy(e->szDeviceType, RASDT_Modem);
    snprintf(e->szDeviceName, sizeof e->szDeviceName, "%s (%s)",
             modem ? ORA_DEVNAME_MODEM_PREFIX : ORA_DEVNAME_CABLE_PREFIX, port);
    e->dwType = modem ? RASET_Phone : RASET_Direct;
  } else if (_stricmp(t, "tcp") == 0) {
    if (!o->address)
      return bad("the tcp type needs /ADDRESS:host:port", t);
    strcpy(e->szDeviceType, RASDT_Vpn);
    strcpy(e->szDeviceName, ORA_DEVNAME_TCP);
    e->dwType = RASET_Vpn;
  } else {
    return bad("/TYPE must be sim, modem, direct or tcp", t);
  }
  return 0;
}

/* /PHONE, /ADDRESS and the RASENTRY keys of KEY=VALUE. *ora gets the ORA_ ones. */
static DWORD apply_settings(RASENTRYA *e, const options *o, const char **ora, int *nora) {
  if (o->address) {
    const char *colon = strrchr(o->address, ':');
    char *end;
    long port = colon ? strtol(colon + 1, &end, 10) : 0;
    if (!colon || colon == o->address || port < 1 || port > 65535 || *end ||
        strlen(o->address) > RAS_MaxPhoneNumber)
      return bad("/ADDRESS must be host:port", o->address);
    /* Windows keeps a VPN server's address in the phone number; so does OpenRAS. */
    snprintf(e->szLocalPhoneNumber, sizeof e->szLocalPhoneNumber, "%s", o->address);
  }
  if (o->phone)
    snprintf(e->szLocalPhoneNumber, sizeof e->szLocalPhoneNumber, "%s", o->phone);
  *nora = 0;
  for (int i = 0; i < o->nkv; i++) {
    const char *kv = o->kv[i], *eq = strchr(kv, '=');
    if (!eq || eq == kv)
      return bad("settings are KEY=VALUE", kv);
    size_t klen = (size_t)(eq - kv);
    const char *v = eq + 1;
    char key[64];
    if (klen >= sizeof key)
      return bad("unknown key", kv);
    memcpy(key, kv, klen);
    key[klen] = 0;
    if (_strnicmp(key, "ORA_", 4) == 0) {
      ora[(*nora)++] = kv;
    } else if (_stricmp(key, "PhoneNumber") == 0) {
      if (strlen(v) > RAS_MaxPhoneNumber)
        return bad("phone number too long", v);
      snprintf(e->szLocalPhoneNumber, sizeof e->szLocalPhoneNumber, "%s", v);
    } else if (_stricmp(key, "AreaCode") == 0) {
      if (strlen(v) > RAS_MaxAreaCode)
        return bad("area code too long", v);
      snprintf(e->szAreaCode, sizeof e->szAreaCode, "%s", v);
      e->dwfOptions = *v || e->dwCountryCode ? e->dwfOptions | RASEO_UseCountryAndAreaCodes
                                             : e->dwfOptions & ~RASEO_UseCountryAndAreaCodes;
    } else if (_stricmp(key, "CountryCode") == 0) {
      e->dwCountryCode = (DWORD)strtoul(v, NULL, 10);
      e->dwCountryID = e->dwCountryCode;
      e->dwfOptions = e->dwCountryCode ? e->dwfOptions | RASEO_UseCountryAndAreaCodes
                                       : e->dwfOptions & ~RASEO_UseCountryAndAreaCodes;
    } else if (_stricmp(key, "IpAddress") == 0) {
      if (*v && !parse_ip(v, &e->ipaddr))
        return bad("not an IPv4 address", v);
      e->dwfOptions =
          *v ? e->dwfOptions | RASEO_SpecificIpAddr : e->dwfOptions & ~RASEO_SpecificIpAddr;
    } else if (_stricmp(key, "DnsAddress") == 0 || _stricmp(key, "DnsAddressAlt") == 0) {
      RASIPADDR *ip = _stricmp(key, "DnsAddress") == 0 ? &e->ipaddrDns : &e->ipaddrDnsAlt;
      memset(ip, 0, sizeof *ip);
      if (*v && !parse_ip(v, ip))
        return bad("not an IPv4 address", v);
      int any = e->ipaddrDns.a || e->ipaddrDnsAlt.a;
      e->dwfOptions = any ? e->dwfOptions | RASEO_SpecificNameServers
                          : e->dwfOptions & ~RASEO_SpecificNameServers;
    } else {
      return bad("not a key rasentry knows (OpenRAS's own keys start with ORA_)", kv);
    }
  }
  return 0;
}

/* ---- the ORA_ keys, in the file ---- */

/* The phone-book file that holds the entry, in UTF-8 (RasEnumEntries says which). */
static DWORD entry_file(const char *pbk, const char *name, char *out, int cap) {
  WCHAR wpbk[MAX_PATH], wname[RAS_MaxEntryName + 1];
  if (pbk && !MultiByteToWideChar(CP_ACP, 0, pbk, -1, wpbk, MAX_PATH))
    return ERROR_INVALID_PARAMETER;
  if (!MultiByteToWideChar(CP_ACP, 0, name, -1, wname, ARRAYSIZE(wname)))
    return ERROR_INVALID_PARAMETER;
  DWORD cb = 0, n = 0, rc = RasEnumEntriesW(NULL, pbk ? wpbk : NULL, NULL, &cb, &n);
  if (rc != ERROR_BUFFER_TOO_SMALL)
    return rc ? rc : ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
  RASENTRYNAMEW *list = calloc(1, cb);
  if (!list)
    return ERROR_NOT_ENOUGH_MEMORY;
  list[0].dwSize = sizeof(RASENTRYNAMEW);
  rc = RasEnumEntriesW(NULL, pbk ? wpbk : NULL, list, &cb, &n);
  DWORD found = ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
  for (DWORD i = 0; !rc && i < n && found; i++)
    if (CompareStringW(LOCALE_INVARIANT, NORM_IGNORECASE, list[i].szEntryName, -1, wname, -1) ==
            CSTR_EQUAL &&
        WideCharToMultiByte(CP_UTF8, 0, list[i].szPhonebookPath, -1, out, cap, NULL, NULL))
      found = 0;
  free(list);
  return rc ? rc : found;
}

typedef struct {
  char name[RAS_MaxEntryName * 3 + 1];
  char link[16]; /* /TYPE given: the driver to name in ORA_Link */
  char port[8];  /* and its COM port for modem and direct */
  char key[MAX_KV][64];
  char value[MAX_KV][1024];
  int n;
} ora_edit;

/* The type asked for, stated in OpenRAS's own keys: ORA_Link names the driver whatever
 * the DLL made of the device name, and ORA_Port (which the serial drivers read before
 * Port) is written only when the MEDIA block's Port= does not already say the port. */
static int state_link(ora_pbk *pb, const ora_edit *ed) {
  int rc = ora_pbk_set(pb, ed->name, "ORA_Link", ed->link);
  const char *port = ora_pbk_get(pb, ed->name, "Port");
  if (!rc && ed->port[0] && !(port && _stricmp(port, ed->port) == 0))
    rc = ora_pbk_set(pb, ed->name, "ORA_Port", ed->port);
  else if (!rc && ora_pbk_get(pb, ed->name, "ORA_Port"))
    rc = ora_pbk_remove_key(pb, ed->name, "ORA_Port");
  return rc;
}

static int apply_ora(ora_pbk *pb, void *ctx) {
  const ora_edit *ed = ctx;
  if (ora_pbk_find(pb, ed->name) < 0)
    return ERROR_CANNOT_FIND_PHONEBOOK_ENTRY; /* deleted meanwhile: change nothing */
  if (ed->link[0]) {
    int rc = state_link(pb, ed);
    if (rc)
      return rc;
  }
  for (int i = 0; i < ed->n; i++) {
    int rc;
    if (ed->value[i][0]) {
      rc = ora_pbk_set(pb, ed->name, ed->key[i], ed->value[i]);
    } else {
      rc = ora_pbk_remove_key(pb, ed->name, ed->key[i]);
      if (rc == ORA_ERROR_KEY_NOT_FOUND)
        rc = 0;
    }
    if (rc)
      return rc;
  }
  return 0;
}

static DWORD write_ora_keys(const options *o, const char **kv, int n) {
  if (n == 0 && !o->type)
    return 0;
  static ora_edit ed;
  memset(&ed, 0, sizeof ed);
  if (!acp_to_utf8(o->name, ed.name, sizeof ed.name))
    return ERROR_INVALID_PARAMETER;
  if (o->type) {
    int serial = _stricmp(o->type, "modem") == 0 || _stricmp(o->type, "direct") == 0;
    for (int i = 0; o->type[i] && i < (int)sizeof ed.link - 1; i++)
      ed.link[i] = (char)(o->type[i] | 32);
    if (serial && o->port)
      snprintf(ed.port, sizeof ed.port, "COM%s", o->port + 3);
  }
  for (int i = 0; i < n; i++) {
    const char *eq = strchr(kv[i], '=');
    for (const char *p = kv[i]; p < eq; p++)
      if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '_'))
        return bad("a key holds letters, digits and _ only", kv[i]);
    snprintf(ed.key[i], sizeof ed.key[i], "%.*s", (int)(eq - kv[i]), kv[i]);
    if (!acp_to_utf8(eq + 1, ed.value[i], sizeof ed.value[i]))
      return bad("value too long", kv[i]);
  }
  ed.n = n;
  char file[MAX_PATH * 3];
  DWORD rc = entry_file(o->phonebook, o->name, file, sizeof file);
  if (rc == 0)
    rc = (DWORD)ora_pbk_update(file, apply_ora, &ed);
  return rc;
}

/* ---- commands ---- */

static DWORD cmd_list(const options *o) {
  DWORD cb = 0, n = 0, rc = RasEnumEntriesA(NULL, o->phonebook, NULL, &cb, &n);
  if (rc == 0 && n == 0) {
    printf("No entries\n");
    return 0;
  }
  if (rc != ERROR_BUFFER_TOO_SMALL)
    return report(rc ? rc : ERROR_INVALID_PARAMETER);
  RASENTRYNAMEA *list = calloc(1, cb);
  if (!list)
    return report(ERROR_NOT_ENOUGH_MEMORY);
  list[0].dwSize = sizeof(RASENTRYNAMEA);
  rc = RasEnumEntriesA(NULL, o->phonebook, list, &cb, &n);
  for (DWORD i = 0; !rc && i < n; i++) {
    RASENTRYA *e = NULL;
    const char *pbk = o->phonebook ? o->phonebook : list[i].szPhonebookPath;
    if (get_entry(pbk, list[i].szEntryName, &e) == 0)
      printf("%-24s %s\n", list[i].szEntryName, e->szDeviceName);
    else
      printf("%s\n", list[i].szEntryName);
    free(e);
  }
  free(list);
  return rc ? report(rc) : 0;
}

static int print_ora(void *ctx, const char *key, const char *value) {
  (void)ctx;
  printf("  ");
  print_utf8(key);
  printf("=");
  print_utf8(value);
  printf("\n");
  return 0;
}

static void print_ip(const char *label, const RASIPADDR *ip) {
  printf("%-14s %u.%u.%u.%u\n", label, ip->a, ip->b, ip->c, ip->d);
}

static DWORD cmd_show(const options *o) {
  RASENTRYA *e;
  DWORD rc = get_entry(o->phonebook, o->name, &e);
  if (rc)
    return report(rc);
  char file[MAX_PATH * 3];
  int have_file = entry_file(o->phonebook, o->name, file, sizeof file) == 0;
  printf("%-14s %s\n", "Entry:", o->name);
  if (have_file) {
    printf("%-14s ", "Phone book:");
    print_utf8(file);
    printf("\n");
  }
  printf("%-14s %s (%s)\n", "Device:", e->szDeviceName, e->szDeviceType);
  printf("%-14s %s\n", "Phone number:", e->szLocalPhoneNumber);
  if (e->dwfOptions & RASEO_UseCountryAndAreaCodes)
    printf("%-14s %lu, area %s\n", "Country code:", (unsigned long)e->dwCountryCode, e->szAreaCode);
  if (e->dwfOptions & RASEO_SpecificIpAddr)
    print_ip("IP address:", &e->ipaddr);
  else
    printf("%-14s assigned by the server\n", "IP address:");
  if (e->dwfOptions & RASEO_SpecificNameServers) {
    print_ip("DNS server:", &e->ipaddrDns);
    print_ip("DNS server 2:", &e->ipaddrDnsAlt);
  }
  free(e);
  ora_pbk *pb = NULL;
  char name[RAS_MaxEntryName * 3 + 1];
  if (have_file && acp_to_utf8(o->name, name, sizeof name) && ora_pbk_load(file, 0, &pb) == 0) {
    printf("OpenRAS keys:\n");
    ora_pbk_foreach(pb, name, "ORA_", print_ora, NULL);
    ora_pbk_free(pb);
  }
  return 0;
}

static DWORD cmd_add_or_set(const options *o, int add) {
  RASENTRYA *e = NULL;
  DWORD rc;
  if (add) {
    if (!o->type)
      return bad("add needs /TYPE:sim|modem|direct|tcp", o->name);
    rc = RasValidateEntryNameA(o->phonebook, o->name);
    /* A named phone book that does not exist yet is created by the first entry. */
    if (rc == ERROR_CANNOT_OPEN_PHONEBOOK && o->phonebook)
      rc = 0;
    if (rc == ERROR_ALREADY_EXISTS)
      printf("rasentry: an entry named %s already exists\n", o->name);
    if (rc)
      return report(rc);
    rc = get_entry(NULL, NULL, &e); /* a new entry's defaults */
  } else {
    rc = get_entry(o->phonebook, o->name, &e);
  }
  if (rc)
    return report(rc);
  const char *ora[MAX_KV];
  int nora = 0;
  rc = o->type ? apply_type(e, o) : 0;
  if (!rc)
    rc = apply_settings(e, o, ora, &nora);
  if (!rc && !add && o->port && !o->type)
    rc = bad("/PORT goes with /TYPE:modem or /TYPE:direct", o->port);
  /* Only ORA_ keys to change: the RASENTRY stays as it is. */
  int ras_change = add || o->type || o->phone || o->address || nora < o->nkv;
  if (!rc && ras_change) {
    e->dwfNetProtocols |= RASNP_Ip;
    e->dwFramingProtocol = RASFP_Ppp;
    rc = RasSetEntryPropertiesA(o->phonebook, o->name, e, e->dwSize, NULL, 0);
    if (rc)
      report(rc);
  }
  free(e);
  if (rc)
    return rc;
  rc = write_ora_keys(o, ora, nora);
  if (rc)
    return report(rc);
  printf("%s %s.\n", add ? "Added" : "Changed", o->name);
  return 0;
}

static DWORD cmd_delete(const options *o) {
  DWORD rc = RasDeleteEntryA(o->phonebook, o->name);
  if (rc)
    return report(rc);
  printf("Deleted %s.\n", o->name);
  return 0;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  options o;
  DWORD rc = parse(argc, argv, &o);
  if (rc)
    return (int)rc;
  /* The DLL and the connection manager resolve paths elsewhere: make it absolute. */
  char full[MAX_PATH];
  if (o.phonebook) {
    DWORD n = GetFullPathNameA(o.phonebook, sizeof full, full, NULL);
    if (n == 0 || n >= sizeof full)
      return (int)bad("phone-book path not usable", o.phonebook);
    o.phonebook = full;
  }
  int is_list = _stricmp(o.cmd, "list") == 0;
  if (!is_list && !o.name)
    return (int)bad("name the entry", o.cmd);
  if (is_list)
    rc = o.name ? bad("list takes no entry name", o.name) : cmd_list(&o);
  else if (_stricmp(o.cmd, "show") == 0)
    rc = cmd_show(&o);
  else if (_stricmp(o.cmd, "add") == 0)
    rc = cmd_add_or_set(&o, 1);
  else if (_stricmp(o.cmd, "set") == 0)
    rc = cmd_add_or_set(&o, 0);
  else if (_stricmp(o.cmd, "delete") == 0)
    rc = cmd_delete(&o);
  else
    rc = bad("unknown command (list, show, add, set, delete)", o.cmd);
  return (int)rc;
}
