/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* unit-file-state.c: implementation of unit-file-state.h, after systemd 252's
 * unit_file_lookup_state() (src/shared/install.c): only the fragment's [Install] counts, and
 * enablement is found by scanning .wants/.requires directories and symlinks in the search path. */

#include <dirent.h>
#include <limits.h>
#include <sys/stat.h>

#include "conf-parser.h"
#include "escape.h"
#include "fd-util.h"
#include "manager.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"
#include "unit-file-state.h"

#define PERSISTENT_CONFIG "/etc/systemd/system"
#define RUNTIME_CONFIG "/run/systemd/system"

typedef struct InstallInfo {
        const char *name; /* the unit name asked about */
        char **aliases, **wanted_by, **required_by, **also;
        char *default_instance;
} InstallInfo;

static int collect_install(const char *unit, const char *filename, unsigned line, const char *section,
                           unsigned section_line, const char *key, const char *value, void *userdata) {
        InstallInfo *i = userdata;
        char ***l = NULL;

        if (!section || !streq(section, "Install"))
                return 0;
        if (streq(key, "Alias"))
                l = &i->aliases;
        else if (streq(key, "WantedBy"))
                l = &i->wanted_by;
        else if (streq(key, "RequiredBy"))
                l = &i->required_by;
        else if (streq(key, "Also"))
                l = &i->also;
        else if (streq(key, "DefaultInstance"))
                return free_and_strdup(&i->default_instance, value) < 0 ? -ENOMEM : 0;
        if (!l)
                return 0;
        if (isempty(value)) {
                *l = strv_free(*l);
                return 0;
        }
        for (const char *p = value;;) {
                char *word = NULL;
                int r = extract_first_word(&p, &word, NULL, EXTRACT_UNQUOTE | EXTRACT_RELAX);
                if (r <= 0)
                        return r == -ENOMEM ? r : 0;
                if (strv_consume(l, word) < 0)
                        return -ENOMEM;
        }
}

static void install_info_done(InstallInfo *i) {
        strv_free(i->aliases);
        strv_free(i->wanted_by);
        strv_free(i->required_by);
        strv_free(i->also);
        free(i->default_instance);
}

static bool path_is_runtime(const char *path) {
        return path_startswith(path, "/run") != NULL;
}

static bool symlink_has_known_name(const InstallInfo *i, const char *name) {
        _cleanup_free_ char *s = NULL;

        if (streq(name, i->name) || strv_contains(i->aliases, name))
                return true;
        if (i->default_instance && unit_name_is_valid(i->name, UNIT_NAME_TEMPLATE) &&
            unit_name_replace_instance(i->name, i->default_instance, &s) >= 0)
                return streq(name, s);
        return false;
}

/* One directory: 1 if a symlink refers to the unit, 0 if not; *same_name_link is set by a
 * symlink named like the unit that points at a file of the same name. */
static int scan_dir(const char *dir_path, const InstallInfo *i, bool ignore_destination, bool match_name,
                    bool ignore_same_name, bool *same_name_link) {
        _cleanup_closedir_ DIR *d = opendir(dir_path);
        struct dirent *de;

        if (!d)
                return 0;
        while ((de = readdir(d))) {
                bool found_path = false, found_dest = false;

                if (de->d_type != DT_LNK || hidden_or_backup_file(de->d_name))
                        continue;
                if (!ignore_destination) {
                        _cleanup_free_ char *link = path_join(dir_path, de->d_name), *dest = NULL;
                        if (!link)
                                return -ENOMEM;
                        if (readlink_malloc(link, &dest) < 0)
                                continue;
                        found_dest = streq(path_basename(dest), i->name);
                }
                if (ignore_destination || !ignore_same_name)
                        found_path = streq(de->d_name, i->name);
                if (!found_path && ignore_destination) {
                        _cleanup_free_ char *template = NULL;
                        if (unit_name_template(de->d_name, &template) >= 0)
                                found_dest = streq(template, i->name);
                }
                if (found_path && found_dest)
                        *same_name_link = true; /* dir_path is the configuration directory itself */
                else if (found_path || found_dest) {
                        if (!match_name || symlink_has_known_name(i, de->d_name))
                                return 1;
                }
        }
        return 0;
}

