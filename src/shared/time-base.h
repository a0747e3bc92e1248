/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * time-base.h: the microsecond time type every sysmaster module uses, its constants, and the
 * conversions to and from struct timespec. usec_t is unsigned; USEC_INFINITY ("never", "no
 * limit") is its maximum value and never comes out of a clock. Nothing here allocates.
 */

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

typedef uint64_t usec_t;
typedef uint64_t nsec_t;

#define USEC_FMT "%" PRIu64
#define NSEC_FMT "%" PRIu64

#define USEC_INFINITY ((usec_t) UINT64_MAX)
#define NSEC_INFINITY ((nsec_t) UINT64_MAX)

#define USEC_PER_SEC ((usec_t) 1000000ULL)
#define USEC_PER_MSEC ((usec_t) 1000ULL)
#define NSEC_PER_SEC ((nsec_t) 1000000000ULL)
#define NSEC_PER_MSEC ((nsec_t) 1000000ULL)
#define NSEC_PER_USEC ((nsec_t) 1000ULL)

#define USEC_PER_MINUTE ((usec_t) (60ULL * USEC_PER_SEC))
#define USEC_PER_HOUR ((usec_t) (60ULL * USEC_PER_MINUTE))
#define USEC_PER_DAY ((usec_t) (24ULL * USEC_PER_HOUR))
#define USEC_PER_WEEK ((usec_t) (7ULL * USEC_PER_DAY))
/* systemd's calendar-free month and year: 30.44 and 365.25 days. */
#define USEC_PER_MONTH ((usec_t) (2629800ULL * USEC_PER_SEC))
#define USEC_PER_YEAR ((usec_t) (31557600ULL * USEC_PER_SEC))

#define NSEC_PER_MINUTE ((nsec_t) (60ULL * NSEC_PER_SEC))
#define NSEC_PER_HOUR ((nsec_t) (60ULL * NSEC_PER_MINUTE))
#define NSEC_PER_DAY ((nsec_t) (24ULL * NSEC_PER_HOUR))
#define NSEC_PER_WEEK ((nsec_t) (7ULL * NSEC_PER_DAY))
#define NSEC_PER_MONTH ((nsec_t) (2629800ULL * NSEC_PER_SEC))
#define NSEC_PER_YEAR ((nsec_t) (31557600ULL * NSEC_PER_SEC))

/* The current time of clock_id in microseconds. The *_ALARM clocks are read through their
 * plain counterparts. Never fails for the clocks Linux has (returns USEC_INFINITY if it does). */
usec_t now(clockid_t clock_id);

/* A moment on both clocks, as systemd keeps unit and job timestamps (0 = never). */
typedef struct DualTimestamp {
        usec_t realtime;
        usec_t monotonic;
} DualTimestamp;

/* Fills *ts with the current CLOCK_REALTIME and CLOCK_MONOTONIC and returns ts. */
DualTimestamp *dual_timestamp_now(DualTimestamp *ts);
static inline bool dual_timestamp_is_set(const DualTimestamp *ts) {
        return ts->realtime > 0 || ts->monotonic > 0;
}

/* A timespec as microseconds (rounded down); negative or overflowing values give USEC_INFINITY. */
usec_t timespec_load(const struct timespec *ts);
/* Stores u into *ts and returns ts; USEC_INFINITY (or beyond time_t) stores { -1, -1 }. */
struct timespec *timespec_store(struct timespec *ts, usec_t u);
