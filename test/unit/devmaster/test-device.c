/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-device.c: the Device model against a synthetic sysfs tree, against the real /sys
 * (read-only), and against the real udevadm 252 (`udevadm info --query=all`, which needs no
 * daemon) for several real devices.
 */

#include <dirent.h>
#include <glob.h>
#include <sys/sysmacros.h>

#include "device-db.h"
#include "device.h"
#include "devmaster-test-util.h"
#include "test-helpers.h"

static char *root;

static void setup(void) {
        root = tu_sysfs_new();
        ck_assert_int_eq(device_set_sysfs_root(root), 0);
        /* no database in the synthetic world unless a test writes one */
        ck_assert_int_eq(device_db_set_run_dir("/nonexistent-devmaster-run"), 0);
}

static void teardown(void) {
        ck_assert_int_eq(device_set_sysfs_root(NULL), 0);
        ck_assert_int_eq(device_db_set_run_dir(NULL), 0);
        tu_rm_rf(root);
        root = mfree(root);
}

static Device *new_at(const char *rel) {
        char p[1024];
        Device *d = NULL;

        snprintf(p, sizeof p, "%s/%s", root, rel);
        ck_assert_msg(device_new_from_syspath(&d, p) >= 0, "cannot open %s", p);
        return d;
}

static const char *prop(Device *d, const char *key) {
        const char *v = NULL;

        return device_get_property_value(d, key, &v) >= 0 ? v : NULL;
}

/* All properties as "K=V\n" lines, in order. */
static char *props(Device *d) {
        char *s = strdup("");
        const char *k, *v;

        DEVICE_FOREACH_PROPERTY(d, k, v)
        ck_assert(strextend(&s, k, "=", v, "\n") >= 0);
        return s;
}

START_TEST(test_syspath_resolves_symlinks) {
        _cleanup_device_unref_ Device *d = new_at("class/mem/null");
        const char *s;
        char expect[1024];

        ck_assert_int_eq(device_get_devpath(d, &s), 0);
        ck_assert_str_eq(s, "/devices/virtual/mem/null");
        ck_assert_int_eq(device_get_syspath(d, &s), 0);
        snprintf(expect, sizeof expect, "%s/devices/virtual/mem/null", root);
        ck_assert_str_eq(s, expect);
        ck_assert_str_eq(prop(d, "DEVPATH"), "/devices/virtual/mem/null");
}
END_TEST

START_TEST(test_syspath_refusals) {
        Device *d = NULL;
        char p[1024];

        /* not below the root at all */
        ck_assert_int_eq(device_new_from_syspath(&d, "/etc"), -EINVAL);
        /* below the root, but a symlink leading out of it */
        snprintf(p, sizeof p, "%s/class/mem/escape", root);
        ck_assert_int_eq(device_new_from_syspath(&d, p), -ENODEV);
        /* missing */
        snprintf(p, sizeof p, "%s/devices/virtual/mem/none", root);
        ck_assert_int_eq(device_new_from_syspath(&d, p), -ENODEV);
        /* below devices/ a device needs a uevent file */
        snprintf(p, sizeof p, "%s/devices/virtual/nouevent", root);
        ck_assert_int_eq(device_new_from_syspath(&d, p), -ENODEV);
        /* a file is no device */
        snprintf(p, sizeof p, "%s/devices/virtual/mem/null/dev", root);
        ck_assert_int_eq(device_new_from_syspath(&d, p), -ENODEV);
        /* the root itself is no device */
        ck_assert_int_eq(device_new_from_syspath(&d, root), -EINVAL);
        ck_assert_ptr_null(d);
        /* outside devices/ any directory will do */
        snprintf(p, sizeof p, "%s/module/foo", root);
        ck_assert_int_eq(device_new_from_syspath(&d, p), 0);
        d = device_unref(d);
        /* sysfs root must be absolute and not "/" */
        ck_assert_int_eq(device_set_sysfs_root("relative"), -EINVAL);
        ck_assert_int_eq(device_set_sysfs_root("/"), -EINVAL);
}
END_TEST

