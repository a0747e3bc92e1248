/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fault-inject.c: the crash switch of fault-inject.h.
 */

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fault-inject.h"
#include "fd-util.h"
#include "log.h"
#include "parse-util.h"
#include "string-util.h"

bool fault_inject_armed = false;
static char point[64];
static unsigned countdown = 1;
static int crash_signal = SIGSEGV;

static void arm(const char *spec) {
        _cleanup_free_ char *s = strdup(spec);
        char *eq, *colon;

        if (!s)
                return;
        s[strcspn(s, "\n")] = 0;
        eq = strchr(s, '=');
        if (eq) {
                *eq++ = 0;
                crash_signal = streq(eq, "KILL") ? SIGKILL : streq(eq, "ABRT") ? SIGABRT : SIGSEGV;
        }
        colon = strchr(s, ':');
        if (colon) {
                *colon++ = 0;
                if (safe_atou(colon, &countdown) < 0 || countdown == 0)
                        countdown = 1;
        }
        if (isempty(s) || strlen(s) >= sizeof(point))
                return;
        strcpy(point, s);
        fault_inject_armed = true;
        log_warning("Fault injection armed: crashing with signal %d at the %u. pass through \"%s\".", crash_signal,
                    countdown, point);
}

void fault_inject_setup(const char *runtime_dir) {
        _cleanup_free_ char *path = strjoin(runtime_dir ?: "/run", "/sysmaster/fault");
        _cleanup_free_ char *spec = NULL;
        const char *e = getenv("SYSMASTER_FAULT");

        if (e) {
                arm(e);
                (void) unsetenv("SYSMASTER_FAULT");
                return;
        }
        if (path && read_full_file(path, 256, &spec, NULL) >= 0) {
                (void) unlink(path);
                arm(spec);
        }
}

void fault_point_arg_slow(const char *name, const char *arg) {
        size_t n = strlen(name);

        if (strncmp(point, name, n) == 0 && point[n] == '@' && streq(point + n + 1, arg))
                fault_point_slow(point);
}

void fault_point_slow(const char *name) {
        if (!streq(point, name) || --countdown > 0)
                return;
        log_warning("Fault injection: crashing at \"%s\".", name);
        fault_inject_armed = false;
        (void) raise(crash_signal);
}
