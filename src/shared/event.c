/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * event.c: the epoll event loop of event.h. The types are in event-internal.h, the
 * event_source_* getters and setters in event-source.c.
 *
 * Every kernel object the loop watches is registered in one epoll instance; epoll's data.ptr
 * points at a struct whose first member is a WakeupKind, which says what woke us: a source
 * (io fd, child pidfd), a clock (its timerfd) or the signalfd.
 *
 * Queues (prioq.h heaps; the source keeps its position in each, so removal is O(log n)):
 *   pending      sources with pending && enabled, by (priority, pending_seq)
 *   exits        enabled exit sources, by (priority, pending_seq)
 *   per clock    enabled timers that are not pending, by deadline ("earliest") and by
 *                deadline + accuracy ("latest"); the timerfd is armed between the two.
 * A source's queue membership is always recomputed from its flags by
 * event_source_sync_queues(), so that no path can leave a stale entry behind. Queue capacity is
 * reserved when a source is added, which keeps marking and dispatching allocation-free.
 *
 * Lifetime: a source holds a reference on its Event unless it is floating. When the last
 * reference of a source goes while its callback runs ("dispatching"), the source is
 * disconnected from the loop at once and its memory freed when the callback returns.
 */

#include <assert.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "event-internal.h"
#include "fd-util.h"
#include "hashmap.h"
#include "list.h"
#include "log.h"
#include "prioq.h"
#include "siphash24.h"
#include "string-util.h"

#define EPOLL_BATCH 64
#define CHILD_OPTIONS_ALLOWED (WEXITED | WSTOPPED | WCONTINUED)

static const char *const source_type_table[_SOURCE_TYPE_MAX] = {
        [SOURCE_IO] = "io",         [SOURCE_TIME] = "time",   [SOURCE_SIGNAL] = "signal",
        [SOURCE_CHILD] = "child",   [SOURCE_DEFER] = "defer", [SOURCE_POST] = "post",
        [SOURCE_EXIT] = "exit",
};

/* ---- helpers ------------------------------------------------------------------------------ */

const clockid_t event_clock_ids[_CLOCK_INDEX_MAX] = {
        [CLOCK_INDEX_MONOTONIC] = CLOCK_MONOTONIC,
        [CLOCK_INDEX_REALTIME] = CLOCK_REALTIME,
        [CLOCK_INDEX_BOOTTIME] = CLOCK_BOOTTIME,
};

static int clock_to_index(clockid_t clock) {
        for (unsigned i = 0; i < _CLOCK_INDEX_MAX; i++)
                if (event_clock_ids[i] == clock)
                        return (int) i;
        return -EOPNOTSUPP;
}

static bool signal_valid(int sig) {
        return sig > 0 && sig < _NSIG && sig != SIGKILL && sig != SIGSTOP;
}

static int signal_is_blocked(int sig) {
        sigset_t ss;

        if (sigprocmask(SIG_SETMASK, NULL, &ss) < 0)
                return -errno;
        return sigismember(&ss, sig) > 0;
}

static bool si_is_zombie(const siginfo_t *si) {
        return IN_SET(si->si_code, CLD_EXITED, CLD_KILLED, CLD_DUMPED);
}

/* A per-boot offset, so that coalesced wake-ups of all processes on this machine line up while
 * different machines spread out. */
static usec_t compute_perturb(void) {
        static const uint8_t key[16] = { 's', 'y', 's', 'm', 'a', 's', 't', 'e', 'r', 'e', 'v' };
        char buf[64];
        ssize_t n;
        int fd;

        fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return 0;
        n = read(fd, buf, sizeof buf);
        safe_close(fd);
        if (n <= 0)
                return 0;
        return siphash24(buf, (size_t) n, key) % USEC_PER_MINUTE;
}

/* ---- queues ------------------------------------------------------------------------------- */

static int compare_u64(uint64_t a, uint64_t b) {
        return a < b ? -1 : a > b ? 1 : 0;
}

static int pending_compare(const void *x, const void *y) {
        const EventSource *a = x, *b = y;

        if (a->priority != b->priority)
                return a->priority < b->priority ? -1 : 1;
        return compare_u64(a->pending_seq, b->pending_seq);
}

static usec_t time_latest(const EventSource *s) {
        return usec_add_sat(s->time.next, s->time.accuracy);
}

static int earliest_compare(const void *x, const void *y) {
        const EventSource *a = x, *b = y;
        int r = compare_u64(a->time.next, b->time.next);
        return r != 0 ? r : compare_u64(a->pending_seq, b->pending_seq);
}

static int latest_compare(const void *a, const void *b) {
        return compare_u64(time_latest(a), time_latest(b));
}

/* Puts s in or out of q, or repositions it after its key changed. Never allocates: the
 * capacity was reserved when s was added. */
