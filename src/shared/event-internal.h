/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * event-internal.h: what the two halves of the event loop share, and nothing outside
 * src/shared/event*.c includes. event.c is the loop itself (queues, kernel registrations,
 * dispatch, adding sources, source lifetime); event-source.c is the event_source_* accessors,
 * which change a source's fields and then call back into event.c to bring the loop in line.
 *
 * Invariant for both files: after any change to a source's enabled, pending, priority or time
 * fields, event_source_sync() (kernel side and queues) or event_source_sync_queues() (queues
 * only) runs before control returns to the caller.
 */

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "hashmap.h"
#include "prioq.h"

#define DEFAULT_ACCURACY_USEC (250 * USEC_PER_MSEC)
#define IO_EVENTS_ALLOWED \
        (EPOLLIN | EPOLLOUT | EPOLLPRI | EPOLLRDHUP | EPOLLERR | EPOLLHUP | EPOLLET)

typedef enum SourceType {
        SOURCE_IO,
        SOURCE_TIME,
        SOURCE_SIGNAL,
        SOURCE_CHILD,
        SOURCE_DEFER,
        SOURCE_POST,
        SOURCE_EXIT,
        _SOURCE_TYPE_MAX,
} SourceType;

typedef enum WakeupKind {
        WAKEUP_SOURCE,
        WAKEUP_CLOCK,
        WAKEUP_SIGNAL,
} WakeupKind;

typedef enum EventState {
        EVENT_STATE_INITIAL,
        EVENT_STATE_RUNNING,
        EVENT_STATE_FINISHED,
} EventState;

enum {
        CLOCK_INDEX_MONOTONIC,
        CLOCK_INDEX_REALTIME,
        CLOCK_INDEX_BOOTTIME,
        _CLOCK_INDEX_MAX,
};

typedef struct ClockData {
        WakeupKind wakeup; /* first: epoll data points here */
        clockid_t id;
        int fd;            /* timerfd, -1 until the first timer of this clock */
        usec_t armed;      /* programmed expiry, USEC_INFINITY when disarmed */
        size_t n_timers;
        Prioq *earliest, *latest;
} ClockData;

typedef struct SignalData {
        WakeupKind wakeup; /* first: epoll data points here */
        int fd;
        sigset_t mask;
        EventSource *sources[_NSIG];
} SignalData;

struct EventSource {
        WakeupKind wakeup; /* first: epoll data of io fds and pidfds points here */
        unsigned n_ref;
        Event *event; /* NULL once disconnected */
        SourceType type;
        EventEnabled enabled;
        bool pending, floating, dispatching, exit_on_failure;
        int64_t priority;
        uint64_t pending_seq; /* order within a priority */
        size_t pending_idx;   /* in Event.pending, or Event.exits for exit sources */
        void *userdata;
        char *description;
        EventDestroyHandler destroy;
        EventSource *all_prev, *all_next;
        EventSource *kind_prev, *kind_next; /* post sources; children watched for stops */
        union {
                struct {
                        EventIoHandler callback;
                        int fd;
                        uint32_t events, revents;
                        bool registered, owned;
                } io;
                struct {
                        EventTimeHandler callback;
                        usec_t next, accuracy;
                        unsigned clock;
                        size_t earliest_idx, latest_idx;
                } time;
                struct {
                        EventSignalHandler callback;
                        int sig;
                        struct signalfd_siginfo siginfo;
                } signal;
                struct {
                        EventChildHandler callback;
                        pid_t pid;
                        int pidfd;
                        int options;
                        siginfo_t siginfo;
                        bool registered; /* pidfd in epoll */
                        bool counted;    /* in Event.n_stop_watchers */
                        bool exited;     /* the exit was seen (zombie) */
                        bool waited;     /* and reaped */
                        bool owned;
                } child;
                struct {
                        EventHandler callback;
                } plain; /* defer, post, exit */
        };
};

struct Event {
        unsigned n_ref;
        int epoll_fd;
        EventState state;
        bool exit_requested, need_child_scan, timestamps_valid;
        int exit_code;
        uint64_t seq;
        usec_t perturb;
        usec_t timestamps[_CLOCK_INDEX_MAX];
        ClockData clocks[_CLOCK_INDEX_MAX];
        SignalData signal;
        Prioq *pending, *exits;
        size_t n_sources, n_exits;
        unsigned n_stop_watchers; /* enabled child sources with WSTOPPED|WCONTINUED */
        EventSource *sources;     /* all of them */
        EventSource *post_sources;
        EventSource *stop_children; /* child sources with WSTOPPED|WCONTINUED */
        Hashmap *children;          /* pid → child source */
};

/* epoll's data.ptr is read as a WakeupKind before we know which struct it points to. */
_Static_assert(offsetof(EventSource, wakeup) == 0, "wakeup must come first");
_Static_assert(offsetof(ClockData, wakeup) == 0, "wakeup must come first");
_Static_assert(offsetof(SignalData, wakeup) == 0, "wakeup must come first");

extern const clockid_t event_clock_ids[_CLOCK_INDEX_MAX];

static inline usec_t usec_add_sat(usec_t a, usec_t b) {
        return a > USEC_INFINITY - b ? USEC_INFINITY : a + b;
}

/* epoll_ctl(op) of fd with ptr as its data; 0 or -errno. */
int event_epoll_watch(Event *e, int op, int fd, uint32_t events, void *ptr);
/* Puts s into (or takes it out of, or re-sorts it in) the queues its flags ask for. */
void event_source_sync_queues(EventSource *s);
/* Sets s->pending; a newly pending source goes to the back of its priority. */
void event_source_mark_pending(EventSource *s, bool b);
/* Brings epoll, the signalfd and the queues in line with s's flags; 0 or -errno (the queues
 * are in line even then). */
int event_source_sync(EventSource *s);
