/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sysmaster-analyze: the first command of the migration tool. It loads a system's unit files
 * exactly as the manager does and shows the result:
 *   verify FILE…   load unit files and report every problem (exit 1 if a unit is unusable)
 *   cat NAME…      the fragment and drop-ins that make up a unit, like `systemctl cat`
 *   dump NAME…     the effective unit, like `systemctl show`
 * The manager's unit registry is the only state; this file is just the command line.
 */

#include <getopt.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escape.h"
#include "exec-command.h"
#include "fd-util.h"
#include "log.h"
#include "manager.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"
#include "unit-dump.h"
#include "unit-name.h"

static char *arg_unit_path;
static char **arg_properties;
static bool arg_all, arg_value;

static void help(void) {
        printf("%s [OPTIONS…] COMMAND …\n\n"
               "Load systemd unit files as sysmaster does and show the result.\n\n"
               "Commands:\n"
               "  verify FILE…           Check unit files for problems\n"
               "  cat NAME…              Show the files that make up units\n"
               "  dump NAME…             Show the effective units as `systemctl show` does\n\n"
               "Options:\n"
               "  -h --help              Show this help\n"
               "     --unit-path=PATH    Search path for units (as $SYSTEMD_UNIT_PATH)\n"
               "  -p --property=NAME     Show only this property (repeatable, comma lists)\n"
               "  -a --all               Show empty properties too\n"
               "     --value             Show only the values\n",
               program_invocation_short_name);
}