static void queue_sync(Prioq *q, EventSource *s, size_t *idx, bool want) {
        if (!want)
                (void) prioq_remove(q, s, idx);
        else if (*idx != PRIOQ_IDX_NULL)
                (void) prioq_reshuffle(q, s, idx);
        else if (prioq_put(q, s, idx) < 0)
                assert(!"queue capacity was reserved");
}

void event_source_sync_queues(EventSource *s) {
        Event *e = s->event;
        bool on = s->enabled != EVENT_OFF;

        if (s->type == SOURCE_EXIT) {
                queue_sync(e->exits, s, &s->pending_idx, on);
                return;
        }
        queue_sync(e->pending, s, &s->pending_idx, on && s->pending);
        if (s->type == SOURCE_TIME) {
                ClockData *d = &e->clocks[s->time.clock];

                queue_sync(d->earliest, s, &s->time.earliest_idx, on && !s->pending);
                queue_sync(d->latest, s, &s->time.latest_idx, on && !s->pending);
        }
}

static int signal_update_mask(Event *e);

void event_source_mark_pending(EventSource *s, bool b) {
        Event *e = s->event;

        if (s->pending == b)
                return;
        s->pending = b;
        if (b)
                s->pending_seq = ++e->seq;
        event_source_sync_queues(s);
        if (s->type == SOURCE_SIGNAL)
                (void) signal_update_mask(e);
}

/* ---- kernel registrations ----------------------------------------------------------------- */

int event_epoll_watch(Event *e, int op, int fd, uint32_t events, void *ptr) {
        struct epoll_event ev = { .events = events, .data.ptr = ptr };

        return epoll_ctl(e->epoll_fd, op, fd, &ev) < 0 ? -errno : 0;
}

/* Adds fd of source s to epoll or removes it, as want says; *registered tracks it. */
static int epoll_toggle(EventSource *s, int fd, uint32_t events, bool *registered, bool want) {
        int r;

        if (want == *registered)
                return 0;
        if (want) {
                r = event_epoll_watch(s->event, EPOLL_CTL_ADD, fd, events, s);
                if (r < 0)
                        return r;
        } else
                (void) epoll_ctl(s->event->epoll_fd, EPOLL_CTL_DEL, fd, NULL);
        *registered = want;
        return 0;
}

/* The signalfd watches the signals of enabled signal sources that are not pending, plus SIGCHLD
 * while a child source waits for stops or continues. A signal whose source is pending stays
 * queued in the kernel until the source was dispatched: no siginfo is lost or overwritten, and
 * signals of other sources are still read (no priority inversion behind a pending source). */
static int signal_update_mask(Event *e) {
        SignalData *d = &e->signal;
        sigset_t mask;
        int r;

        sigemptyset(&mask);
        for (int sig = 1; sig < _NSIG; sig++)
                if (d->sources[sig] && d->sources[sig]->enabled != EVENT_OFF &&
                    !d->sources[sig]->pending)
                        sigaddset(&mask, sig);
        if (e->n_stop_watchers > 0)
                sigaddset(&mask, SIGCHLD);

        if (d->fd < 0) {
                if (sigisemptyset(&mask))
                        return 0;
                d->fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
                if (d->fd < 0)
                        return -errno;
                r = event_epoll_watch(e, EPOLL_CTL_ADD, d->fd, EPOLLIN, d);
                if (r < 0) {
                        d->fd = safe_close(d->fd);
                        return r;
                }
        } else if (memcmp(&mask, &d->mask, sizeof mask) == 0)
                return 0;
        else if (signalfd(d->fd, &mask, SFD_NONBLOCK | SFD_CLOEXEC) < 0)
                return -errno;
        d->mask = mask;
        return 0;
}

static int child_sync(EventSource *s) {
        Event *e = s->event;
        bool on = s->enabled != EVENT_OFF && !s->child.exited;
        bool want_fd = on && (s->child.options & WEXITED);
        bool want_count = on && (s->child.options & (WSTOPPED | WCONTINUED));
        int r;

        r = epoll_toggle(s, s->child.pidfd, EPOLLIN, &s->child.registered, want_fd);
        if (r < 0)
                return r;
        if (want_count != s->child.counted) {
                s->child.counted = want_count;
                if (want_count) {
                        e->n_stop_watchers++;
                        /* A stop may have happened while we were not looking. */
                        e->need_child_scan = true;
                } else
                        e->n_stop_watchers--;
                return signal_update_mask(e);
        }
        return 0;
}

/* Brings epoll, signalfd and the queues in line with s's flags. */
int event_source_sync(EventSource *s) {
        int r = 0;

        switch (s->type) {
        case SOURCE_IO:
                r = epoll_toggle(s, s->io.fd, s->io.events, &s->io.registered,
                                 s->enabled != EVENT_OFF);
                break;
        case SOURCE_SIGNAL:
                r = signal_update_mask(s->event);
                break;
        case SOURCE_CHILD:
                r = child_sync(s);
                break;
        default:
                break;
        }
        event_source_sync_queues(s);
        return r;
}

