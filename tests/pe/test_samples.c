/* Issue 7: the command-line programs in samples/ as a user runs them, each a real
 * process under Wine: rasdial (list, dial, /DISCONNECT from another process, wrong
 * password, unknown entry, the password prompt, argument checks), rasentry (the
 * add/list/show/set/delete round trip, every link type, the file left intact) and the
 * four notifier samples. Exit codes are read with GetExitCodeProcess (the full RAS
 * code, not the low byte a Unix shell sees) and output through a file as stdout.
 *
 * Run with the argument "slirp" it dials a real PPP server instead (the link
 * fixture's COM5, tests/pe/link-fixture.sh), with an entry that rasentry made.
 *
 * It ends every connection manager first so that the connection list is its own, and
 * so runs alone (RUN_SERIAL). */
#include <windows.h>
#include <ras.h>
#include <raserror.h>
#include <tlhelp32.h>

#include <stdlib.h>
#include <string.h>

#include "pe_test.h"

static char g_dir[MAX_PATH]; /* the folder of this program and of the samples */
static char g_pbk[MAX_PATH]; /* the phone book of every test here */
static char g_out[64 * 1024];

static const char pbk_text[] = "; OpenRAS samples test\r\n"
                               "\r\n"
                               "[Sim]\r\n"
                               "ORA_Link=sim\r\n"
                               "PhoneNumber=5551234\r\n"
                               "Unknown Key=kept as it is\r\n"
                               "\r\n"
                               "[Auth]\r\n"
                               "ORA_Link=sim\r\n"
                               "ORA_SimUser=alice\r\n"
                               "ORA_SimPassword=secret\r\n"
                               "\r\n"
                               "[Busy]\r\n"
                               "ORA_Link=sim\r\n"
                               "ORA_SimResult=busy\r\n"
                               "\r\n";

/* ---- helpers ---- */

static void end_managers(void) {
  HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
  if (snap == INVALID_HANDLE_VALUE)
    return;
  PROCESSENTRY32 pe;
  pe.dwSize = sizeof pe;
  for (BOOL ok = Process32First(snap, &pe); ok; ok = Process32Next(snap, &pe)) {
    if (_stricmp(pe.szExeFile, "openras-manager.exe") != 0)
      continue;
    HANDLE p = OpenProcess(PROCESS_TERMINATE | SYNCHRONIZE, FALSE, pe.th32ProcessID);
    if (p) {
      TerminateProcess(p, 1);
      WaitForSingleObject(p, 5000);
      CloseHandle(p);
    }
  }
  CloseHandle(snap);
}

static HANDLE temp_file(const char *name, DWORD access, DWORD disposition) {
  char path[MAX_PATH];
  snprintf(path, sizeof path, "%sora-samples-%lu-%s", g_dir, (unsigned long)GetCurrentProcessId(),
           name);
  SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
  return CreateFileA(path, access, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, &sa,
                     disposition, FILE_ATTRIBUTE_TEMPORARY, NULL);
}

/* Runs samples/<prog>.exe with args (and input on its stdin); its output lands in g_out.
 * Returns the exit code; a program that does not end within a minute fails the test
 * (a hang, not a slow run). */
