/* Issue 6: phone-book entries. RasEnumEntries, RasValidateEntryName, RasDeleteEntry,
 * RasRenameEntry, RasGetEntryProperties and RasSetEntryProperties, A and W, every
 * historical structure size, the enumeration conventions (size probe, counts, dwSize
 * of every element), bad arguments, a phone book written by Windows 10 kept intact,
 * and concurrent writers. Each case uses its own phone book in the temp folder. */
#include "entries_util.h"

static const char k_three[] = "[Alpha]\r\nPhoneNumber=1\r\n\r\n[Beta]\r\nPhoneNumber=2\r\n\r\n"
                              "[Gamma]\r\nPhoneNumber=3\r\n\r\n";

/* ---------------------------------------------------------------- RasEnumEntries */

static void enum_a_sizes(void **state) {
  (void)state;
  char pbk[MAX_PATH];
  t_pbk_path("enum", pbk, sizeof pbk);
  t_write_file(pbk, k_three, sizeof k_three - 1);
  const DWORD sizes[] = {28, 264, 532};
  /* The probe: NULL buffer, *lpcb 0 -> 603 with the size (newest layout) and count. */
  DWORD cb = 0, n = 77;
  assert_int_equal(RasEnumEntriesA(NULL, pbk, NULL, &cb, &n), ERROR_BUFFER_TOO_SMALL);
  assert_int_equal(cb, 3 * 532);
  assert_int_equal(n, 3);
  for (size_t s = 0; s < 3; s++) {
    DWORD size = sizes[s];
    BYTE *buf = calloc(3, size + 8);
    memset(buf, 0xCC, 3 * size + 8);
    memcpy(buf, &size, sizeof size);
    cb = 3 * size - 1;
    n = 77;
    assert_int_equal(RasEnumEntriesA(NULL, pbk, (void *)buf, &cb, &n), ERROR_BUFFER_TOO_SMALL);
    assert_int_equal(cb, 3 * size);
    assert_int_equal(n, 3);
    cb = 3 * size + 8;
    n = 77;
    assert_int_equal(RasEnumEntriesA(NULL, pbk, (void *)buf, &cb, &n), 0);
    assert_int_equal(cb, 3 * size); /* bytes written */
    assert_int_equal(n, 3);
    const char *names[] = {"Alpha", "Beta", "Gamma"};
    for (int i = 0; i < 3; i++) {
      BYTE *e = buf + i * size;
      DWORD got;
      memcpy(&got, e, sizeof got);
      assert_int_equal(got, size); /* every element's dwSize */
      assert_string_equal((char *)e + 4, names[i]);
      if (size == 532) {
        RASENTRYNAMEA *r = (RASENTRYNAMEA *)e;
        assert_int_equal(r->dwFlags, REN_User);
        assert_string_equal(r->szPhonebookPath, pbk);
      }
    }
    assert_int_equal(buf[3 * size], 0xCC); /* nothing past the array */
    free(buf);
  }
  /* Every other size, and the W sizes in the A call. */
  const DWORD bad[] = {0, 27, 29, 263, 265, 531, 533, 48, 520, 1048};
  for (size_t i = 0; i < ARRAYSIZE(bad); i++) {
    RASENTRYNAMEA r[4];
    r[0].dwSize = bad[i];
    cb = sizeof r;
    n = 77;
    assert_int_equal(RasEnumEntriesA(NULL, pbk, r, &cb, &n), ERROR_INVALID_SIZE);
  }
  DeleteFileA(pbk);
}

static void enum_w_sizes(void **state) {
  (void)state;
  char pbk[MAX_PATH];
  WCHAR pbkw[MAX_PATH];
  t_pbk_path("enumw", pbk, sizeof pbk);
  t_pbk_path_w(pbk, pbkw, MAX_PATH);
  /* A UTF-8 name with Encoding=1, as Windows writes it. */
  static const char text[] = "[Caf\xC3\xA9 \xE2\x82\xAC]\r\nEncoding=1\r\n\r\n[Plain]\r\n\r\n";
  t_write_file(pbk, text, sizeof text - 1);
  const DWORD sizes[] = {48, 520, 1048};
  DWORD cb = 0, n = 0;
  assert_int_equal(RasEnumEntriesW(NULL, pbkw, NULL, &cb, &n), ERROR_BUFFER_TOO_SMALL);
  assert_int_equal(cb, 2 * 1048);
  assert_int_equal(n, 2);
  for (size_t s = 0; s < 3; s++) {
    DWORD size = sizes[s];
    BYTE *buf = calloc(2, size);
    memcpy(buf, &size, sizeof size);
    cb = 2 * size;
    assert_int_equal(RasEnumEntriesW(NULL, pbkw, (void *)buf, &cb, &n), 0);
    assert_int_equal(n, 2);
    assert_true(wcscmp((WCHAR *)(buf + 4), L"Caf\u00e9 \u20ac") == 0);
    assert_true(wcscmp((WCHAR *)(buf + size + 4), L"Plain") == 0);
    if (size == 1048)
      assert_true(wcscmp(((RASENTRYNAMEW *)buf)->szPhonebookPath, pbkw) == 0);
    free(buf);
  }
  RASENTRYNAMEW r[2];
  r[0].dwSize = 532; /* the A size */
  cb = sizeof r;
  assert_int_equal(RasEnumEntriesW(NULL, pbkw, r, &cb, &n), ERROR_INVALID_SIZE);
  DeleteFileA(pbk);
}

