/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * devmaster.c: the devmaster daemon, a drop-in for systemd-udevd 252 (same command line, same
 * udev.conf and kernel command line options, same sockets, database and broadcasts; see
 * devmaster(8) and spec udev.md). This file only gathers the settings (udev-config.h), takes
 * the sockets over from socket activation (LISTEN_FDS: the SOCK_SEQPACKET control socket and
 * the NETLINK_KOBJECT_UEVENT socket), detaches with --daemon, and runs the manager
 * (udev-manager.h).
 *
 * Test hooks (environment, never set in production): DEVMASTER_TEST_UEVENT_SOCKET=<path>
 * takes kernel-format uevents from a unix datagram socket instead of the kernel, and
 * DEVMASTER_TEST_TRIGGER=1 additionally emulates the kernel's echo of writes to the uevent
 * files of a synthetic sysfs (udev-test-source.h).
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "device-db.h"
#include "fd-util.h"
#include "log.h"
#include "parse-util.h"
#include "string-util.h"
#include "udev-config.h"
#include "udev-manager.h"

#define LISTEN_FDS_START 3

static int socket_type(int fd, int *ret_family, int *ret_type) {
        socklen_t l = sizeof(int);

        if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, ret_family, &l) < 0)
                return -errno;
        l = sizeof(int);
        if (getsockopt(fd, SOL_SOCKET, SO_TYPE, ret_type, &l) < 0)
                return -errno;
        return 0;
}

/* The sockets of devmaster-control.socket and devmaster-kernel.socket, if we were activated
 * with them. */
static int listen_fds(int *ret_ctrl, int *ret_uevent) {
        const char *e = getenv("LISTEN_PID"), *n = getenv("LISTEN_FDS");
        unsigned pid, nfds;
        int ctrl = -EBADF, uevent = -EBADF;

        *ret_ctrl = *ret_uevent = -EBADF;
        if (!e || !n || safe_atou(e, &pid) < 0 || pid != (unsigned) getpid() || safe_atou(n, &nfds) < 0)
                return 0;
        (void) unsetenv("LISTEN_PID");
        (void) unsetenv("LISTEN_FDS");
        (void) unsetenv("LISTEN_FDNAMES");
        for (int fd = LISTEN_FDS_START; fd < LISTEN_FDS_START + (int) nfds; fd++) {
                int family, type;

                if (socket_type(fd, &family, &type) < 0)
                        return -EINVAL;
                (void) fcntl(fd, F_SETFD, FD_CLOEXEC);
                if (family == AF_UNIX && type == SOCK_SEQPACKET && ctrl < 0)
                        ctrl = fd;
                else if (family == AF_NETLINK && type == SOCK_RAW && uevent < 0)
                        uevent = fd;
                else
                        return -EINVAL;
        }
        *ret_ctrl = ctrl;
        *ret_uevent = uevent;
        return 0;
}

static int run(int argc, char *argv[]) {
        _cleanup_(udev_manager_freep) UdevManager *m = NULL;
        UdevManagerConfig mc;
        UdevConfig c;
        int ctrl_fd, uevent_fd, r;
        const char *test_socket;

        log_set_target(LOG_TARGET_AUTO);
        udev_config_init(&c);
        (void) udev_config_parse_file(&c, UDEV_CONFIG_FILE);
        if (c.log_level >= 0)
                log_set_max_level(c.log_level);
        log_parse_environment();

        r = udev_config_parse_argv(&c, argc, argv);
        if (r <= 0)
                return r;
        c.log_level = -1;
        r = udev_config_parse_cmdline(&c, NULL);
        if (r < 0)
                log_warning_errno(r, "Failed to parse kernel command line, ignoring: %m");
        if (c.log_level >= 0)
                log_set_max_level(c.log_level);
        if (c.debug) {
                log_set_target(LOG_TARGET_CONSOLE);
                log_set_max_level(LOG_DEBUG);
        }
        if (geteuid() != 0)
                return log_error_errno(-EPERM, "Need to be root.");
        if (c.children_max == 0) {
                c.children_max = udev_manager_default_children_max();
                log_debug("Set children_max to %u", c.children_max);
        }

        umask(022);
        if (mkdir(device_db_get_run_dir(), 0755) < 0 && errno != EEXIST)
                return log_error_errno(-errno, "Failed to create %s: %m", device_db_get_run_dir());

        r = listen_fds(&ctrl_fd, &uevent_fd);
        if (r < 0)
                return log_error_errno(r, "Failed to listen on fds: %m");

        test_socket = getenv("DEVMASTER_TEST_UEVENT_SOCKET");
        mc = (UdevManagerConfig) {
                .children_max = c.children_max,
                .exec_delay_usec = c.exec_delay_usec,
                .event_timeout_usec = c.event_timeout_usec,
                .timeout_signal = c.timeout_signal,
                .resolve_name_timing = c.resolve_name_timing,
                .blockdev_read_only = c.blockdev_read_only,
                .test_uevent_socket = isempty(test_socket) ? NULL : test_socket,
                .test_trigger = getenv("DEVMASTER_TEST_TRIGGER") &&
                                parse_boolean(getenv("DEVMASTER_TEST_TRIGGER")) > 0,
        };
        r = udev_manager_new(&mc, ctrl_fd, uevent_fd, &m);
        if (r < 0)
                return r;

        if (c.daemonize) {
                pid_t pid;

                log_info("Starting devmaster version %s", PACKAGE_VERSION);
                if (log_get_max_level() < LOG_DEBUG) {
                        int null = open("/dev/null", O_RDWR | O_CLOEXEC | O_NOCTTY);

                        if (null >= 0) {
                                (void) dup2(null, STDIN_FILENO);
                                (void) dup2(null, STDOUT_FILENO);
                                (void) dup2(null, STDERR_FILENO);
                                if (null > STDERR_FILENO)
                                        safe_close(null);
                        }
                }
                pid = fork();
                if (pid < 0)
                        return log_error_errno(-errno, "Failed to fork daemon: %m");
                if (pid > 0) {
                        /* the parent leaves without tearing down what the child now owns */
                        log_close();
                        _exit(EXIT_SUCCESS);
                }
                (void) setsid();
        }
        return udev_manager_run(m);
}

int main(int argc, char *argv[]) {
        int r = run(argc, argv);

        log_close();
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
