/* RasGetSubEntryProperties, RasSetSubEntryProperties, RasDeleteSubEntry (A and W).
 *
 * A subentry is one link of a (multilink) entry. In rasphone.pbk each link is a MEDIA=
 * block (Port=, the device name in Device=, ConnectBPS=) followed by a DEVICE= block
 * (the device type on the DEVICE= line, then the phone numbers); the links are the
 * DEVICE= blocks in file order, and link N's MEDIA block is the one between link N-1's
 * DEVICE= line and its own. Link 1 is what RASENTRY's device and number members show
 * (dll/entry_props.c), so the conventions here are the same: the first PhoneNumber
 * group of a DEVICE block is the number, the following groups the alternates; only
 * changed values are written and every other line stays as it was.
 * docs/phonebook-api.md ("Subentries") has the rules and the decisions. */
#include <windows.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alternates.h"
#include "devices.h"
#include "openras/base/text.h"
#include "entry_lines.h"
#include "pbk_access.h"
#include "strconv.h"

/* RASSUBENTRY (ras.h, pack(4), one version): no pointers, the same on x86 and x64. */
#pragma pack(push, 4)
typedef struct {
  DWORD dwSize;
  DWORD dwfFlags;
  char szDeviceType[16 + 1];
  char szDeviceName[128 + 1];
  char szLocalPhoneNumber[128 + 1];
  DWORD dwAlternateOffset;
} ora_rassubentry_a;
typedef struct {
  DWORD dwSize;
  DWORD dwfFlags;
  WCHAR szDeviceType[16 + 1];
  WCHAR szDeviceName[128 + 1];
  WCHAR szLocalPhoneNumber[128 + 1];
  DWORD dwAlternateOffset;
} ora_rassubentry_w;
#pragma pack(pop)
_Static_assert(sizeof(ora_rassubentry_a) == 288, "RASSUBENTRYA");
_Static_assert(sizeof(ora_rassubentry_w) == 564, "RASSUBENTRYW");
_Static_assert(offsetof(ora_rassubentry_a, dwAlternateOffset) == 284 &&
                   offsetof(ora_rassubentry_w, dwAlternateOffset) == 560,
               "RASSUBENTRY dwAlternateOffset");

/* One link, in UTF-8. */
typedef struct {
  char type[ORA_DEVTYPE_BYTES];
  char name[ORA_DEVNAME_BYTES];
  char number[ORA_PHONE_BYTES];
  ora_alternates alts;
} sub;

/* ---------------------------------------------------------------- the entry's lines */

/* Sets a key of the general part (ORA_Link, PreferredPort, ...). */
static int g_set(const ent *e, const char *key, const char *value) {
  size_t g = gen_end(e);
  return set_in(e, 0, g, key, value);
}

/* ---------------------------------------------------------------- links */

/* Link k (1-based): its DEVICE= line and its own MEDIA= line (-1 when absent). */
typedef struct {
  long device, media;
  long first_media; /* the entry's first MEDIA= line: what RASENTRY and a dial use */
  size_t count;     /* DEVICE= blocks in the entry */
} link;

static void find_link(const ent *e, size_t k, link *l) {
  size_t n = nlines(e), devs = 0;
  long seg_media = -1; /* the first MEDIA= since the last DEVICE= */
  l->device = l->media = l->first_media = -1;
  for (size_t i = 0; i < n; i++) {
    int mk = marker_at(e, i);
    if (mk == MK_MEDIA) {
      if (l->first_media < 0)
        l->first_media = (long)i;
      if (seg_media < 0)
        seg_media = (long)i;
    } else if (mk == MK_DEVICE) {
      if (++devs == k) {
        l->device = (long)i;
        l->media = seg_media;
      }
      seg_media = -1;
    }
  }
  if (devs + 1 == k)
    l->media = seg_media; /* a link to add: a MEDIA= block after the last DEVICE= */
  l->count = devs;
}

/* What RasGetEntryProperties counts as dwSubEntries: an entry without a DEVICE= block
 * still has its one link. */
static size_t link_count(const link *l) {
  return l->count ? l->count : 1;
}

/* Link k as RasGetSubEntryProperties reports it. Link 1 reads exactly as
 * RasGetEntryProperties does (its fallbacks included), so the two always agree. */