static void enum_args(void **state) {
  (void)state;
  char pbk[MAX_PATH];
  t_pbk_path("enumargs", pbk, sizeof pbk);
  t_write_file(pbk, k_three, sizeof k_three - 1);
  RASENTRYNAMEA r[4];
  r[0].dwSize = sizeof r[0];
  DWORD cb = sizeof r, n = 77;
  assert_int_equal(RasEnumEntriesA("x", pbk, r, &cb, &n), ERROR_INVALID_PARAMETER);
  assert_int_equal(RasEnumEntriesA(NULL, pbk, r, NULL, &n), ERROR_INVALID_PARAMETER);
  assert_int_equal(RasEnumEntriesA(NULL, pbk, r, &cb, NULL), ERROR_INVALID_PARAMETER);
  assert_int_equal(n, 77);
  /* An empty phone book: success, nothing written, count 0. */
  char empty[MAX_PATH];
  t_pbk_path("enumempty", empty, sizeof empty);
  t_write_file(empty, "; nothing\r\n", 11);
  cb = 0;
  assert_int_equal(RasEnumEntriesA(NULL, empty, NULL, &cb, &n), 0);
  assert_int_equal(cb, 0);
  assert_int_equal(n, 0);
  cb = sizeof r;
  assert_int_equal(RasEnumEntriesA(NULL, empty, r, &cb, &n), 0);
  assert_int_equal(n, 0);
  /* A named phone book that is not there, and a malformed one. */
  char missing[MAX_PATH];
  t_pbk_path("enummissing", missing, sizeof missing);
  cb = sizeof r;
  assert_int_equal(RasEnumEntriesA(NULL, missing, r, &cb, &n), ERROR_CANNOT_OPEN_PHONEBOOK);
  t_write_file(empty, "Key=before any section\r\n[A]\r\n", 30);
  cb = sizeof r;
  assert_int_equal(RasEnumEntriesA(NULL, empty, r, &cb, &n), ERROR_CANNOT_LOAD_PHONEBOOK);
  t_write_file(empty, "[A\r\n", 4);
  assert_int_equal(RasEnumEntriesA(NULL, empty, r, &cb, &n), ERROR_CANNOT_LOAD_PHONEBOOK);
  DeleteFileA(pbk);
  DeleteFileA(empty);
}

/* NULL phone book: the user's rasphone.pbk and then the all-users one, with
 * REN_User / REN_AllUsers. The profile folders are redirected to the temp folder. */
static void enum_default_books(void **state) {
  (void)state;
  char base[MAX_PATH], user[MAX_PATH], all[MAX_PATH], dir[MAX_PATH * 2];
  char old_appdata[MAX_PATH] = "", old_pd[MAX_PATH] = "";
  GetEnvironmentVariableA("APPDATA", old_appdata, MAX_PATH);
  GetEnvironmentVariableA("ProgramData", old_pd, MAX_PATH);
  t_pbk_path("profiles", base, sizeof base);
  snprintf(user, sizeof user, "%s.user", base);
  snprintf(all, sizeof all, "%s.all", base);
  SetEnvironmentVariableA("APPDATA", user);
  SetEnvironmentVariableA("ProgramData", all);
  const char *roots[2] = {user, all};
  for (int i = 0; i < 2; i++) {
    CreateDirectoryA(roots[i], NULL);
    const char *parts[] = {"\\Microsoft", "\\Network", "\\Connections", "\\Pbk"};
    snprintf(dir, sizeof dir, "%s", roots[i]);
    for (int k = 0; k < 4; k++) {
      strcat(dir, parts[k]);
      CreateDirectoryA(dir, NULL);
    }
    strcat(dir, "\\rasphone.pbk");
    t_write_file(dir, i ? "[AllOne]\r\n\r\n" : "[UserOne]\r\n\r\n[UserTwo]\r\n\r\n", i ? 12 : 26);
  }
  RASENTRYNAMEA r[3];
  r[0].dwSize = sizeof r[0];
  DWORD cb = sizeof r, n = 0;
  assert_int_equal(RasEnumEntriesA(NULL, NULL, r, &cb, &n), 0);
  assert_int_equal(n, 3);
  assert_string_equal(r[0].szEntryName, "UserOne");
  assert_int_equal(r[0].dwFlags, REN_User);
  assert_string_equal(r[2].szEntryName, "AllOne");
  assert_int_equal(r[2].dwFlags, REN_AllUsers);
  assert_non_null(strstr(r[2].szPhonebookPath, ".all\\Microsoft\\Network\\Connections\\Pbk"));
  /* A new entry goes to the user's phone book; an existing one is written where it is. */
  RASENTRYA e;
  memset(&e, 0, sizeof e);
  e.dwSize = sizeof e;
  strcpy(e.szLocalPhoneNumber, "42");
  strcpy(e.szDeviceType, "modem");
  strcpy(e.szDeviceName, "OpenRAS Simulated Modem");
  assert_int_equal(RasSetEntryPropertiesA(NULL, "NewOne", &e, sizeof e, NULL, 0), 0);
  assert_int_equal(RasSetEntryPropertiesA(NULL, "AllOne", &e, sizeof e, NULL, 0), 0);
  snprintf(dir, sizeof dir, "%s\\Microsoft\\Network\\Connections\\Pbk\\rasphone.pbk", user);
  char *u = t_read_file(dir, NULL);
  snprintf(dir, sizeof dir, "%s\\Microsoft\\Network\\Connections\\Pbk\\rasphone.pbk", all);
  char *a = t_read_file(dir, NULL);
  assert_non_null(strstr(u, "[NewOne]"));
  assert_null(strstr(a, "[NewOne]"));
  assert_non_null(strstr(a, "PhoneNumber=42"));
  assert_int_equal(RasValidateEntryNameA(NULL, "AllOne"), ERROR_ALREADY_EXISTS);
  assert_int_equal(RasValidateEntryNameA(NULL, "UserTwo"), ERROR_ALREADY_EXISTS);
  assert_int_equal(RasValidateEntryNameA(NULL, "Nobody"), 0);
  assert_int_equal(RasDeleteEntryA(NULL, "AllOne"), 0);
  assert_int_equal(RasValidateEntryNameA(NULL, "AllOne"), 0);
  free(u);
  free(a);
  SetEnvironmentVariableA("APPDATA", old_appdata[0] ? old_appdata : NULL);
  SetEnvironmentVariableA("ProgramData", old_pd[0] ? old_pd : NULL);
}

