/* x86 only (issue 12): what a 32-bit program relies on and x64 has no equivalent of.
 * On x64 there is one calling convention and the structure sizes differ; dial_sizes
 * covers those there. Here:
 *  - every export pops exactly its documented argument bytes (stdcall), checked at run
 *    time by calling it through a thunk that measures ESP around the call;
 *  - RasDialFunc, RasDialFunc1 and RasDialFunc2 are called as stdcall functions:
 *    notifiers written in assembly pop their own arguments (ret $N) and record ESP at
 *    entry, which must be the same for every notification (a caller that treated them
 *    as cdecl would pop twice and drift, or crash);
 *  - the Windows 95/NT4-era sizes a 32-bit program passes are accepted, exactly those. */
#include "dial_util.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifndef __i386__
#error "test_x86_abi is for 32-bit x86 builds only"
#endif

typedef struct export_info {
  const char *name;
  unsigned bytes; /* x86 argument bytes */
  int stub;
} export_info;
#include "badinput_exports.h" /* static const export_info ora_exports[] */

/* int ora_call_counted(void *fn, int nargs, const uint32_t *args, uint32_t *ret):
 * pushes nargs arguments (last first), calls fn, and returns how far ESP moved across
 * the call (0 when the callee popped exactly nargs * 4 bytes). EBX is loaded with a
 * marker before the call and must survive it (callee-saved); a clobbered EBX returns
 * 0x7fffffff. */
extern int ora_call_counted(void *fn, int nargs, const uint32_t *args, uint32_t *ret);
__asm__(".text\n"
        ".globl _ora_call_counted\n"
        "_ora_call_counted:\n"
        "  pushl %ebp\n"
        "  movl %esp, %ebp\n"
        "  pushl %ebx\n"
        "  pushl %esi\n"
        "  pushl %edi\n"
        "  movl 12(%ebp), %ecx\n"
        "  movl 16(%ebp), %esi\n"
        "  movl %esp, %edi\n" /* ESP before the arguments */
        "1:\n"
        "  testl %ecx, %ecx\n"
        "  jz 2f\n"
        "  pushl -4(%esi,%ecx,4)\n"
        "  decl %ecx\n"
        "  jmp 1b\n"
        "2:\n"
        "  movl $0x5eb0c0de, %ebx\n"
        "  call *8(%ebp)\n"
        "  movl 20(%ebp), %ecx\n"
        "  movl %eax, (%ecx)\n"
        "  movl %esp, %eax\n"
        "  subl %edi, %eax\n"
        "  cmpl $0x5eb0c0de, %ebx\n"
        "  je 3f\n"
        "  movl $0x7fffffff, %eax\n"
        "3:\n"
        "  movl %edi, %esp\n"
        "  popl %edi\n"
        "  popl %esi\n"
        "  popl %ebx\n"
        "  popl %ebp\n"
        "  ret\n");

/* Every export, with zero/NULL arguments (test_badinput shows each survives them):
 * ESP must come back to where it was before the arguments were pushed. */
static void exports_pop_their_arguments(void **state) {
  (void)state;
  HMODULE dll = GetModuleHandleA("rasapi32.dll");
  assert_non_null(dll);
  uint32_t args[16] = {0};
  int bad = 0, called = 0;
  for (size_t i = 0; i < sizeof ora_exports / sizeof ora_exports[0]; i++) {
    const export_info *e = &ora_exports[i];
    void *fn = (void *)GetProcAddress(dll, e->name);
    if (!fn) {
      printf("missing export %s\n", e->name);
      bad++;
      continue;
    }
    uint32_t ret = 0;
    int moved = ora_call_counted(fn, (int)(e->bytes / 4), args, &ret);
    called++;
    if (moved != 0) {
      if (moved == 0x7fffffff)
        printf("%s clobbered EBX\n", e->name);
      else
        printf("%s: ESP moved by %d bytes (documented arguments: %u bytes)\n", e->name, moved,
               e->bytes);
      bad++;
    }
    if (e->stub && ret != ERROR_CALL_NOT_IMPLEMENTED) {
      printf("stub %s returned %u\n", e->name, (unsigned)ret);
      bad++;
    }
  }
  printf("%d exports called through the stdcall thunk\n", called);
  assert_int_equal(called, (int)(sizeof ora_exports / sizeof ora_exports[0]));
  assert_int_equal(bad, 0);
}

