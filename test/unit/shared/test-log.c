/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-log.c: unit tests for log.c. Covers the level and target names (as systemd users write
 * them in SYSTEMD_LOG_LEVEL / SYSTEMD_LOG_TARGET), the environment variables, what the
 * log_*_errno() macros return and how "%m" expands, log_syntax()'s "FILE:LINE: " prefix, the
 * level filter, the sink, and what actually reaches stderr. The console and kmsg targets are
 * only parsed and set here, never written to: the tests may run as root on a real machine.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "test-helpers.h"

/* Remembers the last message and its level, and how many messages arrived. */
typedef struct LastMessage {
        unsigned n;
        int level;
        char text[4096];
} LastMessage;

static void last_message_sink(int level, const char *message, void *userdata) {
        LastMessage *m = userdata;

        m->n++;
        m->level = level;
        snprintf(m->text, sizeof m->text, "%s", message);
}

static void reset_log(void) {
        log_set_sink(NULL, NULL);
        log_set_max_level(LOG_INFO);
        log_set_target(LOG_TARGET_STDERR);
        unsetenv("SYSTEMD_LOG_LEVEL");
        unsetenv("SYSTEMD_LOG_TARGET");
        unsetenv("SYSMASTER_LOG_LEVEL");
        unsetenv("SYSMASTER_LOG_TARGET");
}

static void teardown_log(void) {
        reset_log();
        log_close();
}

/* Points stderr at a fresh temporary file; returns the saved original stderr. */
static int stderr_capture_begin(FILE **ret_file) {
        FILE *f = tmpfile();
        int saved;

        ck_assert_ptr_nonnull(f);
        fflush(stderr);
        saved = dup(STDERR_FILENO);
        ck_assert_int_ge(saved, 0);
        ck_assert_int_eq(dup2(fileno(f), STDERR_FILENO), STDERR_FILENO);
        *ret_file = f;
        return saved;
}

/* Restores stderr and returns what was written to it (caller frees). */
static char *stderr_capture_end(FILE *f, int saved) {
        char *buf = calloc(1, 65536);
        size_t n;

        ck_assert_ptr_nonnull(buf);
        ck_assert_int_eq(dup2(saved, STDERR_FILENO), STDERR_FILENO);
        close(saved);
        rewind(f);
        n = fread(buf, 1, 65535, f);
        buf[n] = 0;
        fclose(f);
        return buf;
}

_printf_(3, 4) static int call_log_internalv(int level, int error, const char *format, ...) {
        va_list ap;
        int r;

        va_start(ap, format);
        r = log_internalv(level, error, __FILE__, __LINE__, __func__, format, ap);
        va_end(ap);
        return r;
}

START_TEST(test_level_names) {
        static const char *const names[] = { "emerg", "alert", "crit",   "err",
                                             "warning", "notice", "info", "debug" };

        for (int i = 0; i < (int) ELEMENTSOF(names); i++) {
                char digit[2] = { (char) ('0' + i), 0 };

                ck_assert_str_eq(log_level_to_string(i), names[i]);
                ck_assert_int_eq(log_level_from_string(names[i]), i);
                ck_assert_int_eq(log_level_from_string(digit), i);
        }
        ck_assert_int_eq(log_level_from_string("debug"), LOG_DEBUG);
        ck_assert_int_eq(log_level_from_string("DEBUG"), LOG_DEBUG);
        ck_assert_int_eq(log_level_from_string("Warning"), LOG_WARNING);
        ck_assert_int_eq(log_level_from_string("error"), LOG_ERR);
        ck_assert_int_eq(log_level_from_string("emergency"), LOG_EMERG);

        ck_assert_int_eq(log_level_from_string(NULL), -EINVAL);
        ck_assert_int_eq(log_level_from_string(""), -EINVAL);
        ck_assert_int_eq(log_level_from_string("8"), -EINVAL);
        ck_assert_int_eq(log_level_from_string("-1"), -EINVAL);
        ck_assert_int_eq(log_level_from_string("debugx"), -EINVAL);
        ck_assert_int_eq(log_level_from_string("deb"), -EINVAL);
        ck_assert_int_eq(log_level_from_string(" info"), -EINVAL);

        ck_assert_ptr_null(log_level_to_string(-1));
        ck_assert_ptr_null(log_level_to_string(8));
}
END_TEST

