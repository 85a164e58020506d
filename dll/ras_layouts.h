/* The RAS structures the dial path reads and writes, one layout per historical
 * version (shared/spec/abi.md). The DLL never includes the SDK's <ras.h>: these are
 * its own declarations, wrapped in pack(4) like every SDK's, so a pointer or ULONG_PTR
 * sits at a 4-byte offset on x64. Each layout is checked against the sizes abi.md
 * measured with the SDK headers.
 *
 * Limits: RAS_MaxEntryName 256 (20 before WINVER 0x400), RAS_MaxPhoneNumber 128,
 * RAS_MaxCallbackNumber 128 (48 before 0x400), RAS_MaxDeviceType 16,
 * RAS_MaxDeviceName 128 (32 before 0x400), UNLEN 256, PWLEN 256, DNLEN 15. */
#ifndef OPENRAS_DLL_RAS_LAYOUTS_H
#define OPENRAS_DLL_RAS_LAYOUTS_H

#include <windows.h>

#include <stddef.h>

#define ORA_MAX_ENTRY_NAME 256
#define ORA_MAX_ENTRY_NAME_35 20
#define ORA_MAX_PHONE_NUMBER 128
#define ORA_MAX_CALLBACK_NUMBER 128
#define ORA_MAX_CALLBACK_NUMBER_35 48
#define ORA_MAX_DEVICE_TYPE 16
#define ORA_MAX_DEVICE_NAME 128
#define ORA_MAX_DEVICE_NAME_35 32
#define ORA_UNLEN 256
#define ORA_PWLEN 256
#define ORA_DNLEN 15

#pragma pack(push, 4)

/* ---- RASDIALPARAMS ---- */

/* The string part every version starts with; T is CHAR or WCHAR, E and C the entry
 * name and callback number limits of the version. */
#define ORA_RDP_STRINGS(T, E, C)                                                                   \
  DWORD dwSize;                                                                                    \
  T szEntryName[(E) + 1];                                                                          \
  T szPhoneNumber[ORA_MAX_PHONE_NUMBER + 1];                                                       \
  T szCallbackNumber[(C) + 1];                                                                     \
  T szUserName[ORA_UNLEN + 1];                                                                     \
  T szPassword[ORA_PWLEN + 1];                                                                     \
  T szDomain[ORA_DNLEN + 1];

#define ORA_RDP_LAYOUTS(S, T)                                                                      \
  /* WINVER < 0x400 (NT 3.5) */                                                                    \
  typedef struct {                                                                                 \
    ORA_RDP_STRINGS(T, ORA_MAX_ENTRY_NAME_35, ORA_MAX_CALLBACK_NUMBER_35)                          \
  } ora_rdp##S##_35;                                                                               \
  /* 0x400 (Windows 95, NT 4.0) */                                                                 \
  typedef struct {                                                                                 \
    ORA_RDP_STRINGS(T, ORA_MAX_ENTRY_NAME, ORA_MAX_CALLBACK_NUMBER)                                \
  } ora_rdp##S##_400;                                                                              \
  /* 0x401 to 0x600 */                                                                             \
  typedef struct {                                                                                 \
    ORA_RDP_STRINGS(T, ORA_MAX_ENTRY_NAME, ORA_MAX_CALLBACK_NUMBER)                                \
    DWORD dwSubEntry;                                                                              \
    ULONG_PTR dwCallbackId;                                                                        \
  } ora_rdp##S##_401;                                                                              \
  /* Wine's ras.h: dwCallbackId is a DWORD (differs from 0x401 on x64 only) */                     \
  typedef struct {                                                                                 \
    ORA_RDP_STRINGS(T, ORA_MAX_ENTRY_NAME, ORA_MAX_CALLBACK_NUMBER)                                \
    DWORD dwSubEntry;                                                                              \
    DWORD dwCallbackId;                                                                            \
  } ora_rdp##S##_wine;                                                                             \
  /* 0x601 (Windows 7) */                                                                          \
  typedef struct {                                                                                 \
    ORA_RDP_STRINGS(T, ORA_MAX_ENTRY_NAME, ORA_MAX_CALLBACK_NUMBER)                                \
    DWORD dwSubEntry;                                                                              \
    ULONG_PTR dwCallbackId;                                                                        \
    DWORD dwIfIndex;                                                                               \
  } ora_rdp##S##_601;                                                                              \
  /* 0x602 and later (Windows 8) */                                                                \
  typedef struct {                                                                                 \
    ORA_RDP_STRINGS(T, ORA_MAX_ENTRY_NAME, ORA_MAX_CALLBACK_NUMBER)                                \
    DWORD dwSubEntry;                                                                              \
    ULONG_PTR dwCallbackId;                                                                        \
    DWORD dwIfIndex;                                                                               \
    T *szEncPassword;                                                                              \
  } ora_rdp##S##_602;