static void read_link(const ent *e, size_t k, sub *s) {
  link l;
  memset(s, 0, sizeof *s);
  find_link(e, k, &l);
  long media = l.media;
  if (media < 0 && k == 1)
    media = l.first_media;
  size_t me = media >= 0 ? block_end(e, (size_t)media) : 0;
  const char *type = l.device >= 0 ? value_at(e, l.device) : NULL;
  const char *name = media >= 0 ? value_at(e, find_in(e, (size_t)media + 1, me, "Device")) : NULL;
  oradev d;
  if (k == 1) /* no device named: the one ORA_Link dials, as RASENTRY reports it */
    link1_device(e, media, me, &d, &type, &name);
  ora_copy_str(s->type, sizeof s->type, type);
  ora_copy_str(s->name, sizeof s->name, name);

  size_t gs[ORA_MAX_ALTERNATES + 1], ge[ORA_MAX_ALTERNATES + 1];
  size_t ng = phone_groups(e, l.device, gs, ge, ORA_MAX_ALTERNATES + 1);
  const char *number = NULL;
  if (ng)
    number = value_at(e, (long)gs[0]);
  else if (k == 1 && !(number = value_at(e, find_in(e, 0, gen_end(e), "PhoneNumber"))))
    number = ora_pbk_get(e->pb, e->name, "PhoneNumber"); /* as RASENTRY reads it */
  ora_copy_str(s->number, sizeof s->number, number);
  for (size_t i = 1; i < ng && s->alts.n < ORA_MAX_ALTERNATES; i++)
    ora_copy_str(s->alts.num[s->alts.n++], ORA_PHONE_BYTES, value_at(e, (long)gs[i]));
}

/* ---------------------------------------------------------------- writing a link */

/* After link 1's device changed: the entry-wide keys that follow it, as
 * RasSetEntryProperties writes them (entry_props.c: write_device). */
static int link1_keys(const ent *e, const char *name, const oradev *d, int ours) {
  int rc = 0;
  const char *port = ours ? d->port : "";
  if (ours)
    rc = g_set(e, "ORA_Link", d->link);
  else if (find_in(e, 0, gen_end(e), "ORA_Link") >= 0)
    rc = ora_pbk_line_remove(e->pb, e->name, (size_t)find_in(e, 0, gen_end(e), "ORA_Link"));
  if (!rc && find_in(e, 0, gen_end(e), "PreferredPort") >= 0)
    rc = g_set(e, "PreferredPort", port);
  if (!rc && find_in(e, 0, gen_end(e), "PreferredDevice") >= 0)
    rc = g_set(e, "PreferredDevice", name);
  return rc;
}

/* Writes link k's device: its own MEDIA block (added before its DEVICE= line, or at the
 * end of the entry) and its DEVICE= line (a new block at the end when it has none).
 * with_keys: also the entry-wide keys of link 1. */
static int write_device(const ent *e, size_t k, const char *type, const char *name, int with_keys) {
  oradev d;
  int ours = oradev_find(name, &d);
  const char *port = ours ? d.port : "";
  int serial = _stricmp(type, "modem") == 0 && _strnicmp(port, "COM", 3) == 0;
  const char *media_kind = serial ? "serial" : "rastapi";
  link l;
  int rc = 0;
  find_link(e, k, &l);
  if (l.media < 0) {
    if (add_block(e, l.device, "MEDIA", media_kind) < 0)
      return ORA_ERROR_NOT_ENOUGH_MEMORY;
    find_link(e, k, &l);
  } else {
    rc = put_line(e, (size_t)l.media, media_kind);
  }
  if (!rc)
    rc = set_in(e, (size_t)l.media + 1, block_end(e, (size_t)l.media), "Port", port);
  if (!rc)
    rc = set_in(e, (size_t)l.media + 1, block_end(e, (size_t)l.media), "Device", name);
  if (!rc && serial &&
      find_in(e, (size_t)l.media + 1, block_end(e, (size_t)l.media), "ConnectBPS") < 0)
    rc = set_in(e, (size_t)l.media + 1, block_end(e, (size_t)l.media), "ConnectBPS", "115200");
  find_link(e, k, &l);
  if (!rc && l.device < 0)
    rc = add_block(e, -1, "DEVICE", type[0] ? type : "modem") < 0 ? ORA_ERROR_NOT_ENOUGH_MEMORY : 0;
  else if (!rc)
    rc = put_line(e, (size_t)l.device, type);
  if (!rc && with_keys && k == 1)
    rc = link1_keys(e, name, &d, ours);
  return rc;
}

