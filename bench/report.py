#!/usr/bin/env python3
"""Turns the raw "name<TAB>value<TAB>unit<TAB>runs" lines of the benchmark programs
(several runs each, concatenated on stdin) into the Markdown report of bench/run.sh:
one row per measure with the median over the program runs, and the targets of
issue 8 marked met or missed. Usage: report.py TITLE_LINE < raw.tsv"""
import statistics
import sys

# name prefix -> (description, target test, target text)
def below(limit):
    return lambda v, rows: v < limit


def above(limit):
    return lambda v, rows: v > limit


ROWS = [
    ("wine_dial_us", "simulated dial to Connected, zero delay, sync RasDialA (DLL + manager, Wine)",
     below(5000), "< 5 ms"),
    ("wine_status_us", "RasGetConnectStatusA per call (Wine)", below(5), "< 5 us"),
    ("wine_event_us", "notification per state change, RasDialFunc1 (Wine)", None, ""),
    ("native_dial_us", "simulated dial to Connected, zero delay, engine API in-process (native)",
     None, ""),
    ("native_status_us", "ora_engine_status per call (native)", None, ""),
]
for n in (1, 10, 100, 1000):
    for layout, what in (("shared", "one phone book of N entries"),
                         ("own", "one phone book per connection")):
        p = "wine_conns%d_%s_" % (n, layout)
        ROWS += [
            (p + "dial_us", "%d held: dial time each (%s)" % (n, what), None, ""),
            (p + "heap_per_conn", "%d held: manager heap per connection (%s)" % (n, what),
             below(65536) if n == 1000 else None, "< 64 KiB" if n == 1000 else ""),
            (p + "threads_held", "%d held: manager threads (idle count in the next row)" % n,
             (lambda key: lambda v, rows: v == rows.get(key))(p + "threads_idle")
             if n == 1000 else None, "= idle" if n == 1000 else ""),
            (p + "threads_idle", "%d held: manager threads before dialing" % n, None, ""),
            (p + "handles_per_conn", "%d held: manager handles per connection" % n, None, ""),
            (p + "heap_left_after", "%d held: manager heap left after all hung up" % n, None, ""),
        ]
ROWS += [
    ("native_conns1000_shared_dial_us", "1000 held in-process: dial time each (one phone book)",
     None, ""),
    ("native_conns1000_shared_heap_per_conn", "1000 held in-process: heap per connection (one "
     "phone book)", None, ""),
    ("native_conns1000_own_dial_us", "1000 held in-process: dial time each (own phone books)",
     None, ""),
    ("native_conns1000_own_heap_per_conn", "1000 held in-process: heap per connection (own "
     "phone books)", None, ""),
    ("hdlc_encode_accm0_MBps", "HDLC escape + FCS-16, ACCM 0 (one core)", above(500), "> 500 MB/s"),
    ("hdlc_decode_accm0_MBps", "HDLC unescape + FCS-16 check, ACCM 0 (one core)", above(500),
     "> 500 MB/s"),
    ("hdlc_encode_accmFF_MBps", "HDLC escape + FCS-16, every control char escaped", above(500),
     "> 500 MB/s"),
    ("hdlc_decode_accmFF_MBps", "HDLC unescape + FCS-16, every control char escaped", above(500),
     "> 500 MB/s"),
    ("fcs16_MBps", "FCS-16 alone (one core)", None, ""),
    ("fcs32_MBps", "FCS-32 alone (one core)", None, ""),
    ("slirp_none_negotiation_ms", "PPP negotiation against slirp on a pty, no auth (LCP+IPCP)",
     None, ""),
    ("slirp_none_start_to_ip_ms", "start to IPCP up against slirp, no auth", None, ""),
    ("slirp_chapmd5_negotiation_ms", "PPP negotiation against slirp, CHAP-MD5", None, ""),
    ("slirp_chapmd5_start_to_ip_ms", "start to IPCP up against slirp, CHAP-MD5", None, ""),
]


def fmt(v):
    if v == int(v) and abs(v) >= 10:
        return "%d" % v
    return "%.3g" % v if abs(v) < 10 else "%.0f" % v


def main():
    values, units, samples = {}, {}, {}
    for line in sys.stdin:
        parts = line.rstrip("\n").split("\t")
        if len(parts) != 4:
            continue
        name, value, unit, runs = parts
        try:
            values.setdefault(name, []).append(float(value))
        except ValueError:
            continue
        units[name] = unit
        samples[name] = runs
    med = {k: statistics.median(v) for k, v in values.items()}
    print(sys.argv[1] if len(sys.argv) > 1 else "# OpenRAS benchmarks")
    print()
    print("| measure | median | samples x program runs | target | result |")
    print("|---|---|---|---|---|")
    seen = set()
    for name, desc, test, target in ROWS:
        if name not in med:
            continue
        seen.add(name)
        v = med[name]
        result = ""
        if test:
            ok = test(v, med)
            result = "met" if ok else "**missed**"
        print("| %s | %s %s | %s x %d | %s | %s |" % (desc, fmt(v), units[name], samples[name],
                                                    len(values[name]), target, result))
    for name in sorted(set(med) - seen):
        if name.startswith("soak_"):
            continue
        print("| %s | %s %s | %s x %d | | |" % (name, fmt(med[name]), units[name], samples[name],
                                               len(values[name])))
    soak = {k: v for k, v in med.items() if k.startswith("soak_")}
    if soak:
        print()
        print("Soak (bench_soak, one run): %d dial/hang-up cycles from %d processes in %s s "
              "(%s us per cycle), %d failed." % (soak.get("soak_cycles", 0),
                                                 soak.get("soak_processes", 0),
                                                 fmt(soak.get("soak_seconds", 0)),
                                                 fmt(soak.get("soak_cycle_us", 0)),
                                                 soak.get("soak_failures", 0)))
        print()
        print("| manager | before | after |")
        print("|---|---|---|")
        for what in ("heap", "threads", "handles"):
            b, a = soak.get("soak_%s_before" % what), soak.get("soak_%s_after" % what)
            if b is not None and a is not None:
                print("| %s | %s | %s |" % (what, fmt(b), fmt(a)))
        print("| connections, clients, routes after | | %s, %s, %s |" % (
            fmt(soak.get("soak_connections_after", -1)), fmt(soak.get("soak_clients_after", -1)),
            fmt(soak.get("soak_routes_after", -1))))


if __name__ == "__main__":
    main()
