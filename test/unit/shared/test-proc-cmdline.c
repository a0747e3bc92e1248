/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-proc-cmdline.c: unit tests for proc-cmdline.c, with $SYSTEMD_PROC_CMDLINE standing in
 * for the kernel command line and $SYSTEMD_IN_INITRD for the initrd test: quoting, rd. words
 * in and outside the initrd, '-'/'_' in keys, proc_cmdline_get_key() with and without values
 * (the last one wins), proc_cmdline_get_bool(), and the KernelCommandLine= word test.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "proc-cmdline.h"
#include "string-util.h"
#include "strv.h"
#include "test-helpers.h"

static void set_cmdline(const char *line, bool initrd) {
        ck_assert_int_eq(setenv("SYSTEMD_PROC_CMDLINE", line, 1), 0);
        ck_assert_int_eq(setenv("SYSTEMD_IN_INITRD", initrd ? "1" : "0", 1), 0);
}

static int collect(const char *key, const char *value, void *data) {
        char ***l = data;
        char *s = value ? strjoin(key, "=", value) : strdup(key);

        ck_assert_ptr_nonnull(s);
        ck_assert_int_eq(strv_consume(l, s), 0);
        return 0;
}

static int stop_at_b(const char *key, const char *value, void *data) {
        (void) value;
        ++*(int *) data;
        return streq(key, "b") ? -ECANCELED : 0;
}

START_TEST(test_parse) {
        _cleanup_strv_free_ char **l = NULL;
        int n = 0;

        set_cmdline("root=/dev/vda1 'quoted word'=x \"a=b c\" rd.x=1 flag", false);
        ck_assert_int_eq(proc_cmdline_parse(collect, &l, PROC_CMDLINE_STRIP_RD_PREFIX), 0);
        ck_assert_int_eq(strv_length(l), 4); /* rd.x=1 is skipped outside the initrd */
        ck_assert_str_eq(l[0], "root=/dev/vda1");
        ck_assert_str_eq(l[1], "quoted word=x");
        ck_assert_str_eq(l[2], "a=b c");
        ck_assert_str_eq(l[3], "flag");
        l = strv_free(l);

        set_cmdline("rd.x=1 y", true);
        ck_assert_int_eq(proc_cmdline_parse(collect, &l, PROC_CMDLINE_STRIP_RD_PREFIX), 0);
        ck_assert_int_eq(strv_length(l), 2);
        ck_assert_str_eq(l[0], "x=1"); /* in the initrd, with the prefix stripped */
        l = strv_free(l);
        ck_assert_int_eq(proc_cmdline_parse(collect, &l, 0), 0);
        ck_assert_str_eq(l[0], "rd.x=1"); /* or kept */

        ck_assert_int_eq(proc_cmdline_parse_given("a b c", stop_at_b, &n, 0), -ECANCELED);
        ck_assert_int_eq(n, 2);
}
END_TEST

START_TEST(test_get_key) {
        _cleanup_free_ char *v = NULL;

        set_cmdline("net.naming-scheme=v240 foo_bar=1 foo-bar=2 bare rd.secret=1 x=", false);
        ck_assert_int_eq(proc_cmdline_get_key("net.naming_scheme", 0, &v), 1);
        ck_assert_str_eq(v, "v240");
        v = mfree(v);
        ck_assert_int_eq(proc_cmdline_get_key("foo-bar", 0, &v), 1);
        ck_assert_str_eq(v, "2"); /* the last one wins, '-' and '_' the same */
        v = mfree(v);
        ck_assert_int_eq(proc_cmdline_get_key("bare", 0, &v), 0); /* needs "bare=" without the flag */
        ck_assert_ptr_null(v);
        ck_assert_int_eq(proc_cmdline_get_key("bare", PROC_CMDLINE_VALUE_OPTIONAL, &v), 1);
        ck_assert_ptr_null(v);
        ck_assert_int_eq(proc_cmdline_get_key("bare", 0, NULL), 1); /* exact word */
        ck_assert_int_eq(proc_cmdline_get_key("bar", 0, NULL), 0);
        ck_assert_int_eq(proc_cmdline_get_key("x", 0, &v), 1);
        ck_assert_str_eq(v, "");
        v = mfree(v);
        ck_assert_int_eq(proc_cmdline_get_key("secret", PROC_CMDLINE_STRIP_RD_PREFIX, &v), 0);
        ck_assert_int_eq(proc_cmdline_get_key("missing", 0, &v), 0);
        ck_assert_int_eq(proc_cmdline_get_key("", 0, &v), -EINVAL);

        set_cmdline("rd.secret=1", true);
        ck_assert_int_eq(proc_cmdline_get_key("secret", PROC_CMDLINE_STRIP_RD_PREFIX, &v), 1);
        ck_assert_str_eq(v, "1");
}
END_TEST

START_TEST(test_get_bool) {
        bool b = true;

        set_cmdline("net.ifnames=0 quiet debug=yes bad=maybe", false);
        ck_assert_int_eq(proc_cmdline_get_bool("net.ifnames", &b), 1);
        ck_assert(!b);
        ck_assert_int_eq(proc_cmdline_get_bool("quiet", &b), 1);
        ck_assert(b);
        ck_assert_int_eq(proc_cmdline_get_bool("debug", &b), 1);
        ck_assert(b);
        ck_assert_int_eq(proc_cmdline_get_bool("absent", &b), 0);
        ck_assert(!b);
        ck_assert_int_eq(proc_cmdline_get_bool("bad", &b), -EINVAL);
}
END_TEST

START_TEST(test_has_word) {
        set_cmdline("quiet console=ttyS0 rd.break=pre", false);
        ck_assert_int_eq(proc_cmdline_has_word("quiet"), 1);
        ck_assert_int_eq(proc_cmdline_has_word("console"), 1);  /* "console=…" counts */
        ck_assert_int_eq(proc_cmdline_has_word("console=ttyS0"), 1);
        ck_assert_int_eq(proc_cmdline_has_word("console=tty0"), 0);
        ck_assert_int_eq(proc_cmdline_has_word("cons"), 0);
        ck_assert_int_eq(proc_cmdline_has_word("rd.break"), 1); /* rd. words count everywhere */
        ck_assert_int_eq(proc_cmdline_has_word("break"), 0);
}
END_TEST

START_TEST(test_key_compare) {
        ck_assert(proc_cmdline_key_streq("udev.children-max", "udev.children_max"));
        ck_assert(!proc_cmdline_key_streq("udev.children", "udev.children_max"));
        ck_assert_str_eq(proc_cmdline_key_startswith("a-b_c=1", "a_b-c"), "=1");
        ck_assert_ptr_null(proc_cmdline_key_startswith("a.b", "a_b"));
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("proc-cmdline");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_parse);
        tcase_add_test(tc, test_get_key);
        tcase_add_test(tc, test_get_bool);
        tcase_add_test(tc, test_has_word);
        tcase_add_test(tc, test_key_compare);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
