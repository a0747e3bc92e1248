/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * init.h: sysmaster-init (PID 1): init.c (main loop, signals, the manager's life, crash loop,
 * re-exec), init-channel.c (the protocol of src/shared/init-protocol.h), init-system.c (logging,
 * mounts, cgroups, kill, shutdown). All init must not lose is in one static InitState (no heap):
 * the manager, the exit records not yet acknowledged and the fd store. Re-exec copies it
 * verbatim; its fds stay open across execve(). The first three fields keep their layout in every
 * version (init.c reads them from any older state). Its 200 kB cost memory only where used:
 * nothing clears or scans all of it (RSS under 1 MiB).
 */

#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <syslog.h>
#include <time.h>

#include "init-protocol.h"

#define INIT_STATE_MAGIC UINT32_C(0x53594931) /* "SYI1" */
#define INIT_STATE_ENV "SYSMASTER_INIT_STATE_FD"
#define INIT_RESTART_BURST 5U /* default: a death after this many starts in a window: loop */
#define INIT_RESTART_INTERVAL_USEC UINT64_C(10000000) /* the window; up this long: no loop */
#define INIT_CRASH_LIMIT 5U /* default: back-offs in a row, then the crash action */
#define INIT_BACKOFF_MIN_USEC UINT64_C(1000000)
#define INIT_BACKOFF_MAX_USEC UINT64_C(60000000)
#define INIT_KILL_TIMEOUT_USEC UINT64_C(5000000) /* per shutdown kill round */
#define ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

typedef struct InitFdEntry {
        uint32_t n_fds; /* 0: free slot */
        int fds[INIT_FDS_PER_MESSAGE_MAX];
        char name[INIT_FDSTORE_NAME_MAX + 1];
} InitFdEntry;

typedef struct InitState {
        uint32_t magic; /* these three first, in this layout, in every version */
        uint32_t size;
        int32_t manager_pid; /* 0: no manager process */
        int32_t manager_fd; /* init's end of the channel, -1: none */
        uint32_t generation; /* of the last manager started */
        bool hello; /* the manager said HELLO: init may push */
        bool reply_hello; /* the HELLO answer is due */
        bool want_write; /* a send met EAGAIN: wait for POLLOUT */
        bool killed; /* init SIGKILLed this manager (heartbeat) */
        bool shutdown; /* the manager asked for shutdown_request */
        InitShutdownPayload shutdown_request;
        uint32_t store_cursor; /* next store slot to push; ENTRIES_MAX: END; beyond: done */
        uint32_t store_used; /* slots below this were used: only they are read (memory) */
        uint64_t sent_serial; /* records up to this serial were sent to this manager */
        uint64_t next_serial; /* serial of the next record (the first is 1) */
        uint32_t ring_head; /* index of the oldest record */
        uint32_t ring_count;
        uint64_t dropped_records; /* records dropped from a full ring since boot */
        uint64_t pending_signals; /* bit n-1: signal n waits to be forwarded */
        uint64_t heartbeat_usec; /* 0: no heartbeat check */
        uint64_t alive_usec; /* CLOCK_MONOTONIC of the manager's last sign of life */
        uint64_t start_usec; /* CLOCK_MONOTONIC of the last start (manager or rescue shell) */
        uint64_t window_usec; /* of the first start in the current window */
        uint32_t window_starts; /* starts since window_usec */
        uint32_t backoffs; /* consecutive crash-loop back-offs */
        uint64_t restart_usec; /* start a manager at this time; 0: not due (or frozen) */
        int32_t shell_pid; /* the rescue shell of the crash action "shell", 0: none */
        InitExitRecord ring[INIT_EXIT_RECORDS_MAX];
        InitFdEntry store[INIT_FDSTORE_ENTRIES_MAX];
} InitState;

/* init-channel.c. Sends never block: a full socket leaves the rest for the next POLLOUT.
 * init_channel_record() keeps a process's exit until acknowledged; a full ring drops its oldest
 * record (logged). */
void init_channel_record(InitState *s, const siginfo_t *si);
/* Handles queued messages: 0 none left, 1 a full batch (call again), -errno: closed or broken. */
int init_channel_receive(InitState *s);
void init_channel_flush(InitState *s); /* sends the HELLO answer, fd store, records, signals due */
void init_channel_close(InitState *s); /* the manager is gone or stopped talking */
void init_channel_cloexec(InitState *s, bool on); /* FD_CLOEXEC of the channel, stored fds */

/* init-system.c. Fixed buffers only: no opendir(), no stdio streams (they allocate). */
void init_log_open(bool kmsg); /* logs to /dev/kmsg from now on if kmsg (and it opens) */
/* One line "sysmaster-init: ..." at a syslog level; %m works; errno is kept. */
void init_log(int level, const char *format, ...) __attribute__((format(printf, 2, 3)));
uint64_t init_now(clockid_t clock); /* in microseconds */
/* ppoll() until the CLOCK_MONOTONIC deadline (UINT64_MAX: none); returns what ppoll() does. */
int init_poll(struct pollfd *p, nfds_t n, uint64_t deadline);
void init_mount_api(void); /* mounts the API file systems where missing, creates /run dirs */
bool init_in_container(void); /* false: the host's first PID namespace (PID 2: kthreadd) */
/* Kills all others (SIGTERM, SIGKILL; sigfd: SIGCHLD), syncs, reboot(2) (host_init) or exit(). */
_Noreturn void init_shutdown(int sigfd, const InitShutdownPayload *how, bool host_init);
_Noreturn void init_freeze(const char *what); /* logs "what: %m", then PID 1 just waits */
