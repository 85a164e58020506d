#!/bin/sh
# Runs the data-plane PE test (test_dataplane.c) the way a user runs a dial-up program
# in sandbox mode: `ora-wine openras-run ora-wine PROGRAM`, with its own Wine prefix
# (a session in the sandbox has its own wineserver, which must not share a prefix with
# the other tests' server).
#   dataplane.sh ARCH WORK PREFIX HELPER FIXTURE SLIRP PORT PROGRAM
# Around it, on the host: a TCP server on 127.0.0.1:PORT that sends a random nonce line
# and then echoes, and slirp with PAP behind COM5 (the modem fixture as a null-modem
# cable: a fresh slirp per open). Nothing here routes an address in the machine's own
# namespace: the program's traffic leaves its namespace only through the PPP link.
set -eu
arch=$1 work=$2 prefix=$3 helper=$4 fixture=$5 slirp=$6 port=$7 program=$8
root=$(cd "$(dirname "$0")/../.." && pwd)
wine=$root/scripts/ora-wine
run=$root/tunhelper/openras-run
pids=""
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/com5.pid" ] && kill "$(cat "$work/com5.pid")" 2>/dev/null || true
  rm -f "$work/com5.pid" "$prefix/dosdevices/com5"
}
trap cleanup EXIT INT TERM
mkdir -p "$work"
rm -f "$work/com5.pid"
umask 077
printf 'alice * alicepw\n' >"$work/.pap-secrets"
printf '#!/bin/sh\ncd "%s" || exit 1\nHOME="%s"; export HOME\nexec "%s" -P +pap\n' \
  "$work" "$work" "$slirp" >"$work/slirp-pap.sh"
chmod 700 "$work/slirp-pap.sh"
umask 022
: >"$work/trace.log"

export WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES=rasapi32=n,b
unset DISPLAY
export ORA_TUN_HELPER="${ORA_TUN_HELPER_DEBUG:-$helper}" ORA_MANAGER_IDLE_MS=500 ORA_TRACE="Z:$work/trace.log"

# The prefix, made once inside a sandbox session of its own (about 15 s).
if [ ! -f "$prefix/system.reg" ]; then
  echo "# making the data plane's Wine prefix $prefix"
  "$wine" "$run" "$wine" wineboot -i >/dev/null 2>&1 || true
  [ -f "$prefix/system.reg" ] || { echo "OPENRAS-PE-FAIL: no Wine prefix at $prefix"; exit 1; }
fi

setsid "$fixture" --direct --link "$work/com5" --slirp "$work/slirp-pap.sh" --log "$work/com5.log" \
  --pidfile "$work/com5.pid" </dev/null >/dev/null 2>&1 &
nonce=$(od -An -tx4 -N8 /dev/urandom | tr -d ' \n')
printf '#!/bin/sh\nprintf "%%s\\n" %s\nexec cat\n' "$nonce" >"$work/serve.sh"
chmod 700 "$work/serve.sh"
setsid socat "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" "EXEC:$work/serve.sh" \
  </dev/null >/dev/null 2>&1 &
pids="$pids $!"
i=0
while [ ! -f "$work/com5.pid" ]; do
  i=$((i + 1))
  [ $i -lt 500 ] || { echo "OPENRAS-PE-FAIL: the modem fixture did not start"; exit 1; }
  sleep 0.01
done
mkdir -p "$prefix/dosdevices"
ln -sfn "$work/com5" "$prefix/dosdevices/com5"

export ORA_DP_PORT="$port" ORA_DP_NONCE="$nonce"
rc=0
"$wine" "$run" "$wine" "--$arch" "$program" || rc=$?
echo "# manager trace (data plane lines):"
grep -E "dataplane|data plane|IPCP up" "$work/trace.log" | sed 's/^/#   /' || true
exit $rc
