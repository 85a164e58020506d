/* Which phone-book files a RAS call means, and the shared plumbing of the phone-book
 * exports: argument conversion, entry-name rules, lookups and locked updates.
 *
 * A call naming a phone book uses that file. A call passing NULL uses the default
 * phone books: the user's %APPDATA%\Microsoft\Network\Connections\Pbk\rasphone.pbk
 * first, then the all-users one under %ProgramData% (what RasEnumEntries lists
 * together and RasDial searches in that order). An entry found in one of them is read
 * and written there; a new entry goes to the user's phone book. Paths reach the core
 * as UTF-8. */
#ifndef OPENRAS_DLL_PBK_ACCESS_H
#define OPENRAS_DLL_PBK_ACCESS_H

#include <windows.h>

#include "openras/engine.h"
#include "openras/pbk.h"

enum { ORAPB_USER = 0, ORAPB_ALLUSERS = 1 };

typedef struct {
  char path[2][ORA_PATH_BYTES]; /* UTF-8; "" when unknown */
  int kind[2];                  /* ORAPB_USER / ORAPB_ALLUSERS of each path */
  int n;                        /* 1 for a named phone book, else the defaults known */
  int named;
} orapb_set;

/* Fills set from the phonebook argument (char or WCHAR string, or NULL). 0, or
 * ERROR_INVALID_PARAMETER for a path that does not fit or is empty. */
int orapb_resolve(int wide, const void *phonebook, orapb_set *set);
/* The same for a UTF-8 path (NULL = the default phone books). */
int orapb_resolve_utf8(const char *phonebook, orapb_set *set);

/* A string argument (entry name...) to UTF-8 in out[cap]: 1 if it fit, 0 if not. At most
 * (cap - 1) / 3 characters (the Win32 limit of an ORA_*_BYTES field) plus one are read,
 * so an unterminated argument is refused without being read to its end. */
int orapb_arg(int wide, const void *s, char *out, size_t cap);

/* Makes a UTF-8 phone-book path absolute, in place: the manager that opens the file
 * runs in another folder. 1 on success, 0 when the result does not fit. */
int orapb_absolute(char *path, size_t cap);

/* RasValidateEntryName's rules: 1 when name may name an entry. */
int orapb_name_valid(const char *name);

/* Loads set->path[i]. A missing default phone book is an empty one; a missing named
 * phone book is ORA_ERROR_CANNOT_OPEN_PHONEBOOK; a malformed one 622. */
int orapb_load(const orapb_set *set, int i, ora_pbk **out);

/* Finds entry in the set: 0 with *which (index into set) and, if pb_out, the loaded
 * phone book (caller frees); 623 when absent; or a load error. */
int orapb_find(const orapb_set *set, const char *entry, int *which, ora_pbk **pb_out);

/* The entry argument of a call (A or W) into name (ORA_ENTRY_BYTES), then the phone
 * book that holds it, as orapb_find: 0, or 87 for a NULL entry, 623 (also for an
 * entry argument that is no valid string), 621, 622. */
int orapb_locate(int wide, const void *phonebook, const void *entry_arg, char *name, orapb_set *set,
                 int *which, ora_pbk **pb_out);

/* ora_pbk_update on path, creating the folders it needs first. */
int orapb_update(const char *path, ora_pbk_update_fn fn, void *ctx);

/* Windows error codes the phone-book functions return that rasdefs.h lacks. */
enum {
  ORAPB_ERROR_ACCESS_DENIED = 5,
  ORAPB_ERROR_INVALID_NAME = 123,
  ORAPB_ERROR_ALREADY_EXISTS = 183,
  ORAPB_ERROR_INVALID_USER_BUFFER = 1784,
  ORAPB_ERROR_BUFFER_INVALID = 610
};

#endif
