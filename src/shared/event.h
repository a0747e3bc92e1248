/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * event.h: the event loop every sysmaster daemon runs on (single-threaded, epoll based), with
 * the semantics of systemd's sd-event.
 *
 * Sources: io (an fd and EPOLL* events), timers (CLOCK_MONOTONIC, CLOCK_REALTIME,
 * CLOCK_BOOTTIME; one timerfd per clock shared by all its timers), signals (one signalfd; the
 * caller blocks the signals with sigprocmask() first), child processes (a pidfd per child;
 * WEXITED needs no SIGCHLD at all, WSTOPPED/WCONTINUED need SIGCHLD blocked), defer (pending
 * on every iteration while enabled), post (made pending whenever any other source is
 * dispatched) and exit (run in priority order once event_exit() was called, before
 * event_loop() returns).
 *
 * One iteration (event_run()) waits for events, marks the sources they concern "pending" and
 * dispatches exactly one pending source: the lowest priority value first, and within a
 * priority the one that became pending first (a source that stays pending, like an enabled
 * defer source, goes to the back of its priority after each dispatch). Sources that stay
 * pending make the next iteration's wait return at once.
 *
 * Enable states follow sd-event: EVENT_ON fires every time, EVENT_ONESHOT fires once and then
 * turns EVENT_OFF (before the callback runs, so the callback may re-enable it), EVENT_OFF never
 * fires. io, signal and post sources start ON; time, child, defer and exit sources start
 * ONESHOT. A callback that returns a negative errno gets its source disabled (logged at debug
 * level), or, with event_source_set_exit_on_failure(), makes the loop exit with that error.
 *
 * Ownership: event_add_*() with ret != NULL hands the caller one reference to the source; the
 * source pins its Event. With ret == NULL the source is "floating": the Event owns it and it
 * lives until the Event is freed. Dropping the last reference removes the source from the
 * loop at once (even inside a callback, including the source's own callback: the memory then
 * stays valid until the callback returns). Destroy callbacks run when the source's memory is
 * freed.
 *
 * The fds the loop opens are O_CLOEXEC|O_NONBLOCK (the epoll fd is O_CLOEXEC). Marking sources
 * pending and dispatching them never allocates: queues are sized when sources are added.
 *
 * Rules for callers: close a watched fd only after its source is gone (or let the source own
 * it): epoll keeps a closed fd that still has duplicates elsewhere. A forked child must not
 * touch its parent's loop (it shares the epoll instance); it execs or _exit()s.
 */

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/types.h>
#include <time.h>

#include "macro.h"
#include "time-base.h"

typedef struct Event Event;
typedef struct EventSource EventSource;

typedef enum EventEnabled {
        EVENT_OFF,
        EVENT_ON,
        EVENT_ONESHOT,
        _EVENT_ENABLED_MAX,
        _EVENT_ENABLED_INVALID = -EINVAL,
} EventEnabled;

/* Lower values run first; any int64_t is allowed. */
#define EVENT_PRIORITY_IMPORTANT INT64_C(-100)
#define EVENT_PRIORITY_NORMAL INT64_C(0)
#define EVENT_PRIORITY_IDLE INT64_C(100)

/* Callbacks return >= 0 on success, a negative errno to have their source disabled. */
typedef int (*EventHandler)(EventSource *s, void *userdata);
typedef int (*EventIoHandler)(EventSource *s, int fd, uint32_t revents, void *userdata);
/* usec is the time the timer was set to (not the time it was dispatched at). */
typedef int (*EventTimeHandler)(EventSource *s, usec_t usec, void *userdata);
typedef int (*EventSignalHandler)(EventSource *s, const struct signalfd_siginfo *si,
                                  void *userdata);
/* si as waitid() filled it: si_pid, si_code (CLD_EXITED, CLD_KILLED, CLD_DUMPED, CLD_STOPPED,
 * CLD_CONTINUED) and si_status. An exited child is reaped after the callback returns. */
typedef int (*EventChildHandler)(EventSource *s, const siginfo_t *si, void *userdata);
typedef void (*EventDestroyHandler)(void *userdata);

/* ---- the loop ---------------------------------------------------------------------------- */

