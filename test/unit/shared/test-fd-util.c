/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-fd-util.c: unit tests for fd-util.c: safe_close() (closes, keeps errno), the cleanup
 * helpers, read_full_file() with and without a size limit, readlink_malloc(),
 * write_string_file() and fd_move_above_stdio(). Files are made in a private directory
 * under $TMPDIR (or /tmp) that is removed again when the suite ends.
 */

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd-util.h"
#include "path-util.h"
#include "string-util.h"
#include "test-helpers.h"

static char tmpdir[PATH_MAX_LEN];

static void make_tmpdir(void) {
        const char *base = getenv("TMPDIR");

        snprintf(tmpdir, sizeof tmpdir, "%s/test-fd-util.XXXXXX", isempty(base) ? "/tmp" : base);
        ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void remove_tmpdir(void) {
        DIR *d = opendir(tmpdir);
        struct dirent *de;

        if (!d)
                return;
        while ((de = readdir(d)))
                if (!streq(de->d_name, ".") && !streq(de->d_name, ".."))
                        (void) unlinkat(dirfd(d), de->d_name, 0);
        closedir(d);
        (void) rmdir(tmpdir);
}

/* A path in the test directory; the caller frees it. */
static char *tmp_path(const char *name) {
        char *p = path_join(tmpdir, name);
        ck_assert_ptr_nonnull(p);
        return p;
}

static void write_bytes(const char *path, const void *data, size_t n) {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, data, n), (ssize_t) n);
        close(fd);
}

static bool fd_is_open(int fd) {
        return fcntl(fd, F_GETFD) >= 0;
}

START_TEST(test_safe_close) {
        int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

        ck_assert_int_ge(fd, 0);
        errno = ENOENT;
        ck_assert_int_eq(safe_close(fd), -1);
        ck_assert_int_eq(errno, ENOENT); /* preserved although close() succeeded */
        ck_assert(!fd_is_open(fd));

        /* Closing an fd that is not open fails inside (EBADF) but errno is still kept. */
        errno = EPERM;
        ck_assert_int_eq(safe_close(fd), -1);
        ck_assert_int_eq(errno, EPERM);

        /* Negative fds are ignored: the usual "fd = safe_close(fd);" on an unset fd. */
        errno = EEXIST;
        ck_assert_int_eq(safe_close(-1), -1);
        ck_assert_int_eq(safe_close(-EBADF), -1);
        ck_assert_int_eq(errno, EEXIST);

        fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        fd = safe_close(fd);
        ck_assert_int_eq(fd, -1);
}
END_TEST

START_TEST(test_cleanup_helpers) {
        int saved_fd, kept_fd;
        char *kept_ptr;

        {
                _cleanup_close_ int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
                _cleanup_close_ int unset = -1;
                _cleanup_close_ int taken = open("/dev/null", O_RDONLY | O_CLOEXEC);

                ck_assert_int_ge(fd, 0);
                ck_assert_int_eq(unset, -1);
                saved_fd = fd;
                kept_fd = TAKE_FD(taken);
                ck_assert_int_eq(taken, -1);
        }
        ck_assert(!fd_is_open(saved_fd));
        ck_assert(fd_is_open(kept_fd));
        close(kept_fd);

        {
                _cleanup_fclose_ FILE *f = fopen("/dev/null", "re");
                _cleanup_fclose_ FILE *none = NULL;
                ck_assert_ptr_nonnull(f);
                saved_fd = fileno(f);
                ck_assert_ptr_null(none);
        }
        ck_assert(!fd_is_open(saved_fd));

        {
                _cleanup_closedir_ DIR *d = opendir("/");
                _cleanup_closedir_ DIR *none = NULL;
                ck_assert_ptr_nonnull(d);
                saved_fd = dirfd(d);
                ck_assert_ptr_null(none);
        }
        ck_assert(!fd_is_open(saved_fd));

        {
                _cleanup_free_ char *p = strdup("freed at scope exit");
                _cleanup_free_ char *q = strdup("kept");
                ck_assert_ptr_nonnull(p);
                kept_ptr = TAKE_PTR(q);
        }
        ck_assert_str_eq(kept_ptr, "kept"); /* ASan would flag use-after-free or a leak */
        free(kept_ptr);
}
END_TEST

