/* Speed through the real DLL and manager under Wine: a zero-delay simulated dial to
 * Connected (synchronous RasDial), RasGetConnectStatus per call, and notification
 * delivery per state change (RasDialFunc1). Prints medians of repeated runs. */
#include <windows.h>
#include <ras.h>
#include <raserror.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench_stats.h"

static char g_pbk[MAX_PATH];

static void params_for(RASDIALPARAMSA *p, const char *entry) {
  memset(p, 0, sizeof *p);
  p->dwSize = sizeof *p;
  strcpy(p->szEntryName, entry);
}

#define MAX_EVENTS 64
static volatile LONG g_events;
static HANDLE g_done;
static double g_last_event_us;
static double g_event_at[MAX_EVENTS]; /* when each notification of the current dial came */
static VOID WINAPI on_event(HRASCONN h, UINT msg, RASCONNSTATE st, DWORD err, DWORD ext) {
  (void)h, (void)msg, (void)ext;
  LONG n = InterlockedIncrement(&g_events);
  g_last_event_us = now_us();
  if (n <= MAX_EVENTS)
    g_event_at[n - 1] = g_last_event_us;
  if (st == RASCS_Connected || err)
    SetEvent(g_done);
}

int main(int argc, char **argv) {
  int dials = argc > 1 ? atoi(argv[1]) : 200;
  int status_calls = argc > 2 ? atoi(argv[2]) : 5000;
  char dir[MAX_PATH];
  GetTempPathA(sizeof dir, dir);
  snprintf(g_pbk, sizeof g_pbk, "%sopenras-bench.pbk", dir);
  FILE *f = fopen(g_pbk, "w");
  if (!f)
    return 1;
  fputs("[Zero]\nORA_Link=sim\nORA_SimStepMs=0\n", f);
  fclose(f);

  RASDIALPARAMSA p;
  HRASCONN h = NULL;
  /* Warm-up: starts the manager and loads everything once. */
  params_for(&p, "Zero");
  if (RasDialA(NULL, g_pbk, &p, 0, NULL, &h) != 0)
    return 2;
  RasHangUpA(h);

  double *t = calloc((size_t)(dials > status_calls ? dials : status_calls), sizeof *t);
  for (int i = 0; i < dials; i++) {
    h = NULL;
    double t0 = now_us();
    DWORD rc = RasDialA(NULL, g_pbk, &p, 0, NULL, &h);
    t[i] = now_us() - t0;
    if (rc)
      return 3;
    RasHangUpA(h);
  }
  double dial_med = median(t, (size_t)dials);

  h = NULL;
  RasDialA(NULL, g_pbk, &p, 0, NULL, &h);
  RASCONNSTATUSA st;
  for (int i = 0; i < status_calls; i++) {
    memset(&st, 0, sizeof st);
    st.dwSize = sizeof st;
    double t0 = now_us();
    RasGetConnectStatusA(h, &st);
    t[i] = now_us() - t0;
  }
  double status_med = median(t, (size_t)status_calls);
  RasHangUpA(h);

  /* Notification delivery: an asynchronous dial's events. Per event: the whole dial
   * (RasDial to the last notification) over the number of notifications. Apart: the
   * first notification's delay (the dial's own setup: the request, the phone book,
   * the notifier thread) and the time from one notification to the next (one state
   * change: the acknowledgement, the engine's step, the next event). */
  g_done = CreateEventA(NULL, FALSE, FALSE, NULL);
  int async_runs = dials < 50 ? dials : 50;
  double *first = calloc((size_t)async_runs, sizeof *first);
  double *step = calloc((size_t)async_runs * MAX_EVENTS, sizeof *step);
  size_t nstep = 0;
  if (!first || !step)
    return 5;
  for (int i = 0; i < async_runs; i++) {
    h = NULL;
    g_events = 0;
    double t0 = now_us();
    if (RasDialA(NULL, g_pbk, &p, 1, (LPVOID)on_event, &h) != 0)
      return 4;
    WaitForSingleObject(g_done, 10000);
    t[i] = (g_last_event_us - t0) / (g_events ? g_events : 1);
    first[i] = g_events ? g_event_at[0] - t0 : 0;
    for (LONG k = 1; k < g_events && k < MAX_EVENTS; k++)
      step[nstep++] = g_event_at[k] - g_event_at[k - 1];
    RasHangUpA(h);
  }
  double event_med = median(t, (size_t)async_runs);
  double first_med = median(first, (size_t)async_runs);
  double step_med = nstep ? median(step, nstep) : 0;

  printf("| measure (under Wine, through the manager) | median | runs |\n|---|---|---|\n");
  printf("| simulated dial to Connected, zero delay (sync RasDial) | %.0f us | %d |\n", dial_med,
         dials);
  printf("| RasGetConnectStatusA per call | %.1f us | %d |\n", status_med, status_calls);
  printf("| notification per state change (RasDialFunc1, async dial) | %.0f us | %d dials |\n",
         event_med, async_runs);
  printf("| of which: RasDial to the first notification | %.0f us | %d dials |\n", first_med,
         async_runs);
  printf("| of which: one notification to the next | %.0f us | %zu state changes |\n", step_med,
         nstep);
  /* ORA_BENCH_TSV: also "name<TAB>value<TAB>unit<TAB>runs" lines for bench/run.sh. */
  if (getenv("ORA_BENCH_TSV")) {
    printf("wine_dial_us\t%.0f\tus\t%d\n", dial_med, dials);
    printf("wine_status_us\t%.2f\tus\t%d\n", status_med, status_calls);
    printf("wine_event_us\t%.0f\tus\t%d\n", event_med, async_runs);
    printf("wine_event_first_us\t%.0f\tus\t%d\n", first_med, async_runs);
    printf("wine_event_step_us\t%.0f\tus\t%zu\n", step_med, nstep);
  }
  DeleteFileA(g_pbk);
  return 0;
}
