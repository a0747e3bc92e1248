#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# recover.py -- measurement client of bench/recovery/run.sh, run inside the namespace of the
# booted manager (sysmaster-sandbox run), so /run/systemd/private is the manager's private bus
# socket and /run/bench the results directory.
#
#   recover.py --event kill|segv|reexec --k K --n N [--comm sysmaster] [--out FILE]
#              [--quiet-wait S] [--busy-max P] [--timeout S]
#
# One trial: wait until the machine is quiet (at most --quiet-wait s for at most --busy-max %
# busy), take t0, trigger the event, then poll until svc-1.service is reported "active":
#   kill    SIGKILL to the manager process (the process named --comm whose parent is PID 1);
#           sysmaster-init starts a new manager, which restores the state from the store
#   segv    SIGSEGV to the same process: it executes itself again in place
#   reexec  `systemctl daemon-reexec` (its own run time is reported as call_us)
# Trials alternate between two probes (so each gets K trials):
#   raw  this process: connect to /run/systemd/private, EXTERNAL auth, one Properties.Get of
#        ActiveState on the unit's object path (what `systemctl is-active` sends), repeated on
#        the same connection until "active"; a refused or dropped connection is opened again
#   ctl  `systemctl is-active svc-1.service` spawned again and again until it prints "active"
# After every trial all N services are checked over one connection: ActiveState "active" and
# MainPID unchanged since before the first trial (a service restarted or lost is an error).
#
# Output (appended to --out): "sample EVENT PROBE TOTAL_US CONNECT_US AUTH_US CALL_US TRIES
# BUSY_PCT", where CONNECT_US = t0 -> connect() succeeded, AUTH_US = t0 -> the manager
# answered the auth (it accepted and read the connection), TOTAL_US = t0 -> "active"; for ctl
# CONNECT_US/AUTH_US are 0; CALL_US is the run time of `systemctl daemon-reexec` (reexec), else
# 0; TRIES = probe attempts. "check EVENT I active=A same_pid=S n=N" after each trial; "error
# EVENT ..." lines for what failed. Exit status 0 if every trial answered and every check held.
import argparse
import os
import signal
import socket
import struct
import subprocess
import sys
import time

PRIVATE = "/run/systemd/private"
SYSTEMCTL = "/usr/bin/systemctl"


def now_us():
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1000


def unit_path(name):
    # sd-bus's object path label escaping: [A-Za-z0-9] kept, everything else _XX
    return "/org/freedesktop/systemd1/unit/" + "".join(
        c if c.isascii() and c.isalnum() else "_%02x" % ord(c) for c in name)


# ---- a minimal D-Bus peer-to-peer client (little endian, method calls only) ----------------
def pad(buf, a):
    buf += b"\0" * (-len(buf) % a)


def put_str(buf, s, code="s"):
    b = s.encode()
    if code == "g":
        buf += bytes([len(b)]) + b + b"\0"
        return
    pad(buf, 4)
    buf += struct.pack("<I", len(b)) + b + b"\0"


def method_call(serial, path, iface, member, sig, args):
    body = bytearray()
    for code, v in zip(sig, args):
        put_str(body, v, code)
    fields = bytearray()
    for code, typ, val in ((1, "o", path), (2, "s", iface), (3, "s", member),
                          (6, "s", "org.freedesktop.systemd1"), (8, "g", sig)):
        pad(fields, 8)
        fields += bytes([code, 1]) + typ.encode() + b"\0"
        put_str(fields, val, typ)
    msg = bytearray(b"l\1\0\1") + struct.pack("<III", len(body), serial, len(fields)) + fields
    pad(msg, 8)
    return bytes(msg + body)


