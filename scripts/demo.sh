#!/bin/sh
# The main job, end to end: build OpenRAS (mingw64 and mingw32), install both into a
# WoW64 Wine prefix (build/demo-prefix) with scripts/install-wine.sh, start a real PPP
# server (slirp behind socat on a pty, mapped to COM5 of the prefix), create a "Demo"
# entry for a null-modem cable on COM5 with the rasentry tool, dial it with the 64-bit
# rasdial tool (every state and the negotiated addresses), list the connection, hang
# up, dial once more from the 32-bit rasdial in syswow64, and stop everything it
# started. Ends with "DEMO OK ..." (exit 0) or "DEMO FAILED: reason". Every Wine
# command goes through scripts/ora-wine (32-bit programs run on any machine).
#
# If the real link cannot connect (or slirp/socat are missing) it says so and shows
# the same steps on a simulated entry instead; ORA_DEMO_REQUIRE_REAL=1 makes that a
# failure, ORA_DEMO_SIM=1 goes straight to the simulated entry. Run it from anywhere,
# as root or not; after scripts/install-deps.sh.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
start=$(date +%s)
prefix=$root/build/demo-prefix
run=$(mktemp -d /tmp/openras-demo.XXXXXX) # no blanks: socat's EXEC splits on them
socat_pid=""
wine_started=0
finished=0

elapsed() { echo $(($(date +%s) - start)); }
cleanup() {
  if [ -n "$socat_pid" ]; then
    kill -- "-$socat_pid" 2>/dev/null || kill "$socat_pid" 2>/dev/null
    socat_pid=""
  fi
  rm -f "$prefix/dosdevices/com5"
  [ $wine_started -eq 1 ] && sh "$root/cmake/wine-prefix.sh" stop "$prefix" >/dev/null 2>&1
  wine_started=0
  [ $finished -eq 1 ] && rm -rf "$run"
}
fail() {
  echo "DEMO FAILED: $* ($(elapsed) s; logs in $run)"
  cleanup
  exit 1
}
trap 'fail "interrupted"' INT TERM
trap cleanup EXIT

wine=$root/scripts/ora-wine
for tool in cmake ninja x86_64-w64-mingw32-gcc i686-w64-mingw32-gcc /usr/lib/wine/wine64 wineserver; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing: run sh scripts/install-deps.sh"
done

echo "== 1. build OpenRAS for x64 and x86 Windows (log: $run/build.log)"
for p in mingw64 mingw32; do
  { cmake --preset $p && cmake --build --preset $p -j "$(nproc)" --target rasapi32 \
      openras-manager rasdial rasentry orainfo orafetch; } >>"$run/build.log" 2>&1 ||
    { tail -n 20 "$run/build.log"; fail "the $p build failed"; }
done
# The data plane's helper is a Linux program (tunhelper/).
{ cmake --preset native && cmake --build --preset native --target openras-tun; } \
  >>"$run/build.log" 2>&1 || { tail -n 20 "$run/build.log"; fail "the native helper build failed"; }
echo "   built rasapi32.dll, openras-manager.exe, rasdial.exe, rasentry.exe in build/mingw64/bin and build/mingw32/bin ($(elapsed) s)"

echo "== 2. a Wine prefix with OpenRAS installed: $prefix"
export WINEPREFIX="$prefix" WINEDEBUG=-all
unset DISPLAY WINEDLLOVERRIDES # the prefix's own DLL override must do it
sh cmake/wine-prefix.sh start "$prefix" >"$run/prefix.log" 2>&1 ||
  { cat "$run/prefix.log"; fail "could not make the Wine prefix"; }
wine_started=1
sh scripts/install-wine.sh --prefix "$prefix" | sed 's/^/   /'
[ "$(sed -n 1p "$prefix/user.reg" 2>/dev/null)" != "" ] || fail "the prefix has no user registry"
echo "   prefix ready ($(elapsed) s)"
mkdir -p "$prefix/drive_c/demo"
cp build/mingw64/bin/orainfo.exe build/mingw64/bin/orafetch.exe "$prefix/drive_c/demo/"
cp build/mingw32/bin/orafetch.exe "$prefix/drive_c/demo/orafetch32.exe"

# Windows programs run through scripts/ora-wine: 64-bit ones natively, 32-bit ones
# through qemu-i386 where the kernel runs no 32-bit code. Their output goes to a file,
# from which the RAS code is read. Traced (ORA_TRACE): one line per state and link event.
export ORA_TRACE="Z:$run/trace.log"
# Dials outside the sandbox get no interface: nothing of the demo is routed in this
# machine's own namespace (step 10 runs in the sandbox, which sets its own helper).
export ORA_TUN_HELPER=none
# w PROG ARGS...: shows the command and its output; the RAS code lands in $rc (a Unix
# exit status keeps only the low byte, so it is read from "Remote Access error N").
w() {
  shown=$*
  printf '   C:\\> %s\n' "${shown#--x86 }" # printf: echo would read \r in a path
  "$wine" "$@" </dev/null >"$run/out" 2>&1
  rc=$?
  sed -i 's/\r$//' "$run/out"
  sed 's/^/     /' "$run/out"
  code=$(sed -n 's/^Remote Access error \([0-9]*\).*/\1/p' "$run/out" | tail -n 1)
  [ -z "$code" ] || rc=$code
}

