/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bus-message-args.c: signature-driven append and read, see bus-message-args.h. Both walk the
 * signature one complete type at a time and recurse into containers.
 */

#include <assert.h>
#include <errno.h>
#include <string.h>

#include "bus/bus-message-args.h"
#include "bus/bus-signature.h"
#include "string-util.h"
#include "strv.h"

/* ---- constructors and predicates ---- */

static int set_fields(BusMessage *m, const char *destination, const char *path,
                      const char *interface, const char *member) {
        int r = 0;

        if (destination)
                r = bus_message_set_string_field(m, BUS_FIELD_DESTINATION, destination);
        if (r >= 0 && path)
                r = bus_message_set_string_field(m, BUS_FIELD_PATH, path);
        if (r >= 0 && interface)
                r = bus_message_set_string_field(m, BUS_FIELD_INTERFACE, interface);
        if (r >= 0 && member)
                r = bus_message_set_string_field(m, BUS_FIELD_MEMBER, member);
        return r;
}

int bus_message_new_method_call(const char *destination, const char *path, const char *interface,
                                const char *member, BusMessage **ret) {
        _cleanup_(bus_message_unrefp) BusMessage *m = NULL;
        int r;

        if (!path || !member)
                return -EINVAL;
        r = bus_message_new(BUS_MESSAGE_METHOD_CALL, 0, &m);
        if (r >= 0)
                r = set_fields(m, destination, path, interface, member);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(m);
        return 0;
}

int bus_message_new_method_return(BusMessage *call, BusMessage **ret) {
        _cleanup_(bus_message_unrefp) BusMessage *m = NULL;
        int r;

        if (bus_message_get_type(call) != BUS_MESSAGE_METHOD_CALL)
                return -EINVAL;
        r = bus_message_new(BUS_MESSAGE_METHOD_RETURN, 0, &m);
        if (r >= 0)
                r = bus_message_set_reply_serial(m, bus_message_get_serial(call));
        if (r >= 0)
                r = set_fields(m, bus_message_get_string_field(call, BUS_FIELD_SENDER), NULL, NULL,
                               NULL);
        if (r >= 0)
                r = bus_message_set_flags(m, BUS_MESSAGE_NO_REPLY_EXPECTED);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(m);
        return 0;
}

int bus_message_new_signal(const char *path, const char *interface, const char *member,
                           BusMessage **ret) {
        _cleanup_(bus_message_unrefp) BusMessage *m = NULL;
        int r;

        if (!path || !interface || !member)
                return -EINVAL;
        r = bus_message_new(BUS_MESSAGE_SIGNAL, 0, &m);
        if (r >= 0)
                r = set_fields(m, NULL, path, interface, member);
        if (r >= 0)
                r = bus_message_set_flags(m, BUS_MESSAGE_NO_REPLY_EXPECTED);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(m);
        return 0;
}

static bool is_type(const BusMessage *m, uint8_t type, const char *interface, const char *member) {
        return bus_message_get_type(m) == type &&
               (!interface || streq_ptr(bus_message_get_string_field(m, BUS_FIELD_INTERFACE),
                                        interface)) &&
               (!member || streq_ptr(bus_message_get_string_field(m, BUS_FIELD_MEMBER), member));
}

bool bus_message_is_method_call(const BusMessage *m, const char *interface, const char *member) {
        return is_type(m, BUS_MESSAGE_METHOD_CALL, interface, member);
}

bool bus_message_is_signal(const BusMessage *m, const char *interface, const char *member) {
        return is_type(m, BUS_MESSAGE_SIGNAL, interface, member);
}

/* ---- appending ---- */

/* Copies the n bytes at t into buf as a NUL-terminated string (n <= BUS_SIGNATURE_MAX). */
static const char *sig_copy(char buf[static BUS_SIGNATURE_MAX + 1], const char *t, size_t n) {
        memcpy(buf, t, n);
        buf[n] = 0;
        return buf;
}

/* Length of the complete type at t. A dict entry "{kv}" counts as one too, so that the
 * entries of an array can be read and written one by one inside it. */
static int type_length(const char *t, size_t n) {
        char buf[BUS_SIGNATURE_MAX + 2] = "a";
        int k;

        if (n == 0 || t[0] != '{')
                return bus_signature_complete_type_length(t, n, 0, 0);
        n = MIN(n, (size_t) BUS_SIGNATURE_MAX);
        memcpy(buf + 1, t, n);
        k = bus_signature_complete_type_length(buf, n + 1, 0, 0);
        return k < 0 ? k : k - 1;
}

/* One complete type of n bytes at t: appends or reads its value. Returns 1 when done, 0 when
 * reading found the end of the container, a negative errno on failure. */
typedef int (*ValueFn)(BusMessage *m, const char *t, size_t n, va_list *ap);

