/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev-builtin-net_id.c: the net_id builtin, predictable network interface names as systemd
 * 252 composes them (man systemd.net-naming-scheme): ID_NET_NAMING_SCHEME, ID_NET_NAME_MAC
 * (+ ID_OUI_FROM_DATABASE from the hwdb), ID_NET_NAME_ONBOARD, ID_NET_LABEL_ONBOARD,
 * ID_NET_NAME_SLOT and ID_NET_NAME_PATH for PCI, USB, BCMA, CCW, VIO, platform (ACPI),
 * netdevsim, Xen and devicetree devices. The scheme is v252 unless net.naming-scheme= on the
 * kernel command line or $NET_NAMING_SCHEME selects an older one (the flags of each scheme
 * decide which rules apply).
 */

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <linux/if_arp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "fd-util.h"
#include "log.h"
#include "parse-util.h"
#include "path-util.h"
#include "proc-cmdline.h"
#include "string-util.h"
#include "strv.h"
#include "udev-builtin-net_id.h"
#include "udev-builtin.h"

#define NAME_BUF 128 /* ALTIFNAMSIZ */
#define NET_ADDR_PERM 0
#define PCI_HEADER_TYPE_OFFSET 0x0e

static const NetNamingScheme naming_schemes[] = {
        { "v238", NAMING_V238 }, { "v239", NAMING_V239 }, { "v240", NAMING_V240 },
        { "v241", NAMING_V241 }, { "v243", NAMING_V243 }, { "v245", NAMING_V245 },
        { "v247", NAMING_V247 }, { "v249", NAMING_V249 }, { "v250", NAMING_V250 },
        { "v251", NAMING_V251 }, { "v252", NAMING_V252 },
};

const NetNamingScheme *net_naming_scheme_from_name(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(naming_schemes); i++)
                if (streq(naming_schemes[i].name, name))
                        return naming_schemes + i;
        if (streq(name, "latest"))
                return naming_schemes + ELEMENTSOF(naming_schemes) - 1;
        return NULL;
}

const NetNamingScheme *net_naming_scheme(void) {
        static const NetNamingScheme *cache = NULL;
        _cleanup_free_ char *cmdline = NULL;
        const char *e, *k;

        if (cache)
                return cache;
        (void) proc_cmdline_get_key("net.naming-scheme", 0, &cmdline);
        e = getenv("NET_NAMING_SCHEME");
        if (e)
                k = *e == ':' ? (cmdline ?: e + 1) : e; /* ':' lets the command line win */
        else
                k = cmdline;
        if (k) {
                cache = net_naming_scheme_from_name(k);
                if (cache) {
                        log_debug("Using interface naming scheme '%s'.", cache->name);
                        return cache;
                }
                log_warning("Unknown interface naming scheme '%s' requested, ignoring.", k);
        }
        cache = net_naming_scheme_from_name("v252");
        log_debug("Using default interface naming scheme '%s'.", cache->name);
        return cache;
}

static bool scheme_has(NetNamingFlags f) {
        return (net_naming_scheme()->flags & f) == f;
}

typedef enum NetNameType {
        NET_UNDEF,
        NET_PCI,
        NET_USB,
        NET_BCMA,
} NetNameType;

typedef struct NetNames {
        NetNameType type;
        Device *pcidev;
        char pci_slot[NAME_BUF];
        char pci_path[NAME_BUF];
        char pci_onboard[NAME_BUF];
        const char *pci_onboard_label;
        char usb_ports[NAME_BUF];
        char bcma_core[NAME_BUF];
} NetNames;

typedef struct LinkInfo {
        int ifindex, iflink, iftype;
        const char *devtype, *phys_port_name;
        uint8_t hw_addr[32];
        size_t hw_addr_len;
} LinkInfo;

/* Appends to buf; on overflow the whole name is dropped (it would not be unique). */
static void name_append(char *buf, size_t size, const char *fmt, ...) _printf_(3, 4);
static void name_append(char *buf, size_t size, const char *fmt, ...) {
        size_t l = strlen(buf);
        va_list ap;
        int n;

        if (l == 0 && buf[1] == '\x01') /* already dropped */
                return;
        va_start(ap, fmt);
        n = vsnprintf(buf + l, size - l, fmt, ap);
        va_end(ap);
        if (n < 0 || (size_t) n >= size - l) {
                buf[0] = '\0';
                buf[1] = '\x01';
        }
}

static Device *skip_virtio(Device *dev) {
        /* there is only ever one virtio bus per parent device */
        while (dev) {
                const char *s;

                if (device_get_subsystem(dev, &s) < 0 || !streq(s, "virtio"))
                        break;
                if (device_get_parent(dev, &dev) < 0)
                        return NULL;
        }
        return dev;
}

