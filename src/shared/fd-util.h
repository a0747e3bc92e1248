/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * fd-util.h: closing file descriptors safely, cleanup helpers for fds, FILE and DIR, and
 * small readers of whole files and symlinks.
 */

#include <dirent.h>
#include <stdio.h>
#include <unistd.h>

#include "macro.h"

/* Closes fd if >= 0, preserving errno; always returns -1. */
int safe_close(int fd);
static inline void closep(int *fd) {
        safe_close(*fd);
}
#define _cleanup_close_ _cleanup_(closep)
static inline void fclosep(FILE **f) {
        if (*f)
                fclose(*f);
}
#define _cleanup_fclose_ _cleanup_(fclosep)
static inline void closedirp(DIR **d) {
        if (*d)
                closedir(*d);
}
#define _cleanup_closedir_ _cleanup_(closedirp)

/* Reads a whole file (at most max_size bytes, SIZE_MAX for no limit; -E2BIG beyond) into a
 * NUL-terminated buffer owned by the caller. ret_size may be NULL. */
int read_full_file(const char *path, size_t max_size, char **ret, size_t *ret_size);
typedef enum ReadFullFlags {
        /* a read shorter than asked for is the end: the kernel hands a sysfs value to the first
         * read whole, and a tmpfs file reads short only at its end; saves the read() of 0 */
        READ_FULL_SHORT_READ_IS_END = 1 << 0,
} ReadFullFlags;
int read_full_file_flags(const char *path, size_t max_size, ReadFullFlags flags, char **ret, size_t *ret_size);
/* Reads the target of the symlink at path; -EINVAL if it is not a symlink. */
int readlink_malloc(const char *path, char **ret);
/* Writes s (plus a newline if it has none) to path, creating or truncating it. */
int write_string_file(const char *path, const char *s);
/* Moves fd to >= 3 with O_CLOEXEC (closing the original). Returns the new fd or -errno. */
int fd_move_above_stdio(int fd);

struct msghdr;
/* Attaches the n fds to mh as one SCM_RIGHTS control message built in control, which must hold
 * CMSG_SPACE(sizeof(int) * n) bytes and be aligned for struct cmsghdr. */
void msghdr_put_fds(struct msghdr *mh, void *control, const int *fds, size_t n);