/* ---- notifiers in assembly: true stdcall, recording ESP at entry ---- */

#define MAXN 64
static volatile LONG g_n;
static volatile uint32_t g_esp[MAXN], g_state[MAXN], g_err[MAXN];
static volatile uint32_t g_cbid[MAXN];
static HANDLE g_done;

/* Called by the assembly notifiers with ESP at their entry and their arguments. */
void __cdecl ora_note(uint32_t esp, uint32_t state, uint32_t err, uint32_t cbid) {
  LONG i = InterlockedIncrement(&g_n) - 1;
  if (i < MAXN) {
    g_esp[i] = esp;
    g_state[i] = state;
    g_err[i] = err;
    g_cbid[i] = cbid;
  }
  if (state == RASCS_Connected || err != 0)
    SetEvent(g_done);
}

/* RasDialFunc(UINT msg, RASCONNSTATE state, DWORD err): ret $12.
 * RasDialFunc1(HRASCONN, UINT, RASCONNSTATE, DWORD err, DWORD ext): ret $20.
 * RasDialFunc2(ULONG_PTR cbid, DWORD sub, HRASCONN, UINT, RASCONNSTATE, DWORD err,
 * DWORD ext): returns 1 (keep notifying), ret $28. ESI/EDI/EBX are not touched;
 * ora_note is cdecl and preserves them. */
extern void asm_func(void);
extern void asm_func1(void);
extern void asm_func2(void);
__asm__(".text\n"
        ".globl _asm_func\n"
        "_asm_func:\n"
        "  movl %esp, %eax\n"
        "  pushl $0\n"       /* cbid */
        "  pushl 12(%eax)\n" /* err */
        "  pushl 8(%eax)\n"  /* state */
        "  pushl %eax\n"
        "  call _ora_note\n"
        "  addl $16, %esp\n"
        "  ret $12\n"
        ".globl _asm_func1\n"
        "_asm_func1:\n"
        "  movl %esp, %eax\n"
        "  pushl $0\n"
        "  pushl 16(%eax)\n" /* err */
        "  pushl 12(%eax)\n" /* state */
        "  pushl %eax\n"
        "  call _ora_note\n"
        "  addl $16, %esp\n"
        "  ret $20\n"
        ".globl _asm_func2\n"
        "_asm_func2:\n"
        "  movl %esp, %eax\n"
        "  pushl 4(%eax)\n"  /* cbid */
        "  pushl 24(%eax)\n" /* err */
        "  pushl 20(%eax)\n" /* state */
        "  pushl %eax\n"
        "  call _ora_note\n"
        "  addl $16, %esp\n"
        "  movl $1, %eax\n"
        "  ret $28\n");

static void notifier_is_stdcall(DWORD type, void *fn) {
  g_n = 0;
  g_done = CreateEventA(NULL, TRUE, FALSE, NULL);
  dial_fields f = {0};
  f.entry = "Slow"; /* one notification per state, 30 ms apart */
  f.callback_id = 0x13572468u;
  HRASCONN h = NULL;
  assert_int_equal(t_dial(0, NULL, &f, type, fn, &h), 0);
  t_track(h);
  assert_int_equal(WaitForSingleObject(g_done, 10000), WAIT_OBJECT_0);
  LONG n = g_n;
  assert_true(n >= 5 && n <= MAXN);
  for (LONG i = 0; i < n; i++) {
    if (g_esp[i] != g_esp[0])
      fail_msg("type %lu: notification %ld entered with ESP %08x, the first with %08x",
               (unsigned long)type, (long)i, (unsigned)g_esp[i], (unsigned)g_esp[0]);
    assert_int_equal(g_err[i], 0);
    if (type == 2)
      assert_int_equal(g_cbid[i], 0x13572468u);
  }
  assert_int_equal(g_state[0], RASCS_OpenPort);
  assert_int_equal(g_state[n - 1], RASCS_Connected);
  CloseHandle(g_done);
}

