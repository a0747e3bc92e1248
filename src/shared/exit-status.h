/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * exit-status.h: the exit codes of service processes and their names, exactly as systemd 252
 * numbers and names them (systemd.exec(5), "Process Exit Codes"), and ExitStatusSet, the value
 * of SuccessExitStatus=, RestartPreventExitStatus= and RestartForceExitStatus=.
 *
 * An ExitStatusSet is a plain value (two fixed bitmaps, no allocation): zero-initialise it, or
 * reset it with exit_status_set_clear().
 */

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "macro.h"

enum {
        /* 0 and 1 are EXIT_SUCCESS and EXIT_FAILURE from <stdlib.h>. */

        /* LSB init-script "start" exit codes */
        EXIT_INVALIDARGUMENT = 2,
        EXIT_NOTIMPLEMENTED = 3,
        EXIT_NOPERMISSION = 4,
        EXIT_NOTINSTALLED = 5,
        EXIT_NOTCONFIGURED = 6,
        EXIT_NOTRUNNING = 7,

        /* 64…78 are BSD's EX_* from <sysexits.h>. */

        /* The service manager's own codes: a step of process setup failed before exec(). */
        EXIT_CHDIR = 200,
        EXIT_NICE = 201,
        EXIT_FDS = 202,
        EXIT_EXEC = 203,
        EXIT_MEMORY = 204,
        EXIT_LIMITS = 205,
        EXIT_OOM_ADJUST = 206,
        EXIT_SIGNAL_MASK = 207,
        EXIT_STDIN = 208,
        EXIT_STDOUT = 209,
        EXIT_CHROOT = 210,
        EXIT_IOPRIO = 211,
        EXIT_TIMERSLACK = 212,
        EXIT_SECUREBITS = 213,
        EXIT_SETSCHEDULER = 214,
        EXIT_CPUAFFINITY = 215,
        EXIT_GROUP = 216,
        EXIT_USER = 217,
        EXIT_CAPABILITIES = 218,
        EXIT_CGROUP = 219,
        EXIT_SETSID = 220,
        EXIT_CONFIRM = 221,
        EXIT_STDERR = 222,
        _EXIT_RESERVED = 223, /* was tcpwrap; never reuse */
        EXIT_PAM = 224,
        EXIT_NETWORK = 225,
        EXIT_NAMESPACE = 226,
        EXIT_NO_NEW_PRIVILEGES = 227,
        EXIT_SECCOMP = 228,
        EXIT_SELINUX_CONTEXT = 229,
        EXIT_PERSONALITY = 230,
        EXIT_APPARMOR_PROFILE = 231,
        EXIT_ADDRESS_FAMILIES = 232,
        EXIT_RUNTIME_DIRECTORY = 233,
        _EXIT_RESERVED2 = 234, /* was kdbus; never reuse */
        EXIT_CHOWN = 235,
        EXIT_SMACK_PROCESS_LABEL = 236,
        EXIT_KEYRING = 237,
        EXIT_STATE_DIRECTORY = 238,
        EXIT_CACHE_DIRECTORY = 239,
        EXIT_LOGS_DIRECTORY = 240,
        EXIT_CONFIGURATION_DIRECTORY = 241,
        EXIT_NUMA_POLICY = 242,
        EXIT_CREDENTIALS = 243,
        EXIT_BPF = 244,

        EXIT_EXCEPTION = 255, /* an abnormal or signal exit propagated as a status, as bash does */
};

typedef enum ExitStatusClass {
        EXIT_STATUS_GLIBC = 1 << 0,   /* EXIT_SUCCESS, EXIT_FAILURE */
        EXIT_STATUS_SYSTEMD = 1 << 1, /* 200…244 and 255 */
        EXIT_STATUS_LSB = 1 << 2,     /* 2…7 */
        EXIT_STATUS_BSD = 1 << 3,     /* 64…78 */
        EXIT_STATUS_LIBC = EXIT_STATUS_GLIBC,
        EXIT_STATUS_FULL = EXIT_STATUS_GLIBC | EXIT_STATUS_SYSTEMD | EXIT_STATUS_LSB | EXIT_STATUS_BSD,
} ExitStatusClass;

/* The name of status ("EXEC", "NAMESPACE", "INVALIDARGUMENT", "USAGE", …) if it belongs to one
 * of the classes in cls; NULL otherwise (also for statuses outside 0…255). Static string. */
const char *exit_status_to_string(int status, ExitStatusClass cls) _const_;
/* "libc", "systemd", "LSB" or "BSD"; NULL for an unnamed status. */
const char *exit_status_class(int status) _const_;
/* A name of any class (case-sensitive) or a number 0…255. Returns the status, or -EINVAL /
 * -ERANGE. */
int exit_status_from_string(const char *s) _pure_;

typedef struct ExitStatusSet {
        uint64_t status[256 / 64];        /* exit statuses 0…255 */
        uint64_t signal[(_NSIG + 63) / 64]; /* signal numbers 1…_NSIG-1 */
} ExitStatusSet;

void exit_status_set_clear(ExitStatusSet *set);
bool exit_status_set_is_empty(const ExitStatusSet *set) _pure_;
/* Add one member; -ERANGE if out of range. */
int exit_status_set_add_status(ExitStatusSet *set, int status);
int exit_status_set_add_signal(ExitStatusSet *set, int sig);
bool exit_status_set_has_status(const ExitStatusSet *set, int status) _pure_;
bool exit_status_set_has_signal(const ExitStatusSet *set, int sig) _pure_;
/* Whether a process that ended with waitid() code (CLD_EXITED, CLD_KILLED, CLD_DUMPED) and
 * status is in the set. */
bool exit_status_set_test(const ExitStatusSet *set, int code, int status) _pure_;

/* Applies one SuccessExitStatus= / RestartPreventExitStatus= / RestartForceExitStatus= value:
 * whitespace-separated exit statuses (numbers 0…255 or names such as "EXEC") and signal names or
 * numbers ("SIGTERM", "TERM"; a number is always an exit status) are added to *set; an empty
 * value clears it. Words that are neither are skipped and, when ret_invalid is non-NULL,
 * appended to *ret_invalid so the caller can warn ("Failed to parse value, ignoring: %s").
 * Returns the number of skipped words, -EINVAL if the value cannot be split into words (a
 * trailing backslash; the words before it are applied), or -ENOMEM. */
int exit_status_set_parse_line(ExitStatusSet *set, const char *value, char ***ret_invalid);

/* The set as `systemctl show` prints it: statuses as numbers, then signals by their short name,
 * both in ascending order, separated by spaces (e.g. "1 2 75 HUP TERM"). "" for an empty set.
 * Returns a new string or NULL on OOM. */
char *exit_status_set_format(const ExitStatusSet *set);

typedef enum ExitClean {
        EXIT_CLEAN_DAEMON,  /* SIGHUP, SIGINT, SIGTERM and SIGPIPE count as clean, too */
        EXIT_CLEAN_COMMAND,
} ExitClean;

/* Whether an exit is a success: status 0, a member of success_status (may be NULL), or for
 * daemons one of the termination signals above. */
bool is_clean_exit(int code, int status, ExitClean clean, const ExitStatusSet *success_status);
