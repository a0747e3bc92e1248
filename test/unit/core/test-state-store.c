/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests of the crash-recovery state store (state-store.c) and its record format (serialize.c):
 * what a commit makes visible, what an uncommitted transaction loses when the process goes (a
 * store reopened without commit sees the last commit), that a fresh boot empties it, prefix
 * walks in key order, that giving back LMDB's page cache frees memory and loses nothing, and that
 * values with newlines and backslashes come back unchanged. */

#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lmdb-pages.h"
#include "serialize.h"
#include "state-store.h"
#include "string-util.h"
#include "test-helpers.h"

static char dir[] = "/tmp/test-state-store.XXXXXX";
static char path[256];

static void setup(void) {
        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(path, sizeof(path), "%s/state.lmdb", dir);
}

static void teardown(void) {
        unlink(path);
        rmdir(dir);
        strcpy(dir, "/tmp/test-state-store.XXXXXX");
}

static char *get(StateStore *s, const char *key) {
        char *v = NULL;
        return state_store_get(s, key, &v, NULL) >= 0 ? v : NULL;
}

START_TEST(test_commit_visibility) {
        StateStore *s = NULL;
        char *v;

        ck_assert_int_eq(state_store_open(path, false, &s), 0);
        ck_assert_int_eq(state_store_commit(s), 0); /* nothing to do */
        ck_assert_int_eq(state_store_put(s, "u:a.service", "state=running\n", 14), 0);
        ck_assert(state_store_pending(s));
        ck_assert_int_eq(state_store_commit(s), 1);
        ck_assert(!state_store_pending(s));
        /* a change that is never committed: the process "dies" (the store is closed) */
        ck_assert_int_eq(state_store_put(s, "u:a.service", "state=dead\n", 11), 0);
        ck_assert_int_eq(state_store_put(s, "u:b.service", "state=running\n", 14), 0);
        state_store_free(s);

        ck_assert_int_eq(state_store_open(path, true, &s), 0);
        v = get(s, "u:a.service");
        ck_assert_str_eq(v, "state=running\n");
        free(v);
        ck_assert_ptr_null(get(s, "u:b.service"));
        ck_assert_int_eq(state_store_delete(s, "u:a.service"), 0);
        ck_assert_int_eq(state_store_delete(s, "u:none.service"), 0);
        ck_assert_int_eq(state_store_commit(s), 1);
        ck_assert_ptr_null(get(s, "u:a.service"));
        ck_assert_int_eq(state_store_put(s, "", "x", 1), -EINVAL);
        state_store_free(s);
}
END_TEST

/* After a commit of many changes LMDB keeps a copy of every page it dirtied; releasing the cache
 * gives that memory back and loses nothing: what was committed is there, the store takes writes. */
START_TEST(test_release_cache) {
        StateStore *s = NULL;
        char key[64], val[200], *v;
        size_t before, after;

        ck_assert_int_eq(state_store_open(path, false, &s), 0);
        memset(val, 'x', sizeof(val));
        for (int i = 0; i < 2000; i++) {
                snprintf(key, sizeof(key), "u:svc-%d.service", i);
                ck_assert_int_eq(state_store_put(s, key, val, sizeof(val)), 0);
        }
        ck_assert_int_eq(state_store_commit(s), 1);
        ck_assert_int_eq(state_store_put(s, "m", "pending", 7), 0);
        ck_assert_int_eq(state_store_release_cache(s), 0); /* not while changes wait */
        ck_assert_int_eq(state_store_commit(s), 1);
        before = mallinfo2().uordblks;
        ck_assert_int_eq(state_store_release_cache(s), 1);
        after = mallinfo2().uordblks;
#if !defined(__SANITIZE_ADDRESS__) /* ASan's allocator does not count in mallinfo2() */
        ck_assert_msg(before >= after + 64 * 4096, "in use %zu -> %zu bytes", before, after);
#else
        (void) before, (void) after;
#endif
        v = get(s, "u:svc-1999.service");
        ck_assert_ptr_nonnull(v);
        ck_assert_int_eq(strlen(v), sizeof(val));
        free(v);
        v = get(s, "m");
        ck_assert_str_eq(v, "pending");
        free(v);
        ck_assert_int_eq(state_store_put(s, "m", "after", 5), 0);
        ck_assert_int_eq(state_store_commit(s), 1);
        state_store_free(s);
        ck_assert_int_eq(state_store_open(path, true, &s), 0);
        v = get(s, "m");
        ck_assert_str_eq(v, "after");
        free(v);
        state_store_free(s);
}
END_TEST

