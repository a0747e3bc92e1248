/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * path-util.h: purely lexical path operations (nothing here touches the file system, except
 * where a function says so). Returned strings are owned by the caller.
 */

#include "macro.h"

#define PATH_MAX_LEN 4096

static inline bool path_is_absolute(const char *p) {
        return p && p[0] == '/';
}
/* Joins the NULL-terminated components with exactly one '/' between them. */
char *path_join_real(const char *first, ...) _sentinel_;
#define path_join(...) path_join_real(__VA_ARGS__, NULL)

/* In place: collapses "//", drops "/./" and a trailing "/" (keeps "/"). ".." is kept. */
char *path_simplify(char *p);
/* Lexically resolves "." and ".." too (".." above the root stays at the root). The path
 * must be absolute; returns a new string or NULL on OOM. */
char *path_normalize(const char *p);
/* If path lies at or below prefix (component-wise), returns a pointer to the rest of path
 * (without leading slashes, "" for equal paths); otherwise NULL. */
const char *path_startswith(const char *path, const char *prefix) _pure_;
/* Component-wise comparison: "/a//b/" equals "/a/b". */
int path_compare(const char *a, const char *b) _pure_;
static inline bool path_equal(const char *a, const char *b) {
        return path_compare(a, b) == 0;
}
bool path_equal_ptr(const char *a, const char *b) _pure_;
/* The last component ("" for "/"); a pointer into p. Trailing slashes must be simplified. */
const char *path_basename(const char *p) _pure_;
/* A copy of the directory part: "/a/b" → "/a", "/a" → "/", "a" → -EDESTADDRREQ,
 * "/" → -EADDRNOTAVAIL (as in systemd; walking up the tree stops at the root). */
int path_extract_directory(const char *p, char **ret);
/* A copy of the last component: "/a/b/" → "b"; -EADDRNOTAVAIL for "/". */
int path_extract_filename(const char *p, char **ret);
/* p if absolute, else prefix/p. */
char *path_make_absolute(const char *p, const char *prefix);

/* A single file name: non-empty, no '/', not "." or "..", at most 255 bytes. */
bool filename_is_valid(const char *p) _pure_;
/* Non-empty, at most PATH_MAX_LEN bytes, every component at most 255 bytes. */
bool path_is_valid(const char *p) _pure_;
/* Valid and contains no "." or ".." component and no "//". */
bool path_is_normalized(const char *p) _pure_;
/* Absolute and normalized, no control characters. */
bool path_is_safe(const char *p) _pure_;
/* A directory entry that configuration readers skip: hidden (leading '.'), "lost+found",
 * backups ("~", ".bak", ".old", ".new", ".swp") and package-manager leftovers (".dpkg-old",
 * ".rpmnew", ".ucf-dist", …), as systemd skips them. */
bool hidden_or_backup_file(const char *filename) _pure_;
/* Whether path (following symlinks) is an empty regular file or a character device, i.e. a
 * mask in systemd's sense. 1 yes, 0 no, negative errno if it cannot be stat()ed. */
int null_or_empty_path(const char *path);
