/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * executor-stdio.h: the exec helper's standard streams and terminal handling, as systemd 252's
 * exec_child() does them: StandardInput= (null, tty*, socket, fd:, data, file:), StandardOutput=
 * and StandardError= (inherit, null, tty, journal/kmsg (+console) through the journal's stdout
 * stream socket, socket, fd:, file:, append:, truncate:), TTYReset=, TTYVHangup= and the
 * terminal's ownership. Each returns 0 or a negative errno; the caller logs and exits.
 */

#include <sys/types.h>

#include "exec-wire.h"

/* TTYVHangup= and TTYReset= on the unit's terminal (or the stdin fd the manager gave). */
void executor_tty_reset(const ExecContext *c, const ExecRun *r);
/* Sets up fd 0. */
int executor_setup_input(const ExecContext *c, const ExecRun *r);
/* Sets up fd 1 or 2 (after fd 0). ident names the process for the journal (SyslogIdentifier=
 * or the executable's name); uid/gid are the service's (UID_INVALID: unchanged) for connecting to
 * the journal. journal_dev and journal_ino receive the stream's identity for $JOURNAL_STREAM. */
int executor_setup_output(const ExecContext *c, const ExecRun *r, int fileno, const char *ident,
                          uid_t uid, gid_t gid, dev_t *journal_dev, ino_t *journal_ino);
/* Gives the terminal on fd to uid (mode 0620) if fd is a terminal. 0 or -errno. */
int executor_chown_terminal(int fd, uid_t uid);
/* "linux" for a virtual console, "vt220" otherwise (systemd's default $TERM for a tty path). */
const char *executor_default_term(const char *tty_path);
