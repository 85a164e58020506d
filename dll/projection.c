/* RasGetProjectionInfoA/W: what PPP negotiated on a connection (RASP_PppIp: the
 * IPCP addresses; RASP_PppLcp: the LCP options and authentication), read from the
 * engine once the dial reached RASCS_Projected.
 *
 * Every historical structure size is accepted and only its fields are written:
 *   RASPPPIPA  24 (WINNT35COMPATIBLE: no server address), 40, 48 (dwOptions...)
 *   RASPPPIPW  40, 72, 80
 *   RASPPPLCPA 8 (before Windows 2000: dwSize, fBundled), 1080
 *   RASPPPLCPW 8, 2104
 * Errors: lpcb NULL -> ERROR_INVALID_PARAMETER; a NULL buffer or *lpcb below the
 * structure's dwSize -> ERROR_BUFFER_TOO_SMALL with *lpcb set to the size needed;
 * an unknown dwSize -> ERROR_INVALID_SIZE; unknown handle -> ERROR_INVALID_HANDLE;
 * before Projected -> ERROR_PROJECTION_NOT_COMPLETE; a protocol OpenRAS never
 * negotiates (NBF, IPX, CCP, AMB, SLIP, IPv6) -> ERROR_PROTOCOL_NOT_CONFIGURED.
 *
 * RasGetProjectionInfoEx (Windows 7) answers for IPv4, IPv6, LCP and CCP at once in
 * one RAS_PROJECTION_INFO, which has no A/W forms (addresses are in_addr) and no
 * dwSize: its version (RASAPIVERSION_600 or _601) stands in for one. OpenRAS links
 * are PPP, so type is always PROJECTION_INFO_TYPE_PPP; IPv6 and CCP are reported as
 * not negotiated (dwIPv6NegotiationError and dwCcpError ERROR_PROTOCOL_NOT_CONFIGURED). */
#include <windows.h>
#include <ras.h>
#include <raserror.h>

#include <string.h>

#include "openras/base/text.h"
#include "engine_client.h"

_Static_assert(sizeof(RASPPPIPA) == 48 && sizeof(RASPPPIPW) == 80, "RASPPPIP layout");
_Static_assert(sizeof(RASPPPLCPA) == 1080 && sizeof(RASPPPLCPW) == 2104, "RASPPPLCP layout");

#define RASP_PPP_IPV6 0x8057 /* not in mingw-w64's RASPROJECTION */

static const DWORD ip_sizes[2][3] = {{24, 40, 48}, {40, 72, 80}};
static const DWORD lcp_sizes[2][2] = {{8, 1080}, {8, 2104}};

/* RAS_PROJECTION_INFO as documented (ras.h, _WIN32_WINNT >= 0x0601); neither
 * mingw-w64's nor Wine's headers declare it. The union's IKEv2 member is smaller
 * than the PPP one (84 bytes on x86, 92 on x64), so the size is 108 on both. */
#pragma pack(push, 4)
typedef struct {
  DWORD dwIPv4NegotiationError;
  DWORD ipv4Address, ipv4ServerAddress; /* in_addr, network byte order */
  DWORD dwIPv4Options, dwIPv4ServerOptions;
  DWORD dwIPv6NegotiationError;
  BYTE bInterfaceIdentifier[8], bServerInterfaceIdentifier[8];
  BOOL fBundled, fMultilink;
  DWORD dwAuthenticationProtocol, dwAuthenticationData;
  DWORD dwServerAuthenticationProtocol, dwServerAuthenticationData;
  DWORD dwEapTypeId, dwServerEapTypeId;
  DWORD dwLcpOptions, dwLcpServerOptions;
  DWORD dwCcpError, dwCcpCompressionAlgorithm, dwCcpServerCompressionAlgorithm;
  DWORD dwCcpOptions, dwCcpServerOptions;
} ora_ppp_projection_info;
typedef struct {
  DWORD version; /* RASAPIVERSION */
  DWORD type;    /* RASPROJECTION_INFO_TYPE */
  ora_ppp_projection_info ppp;
} ora_projection_info;
#pragma pack(pop)
_Static_assert(sizeof(ora_ppp_projection_info) == 100, "RASPPP_PROJECTION_INFO layout");
_Static_assert(sizeof(ora_projection_info) == 108, "RAS_PROJECTION_INFO layout");

#define ORA_RASAPIVERSION_600 3
#define ORA_RASAPIVERSION_601 4
#define ORA_PROJECTION_INFO_TYPE_PPP 1