static DWORD run(const char *prog, const char *args, const char *input) {
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "\"%s%s.exe\" %s", g_dir, prog, args);
  HANDLE out = temp_file("out.txt", GENERIC_READ | GENERIC_WRITE, CREATE_ALWAYS);
  HANDLE in = temp_file("in.txt", GENERIC_READ | GENERIC_WRITE, CREATE_ALWAYS);
  assert_true(out != INVALID_HANDLE_VALUE && in != INVALID_HANDLE_VALUE);
  DWORD n;
  if (input)
    assert_true(WriteFile(in, input, (DWORD)strlen(input), &n, NULL));
  SetFilePointer(in, 0, NULL, FILE_BEGIN);
  STARTUPINFOA si;
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = in;
  si.hStdOutput = out;
  si.hStdError = out;
  PROCESS_INFORMATION pi;
  assert_true(CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi));
  CloseHandle(pi.hThread);
  DWORD code = 0xDEAD;
  if (WaitForSingleObject(pi.hProcess, 60000) != WAIT_OBJECT_0)
    TerminateProcess(pi.hProcess, 0xDEAD);
  else
    GetExitCodeProcess(pi.hProcess, &code);
  CloseHandle(pi.hProcess);
  SetFilePointer(out, 0, NULL, FILE_BEGIN);
  DWORD got = 0;
  ReadFile(out, g_out, sizeof g_out - 1, &got, NULL);
  g_out[got] = 0;
  CloseHandle(out);
  CloseHandle(in);
  printf("--- %s %s -> %lu\n%s", prog, args, (unsigned long)code, g_out);
  return code;
}

/* Each of the texts appears in g_out, in this order. */
static void expect_in_order(const char *const *texts) {
  const char *at = g_out;
  for (; *texts; texts++) {
    const char *p = strstr(at, *texts);
    if (!p)
      fail_msg("missing or out of order: \"%s\"", *texts);
    at = p + strlen(*texts);
  }
}

static void expect(const char *text) {
  if (!strstr(g_out, text))
    fail_msg("missing: \"%s\"", text);
}

static void expect_not(const char *text) {
  if (strstr(g_out, text))
    fail_msg("unexpected: \"%s\"", text);
}

static DWORD connection_count(void) {
  RASCONNA c[8];
  DWORD cb = sizeof c, n = 0;
  c[0].dwSize = sizeof c[0];
  assert_int_equal(RasEnumConnectionsA(c, &cb, &n), 0);
  return n;
}

static char *read_file(const char *path, DWORD *len) {
  HANDLE h = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                         OPEN_EXISTING, 0, NULL);
  assert_true(h != INVALID_HANDLE_VALUE);
  DWORD size = GetFileSize(h, NULL);
  char *buf = malloc(size + 1);
  assert_non_null(buf);
  assert_true(ReadFile(h, buf, size, len, NULL));
  buf[*len] = 0;
  CloseHandle(h);
  return buf;
}

static char g_args[2048];
static const char *with_pbk(const char *args) {
  snprintf(g_args, sizeof g_args, "%s \"/PHONEBOOK:%s\"", args, g_pbk);
  return g_args;
}

static int setup(void **state) {
  (void)state;
  GetModuleFileNameA(NULL, g_dir, sizeof g_dir);
  *(strrchr(g_dir, '\\') + 1) = 0;
  char tmp[MAX_PATH];
  GetTempPathA(sizeof tmp, tmp);
  snprintf(g_pbk, sizeof g_pbk, "%sora-samples-%lu.pbk", tmp, (unsigned long)GetCurrentProcessId());
  FILE *f = fopen(g_pbk, "wb");
  if (!f)
    return -1;
  fputs(pbk_text, f);
  fclose(f);
  end_managers(); /* the connection list must hold only this test's connections */
  return 0;
}

static int teardown(void **state) {
  (void)state;
  DeleteFileA(g_pbk);
  char path[MAX_PATH];
  snprintf(path, sizeof path, "%s.lock", g_pbk);
  DeleteFileA(path);
  snprintf(path, sizeof path, "%sora-samples-%lu-out.txt", g_dir,
           (unsigned long)GetCurrentProcessId());
  DeleteFileA(path);
  snprintf(path, sizeof path, "%sora-samples-%lu-in.txt", g_dir,
           (unsigned long)GetCurrentProcessId());
  DeleteFileA(path);
  return 0;
}

/* ---- rasdial ---- */

static void rasdial_lists_no_connections(void **state) {
  (void)state;
  assert_int_equal(run("rasdial", "", NULL), 0);
  expect_in_order((const char *const[]){"No connections", "Command completed successfully.", 0});
}

