/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* main-args.c: the manager's command line and kernel command line (see main-args.h). */

#include <string.h>

#include "exec-context.h"
#include "main-args.h"
#include "macro.h"
#include "string-util.h"
#include "strv.h"
#include "unit-name.h"

void main_args_done(MainArgs *a) {
        a->default_unit = mfree(a->default_unit);
        a->wants = strv_free(a->wants);
}

static int set_default_unit(MainArgs *a, const char *name, const char *origin) {
        char *c;

        if (!unit_name_is_valid(name, UNIT_NAME_PLAIN | UNIT_NAME_INSTANCE)) {
                log_warning("Unit name specified on %s is not valid, ignoring: %s", origin, name);
                return 0;
        }
        c = strdup(name);
        if (!c)
                return -ENOMEM;
        free(a->default_unit);
        a->default_unit = c;
        return 0;
}

/* The SysV runlevel words systemd still understands on the kernel command line. */
static const char *runlevel_target(const char *word) {
        static const struct {
                const char *word, *target;
        } table[] = {
                { "single", "rescue.target" },    { "s", "rescue.target" },
                { "S", "rescue.target" },         { "1", "rescue.target" },
                { "emergency", "emergency.target" }, { "-b", "emergency.target" },
                { "2", "runlevel2.target" },      { "3", "runlevel3.target" },
                { "4", "runlevel4.target" },      { "5", "runlevel5.target" },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                if (streq(word, table[i].word))
                        return table[i].target;
        return NULL;
}

static int parse_word(MainArgs *a, const char *word, const char *origin) {
        const char *v, *t;
        int r;

        if ((v = startswith(word, "systemd.unit=")))
                return set_default_unit(a, v, origin);
        if ((v = startswith(word, "systemd.wants="))) {
                if (!unit_name_is_valid(v, UNIT_NAME_PLAIN | UNIT_NAME_INSTANCE)) {
                        log_warning("Unit name specified on %s is not valid, ignoring: %s", origin, v);
                        return 0;
                }
                if (strv_contains(a->wants, v))
                        return 0;
                return strv_extend(&a->wants, v);
        }
        if ((v = startswith(word, "systemd.log_level="))) {
                r = log_level_from_string(v);
                if (r < 0)
                        log_warning("Failed to parse log level \"%s\", ignoring.", v);
                else
                        a->log_level = r;
                return 0;
        }
        if ((v = startswith(word, "systemd.log_target="))) {
                LogTarget lt = log_target_from_string(v);
                if (lt < 0)
                        log_warning("Failed to parse log target \"%s\", ignoring.", v);
                else
                        a->log_target = lt;
                return 0;
        }
        t = runlevel_target(word);
        if (t && !a->default_unit)
                return set_default_unit(a, t, origin);
        return 0;
}

int main_args_parse_kernel_cmdline(MainArgs *a, const char *cmdline) {
        const char *p = cmdline;
        int r;

        for (;;) {
                _cleanup_free_ char *word = NULL;
                size_t n = 0, cap = 0;
                bool quoted = false;

                while (*p && strchr(WHITESPACE, *p))
                        p++;
                if (!*p)
                        return 0;
                for (; *p && (quoted || !strchr(WHITESPACE, *p)); p++) {
                        if (*p == '"') {
                                quoted = !quoted;
                                continue;
                        }
                        if (!GREEDY_REALLOC(word, cap, n + 2))
                                return -ENOMEM;
                        word[n++] = *p;
                        word[n] = 0;
                }
                if (!word)
                        continue;
                r = parse_word(a, word, "kernel command line");
                if (r < 0)
                        return r;
        }
}

/* The values systemd 252 accepts for --default-standard-output=/--default-standard-error=
 * (DefaultStandardOutput= of system.conf): ExecOutput, or -1. */
static int default_output_from_string(const char *v) {
        static const struct { const char *name; ExecOutput o; } table[] = {
                { "inherit", EXEC_OUTPUT_INHERIT },         { "null", EXEC_OUTPUT_NULL },
                { "tty", EXEC_OUTPUT_TTY },                 { "kmsg", EXEC_OUTPUT_KMSG },
                { "kmsg+console", EXEC_OUTPUT_KMSG_AND_CONSOLE },
                { "journal", EXEC_OUTPUT_JOURNAL },         { "syslog", EXEC_OUTPUT_JOURNAL },
                { "journal+console", EXEC_OUTPUT_JOURNAL_AND_CONSOLE },
                { "syslog+console", EXEC_OUTPUT_JOURNAL_AND_CONSOLE },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                if (streq(v, table[i].name))
                        return (int) table[i].o;
        return -1;
}

int main_args_parse_argv(MainArgs *a, int argc, char *const *argv) {
        int r;

        for (int i = 1; i < argc; i++) {
                const char *arg = argv[i], *v;

                if ((v = startswith(arg, "--unit="))) {
                        if (!unit_name_is_valid(v, UNIT_NAME_PLAIN | UNIT_NAME_INSTANCE)) {
                                log_error("Failed to set default unit \"%s\": Invalid argument", v);
                                return -EINVAL;
                        }
                        r = set_default_unit(a, v, "command line");
                } else if ((v = startswith(arg, "--log-level="))) {
                        r = log_level_from_string(v);
                        if (r < 0) {
                                log_error("Failed to parse log level \"%s\": Invalid argument", v);
                                return -EINVAL;
                        }
                        a->log_level = r;
                } else if ((v = startswith(arg, "--log-target="))) {
                        LogTarget lt = log_target_from_string(v);
                        if (lt < 0) {
                                log_error("Failed to parse log target \"%s\": Invalid argument", v);
                                return -EINVAL;
                        }
                        a->log_target = lt;
                        r = 0;
                } else if ((v = startswith(arg, "--default-standard-output=")) ||
                           (v = startswith(arg, "--default-standard-error="))) {
                        int o = default_output_from_string(v);
                        if (o < 0) {
                                log_error("Failed to parse default standard %s \"%s\": Invalid argument",
                                          arg[19] == 'o' ? "output" : "error", v);
                                return -EINVAL;
                        }
                        if (arg[19] == 'o')
                                a->default_std_output = o;
                        else
                                a->default_std_error = o;
                        r = 0;
                } else if (STR_IN_SET(arg, "--system", "--switched-root", "--deserialize-none"))
                        r = 0;
                else if (streq(arg, "--version"))
                        a->show_version = true, r = 0;
                else if (STR_IN_SET(arg, "--help", "-h"))
                        a->show_help = true, r = 0;
                else if (arg[0] == '-' && arg[1] == '-') {
                        log_error("Unknown option %s.", arg);
                        return -EINVAL;
                } else
                        r = parse_word(a, arg, "command line");
                if (r < 0)
                        return r;
        }
        return 0;
}
