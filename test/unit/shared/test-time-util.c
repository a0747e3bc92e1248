/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-time-util.c: time spans (systemd.time(7) examples) and timestamps as systemd 252 reads and
 * prints them. When systemd-analyze is installed, its "timespan" and "timestamp" verbs serve as an
 * oracle for the exact output text.
 */

#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include "fd-util.h"
#include "string-util.h"
#include "test-helpers.h"
#include "time-util.h"

static void assert_sec(const char *s, int r, usec_t expected) {
        usec_t u = 4242;

        ck_assert_msg(parse_sec(s, &u) == r, "parse_sec(\"%s\") != %d", s, r);
        ck_assert_msg(u == (r == 0 ? expected : 4242), "parse_sec(\"%s\") = " USEC_FMT ", expected " USEC_FMT,
                      s, u, expected);
}

START_TEST(test_man_page_examples) {
        /* systemd.time(7), "Examples for valid time span specifications" */
        assert_sec("2 h", 0, 2 * USEC_PER_HOUR);
        assert_sec("2hours", 0, 2 * USEC_PER_HOUR);
        assert_sec("48hr", 0, 48 * USEC_PER_HOUR);
        assert_sec("1y 12month", 0, USEC_PER_YEAR + 12 * USEC_PER_MONTH);
        assert_sec("55s500ms", 0, 55 * USEC_PER_SEC + 500 * USEC_PER_MSEC);
        assert_sec("300ms20s 5day", 0, 300 * USEC_PER_MSEC + 20 * USEC_PER_SEC + 5 * USEC_PER_DAY);
        /* and the Exec/timeout settings' usual forms */
        assert_sec("1min 30s", 0, 90 * USEC_PER_SEC);
        assert_sec("5", 0, 5 * USEC_PER_SEC);
        assert_sec("1.5s", 0, 1500 * USEC_PER_MSEC);
        assert_sec("infinity", 0, USEC_INFINITY);
        assert_sec("  infinity  ", 0, USEC_INFINITY);
}
END_TEST

START_TEST(test_every_unit) {
        static const struct {
                const char *unit;
                usec_t usec;
        } units[] = {
                { "us", 1 }, { "usec", 1 }, { "µs", 1 }, { "μs", 1 },
                { "ms", USEC_PER_MSEC }, { "msec", USEC_PER_MSEC },
                { "s", USEC_PER_SEC }, { "sec", USEC_PER_SEC }, { "second", USEC_PER_SEC },
                { "seconds", USEC_PER_SEC },
                { "m", USEC_PER_MINUTE }, { "min", USEC_PER_MINUTE }, { "minute", USEC_PER_MINUTE },
                { "minutes", USEC_PER_MINUTE },
                { "h", USEC_PER_HOUR }, { "hr", USEC_PER_HOUR }, { "hour", USEC_PER_HOUR },
                { "hours", USEC_PER_HOUR },
                { "d", USEC_PER_DAY }, { "day", USEC_PER_DAY }, { "days", USEC_PER_DAY },
                { "w", USEC_PER_WEEK }, { "week", USEC_PER_WEEK }, { "weeks", USEC_PER_WEEK },
                { "M", USEC_PER_MONTH }, { "month", USEC_PER_MONTH }, { "months", USEC_PER_MONTH },
                { "y", USEC_PER_YEAR }, { "year", USEC_PER_YEAR }, { "years", USEC_PER_YEAR },
        };

        for (size_t i = 0; i < ELEMENTSOF(units); i++) {
                char a[64], b[64];

                snprintf(a, sizeof a, "3%s", units[i].unit);
                snprintf(b, sizeof b, " 3 %s ", units[i].unit);
                assert_sec(a, 0, 3 * units[i].usec);
                assert_sec(b, 0, 3 * units[i].usec);
        }
        /* a month is 30.44 days and a year 365.25 days */
        ck_assert_uint_eq(USEC_PER_MONTH, 2629800 * USEC_PER_SEC);
        ck_assert_uint_eq(USEC_PER_YEAR, 31557600 * USEC_PER_SEC);
        /* units are case-sensitive; nanoseconds are not a usec unit */
        assert_sec("5S", -EINVAL, 0);
        assert_sec("5H", -EINVAL, 0);
        assert_sec("5ns", -EINVAL, 0);
        assert_sec("5mi", -EINVAL, 0);
}
END_TEST

