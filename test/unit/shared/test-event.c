/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-event.c: the event loop against real kernel objects: sockets, timerfds on three clocks,
 * signals sent to ourselves, forked children that exit, get killed or stop. Each test runs in
 * its own forked process (CK_FORK), so signal masks set here do not leak between tests.
 */

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "event.h"
#include "fd-util.h"
#include "test-helpers.h"

#define INT_TO_PTR(i) ((void *) (intptr_t) (i))
#define MSEC(n) ((usec_t) (n) * USEC_PER_MSEC)

static const clockid_t clocks[] = { CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_BOOTTIME };

/* Everything dispatched, in order, as space-separated tokens. */
static char trace[4096];

static void trace_add(const char *token) {
        size_t n = strlen(trace);

        snprintf(trace + n, sizeof trace - n, "%s%s", n > 0 ? " " : "", token);
}

static Event *new_event(void) {
        Event *e = NULL;

        trace[0] = 0;
        ck_assert_int_eq(event_new(&e), 0);
        ck_assert_ptr_nonnull(e);
        return e;
}

/* A floating timer that ends a runaway loop with -ETIMEDOUT (via the NULL callback). */
static void add_deadline(Event *e, usec_t usec) {
        ck_assert_int_eq(event_add_time_relative(e, NULL, CLOCK_MONOTONIC, usec, 1, NULL,
                                                 INT_TO_PTR(-ETIMEDOUT)),
                         0);
}

static void make_socketpair(int fds[2]) {
        ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, fds),
                         0);
}

static void block_signal(int sig) {
        sigset_t ss;

        sigemptyset(&ss);
        sigaddset(&ss, sig);
        ck_assert_int_eq(sigprocmask(SIG_BLOCK, &ss, NULL), 0);
}

static int trace_handler(EventSource *s, void *userdata) {
        trace_add(userdata);
        return 0;
}

/* ---- io ----------------------------------------------------------------------------------- */

typedef struct IoSeen {
        int calls;
        int fd;
        uint32_t revents;
} IoSeen;

static int io_record(EventSource *s, int fd, uint32_t revents, void *userdata) {
        IoSeen *seen = userdata;
        uint32_t r = 0;

        seen->calls++;
        seen->fd = fd;
        seen->revents = revents;
        ck_assert_int_eq(event_source_get_io_revents(s, &r), -ENODATA); /* no longer pending */
        return 0;
}

START_TEST(test_io_readiness) {
        _cleanup_(event_source_unrefp) EventSource *s = NULL;
        _cleanup_close_ int a = -1, b = -1, c = -1, d = -1;
        Event *e = new_event();
        IoSeen seen = {};
        int fds[2];
        char buf[8];

        make_socketpair(fds);
        a = fds[0], b = fds[1];
        ck_assert_int_eq(event_add_io(e, &s, a, EPOLLIN, io_record, &seen), 0);
        ck_assert_int_eq(event_source_get_io_fd(s), a);
        ck_assert_int_eq(event_add_io(e, NULL, a, EPOLLIN, io_record, &seen), -EEXIST);

        /* nothing to read: an iteration with timeout 0 dispatches nothing */
        ck_assert_int_eq(event_run(e, 0), 0);
        ck_assert_int_eq(seen.calls, 0);

        ck_assert_int_eq(write(b, "x", 1), 1);
        ck_assert_int_eq(event_run(e, USEC_PER_SEC), 1);
        ck_assert_int_eq(seen.calls, 1);
        ck_assert_int_eq(seen.fd, a);
        ck_assert_uint_eq(seen.revents, EPOLLIN);
        ck_assert_int_eq(read(a, buf, sizeof buf), 1);
        ck_assert_int_eq(event_run(e, 0), 0);

        /* switch to EPOLLOUT: a fresh socket is writable at once */
        ck_assert_int_eq(event_source_set_io_events(s, EPOLLOUT), 0);
        ck_assert_int_eq(event_run(e, USEC_PER_SEC), 1);
        ck_assert_uint_eq(seen.revents, EPOLLOUT);

        /* move the source to another socket */
        make_socketpair(fds);
        c = fds[0], d = fds[1];
        ck_assert_int_eq(event_source_set_io_events(s, EPOLLIN), 0);
        ck_assert_int_eq(event_source_set_io_fd(s, c), 0);
        ck_assert_int_eq(write(b, "y", 1), 1); /* the old fd no longer counts */
        ck_assert_int_eq(event_run(e, 0), 0);
        ck_assert_int_eq(write(d, "z", 1), 1);
        ck_assert_int_eq(event_run(e, USEC_PER_SEC), 1);
        ck_assert_int_eq(seen.fd, c);
        ck_assert_int_eq(seen.calls, 3);

        /* the peer hangs up */
        ck_assert_int_eq(read(c, buf, sizeof buf), 1);
        d = safe_close(d);
        ck_assert_int_eq(event_run(e, USEC_PER_SEC), 1);
        ck_assert(seen.revents & EPOLLHUP);

        s = event_source_unref(s);
        event_unref(e);
}
END_TEST

START_TEST(test_io_enable_states) {
        _cleanup_(event_source_unrefp) EventSource *s = NULL;
        _cleanup_close_ int a = -1, b = -1;
        Event *e = new_event();
        EventEnabled m;
        IoSeen seen = {};
        int fds[2];

        make_socketpair(fds);
        a = fds[0], b = fds[1];
        ck_assert_int_eq(write(b, "x", 1), 1); /* stays unread: the fd stays readable */
        ck_assert_int_eq(event_add_io(e, &s, a, EPOLLIN, io_record, &seen), 0);
        ck_assert_int_eq(event_source_get_enabled(s, &m), 1);
        ck_assert_int_eq(m, EVENT_ON);

        /* ON: fires on every iteration while readable */
        ck_assert_int_eq(event_run(e, 0), 1);
        ck_assert_int_eq(event_run(e, 0), 1);
        ck_assert_int_eq(seen.calls, 2);

        /* OFF: never */
        ck_assert_int_eq(event_source_set_enabled(s, EVENT_OFF), 0);
        ck_assert_int_eq(event_run(e, MSEC(5)), 0);
        ck_assert_int_eq(seen.calls, 2);

        /* ONESHOT: once, then OFF */
        ck_assert_int_eq(event_source_set_enabled(s, EVENT_ONESHOT), 0);
        ck_assert_int_eq(event_run(e, 0), 1);
        ck_assert_int_eq(event_run(e, MSEC(5)), 0);
        ck_assert_int_eq(seen.calls, 3);
        ck_assert_int_eq(event_source_get_enabled(s, &m), 0);
        ck_assert_int_eq(m, EVENT_OFF);

        ck_assert_int_eq(event_source_set_enabled(s, EVENT_ON), 0);
        ck_assert_int_eq(event_run(e, 0), 1);
        ck_assert_int_eq(seen.calls, 4);
        ck_assert_int_eq(event_source_set_enabled(s, (EventEnabled) 7), -EINVAL);

        s = event_source_unref(s);
        event_unref(e);
}
END_TEST

