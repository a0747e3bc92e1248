# SPDX-License-Identifier: LGPL-2.1-or-later
"""Shared pieces of the bus integration scripts (busmaster-clients.py, busmaster-hostile.py,
bus-clients.py): a minimal little-endian D-Bus wire codec for raw-socket clients (marshal,
unmarshal, message building and parsing), a bus configuration file template, and the
"ok/FAIL" check counter that prints one line per check and "N passed, M failed".
Imported from the scripts' own directory; standard library only.
"""

import os
import struct
import sys

# ---- wire format (little endian) ----

FIELD_CODES = {"path": (1, "o"), "interface": (2, "s"), "member": (3, "s"), "error": (4, "s"),
               "reply_serial": (5, "u"), "destination": (6, "s"), "sender": (7, "s"),
               "signature": (8, "g")}
FIELD_NAMES = {v[0]: k for k, v in FIELD_CODES.items()}
TYPES = {1: "call", 2: "return", 3: "error", 4: "signal"}


def pad(buf, n):
    return buf + b"\0" * ((-len(buf)) % n)


def marshal(sig, args, buf=b""):
    """Appends args (types s o g u b y, and "as") to buf, aligned as if buf began a message."""
    i = 0
    for a in args:
        t = sig[i]
        if t in "so":
            buf = pad(buf, 4)
            b = a.encode()
            buf += struct.pack("<I", len(b)) + b + b"\0"
        elif t == "g":
            b = a.encode()
            buf += bytes([len(b)]) + b + b"\0"
        elif t in "ub":
            buf = pad(buf, 4)
            buf += struct.pack("<I", int(a))
        elif t == "y":
            buf += bytes(a)
        elif t == "a" and sig[i + 1] == "s":
            buf = pad(buf, 4)
            lenpos = len(buf)
            buf += b"\0\0\0\0"
            start = len(buf)
            for s in a:
                buf = marshal("s", [s], buf)
            buf = buf[:lenpos] + struct.pack("<I", len(buf) - start) + buf[lenpos + 4:]
            i += 1
        else:
            raise ValueError("cannot marshal " + t)
        i += 1
    return buf


def unmarshal(sig, data, pos=0):
    """Returns (list of values, position after them); an unknown type ends the list with a
    "<rest of signature>" placeholder."""
    out = []
    i = 0
    while i < len(sig):
        t = sig[i]
        if t in "so":
            pos += (-pos) % 4
            n = struct.unpack_from("<I", data, pos)[0]
            out.append(data[pos + 4:pos + 4 + n].decode())
            pos += 4 + n + 1
        elif t == "g":
            n = data[pos]
            out.append(data[pos + 1:pos + 1 + n].decode())
            pos += n + 2
        elif t in "ubi":
            pos += (-pos) % 4
            out.append(struct.unpack_from("<I", data, pos)[0])
            pos += 4
        elif t == "y":
            out.append(data[pos])
            pos += 1
        elif t == "a" and sig[i + 1] in "sy":
            pos += (-pos) % 4
            n = struct.unpack_from("<I", data, pos)[0]
            pos += 4
            end = pos + n
            items = []
            while pos < end:
                v, pos = unmarshal(sig[i + 1], data, pos)
                items.append(v[0])
            out.append(items)
            i += 1
        elif t == "v":
            s, pos = unmarshal("g", data, pos)
            v, pos = unmarshal(s[0], data, pos)
            out.append(v[0] if len(v) == 1 else v)
        else:
            out.append("<%s>" % sig[i:])
            return out, len(data)
        i += 1
    return out, pos


def message(mtype, fields, sig="", args=(), serial=1, flags=0, body=None):
    """One whole message. fields: list of (code, type char, value), in header order; the
    SIGNATURE field is appended for sig unless body (raw bytes) is given."""
    if body is None:
        body = marshal(sig, args)
        if sig:
            fields = list(fields) + [(8, "g", sig)]
    buf = b"l" + bytes([mtype, flags, 1]) + struct.pack("<III", len(body), serial, 0)
    for code, t, v in fields:
        buf = pad(buf, 8)
        buf = marshal(t, [v], buf + bytes([code]) + marshal("g", [t]))
    buf = buf[:12] + struct.pack("<I", len(buf) - 16) + buf[16:]
    return pad(buf, 8) + body


def call_msg(dest, path, iface, member, sig="", args=(), serial=1, flags=0):
    f = [(1, "o", path), (3, "s", member)]
    if iface:
        f.insert(1, (2, "s", iface))
    if dest:
        f.append((6, "s", dest))
    return message(1, f, sig, args, serial, flags)


def message_length(buf):
    """Length of the whole message that buf begins with, or None while its header is short."""
    if len(buf) < 16:
        return None
    blen, _, flen = struct.unpack_from("<III", buf, 4)
    return 16 + flen + (-(16 + flen)) % 8 + blen


def parse(data):
    """Returns (type, serial, fields dict by code, body bytes) of one whole message."""
    mtype = data[1]
    blen, serial, flen = struct.unpack_from("<III", data, 4)
    fields = {}
    pos = 16
    end = 16 + flen
    while pos < end:
        pos += (-pos) % 8
        code = data[pos]
        (vsig,), pos = unmarshal("g", data, pos + 1)
        (fields[code],), pos = unmarshal(vsig, data, pos)
    bstart = end + (-end) % 8
    return mtype, serial, fields, data[bstart:bstart + blen]


def auth_external():
    """The AUTH EXTERNAL line (without the leading NUL) for this process's uid."""
    return b"AUTH EXTERNAL " + str(os.getuid()).encode().hex().encode() + b"\r\n"


# ---- a bus configuration file ----

OPEN_POLICY = """  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
"""


def busconfig(bus_type, listen, body=OPEN_POLICY):
    """A dbus-daemon configuration: EXTERNAL authentication, then body (policies, limits)."""
    return """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>%s</type>
  <listen>%s</listen>
  <auth>EXTERNAL</auth>
%s</busconfig>
""" % (bus_type, listen, body)


# ---- the check counter ----

class Checks:
    """check(ok, what, detail) prints "ok   WHAT" or "FAIL WHAT" + sep + detail (when given)."""

    def __init__(self, sep=":\n"):
        self.sep = sep
        self.passed = self.failed = 0

    def __call__(self, ok, what, detail=""):
        if ok:
            self.passed += 1
            print("ok   " + what)
        else:
            self.failed += 1
            print("FAIL " + what + (self.sep + detail if detail else ""))
        sys.stdout.flush()

    def summary(self):
        """Prints "N passed, M failed"; returns the exit status, 1 on any failure."""
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 1 if self.failed else 0