static int sysattr_int(Device *dev, const char *attr, int *ret) {
        const char *v;
        int r;

        r = device_get_sysattr_value(dev, attr, &v);
        if (r < 0)
                return r;
        return safe_atoi(v, ret);
}

static int sysattr_ulong(Device *dev, const char *attr, unsigned long *ret) {
        const char *v;
        uint64_t u;
        int r;

        r = device_get_sysattr_value(dev, attr, &v);
        if (r < 0)
                return r;
        log_device_debug(dev, "%s=%s", attr, v);
        r = safe_atou64_full(v, 10, &u);
        if (r < 0)
                return log_device_debug_errno(dev, r, "Failed to parse attribute %s, ignoring: %m", attr);
        *ret = (unsigned long) u;
        return 0;
}

/* The virtual function's "v<N>" suffix and its physical function, for SR-IOV. */
static int virtfn_info(Device *pcidev, Device **ret_physfn, char **ret_suffix) {
        _cleanup_device_unref_ Device *physfn = NULL;
        _cleanup_free_ char *p = NULL;
        _cleanup_closedir_ DIR *dir = NULL;
        const char *syspath, *physpath;
        struct dirent *de;
        int r;

        if (device_get_syspath(pcidev, &syspath) < 0)
                return -ENOENT;
        p = path_join(syspath, "physfn");
        if (!p)
                return -ENOMEM;
        r = device_new_from_syspath(&physfn, p);
        if (r < 0)
                return r;
        (void) device_get_syspath(physfn, &physpath);
        dir = opendir(physpath);
        if (!dir)
                return -errno;
        while ((de = readdir(dir))) {
                _cleanup_device_unref_ Device *child = NULL;
                _cleanup_free_ char *cp = NULL;
                const char *n = startswith(de->d_name, "virtfn"), *s;

                if (!n || !*n || n[strspn(n, "0123456789")])
                        continue;
                cp = path_join(physpath, de->d_name);
                if (!cp)
                        return -ENOMEM;
                if (device_new_from_syspath(&child, cp) < 0 || device_get_syspath(child, &s) < 0)
                        continue;
                if (streq(s, syspath)) {
                        *ret_suffix = strjoin("v", n);
                        if (!*ret_suffix)
                                return -ENOMEM;
                        *ret_physfn = TAKE_PTR(physfn);
                        return 0;
                }
        }
        return -ENOENT;
}

static int pci_onboard(Device *dev, const LinkInfo *info, NetNames *names) {
        unsigned long idx, dev_port = 0;
        const char *attr;
        int r;

        /* ACPI _DSM index, else the SMBIOS type 41 index */
        if (device_get_sysattr_value(names->pcidev, "acpi_index", &attr) >= 0)
                log_device_debug(names->pcidev, "acpi_index=%s", attr);
        else {
                r = device_get_sysattr_value(names->pcidev, "index", &attr);
                if (r < 0)
                        return r;
                log_device_debug(names->pcidev, "index=%s", attr);
        }
        uint64_t u;
        r = safe_atou64_full(attr, 10, &u);
        if (r < 0)
                return log_device_debug_errno(names->pcidev, r, "Failed to parse onboard index \"%s\": %m", attr);
        idx = (unsigned long) u;
        if (idx == 0 && !scheme_has(NAMING_ZERO_ACPI_INDEX))
                return log_device_debug_errno(names->pcidev, EINVAL, "Naming scheme does not allow onboard index==0.");
        /* Some firmware reports absurd indexes (VMware: 2^24-1); they are not reliable. */
        if (idx > (scheme_has(NAMING_16BIT_INDEX) ? 0xFFFFUL : 0x3FFFUL))
                return log_device_debug_errno(names->pcidev, ENOENT, "Not a valid onboard index: %lu", idx);
        (void) sysattr_ulong(dev, "dev_port", &dev_port);
        name_append(names->pci_onboard, sizeof(names->pci_onboard), "o%lu", idx);
        if (!isempty(info->phys_port_name))
                name_append(names->pci_onboard, sizeof(names->pci_onboard), "n%s", info->phys_port_name);
        else if (dev_port > 0)
                name_append(names->pci_onboard, sizeof(names->pci_onboard), "d%lu", dev_port);
        if (device_get_sysattr_value(names->pcidev, "label", &names->pci_onboard_label) < 0)
                names->pci_onboard_label = NULL;
        return 0;
}