ORA_RDP_LAYOUTS(a, CHAR)
ORA_RDP_LAYOUTS(w, WCHAR)

/* ---- RASDIALEXTENSIONS ---- */

typedef struct {
  DWORD dwSizeofEapInfo;
  BYTE *pbEapInfo;
} ora_raseapinfo;

typedef struct {
  DWORD dwSize;
  BYTE *pbDevSpecificInfo;
} ora_rasdevspecificinfo;

/* < 0x500 (also Wine's) */
typedef struct {
  DWORD dwSize;
  DWORD dwfOptions;
  HWND hwndParent;
  ULONG_PTR reserved;
} ora_rde_400;

/* 0x500 to 0x600 */
typedef struct {
  DWORD dwSize;
  DWORD dwfOptions;
  HWND hwndParent;
  ULONG_PTR reserved;
  ULONG_PTR reserved1;
  ora_raseapinfo RasEapInfo;
} ora_rde_500;

/* 0x601 and later */
typedef struct {
  DWORD dwSize;
  DWORD dwfOptions;
  HWND hwndParent;
  ULONG_PTR reserved;
  ULONG_PTR reserved1;
  ora_raseapinfo RasEapInfo;
  BOOL fSkipPppAuth;
  ora_rasdevspecificinfo RasDevSpecificInfo;
} ora_rde_601;

/* ---- RASCONNSTATUS ---- */

typedef struct {
  DWORD dwType; /* RASTUNNELENDPOINT_UNKNOWN 0, _IPV4 1, _IPV6 2 */
  BYTE addr[16];
} ora_rastunnelendpoint;

#define ORA_RCS_HEAD(T, D)                                                                         \
  DWORD dwSize;                                                                                    \
  DWORD rasconnstate;                                                                              \
  DWORD dwError;                                                                                   \
  T szDeviceType[ORA_MAX_DEVICE_TYPE + 1];                                                         \
  T szDeviceName[(D) + 1];

#define ORA_RCS_LAYOUTS(S, T)                                                                      \
  /* < 0x400 (NT 3.5) */                                                                           \
  typedef struct {                                                                                 \
    ORA_RCS_HEAD(T, ORA_MAX_DEVICE_NAME_35)                                                        \
  } ora_rcs##S##_35;                                                                               \
  /* 0x400 (also Wine's) */                                                                        \
  typedef struct {                                                                                 \
    ORA_RCS_HEAD(T, ORA_MAX_DEVICE_NAME)                                                           \
  } ora_rcs##S##_400;                                                                              \
  /* 0x401 to 0x600 (also mingw-w64's) */                                                          \
  typedef struct {                                                                                 \
    ORA_RCS_HEAD(T, ORA_MAX_DEVICE_NAME)                                                           \
    T szPhoneNumber[ORA_MAX_PHONE_NUMBER + 1];                                                     \
  } ora_rcs##S##_401;                                                                              \
  /* 0x601 and later */                                                                            \
  typedef struct {                                                                                 \
    ORA_RCS_HEAD(T, ORA_MAX_DEVICE_NAME)                                                           \
    T szPhoneNumber[ORA_MAX_PHONE_NUMBER + 1];                                                     \
    ora_rastunnelendpoint localEndPoint;                                                           \
    ora_rastunnelendpoint remoteEndPoint;                                                          \
    DWORD rasconnsubstate;                                                                         \
  } ora_rcs##S##_601;

ORA_RCS_LAYOUTS(a, CHAR)
ORA_RCS_LAYOUTS(w, WCHAR)

#pragma pack(pop)