START_TEST(test_nested_in_poll) {
        _cleanup_close_ int a = -1, b = -1;
        Event *e = new_event();
        struct pollfd p = { .fd = event_get_fd(e), .events = POLLIN };
        IoSeen seen = {};
        int fds[2];

        make_socketpair(fds);
        a = fds[0], b = fds[1];
        ck_assert_int_eq(event_add_io(e, NULL, a, EPOLLIN, io_record, &seen), 0);
        ck_assert_int_eq(poll(&p, 1, 0), 0);
        ck_assert_int_eq(write(b, "x", 1), 1);
        ck_assert_int_eq(poll(&p, 1, 1000), 1);
        ck_assert(p.revents & POLLIN);
        ck_assert_int_eq(event_run(e, 0), 1);
        ck_assert_int_eq(seen.calls, 1);
        event_unref(e);
}
END_TEST

/* ---- priorities and fairness -------------------------------------------------------------- */

START_TEST(test_priority_order) {
        _cleanup_close_ int a = -1, b = -1;
        Event *e = new_event();
        EventSource *s[5];
        const char *names[] = { "p10", "m5", "z1", "z2", "io-m10" };
        const int64_t prios[] = { 10, -5, 0, 0, -10 };
        IoSeen seen = {};
        int fds[2];
        int64_t p;

        make_socketpair(fds);
        a = fds[0], b = fds[1];
        for (size_t i = 0; i < 4; i++)
                ck_assert_int_eq(event_add_defer(e, &s[i], trace_handler, (void *) names[i]), 0);
        ck_assert_int_eq(event_add_io(e, &s[4], a, EPOLLIN, NULL, NULL), -EINVAL);
        ck_assert_int_eq(event_add_io(e, &s[4], a, EPOLLIN, io_record, &seen), 0);
        ck_assert_int_eq(event_source_set_enabled(s[4], EVENT_ONESHOT), 0);
        ck_assert_int_eq(event_source_set_description(s[4], names[4]), 0);
        for (size_t i = 0; i < 5; i++)
                ck_assert_int_eq(event_source_set_priority(s[i], prios[i]), 0);
        ck_assert_int_eq(event_source_get_priority(s[1], &p), 0);
        ck_assert_int_eq(p, -5);

        ck_assert_int_eq(write(b, "x", 1), 1);
        for (int i = 0; i < 5; i++) {
                ck_assert_int_eq(event_run(e, 0), 1);
                if (i == 0) {
                        /* the io source (priority -10) came first */
                        ck_assert_str_eq(trace, "");
                        ck_assert_int_eq(seen.calls, 1);
                        ck_assert_int_eq(event_source_get_enabled(s[4], NULL), 0);
                }
        }
        ck_assert_str_eq(trace, "m5 z1 z2 p10");
        ck_assert_int_eq(event_run(e, 0), 0);

        for (size_t i = 0; i < 5; i++)
                event_source_unref(s[i]);
        event_unref(e);
}
END_TEST

START_TEST(test_fair_within_priority) {
        Event *e = new_event();
        EventSource *x, *y, *z;

        ck_assert_int_eq(event_add_defer(e, &x, trace_handler, "x"), 0);
        ck_assert_int_eq(event_add_defer(e, &y, trace_handler, "y"), 0);
        ck_assert_int_eq(event_add_defer(e, &z, trace_handler, "z"), 0);
        ck_assert_int_eq(event_source_set_enabled(x, EVENT_ON), 0);
        ck_assert_int_eq(event_source_set_enabled(y, EVENT_ON), 0);
        ck_assert_int_eq(event_source_set_priority(z, 1), 0);
        ck_assert_int_eq(event_source_set_enabled(z, EVENT_ON), 0);
        for (int i = 0; i < 6; i++)
                ck_assert_int_eq(event_run(e, 0), 1);
        /* two ON defer sources of one priority take turns and starve the lower priority */
        ck_assert_str_eq(trace, "x y x y x y");
        ck_assert_int_eq(event_source_get_pending(z), 1);

        ck_assert_int_eq(event_source_set_enabled(x, EVENT_OFF), 0);
        ck_assert_int_eq(event_source_set_enabled(y, EVENT_OFF), 0);
        ck_assert_int_eq(event_run(e, 0), 1);
        ck_assert_str_eq(trace, "x y x y x y z");

        event_source_unref(x);
        event_source_unref(y);
        event_source_unref(z);
        event_unref(e);
}
END_TEST

/* ---- timers ------------------------------------------------------------------------------- */

typedef struct TimerLog {
        Event *e;
        int n;
        int stop_after;
        usec_t when[1024];
        const char *name[1024];
} TimerLog;

static int timer_record(EventSource *s, usec_t usec, void *userdata) {
        TimerLog *l = userdata;
        clockid_t clock;
        usec_t t;

        ck_assert_int_eq(event_source_get_time_clock(s, &clock), 0);
        ck_assert_int_eq(event_now(l->e, clock, &t), 0);
        ck_assert_uint_ge(t, usec); /* never early */
        ck_assert_int_lt(l->n, 1024);
        l->when[l->n] = usec;
        l->name[l->n] = event_source_get_description(s);
        if (++l->n == l->stop_after)
                ck_assert_int_eq(event_exit(l->e, 0), 0);
        return 0;
}

START_TEST(test_timers_three_clocks) {
        static const char *const names[] = { "monotonic", "realtime", "boottime" };
        static TimerLog l;
        Event *e = new_event();
        usec_t set[3], start;

        l = (TimerLog) { .e = e, .stop_after = 3 };
        add_deadline(e, 2 * USEC_PER_SEC);
        /* due 10, 25 and 40 ms from one instant (read the three clocks again if we got
         * preempted in between, which would skew them against each other) */
        do {
                start = now(CLOCK_MONOTONIC);
                for (int i = 0; i < 3; i++)
                        set[i] = now(clocks[i]) + MSEC(10 + 15 * i);
        } while (now(CLOCK_MONOTONIC) - start > MSEC(2));
        /* added in reverse */
        for (int i = 2; i >= 0; i--) {
                EventSource *s;
                usec_t t, acc;

                ck_assert_int_eq(event_add_time(e, &s, clocks[i], set[i], 1, timer_record, &l), 0);
                ck_assert_int_eq(event_source_set_description(s, names[i]), 0);
                ck_assert_int_eq(event_source_get_time(s, &t), 0);
                ck_assert_uint_eq(t, set[i]);
                ck_assert_int_eq(event_source_get_time_accuracy(s, &acc), 0);
                ck_assert_uint_eq(acc, 1);
                ck_assert_int_eq(event_source_set_floating(s, true), 1);
                event_source_unref(s); /* the loop keeps it */
        }
        ck_assert_int_eq(event_add_time(e, NULL, CLOCK_PROCESS_CPUTIME_ID, 0, 0, timer_record, &l),
                         -EOPNOTSUPP);

        ck_assert_int_eq(event_loop(e), 0);
        ck_assert_int_eq(l.n, 3);
        for (int i = 0; i < 3; i++) {
                ck_assert_str_eq(l.name[i], names[i]);
                ck_assert_uint_eq(l.when[i], set[i]);
        }
        event_unref(e);
}
END_TEST

