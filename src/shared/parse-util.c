/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * parse-util.c: number, boolean, size and percentage parsers with systemd 252's acceptance
 * rules (which prefixes, signs and whitespace are allowed, and which error each case gives).
 */

#include <assert.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

#include "fd-util.h"
#include "parse-util.h"
#include "string-util.h"

#define SAFE_ATO_MASK_FLAGS(base) ((base) & ~SAFE_ATO_ALL_FLAGS)

int parse_boolean(const char *v) {
        static const char *const yes[] = { "1", "yes", "y", "true", "t", "on" };
        static const char *const no[] = { "0", "no", "n", "false", "f", "off" };

        if (!v)
                return -EINVAL;
        for (size_t i = 0; i < ELEMENTSOF(yes); i++) {
                if (strcasecmp(v, yes[i]) == 0)
                        return 1;
                if (strcasecmp(v, no[i]) == 0)
                        return 0;
        }
        return -EINVAL;
}

/* With base 0, "0b" and "0o" select binary and octal (strtoul() itself handles "0x" and "0"). */
static const char *mangle_base(const char *s, unsigned *base) {
        if (SAFE_ATO_MASK_FLAGS(*base) != 0)
                return s;
        if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
                *base = 2 | (*base & SAFE_ATO_ALL_FLAGS);
                return s + 2;
        }
        if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O')) {
                *base = 8 | (*base & SAFE_ATO_ALL_FLAGS);
                return s + 2;
        }
        return s;
}

/* Applies the SAFE_ATO_* flags and the base prefixes; returns the text for strtoull() or NULL
 * (with *ret_error set) when a flag refuses it. */
static const char *prepare_unsigned(const char *s, unsigned *base, int *ret_error) {
        if ((*base & SAFE_ATO_REFUSE_LEADING_WHITESPACE) && s[0] && strchr(WHITESPACE, s[0]))
                goto invalid;
        s += strspn(s, WHITESPACE);
        if ((*base & SAFE_ATO_REFUSE_PLUS_MINUS) && (s[0] == '+' || s[0] == '-'))
                goto invalid;
        if ((*base & SAFE_ATO_REFUSE_LEADING_ZERO) && s[0] == '0' && s[1] != 0)
                goto invalid;
        return mangle_base(s, base);

invalid:
        *ret_error = -EINVAL;
        return NULL;
}

int safe_atou64_full(const char *s, unsigned base, uint64_t *ret) {
        unsigned long long l;
        char *x = NULL;
        int r = 0;

        assert(s);
        assert(SAFE_ATO_MASK_FLAGS(base) <= 16);

        s = prepare_unsigned(s, &base, &r);
        if (!s)
                return r;

        errno = 0;
        l = strtoull(s, &x, (int) SAFE_ATO_MASK_FLAGS(base));
        if (errno > 0)
                return -errno;
        if (!x || x == s || *x != 0)
                return -EINVAL;
        /* strtoull() silently negates "-5"; a clean "-0" is fine. */
        if (l != 0 && s[0] == '-')
                return -ERANGE;
        if (ret)
                *ret = (uint64_t) l;
        return 0;
}

/* Parses an unsigned value of at most max. */
static int safe_atou_max(const char *s, unsigned base, uint64_t max, uint64_t *ret) {
        uint64_t v;
        int r;

        r = safe_atou64_full(s, base, &v);
        if (r < 0)
                return r;
        if (v > max)
                return -ERANGE;
        *ret = v;
        return 0;
}

int safe_atou_full(const char *s, unsigned base, unsigned *ret) {
        uint64_t v;
        int r = safe_atou_max(s, base, UINT_MAX, &v);

        if (r >= 0 && ret)
                *ret = (unsigned) v;
        return r;
}

int safe_atou16_full(const char *s, unsigned base, uint16_t *ret) {
        uint64_t v;
        int r = safe_atou_max(s, base, UINT16_MAX, &v);

        if (r >= 0 && ret)
                *ret = (uint16_t) v;
        return r;
}

