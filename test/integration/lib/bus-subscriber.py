#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# bus-subscriber.py: a client of the service manager on the system bus that subscribes to its
# signals, as logind does, for test-bus-activation.sh. Usage: bus-subscriber.py OUT
# Calls org.freedesktop.systemd1.Manager.Subscribe(), writes "subscribed" to OUT, then one line
# "JobRemoved UNIT RESULT" per JobRemoved signal it receives, until killed.
import sys

import dbus
import dbus.mainloop.glib
from gi.repository import GLib


def main():
    out = open(sys.argv[1], "a", buffering=1)
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.SystemBus()

    def job_removed(job_id, job_path, unit, result):
        out.write("JobRemoved %s %s\n" % (unit, result))

    bus.add_signal_receiver(job_removed, signal_name="JobRemoved",
                            dbus_interface="org.freedesktop.systemd1.Manager",
                            path="/org/freedesktop/systemd1")
    manager = bus.get_object("org.freedesktop.systemd1", "/org/freedesktop/systemd1")
    manager.Subscribe(dbus_interface="org.freedesktop.systemd1.Manager")
    out.write("subscribed\n")
    GLib.MainLoop().run()


main()
