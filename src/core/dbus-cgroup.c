/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dbus-cgroup.c: the getters behind BUS_UNIT_CGROUP_VTABLE_ITEMS and BUS_CGROUP_VTABLE_ITEMS
 * (dbus-cgroup.h), and the process list of GetProcesses/GetUnitProcesses.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "dbus-cgroup.h"
#include "escape.h"
#include "fd-util.h"
#include "manager.h"
#include "parse-util.h"
#include "service.h"
#include "string-util.h"
#include "strv.h"

int bus_cgroup_get_slice(BUS_GETTER_ARGS) {
        Unit *u = userdata, *o;

        UNIT_FOREACH_DEPENDENCY(o, u, UNIT_IN_SLICE)
                return bus_append_string(reply, o->id);
        UNIT_FOREACH_DEPENDENCY(o, u, UNIT_REQUIRES)
                if (o->type == UNIT_SLICE && u->slice && unit_has_name(o, u->slice))
                        return bus_append_string(reply, o->id);
        return bus_append_string(reply, u->slice);
}

int bus_cgroup_get_control_group_id(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        return bus_append_usec(reply, u->cgroup_id);
}

int bus_cgroup_get_control_group(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        const char *p = u->cgroup_path;

        if (p && !*p)
                p = "/";
        return bus_append_string(reply, p);
}

int bus_cgroup_get_counter(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        uint64_t v = UINT64_MAX;

        if (!u->cgroup_path)
                return bus_append_usec(reply, UINT64_MAX);
        if (streq(property, "MemoryCurrent"))
                v = unit_get_memory_current(u);
        else if (streq(property, "TasksCurrent"))
                v = unit_get_tasks_current(u);
        else if (streq(property, "CPUUsageNSec"))
                v = unit_get_cpu_usage_nsec(u);
        return bus_append_usec(reply, v);
}

static const char *setting(Unit *u, const char *name) {
        char key[128];

        snprintf(key, sizeof key, "%s.%s", bus_unit_section(u), name);
        return unit_setting_last(u, key);
}

int bus_cgroup_get_bool(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        const char *v = setting(u, property);
        bool def = STR_IN_SET(property, "MemoryAccounting", "TasksAccounting") ||
                   (streq(property, "CPUAccounting") && manager_has_cgroup(u->manager));
        int b;

        if (streq(property, "Delegate") && u->type == UNIT_SLICE)
                def = false;
        if (!v || (b = parse_boolean(v)) < 0)
                return bus_append_bool(reply, def);
        return bus_append_bool(reply, b);
}

/* systemd's DefaultTasksMax: 15% of the smaller of pid_max and threads-max. */
static uint64_t default_tasks_max(void) {
        static const char *const files[] = { "/proc/sys/kernel/pid_max", "/proc/sys/kernel/threads-max" };
        uint64_t m = UINT64_MAX;

        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                _cleanup_free_ char *s = NULL;
                uint64_t v;

                if (read_full_file(files[i], 64, &s, NULL) >= 0 && safe_atou64(strstrip(s), &v) >= 0 &&
                    v > 0 && v - 1 < m)
                        m = v - 1;
        }
        if (m == UINT64_MAX)
                return UINT64_MAX;
        return m * 15 / 100;
}

static uint64_t size_setting(Unit *u, const char *name, uint64_t def) {
        const char *v = setting(u, name);
        uint64_t s;

        if (!v)
                return def;
        if (streq(v, "infinity"))
                return UINT64_MAX;
        if (parse_size(v, 1024, &s) < 0)
                return def;
        return s;
}

int bus_cgroup_get_u64(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        uint64_t v = UINT64_MAX;

        if (STR_IN_SET(property, "DefaultMemoryLow", "DefaultMemoryMin", "MemoryMin", "MemoryLow"))
                v = size_setting(u, property, 0);
        else if (STR_IN_SET(property, "MemoryHigh", "MemoryMax", "MemorySwapMax", "MemoryLimit"))
                v = size_setting(u, property, UINT64_MAX);
        else if (streq(property, "TasksMax")) {
                const char *s = setting(u, "TasksMax");
                if (!s)
                        v = u->type == UNIT_SLICE ? UINT64_MAX : default_tasks_max(); /* 252: not for slices */
                else if (!streq(s, "infinity") && safe_atou64(s, &v) < 0)
                        v = default_tasks_max();
        } else if (streq(property, "CPUQuotaPerSecUSec")) {
                const char *s = setting(u, "CPUQuota");
                int p = s ? parse_permyriad_unbounded(s) : -1;
                if (p > 0)
                        v = (uint64_t) p * USEC_PER_SEC / 10000;
        } else {
                const char *s = setting(u, property);
                if (s && safe_atou64(s, &v) < 0)
                        v = UINT64_MAX;
        }
        return bus_append_usec(reply, v);
}

