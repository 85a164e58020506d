/* "lpszPhonebook: full path of a .pbk file; NULL = the default phone book": the
 * user's %APPDATA%\Microsoft\Network\Connections\Pbk\rasphone.pbk, then the all-users
 * %ProgramData%\...\rasphone.pbk. The test adds one entry of its own to each file and
 * puts the files back as they were afterwards. */
#include "dial_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct saved {
  WCHAR path[MAX_PATH];
  char *old; /* NULL: the file did not exist */
  DWORD old_len;
} saved;

static saved g_user, g_all;

static void make_dirs(WCHAR *path) {
  for (WCHAR *p = path + 3; *p; p++)
    if (*p == L'\\') {
      *p = 0;
      CreateDirectoryW(path, NULL);
      *p = L'\\';
    }
}

/* Appends text to %var%\Microsoft\Network\Connections\Pbk\rasphone.pbk, keeping the
 * old contents to restore. */
static int add_entry(saved *s, const WCHAR *var, const char *text) {
  WCHAR base[MAX_PATH];
  DWORD n = GetEnvironmentVariableW(var, base, MAX_PATH);
  if (n == 0 || n >= MAX_PATH - 60)
    return 0;
  swprintf(s->path, MAX_PATH, L"%ls\\Microsoft\\Network\\Connections\\Pbk\\rasphone.pbk", base);
  make_dirs(s->path);
  s->old = NULL;
  HANDLE f = CreateFileW(s->path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
  if (f != INVALID_HANDLE_VALUE) {
    s->old_len = GetFileSize(f, NULL);
    s->old = malloc(s->old_len + 1);
    DWORD got = 0;
    ReadFile(f, s->old, s->old_len, &got, NULL);
    CloseHandle(f);
  }
  f = CreateFileW(s->path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
  if (f == INVALID_HANDLE_VALUE)
    return 0;
  DWORD done;
  if (s->old) {
    WriteFile(f, s->old, s->old_len, &done, NULL);
    WriteFile(f, "\r\n", 2, &done, NULL);
  }
  WriteFile(f, text, (DWORD)strlen(text), &done, NULL);
  CloseHandle(f);
  return 1;
}

static void restore(saved *s) {
  if (!s->path[0])
    return;
  if (!s->old) {
    DeleteFileW(s->path);
    return;
  }
  HANDLE f = CreateFileW(s->path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
  DWORD done;
  if (f != INVALID_HANDLE_VALUE) {
    WriteFile(f, s->old, s->old_len, &done, NULL);
    CloseHandle(f);
  }
  free(s->old);
}

static void restore_all(void) {
  restore(&g_user);
  restore(&g_all);
}

static char g_user_entry[64], g_all_entry[64];

/* NULL lpszPhonebook finds an entry of the user's default phone book (A and W). */
static void null_phonebook_is_default(void **state) {
  (void)state;
  for (int wide = 0; wide < 2; wide++) {
    HRASCONN h = NULL;
    DWORD rc;
    if (wide) {
      RASDIALPARAMSW p;
      memset(&p, 0, sizeof p);
      p.dwSize = sizeof p;
      MultiByteToWideChar(CP_ACP, 0, g_user_entry, -1, p.szEntryName, RAS_MaxEntryName + 1);
      rc = RasDialW(NULL, NULL, &p, 0, NULL, &h);
    } else {
      RASDIALPARAMSA p;
      memset(&p, 0, sizeof p);
      p.dwSize = sizeof p;
      strcpy(p.szEntryName, g_user_entry);
      rc = RasDialA(NULL, NULL, &p, 0, NULL, &h);
    }
    t_track(h);
    assert_int_equal(rc, 0);
    DWORD s = 0;
    assert_int_equal(t_status(h, &s, NULL), 0);
    assert_int_equal(s, RASCS_Connected);
    assert_int_equal(RasHangUpA(h), 0);
  }
}

/* ... and one that only the all-users phone book has. */
static void null_phonebook_falls_back_to_all_users(void **state) {
  (void)state;
  RASDIALPARAMSA p;
  memset(&p, 0, sizeof p);
  p.dwSize = sizeof p;
  strcpy(p.szEntryName, g_all_entry);
  HRASCONN h = NULL;
  DWORD rc = RasDialA(NULL, NULL, &p, 0, NULL, &h);
  t_track(h);
  assert_int_equal(rc, 0);
  assert_int_equal(RasHangUpA(h), 0);
  /* Named phone books are not searched that way: the entry is not in ours. */
  h = NULL;
  assert_int_equal(RasDialA(NULL, t_pbk(), &p, 0, NULL, &h), ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
}

int main(void) {
  if (!t_pbk())
    return 1;
  DWORD pid = GetCurrentProcessId();
  snprintf(g_user_entry, sizeof g_user_entry, "OpenRAS user %lu", (unsigned long)pid);
  snprintf(g_all_entry, sizeof g_all_entry, "OpenRAS all users %lu", (unsigned long)pid);
  char text[256];
  snprintf(text, sizeof text, "[%s]\r\nORA_Link=sim\r\nPhoneNumber=1\r\n", g_user_entry);
  /* Put the files back however the tests end (ORA_PE_RUN_TESTS returns from main). */
  atexit(restore_all);
  add_entry(&g_user, L"APPDATA", text);
  snprintf(text, sizeof text, "[%s]\r\nORA_Link=sim\r\nPhoneNumber=2\r\n", g_all_entry);
  add_entry(&g_all, L"ProgramData", text);
  const struct CMUnitTest tests[] = {
      T_TEST(null_phonebook_is_default),
      T_TEST(null_phonebook_falls_back_to_all_users),
  };
  ORA_PE_RUN_TESTS("dial_default_pbk", tests);
}