class Conn:
    def __init__(self, timeout):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(timeout)
        self.buf = b""
        self.serial = 0

    def connect(self):
        self.s.connect(PRIVATE)

    def auth(self):
        self.s.sendall(b"\0AUTH EXTERNAL " + str(os.getuid()).encode().hex().encode() + b"\r\n")
        while b"\r\n" not in self.buf:
            self.recv_more()
        line, self.buf = self.buf.split(b"\r\n", 1)
        if not line.startswith(b"OK"):
            raise OSError("auth refused: %r" % line)
        self.s.sendall(b"BEGIN\r\n")

    def recv_more(self):
        d = self.s.recv(1 << 16)
        if not d:
            raise ConnectionResetError("EOF")
        self.buf += d

    def send(self, path, iface, member, sig, *args):
        self.serial += 1
        self.s.sendall(method_call(self.serial, path, iface, member, sig, args))
        return self.serial

    def read(self):
        """The next message: (type, reply_serial, signature, body)."""
        while len(self.buf) < 16:
            self.recv_more()
        blen, _, flen = struct.unpack_from("<III", self.buf, 4)
        hlen = 16 + flen + (-(16 + flen) % 8)
        while len(self.buf) < hlen + blen:
            self.recv_more()
        mtype, reply, sig = self.buf[1], 0, ""
        o = 16
        while o < 16 + flen:
            o += -o % 8
            code, slen = self.buf[o], self.buf[o + 1]
            typ = self.buf[o + 2:o + 2 + slen].decode()
            o += 3 + slen
            if typ in ("u",):
                o += -o % 4
                if code == 5:
                    reply = struct.unpack_from("<I", self.buf, o)[0]
                o += 4
            elif typ == "g":
                n = self.buf[o]
                if code == 8:
                    sig = self.buf[o + 1:o + 1 + n].decode()
                o += n + 2
            else:  # s, o
                o += -o % 4
                n = struct.unpack_from("<I", self.buf, o)[0]
                o += 4 + n + 1
        body = self.buf[hlen:hlen + blen]
        self.buf = self.buf[hlen + blen:]
        return mtype, reply, sig, body

    def close(self):
        self.s.close()


def variant_value(body):
    """Value of a 'v' body holding s, o or u (None otherwise)."""
    n = body[0]
    t = body[1:1 + n].decode()
    o = 1 + n + 1
    o += -o % 4
    if t == "u":
        return struct.unpack_from("<I", body, o)[0]
    if t in ("s", "o"):
        ln = struct.unpack_from("<I", body, o)[0]
        return body[o + 4:o + 4 + ln].decode()
    return None


def get_props(conn, requests):
    """requests: [(path, iface, prop)] -> values (None for errors); pipelined in batches."""
    out = []
    for i in range(0, len(requests), 200):
        batch = requests[i:i + 200]
        want = {}
        for j, (path, iface, prop) in enumerate(batch):
            want[conn.send(path, "org.freedesktop.DBus.Properties", "Get", "ss", iface, prop)] = j
        vals = [None] * len(batch)
        while want:
            mtype, reply, sig, body = conn.read()
            if reply in want:
                j = want.pop(reply)
                if mtype == 2 and sig == "v":
                    vals[j] = variant_value(body)
        out.extend(vals)
    return out


# ---- the machine -----------------------------------------------------------------------------
def cpu_times():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    return sum(v), v[3] + v[4]


def busy_pct(interval):
    t0, i0 = cpu_times()
    time.sleep(interval)
    t1, i1 = cpu_times()
    return round(100 * ((t1 - t0) - (i1 - i0)) / max(1, t1 - t0))


def wait_quiet(wait_s, busy_max):
    end = time.monotonic() + wait_s
    while True:
        b = busy_pct(0.3)
        if b <= busy_max or time.monotonic() >= end:
            return b


def manager_pid(comm):
    for p in os.listdir("/proc"):
        if not p.isdigit() or p == "1":
            continue
        try:
            with open("/proc/%s/stat" % p) as f:
                st = f.read()
        except OSError:
            continue
        name = st[st.index("(") + 1:st.rindex(")")]
        ppid = st[st.rindex(")") + 2:].split()[1]
        if name == comm and ppid == "1":
            return int(p)
    return None


