/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * udev-queue.h: the event queue of the daemon (spec udev.md §2.3). Events wait in seqnum order;
 * an event may start only when no earlier event, queued or running, concerns the same device:
 *   - the same device id;
 *   - an equal, ancestor or descendant devpath (a prefix ending at a '/' boundary), DEVPATH_OLD
 *     of a move counting on both sides;
 *   - the same device node.
 * The seqnum of the blocker found is cached (blocker_seqnum), so a blocked event is checked
 * again only from there on, as udevd 252 does. An event being retried (its block device was
 * locked) is also blocked until its retry time.
 *
 * The queue owns its UdevQueueEvents and their Device references; everything else an event
 * needs (the worker running it, timers) hangs off `userdata`, which the owner manages. The
 * queue does no I/O: creating /run/udev/queue is the owner's business (udev_queue_insert()
 * says when the queue became non-empty).
 */

#include <stdbool.h>
#include <stdint.h>

#include "device.h"
#include "list.h"
#include "time-base.h"

typedef enum UdevQueueEventState {
        UDEV_QUEUE_EVENT_QUEUED,
        UDEV_QUEUE_EVENT_RUNNING,
        _UDEV_QUEUE_EVENT_STATE_MAX,
        _UDEV_QUEUE_EVENT_STATE_INVALID = -EINVAL,
} UdevQueueEventState;

typedef struct UdevQueue UdevQueue;
typedef struct UdevQueueEvent UdevQueueEvent;

struct UdevQueueEvent {
        UdevQueue *queue;
        LIST_FIELDS(UdevQueueEvent, event);
        Device *dev; /* reference */
        uint64_t seqnum;
        uint64_t blocker_seqnum; /* seqnum: no blocker (checked); else the last blocker found */
        DeviceAction action;
        /* borrowed from dev; NULL when absent */
        const char *id, *devpath, *devpath_old, *devnode;
        UdevQueueEventState state;
        usec_t retry_next_usec; /* CLOCK_MONOTONIC; 0: not waiting for a retry */
        usec_t retry_timeout_usec; /* give up retrying at this time; 0: not retrying */
        void *userdata; /* the owner's */
};

struct UdevQueue {
        LIST_HEAD(UdevQueueEvent, events); /* seqnum order */
        UdevQueueEvent *last;
        unsigned n_events;
};

/* 0 and a new empty queue, or -ENOMEM. */
int udev_queue_new(UdevQueue **ret);
/* Frees the queue and every event in it (the owner must have released the userdata). */
UdevQueue *udev_queue_free(UdevQueue *q);
DEFINE_TRIVIAL_CLEANUP_FUNC(UdevQueue *, udev_queue_free);

/* Queues dev (a new reference is taken) in seqnum order, as QUEUED. dev must carry SEQNUM,
 * ACTION and DEVPATH (-EINVAL otherwise). Returns 1 when the queue was empty before (the
 * caller creates /run/udev/queue), 0 otherwise, or -ENOMEM; *ret (may be NULL) borrows the
 * event. */
int udev_queue_insert(UdevQueue *q, Device *dev, UdevQueueEvent **ret);
/* Unlinks and frees the event (and its Device reference). Returns true when the queue is
 * empty afterwards. NULL-safe (then false). */
bool udev_queue_event_free(UdevQueueEvent *ev);

static inline bool udev_queue_is_empty(const UdevQueue *q) {
        return !q || !q->events;
}

/* Whether a and b (devpaths, NULL allowed: never conflicts) are equal or one is an ancestor of
 * the other: "/devices/a" conflicts with "/devices/a/b" but not with "/devices/ab". */
bool udev_queue_devpath_conflict(const char *a, const char *b) _pure_;
/* Whether ev must wait: its retry time (now_usec, CLOCK_MONOTONIC) is not reached, or an
 * earlier event in the queue concerns the same device (see above). Caches the blocker. */
bool udev_queue_event_is_blocked(UdevQueueEvent *ev, usec_t now_usec);

#define UDEV_QUEUE_FOREACH(ev, q) LIST_FOREACH(event, ev, (q)->events)
