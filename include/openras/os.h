/* The OS layer: the only place the core meets the platform. posix_*.c and
 * win32_*.c implement it; nothing else in core/ includes a system header beyond
 * the C standard library. */
#ifndef OPENRAS_OS_H
#define OPENRAS_OS_H

#include <stddef.h>
#include <stdint.h>

typedef struct ora_mutex ora_mutex;
typedef struct ora_cond ora_cond;
typedef struct ora_thread ora_thread;

int ora_mutex_create(ora_mutex **out);
void ora_mutex_destroy(ora_mutex *m);
void ora_mutex_lock(ora_mutex *m);
void ora_mutex_unlock(ora_mutex *m);

int ora_cond_create(ora_cond **out);
void ora_cond_destroy(ora_cond *c);
/* Waits at most ms milliseconds (UINT32_MAX: no limit); spurious wake-ups happen. */
void ora_cond_wait(ora_cond *c, ora_mutex *m, uint32_t ms);
void ora_cond_signal(ora_cond *c);
void ora_cond_broadcast(ora_cond *c);

typedef void (*ora_thread_fn)(void *arg);
int ora_thread_start(ora_thread **out, ora_thread_fn fn, void *arg);
void ora_thread_join(ora_thread *t); /* also frees t */
/* An identifier of the calling thread, comparable with ==. */
uintptr_t ora_thread_self(void);

/* Monotonic clock in milliseconds and microseconds. */
uint64_t ora_now_ms(void);
uint64_t ora_now_us(void);
void ora_sleep_ms(uint32_t ms);

/* Cryptographically random bytes (magic numbers, CHAP peer challenges). 0 on success. */
int ora_random(void *buf, size_t n);

/* Windows' machine policy for L2TP without IPsec: nonzero when
 * HKLM\SYSTEM\CurrentControlSet\Services\RasMan\Parameters\ProhibitIpSec is a nonzero
 * DWORD. POSIX has no such policy: 0 (the engine's caller sets ORA_ENGINE_PROHIBIT_IPSEC). */
int ora_os_ipsec_prohibited(void);

/* This process's id in the host's kernel, the one a native helper it starts can watch:
 * getpid() on POSIX; under Wine on Linux, the Linux id of the Wine process; 0 where
 * there is none to give (Windows itself). */
uint32_t ora_os_host_pid(void);

/* Whole-file helpers for phone books; paths are UTF-8. ora_file_read returns 0, or
 * ORA_OS_ENOENT when the file does not exist, ORA_OS_ENOMEM when memory ran out (also
 * ora_file_replace and ora_file_lock_acquire), or ORA_OS_EIO. The buffer is
 * NUL-terminated and freed with free(). ora_file_replace writes a temporary file
 * beside path and renames it over path, so readers see the old or the new file. */
enum { ORA_OS_OK = 0, ORA_OS_ENOENT = 1, ORA_OS_EIO = 2, ORA_OS_ENOMEM = 3 };
int ora_file_read(const char *path, char **data, size_t *len);
int ora_file_replace(const char *path, const char *data, size_t len);

/* An advisory lock on "<path>.lock": exclusive while a phone book is read, changed
 * and replaced; shared while it is only read. Readers need it on Windows, where a
 * file open in another process cannot be replaced. */
typedef struct ora_file_lock ora_file_lock;
enum { ORA_LOCK_SHARED = 0, ORA_LOCK_EXCLUSIVE = 1 };
int ora_file_lock_acquire(const char *path, int exclusive, ora_file_lock **out);
void ora_file_lock_release(ora_file_lock *l);

#endif
