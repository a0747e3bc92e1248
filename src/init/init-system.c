/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * init-system.c: logging, API file systems, container check, kill and shutdown for
 * sysmaster-init. Only fixed buffers (no opendir(), no stdio streams).
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init.h"

#ifndef STATX_INO /* a libc without statx() (musl 1.2.3): the kernel's structure, called directly */
#include <linux/stat.h>
#include <sys/syscall.h>
#define statx(dfd, path, flags, mask, buf) ((int) syscall(SYS_statx, dfd, path, flags, mask, buf))
#endif

#define PF_KTHREAD_FLAG 0x00200000UL /* include/linux/sched.h */
#define CGROUP2_MAGIC 0x63677270

static int log_fd = STDERR_FILENO;
static bool log_kmsg;

void init_log_open(bool kmsg) {
        int fd = kmsg ? open("/dev/kmsg", O_WRONLY | O_NOCTTY | O_CLOEXEC) : -1;

        if (kmsg && fd < 0)
                init_log(LOG_WARNING, "cannot open /dev/kmsg, logging to stderr: %m");
        log_kmsg = fd >= 0;
        log_fd = log_kmsg ? fd : STDERR_FILENO;
}

void init_log(int level, const char *format, ...) {
        static char buf[1024];
        int saved_errno = errno;
        size_t n = (size_t) snprintf(buf, sizeof buf, "<%d>sysmaster-init: ", LOG_DAEMON | level);
        const char *start = log_kmsg ? buf : strchr(buf, '>') + 1; /* stderr: no level */
        va_list ap;

        errno = saved_errno;
        va_start(ap, format);
        (void) vsnprintf(buf + n, sizeof buf - n - 1, format, ap);
        va_end(ap);
        n = strlen(buf);
        buf[n++] = '\n';
        (void) !write(log_fd, start, (size_t) (buf + n - start));
        errno = saved_errno;
}

uint64_t init_now(clockid_t clock) {
        struct timespec ts;

        (void) clock_gettime(clock, &ts);
        return (uint64_t) ts.tv_sec * UINT64_C(1000000) + (uint64_t) ts.tv_nsec / 1000U;
}

int init_poll(struct pollfd *p, nfds_t n, uint64_t deadline) {
        uint64_t now = init_now(CLOCK_MONOTONIC), left = deadline > now ? deadline - now : 0;
        struct timespec ts = { (time_t) (left / 1000000U), (long) (left % 1000000U) * 1000L };

        return ppoll(p, n, deadline == UINT64_MAX ? NULL : &ts, NULL);
}

/* Up to size - 1 bytes of the file, NUL-terminated: their number, or -1. */
static ssize_t read_text(const char *path, char *buf, size_t size) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        ssize_t n = fd < 0 ? -1 : read(fd, buf, size - 1);

        if (fd >= 0)
                (void) close(fd);
        buf[n > 0 ? n : 0] = 0;
        return n;
}

static bool is_cgroup2(const char *path) {
        struct statfs sf;

        return statfs(path, &sf) == 0 && sf.f_type == CGROUP2_MAGIC;
}

/* The root of a mount (Linux >= 5.8 says so), or on another device than its parent. */
static bool is_mount_point(const char *path) {
        struct statx sx, up;
        char parent[64];

        (void) snprintf(parent, sizeof parent, "%s/..", path);
        if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_INO, &sx) < 0 ||
            statx(AT_FDCWD, parent, 0, STATX_INO, &up) < 0)
                return false;
        return (sx.stx_attributes & sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) ||
               sx.stx_dev_major != up.stx_dev_major || sx.stx_dev_minor != up.stx_dev_minor;
}

void init_mount_api(void) {
        static const struct {
                const char *where, *type, *options;
                unsigned long flags;
        } mounts[] = {
                { "/proc", "proc", NULL, MS_NOSUID | MS_NOEXEC | MS_NODEV },
                { "/sys", "sysfs", NULL, MS_NOSUID | MS_NOEXEC | MS_NODEV },
                { "/dev", "devtmpfs", "mode=0755", MS_NOSUID | MS_STRICTATIME },
                { "/run", "tmpfs", "mode=0755,size=20%", MS_NOSUID | MS_NODEV | MS_STRICTATIME },
                { "/sys/fs/cgroup", "cgroup2", "nsdelegate", MS_NOSUID | MS_NOEXEC | MS_NODEV },
        };
        static const char *const dirs[] = { "/run/systemd", "/run/systemd/system",
                                            "/run/sysmaster" };

        for (size_t i = 0; i < ELEMENTS(mounts); i++) {
                const char *where = mounts[i].where, *type = mounts[i].type;

                (void) mkdir(where, 0755);
                /* Use what we find; v1 cgroups are the manager's problem. */
                if (is_mount_point(where)) {
                        if (strcmp(type, "cgroup2") == 0 && !is_cgroup2(where))
                                init_log(LOG_WARNING, "%s is not cgroup2, leaving it", where);
                        continue;
                }
                if (mount(type, where, type, mounts[i].flags, mounts[i].options) < 0)
                        init_log(LOG_ERR, "cannot mount %s on %s: %m", type, where);
                else
                        init_log(LOG_INFO, "mounted %s on %s", type, where);
        }
        for (size_t i = 0; i < ELEMENTS(dirs); i++)
                if (mkdir(dirs[i], 0755) < 0 && errno != EEXIST)
                        init_log(LOG_ERR, "cannot create %s: %m", dirs[i]);
}

