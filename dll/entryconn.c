/* From a phone-book entry to its connection (RasGetEntryHrasconn) and from a
 * connection to its subentry links (RasGetSubEntryHandle). */
#include <windows.h>

#include <string.h>

#include "engine_client.h"
#include "pbk_access.h"
#include "strconv.h"

static DWORD entry_hrasconn(int wide, const void *phonebook, const void *entry, HANDLE *out) {
  if (!entry || !out)
    return ERROR_INVALID_PARAMETER;
  char pb[ORA_PATH_BYTES] = "", name[ORA_ENTRY_BYTES];
  /* The converters return 1 when the whole string fit its field. */
  int ok = wide ? ora_w_to_utf8(entry, 256, name, sizeof name)
                : ora_a_to_utf8(entry, 256, name, sizeof name);
  if (ok && phonebook)
    ok = wide ? ora_w_to_utf8(phonebook, MAX_PATH, pb, sizeof pb)
              : ora_a_to_utf8(phonebook, MAX_PATH, pb, sizeof pb);
  if (!ok || !name[0] || !orapb_absolute(pb, sizeof pb))
    return ERROR_INVALID_PARAMETER;
  ora_handle h = 0;
  int rc = ora_engine_find(orac_engine(), pb, name, &h);
  if (rc)
    return (DWORD)rc;
  *out = orac_hconn(h);
  return 0;
}

DWORD WINAPI RasGetEntryHrasconnA(LPCSTR phonebook, LPCSTR entry, HANDLE *out);
DWORD WINAPI RasGetEntryHrasconnA(LPCSTR phonebook, LPCSTR entry, HANDLE *out) {
  return entry_hrasconn(0, phonebook, entry, out);
}

DWORD WINAPI RasGetEntryHrasconnW(LPCWSTR phonebook, LPCWSTR entry, HANDLE *out);
DWORD WINAPI RasGetEntryHrasconnW(LPCWSTR phonebook, LPCWSTR entry, HANDLE *out) {
  return entry_hrasconn(1, phonebook, entry, out);
}

/* OpenRAS connections have a single link: subentry 1 is the connection itself, so
 * hanging up its handle ends that (only) link. */
static DWORD subentry_handle(HANDLE conn, DWORD subentry, HANDLE *out) {
  if (!out)
    return ERROR_INVALID_PARAMETER;
  ora_status st;
  ora_handle h;
  if (!orac_handle_of(conn, &h) || ora_engine_status(orac_engine(), h, &st) != 0 || st.state != ORA_CS_Connected)
    return ERROR_INVALID_HANDLE;
  if (subentry != 1)
    return ERROR_NO_MORE_ITEMS;
  *out = conn;
  return 0;
}

DWORD WINAPI RasGetSubEntryHandleA(HANDLE conn, DWORD subentry, HANDLE *out);
DWORD WINAPI RasGetSubEntryHandleA(HANDLE conn, DWORD subentry, HANDLE *out) {
  return subentry_handle(conn, subentry, out);
}

DWORD WINAPI RasGetSubEntryHandleW(HANDLE conn, DWORD subentry, HANDLE *out);
DWORD WINAPI RasGetSubEntryHandleW(HANDLE conn, DWORD subentry, HANDLE *out) {
  return subentry_handle(conn, subentry, out);
}
