/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dbus-exec.c: the getters behind BUS_EXEC_VTABLE_ITEMS (dbus-exec.h). Each getter serves a
 * family of properties and tells them apart by name; values the ExecContext does not carry come
 * from the settings store ("<Section>.<Name>") with systemd 252's defaults.
 */

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <syslog.h>
#include <unistd.h>

#include "dbus-exec.h"
#include "exec-context.h"
#include "exec-syscall-filter.h"
#include "fd-util.h"
#include "parse-util.h"
#include "service.h"
#include "socket.h"
#include "string-util.h"
#include "strv.h"

ExecContext *bus_unit_exec_context(Unit *u) {
        if (u->type == UNIT_SERVICE && UNIT_VTABLE(u)->object_size >= sizeof(Service))
                return &SERVICE(u)->exec_context;
        if (u->type == UNIT_SOCKET && UNIT_VTABLE(u)->object_size >= sizeof(Socket))
                return &SOCKET(u)->exec_context;
        return NULL;
}

/* The defaults, for units whose type keeps no context. */
static ExecContext *context_of(Unit *u) {
        static ExecContext defaults;
        static bool initialized;
        ExecContext *c = bus_unit_exec_context(u);

        if (c)
                return c;
        if (!initialized) {
                exec_context_init(&defaults);
                initialized = true;
        }
        return &defaults;
}

static const char *setting(Unit *u, const char *name) {
        char key[128];

        snprintf(key, sizeof key, "%s.%s", bus_unit_section(u), name);
        return unit_setting_last(u, key);
}

static char *const *setting_list(Unit *u, const char *name) {
        char key[128];

        snprintf(key, sizeof key, "%s.%s", bus_unit_section(u), name);
        return unit_setting_get(u, key);
}

static bool setting_bool(Unit *u, const char *name, bool def) {
        const char *v = setting(u, name);
        int b;

        if (!v || (b = parse_boolean(v)) < 0)
                return def;
        return b;
}

int bus_exec_get_strv(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        ExecContext *c = context_of(u);
        char *const *l = NULL;

        if (streq(property, "Environment"))
                l = c->environment;
        else if (streq(property, "PassEnvironment"))
                l = c->pass_environment;
        else if (streq(property, "UnsetEnvironment"))
                l = c->unset_environment;
        else if (streq(property, "SupplementaryGroups"))
                l = c->supplementary_groups;
        else if (streq(property, "ExecSearchPath"))
                l = c->exec_search_path;
        else if (streq(property, "RuntimeDirectory"))
                l = c->directories[EXEC_DIRECTORY_RUNTIME];
        else if (streq(property, "StateDirectory"))
                l = c->directories[EXEC_DIRECTORY_STATE];
        else if (streq(property, "CacheDirectory"))
                l = c->directories[EXEC_DIRECTORY_CACHE];
        else if (streq(property, "LogsDirectory"))
                l = c->directories[EXEC_DIRECTORY_LOGS];
        else if (streq(property, "ConfigurationDirectory"))
                l = c->directories[EXEC_DIRECTORY_CONFIGURATION];
        else if (STR_IN_SET(property, "ReadWritePaths", "ReadWriteDirectories"))
                l = c->read_write_paths;
        else if (STR_IN_SET(property, "ReadOnlyPaths", "ReadOnlyDirectories"))
                l = c->read_only_paths;
        else if (STR_IN_SET(property, "InaccessiblePaths", "InaccessibleDirectories"))
                l = c->inaccessible_paths;
        else if (streq(property, "SystemCallArchitectures"))
                l = c->syscall_archs;
        else
                l = setting_list(u, property);
        return bus_message_append_strv(reply, (char **) l);
}

/* SystemCallFilter (bas): allow-list or not, then the calls, "name:ERRNONAME" where one has its
 * own errno (systemd 252's form) */