/* Field number `field` after the command name of /proc/PID/stat (1: state, 2: ppid, 7: flags). */
static int proc_stat_field(long pid, unsigned field, unsigned long *ret) {
        char path[32], buf[512];
        const char *p;

        (void) snprintf(path, sizeof path, "/proc/%ld/stat", pid);
        if (read_text(path, buf, sizeof buf) <= 0)
                return -EIO;
        p = strrchr(buf, ')');
        for (unsigned i = 0; p && i < field; i++)
                p = strchr(p + 1, ' ');
        if (!p)
                return -EIO;
        *ret = strtoul(p + 1, NULL, 10);
        return 0;
}

bool init_in_container(void) {
        unsigned long flags;

        if (getenv("container"))
                return true;
        if (proc_stat_field(2, 7, &flags) < 0) /* no /proc: as the host (harmless in a container) */
                return access("/proc/1/stat", F_OK) == 0;
        return !(flags & PF_KTHREAD_FLAG);
}

/* Sends sig to all other processes or, not PID 1 (a test's subreaper), to our children only. */
static void signal_others(int sig) {
        static char buf[8192] __attribute__((aligned(8)));
        int fd = getpid() == 1 ? -1 : open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        unsigned long ppid;
        ssize_t n;

        if (getpid() == 1 && kill(-1, sig) < 0 && errno != ESRCH)
                init_log(LOG_ERR, "cannot send signal %d to all processes: %m", sig);
        while (fd >= 0 && (n = getdents64(fd, (void *) buf, sizeof buf)) > 0)
                for (ssize_t off = 0; off < n; off += ((struct dirent64 *) (buf + off))->d_reclen) {
                        long pid = strtol(((struct dirent64 *) (buf + off))->d_name, NULL, 10);

                        if (pid > 0 && proc_stat_field(pid, 2, &ppid) == 0 &&
                            ppid == (unsigned long) getpid())
                                (void) kill((pid_t) pid, sig);
                }
        if (fd >= 0)
                (void) close(fd);
        if (sig == SIGTERM)
                signal_others(SIGCONT); /* stopped processes must run to die */
}

/* Signals, reaps until no child is left (true) or timeout (false); a subreaper signals again. */
static bool kill_and_reap(int sigfd, int sig, uint64_t timeout_usec) {
        uint64_t deadline = init_now(CLOCK_MONOTONIC) + timeout_usec;

        for (unsigned round = 0;; round++) {
                struct signalfd_siginfo ssi;
                struct pollfd p = { .fd = sigfd, .events = POLLIN };
                siginfo_t si;

                if (round == 0 || getpid() != 1)
                        signal_others(sig);
                do {
                        si.si_pid = 0;
                        if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG) < 0 && errno == ECHILD)
                                return true;
                } while (si.si_pid != 0);
                if (init_now(CLOCK_MONOTONIC) >= deadline)
                        return false;
                (void) init_poll(&p, 1, deadline);
                while (read(sigfd, &ssi, sizeof ssi) == (ssize_t) sizeof ssi)
                        ; /* only SIGCHLD matters now */
        }
}

_Noreturn void init_shutdown(int sigfd, const InitShutdownPayload *how, bool host_init) {
        static const char *const names[] = { "reboot", "power-off", "halt", "kexec", "exit" };
        static const int commands[] = { RB_AUTOBOOT, RB_POWER_OFF, RB_HALT_SYSTEM, RB_KEXEC,
                                        RB_HALT_SYSTEM };

        init_log(LOG_NOTICE, "shutdown (%s): sending SIGTERM to all processes", names[how->action]);
        if (!kill_and_reap(sigfd, SIGTERM, INIT_KILL_TIMEOUT_USEC)) {
                init_log(LOG_WARNING, "sending SIGKILL to the remaining processes");
                if (!kill_and_reap(sigfd, SIGKILL, INIT_KILL_TIMEOUT_USEC))
                        init_log(LOG_ERR, "some processes are still alive, going on");
        }
        sync();
        if (!host_init) {
                init_log(LOG_NOTICE, "exiting with status %d", how->exit_status);
                exit(how->exit_status);
        }
        if (how->action == INIT_SHUTDOWN_EXIT)
                init_log(LOG_ERR, "the host's PID 1 cannot exit: halting instead");
        init_log(LOG_NOTICE, "%s now", names[how->action]);
        (void) reboot(commands[how->action]);
        if (how->action == INIT_SHUTDOWN_KEXEC) {
                init_log(LOG_ERR, "kexec failed (%m), rebooting");
                (void) reboot(RB_AUTOBOOT);
        }
        init_freeze("reboot(2) failed");
}

_Noreturn void init_freeze(const char *what) {
        init_log(LOG_CRIT, "%s: %m; nothing left to do", what);
        for (;;)
                (void) pause(); /* PID 1 must not exit */
}
