/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-udev-event: the substitution formatter, udev's character replacement, the link stack
 * directory names and the rules engine applied in-process to devices of a synthetic sysfs
 * (matches, parent block, GOTO, ENV/SYMLINK/TAG assignments, := locks, PROGRAM/%c, the signal state
 * programs start with).
 */

#include <signal.h>

#include "devmaster-test-util.h"
#include "test-helpers.h"
#include "udev-event.h"
#include "udev-node.h"
#include "udev-rules-exec.h"
#include "udev-rules-parse.h"

static char *root;

static void setup(void) {
        root = tu_sysfs_new();
        ck_assert_int_eq(device_set_sysfs_root(root), 0);
}

static void teardown(void) {
        device_set_sysfs_root(NULL);
        tu_rm_rf(root);
        free(root);
}

static Device *sda1(void) {
        Device *d = NULL;
        char *p = tu_path(root, "devices/pci0000:00/0000:00:01.0/block/sda/sda1");

        ck_assert_int_eq(device_new_from_synthetic_event(&d, p, DEVICE_ACTION_ADD), 0);
        free(p);
        return d;
}

static void check_format(UdevEvent *e, const char *fmt, bool ws, const char *expected) {
        char buf[256];

        udev_event_apply_format(e, fmt, buf, sizeof buf, ws, NULL);
        ck_assert_str_eq(buf, expected);
}

START_TEST(test_format) {
        _cleanup_device_unref_ Device *d = sda1();
        UdevEvent *e = udev_event_new(d, 0, SIGKILL);
        Device *parent;
        char small[8];
        bool truncated;

        ck_assert_ptr_nonnull(e);
        check_format(e, "%k-$kernel", false, "sda1-sda1");
        check_format(e, "%n %M:%m $major/$minor", false, "1 8:1 8/1");
        check_format(e, "%p", false, "/devices/pci0000:00/0000:00:01.0/block/sda/sda1");
        check_format(e, "%N $devnode $tempnode %D %r %S", false, "/dev/sda1 /dev/sda1 /dev/sda1 sda1 /dev /sys");
        check_format(e, "%% $$ %b|%d|%c|", false, "% $ |||");
        check_format(e, "$env{DEVTYPE} %E{PARTN} %E{NOPE}.", false, "partition 1 .");
        check_format(e, "%P", false, "sda");
        check_format(e, "$unknown %q", false, "$unknown %q");
        /* the parent block's device provides %b, %d and the $attr fallback */
        ck_assert_int_eq(device_get_parent(d, &parent), 0);
        ck_assert_int_eq(device_get_parent(parent, &parent), 0);
        e->dev_parent = parent;
        check_format(e, "%b %d $attr{vendor} [%s{label}]", false, "0000:00:01.0 foo 0x8086 [  spaced out]");
        check_format(e, "[%s{label}]", true, "[spaced_out]");
        e->program_result = strdup("  one two   three ");
        check_format(e, "%c{2}|%c{2+}|%c{5}|", false, "two|two   three ||");
        check_format(e, "%c", true, "  one two   three ");
        /* truncation is reported */
        udev_event_apply_format(e, "%p", small, sizeof small, false, &truncated);
        ck_assert(truncated);
        ck_assert_str_eq(small, "/device");
        udev_event_free(e);
}
END_TEST

START_TEST(test_replace) {
        char a[] = "a b/c\x01" "d\xc3\xbc\\x2f*";
        char b[] = "  lots   of\tspace  ";

        ck_assert_int_eq(udev_replace_chars(a, "/ "), 2);
        ck_assert_str_eq(a, "a b/c_d\xc3\xbc\\x2f_");
        ck_assert_int_eq(udev_replace_whitespace(b, b, strlen(b)), 13);
        ck_assert_str_eq(b, "lots_of_space");
}
END_TEST

START_TEST(test_escape_path) {
        char buf[256], small[20];

        udev_node_escape_path("disk/by-id/a\\b", buf, sizeof buf);
        ck_assert_str_eq(buf, "disk\\x2fby-id\\x2fa\\x5cb");
        ck_assert_int_eq(udev_node_escape_path("disk/by-label/a-very-long-name", small, sizeof small), 19);
        ck_assert_int_eq(strlen(small), 19);
        ck_assert(strncmp(small, "disk\\x2fby", 10) == 0 || strncmp(small, "disk\\x2f", 8) == 0);
}
END_TEST

