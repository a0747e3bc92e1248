/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* string-util.c: implementation of string-util.h. */

#include <ctype.h>
#include <stdio.h>
#include <strings.h>

#include "string-util.h"

bool streq_ptr(const char *a, const char *b) {
        return strcmp_ptr(a, b) == 0;
}

char *startswith(const char *s, const char *prefix) {
        size_t l = strlen(prefix);
        return strncmp(s, prefix, l) == 0 ? (char *) s + l : NULL;
}

char *startswith_no_case(const char *s, const char *prefix) {
        size_t l = strlen(prefix);
        return strncasecmp(s, prefix, l) == 0 ? (char *) s + l : NULL;
}

char *endswith(const char *s, const char *suffix) {
        size_t sl = strlen(s), pl = strlen(suffix);
        if (pl > sl)
                return NULL;
        return memcmp(s + sl - pl, suffix, pl) == 0 ? (char *) s + sl - pl : NULL;
}

char *strstrip(char *s) {
        char *e;

        s += strspn(s, WHITESPACE);
        e = s + strlen(s);
        while (e > s && strchr(WHITESPACE, e[-1]))
                e--;
        *e = 0;
        return s;
}

char *truncate_nl(char *s) {
        s[strcspn(s, NEWLINE)] = 0;
        return s;
}

char *ascii_strlower(char *s) {
        for (char *p = s; *p; p++)
                if (*p >= 'A' && *p <= 'Z')
                        *p = (char) (*p - 'A' + 'a');
        return s;
}

static char *strjoin_va(const char *x, va_list ap) {
        va_list aq;
        size_t l = 0;
        char *r, *p;

        va_copy(aq, ap);
        for (const char *t = x; t; t = va_arg(aq, const char *)) {
                size_t n = strlen(t);
                if (n > SIZE_MAX - l - 1) {
                        va_end(aq);
                        return NULL;
                }
                l += n;
        }
        va_end(aq);
        r = malloc(l + 1);
        if (!r)
                return NULL;
        p = r;
        for (const char *t = x; t; t = va_arg(ap, const char *))
                p = stpcpy(p, t);
        *p = 0;
        return r;
}

char *strjoin_real(const char *x, ...) {
        va_list ap;
        char *r;

        va_start(ap, x);
        r = strjoin_va(x ?: "", ap);
        va_end(ap);
        return r;
}

int strextend_real(char **x, ...) {
        va_list ap;
        char *add, *n;

        va_start(ap, x);
        add = strjoin_va("", ap);
        va_end(ap);
        if (!add)
                return -ENOMEM;
        n = strjoin(strempty(*x), add);
        free(add);
        if (!n)
                return -ENOMEM;
        free(*x);
        *x = n;
        return 0;
}

int strextend_with_separator(char **x, const char *separator, const char *s) {
        if (isempty(*x))
                return strextend(x, s);
        return strextend(x, strempty(separator), s);
}

int asprintf_safe(char **ret, const char *format, ...) {
        va_list ap;
        char *s;
        int r;

        va_start(ap, format);
        r = vasprintf(&s, format, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        *ret = s;
        return 0;
}

int free_and_strdup(char **p, const char *s) {
        char *t = NULL;

        if (streq_ptr(*p, s))
                return 0;
        if (s) {
                t = strdup(s);
                if (!t)
                        return -ENOMEM;
        }
        free(*p);
        *p = t;
        return 1;
}

void free_and_replace_str(char **p, char *s) {
        free(*p);
        *p = s;
}

bool string_has_cc(const char *s, const char *ok) {
        for (const char *t = s; *t; t++) {
                if (ok && strchr(ok, *t))
                        continue;
                if ((unsigned char) *t < ' ' || *t == 127)
                        return true;
        }
        return false;
}

bool ascii_is_valid(const char *s) {
        for (const unsigned char *p = (const unsigned char *) s; *p; p++)
                if (*p >= 128)
                        return false;
        return true;
}

int utf8_decode_one(const char *s, size_t n, uint32_t *ret) {
        const unsigned char *p = (const unsigned char *) s;
        uint32_t c, min;
        size_t len;

        if (n == 0)
                return -EINVAL;
        if (p[0] < 0x80) {
                *ret = p[0];
                return 1;
        }
        if ((p[0] & 0xE0) == 0xC0)
                len = 2, c = p[0] & 0x1F, min = 0x80;
        else if ((p[0] & 0xF0) == 0xE0)
                len = 3, c = p[0] & 0x0F, min = 0x800;
        else if ((p[0] & 0xF8) == 0xF0)
                len = 4, c = p[0] & 0x07, min = 0x10000;
        else
                return -EINVAL;
        if (n < len)
                return -EINVAL;
        for (size_t i = 1; i < len; i++) {
                if ((p[i] & 0xC0) != 0x80)
                        return -EINVAL;
                c = (c << 6) | (p[i] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
                return -EINVAL;
        *ret = c;
        return (int) len;
}

size_t utf8_encode_one(char *out, uint32_t c) {
        if (c < 0x80) {
                out[0] = (char) c;
                return 1;
        }
        if (c < 0x800) {
                out[0] = (char) (0xC0 | (c >> 6));
                out[1] = (char) (0x80 | (c & 0x3F));
                return 2;
        }
        if (c < 0x10000) {
                out[0] = (char) (0xE0 | (c >> 12));
                out[1] = (char) (0x80 | ((c >> 6) & 0x3F));
                out[2] = (char) (0x80 | (c & 0x3F));
                return 3;
        }
        out[0] = (char) (0xF0 | (c >> 18));
        out[1] = (char) (0x80 | ((c >> 12) & 0x3F));
        out[2] = (char) (0x80 | ((c >> 6) & 0x3F));
        out[3] = (char) (0x80 | (c & 0x3F));
        return 4;
}

bool unichar_is_valid(uint32_t c) {
        if (c >= 0x110000 || (c >= 0xD800 && c <= 0xDFFF)) /* beyond Unicode, UTF-16 surrogates */
                return false;
        if (c >= 0xFDD0 && c <= 0xFDEF) /* noncharacters */
                return false;
        return (c & 0xFFFE) != 0xFFFE;  /* U+xFFFE and U+xFFFF in every plane */
}

int utf8_encoded_valid_unichar(const char *s, size_t n) {
        uint32_t c;
        int k = utf8_decode_one(s, n, &c);

        if (k < 0)
                return k;
        return unichar_is_valid(c) ? k : -EINVAL;
}

bool utf8_is_valid_n(const char *s, size_t n) {
        while (n > 0) {
                int k = utf8_encoded_valid_unichar(s, n);
                if (k < 0)
                        return false;
                s += k;
                n -= (size_t) k;
        }
        return true;
}

bool utf8_is_valid_n_allow_noncharacters(const char *s, size_t n) {
        while (n > 0) {
                uint32_t c;
                int k = utf8_decode_one(s, n, &c);

                if (k < 0)
                        return false;
                s += k;
                n -= (size_t) k;
        }
        return true;
}

bool utf8_is_valid(const char *s) {
        return utf8_is_valid_n(s, strlen(s));
}

char *strndup_safe(const char *s, size_t n) {
        return strndup(s, n);
}

bool in_charset(const char *s, const char *charset) {
        return s && s[strspn(s, charset)] == 0;
}

int unhexchar(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -EINVAL;
}

int string_table_lookup(const char *const *table, size_t n, const char *s) {
        if (!s)
                return -EINVAL;
        for (size_t i = 0; i < n; i++)
                if (table[i] && streq(table[i], s))
                        return (int) i;
        return -EINVAL;
}
