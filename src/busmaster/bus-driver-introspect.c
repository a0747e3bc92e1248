/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bus-driver-introspect.c: the driver's introspection data, byte for byte what
 * `dbus-daemon --introspect` (1.14.10) prints, interface by interface, and which interfaces
 * exist on every object path.
 */

#include <stdlib.h>
#include <string.h>

#include "bus-driver.h"
#include "macro.h"
#include "string-util.h"

#define DOCTYPE \
        "<!DOCTYPE node PUBLIC \"-//freedesktop//DTD D-BUS Object Introspection 1.0//EN\"\n" \
        "\"http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd\">\n"

static const char xml_dbus[] =
        "  <interface name=\"org.freedesktop.DBus\">\n"
        "    <method name=\"Hello\">\n"
        "      <arg direction=\"out\" type=\"s\"/>\n"
        "    </method>\n"
        "    <method name=\"RequestName\">\n"
        "      <arg direction=\"in\" type=\"s\"/>\n"
        "      <arg direction=\"in\" type=\"u\"/>\n"
        "      <arg direction=\"out\" type=\"u\"/>\n"
        "    </method>\n"
        "    <method name=\"ReleaseName\">\n"
        "      <arg direction=\"in\" type=\"s\"/>\n"
        "      <arg direction=\"out\" type=\"u\"/>\n"
        "    </method>\n"
        "    <method name=\"StartServiceByName\">\n"
        "      <arg direction=\"in\" type=\"s\"/>\n"
        "      <arg direction=\"in\" type=\"u\"/>\n"
        "      <arg direction=\"out\" type=\"u\"/>\n"
        "    </method>\n"
        "    <method name=\"UpdateActivationEnvironment\">\n"
        "      <arg direction=\"in\" type=\"a{ss}\"/>\n"
        "    </method>\n"
        "    <method name=\"NameHasOwner\">\n"
        "      <arg direction=\"in\" type=\"s\"/>\n"
        "      <arg direction=\"out\" type=\"b\"/>\n"
        "    </method>\n"
        "    <method name=\"ListNames\">\n"
        "      <arg direction=\"out\" type=\"as\"/>\n"
        "    </method>\n"
        "    <method name=\"ListActivatableNames\">\n"
        "      <arg direction=\"out\" type=\"as\"/>\n"
        "    </method>\n"
        "    <method name=\"AddMatch\">\n"
        "      <arg direction=\"in\" type=\"s\"/>\n"
        "    </method>\n"
        "    <method name=\"RemoveMatch\">\n"
        "      <arg direction=\"in\" type=\"s\"/>\n"
        "    </method>\n"
        "    <method name=\"GetNameOwner\">\n"
        "      <arg direction=\"in\" type=\"s\"/>\n"
        "      <arg direction=\"out\" type=\"s\"/>\n"
        "    </method>\n"
        "    <method name=\"ListQueuedOwners\">\n"
        "      <arg direction=\"in\" type=\"s\"/>\n"
        "      <arg direction=\"out\" type=\"as\"/>\n"
        "    </method>\n"
        "    <method name=\"GetConnectionUnixUser\">\n"
        "      <arg direction=\"in\" type=\"s\"/>\n"
        "      <arg direction=\"out\" type=\"u\"/>\n"
        "    </method>\n"
        "    <method name=\"GetConnectionUnixProcessID\">\n"
        "      <arg direction=\"in\" type=\"s\"/>\n"
        "      <arg direction=\"out\" type=\"u\"/>\n"
        "    </method>\n"
        "    <method name=\"GetAdtAuditSessionData\">\n"
        "      <arg direction=\"in\" type=\"s\"/>\n"
        "      <arg direction=\"out\" type=\"ay\"/>\n"
        "    </method>\n"
        "    <method name=\"GetConnectionSELinuxSecurityContext\">\n"
        "      <arg direction=\"in\" type=\"s\"/>\n"
        "      <arg direction=\"out\" type=\"ay\"/>\n"
        "    </method>\n"
        "    <method name=\"ReloadConfig\">\n"
        "    </method>\n"
        "    <method name=\"GetId\">\n"
        "      <arg direction=\"out\" type=\"s\"/>\n"
        "    </method>\n"
        "    <method name=\"GetConnectionCredentials\">\n"
        "      <arg direction=\"in\" type=\"s\"/>\n"
        "      <arg direction=\"out\" type=\"a{sv}\"/>\n"
        "    </method>\n"
        "    <property name=\"Features\" type=\"as\" access=\"read\">\n"
        "      <annotation name=\"org.freedesktop.DBus.Property.EmitsChangedSignal\" value=\"const\"/>\n"
        "    </property>\n"
        "    <property name=\"Interfaces\" type=\"as\" access=\"read\">\n"
        "      <annotation name=\"org.freedesktop.DBus.Property.EmitsChangedSignal\" value=\"const\"/>\n"
        "    </property>\n"
        "    <signal name=\"NameOwnerChanged\">\n"
        "      <arg type=\"s\"/>\n"
        "      <arg type=\"s\"/>\n"
        "      <arg type=\"s\"/>\n"
        "    </signal>\n"
        "    <signal name=\"NameLost\">\n"
        "      <arg type=\"s\"/>\n"
        "    </signal>\n"
        "    <signal name=\"NameAcquired\">\n"
        "      <arg type=\"s\"/>\n"
        "    </signal>\n"
        "    <signal name=\"ActivatableServicesChanged\">\n"
        "    </signal>\n"
        "  </interface>\n";