/* The store's file is not inherited by the services the manager starts. */
START_TEST(test_close_on_exec) {
        StateStore *s;
        bool found = false;

        ck_assert_int_eq(state_store_open(path, false, &s), 0);
        for (int fd = 3; fd < 1024; fd++) {
                char link[64], target[256];
                ssize_t n;

                snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
                n = readlink(link, target, sizeof target - 1);
                if (n < 0)
                        continue;
                target[n] = 0;
                if (!streq(target, path))
                        continue;
                found = true;
                ck_assert_msg(fcntl(fd, F_GETFD) & FD_CLOEXEC, "fd %d of %s is inherited by exec", fd, path);
        }
        ck_assert(found);
        state_store_free(s);
}
END_TEST

START_TEST(test_fresh_boot_empties) {
        StateStore *s = NULL;

        ck_assert_int_eq(state_store_open(path, false, &s), 0);
        ck_assert_int_eq(state_store_put(s, "m", "job-id=7\n", 9), 0);
        ck_assert_int_eq(state_store_commit(s), 1);
        state_store_free(s);
        ck_assert_int_eq(state_store_open(path, false, &s), 0);
        ck_assert_ptr_null(get(s, "m"));
        state_store_free(s);
}
END_TEST

/* A restore reads and writes in one transaction begun before its first read: what it wrote is
 * seen by its later reads, and nothing of it survives a crash before the commit. */
START_TEST(test_begin) {
        StateStore *s = NULL;
        char *v;

        ck_assert_int_eq(state_store_open(path, false, &s), 0);
        ck_assert_int_eq(state_store_put(s, "f:/etc/a.service", "1 2 3\n[Unit]\n", 14), 0);
        ck_assert_int_eq(state_store_commit(s), 1);
        ck_assert_int_eq(state_store_begin(s), 0);
        ck_assert(state_store_pending(s));
        ck_assert_int_eq(state_store_begin(s), 0); /* already open */
        ck_assert_int_eq(state_store_put(s, "f:/etc/a.service", "4 5 6\n[Unit]\n", 14), 0);
        v = get(s, "f:/etc/a.service");
        ck_assert_str_eq(v, "4 5 6\n[Unit]\n");
        free(v);
        state_store_free(s); /* the manager dies before its first commit */
        ck_assert_int_eq(state_store_open(path, true, &s), 0);
        v = get(s, "f:/etc/a.service");
        ck_assert_str_eq(v, "1 2 3\n[Unit]\n");
        free(v);
        ck_assert_int_eq(state_store_begin(s), 0);
        ck_assert_int_eq(state_store_commit(s), 1); /* an empty transaction commits too */
        ck_assert(!state_store_pending(s));
        state_store_free(s);
}
END_TEST

static int collect(const char *key, const void *data, size_t size, void *userdata) {
        char **out = userdata;
        (void) data;
        (void) size;
        ck_assert_int_ge(strextend(out, key, ";"), 0);
        return 0;
}

START_TEST(test_foreach_prefix) {
        _cleanup_free_ char *keys = NULL;
        StateStore *s = NULL;

        ck_assert_int_eq(state_store_open(path, false, &s), 0);
        ck_assert_int_eq(state_store_put(s, "j:0000000012", "", 0), 0);
        ck_assert_int_eq(state_store_put(s, "u:b.service", "x", 1), 0);
        ck_assert_int_eq(state_store_put(s, "j:0000000003", "", 0), 0);
        ck_assert_int_eq(state_store_put(s, "u:a.service", "x", 1), 0);
        ck_assert_int_eq(state_store_put(s, "m", "x", 1), 0);
        ck_assert_int_eq(state_store_commit(s), 1);
        ck_assert_int_eq(state_store_foreach(s, "j:", collect, &keys), 0);
        ck_assert_str_eq(keys, "j:0000000003;j:0000000012;");
        keys = mfree(keys);
        ck_assert_int_eq(state_store_foreach(s, "u:", collect, &keys), 0);
        ck_assert_str_eq(keys, "u:a.service;u:b.service;");
        keys = mfree(keys);
        ck_assert_int_eq(state_store_foreach(s, "x:", collect, &keys), 0);
        ck_assert_ptr_null(keys);
        state_store_free(s);
}
END_TEST

