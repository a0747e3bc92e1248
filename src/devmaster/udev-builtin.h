/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * udev-builtin.h: the builtin commands of IMPORT{builtin} and RUN{builtin}, the eleven of udev
 * 252. Each lives in its own file udev-builtin-NAME.c and exports one UdevBuiltin; this module
 * holds the table, splits a command line into argv (udev's quoting rules) and dispatches.
 *
 * State: builtins that keep state per process (hwdb: the open hwdb.bin; kmod: the libkmod
 * context; net_setup_link: the parsed .link files) set it up in init() and drop it in exit().
 * udev_builtin_run() initializes the builtin it runs if needed, so a caller that never calls
 * udev_builtin_init() still works (and pays only for the builtins it uses); a daemon calls udev_builtin_should_reload() to learn when hwdb.bin or
 * the .link files changed (then exit() + init()).
 *
 * Side effects on the machine (loading modules, EVIOCSKEYCODE, BTRFS_IOC_DEVICES_READY, ACLs)
 * go through one seam: with udev_builtin_set_dry_run(true) the builtins do everything except
 * that call and record a line describing it instead ("kmod load ALIAS", "keyboard
 * EVIOCSKEYCODE /dev/input/event3 0x1e 30", …), which udev_builtin_recorded() returns. Tests
 * and devmaster-test-builtin use that.
 */

#include <stdbool.h>

#include "device.h"
#include "udev-rules.h"

typedef struct UdevBuiltin {
        const char *name;
        /* argv[0] is the builtin's name; returns 0 or a negative errno. With test, every
         * property set is also printed as KEY=VALUE on stdout (udevadm test-builtin). */
        int (*cmd)(Device *dev, int argc, char *argv[], bool test);
        const char *help;
        int (*init)(void);
        void (*exit)(void);
        bool (*should_reload)(void);
        bool run_once;
} UdevBuiltin;

extern const UdevBuiltin udev_builtin_blkid;
extern const UdevBuiltin udev_builtin_btrfs;
extern const UdevBuiltin udev_builtin_hwdb;
extern const UdevBuiltin udev_builtin_input_id;
extern const UdevBuiltin udev_builtin_keyboard;
extern const UdevBuiltin udev_builtin_kmod;
extern const UdevBuiltin udev_builtin_net_id;
extern const UdevBuiltin udev_builtin_net_setup_link;
extern const UdevBuiltin udev_builtin_path_id;
extern const UdevBuiltin udev_builtin_usb_id;
extern const UdevBuiltin udev_builtin_uaccess;

/* Runs every builtin's init() once (errors are logged at debug level and leave that builtin
 * without its state, as udev does); exit() undoes it. Both are idempotent. */
void udev_builtin_init(void);
void udev_builtin_exit(void);
/* Whether a builtin's configuration changed since init() (hwdb.bin, .link files). */
bool udev_builtin_should_reload(void);
/* Whether a builtin runs at most once per event (blkid, path_id, usb_id). */
bool udev_builtin_run_once(UdevRulesBuiltin b);
/* Runs command (argv[0] names the builtin b) for dev, adding its properties to dev. 0 or a
 * negative errno (-ENOENT: nothing found, -EINVAL: bad arguments). */
int udev_builtin_run(Device *dev, UdevRulesBuiltin b, const char *command, bool test);
/* Prints "  NAME  HELP" lines for every builtin to stderr, as udevadm test-builtin --help. */
void udev_builtin_list(void);

/* For the builtins: sets key (value NULL removes it) and prints "KEY=VALUE" when test. */
int udev_builtin_add_property(Device *dev, bool test, const char *key, const char *value);
int udev_builtin_add_propertyf(Device *dev, bool test, const char *key, const char *fmt, ...)
        _printf_(4, 5);
/* Copies str to dest (size bytes) encoding every byte that is not alphanumeric, not one of
 * "#+-.:=@_" and not part of a valid UTF-8 sequence as \xNN (whitespace too); as udev's
 * encode_devnode_name(). -EINVAL if dest is too small. */
int udev_builtin_encode_devnode_name(const char *str, char *dest, size_t size);

/* hwdb: adds the properties hwdb.bin has for prefix+modalias (prefix may be NULL) whose key
 * matches the glob filter (NULL: all). The number added, -ENOENT without hwdb.bin. */
/* hwdb: the descriptor of the open hwdb.bin (-EBADF when not open), which a worker must not
 * close: lookups read the file's pages from it. */
int udev_builtin_hwdb_fd(void);
int udev_builtin_hwdb_lookup(Device *dev, const char *prefix, const char *modalias, const char *filter,
                             bool test);

/* blkid: probe this regular file instead of the device node (tests; NULL: back to the node). */
void udev_builtin_blkid_set_image(const char *path);

/* The seam for side effects (see the top of this file). Turning dry-run on or off clears the
 * record. The returned strv is owned by this module and valid until the next change. */
void udev_builtin_set_dry_run(bool b);
bool udev_builtin_is_dry_run(void);
/* Appends a formatted line to the record (for the builtins). 0 or -ENOMEM. */
int udev_builtin_record(const char *fmt, ...) _printf_(1, 2);
char **udev_builtin_recorded(void);
