/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * exit-status.c: exit status names and ExitStatusSet. The table reproduces systemd 252's so that
 * "status=203/EXEC" and SuccessExitStatus=NAMESPACE mean the same as under systemd.
 */

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <sysexits.h>

#include "escape.h"
#include "exit-status.h"
#include "fd-util.h"
#include "log.h"
#include "parse-util.h"
#include "signal-util.h"
#include "string-util.h"
#include "strv.h"

typedef struct ExitStatusName {
        const char *name;
        ExitStatusClass cls;
} ExitStatusName;

static const ExitStatusName exit_status_names[256] = {
        [EXIT_SUCCESS] = { "SUCCESS", EXIT_STATUS_GLIBC },
        [EXIT_FAILURE] = { "FAILURE", EXIT_STATUS_GLIBC },

        [EXIT_INVALIDARGUMENT] = { "INVALIDARGUMENT", EXIT_STATUS_LSB },
        [EXIT_NOTIMPLEMENTED] = { "NOTIMPLEMENTED", EXIT_STATUS_LSB },
        [EXIT_NOPERMISSION] = { "NOPERMISSION", EXIT_STATUS_LSB },
        [EXIT_NOTINSTALLED] = { "NOTINSTALLED", EXIT_STATUS_LSB },
        [EXIT_NOTCONFIGURED] = { "NOTCONFIGURED", EXIT_STATUS_LSB },
        [EXIT_NOTRUNNING] = { "NOTRUNNING", EXIT_STATUS_LSB },

        [EX_USAGE] = { "USAGE", EXIT_STATUS_BSD },
        [EX_DATAERR] = { "DATAERR", EXIT_STATUS_BSD },
        [EX_NOINPUT] = { "NOINPUT", EXIT_STATUS_BSD },
        [EX_NOUSER] = { "NOUSER", EXIT_STATUS_BSD },
        [EX_NOHOST] = { "NOHOST", EXIT_STATUS_BSD },
        [EX_UNAVAILABLE] = { "UNAVAILABLE", EXIT_STATUS_BSD },
        [EX_SOFTWARE] = { "SOFTWARE", EXIT_STATUS_BSD },
        [EX_OSERR] = { "OSERR", EXIT_STATUS_BSD },
        [EX_OSFILE] = { "OSFILE", EXIT_STATUS_BSD },
        [EX_CANTCREAT] = { "CANTCREAT", EXIT_STATUS_BSD },
        [EX_IOERR] = { "IOERR", EXIT_STATUS_BSD },
        [EX_TEMPFAIL] = { "TEMPFAIL", EXIT_STATUS_BSD },
        [EX_PROTOCOL] = { "PROTOCOL", EXIT_STATUS_BSD },
        [EX_NOPERM] = { "NOPERM", EXIT_STATUS_BSD },
        [EX_CONFIG] = { "CONFIG", EXIT_STATUS_BSD },

        [EXIT_CHDIR] = { "CHDIR", EXIT_STATUS_SYSTEMD },
        [EXIT_NICE] = { "NICE", EXIT_STATUS_SYSTEMD },
        [EXIT_FDS] = { "FDS", EXIT_STATUS_SYSTEMD },
        [EXIT_EXEC] = { "EXEC", EXIT_STATUS_SYSTEMD },
        [EXIT_MEMORY] = { "MEMORY", EXIT_STATUS_SYSTEMD },
        [EXIT_LIMITS] = { "LIMITS", EXIT_STATUS_SYSTEMD },
        [EXIT_OOM_ADJUST] = { "OOM_ADJUST", EXIT_STATUS_SYSTEMD },
        [EXIT_SIGNAL_MASK] = { "SIGNAL_MASK", EXIT_STATUS_SYSTEMD },
        [EXIT_STDIN] = { "STDIN", EXIT_STATUS_SYSTEMD },
        [EXIT_STDOUT] = { "STDOUT", EXIT_STATUS_SYSTEMD },
        [EXIT_CHROOT] = { "CHROOT", EXIT_STATUS_SYSTEMD },
        [EXIT_IOPRIO] = { "IOPRIO", EXIT_STATUS_SYSTEMD },
        [EXIT_TIMERSLACK] = { "TIMERSLACK", EXIT_STATUS_SYSTEMD },
        [EXIT_SECUREBITS] = { "SECUREBITS", EXIT_STATUS_SYSTEMD },
        [EXIT_SETSCHEDULER] = { "SETSCHEDULER", EXIT_STATUS_SYSTEMD },
        [EXIT_CPUAFFINITY] = { "CPUAFFINITY", EXIT_STATUS_SYSTEMD },
        [EXIT_GROUP] = { "GROUP", EXIT_STATUS_SYSTEMD },
        [EXIT_USER] = { "USER", EXIT_STATUS_SYSTEMD },
        [EXIT_CAPABILITIES] = { "CAPABILITIES", EXIT_STATUS_SYSTEMD },
        [EXIT_CGROUP] = { "CGROUP", EXIT_STATUS_SYSTEMD },
        [EXIT_SETSID] = { "SETSID", EXIT_STATUS_SYSTEMD },
        [EXIT_CONFIRM] = { "CONFIRM", EXIT_STATUS_SYSTEMD },
        [EXIT_STDERR] = { "STDERR", EXIT_STATUS_SYSTEMD },
        [EXIT_PAM] = { "PAM", EXIT_STATUS_SYSTEMD },
        [EXIT_NETWORK] = { "NETWORK", EXIT_STATUS_SYSTEMD },
        [EXIT_NAMESPACE] = { "NAMESPACE", EXIT_STATUS_SYSTEMD },
        [EXIT_NO_NEW_PRIVILEGES] = { "NO_NEW_PRIVILEGES", EXIT_STATUS_SYSTEMD },
        [EXIT_SECCOMP] = { "SECCOMP", EXIT_STATUS_SYSTEMD },
        [EXIT_SELINUX_CONTEXT] = { "SELINUX_CONTEXT", EXIT_STATUS_SYSTEMD },
        [EXIT_PERSONALITY] = { "PERSONALITY", EXIT_STATUS_SYSTEMD },
        [EXIT_APPARMOR_PROFILE] = { "APPARMOR", EXIT_STATUS_SYSTEMD }, /* sic: not APPARMOR_PROFILE */
        [EXIT_ADDRESS_FAMILIES] = { "ADDRESS_FAMILIES", EXIT_STATUS_SYSTEMD },
        [EXIT_RUNTIME_DIRECTORY] = { "RUNTIME_DIRECTORY", EXIT_STATUS_SYSTEMD },
        [EXIT_CHOWN] = { "CHOWN", EXIT_STATUS_SYSTEMD },
        [EXIT_SMACK_PROCESS_LABEL] = { "SMACK_PROCESS_LABEL", EXIT_STATUS_SYSTEMD },
        [EXIT_KEYRING] = { "KEYRING", EXIT_STATUS_SYSTEMD },
        [EXIT_STATE_DIRECTORY] = { "STATE_DIRECTORY", EXIT_STATUS_SYSTEMD },
        [EXIT_CACHE_DIRECTORY] = { "CACHE_DIRECTORY", EXIT_STATUS_SYSTEMD },
        [EXIT_LOGS_DIRECTORY] = { "LOGS_DIRECTORY", EXIT_STATUS_SYSTEMD },
        [EXIT_CONFIGURATION_DIRECTORY] = { "CONFIGURATION_DIRECTORY", EXIT_STATUS_SYSTEMD },
        [EXIT_NUMA_POLICY] = { "NUMA_POLICY", EXIT_STATUS_SYSTEMD },
        [EXIT_CREDENTIALS] = { "CREDENTIALS", EXIT_STATUS_SYSTEMD },
        [EXIT_BPF] = { "BPF", EXIT_STATUS_SYSTEMD },

        [EXIT_EXCEPTION] = { "EXCEPTION", EXIT_STATUS_SYSTEMD },
};

