#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# bus-activation-service.py: a small D-Bus service on the system bus (python3-dbus), for
# test-bus-activation.sh. Usage: bus-activation-service.py NAME [DELAY [RELEASE]]
# Connects, waits DELAY seconds (or, when DELAY is a path, until that file exists), takes NAME
# and serves org.example.Test.Echo(s) → s
# ("echo: " + the argument) on /org/example/Test; with RELEASE, gives the name up again
# RELEASE seconds after taking it (or once the file RELEASE exists) and keeps running without
# it.
import os
import sys
import time

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib


class Test(dbus.service.Object):
    @dbus.service.method("org.example.Test", in_signature="s", out_signature="s")
    def Echo(self, text):
        return "echo: " + text


def main():
    name = sys.argv[1]
    delay = sys.argv[2] if len(sys.argv) > 2 else "0"
    release = sys.argv[3] if len(sys.argv) > 3 else None
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.SystemBus()
    if delay.startswith("/"):
        while not os.path.exists(delay):
            time.sleep(0.05)
    else:
        time.sleep(float(delay))
    Test(bus, "/org/example/Test")
    bus_name = dbus.service.BusName(name, bus, do_not_queue=True)
    if release is not None:
        def drop():
            if release.startswith("/") and not os.path.exists(release):
                return True
            bus.release_name(bus_name.get_name())
            return False
        GLib.timeout_add(50 if release.startswith("/") else int(float(release) * 1000), drop)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
