#!/bin/sh
# Runs one libFuzzer target for a bounded budget (ctest test fuzz.<target>):
#   run-fuzzer.sh FUZZER SEED_DIR WORK_DIR SECONDS MAX_RUNS
# New inputs go to WORK_DIR/corpus, never into the committed seeds; a crash is saved
# in WORK_DIR/artifacts/ (copy it to tests/fuzz/regressions/<target>/ with the fix).
# ORA_FUZZ_SECONDS overrides SECONDS and ORA_FUZZ_SEED the fixed seed (1), e.g. for a
# longer run by hand: ORA_FUZZ_SECONDS=600 ORA_FUZZ_SEED=0 ctest --preset fuzz -R fuzz.ppp$
set -eu
fuzzer=$1 seeds=$2 work=$3 secs=${ORA_FUZZ_SECONDS:-$4} runs=$5
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
exec "$fuzzer" -max_total_time="$secs" -runs="$runs" -seed="${ORA_FUZZ_SEED:-1}" -timeout=10 \
  -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
  "$work/corpus" "$seeds"
