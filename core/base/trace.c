/* Tracing to the file named by ORA_TRACE (see trace.h). The file is opened for each
 * line in append mode, so several processes can share it and a crash loses nothing. */
#include "openras/base/trace.h"

#include <stdarg.h>
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
  FILE *f = fopen(path, "a");
  if (!f)
    return;
  fprintf(f, "%llu.%03llu [%lx] %s\n", (unsigned long long)(ora_now_ms() / 1000),
          (unsigned long long)(ora_now_ms() % 1000), (unsigned long)ora_thread_self(), line);
  fclose(f);
}