START_TEST(test_timers_deadline_order) {
        static const int offsets[] = { 9, 3, 12, 1, 6, 6 };
        static TimerLog l;
        Event *e = new_event();
        usec_t base = now(CLOCK_MONOTONIC);

        l = (TimerLog) { .e = e, .stop_after = ELEMENTSOF(offsets) };
        add_deadline(e, 2 * USEC_PER_SEC);
        for (size_t i = 0; i < ELEMENTSOF(offsets); i++)
                ck_assert_int_eq(event_add_time(e, NULL, CLOCK_MONOTONIC, base + MSEC(offsets[i]),
                                                1, timer_record, &l),
                                 0);
        /* one in the past fires at once */
        ck_assert_int_eq(event_add_time(e, NULL, CLOCK_MONOTONIC, 0, 1, timer_record, &l), 0);
        l.stop_after++;

        ck_assert_int_eq(event_loop(e), 0);
        ck_assert_uint_eq(l.when[0], 0);
        for (int i = 1; i < l.n; i++)
                ck_assert_uint_le(l.when[i - 1], l.when[i]);
        event_unref(e);
}
END_TEST

typedef struct Rearm {
        int fired;
        usec_t first;
} Rearm;

static int timer_rearm(EventSource *s, usec_t usec, void *userdata) {
        Rearm *r = userdata;
        EventEnabled m;

        /* a one-shot timer is already off when its callback runs */
        ck_assert_int_eq(event_source_get_enabled(s, &m), 0);
        ck_assert_int_eq(m, EVENT_OFF);
        if (r->fired++ == 0)
                r->first = usec;
        if (r->fired < 3) {
                ck_assert_int_eq(event_source_set_time(s, usec + MSEC(2)), 0);
                ck_assert_int_eq(event_source_set_enabled(s, EVENT_ONESHOT), 0);
        }
        return 0;
}

START_TEST(test_timer_rearm) {
        _cleanup_(event_source_unrefp) EventSource *s = NULL;
        Event *e = new_event();
        Rearm r = {};
        usec_t t;

        ck_assert_int_eq(
                event_add_time_relative(e, &s, CLOCK_BOOTTIME, MSEC(2), 1, timer_rearm, &r), 0);
        for (int i = 0; i < 50 && r.fired < 3; i++)
                ck_assert_int_ge(event_run(e, MSEC(100)), 0);
        ck_assert_int_eq(r.fired, 3);
        ck_assert_int_eq(event_source_get_time(s, &t), 0);
        ck_assert_uint_eq(t, r.first + MSEC(4));

        /* after the third shot it stays off */
        ck_assert_int_eq(event_run(e, MSEC(10)), 0);
        ck_assert_int_eq(r.fired, 3);

        /* a new time alone does not enable it; enabling does */
        ck_assert_int_eq(event_source_set_time_relative(s, MSEC(1)), 0);
        ck_assert_int_eq(event_run(e, MSEC(10)), 0);
        ck_assert_int_eq(event_source_set_enabled(s, EVENT_ONESHOT), 0);
        ck_assert_int_eq(event_run(e, MSEC(100)), 1);
        ck_assert_int_eq(r.fired, 4);

        /* a time far away does not fire; moving it closer does */
        ck_assert_int_eq(event_source_set_time_relative(s, 3600 * USEC_PER_SEC), 0);
        ck_assert_int_eq(event_source_set_enabled(s, EVENT_ONESHOT), 0);
        ck_assert_int_eq(event_run(e, MSEC(10)), 0);
        ck_assert_int_eq(event_source_set_time_relative(s, MSEC(1)), 0);
        ck_assert_int_eq(event_run(e, MSEC(100)), 1);
        ck_assert_int_eq(r.fired, 5);

        s = event_source_unref(s);
        event_unref(e);
}
END_TEST

START_TEST(test_timer_accuracy) {
        static TimerLog l;
        Event *e = new_event();
        usec_t base = now(CLOCK_MONOTONIC), t;
        EventSource *s;

        l = (TimerLog) { .e = e, .stop_after = 2 };
        add_deadline(e, 2 * USEC_PER_SEC);
        /* 5 ms with 100 ms of slack (it may wait for a coalescing point), 15 ms exact (and so
         * it decides when the timerfd fires) */
        ck_assert_int_eq(event_add_time(e, &s, CLOCK_MONOTONIC, base + MSEC(5), MSEC(100),
                                        timer_record, &l), 0);
        ck_assert_int_eq(event_source_set_floating(s, true), 1);
        event_source_unref(s);
        ck_assert_int_eq(
                event_add_time(e, &s, CLOCK_MONOTONIC, base + MSEC(15), 0, timer_record, &l), 0);
        ck_assert_int_eq(event_source_get_time_accuracy(s, &t), 0);
        ck_assert_uint_eq(t, MSEC(250)); /* 0 means the default */
        ck_assert_int_eq(event_source_set_time_accuracy(s, 1), 0);
        ck_assert_int_eq(event_source_set_floating(s, true), 1);
        event_source_unref(s);

        ck_assert_int_eq(event_loop(e), 0);
        ck_assert_int_eq(l.n, 2); /* both fired, neither early (timer_record checks) */
        ck_assert_int_eq(event_now(e, CLOCK_MONOTONIC, &t), 0);
        ck_assert_uint_ge(t, base + MSEC(15));
        event_unref(e);
}
END_TEST

