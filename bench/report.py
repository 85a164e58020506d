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


def within_twice(native):
    """At most twice another row of the same run (0 when that row is missing)."""
    return lambda v, rows: v <= 2 * rows.get(native, 0)


ROWS = [
    ("wine_dial_us", "simulated dial to Connected, zero delay, sync RasDialA (DLL + manager, Wine)",
     below(500), "< 500 us"),
    ("wine_status_us", "RasGetConnectStatusA per call (Wine)", below(5), "< 5 us"),
    ("wine_event_us", "notification per state change, RasDialFunc1 (Wine): the whole async "
     "dial over its notifications", below(150), "< 150 us"),
    ("wine_event_first_us", "  of it: RasDial to the first notification (request, phone book, "
     "notifier thread)", None, ""),
    ("wine_event_step_us", "  of it: one notification to the next (acknowledgement, engine "
     "step, event)", None, ""),
    ("wine_evonly_dial_us", "the baseline: zero-delay sync RasDialA, the lane on events only "
     "(ORA_LANE_FUTEX=0)", None, ""),
    ("wine_evonly_event_us", "the baseline: notification per state change, the lane on events "
     "only", None, ""),
    ("wine_evonly_event_step_us", "  of it: one notification to the next, events only", None,
     ""),
    ("wine_x86_dial_us", "the same sync dial from an x86 program, 64-bit manager (as installed)",
     below(500), "< 500 us"),
    ("wine_x86_event_us", "notification per state change from an x86 program, 64-bit manager",
     below(150), "< 150 us"),
    ("wine_x86_event_step_us", "  of it: one notification to the next (x86 program)", None, ""),
    ("wine_x86own_dial_us", "the sync dial from an x86 program with the 32-bit manager (a "
     "32-bit prefix; qemu-i386 here)", None, ""),
    ("wine_x86own_event_us", "  notification per state change, x86 program and manager", None,
     ""),
    ("wine_server_call_us", "  the floor: one wineserver request (SetEvent), same machine",
     None, ""),
    ("wine_pipe_rtt_us", "  the floor: 24 bytes to another process and back, overlapped named "
     "pipe", None, ""),
    ("wine_event_rtt_us", "  the floor: event ping-pong with another process", None, ""),
    ("wine_event_handoff_us", "  the floor: the same, the reply handed to another thread",
     None, ""),
    ("native_dial_us", "simulated dial to Connected, zero delay, engine API in-process (native)",
     None, ""),
    ("native_status_us", "ora_engine_status per call (native)", None, ""),
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
    ("wine_com_x64_dial_ms", "RasDialA sync over COM5 to slirp, warm, x64 program (Wine)",
     below(10), "< 10 ms"),
    ("wine_com_x86_dial_ms", "RasDialA sync over COM5 to slirp, warm, x86 program, 64-bit "
     "manager as installed (Wine)", below(10), "< 10 ms"),
    ("wine_com_x86own_dial_ms", "  the same with the 32-bit manager (a 32-bit prefix; "
     "qemu-i386 here)", None, ""),
    ("wine_com_x64_negotiation_ms", "PPP negotiation over COM5, PAP, x64 (Wine)",
     within_twice("slirp_chapmd5_negotiation_ms"), "<= 2x native (CHAP-MD5 row)"),
    ("wine_com_x64_lcp_ms", "  of it LCP (x64)", None, ""),
    ("wine_com_x64_auth_ms", "  of it authentication, PAP (x64)", None, ""),
    ("wine_com_x64_ipcp_ms", "  of it IPCP (x64)", None, ""),
    ("wine_com_x86_negotiation_ms", "PPP negotiation over COM5, PAP, x86 program, 64-bit "
     "manager (Wine)", within_twice("slirp_chapmd5_negotiation_ms"),
     "<= 2x native (CHAP-MD5 row)"),
    ("wine_com_x86_lcp_ms", "  of it LCP (x86)", None, ""),
    ("wine_com_x86_auth_ms", "  of it authentication, PAP (x86)", None, ""),
    ("wine_com_x86_ipcp_ms", "  of it IPCP (x86)", None, ""),
    ("wine_com_x86own_negotiation_ms", "PPP negotiation over COM5, PAP, x86 program and "
     "32-bit manager (qemu-i386 here)", None, ""),
    ("wine_com_x86own_lcp_ms", "  of it LCP (x86 manager)", None, ""),
    ("wine_com_x86own_auth_ms", "  of it authentication, PAP (x86 manager)", None, ""),
    ("wine_com_x86own_ipcp_ms", "  of it IPCP (x86 manager)", None, ""),
    ("pty_raw_MBps", "raw bytes through the socat pty chain (no PPP), the baseline", None, ""),
    ("dp_tcp_MBps", "data plane: bulk TCP upload through the link to slirp (native)", None, ""),
    ("dp_tcp_vs_pty", "data plane: upload / pty raw rate (same run)", above(0.5), ">= 0.5"),
    ("dp_tcp_down_MBps", "data plane: bulk TCP download through the link (native)", None, ""),
    ("dp_tcp_down_vs_pty", "data plane: download / pty raw rate (same run)", above(0.5),
     ">= 0.5"),
    ("udp_rtt_slirp_us", "UDP echo via a bare PPP client + pty + slirp: slirp's own cost", None,
     ""),
    ("udp_rtt_link_us", "UDP echo from a socket through the data plane", None, ""),
    ("dp_added_rtt_us", "round trip the data plane adds beyond slirp's own cost", below(100),
     "< 100 us"),
    ("tcp_rtt_loopback_us", "32-byte TCP echo on loopback", None, ""),
    ("tcp_rtt_link_us", "32-byte TCP echo through the link", None, ""),
    ("dp_tcp_peer_window_bytes", "  the window slirp advertised to the upload (kernel's "
     "tcpi_snd_wnd; slirp's buffers are compiled in)", None, ""),
    ("dp_tcp_rwnd_limited", "  share of the upload's busy time stopped by that window", None, ""),
    ("dp_tcp_ceiling_vs_pty", "  ceiling for any client through slirp: one window per (slirp's "
     "round trip + window time on the pty), / pty rate", None, ""),
    ("wine_com_write_MBps", "raw bytes a Wine program writes to a COM port (a socat pty), the "
     "baseline", None, ""),
    ("wine_com_read_MBps", "raw bytes a Wine program reads from a COM port, the baseline", None,
     ""),
    ("wine_com_rtt64_us", "64-byte echo through a COM port (Wine)", None, ""),
    ("l2tp_connect_ms", "VPN: L2TP dial to SoftEther, MS-CHAPv2, to Connected (native; IPCP "
     "waits for SecureNAT's DHCP, about 1.5 s)", None, ""),
    ("l2tp_icmp_rtt_us", "  64-byte ICMP echo to SecureNAT's host through the TUN and tunnel",
     None, ""),
    ("l2tp_icmp_MBps", "  1,400-byte ICMP echoes, 8 in flight, bytes each way per second", None,
     ""),
    ("wine_dp_x64_MBps", "data plane under Wine: TCP through COM5 to slirp, 10 MB each way at "
     "once, x64 program (each way)", None, ""),
    ("wine_dp_x64_vs_com", "  / the COM port's raw read rate (same run)", above(0.5), ">= 0.5"),
    ("wine_dp_x64_rtt_us", "  32-byte TCP echo through the link (x64): slirp's 8,760-byte "
     "window per round trip bounds the rate", None, ""),
    ("wine_dp_x86_MBps", "the same, x86 program", None, ""),
    ("wine_dp_x86_vs_com", "  / the COM port's raw read rate (same run)", above(0.5), ">= 0.5"),
    ("wine_dp_x86_rtt_us", "  32-byte TCP echo through the link (x86)", None, ""),
]
# PPP through the line fixture losing whole frames both ways, slirp with PAP (bench_loss):
# OpenRAS's backing-off restart timer, and pppd's constant 3 s as the baseline.
LOSS_TARGETS = {"5": (below(1000), "< 1 s"), "25": (below(5000), "< 5 s")}
for _rate in ("0", "1", "5", "25"):
    _test, _text = LOSS_TARGETS.get(_rate, (None, ""))
    ROWS += [
        ("loss%s_backoff_median_ms" % _rate,
         "negotiation at %s%% frame loss, median (restart timer 250 ms doubling to 3 s, "
         "refusals repeated)" % _rate,
         _test, _text),
        ("loss%s_backoff_p90_ms" % _rate, "  90th percentile", None, ""),
        ("loss%s_backoff_failed" % _rate, "  dials that failed", None, ""),
        ("loss%s_const3s_median_ms" % _rate,
         "negotiation at %s%% frame loss, median, constant 3 s timer (pppd's)" % _rate, None, ""),
        ("loss%s_const3s_p90_ms" % _rate, "  90th percentile", None, ""),
        ("loss%s_const3s_failed" % _rate, "  dials that failed", None, ""),
    ]


