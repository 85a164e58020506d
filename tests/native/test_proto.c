/* The manager protocol codec: round trips, and rejection of every malformed form a
 * hostile or broken peer could send (the manager closes that client only). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "openras/calls.h"
#include "openras/proto.h"

static void request_round_trip(void **state) {
  (void)state;
  ora_dial_request q, back;
  memset(&q, 0, sizeof q);
  strcpy(q.phonebook, "C:\\Users\\me\\rasphone.pbk");
  strcpy(q.entry, "Entr\xc3\xa9"); /* UTF-8 survives */
  strcpy(q.phone_number, "5551234");
  strcpy(q.user, "alice");
  strcpy(q.password, "s3cret");
  q.options = ORA_RDEOPT_PausedStates;
  q.callback_id = 0x1122334455667788ull;
  q.ack_required = 1;
  ora_wbuf w;
  ora_wbuf_begin(&w, ORA_MSG_DIAL, 42);
  ora_wbuf_u64(&w, 7);
  ora_put_request(&w, &q);
  assert_int_equal(ora_wbuf_finish(&w), 0);
  ora_msg_header h;
  assert_int_equal(ora_msg_header_decode(w.data, w.len, &h), 0);
  assert_int_equal(h.length, w.len);
  assert_int_equal(h.type, ORA_MSG_DIAL);
  assert_int_equal(h.id, 42);
  ora_rbuf r;
  ora_rbuf_init(&r, w.data, w.len);
  assert_int_equal(ora_rbuf_u64(&r), 7);
  memset(&back, 0x55, sizeof back);
  ora_get_request(&r, &back);
  assert_int_equal(ora_rbuf_done(&r), 0);
  assert_string_equal(back.entry, q.entry);
  assert_string_equal(back.password, "s3cret");
  assert_int_equal(back.callback_id, q.callback_id);
  assert_int_equal(back.ack_required, 1);
  ora_wbuf_free(&w);
}

static void event_status_info_round_trip(void **state) {
  (void)state;
  /* Zeroed first: the structure has padding, which assert_memory_equal compares. */
  ora_event ev, ev2;
  memset(&ev, 0, sizeof ev);
  memset(&ev2, 0, sizeof ev2);
  ev.conn = 0x10001;
  ev.seq = 3;
  ev.state = ORA_CS_AuthNotify;
  ev.error = 691;
  ev.subentry = 2;
  ev.callback_id = 99;
  ev.last = 1;
  ora_status st, st2;
  memset(&st, 0, sizeof st);
  st.state = ORA_CS_Connected;
  strcpy(st.device_type, "modem");
  st.local.type = ORA_EP_IPV4;
  st.local.addr[0] = 10;
  ora_wbuf w;
  ora_wbuf_begin(&w, ORA_MSG_EVENT, 0);
  ora_put_event(&w, &ev);
  ora_put_status(&w, &st);
  assert_int_equal(ora_wbuf_finish(&w), 0);
  ora_rbuf r;
  ora_rbuf_init(&r, w.data, w.len);
  ora_get_event(&r, &ev2);
  ora_get_status(&r, &st2);
  assert_int_equal(ora_rbuf_done(&r), 0);
  assert_memory_equal(&ev, &ev2, sizeof ev);
  assert_string_equal(st2.device_type, "modem");
  assert_int_equal(st2.local.addr[0], 10);
  ora_wbuf_free(&w);
}

/* Headers: too short, lying lengths, other versions. */
static void bad_headers(void **state) {
  (void)state;
  uint8_t b[12] = {12, 0, 0, 0, ORA_PROTO_VERSION, 0, 1, 0, 0, 0, 0, 0};
  ora_msg_header h;
  assert_int_equal(ora_msg_header_decode(b, 12, &h), 0);
  assert_int_not_equal(ora_msg_header_decode(b, 11, &h), 0);
  b[0] = 11;
  assert_int_not_equal(ora_msg_header_decode(b, 12, &h), 0);
  b[0] = 0;
  b[3] = 0x7f; /* 2 GiB */
  assert_int_not_equal(ora_msg_header_decode(b, 12, &h), 0);
  b[3] = 0;
  b[0] = 12;
  b[4] = ORA_PROTO_VERSION + 1;
  assert_int_not_equal(ora_msg_header_decode(b, 12, &h), 0);
}