static const char rules_text[] =
        "KERNEL==\"sda1\", SUBSYSTEMS==\"pci\", DRIVERS==\"foo\", ATTRS{vendor}==\"0x8086\", SYMLINK+=\"by-%b/%k\"\n"
        "KERNEL==\"sda1\", GOTO=\"end\"\n"
        "KERNEL==\"sda1\", SYMLINK+=\"skipped\"\n"
        "LABEL=\"end\"\n"
        "ENV{DEVTYPE}==\"partition\", ENV{MY}=\"a\", SYMLINK+=\"env-$env{MY}\", TAG+=\"t1\", TAG+=\"t2\"\n"
        "TAG==\"t2\", TAG-=\"t1\", ENV{MY}+=\"b\"\n"
        "KERNEL==\"sda1\", SYMLINK:=\"final\"\n"
        "KERNEL==\"sda1\", SYMLINK+=\"not-after-final\", MODE=\"0640\", OWNER:=\"1\", OWNER=\"2\"\n"
        "PROGRAM==\"/bin/echo -n x y\", RESULT==\"x y\", ENV{R}=\"%c{2}\"\n"
        "ATTRS{vendor}==\"0x1234\", ENV{WRONG}=\"1\"\n"
        /* a program's signal state: SigIgn and SigBlk of its /proc/self/status */
        "KERNEL==\"sda1\", PROGRAM==\"/usr/bin/awk '/^Sig(Ign|Blk)/ { printf $2 }' /proc/self/status\", "
        "ENV{SIGNALS}=\"%c\"\n";

START_TEST(test_rules) {
        _cleanup_(udev_rules_freep) UdevRules *rules = NULL;
        _cleanup_device_unref_ Device *d = sda1();
        UdevEvent *e = udev_event_new(d, 3 * USEC_PER_SEC, SIGKILL);
        const char *v, *link;
        int n = 0;

        ck_assert_int_eq(udev_rules_new(UDEV_RULES_RESOLVE_NAME_EARLY, &rules), 0);
        ck_assert_int_eq(udev_rules_parse_buffer(rules, "test.rules", rules_text, strlen(rules_text)), 0);
        ck_assert_int_eq(udev_rules_apply_to_event(rules, e), 0);

        DEVICE_FOREACH_DEVLINK(d, link) {
                ck_assert_str_eq(link, "/dev/final");
                n++;
        }
        ck_assert_int_eq(n, 1);
        ck_assert_int_eq(device_get_property_value(d, "MY", &v), 0);
        ck_assert_str_eq(v, "a b");
        ck_assert_int_eq(device_get_property_value(d, "R", &v), 0);
        ck_assert_str_eq(v, "y");
        ck_assert_int_eq(device_get_property_value(d, "WRONG", &v), -ENOENT);
        /* programs start as after fork() + execve() from udevd: nothing ignored (glibc's
         * posix_spawn() left its signals 32 and 33 ignored), nothing blocked */
        ck_assert_int_eq(device_get_property_value(d, "SIGNALS", &v), 0);
        ck_assert_str_eq(v, "00000000000000000000000000000000");
        /* without a database record (version < 1) current tags read as all tags, as in 252 */
        ck_assert(device_has_tag(d, "t1"));
        ck_assert(device_has_tag(d, "t2"));
        ck_assert_uint_eq(e->uid, 1);
        ck_assert_uint_eq(e->mode, 0640);
        udev_event_free(e);
}
END_TEST

/* IMPORT{file} and SYSCTL{} read whole files: a file of a few bytes is not too big */
START_TEST(test_import_file_and_sysctl) {
        _cleanup_(udev_rules_freep) UdevRules *rules = NULL;
        _cleanup_device_unref_ Device *d = sda1();
        UdevEvent *e = udev_event_new(d, 3 * USEC_PER_SEC, SIGKILL);
        char *file = tu_path(root, "import"), *text = NULL;
        const char *v;

        tu_write(root, "import", "IMPORTED_A=1\nIMPORTED_B=two words\n", 0644);
        ck_assert_int_ge(asprintf(&text,
                                  "KERNEL==\"sda1\", IMPORT{file}=\"%s\"\n"
                                  "SYSCTL{kernel/ostype}==\"Linux\", ENV{OSTYPE}=\"linux\"\n",
                                  file),
                         0);
        ck_assert_int_eq(udev_rules_new(UDEV_RULES_RESOLVE_NAME_EARLY, &rules), 0);
        ck_assert_int_eq(udev_rules_parse_buffer(rules, "test.rules", text, strlen(text)), 0);
        ck_assert_int_eq(udev_rules_apply_to_event(rules, e), 0);
        ck_assert_int_eq(device_get_property_value(d, "IMPORTED_A", &v), 0);
        ck_assert_str_eq(v, "1");
        ck_assert_int_eq(device_get_property_value(d, "IMPORTED_B", &v), 0);
        ck_assert_str_eq(v, "two words");
        ck_assert_int_eq(device_get_property_value(d, "OSTYPE", &v), 0);
        ck_assert_str_eq(v, "linux");
        udev_event_free(e);
        free(text);
        free(file);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("udev-event");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_format);
        tcase_add_test(tc, test_replace);
        tcase_add_test(tc, test_escape_path);
        tcase_add_test(tc, test_rules);
        tcase_add_test(tc, test_import_file_and_sysctl);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
