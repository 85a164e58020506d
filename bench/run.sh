#!/bin/sh
# Runs every benchmark and prints a Markdown table of medians, also written to
# bench/results/<date>.md. Builds what it needs: the native preset's libraries (the
# native bench programs of bench/native/ are compiled against them into
# build/native/bench/) and the mingw64 preset (bench_dial, bench_conns, bench_soak
# run under Wine in a private prefix, build/mingw64/wineprefix-bench).
#
#   ORA_BENCH_RUNS   runs of each benchmark program (default 3); each program
#                    reports the median of its own repetitions, the table the median
#                    over the runs
#   ORA_SOAK_CYCLES  dial/hang-up cycles of the soak (default 100000; 0 skips it)
#   ORA_SOAK_PROCS   client processes of the soak (default 4)
#   ORA_LINE_SOAK_DIALS  dials of each fast kind of fault in the hostile-line soak
#                    (default 200: about 1,000 dials, 10 minutes; 0 skips it)
# Nothing here asserts a time: the table says which targets were met.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
runs=${ORA_BENCH_RUNS:-3}
soak_cycles=${ORA_SOAK_CYCLES:-100000}
soak_procs=${ORA_SOAK_PROCS:-4}
out=build/bench
mkdir -p "$out" bench/results
raw=$out/raw.tsv
: >"$raw"
fail() {
  echo "bench/run.sh: $*" >&2
  exit 1
}

echo "=== build: native libraries and bench programs"
cmake --preset native >/dev/null &&
  cmake --build --preset native --target ora_engine ora_core openras-tun line_fixture \
    modem_fixture test_link_slirp test_link_l2tp ||
  fail "native build failed"
mkdir -p build/native/bench
for b in bench_engine bench_hdlc bench_negotiate bench_dataplane bench_loss; do
  cc -O2 -g -std=c11 -Wall -Wextra -Werror -I include -I core -I bench/native -I tests/support \
    "bench/native/$b.c" \
    build/native/core/libora_engine.a build/native/core/libora_core.a -lnettle -lpthread \
    -o "build/native/bench/$b" || fail "cannot build $b"
done
echo "=== build: mingw64 (DLL, manager, PE bench programs)"
cmake --preset mingw64 >/dev/null && cmake --build --preset mingw64 || fail "mingw64 build failed"

# One line per run on stderr so a long run shows progress; TSV lines into $raw.
run() { # run LABEL COMMAND...
  label=$1
  shift
  i=1
  while [ "$i" -le "$runs" ]; do
    echo "--- $label (run $i of $runs)" >&2
    "$@" | grep -E '^[A-Za-z0-9_]+	' >>"$raw" || echo "bench/run.sh: $label run $i failed" >&2
    i=$((i + 1))
  done
}

echo "=== native benchmarks"
run bench_hdlc build/native/bench/bench_hdlc
run bench_engine build/native/bench/bench_engine 2000 100000 1000
run bench_negotiate build/native/bench/bench_negotiate 10
# root only (it makes its own network namespace); elsewhere its rows stay empty
run bench_dataplane build/native/bench/bench_dataplane build/native/tunhelper/openras-tun 3
# through the hostile line (tests/fixtures/line_fixture.c); about 5 minutes a run
run bench_loss build/native/bench/bench_loss build/native/tests/native/line_fixture 15
# VPN: L2TP to SoftEther in a namespace of its own (root and SoftEther only; elsewhere
# these rows stay empty); about 40 s a run
run "vpn (SoftEther)" env ORA_TUN_HELPER_BIN="$root/build/native/tunhelper/openras-tun" \
  sh tests/fixtures/softether.sh "$root/build/native/tests/native/test_link_l2tp" --bench 5

