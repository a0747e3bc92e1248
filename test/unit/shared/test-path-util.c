/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-path-util.c: unit tests for path-util.c, the lexical path helpers. Many expectations
 * are systemd 252's (test-path-util.c there), so that paths in unit files behave the same;
 * where our documented behaviour differs on purpose (path_join() merges the slashes it puts
 * between two components, path_is_safe() requires an absolute path) the test says so.
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "path-util.h"
#include "string-util.h"
#include "test-helpers.h"

static void check_simplify(const char *in, const char *want) {
        char *p = strdup(in);

        ck_assert_ptr_nonnull(p);
        ck_assert_ptr_eq(path_simplify(p), p);
        ck_assert_msg(streq(p, want), "path_simplify(\"%s\") = \"%s\", want \"%s\"", in, p, want);
        free(p);
}

static void check_normalize(const char *in, const char *want) {
        char *p = path_normalize(in);

        if (!want) {
                ck_assert_msg(!p, "path_normalize(\"%s\") = \"%s\", want NULL", in, p);
                return;
        }
        ck_assert_ptr_nonnull(p);
        ck_assert_msg(streq(p, want), "path_normalize(\"%s\") = \"%s\", want \"%s\"", in, p, want);
        free(p);
}

static void check_startswith(const char *path, const char *prefix, const char *want) {
        const char *r = path_startswith(path, prefix);

        if (!want) {
                ck_assert_msg(!r, "path_startswith(\"%s\", \"%s\") = \"%s\", want NULL", path,
                              prefix, r);
                return;
        }
        ck_assert_msg(r && streq(r, want), "path_startswith(\"%s\", \"%s\") = \"%s\", want \"%s\"",
                      path, prefix, strna(r), want);
        /* The result points into path. */
        ck_assert(r >= path && r <= path + strlen(path));
}

static void check_extract_directory(const char *in, int want_r, const char *want) {
        char *d = (char *) "untouched";
        int r = path_extract_directory(in, &d);

        ck_assert_msg(r == want_r, "path_extract_directory(\"%s\") = %d, want %d", in, r, want_r);
        if (r < 0) {
                ck_assert_str_eq(d, "untouched");
                return;
        }
        ck_assert_msg(streq(d, want), "path_extract_directory(\"%s\") → \"%s\", want \"%s\"", in,
                      d, want);
        free(d);
}

static void check_extract_filename(const char *in, int want_r, const char *want) {
        char *f = (char *) "untouched";
        int r = path_extract_filename(in, &f);

        ck_assert_msg(r == want_r, "path_extract_filename(\"%s\") = %d, want %d", in, r, want_r);
        if (r < 0) {
                ck_assert_str_eq(f, "untouched");
                return;
        }
        ck_assert_msg(streq(f, want), "path_extract_filename(\"%s\") → \"%s\", want \"%s\"",
                      in, f, want);
        free(f);
}

#define check_join(want, ...)                                                          \
        do {                                                                           \
                char *_j_ = path_join(__VA_ARGS__);                                    \
                ck_assert_ptr_nonnull(_j_);                                            \
                ck_assert_msg(streq(_j_, want), "path_join → \"%s\", want \"%s\"", _j_, want); \
                free(_j_);                                                             \
        } while (0)

START_TEST(test_path_is_absolute) {
        ck_assert(path_is_absolute("/"));
        ck_assert(path_is_absolute("/usr"));
        ck_assert(path_is_absolute("//x"));
        ck_assert(!path_is_absolute("./"));
        ck_assert(!path_is_absolute("usr/"));
        ck_assert(!path_is_absolute(""));
        ck_assert(!path_is_absolute(NULL));
}
END_TEST

