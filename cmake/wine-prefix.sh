#!/bin/sh
# ctest fixture: `start PREFIX` makes a private Wine prefix (once) and keeps a
# wineserver running so each test does not pay its start-up and linger; `stop
# PREFIX` ends that wineserver. The server's stdio goes to /dev/null so it never
# holds ctest's pipes open. Every Wine command goes through scripts/ora-wine, so a
# WoW64 prefix works where the kernel runs no 32-bit code.
set -e
cmd=$1
export WINEPREFIX=$2 WINEDEBUG=-all
unset DISPLAY
wine=$(cd "$(dirname "$0")/../scripts" && pwd)/ora-wine
case "$cmd" in
start)
  if [ ! -f "$WINEPREFIX/system.reg" ]; then
    mkdir -p "$WINEPREFIX"
    "$wine" wineboot -i >/dev/null 2>&1 || true
    "$wine" wineserver -w
  fi
  [ -f "$WINEPREFIX/system.reg" ] || { echo "wineboot failed for $WINEPREFIX" >&2; exit 1; }
  "$wine" wineserver -p </dev/null >/dev/null 2>&1 &
  # The first program of a session starts Wine's system processes (services.exe,
  # winedevice.exe...), which stay; start them here, detached from ctest's pipes.
  "$wine" cmd.exe /c exit </dev/null >/dev/null 2>&1 || true
  echo "wine prefix ready: $WINEPREFIX"
  ;;
stop)
  "$wine" wineserver -k >/dev/null 2>&1 || true
  ;;
esac
