/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * devmaster-hwdb.c: the hardware database tool, a drop-in for systemd-hwdb 252.
 *
 *   devmaster-hwdb [-s|--strict] [-r|--root=PATH] [--usr] [-o|--output=FILE] update
 *   devmaster-hwdb [-r|--root=PATH] query MODALIAS
 *
 * update compiles <root>/etc/udev/hwdb.d and <root>/lib/udev/hwdb.d into
 * <root>/etc/udev/hwdb.bin (--usr: <root>/lib/udev/hwdb.bin; -o: FILE), the same bytes as
 * `systemd-hwdb update`. query prints KEY=VALUE for each property of MODALIAS.
 */

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "hwdb.h"
#include "log.h"
#include "path-util.h"
#include "string-util.h"

static void help(void) {
        printf("%s [OPTIONS...] COMMAND ...\n\n"
               "Update or query the hardware database.\n\n"
               "Commands:\n"
               "  update          Update the hwdb database\n"
               "  query MODALIAS  Query database and print result\n\n"
               "Options:\n"
               "  -h --help       Show this help\n"
               "  -s --strict     When updating, return non-zero exit value on any parsing error\n"
               "     --usr        Generate in /lib/udev instead of /etc/udev\n"
               "  -r --root=PATH  Alternative root path in the filesystem\n"
               "  -o --output=FILE  Write the database to FILE\n",
               program_invocation_short_name);
}

static int query(const char *root, const char *modalias) {
        Hwdb *h = NULL;
        const char *k, *v;
        int r = -ENOENT;

        if (root && *root && !streq(root, "/")) {
                for (size_t i = 0; hwdb_bin_paths[i] && r < 0; i++) {
                        _cleanup_free_ char *p = path_join(root, hwdb_bin_paths[i]);
                        if (!p)
                                return -ENOMEM;
                        r = hwdb_open(p, &h);
                }
        } else
                r = hwdb_open(NULL, &h);
        if (r < 0)
                return log_error_errno(r, "Failed to open hwdb: %m");
        r = hwdb_query(h, modalias);
        while (r >= 0 && hwdb_next(h, &k, &v))
                printf("%s=%s\n", k, v);
        hwdb_free(h);
        return r;
}

int main(int argc, char *argv[]) {
        enum { ARG_USR = 0x100 };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "usr", no_argument, NULL, ARG_USR },
                { "strict", no_argument, NULL, 's' },
                { "root", required_argument, NULL, 'r' },
                { "output", required_argument, NULL, 'o' },
                {}
        };
        const char *root = NULL, *bin_dir = NULL, *output = NULL;
        bool strict = false;
        int c, r;

        log_parse_environment();
        while ((c = getopt_long(argc, argv, "sr:o:h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        help();
                        return 0;
                case ARG_USR:
                        bin_dir = "/lib/udev";
                        break;
                case 's':
                        strict = true;
                        break;
                case 'r':
                        root = optarg;
                        break;
                case 'o':
                        output = optarg;
                        break;
                default:
                        return 1;
                }
        if (optind >= argc) {
                log_error("Command missing.");
                return 1;
        }
        if (streq(argv[optind], "update") && optind + 1 == argc)
                r = hwdb_update(root, bin_dir, output, strict);
        else if (streq(argv[optind], "query") && optind + 2 == argc)
                r = query(root, argv[optind + 1]);
        else {
                log_error("Unknown command or wrong number of arguments: '%s'", argv[optind]);
                return 1;
        }
        return r < 0 ? 1 : 0;
}
