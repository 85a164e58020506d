/* Connection and link statistics: real counters of the link (frames and bytes of
 * the PPP framing), read from the engine. OpenRAS connections have one link, so
 * subentry 1 is the connection itself. */
#include <windows.h>

#include <string.h>

#include "engine_client.h"

/* RAS_STATS: fifteen DWORDs, the same on every architecture. */
typedef struct {
  DWORD dwSize, dwBytesXmited, dwBytesRcved, dwFramesXmited, dwFramesRcved, dwCrcErr, dwTimeoutErr,
      dwAlignmentErr, dwHardwareOverrunErr, dwFramingErr, dwBufferOverrunErr, dwCompressionRatioIn,
      dwCompressionRatioOut, dwBps, dwConnectDuration;
} ras_stats;
_Static_assert(sizeof(ras_stats) == 60, "RAS_STATS size");

static DWORD clamp(uint64_t v) {
  return v > 0xFFFFFFFFu ? 0xFFFFFFFFu : (DWORD)v;
}

static DWORD get_stats(HANDLE conn, DWORD subentry, int link, ras_stats *out) {
  ora_handle h;
  /* The documented answer to a zero handle, a NULL buffer, a bad size or subentry. */
  if (!out || !orac_handle_of(conn, &h) || (link && subentry == 0))
    return (DWORD)E_INVALIDARG;
  DWORD size;
  memcpy(&size, out, sizeof size);
  if (size != sizeof(ras_stats))
    return (DWORD)E_INVALIDARG;
  if (link && subentry != 1)
    return ERROR_NO_MORE_ITEMS;
  ora_stats st;
  memset(&st, 0, sizeof st);
  int rc = ora_engine_stats(orac_engine(), h, 0, &st);
  if (rc)
    return (DWORD)rc;
  out->dwBytesXmited = clamp(st.bytes_out);
  out->dwBytesRcved = clamp(st.bytes_in);
  out->dwFramesXmited = clamp(st.frames_out);
  out->dwFramesRcved = clamp(st.frames_in);
  out->dwCrcErr = clamp(st.crc_errors);
  out->dwTimeoutErr = clamp(st.timeout_errors);
  out->dwAlignmentErr = clamp(st.alignment_errors);
  out->dwHardwareOverrunErr = clamp(st.hardware_overruns);
  out->dwFramingErr = clamp(st.framing_errors);
  out->dwBufferOverrunErr = clamp(st.buffer_overruns);
  out->dwCompressionRatioIn = st.compression_in;
  out->dwCompressionRatioOut = st.compression_out;
  out->dwBps = st.bps;
  out->dwConnectDuration = st.connect_ms;
  return 0;
}

static DWORD clear_stats(HANDLE conn, DWORD subentry, int link) {
  ora_handle h;
  if (!orac_handle_of(conn, &h))
    return ERROR_INVALID_HANDLE;
  if (link && subentry != 1)
    return subentry == 0 ? ERROR_INVALID_PARAMETER : ERROR_NO_MORE_ITEMS;
  ora_stats st;
  return (DWORD)ora_engine_stats(orac_engine(), h, 1, &st);
}

DWORD WINAPI RasGetConnectionStatistics(HANDLE conn, void *stats);
DWORD WINAPI RasGetConnectionStatistics(HANDLE conn, void *stats) {
  return get_stats(conn, 1, 0, stats);
}

DWORD WINAPI RasGetLinkStatistics(HANDLE conn, DWORD subentry, void *stats);
DWORD WINAPI RasGetLinkStatistics(HANDLE conn, DWORD subentry, void *stats) {
  return get_stats(conn, subentry, 1, stats);
}

DWORD WINAPI RasClearConnectionStatistics(HANDLE conn);
DWORD WINAPI RasClearConnectionStatistics(HANDLE conn) {
  return clear_stats(conn, 1, 0);
}

DWORD WINAPI RasClearLinkStatistics(HANDLE conn, DWORD subentry);
DWORD WINAPI RasClearLinkStatistics(HANDLE conn, DWORD subentry) {
  return clear_stats(conn, subentry, 1);
}
