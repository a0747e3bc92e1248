/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev-manager.c: the devmaster daemon's main process (udev-manager.h): sources of uevents,
 * the queue, the workers, the control socket, inotify, reloads and readiness.
 */

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <linux/netlink.h>
#include <malloc.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "device-db.h"
#include "event.h"
#include "fd-util.h"
#include "hashmap.h"
#include "list.h"
#include "log.h"
#include "path-util.h"
#include "process-util.h"
#include "signal-util.h"
#include "socket-util.h"
#include "string-util.h"
#include "udev-builtin.h"
#include "udev-ctrl.h"
#include "udev-manager.h"
#include "udev-queue.h"
#include "udev-static-node.h"
#include "udev-test-source.h"
#include "udev-watch.h"
#include "udev-worker.h"
#include "uevent-parse.h"

#define WORKER_NUM_MAX 2048U
#define EVENT_RETRY_INTERVAL_USEC (200 * USEC_PER_MSEC)
#define EVENT_RETRY_TIMEOUT_USEC (3 * USEC_PER_MINUTE)
#define KILL_IDLE_WORKERS_USEC (3 * USEC_PER_SEC)
/* A worker busy with one event for this long is taken as blocked (on a program, a lock, a slow
 * device): it no longer counts as one of the workers that keep the CPUs busy. */
#define WORKER_STALLED_USEC (50 * USEC_PER_MSEC)
/* The events a worker may hold: the one it runs and one sent while it is busy (pipelined), so
 * that it goes on without waiting for us to wake up. A pipelined event is taken back when the
 * one before it turns out slow (see manager_take_back_stalled()). */
#define WORKER_EVENTS_MAX 2U
#define RELOAD_CHECK_USEC (3 * USEC_PER_SEC)
#define UEVENT_RCVBUF (128 * 1024 * 1024)
#define UEVENT_DATAGRAM_MAX (8 * 1024)

typedef enum WorkerState {
        WORKER_RUNNING, /* holds events */
        WORKER_IDLE,
        WORKER_KILLING, /* finishes the event it started, then gets SIGTERM */
        WORKER_KILLED,
} WorkerState;

typedef struct Worker Worker;

struct Worker {
        UdevManager *manager;
        LIST_FIELDS(Worker, worker);
        pid_t pid;
        int fd; /* our end of the socketpair */
        EventSource *child_source, *io_source;
        WorkerState state;
        /* The events sent to it, in sending order: events[0] runs (or is about to), the others
         * wait in its socket and are taken back (UdevWorkerShared) if it does not start them.
         * Each event's userdata points back here. index[]: their numbers in the hand-over. */
        UdevQueueEvent *events[WORKER_EVENTS_MAX];
        uint32_t index[WORKER_EVENTS_MAX];
        unsigned n_events;
        uint32_t n_sent; /* devices sent so far: the number of the next one */
        usec_t busy_since; /* when events[0] started: sent to an idle worker, or the result before */
        UdevWorkerShared *shared; /* NULL if it could not be mapped: then nothing is pipelined */
        bool warned; /* "taking a long time" was logged for events[0] */
};

struct UdevManager {
        UdevManagerConfig config;
        Event *event;
        UdevRules *rules;
        UdevQueue *queue;
        LIST_HEAD(Worker, workers);
        unsigned n_workers;
        UdevCtrl *ctrl;
        int uevent_fd;
        EventSource *uevent_source;
        UdevTestSource *test_source;
        int broadcast_fd;
        int inotify_fd;
        EventSource *inotify_source;
        EventSource *kill_workers_timer, *retry_timer;
        /* one timer for all workers: event timeouts and the stalled-worker check; armed for the
         * earliest deadline, moved only to an earlier one (a late wake-up just re-checks) */
        EventSource *worker_timer;
        unsigned n_cpus; /* workers that may run at once without one of them being blocked */
        Hashmap *properties; /* udevadm control --property: key -> value (NULL: unset) */
        int log_level;
        bool stop_exec_queue, exit;
        bool links_need_cleanup; /* events ran since the last clean-up of <run>/links */
        usec_t last_reload_usec;
        char *queue_path;
};

/* The CPUs we may run on (at least 1). */
static unsigned cpus_usable(void) {
        cpu_set_t cpus;

        if (sched_getaffinity(0, sizeof cpus, &cpus) >= 0 && CPU_COUNT(&cpus) > 0)
                return (unsigned) CPU_COUNT(&cpus);
        return 1;
}

unsigned udev_manager_default_children_max(void) {
        unsigned long cpu_count = cpus_usable(), mem_limit, n;
        long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);

        mem_limit = pages > 0 && page_size > 0 ?
                            (unsigned long) ((uint64_t) pages * (uint64_t) page_size / (128U * 1024U * 1024U)) :
                            10;
        n = MIN(cpu_count * 2 + 16, MAX(mem_limit, 10UL));
        return (unsigned) MIN(n, (unsigned long) WORKER_NUM_MAX);
}

/* ---- sd_notify ---------------------------------------------------------------------------- */

static void notify(const char *state) {
        int r = notify_send(state);

        if (r < 0)
                log_debug_errno(r, "Failed to send notification, ignoring: %m");
}

static void notify_ready(UdevManager *m) {
        char buf[128];

        snprintf(buf, sizeof buf, "READY=1\nSTATUS=Processing with %u children at max",
                 m->config.children_max);
        notify(buf);
}

/* ---- workers ------------------------------------------------------------------------------ */

static void event_done(UdevQueueEvent *ev);

static void shared_unmap(UdevWorkerShared *shared) {
        if (shared)
                (void) munmap(shared, sizeof *shared);
}

static Worker *worker_free(Worker *w) {
        if (!w)
                return NULL;
        while (w->n_events > 0)
                event_done(w->events[0]);
        w->child_source = event_source_disable_unref(w->child_source);
        w->io_source = event_source_disable_unref(w->io_source);
        safe_close(w->fd);
        shared_unmap(w->shared);
        LIST_REMOVE(worker, w->manager->workers, w);
        w->manager->n_workers--;
        free(w);
        return NULL;
}

/* Unlinks ev from the worker holding it (if any): its timeout no longer counts. */
static void event_detach_worker(UdevQueueEvent *ev) {
        Worker *w = ev->userdata;
        unsigned k;

        if (!w)
                return;
        for (k = 0; k < w->n_events && w->events[k] != ev; k++)
                ;
        assert(k < w->n_events);
        for (w->n_events--; k < w->n_events; k++) {
                w->events[k] = w->events[k + 1];
                w->index[k] = w->index[k + 1];
        }
        ev->userdata = NULL;
}

/* An event a worker never started goes back to the queue as if it had never been sent (at
 * exit it is dropped with the other queued events). */
