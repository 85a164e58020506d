/* Win32 implementation of the OS layer: threads, time, randomness, files. */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <bcrypt.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "openras/os.h"
#include "openras/win32_host.h"

struct ora_mutex {
  SRWLOCK l;
};
struct ora_cond {
  CONDITION_VARIABLE c;
};
struct ora_thread {
  HANDLE h;
  ora_thread_fn fn;
  void *arg;
};

int ora_mutex_create(ora_mutex **out) {
  ora_mutex *m = calloc(1, sizeof *m);
  if (!m)
    return -1;
  InitializeSRWLock(&m->l);
  *out = m;
  return 0;
}
void ora_mutex_destroy(ora_mutex *m) {
  free(m);
}
void ora_mutex_lock(ora_mutex *m) {
  AcquireSRWLockExclusive(&m->l);
}
void ora_mutex_unlock(ora_mutex *m) {
  ReleaseSRWLockExclusive(&m->l);
}

int ora_cond_create(ora_cond **out) {
  ora_cond *c = calloc(1, sizeof *c);
  if (!c)
    return -1;
  InitializeConditionVariable(&c->c);
  *out = c;
  return 0;
}
void ora_cond_destroy(ora_cond *c) {
  free(c);
}
void ora_cond_wait(ora_cond *c, ora_mutex *m, uint32_t ms) {
  SleepConditionVariableSRW(&c->c, &m->l, ms == UINT32_MAX ? INFINITE : ms, 0);
}
void ora_cond_signal(ora_cond *c) {
  WakeConditionVariable(&c->c);
}
void ora_cond_broadcast(ora_cond *c) {
  WakeAllConditionVariable(&c->c);
}

static DWORD WINAPI thread_main(LPVOID p) {
  ora_thread *t = p;
  t->fn(t->arg);
  return 0;
}
int ora_thread_start(ora_thread **out, ora_thread_fn fn, void *arg) {
  ora_thread *t = calloc(1, sizeof *t);
  if (!t)
    return -1;
  t->fn = fn;
  t->arg = arg;
  t->h = CreateThread(NULL, 0, thread_main, t, 0, NULL);
  if (!t->h) {
    free(t);
    return -1;
  }
  *out = t;
  return 0;
}
void ora_thread_join(ora_thread *t) {
  if (t) {
    WaitForSingleObject(t->h, INFINITE);
    CloseHandle(t->h);
    free(t);
  }
}
uintptr_t ora_thread_self(void) {
  return (uintptr_t)GetCurrentThreadId();
}

uint64_t ora_now_us(void) {
  LARGE_INTEGER f, c;
  QueryPerformanceFrequency(&f);
  QueryPerformanceCounter(&c);
  return (uint64_t)((double)c.QuadPart * 1e6 / (double)f.QuadPart);
}
uint64_t ora_now_ms(void) {
  return GetTickCount64();
}
void ora_sleep_ms(uint32_t ms) {
  Sleep(ms);
}

int ora_os_ipsec_prohibited(void) {
  DWORD v = 0, cb = sizeof v;
  return RegGetValueW(HKEY_LOCAL_MACHINE,
                      L"SYSTEM\\CurrentControlSet\\Services\\RasMan\\Parameters", L"ProhibitIpSec",
                      RRF_RT_REG_DWORD, NULL, &v, &cb) == ERROR_SUCCESS &&
         v != 0;
}

uint32_t ora_os_host_pid(void) {
#if defined(ORA_HOST_SYS_GETPID)
  if (ora_host_linux()) {
    intptr_t pid = ora_host_syscall(ORA_HOST_SYS_GETPID, 0, 0, 0, 0);
    return pid > 0 ? (uint32_t)pid : 0;
  }
#endif
  return 0;
}

int ora_random(void *buf, size_t n) {
  NTSTATUS s = BCryptGenRandom(NULL, buf, (ULONG)n, BCRYPT_USE_SYSTEM_PREFERRED_RNG);
  return s == 0 ? 0 : -1;
}

/* Paths cross the OS layer as UTF-8; Win32 wants UTF-16. */
static WCHAR *widen(const char *s, const WCHAR *suffix) {
  int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, NULL, 0);
  size_t sl = suffix ? wcslen(suffix) : 0;
  if (n <= 0)
    return NULL;
  WCHAR *w = malloc(((size_t)n + sl) * sizeof(WCHAR));
  if (!w)
    return NULL;
  MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n);
  if (sl)
    memcpy(w + n - 1, suffix, (sl + 1) * sizeof(WCHAR));
  return w;
}

