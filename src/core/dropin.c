/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dropin.c: implementation of dropin.h. */

#include <dirent.h>
#include <limits.h>
#include <sys/stat.h>

#include "dropin.h"
#include "fd-util.h"
#include "hashmap.h"
#include "log.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"
#include "unit-name.h"

/* Adds the canonical form of dir/name+suffix if the name map saw it and it resolves to a
 * directory (a dangling link or a link to a file is ignored). */
static int add_dir(const UnitMap *map, const char *dir, const char *name, const char *suffix,
                   char ***dirs) {
        _cleanup_free_ char *path = strjoin(dir, "/", name, suffix);
        char resolved[PATH_MAX];
        struct stat st;

        if (!path)
                return -ENOMEM;
        if (map && !unit_map_path_seen(map, path))
                return 0;
        if (!realpath(path, resolved) || stat(resolved, &st) < 0 || !S_ISDIR(st.st_mode))
                return 0;
        if (strv_contains(*dirs, resolved))
                return 0;
        return strv_extend(dirs, resolved);
}

/* The shorter dash prefix of name's prefix ("a-b-c" → "a-b-", "a-b-" → "a-"), or NULL when
 * the chain ends. */
static char *dash_parent(const char *prefix) {
        _cleanup_free_ char *p = strdup(prefix);
        bool chopped = false;

        if (!p)
                return NULL;
        for (;;) {
                char *dash = strrchr(p, '-');
                size_t n;

                if (!dash || dash == p)
                        return NULL;
                n = (size_t) (dash - p);
                if (p[n + 1] != 0 || chopped) {
                        p[n + 1] = 0;
                        break;
                }
                p[n] = 0; /* a trailing dash is dropped once */
                chopped = true;
        }
        return unit_prefix_is_valid(p) ? TAKE_PTR(p) : NULL;
}

/* The names whose directories count for name, in the order they are looked at within one
 * search directory: the name, its template's chain (for an instance), then the chain of its
 * dash prefix ("a-b-c.service" → "a-b-.service" → "a-.service", with the instance kept). */
static int candidate_names(const char *name, char ***names) {
        _cleanup_free_ char *prefix = NULL, *parent = NULL, *instance = NULL, *built = NULL;
        bool is_instance;
        int r;

        r = strv_extend(names, name);
        if (r < 0)
                return r;
        is_instance = unit_name_is_valid(name, UNIT_NAME_INSTANCE);
        if (is_instance) {
                _cleanup_free_ char *template = NULL;
                r = unit_name_template(name, &template);
                if (r < 0)
                        return r;
                r = candidate_names(template, names);
                if (r < 0)
                        return r;
        }
        if (unit_type_from_string(name) >= 0)
                return 0; /* the type-level directory has no prefix chain */
        if (unit_name_to_prefix(name, &prefix) < 0)
                return 0;
        parent = dash_parent(prefix);
        if (!parent)
                return 0;
        if (is_instance && unit_name_to_instance(name, &instance) < 0)
                return 0;
        r = unit_name_build_from_type(parent, instance, unit_name_to_type(name), &built);
        if (r < 0)
                return 0;
        return candidate_names(built, names);
}

/* For every search directory, the candidates of name that the map saw there. The candidates
 * no search directory has (by the map's list of directory names) are dropped first: most
 * units have no drop-in directory at all, and then nothing is joined or looked up per
 * directory. */
static int find_dirs(const UnitMap *map, char *const *search_path, const char *name, const char *suffix,
                     char ***dirs) {
        _cleanup_strv_free_ char **names = NULL;
        size_t n = 0;
        int r;

        if (map && !unit_map_dropin_suffix_seen(map, suffix))
                return 0;
        r = candidate_names(name, &names);
        if (r < 0)
                return r;
        STRV_FOREACH(c, names) {
                if (!map || unit_map_dropin_name_seen(map, *c, suffix))
                        names[n++] = *c;
                else
                        free(*c);
        }
        names[n] = NULL;
        if (n == 0)
                return 0;
        STRV_FOREACH(p, (char **) search_path)
                STRV_FOREACH(c, names) {
                        r = add_dir(map, *p, *c, suffix, dirs);
                        if (r < 0)
                                return r;
                }
        return 0;
}

int dropin_find_dirs(const UnitMap *map, char *const *search_path, const char *dir_suffix,
                     const char *name, const OrderedSet *aliases, char ***ret) {
        _cleanup_strv_free_ char **dirs = NULL;
        const char *alias;
        UnitType type;
        int r;

        r = find_dirs(map, search_path, name, dir_suffix, &dirs);
        if (r < 0)
                return r;
        ORDERED_SET_FOREACH(alias, aliases) {
                r = find_dirs(map, search_path, alias, dir_suffix, &dirs);
                if (r < 0)
                        return r;
        }
        type = unit_name_to_type(name);
        if (type >= 0 && (!map || unit_map_dropin_name_seen(map, unit_type_to_string(type), dir_suffix)))
                STRV_FOREACH(p, (char **) search_path) {
                        r = add_dir(map, *p, unit_type_to_string(type), dir_suffix, &dirs);
                        if (r < 0)
                                return r;
                }
        if (!dirs && !(dirs = new0(char *, 1)))
                return -ENOMEM;
        *ret = TAKE_PTR(dirs);
        return 0;
}

static int basename_cmp(const void *a, const void *b) {
        return strcmp(path_basename(*(char *const *) a), path_basename(*(char *const *) b));
}

int dropin_list_files(char *const *dirs, const char *file_suffix, char ***ret) {
        _cleanup_(hashmap_freep) Hashmap *seen = hashmap_new(&string_hash_ops);
        _cleanup_strv_free_ char **files = NULL;

        if (!seen)
                return -ENOMEM;
        STRV_FOREACH(d, (char **) dirs) {
                _cleanup_closedir_ DIR *dir = opendir(*d);
                struct dirent *de;

                if (!dir)
                        continue;
                while ((de = readdir(dir))) {
                        char *p;
                        if (hidden_or_backup_file(de->d_name))
                                continue;
                        if (file_suffix && !endswith(de->d_name, file_suffix))
                                continue;
                        if (hashmap_contains(seen, de->d_name))
                                continue;
                        p = path_join(*d, de->d_name);
                        if (!p || strv_consume(&files, p) < 0)
                                return -ENOMEM;
                        if (hashmap_put(seen, path_basename(p), p) < 0)
                                return -ENOMEM;
                }
        }
        if (!files && !(files = new0(char *, 1)))
                return -ENOMEM;
        qsort(files, strv_length(files), sizeof(char *), basename_cmp);
        *ret = TAKE_PTR(files);
        return 0;
}

int dropin_find_files(const UnitMap *map, char *const *search_path, const char *dir_suffix,
                      const char *file_suffix, const char *name, const OrderedSet *aliases,
                      char ***ret) {
        _cleanup_strv_free_ char **dirs = NULL;
        int r;

        r = dropin_find_dirs(map, search_path, dir_suffix, name, aliases, &dirs);
        if (r < 0)
                return r;
        return dropin_list_files(dirs, file_suffix, ret);
}
