/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * udev-netif.h: NAME= for network interfaces (spec udev.md §2.4 step 3). After the rules, an
 * "add" event of an interface whose NAME differs from its current name renames the interface
 * through rtnetlink (RTM_SETLINK with IFLA_IFNAME), as udevd 252 does: ID_RENAMING=1 is set on
 * the event and stored in the old record first (clients seeing RTM_NEWLINK can tell), the
 * Device follows the new name, and an interface that is already up (-EBUSY) keeps its name
 * with an info message. Only the daemon's workers do this; test-udev never renames anything.
 */

#include "udev-event.h"

/* RTM_SETLINK ifindex → name. 0, -EBUSY when the interface is up, another negative errno. */
int udev_netif_set_name(int ifindex, const char *name);
/* Whether name is a valid interface name (udev 252's strict check, for NAME= and .link Name=:
 * 1..15 bytes of printable ASCII without ':', '/', '%' or blanks, not ".", "..", "all" or
 * "default", not all digits). */
bool udev_netif_name_is_valid(const char *name) _pure_;
/* The per-event step: 1 renamed, 0 nothing to do (no NAME, same name, not "add", not an
 * interface, invalid name, interface up), or a negative errno (logged). A UdevEvent hook. */
int udev_netif_rename(UdevEvent *e);
