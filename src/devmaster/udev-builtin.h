/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * udev-builtin.h: the builtin commands of IMPORT{builtin} and RUN{builtin}. Implemented so
 * far: path_id (pci, scsi, usb, platform, virtio, ACPI and a few more parent kinds, the
 * subset udev-test.pl and common machines need). The others fail with -EOPNOTSUPP
 * ("not implemented") so that rules depending on them simply do not match.
 */

#include <stdbool.h>

#include "device.h"
#include "udev-rules.h"

/* Whether a builtin runs at most once per event (blkid, path_id, usb_id). */
bool udev_builtin_run_once(UdevRulesBuiltin b);
/* Runs command (argv[0] names the builtin b) for dev, adding its properties to dev. 0 or a
 * negative errno (-ENOENT: nothing found, -EOPNOTSUPP: not implemented). */
int udev_builtin_run(Device *dev, UdevRulesBuiltin b, const char *command, bool test);