START_TEST(test_target_names) {
        for (LogTarget t = 0; t < _LOG_TARGET_MAX; t++) {
                const char *s = log_target_to_string(t);

                ck_assert_ptr_nonnull(s);
                ck_assert_int_eq(log_target_from_string(s), t);
        }
        ck_assert_int_eq(log_target_from_string("stderr"), LOG_TARGET_STDERR);
        ck_assert_int_eq(log_target_from_string("console"), LOG_TARGET_CONSOLE);
        ck_assert_int_eq(log_target_from_string("kmsg"), LOG_TARGET_KMSG);
        ck_assert_int_eq(log_target_from_string("auto"), LOG_TARGET_AUTO);
        ck_assert_int_eq(log_target_from_string("null"), LOG_TARGET_NULL);
        /* systemd's journal/syslog targets map to "auto". */
        ck_assert_int_eq(log_target_from_string("journal"), LOG_TARGET_AUTO);
        ck_assert_int_eq(log_target_from_string("syslog"), LOG_TARGET_AUTO);
        ck_assert_int_eq(log_target_from_string("journal-or-kmsg"), LOG_TARGET_AUTO);
        ck_assert_int_eq(log_target_from_string("syslog-or-kmsg"), LOG_TARGET_AUTO);

        ck_assert_int_eq(log_target_from_string(NULL), _LOG_TARGET_INVALID);
        ck_assert_int_eq(log_target_from_string(""), _LOG_TARGET_INVALID);
        ck_assert_int_eq(log_target_from_string("file"), _LOG_TARGET_INVALID);
        ck_assert_int_eq(log_target_from_string("stderr "), _LOG_TARGET_INVALID);
        ck_assert_ptr_null(log_target_to_string(_LOG_TARGET_MAX));
        ck_assert_ptr_null(log_target_to_string(_LOG_TARGET_INVALID));
}
END_TEST

START_TEST(test_max_level_and_target_setters) {
        log_set_max_level(LOG_ERR);
        ck_assert_int_eq(log_get_max_level(), LOG_ERR);
        log_set_max_level(8); /* out of range: ignored */
        ck_assert_int_eq(log_get_max_level(), LOG_ERR);
        log_set_max_level(-1);
        ck_assert_int_eq(log_get_max_level(), LOG_ERR);
        log_set_max_level(LOG_DEBUG);
        ck_assert_int_eq(log_get_max_level(), LOG_DEBUG);

        log_set_target(LOG_TARGET_NULL);
        ck_assert_int_eq(log_get_target(), LOG_TARGET_NULL);
        log_set_target(_LOG_TARGET_MAX);
        ck_assert_int_eq(log_get_target(), LOG_TARGET_NULL);
        log_set_target(_LOG_TARGET_INVALID);
        ck_assert_int_eq(log_get_target(), LOG_TARGET_NULL);
        log_set_target(LOG_TARGET_STDERR);
        ck_assert_int_eq(log_get_target(), LOG_TARGET_STDERR);
}
END_TEST

START_TEST(test_level_filter) {
        LastMessage m = {};

        log_set_sink(last_message_sink, &m);
        log_set_max_level(LOG_WARNING);

        log_info("not shown");
        log_notice("not shown");
        log_debug("not shown");
        ck_assert_uint_eq(m.n, 0);

        log_warning("shown %d", 1);
        ck_assert_uint_eq(m.n, 1);
        ck_assert_int_eq(m.level, LOG_WARNING);
        ck_assert_str_eq(m.text, "shown 1");

        log_error("shown %d", 2);
        ck_assert_uint_eq(m.n, 2);
        ck_assert_int_eq(m.level, LOG_ERR);

        /* Facility bits are ignored by the filter and stripped for the sink. */
        log_full(LOG_DAEMON | LOG_ERR, "with facility");
        ck_assert_uint_eq(m.n, 3);
        ck_assert_int_eq(m.level, LOG_ERR);
        ck_assert_str_eq(m.text, "with facility");
        log_full(LOG_DAEMON | LOG_INFO, "filtered with facility");
        ck_assert_uint_eq(m.n, 3);

        log_set_max_level(LOG_DEBUG);
        log_debug("debug now");
        ck_assert_uint_eq(m.n, 4);
        ck_assert_int_eq(m.level, LOG_DEBUG);
}
END_TEST