static void child_reap(EventSource *s) {
        siginfo_t si = {};

        if (s->child.waited)
                return;
        /* Only this child, through its pidfd: never P_ALL, never someone else's child. */
        (void) waitid(P_PIDFD, (id_t) s->child.pidfd, &si, WEXITED | WNOHANG);
        s->child.waited = true;
}

/* Takes s out of its loop: off epoll and the signalfd, out of every queue and list. */
static void source_disconnect(EventSource *s) {
        Event *e = s->event;

        if (!e)
                return;

        s->enabled = EVENT_OFF;
        s->pending = false;
        (void) event_source_sync(s);

        switch (s->type) {
        case SOURCE_IO:
                if (s->io.owned)
                        s->io.fd = safe_close(s->io.fd);
                break;
        case SOURCE_TIME:
                e->clocks[s->time.clock].n_timers--;
                break;
        case SOURCE_SIGNAL:
                if (e->signal.sources[s->signal.sig] == s) {
                        e->signal.sources[s->signal.sig] = NULL;
                        (void) signal_update_mask(e);
                }
                break;
        case SOURCE_CHILD:
                /* Freed from its own exit callback: reap now, while we still have the pidfd. */
                if (s->dispatching && s->child.exited)
                        child_reap(s);
                if (s->child.options & (WSTOPPED | WCONTINUED))
                        LIST_REMOVE(kind, e->stop_children, s);
                if (hashmap_get(e->children, PID_TO_PTR(s->child.pid)) == s)
                        (void) hashmap_remove(e->children, PID_TO_PTR(s->child.pid));
                if (s->child.owned)
                        s->child.pidfd = safe_close(s->child.pidfd);
                break;
        case SOURCE_POST:
                LIST_REMOVE(kind, e->post_sources, s);
                break;
        case SOURCE_EXIT:
                e->n_exits--;
                break;
        default:
                break;
        }

        LIST_REMOVE(all, e->sources, s);
        e->n_sources--;
        s->event = NULL;
        if (!s->floating)
                event_unref(e);
}

static void source_free(EventSource *s) {
        source_disconnect(s);
        if (s->destroy)
                s->destroy(s->userdata);
        free(s->description);
        free(s);
}

/* A new source of type, linked into e, with queue room reserved; the caller sets it up. */
static EventSource *source_new(Event *e, bool floating, SourceType type) {
        EventSource *s;

        if (prioq_reserve(e->pending, e->n_sources + 1) < 0)
                return NULL;
        s = new0(EventSource, 1);
        if (!s)
                return NULL;
        s->wakeup = WAKEUP_SOURCE;
        s->n_ref = 1;
        s->event = e;
        s->type = type;
        s->floating = floating;
        s->pending_idx = PRIOQ_IDX_NULL;
        LIST_PREPEND(all, e->sources, s);
        e->n_sources++;
        if (!floating)
                event_ref(e);
        return s;
}

/* ---- the loop object ---------------------------------------------------------------------- */

int event_new(Event **ret) {
        _cleanup_(event_unrefp) Event *e = NULL;

        assert(ret);

        e = new0(Event, 1);
        if (!e)
                return -ENOMEM;
        e->n_ref = 1;
        e->epoll_fd = -1;
        e->signal.wakeup = WAKEUP_SIGNAL;
        e->signal.fd = -1;
        sigemptyset(&e->signal.mask);
        for (size_t i = 0; i < _CLOCK_INDEX_MAX; i++)
                e->clocks[i] = (ClockData) { .wakeup = WAKEUP_CLOCK, .id = event_clock_ids[i],
                                             .fd = -1, .armed = USEC_INFINITY };
        /* From here on a failure frees e, which closes every fd above: they are -1, not 0. */
        if (prioq_new(pending_compare, &e->pending) < 0 ||
            prioq_new(pending_compare, &e->exits) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < _CLOCK_INDEX_MAX; i++)
                if (prioq_new(earliest_compare, &e->clocks[i].earliest) < 0 ||
                    prioq_new(latest_compare, &e->clocks[i].latest) < 0)
                        return -ENOMEM;
        e->perturb = compute_perturb();

        e->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
        if (e->epoll_fd < 0)
                return -errno;

        *ret = TAKE_PTR(e);
        return 0;
}

static void event_free(Event *e) {
        EventSource *s;

        /* Only floating sources can be left: the others hold a reference on e. */
        while ((s = e->sources)) {
                assert(s->floating);
                source_disconnect(s);
                event_source_unref(s);
        }
        for (size_t i = 0; i < _CLOCK_INDEX_MAX; i++) {
                safe_close(e->clocks[i].fd);
                prioq_free(e->clocks[i].earliest);
                prioq_free(e->clocks[i].latest);
        }
        safe_close(e->signal.fd);
        safe_close(e->epoll_fd);
        prioq_free(e->pending);
        prioq_free(e->exits);
        hashmap_free(e->children);
        free(e);
}