START_TEST(test_path_join) {
        check_join("/root/a/b/c", "/root", "/a/b", "/c");
        check_join("/root/a/b/c", "/root", "a/b", "c");
        check_join("/root/a/b/c", "/root", "/a/b", "c");
        check_join("/root/c", "/root", "/", "c");
        check_join("/root/", "/root", "/");
        check_join("/a/b/c", "", "/a/b", "/c");
        check_join("a/b/c", "", "a/b", "c");
        check_join("/c", "", "/", "c");
        check_join("/", "", "/");
        check_join("", "", "");
        check_join("", "");
        check_join("foo/bar", "foo", "bar");
        check_join("foo/bar", "", "foo", "", "bar", "");
        check_join("/foo/bar/", "/", "foo", "/", "bar", "/");
        check_join("foo/bar/baz", "foo", "bar", "baz");
        check_join("foo/bar/baz", "foo/", "bar", "/baz");
        check_join("/etc/systemd/system/foo.service", "/etc/systemd/system", "foo.service");
        /* Ours (unlike systemd 252) puts exactly one '/' where two components meet. */
        check_join("foo/bar/baz", "foo/", "/bar/", "/baz");
        check_join("/run/x", "/run/", "/x");
        /* Slashes inside components are left as they are. */
        check_join("a//b/c", "a//b", "c");
}
END_TEST

START_TEST(test_path_simplify) {
        char buf[300];

        check_simplify("", "");
        check_simplify("aaa/bbb////ccc", "aaa/bbb/ccc");
        check_simplify("//aaa/.////ccc", "/aaa/ccc");
        check_simplify("///", "/");
        check_simplify("/", "/");
        check_simplify("///.//", "/");
        check_simplify("///.//.///", "/");
        check_simplify("////.././///../.", "/../..");
        check_simplify(".", ".");
        check_simplify("./", ".");
        check_simplify(".///.//./.", ".");
        check_simplify(".///.//././/", ".");
        check_simplify("//./aaa///.//./.bbb/..///c.//d.dd///..eeee/.",
                       "/aaa/.bbb/../c./d.dd/..eeee");
        check_simplify("//./aaa///.//./.bbb/..///c.//d.dd///..eeee/..",
                       "/aaa/.bbb/../c./d.dd/..eeee/..");
        check_simplify(".//./aaa///.//./.bbb/..///c.//d.dd///..eeee/..",
                       "aaa/.bbb/../c./d.dd/..eeee/..");
        check_simplify("..//./aaa///.//./.bbb/..///c.//d.dd///..eeee/..",
                       "../aaa/.bbb/../c./d.dd/..eeee/..");
        check_simplify("abc///", "abc");
        check_simplify("/usr/lib/systemd/", "/usr/lib/systemd");
        check_simplify("a/..", "a/.."); /* ".." is kept: simplify is not normalize */

        memset(buf, 'a', 255);
        buf[255] = 0;
        check_simplify(buf, buf);
}
END_TEST

START_TEST(test_path_normalize) {
        check_normalize("/", "/");
        check_normalize("//", "/");
        check_normalize("/a/b/../c", "/a/c");
        check_normalize("/a/./b/", "/a/b");
        check_normalize("//a//b//", "/a/b");
        check_normalize("/a/b/..", "/a");
        check_normalize("/a/..", "/");
        check_normalize("/a/../", "/");
        check_normalize("/a/b/c/../../d", "/a/d");
        /* ".." above the root stays at the root. */
        check_normalize("/..", "/");
        check_normalize("/../..", "/");
        check_normalize("/../../a", "/a");
        check_normalize("/a/../../../b/./c/..", "/b");
        check_normalize("/./.", "/");
        /* Names that only look like dots are names. */
        check_normalize("/..a/.b/.../c.", "/..a/.b/.../c.");
        check_normalize("/a/.../..", "/a");
        /* Relative paths are refused. */
        check_normalize("a/b", NULL);
        check_normalize("", NULL);
        check_normalize("../a", NULL);
}
END_TEST

