/* Argument and size checks of RasDial, RasHangUp and RasGetConnectStatus, A and W: made
 * before the engine is asked, so nothing is dialed and *lphRasConn is not touched.
 * (shared/spec/behaviour.md sections 1, 4, 5; abi.md sizes.) */
#include "dial_util.h"

#include <string.h>

static const DWORD rdp_sizes_a[] = {736,  1052,
#ifdef _WIN64
                                    1060, 1064, 1068,
                                    1076
#else
                                    1060, 1064, 1068
#endif
};
static const DWORD rdp_sizes_w[] = {1464, 2096,
#ifdef _WIN64
                                    2104, 2108, 2112,
                                    2120
#else
                                    2104, 2108, 2112
#endif
};
#ifdef _WIN64
static const DWORD rde_sizes[] = {24, 44, 60};
static const DWORD rde_other_arch[] = {16, 28, 40};
#else
static const DWORD rde_sizes[] = {16, 28, 40};
static const DWORD rde_other_arch[] = {24, 44, 60};
#endif
static const DWORD rcs_sizes_a[] = {64, 160, 288, 332};
static const DWORD rcs_sizes_w[] = {112, 304, 564, 608};

static int in(const DWORD *set, size_t n, DWORD v) {
  for (size_t i = 0; i < n; i++)
    if (set[i] == v)
      return 1;
  return 0;
}

/* Sizes next to each accepted one, plus a few absurd ones; none accepted. */
static size_t rejected_sizes(const DWORD *ok, size_t n, DWORD *out) {
  static const int deltas[] = {-8, -4, -2, -1, 1, 2, 4, 8};
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    for (size_t d = 0; d < sizeof deltas / sizeof deltas[0]; d++) {
      DWORD v = ok[i] + (DWORD)deltas[d];
      if (!in(ok, n, v) && !in(out, k, v))
        out[k++] = v;
    }
  static const DWORD absurd[] = {0, 4, 0xFFFFFFFF, 0x80000000};
  for (size_t i = 0; i < sizeof absurd / sizeof absurd[0]; i++)
    if (!in(ok, n, absurd[i]))
      out[k++] = absurd[i];
  return k;
}

/* A RASDIALPARAMS buffer big enough for every layout, naming entry "Sim". */
typedef union {
  BYTE bytes[4096];
  DWORD size;
} big_params;

static void fill_sim(int wide, big_params *p, DWORD size) {
  dial_fields f = {0};
  f.entry = "Sim";
  memset(p, 0, sizeof *p);
  t_fill_params(wide, T_602, &f, p);
  p->size = size;
}

static DWORD dial_raw(int wide, void *ext, void *params, DWORD type, void *notifier, HRASCONN *h) {
  DWORD rc = wide ? RasDialW(ext, t_pbk_w(), params, type, notifier, h)
                  : RasDialA(ext, t_pbk(), params, type, notifier, h);
  t_track(*h);
  return rc;
}

/* Argument errors: "NULL lpRasDialParams or NULL lphRasConn -> ERROR_INVALID_PARAMETER"
 * (synchronous and asynchronous). */
