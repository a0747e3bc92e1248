/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * udev-worker.h: what a worker process does (spec udev.md §2.2, §2.4). The manager forks a
 * worker with the rules already loaded and talks to it over a SOCK_SEQPACKET socketpair: it
 * sends a device as its NUL-separated properties (the payload of a libudev message), the
 * worker processes it and answers with one int, the result. Workers are reused: after the
 * answer a worker takes the next device, until the manager sends SIGTERM (handled between
 * events) or goes away (its end of the socketpair hangs up).
 *
 * Pipelining: the manager may send a worker its next device while the worker is still busy, so
 * that the worker goes on to it without waiting for the manager to run. Until the worker has
 * started that device the manager may take it back (UdevWorkerShared below); the worker drops a
 * device taken back without processing or answering it. Devices are processed and answered in
 * the order they were sent, one at a time.
 *
 * Processing one device: take a shared flock on the whole disk of a block device (busy:
 * UDEV_WORKER_TRY_AGAIN, the manager retries), end the old inotify watch, run the rules, node,
 * links and database (udev_event_execute_rules()), broadcast the result on netlink group 2,
 * run RUN, and start the watch if the rules asked for one.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "device.h"
#include "hashmap.h"
#include "time-base.h"
#include "udev-rules.h"

/* The result that asks the manager to requeue the event (the block device is locked). */
#define UDEV_WORKER_TRY_AGAIN 1

/* NETLINK_KOBJECT_UEVENT groups: the kernel's and udev's. */
#define UDEV_MONITOR_GROUP_KERNEL 1U
#define UDEV_MONITOR_GROUP_UDEV 2U

/* The page a worker shares with the manager (MAP_SHARED, created before the fork); accessed
 * with atomics only. */
typedef struct UdevWorkerShared {
        pid_t program_pid; /* written by the worker: the program it waits for (UdevEvent), or 0 */
        /* The hand-over of pipelined devices. The devices sent to a worker are numbered 0, 1, 2…
         * in sending order (mod 2^32). Low 32 bits: how many the worker has started; high 32
         * bits: every device numbered below this that is not started is taken back. Changed
         * only by compare-and-swap, so a device is either started by the worker or taken back
         * by the manager, never both, never neither. */
        uint64_t handover;
} UdevWorkerShared;

/* Worker side: whether the worker may start device number index, the next in sending order;
 * true records it as started, false means the manager took it back (drop it, no answer). */
bool udev_worker_shared_claim(UdevWorkerShared *s, uint32_t index);
/* Manager side: takes back every device numbered below n_sent that the worker has not started.
 * Returns how many devices the worker has started: those numbered below it are (or were)
 * processed, the others up to n_sent never will be. */
uint32_t udev_worker_shared_take_back(UdevWorkerShared *s, uint32_t n_sent);

typedef struct UdevWorkerConfig {
        UdevRules *rules; /* borrowed */
        Hashmap *properties; /* udevadm control --property, borrowed, may be NULL */
        usec_t event_timeout_usec; /* for PROGRAM/RUN, counted from the event's start */
        usec_t exec_delay_usec;
        int timeout_signal;
        int log_level; /* restored after each event (OPTIONS+="log_level=" changes it) */
        int inotify_fd;
        int broadcast_fd; /* netlink socket the results are broadcast on; -1: none */
        UdevWorkerShared *shared; /* shared with the manager; NULL: nothing shared */
        bool blockdev_read_only;
} UdevWorkerConfig;

/* Processes one device: 0, UDEV_WORKER_TRY_AGAIN, or a negative errno (the device was
 * broadcast with the failure properties then). Broadcasts on success too. */
int udev_worker_process_device(const UdevWorkerConfig *c, Device *dev);

/* The worker's loop on fd, starting with first (may be NULL; the reference is taken over;
 * it is device number 0 of the hand-over, see UdevWorkerShared). Returns when told to stop;
 * the caller then _exit()s. */
int udev_worker_main(const UdevWorkerConfig *c, int fd, Device *first);

/* Manager side: sends dev's properties on fd (a SOCK_SEQPACKET socket). 0 or -errno. */
int udev_worker_send_device(int fd, Device *dev);
/* Worker side: receives one device; 0 and a new sealed device, -EAGAIN/-EINTR, -ECONNRESET
 * at hang-up, -EBADMSG for garbage. */
int udev_worker_receive_device(int fd, Device **ret);

/* Adds udevd's failure properties for result (UDEV_WORKER_FAILED=1 and UDEV_WORKER_ERRNO,
 * _ERRNO_NAME for a negative errno). */
void udev_worker_add_failure_errno(Device *dev, int error);
/* The same for a worker that exited with status (UDEV_WORKER_EXIT_STATUS) or was killed by a
 * signal (UDEV_WORKER_SIGNAL, _SIGNAL_NAME). */
void udev_worker_add_failure_exit(Device *dev, bool killed, int status);

/* The whole disk a block device event locks, as udevd picks it: none for removals, for dm-,
 * md and drbd devices (their own tools lock them), and for devices without a node. 1 and
 * *ret_devname (owned by the device or its parent) when there is one, 0 otherwise. */
int udev_worker_get_whole_disk(Device *dev, const char **ret_devname);

/* Sends dev as a libudev message to netlink group 2 on fd. No listener is not an error. */
int udev_worker_broadcast(int fd, Device *dev);