START_TEST(test_uevent_properties) {
        _cleanup_device_unref_ Device *d = new_at("class/mem/null");
        _cleanup_free_ char *all = NULL;
        const char *s;
        dev_t devnum;
        mode_t mode;

        /* asked in udevadm's order: the subsystem first */
        ck_assert_int_eq(device_get_subsystem(d, &s), 0);
        ck_assert_str_eq(s, "mem");
        ck_assert_int_eq(device_get_devnum(d, &devnum), 0);
        ck_assert_uint_eq(major(devnum), 1);
        ck_assert_uint_eq(minor(devnum), 3);
        ck_assert_int_eq(device_get_devname(d, &s), 0);
        ck_assert_str_eq(s, "/dev/null");
        ck_assert_int_eq(device_get_devnode_mode(d, &mode), 0);
        ck_assert_uint_eq(mode, 0666);
        ck_assert_int_eq(device_get_devtype(d, &s), -ENOENT);
        ck_assert_int_eq(device_get_subsystem(d, &s), 0);
        ck_assert_str_eq(s, "mem");
        /* the order udevadm shows: DEVPATH, SUBSYSTEM (asked first), uevent keys, MAJOR/MINOR last
         */
        all = props(d);
        ck_assert_str_eq(all,
                         "DEVPATH=/devices/virtual/mem/null\nSUBSYSTEM=mem\nDEVNAME=/dev/null\n"
                         "DEVMODE=0666\nMAJOR=1\nMINOR=3\n");
}
END_TEST

START_TEST(test_uevent_other_keys_and_driver) {
        _cleanup_device_unref_ Device *d = new_at("bus/pci/devices/0000:00:01.0");
        const char *s;

        ck_assert_str_eq(prop(d, "PCI_ID"), "8086:5845");
        ck_assert_str_eq(prop(d, "MODALIAS"), "pci:v00008086d00005845");
        ck_assert_int_eq(device_get_driver(d, &s), 0);
        ck_assert_str_eq(s, "foo");
        ck_assert_str_eq(prop(d, "DRIVER"), "foo");
        ck_assert_int_eq(device_get_subsystem(d, &s), 0);
        ck_assert_str_eq(s, "pci");
        ck_assert_int_eq(device_get_devnum(d, NULL), -ENOENT);
        ck_assert_int_eq(device_get_devname(d, NULL), -ENOENT);
}
END_TEST

START_TEST(test_sysname_sysnum) {
        static const struct {
                const char *path, *sysname, *sysnum;
        } cases[] = {
                { "class/block/sda", "sda", NULL },
                { "class/block/sda1", "sda1", "1" },
                { "class/block/cciss!c0d0", "cciss/c0d0", "0" },
                { "bus/pci/devices/0000:00:01.0", "0000:00:01.0", "0" },
                { "class/net/eth9", "eth9", "9" },
                { "class/mem/null", "null", NULL },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_device_unref_ Device *d = new_at(cases[i].path);
                const char *s = NULL;

                ck_assert_int_eq(device_get_sysname(d, &s), 0);
                ck_assert_str_eq(s, cases[i].sysname);
                if (cases[i].sysnum) {
                        ck_assert_int_eq(device_get_sysnum(d, &s), 0);
                        ck_assert_str_eq(s, cases[i].sysnum);
                } else
                        ck_assert_int_eq(device_get_sysnum(d, &s), -ENOENT);
        }
}
END_TEST

START_TEST(test_uevent_devnode_owner) {
        _cleanup_device_unref_ Device *d = NULL;
        uid_t u;
        gid_t g;

        tu_write(root, "devices/virtual/misc/owned/uevent",
                 "MAJOR=10\nMINOR=99\nDEVNAME=owned\nDEVUID=12\nDEVGID=34\n", 0644);
        tu_symlink(root, "devices/virtual/misc/owned/subsystem", "../../../../class/misc");
        d = new_at("devices/virtual/misc/owned");
        ck_assert_int_eq(device_get_devnode_uid(d, &u), 0);
        ck_assert_uint_eq(u, 12);
        ck_assert_int_eq(device_get_devnode_gid(d, &g), 0);
        ck_assert_uint_eq(g, 34);
        ck_assert_int_eq(device_get_devnode_mode(d, NULL), -ENOENT);
        ck_assert_str_eq(prop(d, "DEVUID"), "12");
}
END_TEST

START_TEST(test_sysnum_all_digits) {
        _cleanup_device_unref_ Device *d = NULL;
        const char *s;

        tu_write(root, "devices/virtual/misc/1234/uevent", "", 0644);
        d = new_at("devices/virtual/misc/1234");
        ck_assert_int_eq(device_get_sysname(d, &s), 0);
        ck_assert_str_eq(s, "1234");
        ck_assert_int_eq(device_get_sysnum(d, &s), -ENOENT);
}
END_TEST

