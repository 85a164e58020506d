#!/bin/sh
# ctest fixture: `start PREFIX` makes a private Wine prefix (once) and keeps a
# wineserver running so each test does not pay its start-up and linger; `stop
# PREFIX` ends that wineserver. The server's stdio goes to /dev/null so it never
# holds ctest's pipes open.
set -e
cmd=$1
export WINEPREFIX=$2 WINEDEBUG=-all WINELOADER=/usr/lib/wine/wine64
unset DISPLAY
case "$cmd" in
start)
  if [ ! -f "$WINEPREFIX/system.reg" ]; then
    mkdir -p "$WINEPREFIX"
    /usr/lib/wine/wine64 wineboot -i >/dev/null 2>&1 || true
    wineserver -w
  fi
  [ -f "$WINEPREFIX/system.reg" ] || { echo "wineboot failed for $WINEPREFIX" >&2; exit 1; }
  wineserver -p </dev/null >/dev/null 2>&1 &
  # The first program of a session starts Wine's system processes (services.exe,
  # winedevice.exe...), which stay; start them here, detached from ctest's pipes.
  /usr/lib/wine/wine64 cmd.exe /c exit </dev/null >/dev/null 2>&1 || true
  echo "wine prefix ready: $WINEPREFIX"
  ;;
stop)
  wineserver -k >/dev/null 2>&1 || true
  ;;
esac
