/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fd-util.c: implementation of fd-util.h. */

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "fd-util.h"

int safe_close(int fd) {
        if (fd >= 0) {
                int saved = errno;
                close(fd);
                errno = saved;
        }
        return -1;
}

int read_full_file_flags(const char *path, size_t max_size, ReadFullFlags flags, char **ret, size_t *ret_size) {
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *buf = NULL;
        size_t n = 0, allocated = 0;

        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return -errno;
        for (;;) {
                size_t want;
                ssize_t k;

                if (n + 1 >= allocated) {
                        char *b;

                        /* No size check here: n <= max_size holds (checked after each read),
                         * and "max_size + 1" would overflow for SIZE_MAX ("no limit"). */
                        allocated = allocated ? allocated * 2 : 4096;
                        b = realloc(buf, allocated);
                        if (!b)
                                return -ENOMEM;
                        buf = b;
                }
                want = allocated - n - 1;
                k = read(fd, buf + n, want);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                n += (size_t) k;
                if (n > max_size)
                        return -E2BIG;
                if (k == 0 || ((flags & READ_FULL_SHORT_READ_IS_END) && (size_t) k < want))
                        break;
        }
        buf[n] = 0;
        *ret = TAKE_PTR(buf);
        if (ret_size)
                *ret_size = n;
        return 0;
}

int read_full_file(const char *path, size_t max_size, char **ret, size_t *ret_size) {
        return read_full_file_flags(path, max_size, 0, ret, ret_size);
}

int readlink_malloc(const char *path, char **ret) {
        size_t l = 256;

        for (;;) {
                char *c = malloc(l);
                ssize_t n;
                if (!c)
                        return -ENOMEM;
                n = readlink(path, c, l - 1);
                if (n < 0) {
                        int r = -errno;
                        free(c);
                        return r;
                }
                if ((size_t) n < l - 1) {
                        c[n] = 0;
                        *ret = c;
                        return 0;
                }
                free(c);
                if (l > 65536)
                        return -ENAMETOOLONG;
                l *= 2;
        }
}

int write_string_file(const char *path, const char *s) {
        _cleanup_close_ int fd = -1;
        size_t n = strlen(s);
        bool nl = n == 0 || s[n - 1] != '\n';

        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0644);
        if (fd < 0)
                return -errno;
        if (write(fd, s, n) != (ssize_t) n)
                return errno > 0 ? -errno : -EIO;
        if (nl && write(fd, "\n", 1) != 1)
                return errno > 0 ? -errno : -EIO;
        return 0;
}

int fd_move_above_stdio(int fd) {
        int n;

        if (fd < 0 || fd > 2)
                return fd;
        n = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (n < 0)
                return -errno;
        close(fd);
        return n;
}

void msghdr_put_fds(struct msghdr *mh, void *control, const int *fds, size_t n) {
        struct cmsghdr *c;

        mh->msg_control = control;
        mh->msg_controllen = CMSG_SPACE(sizeof(int) * n);
        c = CMSG_FIRSTHDR(mh);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * n);
        memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
}
