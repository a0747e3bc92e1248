/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev-builtin-input_id.c: the input_id builtin. Classifies an input device from the
 * capability bitmaps the kernel exports (capabilities/{ev,abs,rel,key}, properties) of the
 * closest input device at or above dev: ID_INPUT, ID_INPUT_{KEY,KEYBOARD,MOUSE,TOUCHPAD,
 * TOUCHSCREEN,JOYSTICK,TABLET,TABLET_PAD,ACCELEROMETER,POINTINGSTICK,SWITCH}, and for eventN
 * nodes with resolutions ID_INPUT_{WIDTH,HEIGHT}_MM (read-only EVIOCGABS). The heuristics and
 * their order are udev 252's.
 */

#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <linux/input.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "fd-util.h"
#include "log.h"
#include "parse-util.h"
#include "string-util.h"
#include "udev-builtin.h"

#define LONG_BITS (sizeof(unsigned long) * 8)
#define N_LONGS(n) ((((n) - 1) / LONG_BITS) + 1)

#ifndef BTN_DPAD_UP
#define BTN_DPAD_UP 0x220
#endif
#ifndef INPUT_PROP_POINTING_STICK
#define INPUT_PROP_POINTING_STICK 0x05
#endif
#ifndef INPUT_PROP_ACCELEROMETER
#define INPUT_PROP_ACCELEROMETER 0x06
#endif

typedef struct InputCaps {
        unsigned long ev[N_LONGS(EV_MAX)];
        unsigned long abs[N_LONGS(ABS_MAX)];
        unsigned long key[N_LONGS(KEY_MAX)];
        unsigned long rel[N_LONGS(REL_MAX)];
        unsigned long props[N_LONGS(INPUT_PROP_MAX)];
        uint16_t bustype;
} InputCaps;

static bool bit_set(const unsigned long *a, unsigned bit) {
        return (a[bit / LONG_BITS] >> (bit % LONG_BITS)) & 1;
}

/* The attribute is a list of hex words, most significant first. Words beyond the array and
 * words that do not parse are skipped (as the kernel may export more than we know). */
static void read_bitmap(Device *pdev, const char *attr, unsigned long *map, size_t n_longs) {
        char text[4096];
        const char *v;
        size_t i = 0;
        char *word;

        if (device_get_sysattr_value(pdev, attr, &v) < 0)
                v = "";
        snprintf(text, sizeof(text), "%s", v);
        log_device_debug(pdev, "%s raw kernel attribute: %s", attr, text);
        memset(map, 0, n_longs * sizeof(unsigned long));
        for (;;) {
                uint64_t val;
                bool last;

                word = strrchr(text, ' ');
                last = !word;
                word = last ? text : word + 1;
                if (safe_atou64_full(word, 16, &val) < 0)
                        log_device_debug(pdev, "Ignoring %s block which failed to parse", attr);
                else if (i < n_longs)
                        map[i] = (unsigned long) val;
                else
                        log_device_debug(pdev, "Ignoring %s block %" PRIX64 " which is larger than maximum size",
                                         attr, val);
                i++;
                if (last)
                        break;
                word[-1] = '\0';
        }
}

static void read_caps(Device *pdev, InputCaps *c) {
        const char *v;

        *c = (InputCaps) {};
        if (device_get_sysattr_value(pdev, "id/bustype", &v) >= 0)
                (void) safe_atou16_full(v, 16, &c->bustype);
        read_bitmap(pdev, "capabilities/ev", c->ev, ELEMENTSOF(c->ev));
        read_bitmap(pdev, "capabilities/abs", c->abs, ELEMENTSOF(c->abs));
        read_bitmap(pdev, "capabilities/rel", c->rel, ELEMENTSOF(c->rel));
        read_bitmap(pdev, "capabilities/key", c->key, ELEMENTSOF(c->key));
        read_bitmap(pdev, "properties", c->props, ELEMENTSOF(c->props));
}

static size_t count_joystick_buttons(const InputCaps *c) {
        size_t n = 0;

        /* More than 16 mouse buttons run into the joystick range: not a joystick. */
        if (bit_set(c->key, BTN_JOYSTICK - 1))
                return 0;
        for (unsigned b = BTN_JOYSTICK; b < BTN_DIGI; b++)
                n += bit_set(c->key, b);
        for (unsigned b = BTN_TRIGGER_HAPPY1; b <= BTN_TRIGGER_HAPPY40; b++)
                n += bit_set(c->key, b);
        for (unsigned b = BTN_DPAD_UP; b <= BTN_DPAD_RIGHT; b++)
                n += bit_set(c->key, b);
        return n;
}

