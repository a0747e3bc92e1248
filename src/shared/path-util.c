/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* path-util.c: implementation of path-util.h. */

#include <stdarg.h>
#include <sys/stat.h>

#include "path-util.h"
#include "string-util.h"

char *path_join_real(const char *first, ...) {
        va_list ap;
        char *r = NULL;
        size_t len = 0;

        va_start(ap, first);
        for (const char *c = first; c; c = va_arg(ap, const char *)) {
                size_t l = strlen(c), need;
                char *n;
                if (l == 0)
                        continue;
                need = len + 1 + l + 1;
                n = realloc(r, need);
                if (!n) {
                        va_end(ap);
                        return mfree(r);
                }
                r = n;
                if (len > 0 && r[len - 1] != '/' && c[0] != '/')
                        r[len++] = '/';
                else if (len > 0 && r[len - 1] == '/' && c[0] == '/') {
                        c++;
                        l--;
                }
                memcpy(r + len, c, l);
                len += l;
                r[len] = 0;
        }
        va_end(ap);
        return r ?: strdup("");
}

char *path_simplify(char *p) {
        char *w = p;
        const char *s = p;
        bool absolute = p[0] == '/';

        /* component loop */
        while (*s) {
                size_t n;
                while (*s == '/')
                        s++;
                n = strcspn(s, "/");
                if (n == 0)
                        break;
                if (n == 1 && s[0] == '.') {
                        s += n;
                        continue;
                }
                if (w != p || absolute)
                        *w++ = '/';
                memmove(w, s, n);
                w += n;
                s += n;
        }
        if (w == p) {
                if (absolute)
                        *w++ = '/';
                else if (*p)
                        *w++ = '.';
        }
        *w = 0;
        /* A relative path that started with "./" lost it; keep the result non-empty. */
        return p;
}

char *path_normalize(const char *p) {
        char *r, *w;
        const char *s = p;

        if (!path_is_absolute(p))
                return NULL;
        r = malloc(strlen(p) + 2);
        if (!r)
                return NULL;
        w = r;
        while (*s) {
                size_t n;
                while (*s == '/')
                        s++;
                n = strcspn(s, "/");
                if (n == 0)
                        break;
                if (n == 1 && s[0] == '.')
                        ;
                else if (n == 2 && s[0] == '.' && s[1] == '.') {
                        while (w > r && w[-1] != '/')
                                w--;
                        if (w > r)
                                w--;
                } else {
                        *w++ = '/';
                        memcpy(w, s, n);
                        w += n;
                }
                s += n;
        }
        if (w == r)
                *w++ = '/';
        *w = 0;
        return r;
}

const char *path_startswith(const char *path, const char *prefix) {
        if ((path[0] == '/') != (prefix[0] == '/'))
                return NULL;
        for (;;) {
                size_t a, b;
                path += strspn(path, "/");
                prefix += strspn(prefix, "/");
                if (*prefix == 0)
                        return path;
                if (*path == 0)
                        return NULL;
                a = strcspn(path, "/");
                b = strcspn(prefix, "/");
                if (a != b || memcmp(path, prefix, a) != 0)
                        return NULL;
                path += a;
                prefix += b;
        }
}

int path_compare(const char *a, const char *b) {
        int d = (a[0] == '/') - (b[0] == '/');
        if (d != 0)
                return d;
        for (;;) {
                size_t j, k;
                int c;
                a += strspn(a, "/");
                b += strspn(b, "/");
                if (*a == 0 && *b == 0)
                        return 0;
                if (*a == 0)
                        return -1;
                if (*b == 0)
                        return 1;
                j = strcspn(a, "/");
                k = strcspn(b, "/");
                c = memcmp(a, b, MIN(j, k));
                if (c != 0)
                        return c < 0 ? -1 : 1;
                if (j != k)
                        return j < k ? -1 : 1;
                a += j;
                b += k;
        }
}

