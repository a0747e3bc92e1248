/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * executor-server.c: the spawn server loop of the exec helper (executor-server.h). Single
 * threaded on purpose: the new processes are made with clone(), which only copies the calling
 * thread, and one that shares our memory must find nobody else using it.
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "clone-cgroup.h"
#include "executor-server.h"
#include "gate-pass.h"
#include "exit-status.h"
#include "fd-util.h"
#include "log.h"
#include "macro.h"
#include "signal-util.h"
#include "spawn-util.h"

/* A process whose parent is our parent (the manager), as fork() otherwise; created in the cgroup
 * of cgroup_fd where it is not -1 and the kernel agrees (*in_cgroup says). -1 and errno on
 * failure. */
static pid_t clone_sibling(int cgroup_fd, bool *in_cgroup) {
        pid_t pid = clone_cgroup_fork(CLONE_PARENT, cgroup_fd);

        *in_cgroup = pid >= 0;
        if (pid >= 0)
                return pid;
#if defined(__s390__) || defined(__CRIS__)
        return (pid_t) syscall(SYS_clone, 0, CLONE_PARENT | SIGCHLD, NULL, NULL, 0);
#else
        return (pid_t) syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, NULL, NULL, 0);
#endif
}

/* The stack of a process that shares our memory until it exec'd or handed over at its gate (one
 * at a time: we sleep until then), with an inaccessible page below it. */
#define SHARED_CHILD_STACK_SIZE (512U * 1024U)
static void *shared_child_stack;

/* Where the process that shares our memory got to (executor-server.h). volatile: it writes it
 * while we wait for it, which the compiler does not know about. */
static volatile ExecutorChildPhase child_phase;

void executor_server_child_phase(ExecutorChildPhase phase) {
        child_phase = phase;
}

/* A start that shares our memory (executor-server.h). state is the word the kernel clears when
 * the process stops using our memory (execve() or exit: CLONE_CHILD_CLEARTID) and wakes us on;
 * the process sets SHARED_START_AT_GATE when it handed over (after its phase: by the time we look,
 * state may be 0 again). map: a guard page, the stack it
 * passes its gate on, then the copy of its GatePass (or that copy is in big, when it did not
 * fit). Allocated by us, freed by us once state is 0. */
typedef struct SharedStart {
        pid_t state;
        uint8_t *map;
        size_t used;
        uint8_t *big;
        size_t big_size;
        GatePass *pass;
} SharedStart;

#define SHARED_START_RUNNING 1
#define SHARED_START_AT_GATE 2
#define GATE_STACK_SIZE (16U * 1024U)
#define GATE_DATA_SIZE (240U * 1024U)
#define GATE_DATA_KEEP (8U * 1024U) /* how much of a pooled map's data stays touched */
#define GATE_POOL_MAX 8             /* maps kept for reuse */

static SharedStart *current_start;   /* the one on shared_child_stack */
static SharedStart **passing;        /* handed over, not yet exec'd */
static size_t n_passing, n_passing_alloc;
static uint8_t *map_pool[GATE_POOL_MAX];
static size_t n_map_pool;

static size_t page_size(void) {
        return (size_t) getpagesize();
}

static size_t gate_map_size(void) {
        return page_size() + GATE_STACK_SIZE + GATE_DATA_SIZE;
}

/* The lowest address of the data, the highest of the stack. */
static uint8_t *gate_map_data(uint8_t *map) {
        return map + page_size() + GATE_STACK_SIZE;
}

static uint8_t *gate_map_get(void) {
        uint8_t *map;

        if (n_map_pool > 0)
                return map_pool[--n_map_pool];
        map = mmap(NULL, gate_map_size(), PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);
        if (map == MAP_FAILED)
                return NULL;
        if (mprotect(map, page_size(), PROT_NONE) < 0) {
                (void) munmap(map, gate_map_size());
                return NULL;
        }
        return map;
}

