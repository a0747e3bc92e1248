/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * time-util.h: time spans and timestamps as systemd 252 reads and prints them (systemd.time(7)).
 *
 * Time spans are sums of "NUMBER[.FRACTION] [UNIT]" parts, e.g. "1min 30s", "2 h", "55s500ms",
 * "1.5s" or the word "infinity". Units: us usec µs μs; ms msec; s sec second seconds; m min
 * minute minutes; h hr hour hours; d day days; w week weeks; M month months (30.44 days);
 * y year years (365.25 days). A part without unit takes the default unit (seconds for
 * parse_sec()). Negative values give -ERANGE; so does a sum reaching USEC_INFINITY.
 *
 * The formatters write into a caller buffer and return it (NULL if the value cannot be shown).
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

#include "time-base.h"

/* Buffer sizes that always suffice for format_timespan() and format_timestamp(). */
#define FORMAT_TIMESPAN_MAX 64U
#define FORMAT_TIMESTAMP_MAX (3U + 1U + 10U + 1U + 8U + 1U + 6U + 1U + 6U + 1U)
#define FORMAT_TIMESTAMP_RELATIVE_MAX 256U

/* The largest timestamp format_timestamp() prints as a date: year 9999 in any time zone. */
#define USEC_TIMESTAMP_FORMATTABLE_MAX ((usec_t) 253402214399000000ULL)

static inline bool timestamp_is_set(usec_t t) {
        return t > 0 && t != USEC_INFINITY;
}

/* Parses a time span; parts without a unit are in default_unit. 0, -EINVAL or -ERANGE. */
int parse_time(const char *t, usec_t *ret, usec_t default_unit);
/* parse_time() in seconds. */
int parse_sec(const char *t, usec_t *ret);
/* Like parse_sec(), but 0 means "no limit" and gives USEC_INFINITY (as for TimeoutSec=0). */
int parse_sec_fix_0(const char *t, usec_t *ret);
/* Like parse_sec(), but an empty (or blank) string gives USEC_INFINITY. */
int parse_sec_def_infinity(const char *t, usec_t *ret);
/* A time span in nanoseconds; adds the units ns and nsec and defaults to ns. */
int parse_nsec(const char *t, nsec_t *ret);

/* Prints t the way systemd does: "1min 30s", "500ms", "1.500000s", "0", "infinity". Parts
 * smaller than accuracy are left out once something was printed; below one minute a remainder
 * is shown as decimals down to accuracy. The output parses back with parse_sec(). Truncates to
 * l bytes (l > 0). Returns buf. */
char *format_timespan(char *buf, size_t l, usec_t t, usec_t accuracy);

typedef enum TimestampStyle {
        TIMESTAMP_PRETTY, /* "Sun 2026-11-22 16:54:01 UTC" in the local time zone */
        TIMESTAMP_US,     /* with ".123456" after the seconds */
        TIMESTAMP_UTC,    /* in UTC */
        TIMESTAMP_US_UTC,
        TIMESTAMP_UNIX,   /* "@1795366441" */
        _TIMESTAMP_STYLE_MAX,
        _TIMESTAMP_STYLE_INVALID = -EINVAL,
} TimestampStyle;

/* Prints a CLOCK_REALTIME timestamp: English weekday, date, time and the zone abbreviation of
 * the local time zone. NULL for 0 and USEC_INFINITY ("not set") or if buf is too small; years
 * beyond 9999 print as "--- XXXX-XX-XX XX:XX:XX". */
char *format_timestamp_style(char *buf, size_t l, usec_t t, TimestampStyle style);
static inline char *format_timestamp(char *buf, size_t l, usec_t t) {
        return format_timestamp_style(buf, l, t, TIMESTAMP_PRETTY);
}
/* "5min ago", "2h 3min left", "now", relative to the current CLOCK_REALTIME. NULL if unset. */
char *format_timestamp_relative(char *buf, size_t l, usec_t t);

/* Temporary-buffer forms for log messages, valid until the end of the enclosing block; like the
 * functions they give NULL for an unset timestamp (wrap them in strna()). */
#define FORMAT_TIMESPAN(t, accuracy) \
        format_timespan((char[FORMAT_TIMESPAN_MAX]) {}, FORMAT_TIMESPAN_MAX, (t), (accuracy))
#define FORMAT_TIMESTAMP(t) format_timestamp((char[FORMAT_TIMESTAMP_MAX]) {}, FORMAT_TIMESTAMP_MAX, (t))
#define FORMAT_TIMESTAMP_RELATIVE(t) \
        format_timestamp_relative((char[FORMAT_TIMESTAMP_RELATIVE_MAX]) {}, FORMAT_TIMESTAMP_RELATIVE_MAX, (t))
