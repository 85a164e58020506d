/* The manager's lane (core/os/win32_lane.c) on its own, both ends in this process under
 * Wine: messages of any size stream through the fixed rings in order, a full ring
 * makes a writer wait and never loses or reorders a byte, read bytes do not stay in
 * shared memory, positions that break the rules end the lane, and a side that goes
 * away wakes the other. ctest runs it twice: sleeping on futexes first (Wine on
 * Linux), and with ORA_LANE_FUTEX=0, on events only. */
#include "pe_test.h"

#include <stdlib.h>

#include "openras/win32_lane.h"

typedef struct pair {
  ora_lane mgr, cli;
  HANDLE gone; /* stands for both pipe watches: set, both sides see the other gone */
} pair;

static void pair_open(pair *p) {
  ora_manager_names names;
  /* A version no manager uses, so these objects are the test's own. */
  assert_int_equal(ora_manager_names_get(900 + (int)(GetCurrentProcessId() % 90), &names), 0);
  uint64_t id = 0;
  assert_int_equal(ora_lane_create(&p->mgr, &names, NULL, &id), 0);
  assert_int_equal(ora_lane_open(&p->cli, &names, id), 0);
  /* An id nobody made opens nothing. */
  ora_lane none;
  assert_int_equal(ora_lane_open(&none, &names, id ^ 1), -1);
  p->gone = CreateEventW(NULL, TRUE, FALSE, NULL);
  assert_non_null(p->gone);
  p->mgr.gone = p->cli.gone = p->gone;
}

static void pair_close(pair *p) {
  ora_lane_close(&p->mgr);
  ora_lane_close(&p->cli);
  CloseHandle(p->gone);
}

/* A message of n bytes (n >= 8): its length, its sequence number, then bytes that
 * follow from both. */
static uint8_t *make_msg(uint32_t n, uint32_t seq) {
  uint8_t *m = malloc(n);
  assert_non_null(m);
  memcpy(m, &n, 4);
  memcpy(m + 4, &seq, 4);
  for (uint32_t i = 8; i < n; i++)
    m[i] = (uint8_t)(i * 7 + seq);
  return m;
}

static void check_msg(const uint8_t *m, size_t len, uint32_t n, uint32_t seq) {
  assert_int_equal(len, n);
  uint32_t v;
  memcpy(&v, m, 4);
  assert_int_equal(v, n);
  memcpy(&v, m + 4, 4);
  assert_int_equal(v, seq);
  for (uint32_t i = 8; i < n; i++)
    if (m[i] != (uint8_t)(i * 7 + seq))
      fail_msg("message %u: byte %u differs", (unsigned)seq, (unsigned)i);
}

static void round_trip_both_ways(void **state) {
  (void)state;
  pair p;
  pair_open(&p);
  uint8_t *q = make_msg(100, 1);
  assert_int_equal(ora_lane_write(&p.cli, q, 100, 1000), 0);
  uint8_t *got;
  size_t len;
  assert_int_equal(ora_lane_read_msg(&p.mgr, 8, 1 << 24, &got, &len), 0);
  check_msg(got, len, 100, 1);
  free(got);
  uint8_t *r = make_msg(40, 2);
  assert_int_equal(ora_lane_try_write(&p.mgr, r, 40), 1);
  assert_int_equal(ora_lane_read_msg(&p.cli, 8, 1 << 24, &got, &len), 0);
  check_msg(got, len, 40, 2);
  free(got);
  free(q);
  free(r);
  pair_close(&p);
}

/* The writer's side of the streaming case: every size from small to four times the
 * ring, in order. */
#define STREAM_MSGS 400
static uint32_t stream_size(uint32_t i) {
  if (i % 50 == 49)
    return ORA_LANE_RING * 4 + 13; /* larger than the ring: goes through in pieces */
  return 8 + (i * 2654435761u) % 6000;
}

static DWORD WINAPI stream_writer(LPVOID arg) {
  ora_lane *l = arg;
  for (uint32_t i = 0; i < STREAM_MSGS; i++) {
    uint8_t *m = make_msg(stream_size(i), i);
    int rc = ora_lane_write(l, m, stream_size(i), 30000);
    free(m);
    if (rc != 0)
      return 1;
  }
  return 0;
}

static void messages_of_any_size_stream_through_in_order(void **state) {
  (void)state;
  pair p;
  pair_open(&p);
  HANDLE t = CreateThread(NULL, 0, stream_writer, &p.cli, 0, NULL);
  assert_non_null(t);
  for (uint32_t i = 0; i < STREAM_MSGS; i++) {
    uint8_t *got;
    size_t len;
    assert_int_equal(ora_lane_read_msg(&p.mgr, 8, ORA_LANE_RING * 8, &got, &len), 0);
    check_msg(got, len, stream_size(i), i);
    free(got);
  }
  assert_int_equal(WaitForSingleObject(t, 30000), WAIT_OBJECT_0);
  DWORD code = 1;
  GetExitCodeThread(t, &code);
  assert_int_equal(code, 0);
  CloseHandle(t);
  pair_close(&p);
}

/* try_write takes a message whole or not at all; a full ring makes ora_lane_write wait
 * and give up when its time runs out. */