/* Link k's number and alternates (entry_props.c: write_numbers). fresh: a new link,
 * which gets its number group even when the number is empty. */
static int write_numbers(const ent *e, size_t k, const sub *s, const sub *old, int fresh) {
  int same_alt = ora_alternates_equal(&s->alts, &old->alts);
  link l;
  int rc = 0;
  find_link(e, k, &l);
  size_t gs[ORA_MAX_ALTERNATES + 1], ge[ORA_MAX_ALTERNATES + 1];
  size_t ng = phone_groups(e, l.device, gs, ge, ORA_MAX_ALTERNATES + 1);
  if (ng == 0 && !fresh && same_alt && strcmp(s->number, old->number) == 0)
    return 0; /* nothing to say that the entry does not say already */
  if (k == 1) {
    /* A hand-written entry may keep its number in the general part: keep it in step. */
    long gp = find_in(e, 0, gen_end(e), "PhoneNumber");
    if (gp >= 0 && (rc = put_line(e, (size_t)gp, s->number)) != 0)
      return rc;
  }
  if (l.device < 0) {
    if (add_block(e, -1, "DEVICE", s->type[0] ? s->type : "modem") < 0)
      return ORA_ERROR_NOT_ENOUGH_MEMORY;
    find_link(e, k, &l);
  }
  if (ng == 0) {
    /* The whole number is szLocalPhoneNumber: no dialing rules. */
    const char *vals[] = {s->number, "", "0", "0", "0", "", "", "0", "0", "1"};
    for (size_t i = 0; i < ARRAYSIZE(group_keys) && !rc; i++)
      rc = ora_pbk_line_insert(e->pb, e->name, (size_t)l.device + 1 + i, group_keys[i], vals[i]);
  } else {
    rc = put_line(e, gs[0], s->number);
  }
  if (rc || same_alt)
    return rc;
  /* The alternates changed: replace every alternate group, with the first number's
   * dialing rules. */
  find_link(e, k, &l);
  ng = phone_groups(e, l.device, gs, ge, ORA_MAX_ALTERNATES + 1);
  char rule[4][ORA_PHONE_BYTES];
  static const char *const rule_keys[] = {"AreaCode", "CountryCode", "CountryID",
                                          "UseDialingRules"};
  static const char *const rule_def[] = {"", "0", "0", "0"};
  for (size_t i = 0; i < 4; i++) {
    const char *v = value_at(e, find_in(e, gs[0], ge[0], rule_keys[i]));
    ora_copy_str(rule[i], sizeof rule[i], v ? v : rule_def[i]);
  }
  for (size_t g = ng; g-- > 1 && !rc;)
    for (size_t i = ge[g]; i-- > gs[g] && !rc;)
      rc = ora_pbk_line_remove(e->pb, e->name, i);
  size_t pos = ge[0];
  for (size_t a = 0; a < s->alts.n && !rc; a++) {
    const char *keys[] = {"PhoneNumber", "AreaCode",        "CountryCode",
                          "CountryID",   "UseDialingRules", "Comment"};
    const char *vals[] = {s->alts.num[a], rule[0], rule[1], rule[2], rule[3], ""};
    for (size_t i = 0; i < ARRAYSIZE(keys) && !rc; i++)
      rc = ora_pbk_line_insert(e->pb, e->name, pos++, keys[i], vals[i]);
  }
  return rc;
}

/* Writes link k: an existing one (k <= count) or a new one (k == count + 1). */
static int write_link(const ent *e, size_t k, const sub *s) {
  sub *old = malloc(sizeof *old);
  if (!old)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  link l;
  int rc = 0;
  find_link(e, k, &l);
  int is_new = k > link_count(&l);
  if (is_new) {
    /* Every link needs its own blocks before another is added after it: an entry
     * without DEVICE= (or whose first link has no MEDIA=) gets them first, from what
     * its link 1 reads as now. */
    link l1;
    find_link(e, 1, &l1);
    if (l1.device < 0 || l1.media < 0) {
      read_link(e, 1, old);
      rc = write_device(e, 1, old->type, old->name, 0);
      static const sub none;
      if (!rc && l1.device < 0)
        rc = write_numbers(e, 1, old, &none, 0);
    }
    memset(old, 0, sizeof *old);
  } else {
    read_link(e, k, old);
  }
  /* The device, only when it changed: an unchanged one keeps its blocks as they are. */
  if (!rc && (is_new || ((strcmp(s->type, old->type) != 0 || !ieq_u(s->name, old->name)) &&
                         (s->type[0] || s->name[0]))))
    rc = write_device(e, k, s->type, s->name, 1);
  if (!rc)
    rc = write_numbers(e, k, s, old, is_new);
  free(old);
  return rc;
}

