/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev-builtin-blkid.c: the blkid builtin, `blkid [--offset=N] [--hint=NAME=VALUE]
 * [--noraid]`: probes the device node read-only with libblkid for a file system, RAID member
 * or partition table and sets ID_FS_*, ID_PART_TABLE_*, ID_PART_ENTRY_* the way udev 252
 * names them. Small whole disks (floppy size) with a partition table are not probed for file
 * systems. On a GPT disk holding the ESP/XBOOTLDR the machine booted from (the
 * LoaderDevicePartUUID EFI variable), ID_PART_GPT_AUTO_ROOT_UUID names the first (or
 * highest-versioned by label) root partition; its partition then gets ID_PART_GPT_AUTO_ROOT=1.
 * udev_builtin_blkid_set_image() makes tests probe a regular file instead of the node.
 */

#include <blkid/blkid.h>
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd-util.h"
#include "log.h"
#include "parse-util.h"
#include "string-util.h"
#include "udev-builtin.h"

#define strcaseeq(a, b) (strcasecmp((a), (b)) == 0)

#define GPT_ESP "c12a7328-f81f-11d2-ba4b-00a0c93ec93b"
#define GPT_XBOOTLDR "bc13c2ff-59e6-4262-a352-b275fd6f7172"
#if defined(__x86_64__)
#define GPT_ROOT_NATIVE "4f68bce3-e8cd-4db1-96e7-fbcaf984b709"
#elif defined(__aarch64__)
#define GPT_ROOT_NATIVE "b921b045-1df0-41c3-af44-4c6f280d3fae"
#elif defined(__i386__)
#define GPT_ROOT_NATIVE "44479540-f297-41b2-9af7-d131d5f0458a"
#endif
#ifdef BLKID_SUBLKS_FSINFO /* libblkid >= 2.39 */
#define SUBLKS_FSINFO BLKID_SUBLKS_FSINFO
#else
#define SUBLKS_FSINFO 0
#endif
#define GPT_FLAG_NO_AUTO (1ULL << 63)
#define LOADER_PART_UUID_VAR \
        "/sys/firmware/efi/efivars/LoaderDevicePartUUID-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f"

static char *image_path = NULL;

void udev_builtin_blkid_set_image(const char *path) {
        free(image_path);
        image_path = path ? strdup(path) : NULL;
}

/* blkid value names that become ID_FS_<NAME> with the value encoded. */
static const char *const encoded_fs_names[] = {
        "SYSTEM_ID", "PUBLISHER_ID", "APPLICATION_ID", "BOOT_SYSTEM_ID", "VOLUME_ID",
        "LOGICAL_VOLUME_ID", "VOLUME_SET_ID", "DATA_PREPARER_ID", NULL,
};

static void add_safe_and_encoded(Device *dev, bool test, const char *key, const char *value) {
        char s[256], k[64];

        blkid_safe_string(value, s, sizeof(s));
        udev_builtin_add_property(dev, test, key, s);
        blkid_encode_string(value, s, sizeof(s));
        snprintf(k, sizeof(k), "%s_ENC", key);
        udev_builtin_add_property(dev, test, k, s);
}

static void add_encoded(Device *dev, bool test, const char *key, const char *value) {
        char s[256];

        blkid_encode_string(value, s, sizeof(s));
        udev_builtin_add_property(dev, test, key, s);
}

static void add_value(Device *dev, bool test, const char *name, const char *value) {
        char k[256];

        if (streq(name, "TYPE"))
                udev_builtin_add_property(dev, test, "ID_FS_TYPE", value);
        else if (streq(name, "USAGE"))
                udev_builtin_add_property(dev, test, "ID_FS_USAGE", value);
        else if (streq(name, "VERSION"))
                udev_builtin_add_property(dev, test, "ID_FS_VERSION", value);
        else if (streq(name, "UUID"))
                add_safe_and_encoded(dev, test, "ID_FS_UUID", value);
        else if (streq(name, "UUID_SUB"))
                add_safe_and_encoded(dev, test, "ID_FS_UUID_SUB", value);
        else if (streq(name, "LABEL"))
                add_safe_and_encoded(dev, test, "ID_FS_LABEL", value);
        else if (STR_IN_SET(name, "FSSIZE", "FSLASTBLOCK", "FSBLOCKSIZE")) {
                snprintf(k, sizeof(k), "ID_FS_%s", name + 2);
                udev_builtin_add_property(dev, test, k, value);
        } else if (streq(name, "PTTYPE"))
                udev_builtin_add_property(dev, test, "ID_PART_TABLE_TYPE", value);
        else if (streq(name, "PTUUID"))
                udev_builtin_add_property(dev, test, "ID_PART_TABLE_UUID", value);
        else if (streq(name, "PART_ENTRY_NAME"))
                add_encoded(dev, test, "ID_PART_ENTRY_NAME", value);
        else if (streq(name, "PART_ENTRY_TYPE"))
                add_encoded(dev, test, "ID_PART_ENTRY_TYPE", value);
        else if (startswith(name, "PART_ENTRY_")) {
                snprintf(k, sizeof(k), "ID_%s", name);
                udev_builtin_add_property(dev, test, k, value);
        } else
                for (size_t i = 0; encoded_fs_names[i]; i++)
                        if (streq(name, encoded_fs_names[i])) {
                                snprintf(k, sizeof(k), "ID_FS_%s", name);
                                add_encoded(dev, test, k, value);
                                break;
                        }
}