static void gate_map_put(uint8_t *map, size_t used) {
        if (n_map_pool == GATE_POOL_MAX) {
                (void) munmap(map, gate_map_size());
                return;
        }
        if (used > GATE_DATA_KEEP)
                (void) madvise(gate_map_data(map) + GATE_DATA_KEEP, GATE_DATA_SIZE - GATE_DATA_KEEP, MADV_DONTNEED);
        map_pool[n_map_pool++] = map;
}

static SharedStart *shared_start_new(void) {
        SharedStart *s = calloc(1, sizeof *s);

        if (!s)
                return NULL;
        s->map = gate_map_get();
        if (!s->map) {
                free(s);
                return NULL;
        }
        s->state = SHARED_START_RUNNING;
        return s;
}

static void shared_start_free(SharedStart *s) {
        if (s->big)
                (void) munmap(s->big, s->big_size);
        gate_map_put(s->map, s->used);
        free(s);
}

/* Frees the starts whose processes no longer use our memory. */
static void sweep_passing(void) {
        for (size_t i = 0; i < n_passing;) {
                if (__atomic_load_n(&passing[i]->state, __ATOMIC_ACQUIRE) != 0) {
                        i++;
                        continue;
                }
                shared_start_free(passing[i]);
                passing[i] = passing[--n_passing];
        }
}

/* Sleeps while s's process runs on our stack: until it handed over (AT_GATE) or exec'd or exited
 * (0; possibly after handing over). With the raw system call where there is one: the process
 * uses errno meanwhile. */
static void wait_shared(SharedStart *s) {
        while (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) == SHARED_START_RUNNING)
#if HAVE_GATE
                (void) gate_syscall(__NR_futex, (long) &s->state, FUTEX_WAIT, SHARED_START_RUNNING, 0, 0, 0);
#else
                (void) syscall(SYS_futex, &s->state, FUTEX_WAIT, SHARED_START_RUNNING, NULL, NULL, 0);
#endif
}

#if HAVE_GATE
/* On the start's own stack: says so (our phase, then the word we wait on), and from the wake-up
 * on touches nothing of ours (gate-pass.h). */
static GATE_CODE __attribute__((noreturn)) void hand_over(void *userdata) {
        SharedStart *s = userdata;
        GatePass *p = s->pass;

        child_phase = EXECUTOR_CHILD_HANDED_OVER;
        __atomic_store_n(&s->state, SHARED_START_AT_GATE, __ATOMIC_RELEASE);
        (void) gate_syscall(__NR_futex, (long) &s->state, FUTEX_WAKE, 1, 0, 0, 0);
        gate_pass(p);
}
#endif

/* Not instrumented by ASan: it would call __asan_handle_no_return() before the noreturn
 * gate_run_on_stack(), which on a stack it does not know (shared_child_stack) writes a warning to
 * our stderr, the service's stdout or socket by now. */
__attribute__((no_sanitize_address)) int executor_server_pass_gate(const GatePass *pass) {
#if HAVE_GATE
        SharedStart *s = current_start;
        size_t size = gate_pass_size(pass);
        uint8_t *data;

        if (!s)
                return -EINVAL;
        if (size <= GATE_DATA_SIZE) {
                data = gate_map_data(s->map);
                s->used = size;
        } else {
                data = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
                if (data == MAP_FAILED)
                        return -errno;
                s->big = data;
                s->big_size = size;
        }
        s->pass = gate_pass_copy(pass, data);
        gate_run_on_stack(gate_map_data(s->map), hand_over, s);
#else
        (void) pass;
        return -EOPNOTSUPP;
#endif
}

static _noreturn_ void child_exit(int status) {
        executor_server_child_phase(EXECUTOR_CHILD_EXITING);
        _exit(status);
}

/* In the new process: fds[i] becomes 3 + i, exactly as the helper's posix_spawn() file actions
 * would have made it: every source is first moved above the target range, so that no dup2()
 * overwrites a source still to be moved. The server's socket is closed. */
