/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev-builtin-keyboard.c: the keyboard builtin. Applies what the hwdb (60-keyboard.hwdb,
 * 60-evdev.hwdb) put into the device's properties:
 *   KEYBOARD_KEY_<hex scan code>=[!]<key name or number>  EVIOCSKEYCODE; '!' also adds the
 *       scan code to the serio parent's force_release list (keys without release events);
 *   EVDEV_ABS_<hex axis>=<min>:<max>:<res>:<fuzz>:<flat>  EVIOCSABS (empty fields kept);
 *   POINTINGSTICK_SENSITIVITY=<0..255>  the serio parent's sensitivity attribute.
 * Every change goes through apply_*(): in dry-run mode (udev-builtin.h) it is recorded as
 * "keyboard EVIOCSKEYCODE NODE 0xSCAN KEY", "keyboard EVIOCSABS NODE 0xAXIS VALUE",
 * "keyboard force_release SYSPATH CODES", "keyboard sensitivity SYSPATH N" and the device is
 * never opened.
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "fd-util.h"
#include "keyboard-keys.h"
#include "log.h"
#include "parse-util.h"
#include "string-util.h"
#include "udev-builtin.h"

static int key_cmp(const void *a, const void *b) {
        return strcmp(((const KeyboardKey *) a)->name, ((const KeyboardKey *) b)->name);
}

/* A key name ("a", "key_a", "btn_left") or a decimal code. */
static int keyboard_key_from_string(const char *s, unsigned *ret) {
        KeyboardKey search = { .name = s };
        const KeyboardKey *k;

        k = bsearch(&search, keyboard_keys, ELEMENTSOF(keyboard_keys), sizeof(KeyboardKey), key_cmp);
        if (k) {
                *ret = k->code;
                return 0;
        }
        return safe_atou(s, ret);
}

typedef struct KeyboardState {
        Device *dev;
        const char *node;
        int fd;
        int has_abs; /* -1: not asked yet */
} KeyboardState;