# The hostile-line soak of native.test_line_soak, longer: its outcome table by kind of
# fault goes into the report as it is.
line_soak_dials=${ORA_LINE_SOAK_DIALS:-200}
: >"$out/line_soak.md"
if [ "$line_soak_dials" -gt 0 ]; then
  echo "--- hostile-line soak: $line_soak_dials dials of each fast kind" >&2
  t0=$(date +%s)
  n=build/native/tests/native
  ORA_SLIRP=/usr/bin/slirp-fullbolt ORA_MODEM_FIXTURE=$n/modem_fixture \
    ORA_LINE_FIXTURE=$n/line_fixture ORA_SOAK_DIALS=$line_soak_dials $n/test_link_slirp --soak |
    grep -E '^\||dials; threads' >"$out/line_soak.md"
  echo "--- hostile-line soak: $(($(date +%s) - t0)) s" >&2
  echo "($(($(date +%s) - t0)) s)" >>"$out/line_soak.md"
fi

echo "=== Wine benchmarks (DLL and manager)"
prefix=$root/build/mingw64/wineprefix-bench
sh cmake/wine-prefix.sh start "$prefix" >/dev/null || fail "cannot make the Wine prefix $prefix"
export WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES=rasapi32=n,b ORA_BENCH_TSV=1
unset DISPLAY
bin=$root/build/mingw64/bin
# bench_dial with the lane's sides sleeping on events only (ORA_LANE_FUTEX=0): the
# baseline of the futex wake-ups, rows wine_evonly_*. Its manager, started by it with its
# environment, exits 200 ms after each run, so the runs after it start their own.
dial_events_only() {
  ORA_LANE_FUTEX=0 ORA_MANAGER_IDLE_MS=200 scripts/ora-wine "$bin/bench_dial.exe" 300 2000 |
    sed 's/^wine_/wine_evonly_/'
  sleep 1
}
run "bench_dial, events only" dial_events_only
run bench_dial scripts/ora-wine "$bin/bench_dial.exe" 300 20000
run bench_ipc scripts/ora-wine "$bin/bench_ipc.exe" 2000
run bench_conns scripts/ora-wine "$bin/bench_conns.exe" 1,10,100,1000 both
if [ "$soak_cycles" -gt 0 ]; then
  echo "--- bench_soak: $soak_cycles cycles from $soak_procs processes" >&2
  t0=$(date +%s)
  scripts/ora-wine "$bin/bench_soak.exe" "$soak_cycles" "$soak_procs" | grep -E '^[A-Za-z0-9_]+	' >>"$raw"
  echo "--- bench_soak exit $? after $(($(date +%s) - t0)) s" >&2
fi

echo "=== Wine COM-port dials: RasDialA over COM5 to slirp, x64 and x86 programs"
# link-fixture.sh (the PE link tests' fixture): COM5 is a null-modem cable to a fresh
# slirp +pap waiting each time it is opened. Each program's manager is started with
# ORA_TRACE (the PPP phase times).
cmake --preset mingw32 >/dev/null && cmake --build --preset mingw32 || fail "mingw32 build failed"
# bench_dial from an x86 program (qemu-i386 where the kernel runs no 32-bit code): with the
# 64-bit manager, which an installed 32-bit program starts (rows wine_x86_*), and with the
# 32-bit one, as in a 32-bit prefix (rows wine_x86own_*). No manager runs before each.
# The manager of a build, as a Windows path for ORA_MANAGER_PATH.
manager_of() { echo "Z:$(echo "$root/build/$1/bin" | tr / '\\')\\openras-manager.exe"; }
dial_x86() { # dial_x86 ROW_PREFIX MANAGER_BUILD
  ORA_MANAGER_IDLE_MS=200 ORA_MANAGER_PATH="$(manager_of "$2")" \
    scripts/ora-wine "$root/build/mingw32/bin/bench_dial.exe" 300 2000 | sed "s/^wine_/$1/"
  sleep 1
}
scripts/ora-wine wineserver -k >/dev/null 2>&1 || true
run "bench_dial x86, 64-bit manager" dial_x86 wine_x86_ mingw64
run "bench_dial x86, 32-bit manager" dial_x86 wine_x86own_ mingw32
cmake --build --preset native --target modem_fixture >/dev/null || fail "no modem fixture"
lf=$root/build/bench/link-fixture
sh tests/pe/link-fixture.sh start "$lf" "$prefix" "$root/build/native/tests/native/modem_fixture" \
  /usr/bin/slirp-fullbolt || fail "cannot start the link fixture"