START_TEST(test_new_from_devnum) {
        _cleanup_device_unref_ Device *d = NULL, *b = NULL, *x = NULL;
        const char *s;

        ck_assert_int_eq(device_new_from_devnum(&d, 'c', makedev(1, 3)), 0);
        ck_assert_int_eq(device_get_devpath(d, &s), 0);
        ck_assert_str_eq(s, "/devices/virtual/mem/null");
        ck_assert_int_eq(device_new_from_devnum(&b, 'b', makedev(8, 1)), 0);
        ck_assert_int_eq(device_get_sysname(b, &s), 0);
        ck_assert_str_eq(s, "sda1");
        ck_assert_int_eq(device_new_from_devnum(&x, 'b', makedev(1, 3)), -ENODEV);
        ck_assert_int_eq(device_new_from_devnum(&x, 'c', makedev(0, 3)), -ENODEV);
        ck_assert_int_eq(device_new_from_devnum(&x, 'x', makedev(1, 3)), -EINVAL);
        /* a dev/char link to a block device is refused */
        tu_symlink(root, "dev/char/8:0", "../../devices/pci0000:00/0000:00:01.0/block/sda");
        ck_assert_int_eq(device_new_from_devnum(&x, 'c', makedev(8, 0)), -ENXIO);
        ck_assert_ptr_null(x);
}
END_TEST

START_TEST(test_new_from_subsystem_sysname) {
        static const struct {
                const char *subsystem, *sysname, *devpath;
        } cases[] = {
                { "mem", "null", "/devices/virtual/mem/null" },
                { "block", "sda1", "/devices/pci0000:00/0000:00:01.0/block/sda/sda1" },
                { "block", "cciss/c0d0", "/devices/virtual/block/cciss!c0d0" },
                { "pci", "0000:00:01.0", "/devices/pci0000:00/0000:00:01.0" },
                { "drivers", "pci:foo", "/bus/pci/drivers/foo" },
                { "module", "foo", "/module/foo" },
                { "subsystem", "pci", "/bus/pci" },
                { "acpi", "tables", "/firmware/acpi/tables" },
        };
        Device *x = NULL;

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_device_unref_ Device *d = NULL;
                const char *s;

                ck_assert_msg(device_new_from_subsystem_sysname(&d, cases[i].subsystem,
                                                                cases[i].sysname) >= 0,
                              "%s/%s", cases[i].subsystem, cases[i].sysname);
                ck_assert_int_eq(device_get_devpath(d, &s), 0);
                ck_assert_str_eq(s, cases[i].devpath);
        }
        ck_assert_int_eq(device_new_from_subsystem_sysname(&x, "mem", "nothere"), -ENODEV);
        ck_assert_int_eq(device_new_from_subsystem_sysname(&x, "../mem", "null"), -EINVAL);
        ck_assert_int_eq(device_new_from_subsystem_sysname(&x, "drivers", "pci:"), -ENODEV);
}
END_TEST

START_TEST(test_device_id_both_ways) {
        static const struct {
                const char *path, *id;
        } cases[] = {
                { "class/mem/null", "c1:3" },
                { "class/block/sda", "b8:0" },
                { "class/block/cciss!c0d0", "b104:0" },
                { "class/net/eth9", "n4242" },
                { "bus/pci/devices/0000:00:01.0", "+pci:0000:00:01.0" },
                { "bus/pci/drivers/foo", "+drivers:pci:foo" },
                { "module/foo", "+module:foo" },
                { "bus/pci", "+subsystem:pci" },
        };
        Device *x = NULL;
        const char *bad;

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_device_unref_ Device *d = new_at(cases[i].path), *e = NULL;
                const char *id, *p1, *p2;

                ck_assert_int_eq(device_get_device_id(d, &id), 0);
                ck_assert_str_eq(id, cases[i].id);
                ck_assert_msg(device_new_from_device_id(&e, id) >= 0, "cannot open id %s", id);
                ck_assert_int_eq(device_get_syspath(d, &p1), 0);
                ck_assert_int_eq(device_get_syspath(e, &p2), 0);
                ck_assert_str_eq(p1, p2);
        }
        FOREACH_STRING(bad, "", "x1:3", "c1", "c1:x", "n0", "nfoo", "+nocolon")
                ck_assert_msg(device_new_from_device_id(&x, bad) == -EINVAL, "id '%s' accepted",
                              bad);
        ck_assert_int_eq(device_new_from_device_id(&x, "b99999:0"), -ERANGE);
        ck_assert_int_eq(device_new_from_device_id(&x, "c9:9"), -ENODEV);
        ck_assert_ptr_null(x);
}
END_TEST

START_TEST(test_device_id_needs_subsystem) {
        _cleanup_device_unref_ Device *d = NULL;

        tu_write(root, "devices/virtual/orphan/uevent", "", 0644);
        d = new_at("devices/virtual/orphan");
        ck_assert_int_eq(device_get_subsystem(d, NULL), -ENOENT);
        ck_assert_int_eq(device_get_device_id(d, NULL), -ENOENT);
        ck_assert_int_eq(device_get_is_initialized(d), 0);
}
END_TEST

