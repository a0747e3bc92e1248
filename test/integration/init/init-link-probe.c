/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * init-link-probe: a stand-in manager built on src/core/init-link, started by the real
 * sysmaster-init in test-init-link. Generation 1 puts a pipe into init's fd store, leaves a
 * child behind that exits 7 a little later, and dies. Generation 2 must get the pipe back and
 * the child's exit record (exactly once), acknowledges it and asks init to exit with status 0.
 * Everything it sees goes, one line each, to the file $PROBE_LOG.
 */

#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fd-util.h"
#include "init-link.h"

static FILE *logf_;
static bool got_fd, got_record;
static unsigned n_records;

static void say(const char *format, ...) {
        va_list ap;

        va_start(ap, format);
        vfprintf(logf_, format, ap);
        va_end(ap);
        fputc('\n', logf_);
        fflush(logf_);
}

static void maybe_finish(InitLink *l) {
        if (got_fd && got_record) {
                say("gen2: shutdown");
                (void) init_link_shutdown(l, INIT_SHUTDOWN_EXIT, 0);
        }
}

static void on_record(InitLink *l, const InitExitRecord *r, void *userdata) {
        n_records++;
        say("gen%u: record pid=%d code=%d status=%d n=%u", init_link_get_generation(l), r->pid,
            r->code, r->status, n_records);
        (void) init_link_ack(l, r->serial);
        if (r->code == CLD_EXITED && r->status == 7)
                got_record = true;
        maybe_finish(l);
}

static void on_entry(InitLink *l, const char *name, int *fds, size_t n, void *userdata) {
        char buf[64] = {};

        if (read(fds[0], buf, sizeof(buf) - 1) < 0)
                buf[0] = 0;
        say("gen%u: fd %s n=%zu data=%s", init_link_get_generation(l), name, n, buf);
        for (size_t i = 0; i < n; i++)
                safe_close(fds[i]);
        got_fd = true;
        maybe_finish(l);
}

static void on_end(InitLink *l, void *userdata) {
        int p[2];
        pid_t pid;

        say("gen%u: store received dropped=%llu", init_link_get_generation(l),
            (unsigned long long) init_link_dropped_records(l));
        if (init_link_get_generation(l) != 1)
                return;
        if (pipe2(p, O_CLOEXEC) < 0 || write(p[1], "from gen1", 9) != 9)
                exit(2);
        close(p[1]);
        say("gen1: put %d", init_link_fdstore_put(l, "probe", &p[0], 1));
        close(p[0]);
        pid = fork();
        if (pid == 0) {
                usleep(300 * 1000);
                _exit(7);
        }
        say("gen1: child %d, dying", (int) pid);
        _exit(1);
}

int main(void) {
        static const InitLinkCallbacks cb = {
                .exit_record = on_record,
                .fdstore_entry = on_entry,
                .fdstore_end = on_end,
        };
        _cleanup_(init_link_freep) InitLink *l = NULL;
        _cleanup_(event_unrefp) Event *e = NULL;
        const char *path = getenv("PROBE_LOG");

        if (!path || !(logf_ = fopen(path, "ae")))
                return 2;
        if (event_new(&e) < 0 || init_link_new_from_env(e, &cb, NULL, &l) < 0) {
                say("probe: no init link");
                return 2;
        }
        (void) event_loop(e);
        return 0;
}