/* Calls fn for each complete type in the n bytes at t. Returns 1 when all were done, else the
 * first return of fn that is not 1. */
static int for_each_type(BusMessage *m, const char *t, size_t n, va_list *ap, ValueFn fn) {
        while (n > 0) {
                int k = type_length(t, n);
                int r;

                if (k < 0)
                        return k;
                r = fn(m, t, (size_t) k, ap);
                if (r != 1)
                        return r;
                t += k;
                n -= (size_t) k;
        }
        return 1;
}

static int append_one(BusMessage *m, const char *t, size_t n, va_list *ap);
#define append_seq(m, t, n, ap) for_each_type((m), (t), (n), (ap), append_one)

static int append_basic_arg(BusMessage *m, char type, va_list *ap) {
        union {
                uint8_t y;
                int16_t n;
                uint16_t q;
                int32_t i;
                uint32_t u;
                int64_t x;
                uint64_t t;
                double d;
        } v;
        int b;

        switch (type) {
        case 'y':
                v.y = (uint8_t) va_arg(*ap, int);
                return bus_message_append_basic(m, type, &v.y);
        case 'b':
                b = va_arg(*ap, int);
                return bus_message_append_basic(m, type, &b);
        case 'n':
                v.n = (int16_t) va_arg(*ap, int);
                return bus_message_append_basic(m, type, &v.n);
        case 'q':
                v.q = (uint16_t) va_arg(*ap, int);
                return bus_message_append_basic(m, type, &v.q);
        case 'i':
                v.i = va_arg(*ap, int32_t);
                return bus_message_append_basic(m, type, &v.i);
        case 'u':
                v.u = va_arg(*ap, uint32_t);
                return bus_message_append_basic(m, type, &v.u);
        case 'x':
                v.x = va_arg(*ap, int64_t);
                return bus_message_append_basic(m, type, &v.x);
        case 't':
                v.t = va_arg(*ap, uint64_t);
                return bus_message_append_basic(m, type, &v.t);
        case 'd':
                v.d = va_arg(*ap, double);
                return bus_message_append_basic(m, type, &v.d);
        case 'h':
                return bus_message_append_fd(m, va_arg(*ap, int));
        case 's':
        case 'o':
        case 'g': {
                const char *s = va_arg(*ap, const char *);
                if (!s)
                        return -EINVAL;
                return bus_message_append_basic(m, type, s);
        }
        default:
                return -EINVAL;
        }
}

/* Appends the single complete type t (n bytes). */
static int append_one(BusMessage *m, const char *t, size_t n, va_list *ap) {
        char buf[BUS_SIGNATURE_MAX + 1];
        const char *contents;
        int r;

        switch (t[0]) {
        case 'a': {
                unsigned count = va_arg(*ap, unsigned);

                r = bus_message_open_container(m, 'a', sig_copy(buf, t + 1, n - 1));
                for (unsigned k = 0; r >= 0 && k < count; k++)
                        r = append_one(m, t + 1, n - 1, ap);
                break;
        }
        case '(':
        case '{':
                r = bus_message_open_container(m, t[0], sig_copy(buf, t + 1, n - 2));
                if (r >= 0)
                        r = append_seq(m, t + 1, n - 2, ap);
                break;
        case 'v':
                contents = va_arg(*ap, const char *);
                if (!contents)
                        return -EINVAL;
                r = bus_message_open_container(m, 'v', contents);
                if (r >= 0)
                        r = append_seq(m, contents, strlen(contents), ap);
                break;
        default:
                r = append_basic_arg(m, t[0], ap);
                return r < 0 ? r : 1;
        }
        if (r < 0)
                return r;
        r = bus_message_close_container(m);
        return r < 0 ? r : 1;
}

int bus_message_appendv(BusMessage *m, const char *types, va_list ap) {
        va_list aq;
        int r;

        assert(m);
        assert(types);
        va_copy(aq, ap);
        r = append_seq(m, types, strlen(types), &aq);
        va_end(aq);
        return r < 0 ? r : 0;
}

int bus_message_append(BusMessage *m, const char *types, ...) {
        va_list ap;
        int r;

        va_start(ap, types);
        r = bus_message_appendv(m, types, ap);
        va_end(ap);
        return r;
}

int bus_message_append_strv(BusMessage *m, char **l) {
        int r;

        r = bus_message_open_container(m, 'a', "s");
        STRV_FOREACH(s, l) {
                if (r < 0)
                        break;
                r = bus_message_append_basic(m, 's', *s);
        }
        if (r < 0)
                return r;
        return bus_message_close_container(m);
}

/* ---- reading ---- */

static int read_one(BusMessage *m, const char *t, size_t n, va_list *ap);
#define read_seq(m, t, n, ap) for_each_type((m), (t), (n), (ap), read_one)