START_TEST(test_new_from_devname_and_path) {
        _cleanup_device_unref_ Device *d = NULL, *e = NULL;
        Device *x = NULL;
        const char *s;
        char p[1024];

        ck_assert_int_eq(device_new_from_devname(&d, "/dev/block/8:0"), 0);
        ck_assert_int_eq(device_get_sysname(d, &s), 0);
        ck_assert_str_eq(s, "sda");
        ck_assert_int_eq(device_new_from_devname(&x, "/etc/passwd"), -EINVAL);
        ck_assert_int_eq(device_new_from_devname(&x, "/dev"), -EINVAL);
        ck_assert_int_eq(device_new_from_path(&x, "/dev/char/77:77"), -ENODEV);
        snprintf(p, sizeof p, "%s/class/block/sda1", root);
        ck_assert_int_eq(device_new_from_path(&e, p), 0);
        ck_assert_ptr_null(x);
}
END_TEST

START_TEST(test_ifindex_on_synthetic_sysfs) {
        _cleanup_device_unref_ Device *d = NULL;
        const char *s;
        int i;

        ck_assert_int_eq(device_new_from_ifindex(&d, 4242), 0);
        ck_assert_int_eq(device_get_sysname(d, &s), 0);
        ck_assert_str_eq(s, "eth9");
        ck_assert_int_eq(device_get_ifindex(d, &i), 0);
        ck_assert_int_eq(i, 4242);
        ck_assert_str_eq(prop(d, "INTERFACE"), "eth9");
}
END_TEST

START_TEST(test_parents) {
        _cleanup_device_unref_ Device *d = new_at("class/block/sda1");
        Device *p = NULL, *q = NULL, *top = NULL;
        const char *s;

        ck_assert_int_eq(device_get_parent(d, &p), 0);
        ck_assert_int_eq(device_get_sysname(p, &s), 0);
        ck_assert_str_eq(s, "sda");
        /* cached: the same object */
        ck_assert_int_eq(device_get_parent(d, &q), 0);
        ck_assert_ptr_eq(p, q);
        /* block/ has no uevent: skipped on the way up */
        ck_assert_int_eq(device_get_parent(p, &q), 0);
        ck_assert_int_eq(device_get_sysname(q, &s), 0);
        ck_assert_str_eq(s, "0000:00:01.0");
        ck_assert_int_eq(device_get_parent(q, &top), 0);
        ck_assert_int_eq(device_get_devpath(top, &s), 0);
        ck_assert_str_eq(s, "/devices/pci0000:00");
        ck_assert_int_eq(device_get_parent(top, NULL), -ENOENT);

        ck_assert_int_eq(device_get_parent_with_subsystem_devtype(d, "block", "disk", &q), 0);
        ck_assert_ptr_eq(q, p);
        ck_assert_int_eq(device_get_parent_with_subsystem_devtype(d, "pci", NULL, &q), 0);
        ck_assert_int_eq(device_get_sysname(q, &s), 0);
        ck_assert_str_eq(s, "0000:00:01.0");
        ck_assert_int_eq(device_get_parent_with_subsystem_devtype(d, "block", "partition", &q),
                         -ENOENT);
        ck_assert_int_eq(device_get_parent_with_subsystem_devtype(d, "usb", NULL, &q), -ENOENT);
}
END_TEST

START_TEST(test_sysattr_read_and_cache) {
        _cleanup_device_unref_ Device *d = new_at("bus/pci/devices/0000:00:01.0");
        const char *v;

        ck_assert_int_eq(device_get_sysattr_value(d, "vendor", &v), 0);
        ck_assert_str_eq(v, "0x8086");
        /* trailing newlines go, other whitespace stays */
        ck_assert_int_eq(device_get_sysattr_value(d, "label", &v), 0);
        ck_assert_str_eq(v, "  spaced out  ");
        ck_assert_int_eq(device_get_sysattr_value(d, "power/control", &v), 0);
        ck_assert_str_eq(v, "auto");
        ck_assert_int_eq(device_get_sysattr_value(d, "driver", &v), 0);
        ck_assert_str_eq(v, "foo");
        ck_assert_int_eq(device_get_sysattr_value(d, "subsystem", &v), 0);
        ck_assert_str_eq(v, "pci");
        ck_assert_int_eq(device_get_sysattr_value(d, "firmware_node", &v), -EINVAL);
        ck_assert_int_eq(device_get_sysattr_value(d, "power", &v), -EISDIR);
        ck_assert_int_eq(device_get_sysattr_value(d, "secret", &v), -EPERM);
        ck_assert_int_eq(device_get_sysattr_value(d, "missing", &v), -ENOENT);

        /* cached: a change on disk is not seen until the cache is cleared */
        tu_write(root, "devices/pci0000:00/0000:00:01.0/vendor", "0x1af4\n", 0444);
        tu_write(root, "devices/pci0000:00/0000:00:01.0/missing", "now here\n", 0444);
        ck_assert_int_eq(device_get_sysattr_value(d, "vendor", &v), 0);
        ck_assert_str_eq(v, "0x8086");
        ck_assert_int_eq(device_get_sysattr_value(d, "missing", &v), -ENOENT);
        device_clear_sysattr_cache(d);
        ck_assert_int_eq(device_get_sysattr_value(d, "vendor", &v), 0);
        ck_assert_str_eq(v, "0x1af4");
        ck_assert_int_eq(device_get_sysattr_value(d, "missing", &v), 0);
        ck_assert_str_eq(v, "now here");
}
END_TEST

