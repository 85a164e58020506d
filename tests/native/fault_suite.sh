#!/bin/sh
# Allocation failures over the native test suite (issue 17, SQLite style): every test
# case of every program named, run with its Nth allocation failing for N = 1, 2, ...
# until the case no longer reaches N (tests/support/fault_hook.c does the runs). Meant
# for the ASan preset: a crash, a memory error, a hang, or a leak in a case that still
# passed fails it. The programs that dial real peers (slirp, SoftEther, the modem
# fixture) are not in the list: their dials are test_alloc_faults' scenarios.
#
#   fault_suite.sh DIR PROGRAM...   DIR holds the test programs
#   ORA_FAULT_MAX_RUNS, ORA_FAULT_BUDGET_MS: runs and time of one case before it is
#                                   sampled (fault_hook.c)
#   ORA_FAULT_ONLY_CASE             sweep only the case of that name
set -u
dir=$1
shift
# Sanitizers: ASan's own SEGV handler must stay (cmocka would catch the signal and call
# it a failed case); leaks are checked by the hook, only where a case passed.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}allow_user_segv_handler=0:leak_check_at_exit=0
UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS UBSAN_OPTIONS
failed=0
cases=0
t0=$(date +%s)
for p in "$@"; do
  prog=$dir/$p
  if [ ! -x "$prog" ]; then
    echo "fault_suite: no program $prog" >&2
    exit 1
  fi
  # the cases, from a plain run (which must pass)
  list=$(CMOCKA_MESSAGE_OUTPUT=stdout "$prog" 2>/dev/null | sed -n 's/^\[ RUN      \] //p')
  if [ -z "$list" ]; then
    echo "fault_suite: $p lists no test case" >&2
    exit 1
  fi
  for c in $list; do
    [ -n "${ORA_FAULT_ONLY_CASE:-}" ] && [ "$c" != "$ORA_FAULT_ONLY_CASE" ] && continue
    cases=$((cases + 1))
    out=$(ORA_FAULT_SWEEP=1 ORA_FAULT_CASE=$c "$prog" 2>&1)
    rc=$?
    printf '%s\n' "$out" | sed "s|^fault sweep: |$p: |"
    [ "$rc" -eq 0 ] || failed=$((failed + 1))
  done
done
echo "fault_suite: $cases cases in $# programs, $failed failed, $(($(date +%s) - t0)) s"
[ "$failed" -eq 0 ]
