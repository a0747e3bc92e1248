/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev-builtin.c: the table of the udev builtins, their init/exit, the command-line split and
 * dispatch, the property helper that udevadm test-builtin's output relies on, and the dry-run
 * record of side effects (see udev-builtin.h).
 */

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "log.h"
#include "string-util.h"
#include "strv.h"
#include "udev-builtin.h"

static const UdevBuiltin *const builtins[_UDEV_RULES_BUILTIN_MAX] = {
        [UDEV_RULES_BUILTIN_BLKID] = &udev_builtin_blkid,
        [UDEV_RULES_BUILTIN_BTRFS] = &udev_builtin_btrfs,
        [UDEV_RULES_BUILTIN_HWDB] = &udev_builtin_hwdb,
        [UDEV_RULES_BUILTIN_INPUT_ID] = &udev_builtin_input_id,
        [UDEV_RULES_BUILTIN_KEYBOARD] = &udev_builtin_keyboard,
        [UDEV_RULES_BUILTIN_KMOD] = &udev_builtin_kmod,
        [UDEV_RULES_BUILTIN_NET_ID] = &udev_builtin_net_id,
        [UDEV_RULES_BUILTIN_NET_SETUP_LINK] = &udev_builtin_net_setup_link,
        [UDEV_RULES_BUILTIN_PATH_ID] = &udev_builtin_path_id,
        [UDEV_RULES_BUILTIN_USB_ID] = &udev_builtin_usb_id,
        [UDEV_RULES_BUILTIN_UACCESS] = &udev_builtin_uaccess,
};

static bool initialized = false;
static bool builtin_initialized[_UDEV_RULES_BUILTIN_MAX] = {};
static bool dry_run = false;
static char **recorded = NULL;

static void builtin_init_one(int i) {
        if (builtin_initialized[i])
                return;
        builtin_initialized[i] = true;
        if (builtins[i]->init) {
                int r = builtins[i]->init();
                if (r < 0)
                        log_debug_errno(r, "Failed to initialize builtin '%s': %m", builtins[i]->name);
        }
}

void udev_builtin_init(void) {
        if (initialized)
                return;
        for (int i = 0; i < _UDEV_RULES_BUILTIN_MAX; i++)
                builtin_init_one(i);
        initialized = true;
}

void udev_builtin_exit(void) {
        for (int i = 0; i < _UDEV_RULES_BUILTIN_MAX; i++) {
                if (builtins[i]->exit) /* also for state set up on demand (hwdb from net_id) */
                        builtins[i]->exit();
                builtin_initialized[i] = false;
        }
        initialized = false;
}

bool udev_builtin_should_reload(void) {
        for (int i = 0; i < _UDEV_RULES_BUILTIN_MAX; i++)
                if (builtins[i]->should_reload && builtins[i]->should_reload())
                        return true;
        return false;
}

bool udev_builtin_run_once(UdevRulesBuiltin b) {
        return b >= 0 && b < _UDEV_RULES_BUILTIN_MAX && builtins[b]->run_once;
}

void udev_builtin_list(void) {
        for (int i = 0; i < _UDEV_RULES_BUILTIN_MAX; i++)
                fprintf(stderr, "  %-14s  %s\n", builtins[i]->name, builtins[i]->help);
}

int udev_builtin_run(Device *dev, UdevRulesBuiltin b, const char *command, bool test) {
        _cleanup_strv_free_ char **argv = NULL;
        int r;

        if (b < 0 || b >= _UDEV_RULES_BUILTIN_MAX || !command)
                return -EINVAL;
        builtin_init_one(b); /* the others wait until they are needed (or udev_builtin_init()) */

        /* udev splits with quotes removed, escapes kept and unbalanced quotes tolerated. */
        r = strv_split_full(command, NULL, EXTRACT_UNQUOTE | EXTRACT_RELAX | EXTRACT_RETAIN_ESCAPE, &argv);
        if (r < 0)
                return r;
        if (strv_isempty(argv))
                return -EINVAL;
        optind = 0; /* the builtins use getopt_long(); 0 resets its state fully */
        return builtins[b]->cmd(dev, (int) strv_length(argv), argv, test);
}

int udev_builtin_add_property(Device *dev, bool test, const char *key, const char *value) {
        int r;

        r = device_add_property(dev, key, value);
        if (r < 0)
                return log_device_debug_errno(dev, r, "Failed to add property '%s%s%s'", key,
                                              value ? "=" : "", value ?: "");
        if (test)
                printf("%s=%s\n", key, value ?: "");
        return 0;
}

int udev_builtin_add_propertyf(Device *dev, bool test, const char *key, const char *fmt, ...) {
        _cleanup_free_ char *v = NULL;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&v, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        return udev_builtin_add_property(dev, test, key, v);
}

static bool devnode_char_allowed(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               strchr("#+-.:=@_", c);
}

int udev_builtin_encode_devnode_name(const char *str, char *dest, size_t size) {
        size_t j = 0;

        if (!str || !dest)
                return -EINVAL;
        for (size_t i = 0; str[i]; i++) {
                int n = utf8_encoded_valid_unichar(str + i, SIZE_MAX);

                if (n > 1) {
                        if (size - j < (size_t) n)
                                return -EINVAL;
                        memcpy(dest + j, str + i, n);
                        j += n;
                        i += n - 1;
                } else if (str[i] == '\\' || !devnode_char_allowed(str[i])) {
                        if (size - j < 4)
                                return -EINVAL;
                        sprintf(dest + j, "\\x%02x", (unsigned char) str[i]);
                        j += 4;
                } else {
                        if (size - j < 1)
                                return -EINVAL;
                        dest[j++] = str[i];
                }
        }
        if (size - j < 1)
                return -EINVAL;
        dest[j] = '\0';
        return 0;
}

void udev_builtin_set_dry_run(bool b) {
        dry_run = b;
        recorded = strv_free(recorded);
}

bool udev_builtin_is_dry_run(void) {
        return dry_run;
}

int udev_builtin_record(const char *fmt, ...) {
        char *line;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&line, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        log_debug("dry run: %s", line);
        return strv_consume(&recorded, line);
}

char **udev_builtin_recorded(void) {
        return recorded;
}
