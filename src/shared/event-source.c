/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * event-source.c: the event_source_* getters and setters of event.h. They change a source's
 * fields and leave every consequence for the loop (epoll, signalfd, queues) to event.c's sync
 * functions (event-internal.h). Reference counting and freeing stay in event.c with the rest
 * of a source's lifetime.
 */

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "event-internal.h"
#include "fd-util.h"

/* ---- sources: common ---------------------------------------------------------------------- */

Event *event_source_get_event(EventSource *s) {
        assert(s);
        return s->event;
}

void *event_source_get_userdata(EventSource *s) {
        assert(s);
        return s->userdata;
}

void *event_source_set_userdata(EventSource *s, void *userdata) {
        void *old;

        assert(s);
        old = s->userdata;
        s->userdata = userdata;
        return old;
}

int event_source_set_description(EventSource *s, const char *description) {
        char *d = NULL;

        assert(s);
        if (description) {
                d = strdup(description);
                if (!d)
                        return -ENOMEM;
        }
        free(s->description);
        s->description = d;
        return 0;
}

const char *event_source_get_description(EventSource *s) {
        assert(s);
        return s->description;
}

int event_source_set_destroy_callback(EventSource *s, EventDestroyHandler callback) {
        assert(s);
        s->destroy = callback;
        return 0;
}

int event_source_set_enabled(EventSource *s, EventEnabled enabled) {
        EventEnabled old;
        int r;

        assert(s);
        if (enabled < 0 || enabled >= _EVENT_ENABLED_MAX)
                return -EINVAL;
        if (!s->event || s->event->state == EVENT_STATE_FINISHED)
                return enabled == EVENT_OFF ? 0 : -ESTALE;
        if (s->enabled == enabled)
                return 0;
        if (enabled != EVENT_OFF && s->enabled != EVENT_OFF) {
                s->enabled = enabled; /* ON <-> ONESHOT: nothing else changes */
                return 0;
        }
        if (enabled != EVENT_OFF && s->type == SOURCE_CHILD && s->child.waited)
                return -ESTALE;

        old = s->enabled;
        s->enabled = enabled;
        if (enabled != EVENT_OFF)
                s->pending_seq = ++s->event->seq; /* back in line behind what is pending */
        r = event_source_sync(s);
        if (r < 0) {
                s->enabled = old;
                (void) event_source_sync(s);
        }
        return r;
}

int event_source_get_enabled(EventSource *s, EventEnabled *ret) {
        assert(s);
        if (ret)
                *ret = s->enabled;
        return s->enabled != EVENT_OFF;
}

int event_source_set_priority(EventSource *s, int64_t priority) {
        assert(s);
        if (!s->event)
                return -ESTALE;
        s->priority = priority;
        event_source_sync_queues(s);
        return 0;
}

int event_source_get_pending(EventSource *s) {
        assert(s);
        return s->type == SOURCE_EXIT ? -EDOM : s->pending;
}

int event_source_set_floating(EventSource *s, bool floating) {
        assert(s);
        if (s->floating == floating)
                return 0;
        if (!s->event)
                return -ESTALE;
        s->floating = floating;
        if (floating) {
                event_source_ref(s); /* now held by the loop */
                event_unref(s->event);
        } else {
                event_ref(s->event);
                event_source_unref(s); /* the caller's reference from now on */
        }
        return 1;
}

/* The simple getters and setters: -EDOM when s is of another kind (kind -1: any kind). */
#define SOURCE_GETTER(name, T, kind, expr)                                 \
        int event_source_get_##name(EventSource *s, T *ret) {              \
                assert(s);                                                 \
                assert(ret);                                               \
                if ((int) (kind) >= 0 && s->type != (SourceType) (kind))   \
                        return -EDOM;                                      \
                *ret = (expr);                                             \
                return 0;                                                  \
        }
#define SOURCE_SETTER(name, T, kind, field)                                \
        int event_source_set_##name(EventSource *s, T value) {             \
                assert(s);                                                 \
                if ((int) (kind) >= 0 && s->type != (SourceType) (kind))   \
                        return -EDOM;                                      \
                s->field = value;                                          \
                return 0;                                                  \
        }

