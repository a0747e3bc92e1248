/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * crash-guard.c: the crash-loop guard, see crash-guard.h.
 */

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crash-guard.h"
#include "fd-util.h"
#include "log.h"
#include "string-util.h"
#include "strv.h"
#include "time-base.h"

#define KEY_MAX 256

static char log_path[512];
static const char *current_what, *current_unit; /* the event being handled, or NULL */
static char **poisoned;

void crash_guard_setup(const char *runtime_dir) {
        _cleanup_free_ char *text = NULL;
        _cleanup_strv_free_ char **keep = NULL, **lines = NULL;
        usec_t now_usec = now(CLOCK_MONOTONIC);

        snprintf(log_path, sizeof(log_path), "%s/sysmaster/crash-events", runtime_dir ?: "/run");
        if (read_full_file(log_path, 1024 * 1024, &text, NULL) < 0 || strv_split_newlines(text, &lines) < 0)
                return;
        /* only crashes within the window count, and only they are kept */
        STRV_FOREACH(l, lines) {
                uint64_t t;
                int n = 0;

                if (sscanf(*l, "%" SCNu64 " %n", &t, &n) < 1 || n == 0 || t > now_usec ||
                    now_usec - t > CRASH_GUARD_WINDOW_USEC)
                        continue;
                (void) strv_extend(&keep, *l);
                unsigned count = 0;
                STRV_FOREACH(k, keep)
                        if (streq(strchr(*k, ' ') + 1, *l + n))
                                count++;
                if (count >= CRASH_GUARD_LIMIT && !strv_contains(poisoned, *l + n)) {
                        log_emergency("The manager crashed %u times within %" PRIu64 " s while handling \"%s\": "
                                      "it will be skipped from now on.",
                                      count, (uint64_t) (CRASH_GUARD_WINDOW_USEC / USEC_PER_SEC), *l + n);
                        (void) strv_extend(&poisoned, *l + n);
                }
        }
        _cleanup_free_ char *joined = keep ? strv_join(keep, "\n") : NULL;
        _cleanup_fclose_ FILE *f = fopen(log_path, "we");
        if (f && joined)
                fprintf(f, "%s\n", joined);
}

/* "WHAT UNIT" into buf (async-signal-safe); returns the length. */
static size_t format_key(char *buf, size_t size, const char *what, const char *unit) {
        size_t len = 0;

        for (const char *p = what; *p && len < size - 2; p++)
                buf[len++] = *p;
        buf[len++] = ' ';
        for (const char *p = unit; *p && len < size - 1; p++)
                buf[len++] = *p == '\n' ? ' ' : *p;
        buf[len] = 0;
        return len;
}

bool crash_guard_enter(const char *what, const char *unit) {
        /* the key is only formatted where it matters: a crash, or a guard that skips events */
        if (poisoned) {
                char key[KEY_MAX];

                (void) format_key(key, sizeof(key), what, unit);
                if (strv_contains(poisoned, key)) {
                        log_emergency("Skipping \"%s\": the manager crashed handling it before.", key);
                        return false;
                }
        }
        current_what = what;
        current_unit = unit;
        return true;
}

void crash_guard_leave(void) {
        current_what = NULL;
}

/* Formats n in decimal into buf (async-signal-safe); returns the length. */
static size_t format_u64(char *buf, uint64_t n) {
        char tmp[24];
        size_t k = 0, len = 0;

        do
                tmp[k++] = (char) ('0' + n % 10);
        while ((n /= 10) > 0);
        while (k > 0)
                buf[len++] = tmp[--k];
        return len;
}

void crash_guard_record_crash(void) {
        char line[KEY_MAX + 32];
        struct timespec ts;
        size_t len;
        int fd;

        if (!current_what || !log_path[0] || clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
                return;
        len = format_u64(line, (uint64_t) ts.tv_sec * 1000000U + (uint64_t) ts.tv_nsec / 1000U);
        line[len++] = ' ';
        len += format_key(line + len, sizeof(line) - len - 1, current_what, current_unit);
        line[len++] = '\n';
        fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0)
                return;
        (void) !write(fd, line, len);
        (void) close(fd);
}
