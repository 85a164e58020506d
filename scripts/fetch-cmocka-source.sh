#!/bin/sh
# Fetches cmocka's Debian source (for a mingw-w64 cross build; Debian ships no mingw
# cmocka) into DEST/cmocka-<version>. Uses a private apt state so /etc is untouched.
set -e
dest=$1
mkdir -p "$dest/apt/lists/partial" "$dest/apt/cache/archives/partial"
echo "deb-src http://deb.debian.org/debian bookworm main" > "$dest/apt/sources.list"
opts="-o Dir::Etc::SourceList=$dest/apt/sources.list -o Dir::Etc::SourceParts=/dev/null
 -o Dir::State::Lists=$dest/apt/lists -o Dir::Cache=$dest/apt/cache -o Debug::NoLocking=1
 -o APT::Sandbox::User=root"
apt-get $opts -qq update
cd "$dest"
apt-get $opts -qq source --download-only cmocka
tarball=$(ls cmocka_*.orig.tar.* | head -n 1)
tar xf "$tarball"
ls -d cmocka-*/src/cmocka.c
