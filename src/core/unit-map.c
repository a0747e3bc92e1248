/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * unit-map.c: building and querying the unit name map (see unit-map.h). Symlinks are
 * classified lexically: a target inside the search path (original or resolved spelling of a
 * directory) is an alias, anything else is a linked unit whose fragment path is the link itself.
 */

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>

#include "fd-util.h"
#include "log.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"
#include "unit-map.h"
#include "unit-name.h"

#define ALIAS_FOLLOW_MAX 8

static const char *const dropin_suffixes[] = { ".d", ".wants", ".requires", ".upholds" };

static int add_dropin_name(UnitMap *m, const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(dropin_suffixes); i++)
                if (endswith(name, dropin_suffixes[i]))
                        m->dropin_suffixes |= 1U << i;
        return ordered_set_put_strdup(&m->dropin_names, name) < 0 ? -ENOMEM : 0;
}

bool unit_map_dropin_suffix_seen(const UnitMap *m, const char *suffix) {
        if (!m->built)
                return true;
        for (size_t i = 0; i < ELEMENTSOF(dropin_suffixes); i++)
                if (streq(suffix, dropin_suffixes[i]))
                        return m->dropin_suffixes & (1U << i);
        return true;
}

void unit_map_done(UnitMap *m) {
        m->ids = hashmap_free(m->ids);
        m->aliases = hashmap_free(m->aliases);
        m->path_cache = ordered_set_free(m->path_cache);
        m->dropin_names = ordered_set_free(m->dropin_names);
        m->dropin_suffixes = 0;
        m->built = false;
}

static void free_strv_value(void *p) {
        strv_free(p);
}

static const HashOps aliases_ops = { string_hash, (int (*)(const void *, const void *)) strcmp,
                                     free, free_strv_value };

/* Follows aliases until an absolute path: 0 and the path, -ENOENT if name is unknown, -ENXIO
 * for a dangling alias, -ELOOP for too many hops. An alias to an instance that has no entry
 * of its own continues with that instance's template. */
static int ids_get(Hashmap *ids, const char *name, const char **ret) {
        const char *id = NULL;

        for (unsigned n = 0; n < ALIAS_FOLLOW_MAX; n++) {
                const char *t = hashmap_get(ids, id ?: name);
                if (!t) {
                        _cleanup_free_ char *template = NULL;
                        if (!id)
                                return -ENOENT;
                        if (unit_name_template(id, &template) < 0)
                                return -ENXIO;
                        t = hashmap_get(ids, template);
                        if (!t)
                                return -ENXIO;
                }
                if (path_is_absolute(t)) {
                        if (ret)
                                *ret = t;
                        return 0;
                }
                id = t;
        }
        return -ELOOP;
}

static bool dropin_dir_name_is_valid(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(dropin_suffixes); i++) {
                const char *e = endswith(name, dropin_suffixes[i]);
                _cleanup_free_ char *chopped = NULL;

                if (!e)
                        continue;
                chopped = strndup(name, (size_t) (e - name));
                if (!chopped)
                        return false;
                if (unit_name_is_valid(chopped, UNIT_NAME_ANY) || unit_type_from_string(chopped) >= 0)
                        return true;
        }
        return false;
}

