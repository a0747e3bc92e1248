#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Real D-Bus clients against bus-test-server (our library), peer-to-peer and through a
private dbus-daemon, then our client (bus-test-client) against a GDBus service.

Each bus part runs twice: through dbus-daemon, then through our busmaster.

Usage: bus-clients.py BUILDDIR SRCDIR
Prints one line per check and "N passed, M failed"; exits 1 on any failure.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time

import dbus
import dbus.mainloop.glib
from gi.repository import GLib

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import rawbus  # noqa: E402 (from this script's directory)

BUILD, SRC = sys.argv[1], sys.argv[2]
SERVER = os.path.join(BUILD, "bus-test-server")
CLIENT = os.path.join(BUILD, "bus-test-client")
BUSMASTER = os.path.join(BUILD, "busmaster")
GSERVICE = os.path.join(SRC, "test/integration/bus/gdbus-service.py")
PATH = "/org/sysmaster/Test"
IFACE = "org.sysmaster.Test1"
check = rawbus.Checks(sep=": ")
children = []


def run(argv, timeout=10):
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                           env=dict(os.environ, LC_ALL="C.UTF-8"))
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return -1, "", "timeout"


def start(argv, env=None, ready=b"READY"):
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=sys.stderr, env=env)
    children.append(p)
    line = p.stdout.readline()
    if ready not in line:
        raise RuntimeError("%s did not start: %r" % (argv[0], line))
    return p, line


def stop(p):
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


# ---- the clients ---------------------------------------------------------------------------

def busctl_checks(tag, address, dest):
    base = ["busctl", "--address=" + address]
    rc, out, err = run(base + ["call", dest, PATH, IFACE, "Echo", "ybnqiuxtdsog", "--",
                               "255", "true", "-32768", "65535", "-2147483648", "4294967295",
                               "-9223372036854775808", "18446744073709551615", "3.5", "héllo",
                               "/a/b", "a{sv}"])
    check(rc == 0 and out.strip() == 'ybnqiuxtdsog 255 true -32768 65535 -2147483648 4294967295 '
          '-9223372036854775808 18446744073709551615 3.5 "h\\303\\251llo" "/a/b" "a{sv}"',
          tag + " busctl: Echo of every basic type", out + err)
    rc, out, err = run(base + ["call", dest, PATH, IFACE, "EchoComplex", "a{sv}a(ii)aayav",
                               "2", "k1", "s", "v1", "k2", "ai", "2", "7", "8",
                               "2", "1", "2", "3", "4",
                               "2", "2", "1", "2", "0",
                               "2", "(ss)", "x", "y", "b", "false"])
    check(rc == 0 and out.strip() == 'a{sv}a(ii)aayav 2 "k1" s "v1" "k2" ai 2 7 8 2 1 2 3 4 '
          '2 2 1 2 0 2 (ss) "x" "y" b false', tag + " busctl: EchoComplex with containers and variants",
          out + err)
    rc, out, err = run(base + ["call", dest, PATH, IFACE, "Sum", "ai", "--", "4", "1", "2", "3", "-10"])
    check(rc == 0 and out.strip() == "x -4", tag + " busctl: Sum", out + err)
    rc, out, err = run(base + ["call", dest, PATH, IFACE, "Fail", "ss", "org.example.Error.Boom",
                               "it broke"])
    check(rc != 0 and "it broke" in err, tag + " busctl: a D-Bus error reaches the caller", err)
    rc, out, err = run(base + ["call", dest, PATH, IFACE, "FailErrno", "i", "2"])
    check(rc != 0 and "File not found" in err, tag + " busctl: an errno becomes FileNotFound", err)
    rc, out, err = run(base + ["call", dest, PATH, IFACE, "Sum", "s", "x"])
    check(rc != 0 and "Invalid arguments 's' to call org.sysmaster.Test1.Sum(), expecting 'ai'" in err,
          tag + " busctl: a wrong signature is refused before dispatch", err)
    rc, out, err = run(base + ["call", dest, "/nowhere", IFACE, "Sum", "ai", "0"])
    check(rc != 0 and "Unknown object '/nowhere'" in err, tag + " busctl: UnknownObject", err)
    rc, out, err = run(base + ["call", dest, PATH, IFACE, "NoSuch"])
    check(rc != 0 and "Unknown method NoSuch or interface org.sysmaster.Test1" in err,
          tag + " busctl: UnknownMethod", err)
    rc, out, err = run(base + ["get-property", dest, PATH, IFACE, "Tags"])
    check(rc == 0 and out.strip() == 'as 3 "alpha" "beta" "gamma"', tag + " busctl: get-property", out + err)
    rc, out, err = run(base + ["set-property", dest, PATH, IFACE, "Name", "s", "renamed-" + tag])
    rc2, out2, err2 = run(base + ["get-property", dest, PATH, IFACE, "Name"])
    check(rc == 0 and out2.strip() == 's "renamed-%s"' % tag, tag + " busctl: set-property", err + out2 + err2)
    rc, out, err = run(base + ["set-property", dest, PATH, IFACE, "Count", "u", "3"])
    check(rc != 0 and "Property 'Count' is not writable" in err, tag + " busctl: read-only property", err)
    rc, out, err = run(base + ["introspect", dest, PATH])
    check(rc == 0 and ".EchoComplex" in out and '"alpha" "beta" "gamma"' in out and
          ".Tick" in out and "emits-invalidation" in out, tag + " busctl: introspect", out + err)
    rc, out, err = run(base + ["tree", dest])
    check(rc == 0 and all("/org/sysmaster/Test/item/%d" % i in out for i in range(5)),
          tag + " busctl: tree shows the fallback objects", out + err)
    rc, out, err = run(base + ["call", dest, "/org/sysmaster/Test/item/3", "org.sysmaster.Item1", "Describe"])
    check(rc == 0 and out.strip() == 'us 3 "item 3"', tag + " busctl: a fallback object answers", out + err)
    rc, out, err = run(base + ["call", dest, "/org/sysmaster/Test/item/9", "org.sysmaster.Item1", "Describe"])
    check(rc != 0 and "Unknown object" in err, tag + " busctl: find() refuses a missing object", err)
    rc, out, err = run(base + ["call", dest, PATH, "org.freedesktop.DBus.Peer", "Ping"])
    check(rc == 0, tag + " busctl: Peer.Ping", err)
    with tempfile.NamedTemporaryFile("w") as f:
        f.write("fd content " + tag)
        f.flush()
        rc, out, err = run(base + ["call", dest, PATH, IFACE, "OpenFile", "s", f.name])
        check(rc == 0 and out.startswith("h "), tag + " busctl: receives an fd", out + err)