START_TEST(test_event_now) {
        Event *e = new_event();
        usec_t a, b, before;

        before = now(CLOCK_REALTIME);
        ck_assert_int_eq(event_now(e, CLOCK_REALTIME, &a), 1); /* no iteration yet */
        ck_assert_uint_ge(a, before);
        ck_assert_int_eq(event_run(e, 0), 0);
        ck_assert_int_eq(event_now(e, CLOCK_REALTIME, &a), 0);
        usleep(2000);
        ck_assert_int_eq(event_now(e, CLOCK_REALTIME, &b), 0);
        ck_assert_uint_eq(a, b); /* cached for the iteration */
        ck_assert_int_eq(event_run(e, 0), 0);
        ck_assert_int_eq(event_now(e, CLOCK_REALTIME, &b), 0);
        ck_assert_uint_ge(b, a + MSEC(2));
        ck_assert_int_eq(event_now(e, CLOCK_BOOTTIME, &b), 0);
        ck_assert_int_eq(event_now(e, CLOCK_MONOTONIC, &b), 0);
        ck_assert_int_eq(event_now(e, CLOCK_TAI, &b), -EOPNOTSUPP);
        event_unref(e);
}
END_TEST

START_TEST(test_1000_timers) {
        static TimerLog l;
        Event *e = new_event();
        usec_t base = now(CLOCK_MONOTONIC);

        l = (TimerLog) { .e = e, .stop_after = 1000 };
        add_deadline(e, 3 * USEC_PER_SEC);
        srand(4711);
        for (int i = 0; i < 1000; i++) {
                usec_t t = base + (usec_t) (rand() % 20000);

                ck_assert_int_eq(event_add_time(e, NULL, CLOCK_MONOTONIC, t, 1, timer_record, &l),
                                 0);
        }
        ck_assert_int_eq(event_loop(e), 0);
        ck_assert_int_eq(l.n, 1000);
        for (int i = 1; i < 1000; i++)
                ck_assert_uint_le(l.when[i - 1], l.when[i]);
        event_unref(e); /* frees the 1000 floating sources */
}
END_TEST

/* ---- signals ------------------------------------------------------------------------------ */

typedef struct SigLog {
        int n;
        struct signalfd_siginfo si[4];
} SigLog;

static int signal_record(EventSource *s, const struct signalfd_siginfo *si, void *userdata) {
        SigLog *l = userdata;

        ck_assert_int_lt(l->n, 4);
        l->si[l->n++] = *si;
        return 0;
}

START_TEST(test_signal) {
        _cleanup_(event_source_unrefp) EventSource *s = NULL, *rt = NULL;
        Event *e = new_event();
        SigLog l = {};

        /* the caller must block the signal first */
        ck_assert_int_eq(event_add_signal(e, NULL, SIGUSR2, signal_record, &l), -EBUSY);
        ck_assert_int_eq(event_add_signal(e, NULL, SIGKILL, signal_record, &l), -EINVAL);
        block_signal(SIGUSR1);
        ck_assert_int_eq(event_add_signal(e, &s, SIGUSR1, signal_record, &l), 0);
        ck_assert_int_eq(event_add_signal(e, NULL, SIGUSR1, signal_record, &l), -EBUSY);
        ck_assert_int_eq(event_source_get_signal(s), SIGUSR1);

        ck_assert_int_eq(event_run(e, 0), 0);
        ck_assert_int_eq(kill(getpid(), SIGUSR1), 0);
        ck_assert_int_eq(event_run(e, USEC_PER_SEC), 1);
        ck_assert_int_eq(l.n, 1);
        ck_assert_uint_eq(l.si[0].ssi_signo, SIGUSR1);
        ck_assert_int_eq((int) l.si[0].ssi_pid, getpid());
        ck_assert_uint_eq(l.si[0].ssi_uid, getuid());
        ck_assert_int_eq(event_run(e, 0), 0);

        /* queued realtime signals: one dispatch each, in order, with their values */
        block_signal(SIGRTMIN);
        ck_assert_int_eq(event_add_signal(e, &rt, SIGRTMIN, signal_record, &l), 0);
        ck_assert_int_eq(sigqueue(getpid(), SIGRTMIN, (union sigval) { .sival_int = 11 }), 0);
        ck_assert_int_eq(sigqueue(getpid(), SIGRTMIN, (union sigval) { .sival_int = 22 }), 0);
        ck_assert_int_eq(event_run(e, USEC_PER_SEC), 1);
        ck_assert_int_eq(event_run(e, USEC_PER_SEC), 1);
        ck_assert_int_eq(event_run(e, 0), 0);
        ck_assert_int_eq(l.n, 3);
        ck_assert_int_eq(l.si[1].ssi_int, 11);
        ck_assert_int_eq(l.si[2].ssi_int, 22);

        /* a disabled source leaves the signal pending in the process */
        ck_assert_int_eq(event_source_set_enabled(s, EVENT_OFF), 0);
        ck_assert_int_eq(kill(getpid(), SIGUSR1), 0);
        ck_assert_int_eq(event_run(e, MSEC(5)), 0);
        ck_assert_int_eq(event_source_set_enabled(s, EVENT_ON), 0);
        ck_assert_int_eq(event_run(e, USEC_PER_SEC), 1);
        ck_assert_int_eq(l.n, 4);

        s = event_source_unref(s);
        rt = event_source_unref(rt);
        event_unref(e);
}
END_TEST

static int signal_trace(EventSource *s, const struct signalfd_siginfo *si, void *userdata) {
        trace_add(userdata);
        return 0;
}

START_TEST(test_signal_priorities) {
        _cleanup_(event_source_unrefp) EventSource *low = NULL, *high = NULL, *busy = NULL;
        Event *e = new_event();

        block_signal(SIGUSR1);
        block_signal(SIGUSR2);
        ck_assert_int_eq(event_add_signal(e, &low, SIGUSR1, signal_trace, "low"), 0);
        ck_assert_int_eq(event_add_signal(e, &high, SIGUSR2, signal_trace, "high"), 0);
        ck_assert_int_eq(event_source_set_priority(low, 10), 0);
        ck_assert_int_eq(event_source_set_priority(high, -10), 0);
        ck_assert_int_eq(event_add_defer(e, &busy, trace_handler, "busy"), 0);
        ck_assert_int_eq(event_source_set_enabled(busy, EVENT_ON), 0);

        /* the low-priority signal waits behind the busy defer source ... */
        ck_assert_int_eq(kill(getpid(), SIGUSR1), 0);
        ck_assert_int_eq(event_run(e, 0), 1);
        ck_assert_int_eq(event_source_get_pending(low), 1);
        /* ... which does not keep a high-priority signal from being read and run first */
        ck_assert_int_eq(kill(getpid(), SIGUSR2), 0);
        ck_assert_int_eq(event_run(e, 0), 1);
        ck_assert_int_eq(event_source_set_enabled(busy, EVENT_OFF), 0);
        ck_assert_int_eq(event_run(e, 0), 1);
        ck_assert_int_eq(event_run(e, 0), 0);
        ck_assert_str_eq(trace, "busy high low");

        low = event_source_unref(low);
        high = event_source_unref(high);
        busy = event_source_unref(busy);
        event_unref(e);
}
END_TEST

