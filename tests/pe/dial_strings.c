/* Strings across the A and W functions: the ANSI code page and UTF-16 in, UTF-8 in the
 * phone book; outputs converted back, terminated and cut to their fields without
 * splitting a character. */
#include "dial_util.h"

#include <string.h>

/* RasDialA converts with the ANSI code page, RasDialW from UTF-16: an entry named
 * "Café" (UTF-8 in the phone book) dials from both; one with a character outside the
 * BMP ("Smile U+1F600", a surrogate pair) from RasDialW. */
static void non_ascii_entry_names(void **state) {
  (void)state;
  char acp[64], back[64];
  t_to_acp("Caf\xc3\xa9", acp, sizeof acp);
  t_acp_to_utf8(acp, back, sizeof back);
  HRASCONN h = NULL;
  if (strcmp(back, "Caf\xc3\xa9") == 0) { /* the code page has the letter */
    RASDIALPARAMSA pa;
    memset(&pa, 0, sizeof pa);
    pa.dwSize = sizeof pa;
    strcpy(pa.szEntryName, acp);
    assert_int_equal(RasDialA(NULL, t_pbk(), &pa, 0, NULL, &h), 0);
    t_track(h);
    assert_int_equal(RasHangUpA(h), 0);
  }
  RASDIALPARAMSW pw;
  memset(&pw, 0, sizeof pw);
  pw.dwSize = sizeof pw;
  wcscpy(pw.szEntryName, L"Caf\x00e9");
  h = NULL;
  assert_int_equal(RasDialW(NULL, t_pbk_w(), &pw, 0, NULL, &h), 0);
  t_track(h);
  assert_int_equal(RasHangUpW(h), 0);
  wcscpy(pw.szEntryName, L"Smile \xD83D\xDE00");
  h = NULL;
  assert_int_equal(RasDialW(NULL, t_pbk_w(), &pw, 0, NULL, &h), 0);
  t_track(h);
  assert_int_equal(RasHangUpW(h), 0);
  /* a lone surrogate is no such name */
  wcscpy(pw.szEntryName, L"Smile \xD83D");
  h = NULL;
  assert_int_equal(RasDialW(NULL, t_pbk_w(), &pw, 0, NULL, &h), ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
}

/* Outputs: RasGetConnectStatusW gives the UTF-16 of the UTF-8 device name exactly
 * ("Modem Ü U+1F600"); RasGetConnectStatusA the same converted to the ANSI code page. */
static void device_name_conversions(void **state) {
  (void)state;
  HRASCONN h = NULL;
  assert_int_equal(t_dial_entry(1, "Caf\xc3\xa9", &h), 0);
  RASCONNSTATUSW sw;
  memset(&sw, 0, sizeof sw);
  sw.dwSize = sizeof sw;
  assert_int_equal(RasGetConnectStatusW(h, &sw), 0);
  assert_true(wcscmp(sw.szDeviceName, L"Modem \x00dc \xD83D\xDE00") == 0);
  RASCONNSTATUSA sa;
  memset(&sa, 0, sizeof sa);
  sa.dwSize = sizeof sa;
  assert_int_equal(RasGetConnectStatusA(h, &sa), 0);
  char want[64];
  WideCharToMultiByte(CP_ACP, 0, L"Modem \x00dc \xD83D\xDE00", -1, want, sizeof want, NULL, NULL);
  assert_string_equal(sa.szDeviceName, want);
  assert_int_equal(RasHangUpA(h), 0);
}

/* "Outputs ... always NUL-terminated, truncated to the field": the NT3.5 status has a
 * 33-character device name field; a name whose 32nd and 33rd UTF-16 units are a
 * surrogate pair keeps 31 characters (the pair is not split) in W; A likewise keeps
 * whole characters only. */
static void truncation_keeps_characters_whole(void **state) {
  (void)state;
  HRASCONN h = NULL;
  assert_int_equal(t_dial_entry(0, "Cut", &h), 0);
  RCSW_35 sw;
  memset(&sw, 0xCC, sizeof sw);
  sw.dwSize = sizeof sw;
  assert_int_equal(RasGetConnectStatusW(h, (RASCONNSTATUSW *)(void *)&sw), 0);
  assert_true(wcscmp(sw.szDeviceName, L"0123456789012345678901234567890") == 0);
  RCSA_35 sa;
  memset(&sa, 0xCC, sizeof sa);
  sa.dwSize = sizeof sa;
  assert_int_equal(RasGetConnectStatusA(h, (RASCONNSTATUSA *)(void *)&sa), 0);
  /* the emoji's ANSI form (often "?" or "??") is kept only when it fits whole */
  char emoji[16];
  int k = WideCharToMultiByte(CP_ACP, 0, L"\xD83D\xDE00", 2, emoji, sizeof emoji, NULL, NULL);
  size_t want = 31 + (k > 0 && k <= 1 ? (size_t)k : 0);
  assert_int_equal(strlen(sa.szDeviceName), want);
  assert_memory_equal(sa.szDeviceName, "0123456789012345678901234567890", 31);
  /* the full-size structures get it whole */
  RASCONNSTATUSW fw;
  memset(&fw, 0, sizeof fw);
  fw.dwSize = sizeof fw;
  assert_int_equal(RasGetConnectStatusW(h, &fw), 0);
  assert_true(wcscmp(fw.szDeviceName, L"0123456789012345678901234567890\xD83D\xDE00tail") == 0);
  assert_int_equal(RasHangUpA(h), 0);
}

/* lpszPhonebook "full path of a .pbk file", in the ANSI code page (A) or UTF-16 (W):
 * a phone book in a folder with non-ASCII characters opens from W (and from A when the
 * code page has them). A path too long to be one (over 260 characters) is
 * ERROR_CANNOT_OPEN_PHONEBOOK (DECISION). */
static void phonebook_paths(void **state) {
  (void)state;
  WCHAR dir[MAX_PATH], path[MAX_PATH];
  GetTempPathW(MAX_PATH, dir);
  wcscat(dir, L"openras \x00e9t\x00e9 \x0416");
  CreateDirectoryW(dir, NULL);
  wcscpy(path, dir);
  wcscat(path, L"\\book.pbk");
  HANDLE f = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
  assert_true(f != INVALID_HANDLE_VALUE);
  const char text[] = "[Here]\r\nORA_Link=sim\r\nPhoneNumber=1\r\n";
  DWORD done;
  WriteFile(f, text, sizeof text - 1, &done, NULL);
  CloseHandle(f);
  RASDIALPARAMSW pw;
  memset(&pw, 0, sizeof pw);
  pw.dwSize = sizeof pw;
  wcscpy(pw.szEntryName, L"Here");
  HRASCONN h = NULL;
  assert_int_equal(RasDialW(NULL, path, &pw, 0, NULL, &h), 0);
  t_track(h);
  assert_int_equal(RasHangUpW(h), 0);
  char apath[MAX_PATH];
  BOOL lossy = FALSE;
  WideCharToMultiByte(CP_ACP, 0, path, -1, apath, sizeof apath, NULL, &lossy);
  if (!lossy) {
    RASDIALPARAMSA pa;
    memset(&pa, 0, sizeof pa);
    pa.dwSize = sizeof pa;
    strcpy(pa.szEntryName, "Here");
    h = NULL;
    assert_int_equal(RasDialA(NULL, apath, &pa, 0, NULL, &h), 0);
    t_track(h);
    assert_int_equal(RasHangUpA(h), 0);
  }
  DeleteFileW(path);
  RemoveDirectoryW(dir);
  static char longpath[1200];
  strcpy(longpath, "C:\\");
  while (strlen(longpath) < 1100)
    strcat(longpath, "a-long-folder-name\\");
  strcat(longpath, "x.pbk");
  RASDIALPARAMSA pa;
  memset(&pa, 0, sizeof pa);
  pa.dwSize = sizeof pa;
  strcpy(pa.szEntryName, "Here");
  h = NULL;
  assert_int_equal(RasDialA(NULL, longpath, &pa, 0, NULL, &h), ERROR_CANNOT_OPEN_PHONEBOOK);
  assert_null(h);
}

int main(void) {
  if (!t_pbk())
    return 1;
  const struct CMUnitTest tests[] = {
      T_TEST(non_ascii_entry_names),
      T_TEST(device_name_conversions),
      T_TEST(truncation_keeps_characters_whole),
      T_TEST(phonebook_paths),
  };
  ORA_PE_RUN_TESTS("dial_strings", tests);
}