def gdbus_checks(tag, address, dest):
    base = ["gdbus", "call", "--address", address, "--dest", dest, "--object-path", PATH]
    rc, out, err = run(base + ["--method", IFACE + ".Echo", "--", "byte 7", "true", "int16 -5",
                               "uint16 5", "-7", "uint32 7", "int64 -9", "uint64 9", "2.25",
                               "'gdbus'", "objectpath '/x'", "signature 'as'"])
    check(rc == 0 and out.strip() == "(byte 0x07, true, int16 -5, uint16 5, -7, uint32 7, int64 -9, "
          "uint64 9, 2.25, 'gdbus', objectpath '/x', signature 'as')", tag + " gdbus: Echo", out + err)
    rc, out, err = run(base + ["--method", IFACE + ".EchoVariant", "<@a{sv} {'k': <(1, 'two')>}>"])
    check(rc == 0 and out.strip() == "(<{'k': <(1, 'two')>}>,)", tag + " gdbus: EchoVariant", out + err)
    rc, out, err = run(["gdbus", "introspect", "--address", address, "--dest", dest,
                        "--object-path", PATH, "--recurse"])
    check(rc == 0 and "EchoComplex(" in out and "node /org/sysmaster/Test/item/4" in out,
          tag + " gdbus: introspect --recurse", out + err)
    rc, out, err = run(["gdbus", "call", "--address", address, "--dest", dest, "--object-path", PATH,
                        "--method", "org.freedesktop.DBus.Properties.GetAll", IFACE])
    check(rc == 0 and "'Tags': <['alpha', 'beta', 'gamma']>" in out and "'Count': <uint32" in out,
          tag + " gdbus: GetAll", out + err)
    # gdbus has no way to pass an fd from the command line: python3-dbus does that below.


