#!/usr/bin/env python3
"""Writes the names and x86 argument bytes of def/exports.txt from
../shared/spec/exports-x86.txt and exports-x64.txt, keeping its "stub" and "openras"
marks. Run it when the export lists change; the build generates the rest."""
import os
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "..", "shared", "spec")

x86 = [l.strip() for l in open(os.path.join(spec, "exports-x86.txt")) if l.strip()]
x64 = [l.strip() for l in open(os.path.join(spec, "exports-x64.txt")) if l.strip()]
args = {}
for line in x86:
    name, n = line.split("@")
    args[name] = int(n)
# Names only in the x64 list, and the Windows 7 additions: argument bytes from their
# documented prototypes (RasDeleteSubEntry: phonebook, entry, subentry; ...).
extra = {
    "DDMFreePhonebookContext": 0,
    "DwRasUninitialize": 0,
    "RasDeleteSubEntryA": 12,
    "RasDeleteSubEntryW": 12,
    "RasScriptExecute": 4,
    "RasScriptGetEventCode": 4,
    "RasScriptGetIpAddress": 8,
    "RasScriptInit": 20,
    "RasScriptReceive": 12,
    "RasScriptSend": 12,
    "RasScriptTerm": 4,
    "RasfileLoadEx": 24,
    "RasGetProjectionInfoEx": 12,
    "RasUpdateConnection": 8,
}
for n in x64:
    if n not in args:
        args[n] = extra[n]
for n in ("RasGetProjectionInfoEx", "RasUpdateConnection"):
    args[n] = extra[n]
names = sorted(args)
# What def/exports.txt says beyond names and bytes stays: the "stub" marks, and
# OpenRAS's own exports ("openras").
path = os.path.join(root, "def", "exports.txt")
kind, known, header, own = {}, set(), [], []
if os.path.exists(path):
    for line in open(path):
        f = line.split()
        if not f or f[0].startswith("#"):
            header.append(line.rstrip("\n"))
        elif len(f) > 2 and f[2] == "openras":
            own.append(line.rstrip("\n"))
        else:
            known.add(f[0])
            if len(f) > 2:
                kind[f[0]] = f[2]
with open(path, "w") as f:
    for h in header:
        f.write(h + "\n")
    for n in names:
        # A name new to the list starts as a stub.
        k = kind.get(n, "" if n in known else "stub")
        f.write(f"{n} {args[n]}" + (f" {k}" if k else "") + "\n")
    for line in own:
        f.write(line + "\n")
print(len(names), "names")