START_TEST(test_level_macros) {
        LastMessage m = {};

        log_set_sink(last_message_sink, &m);
        log_set_max_level(LOG_DEBUG);

        log_debug("d");
        ck_assert_int_eq(m.level, LOG_DEBUG);
        log_info("i");
        ck_assert_int_eq(m.level, LOG_INFO);
        log_notice("n");
        ck_assert_int_eq(m.level, LOG_NOTICE);
        log_warning("w");
        ck_assert_int_eq(m.level, LOG_WARNING);
        log_error("e");
        ck_assert_int_eq(m.level, LOG_ERR);
        log_emergency("emerg");
        ck_assert_int_eq(m.level, LOG_EMERG);
        log_full(LOG_CRIT, "c %s", "x");
        ck_assert_int_eq(m.level, LOG_CRIT);
        ck_assert_str_eq(m.text, "c x");
        ck_assert_uint_eq(m.n, 7);
}
END_TEST

START_TEST(test_env_systemd_level_and_target) {
        log_set_max_level(LOG_INFO);

        setenv("SYSTEMD_LOG_LEVEL", "debug", 1);
        log_parse_environment();
        ck_assert_int_eq(log_get_max_level(), LOG_DEBUG);

        setenv("SYSTEMD_LOG_LEVEL", "3", 1);
        log_parse_environment();
        ck_assert_int_eq(log_get_max_level(), LOG_ERR);

        setenv("SYSTEMD_LOG_LEVEL", "warning", 1);
        log_parse_environment();
        ck_assert_int_eq(log_get_max_level(), LOG_WARNING);

        /* A bad value leaves the level alone. */
        setenv("SYSTEMD_LOG_LEVEL", "loud", 1);
        log_parse_environment();
        ck_assert_int_eq(log_get_max_level(), LOG_WARNING);
        setenv("SYSTEMD_LOG_LEVEL", "", 1);
        log_parse_environment();
        ck_assert_int_eq(log_get_max_level(), LOG_WARNING);

        setenv("SYSTEMD_LOG_TARGET", "null", 1);
        log_parse_environment();
        ck_assert_int_eq(log_get_target(), LOG_TARGET_NULL);
        setenv("SYSTEMD_LOG_TARGET", "journal", 1);
        log_parse_environment();
        ck_assert_int_eq(log_get_target(), LOG_TARGET_AUTO);
        setenv("SYSTEMD_LOG_TARGET", "nowhere", 1);
        log_parse_environment();
        ck_assert_int_eq(log_get_target(), LOG_TARGET_AUTO);
}
END_TEST

START_TEST(test_env_sysmaster_wins) {
        log_set_max_level(LOG_INFO);

        setenv("SYSTEMD_LOG_LEVEL", "debug", 1);
        setenv("SYSMASTER_LOG_LEVEL", "err", 1);
        log_parse_environment();
        ck_assert_int_eq(log_get_max_level(), LOG_ERR);

        /* SYSMASTER_LOG_LEVEL alone works too. */
        unsetenv("SYSTEMD_LOG_LEVEL");
        setenv("SYSMASTER_LOG_LEVEL", "notice", 1);
        log_parse_environment();
        ck_assert_int_eq(log_get_max_level(), LOG_NOTICE);

        /* A bad SYSMASTER_LOG_LEVEL does not override a good SYSTEMD_LOG_LEVEL. */
        setenv("SYSTEMD_LOG_LEVEL", "debug", 1);
        setenv("SYSMASTER_LOG_LEVEL", "bogus", 1);
        log_parse_environment();
        ck_assert_int_eq(log_get_max_level(), LOG_DEBUG);

        setenv("SYSTEMD_LOG_TARGET", "stderr", 1);
        setenv("SYSMASTER_LOG_TARGET", "null", 1);
        log_parse_environment();
        ck_assert_int_eq(log_get_target(), LOG_TARGET_NULL);
}
END_TEST

START_TEST(test_env_unset_keeps_defaults) {
        log_set_max_level(LOG_NOTICE);
        log_set_target(LOG_TARGET_STDERR);
        log_parse_environment();
        ck_assert_int_eq(log_get_max_level(), LOG_NOTICE);
        ck_assert_int_eq(log_get_target(), LOG_TARGET_STDERR);
}
END_TEST