bool path_equal_ptr(const char *a, const char *b) {
        if (!a || !b)
                return a == b;
        return path_equal(a, b);
}

const char *path_basename(const char *p) {
        const char *s = strrchr(p, '/');
        return s ? s + 1 : p;
}

int path_extract_directory(const char *p, char **ret) {
        const char *s;
        char *r;
        size_t n;

        if (isempty(p))
                return -EINVAL;
        n = strlen(p);
        while (n > 1 && p[n - 1] == '/')
                n--;
        if (n == 1 && p[0] == '/')
                return -EADDRNOTAVAIL; /* the root has no parent */
        s = memrchr(p, '/', n);
        if (!s)
                return -EDESTADDRREQ;
        while (s > p && s[-1] == '/')
                s--;
        r = s == p ? strdup("/") : strndup(p, (size_t) (s - p));
        if (!r)
                return -ENOMEM;
        *ret = r;
        return 0;
}

int path_extract_filename(const char *p, char **ret) {
        size_t n;
        const char *s;
        char *r;

        if (isempty(p))
                return -EINVAL;
        n = strlen(p);
        while (n > 0 && p[n - 1] == '/')
                n--;
        if (n == 0)
                return -EADDRNOTAVAIL;
        s = memrchr(p, '/', n);
        s = s ? s + 1 : p;
        r = strndup(s, n - (size_t) (s - p));
        if (!r)
                return -ENOMEM;
        if (!filename_is_valid(r)) {
                free(r);
                return -EINVAL;
        }
        *ret = r;
        return 0;
}

char *path_make_absolute(const char *p, const char *prefix) {
        if (path_is_absolute(p) || isempty(prefix))
                return strdup(p);
        return path_join(prefix, p);
}

bool filename_is_valid(const char *p) {
        if (isempty(p) || streq(p, ".") || streq(p, ".."))
                return false;
        if (strchr(p, '/'))
                return false;
        return strlen(p) <= 255;
}

bool path_is_valid(const char *p) {
        if (isempty(p) || strlen(p) >= PATH_MAX_LEN)
                return false;
        for (const char *s = p; *s;) {
                size_t n = strcspn(s, "/");
                if (n > 255)
                        return false;
                s += n;
                s += strspn(s, "/");
        }
        return true;
}

bool path_is_normalized(const char *p) {
        if (!path_is_valid(p))
                return false;
        if (streq(p, ".") || startswith(p, "./") || endswith(p, "/.") || strstr(p, "/./"))
                return false;
        if (streq(p, "..") || startswith(p, "../") || endswith(p, "/..") || strstr(p, "/../"))
                return false;
        return !strstr(p, "//");
}

bool path_is_safe(const char *p) {
        return path_is_absolute(p) && path_is_normalized(p) && !string_has_cc(p, NULL);
}

bool hidden_or_backup_file(const char *filename) {
        static const char *const suffixes[] = {
                "rpmnew",   "rpmsave",  "rpmorig",   "dpkg-old",    "dpkg-new",    "dpkg-tmp",
                "dpkg-dist", "dpkg-bak", "dpkg-backup", "dpkg-remove", "ucf-new",  "ucf-old",
                "ucf-dist", "swp",      "bak",       "old",         "new",
        };
        const char *dot;

        if (filename[0] == '.' || streq(filename, "lost+found") || streq(filename, "aquota.user") ||
            streq(filename, "aquota.group") || endswith(filename, "~"))
                return true;
        dot = strrchr(filename, '.');
        if (!dot)
                return false;
        for (size_t i = 0; i < ELEMENTSOF(suffixes); i++)
                if (streq(dot + 1, suffixes[i]))
                        return true;
        return false;
}

int null_or_empty_path(const char *path) {
        struct stat st;

        if (stat(path, &st) < 0)
                return -errno;
        return (S_ISREG(st.st_mode) && st.st_size <= 0) || S_ISCHR(st.st_mode);
}
