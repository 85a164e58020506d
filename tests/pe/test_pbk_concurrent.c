/* Issue 6: several processes writing one phone book at the same time lose no update.
 * The program re-runs itself as children (argv[1] names the role), all released at
 * once by a named event:
 *   writer K N   creates entries "W<K>-0" .. "W<K>-<N-1>" with RasSetEntryPropertiesA,
 *                each with its own phone number
 *   deleter      deletes the seeded entries "D0" .. "D19" with RasDeleteEntryA
 *   renamer      renames the seeded "R0" .. "R9" to "Renamed0" .. "Renamed9"
 *   reader N     reads the phone book N times while the others write: every read
 *                must succeed and find the untouched entry "Keep" (a reader never
 *                sees a half-written file)
 * A child's exit code is its number of failures. Afterwards the parent checks that
 * every created entry is there with its number, every deleted one is gone, every
 * rename happened once, and that the comment and the unknown key of the seed survive. */
#include "entries_util.h"

#define WRITERS 4
#define PER_WRITER 25
#define DELETED 20
#define RENAMED 10
#define READS 200

static char g_exe[MAX_PATH];

static HANDLE go_event(DWORD parent) {
  char name[64];
  snprintf(name, sizeof name, "Local\\openras-pbk-concurrent-%lu", (unsigned long)parent);
  return CreateEventA(NULL, TRUE, FALSE, name);
}

static void number_of(int k, int i, char *out, size_t cap) {
  snprintf(out, cap, "555-%02d-%03d", k, i);
}

static int writer(const char *pbk, int k, int n) {
  int failures = 0;
  for (int i = 0; i < n; i++) {
    RASENTRYA e;
    memset(&e, 0, sizeof e);
    e.dwSize = sizeof e;
    DWORD cb = sizeof e;
    if (RasGetEntryPropertiesA(NULL, "", &e, &cb, NULL, NULL) != 0) {
      failures++;
      continue;
    }
    strcpy(e.szDeviceType, RASDT_Modem);
    strcpy(e.szDeviceName, "OpenRAS Simulated Modem");
    number_of(k, i, e.szLocalPhoneNumber, sizeof e.szLocalPhoneNumber);
    char name[32];
    snprintf(name, sizeof name, "W%d-%d", k, i);
    DWORD rc = RasSetEntryPropertiesA(pbk, name, &e, sizeof e, NULL, 0);
    if (rc) {
      printf("writer %d: %s -> %lu\n", k, name, rc);
      failures++;
    }
  }
  return failures;
}

static int deleter(const char *pbk) {
  int failures = 0;
  for (int i = 0; i < DELETED; i++) {
    char name[16];
    snprintf(name, sizeof name, "D%d", i);
    DWORD rc = RasDeleteEntryA(pbk, name);
    if (rc) {
      printf("deleter: %s -> %lu\n", name, rc);
      failures++;
    }
  }
  return failures;
}

static int renamer(const char *pbk) {
  int failures = 0;
  for (int i = 0; i < RENAMED; i++) {
    char from[16], to[16];
    snprintf(from, sizeof from, "R%d", i);
    snprintf(to, sizeof to, "Renamed%d", i);
    DWORD rc = RasRenameEntryA(pbk, from, to);
    if (rc) {
      printf("renamer: %s -> %lu\n", from, rc);
      failures++;
    }
  }
  return failures;
}

static int reader(const char *pbk, int n) {
  int failures = 0;
  for (int i = 0; i < n; i++) {
    RASENTRYA e;
    memset(&e, 0, sizeof e);
    e.dwSize = sizeof e;
    DWORD cb = sizeof e;
    DWORD rc = RasGetEntryPropertiesA(pbk, "Keep", &e, &cb, NULL, NULL);
    if (rc || strcmp(e.szLocalPhoneNumber, "123") != 0) {
      printf("reader: read %d -> %lu\n", i, rc);
      failures++;
    }
    RASENTRYNAMEA names[256];
    names[0].dwSize = sizeof names[0];
    cb = sizeof names;
    DWORD count = 0;
    rc = RasEnumEntriesA(NULL, pbk, names, &cb, &count);
    if (rc || count < 2) {
      printf("reader: enum %d -> %lu (%lu entries)\n", i, rc, count);
      failures++;
    }
  }
  return failures;
}

static int child_main(char **argv) {
  HANDLE go = go_event(strtoul(argv[2], NULL, 10));
  if (!go || WaitForSingleObject(go, 60000) != WAIT_OBJECT_0)
    return 100;
  const char *pbk = argv[3];
  if (strcmp(argv[1], "writer") == 0)
    return writer(pbk, atoi(argv[4]), atoi(argv[5]));
  if (strcmp(argv[1], "deleter") == 0)
    return deleter(pbk);
  if (strcmp(argv[1], "renamer") == 0)
    return renamer(pbk);
  if (strcmp(argv[1], "reader") == 0)
    return reader(pbk, atoi(argv[4]));
  return 101;
}

