/* Shared by the phone-book PE tests (test_entries*.c): private phone books in the temp
 * folder, file helpers, and the RASENTRY sizes of every SDK version (mingw-w64's
 * <ras.h> has only the 0x501 layout). */
#ifndef OPENRAS_TEST_ENTRIES_UTIL_H
#define OPENRAS_TEST_ENTRIES_UTIL_H

#include <windows.h>
#include <ras.h>
#include <raserror.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pe_test.h"

/* RASENTRY sizes: 0x400, 0x401, 0x500, 0x501, 0x600, 0x601, 0xA00 (no pointers: the
 * same on x86 and x64). */
static const DWORD t_re_size_a[7] = {1768, 1796, 2088, 2884, 2924, 2948, 3480};
static const DWORD t_re_size_w[7] = {3468, 3496, 4048, 5616, 5656, 5680, 6724};
enum { T_RE_V400, T_RE_V401, T_RE_V500, T_RE_V501, T_RE_V600, T_RE_V601, T_RE_VA00 };

/* Offsets of members newer than mingw-w64's layout (A, W). */
#define T_RE_IPV6DNS_A 2884
#define T_RE_IPV6DNS_W 5616
#define T_RE_IPV6ADDR_A 2924
#define T_RE_IPV6ADDR_W 5656
#define T_RE_IDI_A 2948
#define T_RE_IDI_W 5680

/* A fresh path in the temp folder: "<temp>openras-<tag>-<pid>-<n>.pbk" (no file). */
static inline void t_pbk_path(const char *tag, char *out, size_t cap) {
  static LONG n;
  char dir[MAX_PATH];
  GetTempPathA(sizeof dir, dir);
  snprintf(out, cap, "%sopenras-%s-%lu-%ld.pbk", dir, tag, GetCurrentProcessId(),
           InterlockedIncrement(&n));
  DeleteFileA(out);
}

static inline void t_pbk_path_w(const char *path, WCHAR *out, size_t units) {
  MultiByteToWideChar(CP_ACP, 0, path, -1, out, (int)units);
}

static inline void t_write_file(const char *path, const char *text, size_t len) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(text, 1, len, f), len);
  fclose(f);
}

/* The whole file, NUL-terminated (free it); NULL if absent. */
static inline char *t_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  size_t got = fread(buf, 1, (size_t)n, f);
  fclose(f);
  buf[got] = 0;
  if (len)
    *len = got;
  return buf;
}

/* A buffer whose `size` bytes end exactly at a no-access page: touching one byte past
 * the structure crashes the test. */
typedef struct {
  BYTE *base;
  SIZE_T page, span;
} t_guard;

static inline void *t_guard_alloc(t_guard *g, size_t size, int fill) {
  SYSTEM_INFO si;
  GetSystemInfo(&si);
  g->page = si.dwPageSize;
  g->span = ((size + g->page - 1) / g->page) * g->page;
  g->base = VirtualAlloc(NULL, g->span + g->page, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
  DWORD old;
  VirtualProtect(g->base + g->span, g->page, PAGE_NOACCESS, &old);
  BYTE *p = g->base + g->span - size;
  memset(p, fill, size);
  return p;
}

static inline void t_guard_free(t_guard *g) {
  VirtualFree(g->base, 0, MEM_RELEASE);
}

/* Lines of text in order: 1 when every line of `want` appears in `have` in the same
 * order (other lines may come between). */
static inline int t_lines_in_order(const char *have, const char *const *want, size_t n) {
  const char *p = have;
  for (size_t i = 0; i < n; i++) {
    size_t len = strlen(want[i]);
    for (;;) {
      const char *hit = strstr(p, want[i]);
      if (!hit || !*hit)
        return 0;
      int starts = hit == have || hit[-1] == '\n';
      int ends = hit[len] == '\r' || hit[len] == '\n' || hit[len] == 0;
      /* Past the match (an empty line matches where it starts: step over it). */
      p = hit + (len ? len : 1);
      if (starts && ends)
        break;
    }
  }
  return 1;
}

#endif
