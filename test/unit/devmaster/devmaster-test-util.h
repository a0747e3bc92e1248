/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * devmaster-test-util.h: helpers shared by the devmaster unit tests: a synthetic sysfs tree
 * built in a temporary directory, small file helpers, and the real udevadm 252 as an oracle
 * (found through $UDEVADM or PATH; tests that need it skip with a message when it is absent).
 * Everything here aborts the test (ck_assert) on unexpected failures.
 */

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "device.h"
#include "fd-util.h"
#include "string-util.h"
#include "strv.h"

/* dir/path as a new string. */
static inline char *tu_path(const char *dir, const char *path) {
        char *p = NULL;

        ck_assert(asprintf(&p, "%s/%s", dir, path) > 0);
        return p;
}

/* Creates dir/path with its parent directories; path is relative. */
static inline void tu_mkdir_p(const char *dir, const char *path) {
        char *buf = tu_path(dir, path);

        for (char *s = buf + strlen(dir) + 1; (s = strchr(s, '/')); s++) {
                *s = 0;
                ck_assert(mkdir(buf, 0755) == 0 || errno == EEXIST);
                *s = '/';
        }
        ck_assert(mkdir(buf, 0755) == 0 || errno == EEXIST);
        free(buf);
}

/* Creates the parent directories of dir/path. */
static inline void tu_mkdir_parents(const char *dir, const char *path) {
        char *copy = strdup(path), *slash;

        ck_assert(copy);
        slash = strrchr(copy, '/');
        if (slash) {
                *slash = 0;
                tu_mkdir_p(dir, copy);
        }
        free(copy);
}

/* Writes text to dir/path (creating parents) with mode. */
static inline void tu_write(const char *dir, const char *path, const char *text, mode_t mode) {
        char *buf;
        FILE *f;

        tu_mkdir_parents(dir, path);
        buf = tu_path(dir, path);
        f = fopen(buf, "we");
        ck_assert_msg(f, "cannot write %s", buf);
        fputs(text, f);
        ck_assert(fclose(f) == 0);
        ck_assert(chmod(buf, mode) == 0);
        free(buf);
}

/* Creates the symlink dir/path → target (creating parents). */
static inline void tu_symlink(const char *dir, const char *path, const char *target) {
        char *buf;

        tu_mkdir_parents(dir, path);
        buf = tu_path(dir, path);
        ck_assert_msg(symlink(target, buf) == 0, "symlink %s: %s", buf, strerror(errno));
        free(buf);
}

/* A new temporary directory; the caller frees the string (and may rm -rf it). */
static inline char *tu_mkdtemp(void) {
        char *t = strdup("/tmp/devmaster-test-XXXXXX");

        ck_assert(t && mkdtemp(t));
        return t;
}

static inline void tu_rm_rf(const char *dir) {
        char cmd[4200];

        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        ck_assert(system(cmd) == 0);
}

/* The whole file as a string (NULL if it cannot be read). */
static inline char *tu_read(const char *path) {
        char *buf = NULL;

        if (read_full_file(path, SIZE_MAX, &buf, NULL) < 0)
                return NULL;
        return buf;
}

/*
 * A small synthetic sysfs (returned root must be freed and removed by the caller):
 *   devices/virtual/mem/null        c 1:3, class/mem/null, dev/char/1:3
 *   devices/pci0000:00              a bus device with uevent
 *   devices/pci0000:00/0000:00:01.0 pci, driver foo, attributes
 *     …/block/sda, …/block/sda/sda1 b 8:0 disk, b 8:1 partition, with class/ and dev/ links
 *     …/net/eth9                    ifindex 4242, class/net/eth9
 *   devices/virtual/block/cciss!c0d0  b 104:0 (a '!' name), class/block/cciss!c0d0
 *   bus/pci/drivers/foo, module/foo, firmware/acpi/tables
 */
