/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * exec-status.h: what happened to each run of a unit's commands, for the units that run
 * Exec*= lists (services, sockets): one ExecStatus per command of every list, owned by the
 * unit's type object, read by D-Bus (ExecStart= & co.) and serialized for crash recovery.
 */

#include <stdint.h>
#include <sys/types.h>

#include "exec-command.h"
#include "time-util.h"
#include "unit.h"

/* What happened to one run of a command: the a(sasbttttuii) entries of ExecStart= & co. on
 * D-Bus and the "Process:" lines of systemctl status. */
typedef struct ExecStatus {
        DualTimestamp start_timestamp, exit_timestamp;
        pid_t pid;
        int code;     /* CLD_EXITED, CLD_KILLED, CLD_DUMPED; 0 while running / never ran */
        int status;   /* exit status or signal */
} ExecStatus;

/* pid started: st becomes a new record of it (st NULL: nothing to record). */
void exec_status_start(ExecStatus *st, pid_t pid);
/* The run of pid ended; a record of another pid is started afresh first. */
void exec_status_exit(ExecStatus *st, pid_t pid, int code, int status);

/* The records of all Exec*= lists of a unit in one block, kind after kind, each in list order
 * (40 bytes per unit; eight arrays with their sizes took 128 and a malloc chunk per list). */
typedef struct ExecStatusTable {
        ExecStatus *records;
        uint32_t n[_EXEC_COMMAND_KIND_MAX];  /* records of each kind */
} ExecStatusTable;

/* Sizes t for lists (the unit's exec_commands): a kind whose number of commands is unchanged
 * keeps its records (daemon-reload), the others start empty. 0 or -ENOMEM (t unchanged). */
int exec_status_table_fit(ExecStatusTable *t, ExecCommand *const lists[_EXEC_COMMAND_KIND_MAX]);
/* Record i of kind k, NULL if there is none. */
ExecStatus *exec_status_table_get(const ExecStatusTable *t, ExecCommandKind k, size_t i);
/* The record of command c of kind k in lists, NULL if c is not in the list (e.g. a command of a
 * list a reload replaced). */
ExecStatus *exec_status_table_find(const ExecStatusTable *t, ExecCommand *const lists[_EXEC_COMMAND_KIND_MAX],
                                   ExecCommandKind k, const ExecCommand *c);
/* Every record back to "never ran". */
void exec_status_table_reset(ExecStatusTable *t);
void exec_status_table_done(ExecStatusTable *t);
