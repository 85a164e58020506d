/* RasGetEntryProperties / RasSetEntryProperties (A and W, every RASENTRY version).
 *
 * A RASENTRY maps onto the keys Windows writes in rasphone.pbk (the general part, the
 * MEDIA= block with the port and device, the DEVICE= block with the phone numbers);
 * what Windows keeps under no key we know goes into ORA_ keys. Only the members of the
 * caller's version are written, so an old program never clears newer settings, and
 * every line the mapping does not touch (unknown keys, comments, order) stays as it
 * was. docs/phonebook-api.md has the key table. */
#include <windows.h>
#include <bcrypt.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alternates.h"
#include "devices.h"
#include "openras/base/text.h"
#include "entry_lines.h"
#include "pbk_access.h"
#include "pbk_layouts.h"
#include "strconv.h"

/* The members of every version, in the newest wide layout, plus the alternates. */
typedef struct {
  ora_rasentry_w e;
  ora_alternates alts;
} canon;

/* RASENTRY option bits (ras.h). */
enum {
  EO_UseCountryAndAreaCodes = 0x1,
  EO_SpecificIpAddr = 0x2,
  EO_SpecificNameServers = 0x4,
  EO_IpHeaderCompression = 0x8,
  EO_RemoteDefaultGateway = 0x10,
  EO_DisableLcpExtensions = 0x20,
  EO_ModemLights = 0x100,
  EO_SwCompression = 0x200,
  EO_RequireEncryptedPw = 0x400,
  EO_RequireMsEncryptedPw = 0x800,
  EO_RequireDataEncryption = 0x1000,
  EO_UseLogonCredentials = 0x4000,
  EO_PromoteAlternates = 0x8000,
  EO_RequireEAP = 0x20000,
  EO_RequirePAP = 0x40000,
  EO_RequireSPAP = 0x80000,
  EO_PreviewPhoneNumber = 0x200000,
  EO_SharedPhoneNumbers = 0x800000,
  EO_PreviewUserPw = 0x1000000,
  EO_PreviewDomain = 0x2000000,
  EO_ShowDialingProgress = 0x4000000,
  EO_RequireCHAP = 0x8000000,
  EO_RequireMsCHAP = 0x10000000,
  EO_RequireMsCHAP2 = 0x20000000,
  EO_RequireW95MSCHAP = 0x40000000,
  EO2_SecureFileAndPrint = 0x1,
  EO2_SecureClientForMSNet = 0x2,
  EO2_DontUseRasCredentials = 0x8,
  EO2_DisableNbtOverIP = 0x40,
  EO2_UseGlobalDeviceSettings = 0x80,
  EO2_ReconnectIfDropped = 0x100,
  EO2_SharePhoneNumbers = 0x200,
  NP_NetBEUI = 0x1,
  NP_Ipx = 0x2,
  NP_Ip = 0x4,
  NP_Ipv6 = 0x8,
  FP_Ppp = 0x1,
  FP_Slip = 0x2,
  FP_Ras = 0x4,
  ET_None = 0,
  ET_Require = 1,
  ET_RequireMax = 2,
  ET_Optional = 3,
  /* The phone book's AuthRestrictions and DataEncryption values. */
  AR_PAP = 0x8,
  AR_SPAP = 0x10,
  AR_MD5CHAP = 0x20,
  AR_MSCHAP = 0x40,
  AR_EAP = 0x80,
  AR_MSCHAP2 = 0x200,
  AR_W95MSCHAP = 0x400,
  AR_TYPICAL = AR_PAP | AR_MD5CHAP | AR_MSCHAP2, /* what Windows 10 writes by default */
  DE_NONE = 0,
  DE_IFPOSSIBLE = 8,
  DE_REQUIRE = 256,
  DE_REQUIREMAX = 512
};

/* Options that have a Windows key of their own; the others are kept in ORA_Options. */
#define EO_KEYED                                                                                   \
  (EO_UseCountryAndAreaCodes | EO_SpecificIpAddr | EO_SpecificNameServers |                        \
   EO_IpHeaderCompression | EO_RemoteDefaultGateway | EO_DisableLcpExtensions | EO_ModemLights |   \
   EO_SwCompression | EO_RequireDataEncryption | EO_UseLogonCredentials | EO_PromoteAlternates |   \
   EO_PreviewPhoneNumber | EO_SharedPhoneNumbers | EO_PreviewUserPw | EO_PreviewDomain |           \
   EO_ShowDialingProgress)
#define EO_AUTH                                                                                    \
  (EO_RequireEAP | EO_RequirePAP | EO_RequireSPAP | EO_RequireCHAP | EO_RequireMsCHAP |            \
   EO_RequireMsCHAP2 | EO_RequireW95MSCHAP | EO_RequireEncryptedPw | EO_RequireMsEncryptedPw)
#define EO2_KEYED                                                                                  \
  (EO2_SecureFileAndPrint | EO2_SecureClientForMSNet | EO2_DontUseRasCredentials |                 \
   EO2_DisableNbtOverIP | EO2_UseGlobalDeviceSettings | EO2_ReconnectIfDropped |                   \
   EO2_SharePhoneNumbers)

static const struct {
  DWORD eo, ar;
} auth_map[] = {{EO_RequirePAP, AR_PAP},
                {EO_RequireSPAP, AR_SPAP},
                {EO_RequireCHAP, AR_MD5CHAP},
                {EO_RequireMsCHAP, AR_MSCHAP},
                {EO_RequireEAP, AR_EAP},
                {EO_RequireMsCHAP2, AR_MSCHAP2},
                {EO_RequireW95MSCHAP, AR_W95MSCHAP}};

static DWORD ar_from_options(DWORD o) {
  DWORD ar = 0;
  for (size_t i = 0; i < ARRAYSIZE(auth_map); i++)
    if (o & auth_map[i].eo)
      ar |= auth_map[i].ar;
  if (ar)
    return ar;
  if (o & EO_RequireMsEncryptedPw)
    return AR_MSCHAP | AR_MSCHAP2;
  if (o & EO_RequireEncryptedPw)
    return AR_MD5CHAP | AR_MSCHAP | AR_MSCHAP2;
  return AR_TYPICAL;
}

/* The auth bits RasGetEntryProperties reports for an AuthRestrictions value. */
static DWORD auth_from_ar(DWORD ar) {
  DWORD o = 0;
  if (ar != AR_TYPICAL)
    for (size_t i = 0; i < ARRAYSIZE(auth_map); i++)
      if (ar & auth_map[i].ar)
        o |= auth_map[i].eo;
  return o;
}

/* ---------------------------------------------------------------- versions */

static const DWORD sizes_a[ORA_RE_VERSIONS] = {offsetof(ora_rasentry_a, dwSubEntries),
                                               offsetof(ora_rasentry_a, dwType),
                                               offsetof(ora_rasentry_a, dwfOptions2),
                                               offsetof(ora_rasentry_a, ipv6addrDns),
                                               offsetof(ora_rasentry_a, ipv6addr),
                                               offsetof(ora_rasentry_a, szIDi),
                                               sizeof(ora_rasentry_a)};
static const DWORD sizes_w[ORA_RE_VERSIONS] = {offsetof(ora_rasentry_w, dwSubEntries),
                                               offsetof(ora_rasentry_w, dwType),
                                               offsetof(ora_rasentry_w, dwfOptions2),
                                               offsetof(ora_rasentry_w, ipv6addrDns),
                                               offsetof(ora_rasentry_w, ipv6addr),
                                               offsetof(ora_rasentry_w, szIDi),
                                               sizeof(ora_rasentry_w)};