/* Allocates a loop (one epoll fd). Returns 0 or -errno; *ret gets the only reference. */
int event_new(Event **ret);
Event *event_ref(Event *e);
/* Drops a reference; the last one frees the loop and its floating sources. Returns NULL. */
Event *event_unref(Event *e);
DEFINE_TRIVIAL_CLEANUP_FUNC(Event *, event_unref);

/* One iteration: waits at most timeout usec (USEC_INFINITY: forever, 0: not at all) unless a
 * source is already pending, then dispatches one pending source. After event_exit() each call
 * dispatches one exit source instead. Returns 1 if a source was dispatched, 0 if not (timeout,
 * or, when exiting, no exit source is left: the loop is then finished), -EBUSY when called
 * from a callback, -ESTALE once finished, other -errno on failure of the loop itself. */
int event_run(Event *e, usec_t timeout);
/* Runs iterations until the loop finished; returns the code given to event_exit(), or a
 * negative errno if an iteration failed. */
int event_loop(Event *e);
/* Asks the loop to exit with code: the exit sources run, then event_loop() returns code.
 * A later call replaces the code. -ESTALE once finished. */
int event_exit(Event *e, int code);
/* The code given to event_exit(); -ENODATA if exit was not requested. */
int event_get_exit_code(Event *e, int *ret);
/* The time of clock (CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_BOOTTIME) taken when the current
 * iteration woke up. Returns 0; or 1 when no iteration ran yet and the current time was read
 * instead; -EOPNOTSUPP for other clocks. */
int event_now(Event *e, clockid_t clock, usec_t *ret);
/* The epoll fd: it polls readable when event_run(e, 0) has something to do. A loop nested in
 * another poll calls event_run(e, 0) until it returns 0 before polling this fd again. */
int event_get_fd(Event *e);

/* ---- adding sources ----------------------------------------------------------------------
 * All return 0 or a negative errno; ret may be NULL for a floating source. -ESTALE once the
 * loop is finished. */

/* Watches fd (borrowed unless event_source_set_io_fd_own()) for events (EPOLLIN, EPOLLOUT,
 * EPOLLPRI, EPOLLRDHUP, EPOLLERR, EPOLLHUP, EPOLLET). -EEXIST if fd is already watched,
 * -EPERM for fds epoll cannot watch (regular files). */
int event_add_io(Event *e, EventSource **ret, int fd, uint32_t events, EventIoHandler callback,
                 void *userdata);
/* A timer at absolute time usec of clock; it may fire up to accuracy usec late so that
 * wake-ups coalesce (0 means the default, 250 ms; 1 means as exact as possible). usec 0 fires
 * at once. callback NULL: event_exit(e, (int) (intptr_t) userdata) when it fires. */
int event_add_time(Event *e, EventSource **ret, clockid_t clock, usec_t usec, usec_t accuracy,
                   EventTimeHandler callback, void *userdata);
/* The same, relative to event_now(). */
int event_add_time_relative(Event *e, EventSource **ret, clockid_t clock, usec_t usec,
                            usec_t accuracy, EventTimeHandler callback, void *userdata);
/* Delivers sig, which the caller must have blocked (-EBUSY otherwise); one source per signal
 * (-EBUSY). Each queued signal is delivered by its own dispatch. callback NULL: event_exit(e,
 * (int) (intptr_t) userdata). */
int event_add_signal(Event *e, EventSource **ret, int sig, EventSignalHandler callback,
                     void *userdata);
/* Watches the child pid for options, a non-empty subset of WEXITED|WSTOPPED|WCONTINUED.
 * WSTOPPED/WCONTINUED need SIGCHLD blocked (-EBUSY otherwise). One source per child (-EBUSY);
 * -ECHILD if pid is not a child of ours, -ESRCH if it is gone. Only the child of the source is
 * ever reaped, after its exit callback. callback NULL: event_exit(e, (int) (intptr_t)
 * userdata). */
int event_add_child(Event *e, EventSource **ret, pid_t pid, int options, EventChildHandler callback,
                    void *userdata);
/* The same for a pidfd (borrowed unless event_source_set_child_pidfd_own()). */
int event_add_child_pidfd(Event *e, EventSource **ret, int pidfd, int options,
                          EventChildHandler callback, void *userdata);