int safe_atou8_full(const char *s, unsigned base, uint8_t *ret) {
        uint64_t v;
        int r = safe_atou_max(s, base, UINT8_MAX, &v);

        if (r >= 0 && ret)
                *ret = (uint8_t) v;
        return r;
}

int safe_atolu(const char *s, unsigned long *ret) {
        uint64_t v;
        int r = safe_atou_max(s, 0, ULONG_MAX, &v);

        if (r >= 0 && ret)
                *ret = (unsigned long) v;
        return r;
}

int safe_atozu(const char *s, size_t *ret) {
        uint64_t v;
        int r = safe_atou_max(s, 0, SIZE_MAX, &v);

        if (r >= 0 && ret)
                *ret = (size_t) v;
        return r;
}

/* Parses a signed value in [min, max]. */
static int safe_atoi_range(const char *s, int64_t min, int64_t max, int64_t *ret) {
        unsigned base = 0;
        long long l;
        char *x = NULL;

        assert(s);

        s += strspn(s, WHITESPACE);
        s = mangle_base(s, &base);

        errno = 0;
        l = strtoll(s, &x, (int) base);
        if (errno > 0)
                return -errno;
        if (!x || x == s || *x != 0)
                return -EINVAL;
        if (l < min || l > max)
                return -ERANGE;
        *ret = (int64_t) l;
        return 0;
}

int safe_atoi64(const char *s, int64_t *ret) {
        int64_t v;
        int r = safe_atoi_range(s, INT64_MIN, INT64_MAX, &v);

        if (r >= 0 && ret)
                *ret = v;
        return r;
}

int safe_atoi(const char *s, int *ret) {
        int64_t v;
        int r = safe_atoi_range(s, INT_MIN, INT_MAX, &v);

        if (r >= 0 && ret)
                *ret = (int) v;
        return r;
}

int safe_atoi16(const char *s, int16_t *ret) {
        int64_t v;
        int r = safe_atoi_range(s, INT16_MIN, INT16_MAX, &v);

        if (r >= 0 && ret)
                *ret = (int16_t) v;
        return r;
}

/* ---- sizes ---- */

static const char size_suffixes[] = "EPTGMKB"; /* largest first; then the empty suffix */

static uint64_t size_factor(size_t i, uint64_t base) {
        uint64_t f = 1;

        /* E is base^6, … K is base^1, B and "" are 1. */
        for (size_t k = i; k < 6; k++)
                f *= base;
        return f;
}

/* Parses one "NUMBER[.FRACTION] [SUFFIX]" part at *p whose suffix index is at least *min_index;
 * adds it to *total. */
static int parse_size_part(const char **p, uint64_t base, size_t *min_index, uint64_t *total) {
        const char *s = *p + strspn(*p, WHITESPACE), *e;
        unsigned long long l, tmp;
        double frac = 0;
        uint64_t factor;
        char *x;
        size_t i;

        errno = 0;
        l = strtoull(s, &x, 10);
        if (errno > 0)
                return -errno;
        if (x == s)
                return -EINVAL;
        if (*s == '-')
                return -ERANGE;

        e = x;
        if (*e == '.') {
                e++;
                /* Only digits: strtoull() would also take blanks and signs. "10.M" is valid. */
                if (*e >= '0' && *e <= '9') {
                        unsigned long long l2 = strtoull(e, &x, 10);

                        if (errno > 0)
                                return -errno;
                        frac = (double) l2;
                        for (; e < x; e++)
                                frac /= 10;
                }
        }
        e += strspn(e, WHITESPACE);

        for (i = *min_index; i < sizeof(size_suffixes) - 1; i++)
                if (*e == size_suffixes[i])
                        break;
        if (i >= sizeof(size_suffixes) - 1 && *min_index > sizeof(size_suffixes) - 1)
                return -EINVAL; /* even the empty suffix was used already */
        factor = size_factor(i, base);

        if (l + (frac > 0) > ULLONG_MAX / factor)
                return -ERANGE;
        tmp = l * factor + (unsigned long long) (frac * (double) factor);
        if (tmp > UINT64_MAX - *total)
                return -ERANGE;
        *total += tmp;

        *p = i < sizeof(size_suffixes) - 1 ? e + 1 : e;
        *min_index = i + 1;
        return 0;
}

