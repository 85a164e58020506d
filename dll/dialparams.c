/* RasGetEntryDialParams / RasSetEntryDialParams and RasGetCredentials /
 * RasSetCredentials (A and W): the user name, domain, callback number and password
 * saved for an entry, kept by credstore.c (never in the phone book). */
#include <windows.h>

#include <string.h>

#include "credstore.h"
#include "pbk_access.h"
#include "pbk_layouts.h"
#include "ras_layouts.h"
#include "strconv.h"

static int get_field(int wide, const void *base, WORD off, size_t units, char *out, size_t cap) {
  const BYTE *p = (const BYTE *)base + off;
  return wide ? ora_w_to_utf8((const WCHAR *)(const void *)p, units, out, cap)
              : ora_a_to_utf8((const char *)p, units, out, cap);
}

static void put_field(int wide, void *base, WORD off, size_t units, const char *utf8) {
  BYTE *p = (BYTE *)base + off;
  if (wide)
    ora_utf8_to_w(utf8, (WCHAR *)(void *)p, units);
  else
    ora_utf8_to_a(utf8, (char *)p, units);
}

/* The phone book holding the entry, into path. */
static int locate(int wide, const void *phonebook, const char *entry, char *path, int *kind) {
  orapb_set set;
  int which, rc = orapb_resolve(wide, phonebook, &set);
  if (!rc)
    rc = orapb_find(&set, entry, &which, NULL);
  if (!rc) {
    memcpy(path, set.path[which], sizeof set.path[which]);
    if (kind)
      *kind = set.named ? ORAPB_USER : set.kind[which];
  }
  return rc;
}

/* ---- RasGetEntryDialParams / RasSetEntryDialParams ---- */

static DWORD get_dial_params(int wide, const void *phonebook, void *params, BOOL *has_password) {
  if (!params || !has_password)
    return ORAPB_ERROR_BUFFER_INVALID;
  const ora_rdp_layout *l = ora_rdp_find(wide, params);
  if (!l)
    return ORA_ERROR_INVALID_SIZE;
  char entry[ORA_ENTRY_BYTES], path[ORA_PATH_BYTES];
  if (!get_field(wide, params, l->entry, l->entry_n, entry, sizeof entry))
    return ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
  int rc = locate(wide, phonebook, entry, path, NULL);
  if (rc)
    return (DWORD)rc;
  oracred c;
  oracred_load(path, entry, 0, 0, &c);
  put_field(wide, params, l->phone, l->phone_n, "");
  put_field(wide, params, l->callback, l->callback_n, c.callback);
  put_field(wide, params, l->user, l->user_n, c.user);
  put_field(wide, params, l->domain, l->domain_n, c.domain);
  /* Windows 2000 and later return a stand-in, never the password itself. */
  put_field(wide, params, l->password, l->password_n,
            (c.have & ORACRED_PASSWORD) ? ORACRED_HANDLE : "");
  *has_password = (c.have & ORACRED_PASSWORD) != 0;
  return 0;
}

DWORD WINAPI RasGetEntryDialParamsA(LPCSTR phonebook, void *params, BOOL *has_password);
DWORD WINAPI RasGetEntryDialParamsA(LPCSTR phonebook, void *params, BOOL *has_password) {
  return get_dial_params(0, phonebook, params, has_password);
}

DWORD WINAPI RasGetEntryDialParamsW(LPCWSTR phonebook, void *params, BOOL *has_password);
DWORD WINAPI RasGetEntryDialParamsW(LPCWSTR phonebook, void *params, BOOL *has_password) {
  return get_dial_params(1, phonebook, params, has_password);
}