static HANDLE spawn(const char *args) {
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "\"%s\" %s", g_exe, args);
  STARTUPINFOA si;
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  PROCESS_INFORMATION pi;
  if (!CreateProcessA(g_exe, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
    return NULL;
  CloseHandle(pi.hThread);
  return pi.hProcess;
}

static int has_entry(const char *pbk, const char *name, RASENTRYA *e) {
  memset(e, 0, sizeof *e);
  e->dwSize = sizeof *e;
  DWORD cb = sizeof *e;
  return RasGetEntryPropertiesA(pbk, name, e, &cb, NULL, NULL) == 0;
}

static void writers_deleters_renamers_readers(void **state) {
  (void)state;
  char pbk[MAX_PATH];
  t_pbk_path("concurrent", pbk, sizeof pbk);
  /* The seed: a comment, an entry with a key OpenRAS does not know, and the entries
   * the deleter and renamer work on. */
  char seed[8192];
  int len = snprintf(seed, sizeof seed,
                     "; copied from a Windows machine\r\n[Keep]\r\nMEDIA=rastapi\r\n"
                     "Port=COM1\r\nDEVICE=modem\r\nPhoneNumber=123\r\nFutureKey=42\r\n\r\n");
  for (int i = 0; i < DELETED; i++)
    len += snprintf(seed + len, sizeof seed - (size_t)len, "[D%d]\r\nPhoneNumber=%d\r\n\r\n", i, i);
  for (int i = 0; i < RENAMED; i++)
    len +=
        snprintf(seed + len, sizeof seed - (size_t)len, "[R%d]\r\nPhoneNumber=r%d\r\n\r\n", i, i);
  t_write_file(pbk, seed, (size_t)len);

  DWORD me = GetCurrentProcessId();
  HANDLE go = go_event(me);
  assert_non_null(go);
  HANDLE kids[WRITERS + 3];
  int nk = 0;
  char args[600];
  for (int k = 0; k < WRITERS; k++) {
    snprintf(args, sizeof args, "writer %lu \"%s\" %d %d", (unsigned long)me, pbk, k, PER_WRITER);
    assert_non_null(kids[nk++] = spawn(args));
  }
  snprintf(args, sizeof args, "deleter %lu \"%s\"", (unsigned long)me, pbk);
  assert_non_null(kids[nk++] = spawn(args));
  snprintf(args, sizeof args, "renamer %lu \"%s\"", (unsigned long)me, pbk);
  assert_non_null(kids[nk++] = spawn(args));
  snprintf(args, sizeof args, "reader %lu \"%s\" %d", (unsigned long)me, pbk, READS);
  assert_non_null(kids[nk++] = spawn(args));
  Sleep(300); /* let every child reach its wait, so they really start together */
  SetEvent(go);
  for (int i = 0; i < nk; i++) {
    DWORD code = 0xDEAD;
    assert_int_equal(WaitForSingleObject(kids[i], 120000), WAIT_OBJECT_0);
    GetExitCodeProcess(kids[i], &code);
    CloseHandle(kids[i]);
    printf("child %d: %lu failures\n", i, code);
    assert_int_equal(code, 0);
  }
  CloseHandle(go);

  RASENTRYA e;
  for (int k = 0; k < WRITERS; k++)
    for (int i = 0; i < PER_WRITER; i++) {
      char name[32], want[32];
      snprintf(name, sizeof name, "W%d-%d", k, i);
      number_of(k, i, want, sizeof want);
      if (!has_entry(pbk, name, &e))
        fail_msg("lost update: %s is missing", name);
      assert_string_equal(e.szLocalPhoneNumber, want);
    }
  for (int i = 0; i < DELETED; i++) {
    char name[16];
    snprintf(name, sizeof name, "D%d", i);
    if (has_entry(pbk, name, &e))
      fail_msg("lost delete: %s came back", name);
  }
  for (int i = 0; i < RENAMED; i++) {
    char from[16], to[16];
    snprintf(from, sizeof from, "R%d", i);
    snprintf(to, sizeof to, "Renamed%d", i);
    assert_false(has_entry(pbk, from, &e));
    assert_true(has_entry(pbk, to, &e));
    char want[16];
    snprintf(want, sizeof want, "r%d", i);
    assert_string_equal(e.szLocalPhoneNumber, want);
  }
  RASENTRYNAMEA names[256];
  names[0].dwSize = sizeof names[0];
  DWORD cb = sizeof names, count = 0;
  assert_int_equal(RasEnumEntriesA(NULL, pbk, names, &cb, &count), 0);
  assert_int_equal(count, 1 + WRITERS * PER_WRITER + RENAMED);

  size_t n;
  char *text = t_read_file(pbk, &n);
  assert_non_null(text);
  assert_non_null(strstr(text, "; copied from a Windows machine"));
  assert_non_null(strstr(text, "FutureKey=42"));
  free(text);

  /* No temporary file is left beside the phone book. */
  char pattern[MAX_PATH + 8];
  snprintf(pattern, sizeof pattern, "%s.*.tmp", pbk);
  WIN32_FIND_DATAA fd;
  HANDLE f = FindFirstFileA(pattern, &fd);
  if (f != INVALID_HANDLE_VALUE) {
    FindClose(f);
    fail_msg("temporary file left: %s", fd.cFileName);
  }
  DeleteFileA(pbk);
  char lock[MAX_PATH + 8];
  snprintf(lock, sizeof lock, "%s.lock", pbk);
  DeleteFileA(lock);
}

int main(int argc, char **argv) {
  GetModuleFileNameA(NULL, g_exe, sizeof g_exe);
  if (argc >= 4)
    return child_main(argv);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(writers_deleters_renamers_readers),
  };
  ORA_PE_RUN_TESTS("test_pbk_concurrent", tests);
}
