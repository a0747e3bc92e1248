/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * time-util.c: parsing and printing of time spans and timestamps with systemd 252's grammar
 * and output, so that values round-trip between sysmaster, systemctl and unit files.
 */

#include <assert.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "macro.h"
#include "string-util.h"
#include "time-util.h"

typedef struct TimeUnit {
        const char *suffix;
        uint64_t nsec;
} TimeUnit;

/* Order matters: the first suffix that prefixes the text wins ("ms" before "m", "months" and
 * "M" are months, "m" is minutes). The empty suffix is only used for nanoseconds. */
static const TimeUnit time_units[] = {
        { "seconds", NSEC_PER_SEC },
        { "second", NSEC_PER_SEC },
        { "sec", NSEC_PER_SEC },
        { "s", NSEC_PER_SEC },
        { "minutes", NSEC_PER_MINUTE },
        { "minute", NSEC_PER_MINUTE },
        { "min", NSEC_PER_MINUTE },
        { "months", NSEC_PER_MONTH },
        { "month", NSEC_PER_MONTH },
        { "M", NSEC_PER_MONTH },
        { "msec", NSEC_PER_MSEC },
        { "ms", NSEC_PER_MSEC },
        { "m", NSEC_PER_MINUTE },
        { "hours", NSEC_PER_HOUR },
        { "hour", NSEC_PER_HOUR },
        { "hr", NSEC_PER_HOUR },
        { "h", NSEC_PER_HOUR },
        { "days", NSEC_PER_DAY },
        { "day", NSEC_PER_DAY },
        { "d", NSEC_PER_DAY },
        { "weeks", NSEC_PER_WEEK },
        { "week", NSEC_PER_WEEK },
        { "w", NSEC_PER_WEEK },
        { "years", NSEC_PER_YEAR },
        { "year", NSEC_PER_YEAR },
        { "y", NSEC_PER_YEAR },
        { "usec", NSEC_PER_USEC },
        { "us", NSEC_PER_USEC },
        { "\xce\xbc" "s", NSEC_PER_USEC }, /* U+03BC GREEK SMALL LETTER MU */
        { "\xc2\xb5" "s", NSEC_PER_USEC }, /* U+00B5 MICRO SIGN */
        { "nsec", 1 },
        { "ns", 1 },
};

/* Matches a unit at p. Units finer than `unit` (1 for µs-based parsing, 1000 ns) are not
 * known; the multiplier is expressed in `unit`s. Returns the text after the suffix, or p. */
static const char *extract_multiplier(const char *p, uint64_t unit, uint64_t *multiplier) {
        for (size_t i = 0; i < ELEMENTSOF(time_units); i++) {
                const char *e;

                if (time_units[i].nsec < unit)
                        continue;
                e = startswith(p, time_units[i].suffix);
                if (e) {
                        *multiplier = time_units[i].nsec / unit;
                        return e;
                }
        }
        return p;
}

/* The common grammar of parse_time() and parse_nsec(); unit is the size of one result step in
 * nanoseconds (1000 for usec_t, 1 for nsec_t). */
static int parse_span(const char *t, uint64_t unit, uint64_t default_multiplier, uint64_t *ret) {
        const char *p = t + strspn(t, WHITESPACE), *s;
        uint64_t r = 0;
        bool something = false;

        s = startswith(p, "infinity");
        if (s) {
                s += strspn(s, WHITESPACE);
                if (*s != 0)
                        return -EINVAL;
                *ret = UINT64_MAX;
                return 0;
        }

        for (;;) {
                uint64_t multiplier = default_multiplier, k;
                long long l;
                char *e;

                p += strspn(p, WHITESPACE);
                if (*p == 0) {
                        if (!something)
                                return -EINVAL;
                        break;
                }
                if (*p == '-') /* also "-0" */
                        return -ERANGE;

                errno = 0;
                l = strtoll(p, &e, 10);
                if (errno > 0)
                        return -errno;
                if (l < 0)
                        return -ERANGE;

                /* ".5" is a number too: the integer part may be empty if a fraction follows. */
                if (*e == '.')
                        p = e + 1 + strspn(e + 1, DIGITS);
                else if (e == p)
                        return -EINVAL;
                else
                        p = e;

                s = extract_multiplier(p + strspn(p, WHITESPACE), unit, &multiplier);
                /* Refuse "12.34.56" and "5x", but accept "12.34 .56" and "12.34s.56". */
                if (s == p && *s != 0)
                        return -EINVAL;
                p = s;

                if ((uint64_t) l >= UINT64_MAX / multiplier)
                        return -ERANGE;
                k = (uint64_t) l * multiplier;
                if (k >= UINT64_MAX - r)
                        return -ERANGE;
                r += k;
                something = true;

                if (*e == '.') {
                        uint64_t m = multiplier / 10;
                        const char *b;

                        for (b = e + 1; *b >= '0' && *b <= '9'; b++, m /= 10) {
                                k = (uint64_t) (*b - '0') * m;
                                if (k >= UINT64_MAX - r)
                                        return -ERANGE;
                                r += k;
                        }
                        /* "3.", "3.sec", "0.-0" and "3. 1" have no digits after the dot. */
                        if (b == e + 1)
                                return -EINVAL;
                }
        }

        *ret = r;
        return 0;
}

