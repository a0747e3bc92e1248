/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * link-config.c: reading .link files and matching links against them (see link-config.h).
 */

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <linux/ethtool.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf-parser.h"
#include "escape.h"
#include "fd-util.h"
#include "link-config.h"
#include "log.h"
#include "parse-util.h"
#include "path-util.h"
#include "proc-cmdline.h"
#include "string-util.h"
#include "strv.h"
#include "udev-builtin-net_id.h"
#include "udev-netif.h"

/* name_assign_type values (linux/netdevice.h defines them as plain ints) */
#define NAME_ASSIGN_ENUM 1U
#define NAME_ASSIGN_PREDICTABLE 2U
#define NAME_ASSIGN_USER 3U
#define NAME_ASSIGN_RENAMED 4U

typedef enum NamePolicy {
        NAMEPOLICY_KERNEL,
        NAMEPOLICY_KEEP,
        NAMEPOLICY_DATABASE,
        NAMEPOLICY_ONBOARD,
        NAMEPOLICY_SLOT,
        NAMEPOLICY_PATH,
        NAMEPOLICY_MAC,
        _NAMEPOLICY_MAX,
} NamePolicy;

static const char *const name_policy_names[_NAMEPOLICY_MAX] = {
        "kernel", "keep", "database", "onboard", "slot", "path", "mac",
};

struct LinkConfig {
        char *filename;
        char **match_mac, **match_perm_mac; /* normalized "aa:bb:…" */
        char **match_path, **match_driver, **match_type, **match_kind, **match_name, **match_property;
        char **conditions; /* "Host=…", "KernelCommandLine=…", … with '|'/'!' kept */
        char *name;
        NamePolicy policy[32];
        size_t n_policy;
        LinkConfig *next;
};

struct LinkConfigContext {
        char **dirs;
        LinkConfig *configs;
        char *stamp; /* paths, sizes and mtimes of what was read */
};

static const char *const default_dirs[] = {
        "/etc/systemd/network",           "/run/systemd/network", "/usr/local/lib/systemd/network",
        "/usr/lib/systemd/network",       "/lib/systemd/network", NULL,
};

static LinkConfig *link_config_free(LinkConfig *c) {
        if (!c)
                return NULL;
        free(c->filename);
        strv_free(c->match_mac);
        strv_free(c->match_perm_mac);
        strv_free(c->match_path);
        strv_free(c->match_driver);
        strv_free(c->match_type);
        strv_free(c->match_kind);
        strv_free(c->match_name);
        strv_free(c->match_property);
        strv_free(c->conditions);
        free(c->name);
        free(c);
        return NULL;
}

static void configs_free(LinkConfigContext *ctx) {
        while (ctx->configs) {
                LinkConfig *n = ctx->configs->next;
                link_config_free(ctx->configs);
                ctx->configs = n;
        }
}

LinkConfigContext *link_config_ctx_free(LinkConfigContext *ctx) {
        if (!ctx)
                return NULL;
        configs_free(ctx);
        strv_free(ctx->dirs);
        free(ctx->stamp);
        free(ctx);
        return NULL;
}

int link_config_ctx_new(char **dirs, LinkConfigContext **ret) {
        LinkConfigContext *ctx = new0(LinkConfigContext, 1);

        if (!ctx)
                return -ENOMEM;
        ctx->dirs = strv_copy(dirs ?: (char **) default_dirs);
        if (!ctx->dirs) {
                free(ctx);
                return -ENOMEM;
        }
        *ret = ctx;
        return 0;
}

/* --- parsing ----------------------------------------------------------------------------- */

static int parse_hw_addr(const char *s, uint8_t *buf, size_t size, size_t *ret_len) {
        size_t n = 0;

        /* "aa:bb:cc:dd:ee:ff" or "aa-bb-…"; what the kernel's address attribute uses */
        for (;;) {
                int hi = unhexchar(s[0]), lo = hi >= 0 ? unhexchar(s[1]) : -1;

                if (hi < 0 || lo < 0 || n >= size)
                        return -EINVAL;
                buf[n++] = (uint8_t) (hi << 4 | lo);
                s += 2;
                if (!*s)
                        break;
                if (*s != ':' && *s != '-')
                        return -EINVAL;
                s++;
        }
        *ret_len = n;
        return 0;
}

