/* RasEnumConnectionsA/W: the connected connections of every process of the user
 * (they live in the manager), in each historical RASCONN layout. */
#include <windows.h>

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "engine_client.h"
#include "openras/rasdefs.h"
#include "strconv.h"

/* The RASCONN layouts by Windows version (pack(4), as in every SDK). */
#pragma pack(push, 4)
#define RASCONN_FIELDS(T, E, D)                                                                    \
  DWORD dwSize;                                                                                    \
  HANDLE hrasconn;                                                                                 \
  T szEntryName[(E) + 1];
#define RASCONN_DEV(T)                                                                             \
  T szDeviceType[16 + 1];                                                                          \
  T szDeviceName[128 + 1];
#define RASCONN_401(T)                                                                             \
  T szPhonebook[MAX_PATH];                                                                         \
  DWORD dwSubEntry;
#define RASCONN_TYPES(S, T)                                                                        \
  typedef struct {                                                                                 \
    RASCONN_FIELDS(T, 20, 0)                                                                       \
  } rc##S##_35;                                                                                    \
  typedef struct {                                                                                 \
    RASCONN_FIELDS(T, 256, 0) RASCONN_DEV(T)                                                       \
  } rc##S##_400;                                                                                   \
  typedef struct {                                                                                 \
    RASCONN_FIELDS(T, 256, 0) RASCONN_DEV(T) RASCONN_401(T)                                        \
  } rc##S##_401;                                                                                   \
  typedef struct {                                                                                 \
    RASCONN_FIELDS(T, 256, 0) RASCONN_DEV(T) RASCONN_401(T) GUID guidEntry;                        \
  } rc##S##_500;                                                                                   \
  typedef struct {                                                                                 \
    RASCONN_FIELDS(T, 256, 0) RASCONN_DEV(T) RASCONN_401(T) GUID guidEntry;                        \
    DWORD dwFlags;                                                                                 \
    LUID luid;                                                                                     \
  } rc##S##_501;                                                                                   \
  typedef struct {                                                                                 \
    RASCONN_FIELDS(T, 256, 0) RASCONN_DEV(T) RASCONN_401(T) GUID guidEntry;                        \
    DWORD dwFlags;                                                                                 \
    LUID luid;                                                                                     \
    GUID guidCorrelationId;                                                                        \
  } rc##S##_600;
RASCONN_TYPES(A, CHAR)
RASCONN_TYPES(W, WCHAR)
#pragma pack(pop)

/* abi.md: every size a program passes, per architecture. */
#ifdef _WIN64
_Static_assert(sizeof(rcA_35) == 36 && sizeof(rcA_400) == 416 && sizeof(rcA_401) == 680 &&
                   sizeof(rcA_500) == 696 && sizeof(rcA_501) == 708 && sizeof(rcA_600) == 724,
               "RASCONNA sizes");
_Static_assert(sizeof(rcW_35) == 56 && sizeof(rcW_400) == 820 && sizeof(rcW_401) == 1344 &&
                   sizeof(rcW_500) == 1360 && sizeof(rcW_501) == 1372 && sizeof(rcW_600) == 1388,
               "RASCONNW sizes");
#else
_Static_assert(sizeof(rcA_35) == 32 && sizeof(rcA_400) == 412 && sizeof(rcA_401) == 676 &&
                   sizeof(rcA_500) == 692 && sizeof(rcA_501) == 704 && sizeof(rcA_600) == 720,
               "RASCONNA sizes");
_Static_assert(sizeof(rcW_35) == 52 && sizeof(rcW_400) == 816 && sizeof(rcW_401) == 1340 &&
                   sizeof(rcW_500) == 1356 && sizeof(rcW_501) == 1368 && sizeof(rcW_600) == 1384,
               "RASCONNW sizes");
#endif

/* Where each field of one layout lives; 0 = the layout has no such field. */
typedef struct {
  DWORD size;
  WORD entry, entry_n, devtype, devname, phonebook, subentry, guid, flags;
} rasconn_layout;

