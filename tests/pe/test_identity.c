/* Proves the rasapi32.dll this process uses is OpenRAS and not Wine's builtin: every
 * other PE test would otherwise risk passing against Wine's stubs. */
#include <windows.h>
#include <ras.h>

#include <string.h>

#include "pe_test.h"

typedef const char *(WINAPI *version_fn)(void);

/* The private export exists only in OpenRAS. */
static void private_export_present(void **state) {
  (void)state;
  HMODULE h = LoadLibraryA("rasapi32.dll");
  assert_non_null(h);
  version_fn v = (version_fn)(void *)GetProcAddress(h, "OpenRasVersion");
  assert_non_null(v);
  assert_memory_equal(v(), "OpenRAS ", 8);
  FreeLibrary(h);
}

/* The module that the import table bound (through mingw's import library) is the
 * same one, loaded from beside the program and not from system32. */
static void import_binds_to_openras(void **state) {
  (void)state;
  /* Referencing RasDialA makes the loader bind rasapi32.dll at start-up. */
  const void *volatile keep = (const void *)RasDialA;
  assert_non_null(keep);
  HMODULE h = GetModuleHandleA("rasapi32.dll");
  assert_non_null(h);
  assert_non_null(GetProcAddress(h, "OpenRasVersion"));
  char dll[MAX_PATH], exe[MAX_PATH];
  assert_true(GetModuleFileNameA(h, dll, sizeof dll) > 0);
  assert_true(GetModuleFileNameA(NULL, exe, sizeof exe) > 0);
  char *slash = strrchr(exe, '\\');
  assert_non_null(slash);
  size_t dirlen = (size_t)(slash - exe + 1);
  assert_int_equal(_strnicmp(dll, exe, dirlen), 0);
  assert_int_equal(_stricmp(dll + dirlen, "rasapi32.dll"), 0);
}

/* The version resource names the product and carries the file version. */
static void version_resource(void **state) {
  (void)state;
  HMODULE h = GetModuleHandleA("rasapi32.dll");
  char path[MAX_PATH];
  assert_true(GetModuleFileNameA(h, path, sizeof path) > 0);
  DWORD dummy = 0, n = GetFileVersionInfoSizeA(path, &dummy);
  assert_true(n > 0);
  char *buf = malloc(n);
  assert_non_null(buf);
  assert_true(GetFileVersionInfoA(path, 0, n, buf));
  char *name = NULL;
  UINT len = 0;
  assert_true(VerQueryValueA(buf, "\\StringFileInfo\\040904b0\\ProductName", (void **)&name, &len));
  assert_string_equal(name, "OpenRAS");
  VS_FIXEDFILEINFO *fi = NULL;
  assert_true(VerQueryValueA(buf, "\\", (void **)&fi, &len));
  assert_int_equal(fi->dwSignature, 0xFEEF04BD);
  assert_true(fi->dwFileVersionMS != 0 || fi->dwFileVersionLS != 0);
  free(buf);
}

/* An unimplemented export answers ERROR_CALL_NOT_IMPLEMENTED (Wine's builtin stubs
 * crash or return other values). */
static void stub_returns_not_implemented(void **state) {
  (void)state;
  HMODULE h = GetModuleHandleA("rasapi32.dll");
  typedef DWORD(WINAPI * fn0)(void);
  fn0 f = (fn0)(void *)GetProcAddress(h, "RasAutoDialSharedConnection");
  assert_non_null(f);
  assert_int_equal(f(), ERROR_CALL_NOT_IMPLEMENTED);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(private_export_present),
      cmocka_unit_test(import_binds_to_openras),
      cmocka_unit_test(version_resource),
      cmocka_unit_test(stub_returns_not_implemented),
  };
  ORA_PE_RUN_TESTS("test_identity", tests);
}
