/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* unit-path.c: implementation of unit-path.h. */

#include <sys/stat.h>

#include "path-util.h"
#include "siphash24.h"
#include "string-util.h"
#include "strv.h"
#include "unit-path.h"

const char *const unit_path_defaults[] = {
        "/etc/systemd/system.control",
        "/run/systemd/system.control",
        "/run/systemd/transient",
        "/run/systemd/generator.early",
        "/etc/systemd/system",
        "/etc/systemd/system.attached",
        "/run/systemd/system",
        "/run/systemd/system.attached",
        "/run/systemd/generator",
        "/usr/local/lib/systemd/system",
        "/lib/systemd/system",
        "/usr/lib/systemd/system",
        "/run/systemd/generator.late",
        NULL,
};

static int append_unique(char ***l, const char *dir) {
        _cleanup_free_ char *c = strdup(dir);

        if (!c)
                return -ENOMEM;
        path_simplify(c);
        if (strv_contains(*l, c))
                return 0;
        return strv_consume(l, TAKE_PTR(c));
}

static int append_defaults(char ***l) {
        for (size_t i = 0; unit_path_defaults[i]; i++) {
                int r = append_unique(l, unit_path_defaults[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

int unit_path_init(UnitPath *p, const char *explicit_path) {
        const char *e = explicit_path ?: getenv("SYSTEMD_UNIT_PATH");
        char **l = NULL;
        int r = 0;

        *p = (UnitPath) {};
        if (e) {
                bool append = endswith(e, ":") != NULL;
                _cleanup_strv_free_ char **parts = NULL;

                r = strv_split(e, ":", &parts);
                if (r < 0)
                        return r;
                STRV_FOREACH(d, parts) {
                        if (!path_is_absolute(*d))
                                continue; /* systemd ignores relative entries */
                        r = append_unique(&l, *d);
                        if (r < 0)
                                goto fail;
                }
                if (append)
                        r = append_defaults(&l);
        } else
                r = append_defaults(&l);
        if (r < 0)
                goto fail;
        if (!l && !(l = new0(char *, 1)))
                return -ENOMEM;
        p->search_path = l;
        p->transient = strdup("/run/systemd/transient");
        p->generator = strdup("/run/systemd/generator");
        p->generator_early = strdup("/run/systemd/generator.early");
        p->generator_late = strdup("/run/systemd/generator.late");
        p->persistent_control = strdup("/etc/systemd/system.control");
        p->runtime_control = strdup("/run/systemd/system.control");
        if (!p->transient || !p->generator || !p->generator_early || !p->generator_late ||
            !p->persistent_control || !p->runtime_control) {
                unit_path_done(p);
                return -ENOMEM;
        }
        return 0;
fail:
        strv_free(l);
        return r;
}

void unit_path_done(UnitPath *p) {
        p->search_path = strv_free(p->search_path);
        p->transient = mfree(p->transient);
        p->generator = mfree(p->generator);
        p->generator_early = mfree(p->generator_early);
        p->generator_late = mfree(p->generator_late);
        p->persistent_control = mfree(p->persistent_control);
        p->runtime_control = mfree(p->runtime_control);
}

bool unit_path_mtime_excluded(const UnitPath *p, const char *dir) {
        return path_equal_ptr(dir, p->transient) || path_equal_ptr(dir, p->generator) ||
               path_equal_ptr(dir, p->generator_early) || path_equal_ptr(dir, p->generator_late) ||
               path_equal_ptr(dir, p->persistent_control) || path_equal_ptr(dir, p->runtime_control);
}

uint64_t unit_path_timestamp_hash(const UnitPath *p) {
        static const uint8_t key[16] = { 's', 'y', 's', 'm', 'a', 's', 't', 'e', 'r', 'u', 'n', 'i', 't' };
        uint64_t h = 0;

        STRV_FOREACH(d, p->search_path) {
                struct stat st;
                uint64_t v[3];

                if (unit_path_mtime_excluded(p, *d) || stat(*d, &st) < 0)
                        continue;
                v[0] = h;
                v[1] = (uint64_t) st.st_mtim.tv_sec;
                v[2] = (uint64_t) st.st_mtim.tv_nsec;
                h = siphash24(v, sizeof v, key);
        }
        return h;
}