static void event_unsend(UdevManager *m, UdevQueueEvent *ev) {
        Worker *w = ev->userdata;

        log_device_debug(ev->dev, "SEQNUM=%" PRIu64 " is taken back from worker [%d], not started.", ev->seqnum,
                         w ? (int) w->pid : 0);
        event_detach_worker(ev);
        if (m->exit)
                (void) udev_queue_event_free(ev);
        else
                ev->state = UDEV_QUEUE_EVENT_QUEUED;
}

/* Takes back the events sent to w that it has not started. Returns how many. */
static unsigned worker_take_back(Worker *w) {
        uint32_t started;
        unsigned n = 0;

        if (!w->shared || w->n_events == 0)
                return 0;
        started = udev_worker_shared_take_back(w->shared, w->n_sent);
        /* the started ones come first; from the end, the not started ones (mod 2^32) */
        while (w->n_events > 0 && (int32_t) (w->index[w->n_events - 1] - started) >= 0) {
                event_unsend(w->manager, w->events[w->n_events - 1]);
                n++;
        }
        if (w->n_events == 0 && w->state == WORKER_RUNNING)
                w->state = WORKER_IDLE;
        return n;
}

static void manager_kill_workers(UdevManager *m, bool force) {
        Worker *w;

        LIST_FOREACH(worker, w, m->workers) {
                if (w->state == WORKER_KILLED)
                        continue;
                /* what it has not started runs elsewhere, with the new settings */
                (void) worker_take_back(w);
                if (w->n_events > 0 && !force) {
                        w->state = WORKER_KILLING;
                        continue;
                }
                w->state = WORKER_KILLED;
                (void) kill(w->pid, SIGTERM);
        }
}

/* The event is finished (or abandoned): unlink it from its worker and free it. */
static void event_done(UdevQueueEvent *ev) {
        event_detach_worker(ev);
        (void) udev_queue_event_free(ev);
}

static int event_requeue(UdevManager *m, UdevQueueEvent *ev) {
        usec_t now_usec;

        (void) event_now(m->event, CLOCK_MONOTONIC, &now_usec);
        if (ev->retry_timeout_usec > 0 && ev->retry_timeout_usec <= now_usec)
                return log_device_warning_errno(ev->dev, -ETIMEDOUT,
                                                "The underlying block device is locked by a process more than 3min, "
                                                "skipping event (SEQNUM=%" PRIu64 ", ACTION=%s).",
                                                ev->seqnum, strna(device_action_to_string(ev->action)));
        ev->retry_next_usec = now_usec + EVENT_RETRY_INTERVAL_USEC;
        if (ev->retry_timeout_usec == 0)
                ev->retry_timeout_usec = now_usec + EVENT_RETRY_TIMEOUT_USEC;
        event_detach_worker(ev);
        ev->state = UDEV_QUEUE_EVENT_QUEUED;
        /* just a wake-up: the post handler starts whatever can start */
        if (m->retry_timer) {
                (void) event_source_set_time(m->retry_timer, ev->retry_next_usec);
                (void) event_source_set_enabled(m->retry_timer, EVENT_ONESHOT);
        }
        return 0;
}

static void manager_arm_worker_timer(UdevManager *m, usec_t usec);
static usec_t worker_timeout_deadline(Worker *w);

/* events[0] of w just became the event it runs (as far as we can tell: the worker went on to it
 * when it sent the result before, or it was sent to an idle worker). */
static void worker_head_started(Worker *w) {
        UdevManager *m = w->manager;

        w->warned = false;
        (void) event_now(m->event, CLOCK_MONOTONIC, &w->busy_since);
        manager_arm_worker_timer(m, worker_timeout_deadline(w));
}

/* One result of w, for events[0]: the event ends (or waits for a retry) and the next one, if
 * any, runs; without one the worker is idle (or told to go). */
static void worker_handle_result(Worker *w, int result) {
        UdevManager *m = w->manager;
        UdevQueueEvent *ev;

        if (w->n_events == 0) {
                log_warning("Worker [%d] sent a result without an event, ignoring.", (int) w->pid);
                return;
        }
        ev = w->events[0];
        if (result == UDEV_WORKER_TRY_AGAIN) {
                if (event_requeue(m, ev) < 0) {
                        udev_worker_add_failure_errno(ev->dev, -ETIMEDOUT);
                        (void) udev_worker_broadcast(m->broadcast_fd, ev->dev);
                        event_done(ev);
                }
        } else
                event_done(ev);

        if (w->n_events > 0) {
                worker_head_started(w);
                return;
        }
        if (w->state == WORKER_KILLING) {
                w->state = WORKER_KILLED;
                (void) kill(w->pid, SIGTERM);
        } else if (w->state != WORKER_KILLED)
                w->state = WORKER_IDLE;
}

/* Reads the results w sent, one per event in sending order: one (all: every one there is, when
 * it exited). Another one waiting makes the socket readable again. */
static void worker_read_results(Worker *w, bool all) {
        for (unsigned n = 0; all || n < 1;) {
                int result;
                ssize_t k = recv(w->fd, &result, sizeof result, MSG_DONTWAIT);

                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0)
                        return;
                if (k != sizeof result) {
                        log_warning("Ignoring worker message with invalid size %zi bytes", k);
                        continue;
                }
                worker_handle_result(w, result);
                n++;
        }
}

static int on_worker_io(EventSource *s, int fd, uint32_t revents, void *userdata) {
        Worker *w = userdata;

        (void) s;
        (void) fd;
        if (revents & EPOLLIN)
                worker_read_results(w, false);
        if (revents & (EPOLLHUP | EPOLLERR))
                w->io_source = event_source_disable_unref(w->io_source);
        return 0;
}

static int on_worker_exit(EventSource *s, const siginfo_t *si, void *userdata) {
        Worker *w = userdata;
        UdevManager *m = w->manager;
        bool killed = si->si_code != CLD_EXITED;

        (void) s;
        worker_read_results(w, true); /* results sent just before exiting still count */
        if (!killed && si->si_status == 0)
                log_debug("Worker [%d] exited.", (int) si->si_pid);
        else if (!killed)
                log_warning("Worker [%d] exited with return code %i.", (int) si->si_pid, si->si_status);
        else
                log_warning("Worker [%d] terminated by signal %i (%s).", (int) si->si_pid,
                            si->si_status, signal_to_string_short(si->si_status));

        /* the events sent after the one it was running never started: they run elsewhere */
        while (w->n_events > 1)
                event_unsend(m, w->events[w->n_events - 1]);
        if (w->n_events > 0) {
                Device *dev = w->events[0]->dev;

                /* the event died with its worker: forget its state, tell the listeners */
                (void) device_db_delete(dev);
                (void) device_db_tag_index(dev, NULL, false);
                udev_worker_add_failure_exit(dev, killed, si->si_status);
                (void) udev_worker_broadcast(m->broadcast_fd, dev);
        }
        worker_free(w);
        return 0;
}