START_TEST(test_errno_return_values) {
        LastMessage m = {};

        log_set_sink(last_message_sink, &m);
        log_set_max_level(LOG_DEBUG);

        /* Either sign in, always negative out. */
        ck_assert_int_eq(log_error_errno(EINVAL, "x"), -EINVAL);
        ck_assert_int_eq(log_error_errno(-EINVAL, "x"), -EINVAL);
        ck_assert_int_eq(log_warning_errno(-ENOENT, "x"), -ENOENT);
        ck_assert_int_eq(log_notice_errno(EPERM, "x"), -EPERM);
        ck_assert_int_eq(log_info_errno(-EACCES, "x"), -EACCES);
        ck_assert_int_eq(log_debug_errno(EBUSY, "x"), -EBUSY);
        ck_assert_int_eq(log_full_errno(LOG_CRIT, -EIO, "x"), -EIO);
        ck_assert_int_eq(log_info_errno(0, "no error"), 0);
        ck_assert_uint_eq(m.n, 8);

        ck_assert_int_eq(log_oom(), -ENOMEM);
        ck_assert_str_eq(m.text, "Out of memory.");
        ck_assert_int_eq(m.level, LOG_ERR);
        ck_assert_int_eq(log_oom_debug(), -ENOMEM);
        ck_assert_int_eq(m.level, LOG_DEBUG);

        /* The value is returned even when the message is filtered out. */
        log_set_max_level(LOG_ERR);
        m.n = 0;
        ck_assert_int_eq(log_debug_errno(ENOENT, "hidden"), -ENOENT);
        ck_assert_int_eq(log_warning_errno(-EEXIST, "hidden"), -EEXIST);
        ck_assert_int_eq(log_oom_debug(), -ENOMEM);
        ck_assert_uint_eq(m.n, 0);
}
END_TEST

START_TEST(test_errno_preserved) {
        LastMessage m = {};

        log_set_sink(last_message_sink, &m);
        log_set_max_level(LOG_INFO);

        errno = EBADF;
        (void) log_error_errno(EPERM, "shown: %m");
        ck_assert_int_eq(errno, EBADF);
        (void) log_debug_errno(EPERM, "filtered: %m");
        ck_assert_int_eq(errno, EBADF);
        log_info("plain");
        ck_assert_int_eq(errno, EBADF);
        (void) log_syntax(NULL, LOG_ERR, "/x.conf", 1, EINVAL, "bad: %m");
        ck_assert_int_eq(errno, EBADF);
        (void) log_syntax(NULL, LOG_DEBUG, "/x.conf", 1, EINVAL, "filtered: %m");
        ck_assert_int_eq(errno, EBADF);
}
END_TEST

START_TEST(test_percent_m) {
        LastMessage m = {};
        char want[512];

        log_set_sink(last_message_sink, &m);
        log_set_max_level(LOG_DEBUG);

        (void) log_error_errno(ENOENT, "Failed to open %s: %m", "/etc/foo");
        snprintf(want, sizeof want, "Failed to open /etc/foo: %s", strerror(ENOENT));
        ck_assert_str_eq(m.text, want);

        (void) log_warning_errno(-EACCES, "Denied: %m");
        snprintf(want, sizeof want, "Denied: %s", strerror(EACCES));
        ck_assert_str_eq(m.text, want);

        /* %m is the error passed in, not whatever errno happens to be. */
        errno = EEXIST;
        (void) log_info_errno(EROFS, "%m");
        ck_assert_str_eq(m.text, strerror(EROFS));

        /* Ordinary conversions still work next to %m. */
        (void) log_debug_errno(EIO, "%d%%: %s (%m)", 50, "half");
        snprintf(want, sizeof want, "50%%: half (%s)", strerror(EIO));
        ck_assert_str_eq(m.text, want);
}
END_TEST

START_TEST(test_log_internalv) {
        LastMessage m = {};
        char want[256];

        log_set_sink(last_message_sink, &m);
        log_set_max_level(LOG_INFO);

        ck_assert_int_eq(call_log_internalv(LOG_NOTICE, ENOSPC, "%s %u: %m", "disk", 7u), -ENOSPC);
        snprintf(want, sizeof want, "disk 7: %s", strerror(ENOSPC));
        ck_assert_str_eq(m.text, want);
        ck_assert_int_eq(m.level, LOG_NOTICE);

        ck_assert_int_eq(call_log_internalv(LOG_DEBUG, -ENOSPC, "hidden"), -ENOSPC);
        ck_assert_uint_eq(m.n, 1);
        ck_assert_int_eq(log_internal(LOG_ERR, 0, "f.c", 1, "fn", "%s", "direct"), 0);
        ck_assert_str_eq(m.text, "direct");
}
END_TEST