static int parse_argv(int argc, char *argv[]) {
        enum { ARG_UNIT_PATH = 0x100, ARG_VALUE };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "unit-path", required_argument, NULL, ARG_UNIT_PATH },
                { "property", required_argument, NULL, 'p' },
                { "all", no_argument, NULL, 'a' },
                { "value", no_argument, NULL, ARG_VALUE },
                {},
        };
        int c;

        while ((c = getopt_long(argc, argv, "hp:a", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        help();
                        exit(EXIT_SUCCESS);
                case ARG_UNIT_PATH:
                        free(arg_unit_path);
                        arg_unit_path = strdup(optarg);
                        if (!arg_unit_path)
                                return log_oom();
                        break;
                case 'p': {
                        _cleanup_strv_free_ char **l = NULL;
                        if (strv_split(optarg, ",", &l) < 0 || strv_extend_strv(&arg_properties, l, true) < 0)
                                return log_oom();
                        if (!arg_properties && !(arg_properties = new0(char *, 1)))
                                return log_oom();
                        break;
                }
                case 'a':
                        arg_all = true;
                        break;
                case ARG_VALUE:
                        arg_value = true;
                        break;
                default:
                        return -EINVAL;
                }
        return 1;
}

/* Turns what the user typed into a unit name, as systemctl does ("foo" → "foo.service"). */
static int name_from_arg(const char *arg, char **ret) {
        int r = unit_name_mangle(arg, UNIT_NAME_MANGLE_WARN, ret);
        if (r < 0)
                return log_error_errno(r, "Failed to mangle unit name '%s': %m", arg);
        return 0;
}

static int load_units(Manager *m, char **args, Unit ***ret) {
        _cleanup_free_ Unit **units = new0(Unit *, strv_length(args) + 1);
        size_t n = 0;
        int r;

        if (!units)
                return log_oom();
        r = manager_setup_perpetual_units(m);
        if (r < 0)
                return log_error_errno(r, "Failed to set up perpetual units: %m");
        STRV_FOREACH(a, args) {
                _cleanup_free_ char *name = NULL;
                Unit *u;

                r = name_from_arg(*a, &name);
                if (r < 0)
                        return r;
                r = manager_load_unit_prepare(m, name, &u);
                if (r == -EISDIR)
                        return log_error_errno(r, "Unit name %s is missing the instance name.", name);
                if (r < 0)
                        return log_error_errno(r, "Unit name %s is not valid.", name);
                units[n++] = u;
        }
        manager_dispatch_load_queue(m);
        *ret = TAKE_PTR(units);
        return 0;
}

static int cmd_dump(Manager *m, char **args) {
        _cleanup_free_ Unit **units = NULL;
        UnitDumpFlags flags = 0;
        int r;

        if (arg_all || arg_properties)
                flags |= UNIT_DUMP_SHOW_EMPTY;
        if (arg_value)
                flags |= UNIT_DUMP_VALUE_ONLY;
        r = load_units(m, args, &units);
        if (r < 0)
                return r;
        for (size_t i = 0; units[i]; i++) {
                if (i > 0)
                        fputc('\n', stdout);
                r = unit_dump(units[i], arg_properties, flags, stdout);
                if (r < 0)
                        return log_oom();
        }
        return fflush(stdout) == 0 ? 0 : -errno;
}

/* Prints "# PATH" and the file line by line, as systemctl cat does (a line ends at "\n", "\r",
 * "\r\n" or NUL; a last line without one gets a newline). */
static int cat_file(const char *path, bool newline) {
        _cleanup_free_ char *data = NULL;
        size_t size, start = 0;
        int r = read_full_file(path, 64U * 1024U * 1024U, &data, &size);

        if (r < 0)
                return log_warning_errno(r, "Failed to cat %s: %m", path);
        printf("%s# %s\n", newline ? "\n" : "", path);
        for (size_t i = 0; i < size; i++) {
                if (!IN_SET(data[i], '\n', '\r', '\0'))
                        continue;
                printf("%.*s\n", (int) (i - start), data + start);
                if (data[i] == '\r' && i + 1 < size && data[i + 1] == '\n')
                        i++;
                start = i + 1;
        }
        if (start < size)
                printf("%.*s\n", (int) (size - start), data + start);
        return 0;
}

/* Like systemctl cat: masked units and units that failed to load get a comment line, units
 * without files an error (and exit status 1); the others their fragment and drop-ins, one
 * empty line between units. */
static int cmd_cat(Manager *m, char **args) {
        _cleanup_free_ Unit **units = NULL;
        bool first = true;
        int r, ret = 0;

        r = load_units(m, args, &units);
        if (r < 0)
                return r;
        for (size_t i = 0; units[i]; i++) {
                Unit *u = unit_follow_merge(units[i]);
                const char *name = units[i]->id;

                if (u->load_state == UNIT_MASKED) {
                        printf("# Unit %s is masked.\n", name);
                        continue;
                }
                if (!IN_SET(u->load_state, UNIT_LOADED, UNIT_BAD_SETTING)) {
                        if (u->load_state == UNIT_NOT_FOUND)
                                ret = log_error_errno(-ENOENT, "No files found for %s.", name);
                        else
                                printf("# Unit %s could not be loaded.\n", name);
                        continue;
                }
                if (!u->fragment_path && strv_isempty(u->dropin_paths)) {
                        ret = log_error_errno(-ENOENT, "No files found for %s.", name);
                        continue;
                }
                if (!first)
                        fputc('\n', stdout);
                first = false;
                if (u->fragment_path && cat_file(u->fragment_path, false) < 0)
                        return -EIO;
                STRV_FOREACH(d, u->dropin_paths)
                        if (cat_file(*d, u->fragment_path || d != u->dropin_paths) < 0)
                                return -EIO;
        }
        return ret;
}

/* Reports what would keep the unit from working; returns 0 or -ENOEXEC. */
static int verify_unit(Unit *u) {
        int ret = 0;

        u = unit_follow_merge(u);
        if (u->load_state != UNIT_LOADED) {
                log_error("%s: unit load state is %s%s%s.", u->id, unit_load_state_to_string(u->load_state),
                          u->load_error ? ": " : "", u->load_error ? strerror(-u->load_error) : "");
                return -ENOEXEC;
        }
        for (size_t k = 0; k < _EXEC_COMMAND_KIND_MAX; k++)
                for (ExecCommand *c = u->exec_commands[k]; c; c = c->next) {
                        if (!path_is_absolute(c->path) || (c->flags & EXEC_COMMAND_IGNORE_FAILURE))
                                continue;
                        if (access(c->path, X_OK) < 0) {
                                log_error_errno(errno, "%s: Command %s is not executable: %m", u->id, c->path);
                                ret = -ENOEXEC;
                        }
                }
        return ret;
}

static int cmd_verify(char **args) {
        _cleanup_strv_free_ char **dirs = NULL, **names = NULL;
        _cleanup_(manager_freep) Manager *m = NULL;
        _cleanup_free_ Unit **units = NULL;
        _cleanup_free_ char *path = NULL;
        int r, ret = 0;

        STRV_FOREACH(a, args) {
                _cleanup_free_ char *dir = NULL, *abs = NULL;
                char cwd[PATH_MAX_LEN];

                if (!getcwd(cwd, sizeof cwd))
                        return log_error_errno(errno, "Failed to get the working directory: %m");
                abs = path_make_absolute(*a, cwd);
                if (!abs)
                        return log_oom();
                if (access(abs, R_OK) < 0)
                        return log_error_errno(errno, "Failed to access %s: %m", abs);
                r = path_extract_directory(abs, &dir);
                if (r < 0)
                        return log_error_errno(r, "Failed to get the directory of %s: %m", abs);
                if (strv_extend_uniq(&dirs, dir) < 0 || strv_extend(&names, path_basename(abs)) < 0)
                        return log_oom();
        }
        /* The files' directories come first, then the configured search path. */
        path = strv_join(dirs, ":");
        if (!path || strextend(&path, ":", arg_unit_path ?: getenv("SYSTEMD_UNIT_PATH") ?: "") < 0)
                return log_oom();
        if (!arg_unit_path && !getenv("SYSTEMD_UNIT_PATH") && strextend(&path, ":") < 0)
                return log_oom();
        r = manager_new(path, &m);
        if (r < 0)
                return log_error_errno(r, "Failed to set up the unit registry: %m");
        r = load_units(m, names, &units);
        if (r < 0)
                return r;
        for (size_t i = 0; units[i]; i++)
                if (verify_unit(units[i]) < 0)
                        ret = -ENOEXEC;
        return ret;
}

int main(int argc, char *argv[]) {
        _cleanup_(manager_freep) Manager *m = NULL;
        const char *verb;
        char **args;
        int r;

        log_set_max_level(LOG_WARNING);
        log_parse_environment();
        r = parse_argv(argc, argv);
        if (r <= 0)
                goto finish;
        if (optind >= argc) {
                log_error("A command is required; see --help.");
                r = -EINVAL;
                goto finish;
        }
        verb = argv[optind];
        args = argv + optind + 1;
        if (!*args) {
                log_error("%s: at least one argument is required.", verb);
                r = -EINVAL;
                goto finish;
        }
        if (streq(verb, "verify")) {
                r = cmd_verify(args);
                goto finish;
        }
        r = manager_new(arg_unit_path, &m);
        if (r < 0) {
                log_error_errno(r, "Failed to set up the unit registry: %m");
                goto finish;
        }
        if (streq(verb, "dump"))
                r = cmd_dump(m, args);
        else if (streq(verb, "cat"))
                r = cmd_cat(m, args);
        else {
                log_error("Unknown command '%s'; see --help.", verb);
                r = -EINVAL;
        }
finish:
        free(arg_unit_path);
        strv_free(arg_properties);
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
