/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dbus-manager.c: the Manager object (dbus-manager.h). Methods that name a unit either load it
 * (StartUnit & co., LoadUnit, RefUnit, EnqueueUnitJob) or insist that it is loaded already
 * (GetUnit, KillUnit, ResetFailedUnit, GetUnitProcesses, UnrefUnit: "Unit X not loaded."), with
 * systemd 252's errors.
 */

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/utsname.h>

#include "cgroup.h"
#include "dbus-cgroup.h"
#include "dbus-job.h"
#include "dbus-manager.h"
#include "dbus-unit.h"
#include "env-util.h"
#include "exec-rlimit.h"
#include "fd-util.h"
#include "job.h"
#include "log.h"
#include "manager-sysbus.h"
#include "manager-store.h"
#include "manager.h"
#include "scope.h"
#include "string-util.h"
#include "transient.h"
#include "strv.h"
#include "unit-file-state.h"
#include "unit-name.h"

#define ERROR_NO_SUCH_UNIT "org.freedesktop.systemd1.NoSuchUnit"
#define ERROR_NO_SUCH_JOB "org.freedesktop.systemd1.NoSuchJob"

#define M(userdata) ((Manager *) (userdata))

/* ---- properties ---- */

static int get_version(BUS_GETTER_ARGS) {
        return bus_append_string(reply, "252 (sysmaster " PACKAGE_VERSION ")");
}

static int get_features(BUS_GETTER_ARGS) {
        return bus_append_string(reply,
                                 "-PAM -AUDIT +SELINUX -APPARMOR -IMA -SMACK -SECCOMP -GCRYPT -GNUTLS "
                                 "-OPENSSL -ACL -BLKID -CURL -ELFUTILS -FIDO2 -IDN2 -IDN -IPTC -KMOD "
                                 "-LIBCRYPTSETUP -LIBFDISK -PCRE2 -PWQUALITY -P11KIT -QRENCODE -TPM2 "
                                 "-BZIP2 -LZ4 -XZ -ZLIB -ZSTD -BPF_FRAMEWORK -XKBCOMMON -UTMP "
                                 "-SYSVINIT default-hierarchy=unified");
}

static int get_architecture(BUS_GETTER_ARGS) {
        struct utsname u;
        const char *a = "";

        if (uname(&u) >= 0) {
                if (streq(u.machine, "x86_64"))
                        a = "x86-64";
                else if (streq(u.machine, "aarch64"))
                        a = "arm64";
                else
                        a = u.machine;
                return bus_append_string(reply, a);
        }
        return bus_append_string(reply, a);
}

static int get_timestamp_realtime(BUS_GETTER_ARGS) {
        return bus_append_usec(reply, ((DualTimestamp *) userdata)->realtime);
}

static int get_timestamp_monotonic(BUS_GETTER_ARGS) {
        return bus_append_usec(reply, ((DualTimestamp *) userdata)->monotonic);
}

#define TS(name, t)                                                                              \
        BUS_PROPERTY(name "Timestamp", "t", get_timestamp_realtime,                              \
                     offsetof(Manager, timestamps[t]), BUS_VTABLE_PROPERTY_CONST),               \
        BUS_PROPERTY(name "TimestampMonotonic", "t", get_timestamp_monotonic,                    \
                     offsetof(Manager, timestamps[t]), BUS_VTABLE_PROPERTY_CONST)
#define TS_ZERO(name)                                                                            \
        BUS_PROPERTY(name "Timestamp", "t", bus_prop_zero_t, 0, BUS_VTABLE_PROPERTY_CONST),     \
        BUS_PROPERTY(name "TimestampMonotonic", "t", bus_prop_zero_t, 0, BUS_VTABLE_PROPERTY_CONST)

static int get_log_level(BUS_GETTER_ARGS) {
        return bus_append_string(reply, log_level_to_string(log_get_max_level()));
}

static int set_log_level(Bus *bus, const char *path, const char *interface, const char *property,
                         BusMessage *value, void *userdata, BusError *error) {
        const char *t;
        int r, level;

        r = bus_message_read(value, "s", &t);
        if (r < 0)
                return r;
        /* "" restores the level set at start (systemd 252), as SIGRTMIN+23 does */
        level = isempty(t) ? ((Manager *) userdata)->original_log_level : log_level_from_string(t);
        if (level < 0)
                return bus_error_setf(error, BUS_ERROR_INVALID_ARGS, "Invalid log level '%s'", t);
        log_set_max_level(level);
        return 0;
}

static int get_log_target(BUS_GETTER_ARGS) {
        return bus_append_string(reply, log_target_to_string(log_get_target()));
}

static int set_log_target(Bus *bus, const char *path, const char *interface, const char *property,
                          BusMessage *value, void *userdata, BusError *error) {
        const char *t;
        LogTarget target;
        int r;

        r = bus_message_read(value, "s", &t);
        if (r < 0)
                return r;
        /* "" restores the target set at start (systemd 252), as SIGRTMIN+26 does */
        target = isempty(t) ? (LogTarget) ((Manager *) userdata)->original_log_target : log_target_from_string(t);
        if (target < 0)
                return bus_error_setf(error, BUS_ERROR_INVALID_ARGS, "Invalid log target '%s'", t);
        log_set_target(target);
        return 0;
}

static int get_syslog_identifier(BUS_GETTER_ARGS) {
        return bus_append_string(reply, "sysmaster");
}

static int get_counter(BUS_GETTER_ARGS) {
        Manager *m = userdata;
        uint32_t v = 0;

        if (streq(property, "NNames"))
                v = (uint32_t) hashmap_size(m->units);
        else if (streq(property, "NFailedUnits"))
                v = manager_n_failed_units(m);
        else if (streq(property, "NJobs"))
                v = (uint32_t) hashmap_size(m->jobs);
        else if (streq(property, "NInstalledJobs"))
                v = m->current_job_id;
        return bus_append_u32(reply, v);
}

