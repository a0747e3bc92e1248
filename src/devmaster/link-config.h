/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * link-config.h: systemd.link files for the net_setup_link builtin, as udev 252 reads them:
 * *.link from /etc/systemd/network, /run/systemd/network, /usr/local/lib/systemd/network,
 * /usr/lib/systemd/network and /lib/systemd/network (same name: the earlier directory wins;
 * an empty file masks), each with its NAME.link.d/X.conf drop-ins, ordered by file name; the
 * first file whose [Match] section matches a link applies. Read here: [Match] (MACAddress,
 * PermanentMACAddress, OriginalName, Path, Driver, Type, Kind, Property and the conditions
 * Host, KernelCommandLine; Virtualization, KernelVersion, Credential, Architecture and
 * Firmware are accepted but not evaluated: they count as met) and the naming part of [Link]
 * (Name, NamePolicy). Everything else in [Link] and [SR-IOV] is accepted and not applied yet.
 *
 * LinkInfo is what a link is matched against: sysfs attributes, an RTM_GETLINK query
 * (type, flags, kind, addresses) and the read-only ethtool queries for the driver and the
 * permanent address.
 */

#include <stdbool.h>
#include <stdint.h>

#include "device.h"

typedef struct LinkConfig LinkConfig;
typedef struct LinkConfigContext LinkConfigContext;

typedef struct LinkInfo {
        Device *device; /* borrowed */
        const char *ifname;
        int ifindex;
        DeviceAction action;
        unsigned name_assign_type, addr_assign_type;
        unsigned short iftype;
        unsigned flags;
        char *kind, *driver;
        uint8_t hw_addr[32], perm_hw_addr[32];
        size_t hw_addr_len, perm_hw_addr_len;
} LinkInfo;

/* dirs NULL: the standard directories. 0 or -ENOMEM. Files with errors are skipped. */
int link_config_ctx_new(char **dirs, LinkConfigContext **ret);
LinkConfigContext *link_config_ctx_free(LinkConfigContext *ctx);
/* (Re)reads all .link files. */
int link_config_load(LinkConfigContext *ctx);
/* Whether a .link file or drop-in appeared, vanished or changed since the last load. */
bool link_config_should_reload(LinkConfigContext *ctx);

/* Fills info for the network device dev. -ENODEV if the interface is gone. */
int link_info_init(LinkInfo *info, Device *dev);
void link_info_done(LinkInfo *info);

/* The first config matching info (never for loopback), or -ENOENT. */
int link_config_find(LinkConfigContext *ctx, const LinkInfo *info, const LinkConfig **ret);
const char *link_config_filename(const LinkConfig *config);
/* The name the interface should get per NamePolicy= and Name= (the current name when it is
 * to be kept), as udev 252 decides it. Never NULL. */
const char *link_config_new_name(const LinkConfig *config, const LinkInfo *info);
