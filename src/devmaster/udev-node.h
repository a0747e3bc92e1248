/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * udev-node.h: what udev 252 does to /dev after the rules: node ownership and mode, the
 * devlinks arbitrated by priority through the stack directories <run>/links/<escaped link>/
 * (one symlink per claimant, named by device id, target "<prio>:<devnode>", guarded by
 * flock() on .lock so concurrent processes agree), relative symlinks replaced atomically, and
 * /dev/{char,block}/M:m. The device tree root is "/dev"; the run directory is the one of
 * device-db.h.
 */

#include <stdbool.h>
#include <sys/types.h>

#include "device.h"

/* Applies mode (UDEV_RULES_MODE_INVALID: keep; GROUP without MODE gives 0660), uid and gid
 * (UID_INVALID/GID_INVALID: keep) to the node, only where they differ; SECLABEL pairs are
 * logged as unsupported. A missing node is not an error. 0 or a negative errno. */
int udev_node_apply_permissions(Device *dev, bool apply_mac, mode_t mode, uid_t uid, gid_t gid,
                                char **seclabels);
/* Removes dev's claim on the links old had and dev no longer has, claims dev's links, and
 * creates /dev/{char,block}/M:m. Failures for single links are logged and skipped. */
int udev_node_update(Device *dev, Device *old);
/* Drops dev's claim on each of its links (the next claimant takes over, or the link goes) and
 * removes /dev/{char,block}/M:m. */
int udev_node_remove(Device *dev);
/* The stack directory name of a link path below /dev: '/' as "\x2f", '\' as "\x5c"; too long
 * names are cut and end in an 11-character hash. size >= 12. Returns the length. */
size_t udev_node_escape_path(const char *src, char *dest, size_t size);
