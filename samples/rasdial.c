/* rasdial: a command-line dialer that works like the one Windows ships.
 *
 *   rasdial                                   lists the connections
 *   rasdial ENTRY [USER [PASSWORD|*]] [/DOMAIN:d] [/PHONE:n] [/CALLBACK:n]
 *           [/PHONEBOOK:file] [/PREFIXSUFFIX] [/VERBOSE]
 *                                             dials ENTRY and leaves it connected
 *   rasdial [ENTRY] /DISCONNECT [/PHONEBOOK:file]
 *                                             hangs up ENTRY, or the only connection
 *
 * The dial is asynchronous with a RasDialFunc2 notifier, so each step is printed as it
 * happens. The exit code is the RAS error code (0 on success). The connection lives in
 * the connection manager, so it stays up after this program exits, as on Windows. */
#include <windows.h>
#include <ras.h>
#include <raserror.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_USAGE ERROR_INVALID_PARAMETER

typedef struct {
  const char *entry, *user, *password, *domain, *phone, *callback, *phonebook;
  int disconnect, prefix_suffix, verbose, positional;
} options;

/* The dial in progress, shared with the notifier and the Ctrl+C handler. */
static struct {
  HANDLE done;            /* set on Connected, on an error, or on Ctrl+C */
  volatile HRASCONN conn; /* NULL until RasDial returned */
  volatile LONG error;    /* the dial's final error, 0 on Connected */
  volatile LONG finished; /* 1 once done was set for a final event */
  int verbose;
} g;

static void usage(void) {
  printf("Dials, lists and hangs up remote access connections (OpenRAS).\n\n"
         "RASDIAL                                  lists the connections\n"
         "RASDIAL entry [user [password|*]] [/DOMAIN:domain] [/PHONE:number]\n"
         "        [/CALLBACK:number] [/PHONEBOOK:file] [/PREFIXSUFFIX] [/VERBOSE]\n"
         "                                         dials entry\n"
         "RASDIAL [entry] /DISCONNECT [/PHONEBOOK:file]\n"
         "                                         hangs up entry (or the only connection)\n\n"
         "Without a user name the credentials saved with the entry are used; a password\n"
         "of * is asked for without echo. /VERBOSE also prints every connection state.\n"
         "The exit code is the remote access error code, 0 on success.\n");
}

/* "Remote Access error N - text", with the DLL's text for RAS codes (600-899) and the
 * system's for the others. */
static DWORD report(DWORD code) {
  char text[512];
  text[0] = 0;
  if (RasGetErrorStringA((UINT)code, text, sizeof text) != 0)
    FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code, 0, text,
                   sizeof text, NULL);
  size_t n = strlen(text);
  while (n && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
    text[--n] = 0;
  printf("Remote Access error %lu - %s\n", (unsigned long)code, n ? text : "(no description)");
  return code;
}

static const char *state_name(RASCONNSTATE s) {
  static const char *const running[] = {"OpenPort",
                                        "PortOpened",
                                        "ConnectDevice",
                                        "DeviceConnected",
                                        "AllDevicesConnected",
                                        "Authenticate",
                                        "AuthNotify",
                                        "AuthRetry",
                                        "AuthCallback",
                                        "AuthChangePassword",
                                        "AuthProject",
                                        "AuthLinkSpeed",
                                        "AuthAck",
                                        "ReAuthenticate",
                                        "Authenticated",
                                        "PrepareForCallback",
                                        "WaitForModemReset",
                                        "WaitForCallback",
                                        "Projected",
                                        "StartAuthentication",
                                        "CallbackComplete",
                                        "LogonNetwork",
                                        "SubEntryConnected",
                                        "SubEntryDisconnected",
                                        "ApplySettings"};
  static const char *const paused[] = {"Interactive", "RetryAuthentication", "CallbackSetByCaller",
                                       "PasswordExpired", "InvokeEapUI"};
  unsigned v = (unsigned)s;
  if (v < sizeof running / sizeof running[0])
    return running[v];
  if (v >= RASCS_PAUSED && v - RASCS_PAUSED < sizeof paused / sizeof paused[0])
    return paused[v - RASCS_PAUSED];
  if (v == RASCS_Connected)
    return "Connected";
  if (v == RASCS_Disconnected)
    return "Disconnected";
  return "unknown state";
}

