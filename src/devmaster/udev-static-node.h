/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * udev-static-node.h: OPTIONS+="static_node=<node>" (spec udev.md §1.7, §3.4). Nodes that
 * exist before any uevent (created from /lib/modules/$(uname -r)/modules.devname by
 * kmod-static-nodes.service, so that opening them loads the module) get, once when the daemon
 * starts, the OWNER/GROUP/MODE/TAG assignments that precede static_node= on the same rules
 * line, unconditionally (the line's match keys are not evaluated, as in udevd 252). Tags are
 * exported as symlinks <run>/static_node-tags/<tag>/<node with '/' escaped> -> /dev/<node>
 * (<run> as in device-db.h). Nodes that do not exist are skipped silently; a path that is no
 * device node is skipped with a warning. GROUP without MODE implies 0660.
 */

#include "udev-rules.h"

/* Applies every static_node= of the rules. 0, or the first negative errno (logged). */
int udev_static_node_apply(const UdevRules *rules);