Event *event_ref(Event *e) {
        if (e)
                e->n_ref++;
        return e;
}

Event *event_unref(Event *e) {
        if (!e)
                return NULL;
        assert(e->n_ref > 0);
        if (--e->n_ref == 0)
                event_free(e);
        return NULL;
}

int event_get_fd(Event *e) {
        assert(e);
        return e->epoll_fd;
}

int event_exit(Event *e, int code) {
        assert(e);
        if (e->state == EVENT_STATE_FINISHED)
                return -ESTALE;
        e->exit_requested = true;
        e->exit_code = code;
        return 0;
}

int event_get_exit_code(Event *e, int *ret) {
        assert(e);
        if (!e->exit_requested)
                return -ENODATA;
        if (ret)
                *ret = e->exit_code;
        return 0;
}

int event_now(Event *e, clockid_t clock, usec_t *ret) {
        int i = clock_to_index(clock);

        assert(e);
        assert(ret);
        if (i < 0)
                return i;
        if (!e->timestamps_valid) {
                *ret = now(clock);
                return 1;
        }
        *ret = e->timestamps[i];
        return 0;
}

/* ---- timers ------------------------------------------------------------------------------- */

/* A wake-up time in [a, b], as late as possible on a coarse grid (minute, 10 s, 1 s, 250 ms,
 * each shifted by perturb) so that timers of all processes coalesce; b if none fits. */
static usec_t coalesce(usec_t a, usec_t b, usec_t perturb) {
        static const usec_t grains[] = {
                USEC_PER_MINUTE, 10 * USEC_PER_SEC, USEC_PER_SEC, 250 * USEC_PER_MSEC,
        };

        if (b <= a)
                return a;
        for (size_t i = 0; i < ELEMENTSOF(grains); i++) {
                usec_t off = perturb % grains[i], c;

                if (b < off)
                        continue;
                c = (b - off) / grains[i] * grains[i] + off;
                if (c >= a)
                        return c;
        }
        return b;
}

static int clock_setup(Event *e, ClockData *d) {
        int r;

        if (d->fd >= 0)
                return 0;
        d->fd = timerfd_create(d->id, TFD_NONBLOCK | TFD_CLOEXEC);
        if (d->fd < 0)
                return -errno;
        r = event_epoll_watch(e, EPOLL_CTL_ADD, d->fd, EPOLLIN, d);
        if (r < 0)
                d->fd = safe_close(d->fd);
        return r;
}

static int clock_arm(Event *e, ClockData *d) {
        EventSource *first = prioq_peek(d->earliest);
        struct itimerspec its = {};
        usec_t t = USEC_INFINITY;

        if (d->fd < 0)
                return 0;
        if (first && first->time.next != USEC_INFINITY)
                t = coalesce(first->time.next, time_latest(prioq_peek(d->latest)), e->perturb);
        if (t != USEC_INFINITY) {
                if (t == 0)
                        its.it_value.tv_nsec = 1; /* zero would disarm */
                else if (timespec_store(&its.it_value, t)->tv_sec < 0)
                        t = USEC_INFINITY; /* beyond time_t: never */
        }
        if (t == USEC_INFINITY)
                its = (struct itimerspec) {};
        if (t == d->armed)
                return 0;
        if (timerfd_settime(d->fd, TFD_TIMER_ABSTIME, &its, NULL) < 0)
                return -errno;
        d->armed = t;
        return 0;
}

static void clock_flush(ClockData *d) {
        uint64_t expirations;

        (void) read(d->fd, &expirations, sizeof expirations);
        d->armed = USEC_INFINITY; /* a fired timerfd is disarmed */
}

static void clock_process(Event *e, unsigned i) {
        ClockData *d = &e->clocks[i];
        EventSource *s;

        /* Popping by deadline makes timers due together pending in deadline order. */
        while ((s = prioq_peek(d->earliest)) && s->time.next <= e->timestamps[i])
                event_source_mark_pending(s, true);
}

/* ---- children ----------------------------------------------------------------------------- */

/* waitid() on the pidfd failed: the child was reaped behind our back (or the pidfd is bad).
 * Nothing will ever come from it again. */
static void child_lost(EventSource *s, int error) {
        log_debug_errno(error, "Cannot watch child %i of event source %s, disabling: %m",
                        (int) s->child.pid, strna(s->description));
        s->child.exited = s->child.waited = true;
        s->enabled = EVENT_OFF;
        (void) event_source_sync(s);
}

static void child_deliver(EventSource *s, const siginfo_t *si) {
        s->child.siginfo = *si;
        if (si_is_zombie(si)) {
                s->child.exited = true;
                (void) child_sync(s); /* nothing more to watch */
        }
        event_source_mark_pending(s, true);
}

