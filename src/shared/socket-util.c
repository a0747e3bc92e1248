/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* socket-util.c: implementation of socket-util.h. */

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "fd-util.h"
#include "macro.h"
#include "socket-util.h"
#include "string-util.h"

int sockaddr_un_set_path(struct sockaddr_un *sa, const char *path) {
        size_t l = strlen(path);

        if (l == 0 || streq(path, "@"))
                return -EINVAL;
        /* We insist on room for the NUL, for abstract names too (as systemd does). */
        if (l + 1 > sizeof sa->sun_path)
                return -ENAMETOOLONG;
        *sa = (struct sockaddr_un) { .sun_family = AF_UNIX };
        memcpy(sa->sun_path, path, l + 1);
        if (path[0] != '@')
                return (int) (offsetof(struct sockaddr_un, sun_path) + l + 1);
        sa->sun_path[0] = '\0';
        return (int) (offsetof(struct sockaddr_un, sun_path) + l);
}

int notify_send(const char *state) {
        _cleanup_close_ int fd = -EBADF;
        struct sockaddr_un sa;
        const char *e = getenv("NOTIFY_SOCKET");
        int salen;

        if (!e || !*e)
                return 0;
        if (e[0] != '/' && e[0] != '@')
                return -EINVAL;
        salen = sockaddr_un_set_path(&sa, e);
        if (salen < 0)
                return salen;
        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        if (sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *) &sa, (socklen_t) salen) < 0)
                return -errno;
        return 1;
}
