/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * hwdb.h: the compiled hardware database hwdb.bin as `systemd-hwdb update` 252 writes it
 * (hwdb-format.h has the on-disk layout): opening and looking up (this module, what sd-hwdb
 * does) and compiling hwdb.d sources into it (hwdb_update(), hwdb-update.c).
 *
 * A lookup walks the trie with the modalias; patterns with '*', '?' and '[' match with
 * fnmatch(). Every matching record contributes its properties; when several define the same
 * key, the one from the file of higher priority (later in the sorted file list), then the
 * later line, wins. Results keep the order in which keys were first met.
 */

#include <stdbool.h>
#include <stdint.h>

typedef struct Hwdb Hwdb;

/* The places udev 252 (Debian) looks for hwdb.bin, in order. */
extern const char *const hwdb_bin_paths[];

/* Maps path, or the first of hwdb_bin_paths that exists when path is NULL. 0, -ENOENT (none),
 * -EINVAL (not a hwdb.bin: bad signature or size), -EIO (too short), other errnos. */
int hwdb_open(const char *path, Hwdb **ret);
Hwdb *hwdb_free(Hwdb *h);
static inline void hwdb_freep(Hwdb **h) {
        if (*h)
                hwdb_free(*h);
}

/* Looks modalias up; then hwdb_next() steps through the results (key without the leading
 * space, value; both owned by the mapping). 0 or -ENOMEM. */
int hwdb_query(Hwdb *h, const char *modalias);
bool hwdb_next(Hwdb *h, const char **ret_key, const char **ret_value);
/* The open file's descriptor: pages are read from it as lookups need them, so a process
 * that closes inherited descriptors must keep this one. */
int hwdb_fd(const Hwdb *h);
/* True when the file opened is gone, replaced or modified (udev then reloads). */
bool hwdb_changed(Hwdb *h);

/* Compiles the *.hwdb files of <root>/etc/udev/hwdb.d and <root>/lib/udev/hwdb.d (same file
 * name: /etc wins; sorted by file name) into output, or <root><bin_dir>/hwdb.bin (bin_dir
 * NULL: /etc/udev), byte for byte as systemd-hwdb 252 does. Without any source file the
 * output is removed. Syntax problems are logged as warnings with file:line and skipped;
 * with strict they also make the result -EINVAL (the file is written anyway). */
int hwdb_update(const char *root, const char *bin_dir, const char *output, bool strict);
