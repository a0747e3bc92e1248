/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * service-internal.h: what the files of the service type share (not for other modules, which
 * use service.h): service.c is the state machine, service-load.c the settings, service-pid.c the
 * main pid, PID files and cgroup checks, service-notify.c the notify messages, the fd store and
 * the socket fds, service-bus-name.c BusName= on the system bus.
 */

#include "service.h"

/* The Unit of a Service. */
#define UNIT(s) (&(s)->meta)

/* service-load.c */
/* UnitVTable.init: defaults of a fresh Service object. */
void service_init(Unit *u);
/* UnitVTable.load: interprets the [Service] settings; < 0 makes the unit bad-setting. */
int service_load(Unit *u);
/* "ExecStart", "ExecStopPost", … for a command kind. */
const char *service_exec_command_to_string(ExecCommandKind k) _const_;

/* service.c: state transitions the other files trigger */
void service_enter_running(Service *s, ServiceResult f);
void service_enter_start_post(Service *s);
void service_enter_reload_by_notify(Service *s);
void service_enter_stop_by_notify(Service *s);
void service_reset_watchdog(Service *s);
void service_force_watchdog(Service *s);
void service_extend_timeout(Service *s, usec_t extend_timeout_usec);
void service_override_watchdog_timeout(Service *s, usec_t usec);

/* service-serialize.c: UnitVTable.serialize/deserialize_item */
void service_serialize(Unit *u, Serializer *s);
int service_deserialize_item(Unit *u, const char *key, const char *value);

/* service-pid.c */
void service_unwatch_control_pid(Service *s);
void service_unwatch_main_pid(Service *s);
/* Takes pid as the main pid (warns when it is not our child). 0 or -EINVAL. */
int service_set_main_pid(Service *s, pid_t pid);
/* The same for a pid service_spawn() just gave us: our child, nothing to check. */
int service_set_spawned_main_pid(Service *s, pid_t pid);
/* > 0 alive, 0 dead, < 0 unknown (no main pid known). */
int service_main_pid_good(Service *s);
bool service_control_pid_good(Service *s) _pure_;
/* > 0 the cgroup has processes, 0 empty or none, < 0 unknown. */
int service_cgroup_good(Service *s);
/* Whether pid may become the main pid: > 0 surely, 0 questionable, < 0 refused (logged at
 * prio). */
int service_is_suitable_main_pid(Service *s, pid_t pid, int prio);
/* Reads PIDFile=: 1 a new main pid was taken, 0 unchanged, < 0 not (yet) possible. */
int service_load_pid_file(Service *s, bool may_warn);
/* GuessMainPID=: takes the only process of the cgroup whose parent is not in it. */
void service_search_main_pid(Service *s);
/* Waits for PIDFile= to appear (inotify); enters running once it is read. */
int service_demand_pid_file(Service *s);
void service_unwatch_pid_file(Service *s);

/* service-notify.c */
void service_notify_message(Unit *u, const struct ucred *ucred, char *const *tags, int *fds, size_t n_fds);
void service_release_fd_store(Service *s);
/* Crash recovery: hands the fd store to init's (again, after a change) / takes it back, with the
 * names read back from the store (list order). */
void service_keep_fd_store(Service *s);
void service_take_kept_fd_store(Service *s, char **names);
void service_close_socket_fds(Service *s);
/* The fds to pass: socket fds, then the fd store oldest first (*ret_fds borrowed fds in a new
 * array, *ret_names new). 0 or -ENOMEM. */
int service_collect_fds(Service *s, int **ret_fds, char ***ret_names, size_t *ret_n_socket,
                        size_t *ret_n_storage);

/* service-bus-name.c */
/* Watches BusName= (nothing without one): 0, -EEXIST another service has the name (logged). */
int service_watch_bus_name(Service *s);
/* Ends the watch and a pending owner PID lookup. */
void service_unwatch_bus_name(Service *s);