START_TEST(test_read_full_file) {
        _cleanup_free_ char *p = tmp_path("small");
        char *buf = NULL;
        size_t n = 0;

        write_bytes(p, "hello\nworld\n", 12);
        ck_assert_int_eq(read_full_file(p, 4096, &buf, &n), 0);
        ck_assert_uint_eq(n, 12);
        ck_assert_str_eq(buf, "hello\nworld\n");
        free(buf);

        /* ret_size is optional; the buffer is NUL-terminated. */
        ck_assert_int_eq(read_full_file(p, SIZE_MAX, &buf, NULL), 0);
        ck_assert_str_eq(buf, "hello\nworld\n");
        free(buf);

        /* Embedded NULs are data: the size tells. */
        write_bytes(p, "a\0b\0", 4);
        ck_assert_int_eq(read_full_file(p, 100, &buf, &n), 0);
        ck_assert_uint_eq(n, 4);
        ck_assert_int_eq(memcmp(buf, "a\0b\0", 5), 0);
        free(buf);

        /* Empty file: "" and size 0. */
        write_bytes(p, "", 0);
        ck_assert_int_eq(read_full_file(p, 100, &buf, &n), 0);
        ck_assert_uint_eq(n, 0);
        ck_assert_str_eq(buf, "");
        free(buf);
}
END_TEST

START_TEST(test_read_full_file_size_limit) {
        _cleanup_free_ char *p = tmp_path("limited");
        static const size_t sizes[] = { 1, 10, 4095, 4096, 4097, 8191, 8192, 100000 };
        char *data = malloc(100001);
        char *buf = (char *) "untouched";
        size_t n = 12345;

        ck_assert_ptr_nonnull(data);
        for (size_t i = 0; i < 100001; i++)
                data[i] = (char) ('a' + i % 26);

        for (size_t i = 0; i < ELEMENTSOF(sizes); i++) {
                size_t sz = sizes[i];

                write_bytes(p, data, sz);

                /* Exactly at the limit: fine. */
                ck_assert_int_eq(read_full_file(p, sz, &buf, &n), 0);
                ck_assert_uint_eq(n, sz);
                ck_assert_int_eq(memcmp(buf, data, sz), 0);
                ck_assert_int_eq(buf[sz], 0);
                free(buf);

                /* One byte over: -E2BIG, outputs untouched. */
                buf = (char *) "untouched";
                n = 12345;
                ck_assert_int_eq(read_full_file(p, sz - 1, &buf, &n), -E2BIG);
                ck_assert_str_eq(buf, "untouched");
                ck_assert_uint_eq(n, 12345);

                /* Far over: also -E2BIG, without reading it all. */
                if (sz > 100)
                        ck_assert_int_eq(read_full_file(p, 10, &buf, &n), -E2BIG);

                /* No limit (SIZE_MAX): the whole file. */
                ck_assert_int_eq(read_full_file(p, SIZE_MAX, &buf, &n), 0);
                ck_assert_uint_eq(n, sz);
                ck_assert_int_eq(memcmp(buf, data, sz), 0);
                free(buf);

                /* A short read as the end (devmaster's sysfs and db reads): the same bytes,
                 * the same limit. */
                ck_assert_int_eq(read_full_file_flags(p, sz, READ_FULL_SHORT_READ_IS_END, &buf, &n), 0);
                ck_assert_uint_eq(n, sz);
                ck_assert_int_eq(memcmp(buf, data, sz), 0);
                ck_assert_int_eq(buf[sz], 0);
                free(buf);
                ck_assert_int_eq(read_full_file_flags(p, sz - 1, READ_FULL_SHORT_READ_IS_END, &buf, &n), -E2BIG);
                buf = (char *) "untouched";
        }

        /* A limit of 0 accepts only an empty file. */
        write_bytes(p, "", 0);
        ck_assert_int_eq(read_full_file(p, 0, &buf, &n), 0);
        ck_assert_uint_eq(n, 0);
        free(buf);
        write_bytes(p, "x", 1);
        ck_assert_int_eq(read_full_file(p, 0, &buf, &n), -E2BIG);
        free(data);
}
END_TEST

