/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * udev-worker.h: what a worker process does (spec udev.md §2.2, §2.4). The manager forks a
 * worker with the rules already loaded and talks to it over a SOCK_SEQPACKET socketpair: it
 * sends a device as its NUL-separated properties (the payload of a libudev message), the
 * worker processes it and answers with one int, the result. Workers are reused: after the
 * answer a worker waits for the next device, until the manager sends SIGTERM (handled between
 * events) or goes away (its end of the socketpair hangs up).
 *
 * Processing one device: take a shared flock on the whole disk of a block device (busy:
 * UDEV_WORKER_TRY_AGAIN, the manager retries), end the old inotify watch, run the rules, node,
 * links and database (udev_event_execute_rules()), broadcast the result on netlink group 2,
 * run RUN, and start the watch if the rules asked for one.
 */

#include <stdbool.h>

#include "device.h"
#include "hashmap.h"
#include "time-base.h"
#include "udev-rules.h"

/* The result that asks the manager to requeue the event (the block device is locked). */
#define UDEV_WORKER_TRY_AGAIN 1

/* NETLINK_KOBJECT_UEVENT groups: the kernel's and udev's. */
#define UDEV_MONITOR_GROUP_KERNEL 1U
#define UDEV_MONITOR_GROUP_UDEV 2U

typedef struct UdevWorkerConfig {
        UdevRules *rules; /* borrowed */
        Hashmap *properties; /* udevadm control --property, borrowed, may be NULL */
        usec_t event_timeout_usec; /* for PROGRAM/RUN, counted from the event's start */
        usec_t exec_delay_usec;
        int timeout_signal;
        int log_level; /* restored after each event (OPTIONS+="log_level=" changes it) */
        int inotify_fd;
        int broadcast_fd; /* netlink socket the results are broadcast on; -1: none */
        pid_t *program_pid; /* shared with the manager: the program running now (UdevEvent) */
        bool blockdev_read_only;
} UdevWorkerConfig;

/* Processes one device: 0, UDEV_WORKER_TRY_AGAIN, or a negative errno (the device was
 * broadcast with the failure properties then). Broadcasts on success too. */
int udev_worker_process_device(const UdevWorkerConfig *c, Device *dev);

/* The worker's loop on fd, starting with first (may be NULL; the reference is taken over).
 * Returns when told to stop; the caller then _exit()s. */
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
