/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* exec-context.c: the ExecContext value and its small queries (see exec-context.h). Building one
 * from a unit lives in exec-context-load.c, so that the exec helper links only this part. */

#include <sched.h>
#include <syslog.h>
#include <unistd.h>

#include "exec-caps.h"
#include "exec-context.h"
#include "string-util.h"
#include "strv.h"

void exec_context_init(ExecContext *c) {
        *c = (ExecContext) {
                .umask = 0022,
                .ioprio = EXEC_IOPRIO_DEFAULT,
                .cpu_sched_policy = SCHED_OTHER,
                .timer_slack_nsec = NSEC_INFINITY,
                .personality = EXEC_PERSONALITY_INVALID,
                .ignore_sigpipe = true,
                .std_input = EXEC_INPUT_NULL,
                .std_output = EXEC_OUTPUT_INHERIT,
                .std_error = EXEC_OUTPUT_INHERIT,
                .syslog_priority = LOG_DAEMON | LOG_INFO,
                .syslog_level_prefix = true,
                .capability_bounding_set = EXEC_CAP_ALL,
                .keyring_mode = EXEC_KEYRING_INHERIT,
                .syscall_errno = INT32_MAX - 1, /* EXEC_SYSCALL_ERRNO_KILL */
        };
        for (size_t t = 0; t < _EXEC_DIRECTORY_TYPE_MAX; t++)
                c->directory_modes[t] = 0755;
}

void exec_context_done(ExecContext *c) {
        if (!c)
                return;
        strv_free(c->environment);
        strv_free(c->environment_files);
        strv_free(c->pass_environment);
        strv_free(c->unset_environment);
        free(c->user);
        free(c->group);
        strv_free(c->supplementary_groups);
        strv_free(c->exec_search_path);
        free(c->working_directory);
        free(c->root_directory);
        exec_cpu_set_done(&c->cpu_affinity);
        for (size_t i = 0; i < 3; i++) {
                free(c->stdio_file[i]);
                free(c->stdio_fdname[i]);
        }
        free(c->stdin_data);
        free(c->tty_path);
        free(c->syslog_identifier);
        free(c->log_namespace);
        free(c->selinux_context);
        if (c->rlimit_owned)
                free(c->rlimit);
        for (size_t t = 0; t < _EXEC_DIRECTORY_TYPE_MAX; t++)
                strv_free(c->directories[t]);
        strv_free(c->read_write_paths);
        strv_free(c->read_only_paths);
        strv_free(c->inaccessible_paths);
        strv_free(c->bind_mounts);
        strv_free(c->temporary_filesystems);
        strv_free(c->syscall_filter);
        strv_free(c->syscall_archs);
        exec_context_init(c);
}

DEFINE_STRING_TABLE(exec_protect_system, ExecProtectSystem, _EXEC_PROTECT_SYSTEM_MAX,
                    [EXEC_PROTECT_SYSTEM_NO] = "no", [EXEC_PROTECT_SYSTEM_YES] = "yes",
                    [EXEC_PROTECT_SYSTEM_FULL] = "full", [EXEC_PROTECT_SYSTEM_STRICT] = "strict");
DEFINE_STRING_TABLE(exec_protect_home, ExecProtectHome, _EXEC_PROTECT_HOME_MAX,
                    [EXEC_PROTECT_HOME_NO] = "no", [EXEC_PROTECT_HOME_YES] = "yes",
                    [EXEC_PROTECT_HOME_READ_ONLY] = "read-only", [EXEC_PROTECT_HOME_TMPFS] = "tmpfs");
DEFINE_STRING_TABLE(exec_protect_proc, ExecProtectProc, _EXEC_PROTECT_PROC_MAX,
                    [EXEC_PROTECT_PROC_DEFAULT] = "default", [EXEC_PROTECT_PROC_NOACCESS] = "noaccess",
                    [EXEC_PROTECT_PROC_INVISIBLE] = "invisible", [EXEC_PROTECT_PROC_PTRACEABLE] = "ptraceable");

bool exec_context_mount_apivfs(const ExecContext *c) {
        return c->mount_apivfs || c->protect_kernel_tunables || c->protect_control_groups;
}

bool exec_context_needs_mount_namespace(const ExecContext *c) {
        return c->mount_apivfs || c->protect_proc != EXEC_PROTECT_PROC_DEFAULT || c->proc_subset_pid ||
               c->private_devices || c->private_mounts || c->protect_kernel_tunables ||
               c->protect_kernel_modules || c->protect_kernel_logs || c->protect_control_groups ||
               c->protect_system != EXEC_PROTECT_SYSTEM_NO || c->protect_home != EXEC_PROTECT_HOME_NO ||
               c->mount_propagation != 0 || c->read_write_paths || c->read_only_paths ||
               c->inaccessible_paths || c->bind_mounts || c->temporary_filesystems;
}