/* The partition UUID of the ESP the boot loader started from (lower case), from EFI. */
static int loader_part_uuid(char *ret, size_t size) {
        _cleanup_free_ char *raw = NULL;
        size_t len, j = 0;

        if (read_full_file(LOADER_PART_UUID_VAR, 4096, &raw, &len) < 0 || len < 4 + 2 * 36)
                return -ENOENT;
        /* 4 bytes of attributes, then UTF-16LE text */
        for (size_t i = 4; i + 1 < len && j + 1 < size; i += 2) {
                char c = raw[i];
                if (c == '\0')
                        break;
                ret[j++] = (char) ((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
        }
        ret[j] = '\0';
        return j == 36 ? 0 : -EINVAL;
}

static bool label_newer(const char *a, const char *b) {
        if (!a)
                return false;
        if (!b)
                return true;
        return strverscmp(a, b) > 0;
}

static int find_gpt_root(Device *dev, blkid_probe pr, bool test) {
#ifdef GPT_ROOT_NATIVE
        _cleanup_free_ char *root_id = NULL, *root_label = NULL;
        bool found_esp = false;
        blkid_partlist pl;
        char esp[64];
        int n;

        pl = blkid_probe_get_partitions(pr);
        if (!pl)
                return -ENOMEM;
        n = blkid_partlist_numof_partitions(pl);
        for (int i = 0; i < n; i++) {
                blkid_partition pp = blkid_partlist_get_partition(pl, i);
                const char *type, *uuid, *label;

                if (!pp || !(uuid = blkid_partition_get_uuid(pp)) || !(type = blkid_partition_get_type_string(pp)))
                        continue;
                label = blkid_partition_get_name(pp);
                if (strcaseeq(type, GPT_ESP) || strcaseeq(type, GPT_XBOOTLDR)) {
                        if (loader_part_uuid(esp, sizeof(esp)) < 0)
                                return -ENOENT;
                        if (strcaseeq(uuid, esp))
                                found_esp = true;
                } else if (strcaseeq(type, GPT_ROOT_NATIVE)) {
                        if (blkid_partition_get_flags(pp) & GPT_FLAG_NO_AUTO)
                                continue;
                        if (!root_id || label_newer(label, root_label)) {
                                free(root_id);
                                free(root_label);
                                root_id = strdup(uuid);
                                root_label = label ? strdup(label) : NULL;
                                if (!root_id)
                                        return -ENOMEM;
                        }
                }
        }
        if (found_esp && root_id)
                udev_builtin_add_property(dev, test, "ID_PART_GPT_AUTO_ROOT_UUID", root_id);
#else
        (void) dev;
        (void) pr;
        (void) test;
#endif
        return 0;
}

static int probe_superblocks(blkid_probe pr) {
        struct stat st;
        int rc;

        if (fstat(blkid_probe_get_fd(pr), &st) < 0)
                return -errno;
        blkid_probe_enable_partitions(pr, 1);
        if (!S_ISCHR(st.st_mode) && blkid_probe_get_size(pr) <= 1024 * 1440 && blkid_probe_is_wholedisk(pr)) {
                /* a small partitioned disk is not probed for file systems */
                blkid_probe_enable_superblocks(pr, 0);
                rc = blkid_do_fullprobe(pr);
                if (rc < 0)
                        return rc;
                if (blkid_probe_lookup_value(pr, "PTTYPE", NULL, NULL) == 0)
                        return 0;
        }
        blkid_probe_set_partitions_flags(pr, BLKID_PARTS_ENTRY_DETAILS);
        blkid_probe_enable_superblocks(pr, 1);
        return blkid_do_safeprobe(pr);
}

static void free_probe(blkid_probe *p) {
        if (*p)
                blkid_free_probe(*p);
}

static int parse_options(Device *dev, blkid_probe pr, int argc, char *argv[], int64_t *offset, bool *noraid) {
        static const struct option options[] = {
                { "offset", required_argument, NULL, 'o' },
                { "hint", required_argument, NULL, 'H' },
                { "noraid", no_argument, NULL, 'R' },
                {}
        };
        int c, r;

        while ((c = getopt_long(argc, argv, "o:H:R", options, NULL)) >= 0)
                switch (c) {
                case 'H':
                        if (blkid_probe_set_hint(pr, optarg, 0) < 0)
                                return log_device_error_errno(dev, ENOMEM, "Failed to use '%s' probing hint: %m", optarg);
                        break;
                case 'o':
                        r = safe_atoi64(optarg, offset);
                        if (r < 0)
                                return log_device_error_errno(dev, r, "Failed to parse '%s' as an integer: %m", optarg);
                        if (*offset < 0)
                                return log_device_error_errno(dev, EINVAL, "Invalid offset %" PRIi64 ": %m", *offset);
                        break;
                case 'R':
                        *noraid = true;
                        break;
                default:
                        break;
                }
        return 0;
}

static int builtin_blkid(Device *dev, int argc, char *argv[], bool test) {
        _cleanup_(free_probe) blkid_probe pr = NULL;
        const char *devnode = NULL, *root_partition = NULL, *name, *data;
        _cleanup_close_ int fd = -EBADF;
        bool noraid = false, is_gpt = false;
        int64_t offset = 0;
        int r, n;

        pr = blkid_new_probe();
        if (!pr)
                return log_device_debug_errno(dev, ENOMEM, "Failed to create blkid prober: %m");
        r = parse_options(dev, pr, argc, argv, &offset, &noraid);
        if (r < 0)
                return r;
        blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID | BLKID_SUBLKS_TYPE |
                                                      BLKID_SUBLKS_SECTYPE | SUBLKS_FSINFO |
                                                      BLKID_SUBLKS_USAGE | BLKID_SUBLKS_VERSION);
        if (noraid)
                blkid_probe_filter_superblocks_usage(pr, BLKID_FLTR_NOTIN, BLKID_USAGE_RAID);
        if (image_path) {
                devnode = image_path;
                fd = open(image_path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
                if (fd < 0)
                        fd = -errno;
        } else {
                r = device_get_devname(dev, &devnode);
                if (r < 0)
                        return log_device_debug_errno(dev, r, "Failed to get device name: %m");
                fd = device_open(dev, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
        }
        if (fd < 0) {
                bool absent = IN_SET(fd, -ENOENT, -ENXIO, -ENODEV, -ENOMEDIUM);

                log_device_debug_errno(dev, fd, "Failed to open block device %s%s: %m", devnode,
                                       absent ? ", ignoring" : "");
                return absent ? 0 : fd;
        }
        if (blkid_probe_set_device(pr, fd, offset, 0) < 0)
                return log_device_debug_errno(dev, ENOMEM, "Failed to set device to blkid prober: %m");
        log_device_debug(dev, "Probe %s with %sraid and offset=%" PRIi64, devnode, noraid ? "no" : "", offset);
        r = probe_superblocks(pr);
        if (r < 0)
                return log_device_debug_errno(dev, r, "Failed to probe superblocks: %m");

        /* a partition inherits the root partition's UUID from its disk's event */
        (void) device_get_property_value(dev, "ID_PART_GPT_AUTO_ROOT_UUID", &root_partition);
        n = blkid_probe_numof_values(pr);
        if (n < 0)
                return log_device_debug_errno(dev, ENOMEM, "Failed to get number of probed values: %m");
        for (int i = 0; i < n; i++) {
                if (blkid_probe_get_value(pr, i, &name, &data, NULL) < 0)
                        continue;
                add_value(dev, test, name, data);
                if (streq(name, "PTTYPE") && streq(data, "gpt"))
                        is_gpt = true;
                if (root_partition && streq(name, "PART_ENTRY_UUID") && streq(data, root_partition))
                        udev_builtin_add_property(dev, test, "ID_PART_GPT_AUTO_ROOT", "1");
        }
        if (is_gpt)
                (void) find_gpt_root(dev, pr, test);
        return 0;
}

const UdevBuiltin udev_builtin_blkid = {
        .name = "blkid",
        .cmd = builtin_blkid,
        .help = "Filesystem and partition probing",
        .run_once = true,
};
