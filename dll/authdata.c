/* RasGetCustomAuthData, RasSetCustomAuthData, RasGetEapUserData, RasSetEapUserData
 * (A and W): opaque authentication data of a phone-book entry.
 *
 * Custom authentication data belongs to the entry (every user of the phone book sees
 * it): it is kept in the entry's general part as ORA_CustomAuthData= lines of upper-case
 * hex, at most AUTHDATA_LINE bytes each, read in file order. Windows' own
 * CustomAuthData= key holds the EAP connection data in a format of its own, so it is
 * neither read nor written here.
 *
 * EAP user data belongs to the user (it may hold credentials): it never goes into the
 * phone book but into HKCU\Software\OpenRAS\EapUserData\<id> (credstore.h's key
 * scheme), value "Data" (REG_BINARY), encrypted with CryptProtectData for the current
 * user with a fixed OpenRAS entropy. It follows the entry on RasRenameEntry and goes
 * with it on RasDeleteEntry (entries.c). docs/phonebook-api.md ("Authentication data")
 * has the rules and the decisions. */
#include <windows.h>
#include <wincrypt.h>

#include <stdlib.h>
#include <string.h>

#include "credstore.h"
#include "entry_lines.h"
#include "pbk_access.h"

enum {
  AUTHDATA_MAX = 64 * 1024, /* bytes of either kind of data: more is 87 */
  AUTHDATA_LINE = 1024,     /* bytes in one ORA_CustomAuthData= line */
  SID_BYTES_MAX = 68        /* SECURITY_MAX_SID_SIZE */
};

static const char k_cad_key[] = "ORA_CustomAuthData";
static const WCHAR k_eap_root[] = L"Software\\OpenRAS\\EapUserData";
static const char k_eap_entropy[] = "OpenRAS EAP user data v1";

/* ---------------------------------------------------------------- arguments */

/* Hands len bytes to the caller: *lpcb becomes len; 603 when buf is NULL or smaller.
 * No data is success with 0 whatever the buffer. */
static DWORD give(const BYTE *data, DWORD len, BYTE *buf, DWORD *lpcb) {
  DWORD room = *lpcb;
  *lpcb = len;
  if (len == 0)
    return 0;
  if (!buf || room < len)
    return ORA_ERROR_BUFFER_TOO_SMALL;
  memcpy(buf, data, len);
  return 0;
}

typedef union {
  TOKEN_USER user;
  BYTE bytes[sizeof(TOKEN_USER) + SID_BYTES_MAX];
} token_user;

/* hToken: NULL is the calling user; a token must be one of that user (the thread's
 * impersonation token, else the process's), whose HKCU and DPAPI keys OpenRAS uses.
 * 0, ERROR_INVALID_HANDLE for a handle that is not a token, 5 for a token without
 * TOKEN_QUERY, ERROR_NOT_SUPPORTED for another user's token. */
static DWORD check_token(HANDLE token) {
  token_user theirs, mine;
  DWORD cb;
  if (!token)
    return 0;
  if (!GetTokenInformation(token, TokenUser, &theirs, sizeof theirs, &cb))
    return GetLastError() == ERROR_ACCESS_DENIED ? ERROR_ACCESS_DENIED : ERROR_INVALID_HANDLE;
  HANDLE self;
  if (!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &self) &&
      !OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &self))
    return GetLastError();
  BOOL ok = GetTokenInformation(self, TokenUser, &mine, sizeof mine, &cb);
  CloseHandle(self);
  if (!ok)
    return GetLastError();
  return EqualSid(theirs.user.User.Sid, mine.user.User.Sid) ? 0 : ERROR_NOT_SUPPORTED;
}

/* ---------------------------------------------------------------- custom auth data */

static int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if ((c | 32) >= 'a' && (c | 32) <= 'f')
    return (c | 32) - 'a' + 10;
  return -1;
}

/* The entry's ORA_CustomAuthData lines decoded into *out (malloc'd) and *len; 0 bytes
 * when there is none or a line is not hex (*clean = 0: the next write replaces it). 0
 * or 8. */
