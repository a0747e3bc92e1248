#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A hostile client against a system bus, with well-behaved clients watching.

Usage (as root, in a private mount namespace with a tmpfs on /run; see
test-busmaster-hostile.sh):
    busmaster-hostile.py run DAEMON...     every daemon in turn; busmaster is judged, the
                                           others (dbus-daemon) give the expected outcomes
    busmaster-hostile.py hostile SOCKET    the hostile client (run by `run` as nobody)
    busmaster-hostile.py good SOCKET OUT   the well-behaved server + caller (run by `run`)

The hostile client sends garbage authentication, malformed and oversized messages, floods of
incomplete connections, connections, match rules, names, pending calls and a queue that is never
read, and calls that the policy denies. It prints one "outcome" line per step: the error name a
step ends with, or "disconnected". The well-behaved client owns com.example.Good, and a second
connection calls its Ping in a loop the whole time; every call must be answered, within 5 s.
Checks: the outcomes are dbus-daemon's, no good call failed or was slow, the limits produced
LimitsExceeded, the daemon logged the denials with the peer (uid, pid, comm), the daemon's RSS
is back near its starting point once the hostile connections are closed, and it still answers.
Prints one line per check and "N passed, M failed"; exits 1 on any failure.
"""

import os
import select
import signal
import socket
import struct
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import rawbus  # noqa: E402 (from this script's directory)
from rawbus import call_msg, message, message_length, parse  # noqa: E402

SOCKET = "/run/dbus/system_bus_socket"
GOOD = "com.example.Good"
LIMITS = {
    "max_incomplete_connections": 8,
    "max_connections_per_user": 24,
    "max_names_per_connection": 16,
    "max_match_rules_per_connection": 256,
    "max_replies_per_connection": 32,
    "max_message_size": 1048576,
    "max_incoming_bytes": 8388608,
    "max_outgoing_bytes": 1048576,
    "auth_timeout": 2000,
    "reply_timeout": 60000,
}

CONFIG = rawbus.busconfig("system", "unix:path=" + SOCKET, """  <policy context="default">
    <deny send_destination="*" eavesdrop="true"/>
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Properties"/>
    <deny send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"
          send_member="UpdateActivationEnvironment"/>
    <deny send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Debug.Stats"/>
    <allow own_prefix="com.example.Hostile"/>
    <allow send_destination="com.example.Good" send_interface="com.example.Good"/>
    <allow send_destination="com.example.Hostile.Sink"/>
  </policy>
  <policy user="root">
    <allow own="com.example.Good"/>
    <allow send_type="method_call"/>
  </policy>
%s
""" % "\n".join('  <limit name="%s">%d</limit>' % kv for kv in LIMITS.items()))

# ---- a minimal D-Bus client on a raw socket (wire format in rawbus.py) ----


class Conn:
    def __init__(self, path=SOCKET, auth=True, hello=True):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(10)
        self.sock.connect(path)
        self.buf = b""
        self.serial = 0
        self.unique = None
        if auth:
            self.sock.sendall(b"\0" + rawbus.auth_external())
            line = self.line()
            if not line.startswith(b"OK "):
                raise RuntimeError("auth: %r" % line)
            self.sock.sendall(b"BEGIN\r\n")
        if hello:
            r = self.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "Hello")
            if r[0] != "ok":
                raise RuntimeError("Hello: " + r[0])
            self.unique = r[1]

    def close(self):
        self.sock.close()

    def line(self):
        while b"\r\n" not in self.buf:
            d = self.sock.recv(4096)
            if not d:
                raise EOFError
            self.buf += d
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def recv_message(self):
        while True:
            total = message_length(self.buf)
            if total is not None and len(self.buf) >= total:
                m, self.buf = self.buf[:total], self.buf[total:]
                return parse(m)
            d = self.sock.recv(65536)
            if not d:
                raise EOFError
            self.buf += d

    def send(self, dest, path, iface, member, sig="", args=(), flags=0):
        self.serial += 1
        self.sock.sendall(call_msg(dest, path, iface, member, sig, args, self.serial, flags))
        return self.serial

    def reply(self, serial):
        """("ok", first string arg or None) or (error name, message)."""
        while True:
            mtype, _, fields, body = self.recv_message()
            if mtype in (2, 3) and fields.get(5) == serial:
                first = None
                if body and fields.get(8, "").startswith("s"):
                    n = struct.unpack_from("<I", body, 0)[0]
                    first = body[4:4 + n].decode(errors="replace")
                return ("ok", first) if mtype == 2 else (fields.get(4), first)

    def call(self, *a, **kw):
        return self.reply(self.send(*a, **kw))

    def driver(self, member, sig="", args=()):
        return self.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                         member, sig, args)


def wait_closed(sock, timeout=3.0):
    """True if the peer closed sock within timeout (whatever it sent before)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        r, _, _ = select.select([sock], [], [], end - time.monotonic())
        if not r:
            return False
        try:
            if not sock.recv(65536):
                return True
        except (ConnectionResetError, BrokenPipeError):
            return True
    return False


