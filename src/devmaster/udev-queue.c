/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev-queue.c: the seqnum-ordered event queue and its dependency check (udev-queue.h).
 */

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "string-util.h"
#include "udev-queue.h"

int udev_queue_new(UdevQueue **ret) {
        UdevQueue *q = new0(UdevQueue, 1);

        assert(ret);
        if (!q)
                return -ENOMEM;
        *ret = q;
        return 0;
}

UdevQueue *udev_queue_free(UdevQueue *q) {
        if (!q)
                return NULL;
        while (q->events)
                (void) udev_queue_event_free(q->events);
        free(q);
        return NULL;
}

int udev_queue_insert(UdevQueue *q, Device *dev, UdevQueueEvent **ret) {
        UdevQueueEvent *ev, *after;
        bool was_empty;

        assert(q);
        assert(dev);

        ev = new0(UdevQueueEvent, 1);
        if (!ev)
                return -ENOMEM;
        if (device_get_seqnum(dev, &ev->seqnum) < 0 || device_get_action(dev, &ev->action) < 0 ||
            device_get_devpath(dev, &ev->devpath) < 0) {
                free(ev);
                return -EINVAL;
        }
        if (device_get_property_value(dev, "DEVPATH_OLD", &ev->devpath_old) < 0)
                ev->devpath_old = NULL;
        if (device_get_device_id(dev, &ev->id) < 0)
                ev->id = NULL;
        if (device_get_devname(dev, &ev->devnode) < 0)
                ev->devnode = NULL;
        ev->dev = device_ref(dev);
        ev->queue = q;
        ev->state = UDEV_QUEUE_EVENT_QUEUED;
        /* nothing checked yet: a blocker below our own seqnum */
        ev->blocker_seqnum = 0;

        was_empty = !q->events;
        /* events nearly always arrive in order: look from the end */
        for (after = q->last; after && after->seqnum > ev->seqnum; after = after->event_prev)
                ;
        ev->event_prev = after;
        ev->event_next = after ? after->event_next : q->events;
        if (ev->event_next)
                ev->event_next->event_prev = ev;
        else
                q->last = ev;
        if (after)
                after->event_next = ev;
        else
                q->events = ev;
        q->n_events++;

        if (ret)
                *ret = ev;
        return was_empty;
}

bool udev_queue_event_free(UdevQueueEvent *ev) {
        UdevQueue *q;

        if (!ev)
                return false;
        q = ev->queue;
        if (q->last == ev)
                q->last = ev->event_prev;
        LIST_REMOVE(event, q->events, ev);
        q->n_events--;
        device_unref(ev->dev);
        free(ev);
        return !q->events;
}

bool udev_queue_devpath_conflict(const char *a, const char *b) {
        if (!a || !b)
                return false;
        for (; *a && *b; a++, b++)
                if (*a != *b)
                        return false;
        /* one is a prefix of the other: a conflict if it ends at a component boundary */
        return *a == '/' || *b == '/' || *a == *b;
}

static bool event_depends_on(const UdevQueueEvent *ev, const UdevQueueEvent *earlier) {
        if (ev->id && streq_ptr(ev->id, earlier->id))
                return true;
        if (udev_queue_devpath_conflict(ev->devpath, earlier->devpath) ||
            udev_queue_devpath_conflict(ev->devpath, earlier->devpath_old) ||
            udev_queue_devpath_conflict(ev->devpath_old, earlier->devpath))
                return true;
        return ev->devnode && streq_ptr(ev->devnode, earlier->devnode);
}

bool udev_queue_event_is_blocked(UdevQueueEvent *ev, usec_t now_usec) {
        UdevQueueEvent *i;

        assert(ev);
        if (ev->retry_next_usec > 0 && ev->retry_next_usec > now_usec)
                return true;
        if (ev->blocker_seqnum == ev->seqnum)
                return false; /* checked before: nothing earlier concerns us */

        /* Events before the cached blocker were checked already; if the blocker is still
         * queued we stay blocked without looking further. */
        LIST_FOREACH(event, i, ev->queue->events) {
                if (i->seqnum < ev->blocker_seqnum)
                        continue;
                if (i->seqnum == ev->blocker_seqnum && i != ev)
                        return true;
                break;
        }
        for (; i && i != ev && i->seqnum < ev->seqnum; i = i->event_next)
                if (event_depends_on(ev, i)) {
                        log_device_debug(ev->dev, "SEQNUM=%" PRIu64 " blocked by SEQNUM=%" PRIu64,
                                         ev->seqnum, i->seqnum);
                        ev->blocker_seqnum = i->seqnum;
                        return true;
                }
        ev->blocker_seqnum = ev->seqnum;
        return false;
}