static DWORD set_dial_params(int wide, const void *phonebook, const void *params,
                             BOOL remove_password) {
  if (!params)
    return ORAPB_ERROR_BUFFER_INVALID;
  const ora_rdp_layout *l = ora_rdp_find(wide, params);
  if (!l)
    return ORA_ERROR_INVALID_SIZE;
  char entry[ORA_ENTRY_BYTES], path[ORA_PATH_BYTES];
  if (!get_field(wide, params, l->entry, l->entry_n, entry, sizeof entry))
    return ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
  int rc = locate(wide, phonebook, entry, path, NULL);
  if (rc)
    return (DWORD)rc;
  oracred c;
  memset(&c, 0, sizeof c);
  get_field(wide, params, l->user, l->user_n, c.user, sizeof c.user);
  get_field(wide, params, l->domain, l->domain_n, c.domain, sizeof c.domain);
  get_field(wide, params, l->callback, l->callback_n, c.callback, sizeof c.callback);
  unsigned what = ORACRED_USER | ORACRED_DOMAIN | ORACRED_CALLBACK, clear = 0;
  if (strcmp(c.domain, ORACRED_ANY_DOMAIN) == 0)
    what &= ~(unsigned)ORACRED_DOMAIN; /* "*" stands for the saved domain: keep it */
  if (remove_password) {
    clear = ORACRED_PASSWORD;
  } else {
    get_field(wide, params, l->password, l->password_n, c.password, sizeof c.password);
    what |= ORACRED_PASSWORD;
  }
  rc = oracred_store(path, entry, 0, &c, what, clear);
  SecureZeroMemory(&c, sizeof c);
  return (DWORD)rc;
}

DWORD WINAPI RasSetEntryDialParamsA(LPCSTR phonebook, void *params, BOOL remove_password);
DWORD WINAPI RasSetEntryDialParamsA(LPCSTR phonebook, void *params, BOOL remove_password) {
  return set_dial_params(0, phonebook, params, remove_password);
}

DWORD WINAPI RasSetEntryDialParamsW(LPCWSTR phonebook, void *params, BOOL remove_password);
DWORD WINAPI RasSetEntryDialParamsW(LPCWSTR phonebook, void *params, BOOL remove_password) {
  return set_dial_params(1, phonebook, params, remove_password);
}

/* ---- RasGetCredentials / RasSetCredentials ---- */

enum {
  RASCM_USER = 0x1,
  RASCM_PASSWORD = 0x2,
  RASCM_DOMAIN = 0x4,
  RASCM_DEFAULT = 0x8,
  RASCM_PSK_ANY = 0x10 | 0x20 | 0x40 /* pre-shared keys: not kept by OpenRAS */
};

#define CRED_OFF(m) (wide ? offsetof(ora_rcredw, m) : offsetof(ora_rcreda, m))

static DWORD get_credentials(int wide, const void *phonebook, const void *entry_arg, void *cred) {
  if (!cred || !entry_arg)
    return ERROR_INVALID_PARAMETER;
  DWORD size, mask;
  memcpy(&size, cred, sizeof size);
  if (size != (wide ? sizeof(ora_rcredw) : sizeof(ora_rcreda)))
    return ORA_ERROR_INVALID_SIZE;
  char entry[ORA_ENTRY_BYTES], path[ORA_PATH_BYTES];
  if (!orapb_arg(wide, entry_arg, entry, sizeof entry))
    return ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
  int rc = locate(wide, phonebook, entry, path, NULL);
  if (rc)
    return (DWORD)rc;
  memcpy(&mask, (BYTE *)cred + sizeof(DWORD), sizeof mask);
  oracred c;
  oracred_load(path, entry, (mask & RASCM_DEFAULT) != 0, 0, &c);
  DWORD out = mask & RASCM_DEFAULT;
  if ((mask & RASCM_USER) && (c.have & ORACRED_USER))
    out |= RASCM_USER;
  if ((mask & RASCM_DOMAIN) && (c.have & ORACRED_DOMAIN))
    out |= RASCM_DOMAIN;
  if ((mask & RASCM_PASSWORD) && (c.have & ORACRED_PASSWORD))
    out |= RASCM_PASSWORD;
  put_field(wide, cred, CRED_OFF(szUserName), ORA_UNLEN + 1, (out & RASCM_USER) ? c.user : "");
  put_field(wide, cred, CRED_OFF(szDomain), ORA_DNLEN + 1, (out & RASCM_DOMAIN) ? c.domain : "");
  put_field(wide, cred, CRED_OFF(szPassword), ORA_PWLEN + 1,
            (out & RASCM_PASSWORD) ? ORACRED_HANDLE : "");
  memcpy((BYTE *)cred + sizeof(DWORD), &out, sizeof out);
  return 0;
}