echo "== 3. a Windows program in C:\\demo gets OpenRAS's rasapi32.dll"
w 'C:\demo\orainfo.exe'
[ "$rc" = 0 ] || fail "programs in the prefix do not get OpenRAS's rasapi32.dll"

# start_peer: (re)starts socat with a fresh slirp on a pty, mapped to COM5; one slirp
# serves one dial (it does not negotiate again after a hang-up).
start_peer() {
  if [ -n "$socat_pid" ]; then
    kill -- "-$socat_pid" 2>/dev/null || kill "$socat_pid" 2>/dev/null
    socat_pid=""
  fi
  rm -f "$run/com5"
  setsid socat "PTY,link=$run/com5,raw,echo=0,wait-slave" "EXEC:$run/slirp.sh,pty,raw,echo=0" \
    </dev/null >>"$run/socat.log" 2>&1 &
  socat_pid=$!
  i=0
  while [ ! -e "$run/com5" ] && [ $i -lt 500 ]; do
    sleep 0.01
    i=$((i + 1))
  done
  [ -e "$run/com5" ] || return 1
  mkdir -p "$prefix/dosdevices"
  ln -sfn "$run/com5" "$prefix/dosdevices/com5"
}

echo "== 4. a real PPP server: slirp behind a pty, as COM5 of the prefix"
real=1 why=""
slirp=/usr/bin/slirp-fullbolt
if [ "${ORA_DEMO_SIM:-0}" = 1 ]; then
  real=0 why="ORA_DEMO_SIM=1 asked for the simulated link"
elif [ ! -x "$slirp" ] || ! command -v socat >/dev/null 2>&1; then
  real=0 why="slirp-fullbolt or socat is not installed"
else
  # slirp reads its PAP secrets from $HOME, so it gets a private one; options go
  # through a wrapper so that socat's EXEC does not split them.
  (umask 077 && printf 'demo * demopw\n' >"$run/.pap-secrets")
  printf '#!/bin/sh\ncd "%s" || exit 1\nHOME="%s"; export HOME\nexec "%s" -P +pap\n' \
    "$run" "$run" "$slirp" >"$run/slirp.sh"
  chmod 700 "$run/slirp.sh"
  if start_peer; then
    echo "   slirp-fullbolt -P +pap (user demo, password demopw) on $(readlink "$run/com5") = COM5"
  else
    real=0 why="socat did not make its pty"
  fi
fi

entry=Demo
if [ $real -eq 1 ]; then
  echo "== 5. a phone-book entry for a null-modem cable on COM5, made with rasentry"
  "$wine" rasentry delete Demo </dev/null >/dev/null 2>&1
  w rasentry add Demo /TYPE:direct /PORT:COM5 /SET:ORA_PppPeerIp=10.0.2.2
  [ "$rc" = 0 ] || fail "rasentry add failed ($rc)"
  w rasentry show Demo

  echo "== 6. dial it with rasdial"
  w rasdial Demo demo demopw /VERBOSE
  if [ "$rc" != 0 ]; then
    real=0 why="the real PPP link did not connect (Remote Access error $rc)"
    "$wine" rasdial Demo /DISCONNECT </dev/null >/dev/null 2>&1
  fi
fi
if [ $real -eq 0 ]; then
  [ "${ORA_DEMO_REQUIRE_REAL:-0}" = 1 ] && fail "$why"
  echo "!! NOTE: $why."
  echo "!! FALLING BACK to a simulated entry (ORA_Link=sim): same API, no real PPP."
  entry=DemoSim
  echo "== 5. a simulated entry, made with rasentry"
  "$wine" rasentry delete DemoSim </dev/null >/dev/null 2>&1
  w rasentry add DemoSim /TYPE:sim /SET:ORA_SimUser=demo /SET:ORA_SimPassword=demopw \
    /SET:ORA_SimStepMs=100 /SET:ORA_SimLocalIp=10.0.2.15 /SET:ORA_SimServerIp=10.0.2.2
  [ "$rc" = 0 ] || fail "rasentry add failed ($rc)"
  echo "== 6. dial it with rasdial"
  w rasdial DemoSim demo demopw /VERBOSE
  [ "$rc" = 0 ] || fail "rasdial $entry failed with Remote Access error $rc"
fi
grep -q "^IP address: " "$run/out" || fail "rasdial printed no IP address"
addr=$(sed -n 's/^IP address: //p' "$run/out")
server=$(sed -n 's/^Server IP address: //p' "$run/out")