START_TEST(test_read_full_file_errors_and_proc) {
        _cleanup_free_ char *missing = tmp_path("does-not-exist");
        char *buf = (char *) "untouched";
        size_t n = 7;

        ck_assert_int_eq(read_full_file(missing, 100, &buf, &n), -ENOENT);
        ck_assert_int_eq(read_full_file(tmpdir, 100, &buf, &n), -EISDIR);
        ck_assert_str_eq(buf, "untouched");
        ck_assert_uint_eq(n, 7);

        /* procfs files report size 0 but have content: read until EOF, not st_size. */
        ck_assert_int_eq(read_full_file("/proc/self/stat", 65536, &buf, &n), 0);
        ck_assert_uint_gt(n, 0);
        ck_assert_uint_eq(strlen(buf), n);
        {
                char pid[32];
                snprintf(pid, sizeof pid, "%d ", (int) getpid());
                ck_assert_ptr_nonnull(startswith(buf, pid));
        }
        free(buf);
}
END_TEST

START_TEST(test_readlink_malloc) {
        _cleanup_free_ char *link = tmp_path("link");
        _cleanup_free_ char *longlink = tmp_path("longlink");
        _cleanup_free_ char *file = tmp_path("file");
        char target[3001];
        char *r = (char *) "untouched";

        ck_assert_int_eq(symlink("some/target", link), 0);
        ck_assert_int_eq(readlink_malloc(link, &r), 0);
        ck_assert_str_eq(r, "some/target");
        free(r);

        /* Longer than the first buffer: grows until it fits, result exact. */
        for (size_t i = 0; i < sizeof target - 1; i++)
                target[i] = i % 50 == 49 ? '/' : 'a';
        target[sizeof target - 1] = 0;
        ck_assert_int_eq(symlink(target, longlink), 0);
        ck_assert_int_eq(readlink_malloc(longlink, &r), 0);
        ck_assert_str_eq(r, target);
        free(r);

        /* Boundary sizes around the initial buffer. */
        for (size_t len = 250; len <= 260; len++) {
                char t[300];
                _cleanup_free_ char *l = NULL;
                char *got = NULL;

                memset(t, 'b', len);
                t[len] = 0;
                l = tmp_path("edge");
                (void) unlink(l);
                ck_assert_int_eq(symlink(t, l), 0);
                ck_assert_int_eq(readlink_malloc(l, &got), 0);
                ck_assert_str_eq(got, t);
                free(got);
        }

        r = (char *) "untouched";
        write_bytes(file, "x", 1);
        ck_assert_int_eq(readlink_malloc(file, &r), -EINVAL);
        ck_assert_int_eq(readlink_malloc(tmpdir, &r), -EINVAL);
        ck_assert_int_eq(readlink_malloc("/nonexistent/really/not", &r), -ENOENT);
        ck_assert_str_eq(r, "untouched");

        /* A well-known symlink. */
        ck_assert_int_eq(readlink_malloc("/proc/self/exe", &r), 0);
        ck_assert(path_is_absolute(r));
        free(r);
}
END_TEST