/* Arms the worker timer for usec unless it is armed for an earlier time already. */
static void manager_arm_worker_timer(UdevManager *m, usec_t usec) {
        EventEnabled enabled = EVENT_OFF;
        usec_t armed = USEC_INFINITY;

        if (!m->worker_timer || usec == USEC_INFINITY)
                return;
        (void) event_source_get_enabled(m->worker_timer, &enabled);
        if (enabled != EVENT_OFF && event_source_get_time(m->worker_timer, &armed) >= 0 && armed <= usec)
                return;
        (void) event_source_set_time(m->worker_timer, usec);
        (void) event_source_set_enabled(m->worker_timer, EVENT_ONESHOT);
}

/* The next event-timeout deadline of w (warning, then kill), or USEC_INFINITY. */
static usec_t worker_timeout_deadline(Worker *w) {
        usec_t t = w->manager->config.event_timeout_usec;

        if (w->n_events == 0 || w->state == WORKER_KILLED || t == 0 || t == USEC_INFINITY)
                return USEC_INFINITY;
        return w->busy_since + (w->warned ? t : t / 3);
}

/* Event timeouts as udevd's: a warning after a third of the timeout, then the worker is
 * killed with the timeout signal. The post handler then starts what can start (a worker that
 * became stalled may let a new one be forked). */
static int on_worker_timer(EventSource *s, usec_t usec, void *userdata) {
        UdevManager *m = userdata;
        usec_t now_usec, t = m->config.event_timeout_usec, next = USEC_INFINITY;
        UdevQueueEvent *ev;
        Worker *w;

        (void) s;
        (void) usec;
        (void) event_now(m->event, CLOCK_MONOTONIC, &now_usec);
        LIST_FOREACH(worker, w, m->workers) {
                usec_t deadline = worker_timeout_deadline(w);

                if (deadline > now_usec) {
                        next = MIN(next, deadline);
                        continue;
                }
                ev = w->events[0];
                if (!w->warned) {
                        log_device_warning(ev->dev, "Worker [%d] processing SEQNUM=%" PRIu64 " is taking a long time",
                                           (int) w->pid, ev->seqnum);
                        w->warned = true;
                        if (w->busy_since + t > now_usec) {
                                next = MIN(next, w->busy_since + t);
                                continue;
                        }
                }
                (void) kill(w->pid, m->config.timeout_signal);
                (void) kill(w->pid, SIGCONT);
                w->state = WORKER_KILLED;
                log_device_error(ev->dev, "Worker [%d] processing SEQNUM=%" PRIu64 " killed", (int) w->pid,
                                 ev->seqnum);
                (void) worker_take_back(w);
        }
        manager_arm_worker_timer(m, next);
        return 0;
}

/* ev was sent to w (or forked with it) as device number w->n_sent. */
static void worker_attach_event(Worker *w, UdevQueueEvent *ev) {
        assert(w->n_events < WORKER_EVENTS_MAX);
        w->state = WORKER_RUNNING;
        w->events[w->n_events] = ev;
        w->index[w->n_events] = w->n_sent++;
        ev->userdata = w;
        ev->state = UDEV_QUEUE_EVENT_RUNNING;
        if (++w->n_events == 1)
                worker_head_started(w);
}

static UdevWorkerConfig manager_worker_config(UdevManager *m) {
        return (UdevWorkerConfig) {
                .rules = m->rules,
                .properties = m->properties,
                .event_timeout_usec = m->config.event_timeout_usec,
                .exec_delay_usec = m->config.exec_delay_usec,
                .timeout_signal = m->config.timeout_signal,
                .log_level = m->log_level,
                .inotify_fd = m->inotify_fd,
                .broadcast_fd = m->broadcast_fd,
                .blockdev_read_only = m->config.blockdev_read_only,
        };
}

/* In the forked worker: keep stdio, our socket, the inotify fd, the broadcast socket and the
 * open hwdb.bin (read page by page as lookups need it); everything else (the control
 * connection above all: its close is a client's ack) goes. */
static void worker_close_inherited_fds(int keep1, int keep2, int keep3, int keep4) {
        int keep[] = { keep1, keep2, keep3, keep4 };
        int prev = 2;

        /* sort them */
        for (size_t i = 0; i < ELEMENTSOF(keep); i++)
                for (size_t j = i + 1; j < ELEMENTSOF(keep); j++)
                        if (keep[j] < keep[i]) {
                                int t = keep[i];

                                keep[i] = keep[j];
                                keep[j] = t;
                        }
        for (size_t i = 0; i < ELEMENTSOF(keep); i++) {
                if (keep[i] <= prev)
                        continue;
                if (keep[i] > prev + 1)
                        (void) close_range((unsigned) prev + 1, (unsigned) keep[i] - 1, 0);
                prev = keep[i];
        }
        (void) close_range((unsigned) prev + 1, ~0U, 0);
}

/* In the forked worker: the daemon's queue came along with the rest of its heap (a whole
 * coldplug's devices when the first worker is forked), and its pages turn private to the
 * worker as soon as the daemon frees those events on its side. The worker never looks at the
 * queue: free it and hand the pages that became free back to the kernel. */
static void worker_drop_queue_copy(UdevManager *m) {
        m->queue = udev_queue_free(m->queue);
        (void) malloc_trim(0);
}