static char *hw_addr_to_string(const uint8_t *a, size_t n) {
        char *s = new0(char, 3 * n + 1);

        if (!s)
                return NULL;
        for (size_t i = 0; i < n; i++)
                sprintf(s + 3 * i, i + 1 < n ? "%02x:" : "%02x", a[i]);
        return s;
}

/* Whitespace-separated words, quotes removed; an empty value clears the list. */
static int parse_words(const char *filename, unsigned line, const char *key, const char *value, char ***list,
                       bool hw_addrs) {
        const char *p = value;

        if (isempty(value)) {
                *list = strv_free(*list);
                return 0;
        }
        for (;;) {
                _cleanup_free_ char *w = NULL;
                int r = extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE);

                if (r < 0) {
                        log_syntax(NULL, LOG_WARNING, filename, line, r, "Invalid syntax, ignoring: %s=%s", key, value);
                        return 0;
                }
                if (r == 0)
                        return 0;
                if (hw_addrs) {
                        uint8_t a[32];
                        size_t n;
                        char *norm;

                        if (parse_hw_addr(w, a, sizeof(a), &n) < 0) {
                                log_syntax(NULL, LOG_WARNING, filename, line, EINVAL,
                                           "Invalid hardware address, ignoring: %s", w);
                                continue;
                        }
                        norm = hw_addr_to_string(a, n);
                        if (!norm)
                                return -ENOMEM;
                        free(w);
                        w = norm;
                }
                if (strv_consume(list, TAKE_PTR(w)) < 0)
                        return -ENOMEM;
        }
}

static int parse_name_policy(LinkConfig *c, const char *filename, unsigned line, const char *value) {
        const char *p = value;

        c->n_policy = 0;
        for (;;) {
                _cleanup_free_ char *w = NULL;
                int r = extract_first_word(&p, &w, NULL, 0), i;

                if (r <= 0)
                        return r == -ENOMEM ? r : 0;
                for (i = 0; i < _NAMEPOLICY_MAX; i++)
                        if (streq(w, name_policy_names[i]))
                                break;
                if (i == _NAMEPOLICY_MAX) {
                        log_syntax(NULL, LOG_WARNING, filename, line, EINVAL,
                                   "Failed to parse interface name policy, ignoring: %s", w);
                        continue;
                }
                if (c->n_policy < ELEMENTSOF(c->policy))
                        c->policy[c->n_policy++] = (NamePolicy) i;
        }
}

static int parse_assignment(const char *unit, const char *filename, unsigned line, const char *section,
                            unsigned section_line, const char *key, const char *value, void *userdata) {
        LinkConfig *c = userdata;

        (void) unit;
        (void) section_line;
        if (streq_ptr(section, "Match")) {
                if (streq(key, "MACAddress"))
                        return parse_words(filename, line, key, value, &c->match_mac, true);
                if (streq(key, "PermanentMACAddress"))
                        return parse_words(filename, line, key, value, &c->match_perm_mac, true);
                if (streq(key, "OriginalName"))
                        return parse_words(filename, line, key, value, &c->match_name, false);
                if (streq(key, "Path"))
                        return parse_words(filename, line, key, value, &c->match_path, false);
                if (streq(key, "Driver"))
                        return parse_words(filename, line, key, value, &c->match_driver, false);
                if (streq(key, "Type"))
                        return parse_words(filename, line, key, value, &c->match_type, false);
                if (streq(key, "Kind"))
                        return parse_words(filename, line, key, value, &c->match_kind, false);
                if (streq(key, "Property"))
                        return parse_words(filename, line, key, value, &c->match_property, false);
                if (STR_IN_SET(key, "Host", "Virtualization", "KernelCommandLine", "KernelVersion", "Credential",
                               "Architecture", "Firmware")) {
                        if (isempty(value)) {
                                c->conditions = strv_free(c->conditions);
                                return 0;
                        }
                        return strv_consume(&c->conditions, strjoin(key, "=", value));
                }
                return CONFIG_KEY_UNKNOWN;
        }
        if (streq_ptr(section, "Link")) {
                if (streq(key, "Name")) {
                        if (isempty(value)) {
                                c->name = mfree(c->name);
                                return 0;
                        }
                        if (!udev_netif_name_is_valid(value)) {
                                log_syntax(NULL, LOG_WARNING, filename, line, EINVAL,
                                           "Interface name is not valid or too long, ignoring assignment: %s", value);
                                return 0;
                        }
                        free(c->name);
                        c->name = strdup(value);
                        return c->name ? 0 : -ENOMEM;
                }
                if (streq(key, "NamePolicy"))
                        return parse_name_policy(c, filename, line, value);
                return 0; /* link settings: not applied yet */
        }
        return 0; /* [SR-IOV] */
}

