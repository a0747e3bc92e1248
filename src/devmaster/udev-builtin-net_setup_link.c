/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev-builtin-net_setup_link.c: the net_setup_link builtin. Finds the .link file for a
 * network interface (link-config.h) and sets ID_NET_DRIVER (the ethtool driver name),
 * ID_NET_LINK_FILE and ID_NET_NAME, the name NamePolicy=/Name= choose on add/bind events
 * (other events keep the current name), as udev 252 does. The rules then rename the
 * interface with NAME="$env{ID_NET_NAME}". Not done yet: applying the link settings
 * (MACAddressPolicy, MTU, ethtool features, alternative names, SR-IOV) over ethtool and
 * rtnetlink; nothing on the machine is changed.
 */

#include <errno.h>

#include "link-config.h"
#include "log.h"
#include "udev-builtin.h"

static LinkConfigContext *ctx = NULL;

static int builtin_net_setup_link(Device *dev, int argc, char *argv[], bool test) {
        const LinkConfig *config;
        const char *name;
        LinkInfo info;
        int r;

        (void) argv;
        if (argc > 1)
                return log_device_error_errno(dev, EINVAL, "This program takes no arguments.");
        if (!ctx)
                return -ENOENT;
        r = link_info_init(&info, dev);
        if (r == -ENODEV) {
                log_device_debug_errno(dev, r, "Link vanished while getting information, ignoring.");
                link_info_done(&info);
                return 0;
        }
        if (r < 0) {
                link_info_done(&info);
                return log_device_warning_errno(dev, r, "Failed to get link information: %m");
        }
        if (info.driver)
                udev_builtin_add_property(dev, test, "ID_NET_DRIVER", info.driver);
        r = link_config_find(ctx, &info, &config);
        if (r < 0) {
                log_device_debug_errno(dev, r, "No matching link configuration found, ignoring device.");
                link_info_done(&info);
                return 0;
        }
        if (IN_SET(info.action, DEVICE_ACTION_ADD, DEVICE_ACTION_BIND, DEVICE_ACTION_MOVE))
                name = link_config_new_name(config, &info);
        else {
                log_device_debug(dev, "Skipping to apply .link settings on '%s' uevent.",
                                 device_action_to_string(info.action));
                name = info.ifname;
        }
        udev_builtin_add_property(dev, test, "ID_NET_LINK_FILE", link_config_filename(config));
        if (name)
                udev_builtin_add_property(dev, test, "ID_NET_NAME", name);
        link_info_done(&info);
        return 0;
}

static int builtin_net_setup_link_init(void) {
        int r;

        if (ctx)
                return 0;
        r = link_config_ctx_new(NULL, &ctx);
        if (r < 0)
                return r;
        r = link_config_load(ctx);
        if (r < 0)
                return r;
        log_debug("Created link configuration context.");
        return 0;
}

static void builtin_net_setup_link_exit(void) {
        ctx = link_config_ctx_free(ctx);
}

static bool builtin_net_setup_link_should_reload(void) {
        if (!ctx || !link_config_should_reload(ctx))
                return false;
        log_debug("Link configuration context needs reloading.");
        return true;
}

const UdevBuiltin udev_builtin_net_setup_link = {
        .name = "net_setup_link",
        .cmd = builtin_net_setup_link,
        .init = builtin_net_setup_link_init,
        .exit = builtin_net_setup_link_exit,
        .should_reload = builtin_net_setup_link_should_reload,
        .help = "Configure network link",
};
