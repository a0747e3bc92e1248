/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * executor-creds.h: the exec helper's user and group handling, as systemd 252 does it: names
 * resolved through NSS (root and nobody/nogroup synthesized without NSS), supplementary groups
 * from the user's memberships plus SupplementaryGroups=, the session keyring, and the final
 * setgroups()/setresgid()/setresuid(). Each returns 0 or a negative errno; the caller logs and
 * exits with the matching exit code.
 */

#include <sys/types.h>

#include "exec-context.h"

typedef struct ExecCreds {
        uid_t uid;          /* UID_INVALID: no User= */
        gid_t gid;          /* GID_INVALID: neither User= nor Group= */
        char *user_name;    /* the resolved names (owned) */
        char *group_name;
        char *home, *shell; /* NULL when not enlightening ("/", nologin) */
        gid_t *groups;      /* supplementary groups to set; n_groups 0 with groups_set: drop all */
        int n_groups;
        bool groups_set;
} ExecCreds;

void exec_creds_done(ExecCreds *c);
/* User= (into uid, gid, names, home, shell). -ESRCH for an unknown user. */
int executor_get_user(const ExecContext *ctx, ExecCreds *c);
/* Group= (overrides the user's primary group). -ESRCH for an unknown group. */
int executor_get_group(const ExecContext *ctx, ExecCreds *c);
/* The user's memberships (initgroups) and SupplementaryGroups=. -E2BIG beyond NGROUPS_MAX. */
int executor_get_supplementary_groups(const ExecContext *ctx, ExecCreds *c);
/* $HOME for WorkingDirectory=~ without User=: the manager's user ($HOME, /root for root). */
int executor_get_home(ExecCreds *c);
/* KeyringMode=: a fresh session keyring (private), linked to the user keyring (shared), owned by
 * the service's user; the invocation ID is added as key "invocation_id". */
int executor_setup_keyring(const ExecContext *ctx, const ExecCreds *c, const char *invocation_id);
/* setgroups() and setresgid(). */
int executor_enforce_groups(const ExecCreds *c);
/* setresuid(), keeping capabilities when ambient capabilities or secure bits need them. */
int executor_enforce_user(const ExecContext *ctx, uid_t uid);
