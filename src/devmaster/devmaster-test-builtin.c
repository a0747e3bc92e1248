/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * devmaster-test-builtin.c: runs one devmaster builtin on one device and prints the properties
 * it sets as KEY=VALUE lines on stdout, like `udevadm test-builtin` (the reference the
 * integration test test/integration/test-udev-builtins.sh compares with).
 *
 *   devmaster-test-builtin [--action=ACTION] [--apply] [--blkid-image=FILE] COMMAND PATH
 *
 * COMMAND is the builtin's command line ("net_id", "hwdb --subsystem=pci", …), PATH a sysfs
 * path or /dev node. By default side effects (module loading, keycode ioctls, ACLs, btrfs
 * registration) are not carried out but printed as "DRY-RUN: …" lines on stderr; --apply
 * carries them out. --blkid-image makes blkid probe FILE instead of the device node.
 * Exit status: 0, or 1 when the builtin failed (its error is logged at debug level, visible
 * with SYSTEMD_LOG_LEVEL=debug) or the arguments were wrong.
 */

#include <getopt.h>
#include <stdio.h>

#include "device.h"
#include "log.h"
#include "strv.h"
#include "udev-builtin.h"
#include "udev-rules.h"

int main(int argc, char *argv[]) {
        static const struct option options[] = {
                { "action", required_argument, NULL, 'a' },
                { "apply", no_argument, NULL, 'A' },
                { "blkid-image", required_argument, NULL, 'B' },
                { "help", no_argument, NULL, 'h' },
                {}
        };
        _cleanup_device_unref_ Device *dev = NULL;
        DeviceAction action = DEVICE_ACTION_ADD;
        const char *command, *path;
        UdevRulesBuiltin b;
        bool apply = false;
        int c, r;

        log_parse_environment();
        while ((c = getopt_long(argc, argv, "a:h", options, NULL)) >= 0)
                switch (c) {
                case 'a':
                        action = device_action_from_string(optarg);
                        if (action < 0) {
                                log_error("Invalid action '%s'", optarg);
                                return 1;
                        }
                        break;
                case 'A':
                        apply = true;
                        break;
                case 'B':
                        udev_builtin_blkid_set_image(optarg);
                        break;
                case 'h':
                        printf("%s [--action=ACTION] [--apply] [--blkid-image=FILE] COMMAND DEVPATH\n\nCommands:\n",
                               program_invocation_short_name);
                        fflush(stdout);
                        udev_builtin_list();
                        return 0;
                default:
                        return 1;
                }
        if (argc - optind != 2) {
                log_error("Expected COMMAND and DEVPATH.");
                return 1;
        }
        command = argv[optind];
        path = argv[optind + 1];
        b = udev_rules_builtin_lookup(command);
        if (b < 0) {
                log_error("Unknown command '%s'", command);
                return 1;
        }
        r = device_new_from_path(&dev, path);
        if (r < 0) {
                log_error_errno(r, "Failed to open device '%s': %m", path);
                return 1;
        }
        (void) device_set_action(dev, action);
        udev_builtin_set_dry_run(!apply);
        r = udev_builtin_run(dev, b, command, true);
        fflush(stdout);
        STRV_FOREACH(l, udev_builtin_recorded())
                fprintf(stderr, "DRY-RUN: %s\n", *l);
        if (r < 0)
                log_debug_errno(r, "Builtin command '%s' fails: %m", command);
        udev_builtin_exit();
        udev_builtin_set_dry_run(false);
        udev_builtin_blkid_set_image(NULL);
        return r < 0 ? 1 : 0;
}
