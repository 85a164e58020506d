/* The Linux kernel under Wine, asked directly. Wine runs PE code in a Linux process, so
 * a system call instruction reaches the kernel like any other; Windows offers no way to
 * some things only the kernel can do (a Unix descriptor, a futex shared by two
 * processes without a wineserver round trip). Only on x86-64 and i386, and only when
 * ntdll says the host is Linux; everywhere else ora_host_linux() is 0 and callers take
 * their Windows path. Windows-only. */
#ifndef OPENRAS_WIN32_HOST_H
#define OPENRAS_WIN32_HOST_H

#include <stdint.h>

#if defined(__x86_64__)
#define ORA_HOST_SYS_OPEN 2
#define ORA_HOST_SYS_CLOSE 3
#define ORA_HOST_SYS_DUP2 33
#define ORA_HOST_SYS_GETPID 39
#define ORA_HOST_SYS_FUTEX 202
#elif defined(__i386__)
#define ORA_HOST_SYS_OPEN 5
#define ORA_HOST_SYS_CLOSE 6
#define ORA_HOST_SYS_GETPID 20
#define ORA_HOST_SYS_DUP2 63
#define ORA_HOST_SYS_FUTEX 240
#endif

/* 1 when this process runs under Wine on a Linux kernel whose system calls this build
 * knows (checked once). */
int ora_host_linux(void);

/* A Linux system call; the kernel's result (negative errno on failure). Only when
 * ora_host_linux(). */
intptr_t ora_host_syscall(intptr_t n, intptr_t a, intptr_t b, intptr_t c, intptr_t d);

/* A futex in memory shared with another process (not FUTEX_PRIVATE). wait sleeps while
 * *word == expected, at most ms (woken, value changed, timed out or interrupted: the
 * caller looks again); wake wakes up to n sleepers. Only when ora_host_linux(). */
void ora_host_futex_wait(volatile uint32_t *word, uint32_t expected, uint32_t ms);
void ora_host_futex_wake(volatile uint32_t *word, int n);

#endif