static void null_params_or_handle_pointer(void **state) {
  (void)state;
  for (int wide = 0; wide < 2; wide++) {
    big_params p;
    fill_sim(wide, &p, (DWORD)t_rdp_size(wide, T_601));
    HRASCONN h = NULL;
    assert_int_equal(dial_raw(wide, NULL, NULL, 0, NULL, &h), ERROR_INVALID_PARAMETER);
    assert_int_equal(dial_raw(wide, NULL, NULL, 1, (void *)t_func1, &h), ERROR_INVALID_PARAMETER);
    assert_null(h);
    void *pp = &p;
    assert_int_equal(wide ? RasDialW(NULL, t_pbk_w(), pp, 0, NULL, NULL)
                          : RasDialA(NULL, t_pbk(), pp, 0, NULL, NULL),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(wide ? RasDialW(NULL, t_pbk_w(), pp, 1, (void *)t_func1, NULL)
                          : RasDialA(NULL, t_pbk(), pp, 1, (void *)t_func1, NULL),
                     ERROR_INVALID_PARAMETER);
  }
}

/* "lpRasDialParams->dwSize selects the version (see abi.md for every historical size
 * to accept)": every size of abi.md for this architecture dials; every neighbour and
 * absurd size is ERROR_INVALID_SIZE (632), with *lphRasConn untouched. */
static void rasdialparams_sizes(int wide) {
  const DWORD *ok = wide ? rdp_sizes_w : rdp_sizes_a;
  size_t n = wide ? sizeof rdp_sizes_w / sizeof(DWORD) : sizeof rdp_sizes_a / sizeof(DWORD);
  for (size_t i = 0; i < n; i++) {
    big_params p;
    fill_sim(wide, &p, ok[i]);
    HRASCONN h = NULL;
    assert_int_equal(dial_raw(wide, NULL, &p, 0, NULL, &h), 0);
    assert_non_null(h);
    assert_int_equal(RasHangUpA(h), 0);
  }
  DWORD bad[64];
  size_t nb = rejected_sizes(ok, n, bad);
  /* the other character set's sizes too */
  const DWORD *other = wide ? rdp_sizes_a : rdp_sizes_w;
  for (size_t i = 0; i < n; i++)
    bad[nb++] = other[i];
  for (size_t i = 0; i < nb; i++) {
    big_params p;
    fill_sim(wide, &p, bad[i]);
    HRASCONN h = NULL;
    assert_int_equal(dial_raw(wide, NULL, &p, 0, NULL, &h), ERROR_INVALID_SIZE);
    assert_null(h);
    assert_int_equal(dial_raw(wide, NULL, &p, 2, (void *)t_func2, &h), ERROR_INVALID_SIZE);
    assert_null(h);
  }
}
static void rasdialparams_sizes_a(void **state) {
  (void)state;
  rasdialparams_sizes(0);
}
static void rasdialparams_sizes_w(void **state) {
  (void)state;
  rasdialparams_sizes(1);
}

/* "lpRasDialExtensions may be NULL (defaults). Its dwSize selects the version": NULL
 * and every RASDIALEXTENSIONS size of this architecture dial; neighbours and the other
 * architecture's sizes are ERROR_INVALID_SIZE. */
static void rasdialextensions_sizes(int wide) {
  big_params p;
  fill_sim(wide, &p, (DWORD)t_rdp_size(wide, T_601));
  HRASCONN h = NULL;
  assert_int_equal(dial_raw(wide, NULL, &p, 0, NULL, &h), 0);
  assert_int_equal(RasHangUpA(h), 0);
  RDE_601 ext;
  for (size_t i = 0; i < sizeof rde_sizes / sizeof rde_sizes[0]; i++) {
    memset(&ext, 0, sizeof ext);
    ext.dwSize = rde_sizes[i];
    h = NULL;
    assert_int_equal(dial_raw(wide, &ext, &p, 0, NULL, &h), 0);
    assert_int_equal(RasHangUpA(h), 0);
  }
  DWORD bad[64];
  size_t nb = rejected_sizes(rde_sizes, 3, bad);
  for (size_t i = 0; i < 3; i++)
    bad[nb++] = rde_other_arch[i];
  for (size_t i = 0; i < nb; i++) {
    memset(&ext, 0, sizeof ext);
    ext.dwSize = bad[i];
    h = NULL;
    assert_int_equal(dial_raw(wide, &ext, &p, 0, NULL, &h), ERROR_INVALID_SIZE);
    assert_null(h);
  }
  /* mingw-w64's own RASDIALEXTENSIONS (the 0x500 layout) */
  RASDIALEXTENSIONS mx;
  memset(&mx, 0, sizeof mx);
  mx.dwSize = sizeof mx;
  h = NULL;
  assert_int_equal(dial_raw(wide, &mx, &p, 0, NULL, &h), 0);
  assert_int_equal(RasHangUpA(h), 0);
}
static void rasdialextensions_sizes_a(void **state) {
  (void)state;
  rasdialextensions_sizes(0);
}
static void rasdialextensions_sizes_w(void **state) {
  (void)state;
  rasdialextensions_sizes(1);
}

/* Section 7: "Undefined bits must be zero": any bit above 0x8000 is
 * ERROR_INVALID_PARAMETER; all sixteen defined bits together are accepted. */
static void undefined_rdeopt_bits(void **state) {
  (void)state;
  for (int wide = 0; wide < 2; wide++) {
    big_params p;
    fill_sim(wide, &p, (DWORD)t_rdp_size(wide, T_601));
    RASDIALEXTENSIONS ext;
    static const DWORD bad[] = {0x10000, 0x20000, 0x80000000, 0xFFFFFFFF, 0x00010002};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
      memset(&ext, 0, sizeof ext);
      ext.dwSize = sizeof ext;
      ext.dwfOptions = bad[i];
      HRASCONN h = NULL;
      assert_int_equal(dial_raw(wide, &ext, &p, 0, NULL, &h), ERROR_INVALID_PARAMETER);
      assert_null(h);
    }
    memset(&ext, 0, sizeof ext);
    ext.dwSize = sizeof ext;
    ext.dwfOptions = 0xFFFF;
    HRASCONN h = NULL;
    assert_int_equal(dial_raw(wide, &ext, &p, 0, NULL, &h), 0);
    assert_int_equal(RasHangUpA(h), 0);
  }
}

