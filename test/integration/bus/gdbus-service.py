#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A GDBus service (PyGObject, nothing of ours) that bus-test-client calls through a real
dbus-daemon. Usage: gdbus-service.py ADDRESS. Prints READY once it owns org.sysmaster.GTest."""

import sys

from gi.repository import Gio, GLib

XML = """
<node>
  <interface name="org.sysmaster.GTest1">
    <method name="Add"><arg type="i" direction="in"/><arg type="i" direction="in"/>
      <arg type="i" direction="out"/></method>
    <method name="Concat"><arg type="as" direction="in"/><arg type="s" direction="out"/></method>
    <method name="GetDict"><arg type="a{sv}" direction="out"/></method>
    <method name="Fail"/>
    <method name="Trigger"><arg type="s" direction="in"/></method>
    <signal name="Changed"><arg type="s"/></signal>
    <property name="Version" type="s" access="read"/>
  </interface>
</node>
"""
PATH = "/org/sysmaster/GTest"
IFACE = "org.sysmaster.GTest1"


def on_call(conn, sender, path, iface, method, params, invocation):
    if method == "Add":
        a, b = params.unpack()
        invocation.return_value(GLib.Variant("(i)", (a + b,)))
    elif method == "Concat":
        invocation.return_value(GLib.Variant("(s)", ("-".join(params.unpack()[0]),)))
    elif method == "GetDict":
        invocation.return_value(GLib.Variant("(a{sv})", ({
            "name": GLib.Variant("s", "gtest"),
            "big": GLib.Variant("t", 2**64 - 1),
            "list": GLib.Variant("ai", [1, 2, 3]),
        },)))
    elif method == "Fail":
        invocation.return_dbus_error("org.sysmaster.GTest.Error.Nope", "nope, not today")
    elif method == "Trigger":
        invocation.return_value(None)
        conn.emit_signal(None, PATH, IFACE, "Changed", GLib.Variant("(s)", params.unpack()))


def on_get(conn, sender, path, iface, prop):
    return GLib.Variant("s", "1.0")


def main():
    address = sys.argv[1]
    conn = Gio.DBusConnection.new_for_address_sync(
        address, Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
        Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
    info = Gio.DBusNodeInfo.new_for_xml(XML).interfaces[0]
    conn.register_object(PATH, info, on_call, on_get, None)
    loop = GLib.MainLoop()

    def acquired(*args):
        print("READY", flush=True)

    Gio.bus_own_name_on_connection(conn, "org.sysmaster.GTest", Gio.BusNameOwnerFlags.NONE,
                                   acquired, lambda *a: loop.quit())
    loop.run()


if __name__ == "__main__":
    main()
