#!/bin/sh
# check-exports.sh DLL EXPORTS.TXT ARCH: the DLL exports every name of the list,
# undecorated (no _Name@N on x86), and nothing else but OpenRAS's private exports.
set -eu
dll=$1 list=$2
: "${OBJDUMP:=objdump}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
grep -v '^#' "$list" | awk 'NF { print $1 }' | sort > "$tmp/want"
# The export name table lines look like "[   0] +base[   1] 0000 RasDialA".
"$OBJDUMP" -p "$dll" | sed -n '/Name Pointer\] Table/,/^$/{/Name Pointer\] Table/d;p}' |
  sed -n 's/^.*\] \([^ ]*\)$/\1/p' | sort > "$tmp/have"
[ -s "$tmp/have" ] || { echo "no export table found in $dll"; exit 1; }
missing=$(comm -23 "$tmp/want" "$tmp/have")
extra=$(comm -13 "$tmp/want" "$tmp/have")
decorated=$(grep -E '@[0-9]+$|^_' "$tmp/have" || true)
echo "exports: $(wc -l < "$tmp/have") (want $(wc -l < "$tmp/want"))"
[ -z "$missing" ] || { echo "MISSING:"; echo "$missing"; }
[ -z "$extra" ] || { echo "UNEXPECTED:"; echo "$extra"; }
[ -z "$decorated" ] || { echo "DECORATED:"; echo "$decorated"; }
[ -z "$missing$extra$decorated" ]
echo "exports match"