static int worker_spawn(UdevManager *m, UdevQueueEvent *ev) {
        UdevWorkerShared *shared;
        int pair[2], r;
        Worker *w;
        pid_t pid;

        /* where the worker tells which program it waits for (manager_may_spawn()) and which
         * devices it started (pipelining); zeroed */
        shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (shared == MAP_FAILED)
                shared = NULL;
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0) {
                r = -errno;
                shared_unmap(shared);
                return log_error_errno(r, "Failed to create socketpair for a worker: %m");
        }
        pid = fork();
        if (pid < 0) {
                r = -errno;
                safe_close(pair[0]);
                safe_close(pair[1]);
                shared_unmap(shared);
                return log_error_errno(r, "Failed to fork() worker: %m");
        }
        if (pid == 0) {
                UdevWorkerConfig c = manager_worker_config(m);
                Device *first = device_ref(ev->dev);

                c.shared = shared;

                (void) prctl(PR_SET_NAME, "(udev-worker)");
                log_close();
                worker_close_inherited_fds(pair[1], m->inotify_fd, m->broadcast_fd, udev_builtin_hwdb_fd());
                (void) unsetenv("NOTIFY_SOCKET");
                worker_drop_queue_copy(m);
                r = udev_worker_main(&c, pair[1], first);
                log_close();
                _exit(r < 0 ? EXIT_FAILURE : EXIT_SUCCESS);
        }
        safe_close(pair[1]);

        w = new0(Worker, 1);
        if (!w) {
                safe_close(pair[0]);
                shared_unmap(shared);
                (void) kill(pid, SIGKILL);
                return log_oom();
        }
        w->manager = m;
        w->shared = shared;
        w->pid = pid;
        w->fd = pair[0];
        LIST_PREPEND(worker, m->workers, w);
        m->n_workers++;
        r = event_add_child(m->event, &w->child_source, pid, WEXITED, on_worker_exit, w);
        if (r >= 0)
                r = event_add_io(m->event, &w->io_source, w->fd, EPOLLIN, on_worker_io, w);
        if (r < 0) {
                (void) kill(pid, SIGKILL);
                (void) waitpid(pid, NULL, 0);
                worker_free(w);
                return log_error_errno(r, "Failed to watch worker: %m");
        }
        /* results first, then exits: an exit must not overtake its worker's last result */
        (void) event_source_set_priority(w->io_source, EVENT_PRIORITY_IMPORTANT);
        worker_attach_event(w, ev);
        log_device_debug(ev->dev, "Worker [%d] is forked for processing SEQNUM=%" PRIu64 ".", (int) pid,
                         ev->seqnum);
        return 0;
}

/* Whether the process is running or waiting for a CPU (state R in /proc/PID/stat). */
static bool pid_is_runnable(pid_t pid) {
        ProcStat st;

        return proc_stat(pid, &st) >= 0 && st.state == 'R';
}

/* The program w waits for, or 0. */
static pid_t worker_program(Worker *w) {
        return w->shared ? __atomic_load_n(&w->shared->program_pid, __ATOMIC_RELAXED) : 0;
}

/* Whether the worker, or the program it waits for, is running or waiting for a CPU: then it
 * uses a CPU, and another worker would only compete for it. */
static bool worker_is_progressing(Worker *w) {
        pid_t program = worker_program(w);

        return pid_is_runnable(w->pid) || (program > 0 && pid_is_runnable(program));
}

/* Whether one more worker helps: children_max is a maximum, not a number to reach. A new
 * worker is forked while fewer workers than CPUs are making progress: all are busy, and fewer
 * than n_cpus of them either started their event less than WORKER_STALLED_USEC ago or are
 * running, themselves or the program they wait for (on a busy machine a worker may wait for
 * a CPU that long); the others are blocked (on a sleeping program, a lock, a device).
 * Otherwise the event waits for a worker to finish, and worker_timer wakes the loop when the
 * next busy worker may count as blocked. */
static bool manager_may_spawn(UdevManager *m) {
        usec_t now_usec, next = USEC_INFINITY;
        unsigned progressing = 0;
        Worker *w;

        if (m->n_workers < m->n_cpus)
                return true;
        (void) event_now(m->event, CLOCK_MONOTONIC, &now_usec);
        LIST_FOREACH(worker, w, m->workers) {
                if (w->state == WORKER_KILLED || w->n_events == 0)
                        continue;
                if (w->busy_since + WORKER_STALLED_USEC > now_usec)
                        next = MIN(next, w->busy_since + WORKER_STALLED_USEC);
                else if (worker_is_progressing(w))
                        next = MIN(next, now_usec + WORKER_STALLED_USEC);
                else
                        continue;
                progressing++;
        }
        if (progressing < m->n_cpus)
                return true;
        manager_arm_worker_timer(m, next);
        return false;
}

/* Sends ev to w: 0, or a negative errno (logged) and the worker is killed unless its socket is
 * just full. */
static int worker_send(Worker *w, UdevQueueEvent *ev) {
        int r = udev_worker_send_device(w->fd, ev->dev);

        if (r == -EAGAIN)
                return log_device_debug_errno(ev->dev, r, "Worker [%d] cannot take more now: %m", (int) w->pid);
        if (r < 0) {
                log_device_error_errno(ev->dev, r, "Worker [%d] did not accept message, killing the worker: %m",
                                       (int) w->pid);
                (void) worker_take_back(w);
                (void) kill(w->pid, SIGKILL);
                w->state = WORKER_KILLED;
                return r;
        }
        worker_attach_event(w, ev);
        return 0;
}

/* Whether an event sent to w now would be started soon: w runs one event only, started less
 * than WORKER_STALLED_USEC ago, and runs no program (programs take milliseconds or block). */
static bool worker_may_pipeline(Worker *w, usec_t now_usec) {
        return w->state == WORKER_RUNNING && w->shared && w->n_events > 0 && w->n_events < WORKER_EVENTS_MAX &&
               w->busy_since + WORKER_STALLED_USEC > now_usec && worker_program(w) == 0;
}

/* The worker to send one more event while it is busy: the one that started its event last (a
 * worker busy for longer is more likely on a slow event), or NULL. */
static Worker *manager_pipeline_worker(UdevManager *m) {
        Worker *w, *best = NULL;
        usec_t now_usec;

        (void) event_now(m->event, CLOCK_MONOTONIC, &now_usec);
        LIST_FOREACH(worker, w, m->workers)
                if (worker_may_pipeline(w, now_usec) && (!best || w->busy_since > best->busy_since))
                        best = w;
        return best;
}

/* Events pipelined behind a slow one (running a program, or busy for WORKER_STALLED_USEC) go
 * back to the queue, to run on another worker (an idle one, or a new one if this one counts as
 * blocked, as if they had never been sent). Not with a single worker that cannot have company:
 * they would only wait in the queue for the same one. The worker timer wakes us when the next
 * one may become slow. Returns how many were taken back. */
static unsigned manager_take_back_stalled(UdevManager *m) {
        usec_t now_usec, next = USEC_INFINITY;
        unsigned n = 0;
        Worker *w;

        if (m->n_workers <= 1 && m->n_workers >= m->config.children_max)
                return 0;
        (void) event_now(m->event, CLOCK_MONOTONIC, &now_usec);
        LIST_FOREACH(worker, w, m->workers) {
                if (w->n_events < 2)
                        continue;
                if (w->busy_since + WORKER_STALLED_USEC <= now_usec || worker_program(w) != 0)
                        n += worker_take_back(w);
                else
                        next = MIN(next, w->busy_since + WORKER_STALLED_USEC);
        }
        manager_arm_worker_timer(m, next);
        return n;
}

/* 1: the event was sent to a worker (an idle one, a new one, or one that is busy but will go on
 * to it soon); 0: it waits; negative: failure. */