static void child_layout_fds(int sock, const int *fds, size_t n) {
        int copies[EXECUTOR_SERVER_FDS_MAX], base = 3 + (int) n;

        safe_close(sock);
        for (size_t i = 0; i < n; i++) {
                copies[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, base);
                if (copies[i] < 0)
                        child_exit(EXIT_FDS);
        }
        for (size_t i = 0; i < n; i++)
                safe_close(fds[i]);
        for (size_t i = 0; i < n; i++) {
                if (dup2(copies[i], 3 + (int) i) < 0)
                        child_exit(EXIT_FDS);
                safe_close(copies[i]);
        }
}


/* The server's fds are above every layout; as low as that allows, because every new process
 * copies our fd table and closes what it does not use with close_range(), which walks the
 * whole table (1024 slots with an fd at 512, 512 with one at 256: 11.7 vs 6.0 µs). */
_Static_assert(GATE_SERVER_FD_MIN == 3 + EXECUTOR_SERVER_FDS_MAX, "GATE_SERVER_FD_MIN is not just above the layout");

/* Our own binary, for the gate's report (executor-server.h); -1 when there is no gate. */
static ExecutorServerGate server_gate = { .self_fd = -1 };

/* Opens our binary, at GATE_SERVER_FD_MIN or above (close-on-exec). */
static void open_gate(void) {
#if HAVE_GATE
        int fd = open("/proc/self/exe", O_PATH | O_CLOEXEC);

        if (fd < 0) {
                log_debug_errno(errno, "Failed to open /proc/self/exe, forking every start with a gate: %m");
                return;
        }
        server_gate.self_fd = fcntl(fd, F_DUPFD_CLOEXEC, GATE_SERVER_FD_MIN);
        safe_close(fd);
#endif
}

typedef struct SharedChildArgs {
        int sock;
        const int *fds;
        size_t n;
        const ExecutorServerRequest *req;
        const ExecutorServerChild *child;
        bool in_cgroup; /* set before the clone3() that makes the process, cleared if it failed */
} SharedChildArgs;

/* Runs in a process that shares our memory, on shared_child_stack (we answered the manager). */
static int shared_child_main(void *userdata) {
        const SharedChildArgs *a = userdata;

        executor_server_child_phase(EXECUTOR_CHILD_RUNNING);
        child_layout_fds(a->sock, a->fds, a->n);
        a->child->run(a->req->wire_fd, a->req->unit_id, &server_gate, a->in_cgroup);
        child_exit(EXIT_FAILURE); /* not reached */
}

/* The process of run_shared(): in the request's cgroup where it names one and the kernel can,
 * else with clone(). -1 and errno on failure. */
static pid_t clone_shared(SharedChildArgs *a, int cgroup_fd, pid_t *child_tid) {
        uint8_t *top = (uint8_t *) shared_child_stack + page_size() + SHARED_CHILD_STACK_SIZE;
        pid_t pid;

        /* set before the process can read it; cleared only when no process was made */
        a->in_cgroup = true;
        pid = clone_cgroup_run(shared_child_main, a, top - SHARED_CHILD_STACK_SIZE, SHARED_CHILD_STACK_SIZE,
                               CLONE_VM | CLONE_PARENT | CLONE_CHILD_CLEARTID, child_tid, cgroup_fd);
        if (pid >= 0)
                return pid;
        /* it joins its cgroup itself, as without clone3() */
        a->in_cgroup = false;
        return clone(shared_child_main, top, CLONE_VM | CLONE_PARENT | CLONE_CHILD_CLEARTID | SIGCHLD, a, NULL, NULL,
                     child_tid);
}

/* Starts the request in a process that shares our memory, answers the manager with its pid at
 * once and returns once the process exec'd, exited or handed over at its gate: 1 (answered), 0
 * with a negative errno in *reply for the caller to send (no process), -EIO when the process
 * died somewhere unknown (our heap may be inconsistent) or the answer could not be sent. */
