/* POSIX implementation of the OS layer: threads, time, randomness, files. */
#define _GNU_SOURCE
#include "openras/os.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct ora_mutex {
  pthread_mutex_t m;
};
struct ora_cond {
  pthread_cond_t c;
};
struct ora_thread {
  pthread_t t;
  ora_thread_fn fn;
  void *arg;
};

int ora_mutex_create(ora_mutex **out) {
  ora_mutex *m = calloc(1, sizeof *m);
  if (!m || pthread_mutex_init(&m->m, NULL) != 0) {
    free(m);
    return -1;
  }
  *out = m;
  return 0;
}
void ora_mutex_destroy(ora_mutex *m) {
  if (m) {
    pthread_mutex_destroy(&m->m);
    free(m);
  }
}
void ora_mutex_lock(ora_mutex *m) {
  pthread_mutex_lock(&m->m);
}
void ora_mutex_unlock(ora_mutex *m) {
  pthread_mutex_unlock(&m->m);
}

int ora_cond_create(ora_cond **out) {
  ora_cond *c = calloc(1, sizeof *c);
  pthread_condattr_t a;
  if (!c)
    return -1;
  pthread_condattr_init(&a);
  /* Timed waits follow the monotonic clock so a wall-clock jump cannot stall them. */
  pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
  int r = pthread_cond_init(&c->c, &a);
  pthread_condattr_destroy(&a);
  if (r != 0) {
    free(c);
    return -1;
  }
  *out = c;
  return 0;
}
void ora_cond_destroy(ora_cond *c) {
  if (c) {
    pthread_cond_destroy(&c->c);
    free(c);
  }
}
void ora_cond_wait(ora_cond *c, ora_mutex *m, uint32_t ms) {
  if (ms == UINT32_MAX) {
    pthread_cond_wait(&c->c, &m->m);
    return;
  }
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  ts.tv_sec += ms / 1000;
  ts.tv_nsec += (long)(ms % 1000) * 1000000L;
  if (ts.tv_nsec >= 1000000000L) {
    ts.tv_sec++;
    ts.tv_nsec -= 1000000000L;
  }
  pthread_cond_timedwait(&c->c, &m->m, &ts);
}
void ora_cond_signal(ora_cond *c) {
  pthread_cond_signal(&c->c);
}
void ora_cond_broadcast(ora_cond *c) {
  pthread_cond_broadcast(&c->c);
}

static void *thread_main(void *p) {
  ora_thread *t = p;
  t->fn(t->arg);
  return NULL;
}
int ora_thread_start(ora_thread **out, ora_thread_fn fn, void *arg) {
  ora_thread *t = calloc(1, sizeof *t);
  if (!t)
    return -1;
  t->fn = fn;
  t->arg = arg;
  if (pthread_create(&t->t, NULL, thread_main, t) != 0) {
    free(t);
    return -1;
  }
  *out = t;
  return 0;
}
void ora_thread_join(ora_thread *t) {
  if (t) {
    pthread_join(t->t, NULL);
    free(t);
  }
}
uintptr_t ora_thread_self(void) {
  /* pthread_t is an integer on glibc; hashing its bytes keeps this portable. */
  pthread_t s = pthread_self();
  uintptr_t v = 0;
  memcpy(&v, &s, sizeof s < sizeof v ? sizeof s : sizeof v);
  return v;
}

uint64_t ora_now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}
uint64_t ora_now_ms(void) {
  return ora_now_us() / 1000u;
}
void ora_sleep_ms(uint32_t ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

int ora_os_ipsec_prohibited(void) {
  return 0;
}

uint32_t ora_os_host_pid(void) {
  return (uint32_t)getpid();
}

int ora_random(void *buf, size_t n) {
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  unsigned char *p = buf;
  while (n > 0) {
    ssize_t r = read(fd, p, n);
    if (r <= 0) {
      if (r < 0 && errno == EINTR)
        continue;
      close(fd);
      return -1;
    }
    p += r;
    n -= (size_t)r;
  }
  close(fd);
  return 0;
}

int ora_file_read(const char *path, char **data, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return errno == ENOENT ? ORA_OS_ENOENT : ORA_OS_EIO;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  int nomem = !buf;
  for (;;) {
    if (!buf)
      break;
    if (n + 1 >= cap) {
      char *nb = realloc(buf, cap * 2);
      if (!nb) {
        free(buf);
        buf = NULL;
        nomem = 1;
        break;
      }
      buf = nb;
      cap *= 2;
    }
    ssize_t r = read(fd, buf + n, cap - n - 1);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      free(buf);
      buf = NULL;
      break;
    }
    if (r == 0)
      break;
    n += (size_t)r;
  }
  close(fd);
  if (!buf)
    return nomem ? ORA_OS_ENOMEM : ORA_OS_EIO;
  buf[n] = '\0';
  *data = buf;
  *len = n;
  return ORA_OS_OK;
}

int ora_file_replace(const char *path, const char *data, size_t len) {
  static unsigned counter;
  size_t pl = strlen(path);
  char *tmp = malloc(pl + 64);
  if (!tmp)
    return ORA_OS_ENOMEM;
  /* Unique per process, thread and call, so concurrent writers never share a name. */
  snprintf(tmp, pl + 64, "%s.%ld.%lx.%u.tmp", path, (long)getpid(),
           (unsigned long)ora_thread_self(), __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED));
  /* Keep the permissions of the file being replaced. */
  struct stat st;
  mode_t mode = stat(path, &st) == 0 ? (st.st_mode & 07777) : 0600;
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd >= 0)
    fchmod(fd, mode); /* not narrowed by the umask */
  if (fd < 0) {
    free(tmp);
    return ORA_OS_EIO;
  }
  const char *p = data;
  size_t left = len;
  while (left > 0) {
    ssize_t w = write(fd, p, left);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) {
      close(fd);
      unlink(tmp);
      free(tmp);
      return ORA_OS_EIO;
    }
    p += w;
    left -= (size_t)w;
  }
  int ok = fsync(fd) == 0;
  ok = (close(fd) == 0) && ok;
  ok = ok && rename(tmp, path) == 0;
  if (!ok)
    unlink(tmp);
  free(tmp);
  return ok ? ORA_OS_OK : ORA_OS_EIO;
}

struct ora_file_lock {
  int fd;
};
int ora_file_lock_acquire(const char *path, int exclusive, ora_file_lock **out) {
  size_t pl = strlen(path);
  char *lp = malloc(pl + 6);
  if (!lp)
    return ORA_OS_ENOMEM;
  memcpy(lp, path, pl);
  memcpy(lp + pl, ".lock", 6);
  /* Only writers create the lock file: a reader of a phone book nobody has written
   * through OpenRAS leaves no trace (and then races nobody). */
  int fd =
      exclusive ? open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0600) : open(lp, O_RDONLY | O_CLOEXEC);
  free(lp);
  if (fd < 0)
    return ORA_OS_EIO;
  while (flock(fd, exclusive ? LOCK_EX : LOCK_SH) != 0) {
    if (errno != EINTR) {
      close(fd);
      return ORA_OS_EIO;
    }
  }
  ora_file_lock *l = malloc(sizeof *l);
  if (!l) {
    close(fd);
    return ORA_OS_ENOMEM;
  }
  l->fd = fd;
  *out = l;
  return ORA_OS_OK;
}
void ora_file_lock_release(ora_file_lock *l) {
  if (l) {
    flock(l->fd, LOCK_UN);
    close(l->fd);
    free(l);
  }
}
