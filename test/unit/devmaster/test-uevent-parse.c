/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-uevent-parse.c: kernel uevent datagrams and libudev messages, both ways. The fixtures
 * in test/data/devmaster/udevd-252 are real: kernel uevents captured from a group-1 netlink
 * socket, and libudev messages broadcast on group 2 by the real systemd-udevd 252. A live
 * test writes "change" to /sys/class/mem/null/uevent (harmless, spec 6.6) and parses what the
 * kernel sends.
 */

#include <endian.h>
#include <linux/netlink.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>

#include "device-db.h"
#include "device.h"
#include "devmaster-test-util.h"
#include "libudev-message.h"
#include "test-helpers.h"
#include "uevent-parse.h"

#define FIXTURES TEST_DATA_DIR "/devmaster/udevd-252"

static char *fixture(const char *name, size_t *ret_size) {
        char p[1024], *buf = NULL;

        snprintf(p, sizeof p, "%s/%s", FIXTURES, name);
        ck_assert_msg(read_full_file(p, SIZE_MAX, &buf, ret_size) >= 0, "missing fixture %s", p);
        return buf;
}

static const char *prop(Device *d, const char *key) {
        const char *v = NULL;

        return device_get_property_value(d, key, &v) >= 0 ? v : NULL;
}

static char *props(Device *d) {
        char *s = strdup("");
        const char *k, *v;

        DEVICE_FOREACH_PROPERTY(d, k, v)
        ck_assert(strextend(&s, k, "=", v, "\n") >= 0);
        return s;
}

static void setup(void) {
        /* parsed devices are sealed: nothing may be read from sysfs or the database */
        ck_assert_int_eq(device_set_sysfs_root("/nonexistent-sysfs"), 0);
        ck_assert_int_eq(device_db_set_run_dir("/nonexistent-run"), 0);
}

static void teardown(void) {
        device_set_sysfs_root(NULL);
        device_db_set_run_dir(NULL);
}

START_TEST(test_hash_check_values) {
        ck_assert_uint_eq(libudev_message_string_hash("mem"), 0xc365cd83U);
        ck_assert_uint_eq(libudev_message_string_hash("block"), 0xf0031db7U);
        ck_assert_uint_eq(libudev_message_string_hash("disk"), 0x7bcbc5eeU);
        ck_assert_uint_eq(libudev_message_string_hash("net"), 0xa74d3cc8U);
        ck_assert_uint_eq(libudev_message_tag_bloom("systemd") >> 32, 0x02000400U);
        ck_assert_uint_eq(libudev_message_tag_bloom("systemd") & 0xffffffffU, 0x10800000U);
        ck_assert_uint_eq(libudev_message_tag_bloom("systemd") |
                                  libudev_message_tag_bloom("devmaster_t1") |
                                  libudev_message_tag_bloom("gone"),
                          0x9202040094822008ULL);
        /* lengths 0..3 take the tail branches */
        ck_assert_uint_ne(libudev_message_string_hash(""), libudev_message_string_hash("a"));
}
END_TEST

START_TEST(test_kernel_fixtures) {
        _cleanup_free_ char *buf = NULL, *all = NULL;
        _cleanup_device_unref_ Device *d = NULL;
        bool libudev = true;
        size_t size;
        const char *s;
        dev_t devnum;
        uint64_t seq;
        DeviceAction a;

        buf = fixture("kernel-uevent-0", &size);
        ck_assert_int_eq(uevent_parse_datagram(buf, size, &d, &libudev), 0);
        ck_assert(!libudev);
        ck_assert_int_eq(device_get_action(d, &a), 0);
        ck_assert_int_eq(a, DEVICE_ACTION_CHANGE);
        ck_assert_int_eq(device_get_devpath(d, &s), 0);
        ck_assert_str_eq(s, "/devices/virtual/mem/null");
        ck_assert_int_eq(device_get_syspath(d, &s), 0);
        ck_assert_str_eq(s, "/nonexistent-sysfs/devices/virtual/mem/null");
        ck_assert_int_eq(device_get_subsystem(d, &s), 0);
        ck_assert_str_eq(s, "mem");
        ck_assert_int_eq(device_get_devnum(d, &devnum), 0);
        ck_assert_uint_eq(devnum, makedev(1, 3));
        ck_assert_int_eq(device_get_devname(d, &s), 0);
        ck_assert_str_eq(s, "/dev/null");
        ck_assert_int_eq(device_get_seqnum(d, &seq), 0);
        ck_assert_uint_eq(seq, 1452);
        ck_assert_int_eq(device_get_device_id(d, &s), 0);
        ck_assert_str_eq(s, "c1:3");
        ck_assert_int_eq(device_get_is_initialized(d), 0);
        all = props(d);
        ck_assert_str_eq(
                all,
                "ACTION=change\nDEVPATH=/devices/virtual/mem/null\nSUBSYSTEM=mem\nSYNTH_UUID=0\n"
                "DEVNAME=/dev/null\nDEVMODE=0666\nSEQNUM=1452\nMAJOR=1\nMINOR=3\n");

        for (int i = 1; i <= 4; i++) {
                _cleanup_free_ char *b = NULL;
                _cleanup_device_unref_ Device *e = NULL;
                char name[64];

                snprintf(name, sizeof name, "kernel-uevent-%i", i);
                b = fixture(name, &size);
                ck_assert_int_eq(uevent_parse_kernel(b, size, &e), 0);
                if (i == 1) {
                        ck_assert_str_eq(prop(e, "SYNTH_ARG_A"), "1");
                        ck_assert_int_eq(device_get_action(e, &a), 0);
                        ck_assert_int_eq(a, DEVICE_ACTION_ADD);
                }
                if (i == 2) {
                        ck_assert_int_eq(device_get_device_id(e, &s), 0);
                        ck_assert_str_eq(s, "n1");
                }
                if (i == 3) {
                        ck_assert_int_eq(device_get_devtype(e, &s), 0);
                        ck_assert_str_eq(s, "disk");
                        ck_assert_int_eq(device_get_device_id(e, &s), 0);
                        ck_assert_str_eq(s, "b7:0");
                        ck_assert_int_eq(device_get_diskseq(e, &seq), 0);
                }
        }
}
END_TEST

