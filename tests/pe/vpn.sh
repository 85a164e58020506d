#!/bin/sh
# Runs the VPN PE test (test_vpn.c) inside tests/fixtures/softether.sh: SoftEther VPN
# Server and the test's whole Wine session (its own prefix and wineserver: Wine makes
# sockets in wineserver, so the server must live in the namespace that holds the VPN
# server) share a network namespace with only loopback. That namespace is made inside
# scripts/ora-wine's set-up (a user namespace where 32-bit programs need qemu), so the
# data plane's helper, started by the manager there, may make its TUN in it.
#   vpn.sh ARCH PREFIX PROGRAM [TUN_HELPER]
# The prefix is made once (about 15 s) and shared by both architectures' runs; its
# wineserver is ended before the namespace goes.
set -eu
arch=$1 prefix=$2 program=$3 helper=${4:-}
root=$(cd "$(dirname "$0")/../.." && pwd)
wine=$root/scripts/ora-wine
if [ "${ORA_SE_SERVER:-}" = "" ]; then
  exec "$wine" "$root/tests/fixtures/softether.sh" sh "$0" "$@"
fi
export WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES=rasapi32=n,b ORA_MANAGER_IDLE_MS=500
# The data plane in system mode: the namespace is this test's own, so the TUN, its
# routes and its DNS touch nothing outside it.
[ -z "$helper" ] || export ORA_TUN_HELPER="$helper"
unset DISPLAY
trap '"$wine" wineserver -k >/dev/null 2>&1 || true' EXIT INT TERM
if [ ! -f "$prefix/system.reg" ]; then
  echo "# making the VPN test's Wine prefix $prefix"
  mkdir -p "$prefix"
  "$wine" wineboot -i >/dev/null 2>&1 || true
  "$wine" wineserver -w
  [ -f "$prefix/system.reg" ] || { echo "OPENRAS-PE-FAIL: no Wine prefix at $prefix"; exit 1; }
fi
# L2TP without IPsec, as Windows allows it: the ProhibitIpSec policy (read by the
# manager when it starts).
"$wine" reg add 'HKLM\SYSTEM\CurrentControlSet\Services\RasMan\Parameters' /v ProhibitIpSec \
  /t REG_DWORD /d 1 /f >/dev/null 2>&1 || { echo "OPENRAS-PE-FAIL: cannot set ProhibitIpSec"; exit 1; }
"$wine" "--$arch" "$program"