/* Removes lines [from, to) of the entry, last first. */
static int remove_lines(const ent *e, size_t from, size_t to) {
  int rc = 0;
  for (size_t i = to; i-- > from && !rc;)
    rc = ora_pbk_line_remove(e->pb, e->name, i);
  return rc;
}

/* The range of the block at line i without its trailing blank lines and with the blank
 * line before it: what add_block added. */
static void block_range(const ent *e, size_t i, size_t *from, size_t *to) {
  *to = append_pos(e, i, block_end(e, i));
  *from = i > 0 && is_blank(e, i - 1) ? i - 1 : i;
}

/* Deletes link k (2 <= count). The new link 1 takes over the entry-wide keys. */
static int delete_link(const ent *e, size_t k) {
  link l;
  find_link(e, k, &l);
  size_t df, dt, mf = 0, mt = 0;
  block_range(e, (size_t)l.device, &df, &dt);
  if (l.media >= 0)
    block_range(e, (size_t)l.media, &mf, &mt);
  int rc = remove_lines(e, df, dt);
  if (!rc && l.media >= 0)
    rc = remove_lines(e, mf, mt); /* before the DEVICE= block: its lines did not move */
  if (rc || k != 1)
    return rc;
  sub *s = malloc(sizeof *s);
  if (!s)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  find_link(e, 1, &l);
  const char *name =
      l.media >= 0
          ? value_at(e, find_in(e, (size_t)l.media + 1, block_end(e, (size_t)l.media), "Device"))
          : NULL;
  if (name && *name) {
    oradev d;
    char copy[ORA_DEVNAME_BYTES];
    ora_copy_str(copy, sizeof copy, name);
    int ours = oradev_find(copy, &d);
    rc = link1_keys(e, copy, &d, ours);
  }
  read_link(e, 1, s);
  long gp = find_in(e, 0, gen_end(e), "PhoneNumber");
  if (!rc && gp >= 0)
    rc = put_line(e, (size_t)gp, s->number);
  free(s);
  return rc;
}

/* ---------------------------------------------------------------- the caller's buffer */

static DWORD struct_size(int wide) {
  return wide ? sizeof(ora_rassubentry_w) : sizeof(ora_rassubentry_a);
}

/* The caller's structure and alternates into s (buf holds bufsize >= dwSize bytes). */
static int from_caller(int wide, const BYTE *buf, DWORD bufsize, sub *s) {
  DWORD size = struct_size(wide), off;
  memset(s, 0, sizeof *s);
  if (wide) {
    ora_rassubentry_w w;
    memcpy(&w, buf, size);
    ora_w_to_utf8(w.szDeviceType, ARRAYSIZE(w.szDeviceType), s->type, sizeof s->type);
    ora_w_to_utf8(w.szDeviceName, ARRAYSIZE(w.szDeviceName), s->name, sizeof s->name);
    ora_w_to_utf8(w.szLocalPhoneNumber, ARRAYSIZE(w.szLocalPhoneNumber), s->number,
                  sizeof s->number);
    off = w.dwAlternateOffset;
  } else {
    ora_rassubentry_a a;
    memcpy(&a, buf, size);
    ora_a_to_utf8(a.szDeviceType, sizeof a.szDeviceType, s->type, sizeof s->type);
    ora_a_to_utf8(a.szDeviceName, sizeof a.szDeviceName, s->name, sizeof s->name);
    ora_a_to_utf8(a.szLocalPhoneNumber, sizeof a.szLocalPhoneNumber, s->number, sizeof s->number);
    off = a.dwAlternateOffset;
  }
  return ora_alternates_read(wide, buf, size, bufsize, off, &s->alts);
}

