#!/bin/sh
# Runs the VPN PE test (test_vpn.c) inside tests/fixtures/softether.sh: SoftEther VPN
# Server and the test's whole Wine session (its own prefix and wineserver: Wine makes
# sockets in wineserver, so the server must live in the namespace that holds the VPN
# server) share a network namespace with only loopback.
#   vpn.sh ARCH PREFIX PROGRAM
# The prefix is made once (about 15 s) and shared by both architectures' runs; its
# wineserver is ended before the namespace goes.
set -eu
arch=$1 prefix=$2 program=$3
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ "${ORA_SE_SERVER:-}" = "" ]; then
  exec sh "$root/tests/fixtures/softether.sh" sh "$0" "$@"
fi
wine=$root/scripts/ora-wine
export WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES=rasapi32=n,b ORA_MANAGER_IDLE_MS=500
unset DISPLAY
trap '"$wine" wineserver -k >/dev/null 2>&1 || true' EXIT INT TERM
if [ ! -f "$prefix/system.reg" ]; then
  echo "# making the VPN test's Wine prefix $prefix"
  mkdir -p "$prefix"
  "$wine" wineboot -i >/dev/null 2>&1 || true
  "$wine" wineserver -w
  [ -f "$prefix/system.reg" ] || { echo "OPENRAS-PE-FAIL: no Wine prefix at $prefix"; exit 1; }
fi
"$wine" "--$arch" "$program"