static int parse_kernel_text(const char *text, size_t len) {
        _cleanup_device_unref_ Device *d = NULL;
        int r = uevent_parse_kernel(text, len, &d);

        ck_assert(r < 0 ? !d : !!d);
        return r;
}

#define K(s) parse_kernel_text((s), sizeof(s) - 1)

START_TEST(test_kernel_refusals) {
        ck_assert_int_eq(
                K("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=s\0SEQNUM=1\0"), 0);
        ck_assert_int_eq(K("short\0"), -EINVAL);
        ck_assert_int_eq(K("no NUL in here at all, but long enough to be a message"), -EINVAL);
        ck_assert_int_eq(K("add-no-at-slash-header-xxxxxxxxxxxxxxxxx\0ACTION=add\0"), -EINVAL);
        ck_assert_int_eq(K("add@/devices/x/with/a/long/header/only\0"), -EINVAL);
        /* required fields */
        ck_assert_int_eq(K("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=s\0"),
                         -EINVAL);
        ck_assert_int_eq(K("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SEQNUM=1\0"), -EINVAL);
        ck_assert_int_eq(
                K("add@/devices/x\0ACTION=dance\0DEVPATH=/devices/x\0SUBSYSTEM=s\0SEQNUM=1\0"),
                -EINVAL);
        ck_assert_int_eq(
                K("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=s\0SEQNUM=0\0"),
                -EINVAL);
        /* values checked like sd-device: a bad one refuses the message */
        ck_assert_int_eq(K("add@/devices/x\0ACTION=add\0DEVPATH=/devices/"
                           "x\0SUBSYSTEM=s\0SEQNUM=1\0MAJOR=x\0"),
                         -EINVAL);
        ck_assert_int_eq(K("add@/devices/x\0ACTION=add\0DEVPATH=/devices/"
                           "x\0SUBSYSTEM=s\0SEQNUM=1\0MAJOR=5000\0"),
                         -EINVAL);
        ck_assert_int_eq(K("add@/devices/x\0ACTION=add\0DEVPATH=/devices/"
                           "x\0SUBSYSTEM=s\0SEQNUM=1\0DEVMODE=99999\0"),
                         -EINVAL);
        ck_assert_int_eq(K("add@/devices/x\0ACTION=add\0DEVPATH=/devices/"
                           "x\0SUBSYSTEM=s\0SEQNUM=1\0NOVALUE\0"),
                         -EINVAL);
        ck_assert_int_eq(K("add@/devices/x\0ACTION=add\0DEVPATH=/devices/"
                           "x\0SUBSYSTEM=s\0SEQNUM=1\0DEVNAME=/etc/x\0"),
                         -EINVAL);
        /* the devpath may not climb out of sysfs */
        ck_assert_int_eq(K("add@/devices/x\0ACTION=add\0DEVPATH=/devices/../../"
                           "etc\0SUBSYSTEM=s\0SEQNUM=1\0"),
                         -EINVAL);
        ck_assert_int_eq(
                K("add@/devices/x\0ACTION=add\0DEVPATH=devices/x\0SUBSYSTEM=s\0SEQNUM=1\0"),
                -EINVAL);
        ck_assert_int_eq(K("add@/devices/x\0ACTION=add\0DEVPATH=/\0SUBSYSTEM=s\0SEQNUM=1\0"),
                         -EINVAL);
        /* the last string must be terminated */
        ck_assert_int_eq(K("add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=s\0SEQNUM=1"),
                         -EINVAL);
        /* drivers need a bus in their devpath */
        ck_assert_int_eq(
                K("add@/drivers\0ACTION=add\0DEVPATH=/drivers\0SUBSYSTEM=drivers\0SEQNUM=1\0"),
                -EINVAL);
}
END_TEST

