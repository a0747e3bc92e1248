/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* executor-env.c: the service's environment and executable (see executor-env.h). */

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "env-util.h"
#include "escape.h"
#include "execute.h"
#include "executor-dirs.h"
#include "executor-env.h"
#include "executor-stdio.h"
#include "fd-util.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"

static int add(char ***env, const char *name, const char *value) {
        return value ? strv_env_assign(env, name, value) : 0;
}

static int add_number(char ***env, const char *name, unsigned long long v) {
        char buf[32];
        snprintf(buf, sizeof buf, "%llu", v);
        return strv_env_assign(env, name, buf);
}

static int own_environment(const ExecContext *c, const ExecRun *r, const ExecCreds *creds,
                           dev_t journal_dev, ino_t journal_ino, char ***ret) {
        _cleanup_strv_free_ char **env = NULL;
        _cleanup_free_ char *names = NULL, *home = NULL, *shell = NULL;
        int k = 0;

        if (r->n_fds > 0) {
                names = strv_join(r->fd_names, ":");
                if (!names || add_number(&env, "LISTEN_PID", (unsigned long long) getpid()) < 0 ||
                    add_number(&env, "LISTEN_FDS", r->n_fds) < 0 || add(&env, "LISTEN_FDNAMES", names) < 0)
                        return -ENOMEM;
        }
        if ((r->flags & EXEC_SET_WATCHDOG) && r->watchdog_usec > 0 &&
            (add_number(&env, "WATCHDOG_PID", (unsigned long long) getpid()) < 0 ||
             add_number(&env, "WATCHDOG_USEC", r->watchdog_usec) < 0))
                return -ENOMEM;
        if (creds->home && !(home = path_simplify(strdup(creds->home))))
                return -ENOMEM;
        if (creds->shell && !(shell = path_simplify(strdup(creds->shell))))
                return -ENOMEM;
        k = add(&env, "HOME", home);
        if (k >= 0 && creds->user_name && (k = add(&env, "LOGNAME", creds->user_name)) >= 0)
                k = add(&env, "USER", creds->user_name);
        if (k >= 0)
                k = add(&env, "SHELL", shell);
        if (k >= 0)
                k = add(&env, "INVOCATION_ID", r->invocation_id);
        if (k >= 0 && exec_context_needs_term(c)) {
                const char *tty = exec_context_tty_path(c), *term = NULL;
                /* Under the system instance the console's $TERM is the one the manager got. */
                if (streq(tty, "/dev/console") && (r->flags & EXEC_SYSTEM_MANAGER))
                        term = getenv("TERM");
                k = add(&env, "TERM", term ? term : executor_default_term(tty));
        }
        if (k >= 0 && journal_dev != 0 && journal_ino != 0) {
                char buf[64];
                snprintf(buf, sizeof buf, "%llu:%llu", (unsigned long long) journal_dev,
                         (unsigned long long) journal_ino);
                k = add(&env, "JOURNAL_STREAM", buf);
        }
        if (k >= 0)
                k = add(&env, "LOG_NAMESPACE", c->log_namespace);
        for (ExecDirectoryType t = 0; k >= 0 && t < _EXEC_DIRECTORY_TYPE_MAX; t++) {
                _cleanup_free_ char *joined = NULL;
                if (!r->prefix[t])
                        continue;
                STRV_FOREACH(d, c->directories[t]) {
                        _cleanup_free_ char *p = path_join(r->prefix[t], *d);
                        if (!p || strextend_with_separator(&joined, ":", p) < 0)
                                return -ENOMEM;
                }
                k = add(&env, executor_directory_env_name(t), joined);
        }
        if (k >= 0)
                k = add_number(&env, "SYSTEMD_EXEC_PID", (unsigned long long) getpid());
        if (k < 0)
                return k;
        *ret = TAKE_PTR(env);
        return 0;
}

int executor_build_environment(const ExecContext *c, const ExecRun *r, const ExecCreds *creds,
                               dev_t journal_dev, ino_t journal_ino, char ***ret) {
        _cleanup_strv_free_ char **env = strv_copy(r->environment), **own = NULL, **search = NULL;
        _cleanup_free_ char *joined = NULL;

        if (!env && r->environment)
                return -ENOMEM;
        if (own_environment(c, r, creds, journal_dev, journal_ino, &own) < 0)
                return -ENOMEM;
        if (!strv_isempty(c->exec_search_path) &&
            (!(joined = strv_join(c->exec_search_path, ":")) || strv_env_assign(&search, "PATH", joined) < 0))
                return -ENOMEM;
        if (strv_env_merge(&env, own) < 0 || strv_env_merge(&env, search) < 0 ||
            strv_env_merge(&env, r->pass_environment) < 0 || strv_env_merge(&env, c->environment) < 0 ||
            strv_env_merge(&env, r->files_environment) < 0)
                return -ENOMEM;
        if (!env && !(env = strv_new(NULL)))
                return -ENOMEM;
        *ret = strv_env_clean(TAKE_PTR(env));
        return 0;
}

void executor_unset_environment(char **env, char **unset) {
        STRV_FOREACH(u, unset)
                strv_env_unset(env, *u);
}

static int check_executable(const char *path) {
        _cleanup_close_ int fd = open(path, O_PATH | O_CLOEXEC);
        struct stat st;

        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (S_ISDIR(st.st_mode))
                return -EISDIR;
        if (!S_ISREG(st.st_mode))
                return -EBADFD;
        return access(path, X_OK) < 0 ? -errno : 0;
}

int executor_find_executable(const char *path, char **search_path, char **ret) {
        _cleanup_strv_free_ char **dirs = NULL;
        int last = -ENOENT;

        if (strchr(path, '/')) {
                int r = check_executable(path);
                if (r < 0)
                        return r;
                return (*ret = strdup(path)) ? 0 : -ENOMEM;
        }
        if (!search_path && strv_split(EXEC_DEFAULT_PATH, ":", &dirs) < 0)
                return -ENOMEM;
        STRV_FOREACH(d, search_path ? search_path : dirs) {
                _cleanup_free_ char *full = NULL;
                int r;

                if (!path_is_absolute(*d))
                        continue;
                full = path_join(*d, path);
                if (!full)
                        return -ENOMEM;
                r = check_executable(full);
                if (r >= 0) {
                        *ret = TAKE_PTR(full);
                        return 0;
                }
                if (r != -EACCES) /* unreadable PATH entries are skipped, as tradition has it */
                        last = r;
        }
        return last;
}
