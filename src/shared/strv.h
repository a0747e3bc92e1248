/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * strv.h: NULL-terminated arrays of owned strings ("string vectors"). A strv owns its
 * strings; strv_free() frees both. NULL is a valid empty strv everywhere.
 */

#include "macro.h"

char **strv_free(char **l);
DEFINE_TRIVIAL_CLEANUP_FUNC(char **, strv_free);
#define _cleanup_strv_free_ _cleanup_(strv_freep)

size_t strv_length(char *const *l) _pure_;
static inline bool strv_isempty(char *const *l) {
        return !l || !*l;
}
/* Returns the matching element or NULL. */
char *strv_find(char *const *l, const char *s) _pure_;
#define strv_contains(l, s) (!!strv_find((l), (s)))
char *strv_find_prefix(char *const *l, const char *prefix) _pure_;

/* Appends a copy of value. 0 or -ENOMEM. */
int strv_extend(char ***l, const char *value);
/* Appends value, taking ownership (also on failure, when it is freed). */
int strv_consume(char ***l, char *value);
/* Appends copies of all of b (de-duplicated against *a when filter_duplicates). */
int strv_extend_strv(char ***a, char *const *b, bool filter_duplicates);
/* Appends a copy of value unless already present. 1 if added, 0 if present. */
int strv_extend_uniq(char ***l, const char *value);
char **strv_copy(char *const *l);
/* NULL-terminated list of const char*, copied. */
char **strv_new_real(const char *x, ...) _sentinel_;
#define strv_new(...) strv_new_real(__VA_ARGS__, NULL)

/* Removes every element equal to s; returns l. */
char **strv_remove(char **l, const char *s);
/* Removes duplicates, keeping the first occurrence; returns l. */
char **strv_uniq(char **l);
char **strv_sort(char **l);
bool strv_equal(char *const *a, char *const *b) _pure_;

/* Splits s at any of the separator characters, skipping empty pieces. */
int strv_split(const char *s, const char *separators, char ***ret);
/* Splits at newlines, keeping empty lines. */
int strv_split_newlines(const char *s, char ***ret);
/* Joins with separator (" " when NULL). Caller owns the result. */
char *strv_join(char *const *l, const char *separator);

#define STRV_FOREACH(s, l) for (char **s = (l); s && *s; s++)
#define STRV_FOREACH_BACKWARDS(s, l) \
        for (char **s = (l) ? (l) + strv_length(l) - 1 : NULL; (l) && s >= (l); s--)

/* A NULL-terminated string array literal: STRV_MAKE("a", "b"). */
#define STRV_MAKE(...) ((char **) ((const char *[]) { __VA_ARGS__, NULL }))