/* ---- the notifier ---- */

static void finish(DWORD error) {
  InterlockedExchange(&g.error, (LONG)error);
  InterlockedExchange(&g.finished, 1);
  SetEvent(g.done);
}

/* Runs on a thread of the DLL for each state; the dial waits until it returns, so it
 * only prints and records. Returning 0 would stop further notifications. */
static DWORD WINAPI on_event(ULONG_PTR id, DWORD subentry, HRASCONN conn, UINT msg,
                             RASCONNSTATE state, DWORD error, DWORD ext_error) {
  (void)id;
  (void)subentry;
  (void)conn;
  (void)msg;
  (void)ext_error;
  if (g.verbose)
    printf("  state: %s%s\n", state_name(state), error ? " (failed)" : "");
  if (error) {
    finish(error);
    return 0;
  }
  switch (state) {
  case RASCS_Authenticate:
    printf("Verifying username and password...\n");
    break;
  case RASCS_WaitForCallback:
    printf("Waiting for the server to call back...\n");
    break;
  case RASCS_AuthProject:
    printf("Registering your computer on the network...\n");
    break;
  case RASCS_Connected:
    finish(0);
    return 0;
  default:
    break;
  }
  return 1;
}

/* Ctrl+C and Ctrl+Break during a dial: hang it up rather than leave it half-made. */
static BOOL WINAPI on_ctrl(DWORD type) {
  (void)type;
  if (!g.finished) {
    HRASCONN h = g.conn;
    if (h)
      RasHangUpA(h);
    finish(ERROR_USER_DISCONNECTION);
    return TRUE;
  }
  return FALSE;
}

/* ---- arguments ---- */

/* /NAME or /NAME:value, case-insensitive: 1 and *value (NULL without ':'), or 0. */
static int is_switch(const char *arg, const char *name, const char **value) {
  size_t n = strlen(name);
  if (arg[0] != '/' || _strnicmp(arg + 1, name, n) != 0)
    return 0;
  if (arg[1 + n] == 0) {
    *value = NULL;
    return 1;
  }
  if (arg[1 + n] == ':') {
    *value = arg + 2 + n;
    return 1;
  }
  return 0;
}

/* A switch that needs a non-empty value of at most max characters. */
static int take_value(const char *arg, const char *name, const char *v, size_t max,
                      const char **out) {
  if (!v || !*v) {
    printf("%s needs a value: /%s:value\n", arg, name);
    return 0;
  }
  if (strlen(v) > max) {
    printf("The value of /%s is longer than %u characters.\n", name, (unsigned)max);
    return 0;
  }
  *out = v;
  return 1;
}

static int check_len(const char *what, const char *s, size_t max) {
  if (strlen(s) <= max)
    return 1;
  printf("The %s is longer than %u characters.\n", what, (unsigned)max);
  return 0;
}

