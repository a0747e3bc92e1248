/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-udev-builtin.c: the udev builtins on a synthetic sysfs, with side effects going to the
 * dry-run record (nothing touches a real device), hwdb.bin compiling and lookups, .link
 * matching and naming. The comparison with udev 252 on real devices is
 * test/integration/test-udev-builtins.sh.
 */

#include <check.h>
#include <stdlib.h>
#include <unistd.h>

#include "devmaster-test-util.h"
#include "hwdb.h"
#include "link-config.h"
#include "test-helpers.h"
#include "udev-builtin-net_id.h"
#include "udev-builtin.h"
#include "udev-netif.h"

static char *root = NULL;

static void setup(void) {
        root = tu_mkdtemp();
        ck_assert_int_eq(device_set_sysfs_root(root), 0);
        udev_builtin_set_dry_run(true);
}

static void teardown(void) {
        udev_builtin_exit();
        udev_builtin_set_dry_run(false);
        (void) device_set_sysfs_root(NULL);
        tu_rm_rf(root);
        free(root);
        root = NULL;
}

static Device *new_device(const char *path) {
        char *p = tu_path(root, path);
        Device *d = NULL;

        ck_assert_int_eq(device_new_from_syspath(&d, p), 0);
        free(p);
        return d;
}

static const char *prop(Device *d, const char *key) {
        const char *v = NULL;

        return device_get_property_value(d, key, &v) >= 0 ? v : NULL;
}

/* An i8042 keyboard: serio0 with a force_release list, input3 with keyboard capabilities and
 * its event3 node. */
static void make_keyboard(void) {
        const char *serio = "devices/platform/i8042/serio0";
        char p[512];

        tu_write(root, "devices/platform/i8042/uevent", "", 0644);
        tu_symlink(root, "devices/platform/i8042/subsystem", "../../../bus/platform");
        snprintf(p, sizeof p, "%s/uevent", serio);
        tu_write(root, p, "SERIO_TYPE=06\n", 0644);
        snprintf(p, sizeof p, "%s/subsystem", serio);
        tu_symlink(root, p, "../../../../bus/serio");
        snprintf(p, sizeof p, "%s/force_release", serio);
        tu_write(root, p, "369-370\n", 0644);
        snprintf(p, sizeof p, "%s/input/input3/uevent", serio);
        tu_write(root, p, "NAME=\"AT Translated Set 2 keyboard\"\n", 0644);
        snprintf(p, sizeof p, "%s/input/input3/subsystem", serio);
        tu_symlink(root, p, "../../../../../../class/input");
        snprintf(p, sizeof p, "%s/input/input3/capabilities/ev", serio);
        tu_write(root, p, "120013\n", 0444);
        snprintf(p, sizeof p, "%s/input/input3/capabilities/key", serio);
        tu_write(root, p, "402000000 3803078f800d001 feffffdfffefffff fffffffffffffffe\n", 0444);
        snprintf(p, sizeof p, "%s/input/input3/id/bustype", serio);
        tu_write(root, p, "0011\n", 0444);
        snprintf(p, sizeof p, "%s/input/input3/event3/uevent", serio);
        tu_write(root, p, "MAJOR=13\nMINOR=67\nDEVNAME=input/event3\n", 0644);
        snprintf(p, sizeof p, "%s/input/input3/event3/subsystem", serio);
        tu_symlink(root, p, "../../../../../../../class/input");
}

START_TEST(test_input_id_keyboard) {
        _cleanup_device_unref_ Device *d = NULL;

        make_keyboard();
        d = new_device("devices/platform/i8042/serio0/input/input3/event3");
        ck_assert_int_eq(udev_builtin_run(d, UDEV_RULES_BUILTIN_INPUT_ID, "input_id", false), 0);
        ck_assert_str_eq(prop(d, "ID_INPUT"), "1");
        ck_assert_str_eq(prop(d, "ID_INPUT_KEY"), "1");
        ck_assert_str_eq(prop(d, "ID_INPUT_KEYBOARD"), "1");
        ck_assert_ptr_null(prop(d, "ID_INPUT_MOUSE"));
}
END_TEST

