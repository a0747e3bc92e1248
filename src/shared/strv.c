/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* strv.c: implementation of strv.h. */

#include <stdarg.h>

#include "string-util.h"
#include "strv.h"

char **strv_free(char **l) {
        STRV_FOREACH(s, l)
                free(*s);
        free(l);
        return NULL;
}

size_t strv_length(char *const *l) {
        size_t n = 0;
        while (l && l[n])
                n++;
        return n;
}

char *strv_find(char *const *l, const char *s) {
        for (size_t i = 0; l && l[i]; i++)
                if (streq(l[i], s))
                        return l[i];
        return NULL;
}

char *strv_find_prefix(char *const *l, const char *prefix) {
        for (size_t i = 0; l && l[i]; i++)
                if (startswith(l[i], prefix))
                        return l[i];
        return NULL;
}

int strv_consume(char ***l, char *value) {
        size_t n = strv_length(*l);
        char **c;

        if (!value)
                return -ENOMEM;
        c = realloc(*l, sizeof(char *) * (n + 2));
        if (!c) {
                free(value);
                return -ENOMEM;
        }
        c[n] = value;
        c[n + 1] = NULL;
        *l = c;
        return 0;
}

int strv_extend(char ***l, const char *value) {
        return strv_consume(l, strdup(value));
}

int strv_extend_uniq(char ***l, const char *value) {
        int r;

        if (strv_contains(*l, value))
                return 0;
        r = strv_extend(l, value);
        return r < 0 ? r : 1;
}

int strv_extend_strv(char ***a, char *const *b, bool filter_duplicates) {
        for (size_t i = 0; b && b[i]; i++) {
                int r;
                if (filter_duplicates && strv_contains(*a, b[i]))
                        continue;
                r = strv_extend(a, b[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

char **strv_copy(char *const *l) {
        char **r = new0(char *, strv_length(l) + 1);
        if (!r)
                return NULL;
        for (size_t i = 0; l && l[i]; i++) {
                r[i] = strdup(l[i]);
                if (!r[i])
                        return strv_free(r);
        }
        return r;
}

char **strv_new_real(const char *x, ...) {
        va_list ap;
        char **r = new0(char *, 1);

        if (!r)
                return NULL;
        va_start(ap, x);
        for (const char *s = x; s; s = va_arg(ap, const char *))
                if (strv_extend(&r, s) < 0) {
                        va_end(ap);
                        return strv_free(r);
                }
        va_end(ap);
        return r;
}

char **strv_remove(char **l, const char *s) {
        size_t j = 0;

        if (!l)
                return NULL;
        for (size_t i = 0; l[i]; i++) {
                if (streq(l[i], s))
                        free(l[i]);
                else
                        l[j++] = l[i];
        }
        l[j] = NULL;
        return l;
}

char **strv_uniq(char **l) {
        size_t j = 0;

        if (!l)
                return NULL;
        for (size_t i = 0; l[i]; i++) {
                bool dup = false;
                for (size_t k = 0; k < j; k++)
                        if (streq(l[k], l[i])) {
                                dup = true;
                                break;
                        }
                if (dup)
                        free(l[i]);
                else
                        l[j++] = l[i];
        }
        l[j] = NULL;
        return l;
}

static int str_cmp(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

char **strv_sort(char **l) {
        size_t n = strv_length(l);
        if (n > 1)
                qsort(l, n, sizeof(char *), str_cmp);
        return l;
}

bool strv_equal(char *const *a, char *const *b) {
        size_t i;

        if (strv_isempty(a))
                return strv_isempty(b);
        if (strv_isempty(b))
                return false;
        for (i = 0; a[i] && b[i]; i++)
                if (!streq(a[i], b[i]))
                        return false;
        return !a[i] && !b[i];
}

int strv_split(const char *s, const char *separators, char ***ret) {
        char **l = new0(char *, 1);

        if (!l)
                return -ENOMEM;
        while (*s) {
                size_t n;
                s += strspn(s, separators);
                n = strcspn(s, separators);
                if (n == 0)
                        break;
                if (strv_consume(&l, strndup(s, n)) < 0) {
                        strv_free(l);
                        return -ENOMEM;
                }
                s += n;
        }
        *ret = l;
        return 0;
}

int strv_split_newlines(const char *s, char ***ret) {
        char **l = new0(char *, 1);
        const char *p = s;

        if (!l)
                return -ENOMEM;
        while (*p) {
                size_t n = strcspn(p, "\n");
                if (strv_consume(&l, strndup(p, n)) < 0) {
                        strv_free(l);
                        return -ENOMEM;
                }
                p += n;
                if (*p == '\n')
                        p++;
        }
        *ret = l;
        return 0;
}

char *strv_join(char *const *l, const char *separator) {
        size_t n = 0, sl;
        char *r, *p;

        separator = separator ?: " ";
        sl = strlen(separator);
        for (size_t i = 0; l && l[i]; i++)
                n += strlen(l[i]) + (i > 0 ? sl : 0);
        r = malloc(n + 1);
        if (!r)
                return NULL;
        p = r;
        for (size_t i = 0; l && l[i]; i++) {
                if (i > 0)
                        p = stpcpy(p, separator);
                p = stpcpy(p, l[i]);
        }
        *p = 0;
        return r;
}
