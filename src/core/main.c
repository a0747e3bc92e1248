/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * main.c: the sysmaster binary, the service manager. sysmaster-init (PID 1) starts it with its
 * own argv and the channel in $SYSMASTER_INIT_FD; it can also run without init (then it is a
 * subreaper of what it starts). It parses its arguments and the kernel command line
 * (main-args.h), sets up the manager on an event loop (units, jobs, notify socket, cgroups,
 * D-Bus on /run/systemd/private), isolates the default target, and runs until an objective
 * (exit, reboot, poweroff, halt, kexec) ends it: then it stops what is left and asks init to
 * end the system.
 *
 * This file owns the process-wide things: signals, the Event, the Manager and the InitLink.
 */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bus/bus-error.h"
#include "cgroup.h"
#include "event.h"
#include "execute.h"
#include "fd-util.h"
#include "init-link.h"
#include "job.h"
#include "log.h"
#include "loopback-setup.h"
#include "heap.h"
#include "main-args.h"
#include "crash-guard.h"
#include "fault-inject.h"
#include "manager-bus.h"
#include "manager-signals.h"
#include "manager-store.h"
#include "manager-sysbus.h"
#include "manager.h"
#include "proc-cmdline.h"
#include "reexec.h"
#include "signal-util.h"
#include "string-util.h"
#include "strv.h"

#define FINAL_KILL_TIMEOUT_USEC (10 * USEC_PER_SEC)

static void help(void) {
        printf("%s [OPTIONS...]\n\n"
               "Starts and supervises the system's services.\n\n"
               "  -h --help                 Show this help\n"
               "     --version              Show the version\n"
               "     --unit=UNIT            Set the default unit\n"
               "     --system               Run as the system manager (the only mode)\n"
               "     --log-level=LEVEL      Set the log level (debug, info, notice, warning, err, …)\n"
               "     --log-target=TARGET    Set the log target (console, kmsg, stderr, auto, null)\n"
               "     --default-standard-output=OUTPUT\n"
               "                            Set the default output of services (null, journal, …)\n"
               "     --default-standard-error=OUTPUT\n"
               "                            Set the default error output of services\n",
               program_invocation_short_name);
}

static const char *error_text(const BusError *e, int r) {
        return e->message ?: strerror(-r);
}

static int on_signal(EventSource *s, const struct signalfd_siginfo *si, void *userdata) {
        (void) s;
        manager_dispatch_signal(userdata, (int) si->ssi_signo);
        return 0;
}

/* ---- the channel to sysmaster-init ------------------------------------------------------- */

static void init_exit_record(InitLink *l, const InitExitRecord *rec, void *userdata) {
        Manager *m = userdata;

        (void) l;
        /* A process of ours that init reaped while no manager ran (or that was re-parented to
         * it): the unit learns how it ended as if we had reaped it. A PID no unit watches was
         * never recorded: a helper whose gate never opened (it ran nothing), or a process a
         * service forked. Acknowledged once the store holds the consequences. */
        if (hashmap_get(m->watch_pids, PID_TO_PTR(rec->pid)))
                log_debug("PID %d ended while no manager ran (code=%d, status=%d).", (int) rec->pid, rec->code,
                          rec->status);
        manager_dispatch_child_exit(m, NULL, rec->pid, rec->code, rec->status);
        manager_store_ack_exit(m, rec->serial);
}

static void init_fdstore_entry(InitLink *l, const char *name, int *fds, size_t n, void *userdata) {
        (void) l;
        /* kept by the manager before us: claimed by name while starting up (manager-store.h) */
        if (manager_add_recovered_fds(userdata, name, fds, n) < 0)
                log_oom();
}

static void init_signal(InitLink *l, int sig, void *userdata) {
        (void) l;
        manager_dispatch_signal(userdata, sig);
}

static void init_error(InitLink *l, uint16_t type, int error, const char *name, void *userdata) {
        (void) l;
        (void) userdata;
        log_warning_errno(error, "sysmaster-init refused message type %u%s%s: %m", type,
                          name ? " for " : "", strempty(name));
}

static void init_disconnected(InitLink *l, void *userdata) {
        (void) l;
        (void) userdata;
        log_warning("Lost the channel to sysmaster-init.");
}

static const InitLinkCallbacks init_callbacks = {
        .exit_record = init_exit_record,
        .fdstore_entry = init_fdstore_entry,
        .signal = init_signal,
        .error = init_error,
        .disconnected = init_disconnected,
};

/* ---- startup and the end ----------------------------------------------------------------- */

/* systemd.wants=: what systemd-debug-generator does for systemd 252, a link
 * /run/systemd/generator.early/TARGET.wants/UNIT (pointing at /lib/systemd/system/UNIT, only
 * its name counts), so that the default target Wants= the unit for as long as the system runs:
 * the unit is part of the boot transaction, shows in the target's Wants=, is not collected when
 * it ends, and all that survives daemon-reload.  Written before the unit directories are read. */
