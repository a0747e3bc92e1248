/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * env-util.h: environment blocks ("NAME=value" strvs) with systemd 252's rules: which names and
 * values are valid, replacing and merging assignments (a later assignment of a name wins), the
 * reader of environment files (EnvironmentFile=, os-release, machine-info) and the $NAME /
 * ${NAME} expansion of Exec*= arguments.
 *
 * A strv passed as char *** is modified in place and stays owned by the caller; returned strings
 * and strvs are owned by the caller. Nothing here logs above debug.
 */

#include <stdio.h>

#include "macro.h"

/* Bash's rules: [A-Za-z_][A-Za-z0-9_]*, not longer than ARG_MAX - 2. */
bool env_name_is_valid(const char *e) _pure_;
/* Valid UTF-8 (control characters allowed) not longer than ARG_MAX - 3. */
bool env_value_is_valid(const char *e) _pure_;
/* "NAME=value" with a valid name and value. */
bool env_assignment_is_valid(const char *e) _pure_;
/* Every entry a valid assignment and no name assigned twice. */
bool strv_env_is_valid(char *const *l) _pure_;

/* The value of name in l (the last assignment wins), pointing into l; NULL if unset. */
char *strv_env_get(char *const *l, const char *name) _pure_;
/* The same for the first n bytes of name; NULL when n is 0. */
char *strv_env_get_n(char *const *l, const char *name, size_t n) _pure_;

/* Replaces the first assignment of the same name in *l with assignment and drops any later
 * ones, or appends it. Takes ownership of assignment, also on failure. Returns 0 if replaced,
 * 1 if appended, -EINVAL if assignment has no '=', -ENOMEM. */
int strv_env_replace_consume(char ***l, char *assignment);
/* Like strv_env_replace_consume() with a copy of assignment. */
int strv_env_replace_strdup(char ***l, const char *assignment);
/* Sets name to value (a copy); NULL value removes every assignment of name. Returns as
 * strv_env_replace_consume() (0 when unsetting); -EINVAL for an invalid name. */
int strv_env_assign(char ***l, const char *name, const char *value);
/* Applies every assignment of src to *dst in order (replacing the first assignment of the same
 * name, else appending). Returns 0 or -ENOMEM (then *dst holds a partial merge). */
int strv_env_merge(char ***dst, char *const *src);
/* Removes every assignment of name (or every entry equal to name if it contains '='), in
 * place; returns l. */
char **strv_env_unset(char **l, const char *name);

/* Drops invalid entries and earlier duplicates (the LAST assignment of a name is kept, at its
 * own position), in place; returns l. The callback, if any, sees each invalid entry first. */
char **strv_env_clean_with_callback(char **l, void (*invalid)(const char *entry, void *userdata),
                                    void *userdata);
static inline char **strv_env_clean(char **l) {
        return strv_env_clean_with_callback(l, NULL, NULL);
}

typedef enum EnvFileFlags {
        /* Drop assignments env_assignment_is_valid() refuses (bad names such as "export X",
         * over-long values), each with a debug message naming the file and line, as
         * EnvironmentFile= does. Without it every key is kept as written, as systemd's
         * os-release(5) and machine-info(5) readers keep them. */
        ENV_FILE_DROP_INVALID = 1 << 0,
} EnvFileFlags;

/* Reads an environment-style file (systemd's env-file syntax, used by EnvironmentFile=,
 * os-release and machine-info) from f, or from the file fname when f is NULL (fname is also used
 * in log messages), into a new strv of "KEY=VALUE" entries owned by the caller. Syntax as
 * systemd.exec(5): NAME=VALUE lines, comments starting with # or ;, '…' and "…" quoting,
 * backslash escapes, a trailing backslash continues the line, blanks around keys and around
 * unquoted values dropped. A later assignment of a key replaces an earlier one in place, so
 * strv_env_get() finds the last value. *ret is NULL when the file assigns nothing.
 * Returns 0, -EINVAL if any key or value is not valid UTF-8 (noncharacters included; one bad
 * assignment spoils the whole file), or the read error (-ENOENT for a missing file). */
int load_env_file_full(FILE *f, const char *fname, EnvFileFlags flags, char ***ret);

/* An EnvironmentFile=: load_env_file_full() with ENV_FILE_DROP_INVALID. */
static inline int load_env_file(FILE *f, const char *fname, char ***ret) {
        return load_env_file_full(f, fname, ENV_FILE_DROP_INVALID, ret);
}

/* Expands ${NAME} (empty if unset) and $$ (a literal $) in format; everything else, including
 * a braceless $NAME and ${NAME:-…}, stays as written. Returns a new string or NULL on OOM. */
char *replace_env(const char *format, char *const *env);
/* Expands the arguments of an Exec*= command: an argument $NAME (not ${…} or $$…) becomes the
 * whitespace-separated words of NAME's value (quotes removed) or disappears when NAME is unset;
 * every other argument goes through replace_env(). *ret is a new strv. 0 or -ENOMEM. */
int replace_env_argv(char **argv, char **env, char ***ret);
