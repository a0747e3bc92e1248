/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev-worker.c: the worker processes' side of event processing (udev-worker.h).
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <linux/netlink.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fd-util.h"
#include "libudev-message.h"
#include "log.h"
#include "signal-util.h"
#include "string-util.h"
#include "udev-event.h"
#include "udev-netif.h"
#include "udev-rules-exec.h"
#include "udev-watch.h"
#include "udev-worker.h"

/* The largest device the manager hands over: a kernel uevent is at most a few KiB, the
 * manager adds a few properties. Received in one recv() into a buffer of that size (only the
 * pages a message touches become resident). */
#define WORKER_MESSAGE_MAX (256U * 1024U)

static bool errno_is_device_absent(int r) {
        return IN_SET(abs(r), ENODEV, ENXIO, ENOENT);
}

int udev_worker_get_whole_disk(Device *dev, const char **ret_devname) {
        const char *subsystem, *sysname, *devtype;
        Device *disk = dev;
        int r;

        if (device_for_action(dev, DEVICE_ACTION_REMOVE))
                return 0;
        if (device_get_subsystem(dev, &subsystem) < 0 || !streq(subsystem, "block"))
                return 0;
        r = device_get_sysname(dev, &sysname);
        if (r < 0)
                return r;
        if (startswith(sysname, "dm-") || startswith(sysname, "md") || startswith(sysname, "drbd"))
                return 0;
        if (device_get_devtype(dev, &devtype) >= 0 && streq(devtype, "partition")) {
                r = device_get_parent(dev, &disk);
                if (r == -ENOENT)
                        return 0;
                if (r < 0)
                        return r;
        }
        r = device_get_devname(disk, ret_devname);
        if (r == -ENOENT)
                return 0;
        return r < 0 ? r : 1;
}

/* A shared, non-blocking flock() on the whole disk, so that a tool holding it exclusively
 * (mkfs, partitioning) is not disturbed: -EAGAIN while someone holds it. */