#define L_35(S)                                                                                    \
  { sizeof(rc##S##_35), offsetof(rc##S##_35, szEntryName), 21, 0, 0, 0, 0, 0, 0 }
#define L_DEV(S, V) offsetof(rc##S##_##V, szDeviceType), offsetof(rc##S##_##V, szDeviceName)
#define L_400(S)                                                                                   \
  { sizeof(rc##S##_400), offsetof(rc##S##_400, szEntryName), 257, L_DEV(S, 400), 0, 0, 0, 0 }
#define L_401(S)                                                                                   \
  {                                                                                                \
    sizeof(rc##S##_401), offsetof(rc##S##_401, szEntryName), 257, L_DEV(S, 401),                   \
        offsetof(rc##S##_401, szPhonebook), offsetof(rc##S##_401, dwSubEntry), 0, 0                \
  }
#define L_500(S)                                                                                   \
  {                                                                                                \
    sizeof(rc##S##_500), offsetof(rc##S##_500, szEntryName), 257, L_DEV(S, 500),                   \
        offsetof(rc##S##_500, szPhonebook), offsetof(rc##S##_500, dwSubEntry),                     \
        offsetof(rc##S##_500, guidEntry), 0                                                        \
  }
#define L_NEW(S, V)                                                                                \
  {                                                                                                \
    sizeof(rc##S##_##V), offsetof(rc##S##_##V, szEntryName), 257, L_DEV(S, V),                     \
        offsetof(rc##S##_##V, szPhonebook), offsetof(rc##S##_##V, dwSubEntry),                     \
        offsetof(rc##S##_##V, guidEntry), offsetof(rc##S##_##V, dwFlags)                           \
  }

static const rasconn_layout layouts_a[] = {L_35(A),  L_400(A),      L_401(A),
                                           L_500(A), L_NEW(A, 501), L_NEW(A, 600)};
static const rasconn_layout layouts_w[] = {L_35(W),  L_400(W),      L_401(W),
                                           L_500(W), L_NEW(W, 501), L_NEW(W, 600)};

static void put_str(int wide, BYTE *base, WORD off, WORD units, const char *utf8) {
  if (wide)
    ora_utf8_to_w(utf8, (WCHAR *)(void *)(base + off), units);
  else
    ora_utf8_to_a(utf8, (char *)(base + off), units);
}

static DWORD enum_connections(int wide, void *buf, DWORD *lpcb, DWORD *lpcount) {
  if (!lpcb || !lpcount)
    return ERROR_INVALID_PARAMETER;
  const rasconn_layout *table = wide ? layouts_w : layouts_a;
  const rasconn_layout *l = &table[5]; /* a size probe is answered in the newest layout */
  if (buf) {
    DWORD size;
    memcpy(&size, buf, sizeof size);
    l = NULL;
    for (size_t i = 0; i < 6; i++)
      if (table[i].size == size)
        l = &table[i];
    if (!l)
      return ORA_ERROR_INVALID_SIZE;
  }
  /* Ask for room for what fits, plus a margin for connections made meanwhile. */
  size_t cap = buf ? *lpcb / l->size : 0;
  ora_conn_info *items = cap ? calloc(cap, sizeof *items) : NULL;
  if (cap && !items)
    return ERROR_NOT_ENOUGH_MEMORY;
  size_t count = 0;
  int rc = ora_engine_enum(orac_engine(), items, cap, &count);
  if (rc) {
    free(items);
    return (DWORD)rc;
  }
  DWORD need = (DWORD)(count * l->size);
  if (!buf || count > cap) {
    free(items);
    *lpcb = need;
    *lpcount = (DWORD)count;
    return count ? ORA_ERROR_BUFFER_TOO_SMALL : 0; /* none: nothing to make room for */
  }
  for (size_t i = 0; i < count; i++) {
    BYTE *p = (BYTE *)buf + i * l->size;
    memset(p, 0, l->size);
    memcpy(p, &l->size, sizeof l->size);
    HANDLE h = orac_hconn(items[i].handle);
    memcpy(p + offsetof(rcA_35, hrasconn), &h, sizeof h);
    put_str(wide, p, l->entry, l->entry_n, items[i].entry);
    if (l->devtype) {
      put_str(wide, p, l->devtype, 17, items[i].device_type);
      put_str(wide, p, l->devname, 129, items[i].device_name);
    }
    if (l->phonebook) {
      put_str(wide, p, l->phonebook, MAX_PATH, items[i].phonebook);
      DWORD sub = items[i].subentry ? items[i].subentry : 1;
      memcpy(p + l->subentry, &sub, sizeof sub);
    }
    if (l->guid)
      memcpy(p + l->guid, items[i].entry_guid, sizeof items[i].entry_guid);
  }
  free(items);
  *lpcb = need;
  *lpcount = (DWORD)count;
  return 0;
}

DWORD WINAPI RasEnumConnectionsA(void *buf, DWORD *lpcb, DWORD *lpcount);
DWORD WINAPI RasEnumConnectionsA(void *buf, DWORD *lpcb, DWORD *lpcount) {
  return enum_connections(0, buf, lpcb, lpcount);
}

DWORD WINAPI RasEnumConnectionsW(void *buf, DWORD *lpcb, DWORD *lpcount);
DWORD WINAPI RasEnumConnectionsW(void *buf, DWORD *lpcb, DWORD *lpcount) {
  return enum_connections(1, buf, lpcb, lpcount);
}
