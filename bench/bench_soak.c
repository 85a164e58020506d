/* Soak: many simulated dial/hang-up cycles through the manager under Wine, from
 * several client processes at once, with the manager's resource use (heap bytes,
 * threads, handles, connections, clients, routes; OpenRasManagerDiag) read before
 * and after. The parent starts the children (this program with "child"), waits,
 * then lets the manager settle and compares. Exit status 0 only when every cycle
 * succeeded and nothing is left over: no connection, route or extra client, the
 * same thread count, and less than 1 MiB of heap growth.
 * Prints "name<TAB>value<TAB>unit<TAB>runs" lines for bench/run.sh.
 * Usage: bench_soak [total_cycles=100000] [processes=4] */
#include <windows.h>
#include <ras.h>
#include <raserror.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ora_diag { /* include/openras/proto.h */
  uint32_t threads, handles, clients, routes, connections;
  uint64_t heap_bytes;
} ora_diag;
typedef DWORD(WINAPI *diag_fn)(ora_diag *);

#define MAX_PROCS 16

static void pbk_for(char *out, size_t cap, DWORD parent) {
  char dir[MAX_PATH];
  GetTempPathA(sizeof dir, dir);
  snprintf(out, cap, "%sopenras-soak-%lu.pbk", dir, (unsigned long)parent);
}

/* A child: `cycles` dial/hang-up cycles of its own entry; exit code = failures
 * (capped), 255 when it could not start. */
static int child(int cycles, int index, DWORD parent) {
  char pbk[MAX_PATH];
  pbk_for(pbk, sizeof pbk, parent);
  RASDIALPARAMSA p;
  memset(&p, 0, sizeof p);
  p.dwSize = sizeof p;
  snprintf(p.szEntryName, sizeof p.szEntryName, "Soak%d", index);
  int failures = 0;
  for (int i = 0; i < cycles; i++) {
    HRASCONN h = NULL;
    DWORD rc = RasDialA(NULL, pbk, &p, 0, NULL, &h);
    if (rc) {
      if (failures < 5)
        fprintf(stderr, "bench_soak: child %d cycle %d: RasDialA %lu\n", index, i,
                (unsigned long)rc);
      failures++;
    }
    if (h && RasHangUpA(h) != 0)
      failures++;
  }
  return failures > 254 ? 254 : failures;
}

/* Waits (up to 30 s) until the manager is back to no connection and no route, at
 * most `clients` clients and, when threads is nonzero, at most that many threads
 * (the threads of clients that went away take a moment to leave). */
static int settle(diag_fn diag, ora_diag *d, uint32_t clients, uint32_t threads) {
  for (int i = 0; i < 3000; i++) {
    if (diag(d) != 0)
      return -1;
    if (d->connections == 0 && d->routes == 0 && d->clients <= clients &&
        (!threads || d->threads <= threads))
      return 0;
    Sleep(10);
  }
  return -1;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "child") == 0 && argc == 5)
    return child(atoi(argv[2]), atoi(argv[3]), (DWORD)strtoul(argv[4], NULL, 10));
  int total = argc > 1 ? atoi(argv[1]) : 100000;
  int procs = argc > 2 ? atoi(argv[2]) : 4;
  if (procs < 1 || procs > MAX_PROCS || total < procs)
    return 2;
  diag_fn diag =
      (diag_fn)(void *)GetProcAddress(GetModuleHandleA("rasapi32.dll"), "OpenRasManagerDiag");
  if (!diag)
    return 2;
  DWORD self = GetCurrentProcessId();
  char pbk[MAX_PATH];
  pbk_for(pbk, sizeof pbk, self);
  FILE *f = fopen(pbk, "w");
  if (!f)
    return 3;
  for (int i = 0; i < procs; i++)
    fprintf(f, "[Soak%d]\nORA_Link=sim\nORA_SimStepMs=0\n", i);
  fclose(f);

  /* Warm-up: start the manager and let every lazy allocation happen once. */
  RASDIALPARAMSA p;
  memset(&p, 0, sizeof p);
  p.dwSize = sizeof p;
  strcpy(p.szEntryName, "Soak0");
  for (int i = 0; i < 100; i++) {
    HRASCONN h = NULL;
    if (RasDialA(NULL, pbk, &p, 0, NULL, &h) != 0)
      return 4;
    RasHangUpA(h);
  }
  ora_diag d0, d1;
  if (settle(diag, &d0, 1, 0))
    return 5;

  char exe[MAX_PATH];
  GetModuleFileNameA(NULL, exe, sizeof exe);
  PROCESS_INFORMATION pi[MAX_PROCS];
  int per = total / procs;
  LARGE_INTEGER f0, c0, c1;
  QueryPerformanceFrequency(&f0);
  QueryPerformanceCounter(&c0);
  for (int i = 0; i < procs; i++) {
    char cmd[2 * MAX_PATH];
    snprintf(cmd, sizeof cmd, "\"%s\" child %d %d %lu", exe, per + (i < total % procs), i,
             (unsigned long)self);
    STARTUPINFOA si;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    if (!CreateProcessA(exe, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi[i]))
      return 6;
  }
  int failures = 0;
  for (int i = 0; i < procs; i++) {
    DWORD code = 255;
    WaitForSingleObject(pi[i].hProcess, INFINITE);
    GetExitCodeProcess(pi[i].hProcess, &code);
    failures += (int)code;
    CloseHandle(pi[i].hProcess);
    CloseHandle(pi[i].hThread);
  }
  QueryPerformanceCounter(&c1);
  double secs = (double)(c1.QuadPart - c0.QuadPart) / (double)f0.QuadPart;
  int settled = settle(diag, &d1, 1, d0.threads);
  DeleteFileA(pbk);

  printf("soak_cycles\t%d\tcycles\t1\n", total);
  printf("soak_processes\t%d\tprocesses\t1\n", procs);
  printf("soak_failures\t%d\tcycles\t1\n", failures);
  printf("soak_seconds\t%.1f\ts\t1\n", secs);
  printf("soak_cycle_us\t%.0f\tus\t1\n", secs * 1e6 / total);
  printf("soak_heap_before\t%llu\tbytes\t1\n", (unsigned long long)d0.heap_bytes);
  printf("soak_heap_after\t%llu\tbytes\t1\n", (unsigned long long)d1.heap_bytes);
  printf("soak_threads_before\t%u\tthreads\t1\n", (unsigned)d0.threads);
  printf("soak_threads_after\t%u\tthreads\t1\n", (unsigned)d1.threads);
  printf("soak_handles_before\t%u\thandles\t1\n", (unsigned)d0.handles);
  printf("soak_handles_after\t%u\thandles\t1\n", (unsigned)d1.handles);
  printf("soak_connections_after\t%u\tconnections\t1\n", (unsigned)d1.connections);
  printf("soak_clients_after\t%u\tclients\t1\n", (unsigned)d1.clients);
  printf("soak_routes_after\t%u\troutes\t1\n", (unsigned)d1.routes);
  int leak = settled || d1.threads != d0.threads || d1.heap_bytes > d0.heap_bytes + 1024 * 1024 ||
             d1.handles > d0.handles + 16;
  return failures ? 7 : leak ? 8 : 0;
}