START_TEST(test_signal_null_callback_exits) {
        Event *e = new_event();

        block_signal(SIGTERM);
        ck_assert_int_eq(event_add_signal(e, NULL, SIGTERM, NULL, INT_TO_PTR(5)), 0);
        add_deadline(e, 2 * USEC_PER_SEC);
        ck_assert_int_eq(kill(getpid(), SIGTERM), 0);
        ck_assert_int_eq(event_loop(e), 5);
        event_unref(e);
}
END_TEST

/* ---- children ----------------------------------------------------------------------------- */

typedef struct ChildLog {
        Event *e;
        int n;
        siginfo_t si[4];
        bool zombie_in_callback;
} ChildLog;

static pid_t fork_child(int exit_status, bool wait_forever, bool stop_first) {
        pid_t pid = fork();

        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                if (stop_first)
                        raise(SIGSTOP);
                while (wait_forever)
                        pause();
                _exit(exit_status);
        }
        return pid;
}

static int child_record(EventSource *s, const siginfo_t *si, void *userdata) {
        ChildLog *l = userdata;
        siginfo_t peek = {};

        ck_assert_int_lt(l->n, 4);
        l->si[l->n++] = *si;
        if (IN_SET(si->si_code, CLD_EXITED, CLD_KILLED, CLD_DUMPED)) {
                /* not reaped yet while the callback runs */
                ck_assert_int_eq(waitid(P_PID, (id_t) si->si_pid, &peek,
                                        WEXITED | WNOHANG | WNOWAIT),
                                 0);
                l->zombie_in_callback = peek.si_pid == si->si_pid;
                ck_assert_int_eq(event_exit(l->e, 0), 0);
        }
        return 0;
}

START_TEST(test_child_exit_status) {
        _cleanup_(event_source_unrefp) EventSource *s = NULL;
        Event *e = new_event();
        ChildLog l = { .e = e };
        pid_t pid = fork_child(7, false, false), got;

        ck_assert_int_eq(event_add_child(e, &s, pid, WEXITED, child_record, &l), 0);
        ck_assert_int_eq(event_add_child(e, NULL, pid, WEXITED, child_record, &l), -EBUSY);
        ck_assert_int_eq(event_add_child(e, NULL, pid, 0, child_record, &l), -EINVAL);
        ck_assert_int_eq(event_source_get_child_pid(s, &got), 0);
        ck_assert_int_eq(got, pid);
        ck_assert_int_ge(event_source_get_child_pidfd(s), 0);
        add_deadline(e, 2 * USEC_PER_SEC);

        ck_assert_int_eq(event_loop(e), 0);
        ck_assert_int_eq(l.n, 1);
        ck_assert_int_eq(l.si[0].si_signo, SIGCHLD);
        ck_assert_int_eq(l.si[0].si_pid, pid);
        ck_assert_int_eq(l.si[0].si_code, CLD_EXITED);
        ck_assert_int_eq(l.si[0].si_status, 7);
        ck_assert(l.zombie_in_callback);
        /* reaped after the callback, and the source cannot be revived */
        ck_assert_int_eq(waitpid(pid, NULL, WNOHANG), -1);
        ck_assert_int_eq(errno, ECHILD);
        ck_assert_int_eq(event_source_get_enabled(s, NULL), 0);
        ck_assert_int_eq(event_source_send_child_signal(s, SIGTERM), -ESRCH);

        s = event_source_unref(s);
        event_unref(e);
}
END_TEST

START_TEST(test_child_killed) {
        _cleanup_(event_source_unrefp) EventSource *s = NULL;
        Event *e = new_event();
        ChildLog l = { .e = e };
        pid_t pid = fork_child(0, true, false);

        ck_assert_int_eq(event_add_child(e, &s, pid, WEXITED, child_record, &l), 0);
        ck_assert_int_eq(event_run(e, MSEC(5)), 0); /* still running */
        ck_assert_int_eq(event_source_send_child_signal(s, SIGKILL), 0);
        add_deadline(e, 2 * USEC_PER_SEC);
        ck_assert_int_eq(event_loop(e), 0);
        ck_assert_int_eq(l.n, 1);
        ck_assert_int_eq(l.si[0].si_pid, pid);
        ck_assert_int_eq(l.si[0].si_code, CLD_KILLED);
        ck_assert_int_eq(l.si[0].si_status, SIGKILL);
        ck_assert_int_eq(event_source_set_enabled(s, EVENT_ON), -ESTALE);

        s = event_source_unref(s);
        event_unref(e);
}
END_TEST

START_TEST(test_child_others_not_reaped) {
        _cleanup_(event_source_unrefp) EventSource *s = NULL;
        Event *e = new_event();
        ChildLog l = { .e = e };
        pid_t foreign = fork_child(3, false, false), mine;
        siginfo_t si = {};
        int status = 0;

        /* let the foreign child become a zombie first */
        ck_assert_int_eq(waitid(P_PID, (id_t) foreign, &si, WEXITED | WNOWAIT), 0);
        mine = fork_child(5, false, false);
        ck_assert_int_eq(event_add_child(e, &s, mine, WEXITED, child_record, &l), 0);
        ck_assert_int_eq(event_add_child(e, NULL, getppid(), WEXITED, child_record, &l), -ECHILD);
        add_deadline(e, 2 * USEC_PER_SEC);
        ck_assert_int_eq(event_loop(e), 0);
        ck_assert_int_eq(l.si[0].si_status, 5);

        /* the loop left the child it did not watch alone */
        ck_assert_int_eq(waitpid(foreign, &status, WNOHANG), foreign);
        ck_assert(WIFEXITED(status));
        ck_assert_int_eq(WEXITSTATUS(status), 3);

        s = event_source_unref(s);
        event_unref(e);
}
END_TEST

static int child_stop_cont(EventSource *s, const siginfo_t *si, void *userdata) {
        ChildLog *l = userdata;

        ck_assert_int_eq(child_record(s, si, l), 0);
        if (si->si_code == CLD_STOPPED)
                ck_assert_int_eq(event_source_send_child_signal(s, SIGCONT), 0);
        else if (si->si_code == CLD_CONTINUED)
                ck_assert_int_eq(event_source_send_child_signal(s, SIGKILL), 0);
        return 0;
}