static int version_of(int wide, DWORD size) {
  const DWORD *t = wide ? sizes_w : sizes_a;
  for (int v = 0; v < ORA_RE_VERSIONS; v++)
    if (t[v] == size)
      return v;
  return -1;
}

/* ---------------------------------------------------------------- text helpers */

static void w2u(const WCHAR *w, size_t units, char *out, size_t cap) {
  ora_w_to_utf8(w, units, out, cap);
}
#define W2U(field, out) w2u(field, ARRAYSIZE(field), out, sizeof out)
#define U2W(s, field) ora_utf8_to_w(s, field, ARRAYSIZE(field))

static int parse_u32(const char *s, DWORD *out) {
  if (!s || !*s)
    return 0;
  char *end;
  long long v = strtoll(s, &end, 0);
  if (*end || v < -2147483648LL || v > 0xFFFFFFFFLL)
    return 0;
  *out = (DWORD)v;
  return 1;
}

static void fmt_u32(DWORD v, char *out, size_t cap) {
  snprintf(out, cap, "%lu", (unsigned long)v);
}

static void fmt_ip4(const ora_rasipaddr *a, char *out, size_t cap) {
  snprintf(out, cap, "%u.%u.%u.%u", a->a, a->b, a->c, a->d);
}

static int parse_ip4(const char *s, ora_rasipaddr *a) {
  uint32_t v;
  if (ora_ipv4_parse(s, &v) != 0)
    return 0;
  a->a = (BYTE)(v >> 24), a->b = (BYTE)(v >> 16), a->c = (BYTE)(v >> 8), a->d = (BYTE)v;
  return 1;
}

/* RFC 5952 text: lower case, the longest run of two or more zero groups as "::". */
static void fmt_ip6(const ora_rasipv6addr *a, char *out, size_t cap) {
  unsigned g[8];
  int best = -1, bestlen = 1, run = 0;
  for (int i = 0; i < 8; i++) {
    g[i] = (unsigned)a->b[2 * i] << 8 | a->b[2 * i + 1];
    run = g[i] ? 0 : run + 1;
    if (run > bestlen)
      bestlen = run, best = i - run + 1;
  }
  size_t n = 0;
  out[0] = 0;
  for (int i = 0; i < 8 && n < cap; i++) {
    if (i == best) {
      n += (size_t)snprintf(out + n, cap - n, "::");
      i += bestlen - 1;
      continue;
    }
    n += (size_t)snprintf(out + n, cap - n, "%s%x", (n && out[n - 1] != ':') ? ":" : "", g[i]);
  }
}

static int parse_ip6(const char *s, ora_rasipv6addr *a) {
  unsigned g[8] = {0};
  int n = 0, gap = -1;
  if (!s || !*s)
    return 0;
  if (s[0] == ':' && s[1] == ':')
    gap = 0, s += 2;
  while (*s) {
    char *end;
    unsigned long v = strtoul(s, &end, 16);
    if (end == s || end - s > 4 || v > 0xFFFF || n == 8)
      return 0;
    g[n++] = (unsigned)v;
    s = end;
    if (*s == ':' && s[1] == ':' && gap < 0)
      gap = n, s += 2;
    else if (*s == ':' && s[1])
      s++;
    else if (*s)
      return 0;
  }
  if (gap < 0 && n != 8)
    return 0;
  unsigned full[8] = {0};
  int tail = gap < 0 ? 0 : n - gap;
  for (int i = 0; i < (gap < 0 ? n : gap); i++)
    full[i] = g[i];
  for (int i = 0; i < tail; i++)
    full[8 - tail + i] = g[gap + i];
  for (int i = 0; i < 8; i++)
    a->b[2 * i] = (BYTE)(full[i] >> 8), a->b[2 * i + 1] = (BYTE)full[i];
  return 1;
}

/* Guid= holds the 16 bytes of the GUID in memory order as 32 hex digits. */
static void fmt_guid(const GUID *g, char *out, size_t cap) {
  const BYTE *b = (const BYTE *)g;
  size_t n = 0;
  for (int i = 0; i < 16 && n + 2 < cap; i++)
    n += (size_t)snprintf(out + n, cap - n, "%02X", b[i]);
}

static int parse_guid(const char *s, GUID *g) {
  BYTE b[16];
  if (!s || strlen(s) != 32)
    return 0;
  for (int i = 0; i < 16; i++) {
    unsigned v;
    char hex[3] = {s[2 * i], s[2 * i + 1], 0};
    char *end;
    v = (unsigned)strtoul(hex, &end, 16);
    if (*end)
      return 0;
    b[i] = (BYTE)v;
  }
  memcpy(g, b, sizeof b);
  return 1;
}

/* ---------------------------------------------------------------- the entry's lines */

typedef struct {
  size_t n, gen_end;
  long media, media_end, device, device_end;
} emap;

static void map_entry(const ent *e, emap *m) {
  const char *k, *v;
  m->n = ora_pbk_line_count(e->pb, e->name);
  m->gen_end = m->n;
  m->media = m->device = -1;
  m->media_end = m->device_end = (long)m->n;
  long *open_end = NULL;
  for (size_t i = 0; i < m->n; i++) {
    int mk = kv(e, i, &k, &v) ? marker(k) : MK_NONE;
    if (mk == MK_NONE)
      continue;
    if (m->gen_end == m->n)
      m->gen_end = i;
    if (open_end) {
      *open_end = (long)i;
      open_end = NULL;
    }
    if (mk == MK_MEDIA && m->media < 0) {
      m->media = (long)i;
      open_end = &m->media_end;
    } else if (mk == MK_DEVICE && m->device < 0) {
      m->device = (long)i;
      open_end = &m->device_end;
    }
  }
}

/* The general part: the lines before the first block. */
static const char *g_get(const ent *e, const char *key) {
  emap m;
  map_entry(e, &m);
  return value_at(e, find_in(e, 0, m.gen_end, key));
}

static int g_set(const ent *e, const char *key, const char *value) {
  emap m;
  map_entry(e, &m);
  return set_in(e, 0, m.gen_end, key, value);
}

/* An ORA_ key: written when it says something or was there already. */
static int g_keep(const ent *e, const char *key, const char *value, int is_default) {
  if (is_default && !g_get(e, key))
    return 0;
  return g_set(e, key, value);
}

static int g_keep_u32(const ent *e, const char *key, DWORD v, const char *fmt) {
  char s[16];
  snprintf(s, sizeof s, fmt, (unsigned long)v);
  return g_keep(e, key, s, v == 0);
}

static DWORD g_u32(const ent *e, const char *key, DWORD def) {
  DWORD v;
  return parse_u32(g_get(e, key), &v) ? v : def;
}

static int g_has(const ent *e, const char *key) {
  return g_get(e, key) != NULL;
}

/* ---------------------------------------------------------------- phone numbers */

/* ---------------------------------------------------------------- pbk -> RASENTRY */

static void read_rules(const ent *e, ora_rasentry_w *r);

/* The option bits with a key of their own (a 0/1 value; invert: the key says the bit is
 * clear, and a missing key reads as 1), one table for both directions. also: a bit of
 * dwfOptions that sets the same key (SharedPhoneNumbers exists in both words). */
typedef struct {
  const char *key;
  DWORD bit;
  int invert;
  DWORD also;
} flag_rule;

