/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * unit-path.h: the unit search path of the system manager, in systemd 252's (Debian build)
 * order of precedence, highest first. $SYSTEMD_UNIT_PATH (or an explicit path given by the
 * caller, e.g. `--unit-path=`) replaces it; a trailing ':' appends the defaults. The list owns
 * its strings.
 */

#include "macro.h"

typedef struct UnitPath {
        char **search_path;  /* in precedence order, duplicates (by string) removed */
        char *transient;     /* /run/systemd/transient */
        char *generator, *generator_early, *generator_late;
        char *persistent_control, *runtime_control;
} UnitPath;

/* The 13 default directories, NULL-terminated, highest precedence first. */
extern const char *const unit_path_defaults[];

/* Builds the search path. explicit_path: NULL to consult $SYSTEMD_UNIT_PATH, otherwise used
 * instead of it (same syntax: ':'-separated, trailing ':' appends the defaults). */
int unit_path_init(UnitPath *p, const char *explicit_path);
void unit_path_done(UnitPath *p);

/* Whether dir is one of the directories whose mtimes are not part of the cache hash
 * (generator, transient and control directories: the manager writes those itself). */
bool unit_path_mtime_excluded(const UnitPath *p, const char *dir);
/* Hash of the st_mtim of every search directory that is not excluded (missing ones skipped).*/
uint64_t unit_path_timestamp_hash(const UnitPath *p);