START_TEST(test_path_startswith) {
        check_startswith("/foo/bar/barfoo/", "/foo", "bar/barfoo/");
        check_startswith("/foo/bar/barfoo/", "/foo/", "bar/barfoo/");
        check_startswith("/foo/bar/barfoo/", "/", "foo/bar/barfoo/");
        check_startswith("/foo/bar/barfoo/", "////", "foo/bar/barfoo/");
        check_startswith("/foo/bar/barfoo/", "/foo//bar/////barfoo///", "");
        check_startswith("/foo/bar/barfoo/", "/foo/bar/barfoo////", "");
        check_startswith("/foo/bar/barfoo/", "/foo/bar///barfoo/", "");
        check_startswith("/foo/bar/barfoo/", "/foo////bar/barfoo/", "");
        check_startswith("/foo/bar/barfoo/", "////foo/bar/barfoo/", "");
        check_startswith("/foo/bar/barfoo/", "/foo/bar/barfoo", "");
        check_startswith("/foo//bar", "/foo", "bar");
        check_startswith("relative/path", "relative", "path");
        check_startswith("a", "a", "");

        check_startswith("/foo/bar/barfoo/", "/foo/bar/barfooa/", NULL);
        check_startswith("/foo/bar/barfoo/", "/foo/bar/barfooa", NULL);
        check_startswith("/foo/bar/barfoo/", "", NULL); /* absolute vs relative */
        check_startswith("foo", "/foo", NULL);
        check_startswith("/foo/bar/barfoo/", "/bar/foo", NULL);
        check_startswith("/foo/bar/barfoo/", "/f/b/b/", NULL);
        check_startswith("/foo/bar/barfoo/", "/foo/bar/barfo", NULL);
        check_startswith("/foo/bar/barfoo/", "/foo/bar/bar", NULL);
        check_startswith("/foo/bar/barfoo/", "/fo", NULL);
        check_startswith("/foo", "/foo/bar", NULL);
        check_startswith("/foobar", "/foo", NULL); /* component-wise, not string-wise */
}
END_TEST

START_TEST(test_path_compare) {
        ck_assert_int_eq(path_compare("/goo", "/goo"), 0);
        ck_assert_int_eq(path_compare("//goo", "/goo"), 0);
        ck_assert_int_eq(path_compare("//goo/////", "/goo"), 0);
        ck_assert_int_eq(path_compare("/a//b/", "/a/b"), 0);
        ck_assert_int_eq(path_compare("goo/", "goo"), 0);
        ck_assert_int_eq(path_compare("/", "///"), 0);
        ck_assert_int_eq(path_compare("", ""), 0);

        /* Prefixes sort first, then component by component. */
        ck_assert_int_lt(path_compare("/goo", "/goo/a"), 0);
        ck_assert_int_gt(path_compare("/goo/a", "/goo"), 0);
        ck_assert_int_lt(path_compare("/goo/a", "/goo/b"), 0);
        ck_assert_int_lt(path_compare("/goo/a", "/goo/aa"), 0);
        ck_assert_int_gt(path_compare("/goo/aa", "/goo/a"), 0);
        ck_assert_int_lt(path_compare("/a/z", "/b"), 0);
        /* '/' is a separator, not a character: "/a/b" before "/a-b" although '/' > '-'... */
        ck_assert_int_lt(path_compare("/a/b", "/a-b"), 0);
        ck_assert_int_lt(path_compare("/", "/a"), 0);

        /* Absolute and relative never compare equal, and the order is consistent. */
        ck_assert_int_ne(path_compare("/goo", "goo"), 0);
        ck_assert_int_eq(path_compare("/goo", "goo") > 0, path_compare("/a", "z") > 0);
        ck_assert_int_eq(path_compare("goo", "/goo"), -path_compare("/goo", "goo"));

        ck_assert(path_equal("/a//b/", "/a/b"));
        ck_assert(!path_equal("/a/b", "/a/c"));
        ck_assert(!path_equal("/a", "a"));
        ck_assert(path_equal_ptr(NULL, NULL));
        ck_assert(path_equal_ptr("/a", "//a/"));
        ck_assert(!path_equal_ptr("/a", "/b"));
        ck_assert(!path_equal_ptr("/a", NULL));
        ck_assert(!path_equal_ptr(NULL, "/a"));
}
END_TEST

