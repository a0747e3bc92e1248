/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-udev: devmaster's entry point for systemd's udev-test.pl (spec §7.2). In a private
 * mount namespace with test/tmpfs/sys, test/tmpfs/dev and test/run bound over /sys, /dev and
 * /run, it processes one synthetic event for a devpath the way systemd 252's test-udev does:
 * rules loaded with names resolved early, devtmpfs emulated with mknod()/unlink(), then the
 * rules, node, links and database, then RUN, with 3 s timeouts.
 *
 *   test-udev check               set up the namespace and exit 0
 *   test-udev ACTION DEVPATH      process one event (DEVPATH without /sys)
 */

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "device.h"
#include "log.h"
#include "macro.h"
#include "mkdir.h"
#include "string-util.h"
#include "udev-event.h"
#include "udev-rules-exec.h"
#include "udev-rules.h"

static int fake_filesystems(void) {
        static const struct {
                const char *src, *target, *error;
                bool ignore_error;
        } fs[] = {
                { "test/tmpfs/sys", "/sys", "Failed to mount test /sys", false },
                { "test/tmpfs/dev", "/dev", "Failed to mount test /dev", false },
                { "test/run", "/run", "Failed to mount test /run", false },
                { "test/run", "/etc/udev/rules.d", "Failed to mount empty /etc/udev/rules.d", true },
                { "test/run", "/lib/udev/rules.d", "Failed to mount empty /lib/udev/rules.d", true },
        };

        if (unshare(CLONE_NEWNS) < 0)
                return log_error_errno(-errno, "Failed to detach mount namespace: %m");
        if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
                return log_error_errno(-errno, "Failed to detach mount namespace: %m");

        for (size_t i = 0; i < ELEMENTSOF(fs); i++)
                if (mount(fs[i].src, fs[i].target, NULL, MS_BIND, NULL) < 0) {
                        int r = -errno;

                        if (!fs[i].ignore_error)
                                return log_error_errno(r, "%s: %m", fs[i].error);
                        log_notice_errno(r, "%s: %m", fs[i].error);
                }
        return 0;
}

static int run(int argc, char *argv[]) {
        _cleanup_(udev_rules_freep) UdevRules *rules = NULL;
        _cleanup_(udev_event_freep) UdevEvent *event = NULL;
        _cleanup_device_unref_ Device *dev = NULL;
        _cleanup_free_ char *syspath = NULL;
        const char *action, *devpath, *devname;
        DeviceAction a;
        sigset_t ss;
        int r;

        log_set_max_level(LOG_INFO);
        log_parse_environment();

        if (argc != 2 && argc != 3)
                return log_error_errno(-EINVAL, "This program needs one or two arguments, %d given", argc - 1);

        r = fake_filesystems();
        if (r < 0)
                return r;

        if (argc == 2) {
                if (!streq(argv[1], "check"))
                        return log_error_errno(-EINVAL, "Unknown argument: %s", argv[1]);
                return 0;
        }

        action = argv[1];
        devpath = argv[2];

        r = udev_rules_new(UDEV_RULES_RESOLVE_NAME_EARLY, &rules);
        if (r < 0)
                return log_error_errno(r, "Failed to create rules: %m");
        r = udev_rules_load(rules, NULL);
        if (r < 0)
                return log_error_errno(r, "Failed to load rules: %m");

        a = device_action_from_string(action);
        if (a < 0)
                return log_error_errno(-EINVAL, "Invalid action '%s'", action);
        syspath = strjoin("/sys", devpath);
        if (!syspath)
                return log_oom();
        r = device_new_from_synthetic_event(&dev, syspath, a);
        if (r < 0)
                return log_debug_errno(r, "Failed to open device '%s'", devpath);

        event = udev_event_new(dev, 3 * USEC_PER_SEC, SIGKILL);
        if (!event)
                return log_oom();

        sigemptyset(&ss);
        sigaddset(&ss, SIGTERM);
        sigaddset(&ss, SIGINT);
        sigaddset(&ss, SIGHUP);
        sigaddset(&ss, SIGCHLD);
        (void) sigprocmask(SIG_BLOCK, &ss, NULL);

        /* what devtmpfs would have done */
        if (device_get_devname(dev, &devname) >= 0) {
                const char *subsystem;
                mode_t mode = 0600;

                if (device_get_subsystem(dev, &subsystem) >= 0 && streq(subsystem, "block"))
                        mode |= S_IFBLK;
                else
                        mode |= S_IFCHR;

                if (a != DEVICE_ACTION_REMOVE) {
                        dev_t devnum = makedev(0, 0);

                        (void) mkdir_parents(devname, 0755);
                        (void) device_get_devnum(dev, &devnum);
                        if (mknod(devname, mode, devnum) < 0)
                                return log_error_errno(-errno, "mknod() failed for '%s': %m", devname);
                } else {
                        if (unlink(devname) < 0)
                                return log_error_errno(-errno, "unlink('%s') failed: %m", devname);
                        rmdir_parents(devname, "/dev");
                }
        }

        (void) udev_event_execute_rules(event, rules);
        udev_event_execute_run(event);
        return 0;
}

int main(int argc, char *argv[]) {
        int r = run(argc, argv);

        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