# x86: the program with the 64-bit manager, which an installed 32-bit program starts (the
# manager runs the PPP); x86own: with the 32-bit manager, as in a 32-bit prefix.
for a in x64 x86 x86own; do
  b=$root/build/mingw64/bin
  [ "$a" != x64 ] && b=$root/build/mingw32/bin
  scripts/ora-wine wineserver -k >/dev/null 2>&1 || true # no manager without the trace
  ORA_TRACE="Z:$lf/trace-$a.log"
  export ORA_TRACE
  [ "$a" = x86 ] && ORA_MANAGER_PATH=$(manager_of mingw64) && export ORA_MANAGER_PATH
  run "bench_comdial $a" scripts/ora-wine "$b/bench_comdial.exe" "$a" COM5 20
  unset ORA_TRACE ORA_MANAGER_PATH
done
sh tests/pe/link-fixture.sh stop "$lf" "$prefix"

echo "=== Wine COM port raw rate (bench_comport): the data plane's baseline"
# COM6: a pty whose other side writes what comes into a file; COM7: one that sends 20 MB
# as soon as it exists; COM8: one that echoes.
cp=$root/build/bench/comport
rm -rf "$cp" && mkdir -p "$cp"
socat PTY,link="$cp/w",raw,echo=0 SYSTEM:"cat > $cp/sink" &
p1=$!
socat PTY,link="$cp/r",raw,echo=0 SYSTEM:"head -c 20971520 /dev/zero" &
p2=$!
socat PTY,link="$cp/e",raw,echo=0 EXEC:cat &
p3=$!
sleep 1
ln -sfn "$cp/w" "$prefix/dosdevices/com6"
ln -sfn "$cp/r" "$prefix/dosdevices/com7"
ln -sfn "$cp/e" "$prefix/dosdevices/com8"
scripts/ora-wine "$root/build/mingw64/bin/bench_comport.exe" COM6 "Z:$cp/sink" COM7 20 COM8 |
  grep -E '^[A-Za-z0-9_]+	' >>"$raw" || echo "bench/run.sh: bench_comport failed" >&2
kill $p1 $p2 $p3 2>/dev/null
rm -f "$prefix/dosdevices/com6" "$prefix/dosdevices/com7" "$prefix/dosdevices/com8"
sh cmake/wine-prefix.sh stop "$prefix" >/dev/null 2>&1

echo "=== Wine data plane: 10 MB each way through COM5 to slirp (pe.*.test_dataplane)"
# root and /dev/net/tun only (the test's sandbox); elsewhere these rows stay empty
dataplane_rows() { # BUILD ARCH: the test under ctest, its output without ctest's "N: "
  ORA_BENCH_TSV=1 ctest --test-dir "$1" -R "^pe.$2.test_dataplane\$" -V 2>&1 | sed 's/^[0-9]*: //'
}
run "test_dataplane x64" dataplane_rows build/mingw64 x64
run "test_dataplane x86" dataplane_rows build/mingw32 x86

date=$(date +%Y-%m-%d)
report=bench/results/$date.md
# A second run on the same day keeps the first: <date>-2.md, -3.md, ...
n=2
while [ -e "$report" ]; do
  report=bench/results/$date-$n.md
  n=$((n + 1))
done
cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //')
{
  python3 bench/report.py "# OpenRAS benchmarks, $date"
  echo
  echo "Machine: $(nproc) cores ($cpu), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end;"
  echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown) plus the working tree."
  echo "Native framing speeds are per core (thread CPU time); everything else is wall time."
  if [ -s "$out/line_soak.md" ]; then
    echo
    echo "## Dials through the hostile line (tests/fixtures/line_fixture.c), by kind of fault"
    echo
    cat "$out/line_soak.md"
  fi
} <"$raw" >"$report"
cat "$report"
echo "(written to $report)"
