/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* executor-creds.c: users, groups and the keyring of the service (see executor-creds.h). */

#include <grp.h>
#include <linux/keyctl.h>
#include <linux/securebits.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "executor-creds.h"
#include "parse-util.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"

/* Key permission bits (keyutils.h, not in the kernel's uapi headers). */
#define KEY_POS_VIEW 0x01000000U
#define KEY_POS_READ 0x02000000U
#define KEY_POS_SEARCH 0x08000000U
#define KEY_USR_VIEW 0x00010000U
#define KEY_USR_READ 0x00020000U
#define KEY_USR_SEARCH 0x00080000U

#define UID_NOBODY ((uid_t) 65534)
#define GID_NOBODY ((gid_t) 65534)

void exec_creds_done(ExecCreds *c) {
        free(c->user_name);
        free(c->group_name);
        free(c->home);
        free(c->shell);
        free(c->groups);
}

static bool synthesize_nobody(void) {
        return access("/etc/systemd/dont-synthesize-nobody", F_OK) < 0;
}

static int errno_or(int fallback) {
        return errno > 0 ? -errno : -fallback;
}

static bool is_nologin_shell(const char *s) {
        const char *b = path_basename(s);
        return streq(b, "nologin") || streq(b, "false") || streq(s, "/bin/true") || streq(s, "/usr/bin/true");
}

int executor_get_user(const ExecContext *ctx, ExecCreds *c) {
        const struct passwd *pw;
        uid_t uid;

        if (!ctx->user)
                return 0;
        if (exec_name_is_root(ctx->user)) {
                c->uid = 0;
                c->gid = 0;
                c->user_name = strdup("root");
                c->home = strdup("/root");
                c->shell = strdup(access("/bin/bash", X_OK) >= 0 ? "/bin/bash" : "/bin/sh");
                return c->user_name && c->home && c->shell ? 0 : -ENOMEM;
        }
        if ((streq(ctx->user, "nobody") || streq(ctx->user, "65534")) && synthesize_nobody()) {
                c->uid = UID_NOBODY;
                c->gid = GID_NOBODY;
                c->user_name = strdup("nobody");
                return c->user_name ? 0 : -ENOMEM;
        }
        errno = 0;
        pw = parse_uid(ctx->user, &uid) >= 0 ? getpwuid(uid) : getpwnam(ctx->user);
        if (!pw)
                return errno_or(ESRCH);
        c->uid = pw->pw_uid;
        c->gid = pw->pw_gid;
        c->user_name = strdup(pw->pw_name);
        if (!c->user_name)
                return -ENOMEM;
        if (!isempty(pw->pw_dir) && path_is_absolute(pw->pw_dir) && !streq(pw->pw_dir, "/") &&
            !(c->home = strdup(pw->pw_dir)))
                return -ENOMEM;
        if (!isempty(pw->pw_shell) && path_is_absolute(pw->pw_shell) && !is_nologin_shell(pw->pw_shell) &&
            !(c->shell = strdup(pw->pw_shell)))
                return -ENOMEM;
        return 0;
}

/* A group name or number to a gid (root and nogroup without NSS). */
static int lookup_group(const char *name, gid_t *ret, char **ret_name) {
        const struct group *gr;
        gid_t gid;

        if (exec_name_is_root(name)) {
                *ret = 0;
                return ret_name && !(*ret_name = strdup("root")) ? -ENOMEM : 0;
        }
        if ((streq(name, "nogroup") || streq(name, "65534")) && synthesize_nobody()) {
                *ret = GID_NOBODY;
                return ret_name && !(*ret_name = strdup("nogroup")) ? -ENOMEM : 0;
        }
        errno = 0;
        gr = parse_gid(name, &gid) >= 0 ? getgrgid(gid) : getgrnam(name);
        if (!gr)
                return errno_or(ESRCH);
        *ret = gr->gr_gid;
        return ret_name && !(*ret_name = strdup(gr->gr_name)) ? -ENOMEM : 0;
}

int executor_get_group(const ExecContext *ctx, ExecCreds *c) {
        if (!ctx->group)
                return 0;
        free(c->group_name);
        c->group_name = NULL;
        return lookup_group(ctx->group, &c->gid, &c->group_name);
}

int executor_get_supplementary_groups(const ExecContext *ctx, ExecCreds *c) {
        bool keep = false;
        long max;
        int k = 0;

        /* initgroups() first, so that setgroups() later keeps the user's own memberships; never
         * for gid 0 (no NSS lookups for root). */
        if (c->user_name && c->gid != GID_INVALID && c->gid != 0) {
                if (initgroups(c->user_name, c->gid) < 0)
                        return -errno;
                keep = true;
        }
        if (strv_isempty(ctx->supplementary_groups))
                return 0;
        max = sysconf(_SC_NGROUPS_MAX); /* a read of /proc/sys/kernel/ngroups_max */
        if (max <= 0)
                return -EOPNOTSUPP;
        c->groups = new(gid_t, (size_t) max);
        if (!c->groups)
                return -ENOMEM;
        if (keep) {
                k = (int) max;
                if (getgrouplist(c->user_name, c->gid, c->groups, &k) < 0)
                        return -EINVAL;
        }
        STRV_FOREACH(g, ctx->supplementary_groups) {
                int r;
                if (k >= max)
                        return -E2BIG;
                r = lookup_group(*g, &c->groups[k], NULL);
                if (r < 0)
                        return r;
                k++;
        }
        c->n_groups = k;
        c->groups_set = true;
        return 0;
}