static void rasdial_dials_lists_and_hangs_up_from_another_process(void **state) {
  (void)state;
  assert_int_equal(run("rasdial", with_pbk("Sim /verbose"), NULL), 0);
  expect_in_order((const char *const[]){
      "Connecting to Sim...", "state: OpenPort", "Verifying username and password...",
      "Registering your computer on the network...", "state: Connected",
      "Successfully connected to Sim.", "IP address: 10.0.0.2", "Server IP address: 10.0.0.1",
      "Command completed successfully.", 0});
  /* The dialer exited; the connection stayed in the manager. */
  assert_int_equal(connection_count(), 1);
  assert_int_equal(run("rasdial", "", NULL), 0);
  expect_in_order((const char *const[]){"Connected to", "Sim", 0});
  /* Dialing it again dials nothing. */
  assert_int_equal(run("rasdial", with_pbk("SIM"), NULL), 0);
  expect("You are already connected to SIM.");
  expect_not("Connecting to");
  assert_int_equal(connection_count(), 1);
  assert_int_equal(run("rasdial", "sim /DISCONNECT", NULL), 0);
  expect("Command completed successfully.");
  assert_int_equal(connection_count(), 0);
  assert_int_equal(run("rasdial", "", NULL), 0);
  expect("No connections");
}

static void rasdial_without_verbose_prints_no_raw_states(void **state) {
  (void)state;
  assert_int_equal(run("rasdial", with_pbk("Sim"), NULL), 0);
  expect("Successfully connected to Sim.");
  expect_not("state:");
  /* /DISCONNECT without a name: the only connection. */
  assert_int_equal(run("rasdial", "/disconnect", NULL), 0);
  assert_int_equal(connection_count(), 0);
}

/* A second program's RasDial of the connected entry holds a reference of its own; the
 * hang-up from yet another process still ends the connection. */
static void rasdial_disconnect_ends_every_reference(void **state) {
  (void)state;
  assert_int_equal(run("rasdial", with_pbk("Sim"), NULL), 0);
  RASDIALPARAMSA p;
  memset(&p, 0, sizeof p);
  p.dwSize = sizeof p;
  strcpy(p.szEntryName, "Sim");
  HRASCONN h = NULL;
  assert_int_equal(RasDialA(NULL, g_pbk, &p, 0, NULL, &h), 0);
  assert_int_equal(connection_count(), 1);
  assert_int_equal(run("rasdial", "Sim /DISCONNECT", NULL), 0);
  RASCONNSTATUSA st;
  st.dwSize = sizeof st;
  assert_int_equal(RasGetConnectStatusA(h, &st), ERROR_INVALID_HANDLE);
  assert_int_equal(connection_count(), 0);
}

static void rasdial_wrong_password_691(void **state) {
  (void)state;
  assert_int_equal(run("rasdial", with_pbk("Auth alice wrong"), NULL),
                   ERROR_AUTHENTICATION_FAILURE);
  expect_in_order(
      (const char *const[]){"Verifying username and password...", "Remote Access error 691 - ", 0});
  expect_not("Successfully connected");
  assert_int_equal(connection_count(), 0); /* the failed dial was hung up */
}

static void rasdial_reads_password_from_input(void **state) {
  (void)state;
  assert_int_equal(run("rasdial", with_pbk("Auth alice *"), "secret\r\n"), 0);
  expect_in_order((const char *const[]){
      "Enter the password for alice to connect to Auth:", "Successfully connected to Auth.", 0});
  expect_not("secret"); /* never echoed */
  assert_int_equal(run("rasdial", "Auth /DISCONNECT", NULL), 0);
  /* The wrong one through the prompt fails like on the command line. */
  assert_int_equal(run("rasdial", with_pbk("Auth alice *"), "nope\n"),
                   ERROR_AUTHENTICATION_FAILURE);
  assert_int_equal(connection_count(), 0);
}