START_TEST(test_path_basename) {
        ck_assert_str_eq(path_basename("/usr/lib/foo.service"), "foo.service");
        ck_assert_str_eq(path_basename("foo.service"), "foo.service");
        ck_assert_str_eq(path_basename("/foo"), "foo");
        ck_assert_str_eq(path_basename("/"), "");
        ck_assert_str_eq(path_basename("/a/b/"), ""); /* trailing slashes must be simplified */
        ck_assert_str_eq(path_basename("/aa///.file"), ".file");
        {
                const char *p = "/x/y";
                ck_assert_ptr_eq(path_basename(p), p + 3);
        }
}
END_TEST

START_TEST(test_path_extract_directory) {
        check_extract_directory("a/b/c", 0, "a/b");
        check_extract_directory("a/b/c/", 0, "a/b");
        check_extract_directory("/foo/a", 0, "/foo");
        check_extract_directory("/foo/a/", 0, "/foo");
        check_extract_directory("/foo//a", 0, "/foo");
        check_extract_directory("/a", 0, "/");
        check_extract_directory("/a/", 0, "/");
        check_extract_directory("//a", 0, "/");
        check_extract_directory("/////////////a/////////////", 0, "/");
        check_extract_directory("/etc/systemd/system/foo.service", 0, "/etc/systemd/system");

        check_extract_directory("", -EINVAL, NULL);
        check_extract_directory(NULL, -EINVAL, NULL);
        check_extract_directory("a", -EDESTADDRREQ, NULL);
        check_extract_directory("a/", -EDESTADDRREQ, NULL);
        /* The root has no parent: an error, so "walk up until it fails" loops terminate. */
        check_extract_directory("/", -EADDRNOTAVAIL, NULL);
        check_extract_directory("//", -EADDRNOTAVAIL, NULL);
        check_extract_directory("///", -EADDRNOTAVAIL, NULL);
}
END_TEST

START_TEST(test_path_extract_directory_walk_up) {
        char *p = strdup("/usr/lib/systemd/system/foo.service");
        unsigned steps = 0;

        ck_assert_ptr_nonnull(p);
        for (;;) {
                char *parent = NULL;
                int r = path_extract_directory(p, &parent);
                if (r < 0) {
                        ck_assert_int_eq(r, -EADDRNOTAVAIL);
                        break;
                }
                free(p);
                p = parent;
                ck_assert_uint_lt(++steps, 10);
        }
        ck_assert_str_eq(p, "/");
        ck_assert_uint_eq(steps, 5);
        free(p);
}
END_TEST

START_TEST(test_path_extract_filename) {
        check_extract_filename("a/b/c", 0, "c");
        check_extract_filename("a/b/c/", 0, "c");
        check_extract_filename("/foo/a", 0, "a");
        check_extract_filename("/foo/a/", 0, "a");
        check_extract_filename("a", 0, "a");
        check_extract_filename("a/", 0, "a");
        check_extract_filename("/a", 0, "a");
        check_extract_filename("/////////////a/////////////", 0, "a");
        check_extract_filename("/etc/foo.service", 0, "foo.service");

        check_extract_filename("", -EINVAL, NULL);
        check_extract_filename(NULL, -EINVAL, NULL);
        check_extract_filename("/", -EADDRNOTAVAIL, NULL);
        check_extract_filename("//", -EADDRNOTAVAIL, NULL);
        check_extract_filename("///", -EADDRNOTAVAIL, NULL);
        check_extract_filename("xx/..", -EINVAL, NULL);
        check_extract_filename("..", -EINVAL, NULL);
        check_extract_filename("/..", -EINVAL, NULL);
        check_extract_filename("../", -EINVAL, NULL);
}
END_TEST

START_TEST(test_path_make_absolute) {
        char *p;

        p = path_make_absolute("foo.service", "/etc/systemd/system");
        ck_assert_str_eq(p, "/etc/systemd/system/foo.service");
        free(p);
        p = path_make_absolute("foo", "/etc/");
        ck_assert_str_eq(p, "/etc/foo");
        free(p);
        p = path_make_absolute("/abs/path", "/etc");
        ck_assert_str_eq(p, "/abs/path");
        free(p);
        p = path_make_absolute("rel", NULL);
        ck_assert_str_eq(p, "rel");
        free(p);
        p = path_make_absolute("rel", "");
        ck_assert_str_eq(p, "rel");
        free(p);
        p = path_make_absolute("rel", "base");
        ck_assert_str_eq(p, "base/rel");
        free(p);
}
END_TEST

