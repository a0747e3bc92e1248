/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests of the unit search path: Debian's order, $SYSTEMD_UNIT_PATH replacing it, a trailing
 * ':' appending the defaults, duplicates removed, and the mtime hash used for not-found retries. */

#include <sys/stat.h>
#include <unistd.h>

#include "strv.h"
#include "test-helpers.h"
#include "fd-util.h"
#include "unit-path.h"

START_TEST(test_defaults_in_debian_order) {
        UnitPath p;
        unsetenv("SYSTEMD_UNIT_PATH");
        ck_assert_int_eq(unit_path_init(&p, NULL), 0);
        ck_assert_int_eq(strv_length(p.search_path), 13);
        ck_assert_str_eq(p.search_path[0], "/etc/systemd/system.control");
        ck_assert_str_eq(p.search_path[4], "/etc/systemd/system");
        ck_assert_str_eq(p.search_path[6], "/run/systemd/system");
        ck_assert_str_eq(p.search_path[10], "/lib/systemd/system");
        ck_assert_str_eq(p.search_path[11], "/usr/lib/systemd/system");
        ck_assert_str_eq(p.search_path[12], "/run/systemd/generator.late");
        unit_path_done(&p);
}
END_TEST

START_TEST(test_environment_replaces) {
        UnitPath p;
        setenv("SYSTEMD_UNIT_PATH", "/a:/b//:/a", 1);
        ck_assert_int_eq(unit_path_init(&p, NULL), 0);
        ck_assert_int_eq(strv_length(p.search_path), 2);
        ck_assert_str_eq(p.search_path[0], "/a");
        ck_assert_str_eq(p.search_path[1], "/b");
        unit_path_done(&p);
        unsetenv("SYSTEMD_UNIT_PATH");
}
END_TEST

START_TEST(test_trailing_colon_appends_defaults) {
        UnitPath p;
        ck_assert_int_eq(unit_path_init(&p, "/x:/etc/systemd/system:"), 0);
        ck_assert_int_eq(strv_length(p.search_path), 14);
        ck_assert_str_eq(p.search_path[0], "/x");
        ck_assert_str_eq(p.search_path[1], "/etc/systemd/system");
        ck_assert_str_eq(p.search_path[2], "/etc/systemd/system.control");
        unit_path_done(&p);
}
END_TEST

START_TEST(test_mtime_hash_changes_with_directory) {
        char dir[] = "/tmp/sysmaster-unit-path-XXXXXX", file[64];
        UnitPath p;
        uint64_t h1, h2;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        ck_assert_int_eq(unit_path_init(&p, dir), 0);
        h1 = unit_path_timestamp_hash(&p);
        ck_assert(unit_path_timestamp_hash(&p) == h1);
        usleep(20 * 1000);
        snprintf(file, sizeof file, "%s/new.service", dir);
        ck_assert_int_eq(write_string_file(file, "[Service]\n") == 0 ? 0 : 1, 0);
        h2 = unit_path_timestamp_hash(&p);
        ck_assert(h1 != h2);
        ck_assert(unit_path_mtime_excluded(&p, "/run/systemd/generator"));
        ck_assert(unit_path_mtime_excluded(&p, "/run/systemd/transient"));
        ck_assert(!unit_path_mtime_excluded(&p, dir));
        unit_path_done(&p);
        unlink(file);
        rmdir(dir);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("unit-path");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_defaults_in_debian_order);
        tcase_add_test(tc, test_environment_replaces);
        tcase_add_test(tc, test_trailing_colon_appends_defaults);
        tcase_add_test(tc, test_mtime_hash_changes_with_directory);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
