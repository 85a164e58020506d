#!/bin/sh
# check-imports.sh system DLL: every DLL that DLL imports is a Windows system DLL.
# check-imports.sh resolves EXE DLL: every name EXE imports from rasapi32.dll is
# exported by DLL.
set -eu
: "${OBJDUMP:=objdump}"
mode=$1
case "$mode" in
system)
  dlls=$("$OBJDUMP" -p "$2" | sed -n 's/^\s*DLL Name: //p' | tr 'A-Z' 'a-z' | sort -u)
  echo "imports: $(echo $dlls)"
  [ -n "$dlls" ] || { echo "no import table"; exit 1; }
  bad=$(echo "$dlls" | grep -vxE 'kernel32\.dll|user32\.dll|advapi32\.dll|msvcrt\.dll|bcrypt\.dll|crypt32\.dll|ws2_32\.dll|ntdll\.dll|version\.dll|shell32\.dll|ole32\.dll|rpcrt4\.dll' || true)
  [ -z "$bad" ] || { echo "NON-SYSTEM IMPORTS: $bad"; exit 1; }
  echo "system imports only"
  ;;
resolves)
  exe=$2 dll=$3
  # Import lines after "DLL Name: rasapi32.dll" look like "	  1234	RasDialA" until a blank line.
  want=$("$OBJDUMP" -p "$exe" | awk 'tolower($0) ~ /dll name: rasapi32.dll/ {on=1; next}
        on && /^$/ {on=0} on && NF == 3 && $2 ~ /^[0-9]+$/ {print $3}' | sort -u)
  have=$("$OBJDUMP" -p "$dll" | sed -n '/Name Pointer\] Table/,/^$/{/Name Pointer\] Table/d;p}' |
    sed -n 's/^.*\] \([^ ]*\)$/\1/p' | sort -u)
  n=$(echo "$want" | grep -c . || true)
  [ "$n" -gt 50 ] || { echo "expected the program to import many rasapi32 names, found $n"; exit 1; }
  missing=$(printf '%s\n' "$want" | while read -r s; do printf '%s\n' "$have" | grep -qxF "$s" || echo "$s"; done)
  echo "program imports $n names from rasapi32.dll"
  [ -z "$missing" ] || { echo "UNRESOLVED: $missing"; exit 1; }
  echo "all resolve against our DLL"
  ;;
esac
