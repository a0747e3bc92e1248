/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-bus-userdb: user and group lookups for the bus. Through the helper (the built busmaster,
 * started by a wrapper script that counts its starts) the answers are those of NSS in this
 * process; one helper serves a whole begin/end session, one per lookup otherwise; a helper
 * that answers garbage or cannot be started falls back to the lookup in this process.
 */

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../test-helpers.h"
#include "busmaster/bus-userdb.h"
#include "fd-util.h"

static char dir[64];
static char wrapper[256], broken[256], starts[256];

/* The busmaster binary of this build tree, or NULL (the helper cases are skipped then). */
static const char *busmaster_path(void) {
        static char path[4096];
        const char *top = getenv("top_builddir");

        snprintf(path, sizeof path, "%s/busmaster", top ? top : ".");
        if (access(path, X_OK) < 0)
                return NULL;
        if (path[0] != '/') {
                char cwd[2048];

                ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
                snprintf(path, sizeof path, "%s/%s/busmaster", cwd, top ? top : ".");
        }
        return path;
}

static void write_script(const char *path, const char *text) {
        FILE *f = fopen(path, "we");

        ck_assert_ptr_nonnull(f);
        fputs(text, f);
        ck_assert_int_eq(fclose(f), 0);
        ck_assert_int_eq(chmod(path, 0755), 0);
}

static void setup(void) {
        const char *bm = busmaster_path();
        char text[8192];

        strcpy(dir, "/tmp/test-bus-userdb.XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(wrapper, sizeof wrapper, "%s/helper", dir);
        snprintf(broken, sizeof broken, "%s/broken", dir);
        snprintf(starts, sizeof starts, "%s/starts", dir);
        if (bm) {
                snprintf(text, sizeof text, "#!/bin/sh\necho started >> '%s'\nexec '%s' \"$@\"\n",
                         starts, bm);
                write_script(wrapper, text);
        }
        write_script(broken, "#!/bin/sh\necho garbage garbage garbage garbage garbage\n");
}

static void teardown(void) {
        unlink(wrapper);
        unlink(broken);
        unlink(starts);
        rmdir(dir);
        (void) bus_userdb_set_helper(NULL);
}

static unsigned helper_starts(void) {
        _cleanup_free_ char *text = NULL;
        size_t size = 0;
        unsigned n = 0;

        if (read_full_file(starts, 65536, &text, &size) < 0)
                return 0;
        for (size_t i = 0; i < size; i++)
                n += text[i] == '\n';
        return n;
}

/* root, as getpwnam()/getgrouplist() give it in this process */
static void check_root(const BusUser *u) {
        struct passwd *pw = getpwnam("root");
        gid_t g[256];
        int n = 256;

        ck_assert_ptr_nonnull(pw);
        ck_assert_int_eq(u->uid, pw->pw_uid);
        ck_assert_int_eq(u->gid, pw->pw_gid);
        ck_assert_str_eq(u->home, pw->pw_dir);
        ck_assert_int_ge(getgrouplist("root", pw->pw_gid, g, &n), 0);
        ck_assert_uint_eq(u->n_groups, (size_t) n);
        ck_assert_int_eq(memcmp(u->groups, g, (size_t) n * sizeof(gid_t)), 0);
}

static void check_lookups(void) {
        BusUser u = {};
        gid_t gid = 4242;

        ck_assert_int_eq(bus_userdb_get_user_by_name("root", &u), 1);
        check_root(&u);
        bus_user_done(&u);
        ck_assert_int_eq(bus_userdb_get_user_by_uid(0, &u), 1);
        check_root(&u);
        bus_user_done(&u);
        ck_assert_int_eq(bus_userdb_get_user_by_name("no-such-user-for-busmaster", &u), 0);
        ck_assert_int_eq(bus_userdb_get_user_by_name("bad\nname", &u), 0);
        ck_assert_int_eq(bus_userdb_get_group_by_name("root", &gid), 1);
        ck_assert_int_eq(gid, 0);
        gid = 4242;
        ck_assert_int_eq(bus_userdb_get_group_by_gid(0, &gid), 1);
        ck_assert_int_eq(gid, 0);
        ck_assert_int_eq(bus_userdb_get_group_by_name("no-such-group-for-busmaster", &gid), 0);
}

START_TEST(test_in_process) {
        check_lookups();
}
END_TEST

START_TEST(test_helper_gives_the_same_answers) {
        if (!busmaster_path())
                return; /* not built: nothing to run as the helper */
        ck_assert_int_eq(bus_userdb_set_helper(wrapper), 0);
        check_lookups();
        /* one helper per lookup outside a session (the name with a newline never reaches it) */
        ck_assert_uint_eq(helper_starts(), 6);
}
END_TEST

START_TEST(test_one_helper_per_session) {
        BusUser u = {};
        gid_t gid;

        if (!busmaster_path())
                return;
        ck_assert_int_eq(bus_userdb_set_helper(wrapper), 0);
        bus_userdb_begin();
        bus_userdb_begin(); /* nested: an included file */
        ck_assert_int_eq(bus_userdb_get_user_by_uid(0, &u), 1);
        check_root(&u);
        bus_user_done(&u);
        bus_userdb_end();
        ck_assert_int_eq(bus_userdb_get_group_by_name("root", &gid), 1);
        ck_assert_int_eq(bus_userdb_get_user_by_name("no-such-user-for-busmaster", &u), 0);
        bus_userdb_end();
        ck_assert_uint_eq(helper_starts(), 1);
        ck_assert_int_eq(bus_userdb_get_group_by_gid(0, &gid), 1);
        ck_assert_uint_eq(helper_starts(), 2);
}
END_TEST

START_TEST(test_broken_helper_falls_back) {
        ck_assert_int_eq(bus_userdb_set_helper(broken), 0);
        check_lookups();
        ck_assert_int_eq(bus_userdb_set_helper("/nonexistent/busmaster"), 0);
        check_lookups();
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("bus-userdb");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_in_process);
        tcase_add_test(tc, test_helper_gives_the_same_answers);
        tcase_add_test(tc, test_one_helper_per_session);
        tcase_add_test(tc, test_broken_helper_falls_back);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
