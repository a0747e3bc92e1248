#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""busmaster judged by real clients and by dbus-daemon.

Usage: busmaster-clients.py BUSMASTER

1. Side by side: the same scenarios (a raw D-Bus client written here, so that the exact
   sequence of messages each connection receives is visible: replies, errors, NameOwnerChanged,
   NameAcquired, NameLost, NoReply) run against a private dbus-daemon and against busmaster;
   the transcripts must be identical (serials and GUIDs left out). dbus-daemon is the judge.
2. Real clients against busmaster: busctl list, dbus-send GetId, python3-dbus service and
   client (dbus.service.Object), signals reaching only subscribers.
Prints one line per check and "N passed, M failed"; exits 1 on any failure.
"""

import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import rawbus  # noqa: E402 (from this script's directory)
from rawbus import FIELD_CODES, FIELD_NAMES, TYPES, marshal, message, message_length, parse, unmarshal  # noqa: E402

BUSMASTER = sys.argv[1]
DBUS_DAEMON = "/usr/bin/dbus-daemon"
check = rawbus.Checks()


# ---- a minimal D-Bus client on a raw socket (wire format in rawbus.py) ----

class Raw:
    def __init__(self, path, hello=True):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.serial = 0
        self.buf = b""
        self.sock.sendall(b"\0" + rawbus.auth_external() + b"BEGIN\r\n")
        line = b""
        while not line.endswith(b"\r\n"):
            line += self.sock.recv(1)
        assert line.startswith(b"OK "), line
        self.name = None
        if hello:
            got = self.call_driver("Hello")
            self.name = [m for m in got if m["type"] == "return"][0]["args"][0]

    def send(self, mtype, flags=0, sig="", args=(), extra_fields=(), **fields):
        self.serial += 1
        items = list(fields.items())
        if sig:
            items.append(("signature", sig))
        hdr = [(FIELD_CODES[name][0], FIELD_CODES[name][1], value) for name, value in items]
        msg = message(mtype, hdr + list(extra_fields), serial=self.serial, flags=flags,
                      body=marshal(sig, args))
        self.sock.sendall(msg)
        return self.serial

    def call_driver(self, member, sig="", args=(), path="/org/freedesktop/DBus",
                    interface="org.freedesktop.DBus", timeout=2.0):
        serial = self.send(1, sig=sig, args=args, path=path, interface=interface, member=member,
                           destination="org.freedesktop.DBus")
        return self.until_reply(serial, timeout)

    def until_reply(self, serial, timeout=2.0):
        got = []
        end = time.time() + timeout
        while time.time() < end:
            m = self.recv(end - time.time())
            if m is None:
                break
            got.append(m)
            if m["type"] in ("return", "error") and m.get("reply_serial") == serial:
                break
        return got  # in arrival order: signals before or after the reply is part of the check

    def recv(self, timeout=0.3):
        end = time.time() + max(timeout, 0)
        while True:
            m = self._parse()
            if m:
                return m
            left = end - time.time()
            if left <= 0 or not select.select([self.sock], [], [], left)[0]:
                return None
            chunk = self.sock.recv(65536)
            if not chunk:
                return {"type": "EOF"}
            self.buf += chunk

    def _parse(self):
        total = message_length(self.buf)
        if total is None or len(self.buf) < total:
            return None
        data, self.buf = self.buf[:total], self.buf[total:]
        mtype, _, fields, body = parse(data)
        m = {"type": TYPES[mtype], "flags": data[2]}
        for code, val in fields.items():
            m[FIELD_NAMES.get(code, "field%d" % code)] = val
        m["args"] = unmarshal(m.get("signature", ""), body, 0)[0] if body else []
        return m

    def drain(self, timeout=0.3):
        out = []
        while True:
            m = self.recv(timeout)
            if m is None:
                return out
            out.append(m)
            if m["type"] == "EOF":
                return out

    def close(self):
        self.sock.close()


def fmt(who, m):
    if m["type"] == "EOF":
        return "%s: EOF" % who
    what = m.get("member") or m.get("error") or ""
    return "%s: %s %s from=%s to=%s %s%s" % (who, m["type"], what, m.get("sender"),
                                             m.get("destination"), m["args"],
                                             " (no-reply)" if m["flags"] & 1 else "")


# ---- scenarios: each returns a transcript (list of lines) ----

def sc_driver_basics(path):
    t = []
    a = Raw(path)
    t.append("unique " + a.name)
    t += [fmt("a", m) for m in a.drain()]
    for member, sig, args, p in [
            ("ListQueuedOwners", "s", ["org.freedesktop.DBus"], "/"),
            ("GetNameOwner", "s", ["org.freedesktop.DBus"], "/"),
            ("GetNameOwner", "s", ["no.such.name"], "/"),
            ("NameHasOwner", "s", [a.name], "/foo"),
            ("ListActivatableNames", "", [], "/"),
            ("RequestName", "su", ["org.freedesktop.DBus", 0], "/"),
            ("RequestName", "su", [":1.99", 0], "/"),
            ("RequestName", "su", ["not a name", 0], "/"),
            ("ReleaseName", "s", ["org.freedesktop.DBus"], "/"),
            ("ReleaseName", "s", ["a.b"], "/"),
            ("RequestName", "s", ["a.b"], "/"),
            ("Hello", "", [], "/"),
            ("NoSuchMethod", "", [], "/"),
            ("GetConnectionUnixUser", "s", ["no.such.name"], "/"),
            ("GetConnectionSELinuxSecurityContext", "s", [a.name], "/"),
            ("GetAdtAuditSessionData", "s", [a.name], "/"),
            ("AddMatch", "s", ["type='bogus'"], "/"),
            ("RemoveMatch", "s", ["type='signal'"], "/"),
            ("AddMatch", "s", ["type='signal',member='Foo'"], "/"),
            ("RemoveMatch", "s", ["member='Foo',type='signal'"], "/")]:
        for m in a.call_driver(member, sig, args, path=p):
            t.append(fmt("a", m))
    for iface, member, sig, args, p in [
            ("org.freedesktop.DBus.Properties", "Get", "ss", ["org.freedesktop.DBus", "Features"], "/org/freedesktop/DBus"),
            ("org.freedesktop.DBus.Properties", "Get", "ss", ["org.freedesktop.DBus", "Interfaces"], "/org/freedesktop/DBus"),
            ("org.freedesktop.DBus.Properties", "Get", "ss", ["org.freedesktop.DBus", "Nope"], "/org/freedesktop/DBus"),
            ("org.freedesktop.DBus.Properties", "Get", "ss", ["x.y", "Nope"], "/org/freedesktop/DBus"),
            ("org.freedesktop.DBus.Properties", "GetAll", "s", ["org.freedesktop.DBus"], "/"),
            ("org.freedesktop.DBus.Debug.Stats", "GetStats", "", [], "/"),
            ("org.freedesktop.DBus", "UpdateActivationEnvironment", "", [], "/"),
            ("org.freedesktop.DBus.Introspectable", "Introspect", "", [], "/"),
            ("org.freedesktop.DBus.Introspectable", "Introspect", "", [], "/org/freedesktop/DBus"),
            ("org.freedesktop.DBus.Introspectable", "Introspect", "", [], "/org"),
            ("org.freedesktop.DBus.Peer", "Ping", "", [], "/x"),
            ("org.freedesktop.DBus.Peer", "GetMachineId", "", [], "/x"),
            ("org.no.Such", "Ping", "", [], "/")]:
        for m in a.call_driver(member, sig, args, path=p, interface=iface):
            t.append(fmt("a", m))
    a.close()
    return t


def sc_name_queue(path):
    t = []
    watcher = Raw(path)
    watcher.call_driver("AddMatch", "s", ["type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged',arg0='com.example.Q'"])
    conns = {k: Raw(path) for k in "ABC"}
    names = {c.name: k for k, c in conns.items()}
    steps = [("A", "RequestName", 1), ("B", "RequestName", 0), ("C", "RequestName", 4),
             ("C", "RequestName", 2), ("B", "RequestName", 2 | 4), ("A", "RequestName", 1),
             ("B", "RequestName", 2), ("A", "RequestName", 0), ("C", "RequestName", 3),
             ("A", "ListQueuedOwners", None), ("C", "ReleaseName", None), ("C", "ReleaseName", None),
             ("B", "RequestName", 1 | 4), ("A", "RequestName", 2 | 4), ("B", "ListQueuedOwners", None),
             ("A", "ReleaseName", None), ("B", "ListQueuedOwners", None)]
    for who, member, flags in steps:
        c = conns[who]
        if member == "RequestName":
            got = c.call_driver(member, "su", ["com.example.Q", flags])
        else:
            got = c.call_driver(member, "s", ["com.example.Q"])
        t.append("%s %s(%s)" % (who, member, flags))
        for m in got:
            t.append("  " + fmt(who, m))
        for k, other in conns.items():
            for m in other.drain(0.1):
                t.append("  " + fmt(k, m))
        for m in watcher.drain(0.1):
            t.append("  " + fmt("watcher", m))
    # a disconnect releases everything, newest first
    conns["B"].call_driver("RequestName", "su", ["com.example.Q2", 0])
    conns["B"].close()
    for m in watcher.drain(0.2) + conns["A"].drain(0.2) + conns["C"].drain(0.2):
        t.append("after B left: " + fmt("?", m))
    # normalise unique names to the letters
    out = []
    for line in t:
        for n, k in sorted(names.items(), key=lambda x: -len(x[0])):
            line = line.replace("'%s'" % n, "<%s>" % k).replace("=%s " % n, "=<%s> " % k)
        out.append(line)
    return out


def sc_routing(path):
    t = []
    a, b, c = Raw(path), Raw(path), Raw(path)
    names = {a.name: "A", b.name: "B", c.name: "C"}
    b.call_driver("RequestName", "su", ["com.example.Srv", 0])
    c.call_driver("AddMatch", "s", ["type='signal',interface='com.example.Sig'"])
    b.drain(0.1)
    # method call A -> B (forged SENDER is overwritten), B replies, then replies twice
    s = a.send(1, sig="s", args=["hi"], path="/x", interface="com.example.Srv", member="Echo",
               destination="com.example.Srv", sender=":1.999")
    got = b.drain(0.2)
    t += ["B got: " + fmt("B", m) for m in got]
    b.send(2, sig="s", args=["re"], reply_serial=s, destination=a.name)
    b.send(2, sig="s", args=["again"], reply_serial=s, destination=a.name)   # not expected: dropped
    b.send(2, sig="s", args=["bogus"], reply_serial=777, destination=a.name)  # never asked
    t += ["A got: " + fmt("A", m) for m in a.drain(0.2)]
    # unknown header field is stripped before delivery
    a.send(1, flags=1, path="/x", interface="com.example.Srv", member="Fire",
           destination="com.example.Srv", extra_fields=[(100, "s", "junk")])
    t += ["B got: " + fmt("B", m) + " fields=" + ",".join(sorted(k for k in m if k.startswith("field")))
          for m in b.drain(0.2)]
    # broadcast signal: only the subscriber C sees it
    a.send(4, sig="u", args=[7], path="/x", interface="com.example.Sig", member="Tick")
    a.send(4, sig="u", args=[8], path="/x", interface="com.example.Other", member="Tick")
    for k, conn in (("A", a), ("B", b), ("C", c)):
        t += ["%s got: " % k + fmt(k, m) for m in conn.drain(0.2)]
    # sender= with a well-known name follows its owner; eavesdrop='true' sees unicasts to others
    d = Raw(path)
    names[d.name] = "D"
    d.call_driver("AddMatch", "s", ["type='signal',sender='com.example.Srv'"])
    d.call_driver("AddMatch", "s", ["type='method_call',member='Peek',eavesdrop='true'"])
    d.drain(0.1)
    b.send(4, path="/x", interface="com.example.Any", member="FromSrv")
    a.send(4, path="/x", interface="com.example.Any", member="FromA")
    a.send(1, flags=1, path="/x", interface="com.example.Srv", member="Peek", destination="com.example.Srv")
    for k, conn in (("B", b), ("C", c), ("D", d)):
        t += ["%s got: " % k + fmt(k, m) for m in conn.drain(0.2)]
    # unknown destinations
    for flags in (0, 2):
        a.send(1, flags=flags, path="/x", interface="com.example.X", member="Y", destination="com.example.Nobody")
    a.send(1, path="/x", interface="com.example.X", member="Y", destination=":1.9999")
    a.send(1, path="/x", interface="com.example.X", member="Y")  # no destination
    t += ["A got: " + fmt("A", m) for m in a.drain(0.2)]
    # NoReply when the callee leaves before answering
    s = a.send(1, path="/x", interface="com.example.Srv", member="Slow", destination="com.example.Srv")
    b.drain(0.2)
    b.close()
    t += ["A got: " + fmt("A", m) for m in a.drain(0.3)]
    out = []
    for line in t:
        for n, k in sorted(names.items(), key=lambda x: -len(x[0])):
            line = line.replace(n + " ", "<%s> " % k).replace("'%s'" % n, "<%s>" % k)
        out.append(line)
    return out


def sc_protocol(path):
    t = []
    # a call other than Hello first: dbus-daemon answers with an error, keeps the connection
    r = Raw(path, hello=False)
    s = r.send(1, path="/", interface="org.freedesktop.DBus", member="GetId", destination="org.freedesktop.DBus")
    t += ["early GetId: " + fmt("r", m) for m in r.drain(0.2)]
    r.send(1, path="/", interface="org.freedesktop.DBus", member="Hello", destination="org.freedesktop.DBus")
    t += ["then Hello: " + fmt("r", m).replace(str(m.get("destination")), "<me>") for m in r.drain(0.2)]
    r.close()
    # a message to anyone but the bus before Hello: disconnected
    r = Raw(path, hello=False)
    r.send(1, path="/", interface="com.example.X", member="Y", destination="com.example.Z")
    t += ["early call elsewhere: " + fmt("r", m) for m in r.drain(0.3)]
    r.close()
    # calls without destination: libdbus inside the bus answers Peer itself
    r = Raw(path)
    r.drain(0.1)
    for member in ("Ping", "GetMachineId"):
        r.send(1, path="/", interface="org.freedesktop.DBus.Peer", member=member)
        t += ["no destination %s: " % member + fmt("r", m).replace(r.name, "<me>") for m in r.drain(0.2)]
    r.close()
    # the reserved Local interface and path disconnect the sender
    for kw in ({"path": "/org/freedesktop/DBus/Local", "interface": "com.example.X"},
               {"path": "/x", "interface": "org.freedesktop.DBus.Local"}):
        r = Raw(path)
        r.drain(0.1)
        r.send(4, member="Disconnected", **kw)
        t += ["Local %s: " % kw["path"] + fmt("r", m) for m in r.drain(0.3)]
        r.close()
    return t


def start_bus(argv):
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    line = p.stdout.readline().decode().strip()
    if not line.startswith("unix:path="):
        p.kill()
        raise RuntimeError("%s did not start: %r %r" % (argv[0], line, p.stderr.read()))
    return p, line, line[len("unix:path="):].split(",")[0]


def stop(p):
    p.terminate()
    try:
        p.wait(5)
    except subprocess.TimeoutExpired:
        p.kill()


CONFIG = rawbus.busconfig("session", "unix:tmpdir=/tmp")


def main():
    tmp = tempfile.mkdtemp(prefix="busmaster-test.")
    conf = os.path.join(tmp, "bus.conf")
    with open(conf, "w") as f:
        f.write(CONFIG)
    buses = {}
    for name, binary in (("dbus-daemon", DBUS_DAEMON), ("busmaster", BUSMASTER)):
        buses[name] = start_bus([binary, "--config-file=" + conf, "--address=unix:dir=" + tmp,
                                 "--print-address", "--nofork", "--nopidfile"])
    try:
        for sc in (sc_driver_basics, sc_name_queue, sc_routing, sc_protocol):
            ref = sc(buses["dbus-daemon"][2])
            got = sc(buses["busmaster"][2])
            diff = ""
            if ref != got:
                import difflib
                diff = "\n".join(difflib.unified_diff(ref, got, "dbus-daemon", "busmaster", lineterm="", n=2))
            check(ref == got, "%s: same as dbus-daemon (%d lines)" % (sc.__name__, len(ref)), diff)
            if os.environ.get("BUSMASTER_TEST_VERBOSE"):
                print("\n".join("    " + l for l in ref))
        real_clients(buses["busmaster"][1])
    finally:
        for p, _, _ in buses.values():
            stop(p)
        bm = buses["busmaster"][0]
        err = bm.stderr.read().decode()
        check(bm.returncode == 0, "busmaster exits 0 on SIGTERM", err)
        left = [f for f in os.listdir(tmp) if f.startswith("dbus-")]
        check(not left, "listening sockets removed on exit", str(left))
        shutil.rmtree(tmp, ignore_errors=True)
    return check.summary()


SERVICE = r'''
import sys, dbus, dbus.service, dbus.mainloop.glib
from gi.repository import GLib
dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
bus = dbus.bus.BusConnection(sys.argv[1])
class Obj(dbus.service.Object):
    @dbus.service.method("com.example.Test1", in_signature="s", out_signature="s")
    def Echo(self, s):
        return "echo:" + s
    @dbus.service.method("com.example.Test1", in_signature="", out_signature="")
    def Emit(self):
        self.Tick(42)
    @dbus.service.signal("com.example.Test1", signature="u")
    def Tick(self, n):
        pass
name = dbus.service.BusName("com.example.PyService", bus)
Obj(bus, "/com/example/Obj")
print("READY", flush=True)
GLib.MainLoop().run()
'''

LISTENER = r'''
import sys, dbus, dbus.mainloop.glib
from gi.repository import GLib
dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
bus = dbus.bus.BusConnection(sys.argv[1])
if sys.argv[2] == "subscribe":
    bus.add_signal_receiver(lambda n: (print("TICK", int(n), flush=True)), "Tick", "com.example.Test1")
else:
    bus.add_signal_receiver(lambda *a: print("OTHER", flush=True), "Tock", "com.example.Test1")
bus.call_blocking("org.freedesktop.DBus", "/", "org.freedesktop.DBus", "GetId", "", [])
print("READY", flush=True)
GLib.timeout_add(3000, lambda: sys.exit(0))
GLib.MainLoop().run()
'''


def real_clients(address):
    env = dict(os.environ, LC_ALL="C.UTF-8")
    py = "/usr/bin/python3"
    svc = subprocess.Popen([py, "-c", SERVICE, address], stdout=subprocess.PIPE, env=env)
    try:
        check(svc.stdout.readline().strip() == b"READY", "python3-dbus service started")
        out = subprocess.run(["busctl", "--address=" + address, "list", "--no-pager"],
                             capture_output=True, text=True, timeout=10)
        check(out.returncode == 0 and "com.example.PyService" in out.stdout and
              "org.freedesktop.DBus" in out.stdout, "busctl list shows the names", out.stdout + out.stderr)
        out = subprocess.run(["dbus-send", "--bus=" + address, "--print-reply",
                              "--dest=org.freedesktop.DBus", "/", "org.freedesktop.DBus.GetId"],
                             capture_output=True, text=True, timeout=10)
        check(out.returncode == 0 and "string \"" in out.stdout, "dbus-send GetId", out.stdout + out.stderr)
        out = subprocess.run(["busctl", "--address=" + address, "call", "com.example.PyService",
                              "/com/example/Obj", "com.example.Test1", "Echo", "s", "hello"],
                             capture_output=True, text=True, timeout=10)
        check(out.stdout.strip() == 's "echo:hello"', "busctl calls the python service", out.stdout + out.stderr)
        import dbus
        bus = dbus.bus.BusConnection(address)
        reply = bus.call_blocking("com.example.PyService", "/com/example/Obj", "com.example.Test1",
                                  "Echo", "s", ["py"])
        check(str(reply) == "echo:py", "python3-dbus client calls the python3-dbus service")
        subs = [subprocess.Popen([py, "-c", LISTENER, address, mode], stdout=subprocess.PIPE, env=env)
                for mode in ("subscribe", "other")]
        for s in subs:
            s.stdout.readline()
        bus.call_blocking("com.example.PyService", "/com/example/Obj", "com.example.Test1", "Emit", "", [])
        outs = [s.communicate(timeout=10)[0].decode() for s in subs]
        check("TICK 42" in outs[0], "the subscriber receives the signal", outs[0])
        check("TICK" not in outs[1] and "OTHER" not in outs[1], "the other client does not", outs[1])
        # the service exits while a call waits for it: NoReply at once
        slow = subprocess.Popen([py, "-c", SERVICE.replace('return "echo:" + s', 'import os; os._exit(0)'),
                                 address], stdout=subprocess.PIPE, env=env)
        slow.stdout.readline()
        t0 = time.time()
        try:
            bus.call_blocking("com.example.PyService", "/com/example/Obj", "com.example.Test1", "Echo", "s",
                              ["x"], timeout=20)
            err = "no error"
        except dbus.DBusException as e:
            err = e.get_dbus_name()
        # the first service still owns the name; point at the second one's unique name instead
        check(err == "no error" or err.endswith("NoReply"), "call answered (first owner)", err)
        owners = bus.call_blocking("org.freedesktop.DBus", "/", "org.freedesktop.DBus", "ListQueuedOwners",
                                   "s", ["com.example.PyService"])
        t0 = time.time()
        try:
            bus.call_blocking(str(owners[-1]), "/com/example/Obj", "com.example.Test1", "Echo", "s", ["x"],
                              timeout=20)
            err = "no error"
        except dbus.DBusException as e:
            err = e.get_dbus_name()
        check(err == "org.freedesktop.DBus.Error.NoReply" and time.time() - t0 < 5,
              "a callee that exits gives NoReply at once", "%s after %.1fs" % (err, time.time() - t0))
        slow.wait(5)
    finally:
        svc.kill()
        svc.wait()


if __name__ == "__main__":
    sys.exit(main())