static int find_symlinks(const char *config_path, const InstallInfo *i, bool match_name,
                         bool ignore_same_name, bool *same_name_link) {
        _cleanup_closedir_ DIR *d = opendir(config_path);
        struct dirent *de;

        if (!d)
                return 0;
        while ((de = readdir(d))) {
                _cleanup_free_ char *path = NULL;
                const char *suffix = strrchr(de->d_name, '.');

                if (de->d_type != DT_DIR || hidden_or_backup_file(de->d_name) || !suffix ||
                    !(streq(suffix, ".wants") || streq(suffix, ".requires")))
                        continue;
                path = path_join(config_path, de->d_name);
                if (!path)
                        return -ENOMEM;
                if (scan_dir(path, i, true, match_name, ignore_same_name, same_name_link) > 0)
                        return 1;
        }
        return scan_dir(config_path, i, false, match_name, ignore_same_name, same_name_link);
}

/* Returns 1 and *ret when symlinks decide the state, 0 when they do not. */
static int find_symlinks_in_scope(const Unit *u, const InstallInfo *i, const char *unit_path, bool match_name,
                                  const char **ret) {
        bool same_link_config = false, same_link_runtime = false, in_runtime = false, at_all = false;
        bool ignore_same_name = false;

        STRV_FOREACH(p, u->manager->unit_path.search_path) {
                bool same_name_link = false;
                int r = find_symlinks(*p, i, match_name, ignore_same_name, &same_name_link);

                if (r < 0)
                        return r;
                if (r > 0) {
                        if (path_equal(*p, PERSISTENT_CONFIG)) {
                                *ret = "enabled";
                                return 1;
                        }
                        if (path_is_runtime(*p))
                                in_runtime = true;
                        else
                                at_all = true;
                } else if (same_name_link) {
                        if (path_equal(*p, PERSISTENT_CONFIG))
                                same_link_config = true;
                        else if (path_is_runtime(*p))
                                same_link_runtime = true;
                }
                if (!ignore_same_name && path_startswith(unit_path, *p))
                        ignore_same_name = true;
        }
        if (in_runtime) {
                *ret = "enabled-runtime";
                return 1;
        }
        if (at_all && unit_name_is_valid(i->name, UNIT_NAME_INSTANCE)) {
                *ret = "static";
                return 1;
        }
        if (same_link_config) {
                *ret = "linked";
                return 1;
        }
        if (same_link_runtime) {
                *ret = "linked-runtime";
                return 1;
        }
        return 0;
}

/* The file a configuration-directory symlink leads to (systemd follows those when looking
 * for install information); other paths are returned as they are. */
static char *follow_config_symlink(const char *path) {
        char resolved[PATH_MAX];
        _cleanup_free_ char *dir = NULL;

        if (path_extract_directory(path, &dir) < 0)
                return strdup(path);
        if ((path_equal(dir, PERSISTENT_CONFIG) || path_equal(dir, RUNTIME_CONFIG)) &&
            realpath(path, resolved))
                return strdup(resolved);
        return strdup(path);
}

const char *unit_file_state(const Unit *u) {
        _cleanup_(install_info_done) InstallInfo i = {};
        _cleanup_free_ char *path = NULL;
        const UnitPath *p = &u->manager->unit_path;
        const char *state = NULL;
        int r;

        if (!u->fragment_path)
                return NULL;
        if (u->load_state == UNIT_MASKED)
                return path_is_runtime(u->fragment_path) ? "masked-runtime" : "masked";
        i.name = u->id; /* systemd asks for the unit's name, an instance name included */
        path = follow_config_symlink(u->fragment_path);
        if (!path)
                return "bad";
        if (!streq(i.name, path_basename(path)) && !unit_name_is_valid(i.name, UNIT_NAME_INSTANCE))
                return "alias";
        {
                _cleanup_free_ char *dir = NULL;
                if (path_extract_directory(u->fragment_path, &dir) >= 0) {
                        if (path_equal_ptr(dir, p->generator) || path_equal_ptr(dir, p->generator_early) ||
                            path_equal_ptr(dir, p->generator_late))
                                return "generated";
                        if (path_equal_ptr(dir, p->transient))
                                return "transient";
                }
        }
        r = config_parse_file(NULL, path, NULL, NULL, collect_install, 0, &i);
        if (r < 0)
                return "bad";
        r = find_symlinks_in_scope(u, &i, u->fragment_path, true, &state);
        if (r < 0)
                return "bad";
        if (r > 0)
                return state;
        r = find_symlinks_in_scope(u, &i, u->fragment_path, false, &state);
        if (r < 0)
                return "bad";
        if (r > 0)
                return "indirect";
        if (!strv_isempty(i.aliases) || !strv_isempty(i.wanted_by) || !strv_isempty(i.required_by))
                return "disabled";
        if (!strv_isempty(i.also))
                return "indirect";
        return "static";
}
