/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bus-test-client: our client library against a GDBus service (gdbus-service.py, PyGObject)
 * through a real dbus-daemon. Checks method calls with several types, a D-Bus error raised by
 * the service, a property, introspection, and a signal received through a match rule.
 * Prints one line per check ("ok …" / "FAIL …") and exits 0 only if all passed.
 *
 *   bus-test-client --address=ADDRESS
 */

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "bus/bus.h"
#include "log.h"
#include "string-util.h"
#include "strv.h"

#define SERVICE "org.sysmaster.GTest"
#define PATH "/org/sysmaster/GTest"
#define INTERFACE "org.sysmaster.GTest1"

static unsigned failures;

static void check(bool ok, const char *what) {
        printf("%s %s\n", ok ? "ok" : "FAIL", what);
        if (!ok)
                failures++;
}

static char *signal_text;

static int on_changed(Bus *bus, BusMessage *m, void *userdata, BusError *error) {
        const char *s;

        if (bus_message_read(m, "s", &s) > 0) {
                free(signal_text);
                signal_text = strdup(s);
        }
        return 0;
}

static int on_timeout(EventSource *s, usec_t usec, void *userdata) {
        return event_exit(event_source_get_event(s), -ETIMEDOUT);
}

int main(int argc, char *argv[]) {
        static const struct option options[] = {
                { "address", required_argument, NULL, 'a' },
                {}
        };
        _cleanup_(bus_unrefp) Bus *bus = NULL;
        _cleanup_(event_unrefp) Event *e = NULL;
        const char *address = NULL;
        int c, r;

        log_parse_environment();
        while ((c = getopt_long(argc, argv, "", options, NULL)) >= 0)
                if (c == 'a')
                        address = optarg;
                else
                        return 2;
        if (!address)
                return 2;
        if (event_new(&e) < 0)
                return 1;
        r = bus_new_client(e, address, true, &bus);
        if (r < 0) {
                log_error_errno(r, "Cannot connect to %s: %m", address);
                return 1;
        }

        {
                _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
                _cleanup_bus_error_ BusError error = BUS_ERROR_NULL;
                int32_t sum = 0;

                r = bus_call_method(bus, SERVICE, PATH, INTERFACE, "Add", &error, &reply, "ii",
                                    40, 2);
                check(r >= 0 && bus_message_read(reply, "i", &sum) > 0 && sum == 42,
                      "Add(40, 2) = 42");
                check(bus_get_unique_name(bus) && startswith(bus_get_unique_name(bus), ":1."),
                      "Hello gave a unique name");
        }
        {
                _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
                const char *s = NULL;

                r = bus_call_method(bus, SERVICE, PATH, INTERFACE, "Concat", NULL, &reply, "as",
                                    3, "a", "bé", "c");
                check(r >= 0 && bus_message_read(reply, "s", &s) > 0 && streq(s, "a-bé-c"),
                      "Concat([a, bé, c]) = a-bé-c");
        }
        {
                _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
                const char *key, *sv = NULL;
                uint64_t tv = 0;
                int seen = 0;

                r = bus_call_method(bus, SERVICE, PATH, INTERFACE, "GetDict", NULL, &reply, NULL);
                if (r >= 0 && bus_message_enter_container(reply, 'a', "{sv}") > 0)
                        while (bus_message_enter_container(reply, '{', "sv") > 0) {
                                if (bus_message_read(reply, "s", &key) <= 0)
                                        break;
                                if (streq(key, "name") && bus_message_read(reply, "v", "s", &sv) > 0)
                                        seen |= streq(sv, "gtest");
                                else if (streq(key, "big") && bus_message_read(reply, "v", "t", &tv) > 0)
                                        seen |= (tv == UINT64_C(18446744073709551615)) << 1;
                                else
                                        (void) bus_message_skip(reply);
                                (void) bus_message_exit_container(reply);
                        }
                check(r >= 0 && seen == 3, "GetDict() = {name: <'gtest'>, big: <uint64 max>}");
        }
        {
                _cleanup_bus_error_ BusError error = BUS_ERROR_NULL;

                r = bus_call_method(bus, SERVICE, PATH, INTERFACE, "Fail", &error, NULL, NULL);
                check(r < 0 && bus_error_has_name(&error, "org.sysmaster.GTest.Error.Nope") &&
                              error.message && strstr(error.message, "nope"),
                      "Fail() raises org.sysmaster.GTest.Error.Nope");
        }
        {
                _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
                const char *s = NULL;

                r = bus_call_method(bus, SERVICE, PATH, "org.freedesktop.DBus.Properties", "Get",
                                    NULL, &reply, "ss", INTERFACE, "Version");
                check(r >= 0 && bus_message_read(reply, "v", "s", &s) > 0 && streq(s, "1.0"),
                      "Get(Version) = '1.0'");
        }
        {
                _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
                const char *xml = NULL;

                r = bus_call_method(bus, SERVICE, PATH, "org.freedesktop.DBus.Introspectable",
                                    "Introspect", NULL, &reply, NULL);
                check(r >= 0 && bus_message_read(reply, "s", &xml) > 0 &&
                              strstr(xml, "<method name=\"Concat\">"),
                      "Introspect() lists Concat");
        }
        {
                _cleanup_(bus_slot_unrefp) BusSlot *slot = NULL;
                _cleanup_(event_source_unrefp) EventSource *timer = NULL;

                r = bus_add_match(bus, &slot,
                                  "type='signal',sender='" SERVICE "',interface='" INTERFACE
                                  "',member='Changed'",
                                  on_changed, NULL);
                check(r >= 0, "AddMatch for Changed");
                /* the AddMatch call is answered before the signal is triggered */
                r = bus_call_method(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                    "org.freedesktop.DBus.Peer", "Ping", NULL, NULL, NULL);
                r = bus_call_method(bus, SERVICE, PATH, INTERFACE, "Trigger", NULL, NULL, "s",
                                    "hello signal");
                check(r >= 0, "Trigger()");
                (void) event_add_time_relative(e, &timer, CLOCK_MONOTONIC, 10 * USEC_PER_SEC, 0,
                                               on_timeout, NULL);
                while (!signal_text && bus_is_open(bus))
                        if (event_run(e, USEC_INFINITY) < 0 || event_get_exit_code(e, &r) >= 0)
                                break;
                check(signal_text && streq(signal_text, "hello signal"),
                      "Changed('hello signal') received through the match");
        }
        free(signal_text);
        printf("%u failed\n", failures);
        return failures > 0;
}