static int manager_event_run(UdevManager *m, UdevQueueEvent *ev) {
        static bool log_children_max_reached = true;
        Worker *w;
        int r;

        LIST_FOREACH(worker, w, m->workers)
                if (w->state == WORKER_IDLE && worker_send(w, ev) >= 0)
                        return 1;
        if (m->n_workers >= m->config.children_max) {
                if (log_children_max_reached && m->config.children_max > 1) {
                        log_debug("Maximum number (%u) of children reached.", m->n_workers);
                        log_children_max_reached = false;
                }
        } else {
                log_children_max_reached = true;
                if (manager_may_spawn(m)) {
                        r = worker_spawn(m, ev);
                        return r < 0 ? r : 1;
                }
        }
        w = manager_pipeline_worker(m);
        if (!w)
                return 0;
        if (worker_send(w, ev) < 0)
                return 0;
        log_device_debug(ev->dev, "Worker [%d] is sent SEQNUM=%" PRIu64 " while busy with SEQNUM=%" PRIu64 ".",
                         (int) w->pid, ev->seqnum, w->events[0]->seqnum);
        return 1;
}

/* ---- rules -------------------------------------------------------------------------------- */

static int manager_load_rules(UdevManager *m, UdevRules **ret) {
        _cleanup_(udev_rules_freep) UdevRules *rules = NULL;
        int r;

        r = udev_rules_new(m->config.resolve_name_timing, &rules);
        if (r < 0)
                return r;
        r = udev_rules_load(rules, NULL);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(rules);
        return 0;
}

static void manager_reload(UdevManager *m, bool force) {
        UdevRules *rules = NULL;
        usec_t now_usec;
        int r;

        (void) event_now(m->event, CLOCK_MONOTONIC, &now_usec);
        if (!force && now_usec < m->last_reload_usec + RELOAD_CHECK_USEC)
                return;
        m->last_reload_usec = now_usec;
        if (!udev_rules_should_reload(m->rules) && !udev_builtin_should_reload())
                return;

        notify("RELOADING=1\nSTATUS=Flushing configuration...");
        manager_kill_workers(m, false);
        /* new workers start with fresh builtin state (hwdb.bin, .link files) */
        udev_builtin_exit();
        udev_builtin_init();
        r = manager_load_rules(m, &rules);
        if (r < 0)
                log_warning_errno(r, "Failed to read udev rules, using the previously loaded rules, ignoring: %m");
        else {
                /* running workers keep their own copy (fork); ours is replaced */
                udev_rules_free(m->rules);
                m->rules = rules;
        }
        notify_ready(m);
}

/* ---- the queue ---------------------------------------------------------------------------- */

/* Takes back every event sent to a worker behind another one and not started yet. */
static unsigned manager_take_back_pipelined(UdevManager *m) {
        unsigned n = 0;
        Worker *w;

        LIST_FOREACH(worker, w, m->workers)
                if (w->n_events > 1)
                        n += worker_take_back(w);
        return n;
}

static bool manager_has_idle_worker(UdevManager *m) {
        Worker *w;

        LIST_FOREACH(worker, w, m->workers)
                if (w->state == WORKER_IDLE)
                        return true;
        return false;
}

/* Sends the queued events that may start, in seqnum order, while a worker takes them. */
static void manager_queue_run(UdevManager *m) {
        UdevQueueEvent *ev;
        usec_t now_usec;

        (void) event_now(m->event, CLOCK_MONOTONIC, &now_usec);
        UDEV_QUEUE_FOREACH(ev, m->queue) {
                if (ev->state != UDEV_QUEUE_EVENT_QUEUED)
                        continue;
                if (udev_queue_event_is_blocked(ev, now_usec))
                        continue;
                if (manager_event_run(m, ev) <= 0)
                        return;
        }
}

static void event_queue_start(UdevManager *m) {
        if (udev_queue_is_empty(m->queue) || m->exit || m->stop_exec_queue)
                return;
        m->links_need_cleanup = true;
        if (m->kill_workers_timer)
                (void) event_source_set_enabled(m->kill_workers_timer, EVENT_OFF);
        manager_reload(m, false);

        (void) manager_take_back_stalled(m);
        manager_queue_run(m);
        /* a worker left idle while another one holds an event it has not started: that event
         * runs now on the idle one rather than after the other one's */
        if (manager_has_idle_worker(m) && manager_take_back_pipelined(m) > 0)
                manager_queue_run(m);
}

/* A new event or a closed node of a block device: whoever held its whole disk may have let
 * go, so queued events of that disk waiting for a retry may try again at once. */
static void manager_assume_block_device_unlocked(UdevManager *m, Device *dev) {
        const char *devname, *other;
        UdevQueueEvent *ev;

        if (udev_worker_get_whole_disk(dev, &devname) <= 0)
                return;
        UDEV_QUEUE_FOREACH(ev, m->queue)
                if (ev->state == UDEV_QUEUE_EVENT_QUEUED && ev->retry_next_usec > 0 &&
                    udev_worker_get_whole_disk(ev->dev, &other) > 0 && streq(devname, other))
                        ev->retry_next_usec = 0;
}

static void manager_queue_device(Device *dev, void *userdata) {
        UdevManager *m = userdata;
        int r;

        if (m->exit)
                return;
        /* as udevd: the time it arrived, kept by a failure broadcast (a worker sets it again) */
        (void) device_ensure_usec_initialized(dev, NULL);
        r = udev_queue_insert(m->queue, dev, NULL);
        if (r < 0) {
                log_device_error_errno(dev, r, "Failed to insert device into event queue: %m");
                return;
        }
        if (r > 0) {
                _cleanup_close_ int fd = open(m->queue_path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);

                if (fd < 0)
                        log_warning_errno(-errno, "Failed to touch %s, ignoring: %m", m->queue_path);
        }
        log_device_debug(dev, "Device is queued");
        manager_assume_block_device_unlocked(m, dev);
}

/* Receives one datagram from the kernel's group: 1 and a device, 0 for a datagram to skip,
 * -EAGAIN when there is nothing more. Only the kernel (netlink port 0, uid 0) is believed. */