static int check_item(const char *key, const char *value, void *userdata) {
        unsigned *n = userdata;

        switch ((*n)++) {
        case 0:
                ck_assert_str_eq(key, "status-text");
                ck_assert_str_eq(value, "line one\nline two \\ back\r");
                break;
        case 1:
                ck_assert_str_eq(key, "n-restarts");
                ck_assert_str_eq(value, "3");
                break;
        case 2:
                ck_assert_str_eq(key, "ts");
                DualTimestamp t;
                ck_assert_int_eq(deser_dual(value, &t), 0);
                ck_assert_uint_eq(t.realtime, 1700000000000000ULL);
                ck_assert_uint_eq(t.monotonic, 12345ULL);
                break;
        case 3:
        case 4:
                ck_assert_str_eq(key, "env");
                ck_assert_str_eq(value, *n == 4 ? "A=1" : "B=two words");
                break;
        case 5:
                ck_assert_str_eq(key, "ok");
                bool b = false;
                ck_assert_int_eq(deser_bool(value, &b), 0);
                ck_assert(b);
                break;
        default:
                ck_abort_msg("unexpected item %s", key);
        }
        return 0;
}

START_TEST(test_record_format) {
        Serializer s = {};
        const char *data;
        size_t size;
        unsigned n = 0;
        char *env[] = { (char *) "A=1", (char *) "B=two words", NULL };

        ser_item(&s, "status-text", "line one\nline two \\ back\r");
        ser_uint(&s, "n-restarts", 3);
        ser_dual(&s, "ts", &(DualTimestamp) { 1700000000000000ULL, 12345ULL });
        ser_dual(&s, "never", &(DualTimestamp) {}); /* not written */
        ser_item(&s, "absent", NULL);               /* not written */
        ser_strv(&s, "env", env);
        ser_bool(&s, "ok", true);
        ck_assert_int_eq(ser_done(&s, &data, &size), 0);
        ck_assert_ptr_null(memchr(data, '\r', size));
        /* every value is one line */
        ck_assert_int_eq(deserialize_lines(data, size, check_item, &n), 0);
        ck_assert_uint_eq(n, 6);
        /* a damaged record: lines without '=' are skipped, a truncated one still parses */
        n = 0;
        const char *damaged = "garbage\nstatus-text=line one\\nline two \\\\ back\\r";
        ck_assert_int_eq(deserialize_lines(damaged, strlen(damaged), check_item, &n), 0);
        ck_assert_uint_eq(n, 1);
        ser_reset(&s);
        ck_assert_int_eq(ser_done(&s, &data, &size), 0);
        ck_assert_uint_eq(size, 0);
        ser_free(&s);
}
END_TEST

