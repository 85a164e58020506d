#!/bin/sh
# ctest fixture of the Wine link test (test_link_slirp): `start DIR PREFIX FIXTURE SLIRP
# [TCPPORT]` starts two modem fixtures (tests/fixtures/modem_fixture.c) on ptys and maps
# them to COM ports of the Wine prefix, and with TCPPORT a socat that hands each TCP
# connection on 127.0.0.1:TCPPORT to a fresh slirp; `stop DIR PREFIX` ends them all and
# removes the mapping.
#   COM5  --direct: a null-modem cable to a fresh `slirp +pap` each time it is opened
#         (socat PTY ... EXEC:slirp gives one slirp per socat, and a slirp does not
#         negotiate again after a hang-up)
#   COM6  a Hayes modem: number 676 answers BUSY, others CONNECT to slirp +pap
#   COM7  --direct: a null-modem cable to a fresh `slirp +chap` each time it is opened
#   COM8  with LINEFIXTURE (`start DIR PREFIX FIXTURE SLIRP TCPPORT LINEFIXTURE`): a noisy
#         cable to a fresh `slirp +pap` (tests/fixtures/line_fixture.c: bit errors, lost
#         frames, garbage, stalls and carrier loss, from a fixed seed)
# Secrets (both): alice/alicepw, and CORP\alice/corppw (the domain-qualified user name
# RasDial sends for domain CORP, with its own password so a test can tell them apart).
# The fixtures run detached with their stdio on /dev/null, so ctest does not wait for them.
set -eu
cmd=$1 dir=$2 prefix=$3
stop_all() {
  for p in "$dir"/com5.pid "$dir"/com6.pid "$dir"/com7.pid "$dir"/com8.pid "$dir"/tcp.pid; do
    [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null || true
    rm -f "$p"
  done
  rm -f "$prefix/dosdevices/com5" "$prefix/dosdevices/com6" "$prefix/dosdevices/com7" \
    "$prefix/dosdevices/com8"
}
case "$cmd" in
start)
  fixture=$4 slirp=$5 tcpport=${6:-} linefixture=${7:-}
  mkdir -p "$dir"
  stop_all
  umask 077
  # pppd's secrets syntax: a backslash in a word is written twice.
  printf 'alice * alicepw\nCORP\\\\alice * corppw\n' > "$dir/.pap-secrets"
  cp "$dir/.pap-secrets" "$dir/.chap-secrets"
  for auth in pap chap; do
    printf '#!/bin/sh\ncd "%s" || exit 1\nHOME="%s"; export HOME\nexec "%s" -P +%s\n' \
      "$dir" "$dir" "$slirp" "$auth" > "$dir/slirp-$auth.sh"
    chmod 700 "$dir/slirp-$auth.sh"
  done
  ln -sf slirp-pap.sh "$dir/slirp.sh"
  : > "$dir/trace.log"
  setsid "$fixture" --direct --link "$dir/com5" --slirp "$dir/slirp.sh" --log "$dir/com5.log" \
    --pidfile "$dir/com5.pid" </dev/null >/dev/null 2>&1 &
  setsid "$fixture" --link "$dir/com6" --slirp "$dir/slirp.sh" --log "$dir/com6.log" \
    --pidfile "$dir/com6.pid" --guard-ms 200 --map 676=BUSY </dev/null >/dev/null 2>&1 &
  setsid "$fixture" --direct --link "$dir/com7" --slirp "$dir/slirp-chap.sh" --log "$dir/com7.log" \
    --pidfile "$dir/com7.pid" </dev/null >/dev/null 2>&1 &
  i=0
  while [ ! -f "$dir/com5.pid" ] || [ ! -f "$dir/com6.pid" ] || [ ! -f "$dir/com7.pid" ]; do
    i=$((i + 1))
    [ $i -lt 500 ] || { echo "modem fixtures did not start" >&2; exit 1; }
    sleep 0.01
  done
  if [ -n "$tcpport" ]; then
    # each TCP connection's slirp leaves its pid in tcp-slirp.pid (the reconnect test
    # kills it)
    printf '#!/bin/sh\necho $$ > "%s/tcp-slirp.pid"\nexec "%s/slirp.sh"\n' "$dir" "$dir" \
      > "$dir/slirp-tcp.sh"
    chmod 700 "$dir/slirp-tcp.sh"
    setsid socat "TCP-LISTEN:$tcpport,bind=127.0.0.1,reuseaddr,fork" \
      "EXEC:$dir/slirp-tcp.sh,pty,raw,echo=0" </dev/null >/dev/null 2>&1 &
    echo $! > "$dir/tcp.pid"
  fi
  if [ -n "$linefixture" ]; then
    setsid "$linefixture" --link "$dir/com8" --peer "exec '$dir/slirp.sh'" --seed 8 \
      --ber 1e-4 --frame-loss 0.02 --garbage 0.0005 --flag 0.0005 --stall-every 700 \
      --stall-ms 200 --hangup-ms 30-1500 --log "$dir/com8.log" --pidfile "$dir/com8.pid" \
      </dev/null >/dev/null 2>&1 &
    i=0
    while [ ! -f "$dir/com8.pid" ]; do
      i=$((i + 1))
      [ $i -lt 500 ] || { echo "line fixture did not start" >&2; exit 1; }
      sleep 0.01
    done
  fi
  mkdir -p "$prefix/dosdevices"
  [ -z "$linefixture" ] || ln -sfn "$dir/com8" "$prefix/dosdevices/com8"
  ln -sfn "$dir/com5" "$prefix/dosdevices/com5"
  ln -sfn "$dir/com6" "$prefix/dosdevices/com6"
  ln -sfn "$dir/com7" "$prefix/dosdevices/com7"
  echo "COM5 -> $(readlink "$dir/com5"), COM6 -> $(readlink "$dir/com6"), COM7 -> $(readlink "$dir/com7")"
  ;;
stop)
  stop_all
  ;;
esac