int bus_exec_get_syscall_filter(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        ExecContext *c = context_of(u);
        int r;

        r = bus_message_open_container(reply, '(', "bas");
        if (r >= 0)
                r = bus_append_bool(reply, c->syscall_allow_list);
        if (r >= 0)
                r = bus_message_open_container(reply, 'a', "s");
        STRV_FOREACH(s, c->syscall_filter) {
                _cleanup_free_ char *e = NULL;
                size_t n;
                int errnum = exec_syscall_entry_split(*s, &n);
                const char *name = errnum > 0 ? strerrorname_np(errnum) : NULL;

                if (r < 0)
                        break;
                if (errnum > 0 && (name ? asprintf(&e, "%.*s:%s", (int) n, *s, name)
                                        : asprintf(&e, "%.*s:%i", (int) n, *s, errnum)) < 0)
                        return -ENOMEM;
                r = bus_append_string(reply, e ? e : *s);
        }
        if (r >= 0)
                r = bus_message_close_container(reply);
        if (r >= 0)
                r = bus_message_close_container(reply);
        return r;
}

static const char *const exec_input_names[_EXEC_INPUT_MAX] = {
        "null", "tty", "tty-force", "tty-fail", "socket", "fd", "data", "file",
};

static const char *const exec_output_names[_EXEC_OUTPUT_MAX] = {
        "inherit", "null", "tty", "kmsg", "kmsg+console", "journal", "journal+console",
        "socket", "fd", "file", "append", "truncate",
};

static const char *working_directory(ExecContext *c, char **buf) {
        const char *wd = c->working_directory_home ? "~" : c->working_directory;

        if (!wd)
                return "";
        if (c->working_directory_missing_ok)
                return (*buf = strjoin("!", wd)) ? *buf : "";
        return wd;
}

static const char *fdname(ExecContext *c, int fd) {
        const char *n = exec_context_fdname(c, fd);
        return n ? n : "";
}

int bus_exec_get_string(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        ExecContext *c = context_of(u);
        _cleanup_free_ char *buf = NULL;
        const char *s = NULL, *v;

        if (streq(property, "WorkingDirectory"))
                s = working_directory(c, &buf);
        else if (streq(property, "RootDirectory"))
                s = c->root_directory;
        else if (streq(property, "StandardInput"))
                s = c->std_input >= 0 && c->std_input < _EXEC_INPUT_MAX ? exec_input_names[c->std_input] : "";
        else if (streq(property, "StandardOutput"))
                s = c->std_output >= 0 && c->std_output < _EXEC_OUTPUT_MAX ? exec_output_names[c->std_output] : "";
        else if (streq(property, "StandardError"))
                s = c->std_error >= 0 && c->std_error < _EXEC_OUTPUT_MAX ? exec_output_names[c->std_error] : "";
        else if (streq(property, "StandardInputFileDescriptorName"))
                s = fdname(c, STDIN_FILENO);
        else if (streq(property, "StandardOutputFileDescriptorName"))
                s = fdname(c, STDOUT_FILENO);
        else if (streq(property, "StandardErrorFileDescriptorName"))
                s = fdname(c, STDERR_FILENO);
        else if (streq(property, "TTYPath"))
                s = c->tty_path;
        else if (streq(property, "SyslogIdentifier"))
                s = c->syslog_identifier;
        else if (streq(property, "LogNamespace"))
                s = c->log_namespace;
        else if (streq(property, "User"))
                s = c->user;
        else if (streq(property, "Group"))
                s = c->group;
        else if (streq(property, "ProtectSystem"))
                s = exec_protect_system_to_string(c->protect_system);
        else if (streq(property, "ProtectHome"))
                s = exec_protect_home_to_string(c->protect_home);
        else if (streq(property, "ProtectProc"))
                s = exec_protect_proc_to_string(c->protect_proc);
        else if (streq(property, "ProcSubset"))
                s = c->proc_subset_pid ? "pid" : "all";
        else if (streq(property, "KeyringMode"))
                s = setting(u, "KeyringMode") ? exec_keyring_mode_to_string(c->keyring_mode)
                                               : u->type == UNIT_SERVICE ? "private" : "shared";
        else {
                static const struct {
                        const char *name, *def;
                } defaults[] = {
                        { "UtmpMode", "init" },       { "RuntimeDirectoryPreserve", "no" },
                };

                v = setting(u, property);
                s = v;
                for (size_t i = 0; !v && i < ELEMENTSOF(defaults); i++)
                        if (streq(property, defaults[i].name))
                                s = defaults[i].def;
        }
        return bus_append_string(reply, s);
}