/* ---------------------------------------------------------------- names */

static void validate_names(void **state) {
  (void)state;
  char pbk[MAX_PATH];
  WCHAR pbkw[MAX_PATH];
  t_pbk_path("validate", pbk, sizeof pbk);
  t_pbk_path_w(pbk, pbkw, MAX_PATH);
  t_write_file(pbk, k_three, sizeof k_three - 1);
  assert_int_equal(RasValidateEntryNameA(pbk, "Delta"), 0);
  assert_int_equal(RasValidateEntryNameA(pbk, "Beta"), ERROR_ALREADY_EXISTS);
  assert_int_equal(RasValidateEntryNameA(pbk, "bEtA"), ERROR_ALREADY_EXISTS);
  assert_int_equal(RasValidateEntryNameW(pbkw, L"GAMMA"), ERROR_ALREADY_EXISTS);
  assert_int_equal(RasValidateEntryNameW(pbkw, L"\u00c9t\u00e9 2"), 0);
  const char *bad[] = {"",    " ",   "  \t", ".hidden", "a|b", "a>b", "a<b",
                       "a?b", "a*b", "a\\b", "a/b",     "a:b", "-_-", "tab\there"};
  for (size_t i = 0; i < ARRAYSIZE(bad); i++)
    if (RasValidateEntryNameA(pbk, bad[i]) != ERROR_INVALID_NAME)
      fail_msg("\"%s\" accepted", bad[i]);
  char longname[300];
  memset(longname, 'x', 257);
  longname[257] = 0;
  assert_int_equal(RasValidateEntryNameA(pbk, longname), ERROR_INVALID_NAME);
  longname[256] = 0;
  assert_int_equal(RasValidateEntryNameA(pbk, longname), 0);
  assert_int_equal(RasValidateEntryNameA(pbk, NULL), ERROR_INVALID_PARAMETER);
  char missing[MAX_PATH];
  t_pbk_path("validatemissing", missing, sizeof missing);
  assert_int_equal(RasValidateEntryNameA(missing, "Delta"), ERROR_CANNOT_OPEN_PHONEBOOK);
  DeleteFileA(pbk);
}