static int state_open(KeyboardState *s) {
        if (s->fd >= 0)
                return 0;
        s->fd = device_open(s->dev, O_RDWR | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
        if (s->fd < 0)
                return log_device_error_errno(s->dev, s->fd, "Failed to open device '%s': %m", s->node);
        return 0;
}

static int apply_keycode(KeyboardState *s, unsigned scan, const char *keyname) {
        struct {
                unsigned scan, key;
        } map = { .scan = scan };
        int r;

        r = keyboard_key_from_string(keyname, &map.key);
        if (r < 0)
                return log_device_error_errno(s->dev, r, "Failed to parse key identifier '%s': %m", keyname);
        log_device_debug(s->dev, "keyboard: mapping scan code %u (0x%x) to key code %u (0x%x)", map.scan, map.scan,
                         map.key, map.key);
        if (udev_builtin_is_dry_run())
                return udev_builtin_record("keyboard EVIOCSKEYCODE %s 0x%x %u", s->node, map.scan, map.key);
        r = state_open(s);
        if (r < 0)
                return r;
        if (ioctl(s->fd, EVIOCSKEYCODE, &map) < 0)
                return log_device_error_errno(s->dev, errno,
                                              "Failed to call EVIOCSKEYCODE with scan code 0x%x, and key code %u: %m",
                                              map.scan, map.key);
        return 0;
}

/* One ':'-separated field; an empty one leaves *val as it is. NULL on a parse error. */
static const char *parse_abs_field(const char *cur, int32_t *val) {
        char *next;
        long v;

        if (!cur)
                return NULL;
        v = strtol(cur, &next, 0);
        if (*next && *next != ':')
                return NULL;
        if (next != cur)
                *val = (int32_t) v;
        return *next ? next + 1 : next;
}

static int apply_abs(KeyboardState *s, unsigned code, const char *value) {
        struct input_absinfo abs = {};
        const char *p;

        if (udev_builtin_is_dry_run())
                return udev_builtin_record("keyboard EVIOCSABS %s 0x%x %s", s->node, code, value);
        if (state_open(s) < 0)
                return -EIO;
        if (s->has_abs < 0) {
                unsigned long bits = 0;

                if (ioctl(s->fd, EVIOCGBIT(0, sizeof(bits)), &bits) < 0)
                        return log_device_error_errno(s->dev, errno, "Failed to set EVIOCGBIT");
                s->has_abs = !!(bits & (1UL << EV_ABS));
                if (!s->has_abs)
                        log_device_warning(s->dev, "EVDEV_ABS override set but no EV_ABS present on device");
        }
        if (!s->has_abs)
                return 0;
        if (ioctl(s->fd, EVIOCGABS(code), &abs) < 0)
                return log_device_error_errno(s->dev, errno, "Failed to call EVIOCGABS");
        p = parse_abs_field(value, &abs.minimum);
        p = parse_abs_field(p, &abs.maximum);
        p = parse_abs_field(p, &abs.resolution);
        p = parse_abs_field(p, &abs.fuzz);
        p = parse_abs_field(p, &abs.flat);
        if (!p)
                return log_device_error_errno(s->dev, EINVAL, "Failed to parse EV_ABS override '%s'", value);
        if (ioctl(s->fd, EVIOCSABS(code), &abs) < 0)
                return log_device_error_errno(s->dev, errno, "Failed to call EVIOCSABS");
        return 0;
}

static int set_serio_attr(Device *dev, const char *attr, const char *value) {
        const char *syspath;
        Device *serio;
        int r;

        r = device_get_parent_with_subsystem_devtype(dev, "serio", NULL, &serio);
        if (r < 0)
                return log_device_error_errno(dev, r, "Failed to get serio parent: %m");
        if (udev_builtin_is_dry_run()) {
                (void) device_get_syspath(serio, &syspath);
                return udev_builtin_record("keyboard %s %s %s", attr, syspath, value);
        }
        r = device_set_sysattr_value(serio, attr, value);
        if (r < 0)
                return log_device_error_errno(dev, r, "Failed to write '%s' attribute: %m", attr);
        return 0;
}

static int apply_force_release(Device *dev, const unsigned *codes, size_t n) {
        char buf[4096];
        const char *cur = "";
        Device *serio;
        size_t l;
        int r;

        r = device_get_parent_with_subsystem_devtype(dev, "serio", NULL, &serio);
        if (r < 0)
                return log_device_error_errno(dev, r, "Failed to get serio parent: %m");
        if (device_get_sysattr_value(serio, "force_release", &cur) < 0 && !udev_builtin_is_dry_run())
                return log_device_error_errno(serio, ENOENT, "Failed to get force-release attribute: %m");
        l = (size_t) snprintf(buf, sizeof(buf), "%s", cur);
        for (size_t i = 0; i < n && l < sizeof(buf); i++)
                l += (size_t) snprintf(buf + l, sizeof(buf) - l, ",%u", codes[i]);
        log_device_debug(serio, "keyboard: updating force-release list with '%s'", buf);
        return set_serio_attr(dev, "force_release", buf);
}

static int apply_sensitivity(Device *dev, const char *value) {
        char buf[16];
        int v, r;

        r = safe_atoi(value, &v);
        if (r < 0)
                return log_device_error_errno(dev, r, "Failed to parse POINTINGSTICK_SENSITIVITY '%s': %m", value);
        if (v < 0 || v > 255)
                return log_device_error_errno(dev, ERANGE, "POINTINGSTICK_SENSITIVITY %d outside range [0..255]", v);
        snprintf(buf, sizeof(buf), "%d", v);
        return set_serio_attr(dev, "sensitivity", buf);
}

static int builtin_keyboard(Device *dev, int argc, char *argv[], bool test) {
        KeyboardState s = { .dev = dev, .fd = -EBADF, .has_abs = -1 };
        unsigned release[1024];
        size_t n_release = 0;
        const char *key, *value;
        int r;

        (void) argc;
        (void) argv;
        (void) test;
        r = device_get_devname(dev, &s.node);
        if (r < 0)
                return log_device_error_errno(dev, r, "Failed to get device name: %m");
        DEVICE_FOREACH_PROPERTY(dev, key, value) {
                const char *k;
                unsigned code;

                if ((k = startswith(key, "KEYBOARD_KEY_"))) {
                        if (safe_atou_full(k, 16, &code) < 0) {
                                log_device_warning(dev, "Failed to parse scan code from \"%s\", ignoring", key);
                                continue;
                        }
                        if (value[0] == '!') {
                                value++;
                                release[n_release] = code;
                                if (n_release < ELEMENTSOF(release) - 1)
                                        n_release++;
                                if (value[0] == '\0')
                                        continue;
                        }
                        (void) apply_keycode(&s, code, value);
                } else if ((k = startswith(key, "EVDEV_ABS_"))) {
                        if (safe_atou_full(k, 16, &code) < 0) {
                                log_device_warning(dev, "Failed to parse EV_ABS code from \"%s\", ignoring", key);
                                continue;
                        }
                        (void) apply_abs(&s, code, value);
                } else if (streq(key, "POINTINGSTICK_SENSITIVITY"))
                        (void) apply_sensitivity(dev, value);
        }
        if (n_release > 0)
                (void) apply_force_release(dev, release, n_release);
        safe_close(s.fd);
        return 0;
}

const UdevBuiltin udev_builtin_keyboard = {
        .name = "keyboard",
        .cmd = builtin_keyboard,
        .help = "Keyboard scan code to key mapping",
};