int parse_time(const char *t, usec_t *ret, usec_t default_unit) {
        usec_t v;
        int r;

        assert(t);
        assert(default_unit > 0);

        r = parse_span(t, NSEC_PER_USEC, default_unit, &v);
        if (r < 0)
                return r;
        if (ret)
                *ret = v;
        return 0;
}

int parse_sec(const char *t, usec_t *ret) {
        return parse_time(t, ret, USEC_PER_SEC);
}

int parse_sec_fix_0(const char *t, usec_t *ret) {
        usec_t k;
        int r;

        assert(ret);

        r = parse_sec(t, &k);
        if (r < 0)
                return r;
        *ret = k == 0 ? USEC_INFINITY : k;
        return 0;
}

int parse_sec_def_infinity(const char *t, usec_t *ret) {
        assert(t);
        assert(ret);

        t += strspn(t, WHITESPACE);
        if (*t == 0) {
                *ret = USEC_INFINITY;
                return 0;
        }
        return parse_sec(t, ret);
}

int parse_nsec(const char *t, nsec_t *ret) {
        nsec_t v;
        int r;

        assert(t);

        r = parse_span(t, 1, 1, &v);
        if (r < 0)
                return r;
        if (ret)
                *ret = v;
        return 0;
}

/* ---- formatting ---- */

/* Number of decimal digits below 1 in a unit of u microseconds (1000000 → 6). */
static int decimal_digits(usec_t u) {
        int j = 0;

        for (; u > 1; u /= 10)
                j++;
        return j;
}

char *format_timespan(char *buf, size_t l, usec_t t, usec_t accuracy) {
        static const struct {
                const char *suffix;
                usec_t usec;
        } table[] = {
                { "y", USEC_PER_YEAR },
                { "month", USEC_PER_MONTH },
                { "w", USEC_PER_WEEK },
                { "d", USEC_PER_DAY },
                { "h", USEC_PER_HOUR },
                { "min", USEC_PER_MINUTE },
                { "s", USEC_PER_SEC },
                { "ms", USEC_PER_MSEC },
                { "us", 1 },
        };
        char *p = buf;
        bool something = false;

        assert(buf);
        assert(l > 0);

        if (t == USEC_INFINITY || t == 0) {
                snprintf(buf, l, "%s", t == 0 ? "0" : "infinity");
                return buf;
        }

        for (size_t i = 0; i < ELEMENTSOF(table) && t > 0; i++) {
                usec_t a, b;
                bool done = false;
                int k = 0;
                size_t n;

                if (t < accuracy && something)
                        break;
                if (t < table[i].usec)
                        continue;
                if (l <= 1)
                        break;

                a = t / table[i].usec;
                b = t % table[i].usec;

                /* Below a minute, a remainder is shown as decimals, down to the accuracy. */
                if (t < USEC_PER_MINUTE && b > 0) {
                        int j = decimal_digits(table[i].usec);

                        for (usec_t cc = accuracy; cc > 1; cc /= 10) {
                                b /= 10;
                                j--;
                        }
                        if (j > 0) {
                                k = snprintf(p, l, "%s" USEC_FMT ".%0*" PRIu64 "%s", p > buf ? " " : "",
                                             a, j, b, table[i].suffix);
                                t = 0;
                                done = true;
                        }
                }
                if (!done) {
                        k = snprintf(p, l, "%s" USEC_FMT "%s", p > buf ? " " : "", a, table[i].suffix);
                        t = b;
                }

                n = MIN((size_t) MAX(k, 0), l - 1);
                l -= n;
                p += n;
                something = true;
        }

        *p = 0;
        return buf;
}