static int get_progress(BUS_GETTER_ARGS) {
        Manager *m = userdata;
        double d = 1.0;

        if (!dual_timestamp_is_set(&m->timestamps[MANAGER_TIMESTAMP_FINISH]) && hashmap_size(m->jobs) > 0 &&
            m->current_job_id > 0)
                d = 1.0 - (double) hashmap_size(m->jobs) / (double) m->current_job_id;
        return bus_message_append_basic(reply, 'd', &d);
}

static int get_environment(BUS_GETTER_ARGS) {
        return bus_message_append_strv(reply, M(userdata)->environment);
}

static int get_unit_path(BUS_GETTER_ARGS) {
        return bus_message_append_strv(reply, M(userdata)->unit_path.search_path);
}

static const char *const output_names[_EXEC_OUTPUT_MAX] = {
        "inherit", "null", "tty", "kmsg", "kmsg+console", "journal", "journal+console",
        "socket", "fd", "file", "append", "truncate",
};

static int get_default_output(BUS_GETTER_ARGS) {
        Manager *m = userdata;
        ExecOutput o = streq(property, "DefaultStandardOutput") ? m->default_std_output : m->default_std_error;
        return bus_append_string(reply, o >= 0 && o < _EXEC_OUTPUT_MAX ? output_names[o] : "");
}

static int get_control_group(BUS_GETTER_ARGS) {
        Manager *m = userdata;
        const char *p = m->cgroup_root;

        if (!m->cgroup_mount)
                p = "";
        else if (!p || !*p)
                p = "/";
        return bus_append_string(reply, p);
}

static int get_system_state(BUS_GETTER_ARGS) {
        return bus_append_string(reply, manager_state_string(userdata));
}

static int get_exit_code(BUS_GETTER_ARGS) {
        uint8_t v = 0;
        return bus_message_append_basic(reply, 'y', &v);
}

static int get_default_usec(BUS_GETTER_ARGS) {
        Manager *m = userdata;
        usec_t v = 0;

        if (streq(property, "DefaultTimerAccuracyUSec"))
                v = 60 * USEC_PER_SEC;
        else if (streq(property, "DefaultTimeoutStartUSec"))
                v = m->default_timeout_start_usec;
        else if (streq(property, "DefaultTimeoutStopUSec"))
                v = m->default_timeout_stop_usec;
        else if (streq(property, "DefaultTimeoutAbortUSec"))
                v = m->default_timeout_abort_set ? m->default_timeout_abort_usec : m->default_timeout_stop_usec;
        else if (streq(property, "DefaultDeviceTimeoutUSec"))
                v = 90 * USEC_PER_SEC;
        else if (streq(property, "DefaultRestartUSec"))
                v = m->default_restart_usec;
        else if (startswith(property, "DefaultStartLimitInterval"))
                v = m->default_start_limit_interval;
        else if (streq(property, "RebootWatchdogUSec"))
                v = 10 * 60 * USEC_PER_SEC;
        return bus_append_usec(reply, v);
}

static int get_default_burst(BUS_GETTER_ARGS) {
        return bus_append_u32(reply, M(userdata)->default_start_limit_burst);
}

static int get_default_accounting(BUS_GETTER_ARGS) {
        Manager *m = userdata;
        bool b = STR_IN_SET(property, "DefaultMemoryAccounting", "DefaultTasksAccounting") ||
                 (streq(property, "DefaultCPUAccounting") && manager_has_cgroup(m));
        return bus_append_bool(reply, b);
}

/* The limits the manager gives units without Limit*= of their own (manager_default_rlimits()),
 * else its own. */
static int get_default_limit(BUS_GETTER_ARGS) {
        Manager *m = userdata;
        char res[32];
        struct rlimit rl;
        bool soft;
        int r;

        snprintf(res, sizeof res, "%s", startswith(property, "DefaultLimit"));
        soft = endswith(res, "Soft");
        if (soft)
                res[strlen(res) - 4] = 0;
        r = exec_rlimit_from_string(res);
        if (r >= 0 && (m->default_rlimits_set & (1U << r)))
                rl = m->default_rlimits[r];
        else if (r < 0 || getrlimit(r, &rl) < 0)
                rl = (struct rlimit) { RLIM_INFINITY, RLIM_INFINITY };
        rlim_t v = soft ? rl.rlim_cur : rl.rlim_max;
        return bus_append_usec(reply, v == RLIM_INFINITY ? UINT64_MAX : (uint64_t) v);
}

static int get_timer_slack(BUS_GETTER_ARGS) {
        int s = prctl(PR_GET_TIMERSLACK);
        return bus_append_usec(reply, s >= 0 ? (uint64_t) s : 0);
}

static int get_const_string(BUS_GETTER_ARGS) {
        const char *v = "";

        if (streq(property, "DefaultOOMPolicy"))
                v = "stop";
        else if (streq(property, "CtrlAltDelBurstAction"))
                v = "reboot-force";
        return bus_append_string(reply, v);
}

static int get_default_tasks_max(BUS_GETTER_ARGS) {
        static const char *const files[] = { "/proc/sys/kernel/pid_max", "/proc/sys/kernel/threads-max" };
        uint64_t m = UINT64_MAX;

        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                _cleanup_free_ char *s = NULL;
                unsigned long long v;

                if (read_full_file(files[i], 64, &s, NULL) >= 0 && sscanf(s, "%llu", &v) == 1 && v > 0 &&
                    v - 1 < m)
                        m = v - 1;
        }
        return bus_append_usec(reply, m == UINT64_MAX ? m : m * 15 / 100);
}

/* ---- unit lookup helpers ---- */

/* GetUnit & co.: the unit must be in memory already. */
static int get_unit_by_name(Manager *m, const char *name, Unit **ret, BusError *error) {
        Unit *u = isempty(name) ? NULL : manager_get_unit(m, name);

        if (!u)
                return bus_error_setf(error, ERROR_NO_SUCH_UNIT, "Unit %s not loaded.", name);
        *ret = unit_follow_merge(u);
        return 0;
}

