/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * signal-util.h: signal names as unit files and systemctl spell them (KillSignal=SIGTERM,
 * "status=15/TERM", SIGRTMIN+3), and small sigset helpers. Names follow systemd 252's table,
 * which has no aliases such as SIGIOT, SIGPOLL or SIGCLD.
 */

#include <signal.h>
#include <stdbool.h>

static inline bool SIGNAL_VALID(int signo) {
        return signo > 0 && signo < _NSIG;
}

/* "SIGTERM", "SIGRTMIN+3" for valid signals (SIGRTMIN itself is "SIGRTMIN+0", as systemd
 * prints it); the decimal number for anything else. Real-time and invalid numbers use a
 * thread-local buffer that the next call overwrites. */
const char *signal_to_string(int sig);
/* The same without the "SIG" prefix: "TERM", "RTMIN+3" (systemd's "status=15/TERM" form). */
const char *signal_to_string_short(int sig);

/* Accepts "SIGTERM", "TERM", numbers ("15", also "0xf"), "RTMIN", "RTMIN+3", "SIGRTMIN+3",
 * "RTMAX", "RTMAX-1" (names are case-sensitive). Returns the signal number, -ERANGE for a
 * number or offset outside the valid range, -EINVAL for anything else. */
int signal_from_string(const char *s);

/* Adds the listed signals (terminated by -1; 0 entries are skipped) to ss. 0 or -EINVAL. */
int sigset_add_many(sigset_t *ss, ...);
/* sigprocmask() for a -1 terminated list. 0 or a negative errno. */
int sigprocmask_many(int how, sigset_t *old, ...);

/* Sets sig's disposition to SIG_DFL with the raw system call, which also reaches the two
 * real-time signals glibc keeps for itself (32 and 33, whose sigaction() it refuses):
 * posix_spawn() leaves those at SIG_IGN in the child, and an ignored signal stays ignored
 * across execve(). Async-signal-safe. 0 or a negative errno. */
int signal_reset_default_raw(int sig);
/* Every signal but SIGKILL and SIGSTOP to SIG_DFL (signal_reset_default_raw()). */
void signal_reset_all_default_raw(void);
/* The signals of the C library's own (SIGCANCEL, SIGSETXID on glibc: 32 and 33) to SIG_DFL. */
void signal_reset_libc_internal_raw(void);