START_TEST(test_sysattr_write) {
        _cleanup_device_unref_ Device *d = new_at("bus/pci/devices/0000:00:01.0");
        _cleanup_free_ char *onfile = NULL;
        char p[1024], big[5000];
        const char *v;

        ck_assert_int_eq(device_set_sysattr_value(d, "power/control", "on\n\n"), 0);
        snprintf(p, sizeof p, "%s/devices/pci0000:00/0000:00:01.0/power/control", root);
        onfile = tu_read(p);
        /* as sd-device: no O_TRUNC (sysfs ignores it); on a plain file the tail stays */
        ck_assert_str_eq(onfile, "on\no\n");
        ck_assert_int_eq(device_get_sysattr_value(d, "power/control", &v), 0);
        ck_assert_str_eq(v, "on");
        /* no file is created */
        ck_assert_int_eq(device_set_sysattr_value(d, "nothere", "1"), -ENOENT);
        memset(big, 'x', sizeof big - 1);
        big[sizeof big - 1] = 0;
        ck_assert_int_eq(device_set_sysattr_value(d, "power/control", big), -EINVAL);
        /* NULL only forgets the cached value */
        tu_write(root, "devices/pci0000:00/0000:00:01.0/power/control", "auto\n", 0644);
        ck_assert_int_eq(device_set_sysattr_value(d, "power/control", NULL), 0);
        ck_assert_int_eq(device_get_sysattr_value(d, "power/control", &v), 0);
        ck_assert_str_eq(v, "auto");
}
END_TEST

START_TEST(test_sysattr_names) {
        _cleanup_device_unref_ Device *d = new_at("bus/pci/devices/0000:00:01.0");
        _cleanup_strv_free_ char **names = NULL;
        _cleanup_free_ char *j = NULL;

        ck_assert_int_eq(device_get_sysattr_names(d, &names), 0);
        j = strv_join(names, ",");
        /* block/ and net/ hold child devices: not attributes of this one */
        ck_assert_str_eq(j,
                         "driver,firmware_node,label,power/control,secret,subsystem,uevent,vendor");
}
END_TEST

START_TEST(test_properties_kinds) {
        _cleanup_device_unref_ Device *d = new_at("class/mem/null");
        _cleanup_free_ char *all = NULL;

        ck_assert_int_eq(device_add_property(d, "ID_FOO", "1"), 0);
        ck_assert_int_eq(device_add_property(d, ".PRIVATE", "x"), 0);
        ck_assert_int_eq(device_add_property_internal(d, "KERNEL_THING", "k"), 0);
        ck_assert(device_property_is_db(d, "ID_FOO"));
        ck_assert(!device_property_is_db(d, ".PRIVATE"));
        ck_assert(!device_property_is_db(d, "KERNEL_THING"));
        ck_assert(!device_property_is_db(d, "DEVNAME"));
        ck_assert_str_eq(prop(d, ".PRIVATE"), "x");
        /* replacing keeps the position; removing and re-adding moves to the end */
        ck_assert_int_eq(device_add_property(d, "ID_FOO", "2"), 0);
        ck_assert_int_eq(device_add_propertyf(d, "ID_BAR", "%d-%s", 7, "x"), 0);
        ck_assert_int_eq(device_add_property(d, "DEVMODE", NULL), 0);
        all = props(d);
        /* adding does not read the uevent file; the first read of the properties does, and
         * looking for the database record needs the id, hence the subsystem */
        ck_assert_str_eq(all,
                         "DEVPATH=/devices/virtual/mem/null\nID_FOO=2\n.PRIVATE=x\nKERNEL_THING=k\n"
                         "DEVNAME=/dev/null\nMAJOR=1\nMINOR=3\nSUBSYSTEM=mem\nID_BAR=7-x\n");
        ck_assert_int_eq(device_add_property(d, "ID_FOO", NULL), 0);
        ck_assert(!device_property_is_db(d, "ID_FOO"));
        ck_assert_ptr_null(prop(d, "ID_FOO"));
        ck_assert_int_eq(device_add_property(d, "FLAG", "yes"), 0);
        ck_assert_int_eq(device_get_property_bool(d, "FLAG"), 1);
        ck_assert_int_eq(device_get_property_bool(d, "NOPE"), -ENOENT);
}
END_TEST

