#!/bin/sh
# Installs what OpenRAS needs to build and test on Debian 12. Idempotent; runs
# apt-get only for what is missing. Needs root (uses sudo when not root).
set -eu
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive

pkgs="build-essential cmake ninja-build python3 mingw-w64 wine wine64 libwine-dev libcmocka-dev
  nettle-dev slirp socat valgrind clang-format clang libclang-rt-14-dev"
missing=""
for p in $pkgs; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
# Legacy programs are mostly 32-bit: try to get 32-bit Wine too.
want32=1
dpkg -s wine32:i386 >/dev/null 2>&1 && want32=0

# 32-bit programs on a kernel that runs no i386 code: qemu-i386 and the fault shim
# (wine32/setup.sh; quick when they are there). A failure leaves the x86 PE stage to
# fail with the reason; it does not stop the rest.
setup32() {
  sh "$(dirname "$0")/../wine32/setup.sh" ||
    echo "install-deps: WARNING: 32-bit Wine is not usable; the x86 PE tests will fail (ORA_NO_X86_RUN=1 skips them)"
}

if [ -z "$missing" ] && [ $want32 -eq 0 ]; then
  echo "install-deps: every package is installed"
  setup32
  exit 0
fi

$SUDO dpkg --add-architecture i386
$SUDO apt-get update -qq || true # a mirror in sync can fail one index; the rest is usable
if [ -n "$missing" ]; then
  $SUDO apt-get install -y -qq $missing
fi
if [ $want32 -eq 1 ]; then
  # harness.md: when the i386 security index is out of sync, amd64 and i386 versions of
  # Multi-Arch: same packages differ and the plain install fails; pinning the security
  # suite down for this one command makes both architectures take the main suite.
  if ! $SUDO apt-get install -y -qq wine32:i386 libwine:i386 2>/dev/null; then
    prefs=$(mktemp)
    printf 'Package: *\nPin: release n=bookworm-security\nPin-Priority: 100\n' > "$prefs"
    chmod 644 "$prefs"
    $SUDO apt-get -o Dir::Etc::Preferences="$prefs" install -y -qq wine wine64 wine32:i386 \
      libwine-dev libgstreamer-plugins-base1.0-0 libgstreamer-plugins-base1.0-0:i386 ||
      echo "install-deps: wine32:i386 could not be installed; x86 PE tests will not run"
    rm -f "$prefs"
  fi
  # That fallback has been seen to drop the amd64 side; make sure it is there.
  for p in wine64 libwine-dev; do
    dpkg -s "$p" >/dev/null 2>&1 || $SUDO apt-get install -y -qq "$p"
  done
fi
setup32
echo "install-deps: done"
