/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-uevent.c: feeds arbitrary bytes to devmaster's parsers of untrusted device data: as a
 * netlink datagram (kernel uevent or libudev message, whichever it looks like), as a kernel
 * uevent and as a libudev message explicitly, and as a udev database record. Invariants
 * checked (abort() when one breaks):
 *   - a parsed device has the fields a uevent must carry and builds a libudev message that
 *     parses back to a device with the same devpath, subsystem, action and seqnum;
 *   - the database record text of any device re-parses without a single invalid line.
 * Parsed devices are sealed, so nothing is read from sysfs; the sysfs root and the run
 * directory point at nonexistent paths anyway, and nothing is ever written.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device-db.h"
#include "device.h"
#include "fuzz.h"
#include "libudev-message.h"
#include "log.h"
#include "string-util.h"
#include "uevent-parse.h"

static void check(bool ok, const char *what) {
        if (!ok) {
                fprintf(stderr, "fuzz-uevent: broken invariant: %s\n", what);
                abort();
        }
}

static void discard_log(int level, const char *message, void *userdata) {
        (void) level;
        (void) message;
        (void) userdata;
}

/* Formats d's database record and parses it into a fresh device: no line may be refused. */
static void check_db_round_trip(Device *d) {
        static char *const strv[] = { (char *) "ACTION=add",
                                      (char *) "DEVPATH=/devices/fuzz",
                                      (char *) "SUBSYSTEM=fuzz",
                                      (char *) "SEQNUM=1",
                                      (char *) "MAJOR=1",
                                      (char *) "MINOR=1",
                                      NULL };
        Device *e = NULL;
        char *text = NULL;
        int r;

        r = device_db_format(d, &text);
        if (r == -ENOMEM)
                return;
        check(r == 0, "formatting a record failed");
        if (device_new_from_strv(&e, strv) >= 0) {
                r = device_db_parse(e, "round-trip", text, strlen(text));
                check(r == 0 || r == -ENOMEM, "a formatted record does not parse cleanly");
        }
        device_unref(e);
        free(text);
}

static void check_device(Device *d) {
        Device *again = NULL;
        const char *a, *b;
        uint64_t s1, s2;
        DeviceAction x, y;
        size_t len;
        void *msg;
        int r;

        check(device_get_devpath(d, &a) >= 0 && a[0] == '/', "no devpath");
        check(device_get_subsystem(d, NULL) >= 0, "no subsystem");
        check(device_get_action(d, &x) >= 0 && device_get_seqnum(d, &s1) >= 0, "no action/seqnum");
        r = libudev_message_build_buffer(d, &msg, &len);
        if (r == -ENOMEM)
                return;
        check(r == 0, "a parsed device builds no libudev message");
        r = libudev_message_parse(msg, len, &again);
        check(r == 0 || r == -ENOMEM, "our own libudev message does not parse");
        if (again) {
                check(device_get_devpath(again, &b) >= 0 && streq(a, b), "devpath changed");
                check(device_get_subsystem(d, &a) >= 0 && device_get_subsystem(again, &b) >= 0 &&
                              streq(a, b),
                      "subsystem changed");
                check(device_get_action(again, &y) >= 0 && x == y, "action changed");
                check(device_get_seqnum(again, &s2) >= 0 && s1 == s2, "seqnum changed");
        }
        check_db_round_trip(d);
        device_unref(again);
        free(msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static bool initialized;
        Device *d = NULL;

        if (!initialized) {
                (void) device_set_sysfs_root("/nonexistent-fuzz-sysfs");
                (void) device_db_set_run_dir("/nonexistent-fuzz-run");
                initialized = true;
        }
        /* Format every message (debug level included) without printing it. */
        log_set_max_level(LOG_DEBUG);
        log_set_sink(discard_log, NULL);

        if (uevent_parse_datagram(data, size, &d, NULL) >= 0)
                check_device(d);
        d = device_unref(d);
        if (uevent_parse_kernel(data, size, &d) >= 0)
                check_device(d);
        d = device_unref(d);
        if (libudev_message_parse(data, size, &d) >= 0)
                check_device(d);
        d = device_unref(d);

        /* the same bytes as a database record, merged into an event device */
        {
                static char *const strv[] = { (char *) "ACTION=change",
                                              (char *) "DEVPATH=/devices/virtual/block/x",
                                              (char *) "SUBSYSTEM=block",
                                              (char *) "SEQNUM=2",
                                              (char *) "MAJOR=8",
                                              (char *) "MINOR=0",
                                              NULL };

                if (device_new_from_strv(&d, strv) >= 0) {
                        int r = device_db_parse(d, "fuzz", (const char *) data, size);

                        check(r >= 0 || r == -ENOMEM, "record parser failed");
                        check_db_round_trip(d);
                }
                d = device_unref(d);
        }

        log_set_sink(NULL, NULL);
        return 0;
}
