/* RasDialA/W, RasHangUpA/W, RasGetConnectStatusA/W: argument and size checks, A/W
 * conversion and the notifier dispatch, over the engine (engine_client.h). */
#include <windows.h>

#include <stdint.h>
#include <string.h>

#include "credstore.h"
#include "openras/base/text.h"
#include "engine_client.h"
#include "notify.h"
#include "pbk_access.h"
#include "ras_layouts.h"
#include "strconv.h"

DWORD WINAPI RasDialA(void *ext, LPCSTR phonebook, void *params, DWORD notifier_type,
                      LPVOID notifier, HANDLE *conn);
DWORD WINAPI RasDialW(void *ext, LPCWSTR phonebook, void *params, DWORD notifier_type,
                      LPVOID notifier, HANDLE *conn);
DWORD WINAPI RasHangUpA(HANDLE conn);
DWORD WINAPI RasHangUpW(HANDLE conn);
DWORD WINAPI RasGetConnectStatusA(HANDLE conn, void *status);
DWORD WINAPI RasGetConnectStatusW(HANDLE conn, void *status);

/* RASCONNSTATUS: phone 0 when absent, local/remote/substate 0 when absent. */
typedef struct rcs_layout {
  DWORD size;
  WORD devtype, devtype_n, devname, devname_n, phone, phone_n;
  WORD local, remote, substate;
} rcs_layout;

#define RCS_HEAD(T) sizeof(T), FIELD(T, szDeviceType), FIELD(T, szDeviceName)
#define RCS_V400(T)                                                                                \
  { RCS_HEAD(T), 0, 0, 0, 0, 0 }
#define RCS_V401(T)                                                                                \
  { RCS_HEAD(T), FIELD(T, szPhoneNumber), 0, 0, 0 }
#define RCS_V601(T)                                                                                \
  {                                                                                                \
    RCS_HEAD(T), FIELD(T, szPhoneNumber), (WORD)offsetof(T, localEndPoint),                        \
        (WORD)offsetof(T, remoteEndPoint), (WORD)offsetof(T, rasconnsubstate)                      \
  }

static const rcs_layout rcs_a[] = {RCS_V400(ora_rcsa_35), RCS_V400(ora_rcsa_400),
                                   RCS_V401(ora_rcsa_401), RCS_V601(ora_rcsa_601)};
static const rcs_layout rcs_w[] = {RCS_V400(ora_rcsw_35), RCS_V400(ora_rcsw_400),
                                   RCS_V401(ora_rcsw_401), RCS_V601(ora_rcsw_601)};

static const DWORD rde_sizes[] = {sizeof(ora_rde_400), sizeof(ora_rde_500), sizeof(ora_rde_601)};

#define ORA_RDEOPT_DEFINED 0xFFFFu

static const rcs_layout *find_rcs(const rcs_layout *t, size_t n, DWORD size) {
  for (size_t i = 0; i < n; i++)
    if (t[i].size == size)
      return &t[i];
  return NULL;
}

/* One string field of the caller's structure to UTF-8. */
static void field_to_utf8(int wide, const BYTE *base, WORD off, WORD n, char *out, size_t cap) {
  if (wide)
    ora_w_to_utf8((const WCHAR *)(const void *)(base + off), n, out, cap);
  else
    ora_a_to_utf8((const char *)(base + off), n, out, cap);
}

static void utf8_to_field(int wide, BYTE *base, WORD off, WORD n, const char *src) {
  if (wide) {
    memset(base + off, 0, (size_t)n * sizeof(WCHAR));
    ora_utf8_to_w(src, (WCHAR *)(void *)(base + off), n);
  } else {
    memset(base + off, 0, n);
    ora_utf8_to_a(src, (char *)(base + off), n);
  }
}

/* Reads RASDIALPARAMS into the request (the strings, dwSubEntry, dwCallbackId). */
static void read_params(int wide, const ora_rdp_layout *l, const void *params,
                        ora_dial_request *req) {
  const BYTE *p = params;
  field_to_utf8(wide, p, l->entry, l->entry_n, req->entry, sizeof req->entry);
  field_to_utf8(wide, p, l->phone, l->phone_n, req->phone_number, sizeof req->phone_number);
  field_to_utf8(wide, p, l->callback, l->callback_n, req->callback_number,
                sizeof req->callback_number);
  field_to_utf8(wide, p, l->user, l->user_n, req->user, sizeof req->user);
  field_to_utf8(wide, p, l->password, l->password_n, req->password, sizeof req->password);
  field_to_utf8(wide, p, l->domain, l->domain_n, req->domain, sizeof req->domain);
  if (l->subentry) {
    DWORD sub;
    memcpy(&sub, p + l->subentry, sizeof sub);
    req->subentry = sub;
  }
  if (l->callback_id) {
    if (l->callback_id_bytes == 8) {
      uint64_t id;
      memcpy(&id, p + l->callback_id, sizeof id);
      req->callback_id = id;
    } else {
      uint32_t id;
      memcpy(&id, p + l->callback_id, sizeof id);
      req->callback_id = id;
    }
  }
}