START_TEST(test_keyboard_dry_run) {
        _cleanup_device_unref_ Device *d = NULL;
        char **rec;

        make_keyboard();
        d = new_device("devices/platform/i8042/serio0/input/input3/event3");
        ck_assert_int_eq(device_add_property(d, "KEYBOARD_KEY_1e", "!b"), 0);
        ck_assert_int_eq(device_add_property(d, "KEYBOARD_KEY_a0", "volumeup"), 0);
        ck_assert_int_eq(device_add_property(d, "KEYBOARD_KEY_a1", "!"), 0);
        ck_assert_int_eq(device_add_property(d, "KEYBOARD_KEY_zz", "a"), 0);
        ck_assert_int_eq(device_add_property(d, "KEYBOARD_KEY_a2", "no_such_key"), 0);
        /* KEY_MAX and the BTN_ range starts are no key names in udev 252 */
        ck_assert_int_eq(device_add_property(d, "KEYBOARD_KEY_a3", "max"), 0);
        ck_assert_int_eq(device_add_property(d, "KEYBOARD_KEY_a4", "btn_mouse"), 0);
        ck_assert_int_eq(device_add_property(d, "EVDEV_ABS_00", "1:1000:12"), 0);
        ck_assert_int_eq(udev_builtin_run(d, UDEV_RULES_BUILTIN_KEYBOARD, "keyboard", false), 0);
        rec = udev_builtin_recorded();
        ck_assert_ptr_nonnull(rec);
        ck_assert_str_eq(rec[0], "keyboard EVIOCSKEYCODE /dev/input/event3 0x1e 48");
        ck_assert_str_eq(rec[1], "keyboard EVIOCSKEYCODE /dev/input/event3 0xa0 115");
        ck_assert_str_eq(rec[2], "keyboard EVIOCSABS /dev/input/event3 0x0 1:1000:12");
        ck_assert(startswith(rec[3], "keyboard force_release /"));
        ck_assert(endswith(rec[3], "/devices/platform/i8042/serio0 369-370,30,161"));
        ck_assert_ptr_null(rec[4]);
}
END_TEST

START_TEST(test_btrfs_kmod_dry_run) {
        _cleanup_device_unref_ Device *d = NULL;
        char **rec;

        tu_write(root, "devices/virtual/block/vdb/uevent", "MAJOR=254\nMINOR=16\nDEVNAME=vdb\nDEVTYPE=disk\n", 0644);
        tu_symlink(root, "devices/virtual/block/vdb/subsystem", "../../../../class/block");
        d = new_device("devices/virtual/block/vdb");
        ck_assert_int_eq(udev_builtin_run(d, UDEV_RULES_BUILTIN_BTRFS, "btrfs ready", false), -EINVAL);
        ck_assert_int_eq(udev_builtin_run(d, UDEV_RULES_BUILTIN_BTRFS, "btrfs ready /dev/vdb", false), 0);
        ck_assert_str_eq(prop(d, "ID_BTRFS_READY"), "1");
        rec = udev_builtin_recorded();
        ck_assert_str_eq(rec[0], "btrfs ready /dev/vdb");
        ck_assert_ptr_null(rec[1]);

        /* kmod: nothing is ever loaded here; an unknown alias is no error and records nothing */
        /* (0 without a libkmod context) */
        ck_assert(IN_SET(udev_builtin_run(d, UDEV_RULES_BUILTIN_KMOD, "kmod", false), -EINVAL, 0));
        ck_assert_int_eq(udev_builtin_run(d, UDEV_RULES_BUILTIN_KMOD, "kmod load no-such-alias:x*", false), 0);
        ck_assert_ptr_null(udev_builtin_recorded()[1]);
}
END_TEST

/* --- hwdb ----------------------------------------------------------------------------- */

static Hwdb *compile(const char *hwroot) {
        char *out = tu_path(hwroot, "out.bin");
        Hwdb *h = NULL;

        ck_assert_int_eq(hwdb_update(hwroot, NULL, out, false), 0);
        ck_assert_int_eq(hwdb_open(out, &h), 0);
        free(out);
        return h;
}