static int uevent_receive(int fd, Device **ret) {
        char buf[UEVENT_DATAGRAM_MAX];
        struct sockaddr_nl sa = {};
        union {
                struct cmsghdr align;
                uint8_t space[CMSG_SPACE(sizeof(struct ucred))];
        } control = {};
        struct iovec iov = { .iov_base = buf, .iov_len = sizeof buf };
        struct msghdr mh = {
                .msg_name = &sa,
                .msg_namelen = sizeof sa,
                .msg_iov = &iov,
                .msg_iovlen = 1,
                .msg_control = &control,
                .msg_controllen = sizeof control,
        };
        const struct ucred *cred = NULL;
        ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);

        if (n < 0) {
                if (errno == EINTR)
                        return 0;
                if (errno == ENOBUFS) {
                        log_warning("Kernel uevent buffer overflowed, events were lost.");
                        return 0;
                }
                if (errno != EAGAIN)
                        log_error_errno(-errno, "Failed to receive uevent: %m");
                return -EAGAIN;
        }
        if (mh.msg_flags & MSG_TRUNC) {
                log_debug("Truncated uevent, ignoring.");
                return 0;
        }
        for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
                if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_CREDENTIALS)
                        cred = (const struct ucred *) CMSG_DATA(cm);
        if (!cred || cred->uid != 0) {
                log_debug("Uevent without root credentials, ignoring.");
                return 0;
        }
        if (sa.nl_pid != 0) {
                log_debug("Multicast kernel netlink message from PID %u ignored.", sa.nl_pid);
                return 0;
        }
        return uevent_parse_kernel(buf, (size_t) n, ret) < 0 ? 0 : 1;
}

static int on_uevent(EventSource *s, int fd, uint32_t revents, void *userdata) {
        (void) s;
        (void) revents;
        for (;;) {
                _cleanup_device_unref_ Device *dev = NULL;
                int r = uevent_receive(fd, &dev);

                if (r == -EAGAIN)
                        return 0;
                if (r > 0)
                        manager_queue_device(dev, userdata);
        }
}

/* ---- inotify: "change" after a watched node was closed after writing ---------------------- */

static void trigger_change(Device *dev) {
        const char *syspath;
        _cleanup_free_ char *p = NULL;
        _cleanup_close_ int fd = -EBADF;
        int r;

        (void) device_get_syspath(dev, &syspath);
        log_device_debug(dev, "device is closed, synthesising 'change' on %s", syspath);
        p = path_join(syspath, "uevent");
        if (!p)
                return;
        /* as sd_device_trigger(): no O_TRUNC, a trailing newline */
        fd = open(p, O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
        if (fd < 0)
                r = -errno;
        else
                r = write(fd, "change\n", 7) == 7 ? 0 : -errno;
        if (r < 0)
                log_device_debug_errno(dev, r, "Failed to trigger 'change' uevent: %m");
}

/* A whole disk: re-read its partition table (the kernel then sends the events); failing
 * that, or without partitions, "change" for the disk and each partition. */
static void synthesize_change(Device *dev) {
        const char *subsystem, *devtype, *sysname, *devname, *syspath;
        _cleanup_(closedirp) DIR *d = NULL;
        bool part_table_read = false, has_partitions = false;
        struct dirent *de;

        if (device_get_subsystem(dev, &subsystem) < 0 || !streq(subsystem, "block") ||
            device_get_devtype(dev, &devtype) < 0 || !streq(devtype, "disk") ||
            device_get_sysname(dev, &sysname) < 0 || startswith(sysname, "dm-")) {
                trigger_change(dev);
                return;
        }
        if (device_get_devname(dev, &devname) >= 0) {
                _cleanup_close_ int fd = open(devname, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

                if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) >= 0 && ioctl(fd, BLKRRPART, 0) >= 0)
                        part_table_read = true;
        }
        (void) device_get_syspath(dev, &syspath);
        d = opendir(syspath);
        while (d && (de = readdir(d))) {
                _cleanup_device_unref_ Device *part = NULL;
                _cleanup_free_ char *p = NULL, *attr = NULL;

                if (de->d_name[0] == '.' || de->d_type != DT_DIR)
                        continue;
                p = path_join(syspath, de->d_name);
                attr = p ? path_join(p, "partition") : NULL;
                if (!attr || access(attr, F_OK) < 0)
                        continue;
                has_partitions = true;
                if (part_table_read)
                        return; /* the kernel sent change/remove/add already */
                if (device_new_from_syspath(&part, p) >= 0)
                        trigger_change(part);
        }
        if (!part_table_read || !has_partitions)
                trigger_change(dev);
}

static int on_inotify(EventSource *s, int fd, uint32_t revents, void *userdata) {
        union {
                struct inotify_event ev;
                uint8_t raw[4096];
        } buf;
        ssize_t n;

        (void) s;
        (void) revents;
        n = read(fd, &buf, sizeof buf);
        if (n < 0)
                return IN_SET(errno, EAGAIN, EINTR) ? 0 : log_error_errno(-errno, "Failed to read inotify fd: %m");
        for (uint8_t *p = buf.raw; p < buf.raw + n;) {
                struct inotify_event *e = (struct inotify_event *) p;
                _cleanup_device_unref_ Device *dev = NULL;
                const char *devnode;

                p += sizeof *e + e->len;
                if (!(e->mask & IN_CLOSE_WRITE))
                        continue;
                if (udev_watch_lookup(e->wd, &dev) < 0)
                        continue; /* removed just after being closed */
                if (device_get_devname(dev, &devnode) < 0)
                        continue;
                log_device_debug(dev, "Received inotify event for %s.", devnode);
                manager_assume_block_device_unlocked(userdata, dev);
                synthesize_change(dev);
        }
        return 0;
}

/* ---- control ------------------------------------------------------------------------------ */

static void manager_exit(UdevManager *m) {
        UdevQueueEvent *ev, *next;

        m->exit = true;
        notify("STOPPING=1\nSTATUS=Starting shutdown...");
        m->ctrl = udev_ctrl_unref(m->ctrl);
        m->inotify_source = event_source_disable_unref(m->inotify_source);
        m->inotify_fd = safe_close(m->inotify_fd);
        m->uevent_source = event_source_disable_unref(m->uevent_source);
        m->uevent_fd = safe_close(m->uevent_fd);
        m->test_source = udev_test_source_free(m->test_source);
        /* discard what did not start yet (what a worker was sent but did not start too, in
         * manager_kill_workers()); running events finish */
        for (ev = m->queue->events; ev; ev = next) {
                next = ev->event_next;
                if (ev->state == UDEV_QUEUE_EVENT_QUEUED)
                        event_done(ev);
        }
        manager_kill_workers(m, true);
}

static void ctrl_set_env(UdevManager *m, const char *assignment) {
        _cleanup_free_ char *key = NULL, *value = NULL;
        const char *eq = strchr(assignment, '=');
        char *old_key = NULL;
        int r;

        if (!eq) {
                log_error("Invalid key format '%s'", assignment);
                return;
        }
        key = strndup(assignment, eq - assignment);
        if (!key || (!isempty(eq + 1) && !(value = strdup(eq + 1)))) {
                log_oom();
                return;
        }
        free(hashmap_remove2(m->properties, key, (void **) &old_key));
        free(old_key);
        if (!value)
                log_debug("Received udev control message (ENV), unsetting '%s'", key);
        else
                log_debug("Received udev control message (ENV), setting '%s=%s'", key, value);
        r = hashmap_ensure_put(&m->properties, &string_hash_ops_free_free, key, value);
        if (r < 0) {
                log_oom();
                return;
        }
        key = NULL;
        value = NULL;
        /* workers have a copy of the old table */
        manager_kill_workers(m, false);
}

