/* Reading and editing one phone-book entry line by line, as the entry functions
 * (entry_props.c) and the subentry functions (subentry.c) both need: blocks
 * (MEDIA=, DEVICE=, NETCOMPONENTS=), keys looked up case-insensitively within a
 * range of lines, values changed in place so that everything else stays as it was. */
#ifndef OPENRAS_DLL_ENTRY_LINES_H
#define OPENRAS_DLL_ENTRY_LINES_H

#include <windows.h>

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "devices.h"
#include "openras/pbk.h"

typedef struct {
  ora_pbk *pb;
  const char *name;
} ent;

enum { MK_NONE, MK_MEDIA, MK_DEVICE, MK_NETCOMP };

/* "DEVICE" opens a block only in capitals: "Device" is the MEDIA block's device name
 * (the same rule as the engine's). */
static inline int marker(const char *key) {
  if (!key)
    return MK_NONE;
  if (_stricmp(key, "MEDIA") == 0)
    return MK_MEDIA;
  if (strcmp(key, "DEVICE") == 0)
    return MK_DEVICE;
  if (_stricmp(key, "NETCOMPONENTS") == 0)
    return MK_NETCOMP;
  return MK_NONE;
}

static inline size_t nlines(const ent *e) {
  return ora_pbk_line_count(e->pb, e->name);
}

static inline int kv(const ent *e, size_t i, const char **k, const char **v) {
  return ora_pbk_line(e->pb, e->name, i, k, v) == 1;
}

static inline int marker_at(const ent *e, size_t i) {
  const char *k, *v;
  return kv(e, i, &k, &v) ? marker(k) : MK_NONE;
}

static inline int is_blank(const ent *e, size_t i) {
  const char *k, *v;
  return ora_pbk_line(e->pb, e->name, i, &k, &v) == 0;
}

/* The end of the block whose marker is line i: the next marker, or the entry's end. */
static inline size_t block_end(const ent *e, size_t i) {
  size_t n = nlines(e);
  for (size_t j = i + 1; j < n; j++)
    if (marker_at(e, j) != MK_NONE)
      return j;
  return n;
}

/* The general part: the lines before the first block. */
static inline size_t gen_end(const ent *e) {
  size_t n = nlines(e);
  for (size_t i = 0; i < n; i++)
    if (marker_at(e, i) != MK_NONE)
      return i;
  return n;
}

/* Index of key (case-insensitive) in lines [from, to), or -1. */
static inline long find_in(const ent *e, size_t from, size_t to, const char *key) {
  const char *k, *v;
  for (size_t i = from; i < to; i++)
    if (kv(e, i, &k, &v) && _stricmp(k, key) == 0)
      return (long)i;
  return -1;
}

static inline const char *value_at(const ent *e, long i) {
  const char *k, *v;
  return i >= 0 && kv(e, (size_t)i, &k, &v) ? v : NULL;
}

/* Where a new line of [from, to) goes: after its last line that is not blank. */
static inline size_t append_pos(const ent *e, size_t from, size_t to) {
  while (to > from && is_blank(e, to - 1))
    to--;
  return to;
}

/* Line i's value becomes value, unless it already is. */
static inline int put_line(const ent *e, size_t i, const char *value) {
  const char *old = value_at(e, (long)i);
  return old && strcmp(old, value) == 0 ? 0 : ora_pbk_line_set(e->pb, e->name, i, value);
}

/* Sets key in [from, to): in place if there, else appended to the range. */
static inline int set_in(const ent *e, size_t from, size_t to, const char *key, const char *value) {
  long i = find_in(e, from, to, key);
  if (i >= 0)
    return put_line(e, (size_t)i, value);
  return ora_pbk_line_insert(e->pb, e->name, append_pos(e, from, to), key, value);
}

/* The keys of one number of a DEVICE block (the first number has the last four too);
 * the same list in every file. */
static const char *const group_keys[] = {"PhoneNumber",       "AreaCode",
                                         "CountryCode",       "CountryID",
                                         "UseDialingRules",   "Comment",
                                         "FriendlyName",      "LastSelectedPhone",
                                         "PromoteAlternates", "TryNextAlternateOnFail"};

static inline int is_group_key(const char *k) {
  for (size_t i = 1; i < ARRAYSIZE(group_keys); i++)
    if (_stricmp(k, group_keys[i]) == 0)
      return 1;
  return 0;
}

/* Appends a block "marker=value" (after a blank line) before line `at` (or at the end
 * of the entry when at < 0). The marker line's index, or -1. */
static inline long add_block(const ent *e, long at, const char *marker_key, const char *value) {
  size_t pos = at >= 0 ? (size_t)at : append_pos(e, 0, nlines(e));
  if (pos > 0 && !is_blank(e, pos - 1)) {
    if (ora_pbk_line_insert(e->pb, e->name, pos, NULL, NULL))
      return -1;
    pos++;
  }
  if (ora_pbk_line_insert(e->pb, e->name, pos, marker_key, value))
    return -1;
  if (at >= 0 && ora_pbk_line_insert(e->pb, e->name, pos + 1, NULL, NULL))
    return -1; /* keep a blank line before the block that follows */
  return (long)pos;
}

/* Device names compare without case (invariant locale), as Windows matches them. */
static inline int ieq_u(const char *a, const char *b) {
  return CompareStringA(LOCALE_INVARIANT, NORM_IGNORECASE, a, -1, b, -1) == CSTR_EQUAL;
}

/* The numbers of the DEVICE block at line dev: each PhoneNumber= line and the group
 * keys that directly follow it. Returns how many (at most cap); start/end get their
 * line ranges. */
static inline size_t phone_groups(const ent *e, long dev, size_t *start, size_t *end, size_t cap) {
  const char *k, *v;
  size_t n = 0;
  if (dev < 0)
    return 0;
  size_t de = block_end(e, (size_t)dev);
  for (size_t i = (size_t)dev + 1; i < de && n < cap; i++) {
    if (!kv(e, i, &k, &v) || _stricmp(k, "PhoneNumber") != 0)
      continue;
    size_t j = i + 1;
    while (j < de && kv(e, j, &k, &v) && is_group_key(k))
      j++;
    start[n] = i;
    end[n] = j;
    n++;
    i = j - 1;
  }
  return n;
}

/* The device of an entry's first link when its blocks do not name one: the one its
 * ORA_Link dials, on the MEDIA block's Port= (lines [media, media_end), media < 0:
 * none) or ORA_Port, with the simulated link's own names. Sets *type and *name where
 * they are NULL (a name also where it is empty); d holds the strings. */
static inline void link1_device(const ent *e, long media, size_t media_end, oradev *d,
                                const char **type, const char **name) {
  const char *drv = ora_pbk_get(e->pb, e->name, "ORA_Link");
  const char *port =
      media >= 0 ? value_at(e, find_in(e, (size_t)media + 1, media_end, "Port")) : NULL;
  if (!port)
    port = ora_pbk_get(e->pb, e->name, "ORA_Port");
  if ((*type && *name && **name) || !drv || !oradev_for_link(drv, port, d))
    return;
  if (_stricmp(drv, "sim") == 0) {
    const char *st = ora_pbk_get(e->pb, e->name, "ORA_SimDeviceType");
    const char *sn = ora_pbk_get(e->pb, e->name, "ORA_SimDeviceName");
    snprintf(d->type, sizeof d->type, "%s", st ? st : d->type);
    snprintf(d->name, sizeof d->name, "%s", sn ? sn : d->name);
  }
  if (!*type)
    *type = d->type;
  if (!*name || !**name)
    *name = d->name;
}

#endif