START_TEST(test_kernel_value_newline_and_major_zero) {
        static const char m[] =
                "add@/devices/x\0ACTION=add\0DEVPATH=/devices/x\0SUBSYSTEM=s\0SEQNUM=1\0"
                "MODALIAS=abc\ngarbage\0MAJOR=0\0MINOR=7\0";
        _cleanup_device_unref_ Device *d = NULL;

        ck_assert_int_eq(uevent_parse_kernel(m, sizeof m - 1, &d), 0);
        ck_assert_str_eq(prop(d, "MODALIAS"), "abc");
        /* major 0 is "no device number": neither MAJOR nor MINOR is kept */
        ck_assert_ptr_null(prop(d, "MAJOR"));
        ck_assert_ptr_null(prop(d, "MINOR"));
        ck_assert_int_eq(device_get_devnum(d, NULL), -ENOENT);
}
END_TEST

/* The header we build for the device parsed from a real udevd message is byte-identical to
 * udevd's, and the payload holds the same strings (the order of MAJOR/MINOR moves, as it does
 * when sd-device parses and re-sends). */
static void check_libudev_fixture(const char *name) {
        _cleanup_free_ char *buf = NULL, *ours = NULL;
        _cleanup_device_unref_ Device *d = NULL, *again = NULL;
        _cleanup_strv_free_ char **a = NULL, **b = NULL;
        size_t size, n;
        bool libudev = false;

        buf = fixture(name, &size);
        ck_assert_int_eq(uevent_parse_datagram(buf, size, &d, &libudev), 0);
        ck_assert(libudev);
        ck_assert_int_eq(device_get_is_initialized(d), 1);
        ck_assert_int_eq(libudev_message_build_buffer(d, (void **) &ours, &n), 0);
        ck_assert_uint_eq(n, size);
        ck_assert_msg(memcmp(ours, buf, sizeof(LibudevMessageHeader)) == 0, "%s: header differs",
                      name);
        for (size_t i = 40; i < size; i += strlen(buf + i) + 1)
                ck_assert(strv_extend(&a, buf + i) >= 0);
        for (size_t i = 40; i < n; i += strlen(ours + i) + 1)
                ck_assert(strv_extend(&b, ours + i) >= 0);
        ck_assert(strv_equal(strv_sort(a), strv_sort(b)));
        ck_assert_int_eq(libudev_message_parse(ours, n, &again), 0);
}

START_TEST(test_libudev_fixtures) {
        _cleanup_free_ char *buf = NULL;
        _cleanup_device_unref_ Device *d = NULL;
        const char *s;
        size_t size;
        usec_t u;

        for (int i = 0; i <= 3; i++) {
                char name[64];

                snprintf(name, sizeof name, "libudev-msg-%i", i);
                check_libudev_fixture(name);
        }
        buf = fixture("libudev-msg-0", &size);
        ck_assert_int_eq(libudev_message_parse(buf, size, &d), 0);
        ck_assert(device_has_tag(d, "gone"));
        ck_assert(!device_has_current_tag(d, "gone"));
        ck_assert(device_has_current_tag(d, "devmaster_t1"));
        ck_assert(device_has_devlink(d, "/dev/devmaster/null-link"));
        ck_assert_int_eq(device_get_usec_initialized(d, &u), 0);
        ck_assert_uint_eq(u, 9476129286ULL);
        /* udevd 252 broadcasts private properties too */
        ck_assert_str_eq(prop(d, ".DEVMASTER_PRIV"), "1");
        ck_assert_str_eq(prop(d, "SYNTH_UUID"), "bd964cc7-e115-44a0-97ec-559af935c5bb");
        ck_assert_int_eq(device_get_property_value(d, "UDEV_DATABASE_VERSION", &s), -ENOENT);
}
END_TEST