static void delete_rename(void **state) {
  (void)state;
  char pbk[MAX_PATH];
  WCHAR pbkw[MAX_PATH];
  t_pbk_path("rename", pbk, sizeof pbk);
  t_pbk_path_w(pbk, pbkw, MAX_PATH);
  t_write_file(pbk, k_three, sizeof k_three - 1);
  assert_int_equal(RasRenameEntryA(pbk, "Beta", "Bravo"), 0);
  char *t = t_read_file(pbk, NULL);
  assert_non_null(strstr(t, "[Bravo]\r\nPhoneNumber=2\r\n"));
  assert_null(strstr(t, "[Beta]"));
  free(t);
  assert_int_equal(RasRenameEntryA(pbk, "Beta", "Other"), ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
  assert_int_equal(RasRenameEntryA(pbk, "Bravo", "Alpha"), ERROR_ALREADY_EXISTS);
  assert_int_equal(RasRenameEntryA(pbk, "Bravo", "ALPHA"), ERROR_ALREADY_EXISTS);
  assert_int_equal(RasRenameEntryA(pbk, "Bravo", "a:b"), ERROR_INVALID_NAME);
  assert_int_equal(RasRenameEntryA(pbk, "Bravo", NULL), ERROR_INVALID_PARAMETER);
  assert_int_equal(RasRenameEntryW(pbkw, L"bravo", L"BRAVO"), 0); /* only the case */
  assert_int_equal(RasDeleteEntryW(pbkw, L"Bravo"), 0);
  assert_int_equal(RasDeleteEntryA(pbk, "Bravo"), ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
  assert_int_equal(RasDeleteEntryA(pbk, NULL), ERROR_INVALID_PARAMETER);
  t = t_read_file(pbk, NULL);
  assert_string_equal(t, "[Alpha]\r\nPhoneNumber=1\r\n\r\n[Gamma]\r\nPhoneNumber=3\r\n\r\n");
  free(t);
  DeleteFileA(pbk);
}

/* ---------------------------------------------------------------- properties */

static void fill_a(BYTE *p, DWORD size, int ver) {
  RASENTRYA *e = (RASENTRYA *)p;
  memset(p, 0, size);
  e->dwSize = size;
  e->dwfOptions = RASEO_SpecificIpAddr | RASEO_SpecificNameServers | RASEO_SwCompression |
                  RASEO_RequireMsCHAP2 | RASEO_TerminalAfterDial | RASEO_UseCountryAndAreaCodes;
  e->dwCountryID = 49;
  e->dwCountryCode = 49;
  strcpy(e->szAreaCode, "030");
  strcpy(e->szLocalPhoneNumber, "5550100");
  e->ipaddr = (RASIPADDR){10, 1, 2, 3};
  e->ipaddrDns = (RASIPADDR){8, 8, 8, 8};
  e->ipaddrDnsAlt = (RASIPADDR){8, 8, 4, 4};
  e->dwfNetProtocols = RASNP_Ip;
  e->dwFramingProtocol = RASFP_Ppp;
  strcpy(e->szScript, "C:\\scripts\\login.scp");
  strcpy(e->szDeviceType, "modem");
  strcpy(e->szDeviceName, "OpenRAS Simulated Modem");
  e->dwChannels = 0;
  if (ver >= T_RE_V401) {
    e->dwDialMode = RASEDM_DialAsNeeded;
    e->dwIdleDisconnectSeconds = 600;
  }
  if (ver >= T_RE_V500) {
    e->dwType = RASET_Phone;
    e->dwEncryptionType = ET_Require;
    e->dwVpnStrategy = VS_L2tpFirst;
  }
  if (ver >= T_RE_V501) {
    e->dwfOptions2 = RASEO2_ReconnectIfDropped | RASEO2_DontNegotiateMultilink;
    strcpy(e->szDnsSuffix, "example.net");
    e->dwRedialCount = 7;
    e->dwRedialPause = 12;
  }
  if (ver >= T_RE_V600) {
    BYTE *dns6 = p + T_RE_IPV6DNS_A;
    dns6[0] = 0x20, dns6[1] = 0x01, dns6[2] = 0x0d, dns6[3] = 0xb8, dns6[15] = 0x53;
    DWORD metric = 25;
    memcpy(p + T_RE_IPV6DNS_A + 32, &metric, 4);
  }
  if (ver >= T_RE_V601) {
    BYTE *a6 = p + T_RE_IPV6ADDR_A;
    a6[0] = 0xfe, a6[1] = 0x80, a6[15] = 1;
    DWORD plen = 64;
    memcpy(p + T_RE_IPV6ADDR_A + 16, &plen, 4);
  }
  if (ver >= T_RE_VA00)
    strcpy((char *)p + T_RE_IDI_A, "client@example.net");
}

static void check_a(const BYTE *p, DWORD size, int ver) {
  const RASENTRYA *e = (const RASENTRYA *)p;
  assert_int_equal(e->dwSize, size);
  DWORD want = RASEO_SpecificIpAddr | RASEO_SpecificNameServers | RASEO_SwCompression |
               RASEO_RequireMsCHAP2 | RASEO_TerminalAfterDial | RASEO_UseCountryAndAreaCodes;
  if (ver >= T_RE_V500)
    want |= RASEO_RequireDataEncryption; /* ET_Require */
  assert_int_equal(e->dwfOptions, want);
  assert_int_equal(e->dwCountryID, 49);
  assert_int_equal(e->dwCountryCode, 49);
  assert_string_equal(e->szAreaCode, "030");
  assert_string_equal(e->szLocalPhoneNumber, "5550100");
  assert_int_equal(e->dwAlternateOffset, 0);
  assert_memory_equal(&e->ipaddr, ((BYTE[]){10, 1, 2, 3}), 4);
  assert_memory_equal(&e->ipaddrDns, ((BYTE[]){8, 8, 8, 8}), 4);
  assert_memory_equal(&e->ipaddrDnsAlt, ((BYTE[]){8, 8, 4, 4}), 4);
  assert_true(e->dwfNetProtocols & RASNP_Ip);
  assert_int_equal(e->dwFramingProtocol, RASFP_Ppp);
  assert_string_equal(e->szScript, "C:\\scripts\\login.scp");
  assert_string_equal(e->szDeviceType, "modem");
  assert_string_equal(e->szDeviceName, "OpenRAS Simulated Modem");
  if (ver >= T_RE_V401) {
    assert_int_equal(e->dwDialMode, RASEDM_DialAsNeeded);
    assert_int_equal(e->dwIdleDisconnectSeconds, 600);
    assert_int_equal(e->dwSubEntries, 1);
  }
  if (ver >= T_RE_V500) {
    assert_int_equal(e->dwType, RASET_Phone);
    assert_int_equal(e->dwEncryptionType, ET_Require);
    assert_int_equal(e->dwVpnStrategy, VS_L2tpFirst);
    static const GUID zero;
    assert_true(memcmp(&e->guidId, &zero, sizeof zero) != 0); /* given on creation */
  }
  if (ver >= T_RE_V501) {
    assert_int_equal(e->dwfOptions2, RASEO2_ReconnectIfDropped | RASEO2_DontNegotiateMultilink);
    assert_string_equal(e->szDnsSuffix, "example.net");
    assert_int_equal(e->dwRedialCount, 7);
    assert_int_equal(e->dwRedialPause, 12);
  }
  if (ver >= T_RE_V600) {
    const BYTE *dns6 = p + T_RE_IPV6DNS_A;
    assert_int_equal(dns6[0], 0x20);
    assert_int_equal(dns6[3], 0xb8);
    assert_int_equal(dns6[15], 0x53);
    DWORD metric;
    memcpy(&metric, p + T_RE_IPV6DNS_A + 32, 4);
    assert_int_equal(metric, 25);
  }
  if (ver >= T_RE_V601) {
    assert_int_equal(p[T_RE_IPV6ADDR_A], 0xfe);
    assert_int_equal(p[T_RE_IPV6ADDR_A + 15], 1);
    DWORD plen;
    memcpy(&plen, p + T_RE_IPV6ADDR_A + 16, 4);
    assert_int_equal(plen, 64);
  }
  if (ver >= T_RE_VA00)
    assert_string_equal((const char *)p + T_RE_IDI_A, "client@example.net");
}

/* Every RASENTRYA size, written and read back at the end of a page (one byte past
 * dwSize would crash), each into a fresh phone book; then every other size refused. */
static void props_a_every_size(void **state) {
  (void)state;
  for (int v = 0; v < 7; v++) {
    char pbk[MAX_PATH];
    t_pbk_path("propsa", pbk, sizeof pbk);
    DWORD size = t_re_size_a[v];
    t_guard g;
    BYTE *p = t_guard_alloc(&g, size, 0);
    fill_a(p, size, v);
    assert_int_equal(RasSetEntryPropertiesA(pbk, "Sized", (RASENTRYA *)p, size, NULL, 0), 0);
    memset(p, 0xEE, size);
    memcpy(p, &size, 4);
    DWORD cb = size, dev = 1234;
    assert_int_equal(RasGetEntryPropertiesA(pbk, "Sized", (RASENTRYA *)p, &cb, NULL, &dev), 0);
    assert_int_equal(cb, size);
    assert_int_equal(dev, 0); /* no TAPI device configuration */
    check_a(p, size, v);
    t_guard_free(&g);
    /* The file says it the way Windows does. */
    char *t = t_read_file(pbk, NULL);
    assert_non_null(strstr(t, "\r\nIpAddress=10.1.2.3\r\n"));
    assert_non_null(strstr(t, "\r\nIpAssign=2\r\n"));
    assert_non_null(strstr(t, "\r\nAuthRestrictions=512\r\n"));
    assert_non_null(strstr(t, "\r\nMEDIA=rastapi\r\n"));
    assert_non_null(strstr(t, "\r\nDevice=OpenRAS Simulated Modem\r\n"));
    assert_non_null(strstr(t, "\r\nDEVICE=modem\r\nPhoneNumber=5550100\r\nAreaCode=030\r\n"));
    assert_non_null(strstr(t, "\r\nORA_Link=sim\r\n"));
    free(t);
    DeleteFileA(pbk);
  }
  char pbk[MAX_PATH];
  t_pbk_path("propsabad", pbk, sizeof pbk);
  BYTE buf[8000] = {0};
  DWORD bad[] = {0, 4, 1767, 1769, 2883, 2885, 3479, 3481, 3468, 5616, 6724};
  for (size_t i = 0; i < ARRAYSIZE(bad); i++) {
    memcpy(buf, &bad[i], 4);
    DWORD cb = sizeof buf;
    assert_int_equal(RasSetEntryPropertiesA(pbk, "X", (RASENTRYA *)buf, sizeof buf, NULL, 0),
                     ERROR_INVALID_SIZE);
    assert_int_equal(RasGetEntryPropertiesA(pbk, "X", (RASENTRYA *)buf, &cb, NULL, NULL),
                     ERROR_INVALID_SIZE);
  }
  assert_int_equal(GetFileAttributesA(pbk), INVALID_FILE_ATTRIBUTES); /* nothing written */
}

/* Every RASENTRYW size written with W and read back with the A call of every size. */
static void props_w_then_a(void **state) {
  (void)state;
  for (int v = 0; v < 7; v++) {
    char pbk[MAX_PATH];
    WCHAR pbkw[MAX_PATH];
    t_pbk_path("propsw", pbk, sizeof pbk);
    t_pbk_path_w(pbk, pbkw, MAX_PATH);
    DWORD size = t_re_size_w[v];
    t_guard g;
    BYTE *p = t_guard_alloc(&g, size, 0);
    RASENTRYW *e = (RASENTRYW *)p;
    e->dwSize = size;
    e->dwfOptions = RASEO_RemoteDefaultGateway | RASEO_ModemLights;
    wcscpy(e->szLocalPhoneNumber, L"vpn.example.com");
    wcscpy(e->szDeviceType, L"vpn");
    wcscpy(e->szDeviceName, L"OpenRAS PPP over TCP");
    e->dwfNetProtocols = RASNP_Ip;
    e->dwFramingProtocol = RASFP_Ppp;
    if (v >= T_RE_V500)
      e->dwType = RASET_Vpn;
    assert_int_equal(RasSetEntryPropertiesW(pbkw, L"Wide", e, size, NULL, 0), 0);
    t_guard_free(&g);
    for (int av = 0; av < 7; av++) {
      DWORD asize = t_re_size_a[av], cb = asize;
      BYTE *ap = t_guard_alloc(&g, asize, 0x5A);
      memcpy(ap, &asize, 4);
      assert_int_equal(RasGetEntryPropertiesA(pbk, "wide", (RASENTRYA *)ap, &cb, NULL, NULL), 0);
      RASENTRYA *a = (RASENTRYA *)ap;
      assert_int_equal(a->dwSize, asize);
      assert_string_equal(a->szLocalPhoneNumber, "vpn.example.com");
      assert_string_equal(a->szDeviceType, "vpn");
      assert_string_equal(a->szDeviceName, "OpenRAS PPP over TCP");
      assert_int_equal(a->dwfOptions, RASEO_RemoteDefaultGateway | RASEO_ModemLights);
      if (av >= T_RE_V500)
        assert_int_equal(a->dwType, v >= T_RE_V500 ? RASET_Vpn : RASET_Phone);
      t_guard_free(&g);
    }
    char *t = t_read_file(pbk, NULL);
    assert_non_null(strstr(t, "\r\nORA_Link=tcp\r\n"));
    free(t);
    DeleteFileA(pbk);
  }
}

/* A non-ASCII entry name, number and device name through W, as UTF-8 in the file. */
static void props_w_unicode(void **state) {
  (void)state;
  char pbk[MAX_PATH];
  WCHAR pbkw[MAX_PATH];
  t_pbk_path("propsu", pbk, sizeof pbk);
  t_pbk_path_w(pbk, pbkw, MAX_PATH);
  RASENTRYW e;
  memset(&e, 0, sizeof e);
  e.dwSize = sizeof e;
  wcscpy(e.szLocalPhoneNumber, L"+49 (30) 555");
  wcscpy(e.szDeviceType, L"modem");
  wcscpy(e.szDeviceName, L"Modem \u00e9\u20ac");
  wcscpy(e.szDnsSuffix, L"\u00fcber.example");
  assert_int_equal(RasSetEntryPropertiesW(pbkw, L"\u00c9t\u00e9 \u20ac", &e, sizeof e, NULL, 0), 0);
  char *t = t_read_file(pbk, NULL);
  assert_non_null(strstr(t, "[\xC3\x89t\xC3\xA9 \xE2\x82\xAC]\r\n"));
  assert_non_null(strstr(t, "Device=Modem \xC3\xA9\xE2\x82\xAC\r\n"));
  free(t);
  RASENTRYW r;
  memset(&r, 0, sizeof r);
  r.dwSize = sizeof r;
  DWORD cb = sizeof r;
  assert_int_equal(RasGetEntryPropertiesW(pbkw, L"\u00c9t\u00e9 \u20ac", &r, &cb, NULL, NULL), 0);
  assert_true(wcscmp(r.szDeviceName, L"Modem \u00e9\u20ac") == 0);
  assert_true(wcscmp(r.szDnsSuffix, L"\u00fcber.example") == 0);
  assert_true(wcscmp(r.szLocalPhoneNumber, L"+49 (30) 555") == 0);
  DeleteFileA(pbk);
}

/* Alternate numbers: the multi-string after the structure, in the file as Windows
 * writes them, the size probe counting them, and replacing them. */
static void props_alternates(void **state) {
  (void)state;
  char pbk[MAX_PATH];
  WCHAR pbkw[MAX_PATH];
  t_pbk_path("alt", pbk, sizeof pbk);
  t_pbk_path_w(pbk, pbkw, MAX_PATH);
  BYTE buf[sizeof(RASENTRYA) + 64];
  RASENTRYA *e = (RASENTRYA *)buf;
  memset(buf, 0, sizeof buf);
  e->dwSize = sizeof *e;
  strcpy(e->szLocalPhoneNumber, "111");
  strcpy(e->szDeviceType, "modem");
  e->dwAlternateOffset = sizeof *e;
  memcpy(buf + sizeof *e,
         "222\0"
         "3333\0",
         10);
  assert_int_equal(RasSetEntryPropertiesA(pbk, "Alt", e, sizeof buf, NULL, 0), 0);
  char *t = t_read_file(pbk, NULL);
  static const char *const order[] = {"DEVICE=modem", "PhoneNumber=111", "PhoneNumber=222",
                                      "PhoneNumber=3333"};
  assert_true(t_lines_in_order(t, order, 4));
  free(t);
  /* The probe: NULL buffer (newest layout) and a buffer of the structure's size. */
  DWORD cb = 0;
  assert_int_equal(RasGetEntryPropertiesA(pbk, "Alt", NULL, &cb, NULL, NULL),
                   ERROR_BUFFER_TOO_SMALL);
  assert_int_equal(cb, 3480 + 10);
  memset(buf, 0xCC, sizeof buf);
  e->dwSize = sizeof *e;
  cb = sizeof *e;
  assert_int_equal(RasGetEntryPropertiesA(pbk, "Alt", e, &cb, NULL, NULL), ERROR_BUFFER_TOO_SMALL);
  assert_int_equal(cb, sizeof *e + 10);
  assert_int_equal(RasGetEntryPropertiesA(pbk, "Alt", e, &cb, NULL, NULL), 0);
  assert_int_equal(e->dwAlternateOffset, sizeof *e);
  assert_memory_equal(buf + sizeof *e,
                      "222\0"
                      "3333\0",
                      10);
  /* W sees them too. */
  BYTE wbuf[sizeof(RASENTRYW) + 64];
  RASENTRYW *w = (RASENTRYW *)wbuf;
  w->dwSize = sizeof *w;
  cb = sizeof wbuf;
  assert_int_equal(RasGetEntryPropertiesW(pbkw, L"Alt", w, &cb, NULL, NULL), 0);
  assert_int_equal(cb, sizeof *w + 20);
  assert_memory_equal(wbuf + sizeof *w,
                      L"222\0"
                      L"3333\0",
                      20);
  /* Replace them with one, then none. */
  w->dwAlternateOffset = sizeof *w;
  memcpy(wbuf + sizeof *w, L"99\0", 8);
  assert_int_equal(RasSetEntryPropertiesW(pbkw, L"Alt", w, sizeof *w + 8, NULL, 0), 0);
  t = t_read_file(pbk, NULL);
  assert_null(strstr(t, "PhoneNumber=222"));
  assert_non_null(strstr(t, "PhoneNumber=99\r\n"));
  free(t);
  w->dwAlternateOffset = 0;
  assert_int_equal(RasSetEntryPropertiesW(pbkw, L"Alt", w, sizeof *w, NULL, 0), 0);
  cb = sizeof wbuf;
  assert_int_equal(RasGetEntryPropertiesW(pbkw, L"Alt", w, &cb, NULL, NULL), 0);
  assert_int_equal(cb, sizeof *w);
  assert_int_equal(w->dwAlternateOffset, 0);
  /* An offset outside the buffer. */
  e->dwSize = sizeof *e;
  e->dwAlternateOffset = sizeof *e + 100;
  assert_int_equal(RasSetEntryPropertiesA(pbk, "Alt", e, sizeof *e + 10, NULL, 0),
                   ERROR_INVALID_PARAMETER);
  DeleteFileA(pbk);
}

/* lpszEntry NULL or "": the defaults of a new entry. */
static void props_defaults(void **state) {
  (void)state;
  RASENTRYA e;
  for (int i = 0; i < 2; i++) {
    memset(&e, 0xCC, sizeof e);
    e.dwSize = sizeof e;
    DWORD cb = sizeof e, dev = 77;
    assert_int_equal(RasGetEntryPropertiesA(NULL, i ? "" : NULL, &e, &cb, NULL, &dev), 0);
    assert_int_equal(dev, 0);
    assert_int_equal(e.dwSize, sizeof e);
    assert_int_equal(e.dwAlternateOffset, 0);
    assert_int_equal(e.dwFramingProtocol, RASFP_Ppp);
    assert_int_equal(e.dwType, RASET_Phone);
    assert_true(e.dwfNetProtocols & RASNP_Ip);
    assert_true(e.dwfOptions & RASEO_RemoteDefaultGateway);
    assert_true(e.dwfOptions & RASEO_SwCompression);
    assert_string_equal(e.szLocalPhoneNumber, "");
    assert_int_equal(e.dwRedialCount, 3);
    assert_int_equal(e.dwRedialPause, 60);
  }
  DWORD cb = 0;
  assert_int_equal(RasGetEntryPropertiesA(NULL, "", NULL, &cb, NULL, NULL), ERROR_BUFFER_TOO_SMALL);
  assert_int_equal(cb, 3480);
}

static void props_errors(void **state) {
  (void)state;
  char pbk[MAX_PATH];
  t_pbk_path("propserr", pbk, sizeof pbk);
  t_write_file(pbk, k_three, sizeof k_three - 1);
  RASENTRYA e;
  memset(&e, 0, sizeof e);
  e.dwSize = sizeof e;
  DWORD cb = sizeof e;
  assert_int_equal(RasGetEntryPropertiesA(pbk, "Nobody", &e, &cb, NULL, NULL),
                   ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
  assert_int_equal(RasGetEntryPropertiesA(pbk, "Alpha", &e, NULL, NULL, NULL),
                   ERROR_INVALID_PARAMETER);
  cb = sizeof e - 1;
  assert_int_equal(RasGetEntryPropertiesA(pbk, "Alpha", &e, &cb, NULL, NULL),
                   ERROR_BUFFER_TOO_SMALL);
  assert_int_equal(cb, sizeof e);
  assert_int_equal(RasSetEntryPropertiesA(pbk, "Alpha", NULL, sizeof e, NULL, 0),
                   ERROR_INVALID_PARAMETER);
  assert_int_equal(RasSetEntryPropertiesA(pbk, NULL, &e, sizeof e, NULL, 0),
                   ERROR_INVALID_PARAMETER);
  assert_int_equal(RasSetEntryPropertiesA(pbk, "Alpha", &e, sizeof e - 1, NULL, 0),
                   ERROR_INVALID_PARAMETER);
  assert_int_equal(RasSetEntryPropertiesA(pbk, "bad|name", &e, sizeof e, NULL, 0),
                   ERROR_INVALID_NAME);
  assert_int_equal(RasSetEntryPropertiesA(pbk, ".dot", &e, sizeof e, NULL, 0), ERROR_INVALID_NAME);
  /* A malformed phone book is reported, never crashed on, and never overwritten. */
  static const char junk[] = "garbage before a section\r\n[Alpha]\r\n";
  t_write_file(pbk, junk, sizeof junk - 1);
  cb = sizeof e;
  assert_int_equal(RasGetEntryPropertiesA(pbk, "Alpha", &e, &cb, NULL, NULL),
                   ERROR_CANNOT_LOAD_PHONEBOOK);
  assert_int_equal(RasSetEntryPropertiesA(pbk, "Alpha", &e, sizeof e, NULL, 0),
                   ERROR_CANNOT_LOAD_PHONEBOOK);
  assert_int_equal(RasDeleteEntryA(pbk, "Alpha"), ERROR_CANNOT_LOAD_PHONEBOOK);
  assert_int_equal(RasRenameEntryA(pbk, "Alpha", "B"), ERROR_CANNOT_LOAD_PHONEBOOK);
  assert_int_equal(RasValidateEntryNameA(pbk, "B"), ERROR_CANNOT_LOAD_PHONEBOOK);
  size_t len = 0;
  char *t = t_read_file(pbk, &len);
  assert_int_equal(len, sizeof junk - 1);
  assert_memory_equal(t, junk, len);
  free(t);
  t_write_file(pbk, "\0\0\0", 3); /* NUL bytes (a UTF-16 file) */
  assert_int_equal(RasGetEntryPropertiesA(pbk, "Alpha", &e, &cb, NULL, NULL),
                   ERROR_CANNOT_LOAD_PHONEBOOK);
  DeleteFileA(pbk);
}

/* ---------------------------------------------------------------- Windows' phone book */

static char *fixture(size_t *len) {
  char path[MAX_PATH * 2];
  char data[MAX_PATH];
  if (!GetEnvironmentVariableA("ORA_TEST_DATA", data, sizeof data))
    return NULL;
  /* ORA_TEST_DATA is a host path: under Wine Z: maps the host's root. */
  snprintf(path, sizeof path, "Z:%s/pbk/windows10.pbk", data);
  for (char *p = path; *p; p++)
    if (*p == '/')
      *p = '\\';
  return t_read_file(path, len);
}

/* Lines of the text, split at CRLF. */
static size_t split_lines(char *text, char **lines, size_t cap) {
  size_t n = 0;
  for (char *p = text; *p && n < cap;) {
    char *end = strstr(p, "\r\n");
    lines[n++] = p;
    if (!end)
      break;
    *end = 0;
    p = end + 2;
  }
  return n;
}

static void windows10_kept(void **state) {
  (void)state;
  size_t flen = 0;
  char *orig = fixture(&flen);
  assert_non_null(orig);
  /* The fixture with a comment before the first entry, one inside it and a key
   * Windows does not write, to see them survive too. */
  size_t cap = flen + 256;
  char *text = malloc(cap);
  const char *split = strstr(orig, "PrivateNetwork=1\r\n");
  assert_non_null(split);
  size_t head = (size_t)(split - orig);
  int n = snprintf(text, cap,
                   "; copied from a Windows 10 machine\r\n%.*s"
                   "; a comment inside the entry\r\nZZUnknownKey=keep me\r\n%s",
                   (int)head, orig, split);
  char pbk[MAX_PATH];
  t_pbk_path("win10", pbk, sizeof pbk);
  t_write_file(pbk, text, (size_t)n);

  /* Windows' entry reads as Windows would report it. */
  BYTE buf[sizeof(RASENTRYA) + 64];
  RASENTRYA *e = (RASENTRYA *)buf;
  e->dwSize = sizeof *e;
  DWORD cb = sizeof buf;
  assert_int_equal(RasGetEntryPropertiesA(pbk, "Dial-up ISP", e, &cb, NULL, NULL), 0);
  assert_string_equal(e->szLocalPhoneNumber, "5551234");
  assert_string_equal(e->szDeviceType, "modem");
  assert_string_equal(e->szDeviceName, "Standard 56000 bps Modem");
  assert_int_equal(e->dwCountryCode, 1);
  assert_int_equal(e->dwType, RASET_Phone);
  assert_int_equal(e->dwRedialCount, 3);
  assert_int_equal(e->dwEncryptionType, ET_Optional);
  assert_true(e->dwfOptions & RASEO_SwCompression);
  assert_false(e->dwfOptions & RASEO_RequirePAP); /* 552: the typical settings */
  assert_int_equal(e->dwAlternateOffset, sizeof *e);
  assert_string_equal((char *)buf + sizeof *e, "5559876");

  /* Written back unchanged: not one byte moves. */
  assert_int_equal(RasSetEntryPropertiesA(pbk, "Dial-up ISP", e, cb, NULL, 0), 0);
  size_t len = 0;
  char *after = t_read_file(pbk, &len);
  assert_int_equal(len, (size_t)n);
  assert_memory_equal(after, text, len);
  free(after);

  /* The VPN entry too. */
  BYTE vbuf[sizeof(RASENTRYW) + 64];
  RASENTRYW *v = (RASENTRYW *)vbuf;
  v->dwSize = sizeof *v;
  cb = sizeof vbuf;
  WCHAR pbkw[MAX_PATH];
  t_pbk_path_w(pbk, pbkw, MAX_PATH);
  assert_int_equal(RasGetEntryPropertiesW(pbkw, L"Contoso VPN", v, &cb, NULL, NULL), 0);
  assert_true(wcscmp(v->szLocalPhoneNumber, L"vpn.contoso.com") == 0);
  assert_true(wcscmp(v->szDeviceType, L"vpn") == 0);
  assert_int_equal(v->dwType, RASET_Vpn);
  assert_int_equal(v->dwVpnStrategy, 7);
  assert_int_equal(v->dwCustomAuthKey, 26);
  assert_true(v->dwfOptions & RASEO_RequireEAP);
  assert_true(v->dwfOptions2 & RASEO2_ReconnectIfDropped);
  assert_int_equal(RasSetEntryPropertiesW(pbkw, L"Contoso VPN", v, cb, NULL, 0), 0);
  after = t_read_file(pbk, &len);
  assert_int_equal(len, (size_t)n);
  assert_memory_equal(after, text, len);
  free(after);

  /* A real change: a new number and DNS server. Every other line stays, in order. */
  strcpy(e->szLocalPhoneNumber, "5550000");
  e->ipaddrDns = (RASIPADDR){192, 0, 2, 53};
  e->dwfOptions |= RASEO_SpecificNameServers;
  assert_int_equal(RasSetEntryPropertiesA(pbk, "Dial-up ISP", e, sizeof buf, NULL, 0), 0);
  after = t_read_file(pbk, &len);
  char **want = malloc(1024 * sizeof *want);
  char *copy = strdup(text);
  size_t nl = split_lines(copy, want, 1024);
  size_t kept = 0;
  for (size_t i = 0; i < nl; i++) {
    if (strcmp(want[i], "PhoneNumber=5551234") == 0 ||
        strcmp(want[i], "IpDnsAddress=0.0.0.0") == 0 || strcmp(want[i], "IpNameAssign=1") == 0)
      continue;
    want[kept++] = want[i];
  }
  assert_true(t_lines_in_order(after, (const char *const *)want, kept));
  static const char *const changed[] = {"IpDnsAddress=192.0.2.53", "IpNameAssign=2", "DEVICE=modem",
                                        "PhoneNumber=5550000", "PhoneNumber=5559876"};
  assert_true(t_lines_in_order(after, changed, 5));
  /* The VPN entry's bytes did not move. */
  assert_non_null(strstr(after, strstr(text, "[Contoso VPN]")));
  free(want);
  free(copy);
  free(after);
  free(text);
  free(orig);
  DeleteFileA(pbk);
}

/* ---------------------------------------------------------------- concurrency */

typedef struct {
  const char *pbk;
  int id;
} writer_arg;

static DWORD WINAPI writer(void *p) {
  writer_arg *w = p;
  for (int i = 0; i < 15; i++) {
    char name[32];
    snprintf(name, sizeof name, "W%d-%02d", w->id, i);
    RASENTRYA e;
    memset(&e, 0, sizeof e);
    e.dwSize = sizeof e;
    snprintf(e.szLocalPhoneNumber, sizeof e.szLocalPhoneNumber, "%d%02d", w->id, i);
    strcpy(e.szDeviceType, "modem");
    if (RasSetEntryPropertiesA(w->pbk, name, &e, sizeof e, NULL, 0) != 0)
      return 1;
  }
  return 0;
}

/* Two threads (the lock is per file, so the same holds across processes) writing
 * entries into one phone book at once: not one entry is lost. */
static void concurrent_writers(void **state) {
  (void)state;
  char pbk[MAX_PATH];
  t_pbk_path("race", pbk, sizeof pbk);
  writer_arg a = {pbk, 1}, b = {pbk, 2};
  HANDLE t[2] = {CreateThread(NULL, 0, writer, &a, 0, NULL),
                 CreateThread(NULL, 0, writer, &b, 0, NULL)};
  WaitForMultipleObjects(2, t, TRUE, 120000);
  for (int i = 0; i < 2; i++) {
    DWORD code = 99;
    GetExitCodeThread(t[i], &code);
    assert_int_equal(code, 0);
    CloseHandle(t[i]);
  }
  DWORD cb = 0, n = 0;
  assert_int_equal(RasEnumEntriesA(NULL, pbk, NULL, &cb, &n), ERROR_BUFFER_TOO_SMALL);
  assert_int_equal(n, 30);
  for (int id = 1; id <= 2; id++)
    for (int i = 0; i < 15; i++) {
      char name[32];
      snprintf(name, sizeof name, "W%d-%02d", id, i);
      assert_int_equal(RasValidateEntryNameA(pbk, name), ERROR_ALREADY_EXISTS);
    }
  DeleteFileA(pbk);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(enum_a_sizes),       cmocka_unit_test(enum_w_sizes),
      cmocka_unit_test(enum_args),          cmocka_unit_test(enum_default_books),
      cmocka_unit_test(validate_names),     cmocka_unit_test(delete_rename),
      cmocka_unit_test(props_a_every_size), cmocka_unit_test(props_w_then_a),
      cmocka_unit_test(props_w_unicode),    cmocka_unit_test(props_alternates),
      cmocka_unit_test(props_defaults),     cmocka_unit_test(props_errors),
      cmocka_unit_test(windows10_kept),     cmocka_unit_test(concurrent_writers),
  };
  ORA_PE_RUN_TESTS("test_entries", tests);
}