char *format_timestamp_style(char *buf, size_t l, usec_t t, TimestampStyle style) {
        /* English weekdays, so the output reads (and parses) the same in every locale. */
        static const char weekdays[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
        bool utc = IN_SET(style, TIMESTAMP_UTC, TIMESTAMP_US_UTC);
        bool us = IN_SET(style, TIMESTAMP_US, TIMESTAMP_US_UTC);
        struct tm tm;
        time_t sec;
        size_t n;

        assert(buf);

        if (style < 0 || style >= _TIMESTAMP_STYLE_MAX)
                return NULL;
        /* Room for the shortest form: weekday, date, time, [.µs,] a one-letter zone, NUL. */
        if (l < 3 + 1 + 10 + 1 + 8 + (us ? 7U : 0U) + 1 + 1 + 1)
                return NULL;
        if (!timestamp_is_set(t))
                return NULL;

        if (style == TIMESTAMP_UNIX) {
                int r = snprintf(buf, l, "@" USEC_FMT, t / USEC_PER_SEC);
                return r < 0 || (size_t) r >= l ? NULL : buf;
        }

        if (t > USEC_TIMESTAMP_FORMATTABLE_MAX) {
                snprintf(buf, l, "--- XXXX-XX-XX XX:XX:XX");
                return buf;
        }

        sec = (time_t) (t / USEC_PER_SEC);
        if (!(utc ? gmtime_r(&sec, &tm) : localtime_r(&sec, &tm)))
                return NULL;

        memcpy(buf, weekdays[tm.tm_wday], 3);
        if (strftime(buf + 3, l - 3, " %Y-%m-%d %H:%M:%S", &tm) == 0)
                return NULL;

        n = strlen(buf);
        if (us) {
                if (n + 8 > l)
                        return NULL;
                snprintf(buf + n, l - n, ".%06" PRIu64, t % USEC_PER_SEC);
                n = strlen(buf);
        }

        if (utc) {
                /* gmtime_r() calls the zone "GMT"; systemd prints "UTC". */
                if (n + 5 > l)
                        return NULL;
                strcpy(buf + n, " UTC");
        } else if (!isempty(tm.tm_zone)) {
                size_t tn = strlen(tm.tm_zone);

                if (n + 1 + tn + 1 <= l) {
                        buf[n] = ' ';
                        strcpy(buf + n + 1, tm.tm_zone);
                } else if (n + 1 + 6 + 1 > l)
                        return NULL; /* not even room for a POSIX-minimum zone name */
                /* Otherwise the zone is left out: readers assume local time anyway. */
        }

        return buf;
}

/* Prints "N unit[s]" pairs for format_timestamp_relative(). */
static void format_pair(char *buf, size_t l, usec_t a, const char *one, const char *many, usec_t b,
                        const char *one2, const char *many2, const char *dir) {
        snprintf(buf, l, USEC_FMT " %s " USEC_FMT " %s %s", a, a == 1 ? one : many, b, b == 1 ? one2 : many2,
                 dir);
}

char *format_timestamp_relative(char *buf, size_t l, usec_t t) {
        const char *s;
        usec_t n, d;

        assert(buf);
        assert(l > 0);

        if (!timestamp_is_set(t))
                return NULL;

        n = now(CLOCK_REALTIME);
        if (n > t) {
                d = n - t;
                s = "ago";
        } else {
                d = t - n;
                s = "left";
        }

        if (d >= USEC_PER_YEAR)
                format_pair(buf, l, d / USEC_PER_YEAR, "year", "years", (d % USEC_PER_YEAR) / USEC_PER_MONTH,
                            "month", "months", s);
        else if (d >= USEC_PER_MONTH)
                format_pair(buf, l, d / USEC_PER_MONTH, "month", "months", (d % USEC_PER_MONTH) / USEC_PER_DAY,
                            "day", "days", s);
        else if (d >= USEC_PER_WEEK)
                format_pair(buf, l, d / USEC_PER_WEEK, "week", "weeks", (d % USEC_PER_WEEK) / USEC_PER_DAY,
                            "day", "days", s);
        else if (d >= 2 * USEC_PER_DAY)
                snprintf(buf, l, USEC_FMT " days %s", d / USEC_PER_DAY, s);
        else if (d >= 25 * USEC_PER_HOUR)
                snprintf(buf, l, "1 day " USEC_FMT "h %s", (d - USEC_PER_DAY) / USEC_PER_HOUR, s);
        else if (d >= 6 * USEC_PER_HOUR)
                snprintf(buf, l, USEC_FMT "h %s", d / USEC_PER_HOUR, s);
        else if (d >= USEC_PER_HOUR)
                snprintf(buf, l, USEC_FMT "h " USEC_FMT "min %s", d / USEC_PER_HOUR,
                         (d % USEC_PER_HOUR) / USEC_PER_MINUTE, s);
        else if (d >= 5 * USEC_PER_MINUTE)
                snprintf(buf, l, USEC_FMT "min %s", d / USEC_PER_MINUTE, s);
        else if (d >= USEC_PER_MINUTE)
                snprintf(buf, l, USEC_FMT "min " USEC_FMT "s %s", d / USEC_PER_MINUTE,
                         (d % USEC_PER_MINUTE) / USEC_PER_SEC, s);
        else if (d >= USEC_PER_SEC)
                snprintf(buf, l, USEC_FMT "s %s", d / USEC_PER_SEC, s);
        else if (d >= USEC_PER_MSEC)
                snprintf(buf, l, USEC_FMT "ms %s", d / USEC_PER_MSEC, s);
        else if (d > 0)
                snprintf(buf, l, USEC_FMT "us %s", d, s);
        else
                snprintf(buf, l, "now");

        return buf;
}