static void on_ctrl_message(UdevCtrl *c, const UdevCtrlMessage *msg, void *userdata) {
        UdevManager *m = userdata;

        (void) c;
        switch (msg->type) {
        case UDEV_CTRL_SET_LOG_LEVEL:
                if ((msg->intval & LOG_PRIMASK) != msg->intval) {
                        log_debug("Received invalid udev control message (SET_LOG_LEVEL, %i), ignoring.", msg->intval);
                        break;
                }
                log_debug("Received udev control message (SET_LOG_LEVEL), setting log_level=%i", msg->intval);
                if (log_get_max_level() == msg->intval)
                        break;
                log_set_max_level(msg->intval);
                m->log_level = msg->intval;
                manager_kill_workers(m, false);
                break;
        case UDEV_CTRL_STOP_EXEC_QUEUE:
                log_debug("Received udev control message (STOP_EXEC_QUEUE)");
                m->stop_exec_queue = true;
                /* what no worker started yet waits, as the queued events do */
                (void) manager_take_back_pipelined(m);
                break;
        case UDEV_CTRL_START_EXEC_QUEUE:
                log_debug("Received udev control message (START_EXEC_QUEUE)");
                m->stop_exec_queue = false;
                break;
        case UDEV_CTRL_RELOAD:
                log_debug("Received udev control message (RELOAD)");
                manager_reload(m, true);
                break;
        case UDEV_CTRL_SET_ENV:
                ctrl_set_env(m, msg->buf);
                break;
        case UDEV_CTRL_SET_CHILDREN_MAX:
                if (msg->intval <= 0) {
                        log_debug("Received invalid udev control message (SET_MAX_CHILDREN, %i), ignoring.", msg->intval);
                        break;
                }
                log_debug("Received udev control message (SET_MAX_CHILDREN), setting children_max=%i", msg->intval);
                m->config.children_max = (unsigned) msg->intval;
                notify_ready(m);
                break;
        case UDEV_CTRL_PING:
                log_debug("Received udev control message (PING)");
                break;
        case UDEV_CTRL_EXIT:
                log_debug("Received udev control message (EXIT)");
                manager_exit(m);
                break;
        default:
                log_debug("Received unknown udev control message, ignoring");
        }
}

/* ---- the loop ----------------------------------------------------------------------------- */

static int on_kill_workers(EventSource *s, usec_t usec, void *userdata) {
        (void) s;
        (void) usec;
        log_debug("Cleanup idle workers");
        manager_kill_workers(userdata, false);
        return 0;
}

static int on_retry(EventSource *s, usec_t usec, void *userdata) {
        (void) s;
        (void) usec;
        (void) userdata;
        return 0; /* the post handler does the work */
}

/* Removes the link stack directories nobody claims any more (only .lock left). Only while no
 * worker exists: a worker's mkdir() + flock() must not race with the removal. */
static void links_cleanup(void) {
        _cleanup_free_ char *path = strjoin(device_db_get_run_dir(), "/links");
        _cleanup_(closedirp) DIR *d = NULL;
        struct dirent *de;

        d = path ? opendir(path) : NULL;
        while (d && (de = readdir(d))) {
                _cleanup_free_ char *lock = NULL;

                if (de->d_name[0] == '.' || de->d_type != DT_DIR)
                        continue;
                lock = path_join(de->d_name, ".lock");
                if (!lock)
                        return;
                if (unlinkat(dirfd(d), lock, 0) < 0 && errno != ENOENT) {
                        log_debug_errno(-errno, "Failed to remove '%s/%s', ignoring: %m", path, lock);
                        continue;
                }
                if (unlinkat(dirfd(d), de->d_name, AT_REMOVEDIR) < 0 && errno != ENOTEMPTY)
                        log_debug_errno(-errno, "Failed to remove '%s/%s', ignoring: %m", path, de->d_name);
        }
}

static int on_post(EventSource *s, void *userdata) {
        UdevManager *m = userdata;

        (void) s;
        if (!udev_queue_is_empty(m->queue)) {
                event_queue_start(m);
                return 0;
        }
        if (unlink(m->queue_path) < 0) {
                if (errno != ENOENT)
                        log_warning_errno(-errno, "Failed to unlink %s, ignoring: %m", m->queue_path);
        } else
                log_debug("No events are queued, removing %s.", m->queue_path);

        if (m->workers) {
                if (m->kill_workers_timer && !m->exit) {
                        (void) event_source_set_time_relative(m->kill_workers_timer, KILL_IDLE_WORKERS_USEC);
                        (void) event_source_set_enabled(m->kill_workers_timer, EVENT_ONESHOT);
                }
                return 0;
        }
        if (m->links_need_cleanup) {
                links_cleanup();
                m->links_need_cleanup = false;
        }
        if (m->exit)
                return event_exit(m->event, 0);
        return 0;
}

static int on_sigterm(EventSource *s, const struct signalfd_siginfo *si, void *userdata) {
        (void) s;
        (void) si;
        manager_exit(userdata);
        return 0;
}

static int on_sighup(EventSource *s, const struct signalfd_siginfo *si, void *userdata) {
        (void) s;
        (void) si;
        manager_reload(userdata, true);
        return 0;
}

/* ---- setup -------------------------------------------------------------------------------- */

static int uevent_socket_open(void) {
        struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = UDEV_MONITOR_GROUP_KERNEL };
        _cleanup_close_ int fd = -EBADF;
        int size = UEVENT_RCVBUF;

        fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_KOBJECT_UEVENT);
        if (fd < 0)
                return -errno;
        if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0)
                (void) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
        if (bind(fd, (struct sockaddr *) &sa, sizeof sa) < 0)
                return -errno;
        return TAKE_FD(fd);
}

static int broadcast_socket_open(void) {
        struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
        _cleanup_close_ int fd = -EBADF;

        fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_KOBJECT_UEVENT);
        if (fd < 0)
                return -errno;
        if (bind(fd, (struct sockaddr *) &sa, sizeof sa) < 0)
                return -errno;
        return TAKE_FD(fd);
}

