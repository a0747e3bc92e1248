/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev-rules-check.c: devmaster-rules-check, loads udev rules as devmaster does and prints
 * every message of the loader on stdout, one per line (as udev logs them), for comparisons
 * with udev 252 and for checking rules by hand.
 *
 *   devmaster-rules-check [--dump] [--stats] [--resolve-names=early|late|never] [DIR…]
 *   devmaster-rules-check [--dump] [--stats] [...] --file FILE…
 *
 * Without DIRs the default rules directories are read. --dump prints the compiled lines,
 * --stats "files N lines N tokens N". Messages go to stdout with their level as "<N>" prefix
 * when --levels is given. Exit status 0, or 1 when the rules could not be loaded at all.
 */

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "strv.h"
#include "udev-rules-parse.h"
#include "udev-rules.h"

static bool arg_levels = false;

static void print_message(int level, const char *message, void *userdata) {
        (void) userdata;
        if (arg_levels)
                printf("<%d>%s\n", level, message);
        else
                printf("%s\n", message);
}

static int parse_timing(const char *s) {
        static const char *const names[_UDEV_RULES_RESOLVE_NAME_MAX] = { "early", "late", "never" };

        for (int i = 0; i < _UDEV_RULES_RESOLVE_NAME_MAX; i++)
                if (strcmp(s, names[i]) == 0)
                        return i;
        return -EINVAL;
}

int main(int argc, char *argv[]) {
        static const struct option options[] = {
                { "dump", no_argument, NULL, 'd' },
                { "stats", no_argument, NULL, 's' },
                { "file", no_argument, NULL, 'f' },
                { "levels", no_argument, NULL, 'l' },
                { "resolve-names", required_argument, NULL, 'r' },
                {},
        };
        _cleanup_(udev_rules_freep) UdevRules *rules = NULL;
        bool dump = false, stats = false, files = false;
        int timing = UDEV_RULES_RESOLVE_NAME_EARLY, c, r;

        while ((c = getopt_long(argc, argv, "", options, NULL)) >= 0)
                switch (c) {
                case 'd':
                        dump = true;
                        break;
                case 's':
                        stats = true;
                        break;
                case 'f':
                        files = true;
                        break;
                case 'l':
                        arg_levels = true;
                        break;
                case 'r':
                        timing = parse_timing(optarg);
                        if (timing < 0) {
                                fprintf(stderr, "Bad --resolve-names= value: %s\n", optarg);
                                return 2;
                        }
                        break;
                default:
                        return 2;
                }

        log_set_max_level(LOG_DEBUG);
        log_parse_environment();
        log_set_sink(print_message, NULL);

        r = udev_rules_new(timing, &rules);
        if (r < 0) {
                fprintf(stderr, "Failed to allocate rules: %s\n", strerror(-r));
                return 1;
        }
        if (files)
                for (int i = optind; i < argc; i++) {
                        r = udev_rules_parse_file(rules, argv[i]);
                        if (r < 0)
                                log_debug_errno(r, "Failed to read rules file %s, ignoring: %m",
                                                argv[i]);
                }
        else if (udev_rules_load(rules, optind < argc ? argv + optind : NULL) < 0)
                return 1;

        log_set_sink(NULL, NULL);
        fflush(stdout);
        if (dump)
                udev_rules_dump(rules, stdout);
        if (stats)
                printf("files %zu lines %zu tokens %zu\n", rules->n_files,
                       udev_rules_count_lines(rules), udev_rules_count_tokens(rules));
        return 0;
}
