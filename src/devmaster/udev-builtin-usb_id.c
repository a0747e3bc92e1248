/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev-builtin-usb_id.c: the usb_id builtin. The identity of a USB device (or of the device
 * below a USB interface): vendor, model, revision and serial from the USB attributes, or for
 * SCSI/ATAPI mass storage from the SCSI device; the interface type; the list of all
 * interfaces of the device from its descriptors. Sets ID_{BUS,VENDOR,MODEL,SERIAL,...} (only
 * when ID_BUS is not set yet) and always the ID_USB_* copies, in udev 252's order.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fd-util.h"
#include "log.h"
#include "parse-util.h"
#include "string-util.h"
#include "udev-builtin.h"
#include "udev-event.h"

#define USB_DESCRIPTOR_INTERFACE 0x04

static const char *usb_iftype(unsigned class) {
        switch (class) {
        case 0x01: return "audio";
        case 0x03: return "hid";
        case 0x06: return "media";
        case 0x07: return "printer";
        case 0x08: return "storage";
        case 0x09: return "hub";
        case 0x0e: return "video";
        default: return "generic";
        }
}

/* The mass-storage subclass names; returns the subclass number (0 if it does not parse). */
static int usb_storage_subtype(const char *from, const char **ret) {
        int n = 0;

        *ret = "generic";
        if (safe_atoi(from, &n) < 0)
                return 0;
        switch (n) {
        case 1: *ret = "rbc"; break;
        case 2: *ret = "atapi"; break;
        case 3: *ret = "tape"; break;
        case 4: *ret = "floppy"; break;
        case 6: *ret = "scsi"; break;
        default: break;
        }
        return n;
}

static const char *scsi_type(const char *from) {
        unsigned n;

        if (safe_atou(from, &n) < 0)
                return "generic";
        switch (n) {
        case 0: case 0xe: return "disk";
        case 1: return "tape";
        case 4: case 7: case 0xf: return "optical";
        case 5: return "cd";
        default: return "generic";
        }
}