static inline char *tu_sysfs_new(void) {
        char *root = tu_mkdtemp();
        const char *pci = "devices/pci0000:00/0000:00:01.0";
        char p[1024];

        tu_write(root, "devices/virtual/mem/null/uevent",
                 "MAJOR=1\nMINOR=3\nDEVNAME=null\nDEVMODE=0666\n", 0644);
        tu_write(root, "devices/virtual/mem/null/dev", "1:3\n", 0444);
        tu_symlink(root, "devices/virtual/mem/null/subsystem", "../../../../class/mem");
        tu_mkdir_p(root, "class/mem");
        tu_symlink(root, "class/mem/null", "../../devices/virtual/mem/null");
        tu_symlink(root, "dev/char/1:3", "../../devices/virtual/mem/null");

        tu_write(root, "devices/pci0000:00/uevent", "", 0644);
        tu_mkdir_p(root, "bus/pci/drivers/foo");
        tu_mkdir_p(root, "bus/pci/devices");
        tu_symlink(root, "bus/pci/devices/0000:00:01.0",
                   "../../../devices/pci0000:00/0000:00:01.0");
        snprintf(p, sizeof p, "%s/uevent", pci);
        tu_write(root, p,
                 "DRIVER=foo\nPCI_CLASS=10802\nPCI_ID=8086:5845\nMODALIAS=pci:v00008086d00005845\n",
                 0644);
        snprintf(p, sizeof p, "%s/subsystem", pci);
        tu_symlink(root, p, "../../../bus/pci");
        snprintf(p, sizeof p, "%s/driver", pci);
        tu_symlink(root, p, "../../../bus/pci/drivers/foo");
        snprintf(p, sizeof p, "%s/firmware_node", pci);
        tu_symlink(root, p, "../../../firmware/acpi/tables");
        snprintf(p, sizeof p, "%s/vendor", pci);
        tu_write(root, p, "0x8086\n", 0444);
        snprintf(p, sizeof p, "%s/label", pci);
        tu_write(root, p, "  spaced out  \n\n", 0644);
        snprintf(p, sizeof p, "%s/secret", pci);
        tu_write(root, p, "nope\n", 0200);
        snprintf(p, sizeof p, "%s/power/control", pci);
        tu_write(root, p, "auto\n", 0644);

        snprintf(p, sizeof p, "%s/block/sda/uevent", pci);
        tu_write(root, p, "MAJOR=8\nMINOR=0\nDEVNAME=sda\nDEVTYPE=disk\nDISKSEQ=7\n", 0644);
        snprintf(p, sizeof p, "%s/block/sda/subsystem", pci);
        tu_symlink(root, p, "../../../../../class/block");
        snprintf(p, sizeof p, "%s/block/sda/size", pci);
        tu_write(root, p, "2048\n", 0444);
        snprintf(p, sizeof p, "%s/block/sda/sda1/uevent", pci);
        tu_write(root, p, "MAJOR=8\nMINOR=1\nDEVNAME=sda1\nDEVTYPE=partition\nPARTN=1\n", 0644);
        snprintf(p, sizeof p, "%s/block/sda/sda1/subsystem", pci);
        tu_symlink(root, p, "../../../../../../class/block");
        tu_mkdir_p(root, "class/block");
        tu_symlink(root, "class/block/sda", "../../devices/pci0000:00/0000:00:01.0/block/sda");
        tu_symlink(root, "class/block/sda1",
                   "../../devices/pci0000:00/0000:00:01.0/block/sda/sda1");
        tu_symlink(root, "dev/block/8:0", "../../devices/pci0000:00/0000:00:01.0/block/sda");
        tu_symlink(root, "dev/block/8:1", "../../devices/pci0000:00/0000:00:01.0/block/sda/sda1");

        snprintf(p, sizeof p, "%s/net/eth9/uevent", pci);
        tu_write(root, p, "INTERFACE=eth9\nIFINDEX=4242\n", 0644);
        snprintf(p, sizeof p, "%s/net/eth9/subsystem", pci);
        tu_symlink(root, p, "../../../../../class/net");
        tu_mkdir_p(root, "class/net");
        tu_symlink(root, "class/net/eth9", "../../devices/pci0000:00/0000:00:01.0/net/eth9");

        tu_write(root, "devices/virtual/block/cciss!c0d0/uevent",
                 "MAJOR=104\nMINOR=0\nDEVNAME=cciss/c0d0\nDEVTYPE=disk\n", 0644);
        tu_symlink(root, "devices/virtual/block/cciss!c0d0/subsystem", "../../../../class/block");
        tu_symlink(root, "class/block/cciss!c0d0", "../../devices/virtual/block/cciss!c0d0");
        tu_symlink(root, "dev/block/104:0", "../../devices/virtual/block/cciss!c0d0");

        tu_mkdir_p(root, "module/foo");
        tu_mkdir_p(root, "firmware/acpi/tables");
        tu_mkdir_p(root, "devices/virtual/nouevent");
        tu_symlink(root, "class/mem/escape", "/etc");
        return root;
}

/* ---- udevadm 252 as an oracle ---------------------------------------------------------- */

static inline char *tu_run(const char *cmd);

/* The udevadm to compare with, or NULL (then the caller skips): $UDEVADM, else what
 * get-udevadm.sh finds or fetches (udevadm in PATH, or Debian's udev package of the installed
 * systemd's version unpacked once into $top_builddir/test/udev-252.cache). */
static inline const char *tu_udevadm(void) {
        static char found[4096];
        static bool tried;
        const char *e = getenv("UDEVADM"), *src = getenv("top_srcdir"),
                   *build = getenv("top_builddir");
        char *cmd = NULL, *out;

        if (e)
                return access(e, X_OK) == 0 ? e : NULL;
        if (tried)
                return found[0] ? found : NULL;
        tried = true;
        ck_assert(asprintf(&cmd,
                           "'%s/test/unit/devmaster/get-udevadm.sh' '%s/test/udev-252.cache' "
                           "2>/dev/null",
                           src ?: TEST_DATA_DIR "/../..", build ?: "/tmp") > 0);
        out = tu_run(cmd);
        free(cmd);
        if (out && out[0] && out[strlen(out) - 1] == '\n') {
                out[strlen(out) - 1] = 0;
                snprintf(found, sizeof found, "%s", out);
        }
        free(out);
        return found[0] ? found : NULL;
}