START_TEST(test_parse_sec_edge_cases) {
        assert_sec("5s500ms", 0, 5500 * USEC_PER_MSEC);
        assert_sec(" 5s 500ms  ", 0, 5500 * USEC_PER_MSEC);
        assert_sec(" 5.5s 0.5ms ", 0, 5500 * USEC_PER_MSEC + 500);
        assert_sec(" .22s ", 0, 220 * USEC_PER_MSEC);
        assert_sec(" .50y ", 0, USEC_PER_YEAR / 2);
        assert_sec("2.5", 0, 2500 * USEC_PER_MSEC);
        assert_sec(".7", 0, 700 * USEC_PER_MSEC);
        assert_sec("+3.1s", 0, 3100 * USEC_PER_MSEC);
        assert_sec("3.1s.2", 0, 3300 * USEC_PER_MSEC);
        assert_sec("3.1 .2", 0, 3300 * USEC_PER_MSEC);
        assert_sec("3.1 sec 1.2 sec", 0, 4300 * USEC_PER_MSEC);
        assert_sec("1 2 3", 0, 6 * USEC_PER_SEC);
        assert_sec("1.0000005s", 0, USEC_PER_SEC); /* below 1us is cut off */
        assert_sec("0", 0, 0);

        assert_sec("", -EINVAL, 0);
        assert_sec("   ", -EINVAL, 0);
        assert_sec(" xyz ", -EINVAL, 0);
        assert_sec(" . ", -EINVAL, 0);
        assert_sec(" 5. ", -EINVAL, 0);
        assert_sec(".s ", -EINVAL, 0);
        assert_sec("3.+1s", -EINVAL, 0);
        assert_sec("3. 1s", -EINVAL, 0);
        assert_sec("3.s", -EINVAL, 0);
        assert_sec("0.-0s ", -EINVAL, 0);
        assert_sec("12.34.56", -EINVAL, 0);
        assert_sec("12..34", -EINVAL, 0);
        assert_sec("..1234", -EINVAL, 0);
        assert_sec("1234..", -EINVAL, 0);
        assert_sec(" infinity .7", -EINVAL, 0);
        assert_sec(".3 infinity", -EINVAL, 0);
        assert_sec("infinite", -EINVAL, 0);
        assert_sec("5sec foo", -EINVAL, 0);

        assert_sec("-5s ", -ERANGE, 0);
        assert_sec("-0", -ERANGE, 0);
        assert_sec("-0.3s ", -ERANGE, 0);
        assert_sec("11111111111111y", -ERANGE, 0);
        assert_sec("18446744073709551614us", -ERANGE, 0); /* numbers are read as signed 64 bit */
        assert_sec("99999999999999999999", -ERANGE, 0);
        assert_sec("9223372036854775807us 9223372036854775807us", 0, UINT64_C(18446744073709551614));
        assert_sec("9223372036854775807us 9223372036854775807us 1us", -ERANGE, 0);
}
END_TEST

