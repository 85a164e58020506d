#!/bin/sh
# Runs a PE program under Wine. Debian's `wine` launcher prefers the 32-bit loader
# when wine32 is installed, and that fails on kernels without 32-bit support, so
# pick the loader from the program's PE machine field.
prog=$1
off=$(od -An -tu4 -j60 -N4 "$prog" 2>/dev/null | tr -d ' ')
mach=$(od -An -tx2 -j$((off + 4)) -N2 "$prog" 2>/dev/null | tr -d ' ')
if [ "$mach" = "014c" ]; then
  loader=/usr/lib/wine/wine
else
  loader=/usr/lib/wine/wine64
fi
[ -x "$loader" ] || loader=$(command -v wine)
export WINELOADER="$loader"
exec "$loader" "$@"
