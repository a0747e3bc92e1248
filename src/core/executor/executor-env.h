/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * executor-env.h: the final environment and command line of the service, as systemd 252's
 * build_environment() and exec_child() make them, and the lookup of the executable.
 */

#include "exec-wire.h"
#include "executor-creds.h"

/* The variables the helper itself sets: $LISTEN_*, $WATCHDOG_*, $HOME/$LOGNAME/$USER/$SHELL,
 * $INVOCATION_ID, $TERM, $JOURNAL_STREAM, $LOG_NAMESPACE, $RUNTIME_DIRECTORY and the other
 * directories, $SYSTEMD_EXEC_PID; then everything
 * merged in systemd's order (manager block, these, ExecSearchPath= as $PATH, PassEnvironment=,
 * Environment=, EnvironmentFile=), invalid and duplicate entries dropped. 0 or -ENOMEM. */
int executor_build_environment(const ExecContext *c, const ExecRun *r, const ExecCreds *creds,
                               dev_t journal_dev, ino_t journal_ino, char ***ret);
/* UnsetEnvironment=: drops NAME (every assignment) or exactly NAME=VALUE, in place. */
void executor_unset_environment(char **env, char **unset);
/* The executable for path: as given when it contains a slash, else the first match in
 * ExecSearchPath= or the default path. Must be a regular file we may execute: -ENOENT,
 * -EACCES, -EISDIR (a directory), -EBADFD (another non-regular file). */
int executor_find_executable(const char *path, char **search_path, char **ret);