/* Checks an alias symlink src → dst (file names) as systemd does; logs at notice. */
static int alias_is_valid(const char *link_path, const char *src, const char *dst) {
        _cleanup_free_ char *si = NULL, *di = NULL;
        int st = unit_name_to_instance(src, &si), dt;
        UnitType type = unit_name_to_type(src);

        if (st < 0 || type < 0)
                return -EINVAL;
        if (!unit_type_may_alias(type)) {
                log_notice("%s: symlinks are not allowed for units of this type, rejecting.", link_path);
                return -EINVAL;
        }
        if (st != UNIT_NAME_PLAIN && !unit_type_may_template(type)) {
                log_notice("%s: templates not allowed for %s units, rejecting.", link_path,
                           unit_type_to_string(type));
                return -EINVAL;
        }
        if (streq(src, dst)) {
                log_debug("%s: unit self-alias: %s → %s, ignoring.", link_path, src, dst);
                return -ELOOP;
        }
        dt = unit_name_to_instance(dst, &di);
        if (dt < 0) {
                log_notice("%s points to \"%s\" which is not a valid unit name.", link_path, dst);
                return -EXDEV;
        }
        if (!(dt == st || (st == UNIT_NAME_INSTANCE && dt == UNIT_NAME_TEMPLATE))) {
                log_notice("%s: symlink target name type \"%s\" does not match source, rejecting.",
                           link_path, dst);
                return -EXDEV;
        }
        if (dt == UNIT_NAME_INSTANCE && !streq(si, di)) {
                log_notice("%s: unit symlink target \"%s\" instance name doesn't match, rejecting.",
                           link_path, dst);
                return -EXDEV;
        }
        if (unit_name_to_type(dst) != type) {
                log_notice("%s: symlink target \"%s\" has incompatible suffix, rejecting.", link_path, dst);
                return -EXDEV;
        }
        return 0;
}

/* Classifies the symlink dir/name. Returns 0 with *ret = target file name (alias), 1 with
 * *ret = the link's own path (linked unit or mask), negative errno to ignore the entry. */
static int classify_symlink(char *const *expanded, const char *dir, const char *name, char **ret) {
        _cleanup_free_ char *link = NULL, *target = NULL, *abs = NULL, *normalized = NULL;
        const char *tail = NULL;
        int r;

        link = path_join(dir, name);
        if (!link)
                return -ENOMEM;
        r = readlink_malloc(link, &target);
        if (r < 0)
                return log_warning_errno(r, "Failed to read symlink %s: %m", link);
        abs = path_is_absolute(target) ? strdup(target) : path_join(dir, target);
        if (!abs)
                return -ENOMEM;
        normalized = path_normalize(abs);
        if (!normalized)
                return -ENOMEM;

        STRV_FOREACH(d, (char **) expanded) {
                tail = path_startswith(normalized, *d);
                if (tail && *tail)
                        break;
                tail = NULL;
        }
        if (!tail) {
                log_debug("Linked unit file: %s → %s", link, normalized);
                *ret = TAKE_PTR(link);
                return 1;
        }
        r = alias_is_valid(link, name, path_basename(normalized));
        if (r < 0)
                return r;
        if (strchr(tail, '/'))
                log_warning("Suspicious symlink %s → %s, treating as alias.", link, normalized);
        *ret = strdup(path_basename(normalized));
        return *ret ? 0 : -ENOMEM;
}

static int expand_search_path(char **search_path, char ***ret) {
        char **l = NULL;

        STRV_FOREACH(d, search_path) {
                char resolved[PATH_MAX];
                if (strv_extend(&l, *d) < 0)
                        goto oom;
                if (!realpath(*d, resolved) || strv_contains(l, resolved))
                        continue;
                if (strv_extend(&l, resolved) < 0)
                        goto oom;
        }
        *ret = l;
        return 0;
oom:
        strv_free(l);
        return -ENOMEM;
}

static bool is_dir_following(const char *path) {
        struct stat st;
        return stat(path, &st) >= 0 && S_ISDIR(st.st_mode);
}