static void full_ring_refuses_or_waits(void **state) {
  (void)state;
  pair p;
  pair_open(&p);
  uint8_t *m = make_msg(4096, 0);
  size_t put = 0;
  while (ora_lane_try_write(&p.mgr, m, 4096) == 1)
    put += 4096;
  assert_int_equal(put, ORA_LANE_RING); /* 4096 divides the ring */
  assert_int_equal(ora_lane_try_write(&p.mgr, m, 8), 0);
  assert_int_equal(ora_lane_write(&p.mgr, m, 8, 50), -1);
  /* Once the reader takes one message, one fits again. */
  uint8_t *got;
  size_t len;
  assert_int_equal(ora_lane_read_msg(&p.cli, 8, 1 << 20, &got, &len), 0);
  check_msg(got, len, 4096, 0);
  free(got);
  assert_int_equal(ora_lane_try_write(&p.mgr, m, 4096), 1);
  free(m);
  pair_close(&p);
}

/* What was read is wiped from the shared ring (a dial request carries a password). */
static void read_bytes_do_not_stay_in_shared_memory(void **state) {
  (void)state;
  pair p;
  pair_open(&p);
  uint8_t *m = make_msg(64, 9);
  assert_int_equal(ora_lane_write(&p.cli, m, 64, 1000), 0);
  /* the manager's view of the same ring (another mapping of the section) */
  assert_memory_equal(p.mgr.in.data, m, 64);
  uint8_t *got;
  size_t len;
  assert_int_equal(ora_lane_read_msg(&p.mgr, 8, 1 << 20, &got, &len), 0);
  free(got);
  static const uint8_t zero[64];
  assert_memory_equal(p.mgr.in.data, zero, 64);
  assert_memory_equal(p.cli.out.data, zero, 64);
  free(m);
  pair_close(&p);
}

/* The other side's positions may be anything: beyond the ring's size they end the
 * lane for good, for the reader and for the writer. */
static void forged_positions_end_the_lane(void **state) {
  (void)state;
  pair p;
  pair_open(&p);
  uint8_t *got;
  size_t len;
  p.cli.out.ctl->tail = p.cli.out.ctl->head + ORA_LANE_RING + 1;
  assert_int_equal(ora_lane_read_msg(&p.mgr, 8, 1 << 20, &got, &len), -1);
  assert_int_equal(ora_lane_read_msg(&p.mgr, 8, 1 << 20, &got, &len), -1);
  uint8_t *m = make_msg(16, 0);
  p.cli.in.ctl->head = p.cli.in.ctl->tail + 64; /* ahead of what was written */
  assert_int_equal(ora_lane_write(&p.mgr, m, 16, 1000), -1);
  assert_int_equal(ora_lane_try_write(&p.mgr, m, 16), -1);
  free(m);
  pair_close(&p);
}

/* A length outside the bounds the reader gives is refused. */
static void malformed_length_refused(void **state) {
  (void)state;
  pair p;
  pair_open(&p);
  uint8_t *m = make_msg(16, 0);
  assert_int_equal(ora_lane_write(&p.cli, m, 16, 1000), 0);
  uint8_t *got;
  size_t len;
  assert_int_equal(ora_lane_read_msg(&p.mgr, 32, 1 << 20, &got, &len), -1);
  free(m);
  pair_close(&p);
}

static DWORD WINAPI leave_soon(LPVOID arg) {
  Sleep(100);
  SetEvent((HANDLE)arg);
  return 0;
}

/* A reader asleep on an empty ring wakes when the other side goes, after it has read
 * what that side wrote before going; a writer waiting for room wakes too. */
static void gone_wakes_the_sleepers(void **state) {
  (void)state;
  pair p;
  pair_open(&p);
  uint8_t *m = make_msg(32, 5);
  assert_int_equal(ora_lane_write(&p.cli, m, 32, 1000), 0);
  HANDLE t = CreateThread(NULL, 0, leave_soon, p.gone, 0, NULL);
  assert_non_null(t);
  uint8_t *got;
  size_t len;
  assert_int_equal(ora_lane_read_msg(&p.mgr, 8, 1 << 20, &got, &len), 0);
  check_msg(got, len, 32, 5);
  free(got);
  assert_int_equal(ora_lane_read_msg(&p.mgr, 8, 1 << 20, &got, &len), -1);
  WaitForSingleObject(t, INFINITE);
  CloseHandle(t);
  /* Full ring, other side gone: the writer does not wait for its time to run out. */
  while (ora_lane_try_write(&p.mgr, m, 32) == 1)
    ;
  assert_int_equal(ora_lane_write(&p.mgr, m, 32, INFINITE), -1);
  free(m);
  pair_close(&p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(round_trip_both_ways),
      cmocka_unit_test(messages_of_any_size_stream_through_in_order),
      cmocka_unit_test(full_ring_refuses_or_waits),
      cmocka_unit_test(read_bytes_do_not_stay_in_shared_memory),
      cmocka_unit_test(forged_positions_end_the_lane),
      cmocka_unit_test(malformed_length_refused),
      cmocka_unit_test(gone_wakes_the_sleepers),
  };
  ORA_PE_RUN_TESTS("test_lane", tests);
}