static int run_shared(int sock, const ExecutorServerRequest *req, const int *fds, size_t n, int cgroup_fd,
                      const ExecutorServerChild *child, ExecutorServerReply *reply) {
        SharedChildArgs a = { .sock = sock, .fds = fds, .n = n, .req = req, .child = child };
        SharedStart *s;
        long answered;
        pid_t pid;

        if (!shared_child_stack) {
                void *p = mmap(NULL, SHARED_CHILD_STACK_SIZE + page_size(), PROT_READ | PROT_WRITE,
                               MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);
                if (p == MAP_FAILED || mprotect(p, page_size(), PROT_NONE) < 0) {
                        if (p != MAP_FAILED)
                                (void) munmap(p, SHARED_CHILD_STACK_SIZE + page_size());
                        reply->pid = -ENOMEM;
                        return 0;
                }
                shared_child_stack = p;
        }
        /* room to keep it once it handed over, before it can */
        if (n_passing >= n_passing_alloc && !GREEDY_REALLOC(passing, n_passing_alloc, n_passing + 1)) {
                reply->pid = -ENOMEM;
                return 0;
        }
        s = shared_start_new();
        if (!s) {
                reply->pid = -ENOMEM;
                return 0;
        }
        current_start = s;
        child_phase = EXECUTOR_CHILD_STARTED;
        pid = clone_shared(&a, cgroup_fd, &s->state);
        if (pid < 0) {
                reply->pid = -errno;
                current_start = NULL;
                shared_start_free(s);
                return 0;
        }
        *reply = (ExecutorServerReply) {
                .pid = (int32_t) pid,
                .flags = a.in_cgroup ? EXECUTOR_SERVER_IN_CGROUP : 0,
        };
        /* without errno, which is the new process's as much as ours now (one thread's TLS); only
         * where there is a gate (executor_server_run()) */
#if HAVE_GATE
        answered = gate_syscall(__NR_sendto, sock, (long) reply, sizeof *reply, MSG_NOSIGNAL, 0, 0);
#else
        answered = -EOPNOTSUPP;
#endif
        wait_shared(s);
        current_start = NULL;
        clone_stack_done((uint8_t *) shared_child_stack + page_size(), SHARED_CHILD_STACK_SIZE);
        if (child_phase == EXECUTOR_CHILD_HANDED_OVER) {
                passing[n_passing++] = s; /* freed by sweep_passing(), at once if it exec'd already */
                child->reclaim();
        } else
                shared_start_free(s);
        if (answered < 0)
                return log_debug_errno((int) answered, "Failed to answer a spawn request: %m");
        switch (child_phase) {
        case EXECUTOR_CHILD_STARTED: /* killed before it did anything */
        case EXECUTOR_CHILD_HANDED_OVER:
                return 1;
        case EXECUTOR_CHILD_EXECUTING:
        case EXECUTOR_CHILD_EXITING:
                child->reclaim();
                return 1;
        default:
                return log_debug_errno(-EIO,
                                       "Process %i sharing our memory died in the middle of its request, exiting.",
                                       (int) pid);
        }
}

static void close_all(int *fds, size_t n) {
        for (size_t i = 0; i < n; i++)
                fds[i] = safe_close(fds[i]);
}

/* One message: the request and its fds (close-on-exec). Returns 1 with a request, 0 at EOF,
 * -EBADMSG for a malformed one (its fds closed), another negative errno when reading failed. */
static int receive_request(int fd, ExecutorServerRequest *req, int *fds, size_t *ret_n) {
        union {
                struct cmsghdr align;
                uint8_t buf[CMSG_SPACE(sizeof(int) * EXECUTOR_SERVER_FDS_MAX)];
        } control;
        struct iovec iov = { .iov_base = req, .iov_len = sizeof *req };
        struct msghdr mh = {
                .msg_iov = &iov, .msg_iovlen = 1, .msg_control = &control, .msg_controllen = sizeof control,
        };
        size_t n = 0;
        ssize_t k;

        do
                k = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
        while (k < 0 && errno == EINTR);
        if (k < 0)
                return -errno;
        if (k == 0)
                return 0;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
                size_t m;

                if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
                        continue;
                m = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
                for (size_t i = 0; i < m; i++) {
                        int x;
                        memcpy(&x, CMSG_DATA(c) + i * sizeof(int), sizeof x);
                        if (n < EXECUTOR_SERVER_FDS_MAX)
                                fds[n++] = x;
                        else
                                safe_close(x);
                }
        }
        *ret_n = n;
        if ((size_t) k != sizeof *req || (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ||
            req->magic != EXECUTOR_SERVER_MAGIC || req->n_fds != n ||
            ((req->flags & EXECUTOR_SERVER_CGROUP_FD) && n == 0) || req->wire_fd < 3 ||
            req->wire_fd >= 3 + (int) n - !!(req->flags & EXECUTOR_SERVER_CGROUP_FD)) {
                close_all(fds, n);
                return -EBADMSG;
        }
        req->unit_id[sizeof req->unit_id - 1] = 0;
        return 1;
}