static int cad_read(const ent *e, BYTE **out, DWORD *len, int *clean) {
  size_t g = gen_end(e), total = 0;
  const char *k, *v;
  *out = NULL;
  *len = 0;
  *clean = 0;
  for (size_t i = 0; i < g; i++) {
    if (!kv(e, i, &k, &v) || _stricmp(k, k_cad_key) != 0)
      continue;
    size_t n = strlen(v);
    for (size_t j = 0; j < n; j++)
      if (hex_digit(v[j]) < 0)
        return 0;
    if (n % 2 || (total += n / 2) > AUTHDATA_MAX)
      return 0;
  }
  *clean = 1;
  if (total == 0)
    return 0;
  BYTE *p = malloc(total);
  if (!p)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  size_t at = 0;
  for (size_t i = 0; i < g; i++) {
    if (!kv(e, i, &k, &v) || _stricmp(k, k_cad_key) != 0)
      continue;
    for (size_t j = 0; v[j]; j += 2)
      p[at++] = (BYTE)(hex_digit(v[j]) << 4 | hex_digit(v[j + 1]));
  }
  *out = p;
  *len = (DWORD)total;
  return 0;
}

typedef struct {
  const char *name;
  const BYTE *data;
  DWORD len;
} cad_ctx;

/* Line `chunk` of the data: upper-case hex of at most AUTHDATA_LINE bytes. */
static void chunk_hex(const cad_ctx *c, size_t chunk, char *out) {
  static const char digits[] = "0123456789ABCDEF";
  size_t from = chunk * AUTHDATA_LINE, n = c->len - from;
  if (n > AUTHDATA_LINE)
    n = AUTHDATA_LINE;
  for (size_t j = 0; j < n; j++) {
    out[2 * j] = digits[c->data[from + j] >> 4];
    out[2 * j + 1] = digits[c->data[from + j] & 15];
  }
  out[2 * n] = 0;
}

/* Writes the data as ORA_CustomAuthData lines: the lines there are rewritten in place
 * (extra ones removed), further ones follow the last, or go at the end of the general
 * part. The data already stored changes nothing. */
static int cad_fn(ora_pbk *pb, void *ctx) {
  const cad_ctx *c = ctx;
  ent e = {pb, c->name};
  if (ora_pbk_find(pb, c->name) < 0)
    return ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY; /* deleted since it was found */
  BYTE *old;
  DWORD old_len;
  int clean;
  int rc = cad_read(&e, &old, &old_len, &clean);
  int same = clean && old_len == c->len && (c->len == 0 || memcmp(old, c->data, c->len) == 0);
  free(old);
  if (rc || same)
    return rc;
  char hex[2 * AUTHDATA_LINE + 1];
  size_t chunks = (c->len + AUTHDATA_LINE - 1) / AUTHDATA_LINE, done = 0, g = gen_end(&e);
  long last = -1;
  const char *k, *v;
  for (size_t i = 0; i < g && !rc;) {
    if (!kv(&e, i, &k, &v) || _stricmp(k, k_cad_key) != 0) {
      i++;
    } else if (done == chunks) {
      rc = ora_pbk_line_remove(pb, c->name, i);
      g--;
    } else {
      chunk_hex(c, done++, hex);
      rc = put_line(&e, i, hex);
      last = (long)i++;
    }
  }
  size_t pos = last >= 0 ? (size_t)last + 1 : append_pos(&e, 0, gen_end(&e));
  for (; done < chunks && !rc; done++) {
    chunk_hex(c, done, hex);
    rc = ora_pbk_line_insert(pb, c->name, pos++, k_cad_key, hex);
  }
  return rc;
}

static DWORD get_custom(int wide, const void *phonebook, const void *entry_arg, BYTE *buf,
                        DWORD *lpcb) {
  if (!lpcb)
    return (DWORD)E_INVALIDARG; /* documented */
  if (!entry_arg)
    return ERROR_INVALID_PARAMETER;
  char name[ORA_ENTRY_BYTES];
  orapb_set set;
  ora_pbk *pb = NULL;
  int which;
  int rc = orapb_locate(wide, phonebook, entry_arg, name, &set, &which, &pb);
  if (rc)
    return (DWORD)rc;
  ent e = {pb, name};
  BYTE *data;
  DWORD len;
  int clean;
  rc = cad_read(&e, &data, &len, &clean);
  ora_pbk_free(pb);
  if (!rc)
    rc = (int)give(data, len, buf, lpcb);
  free(data);
  return (DWORD)rc;
}

static DWORD set_custom(int wide, const void *phonebook, const void *entry_arg, const BYTE *data,
                        DWORD len) {
  if (!entry_arg)
    return ERROR_INVALID_PARAMETER;
  if (!data && len)
    return (DWORD)E_INVALIDARG; /* documented */
  if (len > AUTHDATA_MAX)
    return ERROR_INVALID_PARAMETER;
  char name[ORA_ENTRY_BYTES];
  orapb_set set;
  int which;
  int rc = orapb_locate(wide, phonebook, entry_arg, name, &set, &which, NULL);
  cad_ctx c = {name, data, len};
  if (!rc)
    rc = orapb_update(set.path[which], cad_fn, &c);
  return (DWORD)rc;
}

