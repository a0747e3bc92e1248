/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev-netif.c: renaming network interfaces for NAME= (udev-netif.h).
 */

#include <errno.h>
#include <linux/if.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "device-db.h"
#include "fd-util.h"
#include "log.h"
#include "string-util.h"
#include "udev-netif.h"

bool udev_netif_name_is_valid(const char *name) {
        bool all_digits = true;
        size_t n;

        if (!name)
                return false;
        n = strlen(name);
        /* "all" and "default" would collide with /proc/sys/net/ipv{4,6}/conf/{all,default} */
        if (n == 0 || n >= IFNAMSIZ || STR_IN_SET(name, ".", "..", "all", "default"))
                return false;
        for (const char *p = name; *p; p++) {
                unsigned char c = (unsigned char) *p;

                if (c >= 127 || c <= 32 || IN_SET(c, ':', '/', '%'))
                        return false;
                if (c < '0' || c > '9')
                        all_digits = false;
        }
        return !all_digits;
}

int udev_netif_set_name(int ifindex, const char *name) {
        struct {
                struct nlmsghdr nh;
                struct ifinfomsg ifi;
                char attrs[RTA_SPACE(IFNAMSIZ)];
        } req = {
                .nh.nlmsg_type = RTM_SETLINK,
                .nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
                .nh.nlmsg_seq = 1,
                .ifi.ifi_family = AF_UNSPEC,
                .ifi.ifi_index = ifindex,
        };
        struct {
                struct nlmsghdr nh;
                struct nlmsgerr err;
                char rest[512];
        } ack;
        struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
        struct timeval tv = { .tv_sec = 5 };
        _cleanup_close_ int fd = -EBADF;
        struct rtattr *rta = (struct rtattr *) req.attrs;
        size_t n = strlen(name);
        ssize_t k;

        if (ifindex <= 0 || !udev_netif_name_is_valid(name))
                return -EINVAL;
        rta->rta_type = IFLA_IFNAME;
        rta->rta_len = RTA_LENGTH(n + 1);
        memcpy(RTA_DATA(rta), name, n + 1);
        req.nh.nlmsg_len = NLMSG_LENGTH(sizeof req.ifi) + RTA_ALIGN(rta->rta_len);

        fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0)
                return -errno;
        (void) setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        if (sendto(fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *) &kernel, sizeof kernel) < 0)
                return -errno;
        for (;;) {
                k = recv(fd, &ack, sizeof ack, 0);
                if (k < 0)
                        return errno == EAGAIN ? -ETIMEDOUT : -errno;
                if ((size_t) k < NLMSG_LENGTH(sizeof(struct nlmsgerr)) || ack.nh.nlmsg_seq != 1)
                        continue;
                if (ack.nh.nlmsg_type == NLMSG_ERROR)
                        return ack.err.error; /* 0 or a negative errno */
        }
}

int udev_netif_rename(UdevEvent *e) {
        Device *dev = e->dev;
        _cleanup_free_ char *oldname = NULL;
        const char *s;
        int ifindex, r;

        if (!e->name || !e->dev_db_clone)
                return 0;
        r = device_get_sysname(e->dev_db_clone, &s);
        if (r < 0)
                return log_device_error_errno(dev, r, "Failed to get sysname: %m");
        if (streq(e->name, s))
                return 0;
        if (!device_for_action(dev, DEVICE_ACTION_ADD))
                return 0;
        r = device_get_ifindex(dev, &ifindex);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return log_device_error_errno(dev, r, "Failed to get ifindex: %m");
        if (!udev_netif_name_is_valid(e->name)) {
                log_device_warning(dev, "Invalid network interface name, ignoring: %s", e->name);
                return 0;
        }
        oldname = strdup(s);
        if (!oldname)
                return log_oom();

        r = device_add_property(dev, "ID_RENAMING", "1");
        if (r < 0)
                return log_device_warning_errno(dev, r, "Failed to add 'ID_RENAMING' property: %m");
        r = device_rename(dev, e->name);
        if (r < 0)
                return log_device_warning_errno(dev, r, "Failed to update properties with new name '%s': %m", e->name);
        /* the old record says "renaming" before the kernel announces the new name */
        r = device_add_property(e->dev_db_clone, "ID_RENAMING", "1");
        if (r < 0)
                return log_device_warning_errno(e->dev_db_clone, r, "Failed to add 'ID_RENAMING' property: %m");
        r = device_db_write(e->dev_db_clone);
        if (r < 0)
                return log_device_debug_errno(e->dev_db_clone, r, "Failed to update database under /run/udev/data/: %m");

        r = udev_netif_set_name(ifindex, e->name);
        if (r == -EBUSY) {
                log_device_info(dev, "Network interface '%s' is already up, cannot rename to '%s'.", oldname, e->name);
                return 0;
        }
        if (r < 0)
                return log_device_error_errno(dev, r, "Failed to rename network interface %i from '%s' to '%s': %m",
                                              ifindex, oldname, e->name);
        log_device_debug(dev, "Network interface %i is renamed from '%s' to '%s'", ifindex, oldname, e->name);
        return 1;
}