START_TEST(test_parse_time_variants) {
        usec_t u = 0;
        nsec_t n = 0;

        ck_assert_int_eq(parse_time("5", &u, 1), 0);
        ck_assert_uint_eq(u, 5);
        ck_assert_int_eq(parse_time("5", &u, USEC_PER_MSEC), 0);
        ck_assert_uint_eq(u, 5 * USEC_PER_MSEC);
        ck_assert_int_eq(parse_time("5s", &u, USEC_PER_MSEC), 0);
        ck_assert_uint_eq(u, 5 * USEC_PER_SEC);
        ck_assert_int_eq(parse_time("1.5", &u, USEC_PER_MSEC), 0);
        ck_assert_uint_eq(u, 1500);
        ck_assert_int_eq(parse_time("11111111111111y", &u, 1), -ERANGE);
        ck_assert_int_eq(parse_time("1.1111111111111y", &u, 1), 0);

        ck_assert_int_eq(parse_sec_fix_0("5s", &u), 0);
        ck_assert_uint_eq(u, 5 * USEC_PER_SEC);
        ck_assert_int_eq(parse_sec_fix_0("0s", &u), 0);
        ck_assert_uint_eq(u, USEC_INFINITY);
        ck_assert_int_eq(parse_sec_fix_0(" 0", &u), 0);
        ck_assert_uint_eq(u, USEC_INFINITY);
        ck_assert_int_eq(parse_sec_fix_0("", &u), -EINVAL);

        ck_assert_int_eq(parse_sec_def_infinity("", &u), 0);
        ck_assert_uint_eq(u, USEC_INFINITY);
        ck_assert_int_eq(parse_sec_def_infinity("   ", &u), 0);
        ck_assert_uint_eq(u, USEC_INFINITY);
        ck_assert_int_eq(parse_sec_def_infinity(" 0", &u), 0);
        ck_assert_uint_eq(u, 0);
        ck_assert_int_eq(parse_sec_def_infinity("-5s", &u), -ERANGE);

        ck_assert_int_eq(parse_nsec("5s500ms", &n), 0);
        ck_assert_uint_eq(n, 5 * NSEC_PER_SEC + 500 * NSEC_PER_MSEC);
        ck_assert_int_eq(parse_nsec(" 5.5s 0.5ms ", &n), 0);
        ck_assert_uint_eq(n, 5500 * NSEC_PER_MSEC + 500 * NSEC_PER_USEC);
        ck_assert_int_eq(parse_nsec("2.5", &n), 0);
        ck_assert_uint_eq(n, 2);
        ck_assert_int_eq(parse_nsec(".7", &n), 0);
        ck_assert_uint_eq(n, 0);
        ck_assert_int_eq(parse_nsec("3.1s.2", &n), 0);
        ck_assert_uint_eq(n, 3100 * NSEC_PER_MSEC);
        ck_assert_int_eq(parse_nsec("3.1 .2s", &n), 0);
        ck_assert_uint_eq(n, 200 * NSEC_PER_MSEC + 3);
        ck_assert_int_eq(parse_nsec("7ns 3nsec 1us", &n), 0);
        ck_assert_uint_eq(n, 1010);
        ck_assert_int_eq(parse_nsec("infinity", &n), 0);
        ck_assert_uint_eq(n, NSEC_INFINITY);
        ck_assert_int_eq(parse_nsec("12.34.56", &n), -EINVAL);
        ck_assert_int_eq(parse_nsec("1111111111111y", &n), -ERANGE);
        ck_assert_int_eq(parse_nsec("1.111111111111y", &n), 0);
        ck_assert_int_eq(parse_nsec("-0", &n), -ERANGE);
}
END_TEST

static void assert_span(usec_t t, usec_t accuracy, const char *expected) {
        char buf[FORMAT_TIMESPAN_MAX];

        ck_assert_str_eq(format_timespan(buf, sizeof buf, t, accuracy), expected);
}