/* The sizes of shared/spec/abi.md. */
_Static_assert(sizeof(ora_rdpa_35) == 736, "RASDIALPARAMSA NT3.5");
_Static_assert(sizeof(ora_rdpa_400) == 1052, "RASDIALPARAMSA 0x400");
_Static_assert(sizeof(ora_rdpw_35) == 1464, "RASDIALPARAMSW NT3.5");
_Static_assert(sizeof(ora_rdpw_400) == 2096, "RASDIALPARAMSW 0x400");
_Static_assert(sizeof(ora_rdpa_wine) == 1060, "RASDIALPARAMSA Wine");
_Static_assert(sizeof(ora_rdpw_wine) == 2104, "RASDIALPARAMSW Wine");
#ifdef _WIN64
_Static_assert(sizeof(ora_rdpa_401) == 1064, "RASDIALPARAMSA 0x401 x64");
_Static_assert(sizeof(ora_rdpa_601) == 1068, "RASDIALPARAMSA 0x601 x64");
_Static_assert(sizeof(ora_rdpa_602) == 1076, "RASDIALPARAMSA 0x602 x64");
_Static_assert(sizeof(ora_rdpw_401) == 2108, "RASDIALPARAMSW 0x401 x64");
_Static_assert(sizeof(ora_rdpw_601) == 2112, "RASDIALPARAMSW 0x601 x64");
_Static_assert(sizeof(ora_rdpw_602) == 2120, "RASDIALPARAMSW 0x602 x64");
_Static_assert(offsetof(ora_rdpa_401, dwCallbackId) == 1056, "pack(4) on x64");
_Static_assert(offsetof(ora_rdpw_401, dwCallbackId) == 2100, "pack(4) on x64");
_Static_assert(sizeof(ora_rde_400) == 24, "RASDIALEXTENSIONS 0x400 x64");
_Static_assert(sizeof(ora_rde_500) == 44, "RASDIALEXTENSIONS 0x500 x64");
_Static_assert(sizeof(ora_rde_601) == 60, "RASDIALEXTENSIONS 0x601 x64");
#else
_Static_assert(sizeof(ora_rdpa_401) == 1060, "RASDIALPARAMSA 0x401 x86");
_Static_assert(sizeof(ora_rdpa_601) == 1064, "RASDIALPARAMSA 0x601 x86");
_Static_assert(sizeof(ora_rdpa_602) == 1068, "RASDIALPARAMSA 0x602 x86");
_Static_assert(sizeof(ora_rdpw_401) == 2104, "RASDIALPARAMSW 0x401 x86");
_Static_assert(sizeof(ora_rdpw_601) == 2108, "RASDIALPARAMSW 0x601 x86");
_Static_assert(sizeof(ora_rdpw_602) == 2112, "RASDIALPARAMSW 0x602 x86");
_Static_assert(sizeof(ora_rde_400) == 16, "RASDIALEXTENSIONS 0x400 x86");
_Static_assert(sizeof(ora_rde_500) == 28, "RASDIALEXTENSIONS 0x500 x86");
_Static_assert(sizeof(ora_rde_601) == 40, "RASDIALEXTENSIONS 0x601 x86");
#endif
_Static_assert(sizeof(ora_rcsa_35) == 64, "RASCONNSTATUSA NT3.5");
_Static_assert(sizeof(ora_rcsa_400) == 160, "RASCONNSTATUSA 0x400");
_Static_assert(sizeof(ora_rcsa_401) == 288, "RASCONNSTATUSA 0x401");
_Static_assert(sizeof(ora_rcsa_601) == 332, "RASCONNSTATUSA 0x601");
_Static_assert(sizeof(ora_rcsw_35) == 112, "RASCONNSTATUSW NT3.5");
_Static_assert(sizeof(ora_rcsw_400) == 304, "RASCONNSTATUSW 0x400");
_Static_assert(sizeof(ora_rcsw_401) == 564, "RASCONNSTATUSW 0x401");
_Static_assert(sizeof(ora_rcsw_601) == 608, "RASCONNSTATUSW 0x601");
_Static_assert(sizeof(ora_rastunnelendpoint) == 20, "RASTUNNELENDPOINT");

/* A string member of a layout table: its byte offset and its length in characters. */
#define FIELD_N(T, m) (sizeof(((T *)0)->m) / sizeof(((T *)0)->m[0]))
#define FIELD(T, m) (WORD) offsetof(T, m), (WORD)FIELD_N(T, m)

/* Where one version of RASDIALPARAMS (A or W) keeps its fields: byte offsets, lengths
 * in characters; subentry/callback_id 0 when the version has no such field. One table
 * (rdp_layout.c) serves RasDial and RasGet/SetEntryDialParams. */
typedef struct ora_rdp_layout {
  DWORD size;
  WORD entry, entry_n, phone, phone_n, callback, callback_n;
  WORD user, user_n, password, password_n, domain, domain_n;
  WORD subentry, callback_id, callback_id_bytes;
} ora_rdp_layout;

/* The layout of the RASDIALPARAMS at p (its dwSize), or NULL for a size no version has. */
const ora_rdp_layout *ora_rdp_find(int wide, const void *p);

#endif