/* Adds one directory entry to ids and the path cache. */
static int scan_entry(UnitMap *m, char *const *expanded, const char *dir, const struct dirent *de) {
        _cleanup_free_ char *full = NULL, *dst = NULL, *key = NULL;
        int r;

        if (de->d_type == DT_DIR) {
                if (!dropin_dir_name_is_valid(de->d_name))
                        return 0;
        } else if (de->d_type == DT_LNK) {
                if (!unit_name_is_valid(de->d_name, UNIT_NAME_ANY)) {
                        if (!dropin_dir_name_is_valid(de->d_name))
                                return 0;
                        full = path_join(dir, de->d_name);
                        if (!full)
                                return -ENOMEM;
                        if (!is_dir_following(full))
                                return 0;
                        if (add_dropin_name(m, de->d_name) < 0)
                                return -ENOMEM;
                        return ordered_set_put_strdup(&m->path_cache, full) < 0 ? -ENOMEM : 0;
                }
        } else if (de->d_type == DT_REG) {
                if (!unit_name_is_valid(de->d_name, UNIT_NAME_ANY))
                        return 0;
        } else
                return 0;

        full = path_join(dir, de->d_name);
        if (!full)
                return -ENOMEM;
        if (ordered_set_put_strdup(&m->path_cache, full) < 0)
                return -ENOMEM;
        if (de->d_type == DT_DIR && add_dropin_name(m, de->d_name) < 0)
                return -ENOMEM;
        if (de->d_type == DT_DIR || hashmap_contains(m->ids, de->d_name))
                return 0; /* a higher-precedence directory already had this name */

        if (de->d_type == DT_LNK) {
                r = classify_symlink(expanded, dir, de->d_name, &dst);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return 0;
        } else
                dst = TAKE_PTR(full);

        key = strdup(de->d_name);
        if (!key)
                return -ENOMEM;
        r = hashmap_put(m->ids, key, dst);
        if (r < 0)
                return r;
        TAKE_PTR(key);
        TAKE_PTR(dst);
        return 0;
}

static int add_alias(Hashmap *aliases, const char *dst, const char *src) {
        char *k = NULL;
        char **l = hashmap_remove2(aliases, dst, (void **) &k);
        int r;

        if (!k && !(k = strdup(dst)))
                return -ENOMEM;
        if (strv_extend(&l, src) < 0) {
                free(k);
                strv_free(l);
                return -ENOMEM;
        }
        r = hashmap_put(aliases, k, l);
        if (r < 0) {
                free(k);
                strv_free(l);
                return r;
        }
        return 0;
}

/* Reverse map: for every name, the final fragment's name (with the instance put into a
 * template fragment's name) collects that name. */
static int build_aliases(UnitMap *m) {
        const char *src;
        void *v;

        HASHMAP_FOREACH_KEY(v, src, m->ids) {
                _cleanup_free_ char *inst = NULL, *dst_inst = NULL;
                const char *dst;
                int r;

                if (ids_get(m->ids, src, &dst) < 0)
                        continue;
                /* Masks and unreadable entries have no aliases. A file under its own name
                 * names only itself whatever it holds: no stat() per unit file for it. */
                if (!streq(path_basename(dst), src) && null_or_empty_path(dst) != 0)
                        continue;
                dst = path_basename(dst);
                if (unit_name_is_valid(dst, UNIT_NAME_TEMPLATE) &&
                    unit_name_to_instance(src, &inst) == UNIT_NAME_INSTANCE) {
                        if (unit_name_replace_instance(dst, inst, &dst_inst) < 0)
                                continue;
                        dst = dst_inst;
                }
                r = add_alias(m->aliases, dst, src);
                if (r < 0)
                        return r;
        }
        return 0;
}

int unit_map_update(UnitMap *m, const UnitPath *p, bool force) {
        _cleanup_strv_free_ char **expanded = NULL;
        uint64_t hash = unit_path_timestamp_hash(p);
        int r;

        if (m->built && !force && hash == m->timestamp_hash)
                return 0;
        unit_map_done(m);
        m->ids = hashmap_new(&string_hash_ops_free_free);
        m->aliases = hashmap_new(&aliases_ops);
        if (!m->ids || !m->aliases)
                return -ENOMEM;
        r = expand_search_path(p->search_path, &expanded);
        if (r < 0)
                return r;

        STRV_FOREACH(dir, p->search_path) {
                _cleanup_closedir_ DIR *d = opendir(*dir);
                struct dirent *de;

                if (!d) {
                        if (errno != ENOENT)
                                log_warning_errno(errno, "Failed to open \"%s\", ignoring: %m", *dir);
                        continue;
                }
                while ((de = readdir(d))) {
                        r = scan_entry(m, expanded, *dir, de);
                        if (r < 0)
                                return r;
                }
        }
        r = build_aliases(m);
        if (r < 0)
                return r;
        m->timestamp_hash = hash;
        m->built = true;
        return 1;
}

