/* Phone book module: parse/serialize round trips, queries, edits, malformed input and
 * the file functions (through the OS layer). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "openras/os.h"
#include "openras/pbk.h"

/* ctest sets ORA_TEST_DATA to tests/data; by hand, run from the repository root. */
static const char *data_dir(void) {
  const char *d = getenv("ORA_TEST_DATA");
  return d && *d ? d : "tests/data";
}

/* ---- helpers ---- */

static ora_pbk *parse_ok(const char *text) {
  ora_pbk *pb = NULL;
  assert_int_equal(ora_pbk_parse(text, strlen(text), &pb), 0);
  assert_non_null(pb);
  return pb;
}

/* Asserts that pb serializes to exactly want. */
static void assert_text(const ora_pbk *pb, const char *want) {
  char *text = NULL;
  size_t len = 0;
  assert_int_equal(ora_pbk_serialize(pb, &text, &len), 0);
  assert_non_null(text);
  assert_int_equal(len, strlen(want));
  assert_memory_equal(text, want, len);
  assert_int_equal(text[len], 0);
  free(text);
}

static void assert_round_trip(const char *text, size_t len) {
  ora_pbk *pb = NULL;
  char *out = NULL;
  size_t olen = 0;
  assert_int_equal(ora_pbk_parse(text, len, &pb), 0);
  assert_int_equal(ora_pbk_serialize(pb, &out, &olen), 0);
  assert_int_equal(olen, len);
  if (len)
    assert_memory_equal(out, text, len);
  free(out);
  ora_pbk_free(pb);
}

/* Serializes, parses the result and serializes again: edits must produce text that
 * reads back as the same phone book. */
static void assert_stable(const ora_pbk *pb) {
  char *a = NULL, *b = NULL;
  size_t alen = 0, blen = 0;
  ora_pbk *again = NULL;
  assert_int_equal(ora_pbk_serialize(pb, &a, &alen), 0);
  assert_int_equal(ora_pbk_parse(a, alen, &again), 0);
  assert_int_equal(ora_pbk_count(again), ora_pbk_count(pb));
  assert_int_equal(ora_pbk_serialize(again, &b, &blen), 0);
  assert_int_equal(alen, blen);
  assert_memory_equal(a, b, alen);
  free(a);
  free(b);
  ora_pbk_free(again);
}

static char *read_fixture(const char *name, size_t *len) {
  char path[512];
  snprintf(path, sizeof path, "%s/pbk/%s", data_dir(), name);
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  char *buf = malloc(1 << 20);
  assert_non_null(buf);
  *len = fread(buf, 1, 1 << 20, f);
  assert_true(*len > 0 && *len < (1 << 20));
  fclose(f);
  return buf;
}

static ora_pbk *load_fixture(char **text, size_t *len) {
  ora_pbk *pb = NULL;
  *text = read_fixture("windows10.pbk", len);
  assert_int_equal(ora_pbk_parse(*text, *len, &pb), 0);
  return pb;
}

/* ---- round trips ---- */

static void test_windows_fixture_round_trip(void **state) {
  (void)state;
  size_t len;
  char *text = read_fixture("windows10.pbk", &len);
  assert_non_null(strstr(text, "\r\n")); /* the fixture really is CRLF */
  assert_round_trip(text, len);
  free(text);
}

static void test_windows_fixture_content(void **state) {
  (void)state;
  char *text;
  size_t len;
  ora_pbk *pb = load_fixture(&text, &len);

  assert_int_equal(ora_pbk_count(pb), 2);
  assert_string_equal(ora_pbk_name(pb, 0), "Dial-up ISP");
  assert_string_equal(ora_pbk_name(pb, 1), "Contoso VPN");
  assert_null(ora_pbk_name(pb, 2));
  assert_string_equal(ora_pbk_get(pb, "Dial-up ISP", "MEDIA"), "serial");
  assert_string_equal(ora_pbk_get(pb, "Dial-up ISP", "Port"), "COM1");
  assert_string_equal(ora_pbk_get(pb, "Dial-up ISP", "Device"), "Standard 56000 bps Modem");
  assert_string_equal(ora_pbk_get(pb, "Dial-up ISP", "DEVICE"), "Standard 56000 bps Modem");
  assert_string_equal(ora_pbk_get_nth(pb, "Dial-up ISP", "Device", 1), "modem");
  assert_string_equal(ora_pbk_get(pb, "Dial-up ISP", "PhoneNumber"), "5551234");
  assert_string_equal(ora_pbk_get_nth(pb, "Dial-up ISP", "PhoneNumber", 1), "5559876");
  assert_null(ora_pbk_get_nth(pb, "Dial-up ISP", "PhoneNumber", 2));
  assert_string_equal(ora_pbk_get(pb, "Dial-up ISP", "AreaCode"), "");
  assert_int_equal(ora_pbk_get_int(pb, "Dial-up ISP", "Type", -1), 1);
  assert_int_equal(ora_pbk_get_int(pb, "Dial-up ISP", "LowDateTime", 0), -1598352528);
  assert_string_equal(ora_pbk_get(pb, "Contoso VPN", "PhoneNumber"), "vpn.contoso.com");
  assert_string_equal(ora_pbk_get(pb, "Contoso VPN", "Device"), "WAN Miniport (IKEv2)");
  assert_int_equal(ora_pbk_get_int(pb, "Contoso VPN", "Type", -1), 2);
  assert_int_equal(ora_pbk_get_bool(pb, "Contoso VPN", "AutoLogon", -1), 0);
  assert_int_equal(ora_pbk_get_bool(pb, "Contoso VPN", "CacheCredentials", -1), 1);
  assert_null(ora_pbk_get(pb, "Contoso VPN", "ORA_Link"));
  ora_pbk_free(pb);
  free(text);
}

static void test_round_trip_lf(void **state) {
  (void)state;
  const char *t = "; written by hand\n\n[Office]\nPhoneNumber = 555 0100 \n  Unknown key=  x\n"
                  "no equals sign here\n\t; indented comment\n=empty key\n\n[Home]\nA=1\nA=2";
  assert_round_trip(t, strlen(t));
}

static void test_round_trip_crlf(void **state) {
  (void)state;
  const char *t = "\r\n[Office]\r\nPhoneNumber=5550100\r\n;c\r\n\r\n[Home]\r\nMEDIA=serial\r\n\r\n";
  assert_round_trip(t, strlen(t));
}

static void test_round_trip_bom(void **state) {
  (void)state;
  const char *t = "\xEF\xBB\xBF[B\xC3\xBCro]\r\nPhoneNumber=1\r\n";
  ora_pbk *pb = parse_ok(t);
  assert_int_equal(ora_pbk_find(pb, "B\xC3\xBCro"), 0);
  assert_text(pb, t);
  /* The BOM survives an edit too. */
  assert_int_equal(ora_pbk_set(pb, "B\xC3\xBCro", "PhoneNumber", "2"), 0);
  assert_text(pb, "\xEF\xBB\xBF[B\xC3\xBCro]\r\nPhoneNumber=2\r\n");
  ora_pbk_free(pb);
  assert_round_trip("\xEF\xBB\xBF", 3);
}

