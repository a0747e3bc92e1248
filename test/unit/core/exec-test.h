/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * exec-test.h: running a unit's ExecStart= for real in core tests: the unit is written into a
 * throw-away search path (unit-tree.h) and loaded as the manager loads it, its ExecContext is
 * built from the loaded settings, and exec_spawn() starts the command through the exec helper
 * of the build tree ($SYSMASTER_EXECUTOR). What the command prints, what the helper logs and how
 * the process ended are collected for the test to assert.
 */

#include <fcntl.h>
#include <sys/wait.h>

#include "exec-context.h"
#include "execute.h"
#include "fd-util.h"
#include "unit-tree.h"

typedef struct ExecTest {
        UnitTree tree;
        Manager *m;
        Unit *u;
        ExecContext ctx;
        char out_path[256], log_path[256];
        char *out, *log;           /* after exec_test_run() */
        int code, status;          /* si_code and si_status of the process */
} ExecTest;

static inline void exec_test_init(ExecTest *t) {
        const char *b = getenv("top_builddir");
        char path[512];

        *t = (ExecTest) {};
        unit_tree_init(&t->tree);
        snprintf(path, sizeof path, "%s/sysmaster-executor", b ? b : ".");
        setenv("SYSMASTER_EXECUTOR", path, 1);
        snprintf(t->out_path, sizeof t->out_path, "%s/out", t->tree.root);
        snprintf(t->log_path, sizeof t->log_path, "%s/log", t->tree.root);
        exec_context_init(&t->ctx);
}

static inline void exec_test_done(ExecTest *t) {
        free(t->out);
        free(t->log);
        exec_context_done(&t->ctx);
        manager_free(t->m);
        unit_tree_done(&t->tree);
}

/* Writes name with text into the tree, loads it and builds its context; returns what
 * exec_context_from_unit() returned. */
static inline int exec_test_load(ExecTest *t, const char *name, const char *text) {
        unit_tree_write(t->tree.etc, name, text);
        t->m = unit_tree_manager(&t->tree);
        ck_assert_int_eq(manager_load_unit(t->m, name, &t->u), 0);
        return exec_context_from_unit(t->u, &t->ctx);
}

static inline char *exec_test_read(const char *path) {
        char *s = NULL;
        if (read_full_file(path, SIZE_MAX, &s, NULL) < 0)
                return strdup("");
        return s;
}

/* Spawns command c (ExecStart= when NULL) with p (the defaults: sandboxing and chroot applied,
 * stdout and stderr into out_path unless capture_stdout is false), waits for it and fills out,
 * log, code and status. The helper's messages land in log_path: the test's stderr is pointed
 * there while the helper starts. Returns exec_spawn()'s result. */
static inline int exec_test_run_full(ExecTest *t, const ExecCommand *c, ExecParameters *p, bool capture_stdout) {
        ExecParameters d = EXEC_PARAMETERS_INIT;
        int out = -1, log, saved, r;
        siginfo_t si = {};
        pid_t pid;

        if (!p) {
                d.flags = EXEC_APPLY_SANDBOXING | EXEC_APPLY_CHROOT;
                p = &d;
        }
        if (!p->unit_id)
                p->unit_id = t->u->id;
        if (!c)
                c = t->u->exec_commands[EXEC_START];
        if (capture_stdout) {
                out = open(t->out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
                ck_assert_int_ge(out, 0);
                p->stdout_fd = p->stderr_fd = out;
        }
        log = open(t->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        ck_assert_int_ge(log, 0);
        fflush(stderr);
        saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
        ck_assert_int_ge(saved, 0);
        ck_assert_int_ge(dup2(log, STDERR_FILENO), 0);
        r = exec_spawn(c, &t->ctx, p, &pid);
        fflush(stderr);
        dup2(saved, STDERR_FILENO);
        safe_close(saved);
        safe_close(log);
        safe_close(out);
        if (capture_stdout)
                p->stdout_fd = p->stderr_fd = -1;
        if (r < 0) {
                free(t->log);
                t->log = exec_test_read(t->log_path);
                return r;
        }
        ck_assert_int_eq(waitid(P_PID, (id_t) pid, &si, WEXITED), 0);
        t->code = si.si_code;
        t->status = si.si_status;
        free(t->out);
        free(t->log);
        t->out = exec_test_read(t->out_path);
        t->log = exec_test_read(t->log_path);
        return 0;
}

static inline int exec_test_run(ExecTest *t) {
        return exec_test_run_full(t, NULL, NULL, true);
}

/* Asserts a clean exit with status 0; prints what the helper logged otherwise. */
#define ck_assert_exec_ok(t)                                                                      \
        ck_assert_msg((t)->code == CLD_EXITED && (t)->status == 0,                                  \
                      "process ended with code %d status %d; log:\n%s\noutput:\n%s", (t)->code,    \
                      (t)->status, (t)->log, (t)->out)

#define ck_assert_out_has(t, s) \
        ck_assert_msg(strstr((t)->out, (s)) != NULL, "output lacks \"%s\"; output was:\n%s\nlog:\n%s", (s), (t)->out, (t)->log)
#define ck_assert_out_lacks(t, s) \
        ck_assert_msg(strstr((t)->out, (s)) == NULL, "output has \"%s\"; output was:\n%s", (s), (t)->out)
#define ck_assert_exec_log_has(t, s) \
        ck_assert_msg(strstr((t)->log, (s)) != NULL, "log lacks \"%s\"; log was:\n%s", (s), (t)->log)