int ora_file_read(const char *path, char **data, size_t *len) {
  WCHAR *w = widen(path, NULL);
  if (!w)
    return ORA_OS_EIO;
  HANDLE h = CreateFileW(w, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                         NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
  free(w);
  if (h == INVALID_HANDLE_VALUE) {
    DWORD e = GetLastError();
    return (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND) ? ORA_OS_ENOENT : ORA_OS_EIO;
  }
  LARGE_INTEGER sz;
  if (!GetFileSizeEx(h, &sz) || sz.QuadPart > 64 * 1024 * 1024) {
    CloseHandle(h);
    return ORA_OS_EIO;
  }
  size_t n = (size_t)sz.QuadPart;
  char *buf = malloc(n + 1);
  DWORD got = 0;
  if (!buf || (n && (!ReadFile(h, buf, (DWORD)n, &got, NULL) || got != n))) {
    int rc = buf ? ORA_OS_EIO : ORA_OS_ENOMEM;
    free(buf);
    CloseHandle(h);
    return rc;
  }
  CloseHandle(h);
  buf[n] = '\0';
  *data = buf;
  *len = n;
  return ORA_OS_OK;
}

/* Renames tmp over dst. Windows refuses while another process has dst open (our
 * readers hold the shared lock, but an editor or a virus scanner does not), so a
 * sharing failure is retried for up to about two seconds. */
static BOOL replace_file(const WCHAR *tmp, const WCHAR *dst) {
  for (int attempt = 0;; attempt++) {
    if (MoveFileExW(tmp, dst, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
      return TRUE;
    DWORD err = GetLastError();
    if ((err != ERROR_ACCESS_DENIED && err != ERROR_SHARING_VIOLATION) || attempt >= 100)
      return FALSE;
    Sleep(20);
  }
}

int ora_file_replace(const char *path, const char *data, size_t len) {
  static volatile LONG counter;
  WCHAR suffix[64];
  /* Unique per process, thread and call, so concurrent writers never share a name. */
  swprintf(suffix, 64, L".%lu.%lu.%ld.tmp", (unsigned long)GetCurrentProcessId(),
           (unsigned long)GetCurrentThreadId(), (long)InterlockedIncrement(&counter));
  WCHAR *dst = widen(path, NULL), *tmp = widen(path, suffix);
  int rc = ORA_OS_EIO;
  if (dst && tmp) {
    HANDLE h = CreateFileW(tmp, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h != INVALID_HANDLE_VALUE) {
      DWORD put = 0;
      BOOL ok = WriteFile(h, data, (DWORD)len, &put, NULL) && put == len;
      ok = FlushFileBuffers(h) && ok;
      CloseHandle(h);
      if (ok && replace_file(tmp, dst))
        rc = ORA_OS_OK;
      else
        DeleteFileW(tmp);
    }
  }
  free(dst);
  free(tmp);
  return rc;
}

struct ora_file_lock {
  HANDLE h;
};
int ora_file_lock_acquire(const char *path, int exclusive, ora_file_lock **out) {
  WCHAR *w = widen(path, L".lock");
  if (!w)
    return ORA_OS_EIO;
  /* Only writers create the lock file: a reader of a phone book nobody has written
   * through OpenRAS leaves no trace (a writer that appears meanwhile finds the file
   * busy and retries its rename). */
  HANDLE h = CreateFileW(w, exclusive ? GENERIC_READ | GENERIC_WRITE : GENERIC_READ,
                         FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                         exclusive ? OPEN_ALWAYS : OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
  free(w);
  if (h == INVALID_HANDLE_VALUE)
    return ORA_OS_EIO;
  OVERLAPPED ov;
  memset(&ov, 0, sizeof ov);
  if (!LockFileEx(h, exclusive ? LOCKFILE_EXCLUSIVE_LOCK : 0, 0, 1, 0, &ov)) {
    CloseHandle(h);
    return ORA_OS_EIO;
  }
  ora_file_lock *l = malloc(sizeof *l);
  if (!l) {
    CloseHandle(h);
    return ORA_OS_ENOMEM;
  }
  l->h = h;
  *out = l;
  return ORA_OS_OK;
}
void ora_file_lock_release(ora_file_lock *l) {
  if (l) {
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    UnlockFileEx(l->h, 0, 1, 0, &ov);
    CloseHandle(l->h);
    free(l);
  }
}