static const char xml_properties[] =
        "  <interface name=\"org.freedesktop.DBus.Properties\">\n"
        "    <method name=\"Get\">\n"
        "      <arg direction=\"in\" type=\"s\"/>\n"
        "      <arg direction=\"in\" type=\"s\"/>\n"
        "      <arg direction=\"out\" type=\"v\"/>\n"
        "    </method>\n"
        "    <method name=\"GetAll\">\n"
        "      <arg direction=\"in\" type=\"s\"/>\n"
        "      <arg direction=\"out\" type=\"a{sv}\"/>\n"
        "    </method>\n"
        "    <method name=\"Set\">\n"
        "      <arg direction=\"in\" type=\"s\"/>\n"
        "      <arg direction=\"in\" type=\"s\"/>\n"
        "      <arg direction=\"in\" type=\"v\"/>\n"
        "    </method>\n"
        "    <signal name=\"PropertiesChanged\">\n"
        "      <arg type=\"s\" name=\"interface_name\"/>\n"
        "      <arg type=\"a{sv}\" name=\"changed_properties\"/>\n"
        "      <arg type=\"as\" name=\"invalidated_properties\"/>\n"
        "    </signal>\n"
        "  </interface>\n";

static const char xml_introspectable[] =
        "  <interface name=\"org.freedesktop.DBus.Introspectable\">\n"
        "    <method name=\"Introspect\">\n"
        "      <arg direction=\"out\" type=\"s\"/>\n"
        "    </method>\n"
        "  </interface>\n";

static const char xml_monitoring[] =
        "  <interface name=\"org.freedesktop.DBus.Monitoring\">\n"
        "    <method name=\"BecomeMonitor\">\n"
        "      <arg direction=\"in\" type=\"as\"/>\n"
        "      <arg direction=\"in\" type=\"u\"/>\n"
        "    </method>\n"
        "  </interface>\n";

static const char xml_stats[] =
        "  <interface name=\"org.freedesktop.DBus.Debug.Stats\">\n"
        "    <method name=\"GetStats\">\n"
        "      <arg direction=\"out\" type=\"a{sv}\"/>\n"
        "    </method>\n"
        "    <method name=\"GetConnectionStats\">\n"
        "      <arg direction=\"in\" type=\"s\"/>\n"
        "      <arg direction=\"out\" type=\"a{sv}\"/>\n"
        "    </method>\n"
        "    <method name=\"GetAllMatchRules\">\n"
        "      <arg direction=\"out\" type=\"a{sas}\"/>\n"
        "    </method>\n"
        "  </interface>\n";

static const char xml_peer[] =
        "  <interface name=\"org.freedesktop.DBus.Peer\">\n"
        "    <method name=\"GetMachineId\">\n"
        "      <arg direction=\"out\" type=\"s\"/>\n"
        "    </method>\n"
        "    <method name=\"Ping\">\n"
        "    </method>\n"
        "  </interface>\n";

static const struct {
        const char *xml;
        bool any_path;
} interfaces[] = {
        { xml_dbus, true },
        { xml_properties, false },
        { xml_introspectable, true },
        { xml_monitoring, false },
        { xml_stats, false },
        { xml_peer, true },
};

char *bus_driver_introspect(const char *path) {
        bool canonical = !path || streq(path, "/org/freedesktop/DBus");
        const char *child = NULL;
        size_t size = strlen(DOCTYPE) + STRLEN("<node>\n</node>\n") + 64;
        char *s, *p;

        if (path && streq(path, "/"))
                child = "  <node name=\"org/freedesktop/DBus\"/>\n";
        else if (path && streq(path, "/org"))
                child = "  <node name=\"freedesktop/DBus\"/>\n";
        else if (path && streq(path, "/org/freedesktop"))
                child = "  <node name=\"DBus\"/>\n";
        for (size_t i = 0; i < ELEMENTSOF(interfaces); i++)
                size += strlen(interfaces[i].xml);
        s = p = malloc(size);
        if (!s)
                return NULL;
        p = stpcpy(p, DOCTYPE "<node>\n");
        for (size_t i = 0; i < ELEMENTSOF(interfaces); i++)
                if (canonical || interfaces[i].any_path)
                        p = stpcpy(p, interfaces[i].xml);
        if (child)
                p = stpcpy(p, child);
        stpcpy(p, "</node>\n");
        return s;
}