# ---- probes ------------------------------------------------------------------------------------
def probe_raw(t0, unit, deadline):
    path = unit_path(unit)
    tries = 0
    while True:
        tries += 1
        if now_us() > deadline:
            raise TimeoutError("no answer")
        c = Conn(max(0.1, (deadline - now_us()) / 1e6))
        try:
            c.connect()
            tc = now_us()
            c.auth()
            ta = now_us()
            while True:
                c.send(path, "org.freedesktop.DBus.Properties", "Get", "ss",
                       "org.freedesktop.systemd1.Unit", "ActiveState")
                mtype, _, sig, body = c.read()
                if mtype == 2 and sig == "v" and variant_value(body) == "active":
                    return now_us() - t0, tc - t0, ta - t0, tries
                tries += 1
                if now_us() > deadline:
                    raise TimeoutError("no answer")
                time.sleep(0.0005)
        except (ConnectionRefusedError, FileNotFoundError, ConnectionResetError,
                BrokenPipeError):
            time.sleep(0.0005)
        finally:
            c.close()


def probe_ctl(t0, unit, deadline):
    tries = 0
    while True:
        tries += 1
        r = subprocess.run([SYSTEMCTL, "is-active", unit], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL)
        if r.stdout == b"active\n":
            return now_us() - t0, 0, 0, tries
        if now_us() > deadline:
            raise TimeoutError("no answer")
        time.sleep(0.0005)


def state_of_all(units, timeout):
    c = Conn(timeout)
    try:
        c.connect()
        c.auth()
        reqs = []
        for u in units:
            p = unit_path(u)
            reqs.append((p, "org.freedesktop.systemd1.Unit", "ActiveState"))
            reqs.append((p, "org.freedesktop.systemd1.Service", "MainPID"))
        v = get_props(c, reqs)
    finally:
        c.close()
    return {u: (v[2 * i], v[2 * i + 1]) for i, u in enumerate(units)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--event", required=True, choices=("kill", "segv", "reexec"))
    ap.add_argument("--k", type=int, default=20)
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--comm", default="sysmaster")
    ap.add_argument("--out", default="/run/bench/recover.kv")
    ap.add_argument("--quiet-wait", type=float, default=10)
    ap.add_argument("--busy-max", type=float, default=20)
    ap.add_argument("--timeout", type=float, default=30)
    a = ap.parse_args()
    units = ["svc-%d.service" % k for k in range(1, a.n + 1)]
    out = open(a.out, "a", buffering=1)
    ok = True

    ref = state_of_all(units, a.timeout)
    bad = [u for u, (st, pid) in ref.items() if st != "active" or not pid]
    if bad:
        out.write("error %s before: %d units not active or without MainPID (%s)\n"
            % (a.event, len(bad), bad[0]))
        return 1

    for i in range(2 * a.k):
        probe = ("raw", "ctl")[i % 2]
        busy = wait_quiet(a.quiet_wait, a.busy_max)
        call_us = 0
        if a.event != "reexec":
            pid = manager_pid(a.comm)
            if not pid:
                out.write("error %s %d: no process %s\n" % (a.event, i, a.comm))
                return 1
        t0 = now_us()
        deadline = t0 + int(a.timeout * 1e6)
        if a.event == "reexec":
            r = subprocess.run([SYSTEMCTL, "daemon-reexec"], stderr=subprocess.DEVNULL)
            call_us = now_us() - t0
            if r.returncode != 0:
                out.write("error reexec %d: systemctl daemon-reexec: status %d\n"
                    % (i, r.returncode))
                ok = False
        else:
            os.kill(pid, signal.SIGKILL if a.event == "kill" else signal.SIGSEGV)
        try:
            res = (probe_raw if probe == "raw" else probe_ctl)(t0, units[0], deadline)
        except (TimeoutError, OSError) as e:
            out.write("error %s %d %s: %s\n" % (a.event, i, probe, e))
            return 1
        total, tc, ta, tries = res
        out.write("sample %s %s %d %d %d %d %d %d\n"
            % (a.event, probe, total, tc, ta, call_us, tries, busy))
        st = state_of_all(units, a.timeout)
        active = sum(1 for s, _ in st.values() if s == "active")
        same = sum(1 for u in units if st[u][1] == ref[u][1])
        out.write("check %s %d active=%d same_pid=%d n=%d\n" % (a.event, i, active, same, a.n))
        if active != a.n or same != a.n:
            ok = False
            lost = [u for u in units if st[u] != ("active", ref[u][1])]
            out.write("error %s %d: %d units changed, e.g. %s %s -> %s\n"
                % (a.event, i, len(lost), lost[0], ref[lost[0]], st[lost[0]]))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