static const flag_rule flags1[] = {{"IpHeaderCompression", EO_IpHeaderCompression, 0, 0},
                                   {"IpPrioritizeRemote", EO_RemoteDefaultGateway, 0, 0},
                                   {"LcpExtensions", EO_DisableLcpExtensions, 1, 0},
                                   {"ShowMonitorIconInTaskBar", EO_ModemLights, 0, 0},
                                   {"SwCompression", EO_SwCompression, 0, 0},
                                   {"AutoLogon", EO_UseLogonCredentials, 0, 0},
                                   {"PreviewPhoneNumber", EO_PreviewPhoneNumber, 0, 0},
                                   {"SharedPhoneNumbers", EO_SharedPhoneNumbers, 0, 0},
                                   {"PreviewUserPw", EO_PreviewUserPw, 0, 0},
                                   {"PreviewDomain", EO_PreviewDomain, 0, 0},
                                   {"ShowDialingProgress", EO_ShowDialingProgress, 0, 0}};

static const flag_rule flags2[] = {
    {"ShareMsFilePrint", EO2_SecureFileAndPrint, 1, 0},
    {"BindMsNetClient", EO2_SecureClientForMSNet, 1, 0},
    {"UseRasCredentials", EO2_DontUseRasCredentials, 1, 0},
    {"IpNBTFlags", EO2_DisableNbtOverIP, 1, 0},
    {"GlobalDeviceSettings", EO2_UseGlobalDeviceSettings, 0, 0},
    {"RedialOnLinkFailure", EO2_ReconnectIfDropped, 0, 0},
    {"SharedPhoneNumbers", EO2_SharePhoneNumbers, 0, EO_SharedPhoneNumbers}};

/* The keys in the entry over the bits of word. */
static DWORD read_flags(const ent *e, const flag_rule *t, size_t n, DWORD word) {
  DWORD u;
  for (size_t i = 0; i < n; i++)
    if (parse_u32(g_get(e, t[i].key), &u))
      word = ((u != 0) ^ t[i].invert) ? word | t[i].bit : word & ~t[i].bit;
  return word;
}

static void read_entry(const ent *e, canon *c) {
  ora_rasentry_w *r = &c->e;
  emap m;
  const char *v;
  DWORD u;
  memset(c, 0, sizeof *c);
  map_entry(e, &m);

  /* The first number, its dialing rules, and the alternates. */
  size_t gs[ORA_MAX_ALTERNATES + 1], ge[ORA_MAX_ALTERNATES + 1];
  size_t ng = phone_groups(e, m.device, gs, ge, ORA_MAX_ALTERNATES + 1);
  size_t g0 = ng ? gs[0] : 0, g0e = ng ? ge[0] : m.gen_end;
  if ((v = value_at(e, find_in(e, g0, g0e, "PhoneNumber"))) ||
      (v = ora_pbk_get(e->pb, e->name, "PhoneNumber")))
    U2W(v, r->szLocalPhoneNumber);
  if ((v = value_at(e, find_in(e, g0, g0e, "AreaCode"))))
    U2W(v, r->szAreaCode);
  if (parse_u32(value_at(e, find_in(e, g0, g0e, "CountryCode")), &u))
    r->dwCountryCode = u;
  if (parse_u32(value_at(e, find_in(e, g0, g0e, "CountryID")), &u))
    r->dwCountryID = u;
  for (size_t i = 1; i < ng && c->alts.n < ORA_MAX_ALTERNATES; i++)
    if ((v = value_at(e, (long)gs[i])))
      snprintf(c->alts.num[c->alts.n++], ORA_PHONE_BYTES, "%s", v);

  /* Options: ORA_Options holds the bits without a key of their own (and the auth bits,
   * which AuthRestrictions cannot tell apart); the keys override the rest. */
  DWORD o = read_flags(e, flags1, ARRAYSIZE(flags1), g_u32(e, "ORA_Options", 0));
  if (parse_u32(g_get(e, "IpAssign"), &u))
    o = u == 2 ? o | EO_SpecificIpAddr : o & ~(DWORD)EO_SpecificIpAddr;
  if (parse_u32(g_get(e, "IpNameAssign"), &u))
    o = u == 2 ? o | EO_SpecificNameServers : o & ~(DWORD)EO_SpecificNameServers;
  if (parse_u32(value_at(e, find_in(e, g0, g0e, "UseDialingRules")), &u))
    o = u ? o | EO_UseCountryAndAreaCodes : o & ~(DWORD)EO_UseCountryAndAreaCodes;
  if (parse_u32(value_at(e, find_in(e, g0, g0e, "PromoteAlternates")), &u))
    o = u ? o | EO_PromoteAlternates : o & ~(DWORD)EO_PromoteAlternates;
  DWORD de = g_u32(e, "DataEncryption", DE_IFPOSSIBLE);
  o = de >= DE_REQUIRE ? o | EO_RequireDataEncryption : o & ~(DWORD)EO_RequireDataEncryption;
  if (parse_u32(g_get(e, "AuthRestrictions"), &u) && u != ar_from_options(o)) {
    /* Written by Windows, or changed since: the key says which protocols. */
    o = (o & ~(DWORD)EO_AUTH) | auth_from_ar(u);
  }
  r->dwfOptions = o;

  r->dwfNetProtocols = (~g_u32(e, "ExcludedProtocols", 0) & (NP_Ip | NP_Ipv6)) |
                       (g_u32(e, "ORA_NetProtocols", 0) & (NP_NetBEUI | NP_Ipx));
  u = g_u32(e, "BaseProtocol", 1);
  r->dwFramingProtocol = u == 2 ? FP_Slip : u == 3 ? FP_Ras : FP_Ppp;

  /* The device: the DEVICE= line and the MEDIA block's Device=, else what ORA_Link
   * dials. */
  const char *type = m.device >= 0 ? value_at(e, m.device) : NULL;
  const char *name =
      m.media >= 0 ? value_at(e, find_in(e, (size_t)m.media + 1, (size_t)m.media_end, "Device"))
                   : NULL;
  oradev d;
  link1_device(e, m.media, (size_t)m.media_end, &d, &type, &name);
  if (type)
    U2W(type, r->szDeviceType);
  if (name)
    U2W(name, r->szDeviceName);

  /* 0x401: multilink and idle time-out. */
  size_t links = 0;
  const char *k;
  for (size_t i = 0; i < m.n; i++)
    if (kv(e, i, &k, &v) && marker(k) == MK_DEVICE)
      links++;
  r->dwSubEntries = links ? (DWORD)links : 1;
  u = g_u32(e, "DialMode", 0);
  r->dwDialMode = u == 2 ? 2 : 1; /* RASEDM_DialAsNeeded : RASEDM_DialAll */
  r->dwIdleDisconnectSeconds = g_u32(e, "IdleDisconnectSeconds", 0);

  /* 0x500 */
  r->dwEncryptionType = de == DE_NONE         ? ET_None
                        : de >= DE_REQUIREMAX ? ET_RequireMax
                        : de >= DE_REQUIRE    ? ET_Require
                                              : ET_Optional;
  parse_guid(g_get(e, "Guid"), &r->guidId);

  /* 0x501 */
  r->dwfOptions2 = read_flags(e, flags2, ARRAYSIZE(flags2), g_u32(e, "ORA_Options2", 0));
  /* Every member with a key of its own. */
  read_rules(e, r);
}

/* ---------------------------------------------------------------- RASENTRY -> pbk */