echo "== 7. list the connections (another process: the connection lives in the manager)"
w rasdial
if [ "$rc" != 0 ] || ! grep -qx "$entry" "$run/out"; then
  fail "rasdial does not list $entry"
fi

echo "== 8. hang up"
w rasdial $entry /DISCONNECT
[ "$rc" = 0 ] || fail "rasdial /DISCONNECT failed ($rc)"
w rasdial
grep -q "No connections" "$run/out" || fail "the connection is still listed after hanging up"

dial32=""
if [ $real -eq 1 ]; then
  printf '%s\n' "== 9. the same dial from a 32-bit program: C:\windows\syswow64\rasdial.exe (x86 rasapi32.dll)"
  start_peer || fail "socat did not make its pty again"
  rasdial32=$prefix/drive_c/windows/syswow64/rasdial.exe
  [ -f "$rasdial32" ] || fail "no 32-bit rasdial.exe in syswow64"
  w --x86 'C:\windows\syswow64\rasdial.exe' Demo demo demopw /VERBOSE
  [ "$rc" = 0 ] || fail "the 32-bit rasdial failed with Remote Access error $rc"
  addr32=$(sed -n 's/^IP address: //p' "$run/out")
  [ -n "$addr32" ] || fail "the 32-bit rasdial printed no IP address"
  w --x86 'C:\windows\syswow64\rasdial.exe' Demo /DISCONNECT
  [ "$rc" = 0 ] || fail "the 32-bit rasdial /DISCONNECT failed ($rc)"
  dial32=", and from 32-bit rasdial.exe: address $addr32"
fi

fetched=""
if [ $real -eq 1 ]; then
  echo "== 10. the link carries the program's own traffic (docs/data-plane.md)"
  echo "   A server on the host's loopback, reachable from the programs only as 10.0.2.2"
  echo "   through slirp, i.e. only over the PPP link; the Wine session runs in the data"
  echo "   plane's sandbox (build/native/tunhelper/openras-run: its own network namespace)."
  port=$((20000 + $$ % 20000))
  printf '#!/bin/sh\necho "hello from the host, through the PPP link ($(date +%%T))"\n' >"$run/serve.sh"
  chmod 700 "$run/serve.sh"
  setsid socat "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" "EXEC:$run/serve.sh" \
    </dev/null >>"$run/socat.log" 2>&1 &
  server_pid=$!
  start_peer || fail "socat did not make its pty again"
  # The sandbox session gets its own wineserver: the prefix's must not run meanwhile.
  sh "$root/cmake/wine-prefix.sh" stop "$prefix" >/dev/null 2>&1
  wine_started=0
  cat >"$run/session.sh" <<EOS
#!/bin/sh
# Into a file, not a pipe: Wine's services, started on demand, keep the stdio they got.
w() { printf '   C:\\\\> %s\\n' "\$*"; "$wine" "\$@" </dev/null >"$run/one.out" 2>&1; tr -d '\\r' <"$run/one.out" | sed 's/^/     /'; }
w 'C:\demo\orafetch.exe' 10.0.2.2 $port
w rasdial Demo demo demopw
w 'C:\demo\orafetch.exe' 10.0.2.2 $port
w --x86 'C:\demo\orafetch32.exe' 10.0.2.2 $port
w rasdial Demo /DISCONNECT
w 'C:\demo\orafetch.exe' 10.0.2.2 $port
EOS
  "$wine" "$root/build/native/tunhelper/openras-run" sh "$run/session.sh" >"$run/session.out" 2>&1
  kill "$server_pid" 2>/dev/null
  cat "$run/session.out"
  n=$(grep -c "^     hello from the host, through the PPP link" "$run/session.out")
  [ "$n" = 2 ] || fail "the 64-bit and the 32-bit program did not both fetch through the link"
  grep -q "^     (local address $addr," "$run/session.out" ||
    fail "the fetch did not use the link's address $addr"
  [ "$(grep -c "cannot connect" "$run/session.out")" = 2 ] ||
    fail "the server was reachable without the link"
  fetched=", and a 64-bit and a 32-bit program fetched through it"
fi

if [ -f "$run/trace.log" ]; then
  echo "== 11. what the manager traced (ORA_TRACE) during the dials"
  grep -E "link: |dataplane: |: (OpenPort|Authenticate|Connected) " "$run/trace.log" | head -n 16 | sed 's/^/   /'
fi
"$wine" rasentry delete $entry </dev/null >/dev/null 2>&1
cleanup
finished=1
rm -rf "$run"
if [ $real -eq 1 ]; then
  echo "DEMO OK: real PPP link to slirp over COM5, address $addr, server $server$dial32$fetched ($(elapsed) s)"
else
  echo "DEMO OK (FALLBACK, simulated link: $why; address $addr, server $server) ($(elapsed) s)"
fi
exit 0
