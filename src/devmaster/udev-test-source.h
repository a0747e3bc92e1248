/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * udev-test-source.h: a stand-in for the kernel's uevent netlink group, used only by tests
 * ($DEVMASTER_TEST_UEVENT_SOCKET, see devmaster(8)). Inside a private network namespace the
 * daemon must not act on the host's real uevents, and userspace cannot pose as the kernel on
 * group 1, so tests send kernel-format datagrams ("ACTION@DEVPATH\0KEY=VALUE\0...") to a unix
 * datagram socket (mode 0600) instead. Each becomes a sealed Device exactly as a netlink
 * uevent would.
 *
 * With `trigger` the source also emulates the kernel's echo of writes to uevent files (what
 * `udevadm trigger` does) on a synthetic sysfs (device_get_sysfs_root()): every uevent file
 * below <sysfs>/devices is watched for IN_CLOSE_WRITE. Such a file must start with a line of
 * padding (newlines, at least as long as anything written to it, e.g. 256 of them) followed
 * by the device's real KEY=VALUE lines: a write lands at offset 0 without truncating, so its
 * text is the first line. The source reads "ACTION [UUID [KEY=VALUE ...]]" from it, puts the
 * padding back, and delivers what the kernel would send: ACTION, DEVPATH, SUBSYSTEM,
 * SYNTH_UUID (0 without a UUID), SYNTH_ARG_KEY=VALUE, the file's lines, SEQNUM (one above the
 * highest seen).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "device.h"
#include "event.h"

typedef void (*UdevTestSourceHandler)(Device *dev, void *userdata);

typedef struct UdevTestSource UdevTestSource;

/* Binds a new datagram socket at path (a stale one is replaced) and adds it to e; with trigger
 * also the uevent-file watches. handler gets each device (borrowed). 0 or a negative errno. */
int udev_test_source_new(Event *e, const char *path, bool trigger, UdevTestSourceHandler handler,
                         void *userdata, UdevTestSource **ret);
/* Closes the socket (and unlinks it) and the watches. NULL-safe, returns NULL. */
UdevTestSource *udev_test_source_free(UdevTestSource *s);

/* The kernel's datagram for a write of `command` ("change", "add UUID K=V", …) to the uevent
 * file of devpath whose subsystem is `subsystem` (NULL: none) and whose uevent file holds
 * `uevent` (KEY=VALUE lines, blank lines ignored): a new buffer in *ret, its size in
 * *ret_len. -EINVAL for an unknown action or malformed arguments. */
int udev_test_source_synthesize(const char *command, const char *devpath, const char *subsystem,
                                const char *uevent, uint64_t seqnum, char **ret, size_t *ret_len);
