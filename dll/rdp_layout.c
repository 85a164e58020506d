/* The RASDIALPARAMS layouts (ras_layouts.h): every historical version, A and W. */
#include <string.h>

#include "ras_layouts.h"

#define RDP_STRINGS(T)                                                                             \
  FIELD(T, szEntryName), FIELD(T, szPhoneNumber), FIELD(T, szCallbackNumber),                      \
      FIELD(T, szUserName), FIELD(T, szPassword), FIELD(T, szDomain)
#define RDP_V400(T)                                                                                \
  { sizeof(T), RDP_STRINGS(T), 0, 0, 0 }
#define RDP_V401(T)                                                                                \
  {                                                                                                \
    sizeof(T), RDP_STRINGS(T), (WORD)offsetof(T, dwSubEntry), (WORD)offsetof(T, dwCallbackId),     \
        (WORD)sizeof(((T *)0)->dwCallbackId)                                                       \
  }

/* Wine's own headers declare dwCallbackId as a DWORD: on x64 that is a layout of its
 * own (1060 / 2104 bytes); on x86 it is the 0x401 one. */
static const ora_rdp_layout rdp_a[] = {
    RDP_V400(ora_rdpa_35),   RDP_V400(ora_rdpa_400), RDP_V401(ora_rdpa_401),
    RDP_V401(ora_rdpa_601),  RDP_V401(ora_rdpa_602),
#ifdef _WIN64
    RDP_V401(ora_rdpa_wine),
#endif
};

static const ora_rdp_layout rdp_w[] = {
    RDP_V400(ora_rdpw_35),   RDP_V400(ora_rdpw_400), RDP_V401(ora_rdpw_401),
    RDP_V401(ora_rdpw_601),  RDP_V401(ora_rdpw_602),
#ifdef _WIN64
    RDP_V401(ora_rdpw_wine),
#endif
};

const ora_rdp_layout *ora_rdp_find(int wide, const void *p) {
  DWORD size;
  memcpy(&size, p, sizeof size);
  const ora_rdp_layout *t = wide ? rdp_w : rdp_a;
  for (size_t i = 0; i < ARRAYSIZE(rdp_a); i++)
    if (t[i].size == size)
      return &t[i];
  return NULL;
}