static bool config_match_is_empty(const LinkConfig *c) {
        return strv_isempty(c->match_mac) && strv_isempty(c->match_perm_mac) && strv_isempty(c->match_path) &&
               strv_isempty(c->match_driver) && strv_isempty(c->match_type) && strv_isempty(c->match_kind) &&
               strv_isempty(c->match_name) && strv_isempty(c->match_property);
}

/* --- conditions ------------------------------------------------------------------------ */

static bool condition_met(const char *cond) {
        const char *v = strchr(cond, '=') + 1;
        bool negate;

        v += *v == '|';
        negate = *v == '!';
        v += negate;
        if (startswith(cond, "Host=")) {
                char host[256] = "";
                (void) gethostname(host, sizeof(host) - 1);
                return (fnmatch(v, host, FNM_CASEFOLD) == 0) != negate;
        }
        if (startswith(cond, "KernelCommandLine="))
                return (proc_cmdline_has_word(v) > 0) != negate;
        log_debug("Condition %s is not evaluated, assuming it is met.", cond);
        return true;
}

static bool conditions_met(char **conditions) {
        bool has_trigger = false, trigger_met = false;

        STRV_FOREACH(c, conditions) {
                bool trigger = strchr(*c, '=')[1] == '|', met = condition_met(*c);

                if (trigger) {
                        has_trigger = true;
                        trigger_met = trigger_met || met;
                } else if (!met)
                        return false;
        }
        return !has_trigger || trigger_met;
}

/* --- loading --------------------------------------------------------------------------- */

static int stamp_add(char **stamp, const char *path) {
        struct stat st;
        char buf[128];

        if (stat(path, &st) < 0)
                return 0;
        snprintf(buf, sizeof(buf), " %lld.%09ld:%lld\n", (long long) st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                 (long long) st.st_size);
        return strextend(stamp, path, buf) < 0 ? -ENOMEM : 0;
}

static int name_cmp(const void *a, const void *b) {
        return strcmp(strrchr(*(char *const *) a, '/') + 1, strrchr(*(char *const *) b, '/') + 1);
}

/* Files ending in suffix from dirs (subdir appended), first directory wins by name, sorted. */
static int list_files(char **dirs, const char *subdir, const char *suffix, char ***ret) {
        _cleanup_strv_free_ char **files = NULL;

        STRV_FOREACH(d, dirs) {
                _cleanup_free_ char *dir = subdir ? path_join(*d, subdir) : strdup(*d);
                _cleanup_closedir_ DIR *dd = NULL;
                struct dirent *de;

                if (!dir)
                        return -ENOMEM;
                dd = opendir(dir);
                if (!dd)
                        continue;
                while ((de = readdir(dd))) {
                        bool seen = false;

                        if (de->d_name[0] == '.' || !endswith(de->d_name, suffix))
                                continue;
                        STRV_FOREACH(f, files)
                                if (streq(strrchr(*f, '/') + 1, de->d_name))
                                        seen = true;
                        if (seen)
                                continue;
                        if (strv_consume(&files, path_join(dir, de->d_name)) < 0)
                                return -ENOMEM;
                }
        }
        if (files)
                qsort(files, strv_length(files), sizeof(char *), name_cmp);
        *ret = TAKE_PTR(files);
        return 0;
}

static bool file_is_empty(const char *path) {
        struct stat st;

        return stat(path, &st) >= 0 && (st.st_size == 0 || S_ISCHR(st.st_mode));
}

static const char *const sections[] = { "Match", "Link", "SR-IOV", NULL };