static void rasdial_unknown_entry_623(void **state) {
  (void)state;
  assert_int_equal(run("rasdial", with_pbk("Nowhere"), NULL), ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
  expect("Remote Access error 623 - ");
  expect_not("Successfully");
}

static void rasdial_busy_676_and_no_connection_668(void **state) {
  (void)state;
  assert_int_equal(run("rasdial", with_pbk("Busy"), NULL), ERROR_LINE_BUSY);
  expect("Remote Access error 676 - ");
  assert_int_equal(connection_count(), 0);
  assert_int_equal(run("rasdial", "Busy /DISCONNECT", NULL), ERROR_NO_CONNECTION);
  expect("You are not connected to Busy.");
  assert_int_equal(run("rasdial", "/DISCONNECT", NULL), ERROR_NO_CONNECTION);
}

static void rasdial_arguments(void **state) {
  (void)state;
  assert_int_equal(run("rasdial", "/?", NULL), 0);
  expect("RASDIAL entry [user [password|*]]");
  assert_int_equal(run("rasdial", "Sim /NOSUCH", NULL), ERROR_INVALID_PARAMETER);
  assert_int_equal(run("rasdial", "Sim a b c", NULL), ERROR_INVALID_PARAMETER);
  assert_int_equal(run("rasdial", "Sim /DOMAIN:", NULL), ERROR_INVALID_PARAMETER);
  assert_int_equal(run("rasdial", "Sim a /DISCONNECT", NULL), ERROR_INVALID_PARAMETER);
  assert_int_equal(run("rasdial", "/PHONE:123", NULL), ERROR_INVALID_PARAMETER);
  char big[600];
  memset(big, 'x', sizeof big - 1);
  big[sizeof big - 1] = 0;
  char args[700];
  snprintf(args, sizeof args, "%.257s", big); /* entry name: 256 characters at most */
  assert_int_equal(run("rasdial", args, NULL), ERROR_INVALID_PARAMETER);
  snprintf(args, sizeof args, "Sim alice %.257s", big); /* password */
  assert_int_equal(run("rasdial", args, NULL), ERROR_INVALID_PARAMETER);
  snprintf(args, sizeof args, "Sim /PHONE:%.129s", big);
  assert_int_equal(run("rasdial", args, NULL), ERROR_INVALID_PARAMETER);
  assert_int_equal(connection_count(), 0);
}

/* ---- rasentry ---- */

static void rasentry_round_trip(void **state) {
  (void)state;
  DWORD before_len, after_len;
  char *before = read_file(g_pbk, &before_len);

  assert_int_equal(
      run("rasentry", with_pbk("add New /TYPE:sim /SET:ORA_SimLocalIp=10.7.7.7"), NULL), 0);
  assert_int_equal(run("rasentry", with_pbk("list"), NULL), 0);
  expect_in_order((const char *const[]){"Sim", "Auth", "Busy", "New", 0});
  assert_int_equal(run("rasentry", with_pbk("show New"), NULL), 0);
  expect("OpenRAS Simulated Modem");
  expect("ORA_Link=sim");
  expect("ORA_SimLocalIp=10.7.7.7");

  /* The entry rasentry made dials, with its ORA_ key in force. */
  assert_int_equal(run("rasdial", with_pbk("New"), NULL), 0);
  expect("IP address: 10.7.7.7");
  assert_int_equal(run("rasdial", "New /DISCONNECT", NULL), 0);

  assert_int_equal(
      run("rasentry", with_pbk("set new ORA_SimLocalIp=10.8.8.8 PhoneNumber=42"), NULL), 0);
  assert_int_equal(run("rasentry", with_pbk("show New"), NULL), 0);
  expect("ORA_SimLocalIp=10.8.8.8");
  expect("Phone number:  42");
  assert_int_equal(run("rasentry", with_pbk("set New ORA_SimLocalIp="), NULL), 0);
  assert_int_equal(run("rasentry", with_pbk("show New"), NULL), 0);
  expect_not("ORA_SimLocalIp");

  assert_int_equal(run("rasentry", with_pbk("add NEW /TYPE:sim"), NULL), 183); /* exists */
  assert_int_equal(run("rasentry", with_pbk("delete New"), NULL), 0);
  assert_int_equal(run("rasentry", with_pbk("list"), NULL), 0);
  expect_not("New");
  assert_int_equal(run("rasentry", with_pbk("delete New"), NULL),
                   ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
  assert_int_equal(run("rasentry", with_pbk("show New"), NULL), ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);

  /* Every line it did not add is there as it was: the file is back byte for byte. */
  char *after = read_file(g_pbk, &after_len);
  assert_int_equal(after_len, before_len);
  assert_memory_equal(after, before, before_len);
  free(before);
  free(after);
}

static void rasentry_link_types(void **state) {
  (void)state;
  assert_int_equal(run("rasentry",
                       with_pbk("add Cable /TYPE:direct /PORT:com7 /SET:ORA_PppPeerIp=10.0.2.2"),
                       NULL),
                   0);
  assert_int_equal(run("rasentry", with_pbk("show Cable"), NULL), 0);
  expect("Communications cable between two computers (COM7)");
  expect("ORA_Link=direct");
  expect("ORA_PppPeerIp=10.0.2.2");
  assert_int_equal(
      run("rasentry", with_pbk("add Modem /TYPE:modem /PORT:COM6 /PHONE:5550000"), NULL), 0);
  assert_int_equal(run("rasentry", with_pbk("show Modem"), NULL), 0);
  expect("Hayes-compatible modem (COM6)");
  expect("Phone number:  5550000");
  expect("ORA_Link=modem");
  assert_int_equal(run("rasentry", with_pbk("add Net /TYPE:tcp /ADDRESS:ppp.example:2000"), NULL),
                   0);
  assert_int_equal(run("rasentry", with_pbk("show Net"), NULL), 0);
  expect("OpenRAS PPP over TCP");
  expect("Phone number:  ppp.example:2000");
  expect("ORA_Link=tcp");
  /* A type changed later: the driver follows. */
  assert_int_equal(run("rasentry", with_pbk("set Cable /TYPE:sim"), NULL), 0);
  assert_int_equal(run("rasentry", with_pbk("show Cable"), NULL), 0);
  expect("ORA_Link=sim");
  expect_not("ORA_Port");

  /* Refused before anything is written. */
  assert_int_equal(run("rasentry", with_pbk("add X /TYPE:fax"), NULL), ERROR_INVALID_PARAMETER);
  assert_int_equal(run("rasentry", with_pbk("add X /TYPE:direct"), NULL), ERROR_INVALID_PARAMETER);
  assert_int_equal(run("rasentry", with_pbk("add X /TYPE:modem /PORT:LPT1"), NULL),
                   ERROR_INVALID_PARAMETER);
  assert_int_equal(run("rasentry", with_pbk("add X /TYPE:tcp /ADDRESS:nohost"), NULL),
                   ERROR_INVALID_PARAMETER);
  assert_int_equal(run("rasentry", with_pbk("add X"), NULL), ERROR_INVALID_PARAMETER);
  assert_int_equal(run("rasentry", with_pbk("set Net Colour=blue"), NULL), ERROR_INVALID_PARAMETER);
  assert_int_equal(run("rasentry", with_pbk("add X|Y /TYPE:sim"), NULL), ERROR_INVALID_NAME);
  assert_int_equal(run("rasentry", with_pbk("list"), NULL), 0);
  expect_not("X ");

  for (const char *const *n = (const char *const[]){"Cable", "Modem", "Net", 0}; *n; n++) {
    char args[64];
    snprintf(args, sizeof args, "delete %s", *n);
    assert_int_equal(run("rasentry", with_pbk(args), NULL), 0);
  }
}

static void rasentry_default_phone_book(void **state) {
  (void)state;
  char name[64], args[128];
  snprintf(name, sizeof name, "OpenRAS samples %lu", (unsigned long)GetCurrentProcessId());
  snprintf(args, sizeof args, "add \"%s\" /TYPE:sim /SET:ORA_SimStepMs=1", name);
  assert_int_equal(run("rasentry", args, NULL), 0);
  snprintf(args, sizeof args, "show \"%s\"", name);
  assert_int_equal(run("rasentry", args, NULL), 0);
  expect("rasphone.pbk");
  expect("ORA_SimStepMs=1");
  snprintf(args, sizeof args, "delete \"%s\"", name);
  assert_int_equal(run("rasentry", args, NULL), 0);
}

/* ---- the notifier samples ---- */

static void notifier_samples(void **state) {
  (void)state;
  static const char *const progs[] = {"notify_func", "notify_func1", "notify_func2",
                                      "notify_window"};
  char args[MAX_PATH + 16];
  for (int i = 0; i < 4; i++) {
    snprintf(args, sizeof args, "Sim \"%s\"", g_pbk);
    assert_int_equal(run(progs[i], args, NULL), 0);
    expect_in_order((const char *const[]){"state 0,", "state 0x2000, error 0", "Connected", 0});
    snprintf(args, sizeof args, "Busy \"%s\"", g_pbk);
    assert_int_equal(run(progs[i], args, NULL), ERROR_LINE_BUSY);
    expect("failed: 676");
  }
  assert_int_equal(connection_count(), 0); /* each hung up what it dialed */
}

/* ---- a real PPP server: the link fixture's COM5 (slirp +pap, alice/alicepw) ---- */

static void rasdial_dials_slirp(void **state) {
  (void)state;
  assert_int_equal(run("rasentry",
                       with_pbk("add Slirp /TYPE:direct /PORT:COM5 /SET:ORA_PppPeerIp=10.0.2.2"),
                       NULL),
                   0);
  assert_int_equal(run("rasdial", with_pbk("Slirp alice alicepw /VERBOSE"), NULL), 0);
  expect_in_order((const char *const[]){
      "Connecting to Slirp...", "Verifying username and password...",
      "Registering your computer on the network...", "Successfully connected to Slirp.",
      "IP address: 10.0.2.15", "Server IP address: 10.0.2.2", 0});
  assert_int_equal(run("rasdial", "Slirp /DISCONNECT", NULL), 0);
  assert_int_equal(connection_count(), 0);
}

/* ctest passes a run only on its PASS line, printed after every case passed. */
static int finish(const char *name, int failed) {
  if (failed)
    printf("OPENRAS-PE-FAIL %s: %d failed\n", name, failed);
  else
    printf("OPENRAS-PE-PASS %s\n", name);
  return failed;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc > 1 && strcmp(argv[1], "slirp") == 0) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(rasdial_dials_slirp)};
    return finish("link_rasdial_slirp", cmocka_run_group_tests(tests, setup, teardown));
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(rasdial_lists_no_connections),
      cmocka_unit_test(rasdial_dials_lists_and_hangs_up_from_another_process),
      cmocka_unit_test(rasdial_without_verbose_prints_no_raw_states),
      cmocka_unit_test(rasdial_disconnect_ends_every_reference),
      cmocka_unit_test(rasdial_wrong_password_691),
      cmocka_unit_test(rasdial_reads_password_from_input),
      cmocka_unit_test(rasdial_unknown_entry_623),
      cmocka_unit_test(rasdial_busy_676_and_no_connection_668),
      cmocka_unit_test(rasdial_arguments),
      cmocka_unit_test(rasentry_round_trip),
      cmocka_unit_test(rasentry_link_types),
      cmocka_unit_test(rasentry_default_phone_book),
      cmocka_unit_test(notifier_samples),
  };
  return finish("test_samples", cmocka_run_group_tests(tests, setup, teardown));
}