SOURCE_GETTER(priority, int64_t, -1, s->priority)
SOURCE_GETTER(io_events, uint32_t, SOURCE_IO, s->io.events)
SOURCE_GETTER(time, usec_t, SOURCE_TIME, s->time.next)
SOURCE_GETTER(time_accuracy, usec_t, SOURCE_TIME, s->time.accuracy)
SOURCE_GETTER(time_clock, clockid_t, SOURCE_TIME, event_clock_ids[s->time.clock])
SOURCE_GETTER(child_pid, pid_t, SOURCE_CHILD, s->child.pid)
SOURCE_SETTER(exit_on_failure, bool, -1, exit_on_failure)
SOURCE_SETTER(io_fd_own, bool, SOURCE_IO, io.owned)
SOURCE_SETTER(child_pidfd_own, bool, SOURCE_CHILD, child.owned)

int event_source_get_io_revents(EventSource *s, uint32_t *ret) {
        assert(s);
        assert(ret);
        if (s->type != SOURCE_IO)
                return -EDOM;
        if (!s->pending)
                return -ENODATA;
        *ret = s->io.revents;
        return 0;
}

int event_source_get_io_fd(EventSource *s) {
        assert(s);
        return s->type == SOURCE_IO ? s->io.fd : -EDOM;
}

int event_source_get_signal(EventSource *s) {
        assert(s);
        return s->type == SOURCE_SIGNAL ? s->signal.sig : -EDOM;
}

int event_source_get_child_pidfd(EventSource *s) {
        assert(s);
        return s->type == SOURCE_CHILD ? s->child.pidfd : -EDOM;
}

/* ---- sources: changing io and time sources ------------------------------------------------ */

static int source_check_kind(EventSource *s, SourceType kind) {
        assert(s);
        if (s->type != kind)
                return -EDOM;
        return s->event ? 0 : -ESTALE;
}

int event_source_set_io_fd(EventSource *s, int fd) {
        int saved, r;

        r = source_check_kind(s, SOURCE_IO);
        if (r < 0)
                return r;
        if (fd < 0)
                return -EBADF;
        if (fd == s->io.fd)
                return 0;

        saved = s->io.fd;
        if (s->io.registered) {
                /* Add the new fd first, so that a failure leaves everything as it was. */
                r = event_epoll_watch(s->event, EPOLL_CTL_ADD, fd, s->io.events, s);
                if (r < 0)
                        return r;
                (void) epoll_ctl(s->event->epoll_fd, EPOLL_CTL_DEL, saved, NULL);
        }
        s->io.fd = fd;
        event_source_mark_pending(s, false);
        if (s->io.owned)
                safe_close(saved);
        return 0;
}

int event_source_set_io_events(EventSource *s, uint32_t events) {
        int r;

        r = source_check_kind(s, SOURCE_IO);
        if (r < 0)
                return r;
        if ((events & ~IO_EVENTS_ALLOWED) != 0)
                return -EINVAL;
        if (events == s->io.events)
                return 0;
        if (s->io.registered) {
                r = event_epoll_watch(s->event, EPOLL_CTL_MOD, s->io.fd, events, s);
                if (r < 0)
                        return r;
        }
        s->io.events = events;
        event_source_mark_pending(s, false);
        return 0;
}

/* A new deadline or accuracy drops a pending expiry and requeues the timer. */
static int time_change(EventSource *s, usec_t next, usec_t accuracy) {
        int r = source_check_kind(s, SOURCE_TIME);

        if (r < 0)
                return r;
        s->time.next = next;
        s->time.accuracy = accuracy == 0 ? DEFAULT_ACCURACY_USEC : accuracy;
        event_source_mark_pending(s, false);
        event_source_sync_queues(s);
        return 0;
}

int event_source_set_time(EventSource *s, usec_t usec) {
        assert(s);
        return time_change(s, usec, s->time.accuracy);
}

int event_source_set_time_relative(EventSource *s, usec_t usec) {
        usec_t t;
        int r;

        r = source_check_kind(s, SOURCE_TIME);
        if (r < 0)
                return r;
        r = event_now(s->event, event_clock_ids[s->time.clock], &t);
        if (r < 0)
                return r;
        return time_change(s, usec_add_sat(t, usec), s->time.accuracy);
}

int event_source_set_time_accuracy(EventSource *s, usec_t usec) {
        assert(s);
        return time_change(s, s->time.next, usec);
}

int event_source_send_child_signal(EventSource *s, int sig) {
        assert(s);
        if (s->type != SOURCE_CHILD)
                return -EDOM;
        if (s->child.waited || s->child.pidfd < 0)
                return -ESRCH;
        if (syscall(SYS_pidfd_send_signal, s->child.pidfd, sig, NULL, 0) < 0)
                return -errno;
        return 0;
}
