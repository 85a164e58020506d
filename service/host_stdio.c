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
 * on x86-64 and i386 (openras/win32_host.h); elsewhere nothing. */
#include "host_stdio.h"

#include "openras/win32_host.h"

void ora_detach_host_stderr(void) {
#if defined(ORA_HOST_SYS_OPEN)
  if (!ora_host_linux())
    return; /* Windows itself: nothing inherited that way */
  intptr_t fd = ora_host_syscall(ORA_HOST_SYS_OPEN, (intptr_t) "/dev/null", 1 /* O_WRONLY */, 0, 0);
  if (fd < 0)
    return;
  if (fd != 2) {
    ora_host_syscall(ORA_HOST_SYS_DUP2, fd, 2, 0, 0);
    ora_host_syscall(ORA_HOST_SYS_CLOSE, fd, 0, 0, 0);
  }
#endif
}