/* ":ccsspp:ccsspp:" with each distinct interface class/subclass/protocol of the descriptors. */
static int packed_interfaces(Device *dev, char *out, size_t size) {
        static uint8_t buf[18 + 65535];
        _cleanup_free_ char *fn = NULL;
        _cleanup_close_ int fd = -EBADF;
        const char *syspath;
        size_t pos = 0, len = 0;
        ssize_t n;

        out[0] = '\0';
        if (device_get_syspath(dev, &syspath) < 0)
                return -ENOENT;
        fn = strjoin(syspath, "/descriptors");
        if (!fn)
                return -ENOMEM;
        fd = open(fn, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return log_device_debug_errno(dev, errno, "Failed to open \"%s\": %m", fn);
        n = read(fd, buf, sizeof(buf));
        if (n < 18)
                return log_device_warning_errno(dev, EIO, "Short read from \"%s\"", fn), -EIO;
        /* An interface descriptor is 9 bytes: length, type, number, alternate, endpoints,
         * class, subclass, protocol, string index. */
        while (pos + 9 < (size_t) n && len + 7 < size - 2) {
                uint8_t *d = buf + pos;
                char one[8];

                if (d[0] < 3)
                        break;
                if (d[0] > (size_t) n - 9)
                        return log_device_debug_errno(dev, EIO, "Corrupt data read from \"%s\"", fn), -EIO;
                pos += d[0];
                if (d[1] != USB_DESCRIPTOR_INTERFACE)
                        continue;
                snprintf(one, sizeof(one), ":%02x%02x%02x", d[5], d[6], d[7]);
                if (strstr(out, one))
                        continue;
                memcpy(out + len, one, 8);
                len += 7;
        }
        if (len > 0) {
                out[len++] = ':';
                out[len] = '\0';
        }
        return 0;
}

/* value cleaned as udev does for IDs: whitespace trimmed/joined by '_', odd chars replaced. */
static void clean_id(const char *value, char *out, size_t size) {
        udev_replace_whitespace(value, out, size - 1);
        udev_replace_chars(out, NULL);
}

typedef struct UsbIds {
        char vendor[64], vendor_enc[256], model[64], model_enc[256];
        char serial[UDEV_RULES_NAME_SIZE], revision[64], type[64], instance[64];
} UsbIds;

/* SCSI vendor/model/type/revision for mass storage; false when something is missing. */
static bool scsi_ids(Device *dev, UsbIds *ids) {
        const char *name, *vendor, *model, *type, *rev;
        int host, bus, target, lun;
        Device *scsi;

        if (device_get_parent_with_subsystem_devtype(dev, "scsi", "scsi_device", &scsi) < 0) {
                log_device_debug(dev, "Unable to find parent SCSI device");
                return false;
        }
        if (device_get_sysname(scsi, &name) < 0)
                return false;
        if (sscanf(name, "%d:%d:%d:%d", &host, &bus, &target, &lun) != 4) {
                log_device_debug(scsi, "Invalid SCSI device");
                return false;
        }
        if (device_get_sysattr_value(scsi, "vendor", &vendor) < 0)
                return false;
        (void) udev_builtin_encode_devnode_name(vendor, ids->vendor_enc, sizeof(ids->vendor_enc));
        clean_id(vendor, ids->vendor, sizeof(ids->vendor));
        if (device_get_sysattr_value(scsi, "model", &model) < 0)
                return false;
        (void) udev_builtin_encode_devnode_name(model, ids->model_enc, sizeof(ids->model_enc));
        clean_id(model, ids->model, sizeof(ids->model));
        if (device_get_sysattr_value(scsi, "type", &type) < 0)
                return false;
        snprintf(ids->type, sizeof(ids->type), "%s", scsi_type(type));
        if (device_get_sysattr_value(scsi, "rev", &rev) < 0)
                return false;
        clean_id(rev, ids->revision, sizeof(ids->revision));
        /* some devices have the same identity on every LUN */
        snprintf(ids->instance, sizeof(ids->instance), "%d:%d", target, lun);
        return true;
}

static void usb_ids(Device *usb, const char *vendor_id, const char *product_id, UsbIds *ids) {
        const char *v;

        if (!ids->vendor[0]) {
                if (device_get_sysattr_value(usb, "manufacturer", &v) < 0)
                        v = vendor_id;
                (void) udev_builtin_encode_devnode_name(v, ids->vendor_enc, sizeof(ids->vendor_enc));
                clean_id(v, ids->vendor, sizeof(ids->vendor));
        }
        if (!ids->model[0]) {
                if (device_get_sysattr_value(usb, "product", &v) < 0)
                        v = product_id;
                (void) udev_builtin_encode_devnode_name(v, ids->model_enc, sizeof(ids->model_enc));
                clean_id(v, ids->model, sizeof(ids->model));
        }
        if (!ids->revision[0] && device_get_sysattr_value(usb, "bcdDevice", &v) >= 0)
                clean_id(v, ids->revision, sizeof(ids->revision));
        if (!ids->serial[0] && device_get_sysattr_value(usb, "serial", &v) >= 0) {
                /* Serials with control, non-ASCII characters or commas are not trusted. */
                for (const unsigned char *p = (const unsigned char *) v; *p; p++)
                        if (*p < 0x20 || *p > 0x7f || *p == ',') {
                                v = NULL;
                                break;
                        }
                if (v)
                        clean_id(v, ids->serial, sizeof(ids->serial));
        }
}

static void add_ids(Device *dev, bool test, const char *prefix, const UsbIds *ids, const char *serial,
                    const char *vendor_id, const char *product_id) {
        char key[64];

#define ADD(name, value)                                                 \
        do {                                                             \
                snprintf(key, sizeof(key), "%s%s", prefix, name);        \
                udev_builtin_add_property(dev, test, key, value);        \
        } while (0)
        ADD("MODEL", ids->model);
        ADD("MODEL_ENC", ids->model_enc);
        ADD("MODEL_ID", product_id);
        ADD("SERIAL", serial);
        if (ids->serial[0])
                ADD("SERIAL_SHORT", ids->serial);
        ADD("VENDOR", ids->vendor);
        ADD("VENDOR_ENC", ids->vendor_enc);
        ADD("VENDOR_ID", vendor_id);
        ADD("REVISION", ids->revision);
        if (ids->type[0])
                ADD("TYPE", ids->type);
        if (ids->instance[0])
                ADD("INSTANCE", ids->instance);
#undef ADD
}

#define FOREACH_STRING_OF(p, ...) \
        for (const char *const *_l_ = (const char *const[]) { __VA_ARGS__, NULL }, *p; (p = *_l_); _l_++)

static int builtin_usb_id(Device *dev, int argc, char *argv[], bool test) {
        char packed[UDEV_RULES_NAME_SIZE] = "", serial[256];
        const char *devtype, *ifnum = NULL, *driver = NULL, *if_class, *vendor_id, *product_id;
        UsbIds ids = {};
        Device *intf, *usb;
        unsigned class;
        int protocol = 0, r;

        (void) argc;
        (void) argv;
        if (device_get_devtype(dev, &devtype) >= 0 && streq(devtype, "usb_device")) {
                (void) packed_interfaces(dev, packed, sizeof(packed));
                usb = dev;
                goto ids;
        }
        r = device_get_parent_with_subsystem_devtype(dev, "usb", "usb_interface", &intf);
        if (r < 0)
                return log_device_debug_errno(dev, r, "Failed to access usb_interface: %m");
        (void) device_get_sysattr_value(intf, "bInterfaceNumber", &ifnum);
        (void) device_get_sysattr_value(intf, "driver", &driver);
        r = device_get_sysattr_value(intf, "bInterfaceClass", &if_class);
        if (r < 0)
                return log_device_debug_errno(intf, r, "Failed to get bInterfaceClass attribute: %m");
        r = safe_atou_full(if_class, 16, &class);
        if (r < 0)
                return log_device_debug_errno(intf, r, "Failed to parse if_class: %m");
        if (class == 8) {
                const char *sub, *t = "";

                if (device_get_sysattr_value(intf, "bInterfaceSubClass", &sub) >= 0)
                        protocol = usb_storage_subtype(sub, &t);
                snprintf(ids.type, sizeof(ids.type), "%s", t);
        } else
                snprintf(ids.type, sizeof(ids.type), "%s", usb_iftype(class));
        log_device_debug(intf, "if_class:%u protocol:%i", class, protocol);
        r = device_get_parent_with_subsystem_devtype(intf, "usb", "usb_device", &usb);
        if (r < 0)
                return log_device_debug_errno(intf, r, "Failed to find parent 'usb' device");
        (void) packed_interfaces(usb, packed, sizeof(packed));
        if (IN_SET(protocol, 6, 2))
                (void) scsi_ids(dev, &ids);
ids:
        r = device_get_sysattr_value(usb, "idVendor", &vendor_id);
        if (r < 0)
                return log_device_debug_errno(usb, r, "Failed to get idVendor attribute: %m");
        r = device_get_sysattr_value(usb, "idProduct", &product_id);
        if (r < 0)
                return log_device_debug_errno(usb, r, "Failed to get idProduct attribute: %m");
        usb_ids(usb, vendor_id, product_id, &ids);

        /* vendor_model[_serial][-instance], cut at the buffer's size */
        serial[0] = '\0';
        FOREACH_STRING_OF(part, ids.vendor, "_", ids.model, ids.serial[0] ? "_" : "", ids.serial,
                          ids.instance[0] ? "-" : "", ids.instance)
                strncat(serial, part, sizeof(serial) - 1 - strlen(serial));
        if (device_get_property_value(dev, "ID_BUS", NULL) >= 0)
                log_device_debug(dev, "ID_BUS property is already set, setting only properties prefixed with \"ID_USB_\".");
        else {
                udev_builtin_add_property(dev, test, "ID_BUS", "usb");
                add_ids(dev, test, "ID_", &ids, serial, vendor_id, product_id);
        }
        add_ids(dev, test, "ID_USB_", &ids, serial, vendor_id, product_id);
        if (packed[0])
                udev_builtin_add_property(dev, test, "ID_USB_INTERFACES", packed);
        if (ifnum)
                udev_builtin_add_property(dev, test, "ID_USB_INTERFACE_NUM", ifnum);
        if (driver)
                udev_builtin_add_property(dev, test, "ID_USB_DRIVER", driver);
        return 0;
}

const UdevBuiltin udev_builtin_usb_id = {
        .name = "usb_id",
        .cmd = builtin_usb_id,
        .help = "USB device properties",
        .run_once = true,
};