DWORD WINAPI RasGetCredentialsA(LPCSTR phonebook, LPCSTR entry, void *cred);
DWORD WINAPI RasGetCredentialsA(LPCSTR phonebook, LPCSTR entry, void *cred) {
  return get_credentials(0, phonebook, entry, cred);
}

DWORD WINAPI RasGetCredentialsW(LPCWSTR phonebook, LPCWSTR entry, void *cred);
DWORD WINAPI RasGetCredentialsW(LPCWSTR phonebook, LPCWSTR entry, void *cred) {
  return get_credentials(1, phonebook, entry, cred);
}

static DWORD set_credentials(int wide, const void *phonebook, const void *entry_arg,
                             const void *cred, BOOL clear_them) {
  if (!cred || !entry_arg)
    return ERROR_INVALID_PARAMETER;
  DWORD size, mask;
  memcpy(&size, cred, sizeof size);
  if (size != (wide ? sizeof(ora_rcredw) : sizeof(ora_rcreda)))
    return ORA_ERROR_INVALID_SIZE;
  memcpy(&mask, (const BYTE *)cred + sizeof(DWORD), sizeof mask);
  /* A pre-shared key "cannot be used in combination with any other flag". */
  if ((mask & RASCM_PSK_ANY) && (mask & ~(DWORD)RASCM_PSK_ANY))
    return ERROR_INVALID_PARAMETER;
  char entry[ORA_ENTRY_BYTES], path[ORA_PATH_BYTES];
  if (!orapb_arg(wide, entry_arg, entry, sizeof entry))
    return ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
  int kind, rc = locate(wide, phonebook, entry, path, &kind);
  if (rc)
    return (DWORD)rc;
  int machine = (mask & RASCM_DEFAULT) != 0;
  /* Default credentials exist only for all-users connections. */
  if (machine && kind != ORAPB_ALLUSERS)
    return ERROR_INVALID_PARAMETER;
  unsigned what = mask & (RASCM_USER | RASCM_PASSWORD | RASCM_DOMAIN);
  char dom[ORA_DOMAIN_BYTES];
  get_field(wide, cred, CRED_OFF(szDomain), ORA_DNLEN + 1, dom, sizeof dom);
  if (!clear_them && strcmp(dom, ORACRED_ANY_DOMAIN) == 0)
    what &= ~(unsigned)RASCM_DOMAIN; /* "*" stands for the saved domain: keep it */
  if (!what)
    return 0; /* nothing OpenRAS keeps was named (pre-shared keys are not kept) */
  oracred c;
  memset(&c, 0, sizeof c);
  get_field(wide, cred, CRED_OFF(szUserName), ORA_UNLEN + 1, c.user, sizeof c.user);
  get_field(wide, cred, CRED_OFF(szDomain), ORA_DNLEN + 1, c.domain, sizeof c.domain);
  if (!clear_them)
    get_field(wide, cred, CRED_OFF(szPassword), ORA_PWLEN + 1, c.password, sizeof c.password);
  rc = clear_them ? oracred_store(path, entry, machine, &c, 0, what)
                  : oracred_store(path, entry, machine, &c, what, 0);
  SecureZeroMemory(&c, sizeof c);
  return (DWORD)rc;
}

DWORD WINAPI RasSetCredentialsA(LPCSTR phonebook, LPCSTR entry, void *cred, BOOL clear_them);
DWORD WINAPI RasSetCredentialsA(LPCSTR phonebook, LPCSTR entry, void *cred, BOOL clear_them) {
  return set_credentials(0, phonebook, entry, cred, clear_them);
}

DWORD WINAPI RasSetCredentialsW(LPCWSTR phonebook, LPCWSTR entry, void *cred, BOOL clear_them);
DWORD WINAPI RasSetCredentialsW(LPCWSTR phonebook, LPCWSTR entry, void *cred, BOOL clear_them) {
  return set_credentials(1, phonebook, entry, cred, clear_them);
}
