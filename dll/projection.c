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
 * negotiates (NBF, IPX, CCP, AMB, SLIP, IPv6) -> ERROR_PROTOCOL_NOT_CONFIGURED. */
#include <windows.h>
#include <ras.h>
#include <raserror.h>

#include <string.h>

#include "engine_client.h"

_Static_assert(sizeof(RASPPPIPA) == 48 && sizeof(RASPPPIPW) == 80, "RASPPPIP layout");
_Static_assert(sizeof(RASPPPLCPA) == 1080 && sizeof(RASPPPLCPW) == 2104, "RASPPPLCP layout");

#define RASP_PPP_IPV6 0x8057 /* not in mingw-w64's RASPROJECTION */

static const DWORD ip_sizes[2][3] = {{24, 40, 48}, {40, 72, 80}};
static const DWORD lcp_sizes[2][2] = {{8, 1080}, {8, 2104}};

static int to_handle(HRASCONN conn, ora_handle *out) {
  ULONG_PTR v = (ULONG_PTR)conn;
  if (v == 0 || v > UINT32_MAX)
    return 0;
  *out = (ora_handle)v;
  return 1;
}

static void put_dword(BYTE *buf, size_t off, DWORD v) {
  memcpy(buf + off, &v, sizeof v);
}

/* A dotted address (ASCII) into a 16-character field, narrow or wide, zero-filled. */
static void put_addr(BYTE *buf, size_t off, const char *s, int wide) {
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
  if (!to_handle(conn, &h))
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
    int rc = orac_ip_projection(h, &ip);
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
    rc = orac_ip_projection(h, &p);
    if (rc == 0) {
      memset(buf + 4, 0, size - 4);
      fill_ip(buf, size, &p, wide);
    }
  } else {
    ora_lcp_projection p;
    memset(&p, 0, sizeof p);
    rc = orac_lcp_projection(h, &p);
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
