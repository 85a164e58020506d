#!/bin/sh
# native.fault_hook_check: the sweep of fault_suite.sh reports fault_hook_check's leaking
# and crashing cases, and passes its clean one. Usage: fault_hook_check.sh DIR
set -u
suite=$(dirname "$0")/fault_suite.sh
fail=0
for c in leaks crashes; do
  out=$(ORA_FAULT_ONLY_CASE=$c sh "$suite" "$1" fault_hook_check 2>&1)
  if [ $? -eq 0 ]; then
    echo "FAIL: the sweep passed the $c case"
    fail=1
  fi
  printf '%s\n' "$out" | grep "fault_hook_check: $c:"
done
if ! ORA_FAULT_ONLY_CASE=clean sh "$suite" "$1" fault_hook_check; then
  echo "FAIL: the sweep failed the clean case"
  fail=1
fi
[ $fail -eq 0 ] && echo "the sweep reports a leak and a crash, and passes a clean case"
exit $fail
