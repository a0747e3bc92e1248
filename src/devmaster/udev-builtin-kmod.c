/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev-builtin-kmod.c: the kmod builtin, `kmod load [ALIAS…]` (no alias: the device's
 * MODALIAS). Each alias is resolved with libkmod (aliases, blacklist, built-in modules) and
 * every module it names that is neither built in nor loaded is inserted with its
 * dependencies, honouring the blacklist. Failures are logged at debug level and never fail
 * the event, as in udev. In dry-run mode (udev-builtin.h) the insertion is recorded as
 * "kmod load MODULE" instead; the lookups still happen (they only read the module index).
 */

#include <errno.h>
#include <libkmod.h>
#include <stdarg.h>

#include "log.h"
#include "string-util.h"
#include "strv.h"
#include "udev-builtin.h"

static struct kmod_ctx *ctx = NULL;

static void kmod_log(void *data, int priority, const char *file, int line, const char *fn, const char *format,
                     va_list args) _printf_(6, 0);
static void kmod_log(void *data, int priority, const char *file, int line, const char *fn, const char *format,
                     va_list args) {
        (void) data;
        log_internalv(priority, 0, file, line, fn, format, args);
}

static int insert_one(struct kmod_module *mod) {
        const char *name = kmod_module_get_name(mod);
        int err;

        switch (kmod_module_get_initstate(mod)) {
        case KMOD_MODULE_BUILTIN:
                log_debug("Module '%s' is built in", name);
                return 0;
        case KMOD_MODULE_LIVE:
                log_debug("Module '%s' is already loaded", name);
                return 0;
        default:
                break;
        }
        if (udev_builtin_is_dry_run())
                return udev_builtin_record("kmod load %s", name);
        err = kmod_module_probe_insert_module(mod, KMOD_PROBE_APPLY_BLACKLIST, NULL, NULL, NULL, NULL);
        if (err == 0)
                log_debug("Inserted module '%s'", name);
        else if (err == KMOD_PROBE_APPLY_BLACKLIST)
                log_debug("Module '%s' is deny-listed", name);
        else {
                log_debug_errno(err, "Failed to insert module '%s': %m", name);
                if (!IN_SET(err, -ENODEV, -ENOENT))
                        return err;
        }
        return 0;
}

static int module_load(const char *alias) {
        struct kmod_list *list = NULL, *itr;
        int r;

        log_debug("Loading module: %s", alias);
        r = kmod_module_new_from_lookup(ctx, alias, &list);
        if (r < 0)
                return log_debug_errno(r, "Failed to look up module alias '%s': %m", alias);
        if (!list)
                return log_debug_errno(ENOENT, "Failed to find module '%s'", alias), -ENOENT;
        kmod_list_foreach(itr, list) {
                struct kmod_module *mod = kmod_module_get_module(itr);
                int k = insert_one(mod);

                if (k < 0)
                        r = k;
                kmod_module_unref(mod);
        }
        kmod_module_unref_list(list);
        return r;
}

static int builtin_kmod(Device *dev, int argc, char *argv[], bool test) {
        const char *modalias;
        int r;

        (void) test;
        if (!ctx)
                return 0;
        if (argc < 2 || !streq(argv[1], "load"))
                return log_device_warning_errno(dev, EINVAL, "%s: expected: load [module…]", argv[0]);
        if (argc == 2) {
                r = device_get_property_value(dev, "MODALIAS", &modalias);
                if (r < 0)
                        return log_device_warning_errno(dev, r, "Failed to read property \"MODALIAS\".");
                (void) module_load(modalias);
        } else
                for (int i = 2; i < argc; i++)
                        (void) module_load(argv[i]);
        return 0;
}

static int builtin_kmod_init(void) {
        if (ctx)
                return 0;
        ctx = kmod_new(NULL, NULL);
        if (!ctx)
                return -ENOMEM;
        log_debug("Loading kernel module index.");
        kmod_set_log_fn(ctx, kmod_log, NULL);
        (void) kmod_load_resources(ctx);
        return 0;
}

static void builtin_kmod_exit(void) {
        if (!ctx)
                return;
        log_debug("Unload kernel module index.");
        ctx = kmod_unref(ctx);
}

static bool builtin_kmod_should_reload(void) {
        if (!ctx || kmod_validate_resources(ctx) == KMOD_RESOURCES_OK)
                return false;
        log_debug("Kernel module index needs reloading.");
        return true;
}

const UdevBuiltin udev_builtin_kmod = {
        .name = "kmod",
        .cmd = builtin_kmod,
        .init = builtin_kmod_init,
        .exit = builtin_kmod_exit,
        .should_reload = builtin_kmod_should_reload,
        .help = "Kernel module loader",
};
