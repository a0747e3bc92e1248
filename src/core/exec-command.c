/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* exec-command.c: implementation of exec-command.h. */

#include "escape.h"
#include "exec-command.h"
#include "log.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"
#include "unit-printf.h"
#include "unit.h"

ExecCommand *exec_command_free_list(ExecCommand *c) {
        while (c) {
                ExecCommand *n = c->next;
                free(c->path);
                strv_free(c->argv);
                free(c);
                c = n;
        }
        return NULL;
}

size_t exec_command_list_length(const ExecCommand *c) {
        size_t n = 0;
        for (; c; c = c->next)
                n++;
        return n;
}

static void append(ExecCommand **list, ExecCommand *c) {
        while (*list)
                list = &(*list)->next;
        *list = c;
}

/* Strips the prefix characters from word; returns a pointer behind them. */
static const char *parse_prefixes(const char *f, ExecCommandFlags *flags, bool *separate_argv0) {
        for (;; f++) {
                if (*f == '-' && !(*flags & EXEC_COMMAND_IGNORE_FAILURE))
                        *flags |= EXEC_COMMAND_IGNORE_FAILURE;
                else if (*f == '@' && !*separate_argv0)
                        *separate_argv0 = true;
                else if (*f == ':' && !(*flags & EXEC_COMMAND_NO_ENV_EXPAND))
                        *flags |= EXEC_COMMAND_NO_ENV_EXPAND;
                else if (*f == '+' && !(*flags & (EXEC_COMMAND_FULLY_PRIVILEGED | EXEC_COMMAND_NO_SETUID |
                                                  EXEC_COMMAND_AMBIENT_MAGIC)))
                        *flags |= EXEC_COMMAND_FULLY_PRIVILEGED;
                else if (*f == '!' && !(*flags & (EXEC_COMMAND_FULLY_PRIVILEGED | EXEC_COMMAND_NO_SETUID |
                                                  EXEC_COMMAND_AMBIENT_MAGIC)))
                        *flags |= EXEC_COMMAND_NO_SETUID;
                else if (*f == '!' && !(*flags & (EXEC_COMMAND_FULLY_PRIVILEGED | EXEC_COMMAND_AMBIENT_MAGIC))) {
                        *flags &= ~EXEC_COMMAND_NO_SETUID;
                        *flags |= EXEC_COMMAND_AMBIENT_MAGIC;
                } else
                        return f;
        }
}

/* Checks the binary path; logs and returns false if it is unusable. */
static bool path_acceptable(const Unit *u, const char *filename, unsigned line, const char *path,
                            const char *value, bool ignore) {
        const char *why = NULL;
        int level = ignore ? LOG_WARNING : LOG_ERR;
        const char *suffix = ignore ? ", ignoring" : "";

        if (isempty(path)) {
                log_syntax(u->id, level, filename, line, 0, "Empty path in command line%s: '%s'",
                           suffix, value);
                return false;
        }
        if (string_has_cc(path, NULL) || !utf8_is_valid(path))
                why = "Executable name contains special characters";
        else if (endswith(path, "/"))
                why = "Executable path specifies a directory";
        else if (!(path_is_absolute(path) ? path_is_valid(path) : filename_is_valid(path)))
                why = "Neither a valid executable name nor an absolute path";
        if (why) {
                log_syntax(u->id, level, filename, line, 0, "%s%s: %s", why, suffix, path);
                return false;
        }
        return true;
}

/* Reads the arguments after the binary up to the end or a ";" separator. Returns 1 if a
 * separator ended the command, 0 at the end, -ENOEXEC on a syntax error. */
