/* notify_func: an asynchronous RasDial with a RasDialFunc notifier (type 0), the
 * oldest kind. It gets no connection handle, so the handle RasDial stored is used;
 * notifications never arrive before RasDial has returned it.
 *
 *   notify_func ENTRY [PHONEBOOK]   dials, reports each state, hangs up;
 *                                   the exit code is the RAS error code */
#include <windows.h>
#include <ras.h>
#include <raserror.h>

#include <stdio.h>
#include <string.h>

static HANDLE g_done;
static volatile DWORD g_error;

/* Runs on a thread of the DLL; the dial waits until it returns. */
static VOID WINAPI on_event(UINT msg, RASCONNSTATE state, DWORD error) {
  (void)msg;
  printf("state %#x, error %lu\n", (unsigned)state, (unsigned long)error);
  if (error || state == RASCS_Connected) {
    g_error = error;
    SetEvent(g_done);
  }
}

int main(int argc, char **argv) {
  if (argc < 2 || strlen(argv[1]) > RAS_MaxEntryName) {
    printf("usage: notify_func ENTRY [PHONEBOOK]\n");
    return ERROR_INVALID_PARAMETER;
  }
  setvbuf(stdout, NULL, _IONBF, 0);
  RASDIALPARAMSA p;
  memset(&p, 0, sizeof p);
  p.dwSize = sizeof p;
  strcpy(p.szEntryName, argv[1]);
  g_done = CreateEventA(NULL, TRUE, FALSE, NULL);
  HRASCONN h = NULL;
  DWORD rc = RasDialA(NULL, argc > 2 ? argv[2] : NULL, &p, 0, (LPVOID)on_event, &h);
  if (rc == 0) {
    WaitForSingleObject(g_done, INFINITE);
    rc = g_error;
  }
  printf(rc ? "failed: %lu\n" : "Connected\n", (unsigned long)rc);
  if (h) { /* a handle RasDial gave out must be hung up, after a failure too */
    RasHangUpA(h);
    RASCONNSTATUSA st;
    st.dwSize = sizeof st;
    for (int i = 0; i < 200 && RasGetConnectStatusA(h, &st) != ERROR_INVALID_HANDLE; i++)
      Sleep(50); /* the documented wait for the teardown, bounded */
  }
  return (int)rc;
}