/* "dwNotifierType: 0, 1, 2, 0xFFFFFFFF": any other type with a non-NULL notifier is
 * ERROR_INVALID_PARAMETER. */
static void unknown_notifier_type(void **state) {
  (void)state;
  static const DWORD bad[] = {3, 4, 0x100, 0xFFFFFFFE, 0x80000000};
  for (int wide = 0; wide < 2; wide++) {
    big_params p;
    fill_sim(wide, &p, (DWORD)t_rdp_size(wide, T_601));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
      HRASCONN h = NULL;
      assert_int_equal(dial_raw(wide, NULL, &p, bad[i], (void *)t_func0, &h),
                       ERROR_INVALID_PARAMETER);
      assert_null(h);
    }
  }
}

/* "*lphRasConn must be NULL on the initial call": a value that is no connection
 * handle is ERROR_INVALID_HANDLE and stays as it was. */
static void initial_handle_must_be_null(void **state) {
  (void)state;
  for (int wide = 0; wide < 2; wide++) {
    big_params p;
    fill_sim(wide, &p, (DWORD)t_rdp_size(wide, T_601));
    HRASCONN forged[] = {(HRASCONN)(ULONG_PTR)0x12345678, (HRASCONN)(ULONG_PTR)1,
                         INVALID_HANDLE_VALUE};
    for (size_t i = 0; i < sizeof forged / sizeof forged[0]; i++) {
      HRASCONN h = forged[i];
      assert_int_equal(dial_raw(wide, NULL, &p, 0, NULL, &h), ERROR_INVALID_HANDLE);
      assert_ptr_equal(h, forged[i]);
      assert_int_equal(dial_raw(wide, NULL, &p, 1, (void *)t_func1, &h), ERROR_INVALID_HANDLE);
      assert_ptr_equal(h, forged[i]);
    }
  }
}

/* "szEntryName "" = simple modem connection on the first modem port; then
 * szPhoneNumber must be non-empty": DECISION, both empty is ERROR_INVALID_PARAMETER. */
static void no_entry_no_number(void **state) {
  (void)state;
  for (int wide = 0; wide < 2; wide++) {
    big_params p;
    dial_fields f = {0};
    memset(&p, 0, sizeof p);
    t_fill_params(wide, T_601, &f, &p);
    HRASCONN h = NULL;
    assert_int_equal(dial_raw(wide, NULL, &p, 0, NULL, &h), ERROR_INVALID_PARAMETER);
    assert_int_equal(dial_raw(wide, NULL, &p, 1, (void *)t_func1, &h), ERROR_INVALID_PARAMETER);
    assert_null(h);
  }
}