START_TEST(test_child_stop_continue) {
        _cleanup_(event_source_unrefp) EventSource *s = NULL;
        Event *e = new_event();
        ChildLog l = { .e = e };
        pid_t pid;

        ck_assert_int_eq(event_add_child(e, NULL, 1, WEXITED | WSTOPPED, child_record, &l), -EBUSY);
        block_signal(SIGCHLD);
        pid = fork_child(0, true, true);
        ck_assert_int_eq(event_add_child(e, &s, pid, WEXITED | WSTOPPED | WCONTINUED,
                                         child_stop_cont, &l), 0);
        ck_assert_int_eq(event_source_set_enabled(s, EVENT_ON), 0);
        add_deadline(e, 2 * USEC_PER_SEC);
        ck_assert_int_eq(event_loop(e), 0);

        ck_assert_int_eq(l.n, 3);
        ck_assert_int_eq(l.si[0].si_code, CLD_STOPPED);
        ck_assert_int_eq(l.si[0].si_status, SIGSTOP);
        ck_assert_int_eq(l.si[1].si_code, CLD_CONTINUED);
        ck_assert_int_eq(l.si[1].si_status, SIGCONT);
        ck_assert_int_eq(l.si[2].si_code, CLD_KILLED);
        ck_assert_int_eq(l.si[2].si_status, SIGKILL);
        ck_assert_int_eq(waitpid(pid, NULL, WNOHANG), -1);

        s = event_source_unref(s);
        event_unref(e);
}
END_TEST

START_TEST(test_child_pidfd) {
        _cleanup_(event_source_unrefp) EventSource *s = NULL;
        _cleanup_close_ int fd = -1;
        Event *e = new_event();
        ChildLog l = { .e = e };
        pid_t pid = fork_child(9, false, false), got;

        fd = (int) syscall(SYS_pidfd_open, pid, 0);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(event_add_child_pidfd(e, &s, fd, WEXITED, child_record, &l), 0);
        ck_assert_int_eq(event_source_get_child_pidfd(s), fd);
        ck_assert_int_eq(event_source_get_child_pid(s, &got), 0);
        ck_assert_int_eq(got, pid);
        ck_assert_int_eq(event_add_child_pidfd(e, NULL, event_get_fd(e), WEXITED, child_record, &l),
                         -EINVAL); /* not a pidfd */
        add_deadline(e, 2 * USEC_PER_SEC);
        ck_assert_int_eq(event_loop(e), 0);
        ck_assert_int_eq(l.si[0].si_status, 9);
        s = event_source_unref(s);
        ck_assert_int_eq(fcntl(fd, F_GETFD), FD_CLOEXEC); /* borrowed: still open */
        event_unref(e);
}
END_TEST

/* ---- defer, post, exit -------------------------------------------------------------------- */

static int defer_trace_exit(EventSource *s, void *userdata) {
        trace_add("E");
        return event_exit(event_source_get_event(s), 17);
}

static int exit_trace(EventSource *s, void *userdata) {
        int code = 0;

        ck_assert_int_eq(event_get_exit_code(event_source_get_event(s), &code), 0);
        ck_assert_int_eq(code, 17);
        trace_add(userdata);
        return 0;
}

START_TEST(test_defer_post_exit_order) {
        Event *e = new_event();
        EventSource *x1, *x2, *d;
        int code;

        ck_assert_int_eq(event_get_exit_code(e, &code), -ENODATA);
        ck_assert_int_eq(event_add_exit(e, &x1, exit_trace, "X1"), 0);
        ck_assert_int_eq(event_add_exit(e, &x2, exit_trace, "X2"), 0);
        ck_assert_int_eq(event_source_set_priority(x1, 5), 0);
        ck_assert_int_eq(event_source_set_priority(x2, -5), 0);
        ck_assert_int_eq(event_source_get_pending(x1), -EDOM);
        ck_assert_int_eq(event_add_exit(e, NULL, NULL, NULL), -EINVAL);
        ck_assert_int_eq(event_add_post(e, NULL, trace_handler, "P"), 0);
        ck_assert_int_eq(event_add_defer(e, NULL, trace_handler, "D"), 0);
        ck_assert_int_eq(event_add_defer(e, &d, defer_trace_exit, NULL), 0);
        ck_assert_int_eq(event_source_set_priority(d, 1), 0);
        ck_assert_int_eq(event_source_set_floating(d, true), 1);
        event_source_unref(d);

        ck_assert_int_eq(event_loop(e), 17);
        /* D made the post source pending, which ran before E (lower priority); E asked to
         * exit, so the exit sources ran, by priority and once each, instead of P again */
        ck_assert_str_eq(trace, "D P E X2 X1");
        ck_assert_int_eq(event_run(e, 0), -ESTALE);
        ck_assert_int_eq(event_loop(e), -ESTALE);
        ck_assert_int_eq(event_exit(e, 1), -ESTALE);
        ck_assert_int_eq(event_add_defer(e, NULL, trace_handler, "late"), -ESTALE);
        ck_assert_int_eq(event_source_set_enabled(x1, EVENT_ON), -ESTALE);
        ck_assert_int_eq(event_source_set_enabled(x1, EVENT_OFF), 0);
        event_source_unref(x1);
        event_source_unref(x2);
        event_unref(e);
}
END_TEST

static int defer_exit_42(EventSource *s, void *userdata) {
        Event *e = event_source_get_event(s);

        /* no nesting from inside a callback */
        ck_assert_int_eq(event_run(e, 0), -EBUSY);
        ck_assert_int_eq(event_loop(e), -EBUSY);
        ck_assert_int_eq(event_exit(e, 41), 0);
        return event_exit(e, 42); /* the later code wins */
}

START_TEST(test_exit_code) {
        Event *e = new_event();
        int code = 0;

        ck_assert_int_eq(event_add_defer(e, NULL, defer_exit_42, NULL), 0);
        ck_assert_int_eq(event_loop(e), 42);
        ck_assert_int_eq(event_get_exit_code(e, &code), 0);
        ck_assert_int_eq(code, 42);
        event_unref(e);

        /* a timer without a callback exits with its userdata */
        e = new_event();
        ck_assert_int_eq(event_add_time_relative(e, NULL, CLOCK_MONOTONIC, MSEC(1), 1, NULL,
                                                 INT_TO_PTR(7)), 0);
        ck_assert_int_eq(event_loop(e), 7);
        event_unref(e);
}
END_TEST

/* ---- freeing during dispatch -------------------------------------------------------------- */

static int destroyed;

static void count_destroy(void *userdata) {
        destroyed++;
}

typedef struct SelfFree {
        Event *e;
        EventSource *s;
        int fd;
        int peer;
        EventSource *replacement;
        IoSeen seen;
} SelfFree;

