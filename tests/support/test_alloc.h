/* Included ahead of every native test's own sources (-include, tests/native/CMakeLists.txt):
 * the test's allocations, reads and writes go straight to the C library, past the fault
 * hook (fault_hook.c), so a sweep fails only those of the code under test. */
#ifndef ORA_TEST_ALLOC_H
#define ORA_TEST_ALLOC_H
/* No header here: it comes before the source's own feature macros (_GNU_SOURCE). */
void *__real_malloc(__SIZE_TYPE__ n);
void *__real_calloc(__SIZE_TYPE__ n, __SIZE_TYPE__ size);
void *__real_realloc(void *p, __SIZE_TYPE__ n);
#define malloc(n) __real_malloc(n)
#define calloc(n, size) __real_calloc(n, size)
#define realloc(p, n) __real_realloc(p, n)
/* ssize_t is ptrdiff_t's type wherever glibc runs */
__PTRDIFF_TYPE__ __real_read(int fd, void *buf, __SIZE_TYPE__ n);
__PTRDIFF_TYPE__ __real_write(int fd, const void *buf, __SIZE_TYPE__ n);
__PTRDIFF_TYPE__ __real_send(int fd, const void *buf, __SIZE_TYPE__ n, int flags);
#define read(fd, buf, n) __real_read(fd, buf, n)
#define write(fd, buf, n) __real_write(fd, buf, n)
#define send(fd, buf, n, flags) __real_send(fd, buf, n, flags)
#endif
