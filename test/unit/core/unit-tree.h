/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * unit-tree.h: a throw-away unit search path for core tests: three directories standing for
 * /etc, /run and /usr/lib (in that precedence) under a fresh temporary directory, helpers to
 * write files and symlinks into them, and a Manager that reads exactly those directories.
 */

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "manager.h"
#include "string-util.h"
#include "strv.h"
#include "unit-dump.h"

typedef struct UnitTree {
        char root[64];
        char etc[128], run[128], usr[128];
} UnitTree;

static inline void unit_tree_mkdir_p(const char *path) {
        char buf[512];
        snprintf(buf, sizeof buf, "%s", path);
        for (char *p = buf + 1; *p; p++)
                if (*p == '/') {
                        *p = 0;
                        (void) mkdir(buf, 0755);
                        *p = '/';
                }
        (void) mkdir(buf, 0755);
}

static inline void unit_tree_init(UnitTree *t) {
        snprintf(t->root, sizeof t->root, "/tmp/sysmaster-test-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(t->root));
        snprintf(t->etc, sizeof t->etc, "%s/etc", t->root);
        snprintf(t->run, sizeof t->run, "%s/run", t->root);
        snprintf(t->usr, sizeof t->usr, "%s/usr", t->root);
        unit_tree_mkdir_p(t->etc);
        unit_tree_mkdir_p(t->run);
        unit_tree_mkdir_p(t->usr);
}

static inline void unit_tree_done(UnitTree *t) {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->root);
        ck_assert_int_eq(system(cmd), 0);
}

/* Writes dir/relpath (parents created) with content. */
static inline void unit_tree_write(const char *dir, const char *relpath, const char *content) {
        char path[512], parent[512];
        FILE *f;

        snprintf(path, sizeof path, "%s/%s", dir, relpath);
        snprintf(parent, sizeof parent, "%s", path);
        *strrchr(parent, '/') = 0;
        unit_tree_mkdir_p(parent);
        f = fopen(path, "we");
        ck_assert_ptr_nonnull(f);
        fputs(content, f);
        ck_assert_int_eq(fclose(f), 0);
}

static inline void unit_tree_link(const char *dir, const char *relpath, const char *target) {
        char path[512], parent[512];

        snprintf(path, sizeof path, "%s/%s", dir, relpath);
        snprintf(parent, sizeof parent, "%s", path);
        *strrchr(parent, '/') = 0;
        unit_tree_mkdir_p(parent);
        (void) unlink(path);
        ck_assert_int_eq(symlink(target, path), 0);
}

static inline Manager *unit_tree_manager(const UnitTree *t) {
        char path[512];
        Manager *m;

        snprintf(path, sizeof path, "%s:%s:%s", t->etc, t->run, t->usr);
        ck_assert_int_eq(manager_new(path, &m), 0);
        return m;
}

/* Loads name and returns one property as systemctl show prints it (value only), owned. */
static inline char *unit_tree_show(Manager *m, const char *name, const char *property) {
        char *const props[] = { (char *) property, NULL };
        char *buf = NULL;
        size_t size = 0;
        FILE *f;
        Unit *u;

        ck_assert_int_eq(manager_load_unit(m, name, &u), 0);
        f = open_memstream(&buf, &size);
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(unit_dump(u, props, UNIT_DUMP_SHOW_EMPTY | UNIT_DUMP_VALUE_ONLY, f), 0);
        ck_assert_int_eq(fclose(f), 0);
        if (size > 0 && buf[size - 1] == '\n')
                buf[size - 1] = 0;
        return buf;
}

/* Asserts that the space-separated list has (or has not) the word. */
static inline bool words_contain(const char *list, const char *word) {
        _cleanup_strv_free_ char **l = NULL;
        ck_assert_int_eq(strv_split(list, " ", &l), 0);
        return strv_contains(l, word);
}
