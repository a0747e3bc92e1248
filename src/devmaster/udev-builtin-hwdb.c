/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev-builtin-hwdb.c: the hwdb builtin.
 *
 *   hwdb [--filter=GLOB] [--device=ID] [--subsystem=S] [--lookup-prefix=P] [MODALIAS]
 *
 * With MODALIAS, looks up P+MODALIAS. Otherwise walks up from the device (or the device with
 * database id ID) and looks up the MODALIAS property of each device (of subsystem S only, if
 * given); a usb_device without one gets "usb:vVVVVpPPPP:PRODUCT" and ends the walk (its
 * parents are hubs). The first lookup that yields anything ends the walk. Properties whose
 * key does not match GLOB are skipped. -ENODATA when nothing was found, -EINVAL without a
 * hwdb.bin. The database is opened in init() and reopened by the daemon when it changes; its pages
 * are read from the open file as lookups need them (hwdb.c), so workers keep its descriptor.
 */

#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <stdio.h>

#include "hwdb.h"
#include "log.h"
#include "parse-util.h"
#include "string-util.h"
#include "udev-builtin.h"

static Hwdb *hwdb = NULL;

static int builtin_hwdb_init(void);

int udev_builtin_hwdb_lookup(Device *dev, const char *prefix, const char *modalias, const char *filter,
                             bool test) {
        _cleanup_free_ char *lookup = NULL;
        const char *key, *value;
        int n = 0, r;

        if (!hwdb)
                (void) builtin_hwdb_init(); /* net_id may ask before hwdb itself ran */
        if (!hwdb)
                return -ENOENT;
        if (prefix) {
                lookup = strjoin(prefix, modalias);
                if (!lookup)
                        return -ENOMEM;
                modalias = lookup;
        }
        r = hwdb_query(hwdb, modalias);
        if (r < 0)
                return r;
        while (hwdb_next(hwdb, &key, &value)) {
                if (filter && fnmatch(filter, key, FNM_NOESCAPE) != 0)
                        continue;
                r = udev_builtin_add_property(dev, test, key, value);
                if (r < 0)
                        return r;
                n++;
        }
        return n;
}

static const char *usb_modalias(Device *dev, char *s, size_t size) {
        const char *v, *p, *product = NULL;
        uint16_t vn, pn;

        if (device_get_sysattr_value(dev, "idVendor", &v) < 0 || device_get_sysattr_value(dev, "idProduct", &p) < 0)
                return NULL;
        if (safe_atou16_full(v, 16, &vn) < 0 || safe_atou16_full(p, 16, &pn) < 0)
                return NULL;
        (void) device_get_sysattr_value(dev, "product", &product);
        snprintf(s, size, "usb:v%04Xp%04X:%s", vn, pn, product ?: "");
        return s;
}

static int hwdb_search(Device *dev, Device *srcdev, const char *subsystem, const char *prefix, const char *filter,
                       bool test) {
        char buf[2048];
        int r = 0;

        for (Device *d = srcdev ?: dev; d;) {
                const char *dsubsys, *devtype, *modalias = NULL;
                bool last = false;

                if (device_get_subsystem(d, &dsubsys) >= 0 && (!subsystem || streq(dsubsys, subsystem))) {
                        (void) device_get_property_value(d, "MODALIAS", &modalias);
                        if (streq(dsubsys, "usb") && device_get_devtype(d, &devtype) >= 0 &&
                            streq(devtype, "usb_device")) {
                                if (!modalias)
                                        modalias = usb_modalias(d, buf, sizeof(buf));
                                last = true; /* its parents are usually just hubs */
                        }
                        if (modalias) {
                                log_device_debug(dev, "hwdb modalias key: \"%s\"", modalias);
                                r = udev_builtin_hwdb_lookup(dev, prefix, modalias, filter, test);
                                if (r > 0 || last)
                                        break;
                        }
                }
                if (device_get_parent(d, &d) < 0)
                        break;
        }
        return r;
}

static int builtin_hwdb(Device *dev, int argc, char *argv[], bool test) {
        static const struct option options[] = {
                { "filter", required_argument, NULL, 'f' },
                { "device", required_argument, NULL, 'd' },
                { "subsystem", required_argument, NULL, 's' },
                { "lookup-prefix", required_argument, NULL, 'p' },
                {}
        };
        const char *filter = NULL, *device = NULL, *subsystem = NULL, *prefix = NULL;
        _cleanup_device_unref_ Device *srcdev = NULL;
        int c, r;

        if (!hwdb)
                return -EINVAL;
        while ((c = getopt_long(argc, argv, "f:d:s:p:", options, NULL)) >= 0)
                switch (c) {
                case 'f':
                        filter = optarg;
                        break;
                case 'd':
                        device = optarg;
                        break;
                case 's':
                        subsystem = optarg;
                        break;
                case 'p':
                        prefix = optarg;
                        break;
                default:
                        break;
                }
        if (argv[optind]) {
                r = udev_builtin_hwdb_lookup(dev, prefix, argv[optind], filter, test);
                if (r < 0)
                        return log_device_debug_errno(dev, r, "Failed to look up hwdb: %m");
                if (r == 0)
                        return log_device_debug_errno(dev, ENODATA, "No entry found from hwdb.");
                return r;
        }
        if (device) {
                r = device_new_from_device_id(&srcdev, device);
                if (r < 0)
                        return log_device_debug_errno(dev, r, "Failed to create sd_device object '%s': %m", device);
        }
        r = hwdb_search(dev, srcdev, subsystem, prefix, filter, test);
        if (r < 0)
                return log_device_debug_errno(dev, r, "Failed to look up hwdb: %m");
        if (r == 0)
                return log_device_debug_errno(dev, ENODATA, "No entry found from hwdb.");
        return r;
}

int udev_builtin_hwdb_fd(void) {
        return hwdb ? hwdb_fd(hwdb) : -EBADF;
}

static int builtin_hwdb_init(void) {
        if (hwdb)
                return 0;
        return hwdb_open(NULL, &hwdb);
}

static void builtin_hwdb_exit(void) {
        hwdb = hwdb_free(hwdb);
}

static bool builtin_hwdb_should_reload(void) {
        if (!hwdb_changed(hwdb))
                return false;
        log_debug("hwdb needs reloading.");
        return true;
}

const UdevBuiltin udev_builtin_hwdb = {
        .name = "hwdb",
        .cmd = builtin_hwdb,
        .init = builtin_hwdb_init,
        .exit = builtin_hwdb_exit,
        .should_reload = builtin_hwdb_should_reload,
        .help = "Hardware database",
};