def dbus_send_checks(tag, address, dest, peer):
    base = ["dbus-send", ("--peer=" if peer else "--bus=") + address, "--print-reply",
            "--dest=" + dest, PATH]
    rc, out, err = run(base + [IFACE + ".Sum", "array:int32:5,6,7"])
    check(rc == 0 and "int64 18" in out, tag + " dbus-send: Sum", out + err)
    rc, out, err = run(base + [IFACE + ".EchoVariant", "variant:string:dbus-send"])
    check(rc == 0 and 'variant       string "dbus-send"' in out, tag + " dbus-send: EchoVariant", out + err)
    rc, out, err = run(base + ["org.freedesktop.DBus.Properties.Get", "string:" + IFACE, "string:Note"])
    check(rc == 0 and '"a note"' in out, tag + " dbus-send: Properties.Get", out + err)
    rc, out, err = run(base + ["org.freedesktop.DBus.Introspectable.Introspect"])
    check(rc == 0 and '<node name="item"/>' in out, tag + " dbus-send: Introspect shows a child node", out + err)


def python_checks(tag, conn, dest):
    obj = conn.get_object(dest, PATH, introspect=False) if dest else conn.get_object(None, PATH, introspect=False)
    t = dbus.Interface(obj, IFACE)
    r = t.Echo(dbus.Byte(1), True, dbus.Int16(-2), dbus.UInt16(3), dbus.Int32(-4), dbus.UInt32(5),
               dbus.Int64(-6), dbus.UInt64(7), 8.5, "nine", dbus.ObjectPath("/ten"), dbus.Signature("a{ss}"))
    check([type(x).__name__ for x in r] == ["Byte", "Boolean", "Int16", "UInt16", "Int32", "UInt32", "Int64",
                                              "UInt64", "Double", "String", "ObjectPath", "Signature"]
          and list(r) == [1, True, -2, 3, -4, 5, -6, 7, 8.5, "nine", "/ten", "a{ss}"],
          tag + " python3-dbus: Echo keeps every type")
    big = dbus.Dictionary({"blob": dbus.ByteArray(b"\x00\x01\xff" * 1000),
                           "nested": dbus.Dictionary({"a": dbus.Array([dbus.Struct((1, "x"))], signature="(is)")},
                                                     signature="sv")}, signature="sv")
    r = t.EchoComplex(big, dbus.Array([dbus.Struct((1, 2))], signature="(ii)"),
                      dbus.Array([dbus.ByteArray(b"ab"), dbus.ByteArray(b"")], signature="ay"),
                      dbus.Array([dbus.UInt64(1), "s", dbus.Array([], signature="s")], signature="v"))
    check(bytes(r[0]["blob"]) == b"\x00\x01\xff" * 1000 and r[0]["nested"]["a"][0] == (1, "x") and
          r[1] == [(1, 2)] and [bytes(x) for x in r[2]] == [b"ab", b""] and r[3][2] == [],
          tag + " python3-dbus: EchoComplex with nested containers and a 3 KB byte array")
    try:
        t.Fail("org.example.Error.Python", "raised")
        check(False, tag + " python3-dbus: error name")
    except dbus.DBusException as e:
        check(e.get_dbus_name() == "org.example.Error.Python" and e.get_dbus_message() == "raised",
              tag + " python3-dbus: error name and message")
    props = dbus.Interface(obj, "org.freedesktop.DBus.Properties")
    allp = props.GetAll(IFACE)
    check(set(allp.keys()) == {"Name", "Count", "Tags", "Note"}, tag + " python3-dbus: GetAll", str(allp))
    # fds both ways
    rfd, wfd = os.pipe()
    os.write(wfd, ("through a pipe " + tag).encode())
    os.close(wfd)
    s = t.ReadFd(dbus.types.UnixFd(rfd))
    os.close(rfd)
    check(s == "through a pipe " + tag, tag + " python3-dbus: sends an fd, the server reads it", s)
    with tempfile.NamedTemporaryFile("w") as f:
        f.write("served file " + tag)
        f.flush()
        fd = t.OpenFile(f.name).take()
        data = os.read(fd, 100).decode()
        os.close(fd)
        check(data == "served file " + tag, tag + " python3-dbus: receives an fd and reads it", data)
    # signals: PropertiesChanged with value and invalidation, and Tick through a match rule
    got = {"tick": None, "changed": None}
    loop = GLib.MainLoop()

    def on_tick(text, count):
        got["tick"] = (str(text), int(count))
        if got["changed"]:
            loop.quit()

    def on_changed(iface, changed, invalidated):
        got["changed"] = (str(iface), dict(changed), [str(x) for x in invalidated])
        if got["tick"]:
            loop.quit()

    m1 = conn.add_signal_receiver(on_tick, "Tick", IFACE, dest, PATH)
    m2 = conn.add_signal_receiver(on_changed, "PropertiesChanged", "org.freedesktop.DBus.Properties",
                                  dest, PATH)
    if dest:  # through the bus: make sure the AddMatch calls were processed first
        conn.get_object("org.freedesktop.DBus", "/org/freedesktop/DBus").GetId(
            dbus_interface="org.freedesktop.DBus")
    n = t.Increment()
    t.EmitTick("tock")
    GLib.timeout_add_seconds(10, loop.quit)
    loop.run()
    m1.remove()
    m2.remove()
    check(got["tick"] == ("tock", int(n)), tag + " python3-dbus: the Tick signal arrives", str(got["tick"]))
    check(got["changed"] is not None and got["changed"][0] == IFACE and got["changed"][1].get("Count") == n
          and got["changed"][2] == ["Note"],
          tag + " python3-dbus: PropertiesChanged carries Count and invalidates Note", str(got["changed"]))