static void notifier_func_stdcall(void **state) {
  (void)state;
  notifier_is_stdcall(0, (void *)asm_func);
}
static void notifier_func1_stdcall(void **state) {
  (void)state;
  notifier_is_stdcall(1, (void *)asm_func1);
}
static void notifier_func2_stdcall(void **state) {
  (void)state;
  notifier_is_stdcall(2, (void *)asm_func2);
}

/* ---- the sizes a 32-bit program passes (abi.md, i686 column) ---- */

static const DWORD rdp_a[] = {736, 1052, 1060, 1064, 1068};
static const DWORD rdp_w[] = {1464, 2096, 2104, 2108, 2112};
static const DWORD rcs_a[] = {64, 160, 288, 332};
static const DWORD rcs_w[] = {112, 304, 564, 608};
static const DWORD rc_a[] = {32, 412, 676, 692, 704, 720};
static const DWORD rc_w[] = {52, 816, 1340, 1356, 1368, 1384};
#define N(a) (sizeof(a) / sizeof(a)[0])

/* The test's own layouts (dial_util.h) have these sizes on x86: the numbers above are
 * what the SDKs compile to, not what this test assumes. */
static void layouts_have_x86_sizes(void **state) {
  (void)state;
  const int rdp_layouts[] = {T_35, T_400, T_401, T_601, T_602};
  for (size_t i = 0; i < N(rdp_layouts); i++) {
    assert_int_equal(t_rdp_size(0, rdp_layouts[i]), rdp_a[i]);
    assert_int_equal(t_rdp_size(1, rdp_layouts[i]), rdp_w[i]);
  }
  const int rcs_layouts[] = {T_35, T_400, T_401, T_601};
  for (size_t i = 0; i < N(rcs_layouts); i++) {
    assert_int_equal(t_rcs_size(0, rcs_layouts[i]), rcs_a[i]);
    assert_int_equal(t_rcs_size(1, rcs_layouts[i]), rcs_w[i]);
  }
  assert_int_equal(sizeof(RASCONNA), 704); /* mingw-w64's own: the 0x501 layout */
  assert_int_equal(sizeof(RASCONNW), 1368);
}

/* RasDial with each RASDIALPARAMS size connects; one byte off is 632. */
static void rasdialparams_sizes(void **state) {
  (void)state;
  static BYTE buf[4096];
  const int layouts[] = {T_35, T_400, T_401, T_601, T_602};
  for (int wide = 0; wide < 2; wide++) {
    for (size_t i = 0; i < N(layouts); i++) {
      dial_fields f = {0};
      f.entry = "Sim";
      memset(buf, 0, sizeof buf);
      size_t size = t_fill_params(wide, layouts[i], &f, buf);
      assert_int_equal(size, wide ? rdp_w[i] : rdp_a[i]);
      HRASCONN h = NULL;
      DWORD rc = wide ? RasDialW(NULL, t_pbk_w(), (RASDIALPARAMSW *)buf, 0, NULL, &h)
                      : RasDialA(NULL, t_pbk(), (RASDIALPARAMSA *)buf, 0, NULL, &h);
      t_track(h);
      if (rc != 0)
        fail_msg("%s RASDIALPARAMS of %u bytes: %lu", wide ? "W" : "A", (unsigned)size, rc);
      assert_int_equal(RasHangUpA(h), 0);
      *(DWORD *)buf = (DWORD)size + 1;
      h = NULL;
      rc = wide ? RasDialW(NULL, t_pbk_w(), (RASDIALPARAMSW *)buf, 0, NULL, &h)
                : RasDialA(NULL, t_pbk(), (RASDIALPARAMSA *)buf, 0, NULL, &h);
      t_track(h);
      assert_int_equal(rc, ERROR_INVALID_SIZE);
    }
  }
}

