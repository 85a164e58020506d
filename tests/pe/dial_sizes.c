/* Every historical structure size of abi.md, read and written field by field: each
 * structure is placed so that it ends exactly at a no-access page, so reading or
 * writing one byte past its dwSize crashes the test. A and W.
 * ("A drop-in DLL must accept every historical size, reading and writing only the
 * fields that size contains.") */
#include "dial_util.h"

#include <string.h>

static BYTE *g_pages;
static SIZE_T g_page;

/* A buffer of `size` bytes ending at the guard page, filled with `fill`. */
static void *at_page_end(size_t size, int fill) {
  BYTE *p = g_pages + g_page - size;
  memset(p, fill, size);
  return p;
}

static HRASCONN volatile g_h;

/* RASDIALPARAMS of each layout, at the page end: the entry (Auth) and the credentials
 * (alice/secret) are read at the right offsets (else the far end refuses them), the
 * phone number overrides the entry's (shown by RasGetConnectStatus), the domain is a
 * full field without terminator, and dwCallbackId, where the layout has it, comes back
 * in every RasDialFunc2 call (all 64 bits on x64; 32 in Wine's layout; 0 where the
 * layout has none). */
static void rasdialparams_layouts(int wide) {
  for (int l = 0; l < T_NLAYOUTS; l++) {
    size_t size = t_rdp_size(wide, l);
    void *p = at_page_end(size, 0);
    dial_fields f = {0};
    f.entry = "Auth";
    f.user = "alice";
    f.password = "secret";
    f.phone = "0123456";
    f.domain = "DOMAINDOMAINDOM"; /* 15 characters */
    f.callback_id = (ULONG_PTR)0x76543210u;
#ifdef _WIN64
    f.callback_id |= (ULONG_PTR)0x0FEDCBA9u << 32;
#endif
    assert_int_equal(t_fill_params(wide, l, &f, p), size);
    /* The domain's terminator replaced: the field is full (16 characters). In the
     * layouts that end with it, the padding behind it is not zero either. */
    size_t dom_n, dom = t_rdp_domain(wide, l, &dom_n);
    size_t unit = wide ? 2 : 1, dom_end = dom + dom_n * unit;
    memset((BYTE *)p + dom + (dom_n - 1) * unit, 'X', unit);
    if (l <= T_400)
      memset((BYTE *)p + dom_end, 'Y', size - dom_end);
    g_h = NULL;
    t_rec_reset(&g_h);
    DWORD rc = wide ? RasDialW(NULL, t_pbk_w(), p, 2, (void *)t_func2, (HRASCONN *)&g_h)
                    : RasDialA(NULL, t_pbk(), p, 2, (void *)t_func2, (HRASCONN *)&g_h);
    t_track(g_h);
    if (rc != 0)
      fail_msg("%s layout %s (%u bytes): RasDial %lu", wide ? "W" : "A", t_layout_name[l],
               (unsigned)size, rc);
    assert_true(t_rec_wait(5000));
    t_event last = t_rec_get(t_rec_count() - 1);
    if (last.state != RASCS_Connected || last.error != 0)
      fail_msg("%s layout %s: ended in state %lu error %lu", wide ? "W" : "A", t_layout_name[l],
               last.state, last.error);
    ULONG_PTR want = 0;
    if (l == T_WINE)
      want = (DWORD)f.callback_id; /* on x86 the whole value */
    else if (l != T_35 && l != T_400)
      want = f.callback_id;
    for (int i = 0; i < t_rec_count(); i++)
      assert_true(t_rec_get(i).callback_id == want);
    RASCONNSTATUSA st;
    memset(&st, 0, sizeof st);
    st.dwSize = sizeof st;
    assert_int_equal(RasGetConnectStatusA(g_h, &st), 0);
    assert_string_equal(st.szPhoneNumber, "0123456");
    assert_int_equal(RasHangUpA(g_h), 0);
  }
}
static void rasdialparams_layouts_a(void **state) {
  (void)state;
  rasdialparams_layouts(0);
}
static void rasdialparams_layouts_w(void **state) {
  (void)state;
  rasdialparams_layouts(1);
}

/* RASDIALEXTENSIONS of each layout at the page end: dwfOptions is read (PausedStates
 * makes the Interactive entry pause instead of failing with 703). */
static void rasdialextensions_layouts(void **state) {
  (void)state;
  static const size_t sizes[] = {sizeof(RDE_400), sizeof(RDE_500), sizeof(RDE_601)};
  for (int wide = 0; wide < 2; wide++)
    for (size_t i = 0; i < 3; i++) {
      RDE_400 *e = at_page_end(sizes[i], 0);
      e->dwSize = (DWORD)sizes[i];
      e->dwfOptions = RDEOPT_PausedStates;
      dial_fields f = {0};
      f.entry = "Interactive";
      g_h = NULL;
      t_rec_reset(&g_h);
      assert_int_equal(
          t_dial(wide, (RASDIALEXTENSIONS *)e, &f, 1, (void *)t_func1, (HRASCONN *)&g_h), 0);
      assert_true(t_rec_wait(5000));
      t_event last = t_rec_get(t_rec_count() - 1);
      assert_int_equal(last.state, RASCS_Interactive);
      assert_int_equal(last.error, 0);
      assert_int_equal(RasHangUpA(g_h), 0);
    }
}

/* RASCONNSTATUS of each layout at the page end, prefilled with 0xCC: rasconnstate,
 * dwError, szDeviceType and szDeviceName ("by version szPhoneNumber, localEndPoint,
 * remoteEndPoint, rasconnsubstate") are written, each string terminated and cut to its
 * field (NT3.5: 32-character device name), dwSize left alone. */
