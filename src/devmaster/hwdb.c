/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hwdb.c: reading hwdb.bin (see hwdb.h). Every offset read from the file is checked against
 * its size, so a damaged file gives fewer results, never a crash.
 *
 * The file (13 MB on Debian 12) is not mapped: a lookup reads a few dozen scattered pages of
 * it, and the kernel's fault-around maps 64 KiB or a whole large folio for every page touched
 * (a replay of this machine's devices left 1.6 MB of hwdb.bin in each worker's RSS for 51
 * distinct pages read). Instead an anonymous region as large as the file mirrors it, and a
 * page is pread() into it the first time a lookup needs it (loaded[] says which are there).
 * Pages read by the daemon before forking stay shared with its workers. A file truncated or
 * rewritten in place while open reads as zeros or as mixed contents, which the bounds checks
 * turn into fewer results; a mapping would have died of SIGBUS.
 */

#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd-util.h"
#include "hwdb-format.h"
#include "hwdb.h"
#include "log.h"
#include "macro.h"
#include "string-util.h"

#define HWDB_LINE_MAX 2048 /* LINE_MAX: the longest pattern a lookup reconstructs */
#define HWDB_DEPTH_MAX 4096
#define HWDB_PAGE 4096

const char *const hwdb_bin_paths[] = {
        "/etc/systemd/hwdb/hwdb.bin",
        "/etc/udev/hwdb.bin",
        "/usr/lib/systemd/hwdb/hwdb.bin",
        "/lib/systemd/hwdb/hwdb.bin",
        "/lib/udev/hwdb.bin",
        NULL,
};

typedef struct HwdbResult {
        const char *key; /* without the leading space */
        const HwdbValue *entry;
} HwdbResult;

struct Hwdb {
        int fd;
        struct stat st;
        const char *path;
        uint8_t *map; /* the mirror: only pages marked in loaded[] hold the file's bytes */
        uint64_t *loaded; /* bit per HWDB_PAGE of the file */
        size_t size;
        size_t node_size, child_size, value_size;
        HwdbResult *results;
        size_t n_results, allocated, iter;
        int depth;
};

Hwdb *hwdb_free(Hwdb *h) {
        if (!h)
                return NULL;
        if (h->map)
                munmap(h->map, h->size);
        free(h->loaded);
        safe_close(h->fd);
        free((char *) h->path);
        free(h->results);
        free(h);
        return NULL;
}

/* Reads page i of the file into the mirror once. A short read leaves zeros (the file shrank
 * under us); a failed one leaves the page unloaded, so its bytes read as absent. */
static bool page_load(Hwdb *h, size_t i) {
        size_t off = i * HWDB_PAGE, len = MIN((size_t) HWDB_PAGE, h->size - off);
        ssize_t n;

        if (h->loaded[i / 64] & (UINT64_C(1) << (i % 64)))
                return true;
        do
                n = pread(h->fd, h->map + off, len, (off_t) off);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return log_debug_errno(errno, "Failed to read %s at %zu: %m", h->path ?: "hwdb.bin", off), false;
        h->loaded[i / 64] |= UINT64_C(1) << (i % 64);
        return true;
}

/* Makes bytes [off, off + len) of the file present in the mirror; off + len <= size. */
static bool range_load(Hwdb *h, uint64_t off, size_t len) {
        if (len == 0)
                return true;
        for (size_t i = off / HWDB_PAGE; i <= (off + len - 1) / HWDB_PAGE; i++)
                if (!page_load(h, i))
                        return false;
        return true;
}

