/* The wrapped calls of a fault-injecting test program, linked with -Wl,--wrap= malloc,
 * calloc, realloc, read, write and send (fault_hook.c, test_alloc_faults.c). The includer
 * defines
 *   static int fault_alloc_now(void);  1: this allocation fails (returns NULL)
 *   static int fault_io_now(int fd);   an errno: this read or write fails with it; 0: not
 * and may use fault_stream_errno() for the second. */
#ifndef ORA_FAULT_WRAPS_H
#define ORA_FAULT_WRAPS_H
#include <errno.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
ssize_t __real_read(int fd, void *buf, size_t n);
ssize_t __real_write(int fd, const void *buf, size_t n);
ssize_t __real_send(int fd, const void *buf, size_t n, int flags);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
ssize_t __wrap_read(int fd, void *buf, size_t n);
ssize_t __wrap_write(int fd, const void *buf, size_t n);
ssize_t __wrap_send(int fd, const void *buf, size_t n, int flags);

static int fault_alloc_now(void);
static int fault_io_now(int fd);

/* The errno a failed transfer on fd gets: a dialed line (a terminal) EIO, a TCP link or
 * another socket ECONNRESET; 0 for files, pipes and the streams' wake-up pipes, which
 * are never made to fail. */
static inline int fault_stream_errno(int fd) {
  if (isatty(fd))
    return EIO;
  struct stat st;
  return fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode) ? ECONNRESET : 0;
}

void *__wrap_malloc(size_t n) {
  return fault_alloc_now() ? NULL : __real_malloc(n);
}
void *__wrap_calloc(size_t n, size_t size) {
  return fault_alloc_now() ? NULL : __real_calloc(n, size);
}
void *__wrap_realloc(void *p, size_t n) {
  return fault_alloc_now() ? NULL : __real_realloc(p, n);
}

#define ORA_FAULT_IO(call)                                                                         \
  do {                                                                                             \
    int e_ = fault_io_now(fd);                                                                     \
    if (e_) {                                                                                      \
      errno = e_;                                                                                  \
      return -1;                                                                                   \
    }                                                                                              \
    return call;                                                                                   \
  } while (0)
ssize_t __wrap_read(int fd, void *buf, size_t n) {
  ORA_FAULT_IO(__real_read(fd, buf, n));
}
ssize_t __wrap_write(int fd, const void *buf, size_t n) {
  ORA_FAULT_IO(__real_write(fd, buf, n));
}
ssize_t __wrap_send(int fd, const void *buf, size_t n, int flags) {
  ORA_FAULT_IO(__real_send(fd, buf, n, flags));
}
#undef ORA_FAULT_IO
#endif