START_TEST(test_tags_and_devlinks) {
        _cleanup_device_unref_ Device *d = new_at("class/block/sda");
        const char *t;
        char got[256] = "";

        ck_assert_int_eq(device_add_tag(d, "systemd", true), 0);
        ck_assert_int_eq(device_add_tag(d, "seat", true), 0);
        ck_assert_int_eq(device_add_tag(d, "old", false), 0);
        ck_assert_int_eq(device_add_tag(d, "bad:tag", true), -EINVAL);
        ck_assert_int_eq(device_add_tag(d, "bad tag", true), -EINVAL);
        ck_assert_int_eq(device_add_tag(d, "", true), -EINVAL);
        ck_assert_int_eq(device_add_tag(d, "a/b", true), -EINVAL);
        device_remove_tag(d, "seat");
        ck_assert(device_has_tag(d, "seat"));
        ck_assert_str_eq(prop(d, "TAGS"), ":systemd:seat:old:");
        ck_assert_str_eq(prop(d, "CURRENT_TAGS"), ":systemd:");
        DEVICE_FOREACH_TAG(d, t)
        strcat(got, t);
        ck_assert_str_eq(got, "systemdseatold");

        ck_assert_int_eq(device_add_devlink(d, "/dev/disk/by-id/x"), 0);
        ck_assert_int_eq(device_add_devlink(d, "/dev/disk/by-path/y"), 0);
        ck_assert_int_eq(device_add_devlink(d, "/dev/disk/by-id/x"), 0);
        /* devlinks live below /dev: the record stores them without "/dev/" */
        ck_assert_int_eq(device_add_devlink(d, "disk/relative"), -EINVAL);
        ck_assert_int_eq(device_add_devlink(d, "/dev/"), -EINVAL);
        ck_assert_int_eq(device_add_devlink(d, "/devices/x"), -EINVAL);
        ck_assert_int_eq(device_add_devlink(d, "/dev/a\nb"), -EINVAL);
        ck_assert(device_has_devlink(d, "/dev/disk/by-path/y"));
        ck_assert_str_eq(prop(d, "DEVLINKS"), "/dev/disk/by-id/x /dev/disk/by-path/y");
        device_cleanup_devlinks(d);
        ck_assert_ptr_null(prop(d, "DEVLINKS"));
        device_cleanup_tags(d);
        ck_assert_ptr_null(prop(d, "TAGS"));
        ck_assert_ptr_null(prop(d, "CURRENT_TAGS"));
}
END_TEST

START_TEST(test_current_tags_without_db_version) {
        _cleanup_device_unref_ Device *d = new_at("class/block/sda");

        /* no record of database version 1: every tag counts as current, as in sd-device */
        ck_assert_int_eq(device_add_tag(d, "old", false), 0);
        ck_assert(device_has_current_tag(d, "old"));
}
END_TEST

START_TEST(test_properties_nulstr_and_strv) {
        _cleanup_device_unref_ Device *d = new_at("class/mem/null");
        const char *buf;
        char **strv;
        size_t len;

        ck_assert_int_eq(device_add_tag(d, "systemd", true), 0);
        ck_assert_int_eq(device_get_properties_nulstr(d, &buf, &len), 0);
        ck_assert_str_eq(buf, "UDEV_DATABASE_VERSION=1");
        ck_assert_int_eq(buf[len - 1], 0);
        ck_assert_int_eq(device_get_properties_strv(d, &strv), 0);
        ck_assert_str_eq(strv[0], "UDEV_DATABASE_VERSION=1");
        ck_assert_str_eq(strv[1], "DEVPATH=/devices/virtual/mem/null");
        ck_assert_str_eq(strv[strv_length(strv) - 1], "CURRENT_TAGS=:systemd:");
        ck_assert_uint_eq(strv_length(strv), 9);
        /* rebuilt after a change */
        ck_assert_int_eq(device_add_property(d, "X", "1"), 0);
        ck_assert_int_eq(device_get_properties_strv(d, &strv), 0);
        ck_assert_str_eq(strv[strv_length(strv) - 1], "X=1");
}
END_TEST

