/* The RAS structures of the phone-book functions, one layout per historical version.
 * Like ras_layouts.h these are OpenRAS's own declarations (the DLL never includes the
 * SDK's <ras.h>), in pack(4) as every SDK has them, checked against the sizes the SDK
 * layouts give (docs/phonebook-api.md lists them with their sources).
 *
 * RASENTRY only ever grew at its end, so each version is a prefix of the next one:
 * 0x400 (Windows 95, NT 4.0) ... 0x401 (multilink) ... 0x500 (Windows 2000) ... 0x501
 * (XP; also the layout of mingw-w64's and Wine's ras.h) ... 0x600 (Vista, IPv6 DNS) ...
 * 0x601 (Windows 7) ... 0xA00 (Windows 10 SDK, IKEv2 identities). */
#ifndef OPENRAS_DLL_PBK_LAYOUTS_H
#define OPENRAS_DLL_PBK_LAYOUTS_H

#include <windows.h>

#include <stddef.h>

#define ORA_MAX_AREA_CODE 10
#define ORA_MAX_PAD_TYPE 32
#define ORA_MAX_X25_ADDRESS 200
#define ORA_MAX_FACILITIES 200
#define ORA_MAX_USER_DATA 200
#define ORA_MAX_DNS_SUFFIX 256
#define ORA_MAX_ID_SIZE 256

#pragma pack(push, 4)

typedef struct {
  BYTE a, b, c, d;
} ora_rasipaddr;

typedef struct {
  BYTE b[16];
} ora_rasipv6addr;

/* X(kind, name, count): every RASENTRY member in order, by the version that added it.
 * kind: D = DWORD, S = string of `count` characters, R = raw bytes of type `count`. */
#define ORA_RE_FIELDS_400(X)                                                                       \
  X(D, dwSize, 0)                                                                                  \
  X(D, dwfOptions, 0)                                                                              \
  X(D, dwCountryID, 0)                                                                             \
  X(D, dwCountryCode, 0)                                                                           \
  X(S, szAreaCode, ORA_MAX_AREA_CODE + 1)                                                          \
  X(S, szLocalPhoneNumber, 128 + 1)                                                                \
  X(D, dwAlternateOffset, 0)                                                                       \
  X(R, ipaddr, ora_rasipaddr)                                                                      \
  X(R, ipaddrDns, ora_rasipaddr)                                                                   \
  X(R, ipaddrDnsAlt, ora_rasipaddr)                                                                \
  X(R, ipaddrWins, ora_rasipaddr)                                                                  \
  X(R, ipaddrWinsAlt, ora_rasipaddr)                                                               \
  X(D, dwFrameSize, 0)                                                                             \
  X(D, dwfNetProtocols, 0)                                                                         \
  X(D, dwFramingProtocol, 0)                                                                       \
  X(S, szScript, MAX_PATH)                                                                         \
  X(S, szAutodialDll, MAX_PATH)                                                                    \
  X(S, szAutodialFunc, MAX_PATH)                                                                   \
  X(S, szDeviceType, 16 + 1)                                                                       \
  X(S, szDeviceName, 128 + 1)                                                                      \
  X(S, szX25PadType, ORA_MAX_PAD_TYPE + 1)                                                         \
  X(S, szX25Address, ORA_MAX_X25_ADDRESS + 1)                                                      \
  X(S, szX25Facilities, ORA_MAX_FACILITIES + 1)                                                    \
  X(S, szX25UserData, ORA_MAX_USER_DATA + 1)                                                       \
  X(D, dwChannels, 0)                                                                              \
  X(D, dwReserved1, 0)                                                                             \
  X(D, dwReserved2, 0)
#define ORA_RE_FIELDS_401(X)                                                                       \
  X(D, dwSubEntries, 0)                                                                            \
  X(D, dwDialMode, 0)                                                                              \
  X(D, dwDialExtraPercent, 0)                                                                      \
  X(D, dwDialExtraSampleSeconds, 0)                                                                \
  X(D, dwHangUpExtraPercent, 0)                                                                    \
  X(D, dwHangUpExtraSampleSeconds, 0)                                                              \
  X(D, dwIdleDisconnectSeconds, 0)
#define ORA_RE_FIELDS_500(X)                                                                       \
  X(D, dwType, 0)                                                                                  \
  X(D, dwEncryptionType, 0)                                                                        \
  X(D, dwCustomAuthKey, 0)                                                                         \
  X(R, guidId, GUID)                                                                               \
  X(S, szCustomDialDll, MAX_PATH)                                                                  \
  X(D, dwVpnStrategy, 0)