static int read_basic_arg(BusMessage *m, char type, va_list *ap) {
        void *p = va_arg(*ap, void *);

        if (type == 'h') {
                int fd, r;

                r = bus_message_read_fd(m, &fd);
                if (r > 0 && p)
                        *(int *) p = fd;
                return r;
        }
        return bus_message_read_basic(m, type, p);
}

static int read_one(BusMessage *m, const char *t, size_t n, va_list *ap) {
        char buf[BUS_SIGNATURE_MAX + 1];
        const char *contents;
        int r;

        switch (t[0]) {
        case 'a': {
                void *p = va_arg(*ap, void *);

                if (!p)
                        return bus_message_skip(m);
                if (n == 2 && IN_SET(t[1], 's', 'o', 'g'))
                        return bus_message_read_strv(m, p);
                return -EINVAL;
        }
        case '(':
        case '{':
                r = bus_message_enter_container(m, t[0], sig_copy(buf, t + 1, n - 2));
                if (r <= 0)
                        return r;
                r = read_seq(m, t + 1, n - 2, ap);
                break;
        case 'v':
                contents = va_arg(*ap, const char *);
                if (!contents)
                        return -EINVAL;
                r = bus_message_enter_container(m, 'v', contents);
                if (r <= 0)
                        return r;
                r = read_seq(m, contents, strlen(contents), ap);
                break;
        default:
                return read_basic_arg(m, t[0], ap);
        }
        if (r <= 0)
                return r == 0 ? -ENXIO : r; /* a container ended before its signature did */
        r = bus_message_exit_container(m);
        return r < 0 ? r : 1;
}

int bus_message_readv(BusMessage *m, const char *types, va_list ap) {
        va_list aq;
        int r;

        assert(m);
        assert(types);
        va_copy(aq, ap);
        r = read_seq(m, types, strlen(types), &aq);
        va_end(aq);
        return r;
}

int bus_message_read(BusMessage *m, const char *types, ...) {
        va_list ap;
        int r;

        va_start(ap, types);
        r = bus_message_readv(m, types, ap);
        va_end(ap);
        return r;
}

int bus_message_read_strv(BusMessage *m, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        const char *contents;
        char type;
        int r;

        assert(ret);
        r = bus_message_peek_type(m, &type, &contents);
        if (r <= 0)
                return r;
        if (type != 'a' || !contents || strlen(contents) != 1 || !IN_SET(contents[0], 's', 'o', 'g'))
                return -ENXIO;
        type = contents[0];
        r = bus_message_enter_container(m, 'a', NULL);
        if (r <= 0)
                return r;
        for (;;) {
                const char *s;

                r = bus_message_read_basic(m, type, &s);
                if (r < 0)
                        return r;
                if (r == 0)
                        break;
                r = strv_extend(&l, s);
                if (r < 0)
                        return r;
        }
        r = bus_message_exit_container(m);
        if (r < 0)
                return r;
        if (!l) {
                l = strv_new(NULL);
                if (!l)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(l);
        return 1;
}

int bus_message_copy_value(BusMessage *dst, BusMessage *src) {
        const char *contents;
        char type, buf[BUS_SIGNATURE_MAX + 1];
        int r;

        r = bus_message_peek_type(src, &type, &contents);
        if (r <= 0)
                return r;
        if (type == 'h') {
                int fd;

                r = bus_message_read_fd(src, &fd);
                if (r <= 0)
                        return r < 0 ? r : -EBADMSG;
                r = bus_message_append_fd(dst, fd);
                return r < 0 ? r : 1;
        }
        if (bus_type_is_basic(type)) {
                union {
                        uint8_t bytes[8];
                        const char *s;
                } v;

                r = bus_message_read_basic(src, type, &v);
                if (r <= 0)
                        return r < 0 ? r : -EBADMSG;
                r = bus_message_append_basic(dst, type, bus_type_is_fixed(type) ? (const void *) &v
                                                                                  : v.s);
                return r < 0 ? r : 1;
        }
        strncpy(buf, contents, sizeof(buf) - 1);
        buf[sizeof(buf) - 1] = 0;
        r = bus_message_enter_container(src, type, buf);
        if (r <= 0)
                return r < 0 ? r : -EBADMSG;
        r = bus_message_open_container(dst, type, buf);
        if (r < 0)
                return r;
        r = bus_message_copy_all(dst, src);
        if (r < 0)
                return r;
        r = bus_message_exit_container(src);
        if (r < 0)
                return r;
        r = bus_message_close_container(dst);
        return r < 0 ? r : 1;
}

int bus_message_copy_all(BusMessage *dst, BusMessage *src) {
        int r;

        while ((r = bus_message_copy_value(dst, src)) > 0)
                ;
        return r;
}

bool bus_message_has_signature(const BusMessage *m, const char *sig) {
        return streq(bus_message_get_string_field(m, BUS_FIELD_SIGNATURE), sig);
}
