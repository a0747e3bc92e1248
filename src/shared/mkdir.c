/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mkdir.c: implementation of mkdir.h. */

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "macro.h"
#include "mkdir.h"
#include "path-util.h"

static int is_dir(const char *path) {
        struct stat st;

        if (stat(path, &st) < 0)
                return -errno;
        return S_ISDIR(st.st_mode);
}

int mkdir_parents(const char *path, mode_t mode) {
        _cleanup_free_ char *p = NULL;
        size_t n;
        int r;

        /* The parent is path without its last component (and the slashes before it). */
        n = strlen(path);
        while (n > 0 && path[n - 1] == '/')
                n--;
        while (n > 0 && path[n - 1] != '/')
                n--;
        while (n > 0 && path[n - 1] == '/')
                n--;
        if (n == 0) /* "name", "/name" or "/": nothing above it to create */
                return 0;
        p = strndup(path, n);
        if (!p)
                return -ENOMEM;
        r = is_dir(p);
        if (r > 0)
                return 0;
        if (r == 0)
                return -ENOTDIR;
        for (char *s = p + 1;; s++) {
                s = strchr(s, '/');
                if (s) {
                        if (s[-1] == '/') /* "a//b": the prefix was created already */
                                continue;
                        *s = '\0';
                }
                if (mkdir(p, mode) < 0 && errno != EEXIST)
                        return -errno;
                if (!s)
                        return 0;
                *s = '/';
        }
}

int mkdir_p(const char *path, mode_t mode) {
        int r;

        r = mkdir_parents(path, mode);
        if (r < 0)
                return r;
        if (mkdir(path, mode) < 0) {
                if (errno != EEXIST)
                        return -errno;
                if (is_dir(path) <= 0)
                        return -EEXIST;
        }
        return 0;
}

void rmdir_parents(const char *path, const char *stop) {
        _cleanup_free_ char *p = strdup(path);
        char *slash;

        if (!p)
                return;
        while ((slash = strrchr(p, '/')) && slash != p) {
                *slash = '\0';
                if (path_equal(p, stop) || !path_startswith(p, stop) || rmdir(p) < 0)
                        return;
        }
}
