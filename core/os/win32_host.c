/* The Linux kernel under Wine (see win32_host.h). */
#include "openras/win32_host.h"

#include <windows.h>

#include <string.h>

#if defined(ORA_HOST_SYS_FUTEX)
/* intptr_t, not long: long is 32 bits in Win64 code, Linux's registers are 64. */
intptr_t ora_host_syscall(intptr_t n, intptr_t a, intptr_t b, intptr_t c, intptr_t d) {
  intptr_t r;
#if defined(__x86_64__)
  register intptr_t r10 __asm__("r10") = d;
  __asm__ volatile("syscall"
                   : "=a"(r)
                   : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
                   : "rcx", "r11", "memory");
#else
  __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c), "S"(d) : "memory");
#endif
  return r;
}
#else
intptr_t ora_host_syscall(intptr_t n, intptr_t a, intptr_t b, intptr_t c, intptr_t d) {
  (void)n, (void)a, (void)b, (void)c, (void)d;
  return -38; /* ENOSYS */
}
#endif

typedef void(CDECL *host_version_fn)(const char **sysname, const char **release);

int ora_host_linux(void) {
  static volatile LONG known; /* 0 not yet, 1 no, 2 yes */
  LONG k = known;
  if (k)
    return k == 2;
#if defined(ORA_HOST_SYS_FUTEX)
  HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  host_version_fn host =
      ntdll ? (host_version_fn)(void (*)(void))GetProcAddress(ntdll, "wine_get_host_version")
            : NULL;
  const char *sysname = NULL, *release = NULL;
  if (host)
    host(&sysname, &release); /* no such export on Windows itself */
  k = sysname && strcmp(sysname, "Linux") == 0 ? 2 : 1;
#else
  k = 1;
#endif
  InterlockedExchange(&known, k);
  return k == 2;
}

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1

void ora_host_futex_wait(volatile uint32_t *word, uint32_t expected, uint32_t ms) {
  /* The kernel's struct timespec: two longs, 64 bits each on x86-64, 32 on i386. */
  intptr_t ts[2] = {(intptr_t)(ms / 1000), (intptr_t)(ms % 1000) * 1000000};
  ora_host_syscall(ORA_HOST_SYS_FUTEX, (intptr_t)word, FUTEX_WAIT, (intptr_t)expected,
                   (intptr_t)ts);
}

void ora_host_futex_wake(volatile uint32_t *word, int n) {
  ora_host_syscall(ORA_HOST_SYS_FUTEX, (intptr_t)word, FUTEX_WAKE, n, 0);
}
