/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * uevent-parse.h: turning a NETLINK_KOBJECT_UEVENT datagram into a Device. The kernel sends
 * "ACTION@DEVPATH\0KEY=VALUE\0...\0" on group 1; udevd sends libudev messages
 * (libudev-message.h). Datagrams are untrusted input: every malformed one is refused with
 * -EINVAL and a debug message saying why, never a crash. The sender checks (credentials,
 * netlink pid, group) are the receiver's business, not this module's.
 */

#include <stdbool.h>
#include <stddef.h>

#include "device.h"

/* The smallest datagram accepted, as sd-device: anything shorter is no uevent. */
#define UEVENT_DATAGRAM_MIN 32

/* A kernel uevent: the "ACTION@/DEVPATH" header, then KEY=VALUE strings with at least
 * ACTION, DEVPATH, SUBSYSTEM and SEQNUM. The Device is sealed (nothing is read from sysfs). */
int uevent_parse_kernel(const void *buf, size_t len, Device **ret);
/* Either kind, told apart by the "libudev\0" prefix; *ret_is_libudev (may be NULL) says which. */
int uevent_parse_datagram(const void *buf, size_t len, Device **ret, bool *ret_is_libudev);