START_TEST(test_rename_and_action) {
        _cleanup_device_unref_ Device *d = new_at("class/net/eth9");
        const char *s;
        DeviceAction a;

        ck_assert_int_eq(device_get_action(d, &a), -ENOENT);
        ck_assert_int_eq(device_set_action(d, DEVICE_ACTION_MOVE), 0);
        ck_assert(device_for_action(d, DEVICE_ACTION_MOVE));
        ck_assert_str_eq(prop(d, "ACTION"), "move");
        ck_assert_int_eq(device_rename(d, "lan0"), 0);
        ck_assert_int_eq(device_get_sysname(d, &s), 0);
        ck_assert_str_eq(s, "lan0");
        ck_assert_int_eq(device_get_sysnum(d, &s), 0);
        ck_assert_str_eq(s, "0");
        ck_assert_str_eq(prop(d, "DEVPATH"), "/devices/pci0000:00/0000:00:01.0/net/lan0");
        ck_assert_str_eq(prop(d, "INTERFACE"), "lan0");
        ck_assert_str_eq(prop(d, "INTERFACE_OLD"), "eth9");
        ck_assert_int_eq(device_rename(d, "a/b"), -EINVAL);
        ck_assert_int_eq(device_action_from_string("unbind"), DEVICE_ACTION_UNBIND);
        ck_assert_int_eq(device_action_from_string("explode"), -EINVAL);
        ck_assert_ptr_null(device_action_to_string(_DEVICE_ACTION_MAX));
}
END_TEST

START_TEST(test_synthetic_event) {
        _cleanup_device_unref_ Device *d = NULL;
        char p[1024];
        const char *s;

        snprintf(p, sizeof p, "%s/devices/virtual/block/cciss!c0d0", root);
        ck_assert_int_eq(device_new_from_synthetic_event(&d, p, DEVICE_ACTION_ADD), 0);
        ck_assert_str_eq(prop(d, "ACTION"), "add");
        ck_assert_int_eq(device_get_devname(d, &s), 0);
        ck_assert_str_eq(s, "/dev/cciss/c0d0");
        ck_assert_int_eq(device_get_subsystem(d, &s), 0);
        ck_assert_str_eq(s, "block");
}
END_TEST

START_TEST(test_open_node) {
        _cleanup_device_unref_ Device *d = NULL;
        int fd;

        device_set_sysfs_root(NULL);
        if (device_new_from_syspath(&d, "/sys/class/mem/null") < 0) {
                fprintf(stderr, "SKIP: no /sys/class/mem/null\n");
                return;
        }
        fd = device_open(d, O_RDONLY);
        ck_assert_int_ge(fd, 0);
        close(fd);
}
END_TEST

/* ---- the real /sys, read-only ------------------------------------------------------------ */

START_TEST(test_real_sys_null) {
        _cleanup_device_unref_ Device *d = NULL;
        const char *s;
        dev_t devnum;

        device_set_sysfs_root(NULL);
        if (access("/sys/class/mem/null", F_OK) < 0) {
                fprintf(stderr, "SKIP: no /sys/class/mem/null\n");
                return;
        }
        ck_assert_int_eq(device_new_from_syspath(&d, "/sys/class/mem/null"), 0);
        ck_assert_int_eq(device_get_syspath(d, &s), 0);
        ck_assert_str_eq(s, "/sys/devices/virtual/mem/null");
        ck_assert_int_eq(device_get_devnum(d, &devnum), 0);
        ck_assert_uint_eq(devnum, makedev(1, 3));
        ck_assert_int_eq(device_get_device_id(d, &s), 0);
        ck_assert_str_eq(s, "c1:3");
        ck_assert_int_eq(device_get_parent(d, NULL), -ENOENT);
        ck_assert_int_eq(device_get_sysattr_value(d, "dev", &s), 0);
        ck_assert_str_eq(s, "1:3");
        ck_assert_int_eq(device_new_from_syspath(&d, "/sys/devices/virtual/mem/nonexistent"),
                         -ENODEV);
}
END_TEST