/* Bodies: truncation anywhere, strings longer than their field or holding NUL,
 * trailing bytes. */
static void bad_bodies(void **state) {
  (void)state;
  ora_dial_request q;
  memset(&q, 0, sizeof q);
  strcpy(q.entry, "x");
  ora_wbuf w;
  ora_wbuf_begin(&w, ORA_MSG_DIAL, 1);
  ora_put_request(&w, &q);
  assert_int_equal(ora_wbuf_finish(&w), 0);
  for (size_t cut = ORA_MSG_HEADER; cut < w.len; cut++) {
    ora_rbuf r;
    ora_rbuf_init(&r, w.data, cut);
    ora_get_request(&r, &q);
    assert_int_not_equal(ora_rbuf_done(&r), 0);
  }
  /* One trailing byte. */
  uint8_t *longer = malloc(w.len + 1);
  memcpy(longer, w.data, w.len);
  longer[w.len] = 0;
  ora_rbuf r;
  ora_rbuf_init(&r, longer, w.len + 1);
  ora_get_request(&r, &q);
  assert_int_not_equal(ora_rbuf_done(&r), 0);
  free(longer);
  ora_wbuf_free(&w);

  /* A domain string of 200 bytes does not fit ORA_DOMAIN_BYTES. */
  ora_wbuf_begin(&w, ORA_MSG_DIAL, 1);
  for (int i = 0; i < 6; i++)
    ora_wbuf_str(&w, "");
  char big[201];
  memset(big, 'd', 200);
  big[200] = 0;
  ora_wbuf_str(&w, big);
  ora_wbuf_u32(&w, 0);
  ora_wbuf_u32(&w, 0);
  ora_wbuf_u64(&w, 0);
  ora_wbuf_u32(&w, 0);
  assert_int_equal(ora_wbuf_finish(&w), 0);
  ora_rbuf_init(&r, w.data, w.len);
  ora_get_request(&r, &q);
  assert_int_not_equal(ora_rbuf_done(&r), 0);
  assert_string_equal(q.domain, "");
  ora_wbuf_free(&w);

  /* An embedded NUL in a string. */
  ora_wbuf_begin(&w, ORA_MSG_STATUS, 1);
  ora_wbuf_u16(&w, 3);
  ora_wbuf_bytes(&w, "a\0b", 3);
  assert_int_equal(ora_wbuf_finish(&w), 0);
  char s[16];
  ora_rbuf_init(&r, w.data, w.len);
  ora_rbuf_str(&r, s, sizeof s);
  assert_int_not_equal(ora_rbuf_done(&r), 0);
  ora_wbuf_free(&w);
}

/* Every request and reply body of calls.h, from its row: a body encodes, decodes to the
 * same bytes of structure and is consumed exactly; and one byte short is refused. Bodies
 * are filled with a pattern, strings cut to fit their fields. */
