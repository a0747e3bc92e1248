/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * serialize.c: the state store's record format, see serialize.h.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "macro.h"
#include "parse-util.h"
#include "serialize.h"
#include "strv.h"

void ser_reset(Serializer *s) {
        s->size = 0;
        s->error = 0;
        if (s->buf)
                s->buf[0] = 0;
}

void ser_free(Serializer *s) {
        s->buf = mfree(s->buf);
        s->size = s->alloc = 0;
        s->error = 0;
}

int ser_done(Serializer *s, const char **ret, size_t *ret_size) {
        if (s->error < 0)
                return s->error;
        *ret = s->buf ?: "";
        *ret_size = s->size;
        return 0;
}

static void append(Serializer *s, const char *p, size_t n) {
        if (s->error < 0)
                return;
        if (s->size + n + 1 > s->alloc && !GREEDY_REALLOC(s->buf, s->alloc, s->size + n + 1)) {
                s->error = -ENOMEM;
                return;
        }
        memcpy(s->buf + s->size, p, n);
        s->size += n;
        s->buf[s->size] = 0;
}

/* Values are escaped only where needed: backslash and control characters. */
static void append_escaped(Serializer *s, const char *v) {
        for (const char *p = v; *p;) {
                size_t n = strcspn(p, "\\\n\r");
                char e[4];

                append(s, p, n);
                p += n;
                if (!*p)
                        break;
                append(s, e, (size_t) cescape_char(*p, e));
                p++;
        }
}

void ser_item(Serializer *s, const char *key, const char *value) {
        if (!value)
                return;
        append(s, key, strlen(key));
        append(s, "=", 1);
        append_escaped(s, value);
        append(s, "\n", 1);
}

void ser_itemf(Serializer *s, const char *key, const char *format, ...) {
        char small[128], *big = NULL;
        va_list ap;
        int n;

        va_start(ap, format);
        n = vsnprintf(small, sizeof(small), format, ap);
        va_end(ap);
        if (n < 0) {
                s->error = -EINVAL;
                return;
        }
        if ((size_t) n >= sizeof(small)) {
                va_start(ap, format);
                n = vasprintf(&big, format, ap);
                va_end(ap);
                if (n < 0) {
                        s->error = -ENOMEM;
                        return;
                }
        }
        ser_item(s, key, big ?: small);
        free(big);
}

void ser_bool(Serializer *s, const char *key, bool b) {
        ser_item(s, key, b ? "yes" : "no");
}

void ser_int(Serializer *s, const char *key, int64_t i) {
        ser_itemf(s, key, "%" PRIi64, i);
}

void ser_uint(Serializer *s, const char *key, uint64_t u) {
        ser_itemf(s, key, "%" PRIu64, u);
}

void ser_dual(Serializer *s, const char *key, const DualTimestamp *t) {
        if (t->realtime == 0 && t->monotonic == 0)
                return;
        ser_itemf(s, key, "%" PRIu64 " %" PRIu64, (uint64_t) t->realtime, (uint64_t) t->monotonic);
}

void ser_strv(Serializer *s, const char *key, char *const *l) {
        for (char *const *i = l; i && *i; i++)
                ser_item(s, key, *i);
}

/* The record is copied once and cut in place (key and value NUL-terminated where '=' and '\n'
 * were); only a value with an escape gets a string of its own. */
int deserialize_lines(const char *data, size_t size,
                      int (*item)(const char *key, const char *value, void *userdata), void *userdata) {
        _cleanup_free_ char *copy = NULL;
        char *p, *end;

        if (size == 0)
                return 0;
        copy = malloc(size + 1);
        if (!copy)
                return -ENOMEM;
        memcpy(copy, data, size);
        copy[size] = 0;
        for (p = copy, end = copy + size; p < end;) {
                char *nl = memchr(p, '\n', (size_t) (end - p)) ?: end;
                char *eq = memchr(p, '=', (size_t) (nl - p));

                *nl = 0;
                if (eq && eq > p) {
                        _cleanup_free_ char *unescaped = NULL;
                        const char *value = eq + 1;
                        int r;

                        *eq = 0;
                        if (memchr(value, '\\', (size_t) (nl - eq - 1))) {
                                if (cunescape(value, (size_t) (nl - eq - 1), UNESCAPE_RELAX, &unescaped) < 0)
                                        return -ENOMEM;
                                value = unescaped;
                        }
                        r = item(p, value, userdata);
                        if (r < 0)
                                return r;
                }
                p = nl + 1;
        }
        return 0;
}

int deser_numbers(const char *v, uint64_t *ret, size_t n, const char **ret_rest) {
        for (size_t i = 0; i < n; i++) {
                char *e;

                v += strspn(v, " ");
                if (!(*v >= '0' && *v <= '9') && !(*v == '-' && v[1] >= '0' && v[1] <= '9'))
                        return -EINVAL;
                errno = 0;
                ret[i] = strtoull(v, &e, 10);
                if (errno != 0)
                        return -errno;
                if (*e != 0 && *e != ' ')
                        return -EINVAL;
                v = e;
        }
        if (ret_rest)
                *ret_rest = v;
        else if (*v != 0)
                return -EINVAL;
        return 0;
}

int deser_bool(const char *v, bool *ret) {
        int r = parse_boolean(v);

        if (r < 0)
                return r;
        *ret = r;
        return 0;
}

int deser_dual(const char *v, DualTimestamp *ret) {
        uint64_t t[2];
        int r = deser_numbers(v, t, 2, NULL);

        if (r < 0)
                return r;
        ret->realtime = t[0];
        ret->monotonic = t[1];
        return 0;
}

int deser_pid(const char *v, pid_t *ret) {
        int i;
        int r = safe_atoi(v, &i);

        if (r < 0)
                return r;
        if (i < 0)
                return -ERANGE;
        *ret = (pid_t) i;
        return 0;
}