/* RasGetConnectStatus: NULL structure -> ERROR_INVALID_PARAMETER; every RASCONNSTATUS
 * size of abi.md accepted, neighbours and the other character set's sizes
 * ERROR_INVALID_SIZE; "Unknown handle -> ERROR_INVALID_HANDLE". Checked in that order. */
static DWORD status_raw(int wide, HRASCONN h, void *buf) {
  return wide ? RasGetConnectStatusW(h, buf) : RasGetConnectStatusA(h, buf);
}

static void connect_status_arguments(int wide) {
  HRASCONN h = NULL;
  assert_int_equal(t_dial_entry(wide, "Sim", &h), 0);
  HRASCONN bogus = (HRASCONN)(ULONG_PTR)0x7FFF0001;
  BYTE buf[1024];
  assert_int_equal(status_raw(wide, h, NULL), ERROR_INVALID_PARAMETER);
  assert_int_equal(status_raw(wide, bogus, NULL), ERROR_INVALID_PARAMETER);
  const DWORD *ok = wide ? rcs_sizes_w : rcs_sizes_a;
  for (size_t i = 0; i < 4; i++) {
    memset(buf, 0, sizeof buf);
    memcpy(buf, &ok[i], 4);
    assert_int_equal(status_raw(wide, h, buf), 0);
    assert_int_equal(((DWORD *)buf)[1], RASCS_Connected);
    assert_int_equal(status_raw(wide, bogus, buf), ERROR_INVALID_HANDLE);
    assert_int_equal(status_raw(wide, NULL, buf), ERROR_INVALID_HANDLE);
  }
  DWORD bad[64];
  size_t nb = rejected_sizes(ok, 4, bad);
  const DWORD *other = wide ? rcs_sizes_a : rcs_sizes_w;
  for (size_t i = 0; i < 4; i++)
    if (!in(ok, 4, other[i]))
      bad[nb++] = other[i];
  for (size_t i = 0; i < nb; i++) {
    memset(buf, 0xCC, sizeof buf);
    memcpy(buf, &bad[i], 4);
    assert_int_equal(status_raw(wide, h, buf), ERROR_INVALID_SIZE);
    assert_int_equal(((DWORD *)buf)[1], 0xCCCCCCCC); /* nothing written */
    assert_int_equal(status_raw(wide, bogus, buf), ERROR_INVALID_SIZE);
  }
  assert_int_equal(RasHangUpA(h), 0);
}
static void connect_status_arguments_a(void **state) {
  (void)state;
  connect_status_arguments(0);
}
static void connect_status_arguments_w(void **state) {
  (void)state;
  connect_status_arguments(1);
}

/* RasHangUp: "Invalid handle -> ERROR_INVALID_HANDLE (6)" for NULL and values that
 * are no handle, A and W. */
static void hangup_invalid_handles(void **state) {
  (void)state;
  HRASCONN bad[] = {NULL, INVALID_HANDLE_VALUE, (HRASCONN)(ULONG_PTR)1,
                    (HRASCONN)(ULONG_PTR)0xFFFFFFFF, (HRASCONN)(ULONG_PTR)0x00010000};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(RasHangUpA(bad[i]), ERROR_INVALID_HANDLE);
    assert_int_equal(RasHangUpW(bad[i]), ERROR_INVALID_HANDLE);
  }
}

int main(void) {
  if (!t_pbk())
    return 1;
  const struct CMUnitTest tests[] = {
      T_TEST(null_params_or_handle_pointer),
      T_TEST(rasdialparams_sizes_a),
      T_TEST(rasdialparams_sizes_w),
      T_TEST(rasdialextensions_sizes_a),
      T_TEST(rasdialextensions_sizes_w),
      T_TEST(undefined_rdeopt_bits),
      T_TEST(unknown_notifier_type),
      T_TEST(initial_handle_must_be_null),
      T_TEST(no_entry_no_number),
      T_TEST(connect_status_arguments_a),
      T_TEST(connect_status_arguments_w),
      T_TEST(hangup_invalid_handles),
  };
  ORA_PE_RUN_TESTS("dial_args", tests);
}