/* A keyboard with some joystick bits is still a keyboard. */
static bool joystick_is_keyboard(Device *dev, const InputCaps *c, size_t buttons, size_t axes) {
        static const unsigned keyboard_keys[] = {
                KEY_LEFTCTRL, KEY_CAPSLOCK, KEY_NUMLOCK, KEY_INSERT, KEY_MUTE,
                KEY_CALC,     KEY_FILE,     KEY_MAIL,    KEY_PLAYPAUSE, KEY_BRIGHTNESSDOWN,
        };
        size_t known = 0;

        if (bit_set(c->ev, EV_KEY))
                for (size_t i = 0; i < ELEMENTSOF(keyboard_keys); i++)
                        known += bit_set(c->key, keyboard_keys[i]);
        if (known >= 4 || buttons + axes < 2) {
                log_device_debug(dev, "Input device has %zu joystick buttons and %zu axes but also %zu keyboard key sets, "
                                 "assuming this is a keyboard, not a joystick.", buttons, axes, known);
                return true;
        }
        return false;
}

static bool classify_pointer(Device *dev, const InputCaps *c, bool test) {
        bool has_keys = bit_set(c->ev, EV_KEY);
        bool has_abs = bit_set(c->abs, ABS_X) && bit_set(c->abs, ABS_Y);
        bool has_stylus = bit_set(c->key, BTN_STYLUS), has_pen = bit_set(c->key, BTN_TOOL_PEN);
        bool finger_no_pen = bit_set(c->key, BTN_TOOL_FINGER) && !has_pen;
        bool is_direct = bit_set(c->props, INPUT_PROP_DIRECT), has_touch = bit_set(c->key, BTN_TOUCH);
        bool has_mouse_button = false, has_rel, has_mt, has_pad_buttons;
        bool is_mouse = false, is_abs_mouse = false, is_touchpad = false, is_touchscreen = false;
        bool is_tablet = false, is_joystick = false, is_stick;
        size_t buttons, axes = 0;

        if (bit_set(c->props, INPUT_PROP_ACCELEROMETER) || (!has_keys && has_abs && bit_set(c->abs, ABS_Z))) {
                udev_builtin_add_property(dev, test, "ID_INPUT_ACCELEROMETER", "1");
                return true;
        }
        is_stick = bit_set(c->props, INPUT_PROP_POINTING_STICK);
        for (unsigned b = BTN_MOUSE; b < BTN_JOYSTICK && !has_mouse_button; b++)
                has_mouse_button = bit_set(c->key, b);
        has_rel = bit_set(c->ev, EV_REL) && bit_set(c->rel, REL_X) && bit_set(c->rel, REL_Y);
        has_mt = bit_set(c->abs, ABS_MT_POSITION_X) && bit_set(c->abs, ABS_MT_POSITION_Y);
        /* A device claiming every axis has no real multitouch. */
        if (has_mt && bit_set(c->abs, ABS_MT_SLOT) && bit_set(c->abs, ABS_MT_SLOT - 1))
                has_mt = false;
        has_pad_buttons = bit_set(c->key, BTN_0) && has_stylus && !has_pen;
        buttons = count_joystick_buttons(c);
        for (unsigned a = ABS_RX; a < ABS_PRESSURE; a++)
                axes += bit_set(c->abs, a);

        if (has_abs) {
                if (has_stylus || has_pen)
                        is_tablet = true;
                else if (finger_no_pen && !is_direct)
                        is_touchpad = true;
                else if (has_mouse_button)
                        is_abs_mouse = true;
                else if (has_touch || is_direct)
                        is_touchscreen = true;
                else if (buttons > 0 || axes > 0)
                        is_joystick = true;
        } else if (buttons > 0 || axes > 0)
                is_joystick = true;
        if (has_mt) {
                if (has_stylus || has_pen)
                        is_tablet = true;
                else if (finger_no_pen && !is_direct)
                        is_touchpad = true;
                else if (has_touch || is_direct)
                        is_touchscreen = true;
        }
        if (!is_tablet && !is_touchpad && !is_joystick && has_mouse_button && (has_rel || !has_abs))
                is_mouse = true;
        if (is_mouse && c->bustype == BUS_I2C) /* there are no i2c mice */
                is_stick = true;
        if (is_joystick && joystick_is_keyboard(dev, c, buttons, axes))
                is_joystick = false;

        if (is_stick)
                udev_builtin_add_property(dev, test, "ID_INPUT_POINTINGSTICK", "1");
        if (is_mouse || is_abs_mouse)
                udev_builtin_add_property(dev, test, "ID_INPUT_MOUSE", "1");
        if (is_touchpad)
                udev_builtin_add_property(dev, test, "ID_INPUT_TOUCHPAD", "1");
        if (is_touchscreen)
                udev_builtin_add_property(dev, test, "ID_INPUT_TOUCHSCREEN", "1");
        if (is_joystick)
                udev_builtin_add_property(dev, test, "ID_INPUT_JOYSTICK", "1");
        if (is_tablet)
                udev_builtin_add_property(dev, test, "ID_INPUT_TABLET", "1");
        if (is_tablet && has_pad_buttons)
                udev_builtin_add_property(dev, test, "ID_INPUT_TABLET_PAD", "1");
        return is_tablet || is_mouse || is_abs_mouse || is_touchpad || is_touchscreen || is_joystick || is_stick;
}

