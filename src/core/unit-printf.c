/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* unit-printf.c: the unit-specific specifier callbacks and tables (see unit-printf.h). */

#include <limits.h>

#include "path-util.h"
#include "specifier.h"
#include "string-util.h"
#include "unit-printf.h"
#include "unit.h"

#define UNIT_NAME_PRINTF_MAX UNIT_NAME_MAX
#define UNIT_PATH_PRINTF_MAX PATH_MAX
#define UNIT_FULL_PRINTF_MAX (64U * 1024U)

static int spec_full_name(char c, const void *data, const void *userdata, char **ret) {
        const Unit *u = userdata;
        char *s = strdup(u->id);
        if (!s)
                return -ENOMEM;
        if (c == 'N') {
                char *dot = strrchr(s, '.');
                if (dot)
                        *dot = 0;
        }
        *ret = s;
        return 0;
}

static int spec_prefix(char c, const void *data, const void *userdata, char **ret) {
        const Unit *u = userdata;
        _cleanup_free_ char *p = NULL;
        int r = unit_name_to_prefix(u->id, &p);

        if (r < 0)
                return r;
        if (c == 'P')
                return unit_name_unescape(p, ret);
        *ret = TAKE_PTR(p);
        return 0;
}

static int spec_instance(char c, const void *data, const void *userdata, char **ret) {
        const Unit *u = userdata;
        const char *i = strempty(u->instance);

        if (c == 'I')
                return unit_name_unescape(i, ret);
        *ret = strdup(i);
        return *ret ? 0 : -ENOMEM;
}

static int spec_last_component(char c, const void *data, const void *userdata, char **ret) {
        const Unit *u = userdata;
        _cleanup_free_ char *prefix = NULL;
        const char *dash;
        int r = unit_name_to_prefix(u->id, &prefix);

        if (r < 0)
                return r;
        dash = strrchr(prefix, '-');
        dash = dash ? dash + 1 : prefix;
        if (c == 'J')
                return unit_name_unescape(dash, ret);
        *ret = strdup(dash);
        return *ret ? 0 : -ENOMEM;
}

static int spec_filename(char c, const void *data, const void *userdata, char **ret) {
        const Unit *u = userdata;
        _cleanup_free_ char *prefix = NULL;
        int r;

        if (u->instance)
                return unit_name_path_unescape(u->instance, ret);
        r = unit_name_to_prefix(u->id, &prefix);
        if (r < 0)
                return r;
        return unit_name_path_unescape(prefix, ret);
}

static int spec_fragment(char c, const void *data, const void *userdata, char **ret) {
        const Unit *u = userdata;
        if (!u->fragment_path) {
                *ret = strdup("");
                return *ret ? 0 : -ENOMEM;
        }
        return c == 'Y' ? specifier_real_directory(c, u->fragment_path, userdata, ret)
                        : specifier_real_path(c, u->fragment_path, userdata, ret);
}

static int spec_credentials_dir(char c, const void *data, const void *userdata, char **ret) {
        const Unit *u = userdata;
        *ret = strjoin("/run/credentials/", u->id);
        return *ret ? 0 : -ENOMEM;
}

static int spec_cgroup(char c, const void *data, const void *userdata, char **ret) {
        const Unit *u = userdata;

        /* Deprecated; the cgroup path is derived from the slice and the id as systemd does. */
        if (c == 'R')
                *ret = strdup("/");
        else if (c == 'c')
                *ret = strjoin("/", u->slice ?: "system.slice", "/", u->id);
        else
                *ret = strjoin("/", u->slice ?: "system.slice");
        return *ret ? 0 : -ENOMEM;
}

#define UNIT_NAME_ENTRIES                                       \
        { 'i', spec_instance, NULL },                           \
        { 'j', spec_last_component, NULL },                     \
        { 'n', spec_full_name, NULL },                          \
        { 'N', spec_full_name, NULL },                          \
        { 'p', spec_prefix, NULL }

int unit_name_printf(const Unit *u, const char *text, char **ret) {
        static const Specifier table[] = {
                UNIT_NAME_ENTRIES,
                SPECIFIER_SYSTEM_ENTRIES,
                SPECIFIER_CREDS_ENTRIES(SPECIFIER_CREDS_ROOT), /* the system manager's identity */
                {},
        };
        return specifier_printf(text, UNIT_NAME_PRINTF_MAX, table, u, ret);
}

static const Specifier full_table[] = {
        UNIT_NAME_ENTRIES,
        { 'I', spec_instance, NULL },
        { 'J', spec_last_component, NULL },
        { 'P', spec_prefix, NULL },
        { 'f', spec_filename, NULL },
        { 'y', spec_fragment, NULL },
        { 'Y', spec_fragment, NULL },
        { 'c', spec_cgroup, NULL },
        { 'r', spec_cgroup, NULL },
        { 'R', spec_cgroup, NULL },
        { 'C', specifier_string, "/var/cache" },
        { 'd', spec_credentials_dir, NULL },
        { 'E', specifier_string, "/etc" },
        { 'L', specifier_string, "/var/log" },
        { 'S', specifier_string, "/var/lib" },
        { 't', specifier_string, "/run" },
        SPECIFIER_SYSTEM_ENTRIES,
        SPECIFIER_CREDS_ENTRIES(SPECIFIER_CREDS_ROOT), /* the system manager's identity */
        { 'h', specifier_user_home, NULL },
        { 's', specifier_user_shell, NULL },
        SPECIFIER_TMP_ENTRIES,
        {},
};

int unit_path_printf(const Unit *u, const char *text, char **ret) {
        return specifier_printf(text, UNIT_PATH_PRINTF_MAX, full_table, u, ret);
}

int unit_full_printf(const Unit *u, const char *text, char **ret) {
        return specifier_printf(text, UNIT_FULL_PRINTF_MAX, full_table, u, ret);
}
