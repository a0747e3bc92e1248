/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * udev-watch.h: OPTIONS+="watch" (spec udev.md §2.4, §3.4). A watched device node gets an
 * inotify watch for IN_CLOSE_WRITE on the daemon's inotify fd (shared by the manager and its
 * forked workers), recorded under <run>/watch/ as a pair of symlinks
 *     <wd>  -> <device id>      (the manager maps an inotify event back to the device)
 *     <id>  -> <wd>             (a worker ends the watch of a device it processes)
 * so that a restarted daemon can take the watches over (udev_watch_restore()). <run> is the
 * run directory of device-db.h (/run/udev).
 */

#include "device.h"

/* Starts watching dev's node: inotify_add_watch() and the two symlinks. 0 or a negative errno
 * (a device without node is -ENOENT). */
int udev_watch_begin(int inotify_fd, Device *dev);
/* Ends dev's watch if it has one (inotify_rm_watch() when inotify_fd >= 0, the symlinks
 * removed). 0 also when there was none. */
int udev_watch_end(int inotify_fd, Device *dev);
/* At start-up: re-adds the watches a previous daemon left recorded, dropping stale records. */
int udev_watch_restore(int inotify_fd);
/* The device a watch descriptor belongs to: 0 and a new reference, or a negative errno. */
int udev_watch_lookup(int wd, Device **ret);