START_TEST(test_filename_is_valid) {
        char name[300];

        ck_assert(!filename_is_valid(""));
        ck_assert(!filename_is_valid(NULL));
        ck_assert(!filename_is_valid("/bar/foo"));
        ck_assert(!filename_is_valid("/"));
        ck_assert(!filename_is_valid("."));
        ck_assert(!filename_is_valid(".."));
        ck_assert(!filename_is_valid("bar/foo"));
        ck_assert(!filename_is_valid("bar/foo/"));
        ck_assert(!filename_is_valid("bar//"));
        ck_assert(filename_is_valid("foo_bar-333"));
        ck_assert(filename_is_valid("o.o"));
        ck_assert(filename_is_valid("..."));
        ck_assert(filename_is_valid(".hidden"));
        ck_assert(filename_is_valid("with space"));

        /* At most 255 bytes (NAME_MAX). */
        memset(name, 'a', 255);
        name[255] = 0;
        ck_assert(filename_is_valid(name));
        name[255] = 'a';
        name[256] = 0;
        ck_assert(!filename_is_valid(name));
}
END_TEST

START_TEST(test_path_is_valid) {
        char *p;

        ck_assert(!path_is_valid(""));
        ck_assert(!path_is_valid(NULL));
        ck_assert(path_is_valid("/bar/foo"));
        ck_assert(path_is_valid("/bar/foo/"));
        ck_assert(path_is_valid("//bar//foo//"));
        ck_assert(path_is_valid("/"));
        ck_assert(path_is_valid("/////"));
        ck_assert(path_is_valid("/////.///.////...///..//."));
        ck_assert(path_is_valid("."));
        ck_assert(path_is_valid(".."));
        ck_assert(path_is_valid("bar/foo"));
        ck_assert(path_is_valid("bar//"));

        /* Components up to 255 bytes; the whole path below PATH_MAX (4096 with the NUL). */
        p = malloc(PATH_MAX_LEN + 1);
        ck_assert_ptr_nonnull(p);
        memset(p, 'a', 256);
        p[0] = '/';
        p[256] = 0;
        ck_assert(path_is_valid(p)); /* "/" + 255 */
        p[256] = 'a';
        p[257] = 0;
        ck_assert(!path_is_valid(p)); /* "/" + 256 */

        for (size_t i = 0; i < PATH_MAX_LEN; i++)
                p[i] = i % 100 == 0 ? '/' : 'x';
        p[PATH_MAX_LEN - 1] = 0; /* 4095 bytes */
        ck_assert(path_is_valid(p));
        p[PATH_MAX_LEN - 1] = 'x';
        p[PATH_MAX_LEN] = 0; /* 4096 bytes */
        ck_assert(!path_is_valid(p));
        free(p);
}
END_TEST

START_TEST(test_path_is_normalized) {
        ck_assert(path_is_normalized("/"));
        ck_assert(path_is_normalized("/a/b"));
        ck_assert(path_is_normalized("a/b"));
        ck_assert(path_is_normalized("/a/b/"));
        ck_assert(path_is_normalized("/a/.b/..c/..."));
        ck_assert(!path_is_normalized(""));
        ck_assert(!path_is_normalized("."));
        ck_assert(!path_is_normalized("./a"));
        ck_assert(!path_is_normalized("/a/."));
        ck_assert(!path_is_normalized("/a/./b"));
        ck_assert(!path_is_normalized(".."));
        ck_assert(!path_is_normalized("../a"));
        ck_assert(!path_is_normalized("/a/.."));
        ck_assert(!path_is_normalized("/a/../b"));
        ck_assert(!path_is_normalized("//a"));
        ck_assert(!path_is_normalized("/a//b"));
}
END_TEST

