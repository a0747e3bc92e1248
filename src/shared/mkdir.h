/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * mkdir.h: "mkdir -p" for daemons that create their runtime and state directories, and its
 * reverse for the directories they leave empty. Directories that already exist are fine; nothing
 * is chmod()ed or chown()ed afterwards (the umask applies).
 */

#include <sys/types.h>

/* Creates every missing directory above the last component of path ("/a/b/c" → "/a", "/a/b"),
 * with mode. 0 on success (also when nothing had to be created), -ENOTDIR if the parent exists
 * but is not a directory, otherwise the -errno of the mkdir() that failed. */
int mkdir_parents(const char *path, mode_t mode);
/* Like mkdir_parents(), then path itself. -EEXIST if path exists but is not a directory. */
int mkdir_p(const char *path, mode_t mode);
/* Removes the parent directories of path that are empty, innermost first, stopping at the first
 * one that cannot be removed, at stop, or at a directory not below stop (stop itself stays). */
void rmdir_parents(const char *path, const char *stop);
