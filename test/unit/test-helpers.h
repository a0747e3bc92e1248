/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * test-helpers.h: the boilerplate of a libcheck unit-test program. A test file defines its
 * START_TEST cases and a `static Suite *make_suite(void)`, then ends with TEST_MAIN().
 * Helpers to capture log messages let tests assert what a user would read.
 */

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#define TEST_MAIN(make_suite_fn)                                                     \
        int main(void) {                                                             \
                SRunner *_sr = srunner_create(make_suite_fn());                      \
                int _failed;                                                         \
                log_set_max_level(LOG_DEBUG);                                        \
                log_parse_environment();                                             \
                srunner_run_all(_sr, CK_ENV);                                        \
                _failed = srunner_ntests_failed(_sr);                                \
                srunner_free(_sr);                                                   \
                return _failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;                   \
        }

/* Collects every log message into one newline-separated buffer. */
typedef struct LogCapture {
        char buf[65536];
        size_t n;
} LogCapture;

static inline void log_capture_sink(int level, const char *message, void *userdata) {
        LogCapture *c = userdata;
        (void) level;
        int k = snprintf(c->buf + c->n, sizeof c->buf - c->n, "%s\n", message);
        if (k > 0)
                c->n = c->n + (size_t) k >= sizeof c->buf ? sizeof c->buf - 1 : c->n + (size_t) k;
}

static inline void log_capture_start(LogCapture *c) {
        c->n = 0;
        c->buf[0] = 0;
        log_set_sink(log_capture_sink, c);
}

static inline void log_capture_stop(void) {
        log_set_sink(NULL, NULL);
}

#define ck_assert_log_contains(c, s) \
        ck_assert_msg(strstr((c)->buf, (s)) != NULL, "log lacks \"%s\"; log was:\n%s", (s), (c)->buf)