static int io_free_self(EventSource *s, int fd, uint32_t revents, void *userdata) {
        SelfFree *f = userdata;

        ck_assert_ptr_eq(s, f->s);
        f->s = event_source_unref(f->s); /* the last reference, from its own callback */
        ck_assert_int_eq(destroyed, 0);  /* memory stays until the callback returns */
        ck_assert_int_eq(event_source_get_io_fd(s), fd);
        /* closing the fd and reusing its number right away is safe: s is already off epoll */
        safe_close(fd);
        ck_assert_int_eq(dup3(f->peer, fd, O_CLOEXEC), fd);
        ck_assert_ptr_null(event_source_get_event(s));
        ck_assert_int_eq(event_add_io(f->e, &f->replacement, fd, EPOLLOUT, io_record, &f->seen), 0);
        return 0;
}

START_TEST(test_free_self_in_callback) {
        Event *e = new_event();
        SelfFree f = { .e = e };
        int fds[2];

        destroyed = 0;
        make_socketpair(fds);
        f.fd = fds[0], f.peer = fds[1];
        ck_assert_int_eq(event_add_io(e, &f.s, f.fd, EPOLLIN, io_free_self, &f), 0);
        ck_assert_int_eq(event_source_set_destroy_callback(f.s, count_destroy), 0);
        ck_assert_int_eq(write(f.peer, "x", 1), 1);
        ck_assert_int_eq(event_run(e, USEC_PER_SEC), 1);
        ck_assert_ptr_null(f.s);
        ck_assert_int_eq(destroyed, 1);
        /* the new source on the reused fd number works */
        ck_assert_int_eq(event_run(e, USEC_PER_SEC), 1);
        ck_assert_int_eq(f.seen.calls, 1);
        ck_assert(f.seen.revents & EPOLLOUT); /* and HUP: the peer of the reused number is gone */
        f.replacement = event_source_unref(f.replacement);
        ck_assert_int_eq(event_run(e, 0), 0);
        safe_close(f.fd);
        safe_close(f.peer);
        event_unref(e);
}
END_TEST

typedef struct FreeOther {
        EventSource *victim;
        EventSource *floating_self;
} FreeOther;

static int defer_free_other(EventSource *s, void *userdata) {
        FreeOther *f = userdata;

        trace_add("killer");
        ck_assert_int_eq(event_source_get_pending(f->victim), 1);
        f->victim = event_source_unref(f->victim);
        ck_assert_int_eq(destroyed, 1); /* not dispatching: freed at once */
        return 0;
}

static int floating_free_self(EventSource *s, void *userdata) {
        trace_add("floater");
        event_source_unref(s); /* drops the loop's reference of a floating source */
        return 0;
}

START_TEST(test_free_other_pending) {
        Event *e = new_event();
        FreeOther f = {};
        EventSource *victim_timer;

        destroyed = 0;
        ck_assert_int_eq(event_add_defer(e, &f.victim, trace_handler, "victim"), 0);
        ck_assert_int_eq(event_source_set_priority(f.victim, 1), 0);
        ck_assert_int_eq(event_source_set_destroy_callback(f.victim, count_destroy), 0);
        ck_assert_int_eq(event_add_defer(e, NULL, defer_free_other, &f), 0);
        ck_assert_int_eq(event_run(e, 0), 1);
        ck_assert_int_eq(event_run(e, 0), 0);
        ck_assert_str_eq(trace, "killer");
        ck_assert_int_eq(destroyed, 1);

        /* a pending (fired) timer freed before its dispatch never runs */
        ck_assert_int_eq(
                event_add_time(e, &victim_timer, CLOCK_MONOTONIC, 0, 1, timer_record, NULL), 0);
        ck_assert_int_eq(event_add_defer(e, &f.victim, trace_handler, "victim2"), 0);
        ck_assert_int_eq(event_source_set_priority(f.victim, -1), 0);
        ck_assert_int_eq(event_run(e, 0), 1);
        ck_assert_int_eq(event_source_get_pending(victim_timer), 1);
        event_source_unref(victim_timer);
        f.victim = event_source_unref(f.victim);
        ck_assert_int_eq(event_run(e, 0), 0);

        /* a floating source that unrefs itself in its callback */
        ck_assert_int_eq(event_add_defer(e, NULL, floating_free_self, NULL), 0);
        ck_assert_int_eq(event_run(e, 0), 1);
        ck_assert_int_eq(event_run(e, 0), 0);
        ck_assert_str_eq(trace, "killer victim2 floater");
        event_unref(e);
}
END_TEST

static int defer_unref_loop(EventSource *s, void *userdata) {
        event_unref(event_source_get_event(s)); /* the caller's only reference */
        trace_add("unref");
        return 0;
}

START_TEST(test_unref_loop_in_callback) {
        _cleanup_close_ int a = -1, b = -1;
        Event *e = new_event();
        IoSeen seen = {};
        int fds[2];

        make_socketpair(fds);
        a = fds[0], b = fds[1];
        ck_assert_int_eq(event_add_defer(e, NULL, defer_unref_loop, NULL), 0);
        ck_assert_int_eq(event_add_post(e, NULL, trace_handler, "post"), 0);
        ck_assert_int_eq(event_add_io(e, NULL, a, EPOLLIN, io_record, &seen), 0);
        /* the iteration keeps the loop alive until it returns; ASan checks the rest */
        ck_assert_int_eq(event_run(e, 0), 1);
        ck_assert_str_eq(trace, "unref");
}
END_TEST

/* ---- errors ------------------------------------------------------------------------------- */

static int defer_fail(EventSource *s, void *userdata) {
        int *calls = userdata;

        (*calls)++;
        return -EIO;
}

START_TEST(test_negative_return_disables) {
        _cleanup_(event_source_unrefp) EventSource *s = NULL;
        Event *e = new_event();
        LogCapture cap;
        EventEnabled m;
        int calls = 0;

        ck_assert_int_eq(event_add_defer(e, &s, defer_fail, &calls), 0);
        ck_assert_int_eq(event_source_set_description(s, "failing-defer"), 0);
        ck_assert_str_eq(event_source_get_description(s), "failing-defer");
        ck_assert_int_eq(event_source_set_enabled(s, EVENT_ON), 0);
        ck_assert_int_eq(event_add_time_relative(e, NULL, CLOCK_MONOTONIC, MSEC(5), 1, NULL,
                                                 INT_TO_PTR(3)), 0);

        log_capture_start(&cap);
        ck_assert_int_eq(event_loop(e), 3); /* the loop went on after the failure */
        log_capture_stop();
        ck_assert_int_eq(calls, 1);
        ck_assert_int_eq(event_source_get_enabled(s, &m), 0);
        ck_assert_int_eq(m, EVENT_OFF);
        ck_assert_log_contains(&cap, "failing-defer");
        ck_assert_log_contains(&cap, "returned error, disabling");
        s = event_source_unref(s);
        event_unref(e);

        /* with exit-on-failure the error ends the loop */
        e = new_event();
        calls = 0;
        ck_assert_int_eq(event_add_defer(e, &s, defer_fail, &calls), 0);
        ck_assert_int_eq(event_source_set_exit_on_failure(s, true), 0);
        ck_assert_int_eq(event_loop(e), -EIO);
        ck_assert_int_eq(calls, 1);
        s = event_source_unref(s);
        event_unref(e);
}
END_TEST

