/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* exec-rlimit.c: Limit*= names, values and application (see exec-rlimit.h). */

#include <sys/time.h>

#include "escape.h"
#include "exec-rlimit.h"
#include "parse-util.h"
#include "string-util.h"
#include "time-util.h"

static const char *const rlimit_names[EXEC_RLIMIT_MAX] = {
        [RLIMIT_CPU] = "CPU",         [RLIMIT_FSIZE] = "FSIZE",     [RLIMIT_DATA] = "DATA",
        [RLIMIT_STACK] = "STACK",     [RLIMIT_CORE] = "CORE",       [RLIMIT_RSS] = "RSS",
        [RLIMIT_NPROC] = "NPROC",     [RLIMIT_NOFILE] = "NOFILE",   [RLIMIT_MEMLOCK] = "MEMLOCK",
        [RLIMIT_AS] = "AS",           [RLIMIT_LOCKS] = "LOCKS",     [RLIMIT_SIGPENDING] = "SIGPENDING",
        [RLIMIT_MSGQUEUE] = "MSGQUEUE", [RLIMIT_NICE] = "NICE",     [RLIMIT_RTPRIO] = "RTPRIO",
        [RLIMIT_RTTIME] = "RTTIME",
};

const char *exec_rlimit_to_string(int resource) {
        return resource >= 0 && resource < EXEC_RLIMIT_MAX ? rlimit_names[resource] : NULL;
}

int exec_rlimit_from_string(const char *s) {
        const char *p;

        if (!s)
                return -EINVAL;
        if ((p = startswith(s, "RLIMIT_")) || (p = startswith(s, "Limit")))
                s = p;
        for (int i = 0; i < EXEC_RLIMIT_MAX; i++)
                if (rlimit_names[i] && streq(s, rlimit_names[i]))
                        return i;
        return -EINVAL;
}

/* A limit must stay below RLIM_INFINITY unless it is "infinity". */
static int rlimit_check(uint64_t u, rlim_t *ret) {
        if (u >= (uint64_t) RLIM_INFINITY)
                return -ERANGE;
        *ret = (rlim_t) u;
        return 0;
}

static int parse_plain(const char *v, rlim_t *ret) {
        uint64_t u;
        int r = safe_atou64(v, &u);
        return r < 0 ? r : rlimit_check(u, ret);
}

static int parse_bytes(const char *v, rlim_t *ret) {
        uint64_t u;
        int r = parse_size(v, 1024, &u);
        return r < 0 ? r : rlimit_check(u, ret);
}

/* RLIMIT_CPU: a time span, rounded up to whole seconds. */
static int parse_seconds(const char *v, rlim_t *ret) {
        usec_t t;
        int r = parse_sec(v, &t);

        if (r < 0)
                return r;
        if (t == USEC_INFINITY) {
                *ret = RLIM_INFINITY;
                return 0;
        }
        return rlimit_check(DIV_ROUND_UP(t, USEC_PER_SEC), ret);
}

/* RLIMIT_RTTIME: a time span in microseconds (the default unit). */
static int parse_usec(const char *v, rlim_t *ret) {
        usec_t t;
        int r = parse_time(v, &t, 1);

        if (r < 0)
                return r;
        *ret = t == USEC_INFINITY ? RLIM_INFINITY : (rlim_t) t;
        return 0;
}

/* RLIMIT_NICE: "+N"/"-N" are nice levels (mapped to the kernel's 40…1 scale: 20 - level), a bare
 * number is the raw limit 0…40. */
static int parse_nice_limit(const char *v, rlim_t *ret) {
        uint64_t u;
        int r = safe_atou64(v + (v[0] == '+' || v[0] == '-'), &u);

        if (r < 0)
                return r;
        if (v[0] == '+') {
                if (u >= 20)
                        return -ERANGE;
                u = 20 - u;
        } else if (v[0] == '-') {
                if (u > 20)
                        return -ERANGE;
                u = 20 + u;
        } else if (u > 40)
                return -ERANGE;
        *ret = (rlim_t) u;
        return 0;
}

static int parse_one(int resource, const char *v, rlim_t *ret) {
        if (streq(v, "infinity")) {
                *ret = RLIM_INFINITY;
                return 0;
        }
        switch (resource) {
        case RLIMIT_CPU:
                return parse_seconds(v, ret);
        case RLIMIT_RTTIME:
                return parse_usec(v, ret);
        case RLIMIT_NICE:
                return parse_nice_limit(v, ret);
        case RLIMIT_FSIZE: case RLIMIT_DATA: case RLIMIT_STACK: case RLIMIT_CORE: case RLIMIT_RSS:
        case RLIMIT_AS: case RLIMIT_MEMLOCK: case RLIMIT_MSGQUEUE:
                return parse_bytes(v, ret);
        default:
                return parse_plain(v, ret);
        }
}

int exec_rlimit_parse(int resource, const char *value, struct rlimit *ret) {
        _cleanup_free_ char *soft = NULL, *hard = NULL;
        rlim_t s, h;
        int r;

        if (!exec_rlimit_to_string(resource) || !value)
                return -EINVAL;
        r = extract_first_word(&value, &soft, ":", EXTRACT_DONT_COALESCE_SEPARATORS);
        if (r < 0)
                return r;
        if (r == 0)
                return -EINVAL;
        r = parse_one(resource, soft, &s);
        if (r < 0)
                return r;
        r = extract_first_word(&value, &hard, ":", EXTRACT_DONT_COALESCE_SEPARATORS);
        if (r < 0)
                return r;
        if (!isempty(value))
                return -EINVAL;
        if (r == 0)
                h = s;
        else {
                r = parse_one(resource, hard, &h);
                if (r < 0)
                        return r;
                if (s > h)
                        return -EILSEQ;
        }
        if (ret)
                *ret = (struct rlimit) { .rlim_cur = s, .rlim_max = h };
        return 0;
}

int exec_rlimit_set_closest(int resource, const struct rlimit *rl) {
        struct rlimit cur, fixed;

        if (setrlimit(resource, rl) >= 0)
                return 0;
        if (errno != EPERM)
                return -errno;
        if (getrlimit(resource, &cur) < 0)
                return -errno;
        if (cur.rlim_max == RLIM_INFINITY)
                return -EPERM; /* the hard limit is not what stopped us */
        fixed = (struct rlimit) {
                .rlim_cur = MIN(rl->rlim_cur, cur.rlim_max),
                .rlim_max = MIN(rl->rlim_max, cur.rlim_max),
        };
        if (fixed.rlim_cur == cur.rlim_cur && fixed.rlim_max == cur.rlim_max)
                return 0;
        return setrlimit(resource, &fixed) < 0 ? -errno : 0;
}
