/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* time-base.c: reading clocks and converting between usec_t and struct timespec. */

#include <assert.h>

#include "time-base.h"

static clockid_t map_clock_id(clockid_t c) {
        /* Some architectures lack the alarm flavours; they read the same as their bases. */
        switch (c) {
        case CLOCK_BOOTTIME_ALARM:
                return CLOCK_BOOTTIME;
        case CLOCK_REALTIME_ALARM:
                return CLOCK_REALTIME;
        default:
                return c;
        }
}

usec_t now(clockid_t clock_id) {
        struct timespec ts;

        if (clock_gettime(map_clock_id(clock_id), &ts) < 0)
                return USEC_INFINITY;
        return timespec_load(&ts);
}

usec_t timespec_load(const struct timespec *ts) {
        assert(ts);

        if (ts->tv_sec < 0 || ts->tv_nsec < 0)
                return USEC_INFINITY;
        if ((usec_t) ts->tv_sec > (UINT64_MAX - (usec_t) ts->tv_nsec / NSEC_PER_USEC) / USEC_PER_SEC)
                return USEC_INFINITY;
        return (usec_t) ts->tv_sec * USEC_PER_SEC + (usec_t) ts->tv_nsec / NSEC_PER_USEC;
}

struct timespec *timespec_store(struct timespec *ts, usec_t u) {
        /* time_t is signed; its largest value, computed without overflowing. */
        const usec_t time_t_max = (usec_t) ((((time_t) 1 << (sizeof(time_t) * 8 - 2)) - 1) * 2 + 1);

        assert(ts);

        if (u == USEC_INFINITY || u / USEC_PER_SEC >= time_t_max) {
                ts->tv_sec = (time_t) -1;
                ts->tv_nsec = -1L;
                return ts;
        }
        ts->tv_sec = (time_t) (u / USEC_PER_SEC);
        ts->tv_nsec = (long) ((u % USEC_PER_SEC) * NSEC_PER_USEC);
        return ts;
}

DualTimestamp *dual_timestamp_now(DualTimestamp *ts) {
        ts->realtime = now(CLOCK_REALTIME);
        ts->monotonic = now(CLOCK_MONOTONIC);
        return ts;
}