START_TEST(test_format_timespan) {
        assert_span(0, 0, "0");
        assert_span(USEC_INFINITY, 0, "infinity");
        assert_span(90 * USEC_PER_SEC, 0, "1min 30s");
        assert_span(500 * USEC_PER_MSEC, 0, "500ms");
        assert_span(2 * USEC_PER_HOUR, 0, "2h");
        assert_span(48 * USEC_PER_HOUR, 0, "2d");
        assert_span(USEC_PER_YEAR + 12 * USEC_PER_MONTH, 0, "2y");
        assert_span(55500 * USEC_PER_MSEC, 0, "55.500000s");
        assert_span(55500 * USEC_PER_MSEC, USEC_PER_MSEC, "55.500s");
        assert_span(55500 * USEC_PER_MSEC, USEC_PER_SEC, "55s");
        assert_span(432020300000, 0, "5d 20.300000s");
        assert_span(432020300000, USEC_PER_MSEC, "5d 20.300s");
        assert_span(61500 * USEC_PER_MSEC, 0, "1min 1.500000s");
        assert_span(1500, 0, "1.500ms");
        assert_span(1, 0, "1us");
        assert_span(23, USEC_PER_MSEC, "23us"); /* something is always printed */
        assert_span(USEC_PER_WEEK + 2 * USEC_PER_DAY + 3 * USEC_PER_HOUR + 4 * USEC_PER_MINUTE +
                            5 * USEC_PER_SEC + 6007, 0, "1w 2d 3h 4min 5.006007s");
        assert_span(USEC_PER_WEEK + 2 * USEC_PER_DAY + 3 * USEC_PER_HOUR + 4 * USEC_PER_MINUTE +
                            5 * USEC_PER_SEC + 6007, USEC_PER_MINUTE, "1w 2d 3h 4min");
        assert_span(5 * USEC_PER_YEAR + 7 * USEC_PER_MONTH + 3 * USEC_PER_WEEK, 0, "5y 7month 3w");
        assert_span(UINT64_C(18446744073709551614), 0,
                    "584542y 2w 2d 20h 1min 49.551614s"); /* the longest finite span fits */

        /* Truncation never overruns the buffer (systemd issue #23928). */
        {
                char small[5];
                ck_assert_str_eq(format_timespan(small, sizeof small, 100005, 1000), "100m");
                ck_assert_str_eq(format_timespan(small, sizeof small, USEC_INFINITY, 0), "infi");
        }

        /* Every output parses back to the same value at the given accuracy. */
        {
                static const usec_t values[] = { 1, 12, 123, 1234, 12345, 123456, 1234567, 12345678,
                                                 1200000, 1230000, 1234500, 986087, 999 * USEC_PER_MSEC,
                                                 9 * USEC_PER_YEAR / 5 - 23, USEC_PER_SEC };
                static const usec_t accuracies[] = { 1, USEC_PER_MSEC, USEC_PER_SEC };

                for (size_t a = 0; a < ELEMENTSOF(accuracies); a++)
                        for (size_t i = 0; i < ELEMENTSOF(values); i++) {
                                char buf[FORMAT_TIMESPAN_MAX];
                                usec_t back;

                                format_timespan(buf, sizeof buf, values[i], accuracies[a]);
                                ck_assert_int_eq(parse_sec(buf, &back), 0);
                                ck_assert_uint_eq(values[i] / accuracies[a], back / accuracies[a]);
                        }
        }

        ck_assert_str_eq(FORMAT_TIMESPAN(3 * USEC_PER_SEC, 0), "3s");
}
END_TEST

static void assert_stamp(usec_t t, TimestampStyle style, const char *expected) {
        char buf[FORMAT_TIMESTAMP_MAX];
        const char *r = format_timestamp_style(buf, sizeof buf, t, style);

        if (!expected)
                ck_assert_ptr_null(r);
        else
                ck_assert_str_eq(r, expected);
}

START_TEST(test_format_timestamp) {
        const usec_t t = UINT64_C(1795366441) * USEC_PER_SEC + 123456;
        char buf[FORMAT_TIMESTAMP_MAX];

        assert_stamp(0, TIMESTAMP_UTC, NULL);
        assert_stamp(USEC_INFINITY, TIMESTAMP_UTC, NULL);
        assert_stamp(1, TIMESTAMP_UTC, "Thu 1970-01-01 00:00:00 UTC");
        assert_stamp(USEC_PER_SEC, TIMESTAMP_UTC, "Thu 1970-01-01 00:00:01 UTC");
        assert_stamp(t, TIMESTAMP_UTC, "Sun 2026-11-22 16:54:01 UTC");
        assert_stamp(t, TIMESTAMP_US_UTC, "Sun 2026-11-22 16:54:01.123456 UTC");
        assert_stamp(t, TIMESTAMP_UNIX, "@1795366441");
        assert_stamp(USEC_TIMESTAMP_FORMATTABLE_MAX, TIMESTAMP_UTC, "Thu 9999-12-30 23:59:59 UTC");
        assert_stamp(USEC_TIMESTAMP_FORMATTABLE_MAX + 1, TIMESTAMP_UTC, "--- XXXX-XX-XX XX:XX:XX");

        /* The local time zone names itself. */
        setenv("TZ", "UTC", 1);
        tzset();
        ck_assert_str_eq(format_timestamp(buf, sizeof buf, t), "Sun 2026-11-22 16:54:01 UTC");
        ck_assert_str_eq(FORMAT_TIMESTAMP(t), "Sun 2026-11-22 16:54:01 UTC");
        assert_stamp(t, TIMESTAMP_US, "Sun 2026-11-22 16:54:01.123456 UTC");
        if (access("/usr/share/zoneinfo/Europe/Berlin", F_OK) == 0) {
                setenv("TZ", "Europe/Berlin", 1);
                tzset();
                ck_assert_str_eq(format_timestamp(buf, sizeof buf, t), "Sun 2026-11-22 17:54:01 CET");
                ck_assert_str_eq(format_timestamp(buf, sizeof buf, UINT64_C(1782000000) * USEC_PER_SEC),
                                 "Sun 2026-06-21 02:00:00 CEST");
        }
        setenv("TZ", "UTC", 1);
        tzset();

        /* too small buffers */
        ck_assert_ptr_null(format_timestamp(buf, 20, t));
        ck_assert_ptr_null(format_timestamp_style(buf, 30, t, TIMESTAMP_US));
}
END_TEST

