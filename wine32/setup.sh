#!/bin/sh
# Makes 32-bit Wine usable here (wine32/README.md). On a machine whose kernel runs
# i386 code, nothing is needed. Otherwise it puts into ORA_X86_DIR (default
# /usr/local/lib/openras/x86):
#   qemu-i386                        from bookworm-backports' qemu-user, fetched through
#                                    a private apt configuration (no system source added)
#   lib/i386-linux-gnu/libora_fault_shim.so, lib/x86_64-linux-gnu/libora_fault_shim.so
#                                    built from wine32/fault_shim.c
# Idempotent and quick when both are there and current. Needs wine32:i386 installed;
# uses sudo for the install folder when not root.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dest=${ORA_X86_DIR:-/usr/local/lib/openras/x86}
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
say() { echo "wine32: $*"; }
die() { echo "wine32: $*" >&2; exit 1; }

[ -e /usr/lib/wine/wine ] || die "wine32:i386 is not installed (/usr/lib/wine/wine is missing)"
# Run a 32-bit program to find out; never assume.
if /usr/lib/wine/wine --version >/dev/null 2>&1; then
  say "this machine runs 32-bit x86 code itself: plain Wine, nothing to set up"
  exit 0
fi
$SUDO mkdir -p "$dest"

# --- qemu-i386: bookworm's own 7.2 cannot map Wine's shared user data; 10.x can.
if "$dest/qemu-i386" --version 2>/dev/null | grep -q 'version \(9\|[1-9][0-9]\)\.'; then
  say "qemu-i386 is there ($("$dest/qemu-i386" --version | head -n 1))"
else
  # The system's own Debian mirror, read from its apt sources (the first one that
  # is not the security archive).
  uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | sed -n 's/^URIs:[[:space:]]*//p' |
    tr ' ' '\n' | grep -v security | head -n 1)
  if [ -z "$uri" ]; then
    uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
      awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) { print $i; exit } }')
  fi
  [ -n "$uri" ] || die "no Debian mirror found in /etc/apt/sources*"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial" "$tmp/parts" "$tmp/deb"
  echo "deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri bookworm-backports main" \
    >"$tmp/sources.list"
  apt_priv() {
    apt-get -q -o Dir::Etc::SourceList="$tmp/sources.list" -o Dir::Etc::SourceParts="$tmp/parts" \
      -o Dir::State::Lists="$tmp/lists" -o Dir::Cache="$tmp/cache" \
      -o APT::Sandbox::User=root -o Debug::NoLocking=1 "$@"
  }
  say "fetching qemu-user from bookworm-backports ($uri)"
  apt_priv update >"$tmp/update.log" 2>&1 || { cat "$tmp/update.log" >&2; die "apt-get update of bookworm-backports failed"; }
  (cd "$tmp/deb" && apt_priv download qemu-user/bookworm-backports >"$tmp/download.log" 2>&1) ||
    { cat "$tmp/download.log" >&2; die "could not download qemu-user from bookworm-backports"; }
  dpkg-deb -x "$tmp"/deb/qemu-user_*.deb "$tmp/x"
  [ -x "$tmp/x/usr/bin/qemu-i386" ] || die "qemu-user has no usr/bin/qemu-i386"
  $SUDO install -m 755 "$tmp/x/usr/bin/qemu-i386" "$dest/qemu-i386"
  say "installed $dest/qemu-i386 ($("$dest/qemu-i386" --version | head -n 1))"
fi

# --- the fault-classification library, for both loaders ($LIB picks one).
if cmp -s "$here/fault_shim.c" "$dest/fault_shim.c" &&
  [ -f "$dest/lib/i386-linux-gnu/libora_fault_shim.so" ] &&
  [ -f "$dest/lib/x86_64-linux-gnu/libora_fault_shim.so" ]; then
  say "the fault shim is current"
else
  out=$(mktemp -d)
  for a in 32:i386 64:x86_64; do
    bits=${a%%:*} dir=${a#*:}-linux-gnu
    mkdir -p "$out/$dir"
    gcc -m"$bits" -std=c11 -O2 -Wall -Wextra -Werror -fPIC -shared -ffreestanding -nostdlib \
      -fno-stack-protector -o "$out/$dir/libora_fault_shim.so" "$here/fault_shim.c" ||
      die "could not build the fault shim ($bits-bit)"
    $SUDO mkdir -p "$dest/lib/$dir"
    $SUDO install -m 644 "$out/$dir/libora_fault_shim.so" "$dest/lib/$dir/"
  done
  rm -rf "$out"
  $SUDO install -m 644 "$here/fault_shim.c" "$dest/fault_shim.c"
  say "built the fault shim into $dest/lib"
fi
say "ready: 32-bit Wine runs through $dest/qemu-i386 (scripts/ora-wine)"