static void write_wants_links(const MainArgs *args) {
        const char *target = args->default_unit ?: "default.target";
        _cleanup_free_ char *dir = NULL;

        if (strv_isempty(args->wants))
                return;
        dir = strjoin("/run/systemd/generator.early/", target, ".wants");
        if (!dir) {
                log_oom();
                return;
        }
        (void) mkdir("/run/systemd", 0755);
        (void) mkdir("/run/systemd/generator.early", 0755);
        if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
                log_warning_errno(errno, "Failed to create %s, ignoring systemd.wants=: %m", dir);
                return;
        }
        STRV_FOREACH(w, args->wants) {
                _cleanup_free_ char *link = strjoin(dir, "/", *w);
                _cleanup_free_ char *dest = strjoin("/lib/systemd/system/", *w);

                if (!link || !dest) {
                        log_oom();
                        return;
                }
                if (symlink(dest, link) < 0 && errno != EEXIST)
                        log_warning_errno(errno, "Failed to create %s: %m", link);
        }
}

static int startup(Manager *m, const MainArgs *args) {
        _cleanup_bus_error_ BusError error = BUS_ERROR_NULL;
        const char *target = args->default_unit ?: "default.target";
        Unit *u = NULL;
        int r;

        dual_timestamp_now(&m->timestamps[MANAGER_TIMESTAMP_UNITS_LOAD_START]);
        r = manager_load_unit(m, target, &u);
        if (r < 0 || !u || u->load_state != UNIT_LOADED) {
                log_error("Failed to load default target %s, trying to load rescue.target instead.", target);
                target = "rescue.target";
                r = manager_load_unit(m, target, &u);
                if (r < 0 || !u || u->load_state != UNIT_LOADED) {
                        log_emergency("Failed to load rescue target: %s", u ? unit_load_state_to_string(u->load_state) : "invalid name");
                        return -ENOENT;
                }
        }
        dual_timestamp_now(&m->timestamps[MANAGER_TIMESTAMP_UNITS_LOAD_FINISH]);
        free(m->default_target);
        m->default_target = strdup(u->id);

        r = manager_add_job(m, JOB_START, u, JOB_ISOLATE, NULL, &error, NULL);
        if (r < 0 && bus_error_has_name(&error, "org.freedesktop.systemd1.NoIsolation")) {
                /* As systemd: a default target without AllowIsolate= is started instead. */
                log_debug("Default target could not be isolated, starting instead: %s", error_text(&error, r));
                bus_error_free(&error);
                r = manager_add_job(m, JOB_START, u, JOB_REPLACE, NULL, &error, NULL);
        }
        if (r < 0) {
                log_error("Failed to start default target %s: %s", u->id, error_text(&error, r));
                return r;
        }
        return 0;
}

/* Sends sig to every process we know of: the cgroups of all units, and the watched pids. */
static unsigned signal_everything(Manager *m, int sig) {
        unsigned n = 0;
        Unit *u;
        void *pid;

        ORDERED_SET_FOREACH(u, m->all_units)
                if (u->cgroup_path && !streq(u->id, "init.scope")) {
                        int r = unit_cgroup_kill(u, sig, sig != SIGKILL, NULL, 0);
                        if (r > 0)
                                n += (unsigned) r;
                }
        HASHMAP_FOREACH_KEY(u, pid, m->watch_pids)
                if (kill(PTR_TO_PID(pid), sig) == 0)
                        n++;
        return n;
}

/* Reaps children until none is left or the deadline passes; true if none is left. */
static bool reap_until(usec_t deadline) {
        for (;;) {
                pid_t pid = waitpid(-1, NULL, WNOHANG);
                if (pid < 0)
                        return true; /* ECHILD: nothing left */
                if (pid > 0)
                        continue;
                if (now(CLOCK_MONOTONIC) >= deadline)
                        return false;
                usleep(10 * 1000);
        }
}

/* Without init: what systemd-shutdown does after the last unit stopped: SIGTERM to what is
 * left, a grace period, SIGKILL. */
static void finalize(Manager *m) {
        unsigned n;

        exec_spawn_server_stop(); /* our child, but no unit's: it would wait for the deadline */
        n = signal_everything(m, SIGTERM);
        if (n > 0)
                log_info("Sent SIGTERM to %u remaining processes.", n);
        if (!reap_until(now(CLOCK_MONOTONIC) + FINAL_KILL_TIMEOUT_USEC)) {
                n = signal_everything(m, SIGKILL);
                log_info("Sent SIGKILL to %u remaining processes.", n);
                (void) reap_until(now(CLOCK_MONOTONIC) + FINAL_KILL_TIMEOUT_USEC);
        }
}