#define ORA_RE_FIELDS_501(X)                                                                       \
  X(D, dwfOptions2, 0)                                                                             \
  X(D, dwfOptions3, 0)                                                                             \
  X(S, szDnsSuffix, ORA_MAX_DNS_SUFFIX)                                                            \
  X(D, dwTcpWindowSize, 0)                                                                         \
  X(S, szPrerequisitePbk, MAX_PATH)                                                                \
  X(S, szPrerequisiteEntry, 256 + 1)                                                               \
  X(D, dwRedialCount, 0)                                                                           \
  X(D, dwRedialPause, 0)
#define ORA_RE_FIELDS_600(X)                                                                       \
  X(R, ipv6addrDns, ora_rasipv6addr)                                                               \
  X(R, ipv6addrDnsAlt, ora_rasipv6addr)                                                            \
  X(D, dwIPv4InterfaceMetric, 0)                                                                   \
  X(D, dwIPv6InterfaceMetric, 0)
#define ORA_RE_FIELDS_601(X)                                                                       \
  X(R, ipv6addr, ora_rasipv6addr)                                                                  \
  X(D, dwIPv6PrefixLength, 0)                                                                      \
  X(D, dwNetworkOutageTime, 0)
#define ORA_RE_FIELDS_A00(X)                                                                       \
  X(S, szIDi, ORA_MAX_ID_SIZE + 1)                                                                 \
  X(S, szIDr, ORA_MAX_ID_SIZE + 1)                                                                 \
  X(D, fIsImsConfig, 0)                                                                            \
  X(D, IdiType, 0)                                                                                 \
  X(D, IdrType, 0)                                                                                 \
  X(D, fDisableIKEv2Fragmentation, 0)
#define ORA_RE_FIELDS(X)                                                                           \
  ORA_RE_FIELDS_400(X)                                                                             \
  ORA_RE_FIELDS_401(X)                                                                             \
  ORA_RE_FIELDS_500(X)                                                                             \
  ORA_RE_FIELDS_501(X) ORA_RE_FIELDS_600(X) ORA_RE_FIELDS_601(X) ORA_RE_FIELDS_A00(X)

#define ORA_RE_MEMBER_D(T, name, n) DWORD name;
#define ORA_RE_MEMBER_S(T, name, n) T name[n];
#define ORA_RE_MEMBER_R(T, name, n) n name;
#define ORA_RE_MEMBER_A(kind, name, n) ORA_RE_MEMBER_##kind(CHAR, name, n)
#define ORA_RE_MEMBER_W(kind, name, n) ORA_RE_MEMBER_##kind(WCHAR, name, n)

/* The newest layout of each character set; older ones are prefixes of it. */
typedef struct {
  ORA_RE_FIELDS(ORA_RE_MEMBER_A)
} ora_rasentry_a;
typedef struct {
  ORA_RE_FIELDS(ORA_RE_MEMBER_W)
} ora_rasentry_w;

/* Versions of RASENTRY, oldest first; their sizes are the offsets where the next
 * version's first member starts (or the whole structure for the newest). */
enum { ORA_RE_V400, ORA_RE_V401, ORA_RE_V500, ORA_RE_V501, ORA_RE_V600, ORA_RE_V601, ORA_RE_VA00 };
#define ORA_RE_VERSIONS 7

/* RASENTRYNAME: 0x400 and 0x500 (NT 3.5: a 20-character name). */
#define ORA_REN_LAYOUTS(S, T)                                                                      \
  typedef struct {                                                                                 \
    DWORD dwSize;                                                                                  \
    T szEntryName[20 + 1];                                                                         \
  } ora_ren##S##_35;                                                                               \
  typedef struct {                                                                                 \
    DWORD dwSize;                                                                                  \
    T szEntryName[256 + 1];                                                                        \
  } ora_ren##S##_400;                                                                              \
  typedef struct {                                                                                 \
    DWORD dwSize;                                                                                  \
    T szEntryName[256 + 1];                                                                        \
    DWORD dwFlags;                                                                                 \
    T szPhonebookPath[MAX_PATH + 1];                                                               \
  } ora_ren##S##_500;
ORA_REN_LAYOUTS(a, CHAR)
ORA_REN_LAYOUTS(w, WCHAR)