static int lock_whole_disk(Device *dev, int *ret_fd) {
        _cleanup_close_ int fd = -EBADF;
        const char *devname;
        int r;

        *ret_fd = -EBADF;
        r = udev_worker_get_whole_disk(dev, &devname);
        if (r <= 0)
                return r;
        fd = open(devname, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
        if (fd < 0) {
                r = -errno;
                log_device_debug_errno(dev, r, "Failed to open '%s'%s: %m", devname,
                                       errno_is_device_absent(r) ? ", ignoring" : "");
                return errno_is_device_absent(r) ? 0 : r;
        }
        if (flock(fd, LOCK_SH | LOCK_NB) < 0)
                return log_device_debug_errno(dev, -errno, "Failed to flock(%s): %m", devname);
        *ret_fd = TAKE_FD(fd);
        return 1;
}

/* udev.blockdev_read_only: whole disks are set read-only (BLKROSET) when they appear. */
static void mark_read_only(Device *dev) {
        _cleanup_close_ int fd = -EBADF;
        const char *subsystem, *sysname, *devtype, *devname;
        int state = 1;

        if (!device_for_action(dev, DEVICE_ACTION_ADD))
                return;
        if (device_get_subsystem(dev, &subsystem) < 0 || !streq(subsystem, "block"))
                return;
        if (device_get_sysname(dev, &sysname) < 0)
                return;
        if (startswith(sysname, "dm-") || startswith(sysname, "md") || startswith(sysname, "drbd") ||
            startswith(sysname, "loop") || startswith(sysname, "nbd") || startswith(sysname, "zram"))
                return;
        if (device_get_devtype(dev, &devtype) >= 0 && streq(devtype, "partition"))
                return;
        if (device_get_devname(dev, &devname) < 0)
                return;
        fd = open(devname, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
        if (fd < 0) {
                log_device_warning_errno(dev, -errno, "Failed to open '%s', ignoring: %m", devname);
                return;
        }
        if (ioctl(fd, BLKROSET, &state) < 0)
                log_device_warning_errno(dev, -errno, "Failed to mark block device '%s' read-only: %m",
                                         devname);
        else
                log_device_info(dev, "Successfully marked block device '%s' read-only.", devname);
}

int udev_worker_process_device(const UdevWorkerConfig *c, Device *dev) {
        _cleanup_(udev_event_freep) UdevEvent *e = NULL;
        _cleanup_close_ int lock_fd = -EBADF;
        DeviceAction action = _DEVICE_ACTION_INVALID;
        uint64_t seqnum = 0;
        int r;

        (void) device_get_seqnum(dev, &seqnum);
        (void) device_get_action(dev, &action);
        log_device_debug(dev, "Processing device (SEQNUM=%" PRIu64 ", ACTION=%s)", seqnum,
                         strna(device_action_to_string(action)));

        e = udev_event_new(dev, c->event_timeout_usec, c->timeout_signal);
        if (!e)
                return -ENOMEM;
        e->global_properties = c->properties;
        e->exec_delay_usec = c->exec_delay_usec;
        e->after_rules = udev_netif_rename;
        e->program_pid = c->shared ? &c->shared->program_pid : NULL;

        r = lock_whole_disk(dev, &lock_fd);
        if (r == -EAGAIN)
                return UDEV_WORKER_TRY_AGAIN;
        if (r < 0)
                return r;
        if (c->blockdev_read_only)
                mark_read_only(dev);

        /* no watch while the event is processed: our own writes must not echo */
        (void) udev_watch_end(c->inotify_fd, dev);

        r = udev_event_execute_rules(e, c->rules);
        if (r < 0)
                return r;
        udev_event_execute_run(e);
        if (e->inotify_watch && c->inotify_fd >= 0 && !device_for_action(dev, DEVICE_ACTION_REMOVE))
                (void) udev_watch_begin(c->inotify_fd, dev);

        log_device_debug(dev, "Device processed (SEQNUM=%" PRIu64 ", ACTION=%s)", seqnum,
                         strna(device_action_to_string(action)));
        return 0;
}

void udev_worker_add_failure_errno(Device *dev, int error) {
        const char *name;

        (void) device_add_property(dev, "UDEV_WORKER_FAILED", "1");
        (void) device_add_propertyf(dev, "UDEV_WORKER_ERRNO", "%i", abs(error));
        name = strerrorname_np(abs(error));
        if (name)
                (void) device_add_property(dev, "UDEV_WORKER_ERRNO_NAME", name);
}

void udev_worker_add_failure_exit(Device *dev, bool killed, int status) {
        (void) device_add_property(dev, "UDEV_WORKER_FAILED", "1");
        if (!killed) {
                (void) device_add_propertyf(dev, "UDEV_WORKER_EXIT_STATUS", "%i", status);
                return;
        }
        (void) device_add_propertyf(dev, "UDEV_WORKER_SIGNAL", "%i", status);
        (void) device_add_property(dev, "UDEV_WORKER_SIGNAL_NAME", signal_to_string_short(status));
}

int udev_worker_broadcast(int fd, Device *dev) {
        struct sockaddr_nl sa = {
                .nl_family = AF_NETLINK,
                .nl_groups = UDEV_MONITOR_GROUP_UDEV,
        };
        LibudevMessageHeader h;
        const char *payload;
        size_t len;
        struct iovec iov[2];
        struct msghdr mh = {
                .msg_name = &sa,
                .msg_namelen = sizeof sa,
                .msg_iov = iov,
                .msg_iovlen = 2,
        };
        int r;

        if (fd < 0)
                return 0;
        r = libudev_message_build(dev, &h, &payload, &len);
        if (r < 0)
                return log_device_warning_errno(dev, r, "Failed to broadcast event to libudev listeners, ignoring: %m");
        iov[0] = (struct iovec) { .iov_base = &h, .iov_len = sizeof h };
        iov[1] = (struct iovec) { .iov_base = (void *) payload, .iov_len = len };
        if (sendmsg(fd, &mh, MSG_NOSIGNAL) < 0) {
                if (errno == ECONNREFUSED)
                        return 0; /* no listener */
                return log_device_warning_errno(dev, -errno,
                                                "Failed to broadcast event to libudev listeners, ignoring: %m");
        }
        log_device_debug(dev, "Passed %zu byte to netlink monitor", sizeof h + len);
        return 0;
}

int udev_worker_send_device(int fd, Device *dev) {
        const char *buf;
        size_t len;
        int r;

        r = device_get_properties_nulstr(dev, &buf, &len);
        if (r < 0)
                return r;
        if (len > WORKER_MESSAGE_MAX)
                return -EMSGSIZE;
        if (send(fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
                return -errno;
        return 0;
}

int udev_worker_receive_device(int fd, Device **ret) {
        static char buf[WORKER_MESSAGE_MAX];
        ssize_t n;

        /* MSG_TRUNC: the real length, so that a longer message is refused, not cut */
        n = recv(fd, buf, sizeof buf, MSG_TRUNC | MSG_DONTWAIT);
        if (n < 0)
                return IN_SET(errno, EAGAIN, EINTR) ? -EAGAIN : -errno;
        if (n == 0)
                return -ECONNRESET; /* an empty datagram, or the manager hung up */
        if ((size_t) n > sizeof buf)
                return -EBADMSG;
        return device_new_from_nulstr(ret, buf, (size_t) n) < 0 ? -EBADMSG : 0;
}

bool udev_worker_shared_claim(UdevWorkerShared *s, uint32_t index) {
        uint64_t w = __atomic_load_n(&s->handover, __ATOMIC_ACQUIRE);

        for (;;) {
                uint32_t taken_back = (uint32_t) (w >> 32);

                /* below the mark, mod 2^32 */
                if ((int32_t) (index - taken_back) < 0)
                        return false;
                if (__atomic_compare_exchange_n(&s->handover, &w, ((uint64_t) taken_back << 32) | (index + 1U),
                                                false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
                        return true;
        }
}

uint32_t udev_worker_shared_take_back(UdevWorkerShared *s, uint32_t n_sent) {
        uint64_t w = __atomic_load_n(&s->handover, __ATOMIC_ACQUIRE);

        while (!__atomic_compare_exchange_n(&s->handover, &w, ((uint64_t) n_sent << 32) | (uint32_t) w, false,
                                            __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
                ;
        return (uint32_t) w;
}

/* Whether device number index is ours to process (see UdevWorkerShared). */
static bool worker_claim(const UdevWorkerConfig *c, Device *dev, uint32_t index) {
        uint64_t seqnum = 0;

        if (!c->shared || udev_worker_shared_claim(c->shared, index))
                return true;
        (void) device_get_seqnum(dev, &seqnum);
        log_device_debug(dev, "SEQNUM=%" PRIu64 " was taken back by the main daemon, skipping.", seqnum);
        return false;
}

static void worker_handle(const UdevWorkerConfig *c, int fd, Device *dev) {
        int r = udev_worker_process_device(c, dev);

        if (r == UDEV_WORKER_TRY_AGAIN)
                log_device_debug(dev, "Block device is currently locked, requeueing the event.");
        else {
                if (r < 0) {
                        log_device_warning_errno(dev, r, "Failed to process device, ignoring: %m");
                        udev_worker_add_failure_errno(dev, r);
                }
                (void) udev_worker_broadcast(c->broadcast_fd, dev);
        }
        if (send(fd, &r, sizeof r, MSG_NOSIGNAL) < 0)
                log_device_warning_errno(dev, -errno, "Failed to send signal to main daemon, ignoring: %m");
        log_set_max_level(c->log_level);
}

/* Waits until fd is readable: 1, or 0 when told to stop (SIGTERM, hang-up), or -errno. */
static int worker_wait(int fd, int sfd) {
        for (;;) {
                struct pollfd p[2] = {
                        { .fd = fd, .events = POLLIN },
                        { .fd = sfd, .events = POLLIN },
                };

                if (poll(p, 2, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (p[1].revents)
                        return 0;
                if (p[0].revents & POLLIN)
                        return 1;
                if (p[0].revents & (POLLHUP | POLLERR))
                        return 0;
        }
}

int udev_worker_main(const UdevWorkerConfig *c, int fd, Device *first) {
        _cleanup_close_ int sfd = -EBADF;
        uint32_t index = 0; /* the number of the next device, in sending order */
        sigset_t ss;
        int r;

        /* SIGTERM ends the worker between events, never in the middle of one; SIGINT and SIGHUP
         * stay blocked as the manager had them (they are the manager's business) */
        r = sigprocmask_many(SIG_BLOCK, NULL, SIGTERM, -1);
        if (r < 0)
                return r;
        sigemptyset(&ss);
        sigaddset(&ss, SIGTERM);
        sfd = signalfd(-1, &ss, SFD_CLOEXEC | SFD_NONBLOCK);
        if (sfd < 0)
                return log_error_errno(-errno, "Failed to set SIGTERM event: %m");
        (void) prctl(PR_SET_PDEATHSIG, SIGTERM);
        /* only the manager is protected (OOMScoreAdjust=-1000 in the unit), as in udevd */
        r = write_string_file("/proc/self/oom_score_adj", "0\n");
        if (r < 0)
                log_debug_errno(r, "Failed to reset OOM score, ignoring: %m");

        if (first) {
                if (worker_claim(c, first, index++))
                        worker_handle(c, fd, first);
                device_unref(first);
        }
        for (;;) {
                _cleanup_device_unref_ Device *dev = NULL;

                /* a device sent while we were busy is there already: no poll() first. The
                 * manager sends SIGTERM only with nothing left for us to start, so it is noticed
                 * in time once the socket is empty. */
                r = udev_worker_receive_device(fd, &dev);
                if (r == -EAGAIN) {
                        r = worker_wait(fd, sfd);
                        if (r <= 0)
                                return r;
                        continue;
                }
                if (r == -ECONNRESET)
                        return 0;
                if (r < 0) {
                        /* it was numbered all the same, and is answered: results must stay in
                         * step with what the manager sent */
                        log_warning_errno(r, "Worker: Failed to receive device, ignoring: %m");
                        if ((!c->shared || udev_worker_shared_claim(c->shared, index)) &&
                            send(fd, &r, sizeof r, MSG_NOSIGNAL) < 0)
                                log_warning_errno(-errno, "Failed to send signal to main daemon, ignoring: %m");
                        index++;
                        continue;
                }
                if (worker_claim(c, dev, index++))
                        worker_handle(c, fd, dev);
        }
}
