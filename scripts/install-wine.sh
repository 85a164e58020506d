#!/bin/sh
# Installs OpenRAS into a Wine prefix, or removes it again:
#
#   sh scripts/install-wine.sh [--prefix DIR]               install (WINEPREFIX, else ~/.wine)
#   sh scripts/install-wine.sh --uninstall [--prefix DIR]   remove it; Wine's builtin comes back
#
# Installs from build/mingw64/bin (and build/mingw32/bin when built; OPENRAS_BIN64 and
# OPENRAS_BIN32 name other folders): rasapi32.dll and openras-manager.exe (the DLL starts
# the manager from its own folder), plus the rasdial and rasentry tools, into
# system32, and the x86 build of all four into syswow64. Wine's own rasapi32.dll is kept
# as rasapi32.dll.wine-builtin. openras-tun, the data plane's native helper
# (build/native/tunhelper; OPENRAS_TUN names another), goes beside each manager: without
# it dials connect but carry no traffic (docs/data-plane.md). Sets HKCU\Software\Wine\DllOverrides rasapi32 to
# native,builtin (without it Wine loads its builtin stub whatever the file). Running it
# again changes nothing; a missing prefix is created first.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
prefix=${WINEPREFIX:-$HOME/.wine}
mode=install
while [ $# -gt 0 ]; do
  case "$1" in
  --uninstall) mode=uninstall ;;
  --prefix) [ $# -ge 2 ] || { echo "install-wine: --prefix needs a folder" >&2; exit 2; }
    prefix=$2; shift ;;
  --prefix=*) prefix=${1#--prefix=} ;;
  -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "install-wine: unknown argument: $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$prefix" in /*) ;; *) prefix=$PWD/$prefix ;; esac
bin64=${OPENRAS_BIN64:-$root/build/mingw64/bin}
bin32=${OPENRAS_BIN32:-$root/build/mingw32/bin}
win=$prefix/drive_c/windows
export WINEPREFIX="$prefix" WINEDEBUG=-all
unset DISPLAY

say() { echo "install-wine: $*"; }
die() { echo "install-wine: $*" >&2; exit 1; }
ours() { [ -f "$1" ] && grep -qa "OpenRAS" "$1"; }

# The prefix's architecture decides the loader: a win32 prefix has no 64-bit side.
arch_of_prefix() {
  if [ -d "$win/syswow64" ]; then echo wow64
  elif grep -q '^#arch=win32' "$prefix/system.reg" 2>/dev/null; then echo win32
  else echo win64; fi
}
# Wine through scripts/ora-wine (32-bit programs work on any machine), with the
# loader of the prefix's architecture.
wine() {
  if [ "$(arch_of_prefix)" = win32 ]; then "$root/scripts/ora-wine" --x86 "$@"; else "$root/scripts/ora-wine" "$@"; fi
}
# `reg` through Wine, with its stdio away from ours (a wineserver it starts lingers).
wine_reg() {
  wine reg "$@" </dev/null >/dev/null 2>&1
}
override() {
  wine reg query 'HKCU\Software\Wine\DllOverrides' /v rasapi32 \
    </dev/null 2>/dev/null | tr -d '\r' | awk 'tolower($1) == "rasapi32" { print $3 }'
}

# put SRC DIR: copies SRC into DIR (keeping a Wine DLL of the same name the first time).
put() {
  src=$1 dir=$2 name=$(basename "$1")
  if [ -f "$dir/$name" ] && ! ours "$dir/$name" && [ ! -f "$dir/$name.wine-builtin" ]; then
    cp -p "$dir/$name" "$dir/$name.wine-builtin"
  fi
  if cmp -s "$src" "$dir/$name"; then
    say "  $name is up to date in $(basename "$dir")"
  else
    cp "$src" "$dir/$name.openras-new" && mv -f "$dir/$name.openras-new" "$dir/$name"
    say "  $name -> $dir/"
  fi
}

# take NAME DIR: removes our NAME from DIR and brings back what Wine had there.
take() {
  name=$1 dir=$2
  if ours "$dir/$name"; then
    rm -f "$dir/$name"
    say "  removed $dir/$name"
  fi
  if [ -f "$dir/$name.wine-builtin" ]; then
    mv -f "$dir/$name.wine-builtin" "$dir/$name"
    say "  restored Wine's $name in $(basename "$dir")"
  fi
}

install() {
  [ -f "$bin64/rasapi32.dll" ] || [ -f "$bin32/rasapi32.dll" ] ||
    die "no build found in $bin64 or $bin32: run cmake --preset mingw64 && cmake --build --preset mingw64"
  if [ ! -f "$prefix/system.reg" ]; then
    say "creating the Wine prefix $prefix"
    mkdir -p "$prefix"
    "$root/scripts/ora-wine" wineboot -i </dev/null >/dev/null 2>&1 || true
    "$root/scripts/ora-wine" wineserver -w
    [ -f "$prefix/system.reg" ] || die "wineboot could not create $prefix"
  fi
  arch=$(arch_of_prefix)
  say "installing into $prefix ($arch prefix)"
  # x64 builds go to system32 of a 64-bit prefix; x86 builds to syswow64, or to
  # system32 of a 32-bit prefix.
  x64dir="" x86dir=""
  case "$arch" in
  wow64) x64dir=$win/system32 x86dir=$win/syswow64 ;;
  win64) x64dir=$win/system32 ;;
  win32) x86dir=$win/system32 ;;
  esac
  done_any=0
  if [ -n "$x64dir" ] && [ -f "$bin64/rasapi32.dll" ]; then
    [ -f "$bin64/openras-manager.exe" ] || die "$bin64/openras-manager.exe is missing"
    for f in rasapi32.dll openras-manager.exe rasdial.exe rasentry.exe; do
      [ -f "$bin64/$f" ] && put "$bin64/$f" "$x64dir"
    done
    done_any=1
  fi
  if [ -n "$x86dir" ] && [ -f "$bin32/rasapi32.dll" ]; then
    [ -f "$bin32/openras-manager.exe" ] || die "$bin32/openras-manager.exe is missing"
    for f in rasapi32.dll openras-manager.exe rasdial.exe rasentry.exe; do
      [ -f "$bin32/$f" ] && put "$bin32/$f" "$x86dir"
    done
    done_any=1
  elif [ -n "$x86dir" ]; then
    say "  no x86 build in $bin32: 32-bit programs keep Wine's rasapi32 (cmake --build --preset mingw32)"
  fi
  [ $done_any -eq 1 ] || die "no build matches this $arch prefix"
  tun=${OPENRAS_TUN:-$root/build/native/tunhelper/openras-tun}
  if [ -x "$tun" ]; then
    for dir in $x64dir $x86dir; do put "$tun" "$dir"; done
    say "  openras-tun: run programs under tunhelper/openras-run (sandbox), or give it"
    say "  CAP_NET_ADMIN for system mode: setcap cap_net_admin+ep (docs/data-plane.md)"
  else
    say "  no $tun: dials will carry no traffic (cmake --build --preset native)"
  fi
  if [ "$(override)" != "native,builtin" ]; then
    wine_reg add 'HKCU\Software\Wine\DllOverrides' /v rasapi32 /t REG_SZ /d native,builtin /f ||
      die "could not set the DLL override (reg add failed)"
  fi
  [ "$(override)" = "native,builtin" ] || die "the DLL override did not take"
  say "  HKCU\\Software\\Wine\\DllOverrides rasapi32 = native,builtin"
  say "done: Windows programs in $prefix now get OpenRAS's rasapi32.dll"
}

uninstall() {
  [ -f "$prefix/system.reg" ] || die "$prefix is not a Wine prefix"
  say "removing OpenRAS from $prefix"
  # A manager still running keeps connections; end it so nothing of ours stays.
  wine taskkill /F /IM openras-manager.exe </dev/null >/dev/null 2>&1 || true
  for dir in "$win/system32" "$win/syswow64"; do
    [ -d "$dir" ] || continue
    for f in rasapi32.dll openras-manager.exe rasdial.exe rasentry.exe openras-tun; do
      take "$f" "$dir"
    done
  done
  if [ "$(override)" = "native,builtin" ]; then
    wine_reg delete 'HKCU\Software\Wine\DllOverrides' /v rasapi32 /f ||
      die "could not remove the DLL override"
    say "  removed the DLL override: Wine's builtin rasapi32 is back"
  fi
  say "done"
}

$mode
