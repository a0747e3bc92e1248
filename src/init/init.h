/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * init.h: sysmaster-init (PID 1), one header for its three files (src/init stays under 1000
 * lines): init.c (main loop, signals, the manager's life, re-exec), init-channel.c (the
 * protocol of src/shared/init-protocol.h), init-system.c (logging, mounts, kill, shutdown).
 *
 * Everything init must not lose lives in one static InitState (no heap): the manager (PID,
 * channel, generation, heartbeat, restart history), the ring of exit records not yet
 * acknowledged and the fd store. Its fds are numbers valid in this process: re-exec copies the
 * struct verbatim into a memfd and keeps those fds open across execve(). The first three
 * fields keep their layout in every version (init.c reads them from any older state). Its
 * 200 kB cost memory only where used: nothing clears or scans all of it (RSS under 1 MiB).
 */

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <syslog.h>
#include <time.h>

#include "init-protocol.h"

#define INIT_STATE_MAGIC UINT32_C(0x53594931) /* "SYI1" */
#define INIT_STATE_ENV "SYSMASTER_INIT_STATE_FD"
#define INIT_RESTART_BURST 5U /* this many starts within the interval, then a death: crash loop */
#define INIT_RESTART_INTERVAL_USEC UINT64_C(10000000)
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
        uint64_t pending_signals; /* bit n-1: signal n waits to be forwarded */
        uint64_t heartbeat_usec; /* 0: no heartbeat check */
        uint64_t alive_usec; /* CLOCK_MONOTONIC of the manager's last sign of life */
        uint64_t starts[INIT_RESTART_BURST]; /* CLOCK_MONOTONIC of the last starts, oldest first */
        uint64_t restart_usec; /* start a manager at this time; 0: not due */
        uint64_t backoff_usec; /* crash-loop delay, 0 while not looping */
        InitExitRecord ring[INIT_EXIT_RECORDS_MAX];
        InitFdEntry store[INIT_FDSTORE_ENTRIES_MAX];
} InitState;

/* init-channel.c. Sends never block: a full socket leaves the rest for the next POLLOUT. */
/* Keeps the exit of a reaped process (not the manager) in the ring until acknowledged; the
 * oldest record is dropped, with a log line, when the ring is full. */
void init_channel_record(InitState *s, const siginfo_t *si);
/* Handles queued messages. Returns 0 when none is left, 1 when it stopped after a batch (call
 * again), -EPIPE or another -errno when the channel is closed or broken. */
int init_channel_receive(InitState *s);
/* Sends what is due: the HELLO answer, the fd store, records, forwarded signals. */
void init_channel_flush(InitState *s);
/* Closes init's end of the channel (the manager is gone or stopped talking). */
void init_channel_close(InitState *s);
/* Sets (on) or clears FD_CLOEXEC on the channel and every stored fd, for re-exec. */
void init_channel_cloexec(InitState *s, bool on);

/* init-system.c. Fixed buffers only: no opendir(), no stdio streams (they allocate). */
/* Logs to /dev/kmsg from now on if kmsg is true (and it opens), else stays on stderr. */
void init_log_open(bool kmsg);
/* One line "sysmaster-init: ..." at a syslog level; %m works; errno is kept. */
void init_log(int level, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* The clock's time in microseconds. */
uint64_t init_now(clockid_t clock);
/* Mounts /proc, /sys, /dev, /run and cgroup2 where nothing is mounted yet (a container keeps
 * what it has), creates /run/systemd/system and /run/sysmaster. Failures are only logged. */
void init_mount_api(void);
/* True unless this is the host's first PID namespace (where PID 2 is the kernel's kthreadd). */
bool init_in_container(void);
/* Kills everything else (SIGTERM, SIGKILL after INIT_KILL_TIMEOUT_USEC), syncs, then
 * reboot(2) with action's command (host_init) or exit(status). sigfd reports SIGCHLD. */
_Noreturn void init_shutdown(int sigfd, uint32_t action, int status, bool host_init);