# ---- main ----------------------------------------------------------------------------------

def through_bus(tag, daemon_argv):
    """The clients against bus-test-server through a bus daemon, then our client against a GDBus
    service through the same daemon."""
    daemon, line = start(daemon_argv, ready=b"unix:")
    address = line.decode().strip()
    srv, _ = start([SERVER, "--address=" + address])
    busctl_checks(tag, address, "org.sysmaster.Test")
    gdbus_checks(tag, address, "org.sysmaster.Test")
    dbus_send_checks(tag, address, "org.sysmaster.Test", False)
    python_checks(tag, dbus.bus.BusConnection(address), "org.sysmaster.Test")
    stop(srv)

    env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=address)
    gsrv, _ = start([sys.executable, GSERVICE, address], env=env)
    rc, out, err = run([CLIENT, "--address=" + address], timeout=30)
    for l in out.splitlines():
        if l.startswith("ok ") or l.startswith("FAIL "):
            check(l.startswith("ok "), tag + " client→GDBus: " + l.split(" ", 1)[1])
    check(rc == 0, tag + " client→GDBus: bus-test-client exit status", err)
    stop(gsrv)
    stop(daemon)


def main():
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    tmp = tempfile.mkdtemp(prefix="bus-clients.")
    try:
        # 1. peer-to-peer
        sock = os.path.join(tmp, "p2p")
        srv, _ = start([SERVER, "--listen=" + sock])
        address = "unix:path=" + sock
        busctl_checks("p2p", address, "org.sysmaster.Test")
        gdbus_checks("p2p", address, "org.sysmaster.Test")
        dbus_send_checks("p2p", address, "org.sysmaster.Test", True)
        python_checks("p2p", dbus.connection.Connection(address), None)
        stop(srv)

        # 2. through a private dbus-daemon
        conf = os.path.join(tmp, "bus.conf")
        with open(conf, "w") as f:
            f.write(rawbus.busconfig("session", "unix:dir=" + tmp))
        through_bus("bus", ["dbus-daemon", "--config-file=" + conf, "--nofork", "--nopidfile",
                            "--print-address=1"])
        # 3. the same through busmaster, our bus daemon, instead of dbus-daemon
        through_bus("busmaster", [BUSMASTER, "--address=unix:dir=" + tmp, "--nofork", "--nopidfile",
                                  "--print-address=1"])
    finally:
        for p in children:
            stop(p)
        subprocess.run(["rm", "-rf", tmp])
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
