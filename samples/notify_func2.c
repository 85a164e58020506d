/* notify_func2: an asynchronous RasDial with a RasDialFunc2 notifier (type 2). It
 * gets RASDIALPARAMS.dwCallbackId back (here a pointer to the program's own state)
 * and returns nonzero to go on being notified, 0 to stop.
 *
 *   notify_func2 ENTRY [PHONEBOOK]   dials, reports each state, hangs up;
 *                                    the exit code is the RAS error code */
#include <windows.h>
#include <ras.h>
#include <raserror.h>

#include <stdio.h>
#include <string.h>

typedef struct {
  HANDLE done;
  volatile DWORD error;
} dial_state;

/* Runs on a thread of the DLL; the dial waits until it returns. */
static DWORD WINAPI on_event(ULONG_PTR id, DWORD subentry, HRASCONN h, UINT msg, RASCONNSTATE state,
                             DWORD error, DWORD ext_error) {
  dial_state *d = (dial_state *)id;
  (void)h;
  (void)msg;
  printf("state %#x, error %lu (%lu), subentry %lu\n", (unsigned)state, (unsigned long)error,
         (unsigned long)ext_error, (unsigned long)subentry);
  if (error || state == RASCS_Connected) {
    d->error = error;
    SetEvent(d->done);
    return 0; /* nothing more to hear */
  }
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 2 || strlen(argv[1]) > RAS_MaxEntryName) {
    printf("usage: notify_func2 ENTRY [PHONEBOOK]\n");
    return ERROR_INVALID_PARAMETER;
  }
  setvbuf(stdout, NULL, _IONBF, 0);
  dial_state d = {CreateEventA(NULL, TRUE, FALSE, NULL), 0};
  RASDIALPARAMSA p;
  memset(&p, 0, sizeof p);
  p.dwSize = sizeof p;
  strcpy(p.szEntryName, argv[1]);
  p.dwCallbackId = (ULONG_PTR)&d;
  HRASCONN h = NULL;
  DWORD rc = RasDialA(NULL, argc > 2 ? argv[2] : NULL, &p, 2, (LPVOID)on_event, &h);
  if (rc == 0) {
    WaitForSingleObject(d.done, INFINITE);
    rc = d.error;
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