static int load_one(LinkConfigContext *ctx, const char *filename, LinkConfig **ret) {
        _cleanup_strv_free_ char **dropins = NULL;
        _cleanup_free_ char *dropin_dir = NULL;
        LinkConfig *c;
        int r;

        *ret = NULL;
        if (file_is_empty(filename)) {
                log_debug("Skipping empty file: %s", filename);
                return 0;
        }
        c = new0(LinkConfig, 1);
        if (!c || !(c->filename = strdup(filename)))
                return link_config_free(c), -ENOMEM;
        r = config_parse_file(NULL, filename, NULL, sections, parse_assignment, CONFIG_PARSE_WARN, c);
        dropin_dir = strjoin(strrchr(filename, '/') + 1, ".d");
        if (r >= 0 && dropin_dir && list_files(ctx->dirs, dropin_dir, ".conf", &dropins) >= 0)
                STRV_FOREACH(d, dropins) {
                        r = config_parse_file(NULL, *d, NULL, sections, parse_assignment, CONFIG_PARSE_WARN, c);
                        if (r < 0)
                                break;
                }
        if (r < 0) {
                link_config_free(c);
                return r;
        }
        if (config_match_is_empty(c) && strv_isempty(c->conditions)) {
                log_warning("%s: No valid settings found in the [Match] section, ignoring file. "
                            "To match all interfaces, add OriginalName=* in the [Match] section.",
                            filename);
                link_config_free(c);
                return 0;
        }
        if (!conditions_met(c->conditions)) {
                log_debug("%s: Conditions do not match the system environment, skipping.", filename);
                link_config_free(c);
                return 0;
        }
        log_debug("Parsed configuration file \"%s\"", filename);
        *ret = c;
        return 0;
}

static int compute_stamp(LinkConfigContext *ctx, char **ret) {
        _cleanup_strv_free_ char **files = NULL;
        _cleanup_free_ char *stamp = strdup("");
        int r;

        if (!stamp)
                return -ENOMEM;
        r = list_files(ctx->dirs, NULL, ".link", &files);
        if (r < 0)
                return r;
        STRV_FOREACH(f, files) {
                _cleanup_strv_free_ char **dropins = NULL;
                _cleanup_free_ char *dd = strjoin(strrchr(*f, '/') + 1, ".d");

                if (!dd)
                        return -ENOMEM;
                (void) stamp_add(&stamp, *f);
                if (file_is_empty(*f))
                        continue;
                if (list_files(ctx->dirs, dd, ".conf", &dropins) < 0)
                        return -ENOMEM;
                STRV_FOREACH(d, dropins)
                        (void) stamp_add(&stamp, *d);
        }
        *ret = TAKE_PTR(stamp);
        return 0;
}

int link_config_load(LinkConfigContext *ctx) {
        _cleanup_strv_free_ char **files = NULL;
        _cleanup_free_ char *stamp = NULL;
        LinkConfig **tail = &ctx->configs;
        int r;

        configs_free(ctx);
        /* what link_config_should_reload() compares with, also when a file failed to parse */
        r = compute_stamp(ctx, &stamp);
        if (r < 0)
                return r;
        r = list_files(ctx->dirs, NULL, ".link", &files);
        if (r < 0)
                return log_error_errno(r, "failed to enumerate link files: %m");
        STRV_FOREACH(f, files) {
                LinkConfig *c;

                r = load_one(ctx, *f, &c);
                if (r == -ENOMEM)
                        return r;
                if (c) {
                        *tail = c;
                        tail = &c->next;
                }
        }
        free(ctx->stamp);
        ctx->stamp = TAKE_PTR(stamp);
        return 0;
}

bool link_config_should_reload(LinkConfigContext *ctx) {
        _cleanup_free_ char *stamp = NULL;

        if (compute_stamp(ctx, &stamp) < 0)
                return true;
        return !streq_ptr(stamp, ctx->stamp);
}

/* --- link information ------------------------------------------------------------------ */