/* The general part of a new entry: the keys and default values a Windows 10 dial-up
 * entry has, in its order (tests/data/pbk/windows10.pbk). The mapped members are
 * written over them. */
static const char *const template_keys[][2] = {{"Encoding", "1"},
                                               {"PBVersion", "7"},
                                               {"Type", "1"},
                                               {"AutoLogon", "0"},
                                               {"UseRasCredentials", "1"},
                                               {"Guid", ""},
                                               {"VpnStrategy", "0"},
                                               {"ExcludedProtocols", "0"},
                                               {"LcpExtensions", "1"},
                                               {"DataEncryption", "8"},
                                               {"SwCompression", "1"},
                                               {"NegotiateMultilinkAlways", "0"},
                                               {"SkipDoubleDialDialog", "0"},
                                               {"DialMode", "0"},
                                               {"OverridePref", "15"},
                                               {"RedialAttempts", "3"},
                                               {"RedialSeconds", "60"},
                                               {"IdleDisconnectSeconds", "0"},
                                               {"RedialOnLinkFailure", "0"},
                                               {"CallbackMode", "0"},
                                               {"CustomDialDll", ""},
                                               {"CustomDialFunc", ""},
                                               {"CustomRasDialDll", ""},
                                               {"ForceSecureCompartment", "0"},
                                               {"DisableIKENameEkuCheck", "0"},
                                               {"AuthenticateServer", "0"},
                                               {"ShareMsFilePrint", "1"},
                                               {"BindMsNetClient", "1"},
                                               {"SharedPhoneNumbers", "0"},
                                               {"GlobalDeviceSettings", "0"},
                                               {"PrerequisiteEntry", ""},
                                               {"PrerequisitePbk", ""},
                                               {"PreferredPort", ""},
                                               {"PreferredDevice", ""},
                                               {"PreferredBps", "0"},
                                               {"PreferredHwFlow", "1"},
                                               {"PreferredProtocol", "1"},
                                               {"PreferredCompression", "1"},
                                               {"PreferredSpeaker", "1"},
                                               {"PreferredMdmProtocol", "0"},
                                               {"PreviewUserPw", "1"},
                                               {"PreviewDomain", "0"},
                                               {"PreviewPhoneNumber", "0"},
                                               {"ShowDialingProgress", "1"},
                                               {"ShowMonitorIconInTaskBar", "1"},
                                               {"CustomAuthKey", "0"},
                                               {"AuthRestrictions", "552"},
                                               {"IpPrioritizeRemote", "1"},
                                               {"IpInterfaceMetric", "0"},
                                               {"IpHeaderCompression", "1"},
                                               {"IpAddress", "0.0.0.0"},
                                               {"IpDnsAddress", "0.0.0.0"},
                                               {"IpDns2Address", "0.0.0.0"},
                                               {"IpWinsAddress", "0.0.0.0"},
                                               {"IpWins2Address", "0.0.0.0"},
                                               {"IpAssign", "1"},
                                               {"IpNameAssign", "1"},
                                               {"IpDnsFlags", "0"},
                                               {"IpNBTFlags", "1"},
                                               {"TcpWindowSize", "0"},
                                               {"UseFlags", "1"},
                                               {"IpSecFlags", "0"},
                                               {"IpDnsSuffix", ""},
                                               {"Ipv6Assign", "1"},
                                               {"Ipv6Address", "::"},
                                               {"Ipv6PrefixLength", "0"},
                                               {"Ipv6PrioritizeRemote", "1"},
                                               {"Ipv6InterfaceMetric", "0"},
                                               {"Ipv6NameAssign", "1"},
                                               {"Ipv6DnsAddress", "::"},
                                               {"Ipv6Dns2Address", "::"},
                                               {"Ipv6Prefix", "0000000000000000"},
                                               {"Ipv6InterfaceId", "0000000000000000"},
                                               {"DisableClassBasedDefaultRoute", "0"},
                                               {"DisableMobility", "0"},
                                               {"NetworkOutageTime", "0"},
                                               {"IDI", ""},
                                               {"IDR", ""},
                                               {"ImsConfig", "0"},
                                               {"IdiType", "0"},
                                               {"IdrType", "0"},
                                               {"ProvisionType", "0"},
                                               {"PreSharedKey", ""},
                                               {"CacheCredentials", "0"},
                                               {"NumCustomPolicy", "0"},
                                               {"NumEku", "0"},
                                               {"UseMachineRootCert", "0"},
                                               {"Disable_IKEv2_Fragmentation", "0"},
                                               {"PlumbIKEv2TSAsRoutes", "0"},
                                               {"NumServers", "0"},
                                               {"RouteVersion", "1"},
                                               {"NumRoutes", "0"},
                                               {"NumNrptRules", "0"},
                                               {"AutoTiggerCapable", "0"},
                                               {"NumAppIds", "0"},
                                               {"NumClassicAppIds", "0"},
                                               {"SecurityDescriptor", ""},
                                               {"ApnInfoProviderId", ""},
                                               {"ApnInfoUsername", ""},
                                               {"ApnInfoPassword", ""},
                                               {"ApnInfoAccessPoint", ""},
                                               {"ApnInfoAuthentication", "1"},
                                               {"ApnInfoCompression", "0"},
                                               {"DeviceComplianceEnabled", "0"},
                                               {"DeviceComplianceSsoEnabled", "0"},
                                               {"DeviceComplianceSsoEku", ""},
                                               {"DeviceComplianceSsoIssuer", ""},
                                               {"WebAuthEnabled", "0"},
                                               {"WebAuthClientId", ""},
                                               {"FlagsSet", "0"},
                                               {"Options", "0"},
                                               {"DisableDefaultDnsSuffixes", "0"},
                                               {"NumTrustedNetworks", "0"},
                                               {"NumDnsSearchSuffixes", "0"},
                                               {"PowershellCreatedProfile", "0"},
                                               {"ProxyFlags", "0"},
                                               {"ProxySettingsModified", "0"},
                                               {"ProvisioningAuthority", ""},
                                               {"AuthTypeOTP", "0"},
                                               {"GREKeyDefined", "0"},
                                               {"NumPerAppTrafficFilters", "0"},
                                               {"AlwaysOnCapable", "0"},
                                               {"DeviceTunnel", "0"},
                                               {"PrivateNetwork", "1"}};

static int add_template(const ent *e) {
  int rc = 0;
  for (size_t i = 0; i < ARRAYSIZE(template_keys) && !rc; i++)
    rc = g_set(e, template_keys[i][0], template_keys[i][1]);
  long at = rc ? -1 : add_block(e, -1, "NETCOMPONENTS", "");
  if (at < 0)
    return rc ? rc : ORA_ERROR_NOT_ENOUGH_MEMORY;
  rc = ora_pbk_line_insert(e->pb, e->name, (size_t)at + 1, "ms_msclient", "1");
  if (!rc)
    rc = ora_pbk_line_insert(e->pb, e->name, (size_t)at + 2, "ms_server", "1");
  return rc;
}