START_TEST(test_log_syntax_format) {
        LastMessage m = {};
        char want[512];

        log_set_sink(last_message_sink, &m);
        log_set_max_level(LOG_DEBUG);

        ck_assert_int_eq(log_syntax("foo.service", LOG_WARNING, "/etc/systemd/system/foo.service",
                                    12, 0, "Unknown key name '%s' in section '%s', ignoring.",
                                    "Foo", "Service"),
                         0);
        ck_assert_str_eq(m.text, "/etc/systemd/system/foo.service:12: Unknown key name 'Foo' in "
                                 "section 'Service', ignoring.");
        ck_assert_int_eq(m.level, LOG_WARNING);

        /* With an error: returned negative, and %m expands to it. */
        ck_assert_int_eq(log_syntax(NULL, LOG_ERR, "/run/x.conf", 3, EINVAL,
                                    "Failed to parse '%s', ignoring: %m", "abc"),
                         -EINVAL);
        snprintf(want, sizeof want, "/run/x.conf:3: Failed to parse 'abc', ignoring: %s",
                 strerror(EINVAL));
        ck_assert_str_eq(m.text, want);
        ck_assert_int_eq(log_syntax(NULL, LOG_ERR, "/run/x.conf", 3, -ERANGE, "%m"), -ERANGE);
        snprintf(want, sizeof want, "/run/x.conf:3: %s", strerror(ERANGE));
        ck_assert_str_eq(m.text, want);

        /* Line 0: no line number. No file: just the message. */
        (void) log_syntax(NULL, LOG_NOTICE, "/etc/x.conf", 0, 0, "whole file");
        ck_assert_str_eq(m.text, "/etc/x.conf: whole file");
        (void) log_syntax(NULL, LOG_NOTICE, NULL, 5, 0, "no file");
        ck_assert_str_eq(m.text, "no file");

        /* The formatted message is not formatted a second time. */
        (void) log_syntax(NULL, LOG_INFO, "/a%s", 1, 0, "%s", "100%s %m %d");
        ck_assert_str_eq(m.text, "/a%s:1: 100%s %m %d");

        /* Large line numbers are printed in full. */
        (void) log_syntax(NULL, LOG_INFO, "/big", 4294967295u, 0, "x");
        ck_assert_str_eq(m.text, "/big:4294967295: x");
}
END_TEST

START_TEST(test_log_syntax_filtered) {
        LastMessage m = {};

        log_set_sink(last_message_sink, &m);
        log_set_max_level(LOG_WARNING);

        ck_assert_int_eq(log_syntax(NULL, LOG_INFO, "/etc/x.conf", 1, ENOEXEC, "hidden"), -ENOEXEC);
        ck_assert_int_eq(log_syntax(NULL, LOG_DEBUG, "/etc/x.conf", 1, 0, "hidden"), 0);
        ck_assert_uint_eq(m.n, 0);
        ck_assert_int_eq(log_syntax(NULL, LOG_WARNING, "/etc/x.conf", 1, 0, "shown"), 0);
        ck_assert_uint_eq(m.n, 1);
}
END_TEST

START_TEST(test_long_message_truncated) {
        LastMessage m = {};
        char big[10000];
        size_t n;

        memset(big, 'a', sizeof big - 1);
        big[sizeof big - 1] = 0;
        log_set_sink(last_message_sink, &m);
        log_set_max_level(LOG_INFO);

        ck_assert_int_eq(log_error_errno(E2BIG, "%s", big), -E2BIG);
        n = strlen(m.text);
        ck_assert_uint_ge(n, 1024);
        ck_assert_uint_lt(n, sizeof big - 1);
        ck_assert_uint_eq(strspn(m.text, "a"), n);

        (void) log_syntax(NULL, LOG_ERR, "/x.conf", 9, 0, "%s", big);
        ck_assert_int_eq(strncmp(m.text, "/x.conf:9: aaaa", 15), 0);
        ck_assert_uint_lt(strlen(m.text), sizeof big - 1);
}
END_TEST