static void child_process_pidfd(EventSource *s) {
        siginfo_t si = {};

        if (s->pending || s->enabled == EVENT_OFF || s->child.exited)
                return;
        /* Readable pidfd: the child exited. Peek (WNOWAIT); it is reaped after dispatch. */
        if (waitid(P_PIDFD, (id_t) s->child.pidfd, &si, WEXITED | WNOHANG | WNOWAIT) < 0)
                child_lost(s, -errno);
        else if (si.si_pid != 0)
                child_deliver(s, &si);
}

/* After a SIGCHLD: polls the children watched for stops and continues. */
static void child_scan(Event *e) {
        EventSource *s;

        e->need_child_scan = false;
        LIST_FOREACH(kind, s, e->stop_children) {
                int opts = s->child.options, flags = WNOHANG | (opts & (WSTOPPED | WCONTINUED));
                siginfo_t si = {};

                if (!s->child.counted || s->pending)
                        continue;
                /* Leave an exit queued (WNOWAIT): it is reaped only after its dispatch. */
                if (opts & WEXITED)
                        flags |= WEXITED | WNOWAIT;
                if (waitid(P_PIDFD, (id_t) s->child.pidfd, &si, flags) < 0) {
                        child_lost(s, -errno);
                        continue;
                }
                if (si.si_pid == 0)
                        continue;
                if (!si_is_zombie(&si) && (opts & WEXITED)) {
                        /* Consume the stop/continue we only peeked at. */
                        siginfo_t dummy = {};
                        (void) waitid(P_PIDFD, (id_t) s->child.pidfd, &dummy,
                                      WNOHANG | (opts & (WSTOPPED | WCONTINUED)));
                }
                child_deliver(s, &si);
        }
}

/* ---- signals ------------------------------------------------------------------------------ */

/* Reads the queued signals: each makes its source pending with its siginfo. The mask excludes
 * the signals of pending sources, so a second one of a kind stays queued until the first was
 * dispatched (realtime signals queue: every one reaches the callback). */
static int signal_process(Event *e) {
        SignalData *d = &e->signal;

        if (e->n_stop_watchers > 0)
                e->need_child_scan = true;
        for (;;) {
                struct signalfd_siginfo si;
                EventSource *s;
                ssize_t n;

                n = read(d->fd, &si, sizeof si);
                if (n < 0)
                        return IN_SET(errno, EAGAIN, EINTR) ? 0 : -errno;
                if (n != sizeof si)
                        return -EIO;
                if (si.ssi_signo == 0 || si.ssi_signo >= _NSIG)
                        continue;
                s = d->sources[si.ssi_signo];
                if (!s || s->enabled == EVENT_OFF || s->pending)
                        continue; /* e.g. SIGCHLD taken for child_scan() only */
                s->signal.siginfo = si;
                event_source_mark_pending(s, true);
        }
}

/* ---- one iteration ------------------------------------------------------------------------ */