static int names_add(OrderedSet **names, const char *name) {
        return ordered_set_put_strdup(names, name) < 0 ? -ENOMEM : 0;
}

/* Adds name (unless a template) and every alias of it. For an instance, template aliases get
 * the instance put in, unless that instance name resolves to some other fragment. */
static int add_names(const UnitMap *m, UnitNameFlags kind, const char *instance,
                     const char *fragment_basename, const char *name, OrderedSet **names) {
        char **aliases;
        int r;

        if (kind != UNIT_NAME_TEMPLATE) {
                r = names_add(names, name);
                if (r < 0)
                        return r;
        }
        aliases = hashmap_get(m->aliases, name);
        STRV_FOREACH(a, aliases) {
                if (kind == UNIT_NAME_INSTANCE && unit_name_is_valid(*a, UNIT_NAME_TEMPLATE)) {
                        _cleanup_free_ char *inst = NULL;
                        const char *inst_fragment = NULL;

                        if (unit_name_replace_instance(*a, instance, &inst) < 0)
                                continue;
                        r = ids_get(m->ids, inst, &inst_fragment);
                        if (r < 0 && !IN_SET(r, -ENOENT, -ENXIO))
                                continue;
                        if (inst_fragment && fragment_basename &&
                            !streq(path_basename(inst_fragment), fragment_basename))
                                continue; /* that instance belongs to another fragment */
                        r = names_add(names, inst);
                } else
                        r = names_add(names, *a);
                if (r < 0)
                        return r;
        }
        return 0;
}

int unit_map_find_fragment(const UnitMap *m, const char *name, const char **ret_fragment,
                           OrderedSet **ret_names) {
        _cleanup_(ordered_set_freep) OrderedSet *names = NULL;
        _cleanup_free_ char *instance = NULL, *template = NULL;
        const char *fragment = NULL;
        int kind, r;

        kind = unit_name_to_instance(name, &instance);
        if (kind < 0)
                return kind;
        if (ret_names) {
                r = add_names(m, kind, instance, NULL, name, &names);
                if (r < 0)
                        return r;
        }
        r = ids_get(m->ids, name, &fragment);
        if (r < 0 && !IN_SET(r, -ENOENT, -ENXIO))
                return r;
        if (!fragment && kind == UNIT_NAME_INSTANCE) {
                r = unit_name_template(name, &template);
                if (r < 0)
                        return r;
                r = ids_get(m->ids, template, &fragment);
                if (r < 0 && !IN_SET(r, -ENOENT, -ENXIO))
                        return r;
        }
        if (fragment && ret_names && !streq(path_basename(fragment), name)) {
                r = add_names(m, kind, instance, path_basename(fragment), path_basename(fragment),
                              &names);
                if (r < 0)
                        return r;
        }
        *ret_fragment = fragment;
        if (ret_names)
                *ret_names = TAKE_PTR(names);
        return 0;
}

bool unit_map_path_seen(const UnitMap *m, const char *path) {
        return !m->built || ordered_set_contains(m->path_cache, path);
}

bool unit_map_dropin_name_seen(const UnitMap *m, const char *name, const char *suffix) {
        char buf[UNIT_NAME_MAX + 32];

        if (!m->built)
                return true; /* dropped when idle (unit_map_done()): the caller looks on disk */
        if (snprintf(buf, sizeof buf, "%s%s", name, suffix) >= (int) sizeof buf)
                return true; /* not decidable here: let the caller look */
        return ordered_set_contains(m->dropin_names, buf);
}

const char *unit_map_get(const UnitMap *m, const char *name) {
        return hashmap_get(m->ids, name);
}