static bool classify_keys(Device *dev, const InputCaps *c, bool test) {
        /* Key codes above BTN_MISC that are keys, not buttons: [start, end). */
        static const unsigned high_blocks[][2] = {
                { KEY_OK, BTN_DPAD_UP },
                { KEY_ALS_TOGGLE, BTN_TRIGGER_HAPPY },
        };
        bool found = false;

        if (!bit_set(c->ev, EV_KEY)) {
                log_device_debug(dev, "test_key: no EV_KEY capability");
                return false;
        }
        for (size_t i = 0; i < BTN_MISC / LONG_BITS && !found; i++)
                found = c->key[i] != 0;
        for (size_t b = 0; b < ELEMENTSOF(high_blocks) && !found; b++)
                for (unsigned k = high_blocks[b][0]; k < high_blocks[b][1] && !found; k++)
                        found = bit_set(c->key, k);
        if (found)
                udev_builtin_add_property(dev, test, "ID_INPUT_KEY", "1");
        /* ESC, the digits and Q..D (bits 1-31) make a full keyboard. */
        if ((c->key[0] & 0xFFFFFFFEUL) == 0xFFFFFFFEUL) {
                udev_builtin_add_property(dev, test, "ID_INPUT_KEYBOARD", "1");
                return true;
        }
        return found;
}

/* Physical size from the resolution of ABS_X/ABS_Y (units per mm); read-only ioctls. */
static void add_size(Device *dev, bool test) {
        struct input_absinfo x = {}, y = {};
        _cleanup_close_ int fd = -EBADF;

        fd = device_open(dev, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
        if (fd < 0)
                return;
        if (ioctl(fd, EVIOCGABS(ABS_X), &x) < 0 || ioctl(fd, EVIOCGABS(ABS_Y), &y) < 0)
                return;
        if (x.resolution <= 0 || y.resolution <= 0)
                return;
        udev_builtin_add_propertyf(dev, test, "ID_INPUT_WIDTH_MM", "%d", (x.maximum - x.minimum) / x.resolution);
        udev_builtin_add_propertyf(dev, test, "ID_INPUT_HEIGHT_MM", "%d", (y.maximum - y.minimum) / y.resolution);
}

static int builtin_input_id(Device *dev, int argc, char *argv[], bool test) {
        const char *sysname;
        Device *pdev = dev;

        (void) argc;
        (void) argv;
        /* dev is usually eventN or mouseN below the input device that has the capabilities. */
        while (pdev) {
                if (device_get_sysattr_value(pdev, "capabilities/ev", NULL) >= 0)
                        break;
                if (device_get_parent_with_subsystem_devtype(pdev, "input", NULL, &pdev) < 0)
                        pdev = NULL;
        }
        if (pdev) {
                InputCaps c;
                bool is_pointer, is_key;

                udev_builtin_add_property(dev, test, "ID_INPUT", "1");
                read_caps(pdev, &c);
                is_pointer = classify_pointer(dev, &c, test);
                is_key = classify_keys(dev, &c, test);
                /* some evdev nodes have only a scroll wheel */
                if (!is_pointer && !is_key && bit_set(c.ev, EV_REL) &&
                    (bit_set(c.rel, REL_WHEEL) || bit_set(c.rel, REL_HWHEEL)))
                        udev_builtin_add_property(dev, test, "ID_INPUT_KEY", "1");
                if (bit_set(c.ev, EV_SW))
                        udev_builtin_add_property(dev, test, "ID_INPUT_SWITCH", "1");
        }
        if (device_get_sysname(dev, &sysname) >= 0 && startswith(sysname, "event"))
                add_size(dev, test);
        return 0;
}

const UdevBuiltin udev_builtin_input_id = {
        .name = "input_id",
        .cmd = builtin_input_id,
        .help = "Input device properties",
};
