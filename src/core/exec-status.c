/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * exec-status.c: the records of command runs (see exec-status.h), shared by service.c and
 * socket.c.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "exec-status.h"

void exec_status_start(ExecStatus *st, pid_t pid) {
        if (!st)
                return;
        *st = (ExecStatus) { .pid = pid };
        dual_timestamp_now(&st->start_timestamp);
}

void exec_status_exit(ExecStatus *st, pid_t pid, int code, int status) {
        if (!st)
                return;
        if (st->pid != pid)
                *st = (ExecStatus) { .pid = pid };
        dual_timestamp_now(&st->exit_timestamp);
        st->code = code;
        st->status = status;
}

static size_t first_of(const ExecStatusTable *t, ExecCommandKind k) {
        size_t o = 0;

        for (ExecCommandKind j = 0; j < k; j++)
                o += t->n[j];
        return o;
}

int exec_status_table_fit(ExecStatusTable *t, ExecCommand *const lists[_EXEC_COMMAND_KIND_MAX]) {
        uint32_t n[_EXEC_COMMAND_KIND_MAX];
        size_t total = 0;
        bool same = true;
        ExecStatus *records = NULL;

        for (ExecCommandKind k = 0; k < _EXEC_COMMAND_KIND_MAX; k++) {
                n[k] = (uint32_t) exec_command_list_length(lists[k]);
                total += n[k];
                same = same && n[k] == t->n[k];
        }
        if (same)
                return 0;
        if (total > 0) {
                records = calloc(total, sizeof *records);
                if (!records)
                        return -ENOMEM;
                size_t o = 0;

                for (ExecCommandKind k = 0; k < _EXEC_COMMAND_KIND_MAX; o += n[k], k++)
                        if (n[k] == t->n[k] && n[k] > 0)
                                memcpy(records + o, t->records + first_of(t, k), n[k] * sizeof *records);
        }
        free(t->records);
        t->records = records;
        memcpy(t->n, n, sizeof n);
        return 0;
}

ExecStatus *exec_status_table_get(const ExecStatusTable *t, ExecCommandKind k, size_t i) {
        if (k < 0 || k >= _EXEC_COMMAND_KIND_MAX || i >= t->n[k])
                return NULL;
        return t->records + first_of(t, k) + i;
}

ExecStatus *exec_status_table_find(const ExecStatusTable *t, ExecCommand *const lists[_EXEC_COMMAND_KIND_MAX],
                                   ExecCommandKind k, const ExecCommand *c) {
        size_t i = 0;

        if (k < 0 || k >= _EXEC_COMMAND_KIND_MAX || !c)
                return NULL;
        for (const ExecCommand *x = lists[k]; x; x = x->next, i++)
                if (x == c)
                        return exec_status_table_get(t, k, i);
        return NULL;
}

void exec_status_table_reset(ExecStatusTable *t) {
        size_t total = first_of(t, _EXEC_COMMAND_KIND_MAX);

        if (total > 0)
                memset(t->records, 0, total * sizeof *t->records);
}

void exec_status_table_done(ExecStatusTable *t) {
        free(t->records);
        *t = (ExecStatusTable) {};
}