def fmt(v):
    if v != v:
        return "?"
    if v == int(v) and abs(v) >= 10:
        return "%d" % v
    return "%.3g" % v if abs(v) < 10 else "%.0f" % v


def main():
    values, units, samples = {}, {}, {}
    for line in sys.stdin:
        parts = line.rstrip("\r\n").split("\t")  # Wine programs print CRLF
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
    for arch in ("x64", "x86"):  # the data plane under Wine against its port's raw rate
        dp, com = "wine_dp_%s_MBps" % arch, "wine_com_read_MBps"
        if dp in med and med.get(com):
            ratio = "wine_dp_%s_vs_com" % arch
            med[ratio] = med[dp] / med[com]
            values[ratio], units[ratio], samples[ratio] = [med[ratio]], "ratio", "medians"
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
        if name.startswith("soak_") or name.startswith("wine_conns"):
            continue
        print("| %s | %s %s | %s x %d | | |" % (name, fmt(med[name]), units[name], samples[name],
                                               len(values[name])))
    conns = [(n, layout) for n in (1, 10, 100, 1000) for layout in ("shared", "own")
             if "wine_conns%d_%s_dial_us" % (n, layout) in med]
    if conns:
        print()
        print("Connections held at once by one manager (Wine, bench_conns; medians of %d runs). "
              "shared: one phone book of N entries; own: one single-entry phone book per "
              "connection. Targets at 1,000: a fixed thread count and < 64 KiB each; at every N, "
              "0 bytes left after hang-up in every run." %
              len(values["wine_conns%d_%s_dial_us" % conns[0]]))
        print()
        print("| N | phone books | dial each | manager heap per connection | manager threads "
              "idle / held / after | heap left after hang-up | result |")
        print("|---|---|---|---|---|---|---|")
        for n, layout in conns:
            p = "wine_conns%d_%s_" % (n, layout)
            heap = med.get(p + "heap_per_conn", float("nan"))
            ti, th, ta = (med.get(p + k, -1) for k in ("threads_idle", "threads_held",
                                                          "threads_after"))
            # Nothing may be left once teardown is over, in any run (not only the median).
            left = max(values.get(p + "heap_left_after", [float("nan")]))
            checks = [("heap left", left == 0)]
            if n == 1000:
                checks += [("heap", heap < 65536), ("threads", th == ti)]
            result = ("met" if all(ok for _, ok in checks) else "**missed**: " + ", ".join(
                w for w, ok in checks if not ok))
            print("| %d | %s | %s us | %s bytes | %s / %s / %s | %s bytes (most: %s) | %s |" % (
                n, layout, fmt(med[p + "dial_us"]), fmt(heap), fmt(ti), fmt(th), fmt(ta),
                fmt(med.get(p + "heap_left_after", float("nan"))), fmt(left), result))
            seen.update(k for k in med if k.startswith(p))
        print()
        print("(Wine's GetProcessHandleCount reports 0, so the manager's handle count is not "
              "measured there.)")
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