/* Writes the structure and the alternates (the caller checked the room). */
static void to_caller(int wide, const sub *s, BYTE *buf) {
  DWORD size = struct_size(wide), alt = s->alts.n ? size : 0;
  if (wide) {
    ora_rassubentry_w w;
    memset(&w, 0, sizeof w);
    w.dwSize = size;
    ora_utf8_to_w(s->type, w.szDeviceType, ARRAYSIZE(w.szDeviceType));
    ora_utf8_to_w(s->name, w.szDeviceName, ARRAYSIZE(w.szDeviceName));
    ora_utf8_to_w(s->number, w.szLocalPhoneNumber, ARRAYSIZE(w.szLocalPhoneNumber));
    w.dwAlternateOffset = alt;
    memcpy(buf, &w, size);
  } else {
    ora_rassubentry_a a;
    memset(&a, 0, sizeof a);
    a.dwSize = size;
    ora_utf8_to_a(s->type, a.szDeviceType, sizeof a.szDeviceType);
    ora_utf8_to_a(s->name, a.szDeviceName, sizeof a.szDeviceName);
    ora_utf8_to_a(s->number, a.szLocalPhoneNumber, sizeof a.szLocalPhoneNumber);
    a.dwAlternateOffset = alt;
    memcpy(buf, &a, size);
  }
  ora_alternates_write(wide, &s->alts, buf + size);
}

/* ---------------------------------------------------------------- the exports */

static DWORD get_sub(int wide, const void *phonebook, const void *entry_arg, DWORD k, void *buf,
                     DWORD *lpcb, DWORD *devcfg_size) {
  DWORD size = struct_size(wide);
  if (buf) {
    if (!lpcb)
      return ERROR_INVALID_PARAMETER;
    DWORD given;
    memcpy(&given, buf, sizeof given);
    if (given != size)
      return ORA_ERROR_INVALID_SIZE;
  }
  if (k == 0 || !entry_arg)
    return ERROR_INVALID_PARAMETER;
  char name[ORA_ENTRY_BYTES];
  orapb_set set;
  ora_pbk *pb = NULL;
  int which;
  int rc = orapb_locate(wide, phonebook, entry_arg, name, &set, &which, &pb);
  /* The TAPI device configuration is no longer used: none. */
  if (devcfg_size)
    *devcfg_size = 0;
  if (rc)
    return (DWORD)rc;
  sub *s = malloc(sizeof *s);
  ent e = {pb, name};
  link l;
  find_link(&e, k, &l);
  if (!s)
    rc = ORA_ERROR_NOT_ENOUGH_MEMORY;
  else if (k > link_count(&l))
    rc = ERROR_INVALID_PARAMETER;
  else
    read_link(&e, k, s);
  ora_pbk_free(pb);
  if (!rc && lpcb) {
    DWORD need = size + ora_alternates_bytes(wide, &s->alts);
    if (!buf || *lpcb < need)
      rc = ORA_ERROR_BUFFER_TOO_SMALL;
    else
      to_caller(wide, s, buf);
    *lpcb = need;
  }
  free(s);
  return (DWORD)rc;
}

DWORD WINAPI RasGetSubEntryPropertiesA(LPCSTR phonebook, LPCSTR entry, DWORD subentry, void *buf,
                                       DWORD *lpcb, BYTE *devcfg, DWORD *devcfg_size);
DWORD WINAPI RasGetSubEntryPropertiesA(LPCSTR phonebook, LPCSTR entry, DWORD subentry, void *buf,
                                       DWORD *lpcb, BYTE *devcfg, DWORD *devcfg_size) {
  (void)devcfg;
  return get_sub(0, phonebook, entry, subentry, buf, lpcb, devcfg_size);
}

DWORD WINAPI RasGetSubEntryPropertiesW(LPCWSTR phonebook, LPCWSTR entry, DWORD subentry, void *buf,
                                       DWORD *lpcb, BYTE *devcfg, DWORD *devcfg_size);
DWORD WINAPI RasGetSubEntryPropertiesW(LPCWSTR phonebook, LPCWSTR entry, DWORD subentry, void *buf,
                                       DWORD *lpcb, BYTE *devcfg, DWORD *devcfg_size) {
  (void)devcfg;
  return get_sub(1, phonebook, entry, subentry, buf, lpcb, devcfg_size);
}