/* Bit 7 of the header type in the PCI configuration space: a multi-function device. */
static int pci_multifunction(Device *dev) {
        _cleanup_free_ char *fn = NULL;
        _cleanup_close_ int fd = -EBADF;
        const char *syspath;
        uint8_t config[PCI_HEADER_TYPE_OFFSET + 1];
        ssize_t n;

        if (device_get_syspath(dev, &syspath) < 0)
                return -ENOENT;
        fn = path_join(syspath, "config");
        if (!fn)
                return -ENOMEM;
        fd = open(fn, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        n = read(fd, config, sizeof(config));
        if (n < (ssize_t) sizeof(config))
                return -EINVAL;
        return config[PCI_HEADER_TYPE_OFFSET] & 0x80 ? 1 : 0;
}

static bool pci_bridge(Device *dev) {
        const char *v, *p;

        if (device_get_sysattr_value(dev, "modalias", &v) < 0 || !startswith(v, "pci:"))
                return false;
        p = strrchr(v, 's');
        if (!p || p[1] != 'c')
                return false;
        return strncmp(p + 2, "04", 2) == 0; /* subclass 04: PCI bridge */
}

/* s390: function_id names the slot directory directly (8 hex digits). 1 found, 0 not, <0 stop. */
static int slot_from_function_id(Device *dev, int slots_fd, uint32_t *ret) {
        const char *attr;
        char fn[16];
        uint64_t id;
        int r;

        if (!scheme_has(NAMING_SLOT_FUNCTION_ID))
                return 0;
        if (device_get_sysattr_value(dev, "function_id", &attr) < 0)
                return 0;
        r = safe_atou64(attr, &id);
        if (r < 0)
                return log_device_debug_errno(dev, r, "Failed to parse function_id, ignoring: %s", attr);
        if (id == 0 || id > UINT32_MAX)
                return log_device_debug_errno(dev, EINVAL, "Invalid function id (0x%" PRIx64 "), ignoring.", id);
        snprintf(fn, sizeof(fn), "%08" PRIx64, id);
        if (faccessat(slots_fd, fn, F_OK, 0) < 0)
                return log_device_debug_errno(dev, errno, "Cannot access %s under pci slots, ignoring: %m", fn);
        *ret = (uint32_t) id;
        return 1;
}

/* The hotplug slot (ACPI _SUN) of the PCI device or of a PCI parent. 1 found, 0 none or not to
 * be used, <0 error. */
static int find_hotplug_slot(Device *dev, NetNames *names, unsigned *domain, uint32_t *ret) {
        _cleanup_device_unref_ Device *pci = NULL;
        _cleanup_closedir_ DIR *dir = NULL;
        Device *slotdev = names->pcidev;
        uint32_t slot = 0;
        int r;

        r = device_new_from_subsystem_sysname(&pci, "subsystem", "pci");
        if (r < 0)
                return log_debug_errno(r, "Failed to open the pci subsystem: %m");
        r = device_opendir(pci, "slots", &dir);
        if (r < 0)
                return log_device_debug_errno(dev, r, "Cannot access 'slots' subdirectory: %m");
        while (slotdev) {
                const char *sysname;
                struct dirent *de;

                r = slot_from_function_id(slotdev, dirfd(dir), &slot);
                if (r < 0)
                        return 0;
                if (r > 0) {
                        *domain = 0; /* a function_id slot is unique without the domain */
                        break;
                }
                if (device_get_sysname(slotdev, &sysname) < 0)
                        return -ENOENT;
                while ((de = readdir(dir))) {
                        char path[sizeof(de->d_name) + 32];
                        const char *address;
                        uint32_t i;

                        if (safe_atou32(de->d_name, &i) < 0 || i == 0)
                                continue;
                        snprintf(path, sizeof(path), "slots/%s/address", de->d_name);
                        if (device_get_sysattr_value(pci, path, &address) < 0)
                                continue;
                        if (!startswith(sysname, address)) /* the address has no function */
                                continue;
                        slot = i;
                        /* A bridge's slot would be claimed by every device behind it. */
                        if (scheme_has(NAMING_BRIDGE_NO_SLOT) && pci_bridge(slotdev)) {
                                if (!scheme_has(NAMING_BRIDGE_MULTIFUNCTION_SLOT)) {
                                        log_device_debug(dev, "Not using slot information because the PCI device is a bridge.");
                                        return 0;
                                }
                                if (pci_multifunction(names->pcidev) <= 0) {
                                        log_device_debug(dev, "Not using slot information because the PCI device associated with "
                                                         "the hotplug slot is a bridge and the PCI device has a single function.");
                                        return 0;
                                }
                        }
                        break;
                }
                if (slot > 0)
                        break;
                if (device_get_parent_with_subsystem_devtype(slotdev, "pci", NULL, &slotdev) < 0)
                        break;
                rewinddir(dir);
        }
        *ret = slot;
        return slot > 0;
}

static void name_port_suffix(char *buf, size_t size, const LinkInfo *info, unsigned long dev_port) {
        if (!isempty(info->phys_port_name))
                name_append(buf, size, "n%s", info->phys_port_name);
        else if (dev_port > 0)
                name_append(buf, size, "d%lu", dev_port);
}

static int pci_slot(Device *dev, const LinkInfo *info, NetNames *names) {
        unsigned domain, bus, slot, func;
        unsigned long dev_port = 0;
        const char *sysname;
        uint32_t hotplug = 0;
        int r;

        r = device_get_sysname(names->pcidev, &sysname);
        if (r < 0)
                return r;
        r = sscanf(sysname, "%x:%x:%x.%u", &domain, &bus, &slot, &func);
        log_device_debug(dev, "Parsing slot information from PCI device sysname \"%s\": %s", sysname,
                         r == 4 ? "success" : "failure");
        if (r != 4)
                return -ENOENT;
        /* ARI: up to 256 functions, the slot bits become the upper function bits */
        if (scheme_has(NAMING_NPAR_ARI) && device_get_sysattr_value(names->pcidev, "ari_enabled", &sysname) >= 0 &&
            streq(sysname, "1"))
                func += slot * 8;
        if (device_get_sysattr_value(dev, "dev_port", NULL) >= 0) {
                (void) sysattr_ulong(dev, "dev_port", &dev_port);
                /* old kernels put the IPoIB port into dev_id */
                if (dev_port == 0 && info->iftype == ARPHRD_INFINIBAND)
                        (void) sysattr_ulong(dev, "dev_id", &dev_port);
        }

        if (domain > 0)
                name_append(names->pci_path, sizeof(names->pci_path), "P%u", domain);
        name_append(names->pci_path, sizeof(names->pci_path), "p%us%u", bus, slot);
        if (func > 0 || pci_multifunction(names->pcidev) > 0)
                name_append(names->pci_path, sizeof(names->pci_path), "f%u", func);
        name_port_suffix(names->pci_path, sizeof(names->pci_path), info, dev_port);
        log_device_debug(dev, "PCI path identifier: domain=%u bus=%u slot=%u func=%u phys_port=%s dev_port=%lu -> %s",
                         domain, bus, slot, func, strempty(info->phys_port_name), dev_port,
                         names->pci_path[0] ? names->pci_path : "n/a");

        if (find_hotplug_slot(dev, names, &domain, &hotplug) <= 0)
                return 0;
        if (domain > 0)
                name_append(names->pci_slot, sizeof(names->pci_slot), "P%u", domain);
        name_append(names->pci_slot, sizeof(names->pci_slot), "s%" PRIu32, hotplug);
        if (func > 0 || pci_multifunction(names->pcidev) > 0)
                name_append(names->pci_slot, sizeof(names->pci_slot), "f%u", func);
        name_port_suffix(names->pci_slot, sizeof(names->pci_slot), info, dev_port);
        return 0;
}

static void add_suffixed(char *dst, size_t size, const char *base, const char *suffix) {
        size_t l = strlen(base);

        if (base[0] && l + strlen(suffix) < size) {
                memcpy(dst, base, l);
                strcpy(dst + l, suffix);
        }
}

static int names_pci(Device *dev, const LinkInfo *info, NetNames *names) {
        _cleanup_device_unref_ Device *physfn = NULL;
        _cleanup_free_ char *suffix = NULL;
        const char *subsystem;
        Device *parent;
        int r;

        r = device_get_parent(dev, &parent);
        if (r < 0)
                return r;
        parent = skip_virtio(parent);
        if (!parent)
                return -ENOENT;
        if (device_get_subsystem(parent, &subsystem) >= 0 && streq(subsystem, "pci")) {
                names->type = NET_PCI;
                names->pcidev = parent;
        } else {
                r = device_get_parent_with_subsystem_devtype(dev, "pci", NULL, &names->pcidev);
                if (r < 0)
                        return r;
        }
        if (scheme_has(NAMING_SR_IOV_V) && virtfn_info(names->pcidev, &physfn, &suffix) >= 0) {
                NetNames vf = { .pcidev = physfn };

                /* an SR-IOV virtual function: the physical function's names plus "v<N>" */
                (void) pci_onboard(dev, info, &vf);
                (void) pci_slot(dev, info, &vf);
                add_suffixed(names->pci_onboard, sizeof(names->pci_onboard), vf.pci_onboard, suffix);
                add_suffixed(names->pci_slot, sizeof(names->pci_slot), vf.pci_slot, suffix);
                add_suffixed(names->pci_path, sizeof(names->pci_path), vf.pci_path, suffix);
        } else {
                (void) pci_onboard(dev, info, names);
                (void) pci_slot(dev, info, names);
        }
        return 0;
}

static int names_usb(Device *dev, NetNames *names) {
        char name[256], *ports, *config, *intf, *s;
        const char *sysname;
        Device *usbdev;
        int r;

        r = device_get_parent_with_subsystem_devtype(dev, "usb", "usb_interface", &usbdev);
        if (r < 0)
                return r;
        r = device_get_sysname(usbdev, &sysname);
        if (r < 0)
                return r;
        /* "BUS-PORT.PORT:CONFIG.INTERFACE" */
        snprintf(name, sizeof(name), "%s", sysname);
        s = strchr(name, '-');
        if (!s)
                return -EINVAL;
        ports = s + 1;
        s = strchr(ports, ':');
        if (!s)
                return -EINVAL;
        *s = '\0';
        config = s + 1;
        s = strchr(config, '.');
        if (!s)
                return -EINVAL;
        *s = '\0';
        intf = s + 1;
        for (s = ports; (s = strchr(s, '.'));)
                *s = 'u';
        name_append(names->usb_ports, sizeof(names->usb_ports), "u%s", ports);
        if (!streq(config, "1")) /* config 1 is the common case */
                name_append(names->usb_ports, sizeof(names->usb_ports), "c%s", config);
        if (!streq(intf, "0"))
                name_append(names->usb_ports, sizeof(names->usb_ports), "i%s", intf);
        if (!names->usb_ports[0])
                return log_device_debug_errno(dev, ENAMETOOLONG, "Generated USB name would be too long.");
        names->type = NET_USB;
        return 0;
}

static int names_bcma(Device *dev, NetNames *names) {
        const char *sysname;
        Device *bcma;
        unsigned core;
        int r;

        r = device_get_parent_with_subsystem_devtype(dev, "bcma", NULL, &bcma);
        if (r < 0)
                return r;
        r = device_get_sysname(bcma, &sysname);
        if (r < 0)
                return r;
        if (sscanf(sysname, "bcma%*u:%u", &core) != 1)
                return -EINVAL;
        if (core > 0) /* core 0 is the common case */
                snprintf(names->bcma_core, sizeof(names->bcma_core), "b%u", core);
        names->type = NET_BCMA;
        return 0;
}

/* s390 channel devices: "c" + bus id without leading zeros and dots. */
static int names_ccw(Device *dev, char *out, size_t size) {
        const char *bus_id, *subsys;
        size_t start, len;
        Device *cdev;

        if (device_get_parent(dev, &cdev) < 0)
                return -ENOENT;
        cdev = skip_virtio(cdev);
        if (!cdev || device_get_subsystem(cdev, &subsys) < 0)
                return -ENOENT;
        if (!STR_IN_SET(subsys, "ccwgroup", "ccw"))
                return -ENOENT;
        if (device_get_sysname(cdev, &bus_id) < 0)
                return -ENOENT;
        len = strlen(bus_id);
        if (len != 8 && len != 9)
                return -EINVAL;
        start = strspn(bus_id, ".0");
        bus_id += start < len ? start : len - 1;
        if ((size_t) snprintf(out, size, "c%s", bus_id) >= size)
                return -ENAMETOOLONG;
        return 0;
}

static int parent_subsystem_is(Device *dev, const char *subsystem) {
        const char *s;
        Device *parent;
        int r;

        r = device_get_parent(dev, &parent);
        if (r < 0)
                return r;
        r = device_get_subsystem(parent, &s);
        if (r < 0)
                return r;
        return streq(s, subsystem) ? 0 : -ENOENT;
}

/* The syspath as the kernel's /sys path, whatever the sysfs root of the tests. */
static const char *sys_path(Device *dev) {
        const char *devpath;

        (void) device_get_devpath(dev, &devpath);
        return devpath;
}

/* IBM POWER virtual I/O: "v" + slot from /devices/vio/BBBBSSSS/net/ethN. */
static int names_vio(Device *dev, char *out, size_t size) {
        unsigned busid, slotid, ethid;

        if (parent_subsystem_is(dev, "vio") < 0)
                return -ENOENT;
        if (sscanf(sys_path(dev), "/devices/vio/%4x%4x/net/eth%u", &busid, &slotid, &ethid) != 3)
                return -EINVAL;
        snprintf(out, size, "v%u", slotid);
        return 0;
}

/* ARM64 ACPI platform devices: /devices/platform/VVVVMMMM:II (3 or 4 letter vendor). */
static int names_platform(Device *dev, char *out, size_t size) {
        static const char test_prefix[] = "/devices/platform/vvvvPPPP";
        const char *path = sys_path(dev), *pattern, *valid;
        unsigned model, instance, ethid;
        char vendor[5];

        if (parent_subsystem_is(dev, "platform") < 0)
                return -ENOENT;
        if (strlen(path) < strlen(test_prefix) + 1)
                return -EINVAL;
        if (path[strlen(test_prefix)] == ':') {
                pattern = "/devices/platform/%4s%4x:%2x/net/eth%u";
                valid = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        } else {
                pattern = "/devices/platform/%3s%4x:%2x/net/eth%u";
                valid = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        }
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        if (sscanf(path, pattern, vendor, &model, &instance, &ethid) != 4)
                return -EINVAL;
#pragma GCC diagnostic pop
        if (vendor[strspn(vendor, valid)])
                return -ENOENT;
        for (char *c = vendor; *c; c++)
                *c = (char) tolower((unsigned char) *c);
        snprintf(out, size, "a%s%xi%u", vendor, model, instance);
        return 0;
}

static int names_netdevsim(Device *dev, const LinkInfo *info, char *out, size_t size) {
        const char *sysname;
        Device *nsim;
        unsigned addr;

        if (!scheme_has(NAMING_NETDEVSIM))
                return -EOPNOTSUPP;
        if (isempty(info->phys_port_name))
                return -EINVAL;
        if (device_get_parent_with_subsystem_devtype(dev, "netdevsim", NULL, &nsim) < 0 ||
            device_get_sysname(nsim, &sysname) < 0)
                return -ENOENT;
        if (sscanf(sysname, "netdevsim%u", &addr) != 1)
                return -EINVAL;
        if ((size_t) snprintf(out, size, "i%un%s", addr, info->phys_port_name) >= size)
                return -ENOBUFS;
        return 0;
}

/* Xen netfront: "X" + N of /devices/vif-N/. */
static int names_xen(Device *dev, char *out, size_t size) {
        const char *p;
        char num[16];
        size_t n;
        unsigned id;

        if (!scheme_has(NAMING_XEN_VIF))
                return -EOPNOTSUPP;
        if (parent_subsystem_is(dev, "xen") < 0)
                return -ENOENT;
        p = startswith(sys_path(dev), "/devices/vif-");
        if (!p)
                return -ENOENT;
        n = strcspn(p, "/");
        if (!p[n] || n == 0 || n >= sizeof(num))
                return -ENOENT;
        memcpy(num, p, n);
        num[n] = '\0';
        /* plain decimal: no sign, no leading zero, no whitespace */
        if (num[strspn(num, "0123456789")] || (num[0] == '0' && num[1]) || safe_atou(num, &id) < 0)
                return -EINVAL;
        snprintf(out, size, "X%u", id);
        return 0;
}

/* Devicetree: "d" + N when /aliases/ethernetN points at the parent's of_node. */
static int names_devicetree(Device *dev, char *out, size_t size) {
        _cleanup_device_unref_ Device *ofnode = NULL, *dt = NULL, *aliases = NULL;
        _cleanup_free_ char *p = NULL, *ap = NULL;
        _cleanup_strv_free_ char **attrs = NULL;
        const char *ofpath, *dtpath, *rel, *parent_path;
        Device *parent;
        int r;

        if (!scheme_has(NAMING_DEVICETREE_ALIASES))
                return -EOPNOTSUPP;
        if (device_get_parent(dev, &parent) < 0 || device_get_syspath(parent, &parent_path) < 0)
                return -ENOENT;
        p = path_join(parent_path, "of_node");
        if (!p)
                return -ENOMEM;
        if (device_new_from_syspath(&ofnode, p) < 0 || device_new_from_path(&dt, "/proc/device-tree") < 0)
                return -ENOENT;
        (void) device_get_syspath(ofnode, &ofpath);
        (void) device_get_syspath(dt, &dtpath);
        rel = path_startswith(ofpath, dtpath);
        if (!rel)
                return -ENOENT;
        rel--; /* keep the leading '/', as the aliases have it */
        ap = path_join(dtpath, "aliases");
        if (!ap)
                return -ENOMEM;
        if (device_new_from_syspath(&aliases, ap) < 0 || device_get_sysattr_names(aliases, &attrs) < 0)
                return -ENOENT;
        STRV_FOREACH(a, attrs) {
                const char *index = startswith(*a, "ethernet"), *target, *conflict;
                unsigned i = 0;

                if (!index || device_get_sysattr_value(aliases, *a, &target) < 0)
                        continue;
                if (!path_equal(rel, target))
                        continue;
                if (isempty(index))
                        conflict = "ethernet0";
                else {
                        r = safe_atou(index, &i);
                        if (r < 0)
                                return r;
                        conflict = "ethernet";
                }
                if (i == 0 && device_get_sysattr_value(aliases, conflict, NULL) >= 0)
                        return log_device_debug_errno(dev, EEXIST, "Ethernet alias conflict: ethernet and ethernet0 both exist");
                snprintf(out, size, "d%u", i);
                return 0;
        }
        return -ENOENT;
}

/* Only a permanent 6-byte MAC makes a name. */
static int names_mac(Device *dev, const LinkInfo *info) {
        const char *s;
        unsigned t;
        int r;

        if (info->iftype == ARPHRD_INFINIBAND)
                return log_device_debug_errno(dev, EOPNOTSUPP, "Not generating MAC name for infiniband device.");
        if (info->hw_addr_len != 6)
                return log_device_debug_errno(dev, EOPNOTSUPP,
                                              "Not generating MAC name for device with MAC address of length %zu.",
                                              info->hw_addr_len);
        r = device_get_sysattr_value(dev, "addr_assign_type", &s);
        if (r < 0)
                return log_device_debug_errno(dev, r, "Failed to read addr_assign_type: %m");
        r = safe_atou(s, &t);
        if (r < 0)
                return log_device_debug_errno(dev, r, "Failed to parse addr_assign_type: %m");
        if (t != NET_ADDR_PERM)
                return log_device_debug_errno(dev, EINVAL, "addr_assign_type=%u, MAC address is not permanent.", t);
        return 0;
}

/* "aa:bb:cc…" (or '-' or '.'-grouped forms are not used by the kernel's address attribute). */
static int parse_hw_addr(const char *s, uint8_t *buf, size_t size, size_t *ret_len) {
        size_t n = 0;

        for (;;) {
                int hi, lo;

                if (n >= size)
                        return -EINVAL;
                hi = unhexchar(s[0]);
                lo = hi >= 0 ? unhexchar(s[1]) : -1;
                if (hi < 0 || lo < 0)
                        return -EINVAL;
                buf[n++] = (uint8_t) (hi << 4 | lo);
                s += 2;
                if (*s == '\0')
                        break;
                if (*s != ':')
                        return -EINVAL;
                s++;
        }
        *ret_len = n;
        return 0;
}

static int link_info(Device *dev, LinkInfo *info) {
        const char *s;
        int r;

        r = device_get_ifindex(dev, &info->ifindex);
        if (r < 0)
                return r;
        r = sysattr_int(dev, "iflink", &info->iflink);
        if (r < 0)
                return r;
        r = sysattr_int(dev, "type", &info->iftype);
        if (r < 0)
                return r;
        r = device_get_devtype(dev, &info->devtype);
        if (r < 0 && r != -ENOENT)
                return r;
        (void) device_get_sysattr_value(dev, "phys_port_name", &info->phys_port_name);
        r = device_get_sysattr_value(dev, "address", &s);
        if (r < 0 && r != -ENOENT)
                return r;
        if (r >= 0 && parse_hw_addr(s, info->hw_addr, sizeof(info->hw_addr), &info->hw_addr_len) < 0)
                log_device_debug(dev, "Failed to parse 'address' sysattr, ignoring");
        return 0;
}

static void add_name(Device *dev, bool test, const char *key, const char *prefix, const char *a, const char *b) {
        char str[NAME_BUF];

        if ((size_t) snprintf(str, sizeof(str), "%s%s%s", prefix, a, b) < sizeof(str))
                udev_builtin_add_property(dev, test, key, str);
}

static void add_mac_names(Device *dev, const LinkInfo *info, const char *prefix, bool test) {
        char mac[2 * sizeof(info->hw_addr) + 1] = "", oui[32];
        const uint8_t *a = info->hw_addr;

        for (size_t i = 0; i < info->hw_addr_len; i++)
                sprintf(mac + 2 * i, "%02x", a[i]);
        add_name(dev, test, "ID_NET_NAME_MAC", prefix, "x", mac);
        /* the vendor, unless the commonly misused 00:00:00 (Xerox) prefix */
        if (a[0] == 0 && a[1] == 0 && a[2] == 0)
                return;
        snprintf(oui, sizeof(oui), "OUI:%02X%02X%02X%02X%02X%02X", a[0], a[1], a[2], a[3], a[4], a[5]);
        (void) udev_builtin_hwdb_lookup(dev, NULL, oui, NULL, test);
}

/* The names of the first bus kind that applies; 1 when one applied (stop there), 0 if none. */
static int add_bus_names(Device *dev, const LinkInfo *info, const char *prefix, bool test) {
        char str[NAME_BUF];
        NetNames names = {};

        if (names_ccw(dev, str, sizeof(str)) >= 0)
                return add_name(dev, test, "ID_NET_NAME_PATH", prefix, str, ""), 1;
        if (names_vio(dev, str, sizeof(str)) >= 0)
                return add_name(dev, test, "ID_NET_NAME_SLOT", prefix, str, ""), 1;
        if (names_platform(dev, str, sizeof(str)) >= 0)
                return add_name(dev, test, "ID_NET_NAME_PATH", prefix, str, ""), 1;
        if (names_netdevsim(dev, info, str, sizeof(str)) >= 0)
                return add_name(dev, test, "ID_NET_NAME_PATH", prefix, str, ""), 1;
        if (names_xen(dev, str, sizeof(str)) >= 0)
                return add_name(dev, test, "ID_NET_NAME_SLOT", prefix, str, ""), 1;
        if (names_pci(dev, info, &names) < 0)
                return 0;
        if (names.type == NET_PCI) {
                if (names.pci_onboard[0])
                        add_name(dev, test, "ID_NET_NAME_ONBOARD", prefix, names.pci_onboard, "");
                if (names.pci_onboard_label)
                        add_name(dev, test, "ID_NET_LABEL_ONBOARD", scheme_has(NAMING_LABEL_NOPREFIX) ? "" : prefix,
                                 names.pci_onboard_label, "");
                if (names.pci_path[0])
                        add_name(dev, test, "ID_NET_NAME_PATH", prefix, names.pci_path, "");
                if (names.pci_slot[0])
                        add_name(dev, test, "ID_NET_NAME_SLOT", prefix, names.pci_slot, "");
                return 1;
        }
        if (names_usb(dev, &names) >= 0) {
                if (names.pci_path[0])
                        add_name(dev, test, "ID_NET_NAME_PATH", prefix, names.pci_path, names.usb_ports);
                if (names.pci_slot[0])
                        add_name(dev, test, "ID_NET_NAME_SLOT", prefix, names.pci_slot, names.usb_ports);
                return 1;
        }
        if (names_bcma(dev, &names) >= 0) {
                if (names.pci_path[0])
                        add_name(dev, test, "ID_NET_NAME_PATH", prefix, names.pci_path, names.bcma_core);
                if (names.pci_slot[0])
                        add_name(dev, test, "ID_NET_NAME_SLOT", prefix, names.pci_slot, names.bcma_core);
        }
        return 1;
}

static int builtin_net_id(Device *dev, int argc, char *argv[], bool test) {
        const char *prefix;
        char str[NAME_BUF];
        LinkInfo info = {};
        int r;

        (void) argc;
        (void) argv;
        r = link_info(dev, &info);
        if (r < 0)
                return r;
        if (info.ifindex != info.iflink) /* stacked devices (VLANs, …) */
                return 0;
        switch (info.iftype) {
        case ARPHRD_ETHER:
                prefix = "en";
                break;
        case ARPHRD_INFINIBAND:
                if (!scheme_has(NAMING_INFINIBAND))
                        return 0;
                prefix = "ib";
                break;
        case ARPHRD_SLIP:
                prefix = "sl";
                break;
        default:
                return 0;
        }
        if (streq_ptr(info.devtype, "wlan"))
                prefix = "wl";
        else if (streq_ptr(info.devtype, "wwan"))
                prefix = "ww";

        udev_builtin_add_property(dev, test, "ID_NET_NAMING_SCHEME", net_naming_scheme()->name);
        if (names_mac(dev, &info) >= 0)
                add_mac_names(dev, &info, prefix, test);
        if (streq(prefix, "en") && names_devicetree(dev, str, sizeof(str)) >= 0)
                add_name(dev, test, "ID_NET_NAME_ONBOARD", prefix, str, "");
        (void) add_bus_names(dev, &info, prefix, test);
        return 0;
}

static int builtin_net_id_init(void) {
        (void) net_naming_scheme(); /* decided once, before any worker asks */
        return 0;
}

const UdevBuiltin udev_builtin_net_id = {
        .name = "net_id",
        .cmd = builtin_net_id,
        .init = builtin_net_id_init,
        .help = "Network device properties",
};