START_TEST(test_write_string_file) {
        _cleanup_free_ char *p = tmp_path("written");
        char *buf = NULL;
        size_t n;
        struct stat st;

        ck_assert_int_eq(write_string_file(p, "value"), 0);
        ck_assert_int_eq(read_full_file(p, 100, &buf, &n), 0);
        ck_assert_str_eq(buf, "value\n"); /* newline added */
        free(buf);

        ck_assert_int_eq(write_string_file(p, "line\n"), 0);
        ck_assert_int_eq(read_full_file(p, 100, &buf, &n), 0);
        ck_assert_str_eq(buf, "line\n"); /* not doubled */
        free(buf);

        /* Truncates what was there. */
        ck_assert_int_eq(write_string_file(p, "a much longer first value"), 0);
        ck_assert_int_eq(write_string_file(p, "b"), 0);
        ck_assert_int_eq(read_full_file(p, 100, &buf, &n), 0);
        ck_assert_str_eq(buf, "b\n");
        ck_assert_uint_eq(n, 2);
        free(buf);

        ck_assert_int_eq(write_string_file(p, ""), 0);
        ck_assert_int_eq(read_full_file(p, 100, &buf, &n), 0);
        ck_assert_str_eq(buf, "\n");
        free(buf);

        /* Created as a regular file, mode 0644 minus the umask. */
        ck_assert_int_eq(stat(p, &st), 0);
        ck_assert(S_ISREG(st.st_mode));
        {
                mode_t u = umask(0);
                umask(u);
                ck_assert_uint_eq(st.st_mode & 0777, 0644 & ~u);
        }
}
END_TEST

START_TEST(test_write_string_file_errors) {
        _cleanup_free_ char *p = tmp_path("no-such-dir/file");

        ck_assert_int_eq(write_string_file(p, "x"), -ENOENT);
        ck_assert_int_eq(write_string_file(tmpdir, "x"), -EISDIR);
        /* A full device: the error of write() comes back. */
        if (access("/dev/full", W_OK) == 0)
                ck_assert_int_eq(write_string_file("/dev/full", "x"), -ENOSPC);
}
END_TEST

START_TEST(test_fd_move_above_stdio) {
        int fd, saved, moved;

        /* Already above stdio, or negative: returned unchanged. */
        fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        ck_assert_int_gt(fd, 2);
        ck_assert_int_eq(fd_move_above_stdio(fd), fd);
        ck_assert(fd_is_open(fd));
        close(fd);
        ck_assert_int_eq(fd_move_above_stdio(-1), -1);
        ck_assert_int_eq(fd_move_above_stdio(-EBADF), -EBADF);

        /* An fd that landed on 0 (stdin was closed) is moved up with O_CLOEXEC. */
        saved = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
        ck_assert_int_ge(saved, 3);
        close(STDIN_FILENO);
        fd = open("/dev/null", O_RDONLY); /* no O_CLOEXEC on purpose */
        ck_assert_int_eq(fd, STDIN_FILENO);
        moved = fd_move_above_stdio(fd);
        ck_assert_int_ge(moved, 3);
        ck_assert(!fd_is_open(STDIN_FILENO)); /* the original is closed */
        ck_assert(fcntl(moved, F_GETFD) & FD_CLOEXEC);
        close(moved);
        ck_assert_int_eq(dup2(saved, STDIN_FILENO), STDIN_FILENO);
        close(saved);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("fd-util");
        TCase *tc = tcase_create("core");

        tcase_set_timeout(tc, 60); /* sanitizer builds on a busy machine are slow */
        /* Unchecked: made once in the parent, and removed even when a test fails. */
        tcase_add_unchecked_fixture(tc, make_tmpdir, remove_tmpdir);
        tcase_add_test(tc, test_safe_close);
        tcase_add_test(tc, test_cleanup_helpers);
        tcase_add_test(tc, test_read_full_file);
        tcase_add_test(tc, test_read_full_file_size_limit);
        tcase_add_test(tc, test_read_full_file_errors_and_proc);
        tcase_add_test(tc, test_readlink_malloc);
        tcase_add_test(tc, test_write_string_file);
        tcase_add_test(tc, test_write_string_file_errors);
        tcase_add_test(tc, test_fd_move_above_stdio);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
