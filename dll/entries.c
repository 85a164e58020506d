/* RasEnumEntries, RasValidateEntryName, RasDeleteEntry, RasRenameEntry (A and W). */
#include <windows.h>

#include <stdlib.h>
#include <string.h>

#include "credstore.h"
#include "pbk_access.h"
#include "pbk_layouts.h"
#include "strconv.h"

/* ---- RasEnumEntries ---- */

typedef struct {
  DWORD size;
  WORD name_units, flags, path; /* 0: the layout has no such member */
} ren_layout;

static const ren_layout ren_a[] = {
    {sizeof(ora_rena_35), 21, 0, 0},
    {sizeof(ora_rena_400), 257, 0, 0},
    {sizeof(ora_rena_500), 257, offsetof(ora_rena_500, dwFlags),
     offsetof(ora_rena_500, szPhonebookPath)},
};
static const ren_layout ren_w[] = {
    {sizeof(ora_renw_35), 21, 0, 0},
    {sizeof(ora_renw_400), 257, 0, 0},
    {sizeof(ora_renw_500), 257, offsetof(ora_renw_500, dwFlags),
     offsetof(ora_renw_500, szPhonebookPath)},
};

static void put_str(int wide, BYTE *base, size_t off, size_t units, const char *utf8) {
  if (wide)
    ora_utf8_to_w(utf8, (WCHAR *)(void *)(base + off), units);
  else
    ora_utf8_to_a(utf8, (char *)(base + off), units);
}

static DWORD enum_entries(int wide, const void *reserved, const void *phonebook, void *buf,
                          DWORD *lpcb, DWORD *lpcount) {
  if (reserved || !lpcb || !lpcount)
    return ERROR_INVALID_PARAMETER;
  const ren_layout *table = wide ? ren_w : ren_a;
  const ren_layout *l = &table[2]; /* a size probe is answered in the newest layout */
  if (buf) {
    DWORD size;
    memcpy(&size, buf, sizeof size);
    l = NULL;
    for (size_t i = 0; i < 3; i++)
      if (table[i].size == size)
        l = &table[i];
    if (!l)
      return ORA_ERROR_INVALID_SIZE;
  }
  orapb_set set;
  int rc = orapb_resolve(wide, phonebook, &set);
  if (rc)
    return (DWORD)rc;
  ora_pbk *pb[2] = {NULL, NULL};
  size_t count = 0;
  for (int i = 0; i < set.n && !rc; i++) {
    rc = orapb_load(&set, i, &pb[i]);
    if (!rc)
      count += ora_pbk_count(pb[i]);
  }
  DWORD need = (DWORD)(count * l->size);
  if (!rc && (!buf || *lpcb < need)) {
    *lpcb = need;
    *lpcount = (DWORD)count;
    rc = count ? ORA_ERROR_BUFFER_TOO_SMALL : 0; /* none: nothing to make room for */
  } else if (!rc) {
    BYTE *p = buf;
    for (int i = 0; i < set.n; i++) {
      for (size_t k = 0; k < ora_pbk_count(pb[i]); k++, p += l->size) {
        memset(p, 0, l->size);
        memcpy(p, &l->size, sizeof l->size);
        put_str(wide, p, sizeof(DWORD), l->name_units, ora_pbk_name(pb[i], k));
        if (l->flags) {
          DWORD flags = !set.named && set.kind[i] == ORAPB_ALLUSERS; /* REN_AllUsers : REN_User */
          memcpy(p + l->flags, &flags, sizeof flags);
          put_str(wide, p, l->path, MAX_PATH + 1, set.path[i]);
        }
      }
    }
    *lpcb = need;
    *lpcount = (DWORD)count;
  }
  ora_pbk_free(pb[0]);
  ora_pbk_free(pb[1]);
  return (DWORD)rc;
}

DWORD WINAPI RasEnumEntriesA(LPCSTR reserved, LPCSTR phonebook, void *buf, DWORD *lpcb,
                             DWORD *lpcount);
DWORD WINAPI RasEnumEntriesA(LPCSTR reserved, LPCSTR phonebook, void *buf, DWORD *lpcb,
                             DWORD *lpcount) {
  return enum_entries(0, reserved, phonebook, buf, lpcb, lpcount);
}

DWORD WINAPI RasEnumEntriesW(LPCWSTR reserved, LPCWSTR phonebook, void *buf, DWORD *lpcb,
                             DWORD *lpcount);
DWORD WINAPI RasEnumEntriesW(LPCWSTR reserved, LPCWSTR phonebook, void *buf, DWORD *lpcb,
                             DWORD *lpcount) {
  return enum_entries(1, reserved, phonebook, buf, lpcb, lpcount);
}

/* ---- RasValidateEntryName ---- */