/* A random (version 4) GUID for a new entry. */
static void new_guid(GUID *g) {
  BYTE *b = (BYTE *)g;
  if (BCryptGenRandom(NULL, b, sizeof *g, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0) {
    LARGE_INTEGER t;
    QueryPerformanceCounter(&t);
    memcpy(b, &t, sizeof t);
    DWORD pid = GetCurrentProcessId(), tick = GetTickCount();
    memcpy(b + 8, &pid, sizeof pid);
    memcpy(b + 12, &tick, sizeof tick);
  }
  g->Data3 = (WORD)((g->Data3 & 0x0FFF) | 0x4000);
  b[8] = (BYTE)((b[8] & 0x3F) | 0x80);
}

/* The MEDIA and DEVICE blocks for a new or changed device. */
static int write_device(const ent *e, const char *type, const char *name) {
  oradev d;
  int ours = oradev_find(name, &d);
  const char *port = ours ? d.port : "";
  int serial = _stricmp(type, "modem") == 0 && _strnicmp(port, "COM", 3) == 0;
  emap m;
  int rc = 0;
  map_entry(e, &m);
  if (m.media < 0) {
    if (add_block(e, m.device, "MEDIA", serial ? "serial" : "rastapi") < 0)
      return ORA_ERROR_NOT_ENOUGH_MEMORY;
    map_entry(e, &m);
  } else {
    rc = ora_pbk_line_set(e->pb, e->name, (size_t)m.media, serial ? "serial" : "rastapi");
  }
  if (!rc)
    rc = set_in(e, (size_t)m.media + 1, (size_t)m.media_end, "Port", port);
  map_entry(e, &m);
  if (!rc)
    rc = set_in(e, (size_t)m.media + 1, (size_t)m.media_end, "Device", name);
  map_entry(e, &m);
  if (!rc && serial && find_in(e, (size_t)m.media + 1, (size_t)m.media_end, "ConnectBPS") < 0)
    rc = set_in(e, (size_t)m.media + 1, (size_t)m.media_end, "ConnectBPS", "115200");
  map_entry(e, &m);
  if (!rc && m.device < 0)
    rc = add_block(e, -1, "DEVICE", type) < 0 ? ORA_ERROR_NOT_ENOUGH_MEMORY : 0;
  else if (!rc)
    rc = ora_pbk_line_set(e->pb, e->name, (size_t)m.device, type);
  /* Our own devices name their driver; another device leaves it to the DEVICE= type. */
  if (!rc && ours)
    rc = g_set(e, "ORA_Link", d.link);
  else if (!rc && g_has(e, "ORA_Link")) {
    map_entry(e, &m);
    rc = ora_pbk_line_remove(e->pb, e->name, (size_t)find_in(e, 0, m.gen_end, "ORA_Link"));
  }
  if (!rc && g_has(e, "PreferredPort"))
    rc = g_set(e, "PreferredPort", port);
  if (!rc && g_has(e, "PreferredDevice"))
    rc = g_set(e, "PreferredDevice", name);
  return rc;
}

static int write_numbers(const ent *e, const canon *c, const canon *old, const char *type) {
  const ora_rasentry_w *r = &c->e;
  char number[ORA_PHONE_BYTES], area[64], cc[16], cid[16];
  const char *rules = (r->dwfOptions & EO_UseCountryAndAreaCodes) ? "1" : "0";
  const char *promote = (r->dwfOptions & EO_PromoteAlternates) ? "1" : "0";
  W2U(r->szLocalPhoneNumber, number);
  W2U(r->szAreaCode, area);
  fmt_u32(r->dwCountryCode, cc, sizeof cc);
  fmt_u32(r->dwCountryID, cid, sizeof cid);
  emap m;
  int rc = 0;
  map_entry(e, &m);
  /* A hand-written entry may keep its number in the general part: keep it in step. */
  long gp = find_in(e, 0, m.gen_end, "PhoneNumber");
  if (gp >= 0 && strcmp(value_at(e, gp), number) != 0 &&
      (rc = ora_pbk_line_set(e->pb, e->name, (size_t)gp, number)) != 0)
    return rc;
  if (m.device < 0) {
    if (add_block(e, -1, "DEVICE", type[0] ? type : "modem") < 0)
      return ORA_ERROR_NOT_ENOUGH_MEMORY;
    map_entry(e, &m);
  }
  size_t gs[ORA_MAX_ALTERNATES + 1], ge[ORA_MAX_ALTERNATES + 1];
  size_t ng = phone_groups(e, m.device, gs, ge, ORA_MAX_ALTERNATES + 1);
  if (ng == 0) {
    const char *vals[] = {number, area, cc, cid, rules, "", "", "0", promote, "1"};
    for (size_t i = 0; i < ARRAYSIZE(group_keys) && !rc; i++)
      rc = ora_pbk_line_insert(e->pb, e->name, (size_t)m.device + 1 + i, group_keys[i], vals[i]);
  } else {
    const char *keys[] = {"PhoneNumber", "AreaCode", "CountryCode", "CountryID", "UseDialingRules"};
    const char *vals[] = {number, area, cc, cid, rules};
    for (size_t i = 0; i < ARRAYSIZE(keys) && !rc; i++) {
      map_entry(e, &m);
      phone_groups(e, m.device, gs, ge, ORA_MAX_ALTERNATES + 1);
      rc = set_in(e, gs[0], ge[0], keys[i], vals[i]);
    }
    map_entry(e, &m);
    phone_groups(e, m.device, gs, ge, ORA_MAX_ALTERNATES + 1);
    long pa = find_in(e, gs[0], ge[0], "PromoteAlternates");
    if (!rc && (pa >= 0 || (r->dwfOptions & EO_PromoteAlternates)))
      rc = set_in(e, gs[0], ge[0], "PromoteAlternates", promote);
  }
  if (rc || ora_alternates_equal(&c->alts, &old->alts))
    return rc;
  /* The alternates changed: replace every alternate group. */
  map_entry(e, &m);
  ng = phone_groups(e, m.device, gs, ge, ORA_MAX_ALTERNATES + 1);
  for (size_t g = ng; g-- > 1 && !rc;)
    for (size_t i = ge[g]; i-- > gs[g] && !rc;)
      rc = ora_pbk_line_remove(e->pb, e->name, i);
  map_entry(e, &m);
  phone_groups(e, m.device, gs, ge, ORA_MAX_ALTERNATES + 1);
  size_t pos = ge[0];
  for (size_t a = 0; a < c->alts.n && !rc; a++) {
    const char *keys[] = {"PhoneNumber", "AreaCode",        "CountryCode",
                          "CountryID",   "UseDialingRules", "Comment"};
    const char *vals[] = {c->alts.num[a], area, cc, cid, rules, ""};
    for (size_t i = 0; i < ARRAYSIZE(keys) && !rc; i++)
      rc = ora_pbk_line_insert(e->pb, e->name, pos++, keys[i], vals[i]);
  }
  return rc;
}

/* Writes key=value unless the file already says so: the same value, or no key where
 * its absence reads as this value (absent). An unchanged entry keeps its bytes. */
static int g_put(const ent *e, const char *key, const char *value, const char *absent) {
  const char *cur = g_get(e, key);
  if (cur ? strcmp(cur, value) == 0 : strcmp(value, absent) == 0)
    return 0;
  return g_set(e, key, value);
}

static int g_put_u32(const ent *e, const char *key, DWORD v, DWORD absent) {
  char s[16], a[16];
  fmt_u32(v, s, sizeof s);
  fmt_u32(absent, a, sizeof a);
  DWORD cur;
  if (parse_u32(g_get(e, key), &cur) && cur == v)
    return 0; /* "0x10" and "16" are the same */
  return g_put(e, key, s, a);
}

/* ---------------------------------------------------------------- one key, one member */

/* The members kept under a key of their own, read and written the same way: both
 * read_entry and write_entry walk this one table (members that take several keys, or
 * mean different things per version, have code of their own there). ver: the first
 * RASENTRY version that has the member (older callers never write it); def: what a
 * missing number key stands for. Written in this order when new. */
enum { K_U32, K_STR, K_IP4, K_IP6, K_ORA_U32, K_ORA_HEX };

typedef struct {
  const char *key;
  unsigned char kind, ver;
  unsigned short off, units; /* the member in ora_rasentry_w; units: string length */
  DWORD def;
} key_rule;

#define RULE(key, kind, ver, m, def)                                                               \
  {                                                                                                \
    key, kind, ver, (unsigned short)offsetof(ora_rasentry_w, m),                                   \
        (unsigned short)(sizeof(((ora_rasentry_w *)0)->m) / sizeof(WCHAR)), def                    \
  }

static const key_rule rules[] = {
    RULE("IpAddress", K_IP4, ORA_RE_V400, ipaddr, 0),
    RULE("IpDnsAddress", K_IP4, ORA_RE_V400, ipaddrDns, 0),
    RULE("IpDns2Address", K_IP4, ORA_RE_V400, ipaddrDnsAlt, 0),
    RULE("IpWinsAddress", K_IP4, ORA_RE_V400, ipaddrWins, 0),
    RULE("IpWins2Address", K_IP4, ORA_RE_V400, ipaddrWinsAlt, 0),
    RULE("ORA_FrameSize", K_ORA_U32, ORA_RE_V400, dwFrameSize, 0),
    RULE("ORA_Script", K_STR, ORA_RE_V400, szScript, 0),
    RULE("CustomDialDll", K_STR, ORA_RE_V400, szAutodialDll, 0),
    RULE("CustomDialFunc", K_STR, ORA_RE_V400, szAutodialFunc, 0),
    RULE("ORA_X25PadType", K_STR, ORA_RE_V400, szX25PadType, 0),
    RULE("ORA_X25Address", K_STR, ORA_RE_V400, szX25Address, 0),
    RULE("ORA_X25Facilities", K_STR, ORA_RE_V400, szX25Facilities, 0),
    RULE("ORA_X25UserData", K_STR, ORA_RE_V400, szX25UserData, 0),
    RULE("ORA_Channels", K_ORA_U32, ORA_RE_V400, dwChannels, 0),
    RULE("DialPercent", K_U32, ORA_RE_V401, dwDialExtraPercent, 0),
    RULE("DialSeconds", K_U32, ORA_RE_V401, dwDialExtraSampleSeconds, 0),
    RULE("HangUpPercent", K_U32, ORA_RE_V401, dwHangUpExtraPercent, 0),
    RULE("HangUpSeconds", K_U32, ORA_RE_V401, dwHangUpExtraSampleSeconds, 0),
    RULE("Type", K_U32, ORA_RE_V500, dwType, 1),
    RULE("CustomAuthKey", K_U32, ORA_RE_V500, dwCustomAuthKey, 0),
    RULE("CustomRasDialDll", K_STR, ORA_RE_V500, szCustomDialDll, 0),
    RULE("VpnStrategy", K_U32, ORA_RE_V500, dwVpnStrategy, 0),
    RULE("ORA_Options3", K_ORA_HEX, ORA_RE_V501, dwfOptions3, 0),
    RULE("IpDnsSuffix", K_STR, ORA_RE_V501, szDnsSuffix, 0),
    RULE("TcpWindowSize", K_U32, ORA_RE_V501, dwTcpWindowSize, 0),
    RULE("PrerequisitePbk", K_STR, ORA_RE_V501, szPrerequisitePbk, 0),
    RULE("PrerequisiteEntry", K_STR, ORA_RE_V501, szPrerequisiteEntry, 0),
    RULE("RedialAttempts", K_U32, ORA_RE_V501, dwRedialCount, 0),
    RULE("RedialSeconds", K_U32, ORA_RE_V501, dwRedialPause, 0),
    RULE("Ipv6DnsAddress", K_IP6, ORA_RE_V600, ipv6addrDns, 0),
    RULE("Ipv6Dns2Address", K_IP6, ORA_RE_V600, ipv6addrDnsAlt, 0),
    RULE("IpInterfaceMetric", K_U32, ORA_RE_V600, dwIPv4InterfaceMetric, 0),
    RULE("Ipv6InterfaceMetric", K_U32, ORA_RE_V600, dwIPv6InterfaceMetric, 0),
    RULE("Ipv6Address", K_IP6, ORA_RE_V601, ipv6addr, 0),
    RULE("Ipv6PrefixLength", K_U32, ORA_RE_V601, dwIPv6PrefixLength, 0),
    RULE("NetworkOutageTime", K_U32, ORA_RE_V601, dwNetworkOutageTime, 0),
    RULE("IDI", K_STR, ORA_RE_VA00, szIDi, 0),
    RULE("IDR", K_STR, ORA_RE_VA00, szIDr, 0),
    RULE("ImsConfig", K_U32, ORA_RE_VA00, fIsImsConfig, 0),
    RULE("IdiType", K_U32, ORA_RE_VA00, IdiType, 0),
    RULE("IdrType", K_U32, ORA_RE_VA00, IdrType, 0),
    RULE("Disable_IKEv2_Fragmentation", K_U32, ORA_RE_VA00, fDisableIKEv2Fragmentation, 0),
};

static void read_rules(const ent *e, ora_rasentry_w *r) {
  for (size_t i = 0; i < ARRAYSIZE(rules); i++) {
    const key_rule *k = &rules[i];
    BYTE *m = (BYTE *)r + k->off;
    const char *v = g_get(e, k->key);
    DWORD u;
    switch (k->kind) {
    case K_STR:
      if (v)
        ora_utf8_to_w(v, (WCHAR *)(void *)m, k->units);
      break;
    case K_IP4:
      parse_ip4(v, (ora_rasipaddr *)(void *)m);
      break;
    case K_IP6:
      parse_ip6(v, (ora_rasipv6addr *)(void *)m);
      break;
    default: /* the numbers */
      u = parse_u32(v, &u) ? u : k->def;
      memcpy(m, &u, sizeof u);
      break;
    }
  }
}

/* The rows of versions up to ver; s is a scratch buffer of cap bytes. */
static int write_rules(const ent *e, const ora_rasentry_w *r, int ver, char *s, size_t cap) {
  int rc = 0;
  for (size_t i = 0; i < ARRAYSIZE(rules) && !rc; i++) {
    const key_rule *k = &rules[i];
    if (k->ver > ver)
      continue;
    const BYTE *m = (const BYTE *)r + k->off;
    DWORD u;
    switch (k->kind) {
    case K_STR:
      w2u((const WCHAR *)(const void *)m, k->units, s, cap);
      rc = g_put(e, k->key, s, "");
      break;
    case K_IP4:
      fmt_ip4((const ora_rasipaddr *)(const void *)m, s, cap);
      rc = g_put(e, k->key, s, "0.0.0.0");
      break;
    case K_IP6:
      fmt_ip6((const ora_rasipv6addr *)(const void *)m, s, cap);
      rc = g_put(e, k->key, s, "::");
      break;
    case K_ORA_U32:
    case K_ORA_HEX:
      memcpy(&u, m, sizeof u);
      rc = g_keep_u32(e, k->key, u, k->kind == K_ORA_HEX ? "0x%08lX" : "%lu");
      break;
    default:
      memcpy(&u, m, sizeof u);
      rc = g_put_u32(e, k->key, u, k->def);
      break;
    }
  }
  return rc;
}

/* The bits of word (and the also-bits of o1) as their keys; a missing key stands for
 * the invert value, so an unchanged default writes nothing. */
static int write_flags(const ent *e, const flag_rule *t, size_t n, DWORD word, DWORD o1) {
  int rc = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    int set = (word & t[i].bit) || (o1 & t[i].also);
    rc = g_put_u32(e, t[i].key, set ^ t[i].invert ? 1 : 0, (DWORD)t[i].invert);
  }
  return rc;
}