int bus_cgroup_get_string(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        const char *v = setting(u, property);

        if (!v) {
                if (streq(property, "DevicePolicy"))
                        v = "auto";
                else if (streq(property, "ManagedOOMPreference"))
                        v = "none";
                else
                        v = "auto";
        }
        return bus_append_string(reply, v);
}

int bus_cgroup_get_strv(BUS_GETTER_ARGS) {
        Unit *u = userdata;
        char key[128];

        snprintf(key, sizeof key, "%s.%s", bus_unit_section(u), property);
        return bus_message_append_strv(reply, (char **) unit_setting_get(u, key));
}

/* ---- processes ---- */

static char *process_cmdline(pid_t pid) {
        _cleanup_free_ char *raw = NULL, *comm = NULL;
        _cleanup_strv_free_ char **argv = NULL;
        char path[64];
        size_t n = 0;

        snprintf(path, sizeof path, "/proc/%d/cmdline", (int) pid);
        if (read_full_file(path, 64 * 1024, &raw, &n) >= 0 && n > 0) {
                for (size_t i = 0; i < n;) {
                        if (strv_extend(&argv, raw + i) < 0)
                                return NULL;
                        i += strlen(raw + i) + 1;
                }
                return quote_command_line(argv, SHELL_ESCAPE_EMPTY);
        }
        snprintf(path, sizeof path, "/proc/%d/comm", (int) pid);
        if (read_full_file(path, 256, &comm, NULL) < 0)
                return strdup("");
        return strjoin("[", strstrip(comm), "]");
}

static int append_process(BusMessage *reply, const char *cgroup, pid_t pid) {
        _cleanup_free_ char *cmdline = process_cmdline(pid);

        if (!cmdline)
                return -ENOMEM;
        return bus_message_append(reply, "(sus)", cgroup, (uint32_t) pid, cmdline);
}

int bus_unit_reply_processes(Bus *bus, BusMessage *message, Unit *u, BusError *error) {
        _cleanup_(bus_message_unrefp) BusMessage *reply = NULL;
        _cleanup_strv_free_ char **paths = NULL;
        _cleanup_free_ pid_t *pids = NULL;
        size_t n = 0;
        int r;

        if (u->cgroup_path) {
                r = unit_cgroup_pids(u, &pids, &paths, &n);
                if (r < 0 && r != -ENOENT)
                        return r;
        }
        r = bus_message_new_method_return(message, &reply);
        if (r >= 0)
                r = bus_message_open_container(reply, 'a', "(sus)");
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = append_process(reply, paths && paths[i] ? paths[i] : u->cgroup_path, pids[i]);
        /* The main and control processes even if they left the cgroup (as systemd). */
        if (u->type == UNIT_SERVICE && UNIT_VTABLE(u)->object_size >= sizeof(Service)) {
                pid_t extra[2] = { SERVICE(u)->main_pid, SERVICE(u)->control_pid };

                for (size_t k = 0; r >= 0 && k < 2; k++) {
                        bool seen = extra[k] <= 0;
                        for (size_t i = 0; !seen && i < n; i++)
                                seen = pids[i] == extra[k];
                        if (!seen)
                                r = append_process(reply, u->cgroup_path ? u->cgroup_path : "", extra[k]);
                }
        }
        if (r >= 0)
                r = bus_message_close_container(reply);
        return r < 0 ? r : bus_reply_message(bus, message, reply);
}

int bus_cgroup_method_get_processes(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        return bus_unit_reply_processes(bus, message, userdata, error);
}

int bus_cgroup_method_not_supported(Bus *bus, BusMessage *message, void *userdata, BusError *error) {
        return bus_error_setf(error, BUS_ERROR_NOT_SUPPORTED, "Not supported by sysmaster yet.");
}