START_TEST(test_libudev_build_header) {
        static const char k[] =
                "add@/devices/virtual/block/loop0\0ACTION=add\0DEVPATH=/devices/virtual/block/"
                "loop0\0"
                "SUBSYSTEM=block\0DEVTYPE=disk\0SEQNUM=9\0MAJOR=7\0MINOR=0\0DEVNAME=loop0\0";
        _cleanup_device_unref_ Device *d = NULL;
        LibudevMessageHeader h;
        const char *payload;
        size_t len;

        ck_assert_int_eq(uevent_parse_kernel(k, sizeof k - 1, &d), 0);
        ck_assert_int_eq(device_add_tag(d, "systemd", true), 0);
        ck_assert_int_eq(libudev_message_build(d, &h, &payload, &len), 0);
        ck_assert_mem_eq(h.prefix, "libudev\0", 8);
        ck_assert_uint_eq(be32toh(h.magic), 0xfeedcafe);
        ck_assert_uint_eq(h.header_size, 40);
        ck_assert_uint_eq(h.properties_off, 40);
        ck_assert_uint_eq(h.properties_len, len);
        ck_assert_uint_eq(be32toh(h.filter_subsystem_hash), 0xf0031db7U);
        ck_assert_uint_eq(be32toh(h.filter_devtype_hash), 0x7bcbc5eeU);
        ck_assert_uint_eq(be32toh(h.filter_tag_bloom_hi), 0x02000400U);
        ck_assert_uint_eq(be32toh(h.filter_tag_bloom_lo), 0x10800000U);
        ck_assert_str_eq(payload, "UDEV_DATABASE_VERSION=1");
        ck_assert_int_eq(payload[len - 1], 0);
        ck_assert_int_eq(payload[len - 2] != 0, 1);
}
END_TEST

START_TEST(test_libudev_refusals) {
        _cleanup_free_ char *buf = NULL;
        Device *d = NULL;
        size_t size;
        uint32_t v;

        buf = fixture("libudev-msg-3", &size);
        ck_assert_int_eq(libudev_message_parse(buf, 39, &d), -EINVAL);
        ck_assert_int_eq(libudev_message_parse(buf, size - 1, &d), -EINVAL); /* last string cut */
        buf[8] ^= 1; /* magic */
        ck_assert_int_eq(libudev_message_parse(buf, size, &d), -EINVAL);
        buf[8] ^= 1;
        v = (uint32_t) size; /* properties offset leaving fewer than 32 bytes */
        memcpy(buf + 16, &v, 4);
        ck_assert_int_eq(libudev_message_parse(buf, size, &d), -EINVAL);
        v = UINT32_MAX;
        memcpy(buf + 16, &v, 4);
        ck_assert_int_eq(libudev_message_parse(buf, size, &d), -EINVAL);
        ck_assert_ptr_null(d);
}
END_TEST

/* The kernel's own uevent for /dev/null, as a real listener receives it. */
START_TEST(test_live_kernel_uevent) {
        struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 };
        _cleanup_close_ int fd = -1;
        char buf[8192];
        bool seen = false;
        int wfd;

        device_set_sysfs_root(NULL);
        fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
        if (fd < 0 || bind(fd, (struct sockaddr *) &sa, sizeof sa) < 0 ||
            (wfd = open("/sys/class/mem/null/uevent", O_WRONLY | O_CLOEXEC)) < 0) {
                fprintf(stderr,
                        "SKIP: no uevent socket or /sys/class/mem/null/uevent not writable\n");
                return;
        }
        ck_assert_int_eq(write(wfd, "change", 6), 6);
        close(wfd);
        for (int i = 0; i < 50 && !seen; i++) {
                struct pollfd p = { .fd = fd, .events = POLLIN };
                _cleanup_device_unref_ Device *d = NULL;
                const char *s;
                ssize_t n;

                if (poll(&p, 1, 5000) <= 0)
                        break;
                n = recv(fd, buf, sizeof buf, 0);
                ck_assert_int_gt(n, 0);
                if (uevent_parse_datagram(buf, (size_t) n, &d, NULL) < 0)
                        continue;
                ck_assert_int_eq(device_get_devpath(d, &s), 0);
                if (!streq(s, "/devices/virtual/mem/null"))
                        continue;
                ck_assert_str_eq(prop(d, "ACTION"), "change");
                ck_assert_str_eq(prop(d, "SYNTH_UUID"), "0");
                ck_assert_str_eq(prop(d, "DEVNAME"), "/dev/null");
                seen = true;
        }
        ck_assert_msg(seen, "no uevent for /dev/null within 5 s");
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("uevent-parse");
        TCase *tc = tcase_create("parse");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_hash_check_values);
        tcase_add_test(tc, test_kernel_fixtures);
        tcase_add_test(tc, test_kernel_refusals);
        tcase_add_test(tc, test_kernel_value_newline_and_major_zero);
        tcase_add_test(tc, test_libudev_fixtures);
        tcase_add_test(tc, test_libudev_build_header);
        tcase_add_test(tc, test_libudev_refusals);
        tcase_add_test(tc, test_live_kernel_uevent);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