START_TEST(test_path_is_safe) {
        ck_assert(path_is_safe("/"));
        ck_assert(path_is_safe("/etc/systemd/system/foo.service"));
        ck_assert(path_is_safe("/a/b/"));
        ck_assert(path_is_safe("/with space/\xc3\xa4"));
        ck_assert(!path_is_safe(NULL));
        ck_assert(!path_is_safe(""));
        ck_assert(!path_is_safe("a/b")); /* must be absolute */
        ck_assert(!path_is_safe("/a/../b"));
        ck_assert(!path_is_safe("/.."));
        ck_assert(!path_is_safe("/a/./b"));
        ck_assert(!path_is_safe("/a//b"));
        ck_assert(!path_is_safe("/a\nb"));
        ck_assert(!path_is_safe("/a\tb"));
        ck_assert(!path_is_safe("/a\x7f"));
}
END_TEST

START_TEST(test_hidden_or_backup_file) {
        static const char *const skipped[] = {
                ".hidden", ".", "..", "lost+found", "aquota.user", "aquota.group", "foo~",
                "foo.service.rpmnew", "a.rpmsave", "a.rpmorig", "a.dpkg-old", "a.dpkg-new",
                "a.dpkg-tmp", "a.dpkg-dist", "a.dpkg-bak", "a.dpkg-backup", "a.dpkg-remove",
                "a.ucf-new", "a.ucf-old", "a.ucf-dist", "a.swp", "a.bak", "a.old", "a.new",
        };
        static const char *const kept[] = {
                "foo.service", "foo", "foo.conf", "lost+found2", "a.bak2", "a.new.conf",
                "new", "bak", "foo.service.d", "aquota.user2",
        };

        for (size_t i = 0; i < ELEMENTSOF(skipped); i++)
                ck_assert_msg(hidden_or_backup_file(skipped[i]), "%s not skipped", skipped[i]);
        for (size_t i = 0; i < ELEMENTSOF(kept); i++)
                ck_assert_msg(!hidden_or_backup_file(kept[i]), "%s skipped", kept[i]);
}
END_TEST

START_TEST(test_null_or_empty_path) {
        char dir[] = "/tmp/test-path-util.XXXXXX";
        char *empty, *full, *link;
        int fd;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        empty = path_join(dir, "empty");
        full = path_join(dir, "full");
        link = path_join(dir, "link");

        fd = open(empty, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        ck_assert_int_ge(fd, 0);
        close(fd);
        fd = open(full, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, "x", 1), 1);
        close(fd);
        ck_assert_int_eq(symlink("/dev/null", link), 0);

        ck_assert_int_eq(null_or_empty_path("/dev/null"), 1);
        ck_assert_int_eq(null_or_empty_path(link), 1); /* the usual way to mask a unit */
        ck_assert_int_eq(null_or_empty_path(empty), 1);
        ck_assert_int_eq(null_or_empty_path(full), 0);
        ck_assert_int_eq(null_or_empty_path(dir), 0);
        ck_assert_int_eq(null_or_empty_path("/nonexistent/path"), -ENOENT);

        unlink(empty);
        unlink(full);
        unlink(link);
        rmdir(dir);
        free(empty);
        free(full);
        free(link);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("path-util");
        TCase *tc = tcase_create("core");

        tcase_set_timeout(tc, 60); /* sanitizer builds on a busy machine are slow */
        tcase_add_test(tc, test_path_is_absolute);
        tcase_add_test(tc, test_path_join);
        tcase_add_test(tc, test_path_simplify);
        tcase_add_test(tc, test_path_normalize);
        tcase_add_test(tc, test_path_startswith);
        tcase_add_test(tc, test_path_compare);
        tcase_add_test(tc, test_path_basename);
        tcase_add_test(tc, test_path_extract_directory);
        tcase_add_test(tc, test_path_extract_directory_walk_up);
        tcase_add_test(tc, test_path_extract_filename);
        tcase_add_test(tc, test_path_make_absolute);
        tcase_add_test(tc, test_filename_is_valid);
        tcase_add_test(tc, test_path_is_valid);
        tcase_add_test(tc, test_path_is_normalized);
        tcase_add_test(tc, test_path_is_safe);
        tcase_add_test(tc, test_hidden_or_backup_file);
        tcase_add_test(tc, test_null_or_empty_path);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