static void test_round_trip_mixed_and_odd(void **state) {
  (void)state;
  static const char *const texts[] = {
      "",
      "\n",
      "\r\n",
      "[a]",
      "[a]\r\nk=v\nk2=v2\r\n\n",
      "[a]\nk=v\r",              /* lone CR stays in the line */
      "[a]\n\r\r\n",             /* CR CR LF */
      "[a] trailing ]\n",        /* name up to the last ']' */
      "  [x]  \n  k  =  v  \n",  /* blanks around everything */
      "[a]\nk=v=w\n",            /* '=' inside a value */
      "[\xFF\xFE]\n\x80=\x81\n", /* ANSI bytes */
  };
  for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
    assert_round_trip(texts[i], strlen(texts[i]));
}

/* A pseudo-random soup of the format's special characters: every input either
 * parses and serializes back byte for byte, or is refused with 622. */
static void test_random_inputs_round_trip_or_622(void **state) {
  (void)state;
  static const char alphabet[] = "[]=; \t\r\nab\xEF\xBB\xBF";
  uint32_t seed = 12345;
  char buf[64];
  for (int iter = 0; iter < 20000; iter++) {
    size_t len = (size_t)(iter % 64);
    for (size_t i = 0; i < len; i++) {
      seed = seed * 1103515245u + 12345u;
      buf[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
    }
    ora_pbk *pb = NULL;
    int rc = ora_pbk_parse(buf, len, &pb);
    if (rc) {
      assert_int_equal(rc, ORA_ERROR_CANNOT_LOAD_PHONEBOOK);
      assert_null(pb);
      continue;
    }
    char *out = NULL;
    size_t olen = 0;
    assert_int_equal(ora_pbk_serialize(pb, &out, &olen), 0);
    assert_int_equal(olen, len);
    if (len)
      assert_memory_equal(out, buf, len);
    free(out);
    ora_pbk_free(pb);
  }
}

/* ---- malformed and edge-case input ---- */

typedef struct bad_case {
  const char *text;
  size_t len; /* 0: strlen(text) */
  int rc;
  int entries; /* when rc == 0 */
} bad_case;

static void test_malformed_table(void **state) {
  (void)state;
  static const bad_case cases[] = {
      {"", 0, 0, 0},
      {";only\n; comments\n\n", 0, 0, 0},
      {"  \t \n\t\n", 0, 0, 0},
      {"\xEF\xBB\xBF", 0, 0, 0},
      {"[a]\0k=v\n", 8, ORA_ERROR_CANNOT_LOAD_PHONEBOOK, 0},
      {"\0", 1, ORA_ERROR_CANNOT_LOAD_PHONEBOOK, 0},
      {"\xFF\xFE[\0a\0]\0", 8, ORA_ERROR_CANNOT_LOAD_PHONEBOOK, 0}, /* UTF-16 */
      {"[", 0, ORA_ERROR_CANNOT_LOAD_PHONEBOOK, 0},
      {"[abc\nk=v\n", 0, ORA_ERROR_CANNOT_LOAD_PHONEBOOK, 0},
      {"[a]\nk=v\n[b", 0, ORA_ERROR_CANNOT_LOAD_PHONEBOOK, 0},
      {"]\n[a]\n", 0, ORA_ERROR_CANNOT_LOAD_PHONEBOOK, 0},
      {"key=value\n[a]\n", 0, ORA_ERROR_CANNOT_LOAD_PHONEBOOK, 0},
      {"garbage\n", 0, ORA_ERROR_CANNOT_LOAD_PHONEBOOK, 0},
      {"# hash is not a comment\n[a]\n", 0, ORA_ERROR_CANNOT_LOAD_PHONEBOOK, 0},
      {"[]\n", 0, 0, 1},
      {"[a]]]\n", 0, 0, 1},
      {"[a]\n[A]\n", 0, 0, 2}, /* duplicates are kept; find returns the first */
      {"[a]\n=v\nnothing\n[[b]\n", 0, 0, 2},
      {"\n\n\n[a]\r", 0, 0, 1},
      {"[a]\n\xEF\xBB\xBFk=v\n", 0, 0, 1}, /* a BOM mid-file is just bytes */
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const bad_case *c = &cases[i];
    size_t len = c->len ? c->len : strlen(c->text);
    ora_pbk *pb = (ora_pbk *)&pb; /* must be reset to NULL on failure */
    int rc = ora_pbk_parse(c->text, len, &pb);
    if (rc != c->rc)
      fail_msg("case %zu: got %d, want %d", i, rc, c->rc);
    if (rc) {
      assert_null(pb);
      continue;
    }
    assert_int_equal(ora_pbk_count(pb), (size_t)c->entries);
    ora_pbk_free(pb);
    assert_round_trip(c->text, len);
  }
}

static void test_limits(void **state) {
  (void)state;
  ora_pbk *pb = NULL;
  size_t big = (size_t)ORA_PBK_MAX_SIZE + 1;
  char *buf = malloc(big);
  assert_non_null(buf);

  /* A line just at the limit parses, one byte more does not. */
  memcpy(buf, "[a]\nk=", 6);
  memset(buf + 6, 'x', ORA_PBK_MAX_LINE - 1);
  assert_int_equal(ora_pbk_parse(buf, 4 + ORA_PBK_MAX_LINE, &pb), 0);
  assert_int_equal(strlen(ora_pbk_get(pb, "a", "k")), ORA_PBK_MAX_LINE - 2);
  ora_pbk_free(pb);
  assert_int_equal(ora_pbk_parse(buf, 4 + ORA_PBK_MAX_LINE + 1, &pb),
                   ORA_ERROR_CANNOT_LOAD_PHONEBOOK);
  assert_null(pb);

  /* Too many lines (blank ones are cheapest), and a file over the size limit. */
  memset(buf, '\n', big);
  assert_int_equal(ora_pbk_parse(buf, ORA_PBK_MAX_LINES, &pb), 0);
  ora_pbk_free(pb);
  assert_int_equal(ora_pbk_parse(buf, ORA_PBK_MAX_LINES + 1, &pb), ORA_ERROR_CANNOT_LOAD_PHONEBOOK);
  assert_int_equal(ora_pbk_parse(buf, big, &pb), ORA_ERROR_CANNOT_LOAD_PHONEBOOK);
  free(buf);

  /* Bad arguments. */
  assert_int_equal(ora_pbk_parse(NULL, 0, &pb), 0);
  assert_int_equal(ora_pbk_count(pb), 0);
  ora_pbk_free(pb);
  assert_int_equal(ora_pbk_parse(NULL, 5, &pb), ORA_ERROR_INVALID_PARAMETER);
  assert_int_equal(ora_pbk_parse("x", 1, NULL), ORA_ERROR_INVALID_PARAMETER);
  ora_pbk_free(NULL);
}

/* ---- queries ---- */

static void test_find_case_insensitive(void **state) {
  (void)state;
  ora_pbk *pb = parse_ok("[Office VPN]\nKey=1\n[home]\nkey=2\n[\xC3\x84rger]\n");
  assert_int_equal(ora_pbk_find(pb, "Office VPN"), 0);
  assert_int_equal(ora_pbk_find(pb, "office vpn"), 0);
  assert_int_equal(ora_pbk_find(pb, "OFFICE VPN"), 0);
  assert_int_equal(ora_pbk_find(pb, "HOME"), 1);
  assert_int_equal(ora_pbk_find(pb, "Office"), -1);
  assert_int_equal(ora_pbk_find(pb, "Office VPN "), -1);
  assert_int_equal(ora_pbk_find(pb, "\xC3\x84rger"), 2);
  assert_int_equal(ora_pbk_find(pb, "\xC3\xA4rger"), -1); /* ASCII folding only */
  assert_int_equal(ora_pbk_find(pb, NULL), -1);
  assert_string_equal(ora_pbk_get(pb, "OFFICE vpn", "KEY"), "1");
  assert_string_equal(ora_pbk_get(pb, "Home", "Key"), "2");
  assert_null(ora_pbk_get(pb, "Nowhere", "Key"));
  assert_null(ora_pbk_get(pb, "Home", "Other"));
  assert_null(ora_pbk_get(pb, "Home", NULL));
  ora_pbk_free(pb);
}

static void test_values_trimmed(void **state) {
  (void)state;
  ora_pbk *pb = parse_ok("[a]\n  Spaced Key \t=  two  words \t\nEmpty=\nBlank=   \nEq=a=b\n");
  assert_string_equal(ora_pbk_get(pb, "a", "Spaced Key"), "two  words");
  assert_string_equal(ora_pbk_get(pb, "a", "Empty"), "");
  assert_string_equal(ora_pbk_get(pb, "a", "Blank"), "");
  assert_string_equal(ora_pbk_get(pb, "a", "Eq"), "a=b");
  ora_pbk_free(pb);
}

static void test_get_nth_repeated(void **state) {
  (void)state;
  ora_pbk *pb = parse_ok("[m]\nMEDIA=serial\nPort=COM1\nDEVICE=modem\nPhoneNumber=1\n"
                         "PhoneNumber=2\nMEDIA=serial\nPort=COM2\nDEVICE=modem\nphonenumber=3\n");
  assert_string_equal(ora_pbk_get_nth(pb, "m", "PhoneNumber", 0), "1");
  assert_string_equal(ora_pbk_get_nth(pb, "m", "PhoneNumber", 1), "2");
  assert_string_equal(ora_pbk_get_nth(pb, "m", "PHONENUMBER", 2), "3");
  assert_null(ora_pbk_get_nth(pb, "m", "PhoneNumber", 3));
  assert_null(ora_pbk_get_nth(pb, "m", "PhoneNumber", SIZE_MAX));
  assert_string_equal(ora_pbk_get_nth(pb, "m", "Port", 1), "COM2");
  ora_pbk_free(pb);
}

static void test_get_int_bool(void **state) {
  (void)state;
  ora_pbk *pb = parse_ok("[a]\ni1=42\ni2= -7 \ni3=+3\ni4=12x\ni5=\ni6=-\n"
                         "i7=9223372036854775807\ni8=9223372036854775808\n"
                         "i9=-9223372036854775808\ni10=-9223372036854775809\ni11=4294967295\n"
                         "b1=1\nb2=0\nb3=TRUE\nb4=no\nb5=On\nb6=2\nb7=\n");
  assert_int_equal(ora_pbk_get_int(pb, "a", "i1", -1), 42);
  assert_int_equal(ora_pbk_get_int(pb, "a", "i2", -1), -7);
  assert_int_equal(ora_pbk_get_int(pb, "a", "i3", -1), 3);
  assert_int_equal(ora_pbk_get_int(pb, "a", "i4", -1), -1);
  assert_int_equal(ora_pbk_get_int(pb, "a", "i5", -1), -1);
  assert_int_equal(ora_pbk_get_int(pb, "a", "i6", -1), -1);
  assert_true(ora_pbk_get_int(pb, "a", "i7", -1) == INT64_MAX);
  assert_int_equal(ora_pbk_get_int(pb, "a", "i8", -1), -1);
  assert_true(ora_pbk_get_int(pb, "a", "i9", -1) == INT64_MIN);
  assert_int_equal(ora_pbk_get_int(pb, "a", "i10", -1), -1);
  assert_int_equal(ora_pbk_get_int(pb, "a", "i11", -1), 4294967295);
  assert_int_equal(ora_pbk_get_int(pb, "a", "missing", 99), 99);
  assert_int_equal(ora_pbk_get_int(pb, "nope", "i1", 99), 99);
  assert_int_equal(ora_pbk_get_bool(pb, "a", "b1", -1), 1);
  assert_int_equal(ora_pbk_get_bool(pb, "a", "b2", -1), 0);
  assert_int_equal(ora_pbk_get_bool(pb, "a", "b3", -1), 1);
  assert_int_equal(ora_pbk_get_bool(pb, "a", "b4", -1), 0);
  assert_int_equal(ora_pbk_get_bool(pb, "a", "b5", -1), 1);
  assert_int_equal(ora_pbk_get_bool(pb, "a", "b6", -1), -1);
  assert_int_equal(ora_pbk_get_bool(pb, "a", "b7", -1), -1);
  assert_int_equal(ora_pbk_get_bool(pb, "a", "missing", 1), 1);
  ora_pbk_free(pb);
}

typedef struct kv_list {
  char got[512];
  int calls;
  int stop_at; /* stop after this many calls (0: never) */
} kv_list;

static int collect(void *ctx, const char *key, const char *value) {
  kv_list *l = ctx;
  size_t n = strlen(l->got);
  snprintf(l->got + n, sizeof l->got - n, "%s=%s;", key, value);
  return ++l->calls == l->stop_at ? 77 : 0;
}

static void test_foreach_prefix(void **state) {
  (void)state;
  ora_pbk *pb = parse_ok("[s]\nType=1\nORA_Link=sim\nORA_SimFail=691\n; ORA_SimNot=comment\n"
                         "ora_simdelay = 10 \nORA_Simple\nORA_SimFail=2\n[t]\nORA_SimX=1\n");
  kv_list l = {{0}, 0, 0};
  assert_int_equal(ora_pbk_foreach(pb, "S", "ORA_Sim", collect, &l), 0);
  assert_string_equal(l.got, "ORA_SimFail=691;ora_simdelay=10;ORA_SimFail=2;");

  memset(&l, 0, sizeof l);
  assert_int_equal(ora_pbk_foreach(pb, "s", "", collect, &l), 0);
  assert_int_equal(l.calls, 5);

  memset(&l, 0, sizeof l);
  l.stop_at = 2;
  assert_int_equal(ora_pbk_foreach(pb, "s", "ora_", collect, &l), 77);
  assert_string_equal(l.got, "ORA_Link=sim;ORA_SimFail=691;");

  memset(&l, 0, sizeof l);
  assert_int_equal(ora_pbk_foreach(pb, "s", "Nothing", collect, &l), 0);
  assert_int_equal(l.calls, 0);
  assert_int_equal(ora_pbk_foreach(pb, "missing", "ORA_", collect, &l),
                   ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
  ora_pbk_free(pb);
}

/* ---- value edits ---- */

static void test_set_replaces_in_place(void **state) {
  (void)state;
  ora_pbk *pb = parse_ok("[a]\r\nA=1\r\n  phonenumber = 555 \r\nB=2\r\nPhoneNumber=777\r\n");
  assert_int_equal(ora_pbk_set(pb, "A", "PhoneNumber", "123"), 0);
  assert_text(pb, "[a]\r\nA=1\r\n  phonenumber =123\r\nB=2\r\nPhoneNumber=777\r\n");
  assert_string_equal(ora_pbk_get(pb, "a", "PhoneNumber"), "123");
  assert_string_equal(ora_pbk_get_nth(pb, "a", "PhoneNumber", 1), "777");
  assert_int_equal(ora_pbk_set(pb, "a", "B", ""), 0);
  assert_text(pb, "[a]\r\nA=1\r\n  phonenumber =123\r\nB=\r\nPhoneNumber=777\r\n");
  ora_pbk_free(pb);
}

static void test_set_appends_to_general_part(void **state) {
  (void)state;
  ora_pbk *pb = parse_ok("[a]\nType=1\n\nNETCOMPONENTS=\nms_server=1\n\nMEDIA=serial\n"
                         "Port=COM1\n\nDEVICE=modem\nPhoneNumber=1\n\n[b]\nX=1\n");
  assert_int_equal(ora_pbk_set(pb, "a", "ORA_Link", "sim"), 0);
  assert_int_equal(ora_pbk_set(pb, "a", "ORA_SimFail", "691"), 0);
  assert_int_equal(ora_pbk_set(pb, "a", "Port", "COM2"), 0); /* existing: in place */
  assert_text(pb, "[a]\nType=1\nORA_Link=sim\nORA_SimFail=691\n\nNETCOMPONENTS=\nms_server=1\n\n"
                  "MEDIA=serial\nPort=COM2\n\nDEVICE=modem\nPhoneNumber=1\n\n[b]\nX=1\n");
  assert_string_equal(ora_pbk_get(pb, "a", "ORA_Link"), "sim");
  assert_stable(pb);
  ora_pbk_free(pb);

  /* No block: after the last key, before the trailing blank lines. */
  pb = parse_ok("[a]\r\nK=1\r\n; note\r\n\r\n\r\n[b]\r\n");
  assert_int_equal(ora_pbk_set(pb, "a", "N", "2"), 0);
  assert_text(pb, "[a]\r\nK=1\r\n; note\r\nN=2\r\n\r\n\r\n[b]\r\n");
  ora_pbk_free(pb);

  /* A block first: right after the header. */
  pb = parse_ok("[a]\nMEDIA=rastapi\n");
  assert_int_equal(ora_pbk_set(pb, "a", "N", "2"), 0);
  assert_text(pb, "[a]\nN=2\nMEDIA=rastapi\n");
  ora_pbk_free(pb);
}

static void test_set_line_ends(void **state) {
  (void)state;
  /* The last line had no line end: it gets the file's, as does the new line. */
  ora_pbk *pb = parse_ok("[a]\nk=v");
  assert_int_equal(ora_pbk_set(pb, "a", "x", "1"), 0);
  assert_text(pb, "[a]\nk=v\nx=1\n");
  ora_pbk_free(pb);

  pb = parse_ok("[a]");
  assert_int_equal(ora_pbk_set(pb, "a", "x", "1"), 0);
  assert_text(pb, "[a]\r\nx=1\r\n"); /* no line end seen: CRLF like Windows */
  ora_pbk_free(pb);

  /* Rewriting the unterminated last line keeps it unterminated. */
  pb = parse_ok("[a]\r\nk=v");
  assert_int_equal(ora_pbk_set(pb, "a", "k", "w"), 0);
  assert_text(pb, "[a]\r\nk=w");
  /* An earlier section's insertion leaves the last line alone. */
  ora_pbk_free(pb);
  pb = parse_ok("[a]\n\n[b]\nk=v");
  assert_int_equal(ora_pbk_set(pb, "a", "x", "1"), 0);
  assert_text(pb, "[a]\nx=1\n\n[b]\nk=v");
  ora_pbk_free(pb);
}

static void test_set_rejects_bad_input(void **state) {
  (void)state;
  ora_pbk *pb = parse_ok("[a]\nk=v\n");
  static const char *const bad_keys[] = {"", "a=b", "[x", ";x", " x", "x ", "x\ty", "x\ny"};
  for (size_t i = 0; i < sizeof bad_keys / sizeof *bad_keys; i++)
    assert_int_equal(ora_pbk_set(pb, "a", bad_keys[i], "1"), ORA_ERROR_INVALID_PARAMETER);
  assert_int_equal(ora_pbk_set(pb, "a", NULL, "1"), ORA_ERROR_INVALID_PARAMETER);
  assert_int_equal(ora_pbk_set(pb, "a", "k", NULL), ORA_ERROR_INVALID_PARAMETER);
  assert_int_equal(ora_pbk_set(pb, "a", "k", "x\r\n[evil]"), ORA_ERROR_INVALID_PARAMETER);
  assert_int_equal(ora_pbk_set(pb, "a", "k", "x\ny"), ORA_ERROR_INVALID_PARAMETER);
  assert_int_equal(ora_pbk_set(pb, "zz", "k", "1"), ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);

  char *huge = malloc(ORA_PBK_MAX_LINE + 1);
  assert_non_null(huge);
  memset(huge, 'x', ORA_PBK_MAX_LINE);
  huge[ORA_PBK_MAX_LINE] = 0;
  assert_int_equal(ora_pbk_set(pb, "a", "k", huge), ORA_ERROR_INVALID_PARAMETER);
  assert_int_equal(ora_pbk_set(pb, "a", "new", huge), ORA_ERROR_INVALID_PARAMETER);
  huge[ORA_PBK_MAX_LINE - 2] = 0; /* "k=" + value fills a line exactly */
  assert_int_equal(ora_pbk_set(pb, "a", "k", huge), 0);
  assert_stable(pb);
  free(huge);

  /* Tabs are allowed in values; surrounding blanks are written, not read back. */
  assert_int_equal(ora_pbk_set(pb, "a", "k", " a\tb "), 0);
  assert_string_equal(ora_pbk_get(pb, "a", "k"), "a\tb");
  assert_text(pb, "[a]\nk= a\tb \n");
  ora_pbk_free(pb);
}

static void test_remove_key(void **state) {
  (void)state;
  ora_pbk *pb = parse_ok("[a]\nX=1\nY=2\nx=3\n\n[b]\nX=4\n");
  assert_int_equal(ora_pbk_remove_key(pb, "a", "x"), 0);
  assert_text(pb, "[a]\nY=2\nx=3\n\n[b]\nX=4\n");
  assert_string_equal(ora_pbk_get(pb, "a", "X"), "3");
  assert_int_equal(ora_pbk_remove_key(pb, "a", "X"), 0);
  assert_int_equal(ora_pbk_remove_key(pb, "a", "X"), ORA_ERROR_KEY_NOT_FOUND);
  assert_int_equal(ora_pbk_remove_key(pb, "zz", "X"), ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
  assert_text(pb, "[a]\nY=2\n\n[b]\nX=4\n");
  assert_int_equal(ora_pbk_remove_key(pb, "b", "X"), 0);
  assert_text(pb, "[a]\nY=2\n\n[b]\n");
  assert_stable(pb);
  ora_pbk_free(pb);
}

/* ---- entry edits ---- */

static void test_add_entries(void **state) {
  (void)state;
  ora_pbk *pb = NULL;
  assert_int_equal(ora_pbk_new(&pb), 0);
  assert_int_equal(ora_pbk_add(pb, "First"), 0);
  assert_int_equal(ora_pbk_set(pb, "first", "ORA_Link", "sim"), 0);
  assert_int_equal(ora_pbk_add(pb, "Second"), 0);
  assert_text(pb, "[First]\r\nORA_Link=sim\r\n\r\n[Second]\r\n\r\n");
  assert_int_equal(ora_pbk_add(pb, "FIRST"), ORA_PBK_ERROR_ALREADY_EXISTS);
  assert_int_equal(ora_pbk_count(pb), 2);
  assert_int_equal(ora_pbk_find(pb, "second"), 1);
  assert_stable(pb);
  ora_pbk_free(pb);

  /* Appending to a file whose last entry has no trailing blank line nor line end. */
  pb = parse_ok(";c\n[a]\nk=v");
  assert_int_equal(ora_pbk_add(pb, "b"), 0);
  assert_text(pb, ";c\n[a]\nk=v\n\n[b]\n\n");
  ora_pbk_free(pb);

  /* Into a file with only a preamble. */
  pb = parse_ok("; header\n");
  assert_int_equal(ora_pbk_add(pb, "b"), 0);
  assert_text(pb, "; header\n\n[b]\n\n");
  ora_pbk_free(pb);

  /* Names that would not read back are refused. */
  pb = parse_ok("");
  static const char *const bad[] = {"", "a\nb", "a\rb", "tab\there", "\x7F"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    assert_int_equal(ora_pbk_add(pb, bad[i]), ORA_ERROR_INVALID_PARAMETER);
  assert_int_equal(ora_pbk_add(pb, NULL), ORA_ERROR_INVALID_PARAMETER);
  char name[ORA_PBK_MAX_NAME + 2];
  memset(name, 'n', sizeof name);
  name[ORA_PBK_MAX_NAME + 1] = 0;
  assert_int_equal(ora_pbk_add(pb, name), ORA_ERROR_INVALID_PARAMETER);
  name[ORA_PBK_MAX_NAME] = 0;
  assert_int_equal(ora_pbk_add(pb, name), 0);
  /* Odd but legal names read back unchanged. */
  assert_int_equal(ora_pbk_add(pb, "[x] y]"), 0);
  assert_int_equal(ora_pbk_add(pb, " spaced "), 0);
  assert_int_equal(ora_pbk_add(pb, ";not a comment"), 0);
  assert_stable(pb);
  char *text;
  size_t len;
  assert_int_equal(ora_pbk_serialize(pb, &text, &len), 0);
  ora_pbk *again = NULL;
  assert_int_equal(ora_pbk_parse(text, len, &again), 0);
  assert_int_equal(ora_pbk_count(again), 4);
  assert_string_equal(ora_pbk_name(again, 1), "[x] y]");
  assert_string_equal(ora_pbk_name(again, 2), " spaced ");
  assert_string_equal(ora_pbk_name(again, 3), ";not a comment");
  free(text);
  ora_pbk_free(again);
  ora_pbk_free(pb);
}

static void test_add_remove_restores_fixture(void **state) {
  (void)state;
  char *text;
  size_t len;
  ora_pbk *pb = load_fixture(&text, &len);
  assert_int_equal(ora_pbk_add(pb, "Test"), 0);
  assert_int_equal(ora_pbk_set(pb, "Test", "ORA_Link", "sim"), 0);
  assert_int_equal(ora_pbk_count(pb), 3);
  assert_int_equal(ora_pbk_remove(pb, "TEST"), 0);
  assert_int_equal(ora_pbk_count(pb), 2);
  assert_round_trip(text, len); /* sanity */
  char *out;
  size_t olen;
  assert_int_equal(ora_pbk_serialize(pb, &out, &olen), 0);
  assert_int_equal(olen, len);
  assert_memory_equal(out, text, len);
  free(out);
  ora_pbk_free(pb);
  free(text);
}

static void test_fixture_set_ora_keys(void **state) {
  (void)state;
  char *text;
  size_t len;
  ora_pbk *pb = load_fixture(&text, &len);
  assert_int_equal(ora_pbk_set(pb, "contoso vpn", "ORA_Link", "sim"), 0);
  char *out;
  size_t olen;
  assert_int_equal(ora_pbk_serialize(pb, &out, &olen), 0);
  /* Exactly one line more, right after the general part's last key. */
  assert_int_equal(olen, len + strlen("ORA_Link=sim\r\n"));
  assert_non_null(strstr(out, "PrivateNetwork=0\r\nORA_Link=sim\r\n\r\nNETCOMPONENTS=\r\n"));
  const char *at = strstr(out, "ORA_Link=sim\r\n");
  size_t head = (size_t)(at - out);
  assert_memory_equal(out, text, head);
  assert_memory_equal(at + 14, text + head, len - head);
  free(out);
  ora_pbk_free(pb);
  free(text);
}

static void test_remove_entries(void **state) {
  (void)state;
  ora_pbk *pb = parse_ok("; top\n[a]\nk=1\n\n[b]\nk=2\n\n[c]\nk=3\n");
  assert_int_equal(ora_pbk_remove(pb, "B"), 0);
  assert_text(pb, "; top\n[a]\nk=1\n\n[c]\nk=3\n");
  assert_int_equal(ora_pbk_find(pb, "c"), 1);
  assert_int_equal(ora_pbk_remove(pb, "b"), ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
  assert_int_equal(ora_pbk_remove(pb, "c"), 0);
  assert_int_equal(ora_pbk_remove(pb, "a"), 0);
  assert_int_equal(ora_pbk_count(pb), 0);
  assert_text(pb, "; top\n");
  assert_int_equal(ora_pbk_add(pb, "d"), 0);
  assert_text(pb, "; top\n\n[d]\n\n");
  assert_stable(pb);
  ora_pbk_free(pb);
}

static void test_rename_entries(void **state) {
  (void)state;
  ora_pbk *pb = parse_ok("[a]\r\nk=1\r\n\r\n[b]\r\nk=2\r\n");
  assert_int_equal(ora_pbk_rename(pb, "A", "Alpha"), 0);
  assert_text(pb, "[Alpha]\r\nk=1\r\n\r\n[b]\r\nk=2\r\n");
  assert_int_equal(ora_pbk_rename(pb, "alpha", "ALPHA"), 0); /* case only */
  assert_string_equal(ora_pbk_name(pb, 0), "ALPHA");
  assert_int_equal(ora_pbk_rename(pb, "Alpha", "B"), ORA_PBK_ERROR_ALREADY_EXISTS);
  assert_int_equal(ora_pbk_rename(pb, "zz", "y"), ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
  assert_int_equal(ora_pbk_rename(pb, "b", ""), ORA_ERROR_INVALID_PARAMETER);
  assert_int_equal(ora_pbk_rename(pb, "b", "x\ny"), ORA_ERROR_INVALID_PARAMETER);
  assert_string_equal(ora_pbk_get(pb, "ALPHA", "k"), "1");
  assert_null(ora_pbk_get(pb, "a", "k"));
  ora_pbk_free(pb);

  /* The header's missing line end stays missing. */
  pb = parse_ok("[a]");
  assert_int_equal(ora_pbk_rename(pb, "a", "b"), 0);
  assert_text(pb, "[b]");
  ora_pbk_free(pb);
}

/* ---- one entry alone (ora_pbk_extract) ---- */

static void assert_same_str(const char *a, const char *b) {
  if (!a || !b) {
    assert_null(a);
    assert_null(b);
    return;
  }
  assert_string_equal(a, b);
}

/* What ora_pbk_foreach reported, as "key=value\n" lines, and a stop after some calls. */
typedef struct kv_log {
  char *buf;
  size_t len, cap;
  int calls, stop_after; /* stops with 7 at call number stop_after; 0 never */
} kv_log;

static int log_kv(void *ctx, const char *key, const char *value) {
  kv_log *l = ctx;
  int n = snprintf(l->buf + l->len, l->cap - l->len, "%s=%s\n", key, value);
  assert_true(n >= 0 && (size_t)n < l->cap - l->len);
  l->len += (size_t)n;
  return ++l->calls == l->stop_after ? 7 : 0;
}

static void assert_same_foreach(const ora_pbk *a, const ora_pbk *b, const char *entry,
                                const char *prefix, int stop_after) {
  kv_log la = {malloc(1 << 16), 0, 1 << 16, 0, stop_after};
  kv_log lb = {malloc(1 << 16), 0, 1 << 16, 0, stop_after};
  assert_non_null(la.buf);
  assert_non_null(lb.buf);
  assert_int_equal(ora_pbk_foreach(a, entry, prefix, log_kv, &la),
                   ora_pbk_foreach(b, entry, prefix, log_kv, &lb));
  assert_int_equal(la.calls, lb.calls);
  assert_int_equal(la.len, lb.len);
  assert_memory_equal(la.buf, lb.buf, la.len);
  free(la.buf);
  free(lb.buf);
}

/* key with ASCII letters folded to lower (up == 0) or upper case; malloc'd. */
static char *fold_case(const char *key, int up) {
  size_t n = strlen(key);
  char *s = malloc(n + 1);
  assert_non_null(s);
  for (size_t i = 0; i <= n; i++) {
    char c = key[i];
    if (up && c >= 'a' && c <= 'z')
      c = (char)(c - 32);
    else if (!up && c >= 'A' && c <= 'Z')
      c = (char)(c + 32);
    s[i] = c;
  }
  return s;
}

/* Every query about one key (as given) answers the same on a and b. */
static void assert_same_key(const ora_pbk *a, const ora_pbk *b, const char *entry,
                            const char *key) {
  for (size_t m = 0;; m++) {
    const char *va = ora_pbk_get_nth(a, entry, key, m);
    assert_same_str(va, ora_pbk_get_nth(b, entry, key, m));
    if (!va)
      break; /* one past the last occurrence checked too */
  }
  assert_same_str(ora_pbk_get(a, entry, key), ora_pbk_get(b, entry, key));
  assert_int_equal(ora_pbk_get_int(a, entry, key, -12345), ora_pbk_get_int(b, entry, key, -12345));
  assert_int_equal(ora_pbk_get_bool(a, entry, key, -1), ora_pbk_get_bool(b, entry, key, -1));
  assert_same_foreach(a, b, entry, key, 0);
}

/* copy, made by ora_pbk_extract(orig, entry), holds that entry alone and answers every
 * query about it, for every key, exactly as orig does. */
static void assert_same_entry(const ora_pbk *orig, const ora_pbk *copy, const char *entry) {
  int at = ora_pbk_find(orig, entry);
  assert_true(at >= 0);
  assert_int_equal(ora_pbk_count(copy), 1);
  assert_int_equal(ora_pbk_find(copy, entry), 0);
  assert_string_equal(ora_pbk_name(copy, 0), ora_pbk_name(orig, (size_t)at));
  assert_null(ora_pbk_name(copy, 1));

  size_t n = ora_pbk_line_count(orig, entry);
  assert_int_equal(ora_pbk_line_count(copy, entry), n);
  for (size_t i = 0; i <= n; i++) { /* i == n: past the end on both */
    const char *ka, *va, *kb, *vb;
    int ra = ora_pbk_line(orig, entry, i, &ka, &va);
    assert_int_equal(ora_pbk_line(copy, entry, i, &kb, &vb), ra);
    assert_same_str(ka, kb);
    assert_same_str(va, vb);
    if (ra != 1)
      continue;
    char *lower = fold_case(ka, 0), *upper = fold_case(ka, 1);
    char head[4] = {0};
    memcpy(head, ka, strlen(ka) < 3 ? strlen(ka) : 3);
    assert_same_key(orig, copy, entry, ka);
    assert_same_key(orig, copy, entry, lower);
    assert_same_key(orig, copy, entry, upper);
    assert_same_foreach(orig, copy, entry, head, 0);
    free(lower);
    free(upper);
  }
  assert_same_foreach(orig, copy, entry, "", 0);
  assert_same_foreach(orig, copy, entry, "", 1);
  assert_same_foreach(orig, copy, entry, "", (int)(n / 2) + 1);
  assert_same_foreach(orig, copy, entry, "NoSuchPrefix", 0);
  assert_same_key(orig, copy, entry, "NoSuchKey");
  assert_same_key(orig, copy, entry, "");
}

/* The copy is the entry's own bytes: BOM (if any), header and lines as the file has them. */
static void assert_extract_text(const ora_pbk *pb, const char *entry, int bom, const char *want) {
  ora_pbk *x = NULL;
  char *text = NULL;
  size_t len = 0;
  assert_int_equal(ora_pbk_extract(pb, entry, &x), 0);
  assert_non_null(x);
  assert_same_entry(pb, x, entry);
  assert_int_equal(ora_pbk_serialize(x, &text, &len), 0);
  if (bom) {
    assert_true(len >= 3);
    assert_memory_equal(text, "\xEF\xBB\xBF", 3);
  }
  assert_int_equal(len - (bom ? 3 : 0), strlen(want));
  assert_memory_equal(text + (bom ? 3 : 0), want, strlen(want));
  free(text);
  assert_stable(x);
  ora_pbk_free(x);
}

/* s with every LF made CRLF (crlf != 0) or unchanged; malloc'd. */
static char *with_eol(const char *s, int crlf) {
  char *out = malloc(2 * strlen(s) + 1), *p = out;
  assert_non_null(out);
  for (; *s; s++) {
    if (crlf && *s == '\n')
      *p++ = '\r';
    *p++ = *s;
  }
  *p = 0;
  return out;
}

/* Entries of every shape: comments, blank lines, free text, unknown and repeated keys,
 * MEDIA=/DEVICE= blocks of a multilink entry and NETCOMPONENTS=, duplicate names (the
 * first wins), a header-only entry, and a last entry without a final line end; in LF,
 * and in CRLF with a BOM. */
static void test_extract_matches_original(void **state) {
  (void)state;
  static const char pre[] = "; written by hand\n\n";
  static const struct {
    const char *name; /* NULL: not reachable by name (a later duplicate) */
    const char *text;
  } secs[] = {
      {"first",
       "[First]\n; a comment inside\nPhoneNumber=5550100\n  Unknown Key  =  some value \n"
       "free text without equals\n=no key\nPhoneNumber=5550101\nphonenumber = 5550102\n"
       "ORA_Link=sim\nORA_SimStepMs=0\nORA_StepTimeoutMs=-5\nFlag=yes\nBig=99999999999999999999\n"
       "\n"},
      {"MULTI link",
       "[Multi Link]\nEncoding=1\nType=1\nAutoLogon=0\nMEDIA=serial\nPort=COM1\n"
       "Device=Standard Modem\n\nDEVICE=modem\nPhoneNumber=1\nPhoneNumber=2\n\tAreaCode=\n\n"
       "MEDIA=serial\nPort=COM2\nDevice=Second Modem\n\nDEVICE=modem\nPhoneNumber=3\n\n"
       "NETCOMPONENTS=\nms_msclient=1\nms_server=1\n\n"},
      {"dup", "[dup]\nk=first\n\n"},
      {"Empty", "[Empty]\n"},
      {NULL, "[DUP]\nk=second\n\n"},
      {"last", "[Last]\nA=1\n;x\nA=2\nC=-9223372036854775808\nD=off"},
  };
  size_t nsec = sizeof secs / sizeof *secs;
  size_t total = sizeof pre;
  for (size_t i = 0; i < nsec; i++)
    total += strlen(secs[i].text);
  char *lf = malloc(total);
  assert_non_null(lf);
  strcpy(lf, pre);
  for (size_t i = 0; i < nsec; i++)
    strcat(lf, secs[i].text);

  for (int crlf = 0; crlf <= 1; crlf++) {
    char *body = with_eol(lf, crlf);
    char *text = malloc(strlen(body) + 4);
    assert_non_null(text);
    snprintf(text, strlen(body) + 4, "%s%s", crlf ? "\xEF\xBB\xBF" : "", body);
    ora_pbk *pb = parse_ok(text);
    assert_int_equal(ora_pbk_count(pb), nsec);
    for (size_t i = 0; i < nsec; i++) {
      if (!secs[i].name)
        continue;
      char *want = with_eol(secs[i].text, crlf);
      assert_extract_text(pb, secs[i].name, crlf, want);
      free(want);
    }
    /* The first of two entries with the same name, as every query finds. */
    ora_pbk *x = NULL;
    assert_int_equal(ora_pbk_extract(pb, "DUP", &x), 0);
    assert_string_equal(ora_pbk_get(x, "dup", "k"), "first");
    assert_string_equal(ora_pbk_name(x, 0), "dup");
    ora_pbk_free(x);
    /* The original is untouched. */
    assert_text(pb, text);
    ora_pbk_free(pb);
    free(text);
    free(body);
  }
  free(lf);
}

/* Windows' own file: its first and its last entry, each about 150 lines with MEDIA=
 * and DEVICE= blocks; the two copies together are the file again. */
static void test_extract_windows_fixture(void **state) {
  (void)state;
  char *text;
  size_t len;
  ora_pbk *pb = load_fixture(&text, &len);
  assert_int_equal(text[0], '['); /* no BOM, no preamble */
  ora_pbk *a = NULL, *b = NULL;
  assert_int_equal(ora_pbk_extract(pb, "Dial-up ISP", &a), 0);
  assert_int_equal(ora_pbk_extract(pb, "contoso vpn", &b), 0);
  assert_same_entry(pb, a, "Dial-up ISP");
  assert_same_entry(pb, b, "Contoso VPN");
  assert_string_equal(ora_pbk_get_nth(a, "Dial-up ISP", "Device", 1), "modem");
  assert_string_equal(ora_pbk_get(b, "Contoso VPN", "Device"), "WAN Miniport (IKEv2)");
  char *ta = NULL, *tb = NULL;
  size_t la = 0, lb = 0;
  assert_int_equal(ora_pbk_serialize(a, &ta, &la), 0);
  assert_int_equal(ora_pbk_serialize(b, &tb, &lb), 0);
  assert_int_equal(la + lb, len);
  assert_memory_equal(ta, text, la);
  assert_memory_equal(tb, text + la, lb);
  free(ta);
  free(tb);
  ora_pbk_free(a);
  ora_pbk_free(b);
  ora_pbk_free(pb);
  free(text);
}

/* A missing entry, an empty or comment-only phone book and bad arguments fail cleanly,
 * with *out NULL. */
static void test_extract_missing(void **state) {
  (void)state;
  ora_pbk *pb = parse_ok("; only a preamble\n");
  ora_pbk *x = (ora_pbk *)&x; /* must be reset to NULL */
  assert_int_equal(ora_pbk_extract(pb, "a", &x), ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
  assert_null(x);
  ora_pbk_free(pb);

  pb = parse_ok("[Office]\nk=1\n[Home]\nk=2\n");
  x = (ora_pbk *)&x;
  assert_int_equal(ora_pbk_extract(pb, "Offic", &x), ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
  assert_null(x);
  x = (ora_pbk *)&x;
  assert_int_equal(ora_pbk_extract(pb, "", &x), ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
  assert_null(x);
  x = (ora_pbk *)&x;
  assert_int_equal(ora_pbk_extract(pb, NULL, &x), ORA_ERROR_INVALID_PARAMETER);
  assert_null(x);
  x = (ora_pbk *)&x;
  assert_int_equal(ora_pbk_extract(NULL, "Office", &x), ORA_ERROR_INVALID_PARAMETER);
  assert_null(x);
  assert_int_equal(ora_pbk_extract(pb, "Office", NULL), ORA_ERROR_INVALID_PARAMETER);
  assert_text(pb, "[Office]\nk=1\n[Home]\nk=2\n");
  ora_pbk_free(pb);

  assert_int_equal(ora_pbk_new(&pb), 0);
  assert_int_equal(ora_pbk_extract(pb, "a", &x), ORA_ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
  assert_null(x);
  ora_pbk_free(pb);
}

/* The copy owns its lines: it outlives the original, and edits of either (which grow
 * the copy's exactly sized arrays) do not reach the other. */
static void test_extract_independent(void **state) {
  (void)state;
  static const char text[] = "[a]\r\nk=1\r\n\r\n[b]\r\nMEDIA=serial\r\nk=2\r\n\r\n[c]";
  ora_pbk *pb = parse_ok(text);
  ora_pbk *b = NULL, *c = NULL, *again = NULL;
  assert_int_equal(ora_pbk_extract(pb, "b", &b), 0);
  assert_int_equal(ora_pbk_extract(pb, "c", &c), 0);
  assert_int_equal(ora_pbk_set(pb, "b", "k", "changed"), 0);
  assert_int_equal(ora_pbk_remove(pb, "c"), 0);
  ora_pbk_free(pb);

  assert_string_equal(ora_pbk_get(b, "b", "k"), "2");
  assert_int_equal(ora_pbk_set(b, "b", "New", "x"), 0); /* inserted before MEDIA= */
  assert_int_equal(ora_pbk_line_insert(b, "b", 0, "First", "y"), 0);
  assert_int_equal(ora_pbk_remove_key(b, "b", "MEDIA"), 0);
  assert_int_equal(ora_pbk_add(b, "b2"), 0);
  assert_int_equal(ora_pbk_set(b, "b2", "z", "1"), 0);
  assert_text(b, "[b]\r\nFirst=y\r\nNew=x\r\nk=2\r\n\r\n[b2]\r\nz=1\r\n\r\n");
  assert_stable(b);

  /* A header-only last entry without a line end: the copy is "[c]", and a line added
   * to it gets the file's line end. */
  assert_text(c, "[c]");
  assert_int_equal(ora_pbk_line_count(c, "c"), 0);
  assert_int_equal(ora_pbk_extract(c, "C", &again), 0);
  assert_same_entry(c, again, "c");
  ora_pbk_free(again);
  assert_int_equal(ora_pbk_set(c, "c", "k", "3"), 0);
  assert_text(c, "[c]\r\nk=3\r\n");

  /* A copy of a copy answers as its source, which stays unchanged. */
  assert_int_equal(ora_pbk_extract(b, "B2", &again), 0);
  assert_same_entry(b, again, "b2");
  ora_pbk_free(b);
  assert_string_equal(ora_pbk_get(again, "b2", "z"), "1");
  ora_pbk_free(again);
  ora_pbk_free(c);
}

/* ---- files ---- */

#define TMP_PBK "test_pbk_tmp.pbk"

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
  fclose(f);
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  char *buf = calloc(1, 4096);
  assert_non_null(buf);
  size_t n = fread(buf, 1, 4095, f);
  buf[n] = 0;
  fclose(f);
  return buf;
}

static int cleanup_files(void **state) {
  (void)state;
  remove(TMP_PBK);
  remove(TMP_PBK ".lock");
  return 0;
}

static void test_load_missing(void **state) {
  (void)state;
  ora_pbk *pb = (ora_pbk *)&pb;
  remove(TMP_PBK);
  assert_int_equal(ora_pbk_load(TMP_PBK, 0, &pb), ORA_ERROR_CANNOT_OPEN_PHONEBOOK);
  assert_null(pb);
  assert_int_equal(ora_pbk_load(TMP_PBK, ORA_PBK_MISSING_OK, &pb), 0);
  assert_int_equal(ora_pbk_count(pb), 0);
  ora_pbk_free(pb);
}

static void test_load_save(void **state) {
  (void)state;
  ora_pbk *pb = NULL;
  write_file(TMP_PBK, "\xEF\xBB\xBF[a]\r\nk=v\r\n");
  assert_int_equal(ora_pbk_load(TMP_PBK, 0, &pb), 0);
  assert_string_equal(ora_pbk_get(pb, "a", "k"), "v");
  assert_int_equal(ora_pbk_set(pb, "a", "k", "w"), 0);
  assert_int_equal(ora_pbk_save(pb, TMP_PBK), 0);
  ora_pbk_free(pb);
  char *got = slurp(TMP_PBK);
  assert_string_equal(got, "\xEF\xBB\xBF[a]\r\nk=w\r\n");
  free(got);

  write_file(TMP_PBK, "oops\n[a]\n");
  pb = (ora_pbk *)&pb;
  assert_int_equal(ora_pbk_load(TMP_PBK, ORA_PBK_MISSING_OK, &pb), ORA_ERROR_CANNOT_LOAD_PHONEBOOK);
  assert_null(pb);
}

static int add_entry(ora_pbk *pb, void *ctx) {
  int rc = ora_pbk_add(pb, ctx);
  return rc ? rc : ora_pbk_set(pb, ctx, "ORA_Link", "sim");
}

static int refuse(ora_pbk *pb, void *ctx) {
  (void)ctx;
  ora_pbk_remove(pb, "one");
  return 4242;
}

static int no_change(ora_pbk *pb, void *ctx) {
  (void)pb;
  (void)ctx;
  return 0;
}

static void test_update(void **state) {
  (void)state;
  remove(TMP_PBK);
  /* Nothing to write: a missing file is not created. */
  assert_int_equal(ora_pbk_update(TMP_PBK, no_change, NULL), 0);
  assert_null(slurp(TMP_PBK));

  assert_int_equal(ora_pbk_update(TMP_PBK, add_entry, "one"), 0);
  assert_int_equal(ora_pbk_update(TMP_PBK, add_entry, "two"), 0);
  char *got = slurp(TMP_PBK);
  assert_string_equal(got, "[one]\r\nORA_Link=sim\r\n\r\n[two]\r\nORA_Link=sim\r\n\r\n");
  free(got);

  /* The change function's error is returned and nothing is written. */
  assert_int_equal(ora_pbk_update(TMP_PBK, add_entry, "ONE"), ORA_PBK_ERROR_ALREADY_EXISTS);
  assert_int_equal(ora_pbk_update(TMP_PBK, refuse, NULL), 4242);
  got = slurp(TMP_PBK);
  assert_string_equal(got, "[one]\r\nORA_Link=sim\r\n\r\n[two]\r\nORA_Link=sim\r\n\r\n");
  free(got);

  /* A malformed file is never overwritten. */
  write_file(TMP_PBK, "[broken\n");
  assert_int_equal(ora_pbk_update(TMP_PBK, add_entry, "x"), ORA_ERROR_CANNOT_LOAD_PHONEBOOK);
  got = slurp(TMP_PBK);
  assert_string_equal(got, "[broken\n");
  free(got);
  assert_int_equal(ora_pbk_update(TMP_PBK, NULL, NULL), ORA_ERROR_INVALID_PARAMETER);
}

/* Several threads each add 1 to a counter through ora_pbk_update: with the lock and the
 * re-read, no increment is lost. */
enum { UPDATERS = 4, UPDATES_EACH = 25 };

static int increment(ora_pbk *pb, void *ctx) {
  char buf[32];
  (void)ctx;
  if (ora_pbk_find(pb, "counter") < 0 && ora_pbk_add(pb, "counter") != 0)
    return 1;
  snprintf(buf, sizeof buf, "%d", (int)ora_pbk_get_int(pb, "counter", "N", 0) + 1);
  return ora_pbk_set(pb, "counter", "N", buf);
}

static void updater(void *arg) {
  int *failures = arg;
  for (int i = 0; i < UPDATES_EACH; i++)
    if (ora_pbk_update(TMP_PBK, increment, NULL) != 0)
      (*failures)++;
}

static void test_update_concurrent(void **state) {
  (void)state;
  ora_thread *t[UPDATERS];
  int failures[UPDATERS] = {0};
  ora_pbk *pb = NULL;
  remove(TMP_PBK);
  for (int i = 0; i < UPDATERS; i++)
    assert_int_equal(ora_thread_start(&t[i], updater, &failures[i]), 0);
  for (int i = 0; i < UPDATERS; i++) {
    ora_thread_join(t[i]);
    assert_int_equal(failures[i], 0);
  }
  assert_int_equal(ora_pbk_load(TMP_PBK, 0, &pb), 0);
  assert_int_equal(ora_pbk_count(pb), 1);
  assert_int_equal(ora_pbk_get_int(pb, "counter", "N", 0), UPDATERS * UPDATES_EACH);
  ora_pbk_free(pb);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_windows_fixture_round_trip),
      cmocka_unit_test(test_windows_fixture_content),
      cmocka_unit_test(test_round_trip_lf),
      cmocka_unit_test(test_round_trip_crlf),
      cmocka_unit_test(test_round_trip_bom),
      cmocka_unit_test(test_round_trip_mixed_and_odd),
      cmocka_unit_test(test_random_inputs_round_trip_or_622),
      cmocka_unit_test(test_malformed_table),
      cmocka_unit_test(test_limits),
      cmocka_unit_test(test_find_case_insensitive),
      cmocka_unit_test(test_values_trimmed),
      cmocka_unit_test(test_get_nth_repeated),
      cmocka_unit_test(test_get_int_bool),
      cmocka_unit_test(test_foreach_prefix),
      cmocka_unit_test(test_set_replaces_in_place),
      cmocka_unit_test(test_set_appends_to_general_part),
      cmocka_unit_test(test_set_line_ends),
      cmocka_unit_test(test_set_rejects_bad_input),
      cmocka_unit_test(test_remove_key),
      cmocka_unit_test(test_add_entries),
      cmocka_unit_test(test_add_remove_restores_fixture),
      cmocka_unit_test(test_fixture_set_ora_keys),
      cmocka_unit_test(test_remove_entries),
      cmocka_unit_test(test_rename_entries),
      cmocka_unit_test(test_extract_matches_original),
      cmocka_unit_test(test_extract_windows_fixture),
      cmocka_unit_test(test_extract_missing),
      cmocka_unit_test(test_extract_independent),
      cmocka_unit_test_teardown(test_load_missing, cleanup_files),
      cmocka_unit_test_teardown(test_load_save, cleanup_files),
      cmocka_unit_test_teardown(test_update, cleanup_files),
      cmocka_unit_test_teardown(test_update_concurrent, cleanup_files),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
