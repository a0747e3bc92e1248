/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-udev-test-source.c: the test-only uevent source's emulation of the kernel's echo of a
 * write to a uevent file (udev-test-source.h), which is what makes `udevadm trigger` (and
 * --settle, which waits for its SYNTH_UUID) work against devmaster on a synthetic sysfs. The
 * expected datagrams are the kernel's, as recorded in spec udev.md §6.6.
 */

#include "device-db.h"
#include "device.h"
#include "test-helpers.h"
#include "udev-test-source.h"
#include "uevent-parse.h"

static const char *prop(Device *d, const char *key) {
        const char *v = NULL;

        return device_get_property_value(d, key, &v) >= 0 ? v : NULL;
}

static void setup(void) {
        ck_assert_int_eq(device_set_sysfs_root("/nonexistent-sysfs"), 0);
        ck_assert_int_eq(device_db_set_run_dir("/nonexistent-run"), 0);
}

static void teardown(void) {
        device_set_sysfs_root(NULL);
        device_db_set_run_dir(NULL);
}

START_TEST(test_plain_change) {
        static const char expect[] = "change@/devices/virtual/mem/null\0ACTION=change\0"
                                     "DEVPATH=/devices/virtual/mem/null\0SUBSYSTEM=mem\0SYNTH_UUID=0\0"
                                     "MAJOR=1\0MINOR=3\0DEVNAME=null\0DEVMODE=0666\0SEQNUM=42";
        char *buf = NULL;
        size_t len = 0;

        ck_assert_int_eq(udev_test_source_synthesize("change\n", "/devices/virtual/mem/null", "mem",
                                                     "\n\n\nMAJOR=1\nMINOR=3\nDEVNAME=null\nDEVMODE=0666\n",
                                                     42, &buf, &len),
                         0);
        ck_assert_uint_eq(len, sizeof expect);
        ck_assert(memcmp(buf, expect, len) == 0);
        free(buf);
}
END_TEST

START_TEST(test_uuid_and_arguments) {
        Device *d = NULL;
        char *buf = NULL;
        size_t len = 0;
        uint64_t seqnum;

        ck_assert_int_eq(udev_test_source_synthesize("add 0c5e5d5a-1b2c-4d3e-8f90-a1b2c3d4e5f6 A=1 B=2",
                                                     "/devices/virtual/block/fake0", "block",
                                                     "MAJOR=250\nMINOR=0\nDEVNAME=fake0\nDEVTYPE=disk\n", 7,
                                                     &buf, &len),
                         0);
        ck_assert_int_eq(uevent_parse_kernel(buf, len, &d), 0);
        ck_assert_str_eq(prop(d, "ACTION"), "add");
        ck_assert_str_eq(prop(d, "SYNTH_UUID"), "0c5e5d5a-1b2c-4d3e-8f90-a1b2c3d4e5f6");
        ck_assert_str_eq(prop(d, "SYNTH_ARG_A"), "1");
        ck_assert_str_eq(prop(d, "SYNTH_ARG_B"), "2");
        ck_assert_str_eq(prop(d, "DEVTYPE"), "disk");
        ck_assert_int_eq(device_get_seqnum(d, &seqnum), 0);
        ck_assert_uint_eq(seqnum, 7);
        device_unref(d);
        free(buf);
}
END_TEST

START_TEST(test_refused_writes) {
        char *buf = NULL;
        size_t len = 0;

        /* the kernel refuses these writes with EINVAL: no uevent */
        ck_assert_int_eq(udev_test_source_synthesize("frobnicate", "/devices/x", "x", "", 1, &buf, &len), -EINVAL);
        ck_assert_int_eq(udev_test_source_synthesize("add not-a-uuid", "/devices/x", "x", "", 1, &buf, &len), -EINVAL);
        ck_assert_int_eq(udev_test_source_synthesize("add 0c5e5d5a-1b2c-4d3e-8f90-a1b2c3d4e5f6 A-B=1", "/devices/x",
                                                     "x", "", 1, &buf, &len),
                         -EINVAL);
        ck_assert_int_eq(udev_test_source_synthesize("", "/devices/x", "x", "", 1, &buf, &len), -EINVAL);
        ck_assert_ptr_null(buf);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("udev-test-source");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_plain_change);
        tcase_add_test(tc, test_uuid_and_arguments);
        tcase_add_test(tc, test_refused_writes);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