START_TEST(test_hwdb_update_and_lookup) {
        LogCapture cap;
        const char *k, *v;
        Hwdb *h;

        tu_write(root, "lib/udev/hwdb.d/10-base.hwdb",
                 "# comment\n"
                 "usb:v1234*\n"
                 " ID_VENDOR_FROM_DATABASE=Base Vendor\n"
                 " ID_A=base\n"
                 "\n"
                 "usb:v1234p5678*\n"
                 " ID_MODEL_FROM_DATABASE=Gadget # trailing comment\n"
                 "\n"
                 " ID_STRAY=1\n",
                 0644);
        tu_write(root, "lib/udev/hwdb.d/20-over.hwdb", "usb:v1234*\n ID_A=lib\n", 0644);
        tu_write(root, "etc/udev/hwdb.d/20-over.hwdb", "usb:v1234*\n ID_A=etc\n", 0644);
        tu_write(root, "etc/udev/hwdb.d/30-later.hwdb", "usb:v12[0-9]4p5678:*\n ID_VENDOR_FROM_DATABASE=Later\n", 0644);
        log_capture_start(&cap);
        h = compile(root);
        log_capture_stop();
        ck_assert_log_contains(&cap, "10-base.hwdb:9: Match expected but got indented property \" ID_STRAY=1\", ignoring line.");

        ck_assert_int_eq(hwdb_query(h, "usb:v1234p5678:Gadget"), 0);
        /* keys in the order first met; the later file (30-later) and /etc's 20-over win */
        ck_assert(hwdb_next(h, &k, &v));
        ck_assert_str_eq(k, "ID_VENDOR_FROM_DATABASE");
        ck_assert_str_eq(v, "Later");
        ck_assert(hwdb_next(h, &k, &v));
        ck_assert_str_eq(k, "ID_A");
        ck_assert_str_eq(v, "etc");
        ck_assert(hwdb_next(h, &k, &v));
        ck_assert_str_eq(k, "ID_MODEL_FROM_DATABASE");
        ck_assert_str_eq(v, "Gadget");
        ck_assert(!hwdb_next(h, &k, &v));

        ck_assert_int_eq(hwdb_query(h, "pci:v00008086"), 0);
        ck_assert(!hwdb_next(h, &k, &v));
        hwdb_free(h);
}
END_TEST

START_TEST(test_hwdb_bad_files) {
        char *p = tu_path(root, "garbage.bin");
        Hwdb *h = NULL;

        tu_write(root, "garbage.bin", "this is not a hardware database: it has no KSLPHHRH signature, and the size in the header is wrong too\n", 0644);
        ck_assert_int_eq(hwdb_open(p, &h), -EINVAL);
        free(p);
        p = tu_path(root, "missing.bin");
        ck_assert_int_eq(hwdb_open(p, &h), -ENOENT);
        free(p);
        /* no sources: nothing written, the output removed */
        p = tu_path(root, "out.bin");
        tu_write(root, "out.bin", "old", 0644);
        ck_assert_int_eq(hwdb_update(root, NULL, p, false), 0);
        ck_assert_int_eq(access(p, F_OK), -1);
        free(p);
}
END_TEST

/* hwdb.bin is read page by page as lookups need it: lookups spread over a file of many pages
 * find what they should, and a file truncated in place while open gives fewer results (the
 * pages already read still answer), never SIGBUS as a mapping of it would. */
START_TEST(test_hwdb_pages_and_truncation) {
        _cleanup_free_ char *src = NULL, *out = tu_path(root, "out.bin");
        size_t len = 0;
        char want[64];
        const char *k, *v;
        Hwdb *h;
        FILE *f = open_memstream(&src, &len);

        for (unsigned i = 0; i < 3000; i++)
                fprintf(f, "usb:v%04Xp*\n ID_NUMBER=vendor %u of a long list, padded to fill pages\n\n", i, i);
        ck_assert_int_eq(fclose(f), 0);
        tu_write(root, "lib/udev/hwdb.d/10-many.hwdb", src, 0644);
        h = compile(root);
        for (unsigned i = 0; i < 3000; i += 499) {
                snprintf(want, sizeof want, "usb:v%04Xp1234", i);
                ck_assert_int_eq(hwdb_query(h, want), 0);
                ck_assert(hwdb_next(h, &k, &v));
                snprintf(want, sizeof want, "vendor %u of a long list, padded to fill pages", i);
                ck_assert_str_eq(v, want);
        }
        ck_assert_int_eq(truncate(out, 4096), 0);
        ck_assert_int_eq(hwdb_query(h, "usb:v0000p1234"), 0); /* read before: still there */
        ck_assert(hwdb_next(h, &k, &v));
        ck_assert_str_eq(v, "vendor 0 of a long list, padded to fill pages");
        ck_assert_int_eq(hwdb_query(h, "usb:v02EEp0001"), 0); /* never read: gone with the file */
        ck_assert(!hwdb_next(h, &k, &v));
        hwdb_free(h);
}
END_TEST