/* RASCREDENTIALS (one version). */
#define ORA_RCRED_LAYOUT(S, T)                                                                     \
  typedef struct {                                                                                 \
    DWORD dwSize;                                                                                  \
    DWORD dwMask;                                                                                  \
    T szUserName[256 + 1];                                                                         \
    T szPassword[256 + 1];                                                                         \
    T szDomain[15 + 1];                                                                            \
  } ora_rcred##S;
ORA_RCRED_LAYOUT(a, CHAR)
ORA_RCRED_LAYOUT(w, WCHAR)

/* RASDEVINFO (one version, since 0x400). */
#define ORA_RDEV_LAYOUT(S, T)                                                                      \
  typedef struct {                                                                                 \
    DWORD dwSize;                                                                                  \
    T szDeviceType[16 + 1];                                                                        \
    T szDeviceName[128 + 1];                                                                       \
  } ora_rdev##S;
ORA_RDEV_LAYOUT(a, CHAR)
ORA_RDEV_LAYOUT(w, WCHAR)

/* RASCTRYINFO: the same for A and W; the name follows it. */
typedef struct {
  DWORD dwSize;
  DWORD dwCountryID;
  DWORD dwNextCountryID;
  DWORD dwCountryCode;
  DWORD dwCountryNameOffset;
} ora_rctry;

/* RASAUTODIALENTRY (one version). */
#define ORA_RADE_LAYOUT(S, T)                                                                      \
  typedef struct {                                                                                 \
    DWORD dwSize;                                                                                  \
    DWORD dwFlags;                                                                                 \
    DWORD dwDialingLocation;                                                                       \
    T szEntry[256 + 1];                                                                            \
  } ora_rade##S;
ORA_RADE_LAYOUT(a, CHAR)
ORA_RADE_LAYOUT(w, WCHAR)

#pragma pack(pop)

/* Sizes of the SDK layouts (no pointers: the same on x86 and x64). */
_Static_assert(offsetof(ora_rasentry_a, dwSubEntries) == 1768, "RASENTRYA 0x400");
_Static_assert(offsetof(ora_rasentry_a, dwType) == 1796, "RASENTRYA 0x401");
_Static_assert(offsetof(ora_rasentry_a, dwfOptions2) == 2088, "RASENTRYA 0x500");
_Static_assert(offsetof(ora_rasentry_a, ipv6addrDns) == 2884, "RASENTRYA 0x501");
_Static_assert(offsetof(ora_rasentry_a, ipv6addr) == 2924, "RASENTRYA 0x600");
_Static_assert(offsetof(ora_rasentry_a, szIDi) == 2948, "RASENTRYA 0x601");
_Static_assert(sizeof(ora_rasentry_a) == 3480, "RASENTRYA 0xA00");
_Static_assert(offsetof(ora_rasentry_w, dwSubEntries) == 3468, "RASENTRYW 0x400");
_Static_assert(offsetof(ora_rasentry_w, dwType) == 3496, "RASENTRYW 0x401");
_Static_assert(offsetof(ora_rasentry_w, dwfOptions2) == 4048, "RASENTRYW 0x500");
_Static_assert(offsetof(ora_rasentry_w, ipv6addrDns) == 5616, "RASENTRYW 0x501");
_Static_assert(offsetof(ora_rasentry_w, ipv6addr) == 5656, "RASENTRYW 0x600");
_Static_assert(offsetof(ora_rasentry_w, szIDi) == 5680, "RASENTRYW 0x601");
_Static_assert(sizeof(ora_rasentry_w) == 6724, "RASENTRYW 0xA00");
_Static_assert(sizeof(ora_rena_35) == 28 && sizeof(ora_rena_400) == 264 &&
                   sizeof(ora_rena_500) == 532,
               "RASENTRYNAMEA");
_Static_assert(sizeof(ora_renw_35) == 48 && sizeof(ora_renw_400) == 520 &&
                   sizeof(ora_renw_500) == 1048,
               "RASENTRYNAMEW");
_Static_assert(sizeof(ora_rcreda) == 540 && sizeof(ora_rcredw) == 1068, "RASCREDENTIALS");
_Static_assert(sizeof(ora_rdeva) == 152 && sizeof(ora_rdevw) == 296, "RASDEVINFO");
_Static_assert(sizeof(ora_rctry) == 20, "RASCTRYINFO");
_Static_assert(sizeof(ora_radea) == 272 && sizeof(ora_radew) == 528, "RASAUTODIALENTRY");

#endif
