/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev-config.c: udev.conf, the command line and the kernel command line (udev-config.h).
 */

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env-util.h"
#include "escape.h"
#include "fd-util.h"
#include "log.h"
#include "parse-util.h"
#include "proc-cmdline.h"
#include "signal-util.h"
#include "string-util.h"
#include "strv.h"
#include "time-util.h"
#include "udev-config.h"

void udev_config_init(UdevConfig *c) {
        *c = (UdevConfig) {
                .log_level = -1,
                .event_timeout_usec = 180 * USEC_PER_SEC,
                .timeout_signal = SIGKILL,
                .resolve_name_timing = UDEV_RULES_RESOLVE_NAME_EARLY,
        };
}

UdevRulesResolveNameTiming udev_resolve_name_timing_from_string(const char *s) {
        static const char *const names[_UDEV_RULES_RESOLVE_NAME_MAX] = {
                [UDEV_RULES_RESOLVE_NAME_EARLY] = "early",
                [UDEV_RULES_RESOLVE_NAME_LATE] = "late",
                [UDEV_RULES_RESOLVE_NAME_NEVER] = "never",
        };

        return string_table_lookup(names, ELEMENTSOF(names), s);
}

static const char *unquote(char *v) {
        size_t n = strlen(v);

        if (n >= 2 && IN_SET(v[0], '"', '\'') && v[n - 1] == v[0]) {
                v[n - 1] = '\0';
                return v + 1;
        }
        return v;
}

static void config_file_set(UdevConfig *c, const char *path, const char *key, char *value) {
        int r;

        if (streq(key, "udev_log")) {
                const char *v = unquote(value);

                r = log_level_from_string(v);
                if (r < 0)
                        log_syntax(NULL, LOG_WARNING, path, 0, r, "failed to set udev log level '%s', ignoring: %m", v);
                else
                        c->log_level = r;
        } else if (streq(key, "children_max")) {
                r = safe_atou(value, &c->children_max);
                if (r < 0)
                        log_syntax(NULL, LOG_WARNING, path, 0, r, "failed to set parse children_max=%s, ignoring: %m", value);
        } else if (streq(key, "exec_delay")) {
                r = parse_sec(value, &c->exec_delay_usec);
                if (r < 0)
                        log_syntax(NULL, LOG_WARNING, path, 0, r, "failed to set parse exec_delay=%s, ignoring: %m", value);
        } else if (streq(key, "event_timeout")) {
                r = parse_sec(value, &c->event_timeout_usec);
                if (r < 0)
                        log_syntax(NULL, LOG_WARNING, path, 0, r, "failed to set parse event_timeout=%s, ignoring: %m", value);
        } else if (streq(key, "resolve_names")) {
                UdevRulesResolveNameTiming t = udev_resolve_name_timing_from_string(value);

                if (t < 0)
                        log_syntax(NULL, LOG_WARNING, path, 0, 0, "failed to set parse resolve_names=%s, ignoring.", value);
                else
                        c->resolve_name_timing = t;
        } else if (streq(key, "timeout_signal")) {
                r = signal_from_string(value);
                if (r <= 0)
                        log_syntax(NULL, LOG_WARNING, path, 0, r < 0 ? r : -EINVAL,
                                   "failed to parse timeout_signal=%s, ignoring: %m", value);
                else
                        c->timeout_signal = r;
        }
}

int udev_config_parse_file(UdevConfig *c, const char *path) {
        _cleanup_fclose_ FILE *f = NULL;
        _cleanup_strv_free_ char **env = NULL;
        int r;

        f = fopen(path, "re");
        if (!f)
                return errno == ENOENT ? 0 : log_warning_errno(-errno, "Failed to open %s: %m", path);
        r = load_env_file(f, path, &env);
        if (r < 0)
                return log_warning_errno(r, "Failed to read %s: %m", path);
        STRV_FOREACH(e, env) {
                char *eq = strchr(*e, '=');

                if (!eq)
                        continue;
                *eq = '\0';
                config_file_set(c, path, *e, eq + 1);
        }
        return 0;
}

