/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-mkdir.c: unit tests for mkdir.c: mkdir_parents() and mkdir_p() create what is missing
 * (and accept what exists, repeated and trailing slashes), refuse a file in the way, and
 * rmdir_parents() removes empty parents up to its stop directory and no further. Everything
 * happens in a private directory under $TMPDIR (or /tmp), removed when the test ends.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mkdir.h"
#include "string-util.h"
#include "test-helpers.h"

static char tmpdir[4096];

static void make_tmpdir(void) {
        const char *base = getenv("TMPDIR");

        snprintf(tmpdir, sizeof tmpdir, "%s/test-mkdir.XXXXXX", isempty(base) ? "/tmp" : base);
        ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void remove_tmpdir(void) {
        char cmd[4200];

        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
        (void) system(cmd);
}

/* tmpdir + "/" + rel, in a static buffer (one at a time) */
static const char *at(const char *rel) {
        static char buf[2][4300];
        static unsigned i;

        i = (i + 1) % 2;
        snprintf(buf[i], sizeof buf[i], "%s/%s", tmpdir, rel);
        return buf[i];
}

static bool is_dir(const char *path) {
        struct stat st;

        return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool exists(const char *path) {
        return access(path, F_OK) == 0;
}

START_TEST(test_mkdir_parents) {
        ck_assert_int_eq(mkdir_parents(at("a/b/c/file"), 0755), 0);
        ck_assert(is_dir(at("a/b/c")));
        ck_assert(!exists(at("a/b/c/file"))); /* the last component is not created */
        ck_assert_int_eq(mkdir_parents(at("a/b/c/file"), 0755), 0); /* all there: fine */
        ck_assert_int_eq(mkdir_parents(at("x//y///z"), 0755), 0);
        ck_assert(is_dir(at("x/y")));
        ck_assert(!exists(at("x/y/z")));
        ck_assert_int_eq(mkdir_parents(at("t/u/"), 0755), 0); /* trailing slash: u is the last */
        ck_assert(is_dir(at("t")));
        ck_assert(!exists(at("t/u")));
        ck_assert_int_eq(mkdir_parents("name", 0755), 0); /* nothing above it */
        ck_assert_int_eq(mkdir_parents("/", 0755), 0);

        /* a file where a directory should be */
        int fd = open(at("f"), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        ck_assert_int_ge(fd, 0);
        close(fd);
        ck_assert_int_eq(mkdir_parents(at("f/g"), 0755), -ENOTDIR);
        ck_assert_int_eq(mkdir_parents(at("f/g/h"), 0755), -ENOTDIR);
}
END_TEST

START_TEST(test_mkdir_p) {
        struct stat st;
        mode_t old = umask(022);

        ck_assert_int_eq(mkdir_p(at("p/q/r"), 0700), 0);
        ck_assert(is_dir(at("p/q/r")));
        ck_assert_int_eq(stat(at("p/q"), &st), 0);
        ck_assert_uint_eq(st.st_mode & 07777, 0700);
        ck_assert_int_eq(mkdir_p(at("p/q/r"), 0700), 0); /* exists: fine */
        ck_assert_int_eq(mkdir_p(at("p/q/r/"), 0700), 0);

        int fd = open(at("p/file"), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        ck_assert_int_ge(fd, 0);
        close(fd);
        ck_assert_int_eq(mkdir_p(at("p/file"), 0755), -EEXIST); /* not a directory */
        ck_assert_int_eq(mkdir_p(at("p/file/sub"), 0755), -ENOTDIR);
        umask(old);
}
END_TEST

START_TEST(test_rmdir_parents) {
        ck_assert_int_eq(mkdir_p(at("stop/a/b/c"), 0755), 0);
        ck_assert_int_eq(mkdir_p(at("stop/a/keep"), 0755), 0);
        rmdir_parents(at("stop/a/b/c/node"), at("stop"));
        ck_assert(!exists(at("stop/a/b/c")));
        ck_assert(!exists(at("stop/a/b")));
        ck_assert(is_dir(at("stop/a"))); /* not empty: kept, and the walk ends there */
        rmdir_parents(at("stop/a/keep/node"), at("stop"));
        ck_assert(!exists(at("stop/a/keep")));
        ck_assert(!exists(at("stop/a")));
        ck_assert(is_dir(at("stop"))); /* stop itself stays */

        /* a path outside stop: nothing is removed */
        ck_assert_int_eq(mkdir_p(at("other/d"), 0755), 0);
        rmdir_parents(at("other/d/node"), at("stop"));
        ck_assert(is_dir(at("other/d")));
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("mkdir");
        TCase *tc = tcase_create("core");

        tcase_add_unchecked_fixture(tc, make_tmpdir, remove_tmpdir);
        tcase_add_test(tc, test_mkdir_parents);
        tcase_add_test(tc, test_mkdir_p);
        tcase_add_test(tc, test_rmdir_parents);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