/* StartUnit & co.: loads the unit if needed; invalid names give systemd's InvalidArgs texts. */
static int load_unit_by_name(Manager *m, const char *name, Unit **ret, BusError *error) {
        int r;

        if (!unit_name_is_valid(name, UNIT_NAME_PLAIN | UNIT_NAME_INSTANCE)) {
                if (unit_name_is_valid(name, UNIT_NAME_TEMPLATE))
                        return bus_error_setf(error, BUS_ERROR_INVALID_ARGS,
                                              "Unit name %s is missing the instance name.", name);
                return bus_error_setf(error, BUS_ERROR_INVALID_ARGS, "Unit name %s is not valid.", name);
        }
        r = manager_load_unit_for_client(m, name, ret);
        if (r == -EISDIR)
                return bus_error_setf(error, BUS_ERROR_INVALID_ARGS, "Unit name %s is missing the instance name.", name);
        if (r == -EINVAL)
                return bus_error_setf(error, BUS_ERROR_INVALID_ARGS, "Unit name %s is not valid.", name);
        if (r < 0)
                return r;
        *ret = unit_follow_merge(*ret);
        return 0;
}

static int reply_unit_path(Bus *bus, BusMessage *message, Unit *u) {
        _cleanup_free_ char *p = bus_unit_path(u);

        if (!p)
                return -ENOMEM;
        return bus_reply(bus, message, "o", p);
}

/* ---- methods: units ---- */

static int method_get_unit(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        const char *name;
        Unit *u = NULL;
        int r;

        r = bus_message_read(message, "s", &name);
        if (r < 0)
                return r;
        r = get_unit_by_name(userdata, name, &u, error);
        if (r < 0)
                return r;
        return reply_unit_path(bus, message, u);
}

static int method_load_unit(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        const char *name;
        Unit *u = NULL;
        int r;

        r = bus_message_read(message, "s", &name);
        if (r < 0)
                return r;
        r = load_unit_by_name(userdata, name, &u, error);
        if (r < 0)
                return r;
        return reply_unit_path(bus, message, u);
}

static int method_get_unit_by_pid(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        uint32_t pid;
        Unit *u = NULL;
        int r;

        r = bus_message_read(message, "u", &pid);
        if (r < 0)
                return r;
        if ((int32_t) pid < 0)
                return bus_error_setf(error, BUS_ERROR_INVALID_ARGS, "Invalid PID %d", (int) pid);
        if (pid == 0) {
                pid_t p;
                if (bus_transport_get_peer_creds(bus_get_transport(bus), &p, NULL, NULL) < 0)
                        return -EIO;
                pid = (uint32_t) p;
        }
        u = manager_get_unit_by_pid(userdata, (pid_t) pid);
        if (!u)
                return bus_error_setf(error, "org.freedesktop.systemd1.NoUnitForPID",
                                      "PID %u does not belong to any loaded unit.", pid);
        return reply_unit_path(bus, message, unit_follow_merge(u));
}

/* StartUnit & co.: the member says which job. */
static int method_start_unit(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        const char *member = bus_message_get_string_field(message, BUS_FIELD_MEMBER);
        const char *name, *smode;
        JobType type;
        Unit *u = NULL;
        int r;

        r = bus_message_read(message, "ss", &name, &smode);
        if (r < 0)
                return r;
        r = load_unit_by_name(userdata, name, &u, error);
        if (r < 0)
                return r;
        if (streq(member, "StartUnit"))
                type = JOB_START;
        else if (streq(member, "StopUnit"))
                type = JOB_STOP;
        else if (streq(member, "ReloadUnit"))
                type = JOB_RELOAD;
        else if (streq(member, "RestartUnit"))
                type = JOB_RESTART;
        else if (streq(member, "TryRestartUnit"))
                type = JOB_TRY_RESTART;
        else if (streq(member, "ReloadOrRestartUnit"))
                type = unit_can_reload(u) ? JOB_RELOAD_OR_START : JOB_RESTART;
        else
                type = unit_can_reload(u) ? JOB_TRY_RELOAD : JOB_TRY_RESTART;
        return bus_unit_queue_job(bus, message, u, type, smode, error);
}

static int method_enqueue_unit_job(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        const char *name;
        Unit *u = NULL;
        int r;

        r = bus_message_read(message, "s", &name);
        if (r < 0)
                return r;
        r = load_unit_by_name(userdata, name, &u, error);
        if (r < 0)
                return r;
        return bus_unit_method_enqueue_job(bus, message, u, error);
}

static int method_kill_unit(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        const char *name, *whom;
        int32_t signo;
        Unit *u = NULL;
        int r;

        r = bus_message_read(message, "ssi", &name, &whom, &signo);
        if (r < 0)
                return r;
        r = get_unit_by_name(userdata, name, &u, error);
        if (r < 0)
                return r;
        return bus_unit_method_kill(bus, message, u, whom, signo, error);
}

static int method_reset_failed_unit(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        const char *name;
        Unit *u = NULL;
        int r;

        r = bus_message_read(message, "s", &name);
        if (r < 0)
                return r;
        r = get_unit_by_name(userdata, name, &u, error);
        if (r < 0)
                return r;
        r = bus_unit_validate_load_state(u, error);
        if (r < 0)
                return r;
        return bus_unit_method_reset_failed(bus, message, u, error);
}

static int method_reset_failed(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        Manager *m = userdata;
        Unit *u = NULL;

        ORDERED_SET_FOREACH(u, m->all_units)
                if (!u->merged_into)
                        unit_reset_failed(u);
        return bus_reply(bus, message, NULL);
}

