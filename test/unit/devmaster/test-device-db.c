/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-device-db.c: the udev database records and tag files: the exact format and line order
 * udevd 252 writes (checked against records written by the real systemd-udevd 252, kept in
 * test/data/devmaster/udevd-252), the empty-file rules, modes, the reader's tolerance of what
 * 252 writes and its refusal of garbage, and the real `udevadm info` reading our records
 * inside a private mount namespace with a tmpfs on /run (the host's /run is never written).
 */

#include <sys/stat.h>

#include "device-db.h"
#include "device.h"
#include "devmaster-test-util.h"
#include "test-helpers.h"

#define FIXTURES TEST_DATA_DIR "/devmaster/udevd-252"

static char *run;

static void setup(void) {
        run = tu_mkdtemp();
        ck_assert_int_eq(device_db_set_run_dir(run), 0);
}

static void teardown(void) {
        ck_assert_int_eq(device_db_set_run_dir(NULL), 0);
        ck_assert_int_eq(device_set_sysfs_root(NULL), 0);
        tu_rm_rf(run);
        run = mfree(run);
}

/* A sealed device as a uevent would bring it. */
static Device *event_device(const char *devpath, const char *subsystem, const char *extra1,
                            const char *extra2) {
        char dp[512], ss[128];
        char *strv[] = { (char *) "ACTION=add", dp,  ss, (char *) "SEQNUM=5", (char *) extra1,
                         (char *) extra2,       NULL };
        Device *d = NULL;

        snprintf(dp, sizeof dp, "DEVPATH=%s", devpath);
        snprintf(ss, sizeof ss, "SUBSYSTEM=%s", subsystem);
        if (!extra1)
                strv[4] = NULL;
        if (!extra2)
                strv[5] = NULL;
        ck_assert_int_eq(device_new_from_strv(&d, strv), 0);
        return d;
}

static Device *null_device(void) {
        Device *d = event_device("/devices/virtual/mem/null", "mem", "MAJOR=1", "MINOR=3");

        ck_assert_int_eq(device_add_property_internal(d, "DEVNAME", "/dev/null"), 0);
        return d;
}

static char *record_path(const char *id) {
        char *p = NULL;

        ck_assert(asprintf(&p, "%s/data/%s", run, id) > 0);
        return p;
}

static char *fixture(const char *name, size_t *ret_size) {
        char p[1024], *buf = NULL;

        snprintf(p, sizeof p, "%s/%s", FIXTURES, name);
        ck_assert_msg(read_full_file(p, SIZE_MAX, &buf, ret_size) >= 0, "missing fixture %s", p);
        return buf;
}

START_TEST(test_write_exact_format) {
        _cleanup_device_unref_ Device *d = null_device();
        _cleanup_free_ char *path = record_path("c1:3"), *text = NULL, *tag = NULL;
        struct stat st;

        ck_assert_int_eq(device_add_devlink(d, "/dev/disk/x"), 0);
        ck_assert_int_eq(device_add_devlink(d, "/dev/y"), 0);
        device_set_devlink_priority(d, -5);
        ck_assert_int_eq(device_set_usec_initialized(d, 123), 0);
        ck_assert_int_eq(device_add_property(d, "ID_A", "1"), 0);
        ck_assert_int_eq(device_add_property(d, ".PRIV", "2"), 0);
        ck_assert_int_eq(device_add_property_internal(d, "KERNEL_KEY", "3"), 0);
        ck_assert_int_eq(device_add_property(d, "ID_B", "x y=z"), 0);
        ck_assert_int_eq(device_add_tag(d, "systemd", true), 0);
        ck_assert_int_eq(device_add_tag(d, "gone", false), 0);
        ck_assert_int_eq(device_add_tag(d, "seat", true), 0);
        ck_assert_int_eq(device_db_write(d), 0);

        text = tu_read(path);
        ck_assert_str_eq(text, "S:disk/x\nS:y\nL:-5\nI:123\nE:ID_A=1\nE:ID_B=x y=z\n"
                               "G:systemd\nG:gone\nG:seat\nQ:systemd\nQ:seat\nV:1\n");
        ck_assert_int_eq(stat(path, &st), 0);
        ck_assert_uint_eq(st.st_mode & 07777, 0644);

        device_set_db_persist(d);
        ck_assert_int_eq(device_db_write(d), 0);
        ck_assert_int_eq(stat(path, &st), 0);
        ck_assert_uint_eq(st.st_mode & 07777, 01644);

        ck_assert_int_eq(device_db_tag_index(d, NULL, true), 0);
        ck_assert(asprintf(&tag, "%s/tags/gone/c1:3", run) > 0);
        ck_assert_int_eq(stat(tag, &st), 0);
        ck_assert_uint_eq(st.st_mode & 07777, 0444);
        ck_assert_int_eq(st.st_size, 0);
}
END_TEST

START_TEST(test_write_leaves_no_temporary) {
        _cleanup_device_unref_ Device *d = null_device();
        _cleanup_free_ char *cmd = NULL, *listing = NULL;

        ck_assert_int_eq(device_add_property(d, "ID_A", "1"), 0);
        ck_assert_int_eq(device_db_write(d), 0);
        ck_assert_int_eq(device_db_write(d), 0);
        ck_assert(asprintf(&cmd, "ls -A '%s/data'", run) > 0);
        listing = tu_run(cmd);
        ck_assert_str_eq(listing, "c1:3\n");
}
END_TEST

START_TEST(test_empty_file_rules) {
        _cleanup_device_unref_ Device *withnum = null_device();
        _cleanup_device_unref_ Device *net =
                event_device("/devices/virtual/net/lo", "net", "IFINDEX=1", "INTERFACE=lo");
        _cleanup_device_unref_ Device *plain =
                event_device("/devices/pci0000:00/0000:00:01.0", "pci", NULL, NULL);
        _cleanup_free_ char *p1 = record_path("c1:3"), *p2 = record_path("n1"),
                            *p3 = record_path("+pci:0000:00:01.0");
        _cleanup_free_ char *t1 = NULL, *t2 = NULL;

        /* USEC_INITIALIZED alone is no information: I: is only written with other lines */
        ck_assert_int_eq(device_set_usec_initialized(withnum, 42), 0);
        ck_assert_int_eq(device_db_write(withnum), 0);
        t1 = tu_read(p1);
        ck_assert_str_eq(t1, "");
        ck_assert_int_eq(device_db_write(net), 0);
        t2 = tu_read(p2);
        ck_assert_str_eq(t2, "");
        /* neither number nor interface: no file, and a stale one goes */
        tu_write(run, "data/+pci:0000:00:01.0", "E:STALE=1\n", 0644);
        ck_assert_int_eq(device_db_write(plain), 0);
        ck_assert_int_eq(access(p3, F_OK), -1);
        /* with information it gets a record */
        ck_assert_int_eq(device_add_property(plain, "ID_X", "1"), 0);
        ck_assert_int_eq(device_db_write(plain), 0);
        free(t1);
        t1 = tu_read(p3);
        ck_assert_str_eq(t1, "E:ID_X=1\nV:1\n");
}
END_TEST

START_TEST(test_links_only_with_devnum) {
        _cleanup_device_unref_ Device *net =
                event_device("/devices/virtual/net/lo", "net", "IFINDEX=1", NULL);
        _cleanup_free_ char *p = record_path("n1"), *t = NULL;

        ck_assert_int_eq(device_add_devlink(net, "/dev/never"), 0);
        device_set_devlink_priority(net, 3);
        ck_assert_int_eq(device_set_usec_initialized(net, 7), 0);
        ck_assert_int_eq(device_db_write(net), 0);
        t = tu_read(p);
        ck_assert_str_eq(t, "I:7\nV:1\n");
}
END_TEST

/* A record written by the real systemd-udevd 252 reads back completely and formats to the
 * same bytes. */
static void check_fixture_round_trip(Device *d, const char *name) {
        _cleanup_free_ char *orig = NULL, *again = NULL;
        char path[1024];
        size_t size;

        orig = fixture(name, &size);
        snprintf(path, sizeof path, "%s/%s", FIXTURES, name);
        ck_assert_int_eq(device_db_read_file(d, path), 0);
        ck_assert_int_eq(device_get_is_initialized(d), 1);
        ck_assert_int_eq(device_db_format(d, &again), 0);
        ck_assert_str_eq(again, orig);
}

START_TEST(test_read_udevd_records) {
        _cleanup_device_unref_ Device *null = null_device();
        _cleanup_device_unref_ Device *zero =
                event_device("/devices/virtual/mem/zero", "mem", "MAJOR=1", "MINOR=5");
        _cleanup_device_unref_ Device *lo =
                event_device("/devices/virtual/net/lo", "net", "IFINDEX=1", NULL);
        _cleanup_device_unref_ Device *loop =
                event_device("/devices/virtual/block/loop1", "block", "MAJOR=7", "MINOR=1");
        const char *s;
        usec_t u;
        int prio;

        check_fixture_round_trip(null, "db-c1-3");
        ck_assert(device_has_devlink(null, "/dev/devmaster/null-link"));
        ck_assert(device_has_devlink(null, "/dev/devmaster-null2"));
        ck_assert_int_eq(device_get_devlink_priority(null, &prio), 0);
        ck_assert_int_eq(prio, -5);
        ck_assert_int_eq(device_get_usec_initialized(null, &u), 0);
        ck_assert_uint_eq(u, 9476129286ULL);
        ck_assert_int_eq(device_get_property_value(null, "DEVMASTER_TEST", &s), 0);
        ck_assert_str_eq(s, "yes");
        ck_assert(device_property_is_db(null, "DEVMASTER_TEST"));
        ck_assert(device_has_tag(null, "gone"));
        ck_assert(!device_has_current_tag(null, "gone"));
        ck_assert(device_has_current_tag(null, "devmaster_t1"));
        ck_assert_int_eq(device_get_property_value(null, "TAGS", &s), 0);
        ck_assert_str_eq(s, ":systemd:devmaster_t1:gone:");
        ck_assert_int_eq(device_get_property_value(null, "CURRENT_TAGS", &s), 0);
        ck_assert_str_eq(s, ":systemd:devmaster_t1:");
        ck_assert_int_eq(device_get_property_value(null, "DEVLINKS", &s), 0);
        ck_assert_str_eq(s, "/dev/devmaster/null-link /dev/devmaster-null2");

        check_fixture_round_trip(zero, "db-c1-5");
        ck_assert_int_eq(device_get_usec_initialized(zero, &u), -ENODATA);
        check_fixture_round_trip(lo, "db-n1");
        check_fixture_round_trip(loop, "db-b7-1");
        ck_assert_int_eq(device_get_property_value(loop, "DEVMASTER_BLK", &s), 0);
        ck_assert_str_eq(s, "x y");
}
END_TEST

START_TEST(test_reader_accepts_obsolete_and_crlf) {
        _cleanup_device_unref_ Device *d = null_device();
        static const char rec[] = "W:17\r\nS:a\r\nI:5\nE:K=v\r\nG:t\rQ:t\n\nV:1\n";
        LogCapture cap;

        log_capture_start(&cap);
        ck_assert_int_eq(device_db_parse(d, "rec", rec, sizeof rec - 1), 0);
        log_capture_stop();
        ck_assert_msg(!strstr(cap.buf, "Invalid"), "unexpected: %s", cap.buf);
        ck_assert(device_has_devlink(d, "/dev/a"));
        ck_assert(device_has_current_tag(d, "t"));
}
END_TEST

START_TEST(test_reader_refuses_garbage) {
        _cleanup_device_unref_ Device *d = null_device();
        static const char rec[] = "S:ok-link\n"
                                  "garbage line\n"
                                  "E:NOEQUALS\n"
                                  "I:notanumber\n"
                                  "G:bad:tag\n"
                                  "Z:unknown keys are ignored as udev ignores them\n"
                                  "E:GOOD=1\n"
                                  "E:\0binary\n"
                                  "L:12x\n"
                                  "Q:good\n"
                                  "V:1\n";
        LogCapture cap;
        const char *s;

        log_capture_start(&cap);
        ck_assert_int_eq(device_db_parse(d, "/run/udev/data/c1:3", rec, sizeof rec - 1), 6);
        log_capture_stop();
        ck_assert_log_contains(
                &cap, "/run/udev/data/c1:3:2: Invalid database entry 'garbage line', ignoring");
        ck_assert_log_contains(&cap, "/run/udev/data/c1:3:3: Invalid database entry 'E:NOEQUALS'");
        ck_assert_log_contains(&cap,
                               "/run/udev/data/c1:3:4: Invalid database entry 'I:notanumber'");
        ck_assert_log_contains(&cap, "/run/udev/data/c1:3:5: Invalid database entry 'G:bad:tag'");
        ck_assert_log_contains(&cap,
                               "/run/udev/data/c1:3:8: Invalid database entry 'E:\\000binary'");
        ck_assert_log_contains(&cap, "/run/udev/data/c1:3:9:");
        ck_assert(!strstr(cap.buf, ":6:"));
        /* everything valid is kept */
        ck_assert(device_has_devlink(d, "/dev/ok-link"));
        ck_assert_int_eq(device_get_property_value(d, "GOOD", &s), 0);
        ck_assert(device_has_current_tag(d, "good"));
        ck_assert(!device_has_tag(d, "bad"));
}
END_TEST

START_TEST(test_reader_random_bytes) {
        unsigned seed = 1;

        for (int round = 0; round < 200; round++) {
                _cleanup_device_unref_ Device *d = null_device();
                char buf[512];
                size_t n = (size_t) (rand_r(&seed) % sizeof buf);

                for (size_t i = 0; i < n; i++)
                        buf[i] = (char) (rand_r(&seed) % 4 == 0 ? "SLIEGQVW:\n="[rand_r(&seed) % 11]
                                                                : rand_r(&seed));
                log_set_max_level(LOG_ERR);
                ck_assert_int_ge(device_db_parse(d, "random", buf, n), 0);
                log_set_max_level(LOG_DEBUG);
                ck_assert_int_ge(device_db_write(d), 0);
        }
}
END_TEST

START_TEST(test_missing_record) {
        _cleanup_device_unref_ Device *d = null_device();
        _cleanup_free_ char *p = record_path("c1:3");

        ck_assert_int_eq(device_db_read_file(d, p), 0);
        ck_assert_int_eq(device_get_is_initialized(d), 0);
        ck_assert_int_eq(device_get_usec_initialized(d, NULL), -EBUSY);
        ck_assert_int_eq(device_db_delete(d), 0);
}
END_TEST

START_TEST(test_tag_index_moves_tags) {
        _cleanup_device_unref_ Device *old = null_device(), *d = null_device();
        char p[1024];

        ck_assert_int_eq(device_add_tag(old, "a", true), 0);
        ck_assert_int_eq(device_add_tag(old, "b", true), 0);
        ck_assert_int_eq(device_db_tag_index(old, NULL, true), 0);
        ck_assert_int_eq(device_add_tag(d, "b", true), 0);
        ck_assert_int_eq(device_add_tag(d, "c", true), 0);
        ck_assert_int_eq(device_db_tag_index(d, old, true), 0);
        snprintf(p, sizeof p, "%s/tags/a/c1:3", run);
        ck_assert_int_eq(access(p, F_OK), -1);
        snprintf(p, sizeof p, "%s/tags/b/c1:3", run);
        ck_assert_int_eq(access(p, F_OK), 0);
        snprintf(p, sizeof p, "%s/tags/c/c1:3", run);
        ck_assert_int_eq(access(p, F_OK), 0);
        ck_assert_int_eq(device_db_tag_index(d, NULL, false), 0);
        ck_assert_int_eq(access(p, F_OK), -1);
}
END_TEST

/* A device from sysfs loads its record on the first question about it; clone_with_db() is
 * the old record of an event; the record of an event device is never read (sealed). */
START_TEST(test_lazy_read_and_clone) {
        _cleanup_free_ char *sys = tu_sysfs_new(), *p = NULL;
        _cleanup_device_unref_ Device *d = NULL, *clone = NULL, *ev = NULL;
        const char *s;
        usec_t u;

        ck_assert_int_eq(device_set_sysfs_root(sys), 0);
        tu_write(run, "data/c1:3", "S:link\nI:99\nE:ID_OLD=1\nG:systemd\nQ:systemd\nV:1\n", 0644);
        ck_assert(asprintf(&p, "%s/class/mem/null", sys) > 0);
        ck_assert_int_eq(device_new_from_syspath(&d, p), 0);
        ck_assert(device_has_tag(d, "systemd"));
        ck_assert_int_eq(device_get_usec_initialized(d, &u), 0);
        ck_assert_uint_eq(u, 99);
        ck_assert_int_eq(device_get_property_value(d, "ID_OLD", &s), 0);

        ck_assert_int_eq(device_clone_with_db(d, &clone), 0);
        ck_assert_int_eq(device_get_property_value(clone, "ID_OLD", &s), 0);
        ck_assert_str_eq(s, "1");
        ck_assert_int_eq(device_get_devname(clone, &s), 0);
        ck_assert_str_eq(s, "/dev/null");

        ev = event_device("/devices/virtual/mem/null", "mem", "MAJOR=1", "MINOR=3");
        ck_assert(!device_has_tag(ev, "systemd"));
        ck_assert_int_eq(device_get_property_value(ev, "ID_OLD", &s), -ENOENT);
        ck_assert_int_eq(device_ensure_usec_initialized(ev, clone), 0);
        ck_assert_int_eq(device_get_property_value(ev, "USEC_INITIALIZED", &s), 0);
        ck_assert_str_eq(s, "99");
        tu_rm_rf(sys);
}
END_TEST

/* What udevd 252 printed for /dev/null with its record is what we print from that record. */
START_TEST(test_info_from_udevd_record) {
        _cleanup_device_unref_ Device *d = NULL;
        _cleanup_free_ char *rec = fixture("db-c1-3", NULL),
                            *expect = fixture("info-null.txt", NULL), *ours = NULL;
        _cleanup_free_ char *a = NULL, *b = NULL;

        if (access("/sys/class/mem/null", F_OK) < 0) {
                fprintf(stderr, "SKIP: no /sys/class/mem/null\n");
                return;
        }
        tu_write(run, "data/c1:3", rec, 0644);
        ck_assert_int_eq(device_new_from_syspath(&d, "/sys/class/mem/null"), 0);
        ours = tu_print_record(d);
        a = tu_normalize_record(ours);
        b = tu_normalize_record(expect);
        ck_assert_str_eq(a, b);
}
END_TEST

/* Our writer's record, read by the real udevadm in a private mount namespace. */
START_TEST(test_udevadm_reads_our_record) {
        _cleanup_device_unref_ Device *ev = NULL, *d = NULL;
        _cleanup_free_ char *cmd = NULL, *theirs = NULL, *ours = NULL, *a = NULL, *b = NULL;
        const char *udevadm = tu_udevadm();

        if (!udevadm || geteuid() != 0 || access("/sys/class/mem/null", F_OK) < 0 ||
            system("unshare --mount --propagation private true 2>/dev/null") != 0) {
                fprintf(stderr, "SKIP: needs root, unshare, /sys/class/mem/null and udevadm (set "
                                "$UDEVADM)\n");
                return;
        }
        ck_assert_int_eq(device_new_from_syspath(&ev, "/sys/class/mem/null"), 0);
        ck_assert_int_eq(device_read_uevent_file(ev), 0);
        device_seal(ev); /* an event device: the host has no record to merge anyway */
        ck_assert_int_eq(device_add_devlink(ev, "/dev/disk/by-id/devmaster-null"), 0);
        ck_assert_int_eq(device_add_devlink(ev, "/dev/devmaster\\x20esc"), 0);
        device_set_devlink_priority(ev, 42);
        ck_assert_int_eq(device_set_usec_initialized(ev, 1234567), 0);
        ck_assert_int_eq(device_add_property(ev, "ID_DEVMASTER", "a b=c"), 0);
        ck_assert_int_eq(device_add_property(ev, "ID_EMPTY_LATER", "x"), 0);
        ck_assert_int_eq(device_add_property(ev, ".HIDDEN", "1"), 0);
        ck_assert_int_eq(device_add_tag(ev, "systemd", true), 0);
        ck_assert_int_eq(device_add_tag(ev, "uaccess", false), 0);
        ck_assert_int_eq(device_add_tag(ev, "seat", true), 0);
        ck_assert_int_eq(device_db_write(ev), 0);

        ck_assert(asprintf(&cmd,
                           "unshare --mount --propagation private sh -euc '"
                           "mount -t tmpfs -o mode=0755 tmpfs /run; mkdir -p /run/udev/data; "
                           "cp \"%s/data/c1:3\" /run/udev/data/; "
                           "\"%s\" info --query=all --path=/sys/class/mem/null' 2>/dev/null",
                           run, udevadm) > 0);
        theirs = tu_run(cmd);
        ck_assert_msg(theirs, "udevadm in a namespace failed: %s", cmd);
        ck_assert_int_eq(device_new_from_syspath(&d, "/sys/class/mem/null"), 0);
        ours = tu_print_record(d);
        a = tu_normalize_record(ours);
        b = tu_normalize_record(theirs);
        ck_assert_msg(streq(a, b), "udevadm:\n%s\ndevmaster:\n%s", theirs, ours);
        ck_assert(strstr(b, "\nS: devmaster\\x20esc\nS: disk/by-id/devmaster-null\n"));
        ck_assert(strstr(b, "\nL: 42\n"));
        ck_assert(strstr(b, "\nE: ID_DEVMASTER=a b=c\n"));
        ck_assert(
                strstr(b, "\nE: DEVLINKS=/dev/devmaster\\x20esc /dev/disk/by-id/devmaster-null\n"));
        ck_assert(strstr(b, "\nE: TAGS=:seat:systemd:uaccess:\n"));
        ck_assert(strstr(b, "\nE: CURRENT_TAGS=:seat:systemd:\n"));
        ck_assert(strstr(theirs, "\nE: USEC_INITIALIZED=1234567\n"));
        ck_assert(!strstr(theirs, "HIDDEN"));
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("device-db");
        TCase *tc = tcase_create("db");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_write_exact_format);
        tcase_add_test(tc, test_write_leaves_no_temporary);
        tcase_add_test(tc, test_empty_file_rules);
        tcase_add_test(tc, test_links_only_with_devnum);
        tcase_add_test(tc, test_read_udevd_records);
        tcase_add_test(tc, test_reader_accepts_obsolete_and_crlf);
        tcase_add_test(tc, test_reader_refuses_garbage);
        tcase_add_test(tc, test_reader_random_bytes);
        tcase_add_test(tc, test_missing_record);
        tcase_add_test(tc, test_tag_index_moves_tags);
        tcase_add_test(tc, test_lazy_read_and_clone);
        tcase_add_test(tc, test_info_from_udevd_record);
        tcase_add_test(tc, test_udevadm_reads_our_record);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
