#!/bin/sh
# Builds everything (native core, x64 and x86 DLLs) and runs every test: native unit
# tests, PE tests under Wine, host-side checks of the PE files; then the robustness
# stages: the native unit tests under ASan+UBSan, under TSan and under valgrind, and
# each fuzz target for a bounded budget (ORA_FUZZ_SECONDS, default 20 s per target); and
# the native tests once more built for gcov, with core/'s line coverage printed.
# ORA_TEST_STAGES picks stages, e.g. ORA_TEST_STAGES="native fuzz" sh scripts/test.sh
# x86 PE tests run through scripts/ora-wine (qemu-i386 where the kernel runs no 32-bit
# code); where that cannot work the mingw32 stage fails, unless ORA_NO_X86_RUN=1 is set:
# then they are counted as skipped.
set -u
cd "$(dirname "$0")/.."
start=$(date +%s)
jobs=$(nproc 2>/dev/null || echo 2)
status=0
summary=""
passed=0
failed=0
skipped=0
for preset in ${ORA_TEST_STAGES:-native mingw64 mingw32 asan tsan valgrind fuzz coverage}; do
  t0=$(date +%s)
  echo "=== $preset: configure and build"
  if ! { cmake --preset "$preset" >/dev/null && cmake --build --preset "$preset" -j "$jobs"; }; then
    summary="$summary\n$preset: BUILD FAILED"
    status=1
    failed=$((failed + 1)) # a stage that cannot build counts as one failed test
    continue
  fi
  echo "=== $preset: test"
  log=build/$preset/ctest.log
  # Under Wine a program now and then fails to start at all (no output, a fraction of a
  # second, seen about once in six runs): the PE stages run a failed test once more, and
  # the log names it. A test that fails twice fails.
  repeat=""
  case "$preset" in mingw*) repeat="--repeat until-pass:2" ;; esac
  # shellcheck disable=SC2086 # $repeat is two words or none
  ctest --preset "$preset" -j "$jobs" $repeat >"$log" 2>&1
  rc=$?
  # the coverage stage also sums what its run covered of core/ (gcov)
  [ "$preset" = coverage ] && python3 scripts/coverage.py "build/$preset" >>"$log" 2>&1
  cat "$log"
  [ "$rc" -eq 0 ] || status=1
  # "N% tests passed, F tests failed out of T"
  line=$(grep -E 'tests failed out of' "$log" | tail -n 1)
  if [ -n "$line" ]; then
    f=$(echo "$line" | sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/')
    t=$(echo "$line" | sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/')
    passed=$((passed + t - f))
    failed=$((failed + f))
  elif [ "$rc" -ne 0 ]; then
    failed=$((failed + 1)) # ctest itself failed before counting anything
  fi
  summary="$summary\n$preset: $(grep -E 'tests passed|No tests were found' "$log" | tail -n 1) (tests $(grep -E '^Total Test time' "$log" | sed -E 's/.*= *//'); stage $(($(date +%s) - t0)) s)"
  notrun=$(grep -c "Not Run (Disabled)" "$log")
  if [ "$notrun" -gt 0 ]; then
    skipped=$((skipped + notrun))
    summary="$summary\n$preset: NOTE: $notrun tests NOT RUN (disabled: ORA_NO_X86_RUN=1?)"
  fi
done
echo "=== summary ($(($(date +%s) - start)) s)"
printf '%b\n' "$summary" # %b: the summary holds "100% tests passed", not a format
[ $status -eq 0 ] && echo "ALL TESTS PASSED" || echo "SOME TESTS FAILED"
if [ $skipped -gt 0 ]; then
  echo "total: $passed passed, $failed failed, $skipped skipped"
else
  echo "total: $passed passed, $failed failed"
fi
exit $status