/* 0 when the arguments make sense, else an exit code (after the message). */
static DWORD parse(int argc, char **argv, options *o) {
  memset(o, 0, sizeof *o);
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v;
    if (strcmp(a, "/?") == 0 || _stricmp(a, "/help") == 0) {
      usage();
      exit(0);
    }
    if (a[0] != '/') {
      const char **slot[] = {&o->entry, &o->user, &o->password};
      if (o->positional >= 3) {
        printf("Too many arguments: %s\n", a);
        return EXIT_USAGE;
      }
      *slot[o->positional++] = a;
      continue;
    }
    if (is_switch(a, "DISCONNECT", &v) && !v)
      o->disconnect = 1;
    else if (is_switch(a, "PREFIXSUFFIX", &v) && !v)
      o->prefix_suffix = 1;
    else if (is_switch(a, "VERBOSE", &v) && !v)
      o->verbose = 1;
    else if (is_switch(a, "DOMAIN", &v)) {
      if (!take_value(a, "DOMAIN", v, DNLEN, &o->domain))
        return EXIT_USAGE;
    } else if (is_switch(a, "PHONE", &v)) {
      if (!take_value(a, "PHONE", v, RAS_MaxPhoneNumber, &o->phone))
        return EXIT_USAGE;
    } else if (is_switch(a, "CALLBACK", &v)) {
      if (!take_value(a, "CALLBACK", v, RAS_MaxCallbackNumber, &o->callback))
        return EXIT_USAGE;
    } else if (is_switch(a, "PHONEBOOK", &v)) {
      if (!take_value(a, "PHONEBOOK", v, MAX_PATH - 1, &o->phonebook))
        return EXIT_USAGE;
    } else {
      printf("Unknown switch: %s (RASDIAL /? lists them)\n", a);
      return EXIT_USAGE;
    }
  }
  if ((o->entry && !check_len("entry name", o->entry, RAS_MaxEntryName)) ||
      (o->user && !check_len("user name", o->user, UNLEN)) ||
      (o->password && !check_len("password", o->password, PWLEN)))
    return EXIT_USAGE;
  if (o->disconnect && o->positional > 1) {
    printf("/DISCONNECT takes an entry name only.\n");
    return EXIT_USAGE;
  }
  if (!o->entry && !o->disconnect &&
      (o->domain || o->phone || o->callback || o->prefix_suffix || o->phonebook)) {
    printf("Name the entry to dial.\n");
    return EXIT_USAGE;
  }
  return 0;
}

/* The connection manager resolves phone-book paths itself, in another folder: make a
 * relative path absolute here. */
static DWORD full_phonebook(options *o, char *buf, DWORD cap) {
  if (!o->phonebook)
    return 0;
  DWORD n = GetFullPathNameA(o->phonebook, cap, buf, NULL);
  if (n == 0 || n >= cap) {
    printf("The phone-book path is not usable: %s\n", o->phonebook);
    return EXIT_USAGE;
  }
  o->phonebook = buf;
  return 0;
}

/* ---- listing and hanging up ---- */

/* The connections (malloc'd array, *count entries); 0 or a RAS error. */
static DWORD connections(RASCONNA **out, DWORD *count) {
  DWORD cb = sizeof(RASCONNA), rc;
  RASCONNA *list = NULL;
  for (int tries = 0; tries < 8; tries++) {
    RASCONNA *bigger = realloc(list, cb);
    if (!bigger) {
      free(list);
      return ERROR_NOT_ENOUGH_MEMORY;
    }
    list = bigger;
    memset(list, 0, cb);
    list[0].dwSize = sizeof(RASCONNA);
    *count = 0;
    rc = RasEnumConnectionsA(list, &cb, count);
    if (rc != ERROR_BUFFER_TOO_SMALL)
      break; /* too small: cb now holds the size needed; a new connection may grow it again */
  }
  if (rc != 0) {
    free(list);
    return rc;
  }
  *out = list;
  return 0;
}

static DWORD list_connections(void) {
  RASCONNA *list;
  DWORD n, rc = connections(&list, &n);
  if (rc)
    return report(rc);
  if (n == 0) {
    printf("No connections\n");
  } else {
    printf("Connected to\n");
    for (DWORD i = 0; i < n; i++)
      printf("%s\n", list[i].szEntryName);
  }
  free(list);
  printf("Command completed successfully.\n");
  return 0;
}

/* Hangs up and waits (at most 10 s) until the connection is gone, as the documentation
 * asks: RasGetConnectStatus answers ERROR_INVALID_HANDLE once it is. Each RasDial of
 * an entry already connected took a reference of its own; every_reference drops those
 * too, so that /DISCONNECT ends the connection whoever else dialed it. */
static DWORD hang_up(HRASCONN h, int every_reference) {
  DWORD rc = RasHangUpA(h);
  if (rc != 0 && rc != ERROR_NO_CONNECTION)
    return rc;
  for (int i = 0; i < 200; i++) {
    RASCONNSTATUSA st;
    st.dwSize = sizeof st;
    if (RasGetConnectStatusA(h, &st) == ERROR_INVALID_HANDLE)
      return 0;
    if (every_reference && RasHangUpA(h) == 0)
      continue;
    Sleep(50);
  }
  printf("The connection is still closing.\n");
  return 0;
}