static int method_ref_unit(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        const char *member = bus_message_get_string_field(message, BUS_FIELD_MEMBER);
        bool ref = streq(member, "RefUnit");
        const char *name;
        Unit *u = NULL;
        int r;

        r = bus_message_read(message, "s", &name);
        if (r < 0)
                return r;
        r = ref ? load_unit_by_name(userdata, name, &u, error) : get_unit_by_name(userdata, name, &u, error);
        if (r < 0)
                return r;
        return bus_unit_method_ref(bus, message, u, ref, error);
}

static int method_get_unit_processes(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        const char *name;
        Unit *u = NULL;
        int r;

        r = bus_message_read(message, "s", &name);
        if (r < 0)
                return r;
        r = get_unit_by_name(userdata, name, &u, error);
        if (r < 0)
                return r;
        return bus_unit_reply_processes(bus, message, u, error);
}

/* ListUnits & co.: a(ssssssouso), each unit once under its id. */
static int append_unit(BusMessage *reply, Unit *u) {
        _cleanup_free_ char *up = bus_unit_path(u), *jp = NULL;

        if (!up)
                return -ENOMEM;
        if (u->job) {
                jp = job_dbus_path(u->job);
                if (!jp)
                        return -ENOMEM;
        }
        return bus_message_append(reply, "(ssssssouso)", u->id, u->description ?: u->id,
                                  unit_load_state_to_string(u->load_state),
                                  unit_active_state_to_string(unit_active_state(u)),
                                  unit_sub_state_to_string(u), "", up, u->job ? u->job->id : 0,
                                  u->job ? job_type_to_string(u->job->type) : "", jp ? jp : "/");
}

static bool unit_matches(Unit *u, char **states, char **patterns) {
        if (!strv_isempty(states) &&
            !strv_contains(states, unit_load_state_to_string(u->load_state)) &&
            !strv_contains(states, unit_active_state_to_string(unit_active_state(u))) &&
            !strv_contains(states, unit_sub_state_to_string(u)))
                return false;
        if (strv_isempty(patterns))
                return true;
        STRV_FOREACH(p, patterns)
                if (fnmatch(*p, u->id, FNM_NOESCAPE) == 0)
                        return true;
        return false;
}

static int reply_units(Bus *bus, BusMessage *message, Manager *m, char **states, char **patterns) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
        Unit *u = NULL;
        int r;

        r = bus_message_new_method_return(message, &reply);
        if (r >= 0)
                r = bus_message_open_container(reply, 'a', "(ssssssouso)");
        ORDERED_SET_FOREACH(u, m->all_units) {
                if (r < 0)
                        break;
                if (u->merged_into || !unit_matches(u, states, patterns))
                        continue;
                r = append_unit(reply, u);
        }
        if (r >= 0)
                r = bus_message_close_container(reply);
        return r < 0 ? r : bus_reply_message(bus, message, reply);
}

static int method_list_units(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        const char *member = bus_message_get_string_field(message, BUS_FIELD_MEMBER);
        _cleanup_strv_free_ char **states = NULL, **patterns = NULL;
        int r;

        if (!streq(member, "ListUnits")) {
                r = bus_message_read_strv(message, &states);
                if (r < 0)
                        return r;
        }
        if (streq(member, "ListUnitsByPatterns")) {
                r = bus_message_read_strv(message, &patterns);
                if (r < 0)
                        return r;
        }
        return reply_units(bus, message, userdata, states, patterns);
}

static int method_list_units_by_names(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
        _cleanup_strv_free_ char **names = NULL;
        int r;

        r = bus_message_read_strv(message, &names);
        if (r < 0)
                return r;
        r = bus_message_new_method_return(message, &reply);
        if (r >= 0)
                r = bus_message_open_container(reply, 'a', "(ssssssouso)");
        STRV_FOREACH(n, names) {
                Unit *u;

                if (r < 0)
                        break;
                if (!unit_name_is_valid(*n, UNIT_NAME_ANY))
                        continue;
                r = load_unit_by_name(userdata, *n, &u, error);
                if (r >= 0)
                        r = append_unit(reply, u);
        }
        if (r >= 0)
                r = bus_message_close_container(reply);
        return r < 0 ? r : bus_reply_message(bus, message, reply);
}

/* ---- methods: jobs ---- */

static int get_job_by_id(Manager *m, uint32_t id, Job **ret, BusError *error) {
        Job *j = manager_get_job(m, id);

        if (!j)
                return bus_error_setf(error, ERROR_NO_SUCH_JOB, "Job %u does not exist.", id);
        *ret = j;
        return 0;
}

static int method_get_job(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        _cleanup_free_ char *p = NULL;
        uint32_t id;
        Job *j = NULL;
        int r;

        r = bus_message_read(message, "u", &id);
        if (r < 0)
                return r;
        r = get_job_by_id(userdata, id, &j, error);
        if (r < 0)
                return r;
        p = job_dbus_path(j);
        if (!p)
                return -ENOMEM;
        return bus_reply(bus, message, "o", p);
}

static int method_get_job_waiting(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        const char *member = bus_message_get_string_field(message, BUS_FIELD_MEMBER);
        _cleanup_free_ Job **jobs = NULL;
        uint32_t id;
        Job *j = NULL;
        int r;

        r = bus_message_read(message, "u", &id);
        if (r < 0)
                return r;
        r = get_job_by_id(userdata, id, &j, error);
        if (r < 0)
                return r;
        r = streq(member, "GetJobAfter") ? job_get_after(j, &jobs) : job_get_before(j, &jobs);
        if (r < 0)
                return r;
        return bus_job_reply_list(bus, message, jobs);
}

static int method_cancel_job(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        uint32_t id;
        Job *j = NULL;
        int r;

        r = bus_message_read(message, "u", &id);
        if (r < 0)
                return r;
        r = get_job_by_id(userdata, id, &j, error);
        if (r < 0)
                return r;
        r = job_cancel(j);
        if (r < 0)
                return r;
        return bus_reply(bus, message, NULL);
}

