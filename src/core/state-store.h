/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * state-store.h: the manager's persistent state, one LMDB file on tmpfs
 * (/run/sysmaster/state.lmdb). Keys are short strings ("m" for the manager, "u:NAME" per unit,
 * "j:ID" per job); values are serialize.h records. Writes collect in one write transaction that
 * state_store_commit() makes visible atomically: whatever instant the manager dies at, the
 * store holds the state of the last commit, never half of one (LMDB's copy-on-write B+tree and
 * double meta page). No fsync: /run does not outlive the machine, and a process crash loses
 * nothing the kernel already has.
 *
 * Why LMDB and not a log of our own: the store must be consistent at any instant of a crash,
 * read back per key at recovery, and updated per unit thousands of times during a boot. LMDB
 * gives atomic multi-key commits, per-key reads and in-place updates with no compaction and no
 * recovery code of ours; a log would need checksummed records, torn-tail handling and
 * compaction, all of which would be code to get right under crash. LMDB is small (one .a),
 * packaged by Debian, and used with MDB_NOLOCK: only one manager runs at a time (sysmaster-init
 * makes sure), so there is no lock file and no reader table.
 *
 * Owned by the manager (manager-store.c); one writer; not for use across fork().
 */

#include <stdbool.h>
#include <stddef.h>

#include "macro.h"

typedef struct StateStore StateStore;

/* Opens (creating) the store file at path. keep=false empties it (a fresh boot). */
int state_store_open(const char *path, bool keep, StateStore **ret);
/* Gives back the page buffers LMDB keeps for as long as its environment is open (without
 * MDB_WRITEMAP every page a write transaction dirties is a malloc()ed copy, cached after the
 * commit for the next transaction: a boot's or a daemon-reload's commits leave ~1.3 MB of them
 * at N = 1000) by opening the file again and closing the old environment. Not while changes
 * wait for a commit (0). 1 when done; on failure (negative errno) the old environment stays. */
int state_store_release_cache(StateStore *s);
/* Drops uncommitted changes and closes. */
StateStore *state_store_free(StateStore *s);
DEFINE_TRIVIAL_CLEANUP_FUNC(StateStore *, state_store_free);

/* Begins the write transaction now (no-op if open): what is read from here on and written
 * later is one consistent view (a restore reads and writes in one). */
int state_store_begin(StateStore *s);
/* Sets key to the size bytes at data in the open write transaction (begun if needed). */
int state_store_put(StateStore *s, const char *key, const void *data, size_t size);
/* Removes key (absent is fine). */
int state_store_delete(StateStore *s, const char *key);
/* Makes every change since the last commit visible at once. 0 when there was nothing to do,
 * 1 when a transaction was committed. */
int state_store_commit(StateStore *s);
/* Whether changes wait for a commit. */
bool state_store_pending(const StateStore *s);
/* Number of commits since opening (tests and benchmarks). */
unsigned long state_store_n_commits(const StateStore *s);

/* Calls visit for every committed key starting with prefix, in key order (uncommitted changes
 * are seen too when a write transaction is open). A negative return of visit stops the walk and
 * is returned. data is valid only during the call. */
typedef int (*StateStoreVisitor)(const char *key, const void *data, size_t size, void *userdata);
int state_store_foreach(StateStore *s, const char *prefix, StateStoreVisitor visit, void *userdata);
/* One key's value, copied (NUL-terminated for convenience; the size excludes the NUL):
 * -ENOENT if absent. */
int state_store_get(StateStore *s, const char *key, char **ret, size_t *ret_size);
