/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * process-util.h: what /proc/PID/stat says about a process (the fields the service manager
 * needs: its state letter, its parent, and when it started, which tells a process from a later
 * one that got the same PID). Nothing here logs.
 */

#include <stdint.h>
#include <sys/types.h>

typedef struct ProcStat {
        char state;          /* 'R', 'S', 'Z', … */
        pid_t ppid;
        uint64_t start_time; /* clock ticks after boot */
} ProcStat;

/* 0, -ENOENT if there is no such process, -EBADMSG if the file could not be understood. */
int proc_stat(pid_t pid, ProcStat *ret);
