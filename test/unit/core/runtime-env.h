/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * runtime-env.h: a manager in test mode for the tests that run units for real (test-service,
 * test-socket): a temporary unit tree, the runtime under it (no cgroups, the exec helper of the
 * build tree), an event loop, the log captured. env_done() kills whatever the services left
 * and reaps it, so a failing test does not leak processes. Include once per test program.
 */

#include <signal.h>
#include <sys/wait.h>

#include "event.h"
#include "manager.h"
#include "service.h"
#include "test-helpers.h"
#include "unit-tree.h"

typedef struct Env {
        UnitTree tree;
        Manager *m;
        Event *e;
        char rt[256];
        LogCapture log;
} Env;

static inline void env_init(Env *v) {
        const char *b = getenv("top_builddir");
        char path[512];
        sigset_t ss;

        *v = (Env) {};
        sigemptyset(&ss);
        sigaddset(&ss, SIGCHLD);
        ck_assert_int_eq(sigprocmask(SIG_BLOCK, &ss, NULL), 0);
        signal(SIGPIPE, SIG_IGN);
        unit_tree_init(&v->tree);
        snprintf(path, sizeof path, "%s/sysmaster-executor", b ? b : ".");
        setenv("SYSMASTER_EXECUTOR", path, 1);
        snprintf(v->rt, sizeof v->rt, "%s/rt", v->tree.root);
        unit_tree_mkdir_p(v->rt);
        v->m = unit_tree_manager(&v->tree);
        v->m->test_run = true;
        v->m->default_std_output = EXEC_OUTPUT_INHERIT;
        v->m->default_std_error = EXEC_OUTPUT_INHERIT;
        ck_assert_int_eq(event_new(&v->e), 0);
        ck_assert_int_eq(manager_setup_runtime(v->m, v->e, v->rt), 0);
        log_capture_start(&v->log);
}

static inline void env_done(Env *v) {
        Unit *u;

        log_capture_stop();
        ORDERED_SET_FOREACH(u, v->m->all_units) {
                if (u->type != UNIT_SERVICE || u->load_state != UNIT_LOADED)
                        continue;
                if (SERVICE(u)->main_pid > 0)
                        (void) kill(SERVICE(u)->main_pid, SIGKILL);
                if (SERVICE(u)->control_pid > 0)
                        (void) kill(SERVICE(u)->control_pid, SIGKILL);
        }
        manager_free(v->m);
        event_unref(v->e);
        while (waitpid(-1, NULL, WNOHANG) > 0)
                ;
        unit_tree_done(&v->tree);
}

/* fmt with every "%s" replaced by the test's root directory, into buf (size n). Returns the length. */
static inline size_t env_expand(Env *v, const char *fmt, char *buf, size_t size) {
        size_t n = 0;

        for (const char *p = fmt; *p && n < size - 128; p++)
                if (p[0] == '%' && p[1] == 's') {
                        n += (size_t) snprintf(buf + n, size - n, "%s", v->tree.root);
                        p++;
                } else
                        buf[n++] = *p;
        buf[n] = 0;
        return n;
}

/* Loads name (its file written already) and keeps it from being collected under the test. */
static inline Unit *env_load_unit(Env *v, const char *name) {
        Unit *u;

        ck_assert_int_eq(manager_load_unit(v->m, name, &u), 0);
        ck_assert_msg(u->load_state == UNIT_LOADED, "%s: load state %d; log:\n%s", name, u->load_state, v->log.buf);
        u->ref_count_bus++;
        return u;
}

/* Runs the loop for ms milliseconds. */
static inline void env_run_for(Env *v, unsigned ms) {
        usec_t end = now(CLOCK_MONOTONIC) + ms * USEC_PER_MSEC;

        while (now(CLOCK_MONOTONIC) < end)
                ck_assert_int_ge(event_run(v->e, 20 * USEC_PER_MSEC), 0);
}
