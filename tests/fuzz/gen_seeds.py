#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/).

The seeds are committed; run this again only to change them:
    python3 tests/fuzz/gen_seeds.py
Each seed is a small valid input: manager protocol messages as the DLL and the
manager send them, RFC 1662 frames like those of the PPP unit tests, scripts that
take a PPP session through each phase, modem dialogs, and real phone books."""
import os
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(HERE, "corpus")


def write(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# ---- manager protocol (core/proto/proto.h) ----

def u16(v): return struct.pack("<H", v)
def u32(v): return struct.pack("<I", v)
def u64(v): return struct.pack("<Q", v)
def s(v): b = v.encode(); return u16(len(b)) + b


def msg(type_, id_, body):
    return u32(12 + len(body)) + u16(1) + u16(type_) + u32(id_) + body


def request(entry="Work VPN", pw="secret"):
    return (s("C:\\users\\a\\rasphone.pbk") + s(entry) + s("5551234") + s("") + s("alice")
            + s(pw) + s("CORP") + u32(0) + u32(0x10) + u64(0x1122334455667788) + u32(1))


def event(state=8192, last=1):
    return u32(0x10001) + u32(7) + u32(state) + u32(0) + u32(0) + u32(1) + u64(99) + u32(last)


def status():
    ep = u32(1) + bytes([10, 0, 2, 15]) + bytes(12)
    return (u32(8192) + u32(0) + u32(0) + s("modem") + s("Sim Modem (COM1)") + s("5551234")
            + ep + u32(0) + bytes(16))


def info(entry="Work VPN"):
    return (u32(0x10001) + s(entry) + s("C:\\rasphone.pbk") + s("vpn") + s("sim0") + u32(1)
            + bytes(range(16)))


def ip():
    return u32(0) + s("10.0.2.15") + s("10.0.2.2") + s("10.0.2.3") + s("") + u32(0) + u32(0)


def lcp(): return b"".join(u32(v) for v in [0, 0, 0xc223, 0x81, 0, 0, 0, 0, 3, 3, 1500, 1500])
def diag(): return u32(3) + u32(40) + u32(1) + u32(0) + u32(2) + u64(123456)
def stats(): return b"".join(u64(v) for v in range(1, 11)) + u32(0) + u32(0) + u32(115200) + u32(5000)


R = 0x8000
proto = {
    "hello": msg(1, 1, u32(4242)),
    "dial": msg(2, 2, u64(5) + request()),
    "dial_reply": msg(2 | R, 2, u32(0) + u32(0x10001)),
    "resume": msg(3, 3, u32(0x10001) + request(pw="")),
    "hangup": msg(4, 4, u32(0x10001)),
    "status": msg(5, 5, u32(0x10001)),
    "status_reply": msg(5 | R, 5, u32(0) + status()),
    "enum_reply": msg(6 | R, 6, u32(0) + u32(2) + u32(2) + info() + info("Other")),
    "info_reply": msg(7 | R, 7, u32(0) + info()),
    "ip_reply": msg(8 | R, 8, u32(0) + ip()),
    "lcp_reply": msg(9 | R, 9, u32(0) + lcp()),
    "diag_reply": msg(10 | R, 10, u32(0) + diag()),
    "watch": msg(11, 11, b""),
    "stats_reply": msg(12 | R, 12, u32(0) + stats()),
    "find": msg(13, 13, s("") + s("Work VPN")),
    "ack": msg(32, 0, u32(0x10001) + u32(7) + u32(1)),
    "event": msg(64, 0, u64(5) + event()),
    "notify": msg(65, 0, u32(0x10001) + u32(1)),
    # bare bodies: what each codec reads when the message is nothing but it
    "body_request": msg(2, 1, request()),
    "body_event": msg(64, 0, event(state=0x1000, last=0)),
    "body_status": msg(5 | R, 1, status()),
    "body_info": msg(7 | R, 1, info()),
    "body_ip": msg(8 | R, 1, ip()),
    "body_lcp": msg(9 | R, 1, lcp()),
    "body_stats": msg(12 | R, 1, stats()),
    "body_diag": msg(10 | R, 1, diag()),
}
for k, v in proto.items():
    write("proto", k, v)

# ---- RFC 1662 framing ----

def fcs16(data, fcs=0xFFFF):
    for b in data:
        fcs ^= b
        for _ in range(8):
            fcs = (fcs >> 1) ^ 0x8408 if fcs & 1 else fcs >> 1
    return fcs


def fcs32(data, fcs=0xFFFFFFFF):
    for b in data:
        fcs ^= b
        for _ in range(8):
            fcs = (fcs >> 1) ^ 0xEDB88320 if fcs & 1 else fcs >> 1
    return fcs


def frame(proto_, info_, accm=0xFFFFFFFF, acfc=False, pfc=False, use32=False):
    hdr = b"" if acfc else b"\xff\x03"
    hdr += bytes([proto_]) if pfc and proto_ <= 0xFF else struct.pack(">H", proto_)
    body = hdr + info_
    if use32:
        body += struct.pack("<I", ~fcs32(body) & 0xFFFFFFFF)
    else:
        body += struct.pack("<H", ~fcs16(body) & 0xFFFF)
    out = bytearray(b"\x7e")
    for b in body:
        if b in (0x7E, 0x7D) or (b < 0x20 and (accm >> b) & 1):
            out += bytes([0x7D, b ^ 0x20])
        else:
            out.append(b)
    out.append(0x7E)
    return bytes(out)


def cp(code, id_, data=b""):
    return bytes([code, id_]) + struct.pack(">H", len(data) + 4) + data


# what the session sends first (tests/native/test_ppp_lcp.c test_our_request)
OUR_LCP = cp(1, 1, bytes([2, 6, 0, 0, 0, 0, 5, 6, 0xde, 0xad, 0xbe, 0xef, 7, 2, 8, 2]))
# the scripted server's options (test_ppp_lcp.c srv_opts)
SRV_LCP = cp(1, 0x42, bytes([1, 4, 5, 0xdc, 2, 6, 0, 0, 0, 0, 5, 6, 0x12, 0x34, 0x56, 0x78,
                             7, 2, 8, 2]))
IPCP_REQ = cp(1, 1, bytes([3, 6, 0, 0, 0, 0, 129, 6, 0, 0, 0, 0, 131, 6, 0, 0, 0, 0]))
IP_PKT = bytes([0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 2, 15, 10, 0, 2, 2,
                0x30, 0x39, 0, 53, 0, 8, 0, 0])

hdlc = {
    "lcp_confreq": b"\x00\x00" + frame(0xC021, OUR_LCP),
    "lcp_server": b"\x00\x03" + frame(0xC021, SRV_LCP),
    "ipcp_compressed": b"\x08\x00" + frame(0x8021, IPCP_REQ, accm=0, acfc=True),
    "ip_pfc": b"\x00\x05" + frame(0x21, IP_PKT, accm=0, acfc=True, pfc=True),
    "fcs32": b"\x04\x00" + frame(0xC021, OUR_LCP, use32=True),
    "idle_abort_runt": b"\x01\x02" + b"\x7e\x7e\x7e\xff\x7d\x7e\x7e\x01\x7e" + frame(0xC021, cp(9, 3, b"\0\0\0\0")),
    "overrun": b"\x03\x00" + frame(0x0021, IP_PKT * 3, accm=0),
    "bad_fcs": b"\x00\x00" + frame(0xC021, OUR_LCP)[:-2] + b"\x00\x7e",
}
for k, v in hdlc.items():
    write("hdlc", k, v)

# ---- PPP session scripts (tests/fuzz/fuzz_ppp.c) ----

def pkt(kind, data, acfc=False, pfc=False, fixlen=False):
    """One packet record: kind 0 LCP, 1 IPCP, 2 PAP, 3 CHAP, 4 IP, 7 raw bytes."""
    op = kind | (8 if acfc else 0) | (16 if pfc else 0) | (32 if fixlen else 0)
    if len(data) > 255:
        return bytes([op | 0x40]) + struct.pack(">H", len(data)) + data
    return bytes([op, len(data)]) + data


ADV_1, ADV_RESTART, ADV_3S, ADV_60S, CLOSE, LOWER_DOWN, SEND_IP, QUERY = range(0xF0, 0xF8)
ACK_LCP, ACK_IPCP, NAK_IPCP = 0xF8, 0xF9, 0xFA

ms_fail = cp(4, 7, b"E=691 R=1 C=00112233445566778899AABBCCDDEEFF V=3 M=Authentication failure")
ms_ok = cp(3, 7, b"S=0123456789ABCDEF0123456789ABCDEF01234567 M=Welcome")
ppp = {
    "establish_open": bytes([0]) + pkt(0, SRV_LCP) + bytes([ACK_LCP, QUERY, ADV_RESTART]),
    "establish_nak_rej": bytes([0]) + pkt(0, cp(3, 1, bytes([1, 4, 2, 0, 2, 6, 0, 0, 0, 0xff])))
    + pkt(0, cp(4, 2, bytes([7, 2, 8, 2]))) + bytes([ADV_RESTART, ADV_RESTART]),
    "establish_terminate": bytes([0]) + pkt(0, cp(5, 9)) + bytes([ADV_3S]),
    "establish_coderej": bytes([0]) + pkt(0, cp(7, 3, OUR_LCP)) + pkt(0, cp(12, 1, b"xx")),
    "establish_timeout": bytes([0x10, ADV_3S, ADV_3S, ADV_60S]),
    "pap_ack": bytes([1]) + pkt(2, cp(2, 1, b"\x07Welcome")) + bytes([QUERY]),
    "pap_nak": bytes([1]) + pkt(2, cp(3, 1, b"\x06Denied")),
    "chap_md5_success": bytes([2]) + pkt(3, cp(3, 7, b"Welcome")),
    "chap_md5_rechallenge": bytes([2]) + pkt(3, cp(1, 8, b"\x10" + bytes(16) + b"srv")),
    "mschapv2_failure": bytes([3]) + pkt(3, ms_fail),
    "mschapv2_bad_success": bytes([3]) + pkt(3, ms_ok),
    "ipcp_negotiate": bytes([4, NAK_IPCP, ACK_IPCP]) + pkt(1, cp(1, 5, bytes([3, 6, 10, 0, 0, 1])))
    + bytes([QUERY]),
    "ipcp_reject_vj": bytes([4]) + pkt(1, cp(1, 5, bytes([2, 6, 0, 0x2d, 0x0f, 1, 3, 6, 10, 0, 0, 1]))),
    "ip_up_traffic": bytes([5]) + pkt(4, IP_PKT, acfc=True, pfc=True)
    + bytes([SEND_IP, len(IP_PKT)]) + IP_PKT + pkt(0, cp(9, 4, b"\x12\x34\x56\x78data")),
    "ip_up_echo_timeout": bytes([5 | 8, ADV_3S, ADV_3S, ADV_3S, QUERY]),
    "ip_up_protrej": bytes([5]) + pkt(0, cp(8, 6, b"\x80\x21" + IPCP_REQ)),
    "ip_up_unknown_proto": bytes([5]) + bytes([5, 6, 0x80, 0x57, 1, 1, 0, 4]),
    "ip_up_peer_term": bytes([5]) + pkt(0, cp(5, 9, b"bye")) + bytes([ADV_3S]),
    "ip_up_ipcp_term": bytes([5]) + pkt(1, cp(5, 2)),
    "ip_up_lower_down": bytes([5 | 32, LOWER_DOWN]),
    "terminate_ack": bytes([6]) + pkt(0, cp(6, 2)),
    "nak_rej_then_open": bytes([7, ACK_LCP]) + pkt(0, SRV_LCP),
    "raw_line": bytes([0]) + pkt(7, frame(0xC021, SRV_LCP)),
}
for k, v in ppp.items():
    write("ppp", k, v)

# ---- Hayes modem dialogs (tests/fuzz/fuzz_hayes.c) ----

def chunks(text, size=0x3F):
    out = b""
    for i in range(0, len(text), size + 1):
        part = text[i:i + size + 1]
        out += bytes([len(part) - 1]) + part
    return out


TIMEOUT, HANGUP, DIAL, HANGUP_NOW = 0xF0, 0xF1, 0xF2, 0xF3
hayes = {
    "connect": bytes([3]) + chunks(b"ATZ\r\r\nOK\r\n") + chunks(b"\r\nOK\r\n")
    + chunks(b"\r\nCONNECT 115200/V42\r\n~\xff\x7d#") + bytes([HANGUP, TIMEOUT])
    + chunks(b"\r\nOK\r\n") + chunks(b"\r\nOK\r\n"),
    "busy": bytes([0]) + chunks(b"\r\nBUSY\r\n") + bytes([DIAL]) + chunks(b"NO DIALTONE\r\n"),
    "numeric": bytes([2]) + chunks(b"0\r") + chunks(b"1\r"),
    "no_carrier_after_progress": bytes([1]) + chunks(b"\r\nOK\r\n")
    + chunks(b"DIALING\r\nRINGING\r\n+MCR: V42B\r\nCARRIER 28800\r\nNO CARRIER\r\n"),
    "timeouts": bytes([0x31, TIMEOUT, TIMEOUT, TIMEOUT, DIAL, HANGUP_NOW, TIMEOUT, TIMEOUT]),
    "abort_dial": bytes([0]) + chunks(b"RING\r\n") + bytes([HANGUP_NOW]) + chunks(b"NO CARRIER\r\nOK\r\n"),
    "overlong": bytes([4]) + chunks(b"X" * 200 + b"\r\nCONNECT\r") + chunks(b"\n"),
    "voice_noanswer": bytes([0]) + chunks(b"VOICE\r\n") + bytes([DIAL]) + chunks(b"NO ANSWER\r\n"),
}
for k, v in hayes.items():
    write("hayes", k, v)

# ---- L2TP calls (tests/fuzz/fuzz_l2tp.c) ----

def be16(v): return struct.pack(">H", v)


def avp(t, val, m=True): return be16((0x8000 if m else 0) | (6 + len(val))) + be16(0) + be16(t) + val


def ctl(sid, ns, nr, msg_type=None, avps=b""):
    body = (avp(0, be16(msg_type)) if msg_type is not None else b"") + avps
    return be16(0xc802) + be16(12 + len(body)) + be16(0x1111) + be16(sid) + be16(ns) + be16(nr) + body


def dgram(d): return bytes([0]) + be16(len(d)) + d


def wait(units): return bytes([1, units])


SEND, HANGUP = bytes([2]), bytes([3])
sccrp = ctl(0, 0, 1, 2, avp(9, be16(77)) + avp(10, be16(4)))
icrp = ctl(0x2222, 1, 3, 11, avp(14, be16(99)))
data = be16(0x0002) + be16(0x1111) + be16(0x2222) + bytes.fromhex("ff03c021010100080304c023")
l2tp = {
    "call": dgram(sccrp) + dgram(icrp) + dgram(ctl(0, 2, 4)) + dgram(data) + SEND + wait(4) + HANGUP,
    "hello_dup_ahead": dgram(sccrp) + dgram(icrp) + dgram(ctl(0, 2, 4, 6)) + dgram(ctl(0, 2, 4, 6))
    + dgram(ctl(0, 9, 4, 6)) + wait(30),
    "stopccn": dgram(sccrp) + dgram(ctl(0, 1, 3, 4, avp(9, be16(77)) + avp(1, be16(4)))),
    "cdn_busy": dgram(sccrp) + dgram(ctl(0x2222, 1, 3, 14, avp(1, be16(8)) + avp(14, be16(99)))),
    "challenge_hidden_vendor": dgram(ctl(0, 0, 1, 2, avp(9, be16(77)) + avp(11, bytes(8))
                                         + be16(0xc000 | 8) + be16(0) + be16(9) + be16(1)
                                         + avp(1, be16(0))[:2] + be16(9) + be16(1) + be16(0))),
    "silent": wait(255) + wait(255),
    "data_offset_seq": dgram(sccrp) + dgram(icrp)
    + dgram(be16(0x4a02) + be16(20) + be16(0x1111) + be16(0x2222) + be16(0) + be16(0) + be16(2) + b"\0\0"
            + bytes.fromhex("ff03c021")),
}
for k, v in l2tp.items():
    write("l2tp", k, v)

# ---- phone books ----

os.makedirs(os.path.join(OUT, "pbk"), exist_ok=True)
shutil.copy(os.path.join(ROOT, "tests", "data", "pbk", "windows10.pbk"), os.path.join(OUT, "pbk"))
pbk = {
    "minimal": b"[Zero]\nORA_Link=sim\nORA_SimStepMs=0\n",
    "crlf_bom_comments": b"\xef\xbb\xbf; preamble\r\n\r\n[Work VPN]\r\nEncoding=1\r\nType=2\r\n"
    b"PhoneNumber=vpn.example.com\r\n; kept\r\nMEDIA=rastapi\r\nPort=VPN2-0\r\nDEVICE=vpn\r\n"
    b"PhoneNumber=alt\r\n\r\n[dial]\r\nPhoneNumber = 555 1234 \r\n",
    "repeated_no_final_eol": b"[A]\nK=1\nk=2\nK = 3\n[a]\nx\n[B]]\n=novalue\nnoequals\n[C]\nLast=1",
    "unicode_names": "[Büro – VPN]\nUser=ä\n[日本]\nPhone=+81\n".encode(),
}
for k, v in pbk.items():
    write("pbk", k, v)
print("seeds written to", OUT)