/* ---- resources ---------------------------------------------------------------------------- */

static int count_fds(void) {
        DIR *d = opendir("/proc/self/fd");
        struct dirent *de;
        int n = 0;

        ck_assert_ptr_nonnull(d);
        while ((de = readdir(d)))
                if (de->d_name[0] != '.')
                        n++;
        closedir(d);
        return n;
}

static int sigchld_record(EventSource *s, const struct signalfd_siginfo *si, void *userdata) {
        trace_add("SIGCHLD");
        return 0;
}

START_TEST(test_fds_closed) {
        Event *e;
        EventSource *io, *sig;
        ChildLog l = {};
        IoSeen seen = {};
        int before, fds[2], flags;
        pid_t pid;

        block_signal(SIGCHLD);
        block_signal(SIGUSR1);
        before = count_fds();
        e = new_event();
        l.e = e;
        make_socketpair(fds);
        ck_assert_int_eq(event_add_io(e, &io, fds[0], EPOLLIN, io_record, &seen), 0);
        ck_assert_int_eq(event_source_set_io_fd_own(io, true), 0);
        ck_assert_int_eq(event_add_signal(e, &sig, SIGUSR1, signal_record, NULL), 0);
        /* a SIGCHLD signal source and a child source watching stops share SIGCHLD */
        ck_assert_int_eq(event_add_signal(e, NULL, SIGCHLD, sigchld_record, NULL), 0);
        for (size_t c = 0; c < ELEMENTSOF(clocks); c++) /* never due: just their timerfds */
                ck_assert_int_eq(event_add_time(e, NULL, clocks[c], USEC_INFINITY, 1, NULL, NULL),
                                 0);
        pid = fork_child(4, false, false);
        ck_assert_int_eq(event_add_child(e, NULL, pid, WEXITED | WSTOPPED, child_record, &l), 0);
        add_deadline(e, 2 * USEC_PER_SEC);
        ck_assert_int_eq(event_loop(e), 0);
        ck_assert_int_eq(l.si[0].si_status, 4);

        /* the loop's own fds are all CLOEXEC and non-blocking */
        flags = fcntl(event_source_get_io_fd(io), F_GETFL);
        ck_assert(flags & O_NONBLOCK);
        ck_assert_int_eq(fcntl(event_get_fd(e), F_GETFD), FD_CLOEXEC);

        ck_assert_int_gt(count_fds(), before + 2);
        event_source_unref(event_source_disable_unref(sig));
        io = event_source_unref(io); /* closes fds[0] */
        event_unref(e);
        safe_close(fds[1]);
        ck_assert_int_eq(count_fds(), before);
}
END_TEST

START_TEST(test_fds_flags) {
        _cleanup_(event_source_unrefp) EventSource *s = NULL;
        Event *e = new_event();
        char path[64], link[64];
        DIR *d;
        struct dirent *de;
        int checked = 0;

        block_signal(SIGUSR1);
        ck_assert_int_eq(event_add_signal(e, NULL, SIGUSR1, signal_record, NULL), 0);
        ck_assert_int_eq(event_add_time(e, NULL, CLOCK_MONOTONIC, USEC_INFINITY, 1, NULL, NULL), 0);
        ck_assert_int_eq(event_add_child(e, &s, fork_child(0, false, false), WEXITED, NULL, NULL),
                         0);

        /* every signalfd, timerfd and pidfd of ours: close-on-exec and non-blocking */
        d = opendir("/proc/self/fd");
        ck_assert_ptr_nonnull(d);
        while ((de = readdir(d))) {
                ssize_t n;
                int fd = atoi(de->d_name);

                if (de->d_name[0] == '.' || fd == dirfd(d))
                        continue;
                snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
                n = readlink(path, link, sizeof link - 1);
                if (n < 0)
                        continue;
                link[n] = 0;
                if (!strstr(link, "[signalfd]") && !strstr(link, "[timerfd]") &&
                    !strstr(link, "[pidfd]") && !strstr(link, "pidfd"))
                        continue;
                ck_assert_int_eq(fcntl(fd, F_GETFD), FD_CLOEXEC);
                ck_assert_msg(fcntl(fd, F_GETFL) & O_NONBLOCK, "%s is blocking", link);
                checked++;
        }
        closedir(d);
        ck_assert_int_eq(checked, 3);
        ck_assert_int_eq(event_loop(e), 0); /* the child's NULL callback exits with 0 */
        s = event_source_unref(s);
        event_unref(e);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("event");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_io_readiness);
        tcase_add_test(tc, test_io_enable_states);
        tcase_add_test(tc, test_nested_in_poll);
        tcase_add_test(tc, test_priority_order);
        tcase_add_test(tc, test_fair_within_priority);
        tcase_add_test(tc, test_timers_three_clocks);
        tcase_add_test(tc, test_timers_deadline_order);
        tcase_add_test(tc, test_timer_rearm);
        tcase_add_test(tc, test_timer_accuracy);
        tcase_add_test(tc, test_event_now);
        tcase_add_test(tc, test_1000_timers);
        tcase_add_test(tc, test_signal);
        tcase_add_test(tc, test_signal_priorities);
        tcase_add_test(tc, test_signal_null_callback_exits);
        tcase_add_test(tc, test_child_exit_status);
        tcase_add_test(tc, test_child_killed);
        tcase_add_test(tc, test_child_others_not_reaped);
        tcase_add_test(tc, test_child_stop_continue);
        tcase_add_test(tc, test_child_pidfd);
        tcase_add_test(tc, test_defer_post_exit_order);
        tcase_add_test(tc, test_exit_code);
        tcase_add_test(tc, test_free_self_in_callback);
        tcase_add_test(tc, test_free_other_pending);
        tcase_add_test(tc, test_unref_loop_in_callback);
        tcase_add_test(tc, test_negative_return_disables);
        tcase_add_test(tc, test_fds_closed);
        tcase_add_test(tc, test_fds_flags);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