typedef struct {
  const char *name;
  size_t k;
  const sub *s; /* NULL: delete link k */
} sub_ctx;

static int set_fn(ora_pbk *pb, void *ctx) {
  sub_ctx *c = ctx;
  ent e = {pb, c->name};
  link l;
  if (ora_pbk_find(pb, c->name) < 0)
    return ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY; /* deleted since it was found */
  find_link(&e, c->k, &l);
  size_t count = link_count(&l);
  if (c->s)
    return c->k > count + 1 ? ERROR_INVALID_PARAMETER : write_link(&e, c->k, c->s);
  if (c->k > count || count < 2)
    return ERROR_INVALID_PARAMETER; /* no such link, or the entry's only one */
  return delete_link(&e, c->k);
}

static DWORD set_sub(int wide, const void *phonebook, const void *entry_arg, DWORD k,
                     const void *buf, DWORD bufsize) {
  if (!buf || !entry_arg)
    return ERROR_INVALID_PARAMETER;
  DWORD size = struct_size(wide), given;
  memcpy(&given, buf, sizeof given);
  if (given != size)
    return ORA_ERROR_INVALID_SIZE;
  if (bufsize < size || k == 0)
    return ERROR_INVALID_PARAMETER;
  sub *s = malloc(sizeof *s);
  if (!s)
    return ORA_ERROR_NOT_ENOUGH_MEMORY;
  char name[ORA_ENTRY_BYTES];
  orapb_set set;
  int which;
  int rc = from_caller(wide, buf, bufsize, s);
  if (!rc)
    rc = orapb_locate(wide, phonebook, entry_arg, name, &set, &which, NULL);
  sub_ctx c = {name, k, s};
  if (!rc)
    rc = orapb_update(set.path[which], set_fn, &c);
  free(s);
  return (DWORD)rc;
}

DWORD WINAPI RasSetSubEntryPropertiesA(LPCSTR phonebook, LPCSTR entry, DWORD subentry, void *buf,
                                       DWORD bufsize, BYTE *devcfg, DWORD devcfg_size);
DWORD WINAPI RasSetSubEntryPropertiesA(LPCSTR phonebook, LPCSTR entry, DWORD subentry, void *buf,
                                       DWORD bufsize, BYTE *devcfg, DWORD devcfg_size) {
  (void)devcfg, (void)devcfg_size; /* no longer used, as on Windows */
  return set_sub(0, phonebook, entry, subentry, buf, bufsize);
}

DWORD WINAPI RasSetSubEntryPropertiesW(LPCWSTR phonebook, LPCWSTR entry, DWORD subentry, void *buf,
                                       DWORD bufsize, BYTE *devcfg, DWORD devcfg_size);
DWORD WINAPI RasSetSubEntryPropertiesW(LPCWSTR phonebook, LPCWSTR entry, DWORD subentry, void *buf,
                                       DWORD bufsize, BYTE *devcfg, DWORD devcfg_size) {
  (void)devcfg, (void)devcfg_size;
  return set_sub(1, phonebook, entry, subentry, buf, bufsize);
}

static DWORD delete_sub(int wide, const void *phonebook, const void *entry_arg, DWORD k) {
  if (!entry_arg || k == 0)
    return ERROR_INVALID_PARAMETER;
  char name[ORA_ENTRY_BYTES];
  orapb_set set;
  int which;
  int rc = orapb_locate(wide, phonebook, entry_arg, name, &set, &which, NULL);
  sub_ctx c = {name, k, NULL};
  if (!rc)
    rc = orapb_update(set.path[which], set_fn, &c);
  return (DWORD)rc;
}

DWORD WINAPI RasDeleteSubEntryA(LPCSTR phonebook, LPCSTR entry, DWORD subentry);
DWORD WINAPI RasDeleteSubEntryA(LPCSTR phonebook, LPCSTR entry, DWORD subentry) {
  return delete_sub(0, phonebook, entry, subentry);
}

DWORD WINAPI RasDeleteSubEntryW(LPCWSTR phonebook, LPCWSTR entry, DWORD subentry);
DWORD WINAPI RasDeleteSubEntryW(LPCWSTR phonebook, LPCWSTR entry, DWORD subentry) {
  return delete_sub(1, phonebook, entry, subentry);
}