static void put_dword(BYTE *buf, size_t off, DWORD v) {
  memcpy(buf + off, &v, sizeof v);
}

/* An address, dotted (""  for none), into a 16-character field, narrow or wide,
 * zero-filled. */
static void put_addr(BYTE *buf, size_t off, uint32_t a, int wide) {
  char s[ORA_IPSTR_BYTES] = "";
  if (a)
    ora_ipv4_format(a, s, sizeof s);
  size_t n = 0;
  while (n < 15 && s[n])
    n++;
  for (size_t i = 0; i < 16; i++) {
    BYTE c = i < n ? (BYTE)s[i] : 0;
    if (wide) {
      WCHAR w = c;
      memcpy(buf + off + i * sizeof w, &w, sizeof w);
    } else {
      buf[off + i] = c;
    }
  }
}

static void fill_ip(BYTE *buf, DWORD size, const ora_ip_projection *p, int wide) {
  size_t str = 16 * (wide ? sizeof(WCHAR) : 1);
  put_dword(buf, 4, p->error);
  put_addr(buf, 8, p->local, wide);
  if (size == ip_sizes[wide][0])
    return; /* WINNT35COMPATIBLE: the local address only */
  put_addr(buf, 8 + str, p->server, wide);
  if (size == ip_sizes[wide][2]) {
    put_dword(buf, 8 + 2 * str, p->options);
    put_dword(buf, 12 + 2 * str, p->server_options);
  }
}

static void fill_lcp(BYTE *buf, DWORD size, const ora_lcp_projection *p, int wide) {
  put_dword(buf, 4, p->bundled ? TRUE : FALSE);
  if (size == 8)
    return;
  put_dword(buf, 8, p->error);
  put_dword(buf, 12, p->auth_protocol);
  put_dword(buf, 16, p->auth_data);
  put_dword(buf, 20, 0); /* dwEapTypeId: no EAP */
  put_dword(buf, 24, p->server_auth_protocol);
  put_dword(buf, 28, p->server_auth_data);
  put_dword(buf, 32, 0);
  put_dword(buf, 36, FALSE); /* fMultilink */
  put_dword(buf, 40, p->terminate_reason);
  put_dword(buf, 44, p->server_terminate_reason);
  size_t msg = RAS_MaxReplyMessage * (wide ? sizeof(WCHAR) : 1);
  memset(buf + 48, 0, msg); /* szReplyMessage: the server's message is not kept */
  put_dword(buf, 48 + msg, p->options);
  put_dword(buf, 52 + msg, p->server_options);
}

static int size_known(const DWORD *sizes, size_t n, DWORD size) {
  for (size_t i = 0; i < n; i++)
    if (sizes[i] == size)
      return 1;
  return 0;
}

static DWORD get_projection(HRASCONN conn, RASPROJECTION proj, void *buffer, LPDWORD lpcb,
                            int wide) {
  ora_handle h;
  if (!lpcb)
    return ERROR_INVALID_PARAMETER;
  if (!orac_handle_of(conn, &h))
    return ERROR_INVALID_HANDLE;
  const DWORD *sizes;
  size_t n;
  switch ((DWORD)proj) {
  case RASP_PppIp:
    sizes = ip_sizes[wide];
    n = 3;
    break;
  case RASP_PppLcp:
    sizes = lcp_sizes[wide];
    n = 2;
    break;
  case RASP_Amb:
  case RASP_PppNbf:
  case RASP_PppIpx:
  case RASP_PppCcp:
  case RASP_Slip:
  case RASP_PPP_IPV6: {
    /* Known protocols we never negotiate; the handle and the dial's progress
     * still decide first. */
    ora_ip_projection ip;
    int rc = ora_engine_ip_projection(orac_engine(), h, &ip);
    return (rc == ORA_ERROR_INVALID_HANDLE || rc == ORA_ERROR_PROJECTION_NOT_COMPLETE)
               ? (DWORD)rc
               : ERROR_PROTOCOL_NOT_CONFIGURED;
  }
  default:
    return ERROR_INVALID_PARAMETER;
  }
  BYTE *buf = buffer;
  DWORD size = sizes[n - 1];
  if (!buf || *lpcb < sizeof(DWORD)) {
    *lpcb = size;
    return ERROR_BUFFER_TOO_SMALL;
  }
  memcpy(&size, buf, sizeof size);
  if (!size_known(sizes, n, size))
    return ERROR_INVALID_SIZE;
  if (*lpcb < size) {
    *lpcb = size;
    return ERROR_BUFFER_TOO_SMALL;
  }
  int rc;
  if ((DWORD)proj == RASP_PppIp) {
    ora_ip_projection p;
    memset(&p, 0, sizeof p);
    rc = ora_engine_ip_projection(orac_engine(), h, &p);
    if (rc == 0) {
      memset(buf + 4, 0, size - 4);
      fill_ip(buf, size, &p, wide);
    }
  } else {
    ora_lcp_projection p;
    memset(&p, 0, sizeof p);
    rc = ora_engine_lcp_projection(orac_engine(), h, &p);
    if (rc == 0) {
      memset(buf + 4, 0, size - 4);
      fill_lcp(buf, size, &p, wide);
    }
  }
  if (rc)
    return (DWORD)rc;
  *lpcb = size;
  return 0;
}

