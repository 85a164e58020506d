/* Phone-book plumbing shared by the phone-book exports (pbk_access.h). */
#include "pbk_access.h"

#include <string.h>

#include "strconv.h"

/* %VAR%\Microsoft\Network\Connections\Pbk\rasphone.pbk in UTF-8, or "". */
static void default_path(const WCHAR *var, char *out, size_t cap) {
  static const WCHAR tail[] = L"\\Microsoft\\Network\\Connections\\Pbk\\rasphone.pbk";
  WCHAR path[MAX_PATH + ARRAYSIZE(tail)];
  out[0] = 0;
  DWORD n = GetEnvironmentVariableW(var, path, MAX_PATH);
  if (n == 0 || n >= MAX_PATH)
    return;
  memcpy(path + n, tail, sizeof tail);
  if (!ora_w_to_utf8(path, ARRAYSIZE(path), out, cap))
    out[0] = 0;
}

int orapb_arg(int wide, const void *s, char *out, size_t cap) {
  /* Read at most the Win32 limit of a field of cap bytes (ORA_*_BYTES = limit * 3 + 1)
   * plus one character: a longer argument does not fit, and an unterminated one is
   * never read past that. */
  size_t limit = cap ? (cap - 1) / 3 : 0, n = 0, chars = 0;
  if (wide) {
    const WCHAR *w = s;
    while (chars <= limit && w[n])
      n++, chars++;
  } else {
    const char *a = s;
    while (chars <= limit && a[n]) {
      n += IsDBCSLeadByte((BYTE)a[n]) && a[n + 1] ? 2 : 1;
      chars++;
    }
  }
  if (chars > limit) {
    if (cap)
      out[0] = 0;
    return 0;
  }
  return wide ? ora_w_to_utf8(s, n + 1, out, cap) : ora_a_to_utf8(s, n + 1, out, cap);
}

int orapb_absolute(char *path, size_t cap) {
  WCHAR w[MAX_PATH + 1], full[MAX_PATH + 1];
  if (!path[0])
    return 1;
  if (!MultiByteToWideChar(CP_UTF8, 0, path, -1, w, MAX_PATH + 1))
    return 0;
  DWORD n = GetFullPathNameW(w, MAX_PATH + 1, full, NULL);
  if (n == 0 || n > MAX_PATH)
    return 0;
  char out[ORA_PATH_BYTES];
  if (!WideCharToMultiByte(CP_UTF8, 0, full, -1, out, sizeof out, NULL, NULL) || strlen(out) >= cap)
    return 0;
  memcpy(path, out, strlen(out) + 1);
  return 1;
}

int orapb_resolve(int wide, const void *phonebook, orapb_set *set) {
  char path[ORA_PATH_BYTES];
  if (!phonebook)
    return orapb_resolve_utf8(NULL, set);
  if (!orapb_arg(wide, phonebook, path, sizeof path) || !path[0]) {
    memset(set, 0, sizeof *set);
    return ORA_ERROR_INVALID_PARAMETER;
  }
  return orapb_resolve_utf8(path, set);
}

int orapb_resolve_utf8(const char *phonebook, orapb_set *set) {
  memset(set, 0, sizeof *set);
  if (phonebook) {
    size_t n = strlen(phonebook);
    if (n == 0 || n >= sizeof set->path[0])
      return ORA_ERROR_INVALID_PARAMETER;
    memcpy(set->path[0], phonebook, n + 1);
    if (!orapb_absolute(set->path[0], sizeof set->path[0]))
      return ORA_ERROR_INVALID_PARAMETER;
    set->n = 1;
    set->named = 1;
    return 0;
  }
  char path[ORA_PATH_BYTES];
  default_path(L"APPDATA", path, sizeof path);
  if (path[0]) {
    memcpy(set->path[set->n], path, sizeof path);
    set->kind[set->n++] = ORAPB_USER;
  }
  default_path(L"ProgramData", path, sizeof path);
  if (!path[0])
    default_path(L"ALLUSERSPROFILE", path, sizeof path);
  if (path[0]) {
    memcpy(set->path[set->n], path, sizeof path);
    set->kind[set->n++] = ORAPB_ALLUSERS;
  }
  return 0;
}

int orapb_name_valid(const char *name) {
  static const char bad[] = "|><?*\\/:";
  int alnum = 0;
  size_t n = strlen(name);
  /* Windows 2000 and later refuse a leading period; the phone book cannot hold
   * control characters; RAS_MaxEntryName is 256 characters. */
  if (n == 0 || name[0] == '.' || n > ORA_ENTRY_BYTES - 1)
    return 0;
  for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
    if (*p < 0x20 || *p == 0x7F || strchr(bad, *p))
      return 0;
    if ((*p >= '0' && *p <= '9') || ((*p | 32) >= 'a' && (*p | 32) <= 'z') || *p >= 0x80)
      alnum = 1; /* non-ASCII letters count as alphanumeric */
  }
  int units = MultiByteToWideChar(CP_UTF8, 0, name, -1, NULL, 0);
  return alnum && units > 0 && units - 1 <= 256;
}

int orapb_load(const orapb_set *set, int i, ora_pbk **out) {
  return ora_pbk_load(set->path[i], set->named ? 0 : ORA_PBK_MISSING_OK, out);
}

int orapb_find(const orapb_set *set, const char *entry, int *which, ora_pbk **pb_out) {
  for (int i = 0; i < set->n; i++) {
    ora_pbk *pb = NULL;
    int rc = orapb_load(set, i, &pb);
    if (rc)
      return rc;
    if (ora_pbk_find(pb, entry) >= 0) {
      *which = i;
      if (pb_out)
        *pb_out = pb;
      else
        ora_pbk_free(pb);
      return 0;
    }
    ora_pbk_free(pb);
  }
  return ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
}

/* Creates every missing folder above the file path (the default phone books' folders
 * do not exist until the first entry is saved). */
static void make_parents(const char *path) {
  WCHAR w[ORA_PATH_BYTES];
  if (!MultiByteToWideChar(CP_UTF8, 0, path, -1, w, ARRAYSIZE(w)))
    return;
  WCHAR *last = wcsrchr(w, L'\\');
  WCHAR *slash = wcsrchr(w, L'/');
  if (slash > last)
    last = slash;
  if (!last)
    return;
  *last = 0;
  if (GetFileAttributesW(w) != INVALID_FILE_ATTRIBUTES)
    return;
  for (WCHAR *p = w; *p; p++) {
    if ((*p == L'\\' || *p == L'/') && p > w && p[-1] != L':' && p[-1] != L'\\') {
      WCHAR c = *p;
      *p = 0;
      CreateDirectoryW(w, NULL);
      *p = c;
    }
  }
  CreateDirectoryW(w, NULL);
}

int orapb_locate(int wide, const void *phonebook, const void *entry_arg, char *name, orapb_set *set,
                 int *which, ora_pbk **pb_out) {
  if (!entry_arg)
    return ORA_ERROR_INVALID_PARAMETER;
  if (!orapb_arg(wide, entry_arg, name, ORA_ENTRY_BYTES))
    return ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
  int rc = orapb_resolve(wide, phonebook, set);
  return rc ? rc : orapb_find(set, name, which, pb_out);
}

int orapb_update(const char *path, ora_pbk_update_fn fn, void *ctx) {
  make_parents(path);
  return ora_pbk_update(path, fn, ctx);
}