/* Pending whenever enabled. callback NULL: event_exit(e, (int) (intptr_t) userdata). */
int event_add_defer(Event *e, EventSource **ret, EventHandler callback, void *userdata);
/* Made pending each time another (non-post) source is dispatched. */
int event_add_post(Event *e, EventSource **ret, EventHandler callback, void *userdata);
/* Runs once after event_exit() (always one-shot). callback must not be NULL. */
int event_add_exit(Event *e, EventSource **ret, EventHandler callback, void *userdata);

/* ---- sources ----------------------------------------------------------------------------- */

EventSource *event_source_ref(EventSource *s);
/* Drops a reference; the last one removes the source from its loop. NULL-safe; returns NULL. */
EventSource *event_source_unref(EventSource *s);
/* event_source_set_enabled(s, EVENT_OFF), then event_source_unref(s). Returns NULL. */
EventSource *event_source_disable_unref(EventSource *s);
DEFINE_TRIVIAL_CLEANUP_FUNC(EventSource *, event_source_unref);
DEFINE_TRIVIAL_CLEANUP_FUNC(EventSource *, event_source_disable_unref);

/* The loop of s (borrowed), NULL if the loop was freed under a floating source. */
Event *event_source_get_event(EventSource *s);
void *event_source_get_userdata(EventSource *s);
/* Returns the previous userdata. */
void *event_source_set_userdata(EventSource *s, void *userdata);
/* A name for debug messages (copied; NULL clears). 0 or -ENOMEM. */
int event_source_set_description(EventSource *s, const char *description);
/* The description (borrowed) or NULL. */
const char *event_source_get_description(EventSource *s);
/* Called with the userdata when the source's memory is freed. */
int event_source_set_destroy_callback(EventSource *s, EventDestroyHandler callback);

/* Switches between EVENT_OFF, EVENT_ON and EVENT_ONESHOT. Enabling a child source whose child
 * was reaped, or anything but OFF once the loop finished, gives -ESTALE. */
int event_source_set_enabled(EventSource *s, EventEnabled enabled);
/* Returns 1 if ON or ONESHOT, 0 if OFF; ret (may be NULL) gets the exact state. */
int event_source_get_enabled(EventSource *s, EventEnabled *ret);
int event_source_set_priority(EventSource *s, int64_t priority);
int event_source_get_priority(EventSource *s, int64_t *ret);
/* 1 if the source waits to be dispatched, 0 if not, -EDOM for exit sources. */
int event_source_get_pending(EventSource *s);
/* Floating: the loop owns a reference and s stops pinning the loop. Returns 1 if changed. */
int event_source_set_floating(EventSource *s, bool floating);
/* A negative return of the callback makes the loop exit with it instead of disabling s. */
int event_source_set_exit_on_failure(EventSource *s, bool b);

/* io sources (-EDOM for other kinds). Changing events or fd drops a pending event. */
int event_source_get_io_fd(EventSource *s);
int event_source_set_io_fd(EventSource *s, int fd);
/* Own: the fd is closed with the source (and an fd replaced by set_io_fd() is closed). */
int event_source_set_io_fd_own(EventSource *s, bool own);
int event_source_get_io_events(EventSource *s, uint32_t *ret);
int event_source_set_io_events(EventSource *s, uint32_t events);
/* The events of the pending dispatch; -ENODATA if not pending. */
int event_source_get_io_revents(EventSource *s, uint32_t *ret);

/* Time sources. set_time() drops a pending expiry and keeps the enable state, so a timer is
 * re-armed with set_time() + set_enabled(EVENT_ONESHOT). */
int event_source_get_time(EventSource *s, usec_t *ret);
int event_source_set_time(EventSource *s, usec_t usec);
int event_source_set_time_relative(EventSource *s, usec_t usec);
int event_source_get_time_accuracy(EventSource *s, usec_t *ret);
int event_source_set_time_accuracy(EventSource *s, usec_t usec);
int event_source_get_time_clock(EventSource *s, clockid_t *ret);

/* Signal sources: the signal number. */
int event_source_get_signal(EventSource *s);

/* Child sources. */
int event_source_get_child_pid(EventSource *s, pid_t *ret);
int event_source_get_child_pidfd(EventSource *s);
int event_source_set_child_pidfd_own(EventSource *s, bool own);
/* Sends sig through the pidfd (no PID reuse race). -ESRCH once the child was reaped. */
int event_source_send_child_signal(EventSource *s, int sig);