const char *exit_status_to_string(int status, ExitStatusClass cls) {
        if (status < 0 || status >= (int) ELEMENTSOF(exit_status_names))
                return NULL;
        return (exit_status_names[status].cls & cls) ? exit_status_names[status].name : NULL;
}

const char *exit_status_class(int status) {
        if (status < 0 || status >= (int) ELEMENTSOF(exit_status_names))
                return NULL;
        switch (exit_status_names[status].cls) {
        case EXIT_STATUS_GLIBC:
                return "libc";
        case EXIT_STATUS_SYSTEMD:
                return "systemd";
        case EXIT_STATUS_LSB:
                return "LSB";
        case EXIT_STATUS_BSD:
                return "BSD";
        default:
                return NULL;
        }
}

int exit_status_from_string(const char *s) {
        uint8_t v;
        int r;

        if (!s)
                return -EINVAL;
        for (size_t i = 0; i < ELEMENTSOF(exit_status_names); i++)
                if (exit_status_names[i].name && streq(exit_status_names[i].name, s))
                        return (int) i;
        r = safe_atou8(s, &v);
        if (r < 0)
                return r;
        return v;
}

/* ---- ExitStatusSet ---- */

static bool bit_test(const uint64_t *bits, size_t n_words, int i) {
        if (i < 0 || (size_t) i >= n_words * 64)
                return false;
        return bits[i / 64] & (UINT64_C(1) << (i % 64));
}

