#!/bin/sh
# Fetches Wine's conformance test of rasapi32 (dlls/rasapi32/tests/rasapi.c) and the
# test harness header it needs (include/wine/test.h; libwine-dev does not ship it)
# from Debian's wine source package into DEST/wine-rasapi-test. Only those two files
# are extracted. Uses a private apt state so /etc is untouched. Wine's code is LGPL
# and stays in the build tree: it is never committed here.
set -e
dest=$1
out="$dest/wine-rasapi-test"
if [ -f "$out/rasapi.c" ] && [ -f "$out/wine/test.h" ]; then
  exit 0
fi
mkdir -p "$dest/apt-wine/lists/partial" "$dest/apt-wine/cache/archives/partial" "$out/wine"
echo "deb-src http://deb.debian.org/debian bookworm main" > "$dest/apt-wine/sources.list"
opts="-o Dir::Etc::SourceList=$dest/apt-wine/sources.list -o Dir::Etc::SourceParts=/dev/null
 -o Dir::State::Lists=$dest/apt-wine/lists -o Dir::Cache=$dest/apt-wine/cache -o Debug::NoLocking=1
 -o APT::Sandbox::User=root"
apt-get $opts -qq update
mkdir -p "$dest/apt-wine/src"
cd "$dest/apt-wine/src"
apt-get $opts -qq source --download-only wine
tarball=$(ls wine_*.orig.tar.* | head -n 1)
tar xf "$tarball" --wildcards '*/dlls/rasapi32/tests/rasapi.c' '*/include/wine/test.h'
cp */dlls/rasapi32/tests/rasapi.c "$out/rasapi.c"
cp */include/wine/test.h "$out/wine/test.h"
rm -rf "$dest/apt-wine/src"
ls "$out/rasapi.c" "$out/wine/test.h"