/* RasGetConnectStatus and RasEnumConnections with each size: accepted, nothing written
 * past dwSize, the connection found; any other size is 632. */
static void status_and_enum_sizes(void **state) {
  (void)state;
  HRASCONN h = NULL;
  assert_int_equal(t_dial_entry(0, "Sim", &h), 0);
  t_track(h);
  static BYTE buf[8192];
  for (int wide = 0; wide < 2; wide++) {
    const DWORD *s = wide ? rcs_w : rcs_a;
    for (size_t i = 0; i < N(rcs_a); i++) {
      memset(buf, 0xA5, sizeof buf);
      *(DWORD *)buf = s[i];
      DWORD rc = wide ? RasGetConnectStatusW(h, (RASCONNSTATUSW *)buf)
                      : RasGetConnectStatusA(h, (RASCONNSTATUSA *)buf);
      if (rc != 0)
        fail_msg("%s RASCONNSTATUS of %lu bytes: %lu", wide ? "W" : "A", s[i], rc);
      assert_int_equal(((DWORD *)buf)[1], RASCS_Connected);
      for (size_t j = s[i]; j < s[i] + 64; j++)
        assert_int_equal(buf[j], 0xA5);
      *(DWORD *)buf = s[i] + 4;
      rc = wide ? RasGetConnectStatusW(h, (RASCONNSTATUSW *)buf)
                : RasGetConnectStatusA(h, (RASCONNSTATUSA *)buf);
      assert_int_equal(rc, ERROR_INVALID_SIZE);
    }
    const DWORD *c = wide ? rc_w : rc_a;
    for (size_t i = 0; i < N(rc_a); i++) {
      memset(buf, 0xA5, sizeof buf);
      *(DWORD *)buf = c[i];
      DWORD cb = 4 * c[i], n = 0;
      DWORD rc = wide ? RasEnumConnectionsW((RASCONNW *)buf, &cb, &n)
                      : RasEnumConnectionsA((RASCONNA *)buf, &cb, &n);
      if (rc != 0)
        fail_msg("%s RASCONN of %lu bytes: %lu", wide ? "W" : "A", c[i], rc);
      assert_true(n >= 1);
      assert_int_equal(cb, n * c[i]);
      int found = 0;
      for (DWORD k = 0; k < n; k++) {
        assert_int_equal(*(DWORD *)(buf + k * c[i]), c[i]);
        if (*(HRASCONN *)(buf + k * c[i] + 4) == h)
          found = 1;
      }
      assert_true(found);
      for (size_t j = n * c[i]; j < n * c[i] + 64; j++)
        assert_int_equal(buf[j], 0xA5);
      *(DWORD *)buf = c[i] - 4;
      cb = 4 * c[i];
      rc = wide ? RasEnumConnectionsW((RASCONNW *)buf, &cb, &n)
                : RasEnumConnectionsA((RASCONNA *)buf, &cb, &n);
      assert_int_equal(rc, ERROR_INVALID_SIZE);
    }
  }
  assert_int_equal(RasHangUpA(h), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(exports_pop_their_arguments),
      T_TEST(notifier_func_stdcall),
      T_TEST(notifier_func1_stdcall),
      T_TEST(notifier_func2_stdcall),
      cmocka_unit_test(layouts_have_x86_sizes),
      T_TEST(rasdialparams_sizes),
      T_TEST(status_and_enum_sizes),
  };
  ORA_PE_RUN_TESTS("test_x86_abi", tests);
}
