/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* spawn-util.c: see spawn-util.h. */

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

#include "signal-util.h"
#include "spawn-util.h"

/* The new process's own stack, on ours: we sleep in clone() until it exec'd or exited. */
#define CHILD_STACK_SIZE (32U * 1024U)

typedef struct SpawnChild {
        const char *path;
        char *const *argv, *const *envp;
        const int *stdio;
        volatile int error; /* set by the new process when it could not execute path */
} SpawnChild;

/* The signal mask with the raw system call: glibc's sigprocmask() will not block its own
 * signals (32, 33), and none may run a handler in the new process while it uses our memory. */
static int set_signal_mask_raw(uint64_t mask, uint64_t *old) {
        return syscall(SYS_rt_sigprocmask, SIG_SETMASK, &mask, old, sizeof mask) < 0 ? -errno : 0;
}

/* Runs in the new process, on our memory: system calls only, nothing of ours is changed but
 * c->error. */
static int spawn_child(void *userdata) {
        SpawnChild *c = userdata;

        /* first, before a handler of ours could run here: all signals are blocked */
        signal_reset_all_default_raw();
        for (int fd = 0; fd < 3; fd++) {
                int src = c->stdio[fd];

                if (src < 0)
                        continue;
                /* dup2() onto itself keeps close-on-exec: clear it instead */
                if ((src == fd ? fcntl(fd, F_SETFD, 0) : dup2(src, fd)) < 0)
                        goto fail;
        }
        if (syscall(SYS_close_range, 3U, ~0U, 0U) < 0) {
                for (int fd = 3; fd < 65536; fd++)
                        (void) close(fd);
        }
        if (set_signal_mask_raw(0, NULL) < 0)
                goto fail;
        execve(c->path, c->argv, c->envp);
fail:
        c->error = errno > 0 ? errno : EIO;
        _exit(127);
}

pid_t clone_vfork(int (*fn)(void *), void *arg, void *stack, size_t size, int flags) {
        pid_t pid = clone(fn, (uint8_t *) stack + size, CLONE_VM | CLONE_VFORK | flags, arg);

        if (pid < 0)
                return -errno;
        clone_stack_done(stack, size);
        return pid;
}

void clone_stack_done(void *stack, size_t size) {
#if defined(__SANITIZE_ADDRESS__)
        __asan_unpoison_memory_region(stack, size);
#else
        (void) stack;
        (void) size;
#endif
}

int spawn_program_vfork(const char *path, char *const argv[], char *const envp[], const int stdio[3],
                        pid_t *ret_pid) {
        uint8_t stack[CHILD_STACK_SIZE] __attribute__((aligned(16)));
        SpawnChild c = { .path = path, .argv = argv, .envp = envp, .stdio = stdio };
        uint64_t old;
        pid_t pid;
        int r = set_signal_mask_raw(~UINT64_C(0), &old);

        if (r < 0)
                return r;
        pid = clone_vfork(spawn_child, &c, stack, sizeof stack, SIGCHLD);
        if (pid < 0)
                r = pid;
        (void) set_signal_mask_raw(old, NULL);
        if (r < 0)
                return r;
        if (c.error != 0) {
                r = -c.error;
                while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
                        ;
                return r;
        }
        *ret_pid = pid;
        return 0;
}
