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

# SoftEther VPN Server, the independent L2TP/PPP peer of the VPN tests (harness.md). Its
# package enables a service that would listen on every address with a default
# configuration and contact the Internet: it is installed with service starts refused
# (policy-rc.d), and the service is disabled where systemd runs. The tests start their
# own instance in a private namespace (tests/fixtures/softether.sh).
install_softether() {
  dpkg -s softether-vpnserver >/dev/null 2>&1 && dpkg -s softether-vpncmd >/dev/null 2>&1 && return 0
  added=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod 755 /usr/sbin/policy-rc.d
    added=1
  fi
  $SUDO apt-get install -y -qq softether-vpnserver softether-vpncmd ||
    { $SUDO apt-get update -qq || true; $SUDO apt-get install -y -qq softether-vpnserver softether-vpncmd; } ||
    echo "install-deps: WARNING: SoftEther could not be installed; the VPN tests will not run"
  [ -n "$added" ] && $SUDO rm -f /usr/sbin/policy-rc.d
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    $SUDO systemctl disable --now softether-vpnserver >/dev/null 2>&1 || true
  fi
  return 0
}

if [ -z "$missing" ] && [ $want32 -eq 0 ]; then
  install_softether
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
install_softether
setup32
echo "install-deps: done"
