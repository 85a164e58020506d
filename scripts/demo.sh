#!/bin/sh
# The main job: build the x64 DLL and samples, make a Wine prefix, and show that a
# Windows program under Wine gets OpenRAS's rasapi32.dll.
set -eu
cd "$(dirname "$0")/.."
cmake --preset mingw64 >/dev/null
cmake --build --preset mingw64 -j "$(nproc)" >/dev/null
prefix=$PWD/build/demo-prefix
sh cmake/wine-prefix.sh start "$prefix" >/dev/null
export WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES=rasapi32=n,b
unset DISPLAY
echo "== exports of build/mingw64/bin/rasapi32.dll"
x86_64-w64-mingw32-objdump -p build/mingw64/bin/rasapi32.dll | sed -n '/Name Pointer\] Table/,/^$/{/Name Pointer\] Table/d;p}' | wc -l
echo "== a Windows program under Wine"
rc=0
sh cmake/wine-run.sh build/mingw64/bin/orainfo.exe || rc=$?
sh cmake/wine-prefix.sh stop "$prefix"
[ $rc -eq 0 ] && echo "DEMO OK" || echo "DEMO FAILED ($rc)"
exit $rc
