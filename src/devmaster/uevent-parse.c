/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * uevent-parse.c: kernel uevent datagrams, and the dispatch between kernel and libudev
 * messages (uevent-parse.h).
 */

#include <assert.h>
#include <errno.h>
#include <string.h>

#include "libudev-message.h"
#include "log.h"
#include "uevent-parse.h"

int uevent_parse_kernel(const void *buf, size_t len, Device **ret) {
        const char *s = buf, *nul;
        size_t header_len;

        assert(ret);
        if (!buf || len < UEVENT_DATAGRAM_MIN)
                return log_debug_errno(-EINVAL, "uevent: Invalid message length (%zu), ignoring.",
                                       len);
        nul = memchr(s, 0, len);
        if (!nul)
                return log_debug_errno(-EINVAL, "uevent: Message without NUL, ignoring.");
        header_len = (size_t) (nul - s);
        if (!memmem(s, header_len, "@/", 2))
                return log_debug_errno(-EINVAL, "uevent: Invalid message header, ignoring.");
        if (header_len + 1 >= len)
                return log_debug_errno(-EINVAL, "uevent: Message has no properties, ignoring.");
        return device_new_from_nulstr(ret, s + header_len + 1, len - header_len - 1);
}

int uevent_parse_datagram(const void *buf, size_t len, Device **ret, bool *ret_is_libudev) {
        bool libudev;
        int r;

        assert(ret);
        if (!buf || len < UEVENT_DATAGRAM_MIN)
                return log_debug_errno(-EINVAL, "uevent: Invalid message length (%zu), ignoring.",
                                       len);
        libudev = libudev_message_is_libudev(buf, len);
        r = libudev ? libudev_message_parse(buf, len, ret) : uevent_parse_kernel(buf, len, ret);
        if (r >= 0 && ret_is_libudev)
                *ret_is_libudev = libudev;
        return r;
}