def closed_now(sock):
    try:
        return wait_closed(sock, 0.05)
    except OSError:
        return True


# ---- the hostile client (runs as nobody) ----

def hostile():
    def out(step, what):
        print("outcome %s %s" % (step, what), flush=True)

    def raw_step(step, data, auth=False, hello=False):
        try:
            c = Conn(auth=auth, hello=hello)
            c.sock.sendall(data)
            out(step, "disconnected" if wait_closed(c.sock) else "still-open")
            c.close()
        except (BrokenPipeError, ConnectionResetError):
            out(step, "disconnected")

    # 1. garbage authentication
    raw_step("auth-garbage", os.urandom(4096).replace(b"\0", b"x"))
    c = Conn(auth=False, hello=False)
    c.sock.sendall(b"\0AUTH GARBAGE\r\n")
    out("auth-unknown-mechanism", c.line().decode().split(" ")[0])
    c.sock.sendall(b"AUTH EXTERNAL " + b"0".hex().encode() + b"\r\n")  # claims to be root
    out("auth-claims-root", c.line().decode().split(" ")[0])
    c.sock.sendall(b"BEGIN\r\n")
    out("auth-begin-unauthenticated", "disconnected" if wait_closed(c.sock) else "still-open")
    c.close()
    raw_step("auth-overlong-line", b"\0AUTH EXTERNAL " + b"3" * 20000)
    raw_step("auth-no-nul", b"AUTH EXTERNAL 3635353334\r\n")
    # incomplete connections: more than max_incomplete_connections, never authenticated
    socks = []
    for _ in range(3 * LIMITS["max_incomplete_connections"]):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        socks.append(s)
        try:
            s.connect(SOCKET)
            s.sendall(b"\0")
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused at once: over max_incomplete_connections
    time.sleep(0.5)
    # every one is gone once auth_timeout has passed (those over the limit earlier)
    end = time.monotonic() + LIMITS["auth_timeout"] / 1000 + 5
    alive = socks
    while alive and time.monotonic() < end:
        alive = [s for s in alive if not closed_now(s)]
    out("incomplete-connections", "all-closed" if not alive else "%d-left" % len(alive))
    for s in socks:
        s.close()

    # 2. malformed and oversized messages (each on a fresh authenticated connection)
    hello = call_msg("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "Hello")
    ping = call_msg(GOOD, "/", "com.example.Good", "Ping", "s", ["x"], serial=2)
    raw_step("msg-bad-endianness", b"X" + hello[1:], auth=True)
    raw_step("msg-bad-version", hello[:3] + b"\x07" + hello[4:], auth=True)
    raw_step("msg-huge-body-length", hello[:4] + struct.pack("<I", 0x7ffffff0) + hello[8:], auth=True)
    raw_step("msg-huge-fields-length", hello[:12] + struct.pack("<I", 0x4000000) + hello[16:], auth=True)
    raw_step("msg-no-path", message(1, [(3, "s", "Ping"), (6, "s", GOOD)], serial=2), auth=True, hello=True)
    raw_step("msg-bad-utf8-member", call_msg(GOOD, "/", "com.example.Good", "P\xffng", serial=2)
             .replace(b"P\xc3\xbfng", b"P\xff\xfeng"), auth=True, hello=True)
    raw_step("msg-body-not-signature",
             message(1, [(1, "o", "/"), (3, "s", "Ping"), (6, "s", GOOD), (8, "g", "s")],
                     body=b"\xff\xff\xff\x7f", serial=2), auth=True, hello=True)
    raw_step("msg-before-hello", ping, auth=True)
    raw_step("msg-serial-zero", hello[:8] + b"\0\0\0\0" + hello[12:], auth=True)
    big = 2 * LIMITS["max_message_size"]
    raw_step("msg-oversized", call_msg(GOOD, "/", "com.example.Good", "Ping", "s", ["x" * big], serial=2),
             auth=True, hello=True)
    c = Conn()
    r = c.call(GOOD, "/", "com.example.Good", "Ping", "s", ["y" * (LIMITS["max_message_size"] // 2)])
    out("msg-large-within-limit", r[0])
    c.close()

    # 3. policy denials (logged with the peer)
    c = Conn()
    out("deny-send-admin", c.call(GOOD, "/", "com.example.Good.Admin", "Shutdown")[0])
    out("deny-update-env", c.driver("UpdateActivationEnvironment", "", ())[0])
    out("deny-own-good", c.driver("RequestName", "su", [GOOD, 0])[0])
    out("deny-own-other", c.driver("RequestName", "su", ["org.example.NotYours", 0])[0])

    # 4. floods: match rules, names (pipelined), pending calls
    out("match-invalid", c.driver("AddMatch", "s", ["type='signal',,bogus=="])[0])
    serials = [c.send("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                      "AddMatch", "s", ["type='signal',interface='com.example.Flood%d'" % i])
               for i in range(LIMITS["max_match_rules_per_connection"] + 50)]
    res = [c.reply(s)[0] for s in serials]
    out("match-flood", "%d-ok-then-%s" % (res.count("ok"), res[-1]))
    out("match-invalid-at-limit", c.driver("AddMatch", "s", ["type='signal',,bogus=="])[0])
    serials = [c.send("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                      "RequestName", "su", ["com.example.Hostile.N%d" % i, 4])
               for i in range(LIMITS["max_names_per_connection"] + 10)]
    res = [c.reply(s)[0] for s in serials]
    out("name-flood", "%d-ok-then-%s" % (res.count("ok"), res[-1]))
    serials = [c.send(GOOD, "/", "com.example.Good", "Hang")
               for _ in range(LIMITS["max_replies_per_connection"] + 8)]
    errors = []
    c.sock.settimeout(3)
    try:
        while len(errors) < 8:
            mtype, _, fields, _ = c.recv_message()
            if mtype == 3 and fields.get(5) in serials:
                errors.append(fields.get(4))
    except socket.timeout:
        pass
    c.sock.settimeout(10)
    out("pending-call-flood", "%d-errors-%s" % (len(errors), ",".join(sorted(set(errors)))))

    # 5. a connection whose queue is never read: another one fills it until the bus refuses
    sink = Conn()
    sink.driver("RequestName", "su", ["com.example.Hostile.Sink", 4])
    src = Conn()
    payload = "z" * 65536
    got = "none"
    for i in range(2 * LIMITS["max_outgoing_bytes"] // len(payload)):
        src.serial += 1
        src.sock.sendall(message(4, [(1, "o", "/"), (2, "s", "com.example.Hostile.Junk"), (3, "s", "J"),
                                     (6, "s", sink.unique)], "s", [payload], src.serial))
    src.serial += 1
    # a call to the stuck connection (allowed for its own names) must be refused, not queued
    r = src.call("com.example.Hostile.Sink", "/", "org.freedesktop.DBus.Peer", "Ping")
    got = r[0]
    out("full-queue", got)
    # 6. as many connections as the bus allows to one user
    conns, failure = [], "none"
    try:
        for _ in range(LIMITS["max_connections_per_user"] + 8):
            conns.append(Conn())
    except (RuntimeError, EOFError, OSError) as e:
        failure = str(e).split(":")[-1].strip() or type(e).__name__
    out("connection-flood", failure)
    for x in conns:
        x.close()
    sink.close()
    src.close()
    c.close()
    print("hostile done", flush=True)


# ---- the well-behaved clients (root) ----

def good(path, outfile):
    import dbus
    import dbus.mainloop.glib
    import dbus.service
    from gi.repository import GLib

    if os.fork() == 0:
        # the server: owns com.example.Good, echoes Ping, never answers Hang
        dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
        bus = dbus.bus.BusConnection("unix:path=" + path)
        hung = []

        class Good(dbus.service.Object):
            @dbus.service.method("com.example.Good", in_signature="s", out_signature="s")
            def Ping(self, s):
                return s

            @dbus.service.method("com.example.Good", in_signature="", out_signature="",
                                 async_callbacks=("ok", "err"))
            def Hang(self, ok, err):
                hung.append(ok)
                del hung[:-1000]

        name = dbus.service.BusName(GOOD, bus)
        Good(bus, "/")
        assert name
        GLib.MainLoop().run()
        os._exit(0)

    bus = dbus.bus.BusConnection("unix:path=" + path)
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    calls, errors, worst = 0, [], 0.0
    ready = False
    while not stop:
        t0 = time.monotonic()
        try:
            r = bus.call_blocking(GOOD, "/", "com.example.Good", "Ping", "s", ["hello %d" % calls], timeout=5)
            if r != "hello %d" % calls:
                errors.append("bad answer %r" % r)
            bus.call_blocking("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                              "GetNameOwner", "s", [GOOD], timeout=5)
            if not ready:
                open(outfile + ".ready", "w").close()
                ready = True
                t0 = time.monotonic()
        except dbus.exceptions.DBusException as e:
            if ready:
                errors.append(e.get_dbus_name() + ": " + str(e)[:200])
            else:
                time.sleep(0.05)
                continue
        if ready:
            calls += 1
            worst = max(worst, time.monotonic() - t0)
        time.sleep(0.002)
    with open(outfile, "w") as f:
        f.write("%d %.3f\n" % (calls, worst))
        for e in errors[:20]:
            f.write(e + "\n")


# ---- the orchestrator ----

check = rawbus.Checks()


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def run_one(daemon, work):
    """Runs the whole scenario against one daemon; returns (outcomes, log text, facts)."""
    name = os.path.basename(daemon)
    os.makedirs("/run/dbus", exist_ok=True)
    if os.path.exists(SOCKET):
        os.unlink(SOCKET)
    conf = os.path.join(work, "system.conf")
    with open(conf, "w") as f:
        f.write(CONFIG)
    log = open(os.path.join(work, name + ".log"), "w+")
    d = subprocess.Popen([daemon, "--config-file=" + conf, "--nofork", "--nopidfile", "--nosyslog"],
                         stdout=log, stderr=log, stdin=subprocess.DEVNULL)
    for _ in range(200):
        if os.path.exists(SOCKET):
            break
        time.sleep(0.05)
    facts = {}
    goodout = os.path.join(work, name + ".good")
    g = subprocess.Popen([sys.executable, __file__, "good", SOCKET, goodout],
                         stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
    for _ in range(200):
        if os.path.exists(goodout + ".ready"):
            break
        time.sleep(0.05)
    time.sleep(0.3)
    facts["rss_start"] = rss_kb(d.pid)
    peak = [facts["rss_start"]]
    h = subprocess.Popen(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                          sys.executable, __file__, "hostile", SOCKET],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    facts["hostile_pid"] = h.pid
    t0 = time.monotonic()
    while h.poll() is None and time.monotonic() - t0 < 60:
        peak.append(rss_kb(d.pid))
        time.sleep(0.1)
    if h.poll() is None:
        h.kill()
    hout, herr = h.communicate()
    facts["hostile_stderr"] = herr
    facts["hostile_done"] = "hostile done" in hout
    facts["rss_peak"] = max(peak)
    time.sleep(0.5)
    facts["rss_end"] = rss_kb(d.pid)
    # still serving a newcomer
    try:
        c = Conn()
        facts["after"] = c.driver("GetNameOwner", "s", [GOOD])[0]
        c.close()
    except Exception as e:  # noqa: BLE001 (reported as the outcome)
        facts["after"] = repr(e)
    g.send_signal(signal.SIGTERM)
    try:
        g.wait(timeout=10)
    except subprocess.TimeoutExpired:
        g.kill()
    facts["alive"] = d.poll() is None
    d.terminate()
    try:
        d.wait(timeout=10)
    except subprocess.TimeoutExpired:
        d.kill()
        d.wait()
    try:
        os.killpg(g.pid, signal.SIGTERM)  # the server it forked
    except ProcessLookupError:
        pass
    try:
        with open(goodout) as f:
            first = f.readline().split()
            facts["good_calls"], facts["good_worst"] = int(first[0]), float(first[1])
            facts["good_errors"] = f.read().strip()
    except (OSError, IndexError, ValueError):
        facts["good_calls"], facts["good_worst"], facts["good_errors"] = 0, 0.0, "no report"
    log.seek(0)
    outcomes = [line.split(" ", 2)[1:] for line in hout.splitlines() if line.startswith("outcome ")]
    return outcomes, log.read(), facts


def denial_lines(logtext):
    """The "Rejected ..." lines of a log without the daemon's prefix, pids and unique names."""
    import re
    lines = []
    for ln in logtext.splitlines():
        i = ln.find("Rejected ")
        if i >= 0:
            ln = re.sub(r"pid=[0-9]+", "pid=N", ln[i:])
            lines.append(re.sub(r":1\.[0-9]+", ":1.N", ln))
    return lines


def run(daemons):
    import tempfile
    work = tempfile.mkdtemp(prefix="busmaster-hostile.")
    results = {}
    for daemon in daemons:
        results[daemon] = run_one(daemon, work)
    judged = daemons[0]
    for daemon in daemons:
        name = os.path.basename(daemon)
        outcomes, logtext, facts = results[daemon]
        dd = dict((k, v) for k, v in outcomes)
        print("--- %s: %s" % (name, " ".join("%s=%s" % (k, v) for k, v in outcomes)))
        check(facts["hostile_done"], name + ": the hostile client ran to its end",
              facts["hostile_stderr"][-2000:])
        check(facts["alive"], name + ": the daemon survived")
        check(facts["after"] == "ok", name + ": a new client is served afterwards", facts["after"])
        check(facts["good_calls"] > 50 and not facts["good_errors"] and facts["good_worst"] < 5.0,
              name + ": the well-behaved client: %d calls, none failed, slowest %.2f s"
              % (facts["good_calls"], facts["good_worst"]), facts["good_errors"])
        for step in ("match-flood", "name-flood", "pending-call-flood", "connection-flood", "full-queue"):
            check("LimitsExceeded" in dd.get(step, ""), "%s: %s ends with LimitsExceeded (%s)"
                  % (name, step, dd.get(step)))
        for step in ("deny-send-admin", "deny-update-env", "deny-own-good"):
            check(dd.get(step) == "org.freedesktop.DBus.Error.AccessDenied",
                  "%s: %s is AccessDenied (%s)" % (name, step, dd.get(step)))
        peer = 'uid=65534 pid=%d comm="' % facts["hostile_pid"]
        denials = [ln for ln in logtext.splitlines() if "Rejected send message" in ln and peer in ln]
        check(any("com.example.Good.Admin" in ln for ln in denials),
              name + ": the denied call is logged with the peer (%s...)" % peer,
              "\n".join(logtext.splitlines()[-15:]))
        with open(daemon, "rb") as f:
            asan = b"__asan_init" in f.read()
        grow = facts["rss_end"] - facts["rss_start"]
        print("     RSS %d kB at start, %d kB peak, %d kB at the end"
              % (facts["rss_start"], facts["rss_peak"], facts["rss_end"]))
        check(grow < (131072 if asan else 16384), name + ": RSS back near its start once the hostile client left (+%d kB)" % grow)
        if daemon != judged:
            ref = dict((k, v) for k, v in results[judged][0])
            diff = ["%s: %s vs %s %s" % (k, ref.get(k), name, v) for k, v in outcomes if ref.get(k) != v]
            diff += ["%s missing" % k for k in ref if k not in dd]
            check(not diff, "%s: same outcomes as %s" % (os.path.basename(judged), name), "\n".join(diff))
            mine, theirs = denial_lines(results[judged][1]), denial_lines(logtext)
            check(mine == theirs and mine, "%s: the same denials logged in the same words as %s"
                  % (os.path.basename(judged), name),
                  "\n".join(["- " + x for x in theirs if x not in mine] + ["+ " + x for x in mine if x not in theirs]))
        if any(s in logtext for s in ("AddressSanitizer", "LeakSanitizer", "runtime error:")):
            check(False, name + ": sanitizer report", logtext[-3000:])
    if check.summary():
        print("logs kept in " + work)
        return 1
    import shutil
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "hostile":
        SOCKET = sys.argv[2]
        hostile()
    elif sys.argv[1] == "good":
        good(sys.argv[2], sys.argv[3])
    else:
        sys.exit(run(sys.argv[2:]))
