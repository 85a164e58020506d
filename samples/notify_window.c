/* notify_window: an asynchronous RasDial that reports to a window (notifier type
 * 0xFFFFFFFF). The window is message-only (HWND_MESSAGE), so no display is needed.
 * The message is RegisterWindowMessage(RASDIALEVENT), or WM_RASDIALEVENT if that
 * fails; wParam is the state, lParam the error. The DLL sends it, so the thread that
 * owns the window must pump messages while the dial runs.
 *
 *   notify_window ENTRY [PHONEBOOK]   dials, reports each state, hangs up;
 *                                     the exit code is the RAS error code */
#include <windows.h>
#include <ras.h>
#include <raserror.h>

#include <stdio.h>
#include <string.h>

static UINT g_msg;
static DWORD g_error;

static LRESULT CALLBACK wndproc(HWND w, UINT msg, WPARAM wp, LPARAM lp) {
  if (msg == g_msg) {
    RASCONNSTATE state = (RASCONNSTATE)wp;
    DWORD error = (DWORD)lp;
    printf("state %#x, error %lu\n", (unsigned)state, (unsigned long)error);
    if (error || state == RASCS_Connected) {
      g_error = error;
      PostQuitMessage(0);
    }
    return 0;
  }
  return DefWindowProcA(w, msg, wp, lp);
}

int main(int argc, char **argv) {
  if (argc < 2 || strlen(argv[1]) > RAS_MaxEntryName) {
    printf("usage: notify_window ENTRY [PHONEBOOK]\n");
    return ERROR_INVALID_PARAMETER;
  }
  setvbuf(stdout, NULL, _IONBF, 0);
  g_msg = RegisterWindowMessageA(RASDIALEVENT);
  if (!g_msg)
    g_msg = WM_RASDIALEVENT;
  WNDCLASSA wc;
  memset(&wc, 0, sizeof wc);
  wc.lpfnWndProc = wndproc;
  wc.hInstance = GetModuleHandleA(NULL);
  wc.lpszClassName = "notify_window";
  RegisterClassA(&wc);
  HWND w =
      CreateWindowA("notify_window", "", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, wc.hInstance, NULL);
  if (!w)
    return (int)GetLastError();

  RASDIALPARAMSA p;
  memset(&p, 0, sizeof p);
  p.dwSize = sizeof p;
  strcpy(p.szEntryName, argv[1]);
  HRASCONN h = NULL;
  DWORD rc = RasDialA(NULL, argc > 2 ? argv[2] : NULL, &p, 0xFFFFFFFF, (LPVOID)w, &h);
  if (rc == 0) {
    MSG m;
    while (GetMessageA(&m, NULL, 0, 0) > 0)
      DispatchMessageA(&m);
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
  DestroyWindow(w);
  return (int)rc;
}