/* RTM_GETLINK for ifindex: type, flags, kind, address, permanent address. */
static int rtnl_link_info(LinkInfo *info) {
        struct {
                struct nlmsghdr nh;
                struct ifinfomsg ifi;
        } req = {
                .nh = { .nlmsg_len = sizeof(req), .nlmsg_type = RTM_GETLINK, .nlmsg_flags = NLM_F_REQUEST, .nlmsg_seq = 1 },
                .ifi = { .ifi_family = AF_UNSPEC, .ifi_index = info->ifindex },
        };
        _cleanup_close_ int fd = -EBADF;
        static uint8_t buf[65536];
        ssize_t n;

        fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0)
                return -errno;
        if (send(fd, &req, sizeof(req), 0) < 0)
                return -errno;
        n = recv(fd, buf, sizeof(buf), 0);
        if (n < 0)
                return -errno;
        for (struct nlmsghdr *nh = (struct nlmsghdr *) buf; NLMSG_OK(nh, (size_t) n); nh = NLMSG_NEXT(nh, n)) {
                if (nh->nlmsg_type == NLMSG_ERROR) {
                        const struct nlmsgerr *e = NLMSG_DATA(nh);
                        return e->error < 0 ? (e->error == -ENODEV ? -ENODEV : e->error) : -EIO;
                }
                if (nh->nlmsg_type != RTM_NEWLINK)
                        continue;
                struct ifinfomsg *ifi = NLMSG_DATA(nh);
                int len = (int) IFLA_PAYLOAD(nh);

                info->iftype = ifi->ifi_type;
                info->flags = ifi->ifi_flags;
                for (struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
                        size_t l = RTA_PAYLOAD(a);

                        if (a->rta_type == IFLA_ADDRESS && l <= sizeof(info->hw_addr)) {
                                memcpy(info->hw_addr, RTA_DATA(a), l);
                                info->hw_addr_len = l;
                        } else if (a->rta_type == IFLA_PERM_ADDRESS && l <= sizeof(info->perm_hw_addr)) {
                                memcpy(info->perm_hw_addr, RTA_DATA(a), l);
                                info->perm_hw_addr_len = l;
                        } else if (a->rta_type == IFLA_LINKINFO) {
                                int ll = (int) l;
                                for (struct rtattr *b = RTA_DATA(a); RTA_OK(b, ll); b = RTA_NEXT(b, ll))
                                        if (b->rta_type == IFLA_INFO_KIND && !info->kind)
                                                info->kind = strndup(RTA_DATA(b), RTA_PAYLOAD(b));
                        }
                }
                return 0;
        }
        return -EIO;
}

/* Read-only ethtool queries: the driver name and, if netlink had none, the permanent MAC. */
static void ethtool_link_info(LinkInfo *info) {
        _cleanup_close_ int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        struct ethtool_drvinfo drv = { .cmd = ETHTOOL_GDRVINFO };
        struct ifreq ifr = {};

        if (fd < 0)
                return;
        snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", info->ifname);
        ifr.ifr_data = (void *) &drv;
        if (ioctl(fd, SIOCETHTOOL, &ifr) >= 0 && drv.driver[0])
                info->driver = strndup(drv.driver, sizeof(drv.driver));
        if (info->hw_addr_len > 0 && info->perm_hw_addr_len == 0) {
                /* struct ethtool_perm_addr ends in a flexible array: room for 32 bytes */
                union {
                        struct ethtool_perm_addr pa;
                        uint8_t space[sizeof(struct ethtool_perm_addr) + 32];
                } perm = {};
                uint8_t *data = perm.space + sizeof(struct ethtool_perm_addr);

                perm.pa.cmd = ETHTOOL_GPERMADDR;
                perm.pa.size = 32;
                ifr.ifr_data = (void *) &perm;
                if (ioctl(fd, SIOCETHTOOL, &ifr) >= 0 && perm.pa.size <= sizeof(info->perm_hw_addr)) {
                        bool all_zero = true;
                        for (size_t i = 0; i < perm.pa.size; i++)
                                all_zero = all_zero && data[i] == 0;
                        if (!all_zero) {
                                memcpy(info->perm_hw_addr, data, perm.pa.size);
                                info->perm_hw_addr_len = perm.pa.size;
                        }
                }
        }
}

static void attr_unsigned(Device *dev, const char *attr, unsigned *ret) {
        const char *s;

        if (device_get_sysattr_value(dev, attr, &s) >= 0)
                (void) safe_atou(s, ret);
}

int link_info_init(LinkInfo *info, Device *dev) {
        int r;

        *info = (LinkInfo) { .device = dev };
        r = device_get_sysname(dev, &info->ifname);
        if (r < 0)
                return r;
        r = device_get_ifindex(dev, &info->ifindex);
        if (r < 0)
                return r;
        r = device_get_action(dev, &info->action);
        if (r < 0)
                return r;
        attr_unsigned(dev, "name_assign_type", &info->name_assign_type);
        attr_unsigned(dev, "addr_assign_type", &info->addr_assign_type);
        r = rtnl_link_info(info);
        if (r < 0)
                return r;
        ethtool_link_info(info);
        return 0;
}

void link_info_done(LinkInfo *info) {
        free(info->kind);
        free(info->driver);
        info->kind = info->driver = NULL;
}

/* --- matching -------------------------------------------------------------------------- */

