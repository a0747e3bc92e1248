/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * process-util.c: /proc/PID/stat, see process-util.h.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fd-util.h"
#include "process-util.h"

int proc_stat(pid_t pid, ProcStat *ret) {
        char path[64], buf[1024];
        unsigned long long start;
        const char *p;
        char *end;
        ssize_t n;
        int fd, ppid;

        snprintf(path, sizeof(path), "/proc/%i/stat", (int) pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return errno == ENOENT || errno == ESRCH ? -ENOENT : -errno;
        n = read(fd, buf, sizeof(buf) - 1);
        safe_close(fd);
        if (n < 0)
                return errno == ESRCH ? -ENOENT : -errno;
        buf[n] = 0;
        /* the command name (field 2) may contain anything: the fields after it start at the
         * last ')'; starttime is field 22, 19 fields after ppid */
        p = strrchr(buf, ')');
        if (!p || p[1] != ' ' || !p[2] || p[3] != ' ')
                return -EBADMSG;
        ret->state = p[2];
        p += 4;
        ppid = (int) strtol(p, &end, 10);
        if (end == p)
                return -EBADMSG;
        for (int field = 5; field < 22; field++) { /* pgrp ... itrealvalue */
                if (*end != ' ')
                        return -EBADMSG;
                p = end + 1;
                end = (char *) p + strcspn(p, " ");
                if (end == p)
                        return -EBADMSG;
        }
        if (*end != ' ')
                return -EBADMSG;
        p = end + 1;
        errno = 0;
        start = strtoull(p, &end, 10);
        if (end == p || errno != 0)
                return -EBADMSG;
        ret->ppid = (pid_t) ppid;
        ret->start_time = start;
        return 0;
}