static int event_prepare(Event *e) {
        int r;

        if (e->need_child_scan)
                child_scan(e);
        for (unsigned i = 0; i < _CLOCK_INDEX_MAX; i++) {
                r = clock_arm(e, &e->clocks[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int timeout_to_ms(usec_t timeout) {
        usec_t ms;

        if (timeout == USEC_INFINITY)
                return -1;
        ms = timeout / USEC_PER_MSEC + (timeout % USEC_PER_MSEC != 0);
        return ms > INT_MAX ? INT_MAX : (int) ms;
}

static int process_wakeup(Event *e, void *ptr, uint32_t events) {
        EventSource *s;

        switch (*(WakeupKind *) ptr) {
        case WAKEUP_SOURCE:
                s = ptr;
                if (s->type == SOURCE_CHILD)
                        child_process_pidfd(s);
                else if (s->enabled != EVENT_OFF) {
                        s->io.revents = events;
                        event_source_mark_pending(s, true);
                }
                return 0;
        case WAKEUP_CLOCK:
                clock_flush(ptr);
                return 0;
        case WAKEUP_SIGNAL:
                return signal_process(e);
        }
        return -EINVAL;
}

static int event_wait(Event *e, usec_t timeout) {
        struct epoll_event evs[EPOLL_BATCH];
        int n, r;

        n = epoll_wait(e->epoll_fd, evs, EPOLL_BATCH,
                       prioq_size(e->pending) > 0 ? 0 : timeout_to_ms(timeout));
        if (n < 0) {
                if (errno != EINTR)
                        return -errno;
                n = 0;
        }

        for (unsigned i = 0; i < _CLOCK_INDEX_MAX; i++)
                e->timestamps[i] = now(e->clocks[i].id);
        e->timestamps_valid = true;

        for (int i = 0; i < n; i++) {
                r = process_wakeup(e, evs[i].data.ptr, evs[i].events);
                if (r < 0)
                        return r;
        }
        for (unsigned i = 0; i < _CLOCK_INDEX_MAX; i++)
                clock_process(e, i);
        if (e->need_child_scan)
                child_scan(e);
        return 0;
}

static int source_call(EventSource *s) {
        Event *e = s->event;
        EventHandler plain = NULL;

        switch (s->type) {
        case SOURCE_IO:
                return s->io.callback(s, s->io.fd, s->io.revents, s->userdata);
        case SOURCE_TIME:
                if (s->time.callback)
                        return s->time.callback(s, s->time.next, s->userdata);
                break;
        case SOURCE_SIGNAL:
                if (s->signal.callback)
                        return s->signal.callback(s, &s->signal.siginfo, s->userdata);
                break;
        case SOURCE_CHILD:
                if (s->child.callback)
                        return s->child.callback(s, &s->child.siginfo, s->userdata);
                break;
        default:
                plain = s->plain.callback;
                if (plain)
                        return plain(s, s->userdata);
                break;
        }
        /* No callback: the source asks the loop to exit with its userdata as the code. */
        return event_exit(e, PTR_TO_INT(s->userdata));
}

static void mark_post_sources(Event *e) {
        EventSource *z;

        LIST_FOREACH(kind, z, e->post_sources)
                if (z->enabled != EVENT_OFF)
                        event_source_mark_pending(z, true);
}

static int source_dispatch(EventSource *s) {
        Event *e = s->event;
        SourceType type = s->type;
        bool zombie = type == SOURCE_CHILD && s->child.exited;
        int r;

        if (type == SOURCE_DEFER)
                s->pending_seq = ++e->seq; /* stays pending: to the back of its priority */
        else if (type != SOURCE_EXIT)
                event_source_mark_pending(s, false);
        if (type != SOURCE_POST)
                mark_post_sources(e);
        if (s->enabled == EVENT_ONESHOT || type == SOURCE_EXIT || zombie)
                s->enabled = EVENT_OFF;
        (void) event_source_sync(s);

        e->state = EVENT_STATE_RUNNING;
        s->dispatching = true;
        r = source_call(s);
        s->dispatching = false;
        e->state = EVENT_STATE_INITIAL;

        if (zombie && s->event)
                child_reap(s);
        if (r < 0) {
                log_debug_errno(r, "Event source %s (type %s) returned error, %s: %m",
                                strna(s->description), source_type_table[type],
                                s->exit_on_failure ? "exiting" : "disabling");
                if (s->exit_on_failure)
                        (void) event_exit(e, r);
        }
        if (s->n_ref == 0)
                source_free(s); /* its last reference went during the callback */
        else if (r < 0 && s->event) {
                s->enabled = EVENT_OFF;
                (void) event_source_sync(s);
        }
        return 1;
}

static int dispatch_exit(Event *e) {
        EventSource *s = prioq_peek(e->exits);

        if (!s) {
                e->state = EVENT_STATE_FINISHED;
                return 0;
        }
        return source_dispatch(s);
}

int event_run(Event *e, usec_t timeout) {
        _cleanup_(event_unrefp) Event *ref = NULL;
        EventSource *s;
        int r;

        assert(e);
        if (e->state == EVENT_STATE_FINISHED)
                return -ESTALE;
        if (e->state != EVENT_STATE_INITIAL)
                return -EBUSY;

        ref = event_ref(e); /* a callback may drop the caller's reference */
        if (e->exit_requested)
                return dispatch_exit(e);

        r = event_prepare(e);
        if (r < 0)
                return r;
        r = event_wait(e, timeout);
        if (r < 0)
                return r;

        s = prioq_peek(e->pending);
        return s ? source_dispatch(s) : 0;
}

int event_loop(Event *e) {
        _cleanup_(event_unrefp) Event *ref = NULL;
        int r;

        assert(e);
        if (e->state != EVENT_STATE_INITIAL)
                return e->state == EVENT_STATE_FINISHED ? -ESTALE : -EBUSY;

        ref = event_ref(e);
        while (e->state != EVENT_STATE_FINISHED) {
                r = event_run(e, USEC_INFINITY);
                if (r < 0)
                        return r;
        }
        return e->exit_code;
}

/* ---- adding sources ----------------------------------------------------------------------- */

/* The new source goes to the caller (ret) or, floating, stays with the loop only. */
static int source_publish(EventSource *s, EventSource **ret) {
        if (ret)
                *ret = s;
        return 0;
}

static int source_check_event(Event *e) {
        assert(e);
        return e->state == EVENT_STATE_FINISHED ? -ESTALE : 0;
}

int event_add_io(Event *e, EventSource **ret, int fd, uint32_t events, EventIoHandler callback,
                 void *userdata) {
        _cleanup_(event_source_unrefp) EventSource *s = NULL;
        int r;

        r = source_check_event(e);
        if (r < 0)
                return r;
        if (fd < 0)
                return -EBADF;
        if ((events & ~IO_EVENTS_ALLOWED) != 0 || !callback)
                return -EINVAL;

        s = source_new(e, !ret, SOURCE_IO);
        if (!s)
                return -ENOMEM;
        s->io.fd = fd;
        s->io.events = events;
        s->io.callback = callback;
        s->userdata = userdata;
        s->enabled = EVENT_ON;
        r = event_source_sync(s);
        if (r < 0)
                return r;

        return source_publish(TAKE_PTR(s), ret);
}

int event_add_time(Event *e, EventSource **ret, clockid_t clock, usec_t usec, usec_t accuracy,
                   EventTimeHandler callback, void *userdata) {
        _cleanup_(event_source_unrefp) EventSource *s = NULL;
        ClockData *d;
        int r, i;

        r = source_check_event(e);
        if (r < 0)
                return r;
        i = clock_to_index(clock);
        if (i < 0)
                return i;
        d = &e->clocks[i];
        r = clock_setup(e, d);
        if (r < 0)
                return r;
        if (prioq_reserve(d->earliest, d->n_timers + 1) < 0 ||
            prioq_reserve(d->latest, d->n_timers + 1) < 0)
                return -ENOMEM;

        s = source_new(e, !ret, SOURCE_TIME);
        if (!s)
                return -ENOMEM;
        s->time.clock = (unsigned) i;
        s->time.earliest_idx = s->time.latest_idx = PRIOQ_IDX_NULL;
        d->n_timers++;
        s->time.next = usec;
        s->time.accuracy = accuracy == 0 ? DEFAULT_ACCURACY_USEC : accuracy;
        s->time.callback = callback;
        s->userdata = userdata;
        s->pending_seq = ++e->seq;
        s->enabled = EVENT_ONESHOT;
        event_source_sync_queues(s);

        return source_publish(TAKE_PTR(s), ret);
}

int event_add_time_relative(Event *e, EventSource **ret, clockid_t clock, usec_t usec,
                            usec_t accuracy, EventTimeHandler callback, void *userdata) {
        usec_t t;
        int r;

        assert(e);
        r = event_now(e, clock, &t);
        if (r < 0)
                return r;
        return event_add_time(e, ret, clock, usec_add_sat(t, usec), accuracy, callback, userdata);
}

int event_add_signal(Event *e, EventSource **ret, int sig, EventSignalHandler callback,
                     void *userdata) {
        _cleanup_(event_source_unrefp) EventSource *s = NULL;
        int r;

        r = source_check_event(e);
        if (r < 0)
                return r;
        if (!signal_valid(sig))
                return -EINVAL;
        r = signal_is_blocked(sig);
        if (r < 0)
                return r;
        if (r == 0 || e->signal.sources[sig])
                return -EBUSY;

        s = source_new(e, !ret, SOURCE_SIGNAL);
        if (!s)
                return -ENOMEM;
        s->signal.sig = sig;
        s->signal.callback = callback;
        s->userdata = userdata;
        s->enabled = EVENT_ON;
        e->signal.sources[sig] = s;
        r = event_source_sync(s);
        if (r < 0)
                return r;

        return source_publish(TAKE_PTR(s), ret);
}

static int child_check(Event *e, int options) {
        int r;

        r = source_check_event(e);
        if (r < 0)
                return r;
        if (options == 0 || (options & ~CHILD_OPTIONS_ALLOWED) != 0)
                return -EINVAL;
        if (options & (WSTOPPED | WCONTINUED)) {
                /* Stops and continues are only announced by SIGCHLD. */
                r = signal_is_blocked(SIGCHLD);
                if (r <= 0)
                        return r < 0 ? r : -EBUSY;
        }
        return 0;
}

/* Takes a pidfd (closing it on failure if owned) and makes the source. */
static int child_add(Event *e, EventSource **ret, pid_t pid, int pidfd, bool owned, int options,
                     EventChildHandler callback, void *userdata) {
        _cleanup_(event_source_unrefp) EventSource *s = NULL;
        siginfo_t si = {};
        int r;

        if (hashmap_get(e->children, PID_TO_PTR(pid))) {
                r = -EBUSY;
                goto fail;
        }
        /* A pidfd of a process that is not our child would never report anything. */
        if (waitid(P_PIDFD, (id_t) pidfd, &si, CHILD_OPTIONS_ALLOWED | WNOHANG | WNOWAIT) < 0) {
                r = -errno;
                goto fail;
        }
        s = source_new(e, !ret, SOURCE_CHILD);
        if (!s) {
                r = -ENOMEM;
                goto fail;
        }
        s->child.pid = pid;
        s->child.pidfd = pidfd;
        s->child.owned = owned;
        s->child.options = options;
        s->child.callback = callback;
        s->userdata = userdata;
        if (options & (WSTOPPED | WCONTINUED))
                LIST_PREPEND(kind, e->stop_children, s);
        r = hashmap_ensure_put(&e->children, &trivial_hash_ops, PID_TO_PTR(pid), s);
        if (r < 0)
                return r;
        s->enabled = EVENT_ONESHOT;
        r = event_source_sync(s);
        if (r < 0)
                return r;

        return source_publish(TAKE_PTR(s), ret);
fail:
        if (owned)
                safe_close(pidfd);
        return r;
}

int event_add_child(Event *e, EventSource **ret, pid_t pid, int options, EventChildHandler callback,
                    void *userdata) {
        int r, fd;

        r = child_check(e, options);
        if (r < 0)
                return r;
        if (pid <= 0)
                return -EINVAL;
        fd = (int) syscall(SYS_pidfd_open, pid, O_NONBLOCK);
        if (fd < 0)
                return -errno;
        return child_add(e, ret, pid, fd, true, options, callback, userdata);
}

/* The pid behind a pidfd, from /proc/self/fdinfo. */
static int pidfd_get_pid(int fd, pid_t *ret) {
        _cleanup_free_ char *buf = NULL;
        char path[STRLEN("/proc/self/fdinfo/") + 12];
        const char *p;
        long pid;
        int r;

        snprintf(path, sizeof path, "/proc/self/fdinfo/%i", fd);
        r = read_full_file(path, 64 * 1024, &buf, NULL);
        if (r < 0)
                return r == -ENOENT ? -EBADF : r;
        p = startswith(buf, "Pid:");
        if (!p) {
                p = strstr(buf, "\nPid:");
                if (!p)
                        return -EINVAL; /* not a pidfd */
                p += STRLEN("\nPid:");
        }
        pid = strtol(p, NULL, 10);
        if (pid <= 0)
                return -ESRCH;
        *ret = (pid_t) pid;
        return 0;
}

int event_add_child_pidfd(Event *e, EventSource **ret, int pidfd, int options,
                          EventChildHandler callback, void *userdata) {
        pid_t pid;
        int r;

        r = child_check(e, options);
        if (r < 0)
                return r;
        if (pidfd < 0)
                return -EBADF;
        r = pidfd_get_pid(pidfd, &pid);
        if (r < 0)
                return r;
        return child_add(e, ret, pid, pidfd, false, options, callback, userdata);
}

static int plain_add(Event *e, EventSource **ret, SourceType type, EventHandler callback,
                     void *userdata) {
        EventSource *s;
        int r;

        r = source_check_event(e);
        if (r < 0)
                return r;
        if (type == SOURCE_EXIT) {
                if (!callback)
                        return -EINVAL;
                if (prioq_reserve(e->exits, e->n_exits + 1) < 0)
                        return -ENOMEM;
        }

        s = source_new(e, !ret, type);
        if (!s)
                return -ENOMEM;
        s->plain.callback = callback;
        s->userdata = userdata;
        s->pending_seq = ++e->seq;
        switch (type) {
        case SOURCE_DEFER:
                s->pending = true; /* always, while enabled */
                s->enabled = EVENT_ONESHOT;
                break;
        case SOURCE_POST:
                LIST_PREPEND(kind, e->post_sources, s);
                s->enabled = EVENT_ON;
                break;
        default:
                e->n_exits++;
                s->enabled = EVENT_ONESHOT;
                break;
        }
        event_source_sync_queues(s);

        if (ret)
                *ret = s;
        return 0;
}

int event_add_defer(Event *e, EventSource **ret, EventHandler callback, void *userdata) {
        return plain_add(e, ret, SOURCE_DEFER, callback, userdata);
}

int event_add_post(Event *e, EventSource **ret, EventHandler callback, void *userdata) {
        return plain_add(e, ret, SOURCE_POST, callback, userdata);
}

int event_add_exit(Event *e, EventSource **ret, EventHandler callback, void *userdata) {
        return plain_add(e, ret, SOURCE_EXIT, callback, userdata);
}

/* ---- sources: references ------------------------------------------------------------------ */

EventSource *event_source_ref(EventSource *s) {
        if (s) {
                assert(s->n_ref > 0);
                s->n_ref++;
        }
        return s;
}

EventSource *event_source_unref(EventSource *s) {
        if (!s)
                return NULL;
        assert(s->n_ref > 0);
        if (--s->n_ref > 0)
                return NULL;
        if (s->dispatching)
                source_disconnect(s); /* source_dispatch() frees it after the callback */
        else
                source_free(s);
        return NULL;
}

EventSource *event_source_disable_unref(EventSource *s) {
        if (s)
                (void) event_source_set_enabled(s, EVENT_OFF);
        return event_source_unref(s);
}