#define SET_U32(key, v, absent)                                                                    \
  do {                                                                                             \
    if (!rc)                                                                                       \
      rc = g_put_u32(e, key, v, absent);                                                           \
  } while (0)

static int write_entry(const ent *e, const canon *c, int ver, const canon *old) {
  const ora_rasentry_w *r = &c->e;
  char s[1024], t[1024];
  int rc = 0;
  DWORD o = r->dwfOptions;

  /* Options with keys of their own, then the rest in ORA_Options. */
  if (!rc)
    rc = write_flags(e, flags1, ARRAYSIZE(flags1), o, 0);
  SET_U32("IpAssign", (o & EO_SpecificIpAddr) ? 2 : 1, 1);
  SET_U32("IpNameAssign", (o & EO_SpecificNameServers) ? 2 : 1, 1);
  SET_U32("AuthRestrictions", ar_from_options(o), ar_from_options(o));
  /* Auth bits AuthRestrictions gives back as they are need no ORA_Options. */
  DWORD auth_kept = auth_from_ar(ar_from_options(o)) == (o & EO_AUTH) ? EO_AUTH : 0;
  if (!rc)
    rc = g_keep_u32(e, "ORA_Options", o & ~(DWORD)(EO_KEYED | auth_kept), "0x%08lX");
  /* DataEncryption: from dwEncryptionType where the version has it. */
  DWORD de = g_u32(e, "DataEncryption", DE_IFPOSSIBLE);
  if (ver >= ORA_RE_V500) {
    static const DWORD et_de[4] = {DE_NONE, DE_REQUIRE, DE_REQUIREMAX, DE_IFPOSSIBLE};
    de = r->dwEncryptionType < 4 ? et_de[r->dwEncryptionType] : DE_IFPOSSIBLE;
  }
  if ((o & EO_RequireDataEncryption) && de < DE_REQUIRE)
    de = DE_REQUIRE;
  else if (!(o & EO_RequireDataEncryption) && de >= DE_REQUIRE && ver < ORA_RE_V500)
    de = DE_IFPOSSIBLE;
  SET_U32("DataEncryption", de, DE_IFPOSSIBLE);

  /* Before Vista there was no RASNP_Ipv6: an old program's IP means both. */
  DWORD np = r->dwfNetProtocols;
  if (ver < ORA_RE_V600 && (np & NP_Ip))
    np |= NP_Ipv6;
  SET_U32("ExcludedProtocols", ~np & (NP_Ip | NP_Ipv6), 0);
  if (!rc)
    rc = g_keep_u32(e, "ORA_NetProtocols", np & (NP_NetBEUI | NP_Ipx), "%lu");
  DWORD bp = r->dwFramingProtocol == FP_Slip ? 2 : r->dwFramingProtocol == FP_Ras ? 3 : 1;
  SET_U32("BaseProtocol", bp, 1);

  /* The device, only when it changed: an unchanged one keeps its blocks as they are. */
  char type[ORA_DEVTYPE_BYTES], name[ORA_DEVNAME_BYTES];
  W2U(r->szDeviceType, type);
  W2U(r->szDeviceName, name);
  W2U(old->e.szDeviceType, s);
  W2U(old->e.szDeviceName, t);
  if (!rc && (strcmp(type, s) != 0 || !ieq_u(name, t)) && (type[0] || name[0]))
    rc = write_device(e, type, name);
  if (!rc)
    rc = write_numbers(e, c, old, type);

  if (ver >= ORA_RE_V401) {
    /* DialMode 0 (Windows' usual value) and 1 both read as RASEDM_DialAll. */
    DWORD dm = g_u32(e, "DialMode", 0);
    if (r->dwDialMode == 2 || dm == 2)
      SET_U32("DialMode", r->dwDialMode == 2 ? 2 : 1, 0);
    snprintf(s, sizeof s, "%ld", (long)(int32_t)r->dwIdleDisconnectSeconds);
    if (!rc && g_u32(e, "IdleDisconnectSeconds", 0) != r->dwIdleDisconnectSeconds)
      rc = g_set(e, "IdleDisconnectSeconds", s);
  }
  if (ver >= ORA_RE_V500) {
    static const GUID zero;
    if (memcmp(&r->guidId, &zero, sizeof zero) != 0) {
      fmt_guid(&r->guidId, s, sizeof s);
      if (!rc)
        rc = g_put(e, "Guid", s, "");
    }
  }
  if (ver >= ORA_RE_V501) {
    DWORD o2 = r->dwfOptions2;
    if (!rc)
      rc = write_flags(e, flags2, ARRAYSIZE(flags2), o2, o);
    if (!rc)
      rc = g_keep_u32(e, "ORA_Options2", o2 & ~(DWORD)EO2_KEYED, "0x%08lX");
  }
  /* Every member with a key of its own. */
  if (!rc)
    rc = write_rules(e, r, ver, s, sizeof s);
  SecureZeroMemory(s, sizeof s);
  return rc;
}

