/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * device-db.h: the udev database under the run directory (default /run/udev; tests point it
 * elsewhere with device_db_set_run_dir()), in exactly udev 252's format:
 *
 *   data/<device id>       the record of an initialized device, lines in this order:
 *                          S:<devlink without /dev/>  (only with a device number)
 *                          L:<link priority>          (only with a device number, if non-zero)
 *                          I:<USEC_INITIALIZED>
 *                          E:<KEY>=<VALUE>            (properties set by rules/imports only)
 *                          G:<tag>                    (every tag the device ever had)
 *                          Q:<tag>                    (current tags)
 *                          V:1
 *                          A device without any of S/L/E/G/Q gets an empty file if it has a
 *                          device number or ifindex, and no file otherwise. Written to a
 *                          temporary file and renamed; mode 0644, 01644 with db_persist.
 *   tags/<tag>/<device id> empty files, mode 0444, one per tag.
 *
 * The existence of the record means "initialized". Reading merges the record into a Device
 * (devlinks, priority, USEC_INITIALIZED, E: properties, tags, version). Lines the reader
 * does not understand are skipped with a warning naming the file and line; W: (obsolete) and
 * unknown keys are ignored as udev ignores them.
 */

#include <stdbool.h>
#include <stddef.h>

#include "device.h"

/* NULL restores /run/udev; otherwise an absolute path, copied. 0, -EINVAL or -ENOMEM. */
int device_db_set_run_dir(const char *path);
const char *device_db_get_run_dir(void);

/* <run>/data/<device id>, owned by the caller. */
int device_db_get_path(Device *d, char **ret);

/* Loads d's record once (again only with force); a sealed device is skipped unless force.
 * 0 when read or when there is no record (the device then stays uninitialized), or a
 * negative errno when the record exists but cannot be read (or d has no id). */
int device_db_read(Device *d, bool force);
/* Merges the record at path into d: 0 when there is no file, else the number of lines that
 * were skipped as invalid (0 for a clean record). -E2BIG beyond 4 MiB. */
int device_db_read_file(Device *d, const char *path);
/* Merges record text (size bytes, NULs allowed: such lines are invalid) into d; name is used
 * in messages ("name:line: ..."). Returns the number of invalid lines skipped, or -ENOMEM. */
int device_db_parse(Device *d, const char *name, const char *data, size_t size);
/* The record text as device_db_write() would write it ("" for a record without
 * information); owned by the caller. */
int device_db_format(Device *d, char **ret);

/* Whether the record would carry information (devlinks, priority, E: properties, tags). */
bool device_db_has_info(Device *d);
/* Writes (or, for a device without information, number or ifindex, removes) d's record. */
int device_db_write(Device *d);
/* Whether a record was read into d (device_db_read() found one). */
bool device_db_was_read(Device *d);
/* absent: the caller knows d has no record file, so device_db_write() need not remove one. */
void device_db_set_file_absent(Device *d, bool absent);
/* Removes d's record; a missing record is fine. */
int device_db_delete(Device *d);
/* add: creates tags/<tag>/<id> for every tag of d and, with old, removes old's tags that d no
 * longer has; !add: removes d's tag files. Continues past errors and returns the first. */
int device_db_tag_index(Device *d, Device *old, bool add);