static DWORD disconnect(const options *o) {
  RASCONNA *list;
  DWORD n, rc = connections(&list, &n);
  if (rc)
    return report(rc);
  HRASCONN target = NULL;
  int matches = 0;
  for (DWORD i = 0; i < n; i++) {
    if (o->entry && lstrcmpiA(list[i].szEntryName, o->entry) != 0)
      continue;
    if (o->phonebook && lstrcmpiA(list[i].szPhonebook, o->phonebook) != 0)
      continue;
    target = list[i].hrasconn;
    matches++;
  }
  if (matches > 1 && !o->entry) {
    printf("Several connections are up; name the one to hang up:\n");
    for (DWORD i = 0; i < n; i++)
      printf("  %s\n", list[i].szEntryName);
    free(list);
    return EXIT_USAGE;
  }
  free(list);
  if (!target) {
    if (o->entry)
      printf("You are not connected to %s.\n", o->entry);
    else
      printf("No connections\n");
    return report(ERROR_NO_CONNECTION);
  }
  rc = hang_up(target, 1);
  if (rc)
    return report(rc);
  printf("Command completed successfully.\n");
  return 0;
}

/* ---- dialing ---- */

/* Reads a password without echo from the console, or a line when input is redirected. */
static int read_password(const char *user, const char *entry, char *out, size_t cap) {
  HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
  DWORD mode;
  int console = in != INVALID_HANDLE_VALUE && in && GetConsoleMode(in, &mode);
  printf("Enter the password for %s to connect to %s: ", user, entry);
  fflush(stdout);
  if (console)
    SetConsoleMode(in, (mode & ~(DWORD)ENABLE_ECHO_INPUT) | ENABLE_LINE_INPUT);
  int ok = fgets(out, (int)cap, stdin) != NULL;
  if (console) {
    SetConsoleMode(in, mode);
    printf("\n");
  }
  size_t n = ok ? strlen(out) : 0;
  if (ok && n == cap - 1 && out[n - 1] != '\n') {
    printf("The password is longer than %u characters.\n", (unsigned)(cap - 2));
    ok = 0;
  }
  while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
    out[--n] = 0;
  if (!console)
    printf("\n");
  return ok;
}

static void copy(char *dst, size_t cap, const char *src) {
  if (src)
    snprintf(dst, cap, "%s", src);
}

static void print_addresses(HRASCONN h) {
  RASPPPIPA ip;
  memset(&ip, 0, sizeof ip);
  ip.dwSize = sizeof ip;
  DWORD cb = sizeof ip;
  if (RasGetProjectionInfoA(h, RASP_PppIp, &ip, &cb) != 0 || ip.dwError != 0)
    return;
  printf("IP address: %s\n", ip.szIpAddress);
  if (ip.szServerIpAddress[0])
    printf("Server IP address: %s\n", ip.szServerIpAddress);
}

/* 1 if ENTRY (of that phone book, when one was named) is connected already. */
static int connected_already(const options *o) {
  RASCONNA *list;
  DWORD n;
  int found = 0;
  if (connections(&list, &n) != 0)
    return 0; /* RasDial will say what is wrong */
  for (DWORD i = 0; i < n && !found; i++)
    found = lstrcmpiA(list[i].szEntryName, o->entry) == 0 &&
            (!o->phonebook || lstrcmpiA(list[i].szPhonebook, o->phonebook) == 0);
  free(list);
  return found;
}

