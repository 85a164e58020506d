/* Tracing to the file named by ORA_TRACE (see trace.h). The file is opened once, in
 * append mode, so several processes can share it, and each line is flushed as it is
 * written, so a crash loses nothing. (It was opened for each line: under Wine that is
 * about a millisecond of wineserver calls per line, which showed in every timing the
 * trace was meant to measure.) */
#include "openras/base/trace.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "openras/os.h"

static const char *trace_path(void) {
  static int checked;
  static const char *path;
  if (!checked) {
    const char *p = getenv("ORA_TRACE");
    path = (p && *p) ? p : NULL;
    checked = 1;
  }
  return path;
}

int ora_trace_enabled(void) {
  return trace_path() != NULL;
}

void ora_trace(const char *fmt, ...) {
  const char *path = trace_path();
  if (!path)
    return;
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  static _Atomic(FILE *) shared;
  FILE *f = atomic_load(&shared);
  if (!f) {
    FILE *mine = fopen(path, "a");
    if (!mine)
      return;
    FILE *none = NULL;
    if (atomic_compare_exchange_strong(&shared, &none, mine))
      f = mine;
    else {
      fclose(mine); /* another thread opened it first */
      f = none;
    }
  }
  uint64_t now = ora_now_us();
  /* one fprintf per line: the stream's own lock keeps threads' lines whole */
  fprintf(f, "%llu.%06llu [%lx] %s\n", (unsigned long long)(now / 1000000),
          (unsigned long long)(now % 1000000), (unsigned long)ora_thread_self(), line);
  fflush(f);
}