START_TEST(test_format_timestamp_relative) {
        char buf[FORMAT_TIMESTAMP_RELATIVE_MAX];
        usec_t n = now(CLOCK_REALTIME);

        ck_assert_ptr_null(format_timestamp_relative(buf, sizeof buf, 0));
        ck_assert_str_eq(format_timestamp_relative(buf, sizeof buf, n - 10 * USEC_PER_MINUTE - 5 * USEC_PER_SEC),
                         "10min ago");
        ck_assert_str_eq(format_timestamp_relative(buf, sizeof buf, n + 2 * USEC_PER_HOUR + 3 * USEC_PER_MINUTE + 30 * USEC_PER_SEC),
                         "2h 3min left");
        ck_assert_str_eq(format_timestamp_relative(buf, sizeof buf, n - 3 * USEC_PER_DAY - USEC_PER_HOUR),
                         "3 days ago");
        ck_assert_str_eq(format_timestamp_relative(buf, sizeof buf, n - USEC_PER_YEAR - USEC_PER_MONTH - USEC_PER_DAY),
                         "1 year 1 month ago");
        ck_assert_str_eq(FORMAT_TIMESTAMP_RELATIVE(n - 2 * USEC_PER_WEEK - 2 * USEC_PER_DAY - USEC_PER_HOUR),
                         "2 weeks 2 days ago");
}
END_TEST

START_TEST(test_time_base) {
        struct timespec ts;
        usec_t a, b;

        a = now(CLOCK_MONOTONIC);
        b = now(CLOCK_MONOTONIC);
        ck_assert_uint_le(a, b);
        ck_assert_uint_gt(now(CLOCK_REALTIME), UINT64_C(1600000000) * USEC_PER_SEC);

        timespec_store(&ts, 1500001);
        ck_assert_int_eq(ts.tv_sec, 1);
        ck_assert_int_eq(ts.tv_nsec, 500001000);
        ck_assert_uint_eq(timespec_load(&ts), 1500001);
        timespec_store(&ts, USEC_INFINITY);
        ck_assert_int_eq(ts.tv_sec, -1);
        ck_assert_int_eq(ts.tv_nsec, -1);
        ck_assert_uint_eq(timespec_load(&ts), USEC_INFINITY);
}
END_TEST

/* ---- systemd-analyze as an oracle ---- */

static const char *find_systemd_analyze(void) {
        const char *p;

        FOREACH_STRING(p, "/usr/bin/systemd-analyze", "/bin/systemd-analyze")
                if (access(p, X_OK) == 0)
                        return p;
        return NULL;
}

/* Runs "systemd-analyze timespan ARG" and returns the μs and Human: lines' values. */
static bool oracle_timespan(const char *tool, const char *arg, usec_t *ret_usec, char *human, size_t n) {
        _cleanup_free_ char *cmd = NULL;
        char line[512];
        bool got_usec = false, got_human = false;
        FILE *f;

        ck_assert_int_eq(asprintf_safe(&cmd, "SYSTEMD_COLORS=0 SYSTEMD_PAGER=cat %s timespan '%s' 2>/dev/null", tool, arg), 0);
        f = popen(cmd, "r");
        ck_assert_ptr_nonnull(f);
        while (fgets(line, sizeof line, f)) {
                char *v = strchr(line, ':');

                if (!v)
                        continue;
                v = strstrip(v + 1);
                if (strstr(line, "Human:")) {
                        snprintf(human, n, "%s", v);
                        got_human = true;
                } else if (strstr(line, "s:") && !strstr(line, "Original:")) {
                        *ret_usec = strtoull(v, NULL, 10);
                        got_usec = true;
                }
        }
        pclose(f);
        return got_usec && got_human;
}

