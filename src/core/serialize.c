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

int deserialize_lines(const char *data, size_t size,
                      int (*item)(const char *key, const char *value, void *userdata), void *userdata) {
        const char *end = data + size;

        while (data < end) {
                const char *nl = memchr(data, '\n', (size_t) (end - data)) ?: end;
                const char *eq = memchr(data, '=', (size_t) (nl - data));

                if (eq && eq > data) {
                        _cleanup_free_ char *key = strndup(data, (size_t) (eq - data));
                        _cleanup_free_ char *value = NULL;
                        int r;

                        if (!key)
                                return -ENOMEM;
                        if (memchr(eq + 1, '\\', (size_t) (nl - eq - 1))) {
                                if (cunescape(eq + 1, (size_t) (nl - eq - 1), UNESCAPE_RELAX, &value) < 0)
                                        value = NULL;
                        } else
                                value = strndup(eq + 1, (size_t) (nl - eq - 1));
                        if (!value)
                                return -ENOMEM;
                        r = item(key, value, userdata);
                        if (r < 0)
                                return r;
                }
                data = nl + 1;
        }
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
        uint64_t a, b;
        int n = 0;

        if (sscanf(v, "%" SCNu64 " %" SCNu64 "%n", &a, &b, &n) != 2 || v[n] != 0)
                return -EINVAL;
        ret->realtime = a;
        ret->monotonic = b;
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