void exit_status_set_clear(ExitStatusSet *set) {
        *set = (ExitStatusSet) {};
}

bool exit_status_set_is_empty(const ExitStatusSet *set) {
        if (!set)
                return true;
        for (size_t i = 0; i < ELEMENTSOF(set->status); i++)
                if (set->status[i])
                        return false;
        for (size_t i = 0; i < ELEMENTSOF(set->signal); i++)
                if (set->signal[i])
                        return false;
        return true;
}

int exit_status_set_add_status(ExitStatusSet *set, int status) {
        if (status < 0 || status > 255)
                return -ERANGE;
        set->status[status / 64] |= UINT64_C(1) << (status % 64);
        return 0;
}

int exit_status_set_add_signal(ExitStatusSet *set, int sig) {
        if (!SIGNAL_VALID(sig))
                return -ERANGE;
        set->signal[sig / 64] |= UINT64_C(1) << (sig % 64);
        return 0;
}

bool exit_status_set_has_status(const ExitStatusSet *set, int status) {
        return set && bit_test(set->status, ELEMENTSOF(set->status), status);
}

bool exit_status_set_has_signal(const ExitStatusSet *set, int sig) {
        return set && SIGNAL_VALID(sig) && bit_test(set->signal, ELEMENTSOF(set->signal), sig);
}

bool exit_status_set_test(const ExitStatusSet *set, int code, int status) {
        if (code == CLD_EXITED)
                return exit_status_set_has_status(set, status);
        if (code == CLD_KILLED || code == CLD_DUMPED)
                return exit_status_set_has_signal(set, status);
        return false;
}

int exit_status_set_parse_line(ExitStatusSet *set, const char *value, char ***ret_invalid) {
        int n_invalid = 0, r;

        if (isempty(value)) {
                exit_status_set_clear(set);
                return 0;
        }

        for (const char *p = value;;) {
                _cleanup_free_ char *word = NULL;

                /* No quote removal, as systemd: the words are plain. */
                r = extract_first_word(&p, &word, NULL, 0);
                if (r < 0)
                        return r;
                if (r == 0)
                        return n_invalid;

                /* Numbers are exit statuses, never signals. */
                r = exit_status_from_string(word);
                if (r >= 0) {
                        (void) exit_status_set_add_status(set, r);
                        continue;
                }
                r = signal_from_string(word);
                if (r >= 0) {
                        (void) exit_status_set_add_signal(set, r);
                        continue;
                }

                log_debug("Not an exit status or signal, ignoring: %s", word);
                n_invalid++;
                if (ret_invalid && strv_consume(ret_invalid, TAKE_PTR(word)) < 0)
                        return -ENOMEM;
        }
}

char *exit_status_set_format(const ExitStatusSet *set) {
        _cleanup_free_ char *s = strdup("");

        if (!s)
                return NULL;

        for (int i = 0; i < 256; i++) {
                char buf[4];

                if (!exit_status_set_has_status(set, i))
                        continue;
                snprintf(buf, sizeof buf, "%d", i);
                if (strextend(&s, *s ? " " : "", buf) < 0)
                        return NULL;
        }
        for (int sig = 1; sig < _NSIG; sig++) {
                if (!exit_status_set_has_signal(set, sig))
                        continue;
                if (strextend(&s, *s ? " " : "", signal_to_string_short(sig)) < 0)
                        return NULL;
        }
        return TAKE_PTR(s);
}

bool is_clean_exit(int code, int status, ExitClean clean, const ExitStatusSet *success_status) {
        if (code == CLD_EXITED)
                return status == 0 || exit_status_set_has_status(success_status, status);

        /* A daemon without handlers for the usual termination signals still stopped cleanly. */
        if (code == CLD_KILLED)
                return (clean == EXIT_CLEAN_DAEMON && IN_SET(status, SIGHUP, SIGINT, SIGTERM, SIGPIPE)) ||
                       exit_status_set_has_signal(success_status, status);

        return false;
}
