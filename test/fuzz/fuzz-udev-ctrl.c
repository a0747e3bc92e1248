/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-udev-ctrl.c: feeds arbitrary bytes to the decoder of udev control messages (what
 * devmaster reads from /run/udev/control, udev-ctrl.h). Invariants checked (abort() when one
 * breaks): only 280-byte datagrams with the right magic are accepted; the decoded SET_ENV
 * buffer is always NUL-terminated; a decoded message of a known type encodes again and decodes
 * to the same type and payload.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "udev-ctrl.h"

static void check(bool ok, const char *what) {
        if (!ok) {
                fprintf(stderr, "fuzz-udev-ctrl: broken invariant: %s\n", what);
                abort();
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        uint8_t buf[UDEV_CTRL_MESSAGE_SIZE];
        UdevCtrlMessage m, again;
        int r;

        r = udev_ctrl_message_decode(data, size, &m);
        if (r < 0) {
                check(r == -EBADMSG || r == -EPROTO, "unexpected decode error");
                check(size != UDEV_CTRL_MESSAGE_SIZE || r == -EPROTO, "a 280-byte message refused for its size");
                return 0;
        }
        check(size == UDEV_CTRL_MESSAGE_SIZE, "a message of the wrong size was accepted");
        check(memchr(m.buf, 0, sizeof m.buf) != NULL, "unterminated buffer");
        if (udev_ctrl_message_type_to_string(m.type) == NULL)
                return 0;
        r = udev_ctrl_message_encode(&m, buf);
        check(r == 0, "a decoded message does not encode");
        r = udev_ctrl_message_decode(buf, sizeof buf, &again);
        check(r == 0, "an encoded message does not decode");
        check(again.type == m.type, "type changed");
        if (m.type == UDEV_CTRL_SET_ENV)
                check(strcmp(again.buf, m.buf) == 0, "SET_ENV payload changed");
        if (m.type == UDEV_CTRL_SET_LOG_LEVEL || m.type == UDEV_CTRL_SET_CHILDREN_MAX)
                check(again.intval == m.intval, "intval changed");
        return 0;
}