int bus_exec_get_bool(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        ExecContext *c = context_of(u);
        const bool *field = exec_context_bool_field(c, property); /* MountAPIVFS: as set, not as implied */
        bool b;

        if (field)
                b = *field;
        else if (streq(property, "PrivateTmp"))
                b = c->private_tmp;
        else /* settings not applied yet: their last assignment, as written */
                b = setting_bool(u, property, false);
        return bus_append_bool(reply, b);
}

static int read_proc_self_int(const char *file, int def) {
        _cleanup_free_ char *s = NULL;
        int v;

        if (read_full_file(file, 64, &s, NULL) < 0 || safe_atoi(strstrip(s), &v) < 0)
                return def;
        return v;
}

int bus_exec_get_int(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        ExecContext *c = context_of(u);
        int v = 0;

        if (streq(property, "OOMScoreAdjust"))
                v = c->oom_score_adjust_set ? c->oom_score_adjust
                                            : read_proc_self_int("/proc/self/oom_score_adj", 0);
        else if (streq(property, "Nice")) {
                if (c->nice_set)
                        v = c->nice;
                else {
                        errno = 0;
                        v = getpriority(PRIO_PROCESS, 0);
                        if (errno != 0)
                                v = 0;
                }
        } else if (streq(property, "IOSchedulingClass"))
                v = EXEC_IOPRIO_CLASS(c->ioprio);
        else if (streq(property, "IOSchedulingPriority"))
                v = EXEC_IOPRIO_DATA(c->ioprio);
        else if (streq(property, "IOScheduling"))
                v = c->ioprio;
        else if (streq(property, "CPUSchedulingPolicy"))
                v = c->cpu_sched_set ? c->cpu_sched_policy : sched_getscheduler(0) & ~SCHED_RESET_ON_FORK;
        else if (streq(property, "CPUSchedulingPriority")) {
                struct sched_param p = {};
                v = c->cpu_sched_set ? c->cpu_sched_priority
                                     : (sched_getparam(0, &p) >= 0 ? p.sched_priority : 0);
        } else if (streq(property, "NUMAPolicy"))
                v = -1;
        else if (streq(property, "SyslogPriority"))
                v = c->syslog_priority;
        else if (streq(property, "SyslogLevel"))
                v = LOG_PRI(c->syslog_priority);
        else if (streq(property, "SyslogFacility"))
                v = LOG_FAC(c->syslog_priority);
        else if (streq(property, "LogLevelMax"))
                v = -1;
        else if (streq(property, "SecureBits"))
                v = c->secure_bits;
        else if (streq(property, "SystemCallErrorNumber"))
                v = c->syscall_errno;
        return bus_append_i32(reply, v);
}

int bus_exec_get_u32(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        ExecContext *c = context_of(u);
        uint32_t v = 0;

        if (streq(property, "UMask"))
                v = c->umask;
        else if (streq(property, "RuntimeDirectoryMode"))
                v = c->directory_modes[EXEC_DIRECTORY_RUNTIME];
        else if (streq(property, "StateDirectoryMode"))
                v = c->directory_modes[EXEC_DIRECTORY_STATE];
        else if (streq(property, "CacheDirectoryMode"))
                v = c->directory_modes[EXEC_DIRECTORY_CACHE];
        else if (streq(property, "LogsDirectoryMode"))
                v = c->directory_modes[EXEC_DIRECTORY_LOGS];
        else if (streq(property, "ConfigurationDirectoryMode"))
                v = c->directory_modes[EXEC_DIRECTORY_CONFIGURATION];
        return bus_append_u32(reply, v);
}

int bus_exec_get_u64(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        ExecContext *c = context_of(u);
        uint64_t v = 0;

        if (streq(property, "CoredumpFilter")) {
                _cleanup_free_ char *s = NULL;
                const char *set = setting(u, "CoredumpFilter");

                v = 0x33;
                if (!set && read_full_file("/proc/self/coredump_filter", 64, &s, NULL) >= 0)
                        (void) safe_atoux64(strstrip(s), &v);
        } else if (streq(property, "TimerSlackNSec")) {
                int slack = prctl(PR_GET_TIMERSLACK);
                v = c->timer_slack_nsec != NSEC_INFINITY ? c->timer_slack_nsec : (slack >= 0 ? (uint64_t) slack : 0);
        } else if (streq(property, "CapabilityBoundingSet"))
                v = c->capability_bounding_set;
        else if (streq(property, "AmbientCapabilities"))
                v = c->capability_ambient_set;
        else if (streq(property, "TimeoutCleanUSec"))
                v = bus_unit_setting_usec(u, "Service.TimeoutCleanSec", UINT64_MAX);
        else if (streq(property, "RestrictNamespaces"))
                v = UINT64_MAX;
        else if (streq(property, "MountFlags"))
                v = c->mount_propagation;
        return bus_append_usec(reply, v);
}

