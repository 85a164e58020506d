/* RAS_PROJECTION_INFO and RasGetProjectionInfoEx as the Windows 7 SDK declares them
 * (ras.h, pack 4). Neither mingw-w64's nor Wine's headers have them, and
 * mingw-w64's import library lacks the function, so tests find it at run time, as
 * a program that also runs on Windows before 7 would. */
#ifndef OPENRAS_TESTS_PROJECTION_EX_H
#define OPENRAS_TESTS_PROJECTION_EX_H

#include <windows.h>
#include <ras.h>

#pragma pack(push, 4)
typedef struct {
  DWORD version, type; /* RASAPIVERSION, RASPROJECTION_INFO_TYPE */
  DWORD dwIPv4NegotiationError;
  IN_ADDR ipv4Address, ipv4ServerAddress;
  DWORD dwIPv4Options, dwIPv4ServerOptions, dwIPv6NegotiationError;
  BYTE bInterfaceIdentifier[8], bServerInterfaceIdentifier[8];
  BOOL fBundled, fMultilink;
  DWORD dwAuthenticationProtocol, dwAuthenticationData, dwServerAuthenticationProtocol,
      dwServerAuthenticationData, dwEapTypeId, dwServerEapTypeId, dwLcpOptions, dwLcpServerOptions,
      dwCcpError, dwCcpCompressionAlgorithm, dwCcpServerCompressionAlgorithm, dwCcpOptions,
      dwCcpServerOptions;
} projection_info;
#pragma pack(pop)

#define TEST_RASAPIVERSION_600 3
#define TEST_RASAPIVERSION_601 4
#define TEST_PROJECTION_INFO_TYPE_PPP 1

typedef DWORD(WINAPI *projection_ex_fn)(HRASCONN, projection_info *, LPDWORD);

static inline projection_ex_fn projection_ex(void) {
  return (projection_ex_fn)(void (*)(void))GetProcAddress(GetModuleHandleA("rasapi32.dll"),
                                                          "RasGetProjectionInfoEx");
}

static inline int ipv4_is(IN_ADDR a, BYTE b0, BYTE b1, BYTE b2, BYTE b3) {
  const BYTE *b = (const BYTE *)&a;
  return b[0] == b0 && b[1] == b1 && b[2] == b2 && b[3] == b3;
}

#endif
