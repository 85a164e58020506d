/* Issue 13.1: RASDIALPARAMS.szDomain "*" means the domain saved for the entry, or no
 * domain; the asterisk never reaches the server. Checked end to end against slirp
 * (tests/pe/link-fixture.sh): COM5 requires PAP, COM7 CHAP-MD5, and both know two users
 * with different passwords, alice/alicepw and CORP\alice/corppw, so which password
 * works tells which user name the server received. A and W, with the saved domain set
 * and read back through RasSetCredentials/RasGetCredentials and
 * RasSetEntryDialParams/RasGetEntryDialParams. */
#include <windows.h>
#include <ras.h>
#include <raserror.h>

#include <stdio.h>
#include <string.h>

#include "pe_test.h"

static char g_pbk[MAX_PATH];
static WCHAR g_pbk_w[MAX_PATH];

static const char pbk_text[] = "[pap]\r\nORA_Link=direct\r\nORA_PppPeerIp=10.0.2.2\r\n\r\n"
                               "MEDIA=serial\r\nPort=COM5\r\nDevice=Null-modem cable (COM5)\r\n\r\n"
                               "DEVICE=null\r\n\r\n"
                               "[chap]\r\nORA_Link=direct\r\nORA_PppPeerIp=10.0.2.2\r\n\r\n"
                               "MEDIA=serial\r\nPort=COM7\r\nDevice=Null-modem cable (COM7)\r\n\r\n"
                               "DEVICE=null\r\n\r\n";

static int setup(void **state) {
  (void)state;
  ora_pe_temp_path("ora-domain", ".pbk", g_pbk, sizeof g_pbk);
  MultiByteToWideChar(CP_ACP, 0, g_pbk, -1, g_pbk_w, MAX_PATH);
  return ora_pe_write_file(g_pbk, pbk_text);
}

static int teardown(void **state) {
  (void)state;
  DeleteFileA(g_pbk);
  return 0;
}

/* A synchronous dial of entry with user alice; returns RasDial's result (hung up after). */
static DWORD dial(int wide, const char *entry, const char *password, const char *domain) {
  HRASCONN h = NULL;
  DWORD rc;
  if (wide) {
    RASDIALPARAMSW p;
    memset(&p, 0, sizeof p);
    p.dwSize = sizeof p;
    MultiByteToWideChar(CP_ACP, 0, entry, -1, p.szEntryName, RAS_MaxEntryName + 1);
    wcscpy(p.szUserName, L"alice");
    MultiByteToWideChar(CP_ACP, 0, password, -1, p.szPassword, PWLEN + 1);
    MultiByteToWideChar(CP_ACP, 0, domain, -1, p.szDomain, DNLEN + 1);
    rc = RasDialW(NULL, g_pbk_w, &p, 0, NULL, &h);
  } else {
    RASDIALPARAMSA p;
    memset(&p, 0, sizeof p);
    p.dwSize = sizeof p;
    strcpy(p.szEntryName, entry);
    strcpy(p.szUserName, "alice");
    strcpy(p.szPassword, password);
    strcpy(p.szDomain, domain);
    rc = RasDialA(NULL, g_pbk, &p, 0, NULL, &h);
  }
  if (h) {
    RasHangUpA(h);
    ora_pe_wait_gone(h, 5000); /* the port is free again once the handle is gone */
  }
  return rc;
}

/* RasSetCredentials with the domain only (RASCM_Domain). */
static void save_domain(int wide, const char *entry, const char *domain) {
  DWORD rc;
  if (wide) {
    RASCREDENTIALSW c;
    memset(&c, 0, sizeof c);
    c.dwSize = sizeof c;
    c.dwMask = RASCM_Domain;
    MultiByteToWideChar(CP_ACP, 0, domain, -1, c.szDomain, DNLEN + 1);
    WCHAR e[RAS_MaxEntryName + 1];
    MultiByteToWideChar(CP_ACP, 0, entry, -1, e, RAS_MaxEntryName + 1);
    rc = RasSetCredentialsW(g_pbk_w, e, &c, FALSE);
  } else {
    RASCREDENTIALSA c;
    memset(&c, 0, sizeof c);
    c.dwSize = sizeof c;
    c.dwMask = RASCM_Domain;
    strcpy(c.szDomain, domain);
    rc = RasSetCredentialsA(g_pbk, entry, &c, FALSE);
  }
  assert_int_equal(rc, 0);
}

/* The saved domain, as RasGetCredentialsA and RasGetEntryDialParamsA report it. */
static void expect_saved_domain(const char *entry, const char *domain) {
  RASCREDENTIALSA c;
  memset(&c, 0, sizeof c);
  c.dwSize = sizeof c;
  c.dwMask = RASCM_Domain;
  assert_int_equal(RasGetCredentialsA(g_pbk, entry, &c), 0);
  assert_string_equal(c.szDomain, domain);
  RASDIALPARAMSA p;
  memset(&p, 0, sizeof p);
  p.dwSize = sizeof p;
  strcpy(p.szEntryName, entry);
  BOOL has_pw = TRUE;
  assert_int_equal(RasGetEntryDialParamsA(g_pbk, &p, &has_pw), 0);
  assert_string_equal(p.szDomain, domain);
}

static void domain_star(const char *entry) {
  for (int wide = 0; wide < 2; wide++) {
    save_domain(wide, entry, "");
    expect_saved_domain(entry, "");
    /* No saved domain: the server sees "alice" (it refused "*\alice" before). */
    assert_int_equal(dial(wide, entry, "alicepw", "*"), 0);
    /* Domain CORP saved: the server sees CORP\alice, whose password is corppw. */
    save_domain(wide, entry, "CORP");
    expect_saved_domain(entry, "CORP");
    assert_int_equal(dial(wide, entry, "corppw", "*"), 0);
    assert_int_equal(dial(wide, entry, "alicepw", "*"), ERROR_AUTHENTICATION_FAILURE);
    /* An explicit domain still wins over the saved one; an empty one means none. */
    assert_int_equal(dial(wide, entry, "alicepw", ""), 0);
    assert_int_equal(dial(wide, entry, "corppw", "CORP"), 0);
    /* "*" given to the setters keeps the saved domain; it is never stored. */
    save_domain(wide, entry, "*");
    expect_saved_domain(entry, "CORP");
    RASDIALPARAMSA p;
    memset(&p, 0, sizeof p);
    p.dwSize = sizeof p;
    strcpy(p.szEntryName, entry);
    strcpy(p.szUserName, "alice");
    strcpy(p.szDomain, "*");
    assert_int_equal(RasSetEntryDialParamsA(g_pbk, &p, TRUE), 0);
    expect_saved_domain(entry, "CORP");
    save_domain(wide, entry, "");
  }
}

static void pap_domain_star(void **state) {
  (void)state;
  domain_star("pap");
}

static void chap_domain_star(void **state) {
  (void)state;
  domain_star("chap");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(pap_domain_star),
      cmocka_unit_test(chap_domain_star),
  };
  ORA_PE_RUN_TESTS_WITH("test_link_domain", tests, setup, teardown);
}
