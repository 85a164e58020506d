/* The manager and the Unix stderr it inherits under Wine.
 *
 * Wine gives a new process its creator's Unix stderr (fd 2 stays for Wine's debug
 * output) whatever the Windows standard handles say; the DLL already gives the
 * manager a log file for those. The manager outlives the program that started it,
 * so it would keep that program's stderr open for its whole life: a shell pipeline
 * (`wine app.exe 2>&1 | tee log`) or a test runner reading it would wait until the
 * manager exits, which is never while a connection is up. Nothing Windows offers
 * reaches a Unix descriptor, so this asks the Linux kernel directly: open
 * /dev/null, dup2 it over fd 2, close it. Only when ntdll says the host is Linux,
 * on x86-64 and i386 (whose system call numbers are below); elsewhere nothing. */
#include "host_stdio.h"

#include <windows.h>

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__)
#define HOST_SYS_OPEN 2
#define HOST_SYS_CLOSE 3
#define HOST_SYS_DUP2 33
/* intptr_t, not long: long is 32 bits in Win64 code, Linux's registers are 64. */
static intptr_t host_syscall3(intptr_t n, intptr_t a, intptr_t b, intptr_t c) {
  intptr_t r;
  __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
  return r;
}
#elif defined(__i386__)
#define HOST_SYS_OPEN 5
#define HOST_SYS_CLOSE 6
#define HOST_SYS_DUP2 63
static intptr_t host_syscall3(intptr_t n, intptr_t a, intptr_t b, intptr_t c) {
  intptr_t r;
  __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c) : "memory");
  return r;
}
#endif

typedef void(CDECL *host_version_fn)(const char **sysname, const char **release);

void ora_detach_host_stderr(void) {
#if defined(HOST_SYS_OPEN)
  HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  host_version_fn host =
      ntdll ? (host_version_fn)(void (*)(void))GetProcAddress(ntdll, "wine_get_host_version")
            : NULL;
  if (!host)
    return; /* Windows itself: nothing inherited that way */
  const char *sysname = NULL, *release = NULL;
  host(&sysname, &release);
  if (!sysname || strcmp(sysname, "Linux") != 0)
    return;
  intptr_t fd = host_syscall3(HOST_SYS_OPEN, (intptr_t) "/dev/null", 1 /* O_WRONLY */, 0);
  if (fd < 0)
    return;
  if (fd != 2) {
    host_syscall3(HOST_SYS_DUP2, fd, 2, 0);
    host_syscall3(HOST_SYS_CLOSE, fd, 0, 0);
  }
#endif
}
