/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * device-db.c: reading and writing udev 252 database records and tag files (device-db.h).
 */

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "device-db.h"
#include "device-internal.h"
#include "escape.h"
#include "fd-util.h"
#include "mkdir.h"
#include "parse-util.h"
#include "path-util.h"
#include "string-util.h"

#define RUN_DIR_DEFAULT "/run/udev"
/* The largest record read. */
#define DB_FILE_MAX ((size_t) 4 * 1024 * 1024)

static char *run_dir; /* NULL: RUN_DIR_DEFAULT */

int device_db_set_run_dir(const char *path) {
        char *p;

        if (!path) {
                run_dir = mfree(run_dir);
                return 0;
        }
        if (!path_is_absolute(path))
                return -EINVAL;
        p = path_normalize(path);
        if (!p)
                return -ENOMEM;
        free(run_dir);
        run_dir = p;
        return 0;
}

const char *device_db_get_run_dir(void) {
        return run_dir ?: RUN_DIR_DEFAULT;
}

int device_db_get_path(Device *d, char **ret) {
        const char *id;
        int r;

        r = device_get_device_id(d, &id);
        if (r < 0)
                return r;
        *ret = path_join(device_db_get_run_dir(), "data", id);
        return *ret ? 0 : -ENOMEM;
}

/* ---- reading ------------------------------------------------------------------------- */

/* Applies one line "K:VALUE" (value NUL-terminated). 0, or -EINVAL if it makes no sense. */
static int db_handle_line(Device *d, char key, const char *value) {
        _cleanup_free_ char *k = NULL;
        const char *eq;
        usec_t t;
        int r;

        switch (key) {
        case 'G': /* any tag */
        case 'Q': /* current tag */
                return device_add_tag(d, value, key == 'Q');
        case 'S':
                if (isempty(value))
                        return -EINVAL;
                k = strjoin("/dev/", value);
                if (!k)
                        return -ENOMEM;
                return device_add_devlink(d, k);
        case 'E':
                eq = strchr(value, '=');
                if (!eq || eq == value)
                        return -EINVAL;
                k = strndup(value, (size_t) (eq - value));
                if (!k)
                        return -ENOMEM;
                return device_add_property_aux(d, k, isempty(eq + 1) ? NULL : eq + 1, true);
        case 'I':
                r = safe_atou64(value, &t);
                if (r < 0)
                        return r;
                return device_set_usec_initialized(d, t);
        case 'L':
                return safe_atoi(value, &d->devlink_priority);
        case 'V':
                return safe_atou(value, &d->database_version);
        case 'W': /* the watch handle: obsolete, never written by 252 */
                return 0;
        default:
                log_device_debug(d, "device-db: Unknown key '%c' in database, ignoring", key);
                return 0;
        }
}

/* One line of length n (no newline; may contain NULs). 1 if it was skipped as invalid. */
static int db_parse_line(Device *d, const char *name, unsigned lineno, const char *line, size_t n) {
        _cleanup_free_ char *value = NULL, *shown = NULL;
        int r;

        if (n >= 2 && line[1] == ':' && !memchr(line, 0, n)) {
                value = strndup(line + 2, n - 2);
                if (!value)
                        return -ENOMEM;
                r = db_handle_line(d, line[0], value);
                if (r == -ENOMEM)
                        return r;
                if (r >= 0)
                        return 0;
        } else
                r = -EINVAL;
        shown = cescape_length(line, MIN(n, (size_t) 256));
        log_syntax(NULL, LOG_WARNING, name, lineno, r,
                   "Invalid database entry '%s%s', ignoring: %m", strna(shown), n > 256 ? "…" : "");
        return 1;
}

int device_db_parse(Device *d, const char *name, const char *data, size_t size) {
        unsigned lineno = 0;
        int r, bad = 0;

        assert(d);
        for (size_t i = 0; i < size;) {
                size_t n = 0;

                while (i + n < size && data[i + n] != '\n' && data[i + n] != '\r')
                        n++;
                lineno++;
                if (n > 0) {
                        r = db_parse_line(d, name, lineno, data + i, n);
                        if (r < 0)
                                return r;
                        bad += r;
                }
                /* "\r\n" ends one line, as a lone "\r" or "\n" does */
                i += n;
                if (i < size && data[i] == '\r' && i + 1 < size && data[i + 1] == '\n')
                        i++;
                i++;
        }
        return bad;
}

int device_db_read_file(Device *d, const char *path) {
        _cleanup_free_ char *buf = NULL;
        size_t size;
        int r;

        assert(d);
        assert(path);
        r = read_full_file_flags(path, DB_FILE_MAX, READ_FULL_SHORT_READ_IS_END, &buf, &size);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return log_device_debug_errno(d, r, "device-db: Failed to read %s: %m", path);
        /* a record exists: the device is initialized, whatever it says */
        d->is_initialized = true;
        d->db_loaded = true;
        return device_db_parse(d, path, buf, size);
}

int device_db_read(Device *d, bool force) {
        _cleanup_free_ char *path = NULL;
        int r;

        assert(d);
        if (d->db_loaded || (!force && d->sealed))
                return 0;
        r = device_db_get_path(d, &path);
        if (r < 0)
                return r;
        r = device_db_read_file(d, path);
        return r < 0 ? r : 0;
}

/* ---- writing ------------------------------------------------------------------------- */

bool device_db_has_info(Device *d) {
        return ordered_set_size(d->devlinks) > 0 || d->devlink_priority != 0 ||
               !hashmap_isempty(d->properties_db) || ordered_set_size(d->all_tags) > 0 ||
               ordered_set_size(d->current_tags) > 0;
}