static int method_clear_jobs(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        manager_clear_jobs(userdata);
        return bus_reply(bus, message, NULL);
}

static int method_list_jobs(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
        Manager *m = userdata;
        Job *j = NULL;
        int r;

        r = bus_message_new_method_return(message, &reply);
        if (r >= 0)
                r = bus_message_open_container(reply, 'a', "(usssoo)");
        HASHMAP_FOREACH(j, m->jobs)
                if (r >= 0)
                        r = bus_job_append_entry(reply, j);
        if (r >= 0)
                r = bus_message_close_container(reply);
        return r < 0 ? r : bus_reply_message(bus, message, reply);
}

/* ---- methods: the manager ---- */

static int method_reload(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        int r = manager_reload(userdata);

        if (r < 0)
                return r;
        return bus_reply(bus, message, NULL);
}

static int method_objective(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        const char *member = bus_message_get_string_field(message, BUS_FIELD_MEMBER);
        Manager *m = userdata;

        if (streq(member, "Reexecute"))
                m->objective = MANAGER_REEXECUTE;
        else if (streq(member, "Exit"))
                m->objective = MANAGER_EXIT;
        else if (streq(member, "Reboot"))
                m->objective = MANAGER_REBOOT;
        else if (streq(member, "PowerOff"))
                m->objective = MANAGER_POWEROFF;
        else if (streq(member, "Halt"))
                m->objective = MANAGER_HALT;
        else if (streq(member, "KExec"))
                m->objective = MANAGER_KEXEC;
        return bus_reply(bus, message, NULL);
}

static int unset_environment(Manager *m, char **names, BusError *error) {
        STRV_FOREACH(n, names)
                if (!env_name_is_valid(*n) && !env_assignment_is_valid(*n))
                        return bus_error_setf(error, BUS_ERROR_INVALID_ARGS,
                                              "Invalid environment variable names or assignments");
        STRV_FOREACH(n, names) {
                _cleanup_free_ char *name = strndup(*n, strcspn(*n, "="));
                if (!name)
                        return -ENOMEM;
                m->environment = strv_env_unset(m->environment, name);
        }
        return 0;
}