static DWORD validate_name(int wide, const void *phonebook, const void *entry) {
  char name[ORA_ENTRY_BYTES];
  if (!entry)
    return ERROR_INVALID_PARAMETER;
  if (!orapb_arg(wide, entry, name, sizeof name) || !orapb_name_valid(name))
    return ORAPB_ERROR_INVALID_NAME;
  orapb_set set;
  int which, rc = orapb_resolve(wide, phonebook, &set);
  if (rc)
    return (DWORD)rc;
  rc = orapb_find(&set, name, &which, NULL);
  if (rc == 0)
    return ORAPB_ERROR_ALREADY_EXISTS;
  return rc == ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY ? 0 : (DWORD)rc;
}

DWORD WINAPI RasValidateEntryNameA(LPCSTR phonebook, LPCSTR entry);
DWORD WINAPI RasValidateEntryNameA(LPCSTR phonebook, LPCSTR entry) {
  return validate_name(0, phonebook, entry);
}

DWORD WINAPI RasValidateEntryNameW(LPCWSTR phonebook, LPCWSTR entry);
DWORD WINAPI RasValidateEntryNameW(LPCWSTR phonebook, LPCWSTR entry) {
  return validate_name(1, phonebook, entry);
}

/* ---- RasDeleteEntry / RasRenameEntry ---- */

typedef struct {
  const char *name, *new_name;
} edit_ctx;

static int delete_fn(ora_pbk *pb, void *ctx) {
  return ora_pbk_remove(pb, ((edit_ctx *)ctx)->name);
}

static int rename_fn(ora_pbk *pb, void *ctx) {
  edit_ctx *e = ctx;
  int rc = ora_pbk_rename(pb, e->name, e->new_name);
  return rc == ORA_PBK_ERROR_ALREADY_EXISTS ? ORAPB_ERROR_ALREADY_EXISTS : rc;
}

static DWORD delete_entry(int wide, const void *phonebook, const void *entry) {
  char name[ORA_ENTRY_BYTES];
  if (!entry)
    return ERROR_INVALID_PARAMETER;
  if (!orapb_arg(wide, entry, name, sizeof name))
    return ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
  orapb_set set;
  int which, rc = orapb_resolve(wide, phonebook, &set);
  if (!rc)
    rc = orapb_find(&set, name, &which, NULL);
  edit_ctx e = {name, NULL};
  if (!rc)
    rc = orapb_update(set.path[which], delete_fn, &e);
  if (!rc) {
    oracred_forget(set.path[which], name);
    oraeap_forget(set.path[which], name);
  }
  return (DWORD)rc;
}

DWORD WINAPI RasDeleteEntryA(LPCSTR phonebook, LPCSTR entry);
DWORD WINAPI RasDeleteEntryA(LPCSTR phonebook, LPCSTR entry) {
  return delete_entry(0, phonebook, entry);
}

DWORD WINAPI RasDeleteEntryW(LPCWSTR phonebook, LPCWSTR entry);
DWORD WINAPI RasDeleteEntryW(LPCWSTR phonebook, LPCWSTR entry) {
  return delete_entry(1, phonebook, entry);
}

static DWORD rename_entry(int wide, const void *phonebook, const void *old_entry,
                          const void *new_entry) {
  char old_name[ORA_ENTRY_BYTES], new_name[ORA_ENTRY_BYTES];
  if (!old_entry || !new_entry)
    return ERROR_INVALID_PARAMETER;
  if (!orapb_arg(wide, old_entry, old_name, sizeof old_name))
    return ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
  if (!orapb_arg(wide, new_entry, new_name, sizeof new_name) || !orapb_name_valid(new_name))
    return ORAPB_ERROR_INVALID_NAME;
  orapb_set set;
  int which, rc = orapb_resolve(wide, phonebook, &set);
  if (!rc)
    rc = orapb_find(&set, old_name, &which, NULL);
  edit_ctx e = {old_name, new_name};
  if (!rc)
    rc = orapb_update(set.path[which], rename_fn, &e);
  if (!rc) {
    oracred_rename(set.path[which], old_name, new_name);
    oraeap_rename(set.path[which], old_name, new_name);
  }
  return (DWORD)rc;
}

DWORD WINAPI RasRenameEntryA(LPCSTR phonebook, LPCSTR old_entry, LPCSTR new_entry);
DWORD WINAPI RasRenameEntryA(LPCSTR phonebook, LPCSTR old_entry, LPCSTR new_entry) {
  return rename_entry(0, phonebook, old_entry, new_entry);
}

DWORD WINAPI RasRenameEntryW(LPCWSTR phonebook, LPCWSTR old_entry, LPCWSTR new_entry);
DWORD WINAPI RasRenameEntryW(LPCWSTR phonebook, LPCWSTR old_entry, LPCWSTR new_entry) {
  return rename_entry(1, phonebook, old_entry, new_entry);
}