static int hwdb_map(Hwdb *h, const char *path) {
        const HwdbHeader *head;

        h->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (h->fd < 0)
                return -errno;
        if (fstat(h->fd, &h->st) < 0)
                return -errno;
        if (h->st.st_size < (off_t) sizeof(HwdbHeader))
                return log_debug_errno(EIO, "File %s is too short", path), -EIO;
        if ((uint64_t) h->st.st_size > SIZE_MAX / 2)
                return log_debug_errno(EFBIG, "File %s is too large", path), -EFBIG;
        h->size = (size_t) h->st.st_size;
        h->loaded = new0(uint64_t, h->size / HWDB_PAGE / 64 + 1);
        if (!h->loaded)
                return -ENOMEM;
        h->map = mmap(NULL, h->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (h->map == MAP_FAILED) {
                h->map = NULL;
                return -errno;
        }
        (void) madvise(h->map, h->size, MADV_NOHUGEPAGE); /* a huge page would make a page read 2 MB */
        if (!range_load(h, 0, sizeof(HwdbHeader)))
                return -EIO;
        head = (const HwdbHeader *) h->map;
        if (memcmp(head->signature, HWDB_SIGNATURE, 8) != 0 || le64toh(head->file_size) != h->size)
                return log_debug_errno(EINVAL, "Failed to recognize the format of %s", path), -EINVAL;
        h->node_size = le64toh(head->node_size);
        h->child_size = le64toh(head->child_entry_size);
        h->value_size = le64toh(head->value_entry_size);
        if (h->node_size < sizeof(HwdbNode) || h->child_size < sizeof(HwdbChild) ||
            h->value_size < HWDB_VALUE_V1_SIZE)
                return log_debug_errno(EINVAL, "Failed to recognize the format of %s", path), -EINVAL;
        log_debug("hwdb %s: tool version %" PRIu64 ", %zu bytes", path, (uint64_t) le64toh(head->tool_version),
                  h->size);
        return 0;
}

int hwdb_open(const char *path, Hwdb **ret) {
        Hwdb *h;
        int r = -ENOENT;

        h = new0(Hwdb, 1);
        if (!h)
                return -ENOMEM;
        h->fd = -EBADF;
        if (path) {
                r = hwdb_map(h, path);
        } else
                for (size_t i = 0; hwdb_bin_paths[i]; i++) {
                        path = hwdb_bin_paths[i];
                        log_debug("Trying to open \"%s\"...", path);
                        r = hwdb_map(h, path);
                        if (r != -ENOENT)
                                break;
                }
        if (r < 0) {
                if (r == -ENOENT)
                        log_debug("hwdb.bin does not exist, please run 'systemd-hwdb update'");
                hwdb_free(h);
                return r;
        }
        h->path = strdup(path);
        if (!h->path) {
                hwdb_free(h);
                return -ENOMEM;
        }
        *ret = h;
        return 0;
}

/* A pointer to len bytes at off, or NULL if that runs past the end (or cannot be read). */
static const void *at(Hwdb *h, uint64_t off, size_t len) {
        if (off > h->size || len > h->size - off || !range_load(h, off, len))
                return NULL;
        return h->map + off;
}

/* The NUL-terminated string at off, read page by page up to its end. */
static const char *string_at(Hwdb *h, uint64_t off) {
        for (uint64_t p = off; p < h->size; p = (p / HWDB_PAGE + 1) * HWDB_PAGE) {
                size_t n = MIN(h->size - p, HWDB_PAGE - p % HWDB_PAGE);

                if (!page_load(h, p / HWDB_PAGE))
                        return NULL;
                if (memchr(h->map + p, '\0', n))
                        return (const char *) h->map + off;
        }
        return NULL;
}

static const HwdbNode *node_at(Hwdb *h, uint64_t off) {
        const HwdbNode *n = at(h, off, h->node_size);

        if (!n || !at(h, off + h->node_size, (size_t) n->children_count * h->child_size))
                return NULL;
        if (le64toh(n->values_count) > h->size / h->value_size ||
            !at(h, off + h->node_size + (size_t) n->children_count * h->child_size,
                le64toh(n->values_count) * h->value_size))
                return NULL;
        return n;
}

static const HwdbChild *node_child(const Hwdb *h, const HwdbNode *n, size_t i) {
        return (const HwdbChild *) ((const uint8_t *) n + h->node_size + i * h->child_size);
}

static const HwdbValue *node_value(const Hwdb *h, const HwdbNode *n, size_t i) {
        return (const HwdbValue *) ((const uint8_t *) n + h->node_size + n->children_count * h->child_size +
                                    i * h->value_size);
}

static const HwdbNode *node_lookup(Hwdb *h, const HwdbNode *n, uint8_t c) {
        size_t lo = 0, hi = n->children_count;

        while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                const HwdbChild *ch = node_child(h, n, mid);

                if (ch->c == c)
                        return node_at(h, le64toh(ch->child_off));
                if (ch->c < c)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return NULL;
}

/* Whether entry e should not replace the result old: lower file priority, or the same and an
 * earlier line. Files without priorities (version 2) compare their file name offsets, which
 * grow with priority as the files are read in order. */
static bool value_is_lower(const HwdbValue *e, const HwdbValue *old) {
        if (e->file_priority == 0)
                return le64toh(e->filename_off) < le64toh(old->filename_off) ||
                       (e->filename_off == old->filename_off && le32toh(e->line_number) < le32toh(old->line_number));
        return le16toh(e->file_priority) < le16toh(old->file_priority) ||
               (e->file_priority == old->file_priority && le32toh(e->line_number) < le32toh(old->line_number));
}

static int add_result(Hwdb *h, const HwdbValue *e) {
        const char *key = string_at(h, le64toh(e->key_off));

        if (!key || !string_at(h, le64toh(e->value_off)))
                return 0;
        if (key[0] != ' ') /* reserved for future extensions */
                return 0;
        key++;
        for (size_t i = 0; i < h->n_results; i++) {
                if (!streq(h->results[i].key, key))
                        continue;
                if (h->value_size >= sizeof(HwdbValue) && value_is_lower(e, h->results[i].entry))
                        return 0;
                h->results[i].entry = e; /* replaced in place: the order stays */
                return 0;
        }
        if (!GREEDY_REALLOC(h->results, h->allocated, h->n_results + 1))
                return -ENOMEM;
        h->results[h->n_results++] = (HwdbResult) { .key = key, .entry = e };
        return 0;
}

static int add_values(Hwdb *h, const HwdbNode *n) {
        for (uint64_t i = 0; i < le64toh(n->values_count); i++) {
                int r = add_result(h, node_value(h, n, i));
                if (r < 0)
                        return r;
        }
        return 0;
}

typedef struct LineBuf {
        char bytes[HWDB_LINE_MAX];
        size_t len;
} LineBuf;

static bool linebuf_add(LineBuf *b, const char *s, size_t len) {
        if (b->len + len >= sizeof(b->bytes))
                return false;
        memcpy(b->bytes + b->len, s, len);
        b->len += len;
        return true;
}

/* Below a glob character: every pattern of the subtree is rebuilt and fnmatch()ed. */
static int fnmatch_subtree(Hwdb *h, const HwdbNode *n, size_t p, LineBuf *buf, const char *search) {
        const char *prefix = string_at(h, le64toh(n->prefix_off));
        size_t len, added;
        int r = 0;

        if (!prefix || strlen(prefix) < p || ++h->depth > HWDB_DEPTH_MAX)
                return 0;
        len = strlen(prefix + p);
        added = linebuf_add(buf, prefix + p, len) ? len : 0;
        for (size_t i = 0; i < n->children_count && r >= 0; i++) {
                const HwdbChild *ch = node_child(h, n, i);
                const HwdbNode *child = node_at(h, le64toh(ch->child_off));
                char c = (char) ch->c;

                if (!child || !linebuf_add(buf, &c, 1))
                        continue;
                r = fnmatch_subtree(h, child, 0, buf, search);
                buf->len--;
        }
        if (r >= 0 && le64toh(n->values_count) > 0) {
                buf->bytes[buf->len] = '\0';
                if (fnmatch(buf->bytes, search, 0) == 0)
                        r = add_values(h, n);
        }
        buf->len -= added;
        h->depth--;
        return r;
}

static int search_glob_child(Hwdb *h, const HwdbNode *n, char c, LineBuf *buf, const char *search) {
        const HwdbNode *child = node_lookup(h, n, (uint8_t) c);
        int r;

        if (!child || !linebuf_add(buf, &c, 1))
                return 0;
        r = fnmatch_subtree(h, child, 0, buf, search);
        buf->len--;
        return r;
}

static int trie_search(Hwdb *h, const char *search) {
        const HwdbHeader *head = (const HwdbHeader *) h->map;
        const HwdbNode *n = node_at(h, le64toh(head->nodes_root_off));
        LineBuf buf = {};
        size_t i = 0;
        int r;

        while (n) {
                if (n->prefix_off != 0) {
                        const char *prefix = string_at(h, le64toh(n->prefix_off));
                        size_t p;

                        if (!prefix)
                                return 0;
                        for (p = 0; prefix[p]; p++) {
                                if (IN_SET(prefix[p], '*', '?', '['))
                                        return fnmatch_subtree(h, n, p, &buf, search + i + p);
                                if (prefix[p] != search[i + p])
                                        return 0;
                        }
                        i += p;
                }
                for (const char *c = "*?["; *c; c++) {
                        r = search_glob_child(h, n, *c, &buf, search + i);
                        if (r < 0)
                                return r;
                }
                if (search[i] == '\0')
                        return add_values(h, n);
                n = node_lookup(h, n, (uint8_t) search[i]);
                i++;
        }
        return 0;
}

int hwdb_query(Hwdb *h, const char *modalias) {
        h->n_results = 0;
        h->iter = 0;
        h->depth = 0;
        return trie_search(h, modalias);
}

bool hwdb_next(Hwdb *h, const char **ret_key, const char **ret_value) {
        const char *v;

        while (h->iter < h->n_results) {
                const HwdbResult *res = h->results + h->iter++;

                v = string_at(h, le64toh(res->entry->value_off));
                if (!v)
                        continue;
                *ret_key = res->key;
                *ret_value = v;
                return true;
        }
        return false;
}

int hwdb_fd(const Hwdb *h) {
        return h->fd;
}

bool hwdb_changed(Hwdb *h) {
        struct stat st;

        if (!h)
                return false;
        for (size_t i = 0; hwdb_bin_paths[i]; i++)
                if (stat(hwdb_bin_paths[i], &st) >= 0)
                        return st.st_mtim.tv_sec != h->st.st_mtim.tv_sec ||
                               st.st_mtim.tv_nsec != h->st.st_mtim.tv_nsec;
        return true; /* gone everywhere: udev wants an update */
}