START_TEST(test_oracle_timespan) {
        static const char *const inputs[] = {
                "2 h", "2hours", "48hr", "1y 12month", "55s500ms", "300ms20s 5day", "1min 30s", "1.5s",
                "0.5", "1500ms", "90", ".5", "12.34 .56", "1M", "1w 2d 3h 4min 5s 6ms 7us",
                "59.999999s", "61.5s", "1.0000005s", "5y 7month 3w", "0", "1us", "999ms", "3.1s.2",
                "1 2 3", "100 days", "1 year", "23µs", "7.25min", "infinity", "9223372036854775807us 9223372036854775807us",
        };
        const char *tool = find_systemd_analyze();

        if (!tool) {
                fprintf(stderr, "systemd-analyze not installed, skipping the oracle comparison\n");
                return;
        }
        for (size_t i = 0; i < ELEMENTSOF(inputs); i++) {
                char human[256], ours[FORMAT_TIMESPAN_MAX];
                usec_t theirs = 0, u = 0;

                ck_assert_msg(oracle_timespan(tool, inputs[i], &theirs, human, sizeof human),
                              "systemd-analyze failed on \"%s\"", inputs[i]);
                ck_assert_int_eq(parse_sec(inputs[i], &u), 0);
                ck_assert_msg(u == theirs, "\"%s\": ours " USEC_FMT ", systemd " USEC_FMT, inputs[i], u, theirs);
                format_timespan(ours, sizeof ours, u, 0);
                ck_assert_msg(streq(ours, human), "\"%s\": ours \"%s\", systemd \"%s\"", inputs[i], ours, human);
        }
}
END_TEST

START_TEST(test_oracle_timestamp) {
        static const usec_t stamps[] = { USEC_PER_SEC, UINT64_C(1795366441000000), UINT64_C(1782000000000000),
                                         UINT64_C(951782400000000), UINT64_C(4102444799000000) };
        const char *tool = find_systemd_analyze(), *tz;

        if (!tool) {
                fprintf(stderr, "systemd-analyze not installed, skipping the oracle comparison\n");
                return;
        }
        FOREACH_STRING(tz, "UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata") {
                if (!streq(tz, "UTC")) {
                        char zf[256];
                        snprintf(zf, sizeof zf, "/usr/share/zoneinfo/%s", tz);
                        if (access(zf, F_OK) < 0)
                                continue;
                }
                setenv("TZ", tz, 1);
                tzset();
                for (size_t i = 0; i < ELEMENTSOF(stamps); i++) {
                        _cleanup_free_ char *cmd = NULL;
                        char line[512], expected[256] = "", buf[FORMAT_TIMESTAMP_MAX];
                        FILE *f;

                        ck_assert_int_eq(asprintf_safe(&cmd, "SYSTEMD_COLORS=0 TZ=%s %s timestamp @%" PRIu64
                                                       " 2>/dev/null", tz, tool, stamps[i] / USEC_PER_SEC), 0);
                        f = popen(cmd, "r");
                        ck_assert_ptr_nonnull(f);
                        while (fgets(line, sizeof line, f))
                                if (strstr(line, "Normalized form:"))
                                        snprintf(expected, sizeof expected, "%s",
                                                 strstrip(strchr(line, ':') + 1));
                        pclose(f);
                        ck_assert_msg(*expected, "no output from systemd-analyze for %s", cmd);
                        ck_assert_str_eq(format_timestamp(buf, sizeof buf, stamps[i]), expected);
                }
        }
        setenv("TZ", "UTC", 1);
        tzset();
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("time-util");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_man_page_examples);
        tcase_add_test(tc, test_every_unit);
        tcase_add_test(tc, test_parse_sec_edge_cases);
        tcase_add_test(tc, test_parse_time_variants);
        tcase_add_test(tc, test_format_timespan);
        tcase_add_test(tc, test_format_timestamp);
        tcase_add_test(tc, test_format_timestamp_relative);
        tcase_add_test(tc, test_time_base);
        tcase_add_test(tc, test_oracle_timespan);
        tcase_add_test(tc, test_oracle_timestamp);
        tcase_set_timeout(tc, 60);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