/* --- net_id / .link --------------------------------------------------------------------- */

START_TEST(test_naming_schemes) {
        ck_assert_ptr_null(net_naming_scheme_from_name("v999"));
        ck_assert_str_eq(net_naming_scheme_from_name("latest")->name, "v252");
        ck_assert(!(net_naming_scheme_from_name("v249")->flags & NAMING_XEN_VIF));
        ck_assert(net_naming_scheme_from_name("v250")->flags & NAMING_XEN_VIF);
        ck_assert_int_eq(net_naming_scheme_from_name("v238")->flags, 0);
}
END_TEST

static void make_nic(void) {
        const char *pci = "devices/pci0000:00/0000:00:19.0";
        char p[512];

        tu_write(root, "devices/pci0000:00/uevent", "", 0644);
        snprintf(p, sizeof p, "%s/uevent", pci);
        tu_write(root, p, "PCI_CLASS=20000\n", 0644);
        snprintf(p, sizeof p, "%s/subsystem", pci);
        tu_symlink(root, p, "../../../bus/pci");
        snprintf(p, sizeof p, "%s/acpi_index", pci);
        tu_write(root, p, "1\n", 0444);
        snprintf(p, sizeof p, "%s/net/eth9/uevent", pci);
        tu_write(root, p, "INTERFACE=eth9\nIFINDEX=4242\n", 0644);
        snprintf(p, sizeof p, "%s/net/eth9/subsystem", pci);
        tu_symlink(root, p, "../../../../../class/net");
        static const char *const attrs[][2] = {
                { "ifindex", "4242" }, { "iflink", "4242" }, { "type", "1" },
                { "address", "00:1b:21:0a:0b:0c" }, { "addr_assign_type", "0" },
        };
        for (size_t i = 0; i < ELEMENTSOF(attrs); i++) {
                snprintf(p, sizeof p, "%s/net/eth9/%s", pci, attrs[i][0]);
                tu_write(root, p, attrs[i][1], 0444);
        }
}

START_TEST(test_net_id_onboard) {
        _cleanup_device_unref_ Device *d = NULL;

        make_nic();
        d = new_device("devices/pci0000:00/0000:00:19.0/net/eth9");
        ck_assert_int_eq(udev_builtin_run(d, UDEV_RULES_BUILTIN_NET_ID, "net_id", false), 0);
        ck_assert_str_eq(prop(d, "ID_NET_NAME_MAC"), "enx001b210a0b0c");
        ck_assert_str_eq(prop(d, "ID_NET_NAME_ONBOARD"), "eno1");
        ck_assert_str_eq(prop(d, "ID_NET_NAME_PATH"), "enp0s25");
        ck_assert_ptr_null(prop(d, "ID_NET_NAME_SLOT"));
}
END_TEST