static bool is_terminal_input(ExecInput i) {
        return IN_SET(i, EXEC_INPUT_TTY, EXEC_INPUT_TTY_FORCE, EXEC_INPUT_TTY_FAIL);
}

static bool is_terminal_output(ExecOutput o) {
        return IN_SET(o, EXEC_OUTPUT_TTY, EXEC_OUTPUT_KMSG_AND_CONSOLE, EXEC_OUTPUT_JOURNAL_AND_CONSOLE);
}

bool exec_context_needs_term(const ExecContext *c) {
        return is_terminal_input(c->std_input) || is_terminal_output(c->std_output) ||
               is_terminal_output(c->std_error) || c->tty_path;
}

bool exec_name_is_root(const char *name) {
        return streq(name, "root") || streq(name, "0");
}

bool exec_output_is_file(ExecOutput o) {
        return IN_SET(o, EXEC_OUTPUT_FILE, EXEC_OUTPUT_FILE_APPEND, EXEC_OUTPUT_FILE_TRUNCATE);
}

bool exec_context_needs_user_lookup(const ExecContext *c) {
        return (c->user && !exec_name_is_root(c->user)) || (c->group && !exec_name_is_root(c->group)) ||
               !strv_isempty(c->supplementary_groups);
}

bool exec_context_has_seccomp(const ExecContext *c) {
        return !strv_isempty(c->syscall_filter) || !strv_isempty(c->syscall_archs) || c->private_devices ||
               c->protect_kernel_tunables || c->protect_kernel_modules || c->protect_kernel_logs || c->protect_hostname ||
               c->memory_deny_write_execute || c->restrict_realtime || c->restrict_suid_sgid || c->lock_personality;
}

bool exec_context_spawn_may_share_memory(const ExecContext *c) {
        return !exec_context_needs_user_lookup(c) && !exec_context_needs_term(c) && !c->tty_reset &&
               !c->tty_vhangup && c->std_input != EXEC_INPUT_FILE && !exec_output_is_file(c->std_output) &&
               !exec_output_is_file(c->std_error) && !c->selinux_context &&
               !exec_context_needs_mount_namespace(c) && !c->private_network && !exec_context_has_seccomp(c);
}

const char *exec_context_tty_path(const ExecContext *c) {
        return c->tty_path ? c->tty_path : "/dev/console";
}

const char *exec_context_fdname(const ExecContext *c, int fd) {
        static const char *const defaults[3] = { "stdin", "stdout", "stderr" };
        bool named;

        if (fd < 0 || fd > 2)
                return NULL;
        named = fd == STDIN_FILENO ? c->std_input == EXEC_INPUT_NAMED_FD
                : (fd == STDOUT_FILENO ? c->std_output : c->std_error) == EXEC_OUTPUT_NAMED_FD;
        if (!named)
                return NULL;
        return c->stdio_fdname[fd] ? c->stdio_fdname[fd] : defaults[fd];
}

int exec_context_set_rlimit(ExecContext *c, int resource, const struct rlimit *rl) {
        if (resource < 0 || resource >= EXEC_RLIMIT_MAX)
                return -EINVAL;
        if (!c->rlimit_owned) {
                struct rlimit *a = new0(struct rlimit, EXEC_RLIMIT_MAX);
                if (!a)
                        return -ENOMEM;
                if (c->rlimit)
                        memcpy(a, c->rlimit, sizeof(struct rlimit) * EXEC_RLIMIT_MAX);
                c->rlimit = a;
                c->rlimit_size = sizeof(struct rlimit) * EXEC_RLIMIT_MAX;
                c->rlimit_owned = true;
        }
        c->rlimit[resource] = *rl;
        c->rlimit_set |= 1U << resource;
        return 0;
}

void exec_context_default_rlimits(ExecContext *c, struct rlimit *defaults, uint32_t set) {
        if (!c->rlimit) {
                c->rlimit = defaults;
                c->rlimit_size = sizeof(struct rlimit) * EXEC_RLIMIT_MAX;
                c->rlimit_set = set;
                return;
        }
        for (int i = 0; i < EXEC_RLIMIT_MAX; i++)
                if ((set & (1U << i)) && !(c->rlimit_set & (1U << i)))
                        (void) exec_context_set_rlimit(c, i, &defaults[i]); /* owned already: no allocation */
}