int parse_size(const char *t, uint64_t base, uint64_t *ret) {
        uint64_t total = 0;
        size_t min_index = 0;
        const char *p = t;

        assert(t);
        assert(base == 1000 || base == 1024);

        do {
                int r = parse_size_part(&p, base, &min_index, &total);
                if (r < 0)
                        return r;
        } while (*p);

        if (ret)
                *ret = total;
        return 0;
}

/* ---- percentages ---- */

/* Parses the non-negative integer in the n bytes at p (as safe_atoi() would). */
static int parse_int_prefix(const char *p, size_t n, int *ret) {
        _cleanup_free_ char *buf = strndup(p, n);
        int r;

        if (!buf)
                return -ENOMEM;
        r = safe_atoi(buf, ret);
        if (r < 0)
                return r;
        return *ret < 0 ? -ERANGE : 0;
}

/* "N<symbol>" with up to `places` decimals (0, 1 or 2); returns N * 10^places. With two places,
 * one decimal is accepted too ("1.5%" = 150 permyriad). */
static int parse_scaled(const char *p, const char *symbol, unsigned places) {
        const char *end = endswith(p, symbol), *dot;
        int scale = places == 0 ? 1 : places == 1 ? 10 : 100, v, q = 0, r;
        size_t digits;

        if (!end)
                return -EINVAL;
        dot = places > 0 ? memchr(p, '.', (size_t) (end - p)) : NULL;
        if (dot) {
                digits = (size_t) (end - dot - 1);
                if (digits == 0 || digits > places)
                        return -EINVAL;
                for (size_t i = 1; i <= places; i++) {
                        char c = i <= digits ? dot[i] : '0';
                        if (c < '0' || c > '9')
                                return -EINVAL;
                        q = q * 10 + (c - '0');
                }
                end = dot;
        }
        r = parse_int_prefix(p, (size_t) (end - p), &v);
        if (r < 0)
                return r;
        if (v > (INT_MAX - q) / scale)
                return -ERANGE;
        return v * scale + q;
}

int parse_percent_unbounded(const char *p) {
        return parse_scaled(p, "%", 0);
}

int parse_percent(const char *p) {
        int v = parse_percent_unbounded(p);
        return v > 100 ? -ERANGE : v;
}

int parse_permille_unbounded(const char *p) {
        if (endswith(p, "‰"))
                return parse_scaled(p, "‰", 0);
        return parse_scaled(p, "%", 1);
}

int parse_permille(const char *p) {
        int v = parse_permille_unbounded(p);
        return v > 1000 ? -ERANGE : v;
}

int parse_permyriad_unbounded(const char *p) {
        if (endswith(p, "‱"))
                return parse_scaled(p, "‱", 0);
        if (endswith(p, "‰"))
                return parse_scaled(p, "‰", 1);
        return parse_scaled(p, "%", 2);
}

int parse_permyriad(const char *p) {
        int v = parse_permyriad_unbounded(p);
        return v > 10000 ? -ERANGE : v;
}

/* ---- identifiers ---- */

int parse_mode(const char *s, mode_t *ret) {
        unsigned m;
        int r;

        assert(s);

        r = safe_atou_full(s, 8 | SAFE_ATO_REFUSE_PLUS_MINUS, &m);
        if (r < 0)
                return r;
        if (m > 07777)
                return -ERANGE;
        if (ret)
                *ret = (mode_t) m;
        return 0;
}

int parse_pid(const char *s, pid_t *ret) {
        unsigned long ul;
        pid_t pid;
        int r;

        assert(s);

        r = safe_atolu(s, &ul);
        if (r < 0)
                return r;
        pid = (pid_t) ul;
        if ((unsigned long) pid != ul || pid <= 0)
                return -ERANGE;
        if (ret)
                *ret = pid;
        return 0;
}

