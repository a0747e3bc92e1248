/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-bus-activation: which names a bus can activate (ListActivatableNames) from its service
 * directories: an earlier directory wins, files without a valid Name= or Exec= are skipped, a
 * strict (transient) directory only takes NAME.service for Name=NAME, and a reload reports
 * whether the set of names changed (ActivatableServicesChanged is sent only then).
 */

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../test-helpers.h"
#include "busmaster/bus-activation.h"
#include "string-util.h"

static char dir[] = "/tmp/test-bus-activation.XXXXXX";

static void write_file(const char *sub, const char *name, const char *text) {
        char path[512];
        FILE *f;

        snprintf(path, sizeof path, "%s/%s", dir, sub);
        (void) mkdir(path, 0755);
        snprintf(path, sizeof path, "%s/%s/%s", dir, sub, name);
        f = fopen(path, "we");
        ck_assert_ptr_nonnull(f);
        fputs(text, f);
        fclose(f);
}

static char *names(BusActivation *a) {
        Iterator i = ITERATOR_FIRST;
        const char *n;
        char *all = NULL;

        while (bus_activation_iterate(a, &i, &n))
                ck_assert_int_ge(strextend_with_separator(&all, " ", n), 0);
        return all ?: strdup("");
}

START_TEST(test_service_dirs) {
        BusActivation *a;
        BusServiceDir dirs[3];
        char p1[512], p2[512], p3[512];
        _cleanup_free_ char *l = NULL, *l2 = NULL;
        static LogCapture logs;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(p1, sizeof p1, "%s/first", dir);
        snprintf(p2, sizeof p2, "%s/second", dir);
        snprintf(p3, sizeof p3, "%s/transient", dir);
        write_file("first", "a.service", "[D-BUS Service]\nName=com.example.A\nExec=/bin/true first\n");
        write_file("second", "a.service", "[D-BUS Service]\nName=com.example.A\nExec=/bin/true second\n");
        write_file("second", "b.service", "# comment\n[D-BUS Service]\nName=com.example.B\nExec=/bin/true\n"
                                          "SystemdService=b.service\n");
        write_file("second", "noexec.service", "[D-BUS Service]\nName=com.example.NoExec\n");
        write_file("second", "badname.service", "[D-BUS Service]\nName=not a name\nExec=/bin/true\n");
        write_file("second", "other-section.service", "[Unit]\nName=com.example.Other\nExec=/bin/true\n");
        write_file("second", "ignored.txt", "[D-BUS Service]\nName=com.example.Txt\nExec=/bin/true\n");
        write_file("transient", "com.example.T.service", "[D-BUS Service]\nName=com.example.T\nExec=/bin/true\n");
        write_file("transient", "wrong.service", "[D-BUS Service]\nName=com.example.W\nExec=/bin/true\n");

        dirs[0] = (BusServiceDir) { .path = p1 };
        dirs[1] = (BusServiceDir) { .path = p2 };
        dirs[2] = (BusServiceDir) { .path = p3, .flags = BUS_SERVICE_DIR_STRICT_NAMING | BUS_SERVICE_DIR_NO_WATCH };

        ck_assert_int_eq(bus_activation_new(NULL, &a), 0);
        log_capture_start(&logs);
        ck_assert_int_eq(bus_activation_load(a, dirs, 3), 1); /* names appeared */
        log_capture_stop();
        /* every skipped file is named in the log, with the reason */
        ck_assert_log_contains(&logs, "noexec.service: invalid content");
        ck_assert_log_contains(&logs, "badname.service: invalid content");
        ck_assert_log_contains(&logs, "wrong.service: it must be named com.example.W.service");
        l = names(a);
        /* directory order; within one directory the order is the directory's */
        ck_assert_ptr_nonnull(strstr(l, "com.example.A"));
        ck_assert_ptr_nonnull(strstr(l, "com.example.B"));
        ck_assert_ptr_nonnull(strstr(l, "com.example.T"));
        ck_assert_ptr_null(strstr(l, "NoExec"));
        ck_assert_ptr_null(strstr(l, "Other"));
        ck_assert_ptr_null(strstr(l, "Txt"));
        ck_assert_ptr_null(strstr(l, "com.example.W"));
        ck_assert_ptr_null(strstr(l, "not a name"));
        ck_assert(startswith(l, "com.example.A"));

        /* the same files again: nothing changed */
        log_capture_start(&logs);
        ck_assert_int_eq(bus_activation_load(a, dirs, 3), 0);
        /* a removed file changes the set */
        snprintf(p1, sizeof p1, "%s/second/b.service", dir);
        ck_assert_int_eq(unlink(p1), 0);
        snprintf(p1, sizeof p1, "%s/first", dir);
        ck_assert_int_eq(bus_activation_load(a, dirs, 3), 1);
        log_capture_stop();
        l2 = names(a);
        ck_assert_ptr_null(strstr(l2, "com.example.B"));
        bus_activation_free(a);
        {
                char cmd[600];

                snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
                ck_assert_int_eq(system(cmd), 0);
        }
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("bus-activation");
        TCase *tc = tcase_create("service-files");

        tcase_add_test(tc, test_service_dirs);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
