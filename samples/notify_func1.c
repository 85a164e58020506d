/* notify_func1: an asynchronous RasDial with a RasDialFunc1 notifier (type 1), which
 * also gets the connection handle and an extended error.
 *
 *   notify_func1 ENTRY [PHONEBOOK]   dials, reports each state, hangs up;
 *                                    the exit code is the RAS error code */
#include <windows.h>
#include <ras.h>
#include <raserror.h>

#include <stdio.h>
#include <string.h>

static HANDLE g_done;
static volatile DWORD g_error;

/* Runs on a thread of the DLL; the dial waits until it returns. */
static VOID WINAPI on_event(HRASCONN h, UINT msg, RASCONNSTATE state, DWORD error,
                            DWORD ext_error) {
  (void)msg;
  printf("state %#x, error %lu (%lu)\n", (unsigned)state, (unsigned long)error,
         (unsigned long)ext_error);
  if (state == RASCS_Connected) {
    /* The handle is usable here: the notifier may read the status. */
    RASCONNSTATUSA st;
    st.dwSize = sizeof st;
    if (RasGetConnectStatusA(h, &st) == 0)
      printf("device %s (%s)\n", st.szDeviceName, st.szDeviceType);
  }
  if (error || state == RASCS_Connected) {
    g_error = error;
    SetEvent(g_done);
  }
}

int main(int argc, char **argv) {
  if (argc < 2 || strlen(argv[1]) > RAS_MaxEntryName) {
    printf("usage: notify_func1 ENTRY [PHONEBOOK]\n");
    return ERROR_INVALID_PARAMETER;
  }
  setvbuf(stdout, NULL, _IONBF, 0);
  RASDIALPARAMSA p;
  memset(&p, 0, sizeof p);
  p.dwSize = sizeof p;
  strcpy(p.szEntryName, argv[1]);
  g_done = CreateEventA(NULL, TRUE, FALSE, NULL);
  HRASCONN h = NULL;
  DWORD rc = RasDialA(NULL, argc > 2 ? argv[2] : NULL, &p, 1, (LPVOID)on_event, &h);
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