/* The numbers of pid, exec-status, start-limit and timestamp lines. */
START_TEST(test_record_numbers) {
        uint64_t v[3];
        const char *rest;
        DualTimestamp t;

        ck_assert_int_eq(deser_numbers("12 345 1", v, 3, NULL), 0);
        ck_assert_uint_eq(v[0], 12);
        ck_assert_uint_eq(v[1], 345);
        ck_assert_uint_eq(v[2], 1);
        ck_assert_int_eq(deser_numbers("-1 18446744073709551615", v, 2, NULL), 0);
        ck_assert_int_eq((int) v[0], -1);
        ck_assert_uint_eq(v[1], UINT64_MAX);
        /* an optional third number, as in "pid PID START [OWNED]" */
        ck_assert_int_eq(deser_numbers("7 8", v, 2, &rest), 0);
        ck_assert_str_eq(rest, "");
        ck_assert_int_eq(deser_numbers("7 8 1", v, 2, &rest), 0);
        ck_assert_str_eq(rest, " 1");
        ck_assert_int_eq(deser_numbers(rest, v + 2, 1, NULL), 0);
        ck_assert_uint_eq(v[2], 1);
        /* too few, junk, overflow, signs and bases sscanf("%d") would not take either */
        ck_assert_int_eq(deser_numbers("7", v, 2, NULL), -EINVAL);
        ck_assert_int_eq(deser_numbers("", v, 1, NULL), -EINVAL);
        ck_assert_int_eq(deser_numbers("7 8 9", v, 2, NULL), -EINVAL);
        ck_assert_int_eq(deser_numbers("7x 8", v, 2, NULL), -EINVAL);
        ck_assert_int_eq(deser_numbers("18446744073709551616", v, 1, NULL), -ERANGE);
        ck_assert_int_eq(deser_numbers("+7", v, 1, NULL), -EINVAL);
        ck_assert_int_eq(deser_numbers("- 7", v, 1, NULL), -EINVAL);
        ck_assert_int_eq(deser_dual("1 2", &t), 0);
        ck_assert_uint_eq(t.monotonic, 2);
        ck_assert_int_eq(deser_dual("1 2 3", &t), -EINVAL);
}
END_TEST

/* lmdb-pages.c, what the static manager's LMDB allocates with: one-page buffers from a region of
 * their own, zero when handed out (calloc) also after a written one was freed, given back at
 * free; everything else from malloc(). */
START_TEST(test_lmdb_pages) {
        size_t ps = (size_t) sysconf(_SC_PAGESIZE), base = lmdb_pages_in_use();
        uint8_t *a = lmdb_pages_malloc(ps), *b = lmdb_pages_calloc(1, ps);
        char *small = lmdb_pages_malloc(100), *two = lmdb_pages_calloc(2, ps);

        ck_assert_ptr_nonnull(a);
        ck_assert_ptr_nonnull(b);
        ck_assert_ptr_nonnull(small);
        ck_assert_ptr_nonnull(two);
        ck_assert_uint_eq(lmdb_pages_in_use(), base + 2);
        ck_assert_uint_eq((uintptr_t) a % ps, 0);
        memset(a, 0xa5, ps);
        for (size_t i = 0; i < ps; i++)
                ck_assert_uint_eq(b[i], 0);
        for (size_t i = 0; i < 2 * ps; i++)
                ck_assert_uint_eq((uint8_t) two[i], 0);
        strcpy(small, "malloc'd");

        lmdb_pages_free(a); /* back to the kernel: the next page handed out is zero */
        ck_assert_uint_eq(lmdb_pages_in_use(), base + 1);
        uint8_t *c = lmdb_pages_calloc(1, ps);
        ck_assert_ptr_eq(c, a);
        for (size_t i = 0; i < ps; i++)
                ck_assert_uint_eq(c[i], 0);

        /* a page grown by realloc keeps its bytes and leaves the region */
        memset(c, 0x5a, ps);
        uint8_t *d = lmdb_pages_realloc(c, 3 * ps);
        ck_assert_ptr_nonnull(d);
        ck_assert_uint_eq(lmdb_pages_in_use(), base + 1);
        ck_assert_uint_eq(d[0], 0x5a);
        ck_assert_uint_eq(d[ps - 1], 0x5a);
        char *e = lmdb_pages_realloc(small, 200);
        ck_assert_str_eq(e, "malloc'd");

        lmdb_pages_free(d);
        lmdb_pages_free(e);
        lmdb_pages_free(two);
        lmdb_pages_free(b);
        lmdb_pages_free(NULL);
        ck_assert_uint_eq(lmdb_pages_in_use(), base);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("state-store");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_commit_visibility);
        tcase_add_test(tc, test_release_cache);
        tcase_add_test(tc, test_fresh_boot_empties);
        tcase_add_test(tc, test_close_on_exec);
        tcase_add_test(tc, test_begin);
        tcase_add_test(tc, test_foreach_prefix);
        tcase_add_test(tc, test_record_format);
        tcase_add_test(tc, test_record_numbers);
        tcase_add_test(tc, test_lmdb_pages);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