/* ---------------------------------------------------------------- the caller's buffer */

/* The caller's structure (version ver) and alternates into c. */
static int from_caller(int wide, const BYTE *buf, DWORD bufsize, int ver, canon *c) {
  DWORD size = (wide ? sizes_w : sizes_a)[ver];
  memset(c, 0, sizeof *c);
  if (wide) {
    memcpy(&c->e, buf, size);
  } else {
    ora_rasentry_a *a = calloc(1, sizeof *a);
    char tmp[1024];
    if (!a)
      return ORA_ERROR_NOT_ENOUGH_MEMORY;
    memcpy(a, buf, size);
#define A2W_D(name) c->e.name = a->name;
#define A2W_S(name)                                                                                \
  ora_a_to_utf8(a->name, ARRAYSIZE(a->name), tmp, sizeof tmp);                                     \
  U2W(tmp, c->e.name);
#define A2W_R(name) memcpy(&c->e.name, &a->name, sizeof a->name);
#define A2W(kind, name, n) A2W_##kind(name)
    ORA_RE_FIELDS(A2W)
    free(a);
  }
  return (int)ora_alternates_read(wide, buf, size, bufsize, c->e.dwAlternateOffset, &c->alts);
}

static int to_caller(int wide, const canon *c, int ver, BYTE *buf) {
  DWORD size = (wide ? sizes_w : sizes_a)[ver];
  if (wide) {
    memcpy(buf, &c->e, size);
  } else {
    ora_rasentry_a *a = calloc(1, sizeof *a);
    char tmp[1024];
    if (!a)
      return ORA_ERROR_NOT_ENOUGH_MEMORY;
#define W2A_D(name) a->name = c->e.name;
#define W2A_S(name)                                                                                \
  W2U(c->e.name, tmp);                                                                             \
  ora_utf8_to_a(tmp, a->name, sizeof a->name);
#define W2A_R(name) memcpy(&a->name, &c->e.name, sizeof a->name);
#define W2A(kind, name, n) W2A_##kind(name)
    ORA_RE_FIELDS(W2A)
    memcpy(buf, a, size);
    free(a);
  }
  DWORD alt = c->alts.n ? size : 0;
  memcpy(buf, &size, sizeof size);
  memcpy(buf + offsetof(ora_rasentry_a, dwAlternateOffset), &alt, sizeof alt);
  ora_alternates_write(wide, &c->alts, buf + size);
  return 0;
}