static int cmdline_item(const char *key, const char *value, void *data) {
        UdevConfig *c = data;
        int r = 0;

        if (proc_cmdline_key_streq(key, "udev.blockdev_read_only")) {
                if (!value)
                        c->blockdev_read_only = true;
                else {
                        r = parse_boolean(value);
                        if (r < 0)
                                log_warning_errno(r, "Failed to parse udev.blockdev-read-only argument, ignoring: %s", value);
                        else
                                c->blockdev_read_only = r;
                }
                if (c->blockdev_read_only)
                        log_notice("All physical block devices will be marked read-only.");
                return 0;
        }
        if (!proc_cmdline_key_streq(key, "udev.log_level") && !proc_cmdline_key_streq(key, "udev.log_priority") &&
            !proc_cmdline_key_streq(key, "udev.event_timeout") && !proc_cmdline_key_streq(key, "udev.children_max") &&
            !proc_cmdline_key_streq(key, "udev.exec_delay") && !proc_cmdline_key_streq(key, "udev.timeout_signal")) {
                if (startswith(key, "udev."))
                        log_warning("Unknown udev kernel command line option \"%s\", ignoring.", key);
                return 0;
        }
        if (!value) {
                log_warning("Missing argument for %s= kernel command line switch, ignoring.", key);
                return 0;
        }
        if (proc_cmdline_key_streq(key, "udev.log_level") || proc_cmdline_key_streq(key, "udev.log_priority")) {
                r = log_level_from_string(value);
                if (r >= 0)
                        c->log_level = r;
        } else if (proc_cmdline_key_streq(key, "udev.event_timeout"))
                r = parse_sec(value, &c->event_timeout_usec);
        else if (proc_cmdline_key_streq(key, "udev.children_max"))
                r = safe_atou(value, &c->children_max);
        else if (proc_cmdline_key_streq(key, "udev.exec_delay"))
                r = parse_sec(value, &c->exec_delay_usec);
        else {
                r = signal_from_string(value);
                if (r > 0)
                        c->timeout_signal = r;
        }
        if (r < 0)
                log_warning_errno(r, "Failed to parse \"%s=%s\", ignoring: %m", key, value);
        return 0;
}

int udev_config_parse_cmdline(UdevConfig *c, const char *cmdline) {
        if (!cmdline)
                return proc_cmdline_parse(cmdline_item, c, PROC_CMDLINE_STRIP_RD_PREFIX);
        return proc_cmdline_parse_given(cmdline, cmdline_item, c, PROC_CMDLINE_STRIP_RD_PREFIX);
}

static void help(const char *name) {
        printf("%s [OPTIONS...]\n\n"
               "Rule-based manager for device events and files.\n\n"
               "  -h --help                   Print this message\n"
               "  -V --version                Print version of the program\n"
               "  -d --daemon                 Detach and run in the background\n"
               "  -D --debug                  Enable debug output\n"
               "  -c --children-max=INT       Set maximum number of workers\n"
               "  -e --exec-delay=SECONDS     Seconds to wait before executing RUN=\n"
               "  -t --event-timeout=SECONDS  Seconds to wait before terminating an event\n"
               "  -N --resolve-names=early|late|never\n"
               "                              When to resolve users and groups\n"
               "     --timeout-signal=SIGNAL  Signal sent to workers at the event timeout\n"
               "\nSee the devmaster(8) man page for details.\n",
               name);
}

int udev_config_parse_argv(UdevConfig *c, int argc, char *argv[]) {
        enum { ARG_TIMEOUT_SIGNAL = 0x100 };
        static const struct option options[] = {
                { "daemon", no_argument, NULL, 'd' },
                { "debug", no_argument, NULL, 'D' },
                { "children-max", required_argument, NULL, 'c' },
                { "exec-delay", required_argument, NULL, 'e' },
                { "event-timeout", required_argument, NULL, 't' },
                { "resolve-names", required_argument, NULL, 'N' },
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, 'V' },
                { "timeout-signal", required_argument, NULL, ARG_TIMEOUT_SIGNAL },
                {}
        };
        int o, r;

        optind = 0;
        while ((o = getopt_long(argc, argv, "c:de:Dt:N:hV", options, NULL)) >= 0)
                switch (o) {
                case 'd':
                        c->daemonize = true;
                        break;
                case 'D':
                        c->debug = true;
                        break;
                case 'c':
                        r = safe_atou(optarg, &c->children_max);
                        if (r < 0)
                                log_warning_errno(r, "Failed to parse --children-max= value '%s', ignoring: %m", optarg);
                        break;
                case 'e':
                        r = parse_sec(optarg, &c->exec_delay_usec);
                        if (r < 0)
                                log_warning_errno(r, "Failed to parse --exec-delay= value '%s', ignoring: %m", optarg);
                        break;
                case 't':
                        r = parse_sec(optarg, &c->event_timeout_usec);
                        if (r < 0)
                                log_warning_errno(r, "Failed to parse --event-timeout= value '%s', ignoring: %m", optarg);
                        break;
                case ARG_TIMEOUT_SIGNAL:
                        r = signal_from_string(optarg);
                        if (r <= 0)
                                log_warning_errno(r < 0 ? r : -EINVAL, "Failed to parse --timeout-signal= value '%s', ignoring: %m", optarg);
                        else
                                c->timeout_signal = r;
                        break;
                case 'N': {
                        UdevRulesResolveNameTiming t = udev_resolve_name_timing_from_string(optarg);

                        if (t < 0)
                                log_warning("Invalid --resolve-names= value '%s', ignoring.", optarg);
                        else
                                c->resolve_name_timing = t;
                        break;
                }
                case 'h':
                        help(argv[0]);
                        return 0;
                case 'V':
                        printf("%s\n", PACKAGE_VERSION);
                        return 0;
                default:
                        return -EINVAL;
                }
        /* like udevd, extra arguments are ignored */
        return 1;
}