static int parse_arguments(Unit *u, const char *filename, unsigned line, const char *value,
                           bool ignore, const char **p, char ***argv) {
        int level = ignore ? LOG_WARNING : LOG_ERR;

        while (!isempty(*p)) {
                _cleanup_free_ char *word = NULL, *resolved = NULL;
                const char *s = *p;
                int r;

                if (s[0] == ';' && (!s[1] || strchr(WHITESPACE, s[1]))) {
                        s++;
                        *p = s + strspn(s, WHITESPACE);
                        return 1;
                }
                if (s[0] == '\\' && s[1] == ';' && (!s[2] || strchr(WHITESPACE, s[2]))) {
                        s += 2;
                        *p = s + strspn(s, WHITESPACE);
                        if (strv_extend(argv, ";") < 0)
                                return -ENOMEM;
                        continue;
                }
                r = extract_first_word(p, &word, NULL, EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE);
                if (r == 0)
                        break;
                if (r < 0) {
                        log_syntax(u->id, level, filename, line, r, "Invalid syntax, ignoring: %s", value);
                        return -ENOEXEC;
                }
                r = unit_full_printf(u, word, &resolved);
                if (r < 0) {
                        log_syntax(u->id, level, filename, line, r,
                                   "Failed to resolve unit specifiers in %s%s: %m", word,
                                   ignore ? ", ignoring" : "");
                        return -ENOEXEC;
                }
                if (strv_consume(argv, TAKE_PTR(resolved)) < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* Parses one command from *p. Returns 1 if another command follows, 0 at the end, -ENOEXEC
 * for a fatal error; a "-" command with an error is dropped and 0 returned. */
static int parse_one(Unit *u, const char *filename, unsigned line, const char *value, const char **p,
                     ExecCommand **list) {
        _cleanup_free_ char *first = NULL, *path = NULL;
        _cleanup_strv_free_ char **argv = NULL;
        ExecCommandFlags flags = 0;
        bool separate_argv0 = false, ignore;
        ExecCommand *c;
        const char *f;
        int r, more;

        r = extract_first_word(p, &first, NULL, EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE);
        if (r < 0) {
                log_syntax(u->id, LOG_WARNING, filename, line, r, "Invalid syntax, ignoring: %s", value);
                return 0;
        }
        if (r == 0)
                return 0;
        if (streq(first, ";"))
                return 1;
        f = parse_prefixes(first, &flags, &separate_argv0);
        ignore = flags & EXEC_COMMAND_IGNORE_FAILURE;
        r = unit_path_printf(u, f, &path);
        if (r < 0) {
                log_syntax(u->id, ignore ? LOG_WARNING : LOG_ERR, filename, line, r,
                           "Failed to resolve unit specifiers in '%s'%s: %m", f,
                           ignore ? ", ignoring" : "");
                return ignore ? 0 : -ENOEXEC;
        }
        if (!path_acceptable(u, filename, line, path, value, ignore))
                return ignore ? 0 : -ENOEXEC;
        if (!separate_argv0 && strv_extend(&argv, path) < 0)
                return -ENOMEM;
        path_simplify(path);

        more = parse_arguments(u, filename, line, value, ignore, p, &argv);
        if (more == -ENOMEM)
                return more;
        if (more < 0)
                return ignore ? 0 : -ENOEXEC;
        if (strv_isempty(argv)) {
                log_syntax(u->id, ignore ? LOG_WARNING : LOG_ERR, filename, line, 0,
                           "Empty executable name or zeroeth argument%s: %s",
                           ignore ? ", ignoring" : "", value);
                return ignore ? 0 : -ENOEXEC;
        }
        c = new0(ExecCommand, 1);
        if (!c)
                return -ENOMEM;
        c->path = TAKE_PTR(path);
        c->argv = TAKE_PTR(argv);
        c->flags = flags;
        append(list, c);
        return more;
}

int exec_command_parse(Unit *u, const char *filename, unsigned line, const char *value,
                       ExecCommand **list) {
        const char *p = value;
        int r;

        if (isempty(value)) {
                *list = exec_command_free_list(*list);
                return 0;
        }
        do {
                r = parse_one(u, filename, line, value, &p, list);
                if (r < 0)
                        return r;
        } while (r > 0);
        return 0;
}

char *exec_command_argv_string(const ExecCommand *c) {
        return strv_join(c->argv, " ");
}