/* ---------------------------------------------------------------- the exports */

/* The defaults RasGetEntryProperties returns for an unnamed entry: a new entry's. */
static int read_defaults(canon *c) {
  ora_pbk *pb = NULL;
  int rc = ora_pbk_new(&pb);
  if (!rc)
    rc = ora_pbk_add(pb, "default");
  ent e = {pb, "default"};
  if (!rc)
    rc = add_template(&e);
  if (!rc)
    read_entry(&e, c);
  ora_pbk_free(pb);
  return rc;
}

static DWORD get_props(int wide, const void *phonebook, const void *entry_arg, void *buf,
                       DWORD *lpsize, void *devinfo, DWORD *devinfo_size) {
  (void)devinfo;
  int ver = ORA_RE_VA00;
  if (buf) {
    if (!lpsize)
      return ERROR_INVALID_PARAMETER;
    DWORD size;
    memcpy(&size, buf, sizeof size);
    if ((ver = version_of(wide, size)) < 0)
      return ORA_ERROR_INVALID_SIZE;
  }
  char name[ORA_ENTRY_BYTES];
  name[0] = 0;
  if (entry_arg && !orapb_arg(wide, entry_arg, name, sizeof name))
    return ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
  canon *c = malloc(sizeof *c);
  if (!c)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  int rc;
  if (!name[0]) {
    rc = read_defaults(c);
  } else {
    orapb_set set;
    ora_pbk *pb = NULL;
    int which;
    rc = orapb_resolve(wide, phonebook, &set);
    if (!rc)
      rc = orapb_find(&set, name, &which, &pb);
    if (!rc) {
      ent e = {pb, name};
      read_entry(&e, c);
      ora_pbk_free(pb);
    }
  }
  /* The TAPI device configuration is no longer used: none. */
  if (devinfo_size)
    *devinfo_size = 0;
  if (!rc && lpsize) {
    DWORD need = (wide ? sizes_w : sizes_a)[ver] + ora_alternates_bytes(wide, &c->alts);
    if (!buf || *lpsize < need)
      rc = ORA_ERROR_BUFFER_TOO_SMALL;
    else
      rc = to_caller(wide, c, ver, buf);
    *lpsize = need;
  }
  free(c);
  return (DWORD)rc;
}

DWORD WINAPI RasGetEntryPropertiesA(LPCSTR phonebook, LPCSTR entry, void *buf, DWORD *lpsize,
                                    void *devinfo, DWORD *devinfo_size);
DWORD WINAPI RasGetEntryPropertiesA(LPCSTR phonebook, LPCSTR entry, void *buf, DWORD *lpsize,
                                    void *devinfo, DWORD *devinfo_size) {
  return get_props(0, phonebook, entry, buf, lpsize, devinfo, devinfo_size);
}

DWORD WINAPI RasGetEntryPropertiesW(LPCWSTR phonebook, LPCWSTR entry, void *buf, DWORD *lpsize,
                                    void *devinfo, DWORD *devinfo_size);
DWORD WINAPI RasGetEntryPropertiesW(LPCWSTR phonebook, LPCWSTR entry, void *buf, DWORD *lpsize,
                                    void *devinfo, DWORD *devinfo_size) {
  return get_props(1, phonebook, entry, buf, lpsize, devinfo, devinfo_size);
}

typedef struct {
  const char *name;
  const canon *c;
  int ver;
} set_ctx;

static int set_fn(ora_pbk *pb, void *ctx) {
  set_ctx *s = ctx;
  ent e = {pb, s->name};
  canon *old = malloc(sizeof *old);
  if (!old)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  int rc = 0;
  if (ora_pbk_find(pb, s->name) < 0) {
    rc = ora_pbk_add(pb, s->name);
    if (rc == ORA_ERROR_INVALID_PARAMETER)
      rc = ORAPB_ERROR_INVALID_NAME;
    if (!rc)
      rc = add_template(&e);
    if (!rc && (s->ver < ORA_RE_V500 || memcmp(&s->c->e.guidId, &(GUID){0}, sizeof(GUID)) == 0)) {
      GUID g;
      char text[40];
      new_guid(&g);
      fmt_guid(&g, text, sizeof text);
      rc = g_set(&e, "Guid", text);
    }
  }
  if (!rc) {
    read_entry(&e, old);
    rc = write_entry(&e, s->c, s->ver, old);
  }
  free(old);
  return rc;
}

static DWORD set_props(int wide, const void *phonebook, const void *entry_arg, const void *buf,
                       DWORD bufsize) {
  if (!buf || !entry_arg)
    return ERROR_INVALID_PARAMETER;
  DWORD size;
  memcpy(&size, buf, sizeof size);
  int ver = version_of(wide, size);
  if (ver < 0)
    return ORA_ERROR_INVALID_SIZE;
  if (bufsize < size)
    return ERROR_INVALID_PARAMETER;
  char name[ORA_ENTRY_BYTES];
  if (!orapb_arg(wide, entry_arg, name, sizeof name) || !orapb_name_valid(name))
    return ORAPB_ERROR_INVALID_NAME;
  canon *c = malloc(sizeof *c);
  if (!c)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  int rc = from_caller(wide, buf, bufsize, ver, c);
  orapb_set set;
  int which = 0;
  if (!rc)
    rc = orapb_resolve(wide, phonebook, &set);
  if (!rc && set.n == 0)
    rc = ORA_ERROR_CANNOT_OPEN_PHONEBOOK; /* no profile folder to keep a phone book in */
  if (!rc && !set.named) {                /* a named phone book is created when missing */
    rc = orapb_find(&set, name, &which, NULL);
    if (rc == ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY) {
      which = 0; /* a new entry goes to the named or the user's phone book */
      rc = 0;
    }
  }
  set_ctx s = {name, c, ver};
  if (!rc)
    rc = orapb_update(set.path[which], set_fn, &s);
  free(c);
  return (DWORD)rc;
}

DWORD WINAPI RasSetEntryPropertiesA(LPCSTR phonebook, LPCSTR entry, void *buf, DWORD bufsize,
                                    void *devinfo, DWORD devinfo_size);
DWORD WINAPI RasSetEntryPropertiesA(LPCSTR phonebook, LPCSTR entry, void *buf, DWORD bufsize,
                                    void *devinfo, DWORD devinfo_size) {
  (void)devinfo, (void)devinfo_size; /* no longer used, as on Windows */
  return set_props(0, phonebook, entry, buf, bufsize);
}

DWORD WINAPI RasSetEntryPropertiesW(LPCWSTR phonebook, LPCWSTR entry, void *buf, DWORD bufsize,
                                    void *devinfo, DWORD devinfo_size);
DWORD WINAPI RasSetEntryPropertiesW(LPCWSTR phonebook, LPCWSTR entry, void *buf, DWORD bufsize,
                                    void *devinfo, DWORD devinfo_size) {
  (void)devinfo, (void)devinfo_size;
  return set_props(1, phonebook, entry, buf, bufsize);
}
