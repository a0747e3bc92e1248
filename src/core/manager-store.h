/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * manager-store.h: crash recovery, the manager's side. The state of every unit, job and of the
 * manager itself is written to the state store (state-store.h) and committed in one transaction
 * per event-loop iteration, before its effects leave the process:
 *   - units and jobs that changed queue themselves (unit_add_to_store_queue(), called by
 *     unit_add_to_dbus_queue() and when PIDs are watched; jobs likewise);
 *   - a new process does not run its command before the commit that records it: the exec
 *     helper waits at a gate (execute.h, gate_fd) that manager_store_flush() opens after the
 *     commit; if the manager dies first, the helper exits without running anything, and the
 *     next manager, which never heard of it, runs the job again: never twice;
 *   - exit statuses: a child is reaped only after the commit that holds its consequences
 *     (manager-runtime.c), and init's exit records are acknowledged only after that commit;
 *   - D-Bus replies and signals are written after the commit (manager_store_flush() runs
 *     before the bus flushes its output).
 * Long-lived fds (listening sockets, the notify socket, the private bus socket, the cgroup
 * inotify object) are kept in sysmaster-init's fd store under names ("socket:UNIT", "notify",
 * "private", "cgroup-inotify") and taken back after a restart (manager_take_fds()).
 *
 * Restoring (manager_store_restore()): the units named in the store are loaded again in one
 * pass (unchanged unit files from the store's copies, see below), their runtime state (with
 * the cgroup watches, unit_restore_cgroup()) and the jobs are read back, then every unit's coldplug()
 * brings it to that state without side effects, PIDs are checked against /proc (start time),
 * exit records of init are applied, and interrupted jobs continue: a job whose unit already
 * reached its goal finishes, one whose unit is still on its way keeps waiting for it, one that
 * had not begun runs again.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct Manager Manager;
typedef struct Unit Unit;
typedef struct Job Job;

/* The store file (RUNTIME_DIR/sysmaster/state.lmdb); emptied unless m->recovering. */
int manager_store_open(Manager *m);
void manager_store_close(Manager *m);

void unit_add_to_store_queue(Unit *u);
void job_add_to_store_queue(Job *j);
/* The unit/job is being freed: its record goes at the next commit. */
void manager_store_forget_unit(Unit *u);
void manager_store_forget_job(Job *j);
void manager_store_mark_dirty(Manager *m);

/* Writes what changed, commits, then opens the gates of processes spawned since the last
 * commit and acknowledges init's exit records. Cheap when nothing changed. */
int manager_store_flush(Manager *m);
/* Once idle after start-up, a restore, a reload or a burst of commits (with heap_settle()):
 * LMDB's cached page buffers are given back (state_store_release_cache()). */
void manager_store_release_cache(Manager *m);
/* For a spawn: the read end of a new gate (owned by the caller, who passes it to the helper
 * and then to manager_spawn_gate_done()), or -1 when the manager keeps no store. */
int manager_spawn_gate(Manager *m);
/* After the spawn that got gate_fd from manager_spawn_gate(): closes it and, if the spawn failed,
 * the gate too, unopened, so that a helper created anyway (execute.h: a spawn server that took
 * the request but did not answer) exits without running anything. */
void manager_spawn_gate_done(Manager *m, int *gate_fd, bool spawned);
/* An exit record of init was applied: acknowledge it after the next commit. */
void manager_store_ack_exit(Manager *m, uint64_t serial);

/* Brings units, jobs and the manager's own state back from the store (m->recovering). */
int manager_store_restore(Manager *m);
/* After restoring: applies init's exit records and reaps what exited meanwhile, reports PIDs
 * that are gone without an exit record as lost, and lets the interrupted jobs continue (see
 * above). */
void manager_store_resume(Manager *m);

/* Unit files. The store keeps a copy of every unit file (fragment, drop-in) the manager read,
 * with the file's identity (inode, size, mtime, ctime): after a restart a file whose identity
 * did not change is parsed from that copy (one stat() instead of open, fstat, reads, close);
 * one that changed, appeared or is not kept is read again, as systemd's daemon-reexec does.
 * The copy is parsed exactly as the file would be: same bytes, same parser. */
struct stat;
/* While restoring: the copy of path if st (the file's stat()) is the identity it was kept
 * with: 1 and *ret (NUL-terminated, owned by the caller) with its size; 0 if not. */
int manager_store_cached_file(Manager *m, const char *path, const struct stat *st, char **ret, size_t *ret_size);
/* Keeps a copy of the file just read (st: fstat() of the fd it was read from). */
void manager_store_keep_file(Manager *m, const char *path, const struct stat *st, const char *data, size_t size);
/* Drops the copies of files no loaded unit uses any more (after daemon-reload). */
void manager_store_trim_files(Manager *m);

/* fds from init's fd store, waiting to be claimed by name (the manager takes ownership). */
int manager_add_recovered_fds(Manager *m, const char *name, int *fds, size_t n);
/* Takes the fds stored under name: their number, 0 if none (*ret NULL). */
size_t manager_take_fds(Manager *m, const char *name, int **ret);
/* The same for a single fd: the fd, or -1. */
int manager_take_fd(Manager *m, const char *name);
/* After the next commit (which records the process that serves it), init's copy of the
 * Accept=yes connection of service unit u is dropped (Service.connection_fd_name). */
void manager_release_connection_after_commit(Manager *m, Unit *u);
/* Closes what nobody claimed. */
void manager_drop_recovered_fds(Manager *m);
/* Keeps fds (borrowed, duplicated by init) in init's store under name; n == 0 removes the entry.
 * No-op without init. */
void manager_keep_fds(Manager *m, const char *name, const int *fds, size_t n);
