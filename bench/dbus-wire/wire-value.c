/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * wire-value.c: the value tree of the dbus-wire benchmark and its text parser, see wire-value.h.
 * The parser walks the signature and the text together; it runs once before any timing.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bus/bus-signature.h"
#include "string-util.h"
#include "wire-value.h"

typedef struct Text {
        const char *p;
} Text;

static void skip_space(Text *t) {
        while (*t->p == ' ')
                t->p++;
}

/* A quoted string token ('…' or "…", backslash escapes the next character). */
static int token_string(Text *t, char **ret) {
        char quote, *s;
        size_t n = 0;

        skip_space(t);
        quote = *t->p;
        if (quote != '\'' && quote != '"')
                return -EINVAL;
        s = malloc(strlen(t->p) + 1);
        if (!s)
                return -ENOMEM;
        for (t->p++; *t->p && *t->p != quote; t->p++) {
                if (*t->p == '\\' && t->p[1])
                        t->p++;
                s[n++] = *t->p;
        }
        if (*t->p != quote) {
                free(s);
                return -EINVAL;
        }
        t->p++;
        s[n] = 0;
        *ret = s;
        return 0;
}

static int token_word(Text *t, char *buf, size_t size) {
        size_t n = 0;

        skip_space(t);
        while (*t->p && *t->p != ' ') {
                if (n + 1 >= size)
                        return -EINVAL;
                buf[n++] = *t->p++;
        }
        buf[n] = 0;
        return n > 0 ? 0 : -EINVAL;
}

static int parse_number(Text *t, char type, WireValue *v) {
        char word[64], *end;
        int r;

        r = token_word(t, word, sizeof(word));
        if (r < 0)
                return r;
        errno = 0;
        if (type == 'b') {
                if (streq(word, "true") || streq(word, "false")) {
                        v->v.b = streq(word, "true");
                        return 0;
                }
                return -EINVAL;
        }
        if (type == 'd') {
                v->v.d = strtod(word, &end);
        } else if (word[0] == '-') {
                long long x = strtoll(word, &end, 0);
                switch (type) {
                case 'n':
                        v->v.n = (int16_t) x;
                        break;
                case 'i':
                        v->v.i = (int32_t) x;
                        break;
                case 'x':
                        v->v.x = x;
                        break;
                default:
                        return -EINVAL;
                }
        } else {
                unsigned long long x = strtoull(word, &end, 0);
                switch (type) {
                case 'y':
                        v->v.y = (uint8_t) x;
                        break;
                case 'n':
                case 'q':
                        v->v.q = (uint16_t) x;
                        break;
                case 'i':
                case 'u':
                case 'h':
                        v->v.u = (uint32_t) x;
                        break;
                default:
                        v->v.t = x;
                }
        }
        return errno == 0 && *end == 0 ? 0 : -EINVAL;
}

static int parse_value(Text *t, const char *sig, size_t n, WireValue *v);

/* For an array v: the contents of its element type when that is a container ("ss" for a(ss),
 * "y" for aay), which a reader passes to enter_container(). */
static int set_elem_contents(WireValue *v) {
        const char *e = v->contents;
        size_t n = strlen(e);

        if (IN_SET(e[0], '(', '{'))
                v->elem_contents = strndup(e + 1, n - 2);
        else if (e[0] == 'a')
                v->elem_contents = strdup(e + 1);
        else
                return e[0] == 'v' ? -EINVAL : 0; /* av would need a peek: not used */
        return v->elem_contents ? 0 : -ENOMEM;
}

/* The container's children, each of the complete types listed in sig (n bytes), in turn. */
static int parse_fields(Text *t, const char *sig, size_t n, WireValue *v) {
        size_t count = 0, i = 0, k = 0;

        while (i < n) {
                int l = bus_signature_complete_type_length(sig + i, n - i, 0, 0);
                if (l < 0)
                        return l;
                i += l;
                count++;
        }
        v->items = new0(WireValue, count);
        if (!v->items)
                return -ENOMEM;
        v->n_items = count;
        for (i = 0; i < n; k++) {
                int l = bus_signature_complete_type_length(sig + i, n - i, 0, 0);
                int r = parse_value(t, sig + i, l, &v->items[k]);
                if (r < 0)
                        return r;
                i += l;
        }
        return 0;
}