static void db_format_body(Device *d, FILE *f) {
        const char *s, *k, *v;

        if (major(d->devnum) > 0) {
                DEVICE_FOREACH_DEVLINK(d, s)
                fprintf(f, "S:%s\n", startswith(s, "/dev/") ?: s);
                if (d->devlink_priority != 0)
                        fprintf(f, "L:%i\n", d->devlink_priority);
        }
        if (d->usec_initialized > 0)
                fprintf(f, "I:" USEC_FMT "\n", d->usec_initialized);
        HASHMAP_FOREACH_KEY(v, k, d->properties_db)
        fprintf(f, "E:%s=%s\n", k, v);
        DEVICE_FOREACH_TAG(d, s)
        fprintf(f, "G:%s\n", s);
        ORDERED_SET_FOREACH(s, d->current_tags)
                fprintf(f, "Q:%s\n", s);
        /* always the current version, whatever the record read before said */
        fprintf(f, "V:%i\n", DEVICE_DATABASE_VERSION);
}

int device_db_format(Device *d, char **ret) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f;
        int r = 0;

        assert(d);
        f = open_memstream(&buf, &size);
        if (!f)
                return -ENOMEM;
        if (device_db_has_info(d))
                db_format_body(d, f);
        if (ferror(f))
                r = -ENOMEM;
        if (fclose(f) != 0 && r == 0)
                r = -ENOMEM;
        if (r < 0) {
                free(buf);
                return r;
        }
        *ret = buf;
        return 0;
}

/* Writes text to a temporary file next to path (mode) and renames it into place. */
static int db_write_atomic(const char *path, const char *text, mode_t mode) {
        _cleanup_free_ char *dir = NULL, *tmp = NULL, *base = NULL;
        _cleanup_close_ int fd = -1;
        size_t len = strlen(text);
        int r;

        r = path_extract_directory(path, &dir);
        if (r >= 0)
                r = path_extract_filename(path, &base);
        if (r < 0)
                return r;
        tmp = strjoin(dir, "/.#", base, "XXXXXX");
        if (!tmp)
                return -ENOMEM;
        fd = mkostemp(tmp, O_CLOEXEC);
        if (fd < 0)
                return -errno;
        r = fchmod(fd, mode) < 0 ? -errno : 0;
        for (size_t off = 0; r >= 0 && off < len;) {
                ssize_t n = write(fd, text + off, len - off);

                if (n < 0 && errno == EINTR)
                        continue;
                r = n < 0 ? -errno : n == 0 ? -EIO : 0;
                off += n > 0 ? (size_t) n : 0;
        }
        if (r >= 0 && rename(tmp, path) < 0)
                r = -errno;
        if (r < 0) {
                (void) unlink(path);
                (void) unlink(tmp);
        }
        return r;
}

int device_db_write(Device *d) {
        _cleanup_free_ char *path = NULL, *text = NULL;
        bool has_info;
        int r;

        assert(d);
        has_info = device_db_has_info(d);
        r = device_db_get_path(d, &path);
        if (r < 0)
                return r;
        /* nothing is stored for devices without information, number or interface */
        if (!has_info && major(d->devnum) == 0 && d->ifindex == 0) {
                if (d->db_file_absent)
                        return 0;
                if (unlink(path) < 0 && errno != ENOENT)
                        return -errno;
                return 0;
        }
        r = device_db_format(d, &text);
        if (r >= 0)
                r = mkdir_parents(path, 0755);
        if (r >= 0)
                r = db_write_atomic(path, text, d->db_persist ? 01644 : 0644);
        if (r < 0)
                return log_device_debug_errno(
                        d, r, "device-db: Failed to create %s file '%s' for '%s': %m",
                        has_info ? "db" : "empty", path, d->devpath);
        log_device_debug(d, "device-db: Created %s file '%s' for '%s'", has_info ? "db" : "empty",
                         path, d->devpath);
        return 0;
}

bool device_db_was_read(Device *d) {
        return d && d->db_loaded;
}

void device_db_set_file_absent(Device *d, bool absent) {
        d->db_file_absent = absent;
}

int device_db_delete(Device *d) {
        _cleanup_free_ char *path = NULL;
        int r;

        r = device_db_get_path(d, &path);
        if (r < 0)
                return r;
        if (unlink(path) < 0 && errno != ENOENT)
                return -errno;
        return 0;
}

/* Creates (add) or removes tags/<tag>/<id> of d. */
static int db_tag(Device *d, const char *tag, bool add) {
        _cleanup_free_ char *path = NULL;
        _cleanup_close_ int fd = -1;
        const char *id;
        int r;

        r = device_get_device_id(d, &id);
        if (r < 0)
                return r;
        path = path_join(device_db_get_run_dir(), "tags", tag, id);
        if (!path)
                return -ENOMEM;
        if (!add)
                return unlink(path) < 0 && errno != ENOENT ? -errno : 0;
        r = mkdir_parents(path, 0755);
        if (r < 0)
                return r;
        fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW, 0444);
        if (fd < 0)
                return -errno;
        if (fchmod(fd, 0444) < 0 || futimens(fd, NULL) < 0)
                return -errno;
        return 0;
}

int device_db_tag_index(Device *d, Device *old, bool add) {
        const char *tag;
        int r = 0, k;

        assert(d);
        if (add && old)
                DEVICE_FOREACH_TAG(old, tag)
        if (!device_has_tag(d, tag)) {
                k = db_tag(old, tag, false);
                if (r >= 0 && k < 0)
                        r = k;
        }
        DEVICE_FOREACH_TAG(d, tag) {
                k = db_tag(d, tag, add);
                if (r >= 0 && k < 0)
                        r = k;
        }
        return r;
}