static InitShutdownAction objective_to_init_action(ManagerObjective o) {
        switch (o) {
        case MANAGER_REBOOT:
                return INIT_SHUTDOWN_REBOOT;
        case MANAGER_POWEROFF:
                return INIT_SHUTDOWN_POWEROFF;
        case MANAGER_HALT:
                return INIT_SHUTDOWN_HALT;
        case MANAGER_KEXEC:
                return INIT_SHUTDOWN_KEXEC;
        default:
                return INIT_SHUTDOWN_EXIT;
        }
}

static int on_idle_spawn_server(EventSource *s, void *userdata) {
        (void) s;
        (void) userdata;
        exec_spawn_server_prepare();
        return 0;
}

/* The spawn server's start blocks for its exec (vfork semantics): once nothing else is pending. */
static void schedule_spawn_server(Event *e) {
        EventSource *s = NULL;

        if (event_add_defer(e, &s, on_idle_spawn_server, NULL) < 0) {
                exec_spawn_server_prepare();
                return;
        }
        (void) event_source_set_priority(s, EVENT_PRIORITY_IDLE);
        (void) event_source_set_floating(s, true);
        event_source_unref(s);
}

/* Startup is finished when the first transaction has no job left. */
static int on_post(EventSource *s, void *userdata) {
        Manager *m = userdata;
        usec_t total;

        if (m->startup_finished || !hashmap_isempty(m->jobs))
                return 0;
        m->startup_finished = true;
        manager_store_mark_dirty(m);
        dual_timestamp_now(&m->timestamps[MANAGER_TIMESTAMP_FINISH]);
        total = m->timestamps[MANAGER_TIMESTAMP_FINISH].monotonic -
                m->timestamps[MANAGER_TIMESTAMP_USERSPACE].monotonic;
        log_info("Startup finished in %" PRIu64 ".%03" PRIu64 "s (userspace).", total / USEC_PER_SEC,
                 (total % USEC_PER_SEC) / USEC_PER_MSEC);
        bus_manager_send_finished(m, 0, 0, 0, 0, total, total);
        (void) event_source_set_enabled(s, EVENT_OFF);
        manager_schedule_heap_settle(m, 0);
        return 0;
}