/* Output of a shell command (stdout only), or NULL. */
static inline char *tu_run(const char *cmd) {
        char *buf = NULL;
        size_t n = 0, len = 0;
        FILE *p = popen(cmd, "re");

        if (!p)
                return NULL;
        for (;;) {
                if (len + 4096 > n) {
                        n = (len + 4096) * 2;
                        buf = realloc(buf, n);
                        ck_assert(buf);
                }
                size_t k = fread(buf + len, 1, n - len - 1, p);
                if (k == 0)
                        break;
                len += k;
        }
        if (!buf)
                buf = calloc(1, 1);
        buf[len] = 0;
        if (pclose(p) != 0) {
                free(buf);
                return NULL;
        }
        return buf;
}

/* What `udevadm info --query=all` prints for d, asked in udevadm's order (print_record()). */
static inline char *tu_print_record(Device *d) {
        char *out = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&out, &size);
        const char *s, *k, *v, *subsys = NULL;
        dev_t devnum;
        uint64_t q;
        int i;

        ck_assert(f);
        ck_assert(device_get_devpath(d, &s) >= 0);
        fprintf(f, "P: %s\n", s);
        if (device_get_sysname(d, &s) >= 0)
                fprintf(f, "M: %s\n", s);
        if (device_get_sysnum(d, &s) >= 0)
                fprintf(f, "R: %s\n", s);
        if (device_get_subsystem(d, &subsys) >= 0)
                fprintf(f, "U: %s\n", subsys);
        if (device_get_devtype(d, &s) >= 0)
                fprintf(f, "T: %s\n", s);
        if (device_get_devnum(d, &devnum) >= 0)
                fprintf(f, "D: %c %u:%u\n", streq_ptr(subsys, "block") ? 'b' : 'c', major(devnum),
                        minor(devnum));
        if (device_get_ifindex(d, &i) >= 0)
                fprintf(f, "I: %i\n", i);
        if (device_get_devname(d, &s) >= 0) {
                fprintf(f, "N: %s\n", s + strlen("/dev/"));
                if (device_get_devlink_priority(d, &i) >= 0)
                        fprintf(f, "L: %i\n", i);
                DEVICE_FOREACH_DEVLINK(d, s)
                fprintf(f, "S: %s\n", s + strlen("/dev/"));
        }
        if (device_get_diskseq(d, &q) >= 0)
                fprintf(f, "Q: %llu\n", (unsigned long long) q);
        if (device_get_driver(d, &s) >= 0)
                fprintf(f, "V: %s\n", s);
        DEVICE_FOREACH_PROPERTY(d, k, v)
        fprintf(f, "E: %s=%s\n", k, v);
        fputs("\n", f);
        ck_assert(fclose(f) == 0);
        return out;
}

/* A sorted copy of the words of value, joined by sep, wrapped in sep when wrap. */
static inline char *tu_sorted_words(const char *value, const char *sep, bool wrap) {
        _cleanup_strv_free_ char **words = NULL;
        char *j;

        ck_assert(strv_split(value, sep, &words) >= 0);
        strv_sort(words);
        j = strv_join(words, sep);
        ck_assert(j);
        if (wrap) {
                char *w = strjoin(sep, j, sep);

                free(j);
                j = w;
        }
        return j;
}

/* udevadm info output with the parts whose order is not part of the contract put in order:
 * udev keeps devlinks and tags in hash sets, so the S: lines, the words of DEVLINKS= and the
 * tags of TAGS=/CURRENT_TAGS= come out in hash order. Returns a new string. */
static inline char *tu_normalize_record(const char *text) {
        _cleanup_strv_free_ char **lines = NULL, **links = NULL;
        char *out = strdup("");
        bool links_done = false;

        ck_assert(out);
        ck_assert(strv_split_newlines(text, &lines) >= 0);
        STRV_FOREACH(l, lines)
                if (startswith(*l, "S: "))
                        ck_assert(strv_extend(&links, *l) >= 0);
        strv_sort(links);
        STRV_FOREACH(l, lines) {
                _cleanup_free_ char *v = NULL, *w = NULL;
                const char *p;

                if (startswith(*l, "S: ")) {
                        if (!links_done) {
                                STRV_FOREACH(k, links)
                                        ck_assert(strextend(&out, *k, "\n") >= 0);
                                links_done = true;
                        }
                        continue;
                }
                if ((p = startswith(*l, "E: DEVLINKS=")))
                        v = strjoin("E: DEVLINKS=", w = tu_sorted_words(p, " ", false));
                else if ((p = startswith(*l, "E: TAGS=")))
                        v = strjoin("E: TAGS=", w = tu_sorted_words(p, ":", true));
                else if ((p = startswith(*l, "E: CURRENT_TAGS=")))
                        v = strjoin("E: CURRENT_TAGS=", w = tu_sorted_words(p, ":", true));
                ck_assert(strextend(&out, v ?: *l, "\n") >= 0);
        }
        return out;
}
