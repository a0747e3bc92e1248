/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hwdb-update.c: compiling hwdb.d sources into hwdb.bin (hwdb_update(), see hwdb.h).
 *
 * To write the same bytes as systemd-hwdb 252, the in-memory structures are built in the
 * same order with the same rules: a radix trie of match patterns (a node splits where two
 * patterns part; children sorted by character; values sorted by key, a repeated key on the
 * same pattern replaced by the later one), and one string area where equal strings, and
 * strings that are the tail of one already stored, share storage (a trie over reversed
 * strings finds them). Strings are added in a fixed order: per property the key, the value,
 * the file name; per split the shortened prefix; per new node its pattern tail.
 */

#include <ctype.h>
#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd-util.h"
#include "hwdb-format.h"
#include "hwdb.h"
#include "log.h"
#include "macro.h"
#include "mkdir.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"

#define HWDB_SOURCE_LINE_MAX (1024U * 1024U)

/* --- the string area ------------------------------------------------------------------ */

typedef struct StrNode StrNode;
typedef struct StrChild {
        uint8_t c;
        StrNode *child;
} StrChild;
struct StrNode {
        size_t value_off, value_len;
        StrChild *children;
        size_t n_children;
};

typedef struct StrBuf {
        char *buf;
        size_t len, allocated;
        StrNode *root;
} StrBuf;

static void strnode_free(StrNode *n) {
        if (!n)
                return;
        for (size_t i = 0; i < n->n_children; i++)
                strnode_free(n->children[i].child);
        free(n->children);
        free(n);
}