static bool match_strv(char **patterns, const char *s) {
        bool match = false, has_positive = false;

        if (strv_isempty(patterns))
                return true;
        STRV_FOREACH(p, patterns) {
                bool invert = **p == '!';

                if (!invert)
                        has_positive = true;
                if (s && fnmatch(*p + invert, s, 0) == 0) {
                        if (invert)
                                return false;
                        match = true;
                }
        }
        return has_positive ? match : true;
}

static bool match_property(char **props, Device *dev) {
        STRV_FOREACH(p, props) {
                bool invert = **p == '!', v;
                const char *eq = strchr(*p + invert, '='), *dv;
                _cleanup_free_ char *key = NULL;

                if (!eq)
                        return false;
                key = strndup(*p + invert, eq - *p - invert);
                if (!key)
                        return false;
                v = device_get_property_value(dev, key, &dv) >= 0 && fnmatch(eq + 1, dv, 0) == 0;
                if (invert ? v : !v)
                        return false;
        }
        return true;
}

static bool match_addr(char **list, const uint8_t *a, size_t n) {
        _cleanup_free_ char *s = NULL;

        if (strv_isempty(list))
                return true;
        if (n == 0)
                return false;
        s = hw_addr_to_string(a, n);
        return s && strv_find(list, s);
}

static const char *arphrd_name(unsigned short t) {
        static const struct {
                unsigned short id;
                const char *name;
        } names[] = {
                { ARPHRD_NETROM, "netrom" },     { ARPHRD_ETHER, "ether" },       { ARPHRD_EETHER, "eether" },
                { ARPHRD_AX25, "ax25" },         { ARPHRD_PRONET, "pronet" },     { ARPHRD_CHAOS, "chaos" },
                { ARPHRD_IEEE802, "ieee802" },   { ARPHRD_ARCNET, "arcnet" },     { ARPHRD_APPLETLK, "appletlk" },
                { ARPHRD_DLCI, "dlci" },         { ARPHRD_ATM, "atm" },           { ARPHRD_METRICOM, "metricom" },
                { ARPHRD_IEEE1394, "ieee1394" }, { ARPHRD_EUI64, "eui64" },       { ARPHRD_INFINIBAND, "infiniband" },
                { ARPHRD_SLIP, "slip" },         { ARPHRD_CSLIP, "cslip" },       { ARPHRD_SLIP6, "slip6" },
                { ARPHRD_CSLIP6, "cslip6" },     { ARPHRD_RSRVD, "rsrvd" },       { ARPHRD_ADAPT, "adapt" },
                { ARPHRD_ROSE, "rose" },         { ARPHRD_X25, "x25" },           { ARPHRD_HWX25, "hwx25" },
                { ARPHRD_CAN, "can" },           { ARPHRD_PPP, "ppp" },           { ARPHRD_CISCO, "cisco" },
                { ARPHRD_LAPB, "lapb" },         { ARPHRD_DDCMP, "ddcmp" },       { ARPHRD_RAWHDLC, "rawhdlc" },
                { ARPHRD_RAWIP, "rawip" },       { ARPHRD_TUNNEL, "tunnel" },     { ARPHRD_TUNNEL6, "tunnel6" },
                { ARPHRD_FRAD, "frad" },         { ARPHRD_SKIP, "skip" },         { ARPHRD_LOOPBACK, "loopback" },
                { ARPHRD_LOCALTLK, "localtlk" }, { ARPHRD_FDDI, "fddi" },         { ARPHRD_BIF, "bif" },
                { ARPHRD_SIT, "sit" },           { ARPHRD_IPDDP, "ipddp" },       { ARPHRD_IPGRE, "ipgre" },
                { ARPHRD_PIMREG, "pimreg" },     { ARPHRD_HIPPI, "hippi" },       { ARPHRD_ASH, "ash" },
                { ARPHRD_ECONET, "econet" },     { ARPHRD_IRDA, "irda" },         { ARPHRD_FCPP, "fcpp" },
                { ARPHRD_FCAL, "fcal" },         { ARPHRD_FCPL, "fcpl" },         { ARPHRD_FCFABRIC, "fcfabric" },
                { ARPHRD_IEEE802_TR, "ieee802_tr" }, { ARPHRD_IEEE80211, "ieee80211" },
                { ARPHRD_IEEE80211_PRISM, "ieee80211_prism" }, { ARPHRD_IEEE80211_RADIOTAP, "ieee80211_radiotap" },
                { ARPHRD_IEEE802154, "ieee802154" }, { 805, "ieee802154_phy" },
                { ARPHRD_VOID, "void" },         { ARPHRD_NONE, "none" },
        };

        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (names[i].id == t)
                        return names[i].name;
        return NULL;
}

