/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * udev-manager.h: the main process of the devmaster daemon (what systemd-udevd 252's manager
 * is): it receives uevents (NETLINK_KOBJECT_UEVENT group 1, or a test source), queues them
 * (udev-queue.h, /run/udev/queue while anything is queued), hands them to worker processes
 * (udev-worker.h, at most children_max, reused, killed 3 s after the queue went idle, killed
 * with timeout_signal at the event timeout; a busy worker may be sent the next event that may
 * start, taken back unstarted if it turns out slow), answers the control socket (udev-ctrl.h), turns
 * IN_CLOSE_WRITE on watched nodes into "change" uevents, reloads changed rules and builtin
 * configuration (hwdb.bin, .link files; checked at most every 3 s when events arrive, on SIGHUP
 * and on RELOAD), applies OPTIONS+="static_node=" at start,
 * and tells the service manager READY=1 / RELOADING=1 / STOPPING=1 through $NOTIFY_SOCKET.
 *
 * The loop: every source dispatch is followed by the post handler, which starts whatever
 * queued events are not blocked while idle workers or room for new ones exist, removes
 * /run/udev/queue once the queue is empty, and ends the loop after EXIT/SIGTERM once the last
 * worker is gone. The control socket runs at idle priority, so uevents already pending are
 * queued before a PING is answered (udevadm settle relies on that).
 */

#include <stdbool.h>

#include "time-base.h"
#include "udev-rules.h"

typedef struct UdevManagerConfig {
        unsigned children_max; /* 0: the default, min(2·CPUs + 16, max(RAM / 128 MiB, 10), 2048) */
        usec_t exec_delay_usec;
        usec_t event_timeout_usec; /* 180 s by default; a warning is logged at a third */
        int timeout_signal; /* SIGKILL by default */
        UdevRulesResolveNameTiming resolve_name_timing;
        bool blockdev_read_only;
        /* Tests only ($DEVMASTER_TEST_UEVENT_SOCKET): a datagram socket taking kernel-format
         * uevents instead of the kernel's netlink group; NULL in production. */
        const char *test_uevent_socket;
        /* Tests only ($DEVMASTER_TEST_TRIGGER): emulate the kernel's echo of writes to the
         * uevent files of a synthetic sysfs (udevadm trigger), see udev-test-source.h. */
        bool test_trigger;
} UdevManagerConfig;

/* min(2·CPUs + 16, max(RAM / 128 MiB, 10), 2048), as udevd 252. */
unsigned udev_manager_default_children_max(void);

typedef struct UdevManager UdevManager;

/* Sets up the sockets (ctrl_fd/uevent_fd from socket activation, or < 0 to create them) so
 * that clients can connect as soon as this returns (before --daemon forks). 0 or a negative
 * errno (logged). */
int udev_manager_new(const UdevManagerConfig *config, int ctrl_fd, int uevent_fd, UdevManager **ret);
/* Loads the rules, applies static node permissions, notifies READY=1 and runs the loop until
 * EXIT or SIGTERM/SIGINT. Returns 0 or a negative errno. */
int udev_manager_run(UdevManager *m);
UdevManager *udev_manager_free(UdevManager *m);
DEFINE_TRIVIAL_CLEANUP_FUNC(UdevManager *, udev_manager_free);