DWORD WINAPI RasGetProjectionInfoA(HRASCONN conn, RASPROJECTION proj, LPVOID buf, LPDWORD lpcb) {
  return get_projection(conn, proj, buf, lpcb, 0);
}

DWORD WINAPI RasGetProjectionInfoW(HRASCONN conn, RASPROJECTION proj, LPVOID buf, LPDWORD lpcb) {
  return get_projection(conn, proj, buf, lpcb, 1);
}

/* A host-order address as an in_addr's value: its bytes in network order. */
static DWORD in_addr_of(uint32_t a) {
  BYTE b[4] = {(BYTE)(a >> 24), (BYTE)(a >> 16), (BYTE)(a >> 8), (BYTE)a};
  DWORD out;
  memcpy(&out, b, sizeof out);
  return out;
}

DWORD WINAPI RasGetProjectionInfoEx(HRASCONN conn, void *info, LPDWORD lpdwSize) {
  ora_handle h;
  if (!lpdwSize)
    return ERROR_INVALID_PARAMETER;
  if (!orac_handle_of(conn, &h))
    return ERROR_INVALID_HANDLE;
  if (!info || *lpdwSize < sizeof(ora_projection_info)) {
    *lpdwSize = sizeof(ora_projection_info);
    return ERROR_BUFFER_TOO_SMALL;
  }
  DWORD version;
  memcpy(&version, info, sizeof version);
  if (version != ORA_RASAPIVERSION_600 && version != ORA_RASAPIVERSION_601)
    return ERROR_INVALID_SIZE;

  ora_ip_projection ip;
  memset(&ip, 0, sizeof ip);
  int rc = ora_engine_ip_projection(orac_engine(), h, &ip);
  if (rc)
    return (DWORD)rc;
  ora_lcp_projection lcp;
  memset(&lcp, 0, sizeof lcp);
  /* A link without LCP (the simulated one) leaves the LCP part empty. */
  if (ora_engine_lcp_projection(orac_engine(), h, &lcp) != 0)
    memset(&lcp, 0, sizeof lcp);

  ora_projection_info out;
  memset(&out, 0, sizeof out);
  out.version = version;
  out.type = ORA_PROJECTION_INFO_TYPE_PPP;
  out.ppp.dwIPv4NegotiationError = ip.error;
  if (!ip.error) {
    out.ppp.ipv4Address = in_addr_of(ip.local);
    out.ppp.ipv4ServerAddress = in_addr_of(ip.server);
    out.ppp.dwIPv4Options = ip.options;
    out.ppp.dwIPv4ServerOptions = ip.server_options;
  }
  out.ppp.dwIPv6NegotiationError = ERROR_PROTOCOL_NOT_CONFIGURED;
  out.ppp.fBundled = lcp.bundled ? TRUE : FALSE;
  out.ppp.dwAuthenticationProtocol = lcp.auth_protocol;
  out.ppp.dwAuthenticationData = lcp.auth_data;
  out.ppp.dwServerAuthenticationProtocol = lcp.server_auth_protocol;
  out.ppp.dwServerAuthenticationData = lcp.server_auth_data;
  out.ppp.dwLcpOptions = lcp.options;
  out.ppp.dwLcpServerOptions = lcp.server_options;
  out.ppp.dwCcpError = ERROR_PROTOCOL_NOT_CONFIGURED;
  memcpy(info, &out, sizeof out);
  *lpdwSize = sizeof out;
  return 0;
}