/* Resumes a paused connection (*conn was not NULL). */
static DWORD resume(ora_handle h, ora_dial_request *req, DWORD notifier_type, void *notifier) {
  ora_status st;
  if (ora_engine_status(orac_engine(), h, &st) != 0)
    return ORA_ERROR_INVALID_HANDLE;
  if (!ora_state_is_paused(st.state))
    return ORA_ERROR_DIAL_ALREADY_IN_PROGRESS;
  ora_dispatch *d = ora_dispatch_find(h);
  if (!d)
    return ORA_ERROR_INVALID_HANDLE; /* paused, but not dialed asynchronously here */
  /* Not from inside the notifier: its notification of the pause is not over yet. */
  if (ora_dispatch_is_current_thread(d)) {
    ora_dispatch_release(d);
    return ORA_ERROR_DIAL_ALREADY_IN_PROGRESS;
  }
  if (notifier)
    ora_dispatch_set_notifier(d, notifier_type, notifier);
  req->ack_required = 1;
  ora_dispatch_begin_series(d);
  int rc = ora_engine_resume(orac_engine(), h, req);
  ora_dispatch_open(d);
  DWORD err = (DWORD)rc;
  /* No notifier on the resume: wait as a synchronous RasDial does. */
  if (rc == 0 && !notifier)
    err = ora_dispatch_wait(d);
  ora_dispatch_release(d);
  return err;
}

static DWORD dial(int wide, const void *ext, const void *phonebook, const void *params,
                  DWORD notifier_type, void *notifier, HANDLE *conn) {
  if (!params || !conn)
    return ORA_ERROR_INVALID_PARAMETER;
  const ora_rdp_layout *l = ora_rdp_find(wide, params);
  if (!l)
    return ORA_ERROR_INVALID_SIZE;
  DWORD options = 0;
  if (ext) {
    const ora_rde_400 *e = ext;
    size_t i = 0;
    while (i < ARRAYSIZE(rde_sizes) && rde_sizes[i] != e->dwSize)
      i++;
    if (i == ARRAYSIZE(rde_sizes))
      return ORA_ERROR_INVALID_SIZE;
    options = e->dwfOptions;
    if (options & ~ORA_RDEOPT_DEFINED)
      return ORA_ERROR_INVALID_PARAMETER;
  }
  if (notifier && notifier_type != ORA_NOTIFIER_FUNC && notifier_type != ORA_NOTIFIER_FUNC1 &&
      notifier_type != ORA_NOTIFIER_FUNC2 && notifier_type != ORA_NOTIFIER_HWND)
    return ORA_ERROR_INVALID_PARAMETER;
  HANDLE initial = *conn;
  ora_handle h = 0;
  if (initial && !orac_handle_of(initial, &h))
    return ORA_ERROR_INVALID_HANDLE;

  ora_dial_request req;
  memset(&req, 0, sizeof req);
  DWORD err;
  if (phonebook) {
    /* Bounded (MAX_PATH characters): an unterminated path is not read to its end. */
    if (!orapb_arg(wide, phonebook, req.phonebook, sizeof req.phonebook) ||
        !orapb_absolute(req.phonebook, sizeof req.phonebook)) {
      err = ORA_ERROR_CANNOT_OPEN_PHONEBOOK; /* a path this long names no phone book */
      goto out;
    }
  }
  read_params(wide, l, params, &req);
  req.options = options;
  /* RasGetEntryDialParams hands out a placeholder for a saved password; given back,
   * it means "dial with the saved one". */
  if (strcmp(req.password, ORACRED_HANDLE) == 0 && req.entry[0] &&
      !oracred_dial_saved(req.phonebook, req.entry, ORACRED_PASSWORD, req.password,
                          sizeof req.password))
    req.password[0] = '\0';
  /* The domain "*": the one saved for the entry, or none; never the asterisk itself. */
  if (strcmp(req.domain, ORACRED_ANY_DOMAIN) == 0 &&
      !(req.entry[0] && oracred_dial_saved(req.phonebook, req.entry, ORACRED_DOMAIN, req.domain,
                                           sizeof req.domain)))
    req.domain[0] = '\0';
  if (initial) {
    err = resume(h, &req, notifier_type, notifier);
    goto out;
  }
  /* The default phone books are searched here, in the dialer's own environment, as
   * RasEnumEntries and RasGetEntryProperties search them; the manager (started by
   * whichever program came first, with that one's environment) gets the path. */
  if (!req.phonebook[0] && req.entry[0]) {
    orapb_set set;
    int which, rc = orapb_resolve_utf8(NULL, &set);
    if (!rc)
      rc = orapb_find(&set, req.entry, &which, NULL);
    if (rc) {
      err = (DWORD)rc; /* as RasGetEntryProperties would say: 623, 621... */
      goto out;
    }
    ora_copy_str(req.phonebook, sizeof req.phonebook, set.path[which]);
  }
  /* A simple connection (no entry) has nothing to dial without a number. */
  if (!req.entry[0] && !req.phone_number[0]) {
    err = ORA_ERROR_INVALID_PARAMETER;
    goto out;
  }
  /* A synchronous RasDial returns only on success or failure: no paused states, the
   * states that would pause fail with their error instead. */
  if (!notifier)
    req.options &= ~(uint32_t)ORA_RDEOPT_PausedStates;
  req.ack_required = notifier != NULL;

  ora_dispatch *d;
  err = (DWORD)ora_dispatch_create(notifier_type, notifier, &d);
  if (err)
    goto out;
  ora_event_fn fn;
  void *ctx;
  ora_dispatch_sink(d, &fn, &ctx);
  int rc = ora_engine_dial(orac_engine(), &req, fn, ctx, &h);
  SecureZeroMemory(&req, sizeof req);
  if (h) {
    ora_dispatch_bind(d, h);
    *conn = orac_hconn(h);
  }
  err = (DWORD)rc;
  if (notifier) {
    if (rc && !h)
      ora_dispatch_abandon(d);
    else if (rc)
      ora_dispatch_silence(d);
    /* The handle is stored: notifications may run from now on. */
    ora_dispatch_open(d);
  } else {
    if (rc == 0)
      err = ora_dispatch_wait(d);
    ora_dispatch_abandon(d);
  }
  ora_dispatch_release(d);
out:
  SecureZeroMemory(&req, sizeof req);
  return err;
}

