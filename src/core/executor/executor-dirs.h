/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * executor-dirs.h: RuntimeDirectory=, StateDirectory=, CacheDirectory=, LogsDirectory= and
 * ConfigurationDirectory= as systemd 252 sets them up in the child (without DynamicUser=):
 * parents made 0755, the directory made with its *DirectoryMode= (an existing one gets the
 * mode again; an existing configuration directory is left alone, with a warning if its mode
 * differs) and owned by the service's user and group, recursively unless the top is already
 * right. $RUNTIME_DIRECTORY and friends are built by executor-env.
 */

#include <sys/types.h>

#include "exec-wire.h"

/* Sets up every directory of every type that has a prefix. uid/gid are the service's
 * (UID_INVALID/GID_INVALID: root's under the system instance, else unchanged). On failure
 * returns the negative errno and the failed type in *ret_type. */
int executor_setup_directories(const ExecContext *c, const ExecRun *r, uid_t uid, gid_t gid,
                               ExecDirectoryType *ret_type);
/* "RUNTIME_DIRECTORY", "STATE_DIRECTORY", … */
const char *executor_directory_env_name(ExecDirectoryType t);
