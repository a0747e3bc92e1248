/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * udev-config.h: the settings of the devmaster daemon and where they come from, in udevd
 * 252's order (a later source overrides an earlier one):
 *   1. /etc/udev/udev.conf: udev_log, children_max, exec_delay, event_timeout, resolve_names,
 *      timeout_signal (KEY=VALUE lines; a bad value is warned about and ignored);
 *   2. $SYSTEMD_LOG_LEVEL (the caller's log_parse_environment());
 *   3. the command line: --daemon, --debug, --children-max=, --exec-delay=, --event-timeout=,
 *      --resolve-names=early|late|never, --timeout-signal=, --help, --version;
 *   4. the kernel command line: udev.log_level= (udev.log_priority=), udev.children_max=,
 *      udev.exec_delay=, udev.event_timeout=, udev.timeout_signal=, udev.blockdev_read_only[=],
 *      and the same with "rd." in front, which count only in the initrd.
 * Times accept systemd time spans ("30", "30s", "2min"; plain numbers are seconds).
 */

#include <stdbool.h>

#include "time-base.h"
#include "udev-rules.h"

#define UDEV_CONFIG_FILE "/etc/udev/udev.conf"

typedef struct UdevConfig {
        int log_level; /* -1: not set by any source */
        unsigned children_max; /* 0: the default */
        usec_t exec_delay_usec;
        usec_t event_timeout_usec;
        int timeout_signal;
        UdevRulesResolveNameTiming resolve_name_timing;
        bool blockdev_read_only;
        bool daemonize;
        bool debug;
} UdevConfig;

/* The defaults: event timeout 180 s, SIGKILL, names resolved early, nothing else set. */
void udev_config_init(UdevConfig *c);
/* Reads udev.conf at path; a missing file is 0. Bad values are logged and skipped. */
int udev_config_parse_file(UdevConfig *c, const char *path);
/* The udev.* options of cmdline, or of the kernel command line if NULL (proc-cmdline.h: rd.udev.*
 * only in the initrd). Unknown udev.* keys and bad values are logged and skipped. Returns 0 or
 * -errno (-ENOMEM, or the kernel command line could not be read). */
int udev_config_parse_cmdline(UdevConfig *c, const char *cmdline);
/* The daemon's command line: 1 to go on, 0 when --help/--version was answered, -EINVAL for an
 * unknown option. Unparsable values are warned about and ignored, as udevd does. */
int udev_config_parse_argv(UdevConfig *c, int argc, char *argv[]);
/* "early", "late", "never". */
UdevRulesResolveNameTiming udev_resolve_name_timing_from_string(const char *s) _pure_;