static int run(int argc, char *argv[]) {
        _cleanup_(main_args_done) MainArgs args = MAIN_ARGS_INIT;
        _cleanup_(event_unrefp) Event *e = NULL;
        _cleanup_(manager_freep) Manager *m = NULL;
        _cleanup_free_ char *cmdline = NULL;
        const char *runtime_dir;
        sigset_t mask;
        EventSource *post_source = NULL;
        int r, exit_status = 0;

        log_parse_environment();
        /* The kernel command line is ours only on the host; in a container our argv is
         * PID 1's. */
        if (!getenv("container") && proc_cmdline(&cmdline) >= 0) {
                r = main_args_parse_kernel_cmdline(&args, cmdline);
                if (r < 0)
                        return log_error_errno(r, "Failed to parse the kernel command line: %m");
        }
        r = main_args_parse_argv(&args, argc, argv);
        if (r < 0)
                return r;
        if (args.show_help) {
                help();
                return 0;
        }
        if (args.show_version) {
                printf("sysmaster %s\n", PACKAGE_VERSION);
                return 0;
        }
        if (args.log_level >= 0)
                log_set_max_level(args.log_level);
        if (args.log_target >= 0)
                log_set_target(args.log_target);

        sigemptyset(&mask);
        sigaddset(&mask, SIGCHLD);
        manager_signals_add(&mask);
        if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
                return log_error_errno(errno, "Failed to block signals: %m");
        (void) signal(SIGPIPE, SIG_IGN);
        if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
                log_warning_errno(errno, "Failed to become a subreaper, ignoring: %m");
        umask(0022);

        write_wants_links(&args);
        r = event_new(&e);
        if (r < 0)
                return log_error_errno(r, "Failed to allocate the event loop: %m");
        r = manager_new(NULL, &m);
        if (r < 0)
                return log_error_errno(r, "Failed to allocate the manager: %m");
        dual_timestamp_now(&m->timestamps[MANAGER_TIMESTAMP_USERSPACE]);
        if (args.default_std_output >= 0)
                m->default_std_output = (ExecOutput) args.default_std_output;
        if (args.default_std_error >= 0)
                m->default_std_error = (ExecOutput) args.default_std_error;

        r = init_link_new_from_env(e, &init_callbacks, m, &m->init_link);
        if (r == -ENXIO)
                log_info("Not started by sysmaster-init; running on my own.");
        else if (r < 0)
                log_warning_errno(r, "Failed to set up the channel to sysmaster-init, ignoring: %m");
        (void) reexec_prepare(argv, m->init_link ? init_link_get_fd(m->init_link) : -1);
        reexec_install_crash_handler();
        /* init's GLIBC_TUNABLES is for us and our re-execution (prepared above), not for helpers */
        if (streq_ptr(getenv("GLIBC_TUNABLES"), MANAGER_GLIBC_TUNABLES))
                (void) unsetenv("GLIBC_TUNABLES");

        /* Crash recovery: a manager that is not the first one since boot (or that re-executed
         * itself) takes the state of its predecessor from the store and init's fd store. */
        runtime_dir = getenv("SYSMASTER_RUNTIME_DIR") ?: "/run";
        if (m->init_link) {
                r = init_link_wait_store(m->init_link, 10 * USEC_PER_SEC);
                if (r < 0)
                        log_warning_errno(r, "sysmaster-init did not hand over its fd store: %m");
        }
        m->recovering = reexec_was_reexecuted() || (m->init_link && init_link_get_generation(m->init_link) > 1);
        /* the first manager checks the PIDs it watches itself: as of init's count now */
        if (!m->recovering && init_link_dropped_records(m->init_link) != UINT64_MAX)
                m->init_dropped_checked = init_link_dropped_records(m->init_link);
        m->runtime_dir = strdup(runtime_dir);
        if (!m->runtime_dir)
                return log_oom();
        fault_inject_setup(runtime_dir);
        crash_guard_setup(runtime_dir);
        r = manager_store_open(m);
        if (r < 0)
                log_warning_errno(r, "Running without a state store: a crash will lose state.");
        if (m->recovering)
                log_notice("Recovering the state of the manager before me (%s).",
                           reexec_was_reexecuted() ? "re-executed" : "it ended");

        r = manager_setup_runtime(m, e, runtime_dir);
        if (r < 0)
                return r;
        /* ready by the time the first job runs; after a restart, clients that waited come first
         * (a job needing it before then starts it itself) */
        if (m->recovering)
                schedule_spawn_server(e);
        else
                exec_spawn_server_prepare();
        r = manager_bus_setup(m, -1);
        if (r < 0)
                return r;
        for (int sig = 1; sig < _NSIG; sig++) {
                if (sig == SIGCHLD || sigismember(&mask, sig) <= 0)
                        continue;
                r = event_add_signal(e, NULL, sig, on_signal, m);
                if (r < 0)
                        return log_error_errno(r, "Failed to watch signal %s: %m", signal_to_string(sig));
        }
        r = event_add_post(e, &post_source, on_post, m);
        if (r < 0)
                return log_error_errno(r, "Failed to add the startup watch: %m");

        if (m->recovering) {
                /* what ended meanwhile, then the interrupted jobs */
                manager_store_resume(m);
                manager_drop_recovered_fds(m);
                if (m->startup_finished)
                        (void) event_source_set_enabled(post_source, EVENT_OFF);
                log_info("Recovered %zu units and %zu jobs.", ordered_set_size(m->all_units), hashmap_size(m->jobs));
                manager_schedule_heap_settle(m, USEC_PER_SEC);
        } else {
                /* the system's loopback device is up before the first service, as with systemd */
                if (m->init_link && (r = loopback_setup()) < 0)
                        log_warning_errno(r, "Failed to set up the loopback device, ignoring: %m");
                r = startup(m, &args);
                if (r < 0)
                        return r;
                manager_drop_recovered_fds(m);
        }

        for (;;) {
                while (m->objective == MANAGER_OK) {
                        r = event_run(e, USEC_INFINITY);
                        if (r < 0)
                                return log_error_errno(r, "Event loop failed: %m");
                }
                if (m->objective == MANAGER_RELOAD) {
                        m->objective = MANAGER_OK;
                        r = manager_reload(m);
                        if (r < 0)
                                log_error_errno(r, "Failed to reload: %m");
                        continue;
                }
                if (m->objective == MANAGER_REEXECUTE) {
                        /* The new image takes everything from the store (reexec.h). */
                        m->objective = MANAGER_OK;
                        (void) manager_store_flush(m);
                        if (m->store)
                                (void) reexec_now();
                        else
                                log_error("No state store: cannot re-execute without losing state.");
                        continue;
                }
                break;
        }

        if (m->objective == MANAGER_EXIT)
                exit_status = m->return_value;
        log_info("%s requested.", manager_objective_to_string(m->objective));
        if (m->init_link) {
                /* init sends SIGTERM, then SIGKILL, to what is left and ends the system. */
                r = init_link_shutdown(m->init_link, objective_to_init_action(m->objective), exit_status);
                if (r >= 0)
                        return exit_status;
                log_error_errno(r, "Failed to ask sysmaster-init to end the system: %m");
        }
        finalize(m);
        return exit_status;
}

int main(int argc, char *argv[]) {
        int r;

        heap_thp_align_start();
        r = run(argc, argv);
        return r < 0 ? EXIT_FAILURE : r;
}