static bool config_matches(const LinkConfig *c, const LinkInfo *info) {
        const char *path = NULL, *type = NULL;

        (void) device_get_property_value(info->device, "ID_PATH", &path);
        if (device_get_devtype(info->device, &type) < 0 || isempty(type))
                type = arphrd_name(info->iftype);
        return match_addr(c->match_mac, info->hw_addr, info->hw_addr_len) &&
               match_addr(c->match_perm_mac, info->perm_hw_addr, info->perm_hw_addr_len) &&
               match_strv(c->match_path, path) && match_strv(c->match_driver, info->driver) &&
               match_strv(c->match_type, type) && match_strv(c->match_kind, info->kind) &&
               match_strv(c->match_name, info->ifname) && match_property(c->match_property, info->device);
}

int link_config_find(LinkConfigContext *ctx, const LinkInfo *info, const LinkConfig **ret) {
        if (info->flags & IFF_LOOPBACK) /* loopback is never configured by .link files */
                return -ENOENT;
        for (const LinkConfig *c = ctx->configs; c; c = c->next) {
                if (!config_matches(c, info))
                        continue;
                if (!strv_isempty(c->match_name) && !strv_find(c->match_name, "*") &&
                    info->name_assign_type == NAME_ASSIGN_ENUM)
                        log_device_warning(info->device,
                                           "Config file %s is applied to device based on potentially unpredictable interface name.",
                                           c->filename);
                else
                        log_device_debug(info->device, "Config file %s is applied", c->filename);
                *ret = c;
                return 0;
        }
        return -ENOENT;
}

const char *link_config_filename(const LinkConfig *config) {
        return config->filename;
}

/* net.ifnames=0 on the kernel command line turns NamePolicy= off. */
static bool name_policy_enabled(void) {
        bool b;

        return proc_cmdline_get_bool("net.ifnames", &b) <= 0 || b;
}

const char *link_config_new_name(const LinkConfig *c, const LinkInfo *info) {
        static const char *const policy_props[_NAMEPOLICY_MAX] = {
                [NAMEPOLICY_DATABASE] = "ID_NET_NAME_FROM_DATABASE", [NAMEPOLICY_ONBOARD] = "ID_NET_NAME_ONBOARD",
                [NAMEPOLICY_SLOT] = "ID_NET_NAME_SLOT",              [NAMEPOLICY_PATH] = "ID_NET_NAME_PATH",
                [NAMEPOLICY_MAC] = "ID_NET_NAME_MAC",
        };

        if (info->action == DEVICE_ACTION_MOVE) {
                log_device_debug(info->device, "Skipping to apply Name= and NamePolicy= on 'move' uevent.");
                return info->ifname;
        }
        if (IN_SET(info->name_assign_type, NAME_ASSIGN_USER, NAME_ASSIGN_RENAMED) &&
            !(net_naming_scheme()->flags & NAMING_ALLOW_RERENAMES)) {
                log_device_debug(info->device, "Device already has a name given by userspace, not renaming.");
                return info->ifname;
        }
        if (name_policy_enabled())
                for (size_t i = 0; i < c->n_policy; i++) {
                        const char *name = NULL;

                        switch (c->policy[i]) {
                        case NAMEPOLICY_KERNEL:
                                if (info->name_assign_type != NAME_ASSIGN_PREDICTABLE)
                                        continue;
                                return info->ifname; /* the kernel's name is predictable */
                        case NAMEPOLICY_KEEP:
                                if (!IN_SET(info->name_assign_type, NAME_ASSIGN_USER, NAME_ASSIGN_RENAMED))
                                        continue;
                                return info->ifname;
                        default:
                                (void) device_get_property_value(info->device, policy_props[c->policy[i]], &name);
                                break;
                        }
                        if (name && udev_netif_name_is_valid(name)) {
                                log_device_debug(info->device, "Policy *%s* yields \"%s\".",
                                                 name_policy_names[c->policy[i]], name);
                                return name;
                        }
                }
        if (c->name)
                return c->name;
        return info->ifname;
}