static DWORD dial(const options *o) {
  /* Windows' rasdial does not dial an entry twice (RasDial would only add a reference
   * that nobody hangs up). */
  if (connected_already(o)) {
    printf("You are already connected to %s.\n", o->entry);
    printf("Command completed successfully.\n");
    return 0;
  }
  RASDIALPARAMSA p;
  memset(&p, 0, sizeof p);
  p.dwSize = sizeof p;
  copy(p.szEntryName, sizeof p.szEntryName, o->entry);

  /* No user name: the credentials saved with the entry (RasSetEntryDialParams). */
  BOOL has_password = FALSE;
  RASDIALPARAMSA saved;
  memset(&saved, 0, sizeof saved);
  saved.dwSize = sizeof saved;
  copy(saved.szEntryName, sizeof saved.szEntryName, o->entry);
  DWORD rc = RasGetEntryDialParamsA(o->phonebook, &saved, &has_password);
  if (rc == ERROR_CANNOT_FIND_PHONEBOOK_ENTRY || rc == ERROR_CANNOT_OPEN_PHONEBOOK)
    return report(rc); /* say so before "Connecting to" */
  if (rc == 0 && !o->user) {
    copy(p.szUserName, sizeof p.szUserName, saved.szUserName);
    copy(p.szPassword, sizeof p.szPassword, saved.szPassword);
    copy(p.szDomain, sizeof p.szDomain, saved.szDomain);
  }
  if (o->user) {
    copy(p.szUserName, sizeof p.szUserName, o->user);
    if (o->password && strcmp(o->password, "*") == 0) {
      char pw[PWLEN + 2];
      if (!read_password(o->user, o->entry, pw, sizeof pw)) {
        SecureZeroMemory(pw, sizeof pw);
        SecureZeroMemory(&saved, sizeof saved);
        return EXIT_USAGE;
      }
      copy(p.szPassword, sizeof p.szPassword, pw);
      SecureZeroMemory(pw, sizeof pw);
    } else if (o->password) {
      copy(p.szPassword, sizeof p.szPassword, o->password);
    } else if (rc == 0 && has_password && lstrcmpiA(saved.szUserName, o->user) == 0) {
      copy(p.szPassword, sizeof p.szPassword, saved.szPassword);
    }
  }
  SecureZeroMemory(&saved, sizeof saved);
  copy(p.szDomain, sizeof p.szDomain, o->domain);
  copy(p.szPhoneNumber, sizeof p.szPhoneNumber, o->phone);
  copy(p.szCallbackNumber, sizeof p.szCallbackNumber, o->callback);

  RASDIALEXTENSIONS ext;
  memset(&ext, 0, sizeof ext);
  ext.dwSize = sizeof ext;
  ext.dwfOptions = o->prefix_suffix ? RDEOPT_UsePrefixSuffix : 0;

  g.done = CreateEventA(NULL, TRUE, FALSE, NULL);
  g.verbose = o->verbose;
  SetConsoleCtrlHandler(on_ctrl, TRUE);
  printf("Connecting to %s...\n", o->entry);
  HRASCONN h = NULL;
  rc = RasDialA(&ext, o->phonebook, &p, 2, (LPVOID)on_event, &h);
  SecureZeroMemory(&p, sizeof p);
  g.conn = h;
  if (rc == 0) {
    /* The notifier reports the end; the status covers a dial whose notifications
     * stopped without one (a manager that went away). */
    while (WaitForSingleObject(g.done, 1000) == WAIT_TIMEOUT) {
      RASCONNSTATUSA st;
      memset(&st, 0, sizeof st);
      st.dwSize = sizeof st;
      DWORD s = RasGetConnectStatusA(h, &st);
      if (s != 0 || st.dwError != 0 || st.rasconnstate == RASCS_Connected) {
        Sleep(200); /* let a notification in flight land first */
        if (!g.finished)
          finish(s ? s : st.dwError);
        break;
      }
    }
    rc = (DWORD)g.error;
  } else {
    InterlockedExchange(&g.finished, 1);
  }
  if (rc != 0) {
    /* Every handle RasDial gave out must be hung up, failed dials too. */
    if (h)
      hang_up(h, 0);
    return report(rc);
  }
  printf("Successfully connected to %s.\n", o->entry);
  print_addresses(h);
  printf("Command completed successfully.\n");
  return 0;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0); /* states appear as they happen, also through a pipe */
  options o;
  DWORD rc = parse(argc, argv, &o);
  if (rc)
    return (int)rc;
  char pbk[MAX_PATH];
  if ((rc = full_phonebook(&o, pbk, sizeof pbk)) != 0)
    return (int)rc;
  if (o.disconnect)
    return (int)disconnect(&o);
  if (!o.entry)
    return (int)list_connections();
  return (int)dial(&o);
}