static int parse_array(Text *t, const char *elem, size_t n, WireValue *v) {
        char word[32], *end;
        unsigned long count;
        int r;

        r = token_word(t, word, sizeof(word));
        if (r < 0)
                return r;
        count = strtoul(word, &end, 10);
        if (*end != 0 || count > 1000000)
                return -EINVAL;
        v->items = new0(WireValue, count);
        if (!v->items)
                return -ENOMEM;
        v->n_items = count;
        for (size_t k = 0; k < count; k++) {
                r = parse_value(t, elem, n, &v->items[k]);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int parse_variant(Text *t, WireValue *v) {
        int r;

        r = token_string(t, &v->contents);
        if (r < 0)
                return r;
        if (!bus_signature_is_single(v->contents))
                return -EINVAL;
        v->items = new0(WireValue, 1);
        if (!v->items)
                return -ENOMEM;
        v->n_items = 1;
        return parse_value(t, v->contents, strlen(v->contents), &v->items[0]);
}

/* One value of the complete type sig (n bytes, not NUL-terminated) into v. */
static int parse_value(Text *t, const char *sig, size_t n, WireValue *v) {
        int r;

        v->type = sig[0];
        switch (sig[0]) {
        case 's':
        case 'o':
        case 'g':
                return token_string(t, &v->v.s);
        case 'a':
                v->contents = strndup(sig + 1, n - 1);
                if (!v->contents)
                        return -ENOMEM;
                r = set_elem_contents(v);
                if (r < 0)
                        return r;
                return parse_array(t, sig + 1, n - 1, v);
        case '(':
        case '{':
                v->contents = strndup(sig + 1, n - 2);
                if (!v->contents)
                        return -ENOMEM;
                return parse_fields(t, sig + 1, n - 2, v);
        case 'v':
                return parse_variant(t, v);
        default:
                if (!bus_type_is_fixed(sig[0]))
                        return -EINVAL;
                return parse_number(t, sig[0], v);
        }
}

int wire_value_parse(const char *sig, const char *text, WireValue **ret) {
        _cleanup_(wire_value_freep) WireValue *v = NULL;
        Text t = { .p = text };
        int r;

        if (!bus_signature_is_single(sig))
                return -EINVAL;
        v = new0(WireValue, 1);
        if (!v)
                return -ENOMEM;
        r = parse_value(&t, sig, strlen(sig), v);
        if (r < 0)
                return r;
        skip_space(&t);
        if (*t.p != 0)
                return -EINVAL;
        *ret = TAKE_PTR(v);
        return 0;
}

void wire_value_done(WireValue *v) {
        if (!v)
                return;
        if (IN_SET(v->type, 's', 'o', 'g'))
                free(v->v.s);
        for (size_t i = 0; i < v->n_items; i++)
                wire_value_done(&v->items[i]);
        free(v->items);
        free(v->contents);
        free(v->elem_contents);
        *v = (WireValue) {};
}

WireValue *wire_value_free(WireValue *v) {
        wire_value_done(v);
        return mfree(v);
}

int wire_value_init_basic_string(WireValue *v, char type, const char *s) {
        *v = (WireValue) { .type = type, .v.s = strdup(s) };
        return v->v.s ? 0 : -ENOMEM;
}

int wire_value_init_container(WireValue *v, char type, const char *contents, size_t n_items) {
        *v = (WireValue) { .type = type, .contents = strdup(contents) };
        if (!v->contents)
                return -ENOMEM;
        if (type == 'a') {
                int r = set_elem_contents(v);
                if (r < 0)
                        return r;
        }
        v->items = new0(WireValue, n_items);
        if (!v->items)
                return -ENOMEM;
        v->n_items = n_items;
        return 0;
}

uint64_t wire_value_checksum(const WireValue *v, uint64_t h) {
        h = wire_fold(h, (uint8_t) v->type);
        switch (v->type) {
        case 'a':
        case '(':
        case '{':
        case 'v':
                for (size_t i = 0; i < v->n_items; i++)
                        h = wire_value_checksum(&v->items[i], h);
                return h;
        case 's':
        case 'o':
        case 'g':
                return wire_fold(wire_fold(h, strlen(v->v.s)), (uint8_t) v->v.s[0]);
        case 'y':
                return wire_fold(h, v->v.y);
        case 'b':
                return wire_fold(h, v->v.b ? 1 : 0);
        case 'n':
                return wire_fold(h, (uint64_t) (int64_t) v->v.n);
        case 'q':
                return wire_fold(h, v->v.q);
        case 'i':
                return wire_fold(h, (uint64_t) (int64_t) v->v.i);
        case 'u':
        case 'h':
                return wire_fold(h, v->v.u);
        default: /* x, t, d: the 64 bits as they are */
                return wire_fold(h, v->v.t);
        }
}