DWORD WINAPI RasDialA(void *ext, LPCSTR phonebook, void *params, DWORD notifier_type,
                      LPVOID notifier, HANDLE *conn) {
  return dial(0, ext, phonebook, params, notifier_type, notifier, conn);
}

DWORD WINAPI RasDialW(void *ext, LPCWSTR phonebook, void *params, DWORD notifier_type,
                      LPVOID notifier, HANDLE *conn) {
  return dial(1, ext, phonebook, params, notifier_type, notifier, conn);
}

static DWORD hang_up(HANDLE conn) {
  ora_handle h;
  if (!orac_handle_of(conn, &h))
    return ORA_ERROR_INVALID_HANDLE;
  int rc = ora_engine_hangup(orac_engine(), h);
  if (rc)
    return (DWORD)rc;
  /* The last reference is gone once the handle no longer answers. */
  ora_status st;
  if (ora_engine_status(orac_engine(), h, &st) != 0)
    ora_dispatch_hung_up(h);
  return 0;
}

DWORD WINAPI RasHangUpA(HANDLE conn) {
  return hang_up(conn);
}

DWORD WINAPI RasHangUpW(HANDLE conn) {
  return hang_up(conn);
}

static void put_endpoint(BYTE *p, WORD off, const ora_endpoint *ep) {
  ora_rastunnelendpoint t;
  memset(&t, 0, sizeof t);
  t.dwType = ep->type;
  memcpy(t.addr, ep->addr, sizeof t.addr);
  memcpy(p + off, &t, sizeof t);
}

static DWORD get_status(int wide, HANDLE conn, void *status) {
  if (!status)
    return ORA_ERROR_INVALID_PARAMETER;
  DWORD size;
  memcpy(&size, status, sizeof size);
  const rcs_layout *l =
      wide ? find_rcs(rcs_w, ARRAYSIZE(rcs_w), size) : find_rcs(rcs_a, ARRAYSIZE(rcs_a), size);
  if (!l)
    return ORA_ERROR_INVALID_SIZE;
  ora_handle h;
  if (!orac_handle_of(conn, &h))
    return ORA_ERROR_INVALID_HANDLE;
  ora_status st;
  memset(&st, 0, sizeof st);
  int rc = ora_engine_status(orac_engine(), h, &st);
  if (rc)
    return (DWORD)rc;
  BYTE *p = status;
  DWORD v = st.state;
  memcpy(p + offsetof(ora_rcsa_35, rasconnstate), &v, sizeof v);
  v = st.error;
  memcpy(p + offsetof(ora_rcsa_35, dwError), &v, sizeof v);
  utf8_to_field(wide, p, l->devtype, l->devtype_n, st.device_type);
  utf8_to_field(wide, p, l->devname, l->devname_n, st.device_name);
  if (l->phone)
    utf8_to_field(wide, p, l->phone, l->phone_n, st.phone_number);
  if (l->local) {
    put_endpoint(p, l->local, &st.local);
    put_endpoint(p, l->remote, &st.remote);
    v = st.substate;
    memcpy(p + l->substate, &v, sizeof v);
  }
  return 0;
}

DWORD WINAPI RasGetConnectStatusA(HANDLE conn, void *status) {
  return get_status(0, conn, status);
}

DWORD WINAPI RasGetConnectStatusW(HANDLE conn, void *status) {
  return get_status(1, conn, status);
}