/* Limit*: the unit's value (loading puts the manager's defaults for NOFILE and MEMLOCK in), else
 * the manager's own limits, which is what its processes inherit (systemd 252 does the same). */
int bus_exec_get_rlimit(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        ExecContext *c = context_of(u);
        const char *name = startswith(property, "Limit");
        char res[32];
        struct rlimit rl;
        bool soft;
        int r;

        snprintf(res, sizeof res, "%s", name);
        soft = endswith(res, "Soft");
        if (soft)
                res[strlen(res) - 4] = 0;
        r = exec_rlimit_from_string(res);
        if (r < 0)
                return bus_append_usec(reply, UINT64_MAX);
        if (c->rlimit_set & (1U << r))
                rl = c->rlimit[r];
        else if (getrlimit(r, &rl) < 0)
                rl = (struct rlimit) { RLIM_INFINITY, RLIM_INFINITY };
        rlim_t v = soft ? rl.rlim_cur : rl.rlim_max;
        return bus_append_usec(reply, v == RLIM_INFINITY ? UINT64_MAX : (uint64_t) v);
}

int bus_exec_get_environment_files(BUS_GETTER_ARGS) {
        ExecContext *c = context_of(userdata);
        int r;

        r = bus_message_open_container(reply, 'a', "(sb)");
        STRV_FOREACH(f, c->environment_files)
                if (r >= 0)
                        r = bus_message_append(reply, "(sb)", **f == '-' ? *f + 1 : *f, **f == '-');
        return r < 0 ? r : bus_message_close_container(reply);
}

/* BindPaths=, BindReadOnlyPaths=: (source, destination, source may be missing, MS_REC or 0) */
int bus_exec_get_bind_paths(BUS_GETTER_ARGS) {
        ExecContext *c = context_of(userdata);
        char want = streq(property, "BindReadOnlyPaths") ? 'r' : '.';
        int r;

        r = bus_message_open_container(reply, 'a', "(ssbt)");
        for (char **b = c->bind_mounts; r >= 0 && b && b[0] && b[1] && b[2]; b += 3)
                if (b[0][1] == want)
                        r = bus_message_append(reply, "(ssbt)", b[1], b[2], b[0][0] == '-',
                                               (uint64_t) (b[0][2] == 'R' ? MS_REC : 0));
        return r < 0 ? r : bus_message_close_container(reply);
}

int bus_exec_get_temporary_filesystems(BUS_GETTER_ARGS) {
        ExecContext *c = context_of(userdata);
        int r;

        r = bus_message_open_container(reply, 'a', "(ss)");
        for (char **t = c->temporary_filesystems; r >= 0 && t && t[0] && t[1]; t += 2)
                r = bus_message_append(reply, "(ss)", t[0], t[1]);
        return r < 0 ? r : bus_message_close_container(reply);
}

int bus_exec_get_stdin_data(BUS_GETTER_ARGS) {
        ExecContext *c = context_of(userdata);
        int r;

        r = bus_message_open_container(reply, 'a', "y");
        for (size_t i = 0; r >= 0 && i < c->stdin_data_size; i++)
                r = bus_message_append_basic(reply, 'y', (uint8_t *) c->stdin_data + i);
        return r < 0 ? r : bus_message_close_container(reply);
}

int bus_exec_get_tty_size(BUS_GETTER_ARGS) {
        uint16_t v = UINT16_MAX;
        return bus_message_append_basic(reply, 'q', &v);
}

int bus_exec_get_selinux_context(BUS_GETTER_ARGS) {
        ExecContext *c = context_of(userdata);
        return bus_message_append(reply, "(bs)", c->selinux_context_ignore,
                                  c->selinux_context ? c->selinux_context : "");
}
