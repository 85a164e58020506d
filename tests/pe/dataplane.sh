#!/bin/sh
# Runs the data-plane PE test (test_dataplane.c) the way a user runs a dial-up program
# in sandbox mode: `ora-wine openras-run ora-wine PROGRAM`, with its own Wine prefix
# (a session in the sandbox has its own wineserver, which must not share a prefix with
# the other tests' server).
#   dataplane.sh ARCH WORK PREFIX HELPER FIXTURE SLIRP PORT PROGRAM
# Around it, on the host: a TCP server on 127.0.0.1:PORT that sends a random nonce line
# and then echoes, and link-fixture.sh's slirp with PAP behind COM5. Nothing here routes
# an address in the machine's own namespace: the program's traffic leaves its namespace
# only through the PPP link.
set -eu
arch=$1 work=$2 prefix=$3 helper=$4 fixture=$5 slirp=$6 port=$7 program=$8
root=$(cd "$(dirname "$0")/../.." && pwd)
wine=$root/scripts/ora-wine
run=$root/tunhelper/openras-run
fixtures=$root/tests/pe/link-fixture.sh
server=""
cleanup() {
  [ -z "$server" ] || kill "$server" 2>/dev/null || true
  sh "$fixtures" stop "$work" "$prefix"
}
trap cleanup EXIT INT TERM
mkdir -p "$work"

export WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES=rasapi32=n,b
unset DISPLAY
export ORA_TUN_HELPER="$helper" ORA_MANAGER_IDLE_MS=500 ORA_TRACE="Z:$work/trace.log"

# The prefix, made once inside a sandbox session of its own (about 15 s).
if [ ! -f "$prefix/system.reg" ]; then
  echo "# making the data plane's Wine prefix $prefix"
  "$wine" "$run" "$wine" wineboot -i >/dev/null 2>&1 || true
  [ -f "$prefix/system.reg" ] || { echo "OPENRAS-PE-FAIL: no Wine prefix at $prefix"; exit 1; }
fi

# The link test's fixtures (COM5: a null-modem cable to a fresh slirp with PAP per open,
# secrets alice/alicepw), mapped into this prefix.
sh "$fixtures" start "$work" "$prefix" "$fixture" "$slirp" >"$work/fixtures.out" ||
  { cat "$work/fixtures.out"; echo "OPENRAS-PE-FAIL: the link fixtures did not start"; exit 1; }
nonce=$(od -An -tx4 -N8 /dev/urandom | tr -d ' \n')
printf '#!/bin/sh\nprintf "%%s\\n" %s\nexec cat\n' "$nonce" >"$work/serve.sh"
chmod 700 "$work/serve.sh"
setsid socat "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" "EXEC:$work/serve.sh" \
  </dev/null >/dev/null 2>&1 &
server=$!

export ORA_DP_PORT="$port" ORA_DP_NONCE="$nonce"
rc=0
"$wine" "$run" "$wine" "--$arch" "$program" || rc=$?
echo "# manager trace (data plane lines):"
grep -E "dataplane|data plane|IPCP up" "$work/trace.log" | sed 's/^/#   /' || true
exit $rc
