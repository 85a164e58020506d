/* RasGetErrorStringA/W (behaviour.md 9): a sentence for every RAS code 600..872, sizes
 * counted in characters with the terminator, ERROR_INVALID_PARAMETER for a NULL buffer
 * or a code outside the range, and the thread's last error left alone. */
#include <windows.h>
#include <ras.h>
#include <raserror.h>

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "pe_test.h"

#define FIRST 600u
#define LAST 872u
#define COUNT (LAST - FIRST + 1)
#define BIG 512
#define SENTINEL 0x5EA1u

/* The A message of `code`, as a test of the call itself. */
static void get_a(UINT code, char *out) {
  SetLastError(SENTINEL);
  assert_int_equal(RasGetErrorStringA(code, out, BIG), ERROR_SUCCESS);
  assert_int_equal(GetLastError(), SENTINEL);
}

static void get_w(UINT code, WCHAR *out) {
  SetLastError(SENTINEL);
  assert_int_equal(RasGetErrorStringW(code, out, BIG), ERROR_SUCCESS);
  assert_int_equal(GetLastError(), SENTINEL);
}

/* Every code has a non-empty sentence ending with a period, the same from A and W. */
static void every_code_has_a_sentence(void **state) {
  (void)state;
  for (UINT code = FIRST; code <= LAST; code++) {
    char a[BIG];
    WCHAR w[BIG];
    get_a(code, a);
    get_w(code, w);
    size_t n = strlen(a);
    if (n == 0 || a[n - 1] != '.')
      fail_msg("code %u: \"%s\"", code, a);
    assert_int_equal(wcslen(w), n);
    /* A and W agree: the W text converted with the ANSI code page is the A text. */
    char back[BIG];
    assert_true(WideCharToMultiByte(CP_ACP, 0, w, -1, back, BIG, NULL, NULL) > 0);
    if (strcmp(a, back) != 0)
      fail_msg("code %u: A \"%s\", W \"%s\"", code, a, back);
  }
}

/* No two codes share a message: every code raserror.h names, and the unassigned ones
 * (which name their number) too. */
static void messages_are_distinct(void **state) {
  (void)state;
  char(*text)[BIG] = calloc(COUNT, BIG);
  assert_non_null(text);
  for (UINT i = 0; i < COUNT; i++)
    get_a(FIRST + i, text[i]);
  for (UINT i = 0; i < COUNT; i++)
    for (UINT j = i + 1; j < COUNT; j++)
      if (strcmp(text[i], text[j]) == 0)
        fail_msg("codes %u and %u share \"%s\"", FIRST + i, FIRST + j, text[i]);
  free(text);
}

static void line_busy_mentions_busy(void **state) {
  (void)state;
  char a[BIG];
  get_a(ERROR_LINE_BUSY, a);
  assert_non_null(strstr(a, "busy"));
  WCHAR w[BIG];
  get_w(ERROR_LINE_BUSY, w);
  assert_non_null(wcsstr(w, L"busy"));
}

/* Codes outside 600..872 are refused, and the buffer is left as it was. */
static void codes_outside_the_range(void **state) {
  (void)state;
  const UINT bad[] = {599, 873, 0, 0xFFFFFFFFu, ERROR_INVALID_PARAMETER, 1000};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    char a[BIG];
    WCHAR w[BIG];
    memset(a, 'x', sizeof a);
    wmemset(w, L'x', BIG);
    SetLastError(SENTINEL);
    assert_int_equal(RasGetErrorStringA(bad[i], a, BIG), ERROR_INVALID_PARAMETER);
    assert_int_equal(RasGetErrorStringW(bad[i], w, BIG), ERROR_INVALID_PARAMETER);
    assert_int_equal(GetLastError(), SENTINEL);
    assert_int_equal(a[0], 'x');
    assert_int_equal(w[0], L'x');
  }
}

static void null_buffer(void **state) {
  (void)state;
  const UINT codes[] = {FIRST, ERROR_LINE_BUSY, LAST, 599};
  for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
    SetLastError(SENTINEL);
    assert_int_equal(RasGetErrorStringA(codes[i], NULL, BIG), ERROR_INVALID_PARAMETER);
    assert_int_equal(RasGetErrorStringW(codes[i], NULL, BIG), ERROR_INVALID_PARAMETER);
    assert_int_equal(RasGetErrorStringA(codes[i], NULL, 0), ERROR_INVALID_PARAMETER);
    assert_int_equal(RasGetErrorStringW(codes[i], NULL, 0), ERROR_INVALID_PARAMETER);
    assert_int_equal(GetLastError(), SENTINEL);
  }
}

/* The size counts characters with the terminator: length and length - 1 are too small,
 * length + 1 is exact. Too small leaves the buffer untouched. */
static void buffer_sizes(void **state) {
  (void)state;
  for (UINT code = FIRST; code <= LAST; code++) {
    char full[BIG];
    WCHAR wfull[BIG];
    get_a(code, full);
    get_w(code, wfull);
    DWORD n = (DWORD)strlen(full), wn = (DWORD)wcslen(wfull);

    char a[BIG];
    WCHAR w[BIG];
    SetLastError(SENTINEL);
    const DWORD small[] = {0, 1, n - 1, n}, wsmall[] = {0, 1, wn - 1, wn};
    for (size_t i = 0; i < 4; i++) {
      memset(a, 'x', sizeof a);
      assert_int_equal(RasGetErrorStringA(code, a, small[i]), ERROR_INSUFFICIENT_BUFFER);
      assert_int_equal(a[0], 'x');
      wmemset(w, L'x', BIG);
      assert_int_equal(RasGetErrorStringW(code, w, wsmall[i]), ERROR_INSUFFICIENT_BUFFER);
      assert_int_equal(w[0], L'x');
    }
    assert_int_equal(GetLastError(), SENTINEL);

    memset(a, 'x', sizeof a);
    assert_int_equal(RasGetErrorStringA(code, a, n + 1), ERROR_SUCCESS);
    assert_string_equal(a, full);
    assert_int_equal(a[n + 1], 'x'); /* nothing written past the size */
    wmemset(w, L'x', BIG);
    assert_int_equal(RasGetErrorStringW(code, w, wn + 1), ERROR_SUCCESS);
    assert_true(wcscmp(w, wfull) == 0);
    assert_int_equal(w[wn + 1], L'x');
    assert_int_equal(GetLastError(), SENTINEL);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_code_has_a_sentence),
      cmocka_unit_test(messages_are_distinct),
      cmocka_unit_test(line_busy_mentions_busy),
      cmocka_unit_test(codes_outside_the_range),
      cmocka_unit_test(null_buffer),
      cmocka_unit_test(buffer_sizes),
  };
  ORA_PE_RUN_TESTS("test_errors", tests);
}