int executor_get_home(ExecCreds *c) {
        const char *e = getenv("HOME");
        const struct passwd *pw;

        if (c->home)
                return 0;
        if (e && path_is_absolute(e))
                return (c->home = strdup(e)) ? 0 : -ENOMEM;
        if (getuid() == 0)
                return (c->home = strdup("/root")) ? 0 : -ENOMEM;
        errno = 0;
        pw = getpwuid(getuid());
        if (!pw || !path_is_absolute(pw->pw_dir))
                return errno_or(ESRCH);
        return (c->home = strdup(pw->pw_dir)) ? 0 : -ENOMEM;
}

static long keyctl(int op, unsigned long a, unsigned long b, unsigned long c, unsigned long d) {
        return syscall(SYS_keyctl, op, a, b, c, d);
}

/* Joins a new session keyring under the service's identity (as pam_keyinit does), so that the
 * kernel links it to the right user keyring. */
static int keyring_join(const ExecContext *ctx, const ExecCreds *c) {
        if (keyctl(KEYCTL_JOIN_SESSION_KEYRING, 0, 0, 0, 0) == -1) {
                /* No keyrings in this kernel or container: nothing to set up. */
                if (IN_SET(errno, ENOSYS, EPERM, EACCES, EDQUOT))
                        return 0;
                return -errno;
        }
        if (ctx->keyring_mode == EXEC_KEYRING_SHARED &&
            keyctl(KEYCTL_LINK, (unsigned long) KEY_SPEC_USER_KEYRING,
                   (unsigned long) KEY_SPEC_SESSION_KEYRING, 0, 0) < 0)
                return -errno;
        (void) c;
        return 1;
}

int executor_setup_keyring(const ExecContext *ctx, const ExecCreds *c, const char *invocation_id) {
        uid_t saved_uid = getuid();
        gid_t saved_gid = getgid();
        int r = 0;

        if (ctx->keyring_mode == EXEC_KEYRING_INHERIT)
                return 0;
        if (c->gid != GID_INVALID && c->gid != saved_gid && setregid(c->gid, (gid_t) -1) < 0)
                return -errno;
        if (c->uid != UID_INVALID && c->uid != saved_uid && setreuid(c->uid, (uid_t) -1) < 0)
                r = -errno;
        if (r >= 0)
                r = keyring_join(ctx, c);
        if (getuid() != saved_uid)
                (void) setreuid(saved_uid, (uid_t) -1);
        if (getgid() != saved_gid)
                (void) setregid(saved_gid, (gid_t) -1);
        if (r > 0 && invocation_id && strlen(invocation_id) == 32) {
                uint8_t id[16];
                long key;
                for (size_t i = 0; i < 16; i++)
                        id[i] = (uint8_t) (unhexchar(invocation_id[2 * i]) << 4 | unhexchar(invocation_id[2 * i + 1]));
                key = syscall(SYS_add_key, "user", "invocation_id", id, sizeof id, KEY_SPEC_SESSION_KEYRING);
                if (key != -1 &&
                    keyctl(KEYCTL_SETPERM, (unsigned long) key,
                           KEY_POS_VIEW | KEY_POS_READ | KEY_POS_SEARCH | KEY_USR_VIEW | KEY_USR_READ | KEY_USR_SEARCH,
                           0, 0) < 0)
                        return -errno;
        }
        return r < 0 ? r : 0;
}

int executor_enforce_groups(const ExecCreds *c) {
        if (c->groups_set && c->n_groups > 0 && setgroups((size_t) c->n_groups, c->groups) < 0)
                return -errno;
        if (c->gid != GID_INVALID && setresgid(c->gid, c->gid, c->gid) < 0)
                return -errno;
        return 0;
}

int executor_enforce_user(const ExecContext *ctx, uid_t uid) {
        if (uid == UID_INVALID)
                return 0;
        /* Keep capabilities across the UID change when they are wanted afterwards. */
        if ((ctx->capability_ambient_set != 0 || ctx->secure_bits != 0) && uid != 0) {
                int cur = prctl(PR_GET_SECUREBITS);
                if (cur < 0)
                        return -errno;
                if (!(cur & (1 << SECURE_KEEP_CAPS)) && prctl(PR_SET_SECUREBITS, cur | (1 << SECURE_KEEP_CAPS)) < 0)
                        return -errno;
        }
        return setresuid(uid, uid, uid) < 0 ? -errno : 0;
}