/* Returns once fd is readable (or poll() failed); meanwhile frees what the processes that passed
 * their gates since no longer use. */
static void wait_for_request(int fd) {
        struct pollfd p = { .fd = fd, .events = POLLIN };

        for (;;) {
                sweep_passing();
                if (n_passing == 0 || poll(&p, 1, 20) != 0)
                        return;
        }
}

int executor_server_run(int fd, const ExecutorServerChild *child) {
        /* Nothing of the manager's but our socket: an fd it did not mark close-on-exec (a
         * gate's or a pipe's end) would stay open here for as long as we run. */
        if (fd > 3)
                (void) syscall(SYS_close_range, 3U, (unsigned) fd - 1, 0U);
        (void) syscall(SYS_close_range, (unsigned) fd + 1, ~0U, 0U);
        (void) fcntl(fd, F_SETFD, FD_CLOEXEC);
        /* Every disposition to its default, once: a request's process inherits them (the server
         * installs no handler and ignores nothing); posix_spawn() left glibc's two internal
         * signals ignored. The mask is empty (the manager's posix_spawn() set it). */
        signal_reset_all_default_raw();
        open_gate();
        /* ready: the manager sends requests only after this (until then it execs helpers) */
        if (send(fd, &(ExecutorServerReply) {}, sizeof(ExecutorServerReply), MSG_NOSIGNAL) < 0)
                return log_debug_errno(errno, "Failed to announce the spawn server: %m");
        for (;;) {
                ExecutorServerRequest req;
                ExecutorServerReply reply = {};
                int fds[EXECUTOR_SERVER_FDS_MAX], cgroup_fd = -1;
                size_t n = 0, n_layout;
                bool in_cgroup;
                pid_t pid;
                int r;

                wait_for_request(fd);
                r = receive_request(fd, &req, fds, &n);
                n_layout = n;
                if (r > 0 && (req.flags & EXECUTOR_SERVER_CGROUP_FD))
                        cgroup_fd = fds[--n_layout];

                if (r == 0)
                        return 0;
                if (r == -EBADMSG)
                        reply.pid = -EBADMSG;
                else if (r < 0)
                        return log_debug_errno(r, "Failed to receive a spawn request: %m");
                else if ((req.flags & EXECUTOR_SERVER_SHARE_MEMORY) && server_gate.self_fd >= 0) {
                        r = run_shared(fd, &req, fds, n_layout, cgroup_fd, child, &reply);
                        close_all(fds, n);
                        if (r < 0)
                                return r;
                        if (r > 0)
                                continue; /* answered */
                } else {
                        pid = clone_sibling(cgroup_fd, &in_cgroup);
                        if (pid == 0) {
                                /* signals: the server's, all at their default (set at start) */
                                child_layout_fds(fd, fds, n_layout);
                                child->run(req.wire_fd, req.unit_id, NULL, in_cgroup);
                                child_exit(EXIT_FAILURE); /* not reached */
                        }
                        reply.pid = pid < 0 ? -errno : (int32_t) pid;
                        reply.flags = pid > 0 && in_cgroup ? EXECUTOR_SERVER_IN_CGROUP : 0;
                        close_all(fds, n);
                }
                if (send(fd, &reply, sizeof reply, MSG_NOSIGNAL) < 0)
                        return log_debug_errno(errno, "Failed to answer a spawn request: %m");
        }
}