DWORD WINAPI RasGetCustomAuthDataA(LPCSTR phonebook, LPCSTR entry, BYTE *data, DWORD *size);
DWORD WINAPI RasGetCustomAuthDataA(LPCSTR phonebook, LPCSTR entry, BYTE *data, DWORD *size) {
  return get_custom(0, phonebook, entry, data, size);
}

DWORD WINAPI RasGetCustomAuthDataW(LPCWSTR phonebook, LPCWSTR entry, BYTE *data, DWORD *size);
DWORD WINAPI RasGetCustomAuthDataW(LPCWSTR phonebook, LPCWSTR entry, BYTE *data, DWORD *size) {
  return get_custom(1, phonebook, entry, data, size);
}

DWORD WINAPI RasSetCustomAuthDataA(LPCSTR phonebook, LPCSTR entry, BYTE *data, DWORD size);
DWORD WINAPI RasSetCustomAuthDataA(LPCSTR phonebook, LPCSTR entry, BYTE *data, DWORD size) {
  return set_custom(0, phonebook, entry, data, size);
}

DWORD WINAPI RasSetCustomAuthDataW(LPCWSTR phonebook, LPCWSTR entry, BYTE *data, DWORD size);
DWORD WINAPI RasSetCustomAuthDataW(LPCWSTR phonebook, LPCWSTR entry, BYTE *data, DWORD size) {
  return set_custom(1, phonebook, entry, data, size);
}

/* ---------------------------------------------------------------- EAP user data */

/* The encrypted blob of the entry's key, as stored (malloc'd); NULL when none. */
static BYTE *eap_blob(const char *path, const char *entry, DWORD *cb) {
  HKEY k;
  DWORD type;
  BYTE *blob = NULL;
  *cb = 0;
  if (oracred_user_key(k_eap_root, path, entry, 0, &k) != 0)
    return NULL;
  if (RegQueryValueExW(k, L"Data", NULL, &type, NULL, cb) == ERROR_SUCCESS && type == REG_BINARY &&
      *cb > 0 && *cb <= 4 * AUTHDATA_MAX && (blob = malloc(*cb)) != NULL &&
      (RegQueryValueExW(k, L"Data", NULL, &type, blob, cb) != ERROR_SUCCESS ||
       type != REG_BINARY)) {
    free(blob);
    blob = NULL;
  }
  RegCloseKey(k);
  return blob;
}

/* The user's EAP data of the entry, decrypted into *out (malloc'd: wipe and free it) and
 * *len. Nothing saved, or a blob this user cannot decrypt, is 0 bytes. 0 or 8. */
static int eap_load(const char *path, const char *entry, BYTE **out, DWORD *len) {
  DWORD cb;
  BYTE *blob = eap_blob(path, entry, &cb);
  *out = NULL;
  *len = 0;
  if (!blob)
    return 0;
  DATA_BLOB in = {cb, blob}, plain = {0, NULL};
  DATA_BLOB ent = {sizeof k_eap_entropy - 1, (BYTE *)k_eap_entropy};
  int rc = 0;
  if (CryptUnprotectData(&in, NULL, &ent, NULL, NULL, CRYPTPROTECT_UI_FORBIDDEN, &plain)) {
    if (plain.cbData > 0 && plain.cbData <= AUTHDATA_MAX) {
      if ((*out = malloc(plain.cbData)) != NULL) {
        memcpy(*out, plain.pbData, plain.cbData);
        *len = plain.cbData;
      } else {
        rc = ORA_ERROR_NOT_ENOUGH_MEMORY;
      }
    }
    SecureZeroMemory(plain.pbData, plain.cbData);
    LocalFree(plain.pbData);
  }
  free(blob);
  return rc;
}

static LONG put_blob(const char *path, const char *entry, const BYTE *blob, DWORD cb) {
  HKEY k;
  LONG rc = oracred_user_key(k_eap_root, path, entry, 1, &k);
  if (rc)
    return rc;
  rc = RegSetValueExW(k, L"Data", 0, REG_BINARY, blob, cb);
  RegCloseKey(k);
  return rc;
}