static int set_environment(Manager *m, char **assignments, BusError *error) {
        int r;

        if (!strv_env_is_valid(assignments))
                return bus_error_setf(error, BUS_ERROR_INVALID_ARGS, "Invalid environment assignments");
        STRV_FOREACH(a, assignments) {
                r = strv_env_replace_strdup(&m->environment, *a);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int method_environment(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        const char *member = bus_message_get_string_field(message, BUS_FIELD_MEMBER);
        _cleanup_strv_free_ char **a = NULL, **b = NULL;
        int r;

        r = bus_message_read_strv(message, &a);
        if (r >= 0 && streq(member, "UnsetAndSetEnvironment"))
                r = bus_message_read_strv(message, &b);
        if (r < 0)
                return r;
        if (streq(member, "SetEnvironment"))
                r = set_environment(userdata, a, error);
        else if (streq(member, "UnsetEnvironment"))
                r = unset_environment(userdata, a, error);
        else {
                if (!strv_env_is_valid(b))
                        return bus_error_setf(error, BUS_ERROR_INVALID_ARGS, "Invalid environment assignments");
                r = unset_environment(userdata, a, error);
                if (r >= 0)
                        r = set_environment(userdata, b, error);
        }
        if (r < 0)
                return r;
        /* systemd keeps the block sorted ("just to make it pretty"); show-environment shows that. */
        strv_sort(M(userdata)->environment);
        manager_store_mark_dirty(userdata); /* committed before the reply goes out */
        return bus_reply(bus, message, NULL);
}

static int method_get_default_target(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        Unit *u = NULL;
        int r;

        r = manager_load_unit_for_client(userdata, "default.target", &u);
        if (r < 0)
                return r;
        u = unit_follow_merge(u);
        if (u->load_state != UNIT_LOADED)
                return bus_error_set_errno(error, -ENOENT);
        return bus_reply(bus, message, "s", u->id);
}

static int method_get_unit_file_state(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        const char *name, *state;
        Unit *u = NULL;
        int r;

        r = bus_message_read(message, "s", &name);
        if (r < 0)
                return r;
        name = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
        if (!unit_name_is_valid(name, UNIT_NAME_ANY))
                return bus_error_set_errno(error, -EINVAL);
        r = manager_load_unit_for_client(userdata, name, &u);
        if (r < 0)
                return bus_error_set_errno(error, r);
        state = unit_file_state(unit_follow_merge(u));
        if (!state)
                return bus_error_set_errno(error, -ENOENT);
        return bus_reply(bus, message, "s", state);
}

/* ListUnitFiles & co.: every unit file name in the search path with the unit's fragment and
 * state (the unit is loaded for that). */
static int method_list_unit_files(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        const char *member = bus_message_get_string_field(message, BUS_FIELD_MEMBER);
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
        _cleanup_strv_free_ char **states = NULL, **patterns = NULL, **names = NULL;
        Manager *m = userdata;
        int r;

        if (streq(member, "ListUnitFilesByPatterns")) {
                r = bus_message_read_strv(message, &states);
                if (r >= 0)
                        r = bus_message_read_strv(message, &patterns);
                if (r < 0)
                        return r;
        }
        r = manager_list_unit_file_names(m, &names);
        if (r < 0)
                return r;
        r = bus_message_new_method_return(message, &reply);
        if (r >= 0)
                r = bus_message_open_container(reply, 'a', "(ss)");
        STRV_FOREACH(n, names) {
                const char *state;
                bool match = strv_isempty(patterns);
                Unit *u;

                if (r < 0)
                        break;
                STRV_FOREACH(p, patterns)
                        match = match || fnmatch(*p, *n, FNM_NOESCAPE) == 0;
                if (!match || manager_load_unit_for_client(m, *n, &u) < 0)
                        continue;
                u = unit_follow_merge(u);
                state = !streq(u->id, *n) ? "alias" : unit_file_state(u);
                if (!state || !u->fragment_path || (!strv_isempty(states) && !strv_contains(states, state)))
                        continue;
                r = bus_message_append(reply, "(ss)", u->fragment_path, state);
        }
        if (r >= 0)
                r = bus_message_close_container(reply);
        return r < 0 ? r : bus_reply_message(bus, message, reply);
}

/* ---- methods: subscriptions and transient units (added by the bus-api module) ---- */

static int method_subscribe(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        const char *member = bus_message_get_string_field(message, BUS_FIELD_MEMBER);

        return manager_sysbus_method_subscribe(bus, message, userdata, streq(member, "Subscribe"), error);
}

/* StartTransientUnit(s name, s mode, a(sv) properties, a(sa(sv)) aux): creates the unit (and
 * the auxiliary ones) from the properties (transient.c), then queues its start job. */
static int method_start_transient_unit(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        _cleanup_(transient_properties_done) TransientProperties props = {};
        Manager *m = userdata;
        const char *name, *smode;
        Unit *u = NULL;
        int r;

        r = bus_message_read(message, "ss", &name, &smode);
        if (r < 0)
                return r;
        if (job_mode_from_string(smode) < 0)
                return bus_error_setf(error, BUS_ERROR_INVALID_ARGS, "Job mode %s is invalid.", smode);
        r = transient_unit_create(m, name, message, &props, error, &u);
        if (r < 0)
                return r;
        r = bus_message_enter_container(message, 'a', "(sa(sv))");
        if (r < 0)
                return r;
        while ((r = bus_message_enter_container(message, '(', "sa(sv)")) > 0) {
                const char *aux_name;
                Unit *aux = NULL;

                r = bus_message_read(message, "s", &aux_name);
                if (r <= 0)
                        return r < 0 ? r : -EBADMSG;
                r = transient_unit_create(m, aux_name, message, NULL, error, &aux);
                if (r < 0)
                        return r;
                r = bus_message_exit_container(message);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        (void) bus_message_exit_container(message);
        if (u->type == UNIT_SCOPE) {
                r = scope_set_pids(u, props.pids, props.n_pids);
                if (r < 0)
                        return r;
        }
        if (props.add_ref)
                manager_sysbus_add_unit_ref(m, message, u);
        return bus_unit_queue_job(bus, message, u, JOB_START, smode, error);
}

static int method_not_supported(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        return bus_error_setf(error, BUS_ERROR_NOT_SUPPORTED, "Not supported by sysmaster yet.");
}

#define CONST BUS_VTABLE_PROPERTY_CONST
#define CHANGE BUS_VTABLE_PROPERTY_EMITS_CHANGE
#define LIMIT(n)                                                                                 \
        BUS_PROPERTY("DefaultLimit" n, "t", get_default_limit, 0, CONST),                        \
        BUS_PROPERTY("DefaultLimit" n "Soft", "t", get_default_limit, 0, CONST)
#define UNIT_JOB_METHOD(name) BUS_METHOD_WITH_NAMES(name, "ss", "o", "name\0mode\0job\0", method_start_unit, 0)

static const BusVtable manager_vtable[] = {
        BUS_VTABLE_START(0),
        BUS_PROPERTY("Version", "s", get_version, 0, CONST),
        BUS_PROPERTY("Features", "s", get_features, 0, CONST),
        BUS_PROPERTY("Virtualization", "s", bus_prop_empty_string, 0, CONST),
        BUS_PROPERTY("Architecture", "s", get_architecture, 0, CONST),
        BUS_PROPERTY("Tainted", "s", bus_prop_empty_string, 0, CONST),
        TS("Firmware", MANAGER_TIMESTAMP_FIRMWARE),
        TS("Loader", MANAGER_TIMESTAMP_LOADER),
        TS("Kernel", MANAGER_TIMESTAMP_KERNEL),
        TS("InitRD", MANAGER_TIMESTAMP_INITRD),
        TS("Userspace", MANAGER_TIMESTAMP_USERSPACE),
        TS("Finish", MANAGER_TIMESTAMP_FINISH),
        TS("SecurityStart", MANAGER_TIMESTAMP_SECURITY_START),
        TS("SecurityFinish", MANAGER_TIMESTAMP_SECURITY_FINISH),
        TS("GeneratorsStart", MANAGER_TIMESTAMP_GENERATORS_START),
        TS("GeneratorsFinish", MANAGER_TIMESTAMP_GENERATORS_FINISH),
        TS("UnitsLoadStart", MANAGER_TIMESTAMP_UNITS_LOAD_START),
        TS("UnitsLoadFinish", MANAGER_TIMESTAMP_UNITS_LOAD_FINISH),
        TS_ZERO("UnitsLoad"),
        TS_ZERO("InitRDSecurityStart"),
        TS_ZERO("InitRDSecurityFinish"),
        TS_ZERO("InitRDGeneratorsStart"),
        TS_ZERO("InitRDGeneratorsFinish"),
        TS_ZERO("InitRDUnitsLoadStart"),
        TS_ZERO("InitRDUnitsLoadFinish"),
        BUS_WRITABLE_PROPERTY("LogLevel", "s", get_log_level, set_log_level, 0, 0),
        BUS_WRITABLE_PROPERTY("LogTarget", "s", get_log_target, set_log_target, 0, 0),
        BUS_PROPERTY("NNames", "u", get_counter, 0, 0),
        BUS_PROPERTY("NFailedUnits", "u", get_counter, 0, CHANGE),
        BUS_PROPERTY("NJobs", "u", get_counter, 0, 0),
        BUS_PROPERTY("NInstalledJobs", "u", get_counter, 0, 0),
        BUS_PROPERTY("NFailedJobs", "u", get_counter, 0, 0),
        BUS_PROPERTY("Progress", "d", get_progress, 0, 0),
        BUS_PROPERTY("Environment", "as", get_environment, 0, 0),
        BUS_PROPERTY("ConfirmSpawn", "b", bus_prop_false, 0, CONST),
        BUS_PROPERTY("ShowStatus", "b", bus_prop_false, 0, 0),
        BUS_PROPERTY("UnitPath", "as", get_unit_path, 0, CONST),
        BUS_PROPERTY("DefaultStandardOutput", "s", get_default_output, 0, CONST),
        BUS_PROPERTY("DefaultStandardError", "s", get_default_output, 0, CONST),
        BUS_PROPERTY("WatchdogDevice", "s", bus_prop_empty_string, 0, CONST),
        BUS_PROPERTY("WatchdogLastPingTimestamp", "t", bus_prop_zero_t, 0, 0),
        BUS_PROPERTY("WatchdogLastPingTimestampMonotonic", "t", bus_prop_zero_t, 0, 0),
        BUS_PROPERTY("RuntimeWatchdogUSec", "t", bus_prop_zero_t, 0, 0),
        BUS_PROPERTY("RuntimeWatchdogPreUSec", "t", bus_prop_zero_t, 0, 0),
        BUS_PROPERTY("RuntimeWatchdogPreGovernor", "s", bus_prop_empty_string, 0, 0),
        BUS_PROPERTY("RebootWatchdogUSec", "t", get_default_usec, 0, 0),
        BUS_PROPERTY("ShutdownWatchdogUSec", "t", get_default_usec, 0, BUS_VTABLE_HIDDEN),
        BUS_PROPERTY("KExecWatchdogUSec", "t", bus_prop_zero_t, 0, 0),
        BUS_PROPERTY("ServiceWatchdogs", "b", bus_prop_true, 0, 0),
        BUS_PROPERTY("ControlGroup", "s", get_control_group, 0, 0),
        BUS_PROPERTY("SystemState", "s", get_system_state, 0, 0),
        BUS_PROPERTY("ExitCode", "y", get_exit_code, 0, 0),
        BUS_PROPERTY("DefaultTimerAccuracyUSec", "t", get_default_usec, 0, CONST),
        BUS_PROPERTY("DefaultTimeoutStartUSec", "t", get_default_usec, 0, CONST),
        BUS_PROPERTY("DefaultTimeoutStopUSec", "t", get_default_usec, 0, CONST),
        BUS_PROPERTY("DefaultTimeoutAbortUSec", "t", get_default_usec, 0, 0),
        BUS_PROPERTY("DefaultDeviceTimeoutUSec", "t", get_default_usec, 0, CONST),
        BUS_PROPERTY("DefaultRestartUSec", "t", get_default_usec, 0, CONST),
        BUS_PROPERTY("DefaultStartLimitIntervalUSec", "t", get_default_usec, 0, CONST),
        BUS_PROPERTY("DefaultStartLimitIntervalSec", "t", get_default_usec, 0, CONST | BUS_VTABLE_HIDDEN),
        BUS_PROPERTY("DefaultStartLimitInterval", "t", get_default_usec, 0, CONST | BUS_VTABLE_HIDDEN),
        BUS_PROPERTY("DefaultStartLimitBurst", "u", get_default_burst, 0, CONST),
        BUS_PROPERTY("DefaultCPUAccounting", "b", get_default_accounting, 0, CONST),
        BUS_PROPERTY("DefaultBlockIOAccounting", "b", get_default_accounting, 0, CONST),
        BUS_PROPERTY("DefaultMemoryAccounting", "b", get_default_accounting, 0, CONST),
        BUS_PROPERTY("DefaultTasksAccounting", "b", get_default_accounting, 0, CONST),
        LIMIT("CPU"), LIMIT("FSIZE"), LIMIT("DATA"), LIMIT("STACK"), LIMIT("CORE"), LIMIT("RSS"),
        LIMIT("NOFILE"), LIMIT("AS"), LIMIT("NPROC"), LIMIT("MEMLOCK"), LIMIT("LOCKS"),
        LIMIT("SIGPENDING"), LIMIT("MSGQUEUE"), LIMIT("NICE"), LIMIT("RTPRIO"), LIMIT("RTTIME"),
        BUS_PROPERTY("DefaultTasksMax", "t", get_default_tasks_max, 0, CONST),
        BUS_PROPERTY("TimerSlackNSec", "t", get_timer_slack, 0, CONST),
        BUS_PROPERTY("DefaultOOMPolicy", "s", get_const_string, 0, CONST),
        BUS_PROPERTY("DefaultOOMScoreAdjust", "i", bus_prop_zero_i, 0, CONST),
        BUS_PROPERTY("CtrlAltDelBurstAction", "s", get_const_string, 0, CONST),

        BUS_METHOD_WITH_NAMES("GetUnit", "s", "o", "name\0unit\0", method_get_unit, 0),
        BUS_METHOD_WITH_NAMES("GetUnitByPID", "u", "o", "pid\0unit\0", method_get_unit_by_pid, 0),
        BUS_METHOD_WITH_NAMES("LoadUnit", "s", "o", "name\0unit\0", method_load_unit, 0),
        UNIT_JOB_METHOD("StartUnit"),
        UNIT_JOB_METHOD("StopUnit"),
        UNIT_JOB_METHOD("ReloadUnit"),
        UNIT_JOB_METHOD("RestartUnit"),
        UNIT_JOB_METHOD("TryRestartUnit"),
        UNIT_JOB_METHOD("ReloadOrRestartUnit"),
        UNIT_JOB_METHOD("ReloadOrTryRestartUnit"),
        BUS_METHOD_WITH_NAMES("EnqueueUnitJob", "sss", "uososa(uosos)",
                              "name\0job_type\0job_mode\0job_id\0job_path\0unit_id\0unit_path\0job_type\0affected_jobs\0",
                              method_enqueue_unit_job, 0),
        BUS_METHOD_WITH_NAMES("KillUnit", "ssi", "", "name\0whom\0signal\0", method_kill_unit, 0),
        BUS_METHOD_WITH_NAMES("ResetFailedUnit", "s", "", "name\0", method_reset_failed_unit, 0),
        BUS_METHOD_WITH_NAMES("SetUnitProperties", "sba(sv)", "", "name\0runtime\0properties\0",
                              method_not_supported, 0),
        BUS_METHOD_WITH_NAMES("RefUnit", "s", "", "name\0", method_ref_unit, 0),
        BUS_METHOD_WITH_NAMES("UnrefUnit", "s", "", "name\0", method_ref_unit, 0),
        BUS_METHOD_WITH_NAMES("StartTransientUnit", "ssa(sv)a(sa(sv))", "o",
                              "name\0mode\0properties\0aux\0job\0", method_start_transient_unit, 0),
        BUS_METHOD_WITH_NAMES("GetUnitProcesses", "s", "a(sus)", "name\0processes\0",
                              method_get_unit_processes, 0),
        BUS_METHOD_WITH_NAMES("GetJob", "u", "o", "id\0job\0", method_get_job, 0),
        BUS_METHOD_WITH_NAMES("GetJobAfter", "u", "a(usssoo)", "id\0jobs\0", method_get_job_waiting, 0),
        BUS_METHOD_WITH_NAMES("GetJobBefore", "u", "a(usssoo)", "id\0jobs\0", method_get_job_waiting, 0),
        BUS_METHOD_WITH_NAMES("CancelJob", "u", "", "id\0", method_cancel_job, 0),
        BUS_METHOD("ClearJobs", "", "", method_clear_jobs, 0),
        BUS_METHOD("ResetFailed", "", "", method_reset_failed, 0),
        BUS_METHOD_WITH_NAMES("ListUnits", "", "a(ssssssouso)", "units\0", method_list_units, 0),
        BUS_METHOD_WITH_NAMES("ListUnitsFiltered", "as", "a(ssssssouso)", "states\0units\0",
                              method_list_units, 0),
        BUS_METHOD_WITH_NAMES("ListUnitsByPatterns", "asas", "a(ssssssouso)",
                              "states\0patterns\0units\0", method_list_units, 0),
        BUS_METHOD_WITH_NAMES("ListUnitsByNames", "as", "a(ssssssouso)", "names\0units\0",
                              method_list_units_by_names, 0),
        BUS_METHOD_WITH_NAMES("ListJobs", "", "a(usssoo)", "jobs\0", method_list_jobs, 0),
        BUS_METHOD("Subscribe", "", "", method_subscribe, 0),
        BUS_METHOD("Unsubscribe", "", "", method_subscribe, 0),
        BUS_METHOD("Reload", "", "", method_reload, 0),
        BUS_METHOD("Reexecute", "", "", method_objective, 0),
        BUS_METHOD("Exit", "", "", method_objective, 0),
        BUS_METHOD("Reboot", "", "", method_objective, 0),
        BUS_METHOD("PowerOff", "", "", method_objective, 0),
        BUS_METHOD("Halt", "", "", method_objective, 0),
        BUS_METHOD("KExec", "", "", method_objective, 0),
        BUS_METHOD_WITH_NAMES("SetEnvironment", "as", "", "assignments\0", method_environment, 0),
        BUS_METHOD_WITH_NAMES("UnsetEnvironment", "as", "", "names\0", method_environment, 0),
        BUS_METHOD_WITH_NAMES("UnsetAndSetEnvironment", "asas", "", "names\0assignments\0",
                              method_environment, 0),
        BUS_METHOD_WITH_NAMES("ListUnitFiles", "", "a(ss)", "unit_files\0", method_list_unit_files, 0),
        BUS_METHOD_WITH_NAMES("ListUnitFilesByPatterns", "asas", "a(ss)", "states\0patterns\0unit_files\0",
                              method_list_unit_files, 0),
        BUS_METHOD_WITH_NAMES("GetUnitFileState", "s", "s", "file\0state\0", method_get_unit_file_state, 0),
        BUS_METHOD_WITH_NAMES("GetDefaultTarget", "", "s", "name\0", method_get_default_target, 0),
        BUS_SIGNAL_WITH_NAMES("UnitNew", "so", "id\0unit\0", 0),
        BUS_SIGNAL_WITH_NAMES("UnitRemoved", "so", "id\0unit\0", 0),
        BUS_SIGNAL_WITH_NAMES("JobNew", "uos", "id\0job\0unit\0", 0),
        BUS_SIGNAL_WITH_NAMES("JobRemoved", "uoss", "id\0job\0unit\0result\0", 0),
        BUS_SIGNAL_WITH_NAMES("StartupFinished", "tttttt",
                              "firmware\0loader\0kernel\0initrd\0userspace\0total\0", 0),
        BUS_SIGNAL("UnitFilesChanged", "", 0),
        BUS_SIGNAL_WITH_NAMES("Reloading", "b", "active\0", 0),
        BUS_VTABLE_END,
};

static const BusVtable log_control_vtable[] = {
        BUS_VTABLE_START(0),
        BUS_WRITABLE_PROPERTY("LogLevel", "s", get_log_level, set_log_level, 0, 0),
        BUS_WRITABLE_PROPERTY("LogTarget", "s", get_log_target, set_log_target, 0, 0),
        BUS_PROPERTY("SyslogIdentifier", "s", get_syslog_identifier, 0, 0),
        BUS_VTABLE_END,
};

int bus_manager_register(Bus *b, Manager *m) {
        int r;

        r = bus_add_object_vtable(b, NULL, BUS_MANAGER_PATH, BUS_MANAGER_INTERFACE, manager_vtable, m);
        if (r < 0)
                return r;
        return bus_add_object_vtable(b, NULL, "/org/freedesktop/LogControl1", "org.freedesktop.LogControl1",
                                     log_control_vtable, m);
}