static int manager_setup_sources(UdevManager *m, int uevent_fd) {
        int r;

        if (m->config.test_uevent_socket) {
                safe_close(uevent_fd);
                r = udev_test_source_new(m->event, m->config.test_uevent_socket, m->config.test_trigger,
                                         manager_queue_device, m, &m->test_source);
                if (r < 0)
                        return log_error_errno(r, "Failed to set up the test uevent source %s: %m",
                                               m->config.test_uevent_socket);
                log_notice("Taking uevents from the test socket %s, not from the kernel.",
                           m->config.test_uevent_socket);
                return 0;
        }
        if (uevent_fd < 0) {
                uevent_fd = uevent_socket_open();
                if (uevent_fd < 0)
                        return log_error_errno(uevent_fd, "Failed to bind netlink socket: %m");
        }
        m->uevent_fd = uevent_fd;
        (void) setsockopt(uevent_fd, SOL_SOCKET, SO_PASSCRED, &(int) { 1 }, sizeof(int));
        r = event_add_io(m->event, &m->uevent_source, uevent_fd, EPOLLIN, on_uevent, m);
        if (r < 0)
                return log_error_errno(r, "Failed to start device monitor: %m");
        (void) event_source_set_description(m->uevent_source, "uevent");
        return 0;
}

int udev_manager_new(const UdevManagerConfig *config, int ctrl_fd, int uevent_fd, UdevManager **ret) {
        _cleanup_(udev_manager_freep) UdevManager *m = NULL;
        _cleanup_free_ char *ctrl_path = NULL;
        int r;

        m = new0(UdevManager, 1);
        if (!m) {
                safe_close(ctrl_fd);
                safe_close(uevent_fd);
                return log_oom();
        }
        m->config = *config;
        m->uevent_fd = m->broadcast_fd = m->inotify_fd = -EBADF;
        m->log_level = log_get_max_level();
        m->n_cpus = cpus_usable();
        m->queue_path = strjoin(device_db_get_run_dir(), "/queue");
        ctrl_path = strjoin(device_db_get_run_dir(), "/control");
        if (!m->queue_path || !ctrl_path) {
                safe_close(ctrl_fd);
                safe_close(uevent_fd);
                return log_oom();
        }
        r = udev_queue_new(&m->queue);
        if (r >= 0)
                r = event_new(&m->event);
        if (r < 0) {
                safe_close(ctrl_fd);
                safe_close(uevent_fd);
                return log_error_errno(r, "Failed to allocate event loop: %m");
        }
        r = udev_ctrl_new(m->event, ctrl_fd, ctrl_path, EVENT_PRIORITY_IDLE, on_ctrl_message, m, &m->ctrl);
        if (r < 0) {
                safe_close(uevent_fd);
                return log_error_errno(r, "Failed to initialize udev control socket: %m");
        }
        r = manager_setup_sources(m, uevent_fd);
        if (r < 0)
                return r;
        m->broadcast_fd = broadcast_socket_open();
        if (m->broadcast_fd < 0)
                log_warning_errno(m->broadcast_fd, "Failed to open the netlink broadcast socket, ignoring: %m");
        *ret = TAKE_PTR(m);
        return 0;
}

static int manager_setup_loop(UdevManager *m) {
        int r;

        m->inotify_fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
        if (m->inotify_fd < 0)
                return log_error_errno(-errno, "Failed to create inotify descriptor: %m");
        (void) udev_watch_restore(m->inotify_fd);

        r = sigprocmask_many(SIG_BLOCK, NULL, SIGTERM, SIGINT, SIGHUP, -1);
        if (r < 0)
                return log_error_errno(r, "Failed to block signals: %m");
        r = event_add_signal(m->event, NULL, SIGTERM, on_sigterm, m);
        if (r >= 0)
                r = event_add_signal(m->event, NULL, SIGINT, on_sigterm, m);
        if (r >= 0)
                r = event_add_signal(m->event, NULL, SIGHUP, on_sighup, m);
        if (r < 0)
                return log_error_errno(r, "Failed to create signal event source: %m");
        r = event_add_io(m->event, &m->inotify_source, m->inotify_fd, EPOLLIN, on_inotify, m);
        if (r < 0)
                return log_error_errno(r, "Failed to create inotify event source: %m");
        r = event_add_post(m->event, NULL, on_post, m);
        if (r < 0)
                return log_error_errno(r, "Failed to create post event source: %m");
        r = event_add_time(m->event, &m->kill_workers_timer, CLOCK_MONOTONIC, USEC_INFINITY,
                           USEC_PER_SEC, on_kill_workers, m);
        if (r >= 0)
                r = event_source_set_enabled(m->kill_workers_timer, EVENT_OFF);
        if (r >= 0)
                r = event_add_time(m->event, &m->retry_timer, CLOCK_MONOTONIC, USEC_INFINITY, 1, on_retry, m);
        if (r >= 0)
                r = event_source_set_enabled(m->retry_timer, EVENT_OFF);
        if (r >= 0)
                r = event_add_time(m->event, &m->worker_timer, CLOCK_MONOTONIC, USEC_INFINITY, USEC_PER_MSEC,
                                   on_worker_timer, m);
        if (r >= 0)
                r = event_source_set_enabled(m->worker_timer, EVENT_OFF);
        if (r < 0)
                return log_error_errno(r, "Failed to create timer event source: %m");
        return 0;
}

int udev_manager_run(UdevManager *m) {
        int r;

        r = manager_setup_loop(m);
        if (r < 0)
                return r;
        m->last_reload_usec = now(CLOCK_MONOTONIC);
        udev_builtin_init();
        r = manager_load_rules(m, &m->rules);
        if (r < 0)
                return log_error_errno(r, "Failed to read udev rules: %m");
        r = udev_static_node_apply(m->rules);
        if (r < 0)
                log_warning_errno(r, "Failed to apply permissions on static device nodes, ignoring: %m");
        notify_ready(m);

        r = event_loop(m->event);
        if (r < 0)
                log_error_errno(r, "Event loop failed: %m");
        notify("STOPPING=1\nSTATUS=Shutting down...");
        return r;
}

UdevManager *udev_manager_free(UdevManager *m) {
        if (!m)
                return NULL;
        while (m->workers) {
                (void) kill(m->workers->pid, SIGTERM);
                worker_free(m->workers);
        }
        udev_queue_free(m->queue);
        udev_ctrl_unref(m->ctrl);
        udev_test_source_free(m->test_source);
        event_source_disable_unref(m->uevent_source);
        event_source_disable_unref(m->inotify_source);
        event_source_disable_unref(m->kill_workers_timer);
        event_source_disable_unref(m->retry_timer);
        event_source_disable_unref(m->worker_timer);
        safe_close(m->uevent_fd);
        safe_close(m->broadcast_fd);
        safe_close(m->inotify_fd);
        event_unref(m->event);
        udev_rules_free(m->rules);
        hashmap_free(m->properties);
        free(m->queue_path);
        free(m);
        udev_builtin_exit();
        return NULL;
}