/* Saves len bytes for the user (0 bytes: forgets). 0 or a Win32 error. */
static int eap_store(const char *path, const char *entry, const BYTE *data, DWORD len) {
  if (len == 0) {
    oraeap_forget(path, entry);
    return 0;
  }
  DATA_BLOB in = {len, (BYTE *)data}, out = {0, NULL};
  DATA_BLOB ent = {sizeof k_eap_entropy - 1, (BYTE *)k_eap_entropy};
  if (!CryptProtectData(&in, L"OpenRAS EAP user data", &ent, NULL, NULL, CRYPTPROTECT_UI_FORBIDDEN,
                        &out))
    return (int)GetLastError();
  LONG rc = put_blob(path, entry, out.pbData, out.cbData);
  LocalFree(out.pbData);
  return (int)rc;
}

void oraeap_forget(const char *pbk_path, const char *entry) {
  oracred_user_key_delete(k_eap_root, pbk_path, entry);
}

void oraeap_rename(const char *pbk_path, const char *old_name, const char *new_name) {
  int same =
      CompareStringA(LOCALE_INVARIANT, NORM_IGNORECASE, old_name, -1, new_name, -1) == CSTR_EQUAL;
  if (same)
    return; /* a change of case: the same key */
  DWORD cb;
  BYTE *blob = eap_blob(pbk_path, old_name, &cb);
  /* The blob does not depend on the entry's name: it moves as it is. Without one, a
   * stale key left under the new name must not become the renamed entry's. */
  if (blob)
    put_blob(pbk_path, new_name, blob, cb);
  else
    oraeap_forget(pbk_path, new_name);
  free(blob);
  oraeap_forget(pbk_path, old_name);
}

static DWORD get_eap(int wide, HANDLE token, const void *phonebook, const void *entry_arg,
                     BYTE *buf, DWORD *lpcb) {
  if (!lpcb)
    return (DWORD)E_INVALIDARG; /* documented */
  if (!entry_arg)
    return ERROR_INVALID_PARAMETER;
  DWORD err = check_token(token);
  if (err)
    return err;
  char name[ORA_ENTRY_BYTES];
  orapb_set set;
  int which;
  int rc = orapb_locate(wide, phonebook, entry_arg, name, &set, &which, NULL);
  if (rc)
    return (DWORD)rc;
  BYTE *data;
  DWORD len;
  rc = eap_load(set.path[which], name, &data, &len);
  if (!rc)
    rc = (int)give(data, len, buf, lpcb);
  if (data) {
    SecureZeroMemory(data, len);
    free(data);
  }
  return (DWORD)rc;
}

static DWORD set_eap(int wide, HANDLE token, const void *phonebook, const void *entry_arg,
                     const BYTE *data, DWORD len) {
  if (!entry_arg)
    return ERROR_INVALID_PARAMETER;
  if (!data && len)
    return (DWORD)E_INVALIDARG; /* documented */
  if (len > AUTHDATA_MAX)
    return ERROR_INVALID_PARAMETER;
  DWORD err = check_token(token);
  if (err)
    return err;
  char name[ORA_ENTRY_BYTES];
  orapb_set set;
  int which;
  int rc = orapb_locate(wide, phonebook, entry_arg, name, &set, &which, NULL);
  if (!rc)
    rc = eap_store(set.path[which], name, data, len);
  return (DWORD)rc;
}

DWORD WINAPI RasGetEapUserDataA(HANDLE token, LPCSTR phonebook, LPCSTR entry, BYTE *data,
                                DWORD *size);
DWORD WINAPI RasGetEapUserDataA(HANDLE token, LPCSTR phonebook, LPCSTR entry, BYTE *data,
                                DWORD *size) {
  return get_eap(0, token, phonebook, entry, data, size);
}

DWORD WINAPI RasGetEapUserDataW(HANDLE token, LPCWSTR phonebook, LPCWSTR entry, BYTE *data,
                                DWORD *size);
DWORD WINAPI RasGetEapUserDataW(HANDLE token, LPCWSTR phonebook, LPCWSTR entry, BYTE *data,
                                DWORD *size) {
  return get_eap(1, token, phonebook, entry, data, size);
}

DWORD WINAPI RasSetEapUserDataA(HANDLE token, LPCSTR phonebook, LPCSTR entry, BYTE *data,
                                DWORD size);
DWORD WINAPI RasSetEapUserDataA(HANDLE token, LPCSTR phonebook, LPCSTR entry, BYTE *data,
                                DWORD size) {
  return set_eap(0, token, phonebook, entry, data, size);
}

DWORD WINAPI RasSetEapUserDataW(HANDLE token, LPCWSTR phonebook, LPCWSTR entry, BYTE *data,
                                DWORD size);
DWORD WINAPI RasSetEapUserDataW(HANDLE token, LPCWSTR phonebook, LPCWSTR entry, BYTE *data,
                                DWORD size) {
  return set_eap(1, token, phonebook, entry, data, size);
}