START_TEST(test_real_sys_block_parents) {
        glob_t g = {};
        bool any = false;

        device_set_sysfs_root(NULL);
        if (glob("/sys/class/block/*", 0, NULL, &g) != 0) {
                fprintf(stderr, "SKIP: no block devices\n");
                return;
        }
        for (size_t i = 0; i < g.gl_pathc; i++) {
                _cleanup_device_unref_ Device *d = NULL, *again = NULL;
                Device *p;
                const char *id, *s;

                ck_assert_int_eq(device_new_from_syspath(&d, g.gl_pathv[i]), 0);
                ck_assert_int_eq(device_get_device_id(d, &id), 0);
                ck_assert(id[0] == 'b');
                ck_assert_int_eq(device_new_from_device_id(&again, id), 0);
                ck_assert_int_eq(device_get_devpath(again, &s), 0);
                ck_assert_int_eq(device_get_devpath(d, &id), 0);
                ck_assert_str_eq(s, id);
                /* walking up always ends at the top */
                p = d;
                for (int n = 0; device_get_parent(p, &p) >= 0; n++)
                        ck_assert_int_lt(n, 64);
                any = true;
        }
        globfree(&g);
        ck_assert(any);
}
END_TEST

/* ---- differential against udevadm info ------------------------------------------------------ */

static void compare_with_udevadm(const char *udevadm, const char *syspath) {
        _cleanup_device_unref_ Device *d = NULL;
        _cleanup_free_ char *ours = NULL, *theirs = NULL, *a = NULL, *b = NULL;
        char cmd[4200];

        snprintf(cmd, sizeof cmd, "'%s' info --query=all --path='%s' 2>/dev/null", udevadm,
                 syspath);
        theirs = tu_run(cmd);
        ck_assert_msg(theirs, "udevadm info failed for %s", syspath);
        ck_assert_int_eq(device_new_from_syspath(&d, syspath), 0);
        ours = tu_print_record(d);
        a = tu_normalize_record(ours);
        b = tu_normalize_record(theirs);
        ck_assert_msg(streq(a, b), "%s differs.\nudevadm:\n%s\ndevmaster:\n%s", syspath, theirs,
                      ours);
}

START_TEST(test_udevadm_info_differential) {
        const char *udevadm = tu_udevadm();
        const char *patterns[] = { "/sys/class/mem/*",     "/sys/class/tty/tty0",
                                   "/sys/class/tty/ttyS0", "/sys/class/block/*",
                                   "/sys/class/net/*",     "/sys/bus/pci/devices/*",
                                   "/sys/class/misc/*",    "/sys/bus/cpu/devices/*",
                                   "/sys/module/loop" };
        unsigned n = 0;

        device_set_sysfs_root(NULL);
        device_db_set_run_dir(NULL); /* the host's, read-only: what udevadm reads too */
        if (!udevadm) {
                fprintf(stderr,
                        "SKIP: udevadm not found (set $UDEVADM); differential test not run\n");
                return;
        }
        for (size_t i = 0; i < ELEMENTSOF(patterns); i++) {
                glob_t g = {};

                if (glob(patterns[i], 0, NULL, &g) != 0)
                        continue;
                for (size_t j = 0; j < g.gl_pathc; j++, n++)
                        compare_with_udevadm(udevadm, g.gl_pathv[j]);
                globfree(&g);
        }
        fprintf(stderr, "udevadm info: %u devices compared, all identical\n", n);
        ck_assert_uint_ge(n, 5);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("device");
        TCase *tc = tcase_create("synthetic");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_syspath_resolves_symlinks);
        tcase_add_test(tc, test_syspath_refusals);
        tcase_add_test(tc, test_uevent_properties);
        tcase_add_test(tc, test_uevent_other_keys_and_driver);
        tcase_add_test(tc, test_sysname_sysnum);
        tcase_add_test(tc, test_uevent_devnode_owner);
        tcase_add_test(tc, test_sysnum_all_digits);
        tcase_add_test(tc, test_new_from_devnum);
        tcase_add_test(tc, test_new_from_subsystem_sysname);
        tcase_add_test(tc, test_device_id_both_ways);
        tcase_add_test(tc, test_device_id_needs_subsystem);
        tcase_add_test(tc, test_new_from_devname_and_path);
        tcase_add_test(tc, test_ifindex_on_synthetic_sysfs);
        tcase_add_test(tc, test_parents);
        tcase_add_test(tc, test_sysattr_read_and_cache);
        tcase_add_test(tc, test_sysattr_write);
        tcase_add_test(tc, test_sysattr_names);
        tcase_add_test(tc, test_properties_kinds);
        tcase_add_test(tc, test_tags_and_devlinks);
        tcase_add_test(tc, test_current_tags_without_db_version);
        tcase_add_test(tc, test_properties_nulstr_and_strv);
        tcase_add_test(tc, test_rename_and_action);
        tcase_add_test(tc, test_synthetic_event);
        tcase_add_test(tc, test_open_node);
        suite_add_tcase(s, tc);

        tc = tcase_create("real");
        tcase_add_test(tc, test_real_sys_null);
        tcase_add_test(tc, test_real_sys_block_parents);
        tcase_add_test(tc, test_udevadm_info_differential);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