START_TEST(test_sink_and_capture) {
        LogCapture c;
        LastMessage m = {};
        FILE *f;
        int saved;
        char *out;

        log_set_max_level(LOG_INFO);
        log_capture_start(&c);
        log_info("first %s", "line");
        (void) log_error_errno(ENOENT, "second: %m");
        log_debug("filtered");
        log_capture_stop();
        ck_assert_log_contains(&c, "first line\n");
        ck_assert_log_contains(&c, "second: ");
        ck_assert_log_contains(&c, strerror(ENOENT));
        ck_assert_ptr_null(strstr(c.buf, "filtered"));

        /* The sink replaces the target entirely: nothing reaches stderr. */
        saved = stderr_capture_begin(&f);
        log_set_sink(last_message_sink, &m);
        log_info("to the sink");
        log_set_sink(NULL, NULL);
        log_info("to stderr");
        out = stderr_capture_end(f, saved);
        ck_assert_str_eq(m.text, "to the sink");
        ck_assert_str_eq(out, "to stderr\n");
        free(out);
}
END_TEST

START_TEST(test_stderr_target) {
        FILE *f;
        int saved;
        char *out;

        log_set_max_level(LOG_INFO);
        log_set_target(LOG_TARGET_STDERR);

        saved = stderr_capture_begin(&f);
        log_info("hello %d", 42);
        log_debug("not written");
        (void) log_error_errno(EPERM, "denied: %m");
        (void) log_syntax(NULL, LOG_WARNING, "/etc/a.conf", 7, 0, "odd");
        out = stderr_capture_end(f, saved);

        {
                char want[512];
                snprintf(want, sizeof want, "hello 42\ndenied: %s\n/etc/a.conf:7: odd\n",
                         strerror(EPERM));
                ck_assert_str_eq(out, want);
        }
        free(out);
}
END_TEST

START_TEST(test_null_target) {
        FILE *f;
        int saved;
        char *out;

        log_set_max_level(LOG_DEBUG);
        log_set_target(LOG_TARGET_NULL);
        saved = stderr_capture_begin(&f);
        log_error("dropped");
        ck_assert_int_eq(log_error_errno(EIO, "dropped"), -EIO);
        out = stderr_capture_end(f, saved);
        ck_assert_str_eq(out, "");
        free(out);
}
END_TEST

START_TEST(test_auto_target_not_pid1) {
        FILE *f;
        int saved;
        char *out;

        if (getpid() == 1)
                return; /* "auto" means kmsg for PID 1; never write there from a test. */

        log_set_max_level(LOG_INFO);
        log_set_target(LOG_TARGET_AUTO);
        saved = stderr_capture_begin(&f);
        log_notice("via auto");
        out = stderr_capture_end(f, saved);
        ck_assert_str_eq(out, "via auto\n");
        free(out);
}
END_TEST

START_TEST(test_log_close) {
        FILE *f;
        int saved;
        char *out;

        /* Nothing open: harmless, also twice. Logging keeps working afterwards. */
        log_close();
        log_close();
        log_set_target(LOG_TARGET_STDERR);
        saved = stderr_capture_begin(&f);
        log_warning("after close");
        out = stderr_capture_end(f, saved);
        ck_assert_str_eq(out, "after close\n");
        free(out);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("log");
        TCase *tc = tcase_create("core");

        tcase_set_timeout(tc, 60); /* sanitizer builds on a busy machine are slow */
        tcase_add_checked_fixture(tc, reset_log, teardown_log);
        tcase_add_test(tc, test_level_names);
        tcase_add_test(tc, test_target_names);
        tcase_add_test(tc, test_max_level_and_target_setters);
        tcase_add_test(tc, test_level_filter);
        tcase_add_test(tc, test_level_macros);
        tcase_add_test(tc, test_env_systemd_level_and_target);
        tcase_add_test(tc, test_env_sysmaster_wins);
        tcase_add_test(tc, test_env_unset_keeps_defaults);
        tcase_add_test(tc, test_errno_return_values);
        tcase_add_test(tc, test_errno_preserved);
        tcase_add_test(tc, test_percent_m);
        tcase_add_test(tc, test_log_internalv);
        tcase_add_test(tc, test_log_syntax_format);
        tcase_add_test(tc, test_log_syntax_filtered);
        tcase_add_test(tc, test_long_message_truncated);
        tcase_add_test(tc, test_sink_and_capture);
        tcase_add_test(tc, test_stderr_target);
        tcase_add_test(tc, test_null_target);
        tcase_add_test(tc, test_auto_target_not_pid1);
        tcase_add_test(tc, test_log_close);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