static void rasconnstatus_layouts(int wide) {
  HRASCONN h = NULL;
  assert_int_equal(t_dial_entry(wide, "Isdn", &h), 0);
  const char *name = "ISDN Adapter 0123456789 0123456789 0123456789 end";
  for (int l = 0; l < T_NLAYOUTS; l++) {
    if (l == T_WINE || l == T_602)
      continue; /* RASCONNSTATUS has four layouts */
    size_t size = t_rcs_size(wide, l);
    BYTE *p = at_page_end(size, 0xCC);
    DWORD dw = (DWORD)size;
    memcpy(p, &dw, 4);
    assert_int_equal(wide ? RasGetConnectStatusW(h, (RASCONNSTATUSW *)(void *)p)
                          : RasGetConnectStatusA(h, (RASCONNSTATUSA *)(void *)p),
                     0);
    memcpy(&dw, p, 4);
    assert_int_equal(dw, size);
    char type[64], dev[256], phone[256];
    size_t name_n = l == T_35 ? 33 : 129;
    if (wide) {
      RCSW_601 *s = (RCSW_601 *)(void *)p; /* common head */
      assert_int_equal(s->rasconnstate, RASCS_Connected);
      assert_int_equal(s->dwError, 0);
      t_w_to_utf8(s->szDeviceType, type, sizeof type);
      const WCHAR *dn = s->szDeviceName;
      assert_true(wcslen(dn) < name_n);
      t_w_to_utf8(dn, dev, sizeof dev);
    } else {
      RCSA_601 *s = (RCSA_601 *)(void *)p;
      assert_int_equal(s->rasconnstate, RASCS_Connected);
      assert_int_equal(s->dwError, 0);
      strcpy(type, s->szDeviceType);
      assert_true(strlen(s->szDeviceName) < name_n);
      strcpy(dev, s->szDeviceName);
    }
    assert_string_equal(type, "isdn");
    assert_int_equal(strlen(dev), name_n - 1 < strlen(name) ? name_n - 1 : strlen(name));
    assert_memory_equal(dev, name, strlen(dev));
    if (l >= T_401) {
      if (wide)
        t_w_to_utf8(((RCSW_401 *)(void *)p)->szPhoneNumber, phone, sizeof phone);
      else
        strcpy(phone, ((RCSA_401 *)(void *)p)->szPhoneNumber);
      assert_string_equal(phone, "5551234");
    }
    if (l == T_601) {
      T_ENDPOINT local, remote;
      DWORD sub;
      if (wide) {
        RCSW_601 *s = (RCSW_601 *)(void *)p;
        local = s->localEndPoint, remote = s->remoteEndPoint, sub = s->rasconnsubstate;
      } else {
        RCSA_601 *s = (RCSA_601 *)(void *)p;
        local = s->localEndPoint, remote = s->remoteEndPoint, sub = s->rasconnsubstate;
      }
      /* a modem link has no tunnel end points: type 0 (unknown), written */
      assert_int_equal(local.dwType, 0);
      assert_int_equal(remote.dwType, 0);
      assert_int_equal(sub, 0); /* RASCSS_None */
    }
  }
  assert_int_equal(RasHangUpA(h), 0);
}
static void rasconnstatus_layouts_a(void **state) {
  (void)state;
  rasconnstatus_layouts(0);
}
static void rasconnstatus_layouts_w(void **state) {
  (void)state;
  rasconnstatus_layouts(1);
}

/* "An unterminated string in a fixed-size field must be bounded by the field size":
 * szEntryName filled completely (21 'x' in NT3.5's field, 257 'x' in the others) names
 * the phone-book entry of exactly those characters; the phone number right behind it
 * ("5551234") is not read as part of the name. */
static void unterminated_entry_name(void **state) {
  (void)state;
  for (int wide = 0; wide < 2; wide++)
    for (int l = 0; l < T_NLAYOUTS; l++) {
      size_t size = t_rdp_size(wide, l);
      BYTE *p = at_page_end(size, 0);
      dial_fields f = {0};
      f.entry = "x";
      f.phone = "5551234";
      t_fill_params(wide, l, &f, p);
      size_t n = l == T_35 ? 21 : 257;
      for (size_t i = 0; i < n; i++) {
        if (wide)
          ((WCHAR *)(void *)(p + 4))[i] = L'x';
        else
          p[4 + i] = 'x';
      }
      HRASCONN h = NULL;
      DWORD rc = wide ? RasDialW(NULL, t_pbk_w(), (void *)p, 0, NULL, &h)
                      : RasDialA(NULL, t_pbk(), (void *)p, 0, NULL, &h);
      t_track(h);
      if (rc != 0)
        fail_msg("%s layout %s: RasDial %lu", wide ? "W" : "A", t_layout_name[l], rc);
      assert_int_equal(RasHangUpA(h), 0);
    }
}

int main(void) {
  if (!t_pbk())
    return 1;
  SYSTEM_INFO si;
  GetSystemInfo(&si);
  g_page = si.dwPageSize * 2; /* room for the largest structure (2120 bytes) */
  g_pages = VirtualAlloc(NULL, g_page + si.dwPageSize, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
  DWORD old;
  if (!g_pages || !VirtualProtect(g_pages + g_page, si.dwPageSize, PAGE_NOACCESS, &old))
    return 1;
  const struct CMUnitTest tests[] = {
      T_TEST(rasdialparams_layouts_a),   T_TEST(rasdialparams_layouts_w),
      T_TEST(rasdialextensions_layouts), T_TEST(rasconnstatus_layouts_a),
      T_TEST(rasconnstatus_layouts_w),   T_TEST(unterminated_entry_name),
  };
  ORA_PE_RUN_TESTS("dial_sizes", tests);
}
