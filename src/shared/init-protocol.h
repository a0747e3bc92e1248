/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * init-protocol.h: the messages between sysmaster-init (PID 1, src/init) and the manager
 * (src/core) over the SOCK_SEQPACKET socketpair init creates for each manager it starts. The
 * manager finds its end in the fd named by $SYSMASTER_INIT_FD. Header only, libc only: init
 * links nothing of ours.
 *
 * Every datagram is one message: an InitMessageHeader, then `size` bytes of payload, with fds
 * (SCM_RIGHTS) where the type says so. Both sides use host byte order (same machine). Unknown
 * types are answered with INIT_MSG_ERROR (EOPNOTSUPP) and otherwise ignored, so either side may
 * be newer than the other across a re-exec.
 *
 * Life of a manager:
 *   1. init creates the socketpair, forks, execs the manager with $SYSMASTER_INIT_FD and
 *      $SYSMASTER_INIT_GENERATION (1 for the first manager since boot, +1 per restart).
 *   2. The manager sends HELLO; init answers HELLO with its own version, then pushes the fd
 *      store (FDSTORE_ENTRY messages, then FDSTORE_END) and every exit record it holds.
 *   3. From then on init pushes an EXIT_RECORD for every process it reaps other than the
 *      manager (services that were re-parented to PID 1 when a previous manager died). The
 *      manager acknowledges records with EXIT_ACK; init keeps unacknowledged ones (a bounded
 *      ring, oldest dropped first with a log line) and sends them again to the next manager.
 *   4. The manager sends HEARTBEAT at least every heartbeat interval; init restarts a manager
 *      that missed INIT_HEARTBEAT_MISSED_MAX intervals (SIGKILL, then the normal restart).
 *   5. The manager may put fds into init's store (FDSTORE_PUT with a name; a name again
 *      replaces) and take them out (FDSTORE_REMOVE); a new manager gets them back in step 2.
 *   6. For shutdown the manager sends SHUTDOWN; init syncs and reboots/powers off/halts, or,
 *      as PID 1 of a PID namespace, exits with the given status.
 *   7. init re-executes itself on SIGTERM (as systemd's PID 1 does for daemon-reexec), keeping
 *      the manager, its socketpair, the fd store and the exit records (passed across exec).
 *   8. SIGINT to init (ctrl-alt-del) is forwarded to the manager as a SIGNAL message, and so
 *      are the other signals systemd's PID 1 reacts to (SIGHUP, SIGUSR1, SIGUSR2, SIGWINCH,
 *      SIGPWR, SIGRTMIN+0…+INIT_SIGRTMIN_LAST): clients send them to PID 1. SIGTERM is init's own (step 7).
 *      SIGRTMIN is glibc's (INIT_SIGRTMIN, 34), the number systemctl and kill(1) send,
 *      whatever C library the receiver was built with (musl's SIGRTMIN is 35).
 *
 * Details both sides rely on:
 *   - init sends nothing before the manager's HELLO. A HELLO on a channel that already said
 *     HELLO (the manager re-executed itself in place, same PID and fd) is answered again and
 *     restarts step 2: the whole store and every unacknowledged record are pushed again.
 *     Records carry serials, so the manager drops the ones it has seen. The manager puts fds
 *     only after FDSTORE_END (an entry put while init pushes the store may come back to it).
 *   - Liveness: the heartbeat clock starts when init forks the manager; HELLO and HEARTBEAT
 *     reset it. heartbeat_usec 0 (SYSMASTER_HEARTBEAT_USEC=0) disables the check.
 *   - Forwarded signals that arrive while no manager said HELLO are kept (coalesced, as the
 *     kernel does) and sent after the next HELLO.
 *   - A payload may be longer than the struct the receiver knows (a newer peer appended
 *     fields); the receiver reads its prefix. A shorter one is refused with EBADMSG.
 *   - Errors init reports: EBADMSG (malformed), EOPNOTSUPP (unknown type or wrong direction),
 *     EINVAL (bad name, bad action, a PUT without fds, a REMOVE with fds), ENOSPC (store full:
 *     INIT_FDSTORE_ENTRIES_MAX entries or INIT_FDSTORE_FDS_MAX fds), ENOENT (FDSTORE_REMOVE of
 *     an unknown name), EMFILE (fds lost in transit, MSG_CTRUNC: more than
 *     INIT_FDS_PER_MESSAGE_MAX, or init's fd limit). The fds of a refused message are closed.
 *     An ERROR answering FDSTORE_PUT or FDSTORE_REMOVE carries the entry's name after the
 *     InitErrorPayload (NUL-terminated), so the manager knows which one failed. Success is
 *     not acknowledged.
 *   - SHUTDOWN is not answered: init stops restarting managers, sends SIGTERM (then SIGKILL)
 *     to every remaining process, the manager included, syncs and reboots (or exits). Records
 *     of processes reaped then are dropped. As the host's PID 1 INIT_SHUTDOWN_EXIT cannot
 *     exit (the kernel would panic): init logs that and halts.
 */

#include <stdint.h>

#define INIT_PROTOCOL_MAGIC UINT32_C(0x53594d31) /* "SYM1" */
#define INIT_PROTOCOL_VERSION 1U
#define INIT_SIGRTMIN 34      /* SIGRTMIN as glibc and systemd number it (see 8. above) */
#define INIT_SIGRTMIN_LAST 29 /* SIGRTMIN+0…+29 are forwarded (systemd acts on +0…+29) */
#define INIT_FD_ENV "SYSMASTER_INIT_FD"
#define INIT_GENERATION_ENV "SYSMASTER_INIT_GENERATION"
#define INIT_CORE_ENV "SYSMASTER_CORE"                /* manager binary override (tests) */
/* GLIBC_TUNABLES init gives the manager when it has none (the heap on transparent huge pages);
 * the manager keeps it for its own re-execution and takes it out of its helpers' environment. */
#define MANAGER_GLIBC_TUNABLES "glibc.malloc.hugetlb=1"
#define INIT_HEARTBEAT_ENV "SYSMASTER_HEARTBEAT_USEC" /* heartbeat interval override */
#define INIT_HEARTBEAT_DEFAULT_USEC UINT64_C(5000000)
#define INIT_HEARTBEAT_MISSED_MAX 3U
#define INIT_MESSAGE_MAX 4096U            /* header + payload */
#define INIT_FDSTORE_NAME_MAX 255U
#define INIT_FDS_PER_MESSAGE_MAX 16U
#define INIT_FDSTORE_ENTRIES_MAX 128U     /* names in init's fd store */
#define INIT_FDSTORE_FDS_MAX 512U         /* fds in init's fd store, all entries together */
#define INIT_EXIT_RECORDS_MAX 4096U       /* init's ring of unacknowledged records */

typedef enum InitMessageType {
        INIT_MSG_ERROR = 0,          /* payload: InitErrorPayload [+ name, see above] */
        INIT_MSG_HELLO = 1,          /* both ways; payload: InitHelloPayload */
        INIT_MSG_HEARTBEAT = 2,      /* manager → init; no payload */
        INIT_MSG_EXIT_RECORD = 3,    /* init → manager; payload: InitExitRecord */
        INIT_MSG_EXIT_ACK = 4,       /* manager → init; payload: uint64_t serial (all up to it) */
        INIT_MSG_FDSTORE_PUT = 5,    /* manager → init; payload: name (NUL-terminated); 1+ fds */
        INIT_MSG_FDSTORE_REMOVE = 6, /* manager → init; payload: name */
        INIT_MSG_FDSTORE_ENTRY = 7,  /* init → manager; payload: name; its fds */
        INIT_MSG_FDSTORE_END = 8,    /* init → manager; payload: InitStoreEndPayload */
        INIT_MSG_SHUTDOWN = 9,       /* manager → init; payload: InitShutdownPayload */
        INIT_MSG_SIGNAL = 10,        /* init → manager; payload: int32_t signal number */
} InitMessageType;

typedef struct InitMessageHeader {
        uint32_t magic;
        uint16_t type;
        uint16_t flags; /* 0 */
        uint32_t size;  /* payload bytes following */
        uint32_t reserved;
} InitMessageHeader;

typedef struct InitErrorPayload {
        uint16_t type; /* the message type it answers */
        uint16_t pad;
        int32_t error; /* positive errno */
} InitErrorPayload;

typedef struct InitHelloPayload {
        uint32_t version;
        uint32_t generation; /* init → manager: which manager this is since boot */
        uint64_t heartbeat_usec; /* init → manager: the interval init expects */
} InitHelloPayload;

typedef struct InitExitRecord {
        uint64_t serial;         /* increasing, never reused since boot */
        int32_t pid;
        int32_t code;            /* siginfo si_code: CLD_EXITED, CLD_KILLED, CLD_DUMPED */
        int32_t status;          /* si_status: exit status or signal */
        uint32_t pad;
        uint64_t realtime_usec;  /* CLOCK_REALTIME when init reaped it */
        uint64_t monotonic_usec; /* CLOCK_MONOTONIC when init reaped it */
} InitExitRecord;

/* FDSTORE_END: the store was sent. The records init held at that moment come next, up to
 * newest_serial; dropped_records lets a manager see that records it may need were lost (it then
 * checks every PID it took over against /proc instead of trusting the store). An older init
 * sent no payload: the manager treats that as "records may have been lost". */
typedef struct InitStoreEndPayload {
        uint64_t newest_serial;   /* of the newest record in init's ring, 0: none */
        uint64_t dropped_records; /* records dropped from a full ring since boot */
} InitStoreEndPayload;

typedef enum InitShutdownAction {
        INIT_SHUTDOWN_REBOOT = 0,
        INIT_SHUTDOWN_POWEROFF = 1,
        INIT_SHUTDOWN_HALT = 2,
        INIT_SHUTDOWN_KEXEC = 3,
        INIT_SHUTDOWN_EXIT = 4, /* containers: exit with exit_status */
} InitShutdownAction;

typedef struct InitShutdownPayload {
        uint32_t action;      /* InitShutdownAction */
        int32_t exit_status;  /* for EXIT, and used as PID 1's exit status in a PID namespace */
} InitShutdownPayload;