int parse_uid(const char *s, uid_t *ret) {
        unsigned u;
        int r;

        assert(s);

        /* Strict, since callers fall back to user-name lookup when this fails. */
        r = safe_atou_full(s, 10 | SAFE_ATO_REFUSE_PLUS_MINUS | SAFE_ATO_REFUSE_LEADING_ZERO |
                                  SAFE_ATO_REFUSE_LEADING_WHITESPACE, &u);
        if (r < 0)
                return r;
        /* (uid_t) -1 and the 16-bit -1 are never valid. */
        if (u == UINT32_C(0xFFFFFFFF) || u == UINT32_C(0xFFFF))
                return -ENXIO;
        if (ret)
                *ret = (uid_t) u;
        return 0;
}

/* "A-B" split at the first '-' (a bare "A" means A-A), each bound read by parse; an empty bound is
 * -EINVAL. The bounds are not compared. */
static int parse_dash_range(const char *s, int (*parse)(const char *s, unsigned *ret),
                            unsigned *ret_lower, unsigned *ret_upper) {
        _cleanup_free_ char *lower = NULL;
        const char *dash;
        unsigned l, u;
        int r;

        assert(s);

        dash = strchr(s, '-');
        if (!dash) {
                r = parse(s, &l);
                if (r < 0)
                        return r;
                u = l;
        } else {
                lower = strndup(s, (size_t) (dash - s));
                if (!lower)
                        return -ENOMEM;
                r = parse(lower, &l);
                if (r < 0)
                        return r;
                if (!dash[1])
                        return -EINVAL;
                r = parse(dash + 1, &u);
                if (r < 0)
                        return r;
        }
        *ret_lower = l;
        *ret_upper = u;
        return 0;
}

int parse_uid_range(const char *s, uid_t *ret_lower, uid_t *ret_upper) {
        uid_t l, u;
        int r;

        r = parse_dash_range(s, parse_uid, &l, &u);
        if (r < 0)
                return r;
        if (l > u)
                return -EINVAL;
        if (ret_lower)
                *ret_lower = l;
        if (ret_upper)
                *ret_upper = u;
        return 0;
}

int parse_ifindex(const char *s) {
        int i, r;

        assert(s);

        r = safe_atoi(s, &i);
        if (r < 0)
                return r;
        return i <= 0 ? -EINVAL : i;
}

int parse_nice(const char *s, int *ret) {
        int64_t v;
        int r = safe_atoi_range(s, -20, 19, &v);

        if (r >= 0 && ret)
                *ret = (int) v;
        return r;
}

int parse_oom_score_adjust(const char *s, int *ret) {
        int64_t v;
        int r = safe_atoi_range(s, -1000, 1000, &v);

        if (r >= 0 && ret)
                *ret = (int) v;
        return r;
}

/* The errno name for e, or NULL. */
static const char *errno_name(int e) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
        return strerrorname_np(e);
#else
        (void) e;
        return NULL;
#endif
}

int parse_errno(const char *s) {
        static const struct {
                const char *alias;
                int value;
        } aliases[] = {
                { "EWOULDBLOCK", EWOULDBLOCK },
                { "EDEADLOCK", EDEADLOCK },
                { "ENOTSUP", ENOTSUP },
        };
        int e, r;

        assert(s);

        if (s[0] == 'E') {
                for (size_t i = 0; i < ELEMENTSOF(aliases); i++)
                        if (streq(s, aliases[i].alias))
                                return aliases[i].value;
                for (e = 1; e < 4096; e++)
                        if (streq_ptr(errno_name(e), s))
                                return e;
        }

        r = safe_atoi(s, &e);
        if (r < 0)
                return r;
        if (e < 0 || e >= 4096)
                return -ERANGE;
        return e;
}

int parse_range(const char *s, unsigned *ret_lower, unsigned *ret_upper) {
        unsigned l, u;
        int r;

        r = parse_dash_range(s, safe_atou, &l, &u);
        if (r < 0)
                return r;
        if (ret_lower)
                *ret_lower = l;
        if (ret_upper)
                *ret_upper = u;
        return 0;
}
