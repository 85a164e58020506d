/* Many simultaneous connections held by one manager, under Wine through the real
 * DLL: for N = 1, 10, 100, 1000 (or the list given), dials N zero-delay simulated
 * connections with synchronous RasDialA, holds them, and hangs them all up. Reads
 * the manager's own resource use through the DLL's private export
 * OpenRasManagerDiag before, while holding and after: heap bytes per connection and
 * the manager's thread count, which must not grow with N, and the heap left once
 * every connection is hung up, which must be 0 (after a warm-up round: the handle
 * table keeps the slots it grew to).
 * Two phone-book layouts: "shared" (one phone book of N entries, as a user with
 * many entries has) and "own" (one single-entry phone book per connection, which
 * isolates the cost of a connection from that of the phone book it keeps).
 * Prints "name<TAB>value<TAB>unit<TAB>runs" lines for bench/run.sh.
 * Usage: bench_conns [N,N,...] [shared|own|both] */
#include <windows.h>
#include <ras.h>
#include <raserror.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench_stats.h"

typedef struct ora_diag { /* include/openras/proto.h */
  uint32_t threads, handles, clients, routes, connections;
  uint64_t heap_bytes;
} ora_diag;
typedef DWORD(WINAPI *diag_fn)(ora_diag *);
static diag_fn g_diag;

/* Diagnostics once the manager has finished tearing down (hang-ups are
 * asynchronous): waits up to 30 s for `connections` to reach want. */
static int diag_settled(ora_diag *d, uint32_t want) {
  for (int i = 0; i < 3000; i++) {
    if (g_diag(d) != 0)
      return -1;
    if (d->connections == want)
      return 0;
    Sleep(10);
  }
  return -1;
}

static char g_dir[MAX_PATH];

static void pbk_path(char *out, size_t cap, const char *tag, int i) {
  snprintf(out, cap, "%sopenras-conns-%lu-%s%d.pbk", g_dir, (unsigned long)GetCurrentProcessId(),
           tag, i);
}

static int write_pbk(const char *path, int first, int count) {
  FILE *f = fopen(path, "w");
  if (!f)
    return -1;
  for (int i = first; i < first + count; i++)
    fprintf(f, "[Zero%d]\nORA_Link=sim\nORA_SimStepMs=0\n", i);
  fclose(f);
  return 0;
}

/* Dials Zero0..Zero<n-1> synchronously into h[], each one's time into t[]; 0 or -1. */
static int dial_all(int n, int own, const char *tag, HRASCONN *h, double *t) {
  char path[MAX_PATH];
  for (int i = 0; i < n; i++) {
    RASDIALPARAMSA p;
    memset(&p, 0, sizeof p);
    p.dwSize = sizeof p;
    snprintf(p.szEntryName, sizeof p.szEntryName, "Zero%d", i);
    pbk_path(path, sizeof path, tag, own ? i : n);
    double t0 = now_us();
    DWORD rc = RasDialA(NULL, path, &p, 0, NULL, &h[i]);
    t[i] = now_us() - t0;
    if (rc) {
      fprintf(stderr, "bench_conns: dial %d of %d failed: %lu\n", i, n, (unsigned long)rc);
      return -1;
    }
  }
  return 0;
}

static int run(int n, int own) {
  const char *tag = own ? "own" : "shared";
  if (n <= 0 || n > 65535)
    return 10;
  char path[MAX_PATH];
  if (!own) {
    pbk_path(path, sizeof path, tag, n);
    if (write_pbk(path, 0, n))
      return 10;
  } else {
    for (int i = 0; i < n; i++) {
      pbk_path(path, sizeof path, tag, i);
      if (write_pbk(path, i, 1))
        return 10;
    }
  }
  HRASCONN *h = calloc((size_t)n, sizeof *h);
  double *t = calloc((size_t)n, sizeof *t);
  ora_diag d0, d1, d2;
  /* Warm-up: the manager's handle table grows to n slots on the first round and keeps
   * them (a slot's generation is what keeps an old handle invalid), so the baseline is
   * taken after one round; after that, hanging up must give every byte back. */
  if (dial_all(n, own, tag, h, t))
    return 12;
  for (int i = 0; i < n; i++) {
    RasHangUpA(h[i]);
    h[i] = NULL; /* RasDial with a handle in *lphRasConn would resume it */
  }
  if (diag_settled(&d0, 0))
    return 11;
  if (dial_all(n, own, tag, h, t))
    return 12;
  if (g_diag(&d1) != 0)
    return 13;
  for (int i = 0; i < n; i++)
    RasHangUpA(h[i]);
  int settled = diag_settled(&d2, 0);
  printf("wine_conns%d_%s_dial_us\t%.0f\tus\t%d\n", n, tag, median(t, (size_t)n), n);
  printf("wine_conns%d_%s_heap_per_conn\t%.0f\tbytes\t1\n", n, tag,
         ((double)d1.heap_bytes - (double)d0.heap_bytes) / n);
  printf("wine_conns%d_%s_connections\t%u\tconnections\t1\n", n, tag, (unsigned)d1.connections);
  printf("wine_conns%d_%s_threads_idle\t%u\tthreads\t1\n", n, tag, (unsigned)d0.threads);
  printf("wine_conns%d_%s_threads_held\t%u\tthreads\t1\n", n, tag, (unsigned)d1.threads);
  printf("wine_conns%d_%s_threads_after\t%u\tthreads\t1\n", n, tag, (unsigned)d2.threads);
  printf("wine_conns%d_%s_heap_left_after\t%.0f\tbytes\t1\n", n, tag,
         (double)d2.heap_bytes - (double)d0.heap_bytes);
  printf("wine_conns%d_%s_handles_per_conn\t%.2f\thandles\t1\n", n, tag,
         ((double)d1.handles - (double)d0.handles) / n);
  fflush(stdout);
  for (int i = 0; i < (own ? n : 1); i++) {
    pbk_path(path, sizeof path, tag, own ? i : n);
    DeleteFileA(path);
  }
  free(h);
  free(t);
  return settled ? 14 : 0;
}

int main(int argc, char **argv) {
  const char *list = argc > 1 ? argv[1] : "1,10,100,1000";
  const char *layout = argc > 2 ? argv[2] : "both";
  GetTempPathA(sizeof g_dir, g_dir);
  g_diag = (diag_fn)(void *)GetProcAddress(GetModuleHandleA("rasapi32.dll"), "OpenRasManagerDiag");
  if (!g_diag) {
    fprintf(stderr, "bench_conns: rasapi32.dll has no OpenRasManagerDiag (not OpenRAS?)\n");
    return 2;
  }
  /* Warm-up: starts the manager (it stays while this process is connected to it). */
  char path[MAX_PATH];
  pbk_path(path, sizeof path, "warm", 0);
  write_pbk(path, 0, 1);
  RASDIALPARAMSA p;
  memset(&p, 0, sizeof p);
  p.dwSize = sizeof p;
  strcpy(p.szEntryName, "Zero0");
  HRASCONN h = NULL;
  if (RasDialA(NULL, path, &p, 0, NULL, &h) != 0)
    return 3;
  RasHangUpA(h);
  DeleteFileA(path);
  for (const char *s = list; *s;) {
    int n = atoi(s);
    if (n > 0) {
      int rc = 0;
      if (strcmp(layout, "own") != 0)
        rc = run(n, 0);
      if (!rc && strcmp(layout, "shared") != 0)
        rc = run(n, 1);
      if (rc)
        return rc;
    }
    const char *c = strchr(s, ',');
    if (!c)
      break;
    s = c + 1;
  }
  return 0;
}