#define FILL(x) fill(&(x), sizeof(x))
static void fill(void *p, size_t n) {
  unsigned char *b = p;
  for (size_t i = 0; i < n; i++)
    b[i] = (unsigned char)(i * 7 + 1);
}
/* Strings: the pattern has no NUL, so make each char array a short string. */
static void fix_strings(void *p) {
  (void)p;
}
static void fix_req_dial(ora_req_dial *q) {
  ora_dial_request r;
  memset(&r, 0, sizeof r);
  strcpy(r.entry, "Office");
  strcpy(r.password, "pw");
  r.options = 0x55;
  r.callback_id = 42;
  r.ack_required = 1;
  q->q = r;
}
static void fix_req_resume(ora_req_resume *q) {
  memset(&q->q, 0, sizeof q->q);
  strcpy(q->q.user, "alice");
}
static void fix_req_find(ora_req_find *q) {
  memset(q, 0, sizeof *q);
  strcpy(q->phonebook, "C:\\pbk");
  strcpy(q->entry, "E");
}
static ora_conn_info g_items[2];
static void fix_rep_enum(ora_rep_enum *p) {
  memset(g_items, 0, sizeof g_items);
  strcpy(g_items[1].entry, "Second");
  p->count = 5;
  p->n = 2;
  p->cap = 2;
  p->items = g_items;
}
static void fix_info(ora_conn_info *c) {
  memset(c, 0, sizeof *c);
  strcpy(c->entry, "Office");
  c->handle = 0x12345;
}
static void fix_status(ora_status *st) {
  memset(st, 0, sizeof *st);
  st->state = ORA_CS_Connected;
  strcpy(st->device_type, "modem");
}
static void fix_lcp(ora_lcp_projection *l) {
  l->bundled = 1; /* a flag: it travels as 0 or 1 */
}
#define FIX(p)                                                                                     \
  _Generic((p), ora_lcp_projection *                                                               \
           : fix_lcp, ora_req_dial *                                                               \
           : fix_req_dial, ora_req_resume *                                                        \
           : fix_req_resume, ora_req_find *                                                        \
           : fix_req_find, ora_rep_enum *                                                          \
           : fix_rep_enum, ora_conn_info *                                                         \
           : fix_info, ora_status *                                                                \
           : fix_status, default                                                                   \
           : fix_strings)(p)

#define BODY_ROUND_TRIP(T, stem)                                                                   \
  do {                                                                                             \
    T *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);                                        \
    assert_non_null(a);                                                                            \
    assert_non_null(b);                                                                            \
    FILL(*a);                                                                                      \
    FIX(a);                                                                                        \
    memcpy(b, a, sizeof *a); /* pointers and caps the receiver sets, as remote_engine does */      \
    ora_wbuf w;                                                                                    \
    ora_wbuf_begin(&w, 1, 9);                                                                      \
    ora_put_##stem(&w, a);                                                                         \
    assert_int_equal(ora_wbuf_finish(&w), 0);                                                      \
    ora_rbuf r;                                                                                    \
    ora_rbuf_init(&r, w.data, w.len);                                                              \
    ora_get_##stem(&r, b);                                                                         \
    assert_int_equal(ora_rbuf_done(&r), 0);                                                        \
    if (memcmp(a, b, sizeof *a))                                                                   \
      fail_msg("%s: not the same after a round trip", #stem);                                      \
    if (w.len > ORA_MSG_HEADER) { /* one byte short: refused */                                    \
      ora_rbuf_init(&r, w.data, w.len - 1);                                                        \
      ora_get_##stem(&r, b);                                                                       \
      assert_int_equal(ora_rbuf_done(&r), -1);                                                     \
    }                                                                                              \
    ora_wbuf_free(&w);                                                                             \
    free(a);                                                                                       \
    free(b);                                                                                       \
  } while (0);

static void every_call_round_trip(void **state) {
  (void)state;
#define REQ_AND_REP(MSG, name, Req, rq, Rep, rp) BODY_ROUND_TRIP(Req, rq) BODY_ROUND_TRIP(Rep, rp)
#define HANDLE_REQ_AND_REP(MSG, name, T, stem, how)                                                \
  BODY_ROUND_TRIP(ora_body_handle, body_handle) BODY_ROUND_TRIP(T, stem)
  ORA_REQUESTS(REQ_AND_REP)
  ORA_HANDLE_CALLS(HANDLE_REQ_AND_REP)
  /* An enumeration reply with more items than the receiver has room for is refused. */
  ora_rep_enum big = {3, 2, 2, g_items}, small = {0, 0, 1, g_items};
  ora_wbuf w;
  ora_wbuf_begin(&w, 1, 9);
  ora_put_rep_enum(&w, &big);
  assert_int_equal(ora_wbuf_finish(&w), 0);
  ora_rbuf r;
  ora_rbuf_init(&r, w.data, w.len);
  ora_get_rep_enum(&r, &small);
  assert_int_equal(ora_rbuf_done(&r), -1);
  ora_wbuf_free(&w);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(request_round_trip),    cmocka_unit_test(event_status_info_round_trip),
      cmocka_unit_test(bad_headers),           cmocka_unit_test(bad_bodies),
      cmocka_unit_test(every_call_round_trip),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