START_TEST(test_link_config) {
        _cleanup_device_unref_ Device *d = NULL;
        char *dirs[3] = { tu_path(root, "etc"), tu_path(root, "lib"), NULL };
        LinkConfigContext *ctx = NULL;
        const LinkConfig *c;
        LinkInfo info;

        make_nic();
        d = new_device("devices/pci0000:00/0000:00:19.0/net/eth9");
        ck_assert_int_eq(device_add_property(d, "ID_PATH", "pci-0000:00:19.0"), 0);
        ck_assert_int_eq(device_add_property(d, "ID_NET_NAME_PATH", "enp0s25"), 0);
        tu_write(root, "lib/10-wrong-driver.link", "[Match]\nDriver=igb\n[Link]\nName=nope\n", 0644);
        tu_write(root, "lib/20-path.link", "[Match]\nPath=pci-*\nType=ether\n[Link]\nNamePolicy=onboard path\nName=fallback0\n", 0644);
        tu_write(root, "lib/30-all.link", "[Match]\nOriginalName=*\n", 0644);
        tu_write(root, "lib/40-empty-match.link", "[Link]\nName=x\n", 0644);
        tu_write(root, "etc/30-all.link", "", 0644); /* masks lib's */
        ck_assert_int_eq(link_config_ctx_new(dirs, &ctx), 0);
        ck_assert_int_eq(link_config_load(ctx), 0);
        ck_assert(!link_config_should_reload(ctx));

        info = (LinkInfo) { .device = d, .ifname = "eth9", .ifindex = 4242, .action = DEVICE_ACTION_ADD,
                            .iftype = 1, .driver = (char *) "e1000e", .name_assign_type = 1 };
        ck_assert_int_eq(link_config_find(ctx, &info, &c), 0);
        ck_assert(endswith(link_config_filename(c), "/lib/20-path.link"));
        ck_assert_str_eq(link_config_new_name(c, &info), "enp0s25");
        ck_assert_int_eq(device_add_property(d, "ID_NET_NAME_PATH", NULL), 0);
        ck_assert_str_eq(link_config_new_name(c, &info), "fallback0");
        info.action = DEVICE_ACTION_MOVE;
        ck_assert_str_eq(link_config_new_name(c, &info), "eth9");

        info.driver = (char *) "igb";
        info.action = DEVICE_ACTION_ADD;
        ck_assert_int_eq(link_config_find(ctx, &info, &c), 0);
        ck_assert(endswith(link_config_filename(c), "/10-wrong-driver.link"));
        info.flags = 0x8; /* IFF_LOOPBACK */
        ck_assert_int_eq(link_config_find(ctx, &info, &c), -ENOENT);

        tu_write(root, "etc/20-path.link.d/name.conf", "[Link]\nName=fromdropin\n", 0644);
        ck_assert(link_config_should_reload(ctx));
        link_config_ctx_free(ctx);
        free(dirs[0]);
        free(dirs[1]);
}
END_TEST

START_TEST(test_ifname_valid) {
        /* the check NAME= and .link Name= share, as udev 252's ifname_valid() */
        ck_assert(udev_netif_name_is_valid("eth0"));
        ck_assert(udev_netif_name_is_valid("enp0s25"));
        ck_assert(!udev_netif_name_is_valid(""));
        ck_assert(!udev_netif_name_is_valid("eth%d"));
        ck_assert(!udev_netif_name_is_valid("a:b"));
        ck_assert(!udev_netif_name_is_valid("a b"));
        ck_assert(!udev_netif_name_is_valid("all"));
        ck_assert(!udev_netif_name_is_valid("default"));
        ck_assert(!udev_netif_name_is_valid(".."));
        ck_assert(!udev_netif_name_is_valid("42"));
        ck_assert(!udev_netif_name_is_valid("0123456789abcdef"));
        ck_assert(udev_netif_name_is_valid("0123456789abcde"));
}
END_TEST

START_TEST(test_encode_devnode_name) {
        char buf[64];

        ck_assert_int_eq(udev_builtin_encode_devnode_name("My Disk/ü\\#+", buf, sizeof buf), 0);
        ck_assert_str_eq(buf, "My\\x20Disk\\x2fü\\x5c#+");
        ck_assert_int_eq(udev_builtin_encode_devnode_name("toolong", buf, 4), -EINVAL);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("udev-builtin");
        TCase *tc = tcase_create("builtins");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_input_id_keyboard);
        tcase_add_test(tc, test_keyboard_dry_run);
        tcase_add_test(tc, test_btrfs_kmod_dry_run);
        tcase_add_test(tc, test_hwdb_update_and_lookup);
        tcase_add_test(tc, test_hwdb_bad_files);
        tcase_add_test(tc, test_hwdb_pages_and_truncation);
        tcase_add_test(tc, test_naming_schemes);
        tcase_add_test(tc, test_net_id_onboard);
        tcase_add_test(tc, test_link_config);
        tcase_add_test(tc, test_ifname_valid);
        tcase_add_test(tc, test_encode_devnode_name);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