static StrNode *strnode_child(StrNode *n, uint8_t c) {
        size_t lo = 0, hi = n->n_children;

        while (lo < hi) {
                size_t mid = (lo + hi) / 2;

                if (n->children[mid].c == c)
                        return n->children[mid].child;
                if (n->children[mid].c < c)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return NULL;
}

/* The offset of s (len bytes) in the area: an existing copy or tail, else appended. */
static ssize_t strbuf_add(StrBuf *sb, const char *s, size_t len) {
        StrNode *n = sb->root, *child;
        size_t pos;
        uint8_t c = 0;

        if (len == 0)
                return 0;
        for (size_t depth = 0; depth <= len; depth++) {
                size_t off = n->value_off + n->value_len - len;

                /* (the subtraction wraps for short values; value_len >= len guards it) */
                if (depth == len || (n->value_len >= len && memcmp(sb->buf + off, s, len) == 0))
                        return (ssize_t) off;
                c = (uint8_t) s[len - 1 - depth];
                child = strnode_child(n, c);
                if (!child)
                        break;
                n = child;
        }
        if (!GREEDY_REALLOC(sb->buf, sb->allocated, sb->len + len + 1))
                return -ENOMEM;
        pos = sb->len;
        memcpy(sb->buf + pos, s, len);
        sb->len += len;
        sb->buf[sb->len++] = '\0';

        child = new0(StrNode, 1);
        if (!child)
                return -ENOMEM;
        child->value_off = pos;
        child->value_len = len;
        StrChild *a = realloc(n->children, (n->n_children + 1) * sizeof(StrChild));
        if (!a) {
                free(child);
                return -ENOMEM;
        }
        n->children = a;
        /* insert after any equal entries, keeping the array sorted */
        size_t lo = 0, hi = n->n_children;
        while (hi > lo) {
                size_t mid = (lo + hi) / 2;
                if (n->children[mid].c <= c)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        memmove(n->children + lo + 1, n->children + lo, (n->n_children - lo) * sizeof(StrChild));
        n->children[lo] = (StrChild) { .c = c, .child = child };
        n->n_children++;
        return (ssize_t) pos;
}

/* --- the trie -------------------------------------------------------------------------- */

typedef struct TrieNode TrieNode;
typedef struct TrieChild {
        uint8_t c;
        TrieNode *child;
} TrieChild;
typedef struct TrieValue {
        size_t key_off, value_off, filename_off;
        uint32_t line_number;
        uint16_t file_priority;
} TrieValue;
struct TrieNode {
        size_t prefix_off;
        TrieChild *children;
        uint8_t n_children;
        TrieValue *values;
        size_t n_values;
};

typedef struct Trie {
        TrieNode *root;
        StrBuf strings;
} Trie;

static void trienode_free(TrieNode *n) {
        if (!n)
                return;
        for (size_t i = 0; i < n->n_children; i++)
                trienode_free(n->children[i].child);
        free(n->children);
        free(n->values);
        free(n);
}

static int child_cmp(const void *a, const void *b) {
        return (int) ((const TrieChild *) a)->c - (int) ((const TrieChild *) b)->c;
}

static int trienode_add_child(TrieNode *n, TrieNode *child, uint8_t c) {
        TrieChild *a;

        if (n->n_children == UINT8_MAX)
                return -E2BIG;
        a = realloc(n->children, (n->n_children + 1) * sizeof(TrieChild));
        if (!a)
                return -ENOMEM;
        n->children = a;
        n->children[n->n_children++] = (TrieChild) { .c = c, .child = child };
        qsort(n->children, n->n_children, sizeof(TrieChild), child_cmp);
        return 0;
}

static TrieNode *trienode_lookup(TrieNode *n, uint8_t c) {
        TrieChild key = { .c = c }, *found;

        if (n->n_children == 0)
                return NULL;
        found = bsearch(&key, n->children, n->n_children, sizeof(TrieChild), child_cmp);
        return found ? found->child : NULL;
}

static const char *value_cmp_strings; /* qsort has no user pointer in C11 */

static int value_cmp(const void *a, const void *b) {
        return strcmp(value_cmp_strings + ((const TrieValue *) a)->key_off,
                      value_cmp_strings + ((const TrieValue *) b)->key_off);
}

static int trienode_add_value(Trie *t, TrieNode *n, const char *key, const char *value, const char *filename,
                              uint16_t prio, uint32_t line) {
        ssize_t k, v, fn;
        TrieValue *a;

        k = strbuf_add(&t->strings, key, strlen(key));
        if (k < 0)
                return (int) k;
        v = strbuf_add(&t->strings, value, strlen(value));
        if (v < 0)
                return (int) v;
        fn = strbuf_add(&t->strings, filename, strlen(filename));
        if (fn < 0)
                return (int) fn;
        value_cmp_strings = t->strings.buf;
        if (n->n_values > 0) {
                TrieValue search = { .key_off = (size_t) k }, *found;

                found = bsearch(&search, n->values, n->n_values, sizeof(TrieValue), value_cmp);
                if (found) {
                        /* the same key for the same pattern: the later one wins */
                        found->value_off = (size_t) v;
                        found->filename_off = (size_t) fn;
                        found->file_priority = prio;
                        found->line_number = line;
                        return 0;
                }
        }
        a = realloc(n->values, (n->n_values + 1) * sizeof(TrieValue));
        if (!a)
                return -ENOMEM;
        n->values = a;
        n->values[n->n_values++] = (TrieValue) {
                .key_off = (size_t) k, .value_off = (size_t) v, .filename_off = (size_t) fn,
                .file_priority = prio, .line_number = line,
        };
        qsort(n->values, n->n_values, sizeof(TrieValue), value_cmp);
        return 0;
}

/* Splits n at p: n keeps the first p prefix characters, a new child takes the rest. */
static int trienode_split(Trie *t, TrieNode *n, size_t p) {
        _cleanup_free_ char *s = NULL;
        TrieNode *child;
        uint8_t c = (uint8_t) t->strings.buf[n->prefix_off + p];
        ssize_t off;
        int r;

        child = new0(TrieNode, 1);
        if (!child)
                return -ENOMEM;
        *child = (TrieNode) {
                .prefix_off = n->prefix_off + p + 1,
                .children = n->children,
                .n_children = n->n_children,
                .values = n->values,
                .n_values = n->n_values,
        };
        s = strndup(t->strings.buf + n->prefix_off, p); /* the area may move while adding */
        if (!s) {
                free(child);
                return -ENOMEM;
        }
        off = strbuf_add(&t->strings, s, p);
        if (off < 0) {
                free(child);
                return (int) off;
        }
        *n = (TrieNode) { .prefix_off = (size_t) off };
        r = trienode_add_child(n, child, c);
        if (r < 0)
                trienode_free(child);
        return r;
}

static int trie_insert(Trie *t, const char *search, const char *key, const char *value, const char *filename,
                       uint16_t prio, uint32_t line) {
        TrieNode *n = t->root;
        int r;

        for (size_t i = 0;; i++) {
                TrieNode *child;
                size_t p;
                char c;

                for (p = 0; (c = t->strings.buf[n->prefix_off + p]); p++)
                        if (c != search[i + p]) {
                                r = trienode_split(t, n, p);
                                if (r < 0)
                                        return r;
                                break;
                        }
                i += p;
                c = search[i];
                if (c == '\0')
                        return trienode_add_value(t, n, key, value, filename, prio, line);
                child = trienode_lookup(n, (uint8_t) c);
                if (!child) {
                        ssize_t off;

                        child = new0(TrieNode, 1);
                        if (!child)
                                return -ENOMEM;
                        off = strbuf_add(&t->strings, search + i + 1, strlen(search + i + 1));
                        if (off < 0) {
                                free(child);
                                return (int) off;
                        }
                        child->prefix_off = (size_t) off;
                        r = trienode_add_child(n, child, (uint8_t) c);
                        if (r < 0) {
                                free(child);
                                return r;
                        }
                        return trienode_add_value(t, child, key, value, filename, prio, line);
                }
                n = child;
        }
}

/* --- reading sources ------------------------------------------------------------------- */

static int insert_property(Trie *t, char **matches, char *line, const char *filename, uint16_t prio,
                           uint32_t line_number) {
        char *value = strchr(line, '=');

        if (!value)
                return log_syntax(NULL, LOG_WARNING, filename, line_number, EINVAL,
                                  "Key-value pair expected but got \"%s\", ignoring.", line);
        *value++ = '\0';
        while (isblank((unsigned char) line[0]) && isblank((unsigned char) line[1]))
                line++; /* several leading spaces count as one */
        if (isempty(line + 1))
                return log_syntax(NULL, LOG_WARNING, filename, line_number, EINVAL,
                                  "Empty key in \"%s=%s\", ignoring.", line, value);
        STRV_FOREACH(m, matches) {
                int r = trie_insert(t, *m, line, value, filename, prio, line_number);
                if (r == -ENOMEM)
                        return r;
        }
        return 0;
}

/* One line without its terminator ("\n", "\r\n", "\r" or NUL). 1, 0 at EOF, -ENOBUFS. */
static int read_source_line(FILE *f, char **buf, size_t *allocated) {
        size_t n = 0;
        int c;

        for (;;) {
                c = fgetc(f);
                if (c == EOF) {
                        if (n == 0)
                                return 0;
                        break;
                }
                if (c == '\n' || c == '\0')
                        break;
                if (c == '\r') {
                        c = fgetc(f);
                        if (c != '\n' && c != EOF)
                                ungetc(c, f);
                        break;
                }
                if (n >= HWDB_SOURCE_LINE_MAX)
                        return -ENOBUFS;
                if (!GREEDY_REALLOC(*buf, *allocated, n + 2))
                        return -ENOMEM;
                (*buf)[n++] = (char) c;
        }
        if (!GREEDY_REALLOC(*buf, *allocated, n + 1))
                return -ENOMEM;
        (*buf)[n] = '\0';
        return 1;
}

static int import_file(Trie *t, const char *filename, uint16_t prio) {
        enum { HW_NONE, HW_MATCH, HW_DATA } state = HW_NONE;
        _cleanup_fclose_ FILE *f = NULL;
        _cleanup_strv_free_ char **matches = NULL;
        _cleanup_free_ char *line = NULL;
        size_t allocated = 0;
        uint32_t line_number = 0;
        int r = 0, k;

        f = fopen(filename, "re");
        if (!f)
                return -errno;
        while ((k = read_source_line(f, &line, &allocated)) > 0) {
                size_t len;
                char *hash;

                line_number++;
                if (line[0] == '#')
                        continue;
                hash = strchr(line, '#'); /* trailing comments, even inside values */
                if (hash)
                        *hash = '\0';
                len = strlen(line);
                while (len > 0 && isspace((unsigned char) line[len - 1]))
                        len--;
                line[len] = '\0';

                switch (state) {
                case HW_NONE:
                        if (len == 0)
                                break;
                        if (line[0] == ' ') {
                                r = log_syntax(NULL, LOG_WARNING, filename, line_number, EINVAL,
                                               "Match expected but got indented property \"%s\", ignoring line.", line);
                                break;
                        }
                        state = HW_MATCH;
                        if (strv_extend(&matches, line) < 0)
                                return -ENOMEM;
                        break;
                case HW_MATCH:
                        if (len == 0) {
                                r = log_syntax(NULL, LOG_WARNING, filename, line_number, EINVAL,
                                               "Property expected, ignoring record with no properties.");
                                state = HW_NONE;
                                matches = strv_free(matches);
                                break;
                        }
                        if (line[0] != ' ') {
                                if (strv_extend(&matches, line) < 0)
                                        return -ENOMEM;
                                break;
                        }
                        state = HW_DATA;
                        k = insert_property(t, matches, line, filename, prio, line_number);
                        if (k < 0)
                                r = k;
                        break;
                case HW_DATA:
                        if (len == 0) {
                                state = HW_NONE;
                                matches = strv_free(matches);
                                break;
                        }
                        if (line[0] != ' ') {
                                r = log_syntax(NULL, LOG_WARNING, filename, line_number, EINVAL,
                                               "Property or empty line expected, got \"%s\", ignoring record.", line);
                                state = HW_NONE;
                                matches = strv_free(matches);
                                break;
                        }
                        k = insert_property(t, matches, line, filename, prio, line_number);
                        if (k < 0)
                                r = k;
                        break;
                }
        }
        if (k < 0)
                return k;
        if (state == HW_MATCH)
                log_syntax(NULL, LOG_WARNING, filename, line_number, 0,
                           "Property expected, ignoring record with no properties.");
        return r;
}

/* --- listing sources ------------------------------------------------------------------- */

/* path (absolute, inside root) with its symlinks resolved the way they would be if root were
 * "/": absolute link targets restart at root. The result includes root. */
static int chase_in_root(const char *root, const char *path, char **ret) {
        _cleanup_free_ char *done = strdup(root), *todo = strdup(path);
        size_t root_len = strlen(root);
        unsigned hops = 0;

        if (!done || !todo)
                return -ENOMEM;
        for (char *p = todo; *p;) {
                _cleanup_free_ char *next = NULL, *target = NULL;
                size_t n;
                struct stat st;

                p += strspn(p, "/");
                n = strcspn(p, "/");
                if (n == 0)
                        break;
                if (n == 1 && p[0] == '.') {
                        p += n;
                        continue;
                }
                if (n == 2 && p[0] == '.' && p[1] == '.') {
                        char *slash = strrchr(done, '/');
                        if (slash && (size_t) (slash - done) >= root_len)
                                *slash = '\0';
                        p += n;
                        continue;
                }
                next = strndup(p, n);
                if (!next || strextend(&done, "/", next) < 0)
                        return -ENOMEM;
                p += n;
                if (lstat(done, &st) < 0)
                        return -errno;
                if (!S_ISLNK(st.st_mode))
                        continue;
                if (++hops > 32)
                        return -ELOOP;
                if (readlink_malloc(done, &target) < 0)
                        return -EINVAL;
                if (target[0] == '/')
                        done[root_len] = '\0';
                else
                        *strrchr(done, '/') = '\0';
                char *rest = strjoin(target, "/", p);
                if (!rest)
                        return -ENOMEM;
                free(todo);
                todo = rest;
                p = todo;
        }
        if (!done[0] && strextend(&done, "/") < 0)
                return -ENOMEM;
        *ret = TAKE_PTR(done);
        return 0;
}

static int name_cmp(const void *a, const void *b) {
        const char *x = *(char *const *) a, *y = *(char *const *) b;
        return strcmp(strrchr(x, '/') + 1, strrchr(y, '/') + 1);
}

static bool name_seen(char **files, const char *name) {
        STRV_FOREACH(f, files)
                if (streq(strrchr(*f, '/') + 1, name))
                        return true;
        return false;
}

/* The *.hwdb files of the source directories below root, sorted by name, earlier directories
 * hiding same-named files of later ones. */
static int list_sources(const char *root, char ***ret) {
        static const char *const dirs[] = { "/etc/udev/hwdb.d", "/lib/udev/hwdb.d" };
        _cleanup_strv_free_ char **resolved = NULL, **files = NULL;

        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                _cleanup_free_ char *d = NULL;
                int r = chase_in_root(root, dirs[i], &d);

                if (r == -ENOENT || r == -ENOTDIR)
                        continue;
                if (r < 0)
                        return r;
                if (strv_find(resolved, d))
                        continue;
                if (strv_consume(&resolved, TAKE_PTR(d)) < 0)
                        return -ENOMEM;
        }
        STRV_FOREACH(d, resolved) {
                _cleanup_closedir_ DIR *dir = opendir(*d);
                struct dirent *de;

                if (!dir)
                        continue;
                while ((de = readdir(dir))) {
                        if (de->d_name[0] == '.' || !endswith(de->d_name, ".hwdb"))
                                continue;
                        if (name_seen(files, de->d_name)) {
                                log_debug("Skipping overridden file '%s/%s'.", *d, de->d_name);
                                continue;
                        }
                        if (strv_consume(&files, path_join(*d, de->d_name)) < 0)
                                return -ENOMEM;
                }
        }
        if (files)
                qsort(files, strv_length(files), sizeof(char *), name_cmp);
        *ret = TAKE_PTR(files);
        return 0;
}

/* --- writing --------------------------------------------------------------------------- */

typedef struct TrieWriter {
        FILE *f;
        uint64_t strings_off;
} TrieWriter;

static void nodes_size(TrieWriter *w, const TrieNode *n) {
        for (size_t i = 0; i < n->n_children; i++)
                nodes_size(w, n->children[i].child);
        w->strings_off += sizeof(HwdbNode) + n->n_children * sizeof(HwdbChild) + n->n_values * sizeof(HwdbValue);
}

/* Post-order: children first, so a node's child offsets are known when it is written. */
static int64_t store_nodes(TrieWriter *w, const TrieNode *n) {
        _cleanup_free_ HwdbChild *children = NULL;
        HwdbNode node = {
                .prefix_off = htole64(w->strings_off + n->prefix_off),
                .children_count = n->n_children,
                .values_count = htole64(n->n_values),
        };
        int64_t off;

        if (n->n_children > 0) {
                children = new0(HwdbChild, n->n_children);
                if (!children)
                        return -ENOMEM;
        }
        for (size_t i = 0; i < n->n_children; i++) {
                int64_t child_off = store_nodes(w, n->children[i].child);
                if (child_off < 0)
                        return child_off;
                children[i] = (HwdbChild) { .c = n->children[i].c, .child_off = htole64((uint64_t) child_off) };
        }
        off = ftello(w->f);
        fwrite(&node, sizeof(node), 1, w->f);
        if (n->n_children > 0)
                fwrite(children, sizeof(HwdbChild), n->n_children, w->f);
        for (size_t i = 0; i < n->n_values; i++) {
                const TrieValue *v = n->values + i;
                HwdbValue e = {
                        .key_off = htole64(w->strings_off + v->key_off),
                        .value_off = htole64(w->strings_off + v->value_off),
                        .filename_off = htole64(w->strings_off + v->filename_off),
                        .line_number = htole32(v->line_number),
                        .file_priority = htole16(v->file_priority),
                };
                fwrite(&e, sizeof(e), 1, w->f);
        }
        return off;
}

static int trie_store(Trie *t, const char *filename) {
        _cleanup_free_ char *tmp = NULL;
        HwdbHeader h = {
                .tool_version = htole64(HWDB_TOOL_VERSION),
                .header_size = htole64(sizeof(HwdbHeader)),
                .node_size = htole64(sizeof(HwdbNode)),
                .child_entry_size = htole64(sizeof(HwdbChild)),
                .value_entry_size = htole64(sizeof(HwdbValue)),
        };
        TrieWriter w = { .strings_off = sizeof(HwdbHeader) };
        int64_t root_off, pos, size;
        int fd, r;

        memcpy(h.signature, HWDB_SIGNATURE, 8);
        nodes_size(&w, t->root);
        if (asprintf(&tmp, "%s.XXXXXX", filename) < 0)
                return -ENOMEM;
        fd = mkostemp(tmp, O_CLOEXEC);
        if (fd < 0)
                return -errno;
        w.f = fdopen(fd, "w");
        if (!w.f) {
                r = -errno;
                safe_close(fd);
                goto fail;
        }
        (void) fchmod(fd, 0444);
        if (fseeko(w.f, sizeof(HwdbHeader), SEEK_SET) < 0)
                goto fail_errno;
        root_off = store_nodes(&w, t->root);
        if (root_off < 0) {
                r = (int) root_off;
                goto fail_close;
        }
        h.nodes_root_off = htole64((uint64_t) root_off);
        pos = ftello(w.f);
        h.nodes_len = htole64((uint64_t) pos - sizeof(HwdbHeader));
        fwrite(t->strings.buf, t->strings.len, 1, w.f);
        h.strings_len = htole64(t->strings.len);
        size = ftello(w.f);
        h.file_size = htole64((uint64_t) size);
        if (fseeko(w.f, 0, SEEK_SET) < 0)
                goto fail_errno;
        fwrite(&h, sizeof(h), 1, w.f);
        if (ferror(w.f) || fflush(w.f) != 0 || fsync(fd) < 0 || rename(tmp, filename) < 0)
                goto fail_errno;
        fclose(w.f);
        log_debug("hwdb: wrote %s, %" PRIi64 " bytes", filename, size);
        return 0;

fail_errno:
        r = errno > 0 ? -errno : -EIO;
fail_close:
        fclose(w.f);
fail:
        (void) unlink(tmp);
        return r;
}

int hwdb_update(const char *root, const char *bin_dir, const char *output, bool strict) {
        _cleanup_strv_free_ char **files = NULL;
        _cleanup_free_ char *bin = NULL;
        Trie t = {};
        uint16_t prio = 1;
        int r = 0, k;

        if (!root || !*root)
                root = "/";
        bin = output ? strdup(output) : path_join(root, bin_dir ?: "/etc/udev", "hwdb.bin");
        if (!bin)
                return -ENOMEM;
        k = list_sources(streq(root, "/") ? "" : root, &files);
        if (k < 0)
                return log_error_errno(k, "Failed to enumerate hwdb files: %m");
        if (strv_isempty(files)) {
                if (unlink(bin) < 0) {
                        if (errno != ENOENT)
                                return log_error_errno(errno, "Failed to remove compiled hwdb database %s: %m", bin);
                        log_info("No hwdb files found, skipping.");
                } else
                        log_info("No hwdb files found, compiled hwdb database %s removed.", bin);
                return 0;
        }

        t.strings.buf = new0(char, 1);
        t.strings.allocated = 1;
        t.strings.len = 1; /* offset 0 is the empty string */
        t.strings.root = new0(StrNode, 1);
        t.root = new0(TrieNode, 1);
        if (!t.strings.buf || !t.strings.root || !t.root) {
                r = -ENOMEM;
                goto finish;
        }
        STRV_FOREACH(f, files) {
                log_debug("Reading file \"%s\"", *f);
                k = import_file(&t, *f, prio++);
                if (k == -ENOMEM) {
                        r = k;
                        goto finish;
                }
                if (k < 0 && strict)
                        r = k;
        }
        strnode_free(TAKE_PTR(t.strings.root));
        (void) mkdir_parents(bin, 0755);
        k = trie_store(&t, bin);
        if (k < 0)
                r = log_error_errno(k, "Failed to write database %s: %m", bin);
finish:
        trienode_free(t.root);
        strnode_free(t.strings.root);
        free(t.strings.buf);
        return r;
}
