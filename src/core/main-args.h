/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * main-args.h: what the sysmaster binary is told at start: its own command line (systemd's
 * options that make sense for us: --unit=, --log-level=, --log-target=, --system, --version,
 * --help; init passes its argv on) and the kernel command line (systemd.unit=,
 * systemd.wants=, systemd.log_level=, systemd.log_target=, and the SysV words "single", "s",
 * "S", "1" → rescue.target, "emergency", "-b" → emergency.target, "2"–"5" →
 * runlevelN.target). The command line wins over the kernel command line, as in systemd.
 * MainArgs owns its strings.
 */

#include <stdbool.h>

#include "log.h"

typedef struct MainArgs {
        char *default_unit;   /* NULL: default.target */
        char **wants;         /* systemd.wants= units, in order, no duplicates */
        int log_level;        /* -1: unchanged */
        LogTarget log_target; /* _LOG_TARGET_INVALID: unchanged */
        /* --default-standard-output= / --default-standard-error= (systemd's options, the same
         * as DefaultStandardOutput=/DefaultStandardError=): an ExecOutput, -1: unchanged */
        int default_std_output, default_std_error;
        bool show_help, show_version;
} MainArgs;

#define MAIN_ARGS_INIT { .log_level = -1, .log_target = _LOG_TARGET_INVALID, .default_std_output = -1, .default_std_error = -1 }

void main_args_done(MainArgs *a);

/* Parses the words of a kernel command line (space separated, "double quotes" group words).
 * Unknown words are ignored; a bad value of a known key is logged and ignored. 0 or -ENOMEM. */
int main_args_parse_kernel_cmdline(MainArgs *a, const char *cmdline);
/* Parses argv (argv[0] skipped). Unknown options and bad values: logged, -EINVAL. Words that
 * are not options are treated like kernel command line words (as PID 1 gets them). */
int main_args_parse_argv(MainArgs *a, int argc, char *const *argv);
